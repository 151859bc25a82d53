package mechanism

import "math"

// The 128-bit fixed-point types. Each stores its bits in a u128 word; the rounding rules are
// those listed in fixed.go (floor multiply, truncating divide, SafeDiv = 0 on zero or overflow,
// floor on narrowing conversions, saturation in the Saturating* variants).
//
// The four types are spelled out rather than generic so that mixing formats is a compile error
// and each keeps the exact method set of its substrate-fixed counterpart. The arithmetic lives
// once on u128 (addFixed, mulFixed, divFixed, convertFixed in fixed_int128.go; satAddFixed,
// roundFixed and friends at the end of this file); a method only names its type's signedness
// and fractional bits.

// I64F64 is a signed 128-bit fixed-point number with 64 fractional bits (stake normalisation);
// range [−2^63, 2^63).
type I64F64 struct{ v u128 }

// I64F64 constants.
var (
	I64F64Zero = I64F64{}
	I64F64One  = I64F64{u128From64(1).shl(64)}
	I64F64Max  = I64F64{satBound(true, false)}
	I64F64Min  = I64F64{satBound(true, true)}
)

// I64F64FromBits returns the number whose raw 128-bit word is hi:lo.
func I64F64FromBits(hi, lo uint64) I64F64 { return I64F64{u128{hi: hi, lo: lo}} }

// I64F64FromU64 returns v exactly, saturating to the maximum.
func I64F64FromU64(v uint64) I64F64 {
	return I64F64{convertFixed(u128From64(v), false, 0, 64, true, 128)}
}

// I64F64FromInt returns v exactly, saturating to the range.
func I64F64FromInt(v int64) I64F64 {
	return I64F64{convertFixed(u128FromInt64(v), true, 0, 64, true, 128)}
}

// Bits returns the raw 128-bit word as hi, lo.
func (a I64F64) Bits() (hi, lo uint64) { return a.v.hi, a.v.lo }

// IsZero reports a == 0.
func (a I64F64) IsZero() bool { return a.v.isZero() }

// Cmp returns −1, 0 or +1 as a is less than, equal to or greater than b.
func (a I64F64) Cmp(b I64F64) int { return a.v.cmpS(b.v) }

// Less reports a < b.
func (a I64F64) Less(b I64F64) bool { return a.Cmp(b) < 0 }

// LessEq reports a <= b.
func (a I64F64) LessEq(b I64F64) bool { return a.Cmp(b) <= 0 }

// Min returns the smaller of a and b.
func (a I64F64) Min(b I64F64) I64F64 {
	if b.Less(a) {
		return b
	}
	return a
}

// Max returns the larger of a and b.
func (a I64F64) Max(b I64F64) I64F64 {
	if a.Less(b) {
		return b
	}
	return a
}

// Add returns a + b with wrap-around on overflow (Rust release `+`).
func (a I64F64) Add(b I64F64) I64F64 {
	r, _ := a.v.add(b.v)
	return I64F64{r}
}

// Sub returns a − b with wrap-around on overflow.
func (a I64F64) Sub(b I64F64) I64F64 {
	r, _ := a.v.sub(b.v)
	return I64F64{r}
}

// CheckedAdd returns a + b, ok = false on overflow.
func (a I64F64) CheckedAdd(b I64F64) (I64F64, bool) {
	r, over := addFixed(a.v, b.v, true)
	return I64F64{r}, !over
}

// CheckedSub returns a − b, ok = false on overflow.
func (a I64F64) CheckedSub(b I64F64) (I64F64, bool) {
	r, over := subFixed(a.v, b.v, true)
	return I64F64{r}, !over
}

// SaturatingAdd returns a + b clamped to the range.
func (a I64F64) SaturatingAdd(b I64F64) I64F64 {
	return I64F64{satAddFixed(a.v, b.v, true)}
}

// SaturatingSub returns a − b clamped to the range.
func (a I64F64) SaturatingSub(b I64F64) I64F64 {
	return I64F64{satSubFixed(a.v, b.v, true)}
}

// CheckedMul returns floor(a·b), ok = false on overflow.
func (a I64F64) CheckedMul(b I64F64) (I64F64, bool) {
	r, over := mulFixed(a.v, b.v, 64, true)
	return I64F64{r}, !over
}

// SaturatingMul returns floor(a·b) clamped to the range.
func (a I64F64) SaturatingMul(b I64F64) I64F64 {
	return I64F64{satMulFixed(a.v, b.v, 64, true)}
}

// Mul is SaturatingMul.
func (a I64F64) Mul(b I64F64) I64F64 { return a.SaturatingMul(b) }

// CheckedDiv returns trunc(a / b), ok = false on division by zero or overflow.
func (a I64F64) CheckedDiv(b I64F64) (I64F64, bool) {
	q, ok := divFixed(a.v, b.v, 64, true)
	return I64F64{q}, ok
}

// SafeDiv returns trunc(a / b), or 0 on division by zero or overflow (subtensor's safe_div).
func (a I64F64) SafeDiv(b I64F64) I64F64 {
	return I64F64{safeDivFixed(a.v, b.v, 64, true)}
}

// SaturatingDiv returns trunc(a / b) clamped to the range; division by zero saturates toward
// the sign of a (0 for 0/0) instead of panicking as Rust does.
func (a I64F64) SaturatingDiv(b I64F64) I64F64 {
	return I64F64{satDivFixed(a.v, b.v, 64, true)}
}

// Floor returns the largest integer value ≤ a.
func (a I64F64) Floor() I64F64 { return I64F64{floorFixed(a.v, 64, true)} }

// Round rounds to the nearest integer, ties away from zero, saturating.
func (a I64F64) Round() I64F64 {
	return I64F64{roundFixed(a.v, 64, true)}
}

// SaturatingToU64 returns floor(a) clamped to [0, 2^64).
func (a I64F64) SaturatingToU64() uint64 {
	r := convertFixed(a.v, true, 64, 0, false, 64)
	return r.lo
}

// SaturatingToU128 returns floor(a) clamped to [0, 2^128) as hi, lo words.
func (a I64F64) SaturatingToU128() (hi, lo uint64) {
	r := convertFixed(a.v, true, 64, 0, false, 128)
	return r.hi, r.lo
}

// ToI32F32 converts with floor and saturation.
func (a I64F64) ToI32F32() I32F32 {
	r := convertFixed(a.v, true, 64, 32, true, 64)
	return I32F32{int64(r.lo)}
}

// ToI96F32 converts with floor and saturation.
func (a I64F64) ToI96F32() I96F32 {
	return I96F32{convertFixed(a.v, true, 64, 32, true, 128)}
}

// ToU96F32 converts with floor and saturation.
func (a I64F64) ToU96F32() U96F32 {
	return U96F32{convertFixed(a.v, true, 64, 32, false, 128)}
}

// ToU64F64 converts with floor and saturation.
func (a I64F64) ToU64F64() U64F64 {
	return U64F64{convertFixed(a.v, true, 64, 64, false, 128)}
}

// String formats the value in decimal rounded to ten fractional digits, for messages.
func (a I64F64) String() string { return formatFixed(a.v, true, 64) }

// I64F64FromFloat64 rounds f to the nearest representable value, ties to even, saturating (Rust's
// saturating_from_num(f64)); NaN gives 0. For literals in tests and tools, never consensus paths.
func I64F64FromFloat64(f float64) I64F64 { return I64F64{floatToFixed(f, 64, true, 128)} }

// I96F32 is a signed 128-bit fixed-point number with 32 fractional bits (emission scaling);
// range [−2^95, 2^95).
type I96F32 struct{ v u128 }

// I96F32 constants.
var (
	I96F32Zero = I96F32{}
	I96F32One  = I96F32{u128From64(1).shl(32)}
	I96F32Max  = I96F32{satBound(true, false)}
	I96F32Min  = I96F32{satBound(true, true)}
)

// I96F32FromBits returns the number whose raw 128-bit word is hi:lo.
func I96F32FromBits(hi, lo uint64) I96F32 { return I96F32{u128{hi: hi, lo: lo}} }

// I96F32FromU64 returns v exactly, saturating to the maximum.
func I96F32FromU64(v uint64) I96F32 {
	return I96F32{convertFixed(u128From64(v), false, 0, 32, true, 128)}
}

// I96F32FromInt returns v exactly, saturating to the range.
func I96F32FromInt(v int64) I96F32 {
	return I96F32{convertFixed(u128FromInt64(v), true, 0, 32, true, 128)}
}

// Bits returns the raw 128-bit word as hi, lo.
func (a I96F32) Bits() (hi, lo uint64) { return a.v.hi, a.v.lo }

// IsZero reports a == 0.
func (a I96F32) IsZero() bool { return a.v.isZero() }

// Cmp returns −1, 0 or +1 as a is less than, equal to or greater than b.
func (a I96F32) Cmp(b I96F32) int { return a.v.cmpS(b.v) }

// Less reports a < b.
func (a I96F32) Less(b I96F32) bool { return a.Cmp(b) < 0 }

// LessEq reports a <= b.
func (a I96F32) LessEq(b I96F32) bool { return a.Cmp(b) <= 0 }

// Min returns the smaller of a and b.
func (a I96F32) Min(b I96F32) I96F32 {
	if b.Less(a) {
		return b
	}
	return a
}

// Max returns the larger of a and b.
func (a I96F32) Max(b I96F32) I96F32 {
	if a.Less(b) {
		return b
	}
	return a
}

// Add returns a + b with wrap-around on overflow (Rust release `+`).
func (a I96F32) Add(b I96F32) I96F32 {
	r, _ := a.v.add(b.v)
	return I96F32{r}
}

// Sub returns a − b with wrap-around on overflow.
func (a I96F32) Sub(b I96F32) I96F32 {
	r, _ := a.v.sub(b.v)
	return I96F32{r}
}

// CheckedAdd returns a + b, ok = false on overflow.
func (a I96F32) CheckedAdd(b I96F32) (I96F32, bool) {
	r, over := addFixed(a.v, b.v, true)
	return I96F32{r}, !over
}

// CheckedSub returns a − b, ok = false on overflow.
func (a I96F32) CheckedSub(b I96F32) (I96F32, bool) {
	r, over := subFixed(a.v, b.v, true)
	return I96F32{r}, !over
}

// SaturatingAdd returns a + b clamped to the range.
func (a I96F32) SaturatingAdd(b I96F32) I96F32 {
	return I96F32{satAddFixed(a.v, b.v, true)}
}

// SaturatingSub returns a − b clamped to the range.
func (a I96F32) SaturatingSub(b I96F32) I96F32 {
	return I96F32{satSubFixed(a.v, b.v, true)}
}

// CheckedMul returns floor(a·b), ok = false on overflow.
func (a I96F32) CheckedMul(b I96F32) (I96F32, bool) {
	r, over := mulFixed(a.v, b.v, 32, true)
	return I96F32{r}, !over
}

// SaturatingMul returns floor(a·b) clamped to the range.
func (a I96F32) SaturatingMul(b I96F32) I96F32 {
	return I96F32{satMulFixed(a.v, b.v, 32, true)}
}

// Mul is SaturatingMul.
func (a I96F32) Mul(b I96F32) I96F32 { return a.SaturatingMul(b) }

// CheckedDiv returns trunc(a / b), ok = false on division by zero or overflow.
func (a I96F32) CheckedDiv(b I96F32) (I96F32, bool) {
	q, ok := divFixed(a.v, b.v, 32, true)
	return I96F32{q}, ok
}

// SafeDiv returns trunc(a / b), or 0 on division by zero or overflow (subtensor's safe_div).
func (a I96F32) SafeDiv(b I96F32) I96F32 {
	return I96F32{safeDivFixed(a.v, b.v, 32, true)}
}

// SaturatingDiv returns trunc(a / b) clamped to the range; division by zero saturates toward
// the sign of a (0 for 0/0) instead of panicking as Rust does.
func (a I96F32) SaturatingDiv(b I96F32) I96F32 {
	return I96F32{satDivFixed(a.v, b.v, 32, true)}
}

// Floor returns the largest integer value ≤ a.
func (a I96F32) Floor() I96F32 { return I96F32{floorFixed(a.v, 32, true)} }

// Round rounds to the nearest integer, ties away from zero, saturating.
func (a I96F32) Round() I96F32 {
	return I96F32{roundFixed(a.v, 32, true)}
}

// SaturatingToU64 returns floor(a) clamped to [0, 2^64).
func (a I96F32) SaturatingToU64() uint64 {
	r := convertFixed(a.v, true, 32, 0, false, 64)
	return r.lo
}

// SaturatingToU128 returns floor(a) clamped to [0, 2^128) as hi, lo words.
func (a I96F32) SaturatingToU128() (hi, lo uint64) {
	r := convertFixed(a.v, true, 32, 0, false, 128)
	return r.hi, r.lo
}

// ToI32F32 converts with floor and saturation.
func (a I96F32) ToI32F32() I32F32 {
	r := convertFixed(a.v, true, 32, 32, true, 64)
	return I32F32{int64(r.lo)}
}

// ToI64F64 converts with floor and saturation.
func (a I96F32) ToI64F64() I64F64 {
	return I64F64{convertFixed(a.v, true, 32, 64, true, 128)}
}

// ToU96F32 converts with floor and saturation.
func (a I96F32) ToU96F32() U96F32 {
	return U96F32{convertFixed(a.v, true, 32, 32, false, 128)}
}

// ToU64F64 converts with floor and saturation.
func (a I96F32) ToU64F64() U64F64 {
	return U64F64{convertFixed(a.v, true, 32, 64, false, 128)}
}

// String formats the value in decimal rounded to ten fractional digits, for messages.
func (a I96F32) String() string { return formatFixed(a.v, true, 32) }

// I96F32FromFloat64 rounds f to the nearest representable value, ties to even, saturating (Rust's
// saturating_from_num(f64)); NaN gives 0. For literals in tests and tools, never consensus paths.
func I96F32FromFloat64(f float64) I96F32 { return I96F32{floatToFixed(f, 32, true, 128)} }

// U96F32 is a unsigned 128-bit fixed-point number with 32 fractional bits (coinbase amounts and prices);
// range [0, 2^96).
type U96F32 struct{ v u128 }

// U96F32 constants.
var (
	U96F32Zero = U96F32{}
	U96F32One  = U96F32{u128From64(1).shl(32)}
	U96F32Max  = U96F32{satBound(false, false)}
	U96F32Min  = U96F32{satBound(false, true)}
)

// U96F32FromBits returns the number whose raw 128-bit word is hi:lo.
func U96F32FromBits(hi, lo uint64) U96F32 { return U96F32{u128{hi: hi, lo: lo}} }

// U96F32FromU64 returns v exactly, saturating to the maximum.
func U96F32FromU64(v uint64) U96F32 {
	return U96F32{convertFixed(u128From64(v), false, 0, 32, false, 128)}
}

// U96F32FromInt returns v exactly, saturating to the range.
func U96F32FromInt(v int64) U96F32 {
	return U96F32{convertFixed(u128FromInt64(v), true, 0, 32, false, 128)}
}

// Bits returns the raw 128-bit word as hi, lo.
func (a U96F32) Bits() (hi, lo uint64) { return a.v.hi, a.v.lo }

// IsZero reports a == 0.
func (a U96F32) IsZero() bool { return a.v.isZero() }

// Cmp returns −1, 0 or +1 as a is less than, equal to or greater than b.
func (a U96F32) Cmp(b U96F32) int { return a.v.cmpU(b.v) }

// Less reports a < b.
func (a U96F32) Less(b U96F32) bool { return a.Cmp(b) < 0 }

// LessEq reports a <= b.
func (a U96F32) LessEq(b U96F32) bool { return a.Cmp(b) <= 0 }

// Min returns the smaller of a and b.
func (a U96F32) Min(b U96F32) U96F32 {
	if b.Less(a) {
		return b
	}
	return a
}

// Max returns the larger of a and b.
func (a U96F32) Max(b U96F32) U96F32 {
	if a.Less(b) {
		return b
	}
	return a
}

// Add returns a + b with wrap-around on overflow (Rust release `+`).
func (a U96F32) Add(b U96F32) U96F32 {
	r, _ := a.v.add(b.v)
	return U96F32{r}
}

// Sub returns a − b with wrap-around on overflow.
func (a U96F32) Sub(b U96F32) U96F32 {
	r, _ := a.v.sub(b.v)
	return U96F32{r}
}

// CheckedAdd returns a + b, ok = false on overflow.
func (a U96F32) CheckedAdd(b U96F32) (U96F32, bool) {
	r, over := addFixed(a.v, b.v, false)
	return U96F32{r}, !over
}

// CheckedSub returns a − b, ok = false on overflow.
func (a U96F32) CheckedSub(b U96F32) (U96F32, bool) {
	r, over := subFixed(a.v, b.v, false)
	return U96F32{r}, !over
}

// SaturatingAdd returns a + b clamped to the range.
func (a U96F32) SaturatingAdd(b U96F32) U96F32 {
	return U96F32{satAddFixed(a.v, b.v, false)}
}

// SaturatingSub returns a − b clamped to the range.
func (a U96F32) SaturatingSub(b U96F32) U96F32 {
	return U96F32{satSubFixed(a.v, b.v, false)}
}

// CheckedMul returns floor(a·b), ok = false on overflow.
func (a U96F32) CheckedMul(b U96F32) (U96F32, bool) {
	r, over := mulFixed(a.v, b.v, 32, false)
	return U96F32{r}, !over
}

// SaturatingMul returns floor(a·b) clamped to the range.
func (a U96F32) SaturatingMul(b U96F32) U96F32 {
	return U96F32{satMulFixed(a.v, b.v, 32, false)}
}

// Mul is SaturatingMul.
func (a U96F32) Mul(b U96F32) U96F32 { return a.SaturatingMul(b) }

// CheckedDiv returns trunc(a / b), ok = false on division by zero or overflow.
func (a U96F32) CheckedDiv(b U96F32) (U96F32, bool) {
	q, ok := divFixed(a.v, b.v, 32, false)
	return U96F32{q}, ok
}

// SafeDiv returns trunc(a / b), or 0 on division by zero or overflow (subtensor's safe_div).
func (a U96F32) SafeDiv(b U96F32) U96F32 {
	return U96F32{safeDivFixed(a.v, b.v, 32, false)}
}

// SaturatingDiv returns trunc(a / b) clamped to the range; division by zero saturates toward
// the sign of a (0 for 0/0) instead of panicking as Rust does.
func (a U96F32) SaturatingDiv(b U96F32) U96F32 {
	return U96F32{satDivFixed(a.v, b.v, 32, false)}
}

// Floor returns the largest integer value ≤ a.
func (a U96F32) Floor() U96F32 { return U96F32{floorFixed(a.v, 32, false)} }

// Round rounds to the nearest integer, ties away from zero, saturating.
func (a U96F32) Round() U96F32 {
	return U96F32{roundFixed(a.v, 32, false)}
}

// SaturatingToU64 returns floor(a) clamped to [0, 2^64).
func (a U96F32) SaturatingToU64() uint64 {
	r := convertFixed(a.v, false, 32, 0, false, 64)
	return r.lo
}

// SaturatingToU128 returns floor(a) clamped to [0, 2^128) as hi, lo words.
func (a U96F32) SaturatingToU128() (hi, lo uint64) {
	r := convertFixed(a.v, false, 32, 0, false, 128)
	return r.hi, r.lo
}

// ToI32F32 converts with floor and saturation.
func (a U96F32) ToI32F32() I32F32 {
	r := convertFixed(a.v, false, 32, 32, true, 64)
	return I32F32{int64(r.lo)}
}

// ToI64F64 converts with floor and saturation.
func (a U96F32) ToI64F64() I64F64 {
	return I64F64{convertFixed(a.v, false, 32, 64, true, 128)}
}

// ToI96F32 converts with floor and saturation.
func (a U96F32) ToI96F32() I96F32 {
	return I96F32{convertFixed(a.v, false, 32, 32, true, 128)}
}

// ToU64F64 converts with floor and saturation.
func (a U96F32) ToU64F64() U64F64 {
	return U64F64{convertFixed(a.v, false, 32, 64, false, 128)}
}

// String formats the value in decimal rounded to ten fractional digits, for messages.
func (a U96F32) String() string { return formatFixed(a.v, false, 32) }

// U96F32FromFloat64 rounds f to the nearest representable value, ties to even, saturating (Rust's
// saturating_from_num(f64)); NaN gives 0. For literals in tests and tools, never consensus paths.
func U96F32FromFloat64(f float64) U96F32 { return U96F32{floatToFixed(f, 32, false, 128)} }

// U64F64 is a unsigned 128-bit fixed-point number with 64 fractional bits (coinbase and pool math);
// range [0, 2^64).
type U64F64 struct{ v u128 }

// U64F64 constants.
var (
	U64F64Zero = U64F64{}
	U64F64One  = U64F64{u128From64(1).shl(64)}
	U64F64Max  = U64F64{satBound(false, false)}
	U64F64Min  = U64F64{satBound(false, true)}
)

// U64F64FromBits returns the number whose raw 128-bit word is hi:lo.
func U64F64FromBits(hi, lo uint64) U64F64 { return U64F64{u128{hi: hi, lo: lo}} }

// U64F64FromU64 returns v exactly, saturating to the maximum.
func U64F64FromU64(v uint64) U64F64 {
	return U64F64{convertFixed(u128From64(v), false, 0, 64, false, 128)}
}

// U64F64FromInt returns v exactly, saturating to the range.
func U64F64FromInt(v int64) U64F64 {
	return U64F64{convertFixed(u128FromInt64(v), true, 0, 64, false, 128)}
}

// Bits returns the raw 128-bit word as hi, lo.
func (a U64F64) Bits() (hi, lo uint64) { return a.v.hi, a.v.lo }

// IsZero reports a == 0.
func (a U64F64) IsZero() bool { return a.v.isZero() }

// Cmp returns −1, 0 or +1 as a is less than, equal to or greater than b.
func (a U64F64) Cmp(b U64F64) int { return a.v.cmpU(b.v) }

// Less reports a < b.
func (a U64F64) Less(b U64F64) bool { return a.Cmp(b) < 0 }

// LessEq reports a <= b.
func (a U64F64) LessEq(b U64F64) bool { return a.Cmp(b) <= 0 }

// Min returns the smaller of a and b.
func (a U64F64) Min(b U64F64) U64F64 {
	if b.Less(a) {
		return b
	}
	return a
}

// Max returns the larger of a and b.
func (a U64F64) Max(b U64F64) U64F64 {
	if a.Less(b) {
		return b
	}
	return a
}

// Add returns a + b with wrap-around on overflow (Rust release `+`).
func (a U64F64) Add(b U64F64) U64F64 {
	r, _ := a.v.add(b.v)
	return U64F64{r}
}

// Sub returns a − b with wrap-around on overflow.
func (a U64F64) Sub(b U64F64) U64F64 {
	r, _ := a.v.sub(b.v)
	return U64F64{r}
}

// CheckedAdd returns a + b, ok = false on overflow.
func (a U64F64) CheckedAdd(b U64F64) (U64F64, bool) {
	r, over := addFixed(a.v, b.v, false)
	return U64F64{r}, !over
}

// CheckedSub returns a − b, ok = false on overflow.
func (a U64F64) CheckedSub(b U64F64) (U64F64, bool) {
	r, over := subFixed(a.v, b.v, false)
	return U64F64{r}, !over
}

// SaturatingAdd returns a + b clamped to the range.
func (a U64F64) SaturatingAdd(b U64F64) U64F64 {
	return U64F64{satAddFixed(a.v, b.v, false)}
}

// SaturatingSub returns a − b clamped to the range.
func (a U64F64) SaturatingSub(b U64F64) U64F64 {
	return U64F64{satSubFixed(a.v, b.v, false)}
}

// CheckedMul returns floor(a·b), ok = false on overflow.
func (a U64F64) CheckedMul(b U64F64) (U64F64, bool) {
	r, over := mulFixed(a.v, b.v, 64, false)
	return U64F64{r}, !over
}

// SaturatingMul returns floor(a·b) clamped to the range.
func (a U64F64) SaturatingMul(b U64F64) U64F64 {
	return U64F64{satMulFixed(a.v, b.v, 64, false)}
}

// Mul is SaturatingMul.
func (a U64F64) Mul(b U64F64) U64F64 { return a.SaturatingMul(b) }

// CheckedDiv returns trunc(a / b), ok = false on division by zero or overflow.
func (a U64F64) CheckedDiv(b U64F64) (U64F64, bool) {
	q, ok := divFixed(a.v, b.v, 64, false)
	return U64F64{q}, ok
}

// SafeDiv returns trunc(a / b), or 0 on division by zero or overflow (subtensor's safe_div).
func (a U64F64) SafeDiv(b U64F64) U64F64 {
	return U64F64{safeDivFixed(a.v, b.v, 64, false)}
}

// SaturatingDiv returns trunc(a / b) clamped to the range; division by zero saturates toward
// the sign of a (0 for 0/0) instead of panicking as Rust does.
func (a U64F64) SaturatingDiv(b U64F64) U64F64 {
	return U64F64{satDivFixed(a.v, b.v, 64, false)}
}

// Floor returns the largest integer value ≤ a.
func (a U64F64) Floor() U64F64 { return U64F64{floorFixed(a.v, 64, false)} }

// Round rounds to the nearest integer, ties away from zero, saturating.
func (a U64F64) Round() U64F64 {
	return U64F64{roundFixed(a.v, 64, false)}
}

// SaturatingToU64 returns floor(a) clamped to [0, 2^64).
func (a U64F64) SaturatingToU64() uint64 {
	r := convertFixed(a.v, false, 64, 0, false, 64)
	return r.lo
}

// SaturatingToU128 returns floor(a) clamped to [0, 2^128) as hi, lo words.
func (a U64F64) SaturatingToU128() (hi, lo uint64) {
	r := convertFixed(a.v, false, 64, 0, false, 128)
	return r.hi, r.lo
}

// ToI32F32 converts with floor and saturation.
func (a U64F64) ToI32F32() I32F32 {
	r := convertFixed(a.v, false, 64, 32, true, 64)
	return I32F32{int64(r.lo)}
}

// ToI64F64 converts with floor and saturation.
func (a U64F64) ToI64F64() I64F64 {
	return I64F64{convertFixed(a.v, false, 64, 64, true, 128)}
}

// ToI96F32 converts with floor and saturation.
func (a U64F64) ToI96F32() I96F32 {
	return I96F32{convertFixed(a.v, false, 64, 32, true, 128)}
}

// ToU96F32 converts with floor and saturation.
func (a U64F64) ToU96F32() U96F32 {
	return U96F32{convertFixed(a.v, false, 64, 32, false, 128)}
}

// String formats the value in decimal rounded to ten fractional digits, for messages.
func (a U64F64) String() string { return formatFixed(a.v, false, 64) }

// U64F64FromFloat64 rounds f to the nearest representable value, ties to even, saturating (Rust's
// saturating_from_num(f64)); NaN gives 0. For literals in tests and tools, never consensus paths.
func U64F64FromFloat64(f float64) U64F64 { return U64F64{floatToFixed(f, 64, false, 128)} }

// The saturating, dividing and rounding steps of the four 128-bit types, written once on the
// shared u128 word: signed selects the signed or unsigned range of the word and frac is the
// number of fractional bits. Each method above is a one-line call with its type's constants.

// satAddFixed is a + b clamped to the range: an overflow goes toward b's sign (up when unsigned).
func satAddFixed(a, b u128, signed bool) u128 {
	r, over := addFixed(a, b, signed)
	if over {
		return satBound(signed, signed && b.neg())
	}
	return r
}

// satSubFixed is a − b clamped to the range: an overflow goes against b's sign (down to 0 when
// unsigned).
func satSubFixed(a, b u128, signed bool) u128 {
	r, over := subFixed(a, b, signed)
	if over {
		return satBound(signed, !signed || !b.neg())
	}
	return r
}

// satMulFixed is floor(a·b) clamped to the range: an overflow goes toward the product's sign.
func satMulFixed(a, b u128, frac uint, signed bool) u128 {
	r, over := mulFixed(a, b, frac, signed)
	if over {
		return satBound(signed, signed && a.neg() != b.neg())
	}
	return r
}

// safeDivFixed is trunc(a / b), or 0 on division by zero or overflow.
func safeDivFixed(a, b u128, frac uint, signed bool) u128 {
	q, ok := divFixed(a, b, frac, signed)
	if !ok {
		return u128Zero
	}
	return q
}

// satDivFixed is trunc(a / b) clamped to the range; a failed division (by zero or overflowing)
// goes toward the quotient's sign, and 0/0 is 0.
func satDivFixed(a, b u128, frac uint, signed bool) u128 {
	q, ok := divFixed(a, b, frac, signed)
	if ok {
		return q
	}
	if a.isZero() {
		return u128Zero
	}
	return satBound(signed, signed && a.neg() != b.neg())
}

// floorFixed is the largest integer value ≤ a.
func floorFixed(a u128, frac uint, signed bool) u128 { return a.shrS0(frac, signed).shl(frac) }

// roundFixed rounds a to the nearest integer, ties away from zero, saturating. A negative value
// rounds its negation (the minimum's negation saturating to the maximum) and negates back.
func roundFixed(a u128, frac uint, signed bool) u128 {
	if signed && a.neg() {
		n, _ := subFixed(u128Zero, a, true)
		if a == satBound(true, true) {
			n = satBound(true, false)
		}
		r, _ := u128Zero.sub(roundFixed(n, frac, true))
		return r
	}
	s, over := addFixed(a, u128From64(1).shl(frac-1), signed)
	if over {
		return floorFixed(satBound(signed, false), frac, signed)
	}
	return floorFixed(s, frac, signed)
}

// shrS0 floors v to an integer count of units (drops the low frac bits), as a signed or
// unsigned word.
func (v u128) shrS0(frac uint, signed bool) u128 {
	if signed {
		return v.shrS(frac)
	}
	return v.shrU(frac)
}

// I32F32FromFloat64 rounds f to the nearest I32F32, ties to even, saturating (Rust's
// saturating_from_num(f64)); NaN gives 0. For literals in tests and tools, never consensus paths.
func I32F32FromFloat64(f float64) I32F32 {
	r := floatToFixed(f, 32, true, 64)
	return I32F32{int64(r.lo)}
}

// I32F32FromFloat32 converts an f32 literal exactly as Rust's I32F32::saturating_from_num(f32):
// nearest, ties to even (an f32 widens to f64 exactly, so the rounding is the same).
func I32F32FromFloat32(f float32) I32F32 { return I32F32FromFloat64(float64(f)) }

// floatToFixed converts f to a fixed-point word with frac fractional bits, rounding to nearest
// with ties to even and saturating to the signed or unsigned range of a total-bit word.
func floatToFixed(f float64, frac uint, signed bool, total uint) u128 {
	if f != f {
		return u128Zero
	}
	negative := math.Signbit(f) && f != 0
	if negative && !signed {
		return u128Zero
	}
	maxBound := func() u128 {
		if total == 64 {
			if signed {
				return u128From64(math.MaxInt64)
			}
			return u128From64(math.MaxUint64)
		}
		return satBound(signed, false)
	}
	minBound := func() u128 {
		if total == 64 {
			return u128FromInt64(math.MinInt64)
		}
		return satBound(true, true)
	}
	if math.IsInf(f, 0) {
		if negative {
			return minBound()
		}
		return maxBound()
	}
	b := math.Float64bits(math.Abs(f))
	exp := int((b >> 52) & 0x7ff)
	mant := b & (1<<52 - 1)
	if exp == 0 {
		exp = 1 // subnormal
	} else {
		mant |= 1 << 52
	}
	// |f| = mant · 2^(exp − 1075); bits = mant · 2^(exp − 1075 + frac).
	shift := exp - 1075 + int(frac)
	var mag u128
	switch {
	case mant == 0:
		return u128Zero
	case shift >= 0:
		if shift > 127-52 {
			if negative {
				return minBound()
			}
			return maxBound()
		}
		mag = u128From64(mant).shl(uint(shift))
	case shift < -60:
		return u128Zero // |f| < 2^-(frac+7): rounds to 0
	default:
		s := uint(-shift)
		q := mant >> s
		rem := mant & (1<<s - 1)
		half := uint64(1) << (s - 1)
		if rem > half || (rem == half && q&1 == 1) {
			q++
		}
		mag = u128From64(q)
	}
	// Range check against the target.
	limit := maxBound()
	if negative {
		lim := minBound().negate() // magnitude of the minimum
		if total == 64 {
			lim = u128From64(1 << 63)
		}
		if mag.cmpU(lim) > 0 {
			return minBound()
		}
		r := mag.negate()
		return r
	}
	if mag.cmpU(limit) > 0 {
		return limit
	}
	return mag
}
