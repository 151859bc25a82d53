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
	rowHadamardInPlace(delta, st.activeStk)
	InplaceColNormalizeSparse(delta, n)
	ema := MatEmaSparse(delta, bonds, BondsEMAAlpha(st.hp.BondsMovingAverage), n)
	InplaceColNormalizeSparse(ema, n)
	dividends := MatmulTransposeSparse(ema, incentive)
	InplaceNormalize(dividends)
	InplaceColMaxUpscaleSparse(ema, n)
	return dividends, ema
}
