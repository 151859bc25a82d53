package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type weightsSetOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	In             weightsInput
	Password       passwordOptions
	Offline        offlineOptions
}

func newCmdWeightsSet(f *Factory, runF func(*weightsSetOptions) error) *cobra.Command {
	opts := &weightsSetOptions{f: f}
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Set the wallet hotkey's weights on a subnet",
		Long: `Set the weights of the wallet's hotkey (it signs) on subnet --netuid: --weights[i] for
--uids[i]. Weights are exact decimals, normalised so the largest is 65535 (the preview shows the
u16 values and their shares). Refused client-side: duplicate uids, a length mismatch, unknown
uids, all-zero weights, a version key below the subnet's.

JSON (--json): the transaction result (docs/json.md) with preview {"netuid", "hotkey", "uids",
"values", "version_key", "fee"}.`,
		Example: `  btui weights set --netuid 1 --uids 1,2 --weights 0.7,0.3 --wallet-name val --yes`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := opts.In.check(cmd); err != nil {
				return err
			}
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return weightsSetRun(opts)
		},
	}
	addWeightsFlags(cmd, &opts.In)
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

func weightsSetRun(o *weightsSetOptions) error {
	v, err := parseWeights(o.In)
	if err != nil {
		return err
	}
	if o.Offline.Offline {
		vk, sg, err := weightsOfflineSigner(o.f, o.Wallet, o.Hotkey, o.In)
		if err != nil {
			return err
		}
		return o.Offline.runOffline(o.ctx, "weights set", o.Password, offlineTx{
			Title:  fmt.Sprintf("Set weights of %s on subnet %d", sg.account, o.In.Netuid),
			Signer: sg, Call: protocol.SetWeights{Netuid: o.In.Netuid, Uids: v.Uids, Values: v.Values, VersionKey: vk},
		})
	}
	t, err := prepareWeightsTx(o.ctx, o.f, "set", o.Wallet, o.Hotkey, o.In, v)
	if err != nil {
		return err
	}
	defer t.s.Close()
	p, err := t.planSet()
	if err != nil {
		return err
	}
	return runTx(t.s, p.request("weights set", hotkeyUnlock(o.f, o.Wallet, o.Hotkey, o.Password), nil))
}
