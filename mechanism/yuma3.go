package mechanism

import "slices"

// yuma3Bonds is §1.2 step 11(b), Yuma3: stored bonds are u16 proportions (x/65535), masked; the
// EMA uses liquid alpha when it is on and some consensus is non-zero, else the fixed α; the
// EMA is stored as is (no upscaling). Dividends: tb_i = Σ_j Bn_ij·I_j over the column-normalised
// EMA, D_i = tb_i·A_i (CheckedMul, 0 on overflow), normalised.
// wbSorted may report that every row of wb is strictly ascending (false: rows are checked).
func (st *epochState) yuma3Bonds(wb SparseMatrix, wbSorted bool, consensus, incentive []I32F32) ([]I32F32, SparseMatrix) {
	n := st.n
	bonds, _, bondsSorted := st.maskedBondsRead(false)
	var ema SparseMatrix
	var colSum []I32F32
	if st.hp.LiquidAlpha && slices.ContainsFunc(consensus, func(c I32F32) bool { return !c.IsZero() }) {
		ema, colSum = st.liquidAlphaEMASorted(wb, bonds, consensus, wbSorted && bondsSorted)
	} else {
		ema = matEmaSparse(st.arena, wb, bonds, BondsEMAAlpha(st.hp.BondsMovingAverage), n)
		colSum = ColSumSparse(ema, n)
	}
	// tb = row sums of MatVecMulSparse(column-normalised EMA, I), fused into one pass without
	// copying the EMA: the same truncating quotients, floored products and exact sums.
	tb := st.arena.takeVals(n)
	for i, r := range ema {
		var acc I32F32
		for _, e := range r {
			v := e.Value
			if c := colSum[e.Col]; c.bits != 0 {
				if d, ok := quoPos(v, c); ok {
					v = d
				} else {
					v = v.SafeDiv(c)
				}
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
//
// The EMA is fused with the α row: for a sorted row, cell j of the result is
// min(1, (1 − α_j)·b_ij + max(0, α_j·w_ij)) with b_ij = 0 where row i has no bond on j, which
// is what mat_ema_alpha_sparse computes (it emits only the weight row's columns, so α of a bond
// whose column has no weight is never needed). Other rows go through emaAlphaRow with the α
// row subtensor builds.
func (st *epochState) liquidAlphaEMA(wb, bonds SparseMatrix, consensus []I32F32) SparseMatrix {
	ema, _ := st.liquidAlphaEMASum(wb, bonds, consensus)
	return ema
}

// liquidAlphaEMASum is liquidAlphaEMA that also returns ColSumSparse of the result, summed in
// the same order (rows in order, cells in order) as each row is made.
func (st *epochState) liquidAlphaEMASum(wb, bonds SparseMatrix, consensus []I32F32) (SparseMatrix, []I32F32) {
	return st.liquidAlphaEMASorted(wb, bonds, consensus, false)
}

// liquidAlphaEMASorted is liquidAlphaEMASum told whether every row of wb and bonds is known to
// be strictly ascending (false: each row is checked as it is loaded).
func (st *epochState) liquidAlphaEMASorted(wb, bonds SparseMatrix, consensus []I32F32, sorted bool) (SparseMatrix, []I32F32) {
	la := newLiquidAlpha(st.arena, st.hp, st.n, wb, bonds, consensus)
	la.allSorted = sorted
	out := allocRows(st.arena, len(wb), func(i int) int { return len(wb[i]) })
	sum := st.arena.takeVals(st.n)
	var decayed *rowScratch
	for i, r := range wb {
		la.load(i)
		if !la.sorted {
			if decayed == nil {
				decayed = newRowScratch(st.n)
			}
			out[i] = emaAlphaRow(out[i], r, la.bondRow(i), func(j int) I32F32 { return la.merged[j] }, decayed)
			for _, e := range out[i] {
				sum[e.Col] = sum[e.Col].SaturatingAdd(e.Value)
			}
			continue
		}
		row := out[i]
		for _, e := range r {
			a := la.cache[e.Col]
			dec := I32F32One.SaturatingSub(a).SaturatingMul(la.bDense[e.Col])
			inc := a.SaturatingMul(e.Value).Max(I32F32Zero)
			if v := dec.SaturatingAdd(inc).Min(I32F32One); v.bits > 0 {
				row = append(row, SparseEntry{Col: e.Col, Value: v})
				sum[e.Col] = sum[e.Col].SaturatingAdd(v)
			}
		}
		out[i] = row
	}
	return out, sum
}

// liquidAlpha computes α_ij row by row for liquidAlphaEMA: load(i) fills cache (sorted rows,
// every weight cell) or merged (other rows).
type liquidAlpha struct {
	low, high, k I32F32
	consensus    []I32F32
	tab          *expTab
	wb, bonds    SparseMatrix
	n            int

	row       int      // the loaded row, −1 before the first
	sorted    bool     // the loaded row's weights and bonds are in ascending column order
	allSorted bool     // every row of wb and bonds is known to be in ascending column order
	wDense    []I32F32 // sorted rows: w_ij and b_ij by column
	bDense    []I32F32
	merged    []I32F32 // other rows: subtensor's α row
	cache     []I32F32 // sorted rows: α of the loaded row's weight cells by column
	pendCol   []int
	pendDiff  []I32F32
	memoKey   [256]int64  // α by diff (direct-mapped): many cells share a diff, e.g. every
	memoVal   [256]I32F32 // weight at or below consensus while buying has diff 0
	memoSet   [256]bool
}

// newLiquidAlpha takes its dense rows from a (nil allocates).
func newLiquidAlpha(a *arena, hp Hyperparameters, n int, wb, bonds SparseMatrix, consensus []I32F32) *liquidAlpha {
	return &liquidAlpha{
		low:       U16ProportionToFixed(hp.AlphaLow),
		high:      U16ProportionToFixed(hp.AlphaHigh),
		k:         I32F32FromInt(int64(hp.AlphaSigmoidSteepness)).SaturatingDiv(I32F32FromInt(-100)),
		consensus: consensus, tab: expTable(), wb: wb, bonds: bonds, n: n, row: -1,
		wDense: a.takeVals(n), bDense: a.takeVals(n), cache: a.takeVals(n),
	}
}

func memoSlot(d I32F32) uint64 { return uint64(d.bits) * 0x9E3779B97F4A7C15 >> 56 }

func (la *liquidAlpha) remember(d, a I32F32) {
	h := memoSlot(d)
	la.memoKey[h], la.memoVal[h], la.memoSet[h] = d.bits, a, true
}

func (la *liquidAlpha) recall(d I32F32) (I32F32, bool) {
	h := memoSlot(d)
	if la.memoSet[h] && la.memoKey[h] == d.bits {
		return la.memoVal[h], true
	}
	return I32F32{}, false
}

// alphaOf is AlphaSigmoid(C_j, w, b) through the memo.
func (la *liquidAlpha) alphaOf(j int, w, b I32F32) I32F32 {
	d := alphaDiff(la.consensus[j], w, b)
	if a, ok := la.recall(d); ok {
		return a
	}
	a := alphaOfDiff(d, la.low, la.high, la.k)
	la.remember(d, a)
	return a
}

func (la *liquidAlpha) bondRow(i int) []SparseEntry {
	if i < len(la.bonds) {
		return la.bonds[i]
	}
	return nil
}

// load switches to row i: a dense view of its weights and bonds (sorted rows, with the α of
// every weight cell computed up front) or subtensor's merged α row.
func (la *liquidAlpha) load(i int) {
	if la.row >= 0 {
		for _, e := range la.wb[la.row] {
			la.wDense[e.Col] = I32F32Zero
		}
		for _, e := range la.bondRow(la.row) {
			la.bDense[e.Col] = I32F32Zero
		}
	}
	la.row = i
	brow := la.bondRow(i)
	la.sorted = la.allSorted || (isAscending(la.wb[i]) && isAscending(brow))
	if !la.sorted {
		la.merged = mergedAlphaRow(la.wb[i], brow, la.n, la.alphaOf, la.merged)
		return
	}
	for _, e := range la.wb[i] {
		la.wDense[e.Col] = e.Value
	}
	for _, e := range brow {
		la.bDense[e.Col] = e.Value
	}
	la.batch(i)
}

// batch fills the cache for every weight cell of sorted row i: memo hits, then σ from the
// bracketed exponential (alphaSigFast), and the exponentials it cannot decide two at a time
// (ExpPair gives Exp's exact results).
func (la *liquidAlpha) batch(i int) {
	la.pendCol, la.pendDiff = la.pendCol[:0], la.pendDiff[:0]
	for _, e := range la.wb[i] {
		j := int(e.Col)
		d := alphaDiff(la.consensus[j], la.wDense[j], la.bDense[j])
		if a, ok := la.recall(d); ok {
			la.cache[j] = a
			continue
		}
		if sig, ok := alphaSigFast(alphaExpArg(d, la.k), la.tab); ok {
			a := alphaOfSig(sig, la.low, la.high)
			la.remember(d, a)
			la.cache[j] = a
			continue
		}
		la.pendCol, la.pendDiff = append(la.pendCol, j), append(la.pendDiff, d)
	}
	set := func(p int, e I32F32, ok bool) {
		if !ok {
			e = I32F32Zero // SafeExp
		}
		a := alphaOfExp(e, la.low, la.high)
		la.remember(la.pendDiff[p], a)
		la.cache[la.pendCol[p]] = a
	}
	p := 0
	for ; p+1 < len(la.pendCol); p += 2 {
		e1, ok1, e2, ok2 := ExpPair(alphaExpArg(la.pendDiff[p], la.k), alphaExpArg(la.pendDiff[p+1], la.k))
		set(p, e1, ok1)
		set(p+1, e2, ok2)
	}
	if p < len(la.pendCol) {
		e, ok := Exp(alphaExpArg(la.pendDiff[p], la.k))
		set(p, e, ok)
	}
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
