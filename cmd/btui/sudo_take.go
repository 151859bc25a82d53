package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type sudoSetTakeOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	Take           string
	Direction      string // with --offline: "increase" or "decrease"
	Password       passwordOptions
	Offline        offlineOptions
}

func newCmdSudoSetTake(f *Factory, runF func(*sudoSetTakeOptions) error) *cobra.Command {
	opts := &sudoSetTakeOptions{f: f}
	cmd := &cobra.Command{
		Use:   "set-take",
		Short: "Set the delegate take of the wallet's hotkey",
		Long: `Set the take (the share of nominators' dividends the hotkey keeps) of the wallet's hotkey, as a
fraction: --take 0.09 is 9%. The owning coldkey signs. A decrease applies at once; an increase at
most once per take rate limit; both within the chain's [min_take, max_take].

JSON (--json): the transaction result (docs/json.md) with preview {"hotkey", "old", "new", "fee"}
(u16 takes, x/65535).`,
		Example: `  btui sudo set-take --take 0.1 --wallet-name val --yes`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if opts.Take == "" {
				return usageErrorf("--take is required: a fraction such as 0.09 (9%%)")
			}
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return sudoSetTakeRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Take, "take", "", "the new take as a fraction, 0 to 1")
	cmd.Flags().StringVar(&opts.Direction, "direction", "", "with --offline: `increase` or `decrease` (online it comes from the current take; subtensor has a call for each)")
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

func sudoSetTakeRun(o *sudoSetTakeOptions) error {
	v, err := parseDecimal(o.Take, 9)
	take, terr := ops.TakeFromFraction(v)
	if err != nil || terr != nil {
		return usageErrorf("--take %q must be a fraction from 0 to 1 (0.09 = 9%%)", o.Take)
	}
	if o.Offline.Offline {
		return sudoSetTakeOffline(o, take)
	}
	if o.Direction != "" {
		return usageErrorf("--direction is for signing with --offline; online it comes from the hotkey's current take: drop it (or add --offline)")
	}
	return runColdkeyPlan(o.ctx, o.f, o.Wallet, o.Password, "sudo set-take", func(s *chainSession, cold wallet.AccountID) (ops.Plan, error) {
		hot, err := hotkeyOf(o.f, o.Wallet, o.Hotkey)
		if err != nil {
			return ops.Plan{}, err
		}
		p, err := ops.PlanSetTake(s.ctx, s.c, ops.TakeInput{Cold: cold, Hot: hot, Take: take})
		return p, opsErr(err)
	})
}

type sudoGetTakeOptions struct {
	f      *Factory
	ctx    context.Context
	Wallet string
	Hotkey string
	Of     string
}

func newCmdSudoGetTake(f *Factory, runF func(*sudoGetTakeOptions) error) *cobra.Command {
	opts := &sudoGetTakeOptions{f: f}
	cmd := &cobra.Command{
		Use:   "get-take",
		Short: "Show the delegate take of a hotkey",
		Long: `Show the take of the wallet's hotkey, or of --hotkey-ss58 (any address form).

JSON (--json): {"hotkey", "owner", "take" (u16, x/65535), "take_ppm", "nominators"}.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return sudoGetTakeRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Of, "hotkey-ss58", "", "the hotkey (default: the wallet's)")
	return cmd
}

type takeJSON struct {
	Hotkey     wallet.AccountID `json:"hotkey"`
	Owner      wallet.AccountID `json:"owner"`
	Take       uint16           `json:"take"`
	TakePPM    uint64           `json:"take_ppm"`
	Nominators int              `json:"nominators"`
}

func sudoGetTakeRun(o *sudoGetTakeOptions) error {
	var (
		hot wallet.AccountID
		err error
	)
	if o.Of != "" {
		hot, err = resolveAccount(o.f, "--hotkey-ss58", o.Of, roleHotkey)
	} else {
		hot, err = hotkeyOf(o.f, o.Wallet, o.Hotkey)
	}
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := s.requireHotkeyOnChain(hot)
	if err != nil {
		return err
	}
	out := takeJSON{Hotkey: hot, Owner: d.Owner, Take: d.Take, TakePPM: uint64(d.Take) * 1_000_000 / 65535, Nominators: d.Nominators}
	return printJSONOr(o.f, out, func(w io.Writer) {
		fmt.Fprintf(w, "hotkey %s  owner %s  take %s%%  nominators %d\n", hot, d.Owner, formatDecimal(out.TakePPM, 4), d.Nominators)
	})
}

// sudoSetTakeOffline is `btui sudo set-take --offline`: increase_take or decrease_take (by
// --direction, which online comes from the current take) from the flags alone, signed by the
// coldkey.
func sudoSetTakeOffline(o *sudoSetTakeOptions, take uint16) error {
	var current uint16 // a take on the other side of the new one, so the mapping picks --direction's call
	switch strings.ToLower(strings.TrimSpace(o.Direction)) {
	case "":
		return offlineRefuse("set-take without --direction", "whether it is subtensor's increase_take or decrease_take depends on the current take",
			"give --direction increase or --direction decrease")
	case "increase":
		if take == 0 {
			return usageErrorf("--take 0 with --direction increase: no take is below 0; use --direction decrease")
		}
		current = take - 1
	case "decrease":
		if take == 65535 {
			return usageErrorf("--take 1 with --direction decrease: no take is above 1; use --direction increase")
		}
		current = take + 1
	default:
		return usageErrorf("--direction %q: give increase or decrease", o.Direction)
	}
	sg, hot, err := coldkeySignerFor(o.f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	return o.Offline.runOffline(o.ctx, "sudo set-take", o.Password, offlineTx{
		Title:   fmt.Sprintf("%s the take of %s to %s", strings.ToUpper(o.Direction[:1])+strings.ToLower(o.Direction[1:]), hot, ops.TakeFraction(take)),
		Signer:  sg,
		Call:    protocol.SetTake{Hotkey: hot, Take: take},
		Context: chainclient.CallContext{CurrentTake: func(wallet.AccountID) (uint16, error) { return current, nil }},
	})
}
