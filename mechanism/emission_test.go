package mechanism

import (
	"math/big"
	"testing"
)

func TestBlockEmissionForIssuance(t *testing.T) {
	t.Parallel()
	// floor((1/2^k)·1e9) with k = floor(log2(1/(1 − issuance/21e15))) in I96F32; Part B §2.1.
	tests := []struct {
		issuance, want uint64
	}{
		{0, 1_000_000_000},
		{7_000_000_000_000_000, 1_000_000_000},
		{10_499_999_999_999_999, 1_000_000_000}, // ratio floors to 2^31−1 bits: y < 2
		{10_500_000_000_000_000, 500_000_000},   // ratio exactly 1/2: y = 2
		{15_749_999_999_999_999, 500_000_000},
		{15_750_000_000_000_000, 250_000_000},
		{18_375_000_000_000_000, 125_000_000},
		{19_687_500_000_000_000, 62_500_000},
		{20_343_750_000_000_000, 31_250_000},
		{20_979_492_187_500_000, 976_562}, // 1 − 2^−10: 1e9/1024 floored
		{20_999_999_999_000_000, 0},       // 1 − ratio is one ulp: 1/2^32 · 1e9 < 1
		{TotalSupply - 1, 0},
		{TotalSupply, 0}, // cap reached
		{TotalSupply + 1, 0},
		{^uint64(0), 0},
	}
	for _, tt := range tests {
		if got := BlockEmissionForIssuance(tt.issuance); got != tt.want {
			t.Errorf("BlockEmissionForIssuance(%d) = %d, want %d", tt.issuance, got, tt.want)
		}
	}
}

func TestBlockEmissionMatchesIndependentModel(t *testing.T) {
	t.Parallel()
	// Independent integer model of the same I96F32 steps: ratio = floor(i·2^32/21e15),
	// y = floor(2^64/(2^32 − ratio)), k = bitlen(y) − 33, e = floor(floor(2^32/2^k)·1e9/2^32).
	model := func(i uint64) uint64 {
		if i >= TotalSupply {
			return 0
		}
		ratio := new(big.Int).Lsh(new(big.Int).SetUint64(i), 32)
		ratio.Quo(ratio, new(big.Int).SetUint64(TotalSupply))
		rest := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 32), ratio)
		y := new(big.Int).Quo(new(big.Int).Lsh(big.NewInt(1), 64), rest)
		k := y.BitLen() - 33
		pct := new(big.Int).Rsh(new(big.Int).Lsh(big.NewInt(1), 32), uint(k))
		e := pct.Mul(pct, big.NewInt(1e9))
		return e.Rsh(e, 32).Uint64()
	}
	// A fixed sweep over the whole range plus every halving boundary ± 1.
	for i := uint64(0); i < TotalSupply; i += TotalSupply / 997 {
		if got, want := BlockEmissionForIssuance(i), model(i); got != want {
			t.Fatalf("issuance %d: got %d, model %d", i, got, want)
		}
	}
	for k := uint(1); k <= 40; k++ {
		b := TotalSupply - TotalSupply>>k
		for _, i := range []uint64{b - 1, b, b + 1} {
			if got, want := BlockEmissionForIssuance(i), model(i); got != want {
				t.Fatalf("issuance %d (k=%d): got %d, model %d", i, k, got, want)
			}
		}
	}
}

func TestTaoBlockEmissionNeverExceedsCap(t *testing.T) {
	t.Parallel()
	// Property: minting every block from any issuance never passes 21M, and the emission is
	// non-increasing in issuance.
	prev := TaoBlockEmission(0)
	for i := uint64(0); i <= TotalSupply; i += TotalSupply / 5003 {
		e := TaoBlockEmission(i)
		if i+e > TotalSupply {
			t.Fatalf("issuance %d + emission %d exceeds the cap", i, e)
		}
		if e > prev {
			t.Fatalf("emission rose from %d to %d at issuance %d", prev, e, i)
		}
		prev = e
	}
	if TaoBlockEmission(TotalSupply) != 0 || AlphaBlockEmission(TotalSupply) != 0 {
		t.Fatal("emission at the cap must be 0")
	}
	if AlphaBlockEmission(3_000_000_000) != DefaultBlockEmission {
		t.Fatal("a young subnet emits 1 alpha per block")
	}
}
