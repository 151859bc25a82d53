package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

type subnetsListOptions struct {
	f   *Factory
	ctx context.Context
}

func newCmdSubnetsList(f *Factory, runF func(*subnetsListOptions) error) *cobra.Command {
	opts := &subnetsListOptions{f: f}
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List every subnet with its pool, price, emission and registration cost",
		Long: `List every subnet (root first): owner, pool reserves and price, emission share, tempo and next
epoch, burn cost, neurons.

JSON (--json): {"block", "subnets": [SubnetInfo]} with the node API's SubnetInfo fields
(docs/json.md); amounts in rao, prices in rao per alpha.

On a subtensor node (--network) the listing reads what the bittensor SDK's
get_all_subnets_info reads: get_subnets_info_v2 (owner, tempo, epoch, burn, size) and the
Swap pallet's prices, at one head. Pool reserves, emission, volume and the owner's hotkey are
not in those answers: the table leaves their columns out, and the JSON leaves those keys out
of each subnet and names them in "not_read" (btui subnets show --netuid N reads one subnet's
pool and emission from its metagraph).`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return subnetsListRun(opts)
		},
	}
}

type subnetsListJSON struct {
	Block   uint64                `json:"block"`
	Subnets []protocol.SubnetInfo `json:"subnets"`
}

// subnetsListSubtensorJSON is the listing on a subtensor node: each subnet without the keys
// the node's listing reads do not fill, which not_read names.
type subnetsListSubtensorJSON struct {
	Block     uint64                       `json:"block"`
	BlockHash protocol.Hash                `json:"block_hash"`
	Subnets   []map[string]json.RawMessage `json:"subnets"`
	NotRead   []string                     `json:"not_read"`
}

func subnetsListRun(o *subnetsListOptions) error {
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	if st, ok := s.c.(*chainclient.Subtensor); ok {
		return subnetsListSubtensor(o, st)
	}
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	nets, err := s.m.Subnets(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	if nets == nil {
		nets = []protocol.SubnetInfo{}
	}
	out := subnetsListJSON{Block: info.Height, Subnets: nets}
	return printJSONOr(o.f, out, func(w io.Writer) {
		fmt.Fprintf(w, "block %d\n", out.Block)
		t := textTable{Head: []string{"NETUID", "OWNER", "PRICE", "TAO IN", "ALPHA IN", "EMISSION", "TEMPO", "NEXT", "BURN", "NEURONS"},
			Right: []bool{true, false, true, true, true, true, true, true, true, true}, Shrink: 1, Drop: []int{7, 6, 4, 5, 3}}
		for _, n := range nets {
			t.add(strconv.Itoa(int(n.Netuid)), n.Owner.SS58(), tao(n.Price), tao(n.TaoIn), alphaAmount(n.AlphaIn),
				formatDecimal(n.EmissionShare, 7)+"%", strconv.Itoa(int(n.Tempo)), strconv.FormatUint(n.NextEpochBlock, 10),
				tao(n.BurnCost), fmt.Sprintf("%d/%d", n.Neurons, n.MaxNeurons))
		}
		t.render(w, o.f.IO.Width)
	})
}

// subnetsListSubtensor lists a subtensor node's subnets from the reads the SDK's
// get_all_subnets_info makes, showing only what those reads fill.
func subnetsListSubtensor(o *subnetsListOptions, st *chainclient.Subtensor) error {
	head, nets, err := st.SubnetsAt(o.ctx)
	if err != nil {
		return chainErr(err)
	}
	out := subnetsListSubtensorJSON{Block: head.Height, BlockHash: head.Hash, Subnets: []map[string]json.RawMessage{}, NotRead: chainclient.SubnetsUnreadOnSubtensor}
	for _, n := range nets {
		row, err := dropUnread(n, chainclient.SubnetsUnreadOnSubtensor)
		if err != nil {
			return err
		}
		out.Subnets = append(out.Subnets, row)
	}
	return printJSONOr(o.f, out, func(w io.Writer) {
		fmt.Fprintf(w, "block %d %s\n", out.Block, out.BlockHash)
		t := textTable{Head: []string{"NETUID", "NAME", "OWNER", "PRICE", "TEMPO", "NEXT", "BURN", "NEURONS"},
			Right: []bool{true, false, false, true, true, true, true, true}, Shrink: 2, Drop: []int{5, 1, 4}}
		for _, n := range nets {
			name := ""
			if n.Identity != nil {
				name = n.Identity.SubnetName
			}
			t.add(strconv.Itoa(int(n.Netuid)), name, n.Owner.SS58(), tao(n.Price), strconv.Itoa(int(n.Tempo)),
				strconv.FormatUint(n.NextEpochBlock, 10), tao(n.BurnCost), fmt.Sprintf("%d/%d", n.Neurons, n.MaxNeurons))
		}
		t.render(w, o.f.IO.Width)
		fmt.Fprintln(w, "Prices are the Swap pallet's; pool reserves, emission and volume are not read by this listing:")
		fmt.Fprintln(w, "btui subnets show --netuid N reads them for one subnet.")
	})
}
