package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Views of the subtensor modules' queries (subnets, metagraph, hyperparameters, stake),
// read through chainclient.Modules and the wire types' JSON shape. A chain without the
// modules answers chainclient.ErrUnsupported, and every page then shows the honest "not
// available on this chain yet" state instead of invented numbers.

// subnetView is one row of the subnet list: the chain's SubnetInfo with what the console
// adds (the display name, and on the Register page the immunity period).
type subnetView struct {
	protocol.SubnetInfo
	Immunity uint64 // from the hyperparameters (Register page)
	Name     string
	// NotRead names the SubnetInfo fields (JSON names) the chain's listing did not read
	// (chainclient.SubnetsUnreadOnSubtensor on a subtensor node): shown as "–", not as zero.
	NotRead []string
}

// notRead reports whether the listing left field (a SubnetInfo JSON name) unread.
func (s subnetView) notRead(field string) bool { return slices.Contains(s.NotRead, field) }

// hyperparamView is one hyperparameter with its value.
type hyperparamView struct {
	Name  string
	Value string
}

func querySubnets(ctx context.Context, c chainclient.Client) ([]subnetView, error) {
	s, err := c.Subnets(ctx)
	if err != nil {
		return nil, fmt.Errorf("subnet list: %w", err)
	}
	var notRead []string
	if _, ok := c.(*chainclient.Subtensor); ok {
		notRead = chainclient.SubnetsUnreadOnSubtensor
	}
	out := make([]subnetView, len(s))
	for i := range s {
		out[i] = subnetView{SubnetInfo: s[i], NotRead: notRead}
		out[i].Name = subnetName(out[i])
	}
	return out, nil
}

func subnetName(s subnetView) string {
	if s.Root {
		return "root"
	}
	name := "sn" + strconv.Itoa(int(s.Netuid))
	if s.Identity != nil && s.Identity.SubnetName != "" {
		name = s.Identity.SubnetName // set_subnet_identity
	}
	if !s.Started && !s.notRead("started") {
		return name + " (not started)"
	}
	return name
}

func queryMetagraph(ctx context.Context, c chainclient.Client, netuid uint16) ([]protocol.NeuronInfo, error) {
	m, err := c.Metagraph(ctx, netuid)
	if err != nil {
		return nil, fmt.Errorf("metagraph of subnet %d: %w", netuid, err)
	}
	return m.Neurons, nil
}

// queryHyperparams lists a subnet's hyperparameters by their wire names, sorted.
func queryHyperparams(ctx context.Context, c chainclient.Client, netuid uint16) ([]hyperparamView, error) {
	h, err := c.Hyperparameters(ctx, netuid)
	if err != nil {
		return nil, fmt.Errorf("hyperparameters of subnet %d: %w", netuid, err)
	}
	var fields map[string]json.RawMessage
	b, err := json.Marshal(h) // the names and values as the node API spells them
	if err == nil {
		err = json.Unmarshal(b, &fields)
	}
	if err != nil {
		return nil, err
	}
	if _, ok := c.(*chainclient.Subtensor); ok {
		for _, n := range chainclient.HyperparamsUnknownOnSubtensor {
			delete(fields, n) // a subtensor metagraph does not carry it: not shown as zero
		}
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
	h, err := c.Hyperparameters(ctx, netuid)
	if err != nil {
		return 0, err
	}
	return uint64(h.ImmunityPeriod), nil
}

func queryStake(ctx context.Context, c chainclient.Client, coldkey string) ([]protocol.StakeInfo, error) {
	id, err := wallet.ParseAddress(coldkey)
	if err != nil {
		return nil, err
	}
	s, err := c.StakesByColdkey(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("stake positions: %w", err)
	}
	return s, nil
}

// u16 renders a u16 fixed-point fraction with 4 decimals.
func u16(v uint16) string { return FormatRatio(uint64(v), 65535, 4) }

// alphaPrice renders TAO per alpha (the price is in rao per alpha).
func alphaPrice(s subnetView) string {
	if s.Root {
		return "1.000000"
	}
	return FormatRatio(s.Price, protocol.RaoPerTAO, 6)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// walletAddress parses an SS58 address.
func walletAddress(s string) (wallet.AccountID, error) { return wallet.ParseAddress(s) }

// sellValues quotes, for each position, the TAO it would fetch if sold now (the pool's quote
// after its fee, ops' quote); ok is false when a quote failed (the spot value is then all there is, and is labelled so).
func sellValues(ctx context.Context, client chainclient.Client, ps []protocol.StakeInfo) (vals []uint64, ok bool) {
	vals = make([]uint64, len(ps))
	for i, s := range ps {
		v, err := sellValue(ctx, client, s.Netuid, s.Alpha)
		if err != nil {
			return nil, false
		}
		vals[i] = v
	}
	return vals, true
}
