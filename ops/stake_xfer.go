package ops

import (
	"context"
	"errors"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The stake transfer and swap family: subtensor.transfer_stake (the same hotkey, to another
// coldkey, optionally into another subnet) and subtensor.swap_stake (the same hotkey and
// coldkey, into another subnet). Both take alpha out of one position (Cold, Hot, Origin).

// StakeTransferInput is a transfer of stake to another coldkey, resolved.
type StakeTransferInput struct {
	Cold, Hot  wallet.AccountID // the origin position's owner (the signer) and hotkey
	DestCold   wallet.AccountID // the coldkey that receives the stake
	Origin     uint16           // the position's subnet
	DestNetuid uint16           // the subnet the stake ends in (Origin for a plain transfer)
	Amount     uint64           // alpha; ignored with All
	All        bool             // the whole position
	// Trade guards the sale on the origin pool when DestNetuid differs: transfer_stake takes
	// no limit price, so the tolerance is checked against the quote's price impact before
	// submitting (Unsafe skips it).
	Trade Trade
}

// StakeSwapInput is a conversion of stake from one subnet to another on the same hotkey.
type StakeSwapInput struct {
	Cold, Hot  wallet.AccountID
	Origin     uint16
	DestNetuid uint16
	Amount     uint64 // alpha; ignored with All
	All        bool
	Trade      Trade // the sale's limit price (swap_stake's limit_price and allow_partial)
}

// StakeXferPreview is the JSON preview of a stake move, transfer or swap (docs/json.md).
type StakeXferPreview struct {
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

// PlanStakeTransfer plans subtensor.transfer_stake: the position (KindNotFound about "Hot"
// without one), the amount (All: the whole position), both subnets' markets and, across
// subnets, the quotes of both legs and the tolerance against the sale's price impact. The
// minimum stake, the fee, the nominator minimum and the rest are the chain's rules, checked by
// its dry run.
func PlanStakeTransfer(ctx context.Context, c chainclient.Client, in StakeTransferInput) (Plan, error) {
	return onOneSnapshot(func() (Plan, uint64, error) { return planStakeTransfer(ctx, c, in) })
}

func planStakeTransfer(ctx context.Context, c chainclient.Client, in StakeTransferInput) (Plan, uint64, error) {
	if in.DestCold == in.Cold && in.DestNetuid == in.Origin {
		return Plan{}, 0, inputf("DestCold", "the destination is the very same position (coldkey %s, hotkey %s, subnet %d): nothing to do", in.Cold, in.Hot, in.Origin)
	}
	x, err := xferQuote(ctx, c, in.Cold, in.Hot, in.Origin, in.DestNetuid, in.Amount, in.All, in.Trade, false)
	if err != nil {
		return Plan{}, 0, err
	}
	p := Plan{
		Title:  fmt.Sprintf("Transfer %s of stake to %s", alpha(x.amount), in.DestCold),
		Signer: in.Cold,
		Call:   protocol.TransferStake{DestinationColdkey: in.DestCold, Hotkey: in.Hot, OriginNetuid: in.Origin, DestinationNetuid: in.DestNetuid, Amount: x.amount},
	}
	if err := simulate(ctx, c, &p, "Amount"); err != nil {
		return p, x.height, err // with its dry run: on which head did it run?
	}
	x.finish(&p, in.Cold, in.Hot, in.Hot, in.DestCold, in.Origin, in.DestNetuid)
	return p, x.height, nil
}

// PlanStakeSwap plans subtensor.swap_stake: the position, the amount, both markets and the
// quotes of both legs; the sale carries the limit price of the tolerance (a sale the limit
// cuts short is a KindInput error about "Tolerance" unless partial fills are allowed). The
// chain's rules are checked by its dry run.
func PlanStakeSwap(ctx context.Context, c chainclient.Client, in StakeSwapInput) (Plan, error) {
	return onOneSnapshot(func() (Plan, uint64, error) { return planStakeSwap(ctx, c, in) })
}

func planStakeSwap(ctx context.Context, c chainclient.Client, in StakeSwapInput) (Plan, uint64, error) {
	if in.DestNetuid == in.Origin {
		return Plan{}, 0, inputf("DestNetuid", "is the origin subnet: the destination is the very same position (hotkey %s, subnet %d): a swap converts stake into another subnet", in.Hot, in.Origin)
	}
	x, err := xferQuote(ctx, c, in.Cold, in.Hot, in.Origin, in.DestNetuid, in.Amount, in.All, in.Trade, true)
	if err != nil {
		return Plan{}, 0, err
	}
	p := Plan{
		Title:  fmt.Sprintf("Swap %s of stake from subnet %d to %d", alpha(x.amount), in.Origin, in.DestNetuid),
		Signer: in.Cold,
		Call: protocol.SwapStake{Hotkey: in.Hot, OriginNetuid: in.Origin, DestinationNetuid: in.DestNetuid, Amount: x.amount,
			LimitPrice: x.sell.LimitPrice, AllowPartial: in.Trade.AllowPartial},
	}
	if err := simulateTrade(ctx, c, &p, *x.sell); err != nil {
		return p, x.height, err // with its dry run: on which head did it run?
	}
	x.finish(&p, in.Cold, in.Hot, in.Hot, in.Cold, in.Origin, in.DestNetuid)
	return p, x.height, nil
}

// xfer is what the transfer and the swap quote before their dry run.
type xfer struct {
	height       uint64 // the head the quote was read at
	have, amount uint64
	sell, buy    *Quote
	trade        Trade
	limited      bool // the sale carries the limit price (swap_stake)
}

// xferQuote reads the position and both markets in one StakeView and quotes the legs.
// Errors about a subnet name the field "Origin" or "DestNetuid".
func xferQuote(ctx context.Context, c chainclient.Client, cold, hot wallet.AccountID, origin, dest uint16, amount uint64, all bool, t Trade, limited bool) (xfer, error) {
	snap, err := ReadStakeSnapshot(ctx, c, cold, []uint16{origin, dest}, []string{"Origin", "DestNetuid"})
	if err != nil {
		return xfer{}, err
	}
	om, dm := snap.Markets[0], snap.Markets[1]
	x := xfer{height: snap.Height, trade: t, limited: limited, have: snap.Position(hot, origin)}
	if x.have == 0 {
		return xfer{}, notFoundf("Hot", "%s has no stake on hotkey %s in subnet %d: the stake list shows the positions", cold, hot, origin)
	}
	x.amount = amount
	if all {
		x.amount = x.have
	}
	if x.amount == 0 {
		return xfer{}, inputf("Amount", "must be more than zero")
	}
	if x.amount > x.have {
		return xfer{}, inputf("Amount", "%s is more than the %s staked on %s in subnet %d; nothing was submitted", alpha(x.amount), alpha(x.have), hot, origin)
	}
	if dest == origin {
		return x, nil
	}
	// Two legs: the alpha is sold on the origin pool and the TAO bought into the destination
	// pool. swap_stake guards the sale with a limit price; transfer_stake takes none, so the
	// tolerance is checked here against the quote's price impact.
	sellTrade := t
	if !limited {
		sellTrade.Unsafe = true
	}
	sell, err := QuoteTrade(om.Subnet, om.FeeRate, om.MinReserve, x.amount, false, sellTrade)
	if err != nil {
		return xfer{}, err
	}
	if !limited && !t.Unsafe && sell.ImpactPPM > t.TolerancePPM {
		return xfer{}, inputf("Tolerance", "selling %s moves subnet %d's price by %s%%, beyond the tolerance of %s%%: trade less, raise the tolerance or trade unsafe (nothing was submitted)",
			alpha(x.amount), origin, ppmPercent(sell.ImpactPPM), ppmPercent(t.TolerancePPM))
	}
	buyTrade := t
	buyTrade.Unsafe = true
	buy, err := QuoteTrade(dm.Subnet, dm.FeeRate, dm.MinReserve, max(sell.ExpectedOut, 1), true, buyTrade)
	if err != nil {
		return xfer{}, retarget(err, "Amount", "DestNetuid")
	}
	x.sell, x.buy = &sell, &buy
	return x, nil
}

// StakeSnapshot is what a stake trade is quoted from, read in one query (Client.StakeView)
// at one head: the markets asked for, in the order asked, and the coldkey's balance and
// positions.
type StakeSnapshot struct {
	Height             uint64 // the head it was read at; a dry run on top of it runs at Height+1
	Markets            []Market
	Free               uint64
	Stakes             []protocol.StakeInfo
	TxFee              uint64
	ExistentialDeposit uint64
}

// ReadStakeSnapshot reads the markets of netuids and cold's balance and positions in one
// query. Each subnet must exist (KindNotFound) and trade (root, or started: KindInput); the
// error about netuids[i] names fields[i] ("Netuid" when fields is shorter).
func ReadStakeSnapshot(ctx context.Context, c chainclient.Client, cold wallet.AccountID, netuids []uint16, fields []string) (StakeSnapshot, error) {
	v, err := c.StakeView(ctx, cold, netuids)
	if err != nil {
		return StakeSnapshot{}, chainErr(err)
	}
	snap := StakeSnapshot{Height: v.Height, Free: v.Free, Stakes: v.Stakes, TxFee: v.TxFee, ExistentialDeposit: v.ExistentialDeposit}
	for i, netuid := range netuids {
		field := "Netuid"
		if i < len(fields) {
			field = fields[i]
		}
		var m *protocol.SubnetMarket
		for j := range v.Markets {
			if v.Markets[j].Subnet.Netuid == netuid {
				m = &v.Markets[j]
			}
		}
		switch {
		case m == nil:
			return StakeSnapshot{}, notFoundf(field, "subnet %d does not exist (it was never created or has been dissolved): the subnet list shows the live ones", netuid)
		case !m.Subnet.Root && !m.Subnet.Started:
			return StakeSnapshot{}, inputf(field, "subnet %d has not started: its owner must start it first; nothing was submitted", netuid)
		}
		snap.Markets = append(snap.Markets, Market{Subnet: m.Subnet, FeeRate: m.FeeRate, MinReserve: v.MinReserve})
	}
	return snap, nil
}

// Position returns the alpha of the snapshot's coldkey on (hot, netuid), 0 for none.
func (s StakeSnapshot) Position(hot wallet.AccountID, netuid uint16) uint64 {
	for _, p := range s.Stakes {
		if p.Hotkey == hot && p.Netuid == netuid {
			return p.Alpha
		}
	}
	return 0
}

// onSnapshot reports whether the plan's dry run (in p, or in the refusal err carries) ran in
// the block right after the snapshot's head, i.e. on the state the quote was read from. A plan
// error without a dry run is on it too.
func onSnapshot(p Plan, err error, height uint64) bool {
	sim := p.Sim
	if s, ok := Refused(err); ok {
		sim = s
	}
	return sim == nil || sim.Height == height+1
}

// onOneSnapshot runs plan (the read of one snapshot at a head, the quote, the dry run) until
// its dry run ran right on top of that head, at most snapshotTries times: a preview's reads
// and its dry run then come from one consistent state.
func onOneSnapshot(plan func() (Plan, uint64, error)) (Plan, error) {
	var (
		p      Plan
		height uint64
		err    error
	)
	for range snapshotTries {
		if p, height, err = plan(); onSnapshot(p, err, height) {
			break
		}
	}
	if err != nil {
		return Plan{}, err
	}
	return p, nil
}

// snapshotTries is how many times a stake plan reads and dry-runs before it settles for a
// dry run a block or more after its quote (a chain sealing blocks faster than a round trip).
const snapshotTries = 3

// finish writes the preview of a simulated transfer or swap into p.
func (x xfer) finish(p *Plan, cold, hot, destHot, destCold wallet.AccountID, origin, dest uint16) {
	pv := StakeXferPreview{Coldkey: cold.SS58(), OriginHotkey: hot.SS58(), DestHotkey: destHot.SS58(), DestColdkey: destCold.SS58(),
		OriginNetuid: origin, DestNetuid: dest, Amount: x.amount, Stake: x.have, Fee: p.Sim.Receipt.Fee, Sell: x.sell, Buy: x.buy}
	lines := []Line{{"from", fmt.Sprintf("hotkey %s, subnet %d (holds %s)", hot, origin, alpha(x.have))},
		{"to", fmt.Sprintf("hotkey %s, subnet %d, coldkey %s", destHot, dest, destCold)}, {"amount", alpha(x.amount)}}
	if x.sell == nil {
		lines = append(lines, Line{"price", "none: a share transfer within the subnet"})
	} else {
		lines = append(lines, Line{"sell leg", fmt.Sprintf("subnet %d", origin)})
		for _, l := range x.sell.Lines() {
			if x.limited || l.Label != "tolerance" || x.trade.Unsafe {
				lines = append(lines, l)
			}
		}
		if !x.limited && !x.trade.Unsafe {
			lines = append(lines, Line{"tolerance", fmt.Sprintf("%s%%: price impact checked before submitting (the call takes no limit price)", ppmPercent(x.trade.TolerancePPM))})
		}
		lines = append(lines, Line{"buy leg", fmt.Sprintf("subnet %d", dest)})
		lines = append(lines, x.buy.Lines()[:5]...)
	}
	p.Lines = append(lines, Line{"fee", tao(pv.Fee)})
	p.JSON = pv
}

// retarget gives a plan error about field from the field to instead (a helper's "Netuid" is
// the origin subnet of a transfer); other errors pass unchanged.
func retarget(err error, from, to string) error {
	var oe *Error
	if errors.As(err, &oe) && oe.Field == from {
		e := *oe
		e.Field = to
		return &e
	}
	return err
}
