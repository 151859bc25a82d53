package ops

import (
	"context"
	"errors"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// StakeMoveInput is a move of stake to another hotkey and/or subnet, same coldkey, resolved.
type StakeMoveInput struct {
	Cold, Hot  wallet.AccountID // the origin position's owner (the signer) and hotkey
	DestHot    wallet.AccountID // the hotkey the stake goes to (Hot for a move between subnets)
	Origin     uint16           // the position's subnet
	DestNetuid uint16           // the subnet the stake goes to (Origin within one subnet)
	Amount     uint64           // alpha; ignored with All
	All        bool             // the whole position
	// Trade guards the sale on the origin pool when the subnets differ: move_stake takes no
	// limit price, so the tolerance is checked against the quote's price impact before
	// submitting (Unsafe skips it).
	Trade Trade
}

// StakeMovePreview is the JSON preview of a stake move (docs/json.md).
type StakeMovePreview struct {
	Coldkey      string `json:"coldkey"`
	OriginHotkey string `json:"origin_hotkey"`
	DestHotkey   string `json:"dest_hotkey"`
	DestColdkey  string `json:"dest_coldkey"`
	OriginNetuid uint16 `json:"origin_netuid"`
	DestNetuid   uint16 `json:"dest_netuid"`
	Amount       uint64 `json:"amount"`
	Stake        uint64 `json:"stake"` // the origin position's alpha now
	Fee          uint64 `json:"fee"`
	Sell         *Quote `json:"sell"` // the sale on the origin pool (nil within one subnet)
	Buy          *Quote `json:"buy"`  // the purchase on the destination pool (nil within one subnet)
}

// PlanStakeMove plans subtensor.move_stake: the position (KindNotFound about "Hot" without
// one), the amount (All: the whole position), both subnets' markets and, across subnets, the
// quotes of both legs and the tolerance against the sale's price impact. The destination
// hotkey, the minimum stake, the fee and the nominator minimum are the chain's rules, checked
// by its dry run. Errors about the origin subnet name "Origin", about the destination
// "DestNetuid".
func PlanStakeMove(ctx context.Context, c chainclient.Client, in StakeMoveInput) (Plan, error) {
	if in.DestHot == in.Hot && in.DestNetuid == in.Origin {
		return Plan{}, inputf("DestHot", "the destination is the very same position (hotkey %s, subnet %d): nothing to do", in.Hot, in.Origin)
	}
	om, err := TradingSubnet(ctx, c, in.Origin)
	if err != nil {
		return Plan{}, fieldAs(err, "Netuid", "Origin")
	}
	var dm Market
	if in.DestNetuid != in.Origin {
		if dm, err = TradingSubnet(ctx, c, in.DestNetuid); err != nil {
			return Plan{}, fieldAs(err, "Netuid", "DestNetuid")
		}
	}
	have, err := StakeOf(ctx, c, in.Cold, in.Hot, in.Origin)
	if err != nil {
		return Plan{}, err
	}
	if have == 0 {
		return Plan{}, notFoundf("Hot", "%s has no stake on hotkey %s in subnet %d: the stake list shows the positions", in.Cold, in.Hot, in.Origin)
	}
	amount := in.Amount
	if in.All {
		amount = have
	}
	if amount == 0 {
		return Plan{}, inputf("Amount", "must be more than zero")
	}
	if amount > have {
		return Plan{}, inputf("Amount", "%s is more than the %s staked on %s in subnet %d; nothing was submitted", alpha(amount), alpha(have), in.Hot, in.Origin)
	}
	pv := StakeMovePreview{Coldkey: in.Cold.SS58(), OriginHotkey: in.Hot.SS58(), DestHotkey: in.DestHot.SS58(), DestColdkey: in.Cold.SS58(),
		OriginNetuid: in.Origin, DestNetuid: in.DestNetuid, Amount: amount, Stake: have}
	lines := []Line{{"from", fmt.Sprintf("hotkey %s, subnet %d (holds %s)", in.Hot, in.Origin, alpha(have))},
		{"to", fmt.Sprintf("hotkey %s, subnet %d, coldkey %s", in.DestHot, in.DestNetuid, in.Cold)}, {"amount", alpha(amount)}}
	if in.DestNetuid == in.Origin {
		lines = append(lines, Line{"price", "none: a share transfer within the subnet"})
	} else {
		// Two legs: the alpha is sold on the origin pool and the TAO bought into the
		// destination pool. move_stake takes no limit price, so the tolerance is checked here
		// against the quote's price impact.
		sellTrade := in.Trade
		sellTrade.Unsafe = true
		sell, err := QuoteTrade(om.Subnet, om.FeeRate, om.MinReserve, amount, false, sellTrade)
		if err != nil {
			return Plan{}, err
		}
		if !in.Trade.Unsafe && sell.ImpactPPM > in.Trade.TolerancePPM {
			return Plan{}, inputf("Tolerance", "selling %s moves subnet %d's price by %s%%, beyond the tolerance of %s%%: move less, raise the tolerance or trade unsafe (nothing was submitted)",
				alpha(amount), in.Origin, ppmPercent(sell.ImpactPPM), ppmPercent(in.Trade.TolerancePPM))
		}
		buyTrade := in.Trade
		buyTrade.Unsafe = true
		buy, err := QuoteTrade(dm.Subnet, dm.FeeRate, om.MinReserve, max(sell.ExpectedOut, 1), true, buyTrade)
		if err != nil {
			return Plan{}, fieldAs(err, "Amount", "DestNetuid")
		}
		pv.Sell, pv.Buy = &sell, &buy
		lines = append(lines, Line{"sell leg", fmt.Sprintf("subnet %d", in.Origin)})
		for _, l := range sell.Lines() {
			if l.Label != "tolerance" || in.Trade.Unsafe {
				lines = append(lines, l)
			}
		}
		if !in.Trade.Unsafe {
			lines = append(lines, Line{"tolerance", fmt.Sprintf("%s%%: price impact checked before submitting (the call takes no limit price)", ppmPercent(in.Trade.TolerancePPM))})
		}
		lines = append(lines, Line{"buy leg", fmt.Sprintf("subnet %d", in.DestNetuid)})
		lines = append(lines, buy.Lines()[:5]...)
	}
	p := Plan{
		Title:  fmt.Sprintf("Move %s of stake", alpha(amount)),
		Signer: in.Cold,
		Call:   protocol.MoveStake{OriginHotkey: in.Hot, DestinationHotkey: in.DestHot, OriginNetuid: in.Origin, DestinationNetuid: in.DestNetuid, Amount: amount},
	}
	if err := simulate(ctx, c, &p, "Amount"); err != nil {
		if code, _ := protocol.CodeOf(err); code == protocol.CodeHotkeyNotFound {
			return Plan{}, fieldAs(err, "Amount", "DestHot")
		}
		return Plan{}, err
	}
	pv.Fee = p.Sim.Receipt.Fee
	p.Lines = append(lines, Line{"fee", tao(pv.Fee)})
	p.JSON = pv
	return p, nil
}

// fieldAs gives a plan error about field from the field to instead (a helper's "Netuid" is a
// move's origin subnet); other errors pass unchanged.
func fieldAs(err error, from, to string) error {
	var oe *Error
	if errors.As(err, &oe) && oe.Field == from {
		e := *oe
		e.Field = to
		return &e
	}
	return err
}
