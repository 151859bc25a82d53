package mechanism

// classicBonds is §1.2 step 11(a), classic Yuma ("Yuma 2"): stored bonds are read as I32F32
// integers (the u16 value itself), masked and column-normalised; ΔB = Wb·A (floored) is
// column-normalised; EMA = α·ΔB + (1−α)·B with the fixed α of BondsEMAAlpha, column-normalised;
// D = normalize(EMA·I). The bonds to store are the EMA column max-upscaled. wb is overwritten.
func (st *epochState) classicBonds(wb SparseMatrix, incentive []I32F32) ([]I32F32, SparseMatrix) {
	n := st.n
	bonds := st.maskedBonds(I32F32FromU16)
	InplaceColNormalizeSparse(bonds, n)
	// ΔB overwrites wb: its callers compute everything that reads wb (or the matrix it aliases,
	// W or W̄) before the bonds.
	delta := wb
	sum := make([]I32F32, n)
	for i, r := range delta { // ΔB_ij = Wb_ij·A_i, with the column sums in the same pass
		for k := range r {
			r[k].Value = r[k].Value.SaturatingMul(st.activeStk[i])
			sum[r[k].Col] = sum[r[k].Col].SaturatingAdd(r[k].Value)
		}
	}
	colDivide(delta, sum)
	ema := matEmaSparse(st.arena, delta, bonds, BondsEMAAlpha(st.hp.BondsMovingAverage), n)
	// Column-normalise the EMA; in the same pass D_i = Σ_j I_j·EMA_ij (floored products,
	// saturating sums in row order, as MatmulTransposeSparse) and the column maxima for storage.
	sum = ColSumSparse(ema, n)
	colMax := make([]I32F32, n)
	dividends := make([]I32F32, n)
	for i, r := range ema {
		var acc I32F32
		for k := range r {
			e := &r[k]
			if s := sum[e.Col]; s.bits != 0 {
				e.Value = e.Value.SafeDiv(s)
			}
			acc = acc.SaturatingAdd(incentive[e.Col].SaturatingMul(e.Value))
			if colMax[e.Col].Less(e.Value) {
				colMax[e.Col] = e.Value
			}
		}
		dividends[i] = acc
	}
	InplaceNormalize(dividends)
	colDivide(ema, colMax) // column max-upscale: max_i EMA_ij = 1
	return dividends, ema
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
