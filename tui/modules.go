package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/wallet"
)

// Views of the subtensor modules' queries (subnets, metagraph, hyperparameters, stake),
// read through chainclient.Modules and the wire types' JSON shape. A chain without the
// modules answers chainclient.ErrUnsupported, and every page then shows the honest "not
// available on this chain yet" state instead of invented numbers.

// subnetView is one row of the subnet list (protocol.SubnetInfo).
type subnetView struct {
	Netuid     uint16 `json:"netuid"`
	Owner      string `json:"owner"`
	Root       bool   `json:"root"`
	Registered uint64 `json:"registered_at"` // block; 0 for the genesis subnets
	Started    bool   `json:"started"`
	Price      uint64 `json:"price"` // rao per alpha
	TAOIn      uint64 `json:"tao_in"`
	AlphaIn    uint64 `json:"alpha_in"`
	EmissionPB uint64 `json:"emission_share_ppb"`
	Tempo      uint64 `json:"tempo"`
	NextEpoch  uint64 `json:"next_epoch_block"`
	BurnCost   uint64 `json:"burn_cost"`
	PoWDiff    uint64 `json:"difficulty"`
	Neurons    int    `json:"neurons"`
	MaxNeurons int    `json:"max_neurons"`
	Immunity   uint64 `json:"-"` // from the hyperparameters (Register page)
	Name       string `json:"-"`
}

// axonView is a served endpoint.
type axonView struct {
	IP   string `json:"ip"`
	Port uint16 `json:"port"`
}

// neuronView is one metagraph row (protocol.NeuronInfo). Normalised metrics are u16 fixed
// point (x/65535), as subtensor stores them.
type neuronView struct {
	UID          uint16    `json:"uid"`
	Hotkey       string    `json:"hotkey"`
	Coldkey      string    `json:"coldkey"`
	Stake        uint64    `json:"stake"`
	Rank         uint16    `json:"rank"`
	Trust        uint16    `json:"trust"`
	Consensus    uint16    `json:"consensus"`
	Incentive    uint16    `json:"incentive"`
	Dividends    uint16    `json:"dividends"`
	Emission     uint64    `json:"emission"`
	VTrust       uint16    `json:"validator_trust"`
	Permit       bool      `json:"validator_permit"`
	LastUpdate   uint64    `json:"last_update"`
	Active       bool      `json:"active"`
	Immune       bool      `json:"immune"`
	RegisteredAt uint64    `json:"registered_at"`
	Axon         *axonView `json:"axon"`
}

type metagraphView struct {
	Netuid  uint16       `json:"netuid"`
	Block   uint64       `json:"block"`
	Neurons []neuronView `json:"neurons"`
}

// hyperparamView is one hyperparameter with its value.
type hyperparamView struct {
	Name  string
	Value string
}

// stakeView is one stake position of a coldkey (protocol.StakeInfo).
type stakeView struct {
	Hotkey   string `json:"hotkey"`
	Netuid   uint16 `json:"netuid"`
	Alpha    uint64 `json:"alpha"`
	ValueTAO uint64 `json:"tao_value"`
}

func querySubnets(ctx context.Context, c chainclient.Client) ([]subnetView, error) {
	s, err := chainclient.Modules(c).Subnets(ctx)
	if err != nil {
		return nil, fmt.Errorf("subnet list: %w", err)
	}
	out, err := asView[[]subnetView](s)
	for i := range out {
		out[i].Name = subnetName(out[i])
	}
	return out, err
}

func subnetName(s subnetView) string {
	if s.Root {
		return "root"
	}
	if !s.Started {
		return "sn" + strconv.Itoa(int(s.Netuid)) + " (not started)"
	}
	return "sn" + strconv.Itoa(int(s.Netuid))
}

func queryMetagraph(ctx context.Context, c chainclient.Client, netuid uint16) ([]neuronView, error) {
	m, err := chainclient.Modules(c).Metagraph(ctx, netuid)
	if err != nil {
		return nil, fmt.Errorf("metagraph of subnet %d: %w", netuid, err)
	}
	v, err := asView[metagraphView](m)
	return v.Neurons, err
}

// queryHyperparams lists a subnet's hyperparameters by their wire names, sorted.
func queryHyperparams(ctx context.Context, c chainclient.Client, netuid uint16) ([]hyperparamView, error) {
	h, err := chainclient.Modules(c).Hyperparameters(ctx, netuid)
	if err != nil {
		return nil, fmt.Errorf("hyperparameters of subnet %d: %w", netuid, err)
	}
	fields, err := asView[map[string]json.RawMessage](h)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]hyperparamView, len(names))
	for i, n := range names {
		out[i] = hyperparamView{Name: n, Value: string(fields[n])}
	}
	return out, nil
}

// immunityPeriod reads one subnet's immunity period.
func immunityPeriod(ctx context.Context, c chainclient.Client, netuid uint16) (uint64, error) {
	h, err := chainclient.Modules(c).Hyperparameters(ctx, netuid)
	if err != nil {
		return 0, err
	}
	v, err := asView[struct {
		ImmunityPeriod uint64 `json:"immunity_period"`
	}](h)
	return v.ImmunityPeriod, err
}

func queryStake(ctx context.Context, c chainclient.Client, coldkey string) ([]stakeView, error) {
	id, err := wallet.ParseAddress(coldkey)
	if err != nil {
		return nil, err
	}
	s, err := chainclient.Modules(c).StakesByColdkey(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("stake positions: %w", err)
	}
	return asView[[]stakeView](s)
}

// u16 renders a u16 fixed-point fraction with 4 decimals.
func u16(v uint16) string { return FormatRatio(uint64(v), 65535, 4) }

// alphaPrice renders TAO per alpha (the price is in rao per alpha).
func alphaPrice(s subnetView) string {
	if s.Root {
		return "1.000000"
	}
	return FormatRatio(s.Price, raoPerTAO, 6)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// walletAddress parses an SS58 address.
func walletAddress(s string) (wallet.AccountID, error) { return wallet.ParseAddress(s) }
