package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/wallet"
)

type sudoSetTakeOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	Take           string
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
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

func sudoSetTakeRun(o *sudoSetTakeOptions) error {
	v, err := parseDecimal(o.Take, 9)
	take, terr := ops.TakeFromFraction(v)
	if err != nil || terr != nil {
		return usageErrorf("--take %q must be a fraction from 0 to 1 (0.09 = 9%%)", o.Take)
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
