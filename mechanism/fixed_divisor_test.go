package mechanism

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestI32F32DivisorMatchesCheckedDiv pins the reciprocal division to CheckedDiv bit for bit.
func TestI32F32DivisorMatchesCheckedDiv(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(21, 22))
	edges := []int64{0, 1, -1, 2, 1 << 31, 1 << 32, -(1 << 32), 1<<32 - 1, 1 << 62, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	check := func(a, b int64) {
		got, gok := newI32F32Divisor(I32F32FromBits(b)).div(I32F32FromBits(a))
		want, wok := I32F32FromBits(a).CheckedDiv(I32F32FromBits(b))
		if gok != wok || (gok && got != want) {
			t.Fatalf("%d / %d: got %d,%v want %d,%v", a, b, got.Bits(), gok, want.Bits(), wok)
		}
	}
	for _, a := range edges {
		for _, b := range edges {
			check(a, b)
		}
	}
	for range 200000 {
		a := int64(r.Uint64()) >> r.IntN(64)
		b := int64(r.Uint64()) >> r.IntN(64)
		check(a, b)
		check(a, a+int64(r.IntN(5))-2)
	}
}

func TestU16ProportionViaDivisor(t *testing.T) {
	t.Parallel()
	q := newI32F32Divisor(I32F32FromU16(65535))
	for x := 0; x <= 65535; x++ {
		if got, want := q.safeDiv(I32F32FromU16(uint16(x))), U16ProportionToFixed(uint16(x)); got != want {
			t.Fatalf("%d: %v, want %v", x, got, want)
		}
	}
}
