package mechanism

import "math"

// HotkeyEmission is one uid's epoch result and stake, the input of DistributeEmission.
type HotkeyEmission struct {
	// Incentive is the epoch's server emission for the uid (alpha rao).
	Incentive uint64
	// Dividend is the epoch's validator emission for the uid, the dividend weight.
	Dividend uint64
	// AlphaStake is the hotkey's own alpha on the subnet (TotalHotkeyAlpha).
	AlphaStake uint64
	// RootStake is the hotkey's stake on root (TAO).
	RootStake uint64
	// Take is the hotkey's delegate take (Delegates[h], 1/65535 units; default 11796).
	Take uint16
	// OwnedBySubnetOwner marks the subnet owner's hotkeys, whose miner incentive is burned.
	OwnedBySubnetOwner bool
}

// DistributionInput is one subnet's drained pending buckets and epoch result.
type DistributionInput struct {
	// PendingServer, PendingValidator, PendingRoot and PendingOwnerCut are the drained
	// PendingServerEmission, PendingValidatorEmission, PendingRootAlphaDivs and PendingOwnerCut.
	PendingServer, PendingValidator, PendingRoot, PendingOwnerCut uint64
	// TaoWeight is TaoWeight(raw).
	TaoWeight U96F32
	// Hotkeys are the epoch's outputs per uid, in uid order.
	Hotkeys []HotkeyEmission
}

// HotkeyPayout is what one uid's hotkey receives. All amounts are alpha rao on the subnet.
type HotkeyPayout struct {
	// Incentive is staked to (hotkey, its owner coldkey) — or to the owner's AutoStakeDestination.
	Incentive uint64
	// IncentiveBurned is the incentive of a subnet-owner hotkey, burned instead.
	IncentiveBurned uint64
	// AlphaTake is the delegate take of the alpha dividends, staked to (hotkey, owner coldkey).
	AlphaTake uint64
	// AlphaPool is the rest of the alpha dividends, added to the hotkey's share pool without
	// new shares, so every nominator earns pro rata.
	AlphaPool uint64
	// RootTake is the delegate take of the root dividends, staked like AlphaTake.
	RootTake uint64
	// RootDivs is the rest of the root dividends, owed to the hotkey's root stakers pro rata
	// to their root stake (paid at once on btui: SplitProRata).
	RootDivs uint64
}

// DistributionResult is the outcome of DistributeEmission.
type DistributionResult struct {
	// OwnerCut is staked to (SubnetOwnerHotkey, SubnetOwner).
	OwnerCut uint64
	// Hotkeys are the payouts per uid, in the input's order.
	Hotkeys []HotkeyPayout
	// Undistributed is what the buckets held but nobody received (flooring, or no dividend
	// weight at all): the chain removes it from SubnetAlphaOut (recycle).
	Undistributed uint64
}

// EpochEmission is the raoEmission the epoch runs with: server + validator + root (the owner
// cut is excluded), saturating.
func EpochEmission(server, validator, root uint64) uint64 {
	return satAdd64(satAdd64(server, validator), root)
}

// DistributeEmission divides one subnet's drained buckets after its epoch (distribute_emission
// and calculate_dividend_distribution, without child keys), in U96F32:
//
//  1. validator pot = PendingValidator, or PendingValidator + PendingServer when Σ incentive is
//     0 (validators take the miners' half);
//  2. per hotkey with dividend d: rp = tw·r/(a + tw·r) (0 on a zero denominator),
//     root_d = d·rp, alpha_d = d − root_d;
//  3. alpha_div_h = pot·(alpha_d/Σ alpha_d), root_div_h = PendingRoot·(root_d/Σ root_d)
//     (checked divisions, 0 on a zero sum);
//  4. take = (Take/65535)·div, rest = div − take, for both kinds; every payout is floored;
//  5. incentives are paid as they came out of the epoch, burned for subnet-owner hotkeys.
func DistributeEmission(in DistributionInput) DistributionResult {
	res := DistributionResult{OwnerCut: in.PendingOwnerCut, Hotkeys: make([]HotkeyPayout, len(in.Hotkeys))}
	var incentiveSum uint64
	for _, h := range in.Hotkeys {
		incentiveSum = satAdd64(incentiveSum, h.Incentive)
	}
	pot := in.PendingValidator
	if incentiveSum == 0 {
		pot = satAdd64(pot, in.PendingServer)
	}

	alphaD := make([]U96F32, len(in.Hotkeys))
	rootD := make([]U96F32, len(in.Hotkeys))
	totalAlpha, totalRoot := U96F32{}, U96F32{}
	for i, h := range in.Hotkeys {
		d := U96F32FromU64(h.Dividend)
		rootAlpha := U96F32FromU64(h.RootStake).SaturatingMul(in.TaoWeight)
		total := U96F32FromU64(h.AlphaStake).SaturatingAdd(rootAlpha)
		rp, ok := rootAlpha.CheckedDiv(total)
		if !ok {
			rp = U96F32{}
		}
		rootD[i] = d.SaturatingMul(rp)
		alphaD[i] = d.SaturatingSub(rootD[i])
		totalAlpha = totalAlpha.SaturatingAdd(alphaD[i])
		totalRoot = totalRoot.SaturatingAdd(rootD[i])
	}

	potF, rootF := U96F32FromU64(pot), U96F32FromU64(in.PendingRoot)
	var paid uint64
	for i, h := range in.Hotkeys {
		out := &res.Hotkeys[i]
		if h.OwnedBySubnetOwner {
			out.IncentiveBurned = h.Incentive
		} else {
			out.Incentive = h.Incentive
		}
		take := TakeFraction(h.Take)
		if share, ok := alphaD[i].CheckedDiv(totalAlpha); ok {
			div := potF.SaturatingMul(share)
			t := take.SaturatingMul(div)
			out.AlphaTake = t.SaturatingToU64()
			out.AlphaPool = div.SaturatingSub(t).SaturatingToU64()
		}
		if share, ok := rootD[i].CheckedDiv(totalRoot); ok {
			div := rootF.SaturatingMul(share)
			t := take.SaturatingMul(div)
			out.RootTake = t.SaturatingToU64()
			out.RootDivs = div.SaturatingSub(t).SaturatingToU64()
		}
		paid = satAdd64(paid, out.Incentive)
		paid = satAdd64(paid, out.IncentiveBurned)
		paid = satAdd64(paid, out.AlphaTake+out.AlphaPool)
		paid = satAdd64(paid, out.RootTake+out.RootDivs)
	}
	budget := satAdd64(satAdd64(in.PendingServer, in.PendingValidator), in.PendingRoot)
	res.Undistributed = satSub64(budget, paid)
	return res
}

// TakeFraction is a delegate (or childkey) take as a fraction: U96F32(take).SafeDiv(65535)
// (get_hotkey_take_float).
func TakeFraction(take uint16) U96F32 {
	return U96F32FromU64(uint64(take)).SafeDiv(U96F32FromU64(math.MaxUint16))
}

// DefaultDelegateTake is the default and maximum delegate take, 11796/65535 ≈ 18 %.
const DefaultDelegateTake uint16 = 11_796

// SplitProRata divides amount in proportion to weights, each part floor(amount·w_i/Σw) in exact
// integer arithmetic; dust is what the floors leave (less than the number of positive weights).
// All parts are 0 and dust = amount when Σw = 0. The root dividends of a hotkey are split over
// its root stakers with it.
func SplitProRata(amount uint64, weights []uint64) (parts []uint64, dust uint64) {
	parts = make([]uint64, len(weights))
	var sumHi, sumLo uint64
	for _, w := range weights {
		var c uint64
		sumLo, c = addCarry(sumLo, w)
		sumHi += c
	}
	if sumHi == 0 && sumLo == 0 {
		return parts, amount
	}
	sum := u128{hi: sumHi, lo: sumLo}
	var paid uint64
	for i, w := range weights {
		p := mul256(u128From64(amount), u128From64(w))
		num := u128{hi: p[1], lo: p[0]}
		q, _ := divShifted(num, 0, sum)
		parts[i] = q.lo
		paid += q.lo
	}
	return parts, amount - paid
}

func addCarry(a, b uint64) (uint64, uint64) {
	s := a + b
	if s < a {
		return s, 1
	}
	return s, 0
}

// MinerBurned is the fraction of this epoch's miner incentive that was burned because subnet-owner
// hotkeys earned it: Σ IncentiveBurned / Σ (Incentive + IncentiveBurned) in U64F64 (0 when no
// incentive was paid). The chain stores it as the subnet's MinerBurned for SubnetShares.
func (r DistributionResult) MinerBurned() U64F64 {
	var burned, total uint64
	for _, h := range r.Hotkeys {
		burned = satAdd64(burned, h.IncentiveBurned)
		total = satAdd64(total, satAdd64(h.Incentive, h.IncentiveBurned))
	}
	return U64F64FromU64(burned).SafeDiv(U64F64FromU64(total))
}
