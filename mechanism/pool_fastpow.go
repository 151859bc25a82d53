package mechanism

import "math/bits"

// A fast, exact shortcut for pow_ratio_scaled on pools whose weights are near (not at) 0.5.
//
// Liquidity injections re-solve the pool weights, so after the first one w2 is 0.5 plus a few
// parts in 10^18 and the reduced exponent w1/w2 is a ratio of two 60-bit numbers. The crate
// then takes its log/exp series at 1056 bits, about a millisecond per power. The chain only
// needs R = floor(1e18·r^(1+d)) for r = a/b ≤ 1 and a tiny d = (wn − wd)/wd, so:
//
//	1e18·r^(1+d) = 1e18·r·e^(d·ln r)
//
// with ln r from an atanh series in 64-bit fixed point (error < 2^-56), x = d·ln r and
// e^x = 1 + x + … + x^5/120 in 128-bit fixed point (|x| < 2^-17), and the product taken in
// 256-bit integers. For |d| ≤ 2^-20 the computed value is within 2^-15 of the true one; when it
// is more than 2^-12 away from an integer its floor is the true floor, which is also the crate's
// result (its own error is below 2^-1000). Otherwise — or for larger d, or r < e^-8 — ok is
// false and the caller runs the crate's algorithm (powRatioScaled). pool_test.go checks the
// shortcut against the full algorithm on random inputs.

// ln2Q128 is ln 2 · 2^128 (floor).
var ln2Q128 = u128{hi: 0xB17217F7D1CF79AB, lo: 0xC9E3B39803F2F6AF}

const (
	sqrt2Q64Hi   = 1                  // √2·2^64 = 0x1_6A09E667F3BCC908…
	sqrt2Q64Lo   = 0x6A09E667F3BCC908 //
	invSqrt2Q64  = 0xB504F333F9DE6484 // 2^64/√2
	fastPowMaxD  = 20                 // |d| ≤ 2^-20
	fastPowGuard = 116                // ambiguity band 2^-12 in units of 2^-128
)

// powRatioNearOne returns floor(1e18·(a/b)^(wn/wd)) for 0 < a ≤ b and wn, wd > 0 with
// |wn − wd| ≤ wd/2^20, or ok = false when the shortcut cannot decide (see above).
func powRatioNearOne(a, b, wn, wd uint64) (uint64, bool) {
	if a == 0 || a > b || wd == 0 {
		return 0, false
	}
	// x = d·ln r with ln r ≤ 0: x ≤ 0 when wn > wd, x ≥ 0 when wn < wd.
	diff, xPos := wn-wd, false
	if wn < wd {
		diff, xPos = wd-wn, true
	}
	if diff > wd>>fastPowMaxD {
		return 0, false
	}
	l, ok := lnRatioQ64(a, b) // |ln(a/b)| in Q64
	if !ok || l.hi >= 8 {
		return 0, false
	}
	// X = |x|·2^128 = |L|_Q64 · diff · 2^64 / wd.
	p := mul256(l, u128From64(diff)) // < 2^107
	num := [4]uint64{0, p[0], p[1], p[2]}
	q := div256by64(num, wd)
	if q[2] != 0 || q[3] != 0 {
		return 0, false
	}
	x := u128{hi: q[1], lo: q[0]}
	// e^x − 1 = Σ x^n/n!, n = 1..5, in Q128, positive and negative terms summed apart.
	pos, negSum := u128{}, u128{}
	term := x
	for n := uint64(1); n <= 5; n++ {
		if n > 1 {
			term = mulQ128(term, x)
			term = divU128by64(term, n)
		}
		if xPos || n%2 == 0 { // x ≥ 0: every term is positive; x < 0: the even powers are
			pos, _ = pos.add(term)
		} else {
			negSum, _ = negSum.add(term)
		}
	}
	// E·2^128 = 2^128 + pos − neg, as three limbs (E ∈ (0.99, 1.01)).
	e := [3]uint64{0, 0, 1}
	var c uint64
	e[0], c = bits.Add64(e[0], pos.lo, 0)
	e[1], c = bits.Add64(e[1], pos.hi, c)
	e[2] += c
	var br uint64
	e[0], br = bits.Sub64(e[0], negSum.lo, 0)
	e[1], br = bits.Sub64(e[1], negSum.hi, br)
	e[2] -= br
	// T·2^128 = 1e18·a·E·2^128 / b.
	ah, al := bits.Mul64(a, uint64(PerquintillOne))
	t := mul2x3(u128{hi: ah, lo: al}, e)
	tq := div256by64(t, b)
	fracHi := tq[1]
	if fracHi < 1<<(fastPowGuard-64) || fracHi > ^uint64(0)-1<<(fastPowGuard-64) {
		return 0, false
	}
	if tq[3] != 0 {
		return 0, false
	}
	return tq[2], true
}

// lnRatioQ64 returns |ln(a/b)|·2^64 for 0 < a ≤ b: a/b = m·2^-k with m ∈ [1/√2, √2),
// ln m = 2·atanh((m−1)/(m+1)) by its series, |ln r| = k·ln 2 − ln m.
func lnRatioQ64(a, b uint64) (u128, bool) {
	k := bits.Len64(b) - bits.Len64(a)
	var m u128
	for tries := 0; ; tries++ {
		if k < 0 || k > 126 || tries > 3 {
			return u128{}, false
		}
		m = shiftDiv(a, 64+uint(k), b)
		if m.hi > sqrt2Q64Hi || (m.hi == sqrt2Q64Hi && m.lo >= sqrt2Q64Lo) {
			k--
		} else if m.hi == 0 && m.lo < invSqrt2Q64 {
			k++
		} else {
			break
		}
	}
	// z = (m − 1)/(m + 1) in Q64, |z| < 0.1716.
	one := u128{hi: 1}
	den, _ := m.add(one)
	var num u128
	zneg := m.hi == 0
	if zneg {
		num, _ = one.sub(m)
	} else {
		num, _ = m.sub(one)
	}
	zq, ok := divShifted(num, 64, den)
	if !ok || zq.hi != 0 {
		return u128{}, false
	}
	z := zq.lo
	zz, _ := bits.Mul64(z, z) // z² in Q64 (the high word of the Q128 product)
	sum, pw := z, z
	for n := uint64(3); ; n += 2 {
		pw, _ = bits.Mul64(pw, zz)
		t := pw / n
		if t == 0 {
			break
		}
		sum += t
	}
	lnm := u128From64(sum).shl(1) // |ln m| = 2·atanh|z|
	// k·ln2 in Q64 from the Q128 constant.
	kl := mul256(ln2Q128, u128From64(uint64(k)))
	kln2 := u128{hi: kl[2], lo: kl[1]}
	var l u128
	var br uint64
	if zneg { // m < 1: ln m < 0, |ln r| = k·ln2 + |ln m|
		l, _ = kln2.add(lnm)
	} else {
		l, br = kln2.sub(lnm)
		if br != 0 { // a/b > 1 cannot happen for a ≤ b; refuse rather than wrap
			return u128{}, false
		}
	}
	return l, true
}

// shiftDiv returns floor(a·2^s / b) as a 128-bit word (s < 192, quotient must fit).
func shiftDiv(a uint64, s uint, b uint64) u128 {
	var n [4]uint64
	limb, off := s/64, s%64
	n[limb] = a << off
	if off != 0 && limb+1 < 4 {
		n[limb+1] = a >> (64 - off)
	}
	q := div256by64(n, b)
	return u128{hi: q[1], lo: q[0]}
}

// mulQ128 multiplies two Q128 fractions (< 1): floor(a·b / 2^128).
func mulQ128(a, b u128) u128 {
	p := mul256(a, b)
	return u128{hi: p[3], lo: p[2]}
}

// divU128by64 is floor(a / d).
func divU128by64(a u128, d uint64) u128 {
	qh, r := bits.Div64(0, a.hi, d)
	ql, _ := bits.Div64(r, a.lo, d)
	return u128{hi: qh, lo: ql}
}

// mul2x3 multiplies a 128-bit by a 192-bit number into 256 bits (the product must fit).
func mul2x3(a u128, e [3]uint64) [4]uint64 {
	var r [4]uint64
	for i, ai := range [2]uint64{a.lo, a.hi} {
		var carry uint64
		for j, ej := range e {
			if i+j >= 4 {
				break
			}
			hi, lo := bits.Mul64(ai, ej)
			var c uint64
			r[i+j], c = bits.Add64(r[i+j], lo, 0)
			hi += c
			r[i+j], c = bits.Add64(r[i+j], carry, 0)
			carry = hi + c
		}
		if i+3 < 4 {
			r[i+3] += carry
		}
	}
	return r
}
