package mechanism

import (
	"math/rand/v2"
	"testing"
)

// TestExpApproxBracket checks the bracket alphaSigFast relies on, A − 88 < R < A + 2 for R the
// exact series, at both ends and a random point of every table interval and at random points.
func TestExpApproxBracket(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(11, 3))
	lo, hi := int64(1<<62), int64(-1<<62)
	check := func(x uint64) {
		if x == 0 || x > expFastMax {
			return
		}
		got, ok := expTaylor(x)
		if !ok {
			t.Fatalf("expTaylor(%d) failed inside the fast range", x)
		}
		d := int64(got) - int64(expApprox(x, expTable()))
		lo, hi = min(lo, d), max(hi, d)
		if d <= -88 || d >= 2 {
			t.Fatalf("x = %d: series − approx = %d, outside (−88, 2)", x, d)
		}
	}
	for m := uint64(0); m <= expFastMax>>24; m++ {
		check(m << 24)
		check(m<<24 + 1<<24 - 1)
		check(m<<24 + r.Uint64N(1<<24))
	}
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for range n {
		check(1 + r.Uint64N(expFastMax))
	}
	t.Logf("series − approx ∈ [%d, %d]", lo, hi)
}

// TestAlphaSigFast checks that every σ the fast path returns is the exact one, and that it
// decides the common liquid-alpha arguments (x near ±5) almost always.
func TestAlphaSigFast(t *testing.T) {
	t.Parallel()
	exact := func(x I32F32) I32F32 { return I32F32One.SaturatingDiv(I32F32One.SaturatingAdd(SafeExp(x))) }
	check := func(x I32F32) bool {
		sig, ok := alphaSigFast(x, expTable())
		if ok && sig != exact(x) {
			t.Fatalf("x = %d bits: fast σ %d, exact %d", x.bits, sig.bits, exact(x).bits)
		}
		return ok
	}
	for _, b := range []int64{0, 1, -1, 1 << 32, -1 << 32, 1<<32 + 1, 1<<32 - 1, 1 << 31, -1 << 31,
		expFastMax, -expFastMax, expFastMax + 1, -expFastMax - 1} {
		check(I32F32{b})
	}
	if _, ok := alphaSigFast(I32F32{1 << 32}, expTable()); ok {
		t.Error("x = 1 must take Exp's constant, not the fast path")
	}
	r := rand.New(rand.NewPCG(5, 8))
	n := 300_000
	if testing.Short() {
		n = 30_000
	}
	near := 0
	for range n {
		check(I32F32{r.Int64N(14<<32) - 7<<32})
		// k·(diff − 0.5) for small diffs (buying near consensus): x ∈ (4.5, 5].
		x := I32F32{5<<32 - r.Int64N(1<<31)}
		if check(x) {
			near++
		}
		check(I32F32{-x.bits})
	}
	if near < n*95/100 {
		t.Errorf("fast path decided %d of %d arguments near 5, want ≥ 95 %%", near, n)
	}
}
