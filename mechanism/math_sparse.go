package mechanism

import "slices"

// SparseEntry is one (column, value) cell of a sparse row.
type SparseEntry struct {
	Col   uint16
	Value I32F32
}

// SparseMatrix is a row-major sparse matrix: row i lists its cells in storage order. The
// helpers below keep that order where subtensor does, and emit ascending columns where
// subtensor densifies a row.
type SparseMatrix [][]SparseEntry

// Clone returns a deep copy (one backing array for all rows).
func (m SparseMatrix) Clone() SparseMatrix {
	out := allocRows(nil, len(m), func(i int) int { return len(m[i]) })
	for i, r := range m {
		out[i] = append(out[i], r...)
	}
	return out
}

// allocRows returns rows empty rows whose capacities are capOf(i), carved from one backing
// array (taken from a, or freshly allocated when a is nil), so building a matrix row by row
// costs at most two allocations instead of one per row.
func allocRows(a *arena, rows int, capOf func(i int) int) SparseMatrix {
	total := 0
	for i := range rows {
		total += capOf(i)
	}
	backing := a.takeEntries(total)[:total]
	out := a.takeRows(rows)
	off := 0
	for i := range rows {
		c := capOf(i)
		out[i] = backing[off : off : off+c]
		off += c
	}
	return out
}

// rowScratch is a dense accumulator reset only at touched columns, so densify-then-scan
// operations cost O(row length) instead of O(n) per row while emitting the same ascending order.
type rowScratch struct {
	val     []I32F32
	set     []bool
	touched []int
}

func newRowScratch(n int) *rowScratch {
	return &rowScratch{val: make([]I32F32, n), set: make([]bool, n)}
}

func (s *rowScratch) touch(j int) {
	if !s.set[j] {
		s.set[j] = true
		s.touched = append(s.touched, j)
	}
}

// drain returns the touched cells with value > 0 in ascending column order and resets.
func (s *rowScratch) drain(dst []SparseEntry) []SparseEntry {
	if !slices.IsSorted(s.touched) {
		slices.Sort(s.touched)
	}
	for _, j := range s.touched {
		if v := s.val[j]; v.bits > 0 {
			dst = append(dst, SparseEntry{Col: uint16(j), Value: v})
		}
		s.val[j] = I32F32Zero
		s.set[j] = false
	}
	s.touched = s.touched[:0]
	return dst
}

// MaskRowsSparse empties the rows whose mask is true.
func MaskRowsSparse(mask []bool, m SparseMatrix) SparseMatrix {
	out := make(SparseMatrix, len(m))
	for i, r := range m {
		if i < len(mask) && !mask[i] {
			out[i] = r
		}
	}
	return out
}

// MaskDiagSparse drops the diagonal cells (i, i); when except ≥ 0 the cell (except, except) is
// kept (the subnet owner's self-weight).
func MaskDiagSparse(m SparseMatrix, except int) SparseMatrix {
	out := allocRows(nil, len(m), func(i int) int { return len(m[i]) })
	for i, r := range m {
		for _, e := range r {
			if int(e.Col) != i || i == except {
				out[i] = append(out[i], e)
			}
		}
	}
	return out
}

// VecMaskSparseMatrix drops cell (i, j) when mask(first[i], second[j]) is true.
func VecMaskSparseMatrix(m SparseMatrix, first, second []uint64, mask func(a, b uint64) bool) SparseMatrix {
	out := allocRows(nil, len(m), func(i int) int { return len(m[i]) })
	for i, r := range m {
		for _, e := range r {
			if !mask(first[i], second[e.Col]) {
				out[i] = append(out[i], e)
			}
		}
	}
	return out
}

// ScalarVecMaskSparseMatrix drops cell (i, j) when mask(scalar, v[j]) is true.
func ScalarVecMaskSparseMatrix(m SparseMatrix, scalar uint64, v []uint64, mask func(a, b uint64) bool) SparseMatrix {
	out := allocRows(nil, len(m), func(i int) int { return len(m[i]) })
	for i, r := range m {
		for _, e := range r {
			if !mask(scalar, v[e.Col]) {
				out[i] = append(out[i], e)
			}
		}
	}
	return out
}

// InplaceRowNormalizeSparse divides each row by its (exact) sum when the sum is > 0.
func InplaceRowNormalizeSparse(m SparseMatrix) {
	for _, r := range m {
		var s int64
		for _, e := range r {
			s += e.Value.bits
		}
		if s <= 0 {
			continue
		}
		sum := I32F32{s}
		for k := range r {
			r[k].Value = r[k].Value.SafeDiv(sum)
		}
	}
}

// RowSumSparse returns the exact sum of each row.
func RowSumSparse(m SparseMatrix) []I32F32 {
	out := make([]I32F32, len(m))
	for i, r := range m {
		var s int64
		for _, e := range r {
			s += e.Value.bits
		}
		out[i] = I32F32{s}
	}
	return out
}

// ColSumSparse returns the saturating sum of each column.
func ColSumSparse(m SparseMatrix, columns int) []I32F32 {
	out := make([]I32F32, columns)
	for _, r := range m {
		for _, e := range r {
			out[e.Col] = out[e.Col].SaturatingAdd(e.Value)
		}
	}
	return out
}

// InplaceColNormalizeSparse divides each cell by its column's saturating sum (SafeDiv); columns
// summing to 0 are unchanged.
func InplaceColNormalizeSparse(m SparseMatrix, columns int) {
	sum := ColSumSparse(m, columns)
	for _, r := range m {
		for k := range r {
			if s := sum[r[k].Col]; s.bits != 0 {
				r[k].Value = r[k].Value.SafeDiv(s)
			}
		}
	}
}

// InplaceColMaxUpscaleSparse divides each cell by its column's maximum (SafeDiv); columns whose
// maximum is 0 are unchanged.
func InplaceColMaxUpscaleSparse(m SparseMatrix, columns int) {
	mx := make([]I32F32, columns)
	for _, r := range m {
		for _, e := range r {
			if mx[e.Col].Less(e.Value) {
				mx[e.Col] = e.Value
			}
		}
	}
	for _, r := range m {
		for k := range r {
			if c := mx[r[k].Col]; c.bits != 0 {
				r[k].Value = r[k].Value.SafeDiv(c)
			}
		}
	}
}

// MatmulSparse returns r_j = Σ_i v_i · m_ij (each product floored, saturating sums row by row).
func MatmulSparse(m SparseMatrix, v []I32F32, columns int) []I32F32 {
	out := make([]I32F32, columns)
	for i, r := range m {
		var s I32F32
		if i < len(v) {
			s = v[i]
		}
		for _, e := range r {
			out[e.Col] = out[e.Col].SaturatingAdd(s.SaturatingMul(e.Value))
		}
	}
	return out
}

// MatmulTransposeSparse returns r_i = Σ_j v_j · m_ij (floored products, saturating sums).
func MatmulTransposeSparse(m SparseMatrix, v []I32F32) []I32F32 {
	out := make([]I32F32, len(m))
	for i, r := range m {
		var acc I32F32
		for _, e := range r {
			var x I32F32
			if int(e.Col) < len(v) {
				x = v[e.Col]
			}
			acc = acc.SaturatingAdd(x.SaturatingMul(e.Value))
		}
		out[i] = acc
	}
	return out
}

// ColClipSparse returns min(m_ij, t_j); a cell above its threshold is dropped when the
// threshold is ≤ 0. Cells at or below the threshold (explicit zeros included) are kept.
func ColClipSparse(m SparseMatrix, t []I32F32) SparseMatrix { return colClipSparse(nil, m, t) }

func colClipSparse(a *arena, m SparseMatrix, t []I32F32) SparseMatrix {
	out := allocRows(a, len(m), func(i int) int { return len(m[i]) })
	for i, r := range m {
		row := out[i]
		for _, e := range r {
			th := t[e.Col]
			if th.Less(e.Value) {
				if th.bits > 0 {
					row = append(row, SparseEntry{Col: e.Col, Value: th})
				}
			} else {
				row = append(row, e)
			}
		}
		out[i] = row
	}
	return out
}

// InterpolateSparse returns a + ratio·(b − a) cell-wise (saturating, product floored), keeping
// cells > 0 in ascending column order; ratio 0 returns a and ratio 1 returns b unchanged. A
// repeated column in a row keeps its last value, as subtensor's dense row does.
func InterpolateSparse(a, b SparseMatrix, columns int, ratio I32F32) SparseMatrix {
	return interpolateSparse(nil, a, b, columns, ratio)
}

func interpolateSparse(ar *arena, a, b SparseMatrix, columns int, ratio I32F32) SparseMatrix {
	if ratio.bits == 0 {
		return a
	}
	if ratio == I32F32One {
		return b
	}
	if len(a) != len(b) {
		return b
	}
	out := allocRows(ar, len(a), func(i int) int { return len(a[i]) + len(b[i]) })
	va := newRowScratch(columns)
	vb := make([]I32F32, columns)
	for i := range a {
		for _, e := range a[i] {
			va.touch(int(e.Col))
			va.val[e.Col] = e.Value
		}
		for _, e := range b[i] {
			va.touch(int(e.Col))
			vb[e.Col] = e.Value
		}
		for _, j := range va.touched {
			v1 := va.val[j]
			va.val[j] = v1.SaturatingAdd(ratio.SaturatingMul(vb[j].SaturatingSub(v1)))
			vb[j] = I32F32Zero
		}
		out[i] = va.drain(out[i])
	}
	return out
}

// RowHadamardSparse returns m_ij · v_i (floored), keeping every cell in order.
func RowHadamardSparse(m SparseMatrix, v []I32F32) SparseMatrix {
	out := allocRows(nil, len(m), func(i int) int { return len(m[i]) })
	for i, r := range m {
		if i >= len(v) {
			break
		}
		row := out[i]
		for _, e := range r {
			row = append(row, SparseEntry{Col: e.Col, Value: e.Value.SaturatingMul(v[i])})
		}
		out[i] = row
	}
	return out
}

// MatVecMulSparse returns m_ij · v_j (floored), dropping products equal to 0.
func MatVecMulSparse(m SparseMatrix, v []I32F32) SparseMatrix {
	out := allocRows(nil, len(m), func(i int) int { return len(m[i]) })
	for i, r := range m {
		row := out[i]
		for _, e := range r {
			if int(e.Col) < len(v) {
				if p := e.Value.SaturatingMul(v[e.Col]); p.bits != 0 {
					row = append(row, SparseEntry{Col: e.Col, Value: p})
				}
			}
		}
		out[i] = row
	}
	return out
}

// MatEmaSparse returns α·new + (1−α)·old cell-wise (products floored, saturating sums; every
// `new` cell is added before every `old` cell), keeping cells > 0 in ascending column order.
// Absent cells count as 0, so a bond without a weight decays.
func MatEmaSparse(newM, oldM SparseMatrix, alpha I32F32, columns int) SparseMatrix {
	return matEmaSparse(nil, newM, oldM, alpha, columns)
}

func matEmaSparse(a *arena, newM, oldM SparseMatrix, alpha I32F32, columns int) SparseMatrix {
	oneMinus := I32F32One.SaturatingSub(alpha)
	oldRow := func(i int) []SparseEntry {
		if i < len(oldM) {
			return oldM[i]
		}
		return nil
	}
	// Rows in strictly ascending column order (what storage and the epoch's own matrices hold)
	// are merged directly: each column appears at most once in each row, so its cell is
	// 0 + α·new + (1−α)·old exactly as the accumulator adds them, emitted in ascending order.
	sorted := true
	for i, r := range newM {
		if !isAscending(r) || !isAscending(oldRow(i)) {
			sorted = false
			break
		}
	}
	if sorted {
		out := allocRows(a, len(newM), func(i int) int { return len(newM[i]) + len(oldRow(i)) })
		for i, r := range newM {
			out[i] = emaMergeRow(out[i], r, oldRow(i), alpha, oneMinus)
		}
		return out
	}
	acc := newRowScratch(columns)
	// Size each output row by the number of distinct columns of its new and old rows.
	out := allocRows(a, len(newM), func(i int) int {
		for _, e := range newM[i] {
			acc.touch(int(e.Col))
		}
		if i < len(oldM) {
			for _, e := range oldM[i] {
				acc.touch(int(e.Col))
			}
		}
		c := len(acc.touched)
		for _, j := range acc.touched {
			acc.set[j] = false
		}
		acc.touched = acc.touched[:0]
		return c
	})
	for i, r := range newM {
		for _, e := range r {
			acc.touch(int(e.Col))
			acc.val[e.Col] = acc.val[e.Col].SaturatingAdd(alpha.SaturatingMul(e.Value))
		}
		if i < len(oldM) {
			for _, e := range oldM[i] {
				acc.touch(int(e.Col))
				acc.val[e.Col] = acc.val[e.Col].SaturatingAdd(oneMinus.SaturatingMul(e.Value))
			}
		}
		out[i] = acc.drain(out[i])
	}
	return out
}

// emaMergeRow appends α·new + (1−α)·old for two strictly ascending rows, cells > 0 only.
func emaMergeRow(dst, nr, or []SparseEntry, alpha, oneMinus I32F32) []SparseEntry {
	p, q := 0, 0
	for p < len(nr) || q < len(or) {
		var col uint16
		var v I32F32
		switch {
		case q == len(or) || (p < len(nr) && nr[p].Col < or[q].Col):
			col, v = nr[p].Col, I32F32Zero.SaturatingAdd(alpha.SaturatingMul(nr[p].Value))
			p++
		case p == len(nr) || or[q].Col < nr[p].Col:
			col, v = or[q].Col, I32F32Zero.SaturatingAdd(oneMinus.SaturatingMul(or[q].Value))
			q++
		default:
			col = nr[p].Col
			v = I32F32Zero.SaturatingAdd(alpha.SaturatingMul(nr[p].Value)).SaturatingAdd(oneMinus.SaturatingMul(or[q].Value))
			p++
			q++
		}
		if v.bits > 0 {
			dst = append(dst, SparseEntry{Col: col, Value: v})
		}
	}
	return dst
}

// MatEmaAlphaSparse is subtensor's mat_ema_alpha_sparse with one α per cell (alpha[i][j]):
// decayed_ij = (1 − α_ij)·old_ij (floored; a repeated old column keeps its last value), then
// for each `new` cell in row order val = min(1, decayed_ij + max(0, α_ij·new_ij)), kept when
// > 0. Only columns present in the new row survive (in the new row's order).
func MatEmaAlphaSparse(newM, oldM SparseMatrix, alpha func(i, j int) I32F32, columns int) SparseMatrix {
	return matEmaAlphaSparse(nil, newM, oldM, alpha, columns)
}

func matEmaAlphaSparse(a *arena, newM, oldM SparseMatrix, alpha func(i, j int) I32F32, columns int) SparseMatrix {
	out := allocRows(a, len(newM), func(i int) int { return len(newM[i]) })
	decayed := newRowScratch(columns)
	for i, r := range newM {
		var old []SparseEntry
		if i < len(oldM) {
			old = oldM[i]
		}
		out[i] = emaAlphaRow(out[i], r, old, func(j int) I32F32 { return alpha(i, j) }, decayed)
	}
	return out
}

// emaAlphaRow appends one row of mat_ema_alpha_sparse to dst: decayed_j = (1 − α_j)·old_j for
// each old entry (a later entry of a column overwrites an earlier one), then for each new
// entry min(1, decayed_j + max(0, α_j·new_j)) when > 0. decayed is left cleared.
func emaAlphaRow(dst, newRow, oldRow []SparseEntry, alpha func(j int) I32F32, decayed *rowScratch) []SparseEntry {
	for _, e := range oldRow {
		decayed.touch(int(e.Col))
		decayed.val[e.Col] = I32F32One.SaturatingSub(alpha(int(e.Col))).SaturatingMul(e.Value)
	}
	for _, e := range newRow {
		a := alpha(int(e.Col))
		inc := a.SaturatingMul(e.Value).Max(I32F32Zero)
		if v := decayed.val[e.Col].SaturatingAdd(inc).Min(I32F32One); v.bits > 0 {
			dst = append(dst, SparseEntry{Col: e.Col, Value: v})
		}
	}
	for _, j := range decayed.touched {
		decayed.val[j] = I32F32Zero
		decayed.set[j] = false
	}
	decayed.touched = decayed.touched[:0]
	return dst
}

// InplaceColClip sets each dense cell to min(x_ij, t_j).
func InplaceColClip(x [][]I32F32, t []I32F32) {
	for _, r := range x {
		for j := range r {
			if j < len(t) {
				r[j] = r[j].Min(t[j])
			}
		}
	}
}

// MatEmaAlpha is the dense per-cell EMA: min(1, (1 − α_ij)·old_ij + max(0, α_ij·new_ij)).
func MatEmaAlpha(newM, oldM, alpha [][]I32F32) [][]I32F32 {
	out := make([][]I32F32, len(newM))
	for i := range newM {
		out[i] = make([]I32F32, len(newM[i]))
		for j := range newM[i] {
			a := alpha[i][j]
			dec := I32F32One.SaturatingSub(a).SaturatingMul(oldM[i][j])
			inc := a.SaturatingMul(newM[i][j]).Max(I32F32Zero)
			out[i][j] = dec.SaturatingAdd(inc).Min(I32F32One)
		}
	}
	return out
}
