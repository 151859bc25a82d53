package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type subnetsStartOptions struct {
	f   *Factory
	ctx context.Context

	Wallet   string
	Netuid   uint16
	Password passwordOptions
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
	addTxFlags(cmd, &opts.Password)
	return cmd
}

type subnetsStartPreviewJSON struct {
	Netuid uint16 `json:"netuid"`
	Owner  string `json:"owner"`
	Fee    uint64 `json:"fee"`
}

func subnetsStartRun(o *subnetsStartOptions) error {
	f := o.f
	cold, err := coldkeyOf(f, o.Wallet)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	si, err := s.subnetInfo(o.Netuid)
	if err != nil {
		return err
	}
	switch {
	case si.Root:
		return usageErrorf("the root network (netuid 0) has no start: it is always on")
	case si.Owner != cold:
		return usageErrorf("subnet %d is owned by %s, not by wallet %q (%s): only its owner may start it; nothing was submitted", o.Netuid, si.Owner, o.Wallet, cold)
	case si.Started:
		return usageErrorf("subnet %d has already started (first emission at block %d)", o.Netuid, si.FirstEmission)
	}
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	return runTx(s, txRequest{
		Command: "subnets start", Title: fmt.Sprintf("Start the emission of subnet %d", o.Netuid), Signer: cold,
		Call:        protocol.StartCall{Netuid: o.Netuid},
		Preview:     []previewLine{{"fee", tao(info.TxFee)}},
		PreviewJSON: subnetsStartPreviewJSON{Netuid: o.Netuid, Owner: cold.SS58(), Fee: info.TxFee},
		Unlock:      coldkeyUnlock(f, o.Wallet, o.Password),
	})
}
