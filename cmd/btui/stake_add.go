package main

import (
	"context"
	"fmt"

	"github.com/btui/btui/localchain"
	"github.com/spf13/cobra"
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
			if err := checkStakeTrade(cmd, opts.Amount, opts.All, &opts.Trade); err != nil {
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
	addTxFlags(cmd, &opts.Password)
	return cmd
}

type stakeTradePreviewJSON struct {
	Coldkey      string    `json:"coldkey"`
	Hotkey       string    `json:"hotkey"`
	Fee          uint64    `json:"fee"`
	Balance      uint64    `json:"balance"`
	BalanceAfter uint64    `json:"balance_after"`
	Quote        quoteJSON `json:"quote"`
}

func stakeAddRun(o *stakeAddOptions) error {
	f := o.f
	cold, hot, err := stakeAccounts(f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	amount, err := amountOrAll(o.Amount, o.All)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	si, feeRate, reserve, err := s.tradingSubnet(o.Netuid)
	if err != nil {
		return err
	}
	if _, err := s.requireHotkeyOnChain(hot); err != nil {
		return err
	}
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	free, err := s.free(cold)
	if err != nil {
		return err
	}
	if o.All {
		keep := info.TxFee + info.ExistentialDeposit
		if free <= keep {
			return usageErrorf("insufficient balance: %s has %s, not more than the fee and existential deposit (%s); nothing was submitted", cold, tao(free), tao(keep))
		}
		amount = free - keep
	}
	if err := needFunds(cold, free, amount, info.TxFee, "the stake"); err != nil {
		return err
	}
	if left := free - info.TxFee - amount; left < info.ExistentialDeposit {
		return usageErrorf("staking %s would leave %s with %s, below the existential deposit of %s: stake less (or --all); nothing was submitted",
			tao(amount), cold, tao(left), tao(info.ExistentialDeposit))
	}
	if ms, err := s.minStake(); err != nil {
		return err
	} else if amount < ms {
		return usageErrorf("%s is below the minimum stake of %s; nothing was submitted", tao(amount), tao(ms))
	}
	q, err := quoteTrade(si, feeRate, reserve, amount, true, o.Trade)
	if err != nil {
		return err
	}
	pv := stakeTradePreviewJSON{Coldkey: cold.SS58(), Hotkey: hot.SS58(), Fee: info.TxFee, Balance: free,
		BalanceAfter: free - info.TxFee - (amount - q.Refund), Quote: q}
	lines := append([]previewLine{{"hotkey", hot.SS58()}, {"subnet", fmt.Sprint(o.Netuid)}}, quoteLines(q)...)
	lines = append(lines, previewLine{"fee", tao(info.TxFee)}, balanceAfterLine(pv.BalanceAfter, free))
	return runTx(s, txRequest{
		Command: "stake add", Title: fmt.Sprintf("Stake %s on %s in subnet %d", tao(amount), hot, o.Netuid), Signer: cold,
		Call:        localchain.AddStake{Hotkey: hot, Netuid: o.Netuid, Amount: amount, LimitPrice: q.LimitPrice, AllowPartial: o.Trade.AllowPartial},
		Preview:     lines,
		PreviewJSON: pv,
		Unlock:      coldkeyUnlock(f, o.Wallet, o.Password),
		After:       func(*localchain.TxInfo) (any, []previewLine, error) { return s.positionAfter(cold, hot, o.Netuid) },
	})
}
