package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

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
(docs/json.md); amounts in rao, prices in rao per alpha.`,
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

func subnetsListRun(o *subnetsListOptions) error {
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
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
