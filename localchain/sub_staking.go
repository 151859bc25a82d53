package localchain

import (
	"errors"
	"fmt"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Staking calls: add_stake, remove_stake, move_stake, transfer_stake, swap_stake (each with an
// optional price limit) and set_take. TAO enters and leaves a subnet only through its pool;
// root (netuid 0) stakes TAO 1:1. Swap fees have no block author on the devnet and are burned.

// swapFailure turns a pool error into a receipt.
func swapFailure(netuid uint16, err error) error {
	if errors.Is(err, mechanism.ErrPriceLimitExceeded) {
		return protocol.Fail(protocol.CodePriceLimitExceeded, "subnet %d: %v", netuid, err)
	}
	return protocol.Fail(protocol.CodeSwapFailed, "subnet %d pool refused the swap: %v", netuid, err)
}

// buyAlpha swaps tao for alpha on n and credits it to (hk, ck). It returns the alpha staked and
// the TAO taken (tao minus any refund at the limit). The caller debits the TAO and stores n.
func buyAlpha(s *StateTx, p subParams, n *subnet, hk, ck wallet.AccountID, tao uint64, limit uint64, allowPartial bool) (alpha, taken uint64, err error) {
	if n.Stable {
		alpha, taken = tao, tao
		n.PoolTao += tao
	} else {
		sp := n.swapParams(mechanism.U64F64{}, p.MinimumReserve)
		if limit != 0 {
			sp.LimitPrice = mechanism.PriceFromRaoPerAlpha(limit)
		}
		r, err := n.pool().Buy(tao, sp)
		if err != nil {
			return 0, 0, swapFailure(n.Netuid, err)
		}
		if r.Refund > 0 && !allowPartial {
			return 0, 0, protocol.Fail(protocol.CodeSlippageUnfulfilled, "subnet %d: only %s of %s can be staked before the price reaches the limit; allow partial fills or raise the limit",
				n.Netuid, protocol.FormatTAO(r.Taken), protocol.FormatTAO(tao))
		}
		if r.Out == 0 {
			return 0, 0, protocol.Fail(protocol.CodeSwapFailed, "subnet %d: %s buys no alpha; stake more", n.Netuid, protocol.FormatTAO(tao))
		}
		n.setPool(r.Pool)
		if err := burn(s, r.Fee); err != nil {
			return 0, 0, err
		}
		alpha, taken = r.Out, r.Taken
	}
	n.AlphaOut += alpha
	n.Volume += taken
	return alpha, taken, creditStake(s, n.Netuid, hk, ck, alpha)
}

// sellAlpha removes up to amount alpha of (hk, ck) on n and sells it for TAO (not yet paid to
// anyone: the caller deposits or restakes it). It returns the TAO out and the alpha sold.
func sellAlpha(s *StateTx, p subParams, n *subnet, hk, ck wallet.AccountID, amount, limit uint64, allowPartial bool) (tao, sold uint64, err error) {
	have := stakeOf(s.tx, n.Netuid, hk, ck)
	if have < amount {
		return 0, 0, protocol.Fail(protocol.CodeInsufficientStake, "insufficient stake: %s holds %d alpha on hotkey %s in subnet %d, asked %d",
			ck, have, hk, n.Netuid, amount)
	}
	if n.Stable {
		// Root pays TAO 1:1 for exactly the stake removed (the last holder takes any dust).
		removed, err := debitStake(s, n.Netuid, hk, ck, amount)
		if err != nil {
			return 0, 0, err
		}
		if n.PoolTao < removed || n.AlphaOut < removed {
			return 0, 0, fmt.Errorf("root holds %d rao, cannot pay %d", n.PoolTao, removed)
		}
		n.PoolTao -= removed
		n.AlphaOut -= removed
		return removed, removed, nil
	}
	sp := n.swapParams(mechanism.U64F64{}, p.MinimumReserve)
	if limit != 0 {
		sp.LimitPrice = mechanism.PriceFromRaoPerAlpha(limit)
	}
	r, err := n.pool().Sell(amount, sp)
	if err != nil {
		return 0, 0, swapFailure(n.Netuid, err)
	}
	if r.Refund > 0 && !allowPartial {
		return 0, 0, protocol.Fail(protocol.CodeSlippageUnfulfilled, "subnet %d: only %d of %d alpha can be sold before the price reaches the limit; allow partial fills or lower the limit",
			n.Netuid, r.Taken, amount)
	}
	if r.Out == 0 {
		return 0, 0, protocol.Fail(protocol.CodeSwapFailed, "subnet %d: %d alpha sells for no TAO; unstake more", n.Netuid, amount)
	}
	n.setPool(r.Pool)
	n.Volume += r.Out
	removed, err := debitStake(s, n.Netuid, hk, ck, r.Taken)
	if err != nil {
		return 0, 0, err
	}
	// The alpha leaves AlphaOut: the net input into the pool reserve, the fee (burned: no block
	// author on the devnet), and any dust the last share holder took along.
	n.AlphaOut -= removed
	return r.Out, r.Taken, nil
}

// requireHotkey loads a hotkey account or fails with CodeHotkeyNotFound.
func requireHotkey(ctx *CallContext, hk wallet.AccountID) (hotkeyInfo, error) {
	h, ok := getHotkey(ctx.Tx(), hk)
	if !ok {
		return h, protocol.Fail(protocol.CodeHotkeyNotFound, "hotkey %s does not exist: register it on a subnet first", hk)
	}
	return h, nil
}

// stakeTradingSubnet loads a subnet that can be staked on: root, or a started subnet.
func stakeTradingSubnet(ctx *CallContext, netuid uint16) (*subnet, error) {
	n, err := loadSubnet(ctx, netuid)
	if err != nil {
		return nil, err
	}
	if !n.Stable && !n.started() {
		return nil, protocol.Fail(protocol.CodeNotStarted, "subnet %d has not started: its owner must call start_call before staking", netuid)
	}
	return n, nil
}

// taoValue is floor(alpha · spot price) in rao.
func taoValue(n *subnet, alpha uint64) uint64 {
	return n.price().SaturatingMul(mechanism.U64F64FromU64(alpha)).SaturatingToU64()
}

// checkNominatorMin fails when a nominator (not the hotkey's owner) would keep a non-zero
// position worth less than the nominator minimum.
func checkNominatorMin(ctx *CallContext, p subParams, n *subnet, hk, ck wallet.AccountID) error {
	if p.NominatorMinStake == 0 {
		return nil
	}
	h, _ := getHotkey(ctx.Tx(), hk)
	if h.Owner == ck {
		return nil
	}
	left := stakeOf(ctx.Tx(), n.Netuid, hk, ck)
	if left > 0 && taoValue(n, left) < p.NominatorMinStake {
		return protocol.Fail(protocol.CodeNominatorBelowMin, "a nominator may not keep %d alpha (worth %s) on %s, below the nominator minimum %s: unstake all of it",
			left, protocol.FormatTAO(taoValue(n, left)), hk, protocol.FormatTAO(p.NominatorMinStake))
	}
	return nil
}

func applyAddStake(ctx *CallContext, c protocol.AddStake) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	n, err := stakeTradingSubnet(ctx, c.Netuid)
	if err != nil {
		return err
	}
	if _, err := requireHotkey(ctx, c.Hotkey); err != nil {
		return err
	}
	if c.Amount < p.MinStake {
		return protocol.Fail(protocol.CodeStakeBelowMinimum, "stake of %s is below the minimum stake %s", protocol.FormatTAO(c.Amount), protocol.FormatTAO(p.MinStake))
	}
	if a := getAccount(ctx.Tx(), ctx.Signer); a.Free < c.Amount || a.Free-c.Amount < ctx.Params.ExistentialDeposit {
		return protocol.Fail(protocol.CodeInsufficientBalance, "insufficient balance: %s has %s, staking needs %s plus the existential deposit",
			ctx.Signer, protocol.FormatTAO(a.Free), protocol.FormatTAO(c.Amount))
	}
	// Mutate.
	alpha, taken, err := buyAlpha(ctx.State, p, n, c.Hotkey, ctx.Signer, c.Amount, c.LimitPrice, c.AllowPartial)
	if err != nil {
		return err
	}
	if err := withdraw(ctx, ctx.Signer, taken, "the stake"); err != nil {
		return err
	}
	if err := putSubnet(ctx.State, n); err != nil {
		return err
	}
	ctx.Emit(subModule, "StakeAdded", attrs("coldkey", ctx.Signer.SS58(), "hotkey", c.Hotkey.SS58(), "netuid", itoa(c.Netuid), "tao", u64a(taken), "alpha", u64a(alpha)), ctx.Signer)
	return nil
}

func applyRemoveStake(ctx *CallContext, c protocol.RemoveStake) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	n, err := loadSubnet(ctx, c.Netuid)
	if err != nil {
		return err
	}
	if _, err := requireHotkey(ctx, c.Hotkey); err != nil {
		return err
	}
	have := stakeOf(ctx.Tx(), c.Netuid, c.Hotkey, ctx.Signer)
	tao, sold, err := sellAlpha(ctx.State, p, n, c.Hotkey, ctx.Signer, c.Amount, c.LimitPrice, c.AllowPartial)
	if err != nil {
		return err
	}
	if sold < have && tao < p.MinStake {
		return protocol.Fail(protocol.CodeStakeBelowMinimum, "unstaking %d alpha gives %s, below the minimum stake %s: unstake more, or all of it",
			sold, protocol.FormatTAO(tao), protocol.FormatTAO(p.MinStake))
	}
	// A nominator left below the nominator minimum is unstaked completely (subtensor's
	// clear_small_nomination).
	if checkNominatorMin(ctx, p, n, c.Hotkey, ctx.Signer) != nil {
		left := stakeOf(ctx.Tx(), c.Netuid, c.Hotkey, ctx.Signer)
		more, moreSold, err := sellAlpha(ctx.State, p, n, c.Hotkey, ctx.Signer, left, 0, true)
		if err != nil {
			return err
		}
		tao += more
		sold += moreSold
	}
	if _, err := deposit(ctx.State, ctx.Params.ExistentialDeposit, ctx.Signer, tao); err != nil {
		return err
	}
	if err := putSubnet(ctx.State, n); err != nil {
		return err
	}
	ctx.Emit(subModule, "StakeRemoved", attrs("coldkey", ctx.Signer.SS58(), "hotkey", c.Hotkey.SS58(), "netuid", itoa(c.Netuid), "alpha", u64a(sold), "tao", u64a(tao)), ctx.Signer)
	return nil
}

// moveAlpha moves amount alpha from (fromHk, fromCk, from) to (toHk, toCk, to): a share
// transfer inside one subnet (worth at least the minimum stake at spot), otherwise a sale on
// the origin and a purchase on the destination. It returns the alpha credited.
func moveAlpha(ctx *CallContext, p subParams, from, to uint16, fromHk, toHk, fromCk, toCk wallet.AccountID, amount, limit uint64, allowPartial bool) (uint64, error) {
	src, err := stakeTradingSubnet(ctx, from)
	if err != nil {
		return 0, err
	}
	if _, err := requireHotkey(ctx, toHk); err != nil {
		return 0, err
	}
	if from == to {
		have := stakeOf(ctx.Tx(), from, fromHk, fromCk)
		if have < amount {
			return 0, protocol.Fail(protocol.CodeInsufficientStake, "insufficient stake: %s holds %d alpha on %s in subnet %d, asked %d", fromCk, have, fromHk, from, amount)
		}
		if v := taoValue(src, amount); v < p.MinStake {
			return 0, protocol.Fail(protocol.CodeStakeBelowMinimum, "%d alpha is worth %s, below the minimum stake %s", amount, protocol.FormatTAO(v), protocol.FormatTAO(p.MinStake))
		}
		removed, err := debitStake(ctx.State, from, fromHk, fromCk, amount)
		if err != nil {
			return 0, err
		}
		if err := creditStake(ctx.State, to, toHk, toCk, removed); err != nil {
			return 0, err
		}
		if err := checkNominatorMin(ctx, p, src, fromHk, fromCk); err != nil {
			return 0, err
		}
		return removed, nil
	}
	dst, err := stakeTradingSubnet(ctx, to)
	if err != nil {
		return 0, err
	}
	tao, _, err := sellAlpha(ctx.State, p, src, fromHk, fromCk, amount, limit, allowPartial)
	if err != nil {
		return 0, err
	}
	if tao < p.MinStake {
		return 0, protocol.Fail(protocol.CodeStakeBelowMinimum, "%d alpha sells for %s, below the minimum stake %s", amount, protocol.FormatTAO(tao), protocol.FormatTAO(p.MinStake))
	}
	if err := checkNominatorMin(ctx, p, src, fromHk, fromCk); err != nil {
		return 0, err
	}
	alpha, taken, err := buyAlpha(ctx.State, p, dst, toHk, toCk, tao, 0, true)
	if err != nil {
		return 0, err
	}
	if taken < tao {
		// Refund of an unlimited buy cannot happen; keep the TAO with the coldkey if it did.
		if _, err := deposit(ctx.State, ctx.Params.ExistentialDeposit, fromCk, tao-taken); err != nil {
			return 0, err
		}
	}
	if err := putSubnet(ctx.State, src); err != nil {
		return 0, err
	}
	return alpha, putSubnet(ctx.State, dst)
}

func applyMoveStake(ctx *CallContext, c protocol.MoveStake) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	if _, err := requireHotkey(ctx, c.OriginHotkey); err != nil {
		return err
	}
	got, err := moveAlpha(ctx, p, c.OriginNetuid, c.DestinationNetuid, c.OriginHotkey, c.DestinationHotkey, ctx.Signer, ctx.Signer, c.Amount, 0, true)
	if err != nil {
		return err
	}
	ctx.Emit(subModule, "StakeMoved", attrs("coldkey", ctx.Signer.SS58(), "origin_hotkey", c.OriginHotkey.SS58(), "destination_hotkey", c.DestinationHotkey.SS58(), "origin_netuid", itoa(c.OriginNetuid), "destination_netuid", itoa(c.DestinationNetuid), "alpha", u64a(c.Amount), "alpha_received", u64a(got)), ctx.Signer)
	return nil
}

func applyTransferStake(ctx *CallContext, c protocol.TransferStake) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	if _, err := requireHotkey(ctx, c.Hotkey); err != nil {
		return err
	}
	got, err := moveAlpha(ctx, p, c.OriginNetuid, c.DestinationNetuid, c.Hotkey, c.Hotkey, ctx.Signer, c.DestinationColdkey, c.Amount, 0, true)
	if err != nil {
		return err
	}
	ctx.Emit(subModule, "StakeTransferred", attrs("from", ctx.Signer.SS58(), "to", c.DestinationColdkey.SS58(), "hotkey", c.Hotkey.SS58(), "origin_netuid", itoa(c.OriginNetuid), "destination_netuid", itoa(c.DestinationNetuid), "alpha", u64a(c.Amount), "alpha_received", u64a(got)), ctx.Signer, c.DestinationColdkey)
	return nil
}

func applySwapStake(ctx *CallContext, c protocol.SwapStake) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	if _, err := requireHotkey(ctx, c.Hotkey); err != nil {
		return err
	}
	got, err := moveAlpha(ctx, p, c.OriginNetuid, c.DestinationNetuid, c.Hotkey, c.Hotkey, ctx.Signer, ctx.Signer, c.Amount, c.LimitPrice, c.AllowPartial)
	if err != nil {
		return err
	}
	ctx.Emit(subModule, "StakeSwapped", attrs("coldkey", ctx.Signer.SS58(), "hotkey", c.Hotkey.SS58(), "origin_netuid", itoa(c.OriginNetuid), "destination_netuid", itoa(c.DestinationNetuid), "alpha", u64a(c.Amount), "alpha_received", u64a(got)), ctx.Signer)
	return nil
}

func applySetTake(ctx *CallContext, c protocol.SetTake) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	h, err := requireHotkey(ctx, c.Hotkey)
	if err != nil {
		return err
	}
	if h.Owner != ctx.Signer {
		return protocol.Fail(protocol.CodeNotHotkeyOwner, "hotkey %s belongs to %s: only its owner may set its take", c.Hotkey, h.Owner)
	}
	if c.Take < p.MinTake || c.Take > p.MaxTake {
		return protocol.Fail(protocol.CodeTakeOutOfBounds, "take %d is out of bounds: allowed %d to %d (of 65535)", c.Take, p.MinTake, p.MaxTake)
	}
	if c.Take == h.Take {
		return protocol.Fail(protocol.CodeTakeNotChanged, "hotkey %s already has take %d", c.Hotkey, c.Take)
	}
	if c.Take > h.Take {
		if h.TakeChanged != 0 && ctx.Height-h.TakeChanged < p.TakeRateLimit {
			return protocol.Fail(protocol.CodeTakeRateLimited, "take increases are rate limited: the last was at block %d, the next is allowed from block %d",
				h.TakeChanged, h.TakeChanged+p.TakeRateLimit)
		}
		h.TakeChanged = ctx.Height
	}
	old := h.Take
	h.Take = c.Take
	if err := putHotkey(ctx.State, c.Hotkey, h); err != nil {
		return err
	}
	ctx.Emit(subModule, "TakeSet", attrs("hotkey", c.Hotkey.SS58(), "old", itoa(old), "take", itoa(c.Take)), ctx.Signer)
	return nil
}
