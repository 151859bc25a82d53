package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type subnetsStartOptions struct {
	f   *Factory
	ctx context.Context

	Wallet   string
	Netuid   uint16
	Password passwordOptions
	Offline  offlineOptions
}

func newCmdSubnetsStart(f *Factory, runF func(*subnetsStartOptions) error) *cobra.Command {
	opts := &subnetsStartOptions{f: f}
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Start a new subnet's emission (owner only)",
		Long: `Start the emission of a subnet the wallet's coldkey owns (start_call). Until then the subnet
earns nothing and cannot be staked on.

JSON (--json): the transaction result (docs/json.md) with preview {"netuid", "owner", "fee"}.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet to start"); err != nil {
				return err
			}
			opts.ctx, opts.Wallet = cmd.Context(), f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return subnetsStartRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet to start")
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

func subnetsStartRun(o *subnetsStartOptions) error {
	if o.Offline.Offline {
		sg, err := coldkeySigner(o.f, o.Wallet)
		if err != nil {
			return err
		}
		return o.Offline.runOffline(o.ctx, "subnets start", o.Password, offlineTx{
			Title: fmt.Sprintf("Start the emission of subnet %d", o.Netuid), Signer: sg, Call: protocol.StartCall{Netuid: o.Netuid}})
	}
	return runColdkeyPlan(o.ctx, o.f, o.Wallet, o.Password, "subnets start", func(s *chainSession, cold wallet.AccountID) (ops.Plan, error) {
		p, err := ops.PlanStartSubnet(s.ctx, s.c, ops.SubnetStartInput{Owner: cold, Netuid: o.Netuid})
		return p, opsErr(err)
	})
}
