package ops

import (
	"context"
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

// PlanStakeMove plans subtensor.move_stake: the position (KindNotFound about "Hot" without
// one), the amount (All: the whole position), both subnets' markets and, across subnets, the
// quotes of both legs and the tolerance against the sale's price impact, all from one
// StakeView with the dry run on top of it (as the transfer and the swap). The destination
// hotkey, the minimum stake, the fee and the nominator minimum are the chain's rules, checked
// by its dry run. Errors about the origin subnet name "Origin", about the destination
// "DestNetuid". The preview is StakeXferPreview (docs/json.md).
func PlanStakeMove(ctx context.Context, c chainclient.Client, in StakeMoveInput) (Plan, error) {
	return onOneSnapshot(func() (Plan, uint64, error) { return planStakeMove(ctx, c, in) })
}

func planStakeMove(ctx context.Context, c chainclient.Client, in StakeMoveInput) (Plan, uint64, error) {
	if in.DestHot == in.Hot && in.DestNetuid == in.Origin {
		return Plan{}, 0, inputf("DestHot", "the destination is the very same position (hotkey %s, subnet %d): nothing to do", in.Hot, in.Origin)
	}
	x, err := xferQuote(ctx, c, in.Cold, in.Hot, in.Origin, in.DestNetuid, in.Amount, in.All, in.Trade, false)
	if err != nil {
		return Plan{}, 0, err
	}
	p := Plan{
		Title:  fmt.Sprintf("Move %s of stake", alpha(x.amount)),
		Signer: in.Cold,
		Call:   protocol.MoveStake{OriginHotkey: in.Hot, DestinationHotkey: in.DestHot, OriginNetuid: in.Origin, DestinationNetuid: in.DestNetuid, Amount: x.amount},
	}
	if err := simulate(ctx, c, &p, "Amount"); err != nil {
		if code, _ := protocol.CodeOf(err); code == protocol.CodeHotkeyNotFound {
			return p, x.height, retarget(err, "Amount", "DestHot")
		}
		return p, x.height, err
	}
	x.finish(&p, in.Cold, in.Hot, in.DestHot, in.Cold, in.Origin, in.DestNetuid)
	return p, x.height, nil
}
