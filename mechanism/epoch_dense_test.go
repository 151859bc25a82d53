package mechanism

import (
	"math/rand/v2"
	"testing"
)

// denseEpoch is an independent dense n×n implementation of steps 5–11 of §1.2 (subtensor's
// epoch_dense_mechanism) for classic bonds and for Yuma3 with a fixed α, written with the
// plain I32F32 operations rather than the sparse helpers. subtensor asserts that its dense and
// sparse epochs agree (test_512_graph_random_weights); this is the same check for ours.
func denseEpoch(st *epochState) (consensus, vtrust, incentive, dividends []I32F32, bonds [][]I32F32) {
	n, hp, in := st.n, st.hp, st.in
	w := make([][]I32F32, n)
	for i := range w {
		w[i] = make([]I32F32, n)
		if !st.permitOld[i] {
			continue
		}
		for _, p := range in.Neurons[i].Weights {
			j := int(p.UID)
			if (j == i && i != st.owner) || in.Neurons[i].LastUpdate <= in.Neurons[j].RegisteredAt {
				continue
			}
			if cb := in.Neurons[i].CommitBlock; hp.CommitReveal && cb != nil && *cb < in.Neurons[j].RegisteredAt {
				continue // commit-reveal mask
			}
			w[i][j] = I32F32FromU16(p.Value)
		}
		var s I32F32
		for _, x := range w[i] {
			s = s.Add(x)
		}
		if s.IsPositive() {
			for j := range w[i] {
				w[i][j] = w[i][j].SafeDiv(s)
			}
		}
	}
	// Consensus: weighted median of each column over the positive-stake rows.
	var use []I32F32
	var rows []int
	for i, a := range st.activeStk {
		if a.IsPositive() {
			use, rows = append(use, a), append(rows, i)
		}
	}
	InplaceNormalize(use)
	total := Sum(use)
	minority := total.SaturatingSub(U16ProportionToFixed(hp.Kappa))
	idx := make([]int, len(use))
	for k := range idx {
		idx[k] = k
	}
	consensus = make([]I32F32, n)
	for j := range n {
		score := make([]I32F32, len(use))
		for k, i := range rows {
			score[k] = w[i][j]
		}
		consensus[j] = WeightedMedian(use, score, idx, minority, I32F32Zero, total)
	}
	clipped := make([][]I32F32, n)
	vtrust = make([]I32F32, n)
	ranks := make([]I32F32, n)
	for i := range n {
		clipped[i] = make([]I32F32, n)
		for j := range n {
			clipped[i][j] = w[i][j].Min(consensus[j])
			vtrust[i] = vtrust[i].Add(clipped[i][j])
			ranks[j] = ranks[j].SaturatingAdd(st.activeStk[i].SaturatingMul(clipped[i][j]))
		}
	}
	InplaceNormalize(ranks)
	incentive = ranks
	beta := U16ProportionToFixed(hp.BondsPenalty)
	wb := make([][]I32F32, n)
	for i := range n {
		wb[i] = make([]I32F32, n)
		for j := range n {
			wb[i][j] = w[i][j].SaturatingAdd(beta.SaturatingMul(clipped[i][j].SaturatingSub(w[i][j])))
		}
	}
	colNormalize := func(m [][]I32F32) {
		for j := range n {
			var s I32F32
			for i := range n {
				s = s.SaturatingAdd(m[i][j])
			}
			if !s.IsZero() {
				for i := range n {
					m[i][j] = m[i][j].SafeDiv(s)
				}
			}
		}
	}
	alpha := BondsEMAAlpha(hp.BondsMovingAverage)
	oneMinus := I32F32One.SaturatingSub(alpha)
	b := make([][]I32F32, n)
	for i := range n {
		b[i] = make([]I32F32, n)
		for _, p := range in.Neurons[i].Bonds {
			if st.lastTempo <= in.Neurons[p.UID].RegisteredAt {
				continue
			}
			if hp.Yuma3 {
				b[i][p.UID] = U16ProportionToFixed(p.Value)
			} else {
				b[i][p.UID] = I32F32FromU16(p.Value)
			}
		}
	}
	ema := make([][]I32F32, n)
	dividends = make([]I32F32, n)
	if hp.Yuma3 {
		for i := range n {
			ema[i] = make([]I32F32, n)
			for j := range n {
				ema[i][j] = alpha.SaturatingMul(wb[i][j]).SaturatingAdd(oneMinus.SaturatingMul(b[i][j]))
			}
		}
		norm := make([][]I32F32, n)
		for i := range n {
			norm[i] = append([]I32F32(nil), ema[i]...)
		}
		colNormalize(norm)
		for i := range n {
			var tb I32F32
			for j := range n {
				tb = tb.Add(norm[i][j].SaturatingMul(incentive[j]))
			}
			if d, ok := tb.CheckedMul(st.activeStk[i]); ok {
				dividends[i] = d
			}
		}
		InplaceNormalize(dividends)
		return consensus, vtrust, incentive, dividends, ema
	}
	colNormalize(b)
	delta := make([][]I32F32, n)
	for i := range n {
		delta[i] = make([]I32F32, n)
		for j := range n {
			delta[i][j] = wb[i][j].SaturatingMul(st.activeStk[i])
		}
	}
	colNormalize(delta)
	for i := range n {
		ema[i] = make([]I32F32, n)
		for j := range n {
			ema[i][j] = alpha.SaturatingMul(delta[i][j]).SaturatingAdd(oneMinus.SaturatingMul(b[i][j]))
		}
	}
	colNormalize(ema)
	for i := range n {
		for j := range n {
			dividends[i] = dividends[i].SaturatingAdd(incentive[j].SaturatingMul(ema[i][j]))
		}
	}
	InplaceNormalize(dividends)
	for j := range n { // column max-upscale for storage
		var m I32F32
		for i := range n {
			m = m.Max(ema[i][j])
		}
		if !m.IsZero() {
			for i := range n {
				ema[i][j] = ema[i][j].SafeDiv(m)
			}
		}
	}
	return consensus, vtrust, incentive, dividends, ema
}

func TestSparseEpochMatchesDense(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(512, 1))
	for iter := range 600 {
		in := randomInput(r)
		in.Hyperparameters.ConsensusMode = ConsensusYuma
		in.Hyperparameters.LiquidAlpha = false // the sparse liquid-alpha EMA drops absent cells by design
		if in.Hyperparameters.CommitReveal = r.IntN(2) == 0; in.Hyperparameters.CommitReveal {
			for i := range in.Neurons {
				if r.IntN(2) == 0 { // a commit somewhere around the registrations
					cb := in.Block - uint64(r.IntN(1200))
					in.Neurons[i].CommitBlock = &cb
				}
			}
		}
		st := prepare(&in)
		dc, dvt, di, dd, db := denseEpoch(prepare(&in))
		res := st.yuma()
		for name, pair := range map[string][2][]I32F32{
			"consensus": {res.consensus, dc}, "validator trust": {res.validatorTrust, dvt},
			"incentive": {res.incentive, di}, "dividends": {res.dividends, dd},
		} {
			for k := range pair[0] {
				if pair[0][k] != pair[1][k] {
					t.Fatalf("case %d (yuma3=%v): %s[%d] sparse %v, dense %v", iter, in.Hyperparameters.Yuma3, name, k, pair[0][k], pair[1][k])
				}
			}
		}
		for i := range st.n {
			seen := make([]bool, st.n)
			for _, e := range res.bonds[i] {
				seen[e.Col] = true
				if v := scaleBond(e, res.bondScale); v != db[i][e.Col] {
					t.Fatalf("case %d: bond (%d,%d) sparse %v, dense %v", iter, i, e.Col, v, db[i][e.Col])
				}
			}
			for j, v := range db[i] {
				if !seen[j] && v.IsPositive() {
					t.Fatalf("case %d: bond (%d,%d) missing from sparse, dense %v", iter, i, j, v)
				}
			}
		}
	}
}

// scaleBond is one cell of a bonds row as finish stores it before conversion (storedBondRow):
// e.Value divided by scale[e.Col] (SafeDiv) unless scale is nil or that column's scale is 0.
func scaleBond(e SparseEntry, scale []I32F32) I32F32 {
	if scale != nil {
		if s := scale[e.Col]; s.bits != 0 {
			return e.Value.SafeDiv(s)
		}
	}
	return e.Value
}
