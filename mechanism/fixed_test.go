package mechanism

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func bitsOf(f float64) int64 { return I32F32FromFloat64(f).Bits() }

func TestI32F32MulFloors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		a, b    int64 // bits
		want    int64 // bits of floor(a·b / 2^32)
		wantSat bool
	}{
		{"zero times anything", 0, 123456789, 0, false},
		{"tiny positive product floors to 0", 1, 1 << 31, 0, false},         // 2^-32 · 0.5 = 2^-33 → 0
		{"tiny negative product floors to -1 bit", -1, 1 << 31, -1, false},  // −2^-33 → −2^-32
		{"exact", 3 << 32, 1 << 31, 3 << 31, false},                         // 3 · 0.5 = 1.5
		{"negative times negative", -(3 << 32), -(1 << 31), 3 << 31, false}, // 1.5
		{"floor not truncation", -3, 1 << 31, -2, false},                    // −1.5 bits → −2
		{"one times max", 1 << 32, math.MaxInt64, math.MaxInt64, false},     // exact
		{"overflow saturates to max", math.MaxInt64, 2 << 32, math.MaxInt64, true},
		{"overflow saturates to min", math.MinInt64, 2 << 32, math.MinInt64, true},
		{"min times minus one saturates", math.MinInt64, -(1 << 32), math.MaxInt64, true},
	} {
		got := I32F32FromBits(tc.a).SaturatingMul(I32F32FromBits(tc.b))
		if got.Bits() != tc.want {
			t.Errorf("%s: %d*%d = %d bits, want %d", tc.name, tc.a, tc.b, got.Bits(), tc.want)
		}
		if _, ok := I32F32FromBits(tc.a).CheckedMul(I32F32FromBits(tc.b)); ok == tc.wantSat {
			t.Errorf("%s: CheckedMul ok = %v, want %v", tc.name, ok, !tc.wantSat)
		}
	}
}

func TestI32F32DivTruncates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		a, b   int64
		want   int64 // bits of trunc(a·2^32 / b)
		wantOK bool
	}{
		{"divide by zero", 1 << 32, 0, 0, false},
		{"0/0", 0, 0, 0, false},
		{"exact half", 1 << 32, 2 << 32, 1 << 31, true},
		{"positive truncates", 1 << 32, 3 << 32, 1431655765, true}, // 0.333… → floor
		{"negative truncates toward zero", -(1 << 32), 3 << 32, -1431655765, true},
		{"tiny negative truncates to 0", -1, 2 << 32, 0, true}, // −2^-33 → 0, not −1 bit
		{"kappa", 32767 << 32, 65535 << 32, 2147450879, true},  // 32767/65535
		{"overflow", math.MaxInt64, 1 << 31, 0, false},         // max / 0.5
		{"min / -1 overflows", math.MinInt64, -(1 << 32), 0, false},
		{"min / 1 fits", math.MinInt64, 1 << 32, math.MinInt64, true},
	} {
		got, ok := I32F32FromBits(tc.a).CheckedDiv(I32F32FromBits(tc.b))
		if ok != tc.wantOK || (ok && got.Bits() != tc.want) {
			t.Errorf("%s: CheckedDiv = (%d, %v), want (%d, %v)", tc.name, got.Bits(), ok, tc.want, tc.wantOK)
		}
		// SafeDiv: the quotient, or 0 on zero divisor or overflow.
		want := tc.want
		if !tc.wantOK {
			want = 0
		}
		if s := I32F32FromBits(tc.a).SafeDiv(I32F32FromBits(tc.b)); s.Bits() != want {
			t.Errorf("%s: SafeDiv = %d, want %d", tc.name, s.Bits(), want)
		}
	}
	if got := I32F32Max.SaturatingDiv(I32F32Half); got != I32F32Max {
		t.Errorf("SaturatingDiv overflow = %v, want max", got)
	}
	if got := I32F32FromInt(-1).SaturatingDiv(I32F32Zero); got != I32F32Min {
		t.Errorf("SaturatingDiv(-1, 0) = %v, want min", got)
	}
}

func TestI32F32SaturatingAddSub(t *testing.T) {
	t.Parallel()
	if got := I32F32Max.SaturatingAdd(I32F32One); got != I32F32Max {
		t.Errorf("max+1 = %v", got)
	}
	if got := I32F32Min.SaturatingSub(I32F32One); got != I32F32Min {
		t.Errorf("min-1 = %v", got)
	}
	if got := I32F32Max.Add(I32F32FromBits(1)); got != I32F32Min {
		t.Errorf("wrapping max+1bit = %v, want min", got)
	}
	if _, ok := I32F32Max.CheckedAdd(I32F32FromBits(1)); ok {
		t.Error("CheckedAdd overflow not reported")
	}
	if got := I32F32Min.SaturatingNeg(); got != I32F32Max {
		t.Errorf("-min = %v", got)
	}
	if got := I32F32FromInt(1 << 40); got != I32F32Max {
		t.Errorf("FromInt(2^40) = %v, want saturation", got)
	}
	if got := I32F32FromU64(math.MaxUint64); got != I32F32Max {
		t.Errorf("FromU64(max) = %v, want saturation", got)
	}
}

func TestI32F32FromFloatTiesToEven(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		got  int64
		want int64
	}{
		{"0.1 f64", I32F32FromFloat64(0.1).Bits(), 429496730},         // 429496729.6 → up
		{"0.1 f32 differs", I32F32FromFloat32(0.1).Bits(), 429496736}, // 0.100000001490116… · 2^32 exactly
		{"half a bit ties to even (0)", I32F32FromFloat64(math.Ldexp(1, -33)).Bits(), 0},
		{"1.5 bits ties to even (2)", I32F32FromFloat64(math.Ldexp(3, -33)).Bits(), 2},
		{"2.5 bits ties to even (2)", I32F32FromFloat64(math.Ldexp(5, -33)).Bits(), 2},
		{"negative tie to even", I32F32FromFloat64(-math.Ldexp(3, -33)).Bits(), -2},
		{"just above half rounds up", I32F32FromFloat64(math.Ldexp(1, -33) * (1 + 1e-15)).Bits(), 1},
		{"integer", I32F32FromFloat64(-7).Bits(), -7 << 32},
		{"saturates", I32F32FromFloat64(1e12).Bits(), math.MaxInt64},
		{"saturates negative", I32F32FromFloat64(-1e12).Bits(), math.MinInt64},
		{"NaN is 0", I32F32FromFloat64(math.NaN()).Bits(), 0},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, tc.got, tc.want)
		}
	}
	if got := U64F64FromFloat64(-1); !got.IsZero() {
		t.Errorf("unsigned from negative = %v, want 0", got)
	}
	if hi, lo := U64F64FromFloat64(0.5).Bits(); hi != 0 || lo != 1<<63 {
		t.Errorf("U64F64(0.5) bits = %x:%x", hi, lo)
	}
}

func TestI32F32RoundAndConversions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   float64
		want int64 // round half away from zero
	}{
		{0, 0}, {0.49999999, 0}, {0.5, 1}, {1.5, 2}, {2.5, 3}, {-0.5, -1}, {-2.5, -3}, {-2.4, -2}, {65534.5, 65535},
	} {
		if got := I32F32FromFloat64(tc.in).Round().ToInt(); got != tc.want {
			t.Errorf("Round(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
	// Conversions to integers floor and clamp.
	if got := I32F32FromFloat64(-0.1).ToInt(); got != -1 {
		t.Errorf("ToInt(-0.1) = %d, want -1 (floor)", got)
	}
	if got := I32F32FromFloat64(-0.1).SaturatingToU64(); got != 0 {
		t.Errorf("SaturatingToU64(-0.1) = %d", got)
	}
	if got := I32F32FromInt(70000).SaturatingToU16(); got != 65535 {
		t.Errorf("SaturatingToU16(70000) = %d", got)
	}
	if got := I32F32FromFloat64(65534.99).SaturatingToU16(); got != 65534 {
		t.Errorf("SaturatingToU16(65534.99) = %d", got)
	}
	// u16 proportions: x/65535 truncating; back with floor(x·65535).
	for _, tc := range []struct {
		u    uint16
		bits int64
	}{{0, 0}, {65535, 1 << 32}, {32767, 2147450879}, {1, 65537}} {
		f := U16ProportionToFixed(tc.u)
		if f.Bits() != tc.bits {
			t.Errorf("U16ProportionToFixed(%d) = %d bits, want %d", tc.u, f.Bits(), tc.bits)
		}
	}
	// Round trips lose at most one unit, never gain: floor(trunc(x/65535)·65535) ∈ {x−1, x}.
	for u := 0; u <= 65535; u += 7 {
		back := FixedProportionToU16(U16ProportionToFixed(uint16(u)))
		if int(back) != u && int(back) != u-1 {
			t.Fatalf("round trip %d → %d", u, back)
		}
	}
	if got := FixedProportionToU16(I32F32FromInt(2)); got != 65535 {
		t.Errorf("FixedProportionToU16(2) = %d, want clamp 65535", got)
	}
	if got := FixedProportionToU16(I32F32FromInt(-1)); got != 0 {
		t.Errorf("FixedProportionToU16(-1) = %d, want 0", got)
	}
	// The spec's constants (§0.2).
	if got := U16ProportionToFixed(32767).Bits(); got != 2147450879 {
		t.Errorf("kappa bits = %d", got)
	}
	if got := BondsEMAAlpha(900_000).Bits(); got != 429496730 {
		t.Errorf("alpha(900000) bits = %d, want 429496730", got)
	}
	if got := BondsEMAAlpha(975_000).Bits(); got != 107374183 {
		t.Errorf("alpha(975000) bits = %d, want 107374183", got)
	}
	// Narrowing I64F64 → I32F32 floors (drops 32 low bits), including for negatives.
	if got := I64F64FromBits(0, 1<<32|1).ToI32F32().Bits(); got != 1 {
		t.Errorf("I64F64→I32F32 = %d bits, want 1", got)
	}
	if got := I64F64FromBits(^uint64(0), ^uint64(0)).ToI32F32().Bits(); got != -1 {
		t.Errorf("I64F64(-1 bit)→I32F32 = %d bits, want -1 (floor)", got)
	}
	if got := I64F64FromInt(1 << 40).ToI32F32(); got != I32F32Max {
		t.Errorf("I64F64(2^40)→I32F32 = %v, want saturation", got)
	}
	if got := I32F32FromFloat64(-2.5).ToI64F64().ToI32F32(); got != I32F32FromFloat64(-2.5) {
		t.Errorf("widen/narrow round trip = %v", got)
	}
}

func TestI32F32String(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   I32F32
		want string
	}{
		{I32F32FromBits(429496729), "0.0999999999"},
		{I32F32FromInt(-3), "-3.0000000000"},
		{I32F32Half, "0.5000000000"},
	} {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("String = %q, want %q", got, tc.want)
		}
	}
	if got := U64F64FromU64(12345678901234567890).String(); got != "12345678901234567890.0000000000" {
		t.Errorf("U64F64 String = %q", got)
	}
}

// wideCase describes one 128-bit type for the reference comparison against math/big.
type wideCase struct {
	name   string
	frac   uint
	signed bool
	mul    func(a, b u128) (u128, bool) // checked
	div    func(a, b u128) (u128, bool) // checked
}

func wideCases() []wideCase {
	return []wideCase{
		{"I64F64", 64, true,
			func(a, b u128) (u128, bool) { r, ok := (I64F64{a}).CheckedMul(I64F64{b}); return r.v, ok },
			func(a, b u128) (u128, bool) { r, ok := (I64F64{a}).CheckedDiv(I64F64{b}); return r.v, ok }},
		{"I96F32", 32, true,
			func(a, b u128) (u128, bool) { r, ok := (I96F32{a}).CheckedMul(I96F32{b}); return r.v, ok },
			func(a, b u128) (u128, bool) { r, ok := (I96F32{a}).CheckedDiv(I96F32{b}); return r.v, ok }},
		{"U96F32", 32, false,
			func(a, b u128) (u128, bool) { r, ok := (U96F32{a}).CheckedMul(U96F32{b}); return r.v, ok },
			func(a, b u128) (u128, bool) { r, ok := (U96F32{a}).CheckedDiv(U96F32{b}); return r.v, ok }},
		{"U64F64", 64, false,
			func(a, b u128) (u128, bool) { r, ok := (U64F64{a}).CheckedMul(U64F64{b}); return r.v, ok },
			func(a, b u128) (u128, bool) { r, ok := (U64F64{a}).CheckedDiv(U64F64{b}); return r.v, ok }},
	}
}

func toBig(v u128, signed bool) *big.Int {
	b := new(big.Int).SetUint64(v.hi)
	b.Lsh(b, 64).Or(b, new(big.Int).SetUint64(v.lo))
	if signed && v.neg() {
		b.Sub(b, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	return b
}

func fitsBig(b *big.Int, signed bool) bool {
	if signed {
		lim := new(big.Int).Lsh(big.NewInt(1), 127)
		return b.Cmp(new(big.Int).Neg(lim)) >= 0 && b.Cmp(lim) < 0
	}
	return b.Sign() >= 0 && b.BitLen() <= 128
}

// randomWord draws operands of every magnitude so that both fast and Knuth paths run.
func randomWord(r *rand.Rand) u128 {
	switch r.IntN(4) {
	case 0:
		return u128{lo: r.Uint64() >> r.IntN(64)}
	case 1:
		return u128{hi: r.Uint64() >> r.IntN(64), lo: r.Uint64()}
	case 2:
		return u128{hi: r.Uint64(), lo: r.Uint64()}
	}
	return u128{hi: r.Uint64() >> 60, lo: r.Uint64() >> r.IntN(64)}
}

// TestWideMulDivMatchBig checks floor multiplication and truncating division of every 128-bit
// type against exact big-integer arithmetic, including overflow reporting.
func TestWideMulDivMatchBig(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, wc := range wideCases() {
		for range 20000 {
			a, b := randomWord(r), randomWord(r)
			ba, bb := toBig(a, wc.signed), toBig(b, wc.signed)
			// mul: floor(a·b / 2^frac) — Rsh on big.Int is an arithmetic (floor) shift.
			want := new(big.Int).Mul(ba, bb)
			want.Rsh(want, wc.frac)
			got, ok := wc.mul(a, b)
			if ok != fitsBig(want, wc.signed) || (ok && toBig(got, wc.signed).Cmp(want) != 0) {
				t.Fatalf("%s mul %v·%v: got %v ok=%v, want %v", wc.name, ba, bb, toBig(got, wc.signed), ok, want)
			}
			// div: trunc(a·2^frac / b) — Quo truncates toward zero.
			if bb.Sign() == 0 {
				if _, ok := wc.div(a, b); ok {
					t.Fatalf("%s div by zero reported ok", wc.name)
				}
				continue
			}
			wantQ := new(big.Int).Lsh(ba, wc.frac)
			wantQ.Quo(wantQ, bb)
			gotQ, ok := wc.div(a, b)
			if ok != fitsBig(wantQ, wc.signed) || (ok && toBig(gotQ, wc.signed).Cmp(wantQ) != 0) {
				t.Fatalf("%s div %v/%v: got %v ok=%v, want %v", wc.name, ba, bb, toBig(gotQ, wc.signed), ok, wantQ)
			}
		}
	}
}

func TestI32F32MulDivMatchBig(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	lim := new(big.Int).Lsh(big.NewInt(1), 63)
	fits := func(b *big.Int) bool { return b.Cmp(new(big.Int).Neg(lim)) >= 0 && b.Cmp(lim) < 0 }
	for range 50000 {
		a := int64(r.Uint64()) >> r.IntN(64)
		b := int64(r.Uint64()) >> r.IntN(64)
		want := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
		want.Rsh(want, 32)
		got, ok := I32F32FromBits(a).CheckedMul(I32F32FromBits(b))
		if ok != fits(want) || (ok && got.Bits() != want.Int64()) {
			t.Fatalf("mul %d·%d = %d ok=%v, want %v", a, b, got.Bits(), ok, want)
		}
		if b == 0 {
			continue
		}
		wq := new(big.Int).Lsh(big.NewInt(a), 32)
		wq.Quo(wq, big.NewInt(b))
		q, ok := I32F32FromBits(a).CheckedDiv(I32F32FromBits(b))
		if ok != fits(wq) || (ok && q.Bits() != wq.Int64()) {
			t.Fatalf("div %d/%d = %d ok=%v, want %v", a, b, q.Bits(), ok, wq)
		}
	}
}

func TestWideSaturationAndConversions(t *testing.T) {
	t.Parallel()
	if got := U64F64Max.SaturatingAdd(U64F64One); got != U64F64Max {
		t.Errorf("U64F64 max+1 = %v", got)
	}
	if got := U64F64Zero.SaturatingSub(U64F64One); got != U64F64Zero {
		t.Errorf("U64F64 0-1 = %v, want 0", got)
	}
	if got := I96F32Min.SaturatingSub(I96F32One); got != I96F32Min {
		t.Errorf("I96F32 min-1 = %v", got)
	}
	if got := I64F64Max.SaturatingMul(I64F64FromInt(2)); got != I64F64Max {
		t.Errorf("I64F64 max·2 = %v", got)
	}
	if got := I64F64FromInt(-3).SaturatingMul(I64F64Max); got != I64F64Min {
		t.Errorf("I64F64 -3·max = %v, want min", got)
	}
	if got := U96F32FromU64(10).SafeDiv(U96F32Zero); !got.IsZero() {
		t.Errorf("SafeDiv by zero = %v", got)
	}
	if got := U64F64FromU64(1 << 63).SafeDiv(U64F64FromBits(0, 1)); !got.IsZero() {
		t.Errorf("SafeDiv overflow = %v, want 0", got)
	}
	// Widths: U64F64 can hold up to 2^64, I64F64 only up to 2^63.
	if got := I64F64FromU64(math.MaxUint64); got != I64F64Max {
		t.Errorf("I64F64FromU64(max) = %v, want saturation", got)
	}
	if got := U64F64FromU64(math.MaxUint64).SaturatingToU64(); got != math.MaxUint64 {
		t.Errorf("U64F64 to u64 = %d", got)
	}
	if got := I96F32FromInt(-5).ToU64F64(); !got.IsZero() {
		t.Errorf("negative to unsigned = %v, want 0", got)
	}
	if got := U64F64FromBits(0, 3<<62).ToU96F32(); got != U96F32FromBits(0, 3<<30) { // 0.75
		t.Errorf("U64F64→U96F32 = %v", got)
	}
	if got := U96F32FromBits(0, 1).ToU64F64(); got != U64F64FromBits(0, 1<<32) {
		t.Errorf("U96F32→U64F64 = %v", got)
	}
	if got := U96F32FromBits(1<<40, 0).ToU64F64(); got != U64F64Max {
		t.Errorf("U96F32 big→U64F64 = %v, want saturation", got)
	}
	// Round: half away from zero, on wide types too.
	if got := I96F32FromInt(-5).SafeDiv(I96F32FromInt(2)).Round(); got != I96F32FromInt(-3) {
		t.Errorf("I96F32 round(-2.5) = %v", got)
	}
	if got := U64F64FromU64(5).SafeDiv(U64F64FromU64(2)).Round(); got != U64F64FromU64(3) {
		t.Errorf("U64F64 round(2.5) = %v", got)
	}
	if got := I64F64FromInt(-7).SafeDiv(I64F64FromInt(2)).Floor(); got != I64F64FromInt(-4) {
		t.Errorf("I64F64 floor(-3.5) = %v", got)
	}
	// Emission scaling of the epoch: floor(I96F32(x)·I96F32(rao)).
	x := I32F32FromBits(429496729) // 0.0999999998
	if got := x.ToI96F32().SaturatingMul(I96F32FromU64(1_000_000_000)).SaturatingToU64(); got != 99999999 {
		t.Errorf("emission of 0.1·1e9 = %d, want 99999999", got)
	}
}

// TestU16ProportionExhaustive: every u16 maps exactly as I32F32(x).SafeDiv(I32F32(65535)).
func TestU16ProportionExhaustive(t *testing.T) {
	t.Parallel()
	for x := 0; x <= 65535; x++ {
		want := I32F32FromU16(uint16(x)).SafeDiv(I32F32FromU16(65535))
		if got := U16ProportionToFixed(uint16(x)); got != want {
			t.Fatalf("%d: %v, want %v", x, got, want)
		}
	}
}

// TestFixedProportionToU16MatchesMul checks the shortcut against the definition
// floor(x·65535) through SaturatingMul on edge and random values.
func TestFixedProportionToU16MatchesMul(t *testing.T) {
	ref := func(x I32F32) uint16 { return x.SaturatingMul(I32F32FromU16(math.MaxUint16)).SaturatingToU16() }
	xs := []int64{0, 1, -1, 1 << 32, 1<<32 - 1, 1<<32 + 1, 1<<47 - 1, 1 << 47, 1<<47 + 1, 65536 << 32,
		65535 << 32, math.MaxInt64, math.MinInt64, -(1 << 32)}
	r := rand.New(rand.NewPCG(3, 4))
	for range 1_000_000 {
		v := int64(r.Uint64() >> r.IntN(64))
		if r.IntN(4) == 0 {
			v = -v
		}
		xs = append(xs, v)
	}
	for _, b := range xs {
		if got, want := FixedProportionToU16(I32F32{b}), ref(I32F32{b}); got != want {
			t.Fatalf("FixedProportionToU16(%d) = %d, want %d", b, got, want)
		}
	}
}
