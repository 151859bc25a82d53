package mechanism

import (
	"math/big"
	"math/bits"
	"sync"
)

// Liquid alpha needs σ = 1 / (1 + Exp(x)) for thousands of distinct x per epoch, and Exp's
// floored Taylor series (≈ 30 dependent 128-bit steps) dominated the epoch. σ, though, is a
// floor of 2^64 / (2^32 + e), which stays the same over a wide range of e (≈ 22,000 units of
// 2^-32 at e ≈ 148). alphaSigFast therefore brackets Exp's exact result from a short
// table-driven approximation and returns σ only when every value in the bracket gives one σ; otherwise
// the caller runs the exact series. The results are Exp's bit for bit (TestAlphaSigFast checks
// the bracket and the σ against the series).
//
// The bracket. For 0 < x ≤ 6 (X = x·2^32), expTaylor returns R = 2^32 + Σ_{n=1..31} T_n with
// T_1 = X and T_n = floor(floor(T_{n−1}·X / 2^32) / n). By induction T_n ≤ τ_n = 2^32·x^n/n!
// and T_n ≥ T_{n−1}·x/n − 1, so ε_n = τ_n − T_n obeys ε_n ≤ ε_{n−1}·x/n + 1: Σ ε_n ≤ 86.1 at
// x = 6 (the bound grows with x), and the dropped tail Σ_{n≥32} τ_n < 0.16. No step overflows
// (T_n·X < 2^73, R < 2^41). Hence V − 87 < R ≤ V for V = 2^32·e^x. expApprox returns A with
// A ≤ V < A + 1.02 (below), so A − 88 < R < A + 2.

// expFastMax bounds |x| (I32F32 bits) for the bracketed path: 6.
const expFastMax = 6 << 32

// expTab is the table of expApprox: expTab[m] = floor(2^55 · e^{m/256}), m = 0..1536 (Q9.55;
// e^6 < 2^9).
type expTab = [expFastMax>>24 + 1]uint64

// expTable builds expTab once, on first use.
var expTable = sync.OnceValue(func() *expTab {
	// Integer arithmetic with 192 fractional bits: c = e^{1/256} by its series, then powers.
	const k = 192
	one := new(big.Int).Lsh(big.NewInt(1), k)
	c := new(big.Int).Set(one)
	term := new(big.Int).Set(one)
	for n := int64(1); term.Sign() > 0; n++ {
		term.Quo(term, big.NewInt(256*n))
		c.Add(c, term)
	}
	var t expTab
	p := new(big.Int).Set(one)
	v := new(big.Int)
	for m := range t {
		t[m] = v.Rsh(p, k-55).Uint64()
		p.Mul(p, c)
		p.Rsh(p, k)
	}
	return &t
})

// expApprox returns A with A ≤ 2^32·e^x < A + 1.02 for x = X / 2^32, 0 ≤ X ≤ 6·2^32
// (tab = expTable()).
//
// X = m·2^24 + r: e^x = e^{m/256}·e^y with y = r/2^32 < 2^-8. e^y − 1 is summed to y^4/24 in
// Q0.64 (Y = y·2^64 exact; each floor loses < 1 ulp; the dropped tail < y^5/120·1.01 <
// 2^-46.8), so 0 ≤ (e^y − 1) − g < 2^-46.7. With t = expTab[m] (t ≤ 2^55·e^{m/256} < t + 2:
// the table's powers are truncated at 2^-192), P = t + floor(t·g / 2^64) satisfies
// 0 ≤ 2^55·e^x − P < 2^55·e^6·2^-46.7 + 4 < 2^23·0.016, and A = floor(P / 2^23).
func expApprox(x uint64, tab *expTab) uint64 {
	t := tab[x>>24]
	y := (x & (1<<24 - 1)) << 32
	y2, _ := bits.Mul64(y, y)
	y3, _ := bits.Mul64(y2, y)
	y4, _ := bits.Mul64(y3, y)
	g := y + y2/2 + y3/6 + y4/24
	hi, _ := bits.Mul64(t, g)
	return (t + hi) >> 23
}

// alphaSigFast returns σ = One.SaturatingDiv(One.SaturatingAdd(SafeExp(x))) when the bracket
// decides it, and ok = false otherwise (x = 0, x = 1 (Exp's constant), |x| > 6, or a bracket
// that straddles a step of σ); tab = expTable().
func alphaSigFast(x I32F32, tab *expTab) (sig I32F32, ok bool) {
	b := x.bits
	neg := b < 0
	if neg {
		b = -b
	}
	if b == 0 || b > expFastMax || (!neg && b == 1<<32) {
		return I32F32{}, false
	}
	a := expApprox(uint64(b), tab)
	rLo, rHi := a-88, a+2 // a ≥ 2^32, so no wrap
	var eLo, eHi uint64
	if neg {
		// Exp = floor(2^64 / R): decided when R's bracket gives one quotient.
		q, _ := bits.Div64(1, 0, rHi)
		if h, l := bits.Mul64(q+1, rLo); h == 0 || (h == 1 && l == 0) {
			return I32F32{}, false // (q+1)·rLo ≤ 2^64: rLo may give q+1
		}
		eLo, eHi = q, q
	} else {
		eLo, eHi = rLo, rHi
	}
	// σ = floor(2^64 / (2^32 + e)): s from the smallest denominator, kept if the largest gives it too.
	s, _ := bits.Div64(1, 0, 1<<32+eLo)
	if h, l := bits.Mul64(s, 1<<32+eHi); h > 1 || (h == 1 && l != 0) {
		return I32F32{}, false
	}
	return I32F32{int64(s)}, true
}
