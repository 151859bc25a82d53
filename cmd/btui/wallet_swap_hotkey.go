package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
)

type walletSwapHotkeyOptions struct {
	f   *Factory
	ctx context.Context

	Wallet    string
	Hotkey    string
	NewHotkey string
	Password  passwordOptions
	Offline   offlineOptions
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
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
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
	if o.Offline.Offline {
		if nw == old {
			return usageErrorf("NEW_HOTKEY is the hotkey being swapped (%s): name another hotkey", nw)
		}
		return o.Offline.runOffline(o.ctx, "wallet swap-hotkey", o.Password, offlineTx{
			Title:  fmt.Sprintf("Swap hotkey %s to %s", old, nw),
			Signer: txSigner{wallet: o.Wallet, account: cold}, Call: protocol.SwapHotkey{Hotkey: old, NewHotkey: nw}})
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := ops.PlanSwapHotkey(s.ctx, s.c, ops.SwapHotkeyInput{Cold: cold, Hot: old, NewHotkey: nw})
	if err != nil {
		return opsErrAs(err, map[string]string{"Hot": "--wallet-hotkey"})
	}
	return runTx(s, fromOps(p).request("wallet swap-hotkey", coldkeyUnlock(f, o.Wallet, o.Password), nil))
}
