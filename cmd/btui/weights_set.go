package main

import (
	"context"
	"fmt"

	"github.com/btui/btui/localchain"
	"github.com/spf13/cobra"
)

type weightsSetOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	In             weightsInput
	Password       passwordOptions
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
	addTxFlags(cmd, &opts.Password)
	return cmd
}

func weightsSetRun(o *weightsSetOptions) error {
	v, err := parseWeights(o.In)
	if err != nil {
		return err
	}
	hot, err := hotkeyOf(o.f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	vk, err := weightsPreflight(s, "set", o.In, v, hot)
	if err != nil {
		return err
	}
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	free, err := s.free(hot)
	if err != nil {
		return err
	}
	if err := needFunds(hot, free, 0, info.TxFee, "setting weights (the hotkey pays the fee)"); err != nil {
		return err
	}
	pv := weightsPreviewJSON{Netuid: o.In.Netuid, Hotkey: hot.SS58(), Uids: v.Uids, Values: v.Values, VersionKey: vk, Fee: info.TxFee}
	return runTx(s, txRequest{
		Command: "weights set", Title: fmt.Sprintf("Set weights of %s on subnet %d", hot, o.In.Netuid), Signer: hot,
		Call:        localchain.SetWeights{Netuid: o.In.Netuid, Uids: v.Uids, Values: v.Values, VersionKey: vk},
		Preview:     append(weightsLines(v), previewLine{"version key", fmt.Sprint(vk)}, previewLine{"fee", tao(info.TxFee)}),
		PreviewJSON: pv,
		Unlock:      hotkeyUnlock(o.f, o.Wallet, o.Hotkey, o.Password),
	})
}
