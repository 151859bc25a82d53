package mechanism

// classicBonds is §1.2 step 11(a), classic Yuma ("Yuma 2"): stored bonds are read as I32F32
// integers (the u16 value itself), masked and column-normalised; ΔB = Wb·A (floored) is
// column-normalised; EMA = α·ΔB + (1−α)·B with the fixed α of BondsEMAAlpha, column-normalised;
// D = normalize(EMA·I). The bonds to store are the EMA column max-upscaled. wb is overwritten.
func (st *epochState) classicBonds(wb SparseMatrix, incentive []I32F32) ([]I32F32, SparseMatrix, []I32F32) {
	// ΔB overwrites wb: its callers compute everything that reads wb (or the matrix it aliases,
	// W or W̄) before the bonds.
	delta := wb
	sum := make([]I32F32, st.n)
	for i, r := range delta { // ΔB_ij = Wb_ij·A_i, with the column sums in the same pass
		for k := range r {
			r[k].Value = r[k].Value.SaturatingMul(st.activeStk[i])
			sum[r[k].Col] = sum[r[k].Col].SaturatingAdd(r[k].Value)
		}
	}
	return st.classicBondsDelta(delta, sum, false, incentive)
}

// classicBondsDelta is classicBonds from ΔB = Wb·A already made (delta, overwritten) with its
// column sums (sum, ColSumSparse order); deltaSorted may report that delta's rows are strictly
// ascending (false: they are checked). The stored bonds are returned as the column-normalised
// EMA and the column maxima to divide it by (colDivide), which finish applies as it converts
// the rows it stores.
func (st *epochState) classicBondsDelta(delta SparseMatrix, sum []I32F32, deltaSorted bool, incentive []I32F32) ([]I32F32, SparseMatrix, []I32F32) {
	n := st.n
	bonds, bondSum, bondsSorted := st.maskedBondsRead(true)
	alpha := BondsEMAAlpha(st.hp.BondsMovingAverage)
	var ema SparseMatrix
	if bondsSorted && (deltaSorted || sortedRows(delta)) {
		// Column-normalised ΔB and B read on the fly, with the EMA's column sums.
		ema, sum = emaNormalizedSorted(st.arena, delta, bonds, sum, bondSum, alpha, n)
	} else {
		colDivide(bonds, bondSum)
		colDivide(delta, sum)
		ema = matEmaSparse(st.arena, delta, bonds, alpha, n)
		sum = ColSumSparse(ema, n)
	}
	// Column-normalise the EMA; in the same pass D_i = Σ_j I_j·EMA_ij (floored products,
	// saturating sums in row order, as MatmulTransposeSparse) and the column maxima for storage.
	colMax := st.arena.takeVals(n)
	dividends := st.arena.takeVals(n)
	for i, r := range ema {
		var acc I32F32
		for k := range r {
			e := &r[k]
			if s := sum[e.Col]; s.bits != 0 {
				if d, ok := quoPos(e.Value, s); ok {
					e.Value = d
				} else {
					e.Value = e.Value.SafeDiv(s)
				}
			}
			acc = acc.SaturatingAdd(incentive[e.Col].SaturatingMul(e.Value))
			colMax[e.Col].bits = max(colMax[e.Col].bits, e.Value.bits)
		}
		dividends[i] = acc
	}
	InplaceNormalize(dividends)
	return dividends, ema, colMax // column max-upscale (finish): max_i EMA_ij = 1
}

// sortedRows reports whether every row is in strictly ascending column order.
func sortedRows(m SparseMatrix) bool {
	for _, r := range m {
		if !isAscending(r) {
			return false
		}
	}
	return true
}

// emaNormalizedSorted is, for strictly ascending rows, colDivide(newM, newSum),
// colDivide(oldM, oldSum), then matEmaSparse(newM, oldM, α) and ColSumSparse of the result,
// without writing the normalised inputs: each cell is divided as it is read (SafeDiv, columns
// whose sum is 0 unchanged) and the EMA's column sums are accumulated in the order
// ColSumSparse adds them. newM and oldM are left as they were.
func emaNormalizedSorted(a *arena, newM, oldM SparseMatrix, newSum, oldSum []I32F32, alpha I32F32, columns int) (SparseMatrix, []I32F32) {
	oneMinus := I32F32One.SaturatingSub(alpha)
	oldRow := func(i int) []SparseEntry {
		if i < len(oldM) {
			return oldM[i]
		}
		return nil
	}
	out := allocRows(a, len(newM), func(i int) int { return len(newM[i]) + len(oldRow(i)) })
	sum := a.takeVals(columns)
	for i, nr := range newM {
		or, dst := oldRow(i), out[i]
		p, q := 0, 0
		for p < len(nr) || q < len(or) {
			// The cell is 0 + α·new + (1−α)·old over the parts present (0 + y is y exactly).
			takeNew := q == len(or) || (p < len(nr) && nr[p].Col <= or[q].Col)
			takeOld := p == len(nr) || (q < len(or) && or[q].Col <= nr[p].Col)
			var col uint16
			var v I32F32
			if takeNew {
				col = nr[p].Col
				x := nr[p].Value
				if s := newSum[col]; s.bits != 0 {
					if d, ok := quoPos(x, s); ok {
						x = d
					} else {
						x = x.SafeDiv(s)
					}
				}
				v = alpha.SaturatingMul(x)
				p++
			}
			if takeOld {
				col = or[q].Col
				x := or[q].Value
				if s := oldSum[col]; s.bits != 0 {
					if d, ok := quoPos(x, s); ok {
						x = d
					} else {
						x = x.SafeDiv(s)
					}
				}
				v = v.SaturatingAdd(oneMinus.SaturatingMul(x))
				q++
			}
			if v.bits > 0 {
				dst = append(dst, SparseEntry{Col: col, Value: v})
				sum[col] = sum[col].SaturatingAdd(v)
			}
		}
		out[i] = dst
	}
	return out, sum
}

// colDivide divides each cell by d[column] (SafeDiv), leaving columns with d = 0 unchanged.
func colDivide(m SparseMatrix, d []I32F32) {
	for _, r := range m {
		for k := range r {
			if s := d[r[k].Col]; s.bits != 0 {
				r[k].Value = r[k].Value.SafeDiv(s)
			}
		}
	}
}

// storedBondRow converts one row of the bonds to store to u16 (FixedProportionToU16), each cell
// first divided by scale[column] (SafeDiv; columns whose scale is 0 unchanged) when scale is
// not nil: the classic path's column max-upscale, applied only to the rows that are stored.
func storedBondRow(dst []UIDValue, r []SparseEntry, scale []I32F32) {
	dst = dst[:len(r)]
	if scale == nil {
		for k, e := range r {
			dst[k] = UIDValue{UID: e.Col, Value: FixedProportionToU16(e.Value)}
		}
		return
	}
	for k, e := range r {
		v := e.Value
		if s := scale[e.Col]; s.bits != 0 {
			if d, ok := quoPos(v, s); ok {
				v = d
			} else {
				v = v.SafeDiv(s)
			}
		}
		dst[k] = UIDValue{UID: e.Col, Value: FixedProportionToU16(v)}
	}
}
