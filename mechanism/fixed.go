package mechanism

import (
	"math"
	"math/bits"
	"strconv"
)

// Fixed-point numbers with the exact semantics of substrate-fixed v0.6.0 (the crate subtensor
// uses). Every type is a value type holding its raw bits; value = bits / 2^frac. The rounding
// rules, common to all types:
//
//   - multiplication floors the exact product (arithmetic shift toward −∞);
//   - division truncates the exact quotient toward zero;
//   - Add/Sub wrap like Rust release arithmetic, Saturating* clamp to the type's range,
//     Checked* report overflow with ok = false;
//   - SafeDiv returns 0 on division by zero and on overflow (subtensor's safe_div);
//   - conversion to a type with fewer fractional bits floors; to an integer floors and,
//     in the Saturating variants, clamps;
//   - Round rounds to the nearest integer with ties away from zero;
//   - FromFloat64/FromFloat32 round to nearest with ties to even (Rust's from_num(f32/f64));
//     they exist for literals in tests and tools, never for consensus paths.

// I32F32 is a signed 64-bit fixed-point number with 32 fractional bits, the type of the epoch.
type I32F32 struct{ bits int64 }

const i32f32Frac = 32

// I32F32 constants.
var (
	I32F32Zero = I32F32{}
	I32F32One  = I32F32{1 << i32f32Frac}
	I32F32Max  = I32F32{math.MaxInt64}
	I32F32Min  = I32F32{math.MinInt64}
	// I32F32Half is exactly 0.5.
	I32F32Half = I32F32{1 << (i32f32Frac - 1)}
)

// I32F32FromBits returns the number whose raw bits are b (value b / 2^32).
func I32F32FromBits(b int64) I32F32 { return I32F32{b} }

// I32F32FromInt returns v exactly, saturating to the range [−2^31, 2^31).
func I32F32FromInt(v int64) I32F32 {
	if v >= 1<<31 {
		return I32F32Max
	}
	if v < -(1 << 31) {
		return I32F32Min
	}
	return I32F32{v << i32f32Frac}
}

// I32F32FromU64 returns v exactly, saturating to the maximum.
func I32F32FromU64(v uint64) I32F32 {
	if v >= 1<<31 {
		return I32F32Max
	}
	return I32F32{int64(v) << i32f32Frac}
}

// I32F32FromU16 returns v exactly (subtensor's u16_to_fixed).
func I32F32FromU16(v uint16) I32F32 { return I32F32{int64(v) << i32f32Frac} }

// I32F32FromRatio returns num / den computed as I32F32(num).SafeDiv(I32F32(den)): truncating,
// 0 when den is 0. Both operands must be below 2^31.
func I32F32FromRatio(num, den uint64) I32F32 {
	return I32F32FromU64(num).SafeDiv(I32F32FromU64(den))
}

// U16ProportionToFixed is subtensor's u16_proportion_to_fixed: I32F32(x) / I32F32(65535),
// truncating. 65535 maps to exactly 1.
func U16ProportionToFixed(x uint16) I32F32 {
	// I32F32(x)·2^32 / I32F32(65535) = x·2^32 / 65535 exactly: one division by a constant.
	return I32F32{int64(uint64(x) << i32f32Frac / math.MaxUint16)}
}

// FixedProportionToU16 is subtensor's fixed_proportion_to_u16: floor(x · 65535) (the product
// floors, then the integer part is taken) clamped to [0, 65535].
func FixedProportionToU16(x I32F32) uint16 {
	// x·I32F32(65535) is x.bits·65535 exactly (no fractional bits to floor) while it fits 64
	// bits; its integer part is that >> 32. Negative x gives 0; x ≥ 2^15 (bits ≥ 2^47)
	// saturates at 65535 either way.
	switch {
	case x.bits < 0:
		return 0
	case x.bits >= 1<<47:
		return math.MaxUint16
	}
	return uint16(min(x.bits*math.MaxUint16>>32, math.MaxUint16))
}

// Bits returns the raw bits.
func (a I32F32) Bits() int64 { return a.bits }

// IsZero reports a == 0.
func (a I32F32) IsZero() bool { return a.bits == 0 }

// IsPositive reports a > 0.
func (a I32F32) IsPositive() bool { return a.bits > 0 }

// IsNegative reports a < 0.
func (a I32F32) IsNegative() bool { return a.bits < 0 }

// Cmp returns −1, 0 or +1 as a is less than, equal to or greater than b.
func (a I32F32) Cmp(b I32F32) int {
	switch {
	case a.bits < b.bits:
		return -1
	case a.bits > b.bits:
		return 1
	}
	return 0
}

// Less reports a < b.
func (a I32F32) Less(b I32F32) bool { return a.bits < b.bits }

// LessEq reports a <= b.
func (a I32F32) LessEq(b I32F32) bool { return a.bits <= b.bits }

// Min returns the smaller of a and b.
func (a I32F32) Min(b I32F32) I32F32 {
	if b.bits < a.bits {
		return b
	}
	return a
}

// Max returns the larger of a and b.
func (a I32F32) Max(b I32F32) I32F32 {
	if b.bits > a.bits {
		return b
	}
	return a
}

// Clamp returns a limited to [lo, hi] as subtensor's clamp_value: min(hi) first, then max(lo).
func (a I32F32) Clamp(lo, hi I32F32) I32F32 { return a.Min(hi).Max(lo) }

// Add returns a + b with wrap-around on overflow (Rust release `+`; sums of vectors use it).
func (a I32F32) Add(b I32F32) I32F32 { return I32F32{a.bits + b.bits} }

// Sub returns a − b with wrap-around on overflow.
func (a I32F32) Sub(b I32F32) I32F32 { return I32F32{a.bits - b.bits} }

// SaturatingAdd returns a + b clamped to the range.
func (a I32F32) SaturatingAdd(b I32F32) I32F32 {
	s := a.bits + b.bits
	if (a.bits >= 0) == (b.bits >= 0) && (s >= 0) != (a.bits >= 0) {
		if a.bits >= 0 {
			return I32F32Max
		}
		return I32F32Min
	}
	return I32F32{s}
}

// SaturatingSub returns a − b clamped to the range.
func (a I32F32) SaturatingSub(b I32F32) I32F32 {
	d := a.bits - b.bits
	if (a.bits >= 0) != (b.bits >= 0) && (d >= 0) != (a.bits >= 0) {
		if a.bits >= 0 {
			return I32F32Max
		}
		return I32F32Min
	}
	return I32F32{d}
}

// CheckedAdd returns a + b, ok = false on overflow.
func (a I32F32) CheckedAdd(b I32F32) (I32F32, bool) {
	s := a.bits + b.bits
	if (a.bits >= 0) == (b.bits >= 0) && (s >= 0) != (a.bits >= 0) {
		return I32F32{}, false
	}
	return I32F32{s}, true
}

// SaturatingNeg returns −a; −min saturates to max.
func (a I32F32) SaturatingNeg() I32F32 {
	if a.bits == math.MinInt64 {
		return I32F32Max
	}
	return I32F32{-a.bits}
}

// mul128 returns floor(a·b / 2^32) and whether it overflows int64.
func (a I32F32) mul128(b I32F32) (int64, bool) {
	hi, lo := bits.Mul64(uint64(a.bits), uint64(b.bits))
	// Signed correction of the high word.
	if a.bits < 0 {
		hi -= uint64(b.bits)
	}
	if b.bits < 0 {
		hi -= uint64(a.bits)
	}
	// Arithmetic shift of the signed 128-bit product by 32: floor.
	r := int64(hi<<32 | lo>>32)
	// The top 33 bits of the product must be the sign extension of r.
	if int64(hi)>>31 != r>>63 {
		return 0, false
	}
	return r, true
}

// SaturatingMul returns floor(a·b) clamped to the range (subtensor's `*`/saturating_mul).
// It is written to fit the compiler's inlining budget (it is the epoch's most frequent
// operation): on overflow the bound is MaxInt64 + 1 (wrapping to MinInt64) exactly when the
// signs differ.
func (a I32F32) SaturatingMul(b I32F32) I32F32 {
	// mul128, written out.
	hi, lo := bits.Mul64(uint64(a.bits), uint64(b.bits))
	if a.bits < 0 {
		hi -= uint64(b.bits)
	}
	if b.bits < 0 {
		hi -= uint64(a.bits)
	}
	r := int64(hi<<32 | lo>>32)
	if int64(hi)>>31 != r>>63 {
		return I32F32{int64(uint64(a.bits^b.bits)>>63) + math.MaxInt64}
	}
	return I32F32{r}
}

// Mul is SaturatingMul.
func (a I32F32) Mul(b I32F32) I32F32 { return a.SaturatingMul(b) }

// CheckedMul returns floor(a·b), ok = false on overflow.
func (a I32F32) CheckedMul(b I32F32) (I32F32, bool) {
	r, ok := a.mul128(b)
	return I32F32{r}, ok
}

// CheckedDiv returns trunc(a / b) (toward zero), ok = false on division by zero or overflow.
func (a I32F32) CheckedDiv(b I32F32) (I32F32, bool) {
	if b.bits == 0 {
		return I32F32{}, false
	}
	ua, ub := absU64(a.bits), absU64(b.bits)
	hi, lo := ua>>32, ua<<32
	if hi >= ub {
		return I32F32{}, false
	}
	q, _ := bits.Div64(hi, lo, ub)
	if (a.bits < 0) != (b.bits < 0) {
		if q > 1<<63 {
			return I32F32{}, false
		}
		return I32F32{int64(-q)}, true
	}
	if q > math.MaxInt64 {
		return I32F32{}, false
	}
	return I32F32{int64(q)}, true
}

// quoPos is SafeDiv's common case, small enough for the compiler to inline into a loop:
// trunc(a / b) with ok = true when a >= 0, b > 0 and the quotient fits; ok = false otherwise,
// and the caller uses SafeDiv. A whole-number b (a sum of u16 weights or bonds) divides in 64
// bits: a·2^32 / (B·2^32) = a / B, and the hardware divides a 64-bit dividend faster than a
// 128-bit one.
func quoPos(a, b I32F32) (I32F32, bool) {
	ua, ub := uint64(a.bits), uint64(b.bits)
	if a.bits < 0 || b.bits <= 0 || ua>>32 >= ub {
		return I32F32{}, false
	}
	if ub<<32 == 0 {
		return I32F32{int64(ua / (ub >> 32))}, true
	}
	q, _ := bits.Div64(ua>>32, ua<<32, ub)
	return I32F32{int64(q)}, q>>63 == 0
}

// SafeDiv returns trunc(a / b), or 0 when b is 0 or the quotient overflows (subtensor's safe_div).
func (a I32F32) SafeDiv(b I32F32) I32F32 {
	q, ok := a.CheckedDiv(b)
	if !ok {
		return I32F32Zero
	}
	return q
}

// SaturatingDiv returns trunc(a / b) clamped to the range. Division by zero, which panics in
// Rust, saturates toward the sign of a (0 for 0/0).
func (a I32F32) SaturatingDiv(b I32F32) I32F32 {
	q, ok := a.CheckedDiv(b)
	if ok {
		return q
	}
	switch {
	case a.bits == 0:
		return I32F32Zero
	case (a.bits < 0) != (b.bits < 0):
		return I32F32Min
	}
	return I32F32Max
}

// Floor returns the largest integer value ≤ a.
func (a I32F32) Floor() I32F32 { return I32F32{a.bits &^ (1<<i32f32Frac - 1)} }

// Round rounds to the nearest integer, ties away from zero, saturating.
func (a I32F32) Round() I32F32 {
	if a.bits >= 0 {
		s := a.bits + 1<<(i32f32Frac-1)
		if s < 0 {
			return I32F32Max.Floor()
		}
		return I32F32{s}.Floor()
	}
	r := a.SaturatingNeg().Round()
	return I32F32{-r.bits}
}

// ToInt returns floor(a) as an integer.
func (a I32F32) ToInt() int64 { return a.bits >> i32f32Frac }

// SaturatingToU64 returns floor(a) clamped to [0, 2^64).
func (a I32F32) SaturatingToU64() uint64 {
	if a.bits < 0 {
		return 0
	}
	return uint64(a.bits >> i32f32Frac)
}

// SaturatingToU16 returns floor(a) clamped to [0, 65535].
func (a I32F32) SaturatingToU16() uint16 {
	v := a.bits >> i32f32Frac
	switch {
	case v < 0:
		return 0
	case v > math.MaxUint16:
		return math.MaxUint16
	}
	return uint16(v)
}

// ToI64F64 widens exactly.
func (a I32F32) ToI64F64() I64F64 { return I64F64{u128FromInt64(a.bits).shl(32)} }

// ToI96F32 widens exactly.
func (a I32F32) ToI96F32() I96F32 { return I96F32{u128FromInt64(a.bits)} }

// ToU64F64 converts with saturation (negative values become 0).
func (a I32F32) ToU64F64() U64F64 {
	return U64F64{convertFixed(u128FromInt64(a.bits), true, 32, 64, false, 128)}
}

// ToU96F32 converts with saturation (negative values become 0).
func (a I32F32) ToU96F32() U96F32 {
	if a.bits < 0 {
		return U96F32{}
	}
	return U96F32{u128From64(uint64(a.bits))}
}

// String formats the value in decimal rounded to ten fractional digits, for messages.
func (a I32F32) String() string { return formatFixed(u128FromInt64(a.bits), true, 32) }

func absU64(v int64) uint64 {
	if v < 0 {
		return uint64(-v) // correct for MinInt64 too: 2^63
	}
	return uint64(v)
}

// formatFixed prints bits/2^frac rounded half-up to ten fractional digits (as Rust's Display
// output is usually quoted).
func formatFixed(v u128, signed bool, frac uint) string {
	neg := signed && v.neg()
	if neg {
		v = v.negate()
	}
	ip := v.shrU(frac)
	fp := v.sub128low(frac)
	// Ten decimal digits of the fraction: round(fp · 10^10 / 2^frac).
	p := mul256(fp, u128From64(10_000_000_000))
	digits, _, _ := shr256(p, frac)
	if half, _, _ := shr256(p, frac-1); half.lo&1 == 1 {
		digits.lo++
		if digits.lo == 10_000_000_000 {
			digits.lo = 0
			ip, _ = ip.add(u128From64(1))
		}
	}
	s := formatU128(ip)
	f := strconv.FormatUint(digits.lo, 10)
	for len(f) < 10 {
		f = "0" + f
	}
	if neg {
		s = "-" + s
	}
	return s + "." + f
}

// sub128low keeps the low s bits of v.
func (v u128) sub128low(s uint) u128 {
	switch {
	case s >= 128:
		return v
	case s >= 64:
		return u128{hi: v.hi & (1<<(s-64) - 1), lo: v.lo}
	}
	return u128{lo: v.lo & (1<<s - 1)}
}

// formatU128 prints an unsigned 128-bit integer in decimal.
func formatU128(v u128) string {
	if v.hi == 0 {
		return strconv.FormatUint(v.lo, 10)
	}
	const e19 = 10_000_000_000_000_000_000
	var parts []uint64
	for !v.isZero() {
		q1, r := bits.Div64(0, v.hi, e19)
		q0, r2 := bits.Div64(r, v.lo, e19)
		parts = append(parts, r2)
		v = u128{hi: q1, lo: q0}
	}
	s := strconv.FormatUint(parts[len(parts)-1], 10)
	for i := len(parts) - 2; i >= 0; i-- {
		p := strconv.FormatUint(parts[i], 10)
		for len(p) < 19 {
			p = "0" + p
		}
		s += p
	}
	return s
}
