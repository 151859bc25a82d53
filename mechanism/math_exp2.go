package mechanism

import "math"

// ExpPair returns Exp(a) and Exp(b). The two Taylor series run interleaved so that the
// processor overlaps their dependency chains; each result and ok flag equals Exp's. The series
// itself, expTaylor2, is generated into math_series.go by gen_series.go.
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
