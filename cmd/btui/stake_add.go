package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type stakeAddOptions struct {
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

func newCmdStakeAdd(f *Factory, runF func(*stakeAddOptions) error) *cobra.Command {
	opts := &stakeAddOptions{f: f}
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Stake TAO on a hotkey in a subnet",
		Long: `Stake --amount TAO (or --all of the free balance but the fee) of the wallet's coldkey on a hotkey
(--hotkey-ss58, default the wallet's hotkey) in subnet --netuid, buying alpha from the subnet's
pool (root, netuid 0, stakes TAO 1:1). Staking on someone else's hotkey nominates it.

JSON (--json): the transaction result (docs/json.md) with preview {"coldkey", "hotkey", "fee",
"balance", "balance_after", "quote": Quote} and after {"stake", "free"}.`,
		Example: `  btui stake add --netuid 1 --amount 10 --wallet-name alice --yes
  btui stake add --netuid 1 --amount 5 --hotkey-ss58 //Bob --tolerance 0.01`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet to stake in"); err != nil {
				return err
			}
			if err := checkStakeTrade(cmd, opts.Amount, opts.All, &opts.Trade, opts.Offline.Offline); err != nil {
				return err
			}
			opts.ctx, opts.Wallet = cmd.Context(), f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return stakeAddRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	cmd.Flags().StringVar(&opts.Amount, "amount", "", "TAO to stake, up to 9 decimals")
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "stake the whole free balance minus the fee and the existential deposit")
	stakeHotkeyFlag(cmd, &opts.Hotkey)
	addTradeFlags(cmd, &opts.Trade)
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

type stakeTradePreviewJSON = ops.StakePreview

func stakeAddRun(o *stakeAddOptions) error {
	f := o.f
	if o.Offline.Offline {
		return stakeAddOffline(o)
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
	p, err := planStakeAdd(s, stakeAddInput{Cold: cold, Hot: hot, Netuid: o.Netuid, Amount: amount, All: o.All, Trade: o.Trade})
	if err != nil {
		return err
	}
	return runTx(s, p.request("stake add", coldkeyUnlock(f, o.Wallet, o.Password),
		func(*protocol.TxInfo) (any, []previewLine, error) { return s.positionAfter(cold, hot, o.Netuid) }))
}

// stakeAddInput is what `btui stake add` and the console's stake form ask for.
type stakeAddInput struct {
	Cold, Hot wallet.AccountID
	Netuid    uint16
	Amount    uint64 // rao; ignored with All
	All       bool   // the whole free balance but the fee and the existential deposit
	Trade     tradeOptions
}

// planStakeAdd is ops.PlanStakeAdd in the command's words: the one preparation of
// `btui stake add` and the console's stake form.
func planStakeAdd(s *chainSession, in stakeAddInput) (txPlan, error) {
	p, err := ops.PlanStakeAdd(s.ctx, s.c, ops.StakeInput{Cold: in.Cold, Hot: in.Hot, Netuid: in.Netuid, Amount: in.Amount, All: in.All, Trade: in.Trade.trade()})
	return fromOps(p), opsErr(err)
}

// stakeAddOffline is `btui stake add --offline`: add_stake (--unsafe) or add_stake_limit
// (--limit-price) from the flags alone.
func stakeAddOffline(o *stakeAddOptions) error {
	amount, limit, sg, hot, err := stakeOfflineArgs(o.f, o.Wallet, o.Hotkey, o.Amount, o.All, "the free balance to stake", o.Trade)
	if err != nil {
		return err
	}
	return o.Offline.runOffline(o.ctx, "stake add", o.Password, offlineTx{
		Title:  fmt.Sprintf("Stake %s on %s in subnet %d", tao(amount), hot, o.Netuid),
		Signer: sg, Call: protocol.AddStake{Hotkey: hot, Netuid: o.Netuid, Amount: amount, LimitPrice: limit, AllowPartial: o.Trade.AllowPartial},
	})
}
