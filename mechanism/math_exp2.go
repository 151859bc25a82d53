package mechanism

import (
	"math"
	"math/bits"
)

// ExpPair returns Exp(a) and Exp(b). The two Taylor series run interleaved so that the
// processor overlaps their dependency chains; each result and ok flag equals Exp's.
func ExpPair(a, b I32F32) (ea I32F32, oka bool, eb I32F32, okb bool) {
	if expSpecial(a) || expSpecial(b) {
		ea, oka = Exp(a)
		eb, okb = Exp(b)
		return ea, oka, eb, okb
	}
	na, nb := a.bits < 0, b.bits < 0
	ua, ub := uint64(a.bits), uint64(b.bits)
	if na {
		ua = uint64(-a.bits)
	}
	if nb {
		ub = uint64(-b.bits)
	}
	ra, rb, oka, okb := expTaylor2(ua, ub)
	ea, oka = expFinish(ra, oka, na)
	eb, okb = expFinish(rb, okb, nb)
	return ea, oka, eb, okb
}

// expSpecial reports the arguments Exp answers without the series (0, 1 and the minimum).
func expSpecial(x I32F32) bool { return x.bits == 0 || x.bits == 1<<32 || x.bits == math.MinInt64 }

// expFinish turns a series sum into Exp's result: 1/r (truncating) for a negative argument.
func expFinish(r uint64, ok, neg bool) (I32F32, bool) {
	if !ok {
		return I32F32{}, false
	}
	if neg {
		return I32F32One.CheckedDiv(I32F32{int64(r)})
	}
	return I32F32{int64(r)}, true
}

// expTaylor2 is expTaylor on two arguments at once. A chain that fails stops contributing (its
// term and argument become 0) and reports ok = false, as expTaylor would.
func expTaylor2(xa, xb uint64) (ra, rb uint64, oka, okb bool) {
	oka, okb = true, true
	ra, rb = xa+1<<32, xb+1<<32
	if ra > math.MaxInt64 {
		oka, xa = false, 0
	}
	if rb > math.MaxInt64 {
		okb, xb = false, 0
	}
	ta, tb := xa, xb
	var ha, la, hb, lb uint64
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/2, (hb<<32|lb>>32)/2
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/3, (hb<<32|lb>>32)/3
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/4, (hb<<32|lb>>32)/4
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/5, (hb<<32|lb>>32)/5
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/6, (hb<<32|lb>>32)/6
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/7, (hb<<32|lb>>32)/7
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/8, (hb<<32|lb>>32)/8
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/9, (hb<<32|lb>>32)/9
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/10, (hb<<32|lb>>32)/10
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/11, (hb<<32|lb>>32)/11
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/12, (hb<<32|lb>>32)/12
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/13, (hb<<32|lb>>32)/13
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/14, (hb<<32|lb>>32)/14
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/15, (hb<<32|lb>>32)/15
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/16, (hb<<32|lb>>32)/16
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/17, (hb<<32|lb>>32)/17
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/18, (hb<<32|lb>>32)/18
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/19, (hb<<32|lb>>32)/19
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/20, (hb<<32|lb>>32)/20
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/21, (hb<<32|lb>>32)/21
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/22, (hb<<32|lb>>32)/22
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/23, (hb<<32|lb>>32)/23
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/24, (hb<<32|lb>>32)/24
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/25, (hb<<32|lb>>32)/25
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/26, (hb<<32|lb>>32)/26
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/27, (hb<<32|lb>>32)/27
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/28, (hb<<32|lb>>32)/28
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/29, (hb<<32|lb>>32)/29
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/30, (hb<<32|lb>>32)/30
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	if ta|tb == 0 {
		return ra, rb, oka, okb
	}
	ha, la = bits.Mul64(ta, xa)
	hb, lb = bits.Mul64(tb, xb)
	ta, tb = (ha<<32|la>>32)/31, (hb<<32|lb>>32)/31
	if ha >= 1<<31 {
		oka, ta, xa = false, 0, 0
	}
	if hb >= 1<<31 {
		okb, tb, xb = false, 0, 0
	}
	ra, rb = ra+ta, rb+tb
	if ra > math.MaxInt64 {
		oka, ta, xa = false, 0, 0
	}
	if rb > math.MaxInt64 {
		okb, tb, xb = false, 0, 0
	}
	return ra, rb, oka, okb
}
