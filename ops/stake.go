package ops

import (
	"context"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// StakeInput is a stake or an unstake, resolved.
type StakeInput struct {
	Cold, Hot wallet.AccountID
	Netuid    uint16
	Amount    uint64 // rao of TAO to stake, or alpha to unstake; ignored with All
	All       bool   // stake: the whole free balance but the fee and the existential deposit; unstake: the whole position
	Trade     Trade
}

// StakePreview is the JSON preview of a stake.
type StakePreview struct {
	Coldkey      string `json:"coldkey"`
	Hotkey       string `json:"hotkey"`
	Fee          uint64 `json:"fee"`
	Balance      uint64 `json:"balance"`
	BalanceAfter uint64 `json:"balance_after"`
	Quote        Quote  `json:"quote"`
}

// UnstakePreview is the JSON preview of an unstake.
type UnstakePreview struct {
	StakePreview
	Stake      uint64 `json:"stake"`       // the position's alpha now
	StakeAfter uint64 `json:"stake_after"` // and after the unstake
}

// Market is what a trade on a subnet is quoted from: its row, its pool fee rate and the
// minimum pool reserve.
type Market struct {
	Subnet     protocol.SubnetInfo
	FeeRate    uint16
	MinReserve uint64
}

// TradingSubnet reads the market of netuid (one StakeView); an unknown subnet is
// KindNotFound about "Netuid", one that has not started a KindInput error.
func TradingSubnet(ctx context.Context, c chainclient.Client, netuid uint16) (Market, error) {
	snap, err := ReadStakeSnapshot(ctx, c, wallet.AccountID{}, []uint16{netuid}, []string{"Netuid"})
	if err != nil {
		return Market{}, err
	}
	return snap.Markets[0], nil
}

// PlanStakeAdd plans subtensor.add_stake: the quote (price, slippage, the limit price from the
// tolerance) and, for All, the amount from the balance, the fee and the existential deposit.
// The minimum stake, the balance and the existential deposit are the chain's rules, checked by
// its dry run. The market, the balance, the fee and the existential deposit are one StakeView
// (ReadStakeSnapshot), and the dry run runs right on top of it.
func PlanStakeAdd(ctx context.Context, c chainclient.Client, in StakeInput) (Plan, error) {
	return onOneSnapshot(func() (Plan, uint64, error) { return planStakeAdd(ctx, c, in) })
}

func planStakeAdd(ctx context.Context, c chainclient.Client, in StakeInput) (Plan, uint64, error) {
	snap, err := ReadStakeSnapshot(ctx, c, in.Cold, []uint16{in.Netuid}, []string{"Netuid"})
	if err != nil {
		return Plan{}, 0, err
	}
	m := snap.Markets[0]
	amount := in.Amount
	if in.All {
		keep := snap.TxFee + snap.ExistentialDeposit
		if snap.Free <= keep {
			return Plan{}, 0, inputf("Amount", "insufficient balance: %s has %s, not more than the fee and existential deposit (%s); nothing was submitted", in.Cold, tao(snap.Free), tao(keep))
		}
		amount = snap.Free - keep
	}
	if amount == 0 {
		return Plan{}, 0, inputf("Amount", "must be more than zero")
	}
	q, err := QuoteTrade(m.Subnet, m.FeeRate, m.MinReserve, amount, true, in.Trade)
	if err != nil {
		return Plan{}, 0, err
	}
	p := Plan{
		Title: fmt.Sprintf("Stake %s on %s in subnet %d", tao(amount), in.Hot, in.Netuid), Signer: in.Cold,
		Call: protocol.AddStake{Hotkey: in.Hot, Netuid: in.Netuid, Amount: amount, LimitPrice: q.LimitPrice, AllowPartial: in.Trade.AllowPartial},
	}
	if err := simulateTrade(ctx, c, &p, q); err != nil {
		return p, snap.Height, err
	}
	bal := change(p.Sim, in.Cold)
	pv := StakePreview{Coldkey: in.Cold.SS58(), Hotkey: in.Hot.SS58(), Fee: p.Sim.Receipt.Fee, Balance: bal.Before, BalanceAfter: bal.After, Quote: q}
	p.JSON = pv
	p.Lines = append([]Line{{"hotkey", in.Hot.SS58()}, {"subnet", fmt.Sprint(in.Netuid)}}, q.Lines()...)
	p.Lines = append(p.Lines, Line{"fee", tao(pv.Fee)}, balanceAfter(pv.BalanceAfter, pv.Balance))
	return p, snap.Height, nil
}

// PlanStakeRemove plans subtensor.remove_stake: the position (KindNotFound without one), the
// quote, and for All the whole position. The minimum stake of a partial unstake and the fee
// are the chain's rules, checked by its dry run. The market and the position are one
// StakeView, and the dry run runs right on top of it.
func PlanStakeRemove(ctx context.Context, c chainclient.Client, in StakeInput) (Plan, error) {
	return onOneSnapshot(func() (Plan, uint64, error) { return planStakeRemove(ctx, c, in) })
}

func planStakeRemove(ctx context.Context, c chainclient.Client, in StakeInput) (Plan, uint64, error) {
	snap, err := ReadStakeSnapshot(ctx, c, in.Cold, []uint16{in.Netuid}, []string{"Netuid"})
	if err != nil {
		return Plan{}, 0, err
	}
	m, have := snap.Markets[0], snap.Position(in.Hot, in.Netuid)
	if have == 0 {
		return Plan{}, 0, notFoundf("Hot", "%s has no stake on hotkey %s in subnet %d: the stake list shows the positions", in.Cold, in.Hot, in.Netuid)
	}
	amount := in.Amount
	if in.All {
		amount = have
	}
	if amount > have {
		return Plan{}, 0, inputf("Amount", "%s is more than the %s staked by %s on %s in subnet %d; nothing was submitted", alpha(amount), alpha(have), in.Cold, in.Hot, in.Netuid)
	}
	if amount == 0 {
		return Plan{}, 0, inputf("Amount", "must be more than zero")
	}
	q, err := QuoteTrade(m.Subnet, m.FeeRate, m.MinReserve, amount, false, in.Trade)
	if err != nil {
		return Plan{}, 0, err
	}
	p := Plan{
		Title: fmt.Sprintf("Unstake %s from %s in subnet %d", alpha(amount), in.Hot, in.Netuid), Signer: in.Cold,
		Call: protocol.RemoveStake{Hotkey: in.Hot, Netuid: in.Netuid, Amount: amount, LimitPrice: q.LimitPrice, AllowPartial: in.Trade.AllowPartial},
	}
	if err := simulateTrade(ctx, c, &p, q); err != nil {
		return p, snap.Height, err
	}
	bal := change(p.Sim, in.Cold)
	after := have
	for _, s := range p.Sim.Stakes {
		if s.Coldkey == in.Cold && s.Hotkey == in.Hot && s.Netuid == in.Netuid {
			after = s.After
		}
	}
	pv := UnstakePreview{StakePreview{Coldkey: in.Cold.SS58(), Hotkey: in.Hot.SS58(), Fee: p.Sim.Receipt.Fee, Balance: bal.Before,
		BalanceAfter: bal.After, Quote: q}, have, after}
	p.JSON = pv
	p.Lines = append([]Line{{"hotkey", in.Hot.SS58()}, {"subnet", fmt.Sprint(in.Netuid)}, {"position", alpha(have)}}, q.Lines()...)
	p.Lines = append(p.Lines, Line{"fee", tao(pv.Fee)}, balanceAfter(pv.BalanceAfter, pv.Balance))
	return p, snap.Height, nil
}

// StakeOf returns the alpha cold holds on (hot, netuid), 0 for none.
func StakeOf(ctx context.Context, c chainclient.Client, cold, hot wallet.AccountID, netuid uint16) (uint64, error) {
	st, err := c.StakesByColdkey(ctx, cold)
	if err != nil {
		return 0, chainErr(err)
	}
	for _, p := range st {
		if p.Hotkey == hot && p.Netuid == netuid {
			return p.Alpha, nil
		}
	}
	return 0, nil
}

func balanceAfter(after, now uint64) Line {
	return Line{"balance after", fmt.Sprintf("%s (now %s)", tao(after), tao(now))}
}
