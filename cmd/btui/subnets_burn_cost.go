package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

type subnetsBurnCostOptions struct {
	f   *Factory
	ctx context.Context

	Netuid uint16
	set    bool
}

func newCmdSubnetsBurnCost(f *Factory, runF func(*subnetsBurnCostOptions) error) *cobra.Command {
	opts := &subnetsBurnCostOptions{f: f}
	cmd := &cobra.Command{
		Use:   "burn-cost",
		Short: "Show what creating a subnet (or, with --netuid, registering on one) costs now",
		Long: `Without --netuid: the lock cost of btui subnets create in the next block (btcli's subnets
burn-cost). With --netuid: the subnet's current registration burn, slots and PoW difficulty.

JSON (--json): {"lock_cost"} or {"netuid", "burn_cost", "difficulty", "neurons", "max_neurons"};
amounts in rao.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx, opts.set = cmd.Context(), cmd.Flags().Changed("netuid")
			if runF != nil {
				return runF(opts)
			}
			return subnetsBurnCostRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "show the registration burn of this subnet instead")
	return cmd
}

type lockCostJSON struct {
	LockCost uint64 `json:"lock_cost"`
}

type registrationCostJSON struct {
	Netuid     uint16 `json:"netuid"`
	BurnCost   uint64 `json:"burn_cost"`
	Difficulty uint64 `json:"difficulty"`
	Neurons    uint16 `json:"neurons"`
	MaxNeurons uint16 `json:"max_neurons"`
}

func subnetsBurnCostRun(o *subnetsBurnCostOptions) error {
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	if o.set {
		si, err := s.subnetInfo(o.Netuid)
		if err != nil {
			return err
		}
		out := registrationCostJSON{Netuid: si.Netuid, BurnCost: si.BurnCost, Difficulty: si.Difficulty, Neurons: si.Neurons, MaxNeurons: si.MaxNeurons}
		return printJSONOr(o.f, out, func(w io.Writer) {
			fmt.Fprintf(w, "registering on subnet %d burns %s (PoW difficulty %d; %d of %d uids taken)\n", out.Netuid, tao(out.BurnCost), out.Difficulty, out.Neurons, out.MaxNeurons)
		})
	}
	cost, err := s.m.NetworkLockCost(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	return printJSONOr(o.f, lockCostJSON{LockCost: cost}, func(w io.Writer) {
		fmt.Fprintf(w, "creating a subnet locks %s\n", tao(cost))
	})
}
