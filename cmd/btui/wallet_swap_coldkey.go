package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// btui wallet swap-coldkey: subtensor's scheduled coldkey swap (schedule_swap_coldkey), and
// --status to show a scheduled one.

type walletSwapColdkeyOptions struct {
	f   *Factory
	ctx context.Context

	Wallet     string
	NewColdkey string
	Status     bool
	Password   passwordOptions
	Offline    offlineOptions
}

func newCmdWalletSwapColdkey(f *Factory, runF func(*walletSwapColdkeyOptions) error) *cobra.Command {
	o := &walletSwapColdkeyOptions{f: f}
	cmd := &cobra.Command{
		Use:   "swap-coldkey --new-coldkey SS58|WALLET",
		Short: "Schedule the move of everything of the wallet's coldkey to a new coldkey",
		Long: `Schedule subtensor's coldkey swap: after a delay (the chain's coldkey_swap_schedule_duration,
360 blocks on the devnet, about 90 s of 250 ms blocks; 36,000 blocks, 5 days, on subtensor) the
chain moves everything of the wallet's coldkey to --new-coldkey (an SS58 address, a wallet name
or a dev name): the free balance, every stake position, the hotkeys it owns, the subnets it
owns and its identity. The swap costs key_swap_cost (0.1 TAO), taken at the swap and recycled.

From the block that includes the schedule until the swap, the old coldkey can sign nothing else:
the chain rejects its transfers, stake and registrations (code coldkey_in_swap_schedule), and a
second schedule is refused (swap_already_scheduled). A swap fails at its block, leaving the
coldkey locked until it schedules again (coldkey_swap_reschedule_duration blocks after the
failed block), when the new coldkey holds stake or is a hotkey by then; the command refuses such
a target up front.

--status shows the wallet's scheduled swap (block, blocks and time left, cost) without
submitting anything; wallet overview shows it too.

JSON (--json): the transaction result (docs/json.md) with preview {"coldkey", "new_coldkey",
"delay_blocks", "delay_seconds", "execution_block", "cost", "fee", "balance", "positions",
"hotkeys", "subnets"}; with --status {"command", "ok", "coldkey", "height", "scheduled",
"swap": {"new_coldkey", "execution_block", "cost", "reschedule_from", "failed"}, "blocks_left",
"seconds_left"}.`,
		Example: `  btui wallet swap-coldkey --wallet-name alice --new-coldkey alice-new
  btui wallet swap-coldkey --wallet-name alice --new-coldkey 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty --dry-run
  btui wallet swap-coldkey --wallet-name alice --status --json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			o.ctx, o.Wallet = cmd.Context(), f.WalletName()
			if o.Status && o.NewColdkey != "" {
				return usageErrorf("give --new-coldkey to schedule a swap or --status to show one, not both")
			}
			if !o.Status && o.NewColdkey == "" {
				return usageErrorf("--new-coldkey is required: the SS58 address, wallet name or dev name of the coldkey to move to (or --status to show a scheduled swap)")
			}
			if runF != nil {
				return runF(o)
			}
			if o.Status {
				if o.Offline.Offline {
					return offlineRefuse("--status", "the scheduled swap is the chain's state", "run it on a machine with a network, without --offline")
				}
				return walletSwapColdkeyStatus(o)
			}
			return walletSwapColdkeyRun(o)
		},
	}
	cmd.Flags().StringVar(&o.NewColdkey, "new-coldkey", "", "the coldkey to move to: SS58 address, wallet name or dev name")
	cmd.Flags().BoolVar(&o.Status, "status", false, "show the wallet's scheduled swap and exit")
	addTxFlags(f, cmd, &o.Password, &o.Offline)
	return cmd
}

func walletSwapColdkeyRun(o *walletSwapColdkeyOptions) error {
	nw, err := resolveAccount(o.f, "--new-coldkey", o.NewColdkey, roleColdkey)
	if err != nil {
		if _, ssErr := wallet.ParseAddress(o.NewColdkey); errors.Is(err, keystore.ErrNotFound) && isBase58(o.NewColdkey) {
			// Written like an address and no wallet of that name: the address is what is wrong.
			return usageErrorf("--new-coldkey: %q is not a valid SS58 address (%v), nor a wallet name", o.NewColdkey, ssErr)
		}
		return err
	}
	if o.Offline.Offline {
		sg, err := coldkeySigner(o.f, o.Wallet)
		if err != nil {
			return err
		}
		if nw == sg.account {
			return usageErrorf("--new-coldkey is the wallet's own coldkey (%s): name another coldkey", nw)
		}
		return o.Offline.runOffline(o.ctx, "wallet swap-coldkey", o.Password, offlineTx{
			Title:  fmt.Sprintf("Schedule the swap of coldkey %s to %s", sg.account, nw),
			Signer: sg, Call: protocol.ScheduleSwapColdkey{NewColdkey: nw}})
	}
	return runColdkeyPlan(o.ctx, o.f, o.Wallet, o.Password, "wallet swap-coldkey",
		func(s *chainSession, cold wallet.AccountID) (ops.Plan, error) {
			if nw == cold {
				return ops.Plan{}, usageErrorf("--new-coldkey is the wallet's own coldkey (%s): name another coldkey", cold)
			}
			p, err := ops.PlanSwapColdkey(s.ctx, s.c, ops.SwapColdkeyInput{Cold: cold, NewColdkey: nw})
			var oe *ops.Error
			if errors.As(err, &oe) && oe.Field == "NewColdkey" && oe.Sim == nil && oe.Kind == ops.KindInput {
				return p, usageErrorf("--new-coldkey %s", oe.Msg)
			}
			return p, opsErr(err)
		})
}

// swapStatusJSON is the --status document.
type swapStatusJSON struct {
	Command     string                    `json:"command"`
	OK          bool                      `json:"ok"`
	Coldkey     string                    `json:"coldkey"`
	Height      uint64                    `json:"height"`
	Scheduled   bool                      `json:"scheduled"`
	Swap        *protocol.ColdkeySwapInfo `json:"swap"`
	BlocksLeft  uint64                    `json:"blocks_left"`
	SecondsLeft uint64                    `json:"seconds_left"`
}

func walletSwapColdkeyStatus(o *walletSwapColdkeyOptions) error {
	cold, err := coldkeyOf(o.f, o.Wallet)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	sw, info, err := ops.SwapStatus(s.ctx, s.c, cold)
	if err != nil {
		return opsErr(err)
	}
	out := swapStatusJSON{Command: "wallet swap-coldkey", OK: true, Coldkey: cold.SS58(), Height: info.Height, Scheduled: sw != nil, Swap: sw}
	if sw != nil && sw.ExecutionBlock > info.Height {
		out.BlocksLeft = sw.ExecutionBlock - info.Height
		out.SecondsLeft = out.BlocksLeft * info.TargetBlockTimeMs / 1000
	}
	return printJSONOr(o.f, out, func(w io.Writer) {
		for _, l := range swapStatusLines(sw, info) {
			fmt.Fprintf(w, "%-14s %s\n", l.Label+":", l.Value)
		}
	})
}

// swapStatusLines is a scheduled swap in words (wallet swap-coldkey --status, wallet overview).
func swapStatusLines(sw *protocol.ColdkeySwapInfo, info protocol.ChainInfo) []previewLine {
	if sw == nil {
		return []previewLine{{"coldkey swap", "none scheduled"}}
	}
	out := []previewLine{{"coldkey swap", "to " + sw.NewColdkey.SS58()}}
	switch {
	case sw.Failed:
		out = append(out, previewLine{"status", fmt.Sprintf("FAILED at block %d (the new coldkey held stake or was a hotkey); the coldkey is locked until it schedules again, from block %d", sw.ExecutionBlock, sw.RescheduleFrom)})
	case sw.ExecutionBlock > info.Height:
		left := sw.ExecutionBlock - info.Height
		out = append(out, previewLine{"executes", fmt.Sprintf("at block %d, in %d blocks (~%s); until then the coldkey can sign nothing else",
			sw.ExecutionBlock, left, time.Duration(left*info.TargetBlockTimeMs)*time.Millisecond)})
	default:
		out = append(out, previewLine{"executes", fmt.Sprintf("at block %d (now)", sw.ExecutionBlock)})
	}
	out = append(out, previewLine{"cost", tao(sw.Cost) + " (recycled at the swap)"})
	return out
}
