package mechanism

import "math/bits"

// u128 is a 128-bit two's-complement word. The wide fixed-point types store their bits in it and
// interpret it as signed or unsigned. All helpers here are exact integer operations; rounding
// happens only where a caller asks for a shift or a division.
type u128 struct{ hi, lo uint64 }

var (
	u128Zero      = u128{}
	u128MaxU      = u128{hi: ^uint64(0), lo: ^uint64(0)}
	u128MaxSigned = u128{hi: 1<<63 - 1, lo: ^uint64(0)}
	u128MinSigned = u128{hi: 1 << 63}
)

func u128From64(v uint64) u128 { return u128{lo: v} }

// u128FromInt64 sign-extends v.
func u128FromInt64(v int64) u128 {
	if v < 0 {
		return u128{hi: ^uint64(0), lo: uint64(v)}
	}
	return u128{lo: uint64(v)}
}

func (a u128) isZero() bool { return a.hi == 0 && a.lo == 0 }
func (a u128) neg() bool    { return int64(a.hi) < 0 }

func (a u128) add(b u128) (u128, uint64) {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c := bits.Add64(a.hi, b.hi, c)
	return u128{hi, lo}, c
}

func (a u128) sub(b u128) (u128, uint64) {
	lo, br := bits.Sub64(a.lo, b.lo, 0)
	hi, br := bits.Sub64(a.hi, b.hi, br)
	return u128{hi, lo}, br
}

// negate returns the two's complement of a.
func (a u128) negate() u128 {
	r, _ := u128Zero.sub(a)
	return r
}

// abs returns the magnitude of a signed word (the magnitude of the minimum is 2^127, which fits).
func (a u128) abs() u128 {
	if a.neg() {
		return a.negate()
	}
	return a
}

func (a u128) cmpU(b u128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

func (a u128) cmpS(b u128) int {
	an, bn := a.neg(), b.neg()
	if an != bn {
		if an {
			return -1
		}
		return 1
	}
	return a.cmpU(b)
}

// shl shifts left by s < 128 (bits shifted out are lost).
func (a u128) shl(s uint) u128 {
	switch {
	case s == 0:
		return a
	case s >= 64:
		return u128{hi: a.lo << (s - 64)}
	}
	return u128{hi: a.hi<<s | a.lo>>(64-s), lo: a.lo << s}
}

// shrU is a logical right shift by s < 128.
func (a u128) shrU(s uint) u128 {
	switch {
	case s == 0:
		return a
	case s >= 64:
		return u128{lo: a.hi >> (s - 64)}
	}
	return u128{hi: a.hi >> s, lo: a.lo>>s | a.hi<<(64-s)}
}

// shrS is an arithmetic right shift by s < 128, i.e. floor division by 2^s.
func (a u128) shrS(s uint) u128 {
	switch {
	case s == 0:
		return a
	case s >= 64:
		return u128{hi: uint64(int64(a.hi) >> 63), lo: uint64(int64(a.hi) >> (s - 64))}
	}
	return u128{hi: uint64(int64(a.hi) >> s), lo: a.lo>>s | a.hi<<(64-s)}
}

// lowBitsNonZero reports whether any of the low s bits of a are set.
func (a u128) lowBitsNonZero(s uint) bool {
	switch {
	case s == 0:
		return false
	case s < 64:
		return a.lo&(1<<s-1) != 0
	case s == 64:
		return a.lo != 0
	}
	return a.lo != 0 || a.hi&(1<<(s-64)-1) != 0
}

// mul256 returns the full unsigned 256-bit product a·b as four limbs, least significant first.
func mul256(a, b u128) [4]uint64 {
	h00, l00 := bits.Mul64(a.lo, b.lo)
	h01, l01 := bits.Mul64(a.lo, b.hi)
	h10, l10 := bits.Mul64(a.hi, b.lo)
	h11, l11 := bits.Mul64(a.hi, b.hi)
	var r [4]uint64
	r[0] = l00
	var c, c2 uint64
	r[1], c = bits.Add64(h00, l01, 0)
	r[2], c2 = bits.Add64(h01, l11, c)
	r[3] = h11 + c2
	r[1], c = bits.Add64(r[1], l10, 0)
	r[2], c2 = bits.Add64(r[2], h10, c)
	r[3] += c2
	return r
}

// shr256 shifts a 256-bit value right by s < 64 and reports whether the result exceeds 128
// bits, and whether any shifted-out bit was set.
func shr256(p [4]uint64, s uint) (r u128, over, inexact bool) {
	if s == 0 {
		return u128{hi: p[1], lo: p[0]}, p[2] != 0 || p[3] != 0, false
	}
	if s == 64 {
		return u128{hi: p[2], lo: p[1]}, p[3] != 0, p[0] != 0
	}
	r = u128{hi: p[2]<<(64-s) | p[1]>>s, lo: p[1]<<(64-s) | p[0]>>s}
	over = p[3] != 0 || p[2]>>s != 0
	inexact = p[0]&(1<<s-1) != 0
	return r, over, inexact
}

// divShifted computes floor((a << s) / b) for unsigned a, b and s ≤ 64. ok is false when b is
// zero or the quotient does not fit in 128 bits. It runs Knuth's algorithm D on 64-bit limbs.
func divShifted(a u128, s uint, b u128) (q u128, ok bool) {
	if b.isZero() {
		return u128{}, false
	}
	// Numerator n = a << s as three limbs n2:n1:n0.
	var n0, n1, n2 uint64
	switch {
	case s == 0:
		n0, n1 = a.lo, a.hi
	case s == 64:
		n1, n2 = a.lo, a.hi
	default:
		n0 = a.lo << s
		n1 = a.hi<<s | a.lo>>(64-s)
		n2 = a.hi >> (64 - s)
	}
	if b.hi == 0 {
		d := b.lo
		if n2 >= d {
			return u128{}, false
		}
		q1, r := bits.Div64(n2, n1, d)
		q0, _ := bits.Div64(r, n0, d)
		return u128{hi: q1, lo: q0}, true
	}
	// Two-limb divisor: the quotient is below 2^128. Normalise so the divisor's top bit is set.
	sh := uint(bits.LeadingZeros64(b.hi))
	d := b.shl(sh)
	var u [4]uint64
	if sh == 0 {
		u = [4]uint64{n0, n1, n2, 0}
	} else {
		u = [4]uint64{n0 << sh, n1<<sh | n0>>(64-sh), n2<<sh | n1>>(64-sh), n2 >> (64 - sh)}
	}
	var qd [2]uint64
	for j := 1; j >= 0; j-- {
		// Estimate qhat from the top two limbs of the current remainder window u[j..j+2].
		var qhat, rhat uint64
		top := u[j+2]
		if top >= d.hi {
			qhat = ^uint64(0)
			// rhat = top:u[j+1] - qhat*d.hi; may exceed 64 bits, in which case the test below is skipped.
			var c uint64
			rhat, c = bits.Add64(u[j+1], top, 0) // (top·2^64 + u[j+1]) − (2^64−1)·d.hi with top == d.hi
			if top != d.hi || c != 0 {
				goto mulsub
			}
		} else {
			qhat, rhat = bits.Div64(top, u[j+1], d.hi)
		}
		for {
			ph, pl := bits.Mul64(qhat, d.lo)
			if ph > rhat || (ph == rhat && pl > u[j]) {
				qhat--
				var c uint64
				rhat, c = bits.Add64(rhat, d.hi, 0)
				if c != 0 {
					break
				}
				continue
			}
			break
		}
	mulsub:
		// u[j..j+2] -= qhat * d
		p1h, p1l := bits.Mul64(qhat, d.lo)
		p2h, p2l := bits.Mul64(qhat, d.hi)
		m0 := p1l
		m1, c := bits.Add64(p1h, p2l, 0)
		m2 := p2h + c
		var br uint64
		u[j], br = bits.Sub64(u[j], m0, 0)
		u[j+1], br = bits.Sub64(u[j+1], m1, br)
		u[j+2], br = bits.Sub64(u[j+2], m2, br)
		if br != 0 {
			// Overshot by one: add the divisor back.
			qhat--
			var c2 uint64
			u[j], c2 = bits.Add64(u[j], d.lo, 0)
			u[j+1], c2 = bits.Add64(u[j+1], d.hi, c2)
			u[j+2] += c2
		}
		qd[j] = qhat
	}
	return u128{hi: qd[1], lo: qd[0]}, true
}

// mulFixed multiplies two fixed-point words with frac fractional bits: floor((a·b) / 2^frac).
// overflow reports that the exact floor does not fit the signed or unsigned 128-bit range.
func mulFixed(a, b u128, frac uint, signed bool) (u128, bool) {
	if !signed {
		r, over, _ := shr256(mul256(a, b), frac)
		return r, over
	}
	negative := a.neg() != b.neg()
	r, over, inexact := shr256(mul256(a.abs(), b.abs()), frac)
	if over {
		return u128{}, true
	}
	if !negative {
		return r, r.neg()
	}
	if inexact { // floor of a negative value: round the magnitude up
		r, _ = r.add(u128From64(1))
	}
	if r.cmpU(u128MinSigned) > 0 {
		return u128{}, true
	}
	return r.negate(), false
}

// divFixed divides two fixed-point words with frac fractional bits: trunc((a·2^frac) / b).
// ok is false on division by zero or when the quotient does not fit.
func divFixed(a, b u128, frac uint, signed bool) (u128, bool) {
	if !signed {
		return divShifted(a, frac, b)
	}
	negative := a.neg() != b.neg()
	q, ok := divShifted(a.abs(), frac, b.abs())
	if !ok {
		return u128{}, false
	}
	if !negative {
		return q, !q.neg()
	}
	if q.cmpU(u128MinSigned) > 0 {
		return u128{}, false
	}
	return q.negate(), true
}

// addFixed adds exactly and reports overflow of the signed or unsigned range.
func addFixed(a, b u128, signed bool) (u128, bool) {
	r, c := a.add(b)
	if !signed {
		return r, c != 0
	}
	return r, a.neg() == b.neg() && r.neg() != a.neg()
}

// subFixed subtracts exactly and reports overflow of the signed or unsigned range.
func subFixed(a, b u128, signed bool) (u128, bool) {
	r, br := a.sub(b)
	if !signed {
		return r, br != 0
	}
	return r, a.neg() != b.neg() && r.neg() != a.neg()
}

// satBound is the bound an overflowing result saturates to.
func satBound(signed, negative bool) u128 {
	switch {
	case !signed && negative:
		return u128Zero
	case !signed:
		return u128MaxU
	case negative:
		return u128MinSigned
	}
	return u128MaxSigned
}

// boundFor is the saturation bound of a signed or unsigned word of total bits (64 or 128).
func boundFor(signed, negative bool, total uint) u128 {
	if total == 64 {
		switch {
		case !signed && negative:
			return u128Zero
		case !signed:
			return u128From64(^uint64(0))
		case negative:
			return u128FromInt64(-1 << 63)
		}
		return u128From64(1<<63 - 1)
	}
	return satBound(signed, negative)
}

// convertFixed re-scales bits from one fraction width to another with floor (arithmetic shift
// for signed words) and saturation to the target range of a toTotal-bit word (64 or 128); a
// negative value saturates to 0 when the target is unsigned.
func convertFixed(v u128, fromSigned bool, fromFrac, toFrac uint, toSigned bool, toTotal uint) u128 {
	negative := fromSigned && v.neg()
	if negative && !toSigned {
		return u128Zero
	}
	var r u128
	switch {
	case toFrac > fromFrac:
		s := toFrac - fromFrac
		r = v.shl(s)
		back := r.shrU(s)
		if fromSigned {
			back = r.shrS(s)
		}
		if back != v {
			return boundFor(toSigned, negative, toTotal)
		}
	case toFrac < fromFrac:
		if fromSigned {
			r = v.shrS(fromFrac - toFrac)
		} else {
			r = v.shrU(fromFrac - toFrac)
		}
	default:
		r = v
	}
	// r is now the exact floor, interpreted with the source's signedness. Range-check it.
	if negative {
		lo := boundFor(true, true, toTotal)
		if r.cmpS(lo) < 0 {
			return lo
		}
		return r
	}
	if fromSigned && r.neg() { // a left shift flipped the sign bit of a positive value
		return boundFor(toSigned, false, toTotal)
	}
	hi := boundFor(toSigned, false, toTotal)
	if r.cmpU(hi) > 0 {
		return hi
	}
	return r
}
