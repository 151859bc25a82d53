package mechanism

import (
	"math"
	"math/rand/v2"
	"slices"
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

// TestMaskedBondsReaders: the specialised bond readers give maskedBonds' rows (and the classic
// one ColSumSparse and sortedRows of them) on random inputs.
func TestMaskedBondsReaders(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	for iter := range 300 {
		in := randomInput(r)
		st := prepare(&in)
		if got, want := st.maskedBondsProportion(), st.maskedBonds(U16ProportionToFixed); !sameMatrix(got, want) {
			t.Fatalf("case %d: maskedBondsProportion differs from maskedBonds", iter)
		}
		want := st.maskedBonds(I32F32FromU16)
		got, sum, sorted := st.maskedBondsInt()
		if !sameMatrix(got, want) || !slices.Equal(sum, ColSumSparse(want, st.n)) || sorted != sortedRows(want) {
			t.Fatalf("case %d: maskedBondsInt differs from maskedBonds, ColSumSparse, sortedRows", iter)
		}
	}
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
