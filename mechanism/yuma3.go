package mechanism

import "slices"

// yuma3Bonds is §1.2 step 11(b), Yuma3: stored bonds are u16 proportions (x/65535), masked; the
// EMA uses liquid alpha when it is on and some consensus is non-zero, else the fixed α; the
// EMA is stored as is (no upscaling). Dividends: tb_i = Σ_j Bn_ij·I_j over the column-normalised
// EMA, D_i = tb_i·A_i (CheckedMul, 0 on overflow), normalised.
func (st *epochState) yuma3Bonds(wb SparseMatrix, consensus, incentive []I32F32) ([]I32F32, SparseMatrix) {
	n := st.n
	bonds := st.maskedBonds(U16ProportionToFixed)
	var ema SparseMatrix
	if st.hp.LiquidAlpha && slices.ContainsFunc(consensus, func(c I32F32) bool { return !c.IsZero() }) {
		ema = st.liquidAlphaEMA(wb, bonds, consensus)
	} else {
		ema = MatEmaSparse(wb, bonds, BondsEMAAlpha(st.hp.BondsMovingAverage), n)
	}
	// tb = row sums of MatVecMulSparse(column-normalised EMA, I), fused into one pass without
	// copying the EMA: the same truncating quotients, floored products and exact sums.
	colSum := ColSumSparse(ema, n)
	tb := make([]I32F32, n)
	for i, r := range ema {
		var acc I32F32
		for _, e := range r {
			v := e.Value
			if c := colSum[e.Col]; c.bits != 0 {
				v = v.SafeDiv(c)
			}
			acc = acc.Add(v.SaturatingMul(incentive[e.Col]))
		}
		tb[i] = acc
	}
	dividends := VecMul(tb, st.activeStk)
	InplaceNormalize(dividends)
	return dividends, ema
}

// liquidAlphaEMA is mat_ema_alpha_sparse(Wb, B, α) with α_ij = AlphaSigmoid(C_j, w_ij, b_ij).
// subtensor builds the α matrix by walking each weight and bond row with a forward merge over
// the columns 0..n−1 (compute_liquid_alpha_values_sparse), which reads w_ij and b_ij correctly
// when rows are in ascending column order. For such rows α is computed directly for the cells
// the EMA reads; a row in any other order is walked exactly as subtensor walks it.
func (st *epochState) liquidAlphaEMA(wb, bonds SparseMatrix, consensus []I32F32) SparseMatrix {
	n := st.n
	low := U16ProportionToFixed(st.hp.AlphaLow)
	high := U16ProportionToFixed(st.hp.AlphaHigh)
	k := I32F32FromInt(int64(st.hp.AlphaSigmoidSteepness)).SaturatingDiv(I32F32FromInt(-100))
	// α depends on (c, w, b) only through diff, and many cells share a diff (every weight at or
	// below consensus while buying has diff 0): memoise α by diff in a small direct-mapped table.
	var memoKey [256]int64
	var memoVal [256]I32F32
	var memoSet [256]bool
	alphaOf := func(j int, w, b I32F32) I32F32 {
		d := alphaDiff(consensus[j], w, b)
		h := uint64(d.bits) * 0x9E3779B97F4A7C15 >> 56
		if memoSet[h] && memoKey[h] == d.bits {
			return memoVal[h]
		}
		a := alphaOfDiff(d, low, high, k)
		memoKey[h], memoVal[h], memoSet[h] = d.bits, a, true
		return a
	}

	var batchAlphas func(i int)
	// Per row: a dense lookup of w and b for sorted rows, or the merged α row otherwise.
	wDense := make([]I32F32, n)
	bDense := make([]I32F32, n)
	var merged []I32F32
	row := -1
	sortedRow := true
	load := func(i int) {
		if row >= 0 {
			for _, e := range wb[row] {
				wDense[e.Col] = I32F32Zero
			}
			if row < len(bonds) {
				for _, e := range bonds[row] {
					bDense[e.Col] = I32F32Zero
				}
			}
		}
		row = i
		var brow []SparseEntry
		if i < len(bonds) {
			brow = bonds[i]
		}
		sortedRow = isAscending(wb[i]) && isAscending(brow)
		if sortedRow {
			for _, e := range wb[i] {
				wDense[e.Col] = e.Value
			}
			for _, e := range brow {
				bDense[e.Col] = e.Value
			}
			batchAlphas(i)
			return
		}
		merged = mergedAlphaRow(wb[i], brow, n, alphaOf, merged)
	}
	// MatEmaAlphaSparse asks for α of a cell once for its old bond and once for its new weight;
	// cache per row (generation-stamped) so each α is computed once.
	cache := make([]I32F32, n)
	stamp := make([]int, n)
	// batchAlphas fills the cache for every cell of a sorted weight row up front, running the
	// exponentials of memo misses two at a time (ExpPair gives Exp's exact results).
	var pendCol []int
	var pendDiff []I32F32
	batchAlphas = func(i int) {
		pendCol, pendDiff = pendCol[:0], pendDiff[:0]
		for _, e := range wb[i] {
			j := int(e.Col)
			d := alphaDiff(consensus[j], wDense[j], bDense[j])
			h := uint64(d.bits) * 0x9E3779B97F4A7C15 >> 56
			if memoSet[h] && memoKey[h] == d.bits {
				cache[j], stamp[j] = memoVal[h], i+1
				continue
			}
			pendCol, pendDiff = append(pendCol, j), append(pendDiff, d)
		}
		set := func(j int, d, e I32F32, ok bool) {
			if !ok {
				e = I32F32Zero // SafeExp
			}
			a := alphaOfExp(e, low, high)
			h := uint64(d.bits) * 0x9E3779B97F4A7C15 >> 56
			memoKey[h], memoVal[h], memoSet[h] = d.bits, a, true
			cache[j], stamp[j] = a, i+1
		}
		p := 0
		for ; p+1 < len(pendCol); p += 2 {
			e1, ok1, e2, ok2 := ExpPair(alphaExpArg(pendDiff[p], k), alphaExpArg(pendDiff[p+1], k))
			set(pendCol[p], pendDiff[p], e1, ok1)
			set(pendCol[p+1], pendDiff[p+1], e2, ok2)
		}
		if p < len(pendCol) {
			e, ok := Exp(alphaExpArg(pendDiff[p], k))
			set(pendCol[p], pendDiff[p], e, ok)
		}
	}
	alpha := func(i, j int) I32F32 {
		if i != row {
			load(i)
		}
		if !sortedRow {
			return merged[j]
		}
		if stamp[j] == i+1 {
			return cache[j]
		}
		a := alphaOf(j, wDense[j], bDense[j])
		cache[j], stamp[j] = a, i+1
		return a
	}
	return MatEmaAlphaSparse(wb, bonds, alpha, n)
}

// mergedAlphaRow reproduces compute_liquid_alpha_values_sparse for one row: for j = 0..n−1 the
// weight and bond iterators skip cells with column < j and use a cell whose column equals j.
func mergedAlphaRow(w, b []SparseEntry, n int, alphaOf func(j int, w, b I32F32) I32F32, dst []I32F32) []I32F32 {
	dst = slices.Grow(dst[:0], n)[:n]
	wi, bi := 0, 0
	for j := range n {
		var wv, bv I32F32
		for wi < len(w) && int(w[wi].Col) < j {
			wi++
		}
		if wi < len(w) && int(w[wi].Col) == j {
			wv = w[wi].Value
		}
		for bi < len(b) && int(b[bi].Col) < j {
			bi++
		}
		if bi < len(b) && int(b[bi].Col) == j {
			bv = b[bi].Value
		}
		dst[j] = alphaOf(j, wv, bv)
	}
	return dst
}

func isAscending(r []SparseEntry) bool {
	for k := 1; k < len(r); k++ {
		if r[k].Col <= r[k-1].Col {
			return false
		}
	}
	return true
}
