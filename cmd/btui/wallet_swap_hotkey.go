package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type walletSwapHotkeyOptions struct {
	f   *Factory
	ctx context.Context

	Wallet    string
	Hotkey    string
	NewHotkey string
	Password  passwordOptions
}

func newCmdWalletSwapHotkey(f *Factory, runF func(*walletSwapHotkeyOptions) error) *cobra.Command {
	opts := &walletSwapHotkeyOptions{f: f}
	cmd := &cobra.Command{
		Use:   "swap-hotkey NEW_HOTKEY",
		Short: "Move a hotkey's uids, stake, take and axons to a new hotkey",
		Long: `Move everything of the wallet's hotkey (--wallet-hotkey) — its uids on every subnet, the stake on
it, its take and axons — to NEW_HOTKEY (a hotkey name of the same wallet, wallet/hotkey, an SS58
address or a dev name). The coldkey that owns the hotkey signs. NEW_HOTKEY must be unused on
the chain.

JSON (--json): the transaction result (docs/json.md) with preview {"coldkey", "hotkey",
"new_hotkey", "fee", "registered"}.`,
		Example: `  btui wallet swap-hotkey miner2 --wallet-name alice --wallet-hotkey miner1`,
		Args:    usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			opts.ctx, opts.Wallet, opts.Hotkey, opts.NewHotkey = cmd.Context(), f.WalletName(), f.HotkeyName(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return walletSwapHotkeyRun(opts)
		},
	}
	addTxFlags(cmd, &opts.Password)
	return cmd
}

type swapHotkeyPreviewJSON struct {
	Coldkey    string   `json:"coldkey"`
	Hotkey     string   `json:"hotkey"`
	NewHotkey  string   `json:"new_hotkey"`
	Fee        uint64   `json:"fee"`
	Registered []uint16 `json:"registered"`
}

func walletSwapHotkeyRun(o *walletSwapHotkeyOptions) error {
	f := o.f
	cold, old, err := walletAccounts(f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	nw, err := resolveAccount(f, "NEW_HOTKEY", o.NewHotkey, roleHotkey)
	if err != nil {
		return err
	}
	if nw == old {
		return usageErrorf("NEW_HOTKEY is the hotkey itself (%s): pick another", old)
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	dels, err := s.m.Delegates(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	pv := swapHotkeyPreviewJSON{Coldkey: cold.SS58(), Hotkey: old.SS58(), NewHotkey: nw.SS58(), Fee: info.TxFee, Registered: []uint16{}}
	found := false
	for _, d := range dels {
		switch d.Hotkey {
		case old:
			found = true
			if d.Owner != cold {
				return usageErrorf("hotkey %s belongs to coldkey %s, not to wallet %q (%s); nothing was submitted", old, d.Owner, o.Wallet, cold)
			}
			pv.Registered = d.Registered
		case nw:
			return usageErrorf("the new hotkey %s is already in use on the chain: pick an unused hotkey; nothing was submitted", nw)
		}
	}
	if !found {
		return withCode(ExitNotFound, fmt.Errorf("hotkey %s is not on the chain (never registered or staked to): there is nothing to swap", old))
	}
	if _, err := s.coverFee(cold, info.TxFee, "the swap"); err != nil {
		return err
	}
	return runTx(s, txRequest{
		Command: "wallet swap-hotkey",
		Title:   fmt.Sprintf("Swap hotkey %s to %s", old, nw),
		Signer:  cold,
		Call:    protocol.SwapHotkey{Hotkey: old, NewHotkey: nw},
		Preview: []previewLine{
			{"coldkey", cold.SS58()},
			{"subnets", fmt.Sprint(pv.Registered)},
			{"fee", tao(info.TxFee)},
		},
		PreviewJSON: pv,
		Unlock:      coldkeyUnlock(f, o.Wallet, o.Password),
	})
}
