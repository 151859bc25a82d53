package mechanism

// Coinbase: what the chain does with the block emission, as pure functions (subtensor
// coinbase/run_coinbase.rs, subnet_emissions.rs, block_step.rs; Part B §2). The full contract,
// with the invariants, is docs/emission.md.
//
// # Block step order
//
// In every block b, before its transactions, subnets in ascending netuid:
//
//  1. Burn = DecayBurn(Burn, b, DecayFactorQ32(HalfLife), params) for every subnet;
//     RegistrationsThisBlock = 0.
//  2. E = TaoBlockEmission(TotalIssuance): a credit, not yet minted.
//  3. For the subnets with SubnetEmitting(...): prices = SharePrice(...),
//     taoEm = SubnetTaoEmissions(E, ...), rootSell = RootSellFlag(prices).
//  4. For each of them SubnetCoinbase(...), then: pool ← result.Pool; mint exactly
//     TaoInjected + ExcessTao (they are in the pool now; TotalStake += the same);
//     SubnetProtocolAlpha += BoughtAlpha; SubnetAlphaOut += Split.Minted − Split.RootRecycled;
//     the four pending buckets += Split.OwnerCut, Server, Validator, RootDivs; a dust counter +=
//     Split.Dust. The credit not placed is never minted (subtensor's recycle of the leftover).
//  5. SubnetMovingPrice = UpdateMovingPrice(price, spot after step 4, b, first emission block).
//  6. For every subnet with ShouldRunEpoch(netuid, tempo, b): drain the buckets, run the epoch on
//     EpochEmission(server, validator, root), pay out DistributeEmission(...); IncentiveBurned and
//     Undistributed leave SubnetAlphaOut.
//
// Fees leave the pools: a buy's TAO fee goes to the block author, a sell's alpha fee is sold with
// Pool.SellFeeless for the author; with no author both are recycled. A registration burn swaps
// the TAO into the pool and destroys the alpha bought, so TotalIssuance does not move. Then
// TotalIssuance == Σ balances + Σ SubnetTAO and SubnetAlphaOut == Σ alpha stakes + pending +
// dust hold exactly after every block.

import "math"

// SubnetEmitting reports whether a subnet takes part in the coinbase: not root, its owner
// called start_call (FirstEmissionBlockNumber is set), its subtoken is enabled and registration
// is allowed (get_subnets_to_emit_to).
func SubnetEmitting(netuid uint16, started, subtokenEnabled, registrationAllowed bool) bool {
	return netuid != 0 && started && subtokenEnabled && registrationAllowed
}

// SharePrice is the price a subnet's emission share is computed from (get_moving_alpha_price):
// 1.0 for root and for stable (mechanism 0) subnets, else the stored moving price.
func SharePrice(netuid uint16, stable bool, moving I96F32) U64F64 {
	if netuid == 0 || stable {
		return U64F64One
	}
	return moving.ToU64F64()
}

// ShareInput is one emitting subnet's input to the share computation.
type ShareInput struct {
	// Price is SharePrice(...), the subnet's moving price EMA.
	Price U64F64
	// MinerBurned is the fraction of the subnet's last miner incentive that went to the owner's
	// own hotkeys (0 when unknown). Values above 1 count as 1.
	MinerBurned U64F64
	// EmissionDisabled marks a subnet root has switched off (SubnetEmissionEnabled = false).
	EmissionDisabled bool
}

// SubnetShares returns each subnet's share of the block emission:
// share_i = p_i / Σ p (U64F64 checked division, 0 if Σ = 0); then, only if some MinerBurned is
// non-zero, share_i ∝ share_i·(1 − min(MinerBurned_i, 1)) renormalised (unchanged if that sum is
// 0); then disabled subnets get 0 and the enabled shares are renormalised.
func SubnetShares(in []ShareInput) []U64F64 {
	shares := make([]U64F64, len(in))
	total := U64F64Zero
	for _, s := range in {
		total = total.SaturatingAdd(s.Price)
	}
	for i, s := range in {
		if q, ok := s.Price.CheckedDiv(total); ok {
			shares[i] = q
		}
	}
	burned := false
	for _, s := range in {
		burned = burned || !s.MinerBurned.IsZero()
	}
	if burned {
		w := make([]U64F64, len(in))
		sum := U64F64Zero
		for i, s := range in {
			w[i] = shares[i].SaturatingMul(U64F64One.SaturatingSub(s.MinerBurned.Min(U64F64One)))
			sum = sum.SaturatingAdd(w[i])
		}
		if !sum.IsZero() {
			for i := range w {
				shares[i] = w[i].SafeDiv(sum)
			}
		}
	}
	disabled := false
	enabled := U64F64Zero
	for i, s := range in {
		if s.EmissionDisabled {
			disabled = true
		} else {
			enabled = enabled.SaturatingAdd(shares[i])
		}
	}
	if disabled {
		for i, s := range in {
			if s.EmissionDisabled || enabled.IsZero() {
				shares[i] = U64F64Zero
			} else {
				shares[i] = shares[i].SafeDiv(enabled)
			}
		}
	}
	return shares
}

// SubnetTaoEmissions splits the block emission E over the emitting subnets:
// U96F32(U64F64(E) · share_i) (get_subnet_block_emissions). The sum of the floors never exceeds
// E; the chain mints only what it places (see the block step order above).
func SubnetTaoEmissions(blockEmission uint64, in []ShareInput) []U96F32 {
	shares := SubnetShares(in)
	e := U64F64FromU64(blockEmission)
	out := make([]U96F32, len(shares))
	for i, s := range shares {
		out[i] = e.SaturatingMul(s).ToU96F32()
	}
	return out
}

// RootSellFlag reports whether root dividends are paid this block: Σ of the emitting subnets'
// share prices > 1 (get_network_root_sell_flag). Otherwise the root share of alpha is recycled.
func RootSellFlag(prices []U64F64) bool {
	sum := U64F64Zero
	for _, p := range prices {
		sum = sum.SaturatingAdd(p)
	}
	return U64F64One.Less(sum)
}

// TaoWeight converts the stored TaoWeight (a u64 fraction of u64::MAX) to U96F32:
// U96F32(raw).SafeDiv(U96F32(u64::MAX)) (get_tao_weight).
func TaoWeight(raw uint64) U96F32 {
	return U96F32FromU64(raw).SafeDiv(U96F32FromU64(math.MaxUint64))
}

// StakeWeight is a hotkey's stake weight on a subnet (get_stake_weights_for_network, no child
// keys): alpha + tw·root in I64F64, with tw = TaoWeight(raw) widened exactly. It is the epoch's
// raw stake, and its floor (SaturatingToU64) is what StakeThreshold is compared with.
func StakeWeight(alphaStake, rootStake uint64, taoWeight U96F32) I64F64 {
	tw := taoWeight.ToI64F64()
	return I64F64FromU64(alphaStake).SaturatingAdd(I64F64FromU64(rootStake).SaturatingMul(tw))
}

// DefaultTaoWeightRaw is the runtime's initial TaoWeight, ≈ 0.0527 of u64::MAX.
const DefaultTaoWeightRaw uint64 = 971_718_665_099_567_868

// RootProportion is root's share of a subnet's stake-weighted mass:
// tw·RootTAO / (tw·RootTAO + alphaIssuance) in U96F32 (checked division, 0 on failure), with
// RootTAO = SubnetTAO of the root network and tw = TaoWeight(raw).
func RootProportion(rootTao, alphaIssuance uint64, taoWeight U96F32) U96F32 {
	tw := U96F32FromU64(rootTao).SaturatingMul(taoWeight)
	q, ok := tw.CheckedDiv(tw.SaturatingAdd(U96F32FromU64(alphaIssuance)))
	if !ok {
		return U96F32{}
	}
	return q
}

// OwnerCutFraction is the owner cut as a fraction: U96F32(cut).SafeDiv(U96F32(65535))
// (get_float_subnet_owner_cut); the default cut 11796 is ≈ 17.9995 %.
func OwnerCutFraction(cut uint16) U96F32 {
	return U96F32FromU64(uint64(cut)).SafeDiv(U96F32FromU64(math.MaxUint16))
}

// DefaultSubnetOwnerCut is SubnetOwnerCut's default, 11796/65535 ≈ 18 %.
const DefaultSubnetOwnerCut uint16 = 11_796

// SubnetTerms are one subnet's coinbase amounts for a block (get_subnet_terms), all U96F32.
type SubnetTerms struct {
	// TaoIn is the TAO injected into the pool as liquidity.
	TaoIn U96F32
	// AlphaIn is the alpha injected into the pool with it (at the spot price).
	AlphaIn U96F32
	// AlphaOut is the alpha minted for the subnet's participants.
	AlphaOut U96F32
	// ExcessTao is the TAO that buys alpha from the pool instead (the injection cap bit).
	ExcessTao U96F32
}

// ComputeSubnetTerms applies the injection rule of Part B §2.4 to one subnet:
//
//	alpha_out = AlphaBlockEmission(alphaIssuance)
//	alpha_in  = taoEmission / price            (0 if the price is 0)
//	cap       = rootProp · alpha_out
//	if alpha_in > cap: alpha_in = cap; tao_in = alpha_in · price   (else tao_in = taoEmission)
//	excess    = taoEmission − tao_in
//
// with price the pool's spot price converted to U96F32 (floor).
func ComputeSubnetTerms(taoEmission U96F32, alphaIssuance uint64, price U64F64, rootProp U96F32) SubnetTerms {
	alphaOut := U96F32FromU64(AlphaBlockEmission(alphaIssuance))
	p := price.ToU96F32()
	taoIn := taoEmission
	alphaIn := taoEmission.SafeDiv(p)
	if cap := rootProp.SaturatingMul(alphaOut); cap.Less(alphaIn) {
		alphaIn = cap
		taoIn = alphaIn.SaturatingMul(p)
	}
	return SubnetTerms{
		TaoIn:     taoIn,
		AlphaIn:   alphaIn,
		AlphaOut:  alphaOut,
		ExcessTao: taoEmission.SaturatingSub(taoIn),
	}
}

// PendingSplit is how one block's alpha_out is divided into the pending buckets
// (emit_to_subnets). All parts are floors of U96F32 values.
type PendingSplit struct {
	// Minted is floor(alpha_out): what SubnetAlphaOut grows by before recycling.
	Minted uint64
	// OwnerCut goes to PendingOwnerCut.
	OwnerCut uint64
	// Server goes to PendingServerEmission (the miners' half).
	Server uint64
	// Validator goes to PendingValidatorEmission (the validators' half less the root share).
	Validator uint64
	// RootDivs goes to PendingRootAlphaDivs when the root sell flag is on.
	RootDivs uint64
	// RootRecycled is the root share recycled (SubnetAlphaOut −= it) when the flag is off.
	RootRecycled uint64
	// Dust is Minted minus the five parts above: flooring losses, at most a few rao.
	Dust uint64
}

// SplitAlphaOut divides alpha_out (Part B §2.5), in U96F32:
//
//	cut       = alpha_out · ownerCut;  a = alpha_out − cut
//	root      = rootProp · a · 0.5
//	server    = a · 0.5
//	validator = (a − server) − root
//
// Each bucket receives the floor of its part; root goes to RootDivs if rootSell else it is
// recycled. ownerCut is OwnerCutFraction(SubnetOwnerCut), or 0 when OwnerCutEnabled is false.
func SplitAlphaOut(alphaOut U96F32, ownerCut, rootProp U96F32, rootSell bool) PendingSplit {
	half := U96F32FromBits(0, 1<<31)
	cut := alphaOut.SaturatingMul(ownerCut)
	a := alphaOut.SaturatingSub(cut)
	root := rootProp.SaturatingMul(a).SaturatingMul(half)
	server := a.SaturatingMul(half)
	validator := a.SaturatingSub(server).SaturatingSub(root)
	s := PendingSplit{
		Minted:    alphaOut.SaturatingToU64(),
		OwnerCut:  cut.SaturatingToU64(),
		Server:    server.SaturatingToU64(),
		Validator: validator.SaturatingToU64(),
	}
	if rootSell {
		s.RootDivs = root.SaturatingToU64()
	} else {
		s.RootRecycled = root.SaturatingToU64()
	}
	s.Dust = s.Minted - s.OwnerCut - s.Server - s.Validator - s.RootDivs - s.RootRecycled
	return s
}

// SubnetBlockInput is everything one subnet's coinbase step needs.
type SubnetBlockInput struct {
	// Pool is the subnet's pool before the block.
	Pool Pool
	// AlphaIssuance is SubnetAlphaIn + SubnetAlphaOut + protocol-held alpha.
	AlphaIssuance uint64
	// TaoEmission is the subnet's entry of SubnetTaoEmissions.
	TaoEmission U96F32
	// RootProp is RootProportion(...) for the subnet.
	RootProp U96F32
	// OwnerCut is OwnerCutFraction(cut), or 0 if OwnerCutEnabled is false.
	OwnerCut U96F32
	// RootSell is RootSellFlag(...) of the block.
	RootSell bool
	// MinimumReserve is the pool's MinimumReserve for the chain buy.
	MinimumReserve uint64
}

// SubnetBlockResult is the outcome of SubnetCoinbase.
type SubnetBlockResult struct {
	// Terms are the amounts of ComputeSubnetTerms.
	Terms SubnetTerms
	// Pool is the pool after the injection and the chain buy.
	Pool Pool
	// TaoInjected and AlphaInjected are what entered the pool as liquidity (both 0 if the
	// re-solved weight would have left [0.01, 0.99]).
	TaoInjected, AlphaInjected uint64
	// ExcessTao is the TAO that bought alpha fee-less (0 if the buy was refused, e.g. by the
	// minimum reserve); BoughtAlpha is the alpha it bought, now held by the protocol.
	ExcessTao, BoughtAlpha uint64
	// Split is the division of alpha_out into the pending buckets.
	Split PendingSplit
}

// SubnetCoinbase is one subnet's coinbase for one block (get_subnet_terms,
// inject_and_maybe_swap, emit_to_subnets): compute the terms at the current spot price, inject
// floor(tao_in) and floor(alpha_in) keeping the price, buy alpha with floor(excess) fee-less up
// to the chain's "no limit" price (NoLimitBuyPrice), and split floor(alpha_out) into the pending
// buckets. TAO that is
// neither injected nor spent is the caller's to recycle (not mint).
func SubnetCoinbase(in SubnetBlockInput) SubnetBlockResult {
	t := ComputeSubnetTerms(in.TaoEmission, in.AlphaIssuance, in.Pool.Price(), in.RootProp)
	r := SubnetBlockResult{Terms: t, Pool: in.Pool}
	tao, alpha := t.TaoIn.SaturatingToU64(), t.AlphaIn.SaturatingToU64()
	if tao != 0 || alpha != 0 {
		if next, ok := in.Pool.InjectLiquidity(tao, alpha); ok {
			r.Pool, r.TaoInjected, r.AlphaInjected = next, tao, alpha
		}
	}
	if excess := t.ExcessTao.SaturatingToU64(); excess > 0 {
		sp := SwapParams{MinimumReserve: in.MinimumReserve, LimitPrice: NoLimitBuyPrice()}
		if b, err := r.Pool.Buy(excess, sp); err == nil {
			r.Pool, r.ExcessTao, r.BoughtAlpha = b.Pool, b.Taken, b.Out
		}
	}
	r.Split = SplitAlphaOut(t.AlphaOut, in.OwnerCut, in.RootProp, in.RootSell)
	return r
}

// MovingPriceParams are the price EMA's parameters.
type MovingPriceParams struct {
	// MovingAlpha is SubnetMovingAlpha (global, default 0.000003).
	MovingAlpha I96F32
	// HalvingBlocks is EMAPriceHalvingBlocks (default 201,600 ≈ 4 weeks).
	HalvingBlocks uint64
}

// DefaultMovingPriceParams: α0 = I96F32(0.000003) (bits 12885) and h = 201,600 blocks.
func DefaultMovingPriceParams() MovingPriceParams {
	return MovingPriceParams{MovingAlpha: I96F32FromBits(0, 12885), HalvingBlocks: 201_600}
}

// UpdateMovingPrice is update_moving_price, in U64F64:
//
//	t   = block − (firstEmissionBlock − 1)        (saturating)
//	α   = α0 · t/(t + h)
//	new = α·min(spot, 1) + (1 − α)·old             stored as I96F32 (floor)
//
// old is the subnet's current share price (SharePrice); spot is the pool's price after this
// block's coinbase. The spot price is capped at 1.0 before it enters the EMA.
func UpdateMovingPrice(old, spot U64F64, block, firstEmissionBlock uint64, p MovingPriceParams) I96F32 {
	t := U64F64FromU64(satSub64(block, satSub64(firstEmissionBlock, 1)))
	a0 := p.MovingAlpha.ToU64F64()
	alpha := a0.SaturatingMul(t.SafeDiv(t.SaturatingAdd(U64F64FromU64(p.HalvingBlocks))))
	oneMinus := U64F64One.SaturatingSub(alpha)
	cur := alpha.SaturatingMul(spot.Min(U64F64One))
	mov := oneMinus.SaturatingMul(old)
	return cur.SaturatingAdd(mov).ToI96F32()
}
