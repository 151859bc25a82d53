package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

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

// planStakeAdd checks a stake (a started subnet, the hotkey on chain, the balance, the
// existential deposit left, the minimum stake) and quotes it: the one preparation of
// `btui stake add` and the console's stake form.
func planStakeAdd(s *chainSession, in stakeAddInput) (txPlan, error) {
	cold, hot, amount := in.Cold, in.Hot, in.Amount
	si, feeRate, reserve, err := s.tradingSubnet(in.Netuid)
	if err != nil {
		return txPlan{}, err
	}
	if _, err := s.requireHotkeyOnChain(hot); err != nil {
		return txPlan{}, err
	}
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return txPlan{}, chainErr(err)
	}
	free, err := s.free(cold)
	if err != nil {
		return txPlan{}, err
	}
	if in.All {
		keep := info.TxFee + info.ExistentialDeposit
		if free <= keep {
			return txPlan{}, usageErrorf("insufficient balance: %s has %s, not more than the fee and existential deposit (%s); nothing was submitted", cold, tao(free), tao(keep))
		}
		amount = free - keep
	}
	if err := needFunds(cold, free, amount, info.TxFee, "the stake"); err != nil {
		return txPlan{}, err
	}
	if left := free - info.TxFee - amount; left < info.ExistentialDeposit {
		return txPlan{}, usageErrorf("staking %s would leave %s with %s, below the existential deposit of %s: stake less (or --all); nothing was submitted",
			tao(amount), cold, tao(left), tao(info.ExistentialDeposit))
	}
	if ms, err := s.minStake(); err != nil {
		return txPlan{}, err
	} else if amount < ms {
		return txPlan{}, usageErrorf("%s is below the minimum stake of %s; nothing was submitted", tao(amount), tao(ms))
	}
	q, err := quoteTrade(si, feeRate, reserve, amount, true, in.Trade)
	if err != nil {
		return txPlan{}, err
	}
	pv := stakeTradePreviewJSON{Coldkey: cold.SS58(), Hotkey: hot.SS58(), Fee: info.TxFee, Balance: free,
		BalanceAfter: free - info.TxFee - (amount - q.Refund), Quote: q}
	lines := append([]previewLine{{"hotkey", hot.SS58()}, {"subnet", fmt.Sprint(in.Netuid)}}, quoteLines(q)...)
	lines = append(lines, previewLine{"fee", tao(info.TxFee)}, balanceAfterLine(pv.BalanceAfter, free))
	return txPlan{
		Title: fmt.Sprintf("Stake %s on %s in subnet %d", tao(amount), hot, in.Netuid), Signer: cold,
		Call:        protocol.AddStake{Hotkey: hot, Netuid: in.Netuid, Amount: amount, LimitPrice: q.LimitPrice, AllowPartial: in.Trade.AllowPartial},
		Preview:     lines,
		PreviewJSON: pv,
	}, nil
}
