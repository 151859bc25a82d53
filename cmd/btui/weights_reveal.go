package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type weightsRevealOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	In             weightsInput
	Salt           string
	Password       passwordOptions
	Offline        offlineOptions
}

func newCmdWeightsReveal(f *Factory, runF func(*weightsRevealOptions) error) *cobra.Command {
	opts := &weightsRevealOptions{f: f}
	cmd := &cobra.Command{
		Use:   "reveal",
		Short: "Reveal committed weights",
		Long: `Reveal weights committed with btui weights commit: the same --uids, --weights, --salt and
--version-key, in the commit's reveal epoch.

JSON (--json): the transaction result (docs/json.md) with preview {"netuid", "hotkey", "uids",
"values", "version_key", "fee", "salt", "commit_hash"}.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := opts.In.check(cmd); err != nil {
				return err
			}
			if opts.Salt == "" {
				return usageErrorf("--salt is required: the salt printed by btui weights commit")
			}
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return weightsRevealRun(opts)
		},
	}
	addWeightsFlags(cmd, &opts.In)
	cmd.Flags().StringVar(&opts.Salt, "salt", "", "the comma-separated u16 salt of the commit")
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

func weightsRevealRun(o *weightsRevealOptions) error {
	v, err := parseWeights(o.In)
	if err != nil {
		return err
	}
	salt, err := parseU16List("--salt", o.Salt)
	if err != nil {
		return err
	}
	if o.Offline.Offline {
		vk, sg, err := weightsOfflineSigner(o.f, o.Wallet, o.Hotkey, o.In)
		if err != nil {
			return err
		}
		return o.Offline.runOffline(o.ctx, "weights reveal", o.Password, offlineTx{
			Title:  fmt.Sprintf("Reveal weights of %s on subnet %d", sg.account, o.In.Netuid),
			Signer: sg, Call: protocol.RevealWeights{Netuid: o.In.Netuid, Uids: v.Uids, Values: v.Values, Salt: salt, VersionKey: vk},
		})
	}
	t, err := prepareWeightsTx(o.ctx, o.f, "reveal", o.Wallet, o.Hotkey, o.In, v)
	if err != nil {
		return err
	}
	defer t.s.Close()
	p, err := t.planReveal(salt)
	if err != nil {
		return err
	}
	return runTx(t.s, p.request("weights reveal", hotkeyUnlock(o.f, o.Wallet, o.Hotkey, o.Password), nil))
}
