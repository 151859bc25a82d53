package mechanism

// whitepaper is the sigmoid-consensus epoch of the whitepaper era (Part B §7.2, subtensor
// commit ff0a0bbb3), after the same activity, stake, permit and weight steps as today's epoch:
//
//	R   = normalize(Σ_i A_i·W_ij)
//	T_j = Σ_i A_i·[W_ij ≥ 0.1/(n+1)]          (I32F32(0.1) / I32F32(n+1), truncating)
//	C_j = SigmoidSafe(T_j, ρ, κ)               (1 / (1 + exp(−ρ(T_j − κ))), exp clamped to ±20)
//	I   = normalize(R ⊙ C)
//	B   = col_normalize(masked bonds); ΔB = col_normalize(W ⊙ A)
//	B'  = col_normalize(α·ΔB + (1−α)·B);  D = normalize(B'·I)
//
// α is BondsEMAAlpha(bondsMovingAverage), which at the default 900,000 is exactly the 2023
// chain's I32F32(0.1). The emission split and its fallbacks are today's (finish). Outputs: rank
// is R, trust is T, consensus is C; validator trust is each validator's row sum of thresholded
// weights; the stored bonds are B' column max-upscaled, as in the classic path.
func (st *epochState) whitepaper() epochResult {
	n := st.n
	ranks := MatmulSparse(st.weights, st.activeStk, n)
	InplaceNormalize(ranks)
	threshold := I32F32FromFloat64(0.1).SafeDiv(I32F32FromInt(int64(n) + 1))
	// Binary trust edges: 1 where the weight reaches the threshold, 0 below (clip_sparse).
	edges := make(SparseMatrix, n)
	for i, r := range st.weights {
		row := make([]SparseEntry, len(r))
		for k, e := range r {
			v := I32F32Zero
			if !e.Value.Less(threshold) {
				v = I32F32One
			}
			row[k] = SparseEntry{Col: e.Col, Value: v}
		}
		edges[i] = row
	}
	trust := MatmulSparse(edges, st.activeStk, n)
	rho := I32F32FromInt(int64(st.hp.Rho))
	kappa := U16ProportionToFixed(st.hp.Kappa)
	consensus := make([]I32F32, n)
	incentive := make([]I32F32, n)
	for j := range consensus {
		consensus[j] = SigmoidSafe(trust[j], rho, kappa)
		incentive[j] = ranks[j].SaturatingMul(consensus[j])
	}
	InplaceNormalize(incentive)
	vtrust := make([]I32F32, n)
	for i, r := range st.weights {
		for k, e := range r {
			if edges[i][k].Value == I32F32One {
				vtrust[i] = vtrust[i].Add(e.Value)
			}
		}
	}
	dividends, bonds, bondScale := st.classicBonds(st.weights, incentive)
	return epochResult{
		rank: ranks, trust: trust, consensus: consensus, incentive: incentive,
		dividends: dividends, validatorTrust: vtrust, bonds: bonds, bondScale: bondScale,
	}
}
