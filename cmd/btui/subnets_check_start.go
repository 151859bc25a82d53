package main

import (
	"context"
	"fmt"
	"io"

	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

type subnetsCheckStartOptions struct {
	f   *Factory
	ctx context.Context

	Netuid uint16
}

func newCmdSubnetsCheckStart(f *Factory, runF func(*subnetsCheckStartOptions) error) *cobra.Command {
	opts := &subnetsCheckStartOptions{f: f}
	cmd := &cobra.Command{
		Use:   "check-start",
		Short: "Say whether a subnet's emission can be started, and by whom",
		Long: `Check whether btui subnets start can start a subnet's emission now: the subnet exists, is not
the root network, has not started yet, and who its owner is (only the owner may start it).
Subtensor also waits a start-call delay after registration (StartCallDelay, about a week of
blocks on finney); the devnet has none, so a new subnet can start at once.

Exit status: 0 whether or not it can start (read can_start); 5 when the subnet does not exist.

JSON (--json): {"netuid", "owner", "registered_at", "started", "first_emission_block",
"can_start", "reason", "delay_blocks", "block"}; reason says why not ("" when it can);
delay_blocks is the blocks left of the start-call delay (always 0 on the devnet).`,
		Example: `  btui subnets check-start --netuid 2`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet to check (btui subnets list names them)"); err != nil {
				return err
			}
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return subnetsCheckStartRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	return cmd
}

type subnetsCheckStartJSON struct {
	Netuid        uint16           `json:"netuid"`
	Owner         wallet.AccountID `json:"owner"`
	RegisteredAt  uint64           `json:"registered_at"`
	Started       bool             `json:"started"`
	FirstEmission uint64           `json:"first_emission_block"`
	CanStart      bool             `json:"can_start"`
	Reason        string           `json:"reason"`
	DelayBlocks   uint64           `json:"delay_blocks"`
	Block         uint64           `json:"block"`
}

func subnetsCheckStartRun(o *subnetsCheckStartOptions) error {
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	si, err := s.subnetInfo(o.Netuid)
	if err != nil {
		return err
	}
	out := subnetsCheckStartJSON{Netuid: o.Netuid, Owner: si.Owner, RegisteredAt: si.RegisteredAt, Started: si.Started,
		FirstEmission: si.FirstEmission, Block: info.Height, CanStart: true}
	switch {
	case si.Root || o.Netuid == 0:
		out.CanStart, out.Reason = false, "the root network has no start: it is always on"
	case si.Started:
		out.CanStart, out.Reason = false, fmt.Sprintf("already started (first emission at block %d)", si.FirstEmission)
	}
	return printJSONOr(o.f, out, func(w io.Writer) {
		if out.CanStart {
			fmt.Fprintf(w, "subnet %d can start now: its owner %s starts it with\n  btui subnets start --netuid %d --wallet-name OWNER_WALLET\n", o.Netuid, out.Owner, o.Netuid)
			return
		}
		fmt.Fprintf(w, "subnet %d cannot start: %s\n", o.Netuid, out.Reason)
	})
}
