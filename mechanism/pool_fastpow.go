package mechanism

import (
	"math/big"
	"math/bits"
)

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

// ln 2 · 2^128 (floor), as two words; ln2Q128 assembles them.
const (
	ln2Q128Hi = 0xB17217F7D1CF79AB
	ln2Q128Lo = 0xC9E3B39803F2F6AF
)

func ln2Q128() u128 { return u128{hi: ln2Q128Hi, lo: ln2Q128Lo} }

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
	e := expQ128(x, xPos, 5)
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

// expQ128 returns e^(±X/2^128)·2^128 as three limbs, from the series 1 + Σ x^n/n!, n = 1..terms,
// in Q128 with the positive and negative terms summed apart (|x| must be well below 1).
func expQ128(x u128, xPos bool, terms uint64) [3]uint64 {
	pos, negSum := u128{}, u128{}
	term := x
	for n := uint64(1); n <= terms; n++ {
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
	e := [3]uint64{0, 0, 1}
	var c uint64
	e[0], c = bits.Add64(e[0], pos.lo, 0)
	e[1], c = bits.Add64(e[1], pos.hi, c)
	e[2] += c
	var br uint64
	e[0], br = bits.Sub64(e[0], negSum.lo, 0)
	e[1], br = bits.Sub64(e[1], negSum.hi, br)
	e[2] -= br
	return e
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
	kl := mul256(ln2Q128(), u128From64(uint64(k)))
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

// powPriceRatioNearHalf is the same shortcut for the price-limit powers of deltaInToPrice:
// floor(1e18·(num/den)^(w/1e18)) for num ≥ den > 0 (raw U64F64 price bits) and a weight w within
// 2^-20 of 0.5 (but not exactly 0.5, where the crate's exact square root is used). With
// R = num/den and ε = w/1e18 − 1/2:
//
//	1e18·R^(1/2+ε) = sqrt(1e36·R) · e^(ε·ln R)
//
// sqrt(1e36·R) comes from an exact integer square root with 64 fraction bits, ln R from the top
// 64 bits of num and den (error < 2^-55) and e^x from eight series terms in Q128 (|x| < 2^-13).
// The result is accepted when it is below 2^62 and more than 2^-10 from an integer; the error is
// below 2^-12 there. ok = false otherwise, and the caller runs powRatioScaled.
func powPriceRatioNearHalf(num, den u128, w uint64) (uint64, bool) {
	const half = uint64(PerquintillOne / 2)
	if den.isZero() || num.cmpU(den) < 0 || w == half {
		return 0, false
	}
	diff, xPos := w-half, true // ln R ≥ 0: x = ε·ln R has the sign of ε
	if w < half {
		diff, xPos = half-w, false
	}
	if diff > uint64(PerquintillOne)>>(fastPowMaxD+1) { // |ε| = diff/1e18 ≤ 2^-20 (with margin)
		return 0, false
	}
	// ln R = ln(nm/dm) + (sn − sd)·ln 2 with nm, dm the top 64 bits of num and den.
	nm, sn := top64(num)
	dm, sd := top64(den)
	var l u128 // |ln R| in Q64; ln R ≥ 0 because num ≥ den
	shift := sn - sd
	kl := mul256(ln2Q128(), u128From64(uint64(shift)))
	kln2 := u128{hi: kl[2], lo: kl[1]}
	if nm >= dm {
		lm, ok := lnRatioQ64(dm, nm)
		if !ok {
			return 0, false
		}
		l, _ = kln2.add(lm)
	} else {
		lm, ok := lnRatioQ64(nm, dm)
		if !ok {
			return 0, false
		}
		var br uint64
		if l, br = kln2.sub(lm); br != 0 {
			return 0, false
		}
	}
	// X = |x|·2^128 = |L|_Q64 · diff · 2^64 / 1e18.
	p := mul256(l, u128From64(diff))
	q := div256by64([4]uint64{0, p[0], p[1], p[2]}, uint64(PerquintillOne))
	if q[2] != 0 || q[3] != 0 || q[1] >= 1<<51 { // |x| < 2^-13
		return 0, false
	}
	e := expQ128(u128{hi: q[1], lo: q[0]}, xPos, 8)
	// S = isqrt(1e36·num·2^128/den) = sqrt(1e36·R)·2^64 (floor).
	s := new(big.Int).Mul(u128Big(num), new(big.Int).Exp(big.NewInt(10), big.NewInt(36), nil))
	s.Lsh(s, 128)
	s.Quo(s, u128Big(den))
	s.Sqrt(s)
	// T·2^192 = S·E·2^128.
	eb := new(big.Int).SetUint64(e[2])
	eb.Lsh(eb, 64).Or(eb, new(big.Int).SetUint64(e[1]))
	eb.Lsh(eb, 64).Or(eb, new(big.Int).SetUint64(e[0]))
	t := s.Mul(s, eb)
	if t.BitLen() > 62+192 {
		return 0, false
	}
	whole := new(big.Int).Rsh(t, 192)
	frac := new(big.Int).Sub(t, new(big.Int).Lsh(whole, 192))
	band := new(big.Int).Lsh(big.NewInt(1), 192-10)
	if frac.Cmp(band) < 0 || frac.Cmp(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 192), band)) > 0 {
		return 0, false
	}
	return whole.Uint64(), true
}

// top64 returns the top 64 bits of a non-zero v and the shift: v ≈ m·2^s, m normalised.
func top64(v u128) (uint64, int) {
	n := 128 - bits.LeadingZeros64(v.hi)
	if v.hi == 0 {
		n = 64 - bits.LeadingZeros64(v.lo)
	}
	if n <= 64 {
		return v.lo << uint(64-n), n - 64
	}
	return v.shrU(uint(n - 64)).lo, n - 64
}
