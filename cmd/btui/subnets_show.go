package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type subnetsShowOptions struct {
	f   *Factory
	ctx context.Context

	Netuid uint16
	set    bool
}

func newCmdSubnetsShow(f *Factory, runF func(*subnetsShowOptions) error) *cobra.Command {
	opts := &subnetsShowOptions{f: f}
	cmd := &cobra.Command{
		Use:     "show",
		Aliases: []string{"metagraph"},
		Short:   "Show a subnet and its metagraph",
		Long: `Show a subnet's row of the subnet list and its metagraph: per uid the hotkey, coldkey, stake,
rank, trust, consensus, incentive, dividends, emission, validator trust, permit, last update,
activity, immunity, take and axon. Proportions are u16 (x/65535) in JSON.

JSON (--json): {"subnet": SubnetInfo, "metagraph": Metagraph} (docs/json.md).`,
		Example: `  btui subnets show --netuid 1
  btui subnets metagraph --netuid 2 --json | jq '.metagraph.neurons[] | {uid, incentive}'`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx, opts.set = cmd.Context(), cmd.Flags().Changed("netuid")
			if err := requireFlag(opts.set, "--netuid", "the subnet to show (btui subnets list names them)"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return subnetsShowRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	return cmd
}

type subnetsShowJSON struct {
	Subnet    protocol.SubnetInfo `json:"subnet"`
	Metagraph *protocol.Metagraph `json:"metagraph"`
}

func subnetsShowRun(o *subnetsShowOptions) error {
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	si, err := s.subnetInfo(o.Netuid)
	if err != nil {
		return err
	}
	mg, err := s.m.Metagraph(s.ctx, o.Netuid)
	if err != nil {
		return chainErr(err)
	}
	if mg.Neurons == nil {
		mg.Neurons = []protocol.NeuronInfo{}
	}
	out := subnetsShowJSON{Subnet: si, Metagraph: mg}
	return printJSONOr(o.f, out, func(w io.Writer) {
		fmt.Fprintf(w, "subnet %d at block %d  owner %s\n", si.Netuid, mg.Block, si.Owner)
		printSubnetIdentity(w, si.Identity)
		fmt.Fprintf(w, "price %s per α  pool %s / %s  tempo %d  next epoch %d  burn %s  neurons %d/%d\n\n",
			tao(si.Price), tao(si.TaoIn), alphaAmount(si.AlphaIn), si.Tempo, si.NextEpochBlock, tao(si.BurnCost), si.Neurons, si.MaxNeurons)
		fmt.Fprintf(w, "%-4s %-12s %-12s %18s %7s %7s %7s %7s %7s %7s %16s %-6s %8s %s\n", "UID", "HOTKEY", "COLDKEY", "STAKE", "RANK", "TRUST",
			"CONS", "INCENT", "DIVS", "VTRUST", "EMISSION", "PERMIT", "UPDATED", "AXON")
		for _, n := range mg.Neurons {
			axon := "-"
			if n.Axon != nil {
				axon = fmt.Sprintf("%s:%d", n.Axon.IP, n.Axon.Port)
			}
			fmt.Fprintf(w, "%-4d %-12s %-12s %18s %7s %7s %7s %7s %7s %7s %16s %-6v %8d %s\n", n.UID, n.Hotkey.SS58()[:10]+"…", n.Coldkey.SS58()[:10]+"…",
				alphaAmount(n.Stake), u16Fraction(n.Rank), u16Fraction(n.Trust), u16Fraction(n.Consensus), u16Fraction(n.Incentive),
				u16Fraction(n.Dividends), u16Fraction(n.ValidatorTrust), alphaAmount(n.Emission), n.Permit, n.LastUpdate, axon)
		}
	})
}
