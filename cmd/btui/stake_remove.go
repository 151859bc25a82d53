package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

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
			if err := checkStakeTrade(cmd, opts.Amount, opts.All, &opts.Trade); err != nil {
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
	addTxFlags(cmd, &opts.Password)
	return cmd
}

type stakeRemovePreviewJSON struct {
	stakeTradePreviewJSON
	Stake      uint64 `json:"stake"`
	StakeAfter uint64 `json:"stake_after"`
}

func stakeRemoveRun(o *stakeRemoveOptions) error {
	f := o.f
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

// planStakeRemove checks an unstake (a started subnet, the position, the fee, the minimum
// stake for a partial unstake) and quotes it: the one preparation of `btui stake remove` and
// the console's unstake form.
func planStakeRemove(s *chainSession, in stakeRemoveInput) (txPlan, error) {
	cold, hot, amount := in.Cold, in.Hot, in.Amount
	si, feeRate, reserve, err := s.tradingSubnet(in.Netuid)
	if err != nil {
		return txPlan{}, err
	}
	have, err := s.stakePosition(cold, hot, in.Netuid)
	if err != nil {
		return txPlan{}, err
	}
	if in.All {
		amount = have
	}
	if amount > have {
		return txPlan{}, usageErrorf("--amount %s is more than the %s staked by %s on %s in subnet %d; nothing was submitted", alphaAmount(amount), alphaAmount(have), cold, hot, in.Netuid)
	}
	fee, free, err := s.payFee(cold, "the unstake")
	if err != nil {
		return txPlan{}, err
	}
	q, err := quoteTrade(si, feeRate, reserve, amount, false, in.Trade)
	if err != nil {
		return txPlan{}, err
	}
	if ms, err := s.minStake(); err != nil {
		return txPlan{}, err
	} else if amount < have && q.ExpectedOut < ms {
		return txPlan{}, usageErrorf("unstaking %s gives about %s, below the minimum stake of %s: unstake more, or all of it (--all); nothing was submitted",
			alphaAmount(amount), tao(q.ExpectedOut), tao(ms))
	}
	pv := stakeRemovePreviewJSON{stakeTradePreviewJSON{Coldkey: cold.SS58(), Hotkey: hot.SS58(), Fee: fee, Balance: free,
		BalanceAfter: free - fee + q.ExpectedOut, Quote: q}, have, have - (amount - q.Refund)}
	lines := append([]previewLine{{"hotkey", hot.SS58()}, {"subnet", fmt.Sprint(in.Netuid)}, {"position", alphaAmount(have)}}, quoteLines(q)...)
	lines = append(lines, previewLine{"fee", tao(fee)}, balanceAfterLine(pv.BalanceAfter, free))
	return txPlan{
		Title: fmt.Sprintf("Unstake %s from %s in subnet %d", alphaAmount(amount), hot, in.Netuid), Signer: cold,
		Call:        protocol.RemoveStake{Hotkey: hot, Netuid: in.Netuid, Amount: amount, LimitPrice: q.LimitPrice, AllowPartial: in.Trade.AllowPartial},
		Preview:     lines,
		PreviewJSON: pv,
	}, nil
}
