package tui

import (
	"context"
	"fmt"

	"github.com/btui/btui/chainclient"
)

// Views of the subtensor modules' queries (subnets, metagraph, hyperparameters, stake).
// chainclient.Client does not have these queries yet: the subnet and staking modules arrive
// later. The functions below are the one place the pages read them; until the client has the
// methods they return chainclient.ErrUnsupported, and every page shows the honest "not
// available on this chain yet" state instead of invented numbers.

// subnetView is one row of the subnet list.
type subnetView struct {
	Netuid     uint16
	Name       string
	Symbol     string
	Owner      string
	TAOIn      uint64 // pool TAO reserve, rao
	AlphaIn    uint64 // pool alpha reserve
	EmissionPB uint64 // share of block emission, parts per billion
	Tempo      uint64
	NextEpoch  uint64 // block of the next epoch
	BurnCost   uint64 // rao
	Neurons    int
	MaxNeurons int
	Immunity   uint64 // blocks
	PoWDiff    uint64 // proof-of-work difficulty
}

// neuronView is one metagraph row. Normalised metrics are u16 fixed point (x/65535), as
// subtensor stores them.
type neuronView struct {
	UID          uint16
	Hotkey       string
	Coldkey      string
	Stake        uint64
	Rank         uint16
	Trust        uint16
	Consensus    uint16
	Incentive    uint16
	Dividends    uint16
	Emission     uint64
	VTrust       uint16
	Permit       bool
	LastUpdate   uint64
	Active       bool
	Axon         string
	RegisteredAt uint64
}

// hyperparamView is one hyperparameter with its value and who may change it.
type hyperparamView struct {
	Name  string
	Value string
	Owner bool // settable by the subnet owner (else sudo only)
}

// stakeView is one stake position of a coldkey.
type stakeView struct {
	Hotkey   string
	Netuid   uint16
	Alpha    uint64
	ValueTAO uint64 // what removing it would give now, rao
}

func unsupported(what string) error { return fmt.Errorf("%s: %w", what, chainclient.ErrUnsupported) }

func querySubnets(_ context.Context, _ chainclient.Client) ([]subnetView, error) {
	return nil, unsupported("subnet list")
}

func queryMetagraph(_ context.Context, _ chainclient.Client, _ uint16) ([]neuronView, error) {
	return nil, unsupported("metagraph")
}

func queryHyperparams(_ context.Context, _ chainclient.Client, _ uint16) ([]hyperparamView, error) {
	return nil, unsupported("hyperparameters")
}

func queryStake(_ context.Context, _ chainclient.Client, _ string) ([]stakeView, error) {
	return nil, unsupported("stake positions")
}

// u16 renders a u16 fixed-point fraction with 4 decimals.
func u16(v uint16) string { return FormatRatio(uint64(v), 65535, 4) }

// alphaPrice renders TAO per alpha from the pool reserves.
func alphaPrice(s subnetView) string {
	if s.AlphaIn == 0 {
		return "–"
	}
	return FormatRatio(s.TAOIn, s.AlphaIn, 6)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
