package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
)

type subnetsPowRegisterOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	Netuid         uint16
	Timeout        time.Duration
	Password       passwordOptions
	Offline        offlineOptions
}

func newCmdSubnetsPowRegister(f *Factory, runF func(*subnetsPowRegisterOptions) error) *cobra.Command {
	opts := &subnetsPowRegisterOptions{f: f}
	cmd := &cobra.Command{
		Use:   "pow-register",
		Short: "Register the wallet's hotkey on a subnet with proof of work",
		Long: `Solve the subnet's proof of work for the newest block and the wallet's hotkey, then register
(no burn; only the transaction fee). On a terminal a progress bar shows hashes, the hash rate and
the elapsed time. The work is valid for 3 blocks: when the chain moves on first, solving starts
over on the new block. --timeout bounds the search.

JSON (--json): the transaction result (docs/json.md) with preview {"netuid", "hotkey",
"coldkey", "difficulty", "block", "nonce", "hashes", "seconds", "fee"} and after {"uid"}.`,
		Example: `  btui subnets pow-register --netuid 1 --wallet-name miner --yes`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet to register on"); err != nil {
				return err
			}
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return subnetsPowRegisterRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "give up solving after this long")
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

type powPreviewJSON = ops.PowPreview

// subnetsPowRegisterRun plans the registration (ops.PlanPowRegister: everything but the work,
// checked by the chain's dry run), solves the work within --timeout (ops.SolvePow, which
// dry-runs the solved call) and then confirms, signs and submits it.
func subnetsPowRegisterRun(o *subnetsPowRegisterOptions) error {
	if o.Offline.Offline {
		return offlineRefuse("subnets pow-register", "its proof of work seals the hash of a block only minutes old, which only the chain gives",
			"register by burning with btui subnets register --offline, or run pow-register on a machine with a network")
	}
	cold, hot, err := walletAccounts(o.f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := ops.PlanPowRegister(s.ctx, s.c, ops.PowRegisterInput{Cold: cold, Hot: hot, Netuid: o.Netuid})
	if err != nil {
		return opsErr(err)
	}
	var progress func(hashes, expected uint64, elapsed time.Duration, done bool)
	if o.f.IO.IsStdoutTTY() && !o.f.Opts.JSON {
		progress = func(hashes, expected uint64, elapsed time.Duration, done bool) {
			powProgress(o.f, hashes, expected, elapsed)
			if done {
				fmt.Fprintln(o.f.IO.ErrOut)
			}
		}
	}
	ctx, cancel := context.WithTimeout(s.ctx, o.Timeout)
	defer cancel()
	p, err = ops.SolvePow(ctx, s.c, p, progress)
	var stopped *ops.PowStopped
	if errors.As(err, &stopped) && errors.Is(err, context.DeadlineExceeded) && s.ctx.Err() == nil {
		return fmt.Errorf("no proof of work found within --timeout %s (%d hashes at difficulty %d): try again or use btui subnets register", o.Timeout, stopped.Hashes, stopped.Difficulty)
	}
	if errors.As(err, &stopped) {
		return stopped.Err
	}
	if err != nil {
		return opsErr(err)
	}
	return runTx(s, fromOps(p).request("subnets pow-register", coldkeyUnlock(o.f, o.Wallet, o.Password), uidAfter))
}

// powProgress draws one line of the PoW progress bar on stderr: the bar follows the expected
// number of hashes (the difficulty), capped below 100% until a seal is found.
func powProgress(f *Factory, hashes, expected uint64, elapsed time.Duration) {
	const width = 30
	fill := width
	if hashes < expected {
		fill = int(hashes * width / max(expected, 1))
		fill = min(fill, width-1)
	}
	rate := float64(hashes) / max(elapsed.Seconds(), 1e-9) // display only
	fmt.Fprintf(f.IO.ErrOut, "\r[%s%s] %d hashes  %.1f kH/s  %s ", strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
		hashes, rate/1000, elapsed.Round(100*time.Millisecond))
}
