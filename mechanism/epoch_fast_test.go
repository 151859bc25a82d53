package mechanism

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

func TestRaoShareMatchesI96F32(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	xs := []int64{0, 1, -1, 1 << 31, 1 << 32, 1<<32 + 1, 1<<63 - 1, -(1 << 63), 65535 << 32, 3 << 40}
	raos := []uint64{0, 1, 2, 1_000_000_000, 1<<32 - 1, 1 << 32, 1<<63 + 5, math.MaxUint64}
	check := func(x int64, rao uint64) {
		want := I32F32{x}.ToI96F32().SaturatingMul(I96F32FromU64(rao)).SaturatingToU64()
		if got := raoShare(I32F32{x}, rao); got != want {
			t.Fatalf("raoShare(%d, %d) = %d, I96F32 arithmetic %d", x, rao, got, want)
		}
	}
	for _, x := range xs {
		for _, rao := range raos {
			check(x, rao)
		}
	}
	for range 200_000 {
		x := int64(r.Uint64() >> r.UintN(64))
		if r.IntN(6) == 0 {
			x = -x
		}
		check(x, r.Uint64()>>r.UintN(64))
	}
}

// TestMaskedBondsReaders: maskedBondsRead gives maskedBonds' rows with either reading, and
// with the classic one ColSumSparse of them, and sortedRows of them, on random inputs.
func TestMaskedBondsReaders(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	for iter := range 300 {
		in := randomInput(r)
		st := prepare(&in)
		got, sum, sorted := st.maskedBondsRead(false)
		if !sameMatrix(got, st.maskedBonds(U16ProportionToFixed)) || sum != nil || sorted != sortedRows(got) {
			t.Fatalf("case %d: the proportion reading differs from maskedBonds or sortedRows", iter)
		}
		want := st.maskedBonds(I32F32FromU16)
		got, sum, sorted = st.maskedBondsRead(true)
		if !sameMatrix(got, want) || !slices.Equal(sum, ColSumSparse(want, st.n)) || sorted != sortedRows(want) {
			t.Fatalf("case %d: the integer reading differs from maskedBonds, ColSumSparse, sortedRows", iter)
		}
	}
}

// maskedBonds is the reference reading of the stored bond rows (maskedBondsRead is the one the
// epoch uses): each u16 converted with conv, bonds on uids registered at or after last_tempo
// dropped (their old bonds are forgotten).
func (st *epochState) maskedBonds(conv func(uint16) I32F32) SparseMatrix {
	b := allocRows(st.arena, st.n, func(i int) int { return len(st.in.Neurons[i].Bonds) })
	for i := range st.in.Neurons {
		nr := &st.in.Neurons[i]
		if len(nr.Bonds) == 0 {
			continue
		}
		row := b[i]
		for _, e := range nr.Bonds {
			if st.lastTempo <= st.reg[e.UID] {
				continue
			}
			row = append(row, SparseEntry{Col: e.UID, Value: conv(e.Value)})
		}
		b[i] = row
	}
	return b
}

func sameMatrix(a, b SparseMatrix) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// TestMarkTopKMatchesSliceStable: the top-k marks equal those of a sort.SliceStable of the
// indices (the earlier implementation), ties included.
func TestMarkTopKMatchesSliceStable(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 15))
	for range 3000 {
		n := r.IntN(70)
		v := make([]I32F32, n)
		for i := range v {
			v[i] = I32F32{int64(r.IntN(5)) << 30}
		}
		k := r.IntN(n + 2)
		got := IsTopKNonzero(v, k)
		want := make([]bool, n)
		for i := range v {
			want[i] = v[i].bits != 0
		}
		if n >= k {
			idx := make([]int, n)
			for i := range idx {
				idx[i] = i
			}
			sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]].bits < v[idx[b]].bits })
			for _, i := range idx[:n-k] {
				want[i] = false
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("v %v k %d: got %v, want %v", v, k, got, want)
		}
	}
}
