package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type stakeRemoveOptions struct {
	f   *Factory
	ctx context.Context

	Wallet   string
	Hotkey   string
	Netuid   uint16
	Amount   string
	All      bool
	Trade    tradeOptions
	Password passwordOptions
	Offline  offlineOptions
}

func newCmdStakeRemove(f *Factory, runF func(*stakeRemoveOptions) error) *cobra.Command {
	opts := &stakeRemoveOptions{f: f}
	cmd := &cobra.Command{
		Use:     "remove",
		Aliases: []string{"unstake"},
		Short:   "Unstake alpha from a hotkey in a subnet, selling it for TAO",
		Long: `Unstake --amount alpha (or --all of the position) of the wallet's coldkey from a hotkey
(--hotkey-ss58, default the wallet's hotkey) in subnet --netuid, selling it to the subnet's pool
for TAO. On root (netuid 0) the amount is TAO, 1:1.

JSON (--json): the transaction result (docs/json.md) with preview {"coldkey", "hotkey", "fee",
"balance", "balance_after", "quote": Quote, "stake", "stake_after"} and after {"stake", "free"}.`,
		Example: `  btui stake remove --netuid 1 --amount 2.5 --wallet-name alice --yes
  btui stake remove --netuid 1 --all --hotkey-ss58 //Bob --unsafe`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet to unstake from"); err != nil {
				return err
			}
			if err := checkStakeTrade(cmd, opts.Amount, opts.All, &opts.Trade, opts.Offline.Offline); err != nil {
				return err
			}
			opts.ctx, opts.Wallet = cmd.Context(), f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return stakeRemoveRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	cmd.Flags().StringVar(&opts.Amount, "amount", "", "alpha to unstake, up to 9 decimals")
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "unstake the whole position")
	stakeHotkeyFlag(cmd, &opts.Hotkey)
	addTradeFlags(cmd, &opts.Trade)
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

type stakeRemovePreviewJSON = ops.UnstakePreview

func stakeRemoveRun(o *stakeRemoveOptions) error {
	f := o.f
	if o.Offline.Offline {
		return stakeRemoveOffline(o)
	}
	amount, err := amountOrAll(o.Amount, o.All) // the input first, then the wallet
	if err != nil {
		return err
	}
	cold, hot, err := stakeAccounts(f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := planStakeRemove(s, stakeRemoveInput{Cold: cold, Hot: hot, Netuid: o.Netuid, Amount: amount, All: o.All, Trade: o.Trade})
	if err != nil {
		return err
	}
	return runTx(s, p.request("stake remove", coldkeyUnlock(f, o.Wallet, o.Password),
		func(*protocol.TxInfo) (any, []previewLine, error) { return s.positionAfter(cold, hot, o.Netuid) }))
}

// stakeRemoveInput is what `btui stake remove` and the console's unstake form ask for.
type stakeRemoveInput struct {
	Cold, Hot wallet.AccountID
	Netuid    uint16
	Amount    uint64 // alpha; ignored with All
	All       bool   // the whole position
	Trade     tradeOptions
}

// planStakeRemove is ops.PlanStakeRemove in the command's words: the one preparation of
// `btui stake remove` and the console's unstake form.
func planStakeRemove(s *chainSession, in stakeRemoveInput) (txPlan, error) {
	p, err := ops.PlanStakeRemove(s.ctx, s.c, ops.StakeInput{Cold: in.Cold, Hot: in.Hot, Netuid: in.Netuid, Amount: in.Amount, All: in.All, Trade: in.Trade.trade()})
	return fromOps(p), opsErr(err)
}

// stakeRemoveOffline is `btui stake remove --offline`: remove_stake (--unsafe) or
// remove_stake_limit (--limit-price) from the flags alone.
func stakeRemoveOffline(o *stakeRemoveOptions) error {
	amount, limit, sg, hot, err := stakeOfflineArgs(o.f, o.Wallet, o.Hotkey, o.Amount, o.All, "the position to unstake", o.Trade)
	if err != nil {
		return err
	}
	return o.Offline.runOffline(o.ctx, "stake remove", o.Password, offlineTx{
		Title:  fmt.Sprintf("Unstake %s from %s in subnet %d", alphaAmount(amount), hot, o.Netuid),
		Signer: sg, Call: protocol.RemoveStake{Hotkey: hot, Netuid: o.Netuid, Amount: amount, LimitPrice: limit, AllowPartial: o.Trade.AllowPartial},
	})
}
