package mechanism

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// The subnet pool: subtensor's Balancer-style weighted pool (pallets/swap balancer.rs,
// swap_step.rs; Part B §3). Reserves are y = SubnetTAO (quote, rao) and x = SubnetAlphaIn (base,
// alpha rao); the quote weight w2 is a Perquintill and the base weight is w1 = 1 − w2, both kept
// in [0.01, 0.99]. A new pool starts at w2 = 0.5, where it is exactly a constant-product pool.
//
//	price          p  = (w1/w2)·(y/x)                       (U64F64, TAO per alpha, 0 if x = 0)
//	buy  (TAO in)  Δx = floor(x·(1 − (y/(y+Δy))^(w2/w1)))
//	sell (α in)    Δy = floor(y·(1 − (x/(x+Δx))^(w1/w2)))
//	fee            floor(amount·(FeeRate/65535)), taken from the input before the swap;
//	               it leaves the pool (block author or burn), never accrues to the reserves
//
// The powers are safe_bigmath's pow_ratio_scaled at scale 1e18 (see powRatioScaled), turned
// into U64F64 and multiplied into the reserve in U64F64 with a final floor, as on chain.

// Perquintill is a fraction in parts per 10^18 (sp_arithmetic's Perquintill).
type Perquintill uint64

// PerquintillOne is 1.0.
const PerquintillOne Perquintill = 1_000_000_000_000_000_000

// Pool limits and defaults.
const (
	// MinPoolWeight is the smallest allowed weight (0.01) of either side.
	MinPoolWeight = PerquintillOne / 100
	// DefaultFeeRate is the swap fee, FeeRate/65535 = 33/65535 ≈ 0.05%.
	DefaultFeeRate uint16 = 33
	// MaxFeeRate is the largest fee rate root may set (≈ 15.26%).
	MaxFeeRate uint16 = 10_000
	// DefaultMinimumReserve is the runtime MinimumReserve: a swap may not leave the output
	// reserve below it.
	DefaultMinimumReserve uint64 = 1_000_000
	// MaxInputReserveMultiple bounds a swap's net input to this multiple of the input reserve.
	MaxInputReserveMultiple uint64 = 1000
)

// Pool is one subnet's AMM state. It is a value: every operation returns a new Pool.
type Pool struct {
	// Tao is the TAO reserve y (SubnetTAO), in rao.
	Tao uint64
	// Alpha is the alpha reserve x (SubnetAlphaIn), in alpha rao.
	Alpha uint64
	// QuoteWeight is w2, the weight of the TAO side.
	QuoteWeight Perquintill
}

// NewPool returns a pool with the given reserves at weight 0.5 (constant product).
func NewPool(tao, alpha uint64) Pool {
	return Pool{Tao: tao, Alpha: alpha, QuoteWeight: PerquintillOne / 2}
}

// NewPoolAtPrice returns a pool whose weights make its price exactly price:
// w2 = y / (floor(p·x) + y) (Perquintill rounded down), test_swap_initialization's rule.
// It fails with ErrInvalidPoolWeight when that weight leaves [0.01, 0.99].
func NewPoolAtPrice(tao, alpha uint64, price U64F64) (Pool, error) {
	px := price.SaturatingMul(U64F64FromU64(alpha)).SaturatingToU64()
	den := u128From64(px)
	den, _ = den.add(u128From64(tao))
	w := perquintillFromRational(u128From64(tao), den)
	if !validQuoteWeight(w) {
		return Pool{}, fmt.Errorf("initial weight %d/1e18 for price %s: %w", w, price, ErrInvalidPoolWeight)
	}
	return Pool{Tao: tao, Alpha: alpha, QuoteWeight: w}, nil
}

// BaseWeight is w1 = 1 − w2.
func (p Pool) BaseWeight() Perquintill { return PerquintillOne - p.QuoteWeight }

// Price is the spot price (w1/w2)·(y/x) in TAO per alpha, computed as on chain:
// U64F64(w1).SafeDiv(U64F64(w2)) · U64F64(y).SafeDiv(U64F64(x)); 0 for an empty alpha side.
func (p Pool) Price() U64F64 {
	return poolPrice(p.QuoteWeight, p.Alpha, p.Tao)
}

func poolPrice(w2 Perquintill, x, y uint64) U64F64 {
	w1 := U64F64FromU64(uint64(PerquintillOne - w2))
	ratio := w1.SafeDiv(U64F64FromU64(uint64(w2)))
	return ratio.SaturatingMul(U64F64FromU64(y).SafeDiv(U64F64FromU64(x)))
}

// SwapParams are the per-subnet settings of one swap.
type SwapParams struct {
	// FeeRate is the fee in 1/65535 units (DefaultFeeRate); chain-initiated swaps pass 0.
	FeeRate uint16
	// MinimumReserve is the least the output reserve may keep (DefaultMinimumReserve).
	MinimumReserve uint64
	// LimitPrice stops a buy once the price reaches it from below, or a sell once it reaches
	// it from above; the rest of the amount is refunded. The zero value means no limit.
	LimitPrice U64F64
}

// DefaultSwapParams are the runtime defaults: fee 33/65535, minimum reserve 0.001 TAO, no limit.
func DefaultSwapParams() SwapParams {
	return SwapParams{FeeRate: DefaultFeeRate, MinimumReserve: DefaultMinimumReserve}
}

// PriceFromRaoPerAlpha converts a limit given as rao per alpha (the extrinsics' unit) to a
// U64F64 price in TAO per alpha: U64F64(limit) / U64F64(1e9).
func PriceFromRaoPerAlpha(limit uint64) U64F64 {
	return U64F64FromU64(limit).SafeDiv(U64F64FromU64(RaoPerTao))
}

// NoLimitBuyPrice and NoLimitSellPrice are the limits plain add_stake and remove_stake pass:
// 1e15 and 1e3 rao per alpha (1e6 and 1e-6 TAO per alpha). Passing them instead of no limit
// reproduces the chain even for prices beyond those bounds.
func NoLimitBuyPrice() U64F64 { return U64F64FromU64(1_000_000) }

// NoLimitSellPrice: see NoLimitBuyPrice. PriceFromRaoPerAlpha(1000) = floor(2^64·1e-6) bits.
func NoLimitSellPrice() U64F64 { return U64F64FromBits(0, 18_446_744_073_709) }

// SwapResult is the outcome of a buy or a sell.
type SwapResult struct {
	// Pool is the pool after the swap.
	Pool Pool
	// Taken is what the trader pays: DeltaIn + Fee (≤ the amount offered).
	Taken uint64
	// DeltaIn is the net input added to the input reserve.
	DeltaIn uint64
	// Fee is the fee, in the input asset. It leaves the pool: TAO fees of buys go to the block
	// author (or are recycled when there is none); alpha fees of sells are sold fee-less for
	// TAO for the author (SellFeeless), or recycled.
	Fee uint64
	// Out is the output paid to the trader (alpha for a buy, TAO for a sell).
	Out uint64
	// Refund is the part of the amount not used because the price limit was reached.
	Refund uint64
	// PriceBefore and PriceAfter are the spot prices around the swap.
	PriceBefore, PriceAfter U64F64
}

// Buy swaps amount TAO for alpha (add_stake's swap, GetAlphaForTao): the fee is taken from
// amount, the rest enters the TAO reserve and floor(x·(1 − (y/(y+Δy))^(w2/w1))) alpha leaves.
// With a limit price, only the TAO that moves the price up to the limit is swapped and the fee
// is recomputed on it as Δy·rate/(65535 − rate).
func (p Pool) Buy(amount uint64, sp SwapParams) (SwapResult, error) {
	return p.swap(amount, sp, true)
}

// Sell swaps amount alpha for TAO (remove_stake's swap, GetTaoForAlpha): the fee is taken from
// amount (in alpha), the rest enters the alpha reserve and floor(y·(1 − (x/(x+Δx))^(w1/w2))) TAO
// leaves. With a limit price, only the alpha that moves the price down to the limit is swapped.
func (p Pool) Sell(amount uint64, sp SwapParams) (SwapResult, error) {
	return p.swap(amount, sp, false)
}

func (p Pool) swap(amount uint64, sp SwapParams, buy bool) (SwapResult, error) {
	if amount == 0 {
		return SwapResult{}, ErrZeroAmount
	}
	if p.Tao == 0 || p.Alpha == 0 {
		return SwapResult{}, ErrPoolEmpty
	}
	inRes, outRes := p.Alpha, p.Tao
	if buy {
		inRes, outRes = p.Tao, p.Alpha
	}
	fee := feeAmount(amount, sp.FeeRate)
	requested := amount - fee
	current := p.Price()
	deltaIn := requested
	out := p.convert(requested, buy)
	if !sp.LimitPrice.IsZero() {
		target := p.priceAfterOut(requested, out, buy)
		closer := target.LessEq(sp.LimitPrice)
		if !buy {
			closer = sp.LimitPrice.LessEq(target)
		}
		if !closer {
			deltaIn = p.deltaInToPrice(current, sp.LimitPrice, buy)
			fee = feeOnNet(deltaIn, sp.FeeRate)
			if deltaIn == 0 {
				return SwapResult{}, fmt.Errorf("price %s, limit %s: %w", current, sp.LimitPrice, ErrPriceLimitExceeded)
			}
			if deltaIn > amount || fee > amount-deltaIn {
				// Rounding can only bring the limit amount to the full amount; swap it all.
				deltaIn, fee = requested, feeAmount(amount, sp.FeeRate)
			}
			out = p.convert(deltaIn, buy)
		}
	}
	if hi, lo := bits.Mul64(inRes, MaxInputReserveMultiple); (hi == 0 && deltaIn > lo) || inRes+deltaIn < inRes {
		return SwapResult{}, fmt.Errorf("net input %d, input reserve %d: %w", deltaIn, inRes, ErrSwapInputTooLarge)
	}
	if out == 0 || out > outRes || outRes-out < sp.MinimumReserve {
		return SwapResult{}, fmt.Errorf("output %d of reserve %d (minimum %d): %w", out, outRes, sp.MinimumReserve, ErrReservesTooLow)
	}
	next := p
	if buy {
		next.Tao += deltaIn
		next.Alpha -= out
	} else {
		next.Alpha += deltaIn
		next.Tao -= out
	}
	return SwapResult{
		Pool:        next,
		Taken:       deltaIn + fee,
		DeltaIn:     deltaIn,
		Fee:         fee,
		Out:         out,
		Refund:      amount - deltaIn - fee,
		PriceBefore: current,
		PriceAfter:  next.Price(),
	}, nil
}

// SellFeeless sells alpha with no fee and no limit (the conversion of an alpha fee for the
// block author, and other chain-side sells). MinimumReserve still applies.
func (p Pool) SellFeeless(amount, minimumReserve uint64) (SwapResult, error) {
	return p.Sell(amount, SwapParams{MinimumReserve: minimumReserve})
}

// feeAmount is calculate_fee_amount: floor(U64F64(amount) · (U64F64(rate).SafeDiv(65535))).
func feeAmount(amount uint64, rate uint16) uint64 {
	if rate == 0 {
		return 0
	}
	r := U64F64FromU64(uint64(rate)).SafeDiv(U64F64FromU64(math.MaxUint16))
	return U64F64FromU64(amount).SaturatingMul(r).SaturatingToU64()
}

// feeOnNet is the fee recomputed on a limit-capped net input: floor(Δ · rate/(65535 − rate)).
func feeOnNet(delta uint64, rate uint16) uint64 {
	if rate == 0 {
		return 0
	}
	r := U64F64FromU64(uint64(rate))
	f := r.SafeDiv(U64F64FromU64(math.MaxUint16).SaturatingSub(r))
	return U64F64FromU64(delta).SaturatingMul(f).SaturatingToU64()
}

// convert is convert_deltas: the output for a net input delta.
func (p Pool) convert(delta uint64, buy bool) uint64 {
	if delta == 0 {
		return 0
	}
	if buy {
		e := p.expScaled(p.Tao, delta, false)
		return U64F64FromU64(p.Alpha).SaturatingMul(U64F64One.SaturatingSub(e)).SaturatingToU64()
	}
	e := p.expScaled(p.Alpha, delta, true)
	return U64F64FromU64(p.Tao).SaturatingMul(U64F64One.SaturatingSub(e)).SaturatingToU64()
}

// priceAfterOut is price_target: the price after swapping net delta for out.
func (p Pool) priceAfterOut(delta, out uint64, buy bool) U64F64 {
	if buy {
		return poolPrice(p.QuoteWeight, satSub64(p.Alpha, out), satAdd64(p.Tao, delta))
	}
	return poolPrice(p.QuoteWeight, satAdd64(p.Alpha, delta), satSub64(p.Tao, out))
}

// expScaled is Balancer::exp_scaled for a non-negative delta: (r/(r+d))^(w1/w2) when baseQuote
// (sells) or ^(w2/w1) (buys), as U64F64(pow_ratio_scaled(…, 1e18)) / 1e18, at most 1.
func (p Pool) expScaled(reserve, delta uint64, baseQuote bool) U64F64 {
	sum := satAdd64(reserve, delta)
	if sum == 0 {
		return U64F64Zero
	}
	w1, w2 := uint64(p.BaseWeight()), uint64(p.QuoteWeight)
	if !baseQuote {
		w1, w2 = w2, w1
	}
	var r uint64
	if w1 == w2 {
		// Exponent 1: pow_ratio_scaled's exact path is floor(reserve·1e18 / sum) ≤ 1e18.
		hi, lo := bits.Mul64(reserve, uint64(PerquintillOne))
		r, _ = bits.Div64(hi, lo, sum)
	} else if f, ok := powRatioNearOne(reserve, sum, w1, w2); ok {
		r = f
	} else {
		res, ok := powRatioScaled(new(big.Int).SetUint64(reserve), new(big.Int).SetUint64(sum),
			new(big.Int).SetUint64(w1), new(big.Int).SetUint64(w2), 1024, big.NewInt(int64(PerquintillOne)))
		if !ok || !res.IsUint64() {
			return U64F64Zero
		}
		r = res.Uint64()
	}
	e := U64F64FromU64(r).SafeDiv(U64F64FromU64(uint64(PerquintillOne)))
	return e.Min(U64F64One)
}

// deltaInToPrice is calculate_quote_delta_in (buys: Δy = y·((p'/p)^w1 − 1)) and
// calculate_base_delta_in (sells: Δx = x·((p/p')^w2 − 1)), with pow_ratio_scaled on the raw
// U64F64 bits of the two prices.
func (p Pool) deltaInToPrice(current, limit U64F64, buy bool) uint64 {
	num, den := current, limit
	w := uint64(p.QuoteWeight)
	reserve := p.Alpha
	if buy {
		num, den = limit, current
		w = uint64(p.BaseWeight())
		reserve = p.Tao
	}
	var ef U64F64
	nh, nl := num.Bits()
	dh, dl := den.Bits()
	if r, ok := powPriceRatioNearHalf(u128{hi: nh, lo: nl}, u128{hi: dh, lo: dl}, w); ok {
		ef = U64F64FromU64(r)
		factor := ef.SafeDiv(U64F64FromU64(uint64(PerquintillOne))).SaturatingSub(U64F64One)
		return U64F64FromU64(reserve).SaturatingMul(factor).SaturatingToU64()
	}
	scale := big.NewInt(int64(PerquintillOne))
	res, ok := powRatioScaled(u64f64Big(num), u64f64Big(den), new(big.Int).SetUint64(w), scale, 1024, scale)
	if !ok {
		return 0
	}
	switch {
	case res.IsUint64():
		ef = U64F64FromU64(res.Uint64())
	case res.Sign() > 0:
		ef = U64F64FromU64(math.MaxUint64)
	}
	factor := ef.SafeDiv(U64F64FromU64(uint64(PerquintillOne))).SaturatingSub(U64F64One)
	return U64F64FromU64(reserve).SaturatingMul(factor).SaturatingToU64()
}

func u64f64Big(v U64F64) *big.Int {
	hi, lo := v.Bits()
	b := new(big.Int).SetUint64(hi)
	return b.Lsh(b, 64).Or(b, new(big.Int).SetUint64(lo))
}

// InjectLiquidity adds protocol liquidity (tao, alpha) without moving the price
// (update_weights_for_added_liquidity): the new quote weight is q2/(q1+q2) with
// q1 = round(w1·y·(x+Δx)), q2 = round(w2·x·(y+Δy)) (Perquintill, rounded down), or 0.5 when a
// reserve is and stays zero. If that weight leaves [0.01, 0.99] nothing is injected: the pool is
// returned unchanged with ok = false and the caller recycles the TAO (and does not mint the
// alpha). Injecting in the current price ratio keeps the weight, up to rounding.
func (p Pool) InjectLiquidity(tao, alpha uint64) (next Pool, ok bool) {
	y, x := u128From64(p.Tao), u128From64(p.Alpha)
	ny, _ := y.add(u128From64(tao))
	nx, _ := x.add(u128From64(alpha))
	q1 := mulPerquintillRound(p.BaseWeight(), satMul128(y, nx))
	q2 := mulPerquintillRound(p.QuoteWeight, satMul128(x, ny))
	sum, c := q1.add(q2)
	if c != 0 {
		sum = u128MaxU
	}
	w := PerquintillOne / 2
	if !sum.isZero() {
		w = perquintillFromRational(q2, sum)
	}
	if !validQuoteWeight(w) {
		return p, false
	}
	return Pool{Tao: satAdd64(p.Tao, tao), Alpha: satAdd64(p.Alpha, alpha), QuoteWeight: w}, true
}

func validQuoteWeight(w Perquintill) bool {
	return w >= MinPoolWeight && w <= PerquintillOne && PerquintillOne-w >= MinPoolWeight
}

// satMul128 multiplies two words saturating at 2^128 − 1 (u128::saturating_mul).
func satMul128(a, b u128) u128 {
	p := mul256(a, b)
	if p[2] != 0 || p[3] != 0 {
		return u128MaxU
	}
	return u128{hi: p[1], lo: p[0]}
}

// mulPerquintillRound is Balancer::mul_perquintill_round: (v·parts + 1e18/2) / 1e18 in 256-bit
// arithmetic, clamped to u128.
func mulPerquintillRound(w Perquintill, v u128) u128 {
	p := mul256(v, u128From64(uint64(w)))
	var c uint64
	p[0], c = bits.Add64(p[0], uint64(PerquintillOne/2), 0)
	p[1], c = bits.Add64(p[1], 0, c)
	p[2], c = bits.Add64(p[2], 0, c)
	p[3] += c
	q := div256by64(p, uint64(PerquintillOne))
	if q[2] != 0 || q[3] != 0 {
		return u128MaxU
	}
	return u128{hi: q[1], lo: q[0]}
}

// div256by64 divides a 256-bit value by d, flooring.
func div256by64(p [4]uint64, d uint64) [4]uint64 {
	var q [4]uint64
	var r uint64
	for i := 3; i >= 0; i-- {
		q[i], r = bits.Div64(r, p[i], d)
	}
	return q
}

// perquintillFromRational is Perquintill::from_rational(p, q): floor(p·1e18/q) for p < q, and 1
// when p ≥ q or q = 0.
func perquintillFromRational(p, q u128) Perquintill {
	if q.isZero() || p.cmpU(q) >= 0 {
		return PerquintillOne
	}
	if q.hi == 0 {
		// p < q < 2^64: p·1e18 fits 128 bits.
		hi, lo := bits.Mul64(p.lo, uint64(PerquintillOne))
		r, _ := bits.Div64(hi, lo, q.lo)
		return Perquintill(r)
	}
	if p.hi < 1<<22 {
		// p < 2^86: p·5^18 fits 128 bits and p·1e18 = (p·5^18)·2^18.
		n := mul256(p, u128From64(3_814_697_265_625))
		if q, ok := divShifted(u128{hi: n[1], lo: n[0]}, 18, q); ok {
			return Perquintill(q.lo)
		}
	}
	// p·1e18 < 2^188 and the quotient is below 1e18 < 2^60: take the top 128 bits (below q),
	// then bring down the low 60 bits one at a time (restoring division).
	n := mul256(p, u128From64(uint64(PerquintillOne)))
	r := u128{hi: n[2]<<4 | n[1]>>60, lo: n[1]<<4 | n[0]>>60}
	var quot uint64
	for i := 59; i >= 0; i-- {
		carry := r.hi >> 63
		r = r.shl(1)
		r.lo |= n[0] >> uint(i) & 1
		quot <<= 1
		if carry != 0 || r.cmpU(q) >= 0 {
			r, _ = r.sub(q)
			quot |= 1
		}
	}
	return Perquintill(quot)
}

func u128Big(v u128) *big.Int {
	b := new(big.Int).SetUint64(v.hi)
	return b.Lsh(b, 64).Or(b, new(big.Int).SetUint64(v.lo))
}

// SwapQuote previews a swap without changing the pool.
type SwapQuote struct {
	SwapResult
	// Ideal is what the net input would buy at the spot price with no price impact
	// (floor(Δy/p) for a buy, floor(Δx·p) for a sell).
	Ideal uint64
	// SlippagePPM is (Ideal − Out)/Ideal in parts per million (fee excluded).
	SlippagePPM uint64
	// ImpactPPM is |PriceAfter − PriceBefore|/PriceBefore in parts per million.
	ImpactPPM uint64
}

// QuoteBuy previews Buy(amount, sp): the expected alpha, the fee, the refund at the limit and
// the price impact and slippage.
func (p Pool) QuoteBuy(amount uint64, sp SwapParams) (SwapQuote, error) {
	return p.quote(amount, sp, true)
}

// QuoteSell previews Sell(amount, sp).
func (p Pool) QuoteSell(amount uint64, sp SwapParams) (SwapQuote, error) {
	return p.quote(amount, sp, false)
}

func (p Pool) quote(amount uint64, sp SwapParams, buy bool) (SwapQuote, error) {
	r, err := p.swap(amount, sp, buy)
	if err != nil {
		return SwapQuote{}, err
	}
	q := SwapQuote{SwapResult: r}
	in := U64F64FromU64(r.DeltaIn)
	if buy {
		q.Ideal = in.SafeDiv(r.PriceBefore).SaturatingToU64()
	} else {
		q.Ideal = in.SaturatingMul(r.PriceBefore).SaturatingToU64()
	}
	if q.Ideal > r.Out {
		q.SlippagePPM = ppm(U64F64FromU64(q.Ideal-r.Out), U64F64FromU64(q.Ideal))
	}
	diff := r.PriceAfter.SaturatingSub(r.PriceBefore)
	if r.PriceAfter.Less(r.PriceBefore) {
		diff = r.PriceBefore.SaturatingSub(r.PriceAfter)
	}
	q.ImpactPPM = ppm(diff, r.PriceBefore)
	return q, nil
}

// ppm is floor(1e6·a/b), 0 when b is 0.
func ppm(a, b U64F64) uint64 {
	return a.SafeDiv(b).SaturatingMul(U64F64FromU64(1_000_000)).SaturatingToU64()
}
