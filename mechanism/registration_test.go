package mechanism

import (
	"errors"
	"testing"
)

// testBurnParams are the registration tests' subnet settings: min 0, max u64::MAX.
func testBurnParams(halfLife uint16, mult uint64) BurnParams {
	return BurnParams{HalfLife: halfLife, IncreaseMult: U64F64FromU64(mult), MinBurn: 0, MaxBurn: ^uint64(0)}
}

func TestDecayFactorQ32(t *testing.T) {
	t.Parallel()
	// Largest Q32 f with f^h ≤ 0.5 (square-and-multiply, floored): tests/registration.rs.
	tests := []struct {
		h    uint16
		want uint64
	}{
		{0, 1 << 32}, // no decay
		{1, 2_147_483_648},
		{2, 3_037_000_500},
		{360, 4_286_705_684},
		{1000, 4_291_991_283},
	}
	for _, tt := range tests {
		if got := DecayFactorQ32(tt.h); got != tt.want {
			t.Errorf("DecayFactorQ32(%d) = %d, want %d", tt.h, got, tt.want)
		}
	}
}

func TestBurnVectors(t *testing.T) {
	t.Parallel()
	// test_burn_decay: h = 1000, mult 2, burn 1000: register ⇒ 2000; next block ⇒ 1998.
	p := testBurnParams(1000, 2)
	f := DecayFactorQ32(1000)
	b := BumpBurn(1000, p)
	if b != 2000 {
		t.Fatalf("bump = %d, want 2000", b)
	}
	if b = DecayBurn(b, 3, f, p); b != 1998 {
		t.Fatalf("decayed = %d, want 1998", b)
	}
	// test_update_registration_prices_for_networks_runs_on_next_block_step: 1000 ⇒ 999.
	if got := DecayBurn(1000, 2, f, p); got != 999 {
		t.Fatalf("one block = %d, want 999", got)
	}
	// Genesis blocks (≤ 1) do not decay.
	if got := DecayBurn(1000, 1, f, p); got != 1000 {
		t.Fatalf("block 1 decayed to %d", got)
	}
	// test_burn_halves_every_half_life: h = 2, mult 1, burn 1024: 724, 511, 361, 255.
	p2 := testBurnParams(2, 1)
	f2 := DecayFactorQ32(2)
	want := []uint64{724, 511, 361, 255}
	b = 1024
	for i, w := range want {
		b = DecayBurn(b, uint64(10+i), f2, p2)
		if b != w {
			t.Fatalf("after %d blocks: %d, want %d", i+1, b, w)
		}
	}
	// test_burn_min_and_max_clamps…: h = 1, mult 2, min 100,000, max 150,000, burn 1: next block
	// 100,000; register ⇒ 150,000 (capped); next 100,000 (75,000 clamped up); next 100,000.
	pc := BurnParams{HalfLife: 1, IncreaseMult: U64F64FromU64(2), MinBurn: 100_000, MaxBurn: 150_000}
	fc := DecayFactorQ32(1)
	steps := []struct {
		bump bool
		want uint64
	}{{false, 100_000}, {true, 150_000}, {false, 100_000}, {false, 100_000}}
	b = 1
	for i, s := range steps {
		if s.bump {
			b = BumpBurn(b, pc)
		} else {
			b = DecayBurn(b, uint64(5+i), fc, pc)
		}
		if b != s.want {
			t.Fatalf("clamp step %d: %d, want %d", i, b, s.want)
		}
	}
	// test_bump_registration_price_after_registration_applies_multiplier_immediately: ×3.
	if got := BumpBurn(1000, testBurnParams(0, 3)); got != 3000 {
		t.Fatalf("×3 bump = %d", got)
	}
	// A multiplier below 1 counts as 1.
	if got := BumpBurn(1000, BurnParams{IncreaseMult: U64F64FromBits(0, 1<<63), MaxBurn: ^uint64(0)}); got != 1000 {
		t.Fatalf("×0.5 bump = %d, want 1000", got)
	}
}

func TestDefaultBurnParams(t *testing.T) {
	t.Parallel()
	// 1 TAO decays to 499,999,865 rao after 360 blocks at h = 360; 1 TAO × 1.26 = 1,260,000,000.
	p := DefaultBurnParams()
	if p.IncreaseMult != U64F64FromFloat64(1.26) {
		t.Fatalf("mult bits differ from f64 1.26: %s", p.IncreaseMult)
	}
	f := DecayFactorQ32(p.HalfLife)
	b := DefaultBurn
	for blk := uint64(2); blk < 362; blk++ {
		b = DecayBurn(b, blk, f, p)
	}
	if b != 499_999_865 {
		t.Fatalf("after 360 blocks: %d, want 499999865", b)
	}
	if got := BumpBurn(DefaultBurn, p); got != 1_260_000_000 {
		t.Fatalf("1 TAO × 1.26 = %d", got)
	}
	// The price never leaves [MinBurn, MaxBurn].
	if got := DecayBurn(1, 5, f, p); got != p.MinBurn {
		t.Fatalf("floor: %d", got)
	}
	if got := BumpBurn(p.MaxBurn, p); got != p.MaxBurn {
		t.Fatalf("ceiling: %d", got)
	}
	if err := CheckBurnLimit(1000, 999); !errors.Is(err, ErrRegistrationPriceLimit) {
		t.Fatalf("limit: %v", err)
	}
	if err := CheckBurnLimit(1000, 1000); err != nil {
		t.Fatalf("limit equal: %v", err)
	}
}

func TestNetworkLockCost(t *testing.T) {
	t.Parallel()
	// max(MinLock, last·m − (last/interval)·(b − lastBlock)), m = 2 after a first registration.
	p := LockParams{MinLock: 100, ReductionInterval: 10}
	tests := []struct {
		name                         string
		last, lastBlock, block, want uint64
	}{
		{"never registered: floor", 0, 0, 50, 100},
		{"before any registration: no doubling", 500, 0, 5, 500 - 50*5},
		{"just registered: doubled", 500, 7, 7, 1000},
		{"halfway decayed", 500, 7, 12, 1000 - 50*5},
		{"fully decayed to the floor", 500, 7, 1000, 100},
		{"zero interval: no decay", 500, 7, 1000, 1000},
	}
	for _, tt := range tests {
		pp := p
		if tt.name == "zero interval: no decay" {
			pp.ReductionInterval = 0
		}
		if got := NetworkLockCost(tt.last, tt.lastBlock, tt.block, pp); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	d := DefaultLockParams()
	// Half an interval after a 1000 TAO registration: 2000 TAO − floor(1000e9/100800)·50400
	// = 2000e9 − 9,920,634·50,400 (the integer division keeps 46,400 rao).
	if got := NetworkLockCost(1000*RaoPerTao, 100, 100+100_800/2, d); got != 1_500_000_046_400 {
		t.Fatalf("default lock half a interval after: %d", got)
	}
}

func TestMedianPriceAndSeedPool(t *testing.T) {
	t.Parallel()
	one := U64F64One
	if MedianPrice(nil) != one || MedianPrice([]U64F64{U64F64Zero}) != one {
		t.Fatal("no positive prices ⇒ 1.0")
	}
	p := func(n uint64) U64F64 { return U64F64FromU64(n) }
	if got := MedianPrice([]U64F64{p(3), p(1), U64F64Zero, p(2)}); got != p(2) {
		t.Fatalf("odd median %s", got)
	}
	if got := MedianPrice([]U64F64{p(4), p(1), p(2), p(8)}); got != p(3) {
		t.Fatalf("even median %s", got)
	}
	// Seed: TAO max(lock, MinLock), alpha = TAO / median.
	pool := SeedPool(1000*RaoPerTao, U64F64FromU64(2), DefaultLockParams())
	if pool.Tao != 1000*RaoPerTao || pool.Alpha != 500*RaoPerTao || pool.Price() != U64F64FromU64(2) {
		t.Fatalf("seeded %+v", pool)
	}
}

func TestValidateBurnParams(t *testing.T) {
	t.Parallel()
	if err := ValidateBurnParams(DefaultBurnParams()); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	bad := []func(*BurnParams){
		func(p *BurnParams) { p.HalfLife = 0 },
		func(p *BurnParams) { p.HalfLife = 36_101 },
		func(p *BurnParams) { p.IncreaseMult = U64F64FromBits(0, 1<<63) },
		func(p *BurnParams) { p.IncreaseMult = U64F64FromU64(3).SaturatingAdd(U64F64FromBits(0, 1)) },
		func(p *BurnParams) { p.MinBurn = RaoPerTao },
		func(p *BurnParams) { p.MinBurn, p.MaxBurn = 200_000_000, 200_000_000 },
		func(p *BurnParams) { p.MaxBurn = RaoPerTao / 10 },
	}
	for i, mod := range bad {
		p := DefaultBurnParams()
		mod(&p)
		if err := ValidateBurnParams(p); !errors.Is(err, ErrInvalidBurnParams) {
			t.Errorf("case %d: err = %v", i, err)
		}
	}
	edge := DefaultBurnParams()
	edge.HalfLife, edge.IncreaseMult = 36_100, U64F64FromU64(3)
	if err := ValidateBurnParams(edge); err != nil {
		t.Fatalf("bounds are inclusive: %v", err)
	}
}
