package mechanism

import (
	"cmp"
	"math"
	"slices"
)

//go:generate go run gen_series.go

// Vector and matrix helpers of subtensor's epoch/math.rs, on I32F32. Rounding follows fixed.go:
// products floor, quotients truncate, sums are exact integer sums of the bits.

// eI9F23 is substrate-fixed's constant E as I9F23 bits (floor(e·2^23)), the value exp(1) returns.
const eI9F23 = 22802600

// Exp is substrate-fixed's transcendental::exp for I32F32: exp(0) = 1 and exp(1) = E (as I9F23,
// widened); otherwise the Taylor series r = 1 + |x|, term = |x|, and for i = 2..31
// term = term·|x| (floor) then term = term / i (truncating), r += term, every step checked;
// for negative x the result is 1 / r (truncating). ok is false when a checked step overflows.
//
// Since term ≥ 0, I32F32 division by the integer i is exactly the integer quotient of the bits
// (a·2^32 / (i·2^32) = a / i); see expTaylor (generated into math_series.go by gen_series.go).
func Exp(x I32F32) (I32F32, bool) {
	if x.bits == 0 {
		return I32F32One, true
	}
	if x.bits == 1<<32 {
		return I32F32{eI9F23 << 9}, true
	}
	neg := x.bits < 0
	if neg {
		if x.bits == math.MinInt64 {
			return I32F32{}, false // −min overflows (Rust's `-operand` panics here)
		}
		x = I32F32{-x.bits}
	}
	result, ok := expTaylor(uint64(x.bits))
	if !ok {
		return I32F32{}, false
	}
	r := I32F32{int64(result)}
	if neg {
		return I32F32One.CheckedDiv(r)
	}
	return r, true
}

// SafeExp is subtensor's safe_exp: Exp(x), or 0 when it fails (used by liquid alpha).
func SafeExp(x I32F32) I32F32 {
	r, ok := Exp(x)
	if !ok {
		return I32F32Zero
	}
	return r
}

// ExpSafe is subtensor's exp_safe: x clamped to [−20, 20], then Exp; on failure 0 for x ≤ 0 and
// the maximum otherwise.
func ExpSafe(x I32F32) I32F32 {
	x = x.Clamp(I32F32FromInt(-20), I32F32FromInt(20))
	r, ok := Exp(x)
	if !ok {
		if x.bits <= 0 {
			return I32F32Zero
		}
		return I32F32Max
	}
	return r
}

// SigmoidSafe is subtensor's sigmoid_safe: 1 / (1 + ExpSafe(−ρ·(x − κ))), every step saturating
// (products floor, the final quotient truncates).
func SigmoidSafe(x, rho, kappa I32F32) I32F32 {
	offset := x.SaturatingSub(kappa)
	negRho := rho.SaturatingMul(I32F32One.SaturatingNeg())
	e := ExpSafe(negRho.SaturatingMul(offset))
	return I32F32One.SafeDiv(e.SaturatingAdd(I32F32One))
}

// AlphaSigmoid is the liquid-alpha rate of Yuma3 for one (validator, miner) pair:
// diff = clamp(w − c, 0, 1) if w ≥ b else clamp(b − w, 0, 1);
// sig = 1 / (1 + SafeExp((steepness / −100)·(diff − 0.5))); α = clamp(low + sig·(high − low), low, high).
// Divisions truncate and saturate, products floor.
func AlphaSigmoid(consensus, weight, bond, low, high, steepness I32F32) I32F32 {
	return alphaSigmoidK(consensus, weight, bond, low, high, steepness.SaturatingDiv(I32F32FromInt(-100)))
}

// alphaSigmoidK is AlphaSigmoid with k = steepness / −100 already computed.
func alphaSigmoidK(consensus, weight, bond, low, high, k I32F32) I32F32 {
	return alphaOfDiff(alphaDiff(consensus, weight, bond), low, high, k)
}

// alphaDiff is the distance liquid alpha reacts to: clamp(w − c, 0, 1) when the validator is
// buying (w ≥ b), clamp(b − w, 0, 1) when selling.
func alphaDiff(consensus, weight, bond I32F32) I32F32 {
	if !weight.Less(bond) {
		return weight.SaturatingSub(consensus).Clamp(I32F32Zero, I32F32One)
	}
	return bond.SaturatingSub(weight).Clamp(I32F32Zero, I32F32One)
}

// alphaOfDiff is α = clamp(low + σ·(high − low), low, high) with σ = 1 / (1 + SafeExp(k·(diff − 0.5))).
func alphaOfDiff(diff, low, high, k I32F32) I32F32 {
	x := alphaExpArg(diff, k)
	if sig, ok := alphaSigFast(x, expTable()); ok {
		return alphaOfSig(sig, low, high)
	}
	return alphaOfExp(SafeExp(x), low, high)
}

// alphaExpArg is the exponent of the liquid-alpha sigmoid: k·(diff − 0.5).
func alphaExpArg(diff, k I32F32) I32F32 { return k.SaturatingMul(diff.SaturatingSub(I32F32Half)) }

// alphaOfExp finishes α from e = SafeExp(k·(diff − 0.5)).
func alphaOfExp(e, low, high I32F32) I32F32 {
	return alphaOfSig(I32F32One.SaturatingDiv(I32F32One.SaturatingAdd(e)), low, high)
}

// alphaOfSig finishes α from σ = 1 / (1 + e): clamp(low + σ·(high − low), low, high).
func alphaOfSig(sig, low, high I32F32) I32F32 {
	alpha := low.SaturatingAdd(sig.SaturatingMul(high.SaturatingSub(low)))
	return alpha.Clamp(low, high)
}

// Sum returns the exact (wrapping) sum of the bits of v.
func Sum(v []I32F32) I32F32 {
	var s int64
	for _, x := range v {
		s += x.bits
	}
	return I32F32{s}
}

// IsZeroVec reports Σ v == 0 (subtensor's is_zero).
func IsZeroVec(v []I32F32) bool { return Sum(v).bits == 0 }

// Normalize returns v / Σv element-wise (SafeDiv), or a copy of v when the sum is 0.
func Normalize(v []I32F32) []I32F32 {
	out := slices.Clone(v)
	InplaceNormalize(out)
	return out
}

// InplaceNormalize divides each element by Σv (SafeDiv); unchanged when the sum is 0.
func InplaceNormalize(v []I32F32) { InplaceNormalizeUsingSum(v, Sum(v)) }

// InplaceNormalizeUsingSum divides each element by sum (SafeDiv); unchanged when sum is 0.
func InplaceNormalizeUsingSum(v []I32F32, sum I32F32) {
	if sum.bits == 0 {
		return
	}
	for i := range v {
		v[i] = v[i].SafeDiv(sum)
	}
}

// InplaceNormalize64 divides each element by the (wrapping) sum in I64F64 (SafeDiv); unchanged
// when the sum is 0.
func InplaceNormalize64(v []I64F64) {
	var s I64F64
	for _, x := range v {
		s = s.Add(x)
	}
	if s.IsZero() {
		return
	}
	for i := range v {
		v[i] = v[i].SafeDiv(s)
	}
}

// VecDiv returns x_i / y_i (SafeDiv), 0 where y_i is 0.
func VecDiv(x, y []I32F32) []I32F32 {
	out := make([]I32F32, len(x))
	for i := range x {
		if i < len(y) && y[i].bits != 0 {
			out[i] = x[i].SafeDiv(y[i])
		}
	}
	return out
}

// VecMul returns x_i · y_i with CheckedMul, 0 on overflow (subtensor's vec_mul).
func VecMul(x, y []I32F32) []I32F32 {
	n := min(len(x), len(y))
	out := make([]I32F32, n)
	for i := range n {
		if p, ok := x[i].CheckedMul(y[i]); ok {
			out[i] = p
		}
	}
	return out
}

// IsTopK marks the k largest values: a stable ascending sort of the indices by value clears the
// first n−k, so among equal values the lower uids lose first. All true when n < k.
func IsTopK(v []I32F32, k int) []bool {
	out := make([]bool, len(v))
	for i := range out {
		out[i] = true
	}
	markTopK(v, k, out)
	return out
}

// IsTopKNonzero is IsTopK starting from v_i ≠ 0 (zeros are never in the top k).
func IsTopKNonzero(v []I32F32, k int) []bool {
	out := make([]bool, len(v))
	for i := range v {
		out[i] = v[i].bits != 0
	}
	markTopK(v, k, out)
	return out
}

func markTopK(v []I32F32, k int, out []bool) {
	n := len(v)
	if n < k {
		return
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	// A stable sort of the indices by value: equal values keep ascending index order.
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(v[a].bits, v[b].bits) })
	for _, i := range idx[:n-k] {
		out[i] = false
	}
}

// VecMaxUpscaleToU16 is subtensor's vec_max_upscale_to_u16: with m = max(v), m == 0 gives
// floor(v·65535); m > 32768 gives round(v · SafeDiv(65535, m)); otherwise
// round(SafeDiv(v·65535, m)); round is half away from zero, then clamp to u16. An empty vector
// gives an empty result.
func VecMaxUpscaleToU16(v []I32F32) []uint16 {
	out := make([]uint16, len(v))
	if len(v) == 0 {
		return out
	}
	m := v[0]
	for _, x := range v[1:] {
		m = m.Max(x)
	}
	u16max := I32F32FromU16(math.MaxUint16)
	switch {
	case m.bits == 0:
		for i, x := range v {
			out[i] = x.SaturatingMul(u16max).SaturatingToU16()
		}
	case m.Cmp(I32F32FromInt(32768)) > 0:
		f := u16max.SafeDiv(m)
		for i, x := range v {
			out[i] = x.SaturatingMul(f).Round().SaturatingToU16()
		}
	default:
		for i, x := range v {
			out[i] = x.SaturatingMul(u16max).SafeDiv(m).Round().SaturatingToU16()
		}
	}
	return out
}

// VecU16MaxUpscaleToU16 max-upscales u16 weights so the largest becomes 65535 (set_weights).
func VecU16MaxUpscaleToU16(v []uint16) []uint16 {
	f := make([]I32F32, len(v))
	for i, x := range v {
		f[i] = I32F32FromU16(x)
	}
	return VecMaxUpscaleToU16(f)
}

// CheckVecMaxLimited reports whether v, normalised to sum 1 in I32F32, has max ≤ limit/65535
// (both as truncating I32F32 divisions). An empty vector passes.
func CheckVecMaxLimited(v []uint16, limit uint16) bool {
	lim := I32F32FromU16(limit).SafeDiv(I32F32FromU16(math.MaxUint16))
	f := make([]I32F32, len(v))
	for i, x := range v {
		f[i] = I32F32FromU16(x)
	}
	InplaceNormalize(f)
	for _, x := range f {
		if lim.Less(x) {
			return false
		}
	}
	return true
}

// WeightedMedian is subtensor's weighted_median over the indices idxs: repeatedly take the
// score at the middle of the current index list as pivot, split into lower (score < pivot) and
// upper (score > pivot) with their stake sums; descend into lower when minority < lo + Σlower,
// into upper when hi − Σupper ≤ minority, else return the pivot. Empty gives 0, a single index
// its score; after len(idxs)+1 rounds it gives 0. Stake sums saturate.
func WeightedMedian(stake, score []I32F32, idxs []int, minority, lo, hi I32F32) I32F32 {
	var m medianScratch
	return m.median(stake, score, idxs, minority, lo, hi)
}

// medianScratch holds reusable buffers for WeightedMedian.
type medianScratch struct{ cur, lower, upper []int }

func (m *medianScratch) median(stake, score []I32F32, idxs []int, minority, lo, hi I32F32) I32F32 {
	if len(stake) != len(score) {
		return I32F32Zero
	}
	m.cur = append(m.cur[:0], idxs...)
	limit := len(idxs)
	for iter := 0; ; iter++ {
		n := len(m.cur)
		if n == 0 {
			return I32F32Zero
		}
		if n == 1 {
			return score[m.cur[0]]
		}
		pivot := score[m.cur[n/2]]
		var loStake, hiStake I32F32
		m.lower, m.upper = m.lower[:0], m.upper[:0]
		for _, i := range m.cur {
			switch s := score[i]; {
			case s.bits == pivot.bits:
			case s.bits < pivot.bits:
				loStake = loStake.SaturatingAdd(stake[i])
				m.lower = append(m.lower, i)
			default:
				hiStake = hiStake.SaturatingAdd(stake[i])
				m.upper = append(m.upper, i)
			}
		}
		switch {
		case minority.Less(lo.SaturatingAdd(loStake)) && len(m.lower) > 0:
			hi = lo.SaturatingAdd(loStake)
			m.cur = append(m.cur[:0], m.lower...)
		case hi.SaturatingSub(hiStake).LessEq(minority) && len(m.upper) > 0:
			lo = hi.SaturatingSub(hiStake)
			m.cur = append(m.cur[:0], m.upper...)
		default:
			return pivot
		}
		if iter+1 > limit {
			return I32F32Zero
		}
	}
}

// WeightedMedianCol is the dense column-wise weighted median: per column, the positive-stake
// rows' stakes are normalised, minority = Σ − majority, and WeightedMedian runs over them.
func WeightedMedianCol(stake []I32F32, score [][]I32F32, majority I32F32) []I32F32 {
	cols := 0
	if len(score) > 0 {
		cols = len(score[0])
	}
	sparse := make(SparseMatrix, len(score))
	for i, row := range score {
		for j, v := range row {
			sparse[i] = append(sparse[i], SparseEntry{Col: uint16(j), Value: v})
		}
	}
	return WeightedMedianColSparse(stake, sparse, cols, majority)
}

// WeightedMedianColSparse is subtensor's weighted_median_col_sparse: the positive entries of
// stake, in uid order, are normalised to u with total Σu; minority = Σu − majority (saturating);
// for each column the score of each positive-stake row is its entry in that column (0 if
// absent; a repeated column keeps the last entry), and C_j = WeightedMedian(u, scores, all,
// minority, 0, Σu).
func WeightedMedianColSparse(stake []I32F32, score SparseMatrix, columns int, majority I32F32) []I32F32 {
	return weightedMedianColSparse(nil, stake, score, columns, majority)
}

func weightedMedianColSparse(a *arena, stake []I32F32, score SparseMatrix, columns int, majority I32F32) []I32F32 {
	var use []I32F32
	for _, s := range stake {
		if s.bits > 0 {
			use = append(use, s)
		}
	}
	InplaceNormalize(use)
	total := Sum(use)
	minority := total.SaturatingSub(majority)
	k := len(use)
	median := a.takeVals(columns)
	if k == 0 || columns == 0 {
		return median
	}
	// A column whose scores are all 0 has median 0 (the first pivot is 0 with empty partitions),
	// so scores are gathered only for columns with a non-zero entry from a positive-stake row:
	// slot[c] numbers those columns, and their scores are stored column-major, k per column.
	slot := make([]int32, columns)
	m := int32(0)
	for i, s := range stake {
		if s.bits <= 0 || i >= len(score) {
			continue
		}
		for _, e := range score[i] {
			if c := int(e.Col); c < columns && e.Value.bits != 0 && slot[c] == 0 {
				m++
				slot[c] = m
			}
		}
	}
	if m == 0 {
		return median
	}
	scores := a.takeVals(int(m) * k)
	r := 0
	for i, s := range stake {
		if s.bits <= 0 {
			continue
		}
		if i < len(score) {
			for _, e := range score[i] {
				if c := int(e.Col); c < columns && slot[c] != 0 {
					scores[int(slot[c]-1)*k+r] = e.Value
				}
			}
		}
		r++
	}
	// Each column's scores are partitioned where they were gathered (they are not read again);
	// the stakes are copied afresh for each column.
	useBits := make([]int64, k)
	for r := range use {
		useBits[r] = use[r].bits
	}
	stk := make([]int64, k)
	for c := range columns {
		if p := int(slot[c]); p != 0 {
			copy(stk, useBits)
			median[c] = I32F32{weightedMedianInPlace(scores[(p-1)*k:p*k], stk, minority.bits, total.bits)}
		}
	}
	return median
}

// weightedMedianInPlace returns what WeightedMedian returns for all indices, lo = 0 and
// hi = total, for non-negative stakes summing to total (no sum can saturate), partitioning the
// score and stake slices in place instead of copying index lists. The result does not depend
// on the pivots: WeightedMedian keeps lo and hi equal to the stake below and up to the current
// set in score order and returns the first score whose cumulative stake exceeds minority (the
// largest score when none does); every round removes the pivot's value, so its round limit is
// never reached. TestWeightedMedianInPlaceMatchesReference checks this on random columns.
func weightedMedianInPlace(sc []I32F32, stk []int64, minority, total int64) int64 {
	lo, hi := int64(0), total
	l, r := 0, len(sc)
	for {
		switch r - l {
		case 0:
			return 0
		case 1:
			return sc[l].bits
		}
		// The pivot is the median of the first, middle and last scores: closer to the weighted
		// median than one of them alone, so fewer rounds.
		a, b, c := sc[l].bits, sc[l+(r-l)/2].bits, sc[r-1].bits
		p := max(min(a, b), min(max(a, b), c))
		// Three-way partition of [l, r): [l, lt) < p, [lt, gt) == p, [gt, r) > p.
		lt, i, gt := l, l, r
		var loStake, hiStake int64
		for i < gt {
			switch v := sc[i].bits; {
			case v < p:
				loStake += stk[i]
				sc[lt], sc[i] = sc[i], sc[lt]
				stk[lt], stk[i] = stk[i], stk[lt]
				lt++
				i++
			case v > p:
				gt--
				hiStake += stk[i]
				sc[gt], sc[i] = sc[i], sc[gt]
				stk[gt], stk[i] = stk[i], stk[gt]
			default:
				i++
			}
		}
		switch {
		case minority < lo+loStake && lt > l:
			hi = lo + loStake
			r = lt
		case hi-hiStake <= minority && gt < r:
			lo = hi - hiStake
			l = gt
		default:
			return p
		}
	}
}

// BondsEMAAlpha is the fixed EMA rate of the bonds: α = 1 − I32F32(bondsMovingAverage / 10^6),
// where the quotient is an I64F64 division (truncating) narrowed to I32F32 (floor) and the
// subtraction saturates. 900_000 gives α ≈ 0.1 (bits 429496730).
func BondsEMAAlpha(bondsMovingAverage uint64) I32F32 {
	ma := I64F64FromU64(bondsMovingAverage).SafeDiv(I64F64FromU64(1_000_000)).ToI32F32()
	return I32F32One.SaturatingSub(ma)
}
