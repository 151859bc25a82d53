package mechanism

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestLn2Constant(t *testing.T) {
	t.Parallel()
	// ln 2 = 2·atanh(1/3) = 2·Σ 1/((2n+1)·3^(2n+1)), summed with 300-bit integers.
	scale := new(big.Int).Lsh(big.NewInt(1), 300)
	sum := new(big.Int)
	pow := new(big.Int).Quo(scale, big.NewInt(3))
	for n := int64(0); pow.Sign() > 0; n++ {
		sum.Add(sum, new(big.Int).Quo(pow, big.NewInt(2*n+1)))
		pow.Quo(pow, big.NewInt(9))
	}
	sum.Lsh(sum, 1).Rsh(sum, 300-128)
	if got := u128Big(ln2Q128()); got.Cmp(sum) != 0 {
		t.Fatalf("ln2Q128 = %x, want %x", got, sum)
	}
}

func TestPowRatioNearOneMatchesCrate(t *testing.T) {
	t.Parallel()
	// Property (fixed seed): whenever the shortcut answers, it equals safe_bigmath's
	// pow_ratio_scaled (the full 1056-bit series); and it answers almost always.
	rng := rand.New(rand.NewPCG(9, 10))
	n := 200
	if testing.Short() {
		n = 20
	}
	scale := big.NewInt(int64(PerquintillOne))
	answered := 0
	for i := 0; i < n; i++ {
		reserve := 1 + rng.Uint64N(1<<uint(10+rng.IntN(50)))
		delta := rng.Uint64N(reserve*uint64(1+rng.IntN(999)) + 1)
		wd := PerquintillOne/2 + Perquintill(rng.Int64N(1<<30)) - 1<<29
		wn := PerquintillOne - wd
		switch i % 3 {
		case 0: // weights a few parts in 1e18 off 0.5
			wd = PerquintillOne/2 + Perquintill(rng.Int64N(200)) - 100
			wn = PerquintillOne - wd
		case 1: // |d| up to the shortcut's bound 2^-20
			off := Perquintill(rng.Int64N(int64(PerquintillOne >> 23)))
			wd, wn = PerquintillOne/2-off, PerquintillOne/2+off
		}
		fast, ok := powRatioNearOne(reserve, reserve+delta, uint64(wn), uint64(wd))
		if !ok {
			continue
		}
		answered++
		want, _ := powRatioScaled(new(big.Int).SetUint64(reserve), new(big.Int).SetUint64(reserve+delta),
			new(big.Int).SetUint64(uint64(wn)), new(big.Int).SetUint64(uint64(wd)), 1024, scale)
		if !want.IsUint64() || want.Uint64() != fast {
			t.Fatalf("r = %d/%d, exponent %d/%d: shortcut %d, crate %v", reserve, reserve+delta, wn, wd, fast, want)
		}
	}
	if answered < n*9/10 {
		t.Fatalf("the shortcut answered only %d of %d", answered, n)
	}
	// It declines what it cannot bound: a weight far from 0.5, a ratio below e^-8, a == b.
	if _, ok := powRatioNearOne(1, 2, 4e17, 6e17); ok {
		t.Fatal("exponent 2/3 must be declined")
	}
	if _, ok := powRatioNearOne(1, 10_000, 5e17+1, 5e17-1); ok {
		t.Fatal("ratio 1e-4 must be declined")
	}
	if _, ok := powRatioNearOne(7, 7, 5e17+1, 5e17-1); ok {
		t.Fatal("an exact integer result must be declined")
	}
}

func TestPowPriceRatioNearHalfMatchesCrate(t *testing.T) {
	t.Parallel()
	// Property (fixed seed): the limit-order shortcut equals pow_ratio_scaled(num, den, w, 1e18)
	// whenever it answers, for price ratios 1 … 20 and weights within 2^-21 of 0.5.
	rng := rand.New(rand.NewPCG(17, 18))
	n := 120
	if testing.Short() {
		n = 12
	}
	scale := big.NewInt(int64(PerquintillOne))
	answered := 0
	for i := 0; i < n; i++ {
		den := u128{hi: rng.Uint64N(1 << 20), lo: rng.Uint64()}
		if den.isZero() {
			continue
		}
		// num = den · (1 + up to 19), as U64F64 price bits.
		f := 1 + rng.Uint64N(19<<20)
		p := mul256(den, u128From64(f))
		num := u128{hi: p[2]<<44 | p[1]>>20, lo: p[1]<<44 | p[0]>>20} // den·f / 2^20
		if num.cmpU(den) < 0 {
			continue
		}
		off := rng.Uint64N(uint64(PerquintillOne) >> 22)
		w := uint64(PerquintillOne/2) + off
		if i%2 == 0 {
			w = uint64(PerquintillOne/2) - off
		}
		if i%5 == 0 {
			w = uint64(PerquintillOne/2) + 1 + rng.Uint64N(100)
		}
		fast, ok := powPriceRatioNearHalf(num, den, w)
		if !ok {
			continue
		}
		answered++
		want, _ := powRatioScaled(u128Big(num), u128Big(den), new(big.Int).SetUint64(w), scale, 1024, scale)
		if !want.IsUint64() || want.Uint64() != fast {
			t.Fatalf("R = %v/%v, w = %d: shortcut %d, crate %v", u128Big(num), u128Big(den), w, fast, want)
		}
	}
	if answered < n*8/10 {
		t.Fatalf("the shortcut answered only %d of %d", answered, n)
	}
	// Declined: exactly 0.5, a ratio below 1, a weight far from 0.5.
	one := u128From64(1 << 40)
	if _, ok := powPriceRatioNearHalf(one, one, uint64(PerquintillOne/2)); ok {
		t.Fatal("w = 0.5 is the exact square-root path")
	}
	if _, ok := powPriceRatioNearHalf(u128From64(1), u128From64(2), uint64(PerquintillOne/2)+1); ok {
		t.Fatal("a ratio below 1 must be declined")
	}
	if _, ok := powPriceRatioNearHalf(u128From64(4), u128From64(2), 6e17); ok {
		t.Fatal("w = 0.6 must be declined")
	}
}
