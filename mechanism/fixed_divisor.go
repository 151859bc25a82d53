package mechanism

import "math/bits"

// i32f32Divisor divides many I32F32 values by one divisor with exactly CheckedDiv's result
// (truncation toward zero, failure on zero divisor or overflow), replacing each 128/64-bit
// hardware division by two multiplications with a precomputed reciprocal (Möller–Granlund,
// "Improved division by invariant integers", 2011, algorithm 4). Column and row normalisation
// divide thousands of cells by the same sum.
type i32f32Divisor struct {
	d     uint64 // |divisor| << shift, top bit set
	v     uint64 // floor((2^128 − 1) / d) − 2^64
	shift uint
	neg   bool
	zero  bool
}

func newI32F32Divisor(b I32F32) i32f32Divisor {
	if b.bits == 0 {
		return i32f32Divisor{zero: true}
	}
	ub := absU64(b.bits)
	s := uint(bits.LeadingZeros64(ub))
	d := ub << s
	v, _ := bits.Div64(^d, ^uint64(0), d)
	return i32f32Divisor{d: d, v: v, shift: s, neg: b.bits < 0}
}

// div returns trunc(a / divisor) and whether it is defined, exactly as a.CheckedDiv(divisor).
func (q i32f32Divisor) div(a I32F32) (I32F32, bool) {
	if q.zero {
		return I32F32{}, false
	}
	ua := absU64(a.bits)
	// Numerator |a|·2^32 normalised by the divisor's shift: (|a| << (32 + shift)) as hi:lo.
	s := 32 + q.shift
	var u1, u0 uint64
	if s >= 64 {
		u1, u0 = ua<<(s-64), 0
		if s > 64 && ua>>(128-s) != 0 {
			return I32F32{}, false // the quotient needs more than 64 bits
		}
	} else {
		u1, u0 = ua>>(64-s), ua<<s
	}
	if u1 >= q.d {
		return I32F32{}, false // quotient ≥ 2^64
	}
	// 2-by-1 division with the precomputed reciprocal.
	ph, pl := bits.Mul64(q.v, u1)
	q0, c := bits.Add64(pl, u0, 0)
	q1 := ph + u1 + 1 + c
	r := u0 - q1*q.d
	if r > q0 {
		q1--
		r += q.d
	}
	if r >= q.d {
		q1++
	}
	if (a.bits < 0) != q.neg {
		if q1 > 1<<63 {
			return I32F32{}, false
		}
		return I32F32{int64(-q1)}, true
	}
	if q1 > 1<<63-1 {
		return I32F32{}, false
	}
	return I32F32{int64(q1)}, true
}

// safeDiv is SafeDiv by the divisor: the quotient, or 0 when undefined.
func (q i32f32Divisor) safeDiv(a I32F32) I32F32 {
	r, ok := q.div(a)
	if !ok {
		return I32F32Zero
	}
	return r
}
