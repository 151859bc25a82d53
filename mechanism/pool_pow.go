package mechanism

import "math/big"

// powRatioScaled is safe_bigmath's SafeInt::pow_ratio_scaled, the power function of subtensor's
// Balancer pool: floor(scale · (baseNum/baseDen)^(expNum/expDen)), bit for bit.
//
//   - The exponent is reduced by its gcd. If both parts fit in 32 bits and the numerator is at
//     most 1024 the result is exact: the largest r with r^q · baseDen^p ≤ baseNum^p · scale^q
//     (p/q the reduced exponent). With equal pool weights the exponent is 1/1 and this is a
//     plain floor division.
//   - Otherwise it follows the crate's fixed-point path: natural logs by a Taylor series of
//     ln(1+x) on mantissas normalised to [0.5, 1.5), exp by its Taylor series, precision
//     max(precision, 32, bits(scale)+8) plus 24 guard bits, every step with the crate's exact
//     floor/truncation and early-exit rules.
//
// ok is false where the crate returns None (zero denominators).
func powRatioScaled(baseNum, baseDen, expNum, expDen *big.Int, precision uint, scale *big.Int) (*big.Int, bool) {
	if baseDen.Sign() == 0 || expDen.Sign() == 0 {
		return nil, false
	}
	if baseNum.Sign() == 0 {
		return new(big.Int), true
	}
	if expNum.Sign() == 0 {
		return new(big.Int).Set(scale), true
	}
	p, q := new(big.Int).Set(expNum), new(big.Int).Set(expDen)
	if g := new(big.Int).GCD(nil, nil, p, q); g.Cmp(big.NewInt(1)) > 0 {
		p.Quo(p, g)
		q.Quo(q, g)
	}
	if p.BitLen() <= 32 && q.BitLen() <= 32 && p.Uint64() <= powMaxExactExponent {
		num := new(big.Int).Exp(baseNum, p, nil)
		num.Mul(num, new(big.Int).Exp(scale, q, nil))
		den := new(big.Int).Exp(baseDen, p, nil)
		return nthRootRatioFloor(num, den, q.Uint64()), true
	}

	requested := max(precision, 32, uint(scale.BitLen())+8)
	const guardBits = 24
	internal := requested + guardBits
	maxIters := min(powDefaultMaxIters, int(internal)+128)

	targetScale := new(big.Int).Lsh(big.NewInt(1), requested)
	guard := new(big.Int).Lsh(big.NewInt(1), guardBits)
	internalScale := new(big.Int).Lsh(targetScale, guardBits)

	lnTwo := lnTwoFixed(internal, internalScale, guard, maxIters)

	lnNum := lnBig(baseNum, internal, internalScale, guard, lnTwo, maxIters)
	lnDen := lnBig(baseDen, internal, internalScale, guard, lnTwo, maxIters)
	lnBase := lnNum.Sub(lnNum, lnDen)

	lnScaled := floorDiv(new(big.Int).Mul(lnBase, p), q)
	expFp := expFixed(lnScaled, internalScale, guard, maxIters)
	expReq := roundToPrecision(expFp, guard)
	return floorDiv(expReq.Mul(expReq, scale), targetScale), true
}

// lnTwoFixed is the crate's ln 2 at the given internal precision: −ln1p(−1/2) by the series.
// At the precision the pool always uses (1024 + 24 guard bits) it is the precomputed series
// result lnTwo1048Hex (checked in pool_test.go), which saves a third of the work.
func lnTwoFixed(internal uint, internalScale, guard *big.Int, maxIters int) *big.Int {
	if internal == 1048 && maxIters == 1176 {
		v, _ := new(big.Int).SetString(lnTwo1048Hex, 16)
		return v
	}
	half := new(big.Int).Rsh(internalScale, 1)
	return new(big.Int).Neg(ln1pFixed(new(big.Int).Neg(half), internalScale, guard, maxIters))
}

// lnTwo1048Hex is −ln1pFixed(−2^1047, 2^1048, 2^24, 1176) in hexadecimal.
const lnTwo1048Hex = "b17217f7d1cf79abc9e3b39803f2f6af40f343267298b62d8a0d175b8baafa2b" +
	"e7b876206debac98559552fb4afa1b10ed2eae35c138214427573b291169b825" +
	"3e96ca16224ae8c51acbda11317c387eb9ea9bc3b136603b256fa0ec7657f74b" +
	"72ce87b19d6548caf5dfa6bd38303248655fa1872f20e3a2da2d97c50f3fd5c5" +
	"87135d"

const (
	powDefaultMaxIters  = 4096
	powMaxExactExponent = 1024
)

// floorDiv returns floor(a / b) for b > 0 (num-integer's div_floor).
func floorDiv(a, b *big.Int) *big.Int {
	q, _ := new(big.Int).DivMod(a, b, new(big.Int)) // Euclidean: remainder ≥ 0, so floor for b > 0
	return q
}

// roundToPrecision divides by the guard factor truncating, then rounds half away from zero.
func roundToPrecision(v, guard *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(v, guard, new(big.Int))
	if r.Sign() != 0 {
		twice := new(big.Int).Lsh(new(big.Int).Abs(r), 1)
		if twice.Cmp(guard) >= 0 {
			q.Add(q, big.NewInt(int64(r.Sign())))
		}
	}
	return q
}

// nthRootRatioFloor returns the largest r with r^n · den ≤ num.
func nthRootRatioFloor(num, den *big.Int, n uint64) *big.Int {
	if n == 0 {
		return new(big.Int)
	}
	e := new(big.Int).SetUint64(n)
	fits := func(r *big.Int) bool {
		v := new(big.Int).Exp(r, e, nil)
		return v.Mul(v, den).Cmp(num) <= 0
	}
	// floor((num/den)^(1/n)) = floor(floor(num/den)^(1/n)) for positive integers, so the root of
	// the integer quotient is the same answer; square roots use big.Int's exact Sqrt.
	switch n {
	case 1:
		return new(big.Int).Quo(num, den)
	case 2:
		return new(big.Int).Sqrt(new(big.Int).Quo(num, den))
	}
	low, high := new(big.Int), big.NewInt(1)
	for fits(high) {
		high.Lsh(high, 1)
	}
	one := big.NewInt(1)
	for low.Cmp(high) < 0 {
		mid := new(big.Int).Add(low, high)
		mid.Add(mid, one).Rsh(mid, 1)
		if fits(mid) {
			low = mid
		} else {
			high = mid.Sub(mid, one)
		}
	}
	return low
}

// ln1pFixed is the crate's Taylor series for ln(1 + x) in fixed point with the given scale.
func ln1pFixed(x, scale, guard *big.Int, maxIters int) *big.Int {
	term := new(big.Int).Set(x)
	result := new(big.Int).Set(term)
	prev := roundToPrecision(result, guard)
	absGuard := new(big.Int).Abs(guard)
	for n := 2; n <= maxIters; n++ {
		term = floorDiv(term.Mul(term, x), scale)
		if term.Sign() == 0 {
			break
		}
		next := floorDiv(term, big.NewInt(int64(n)))
		if next.Sign() == 0 {
			break
		}
		if n%2 == 0 {
			result.Sub(result, next)
		} else {
			result.Add(result, next)
		}
		rounded := roundToPrecision(result, guard)
		if new(big.Int).Abs(next).Cmp(absGuard) < 0 || rounded.Cmp(prev) == 0 {
			break
		}
		prev = rounded
	}
	return result
}

// expFixed is the crate's Taylor series for exp(x) in fixed point with the given scale.
func expFixed(x, scale, guard *big.Int, maxIters int) *big.Int {
	term := new(big.Int).Set(scale)
	result := new(big.Int).Set(term)
	prev := roundToPrecision(result, guard)
	absGuard := new(big.Int).Abs(guard)
	for n := 1; n <= maxIters; n++ {
		d := new(big.Int).Mul(scale, big.NewInt(int64(n)))
		term = floorDiv(term.Mul(term, x), d)
		if term.Sign() == 0 {
			break
		}
		result.Add(result, term)
		rounded := roundToPrecision(result, guard)
		if new(big.Int).Abs(term).Cmp(absGuard) < 0 || rounded.Cmp(prev) == 0 {
			break
		}
		prev = rounded
	}
	return result
}

// lnBig is the crate's ln_biguint: ln(value) in fixed point, from a mantissa normalised to
// [0.5, 1.5) and a multiple of ln 2.
func lnBig(value *big.Int, internalPrecision uint, internalScale, guard, lnTwo *big.Int, maxIters int) *big.Int {
	if value.Sign() == 0 {
		return new(big.Int)
	}
	shift := uint(value.BitLen() - 1)
	mantissa := new(big.Int).Lsh(value, internalPrecision)
	mantissa.Rsh(mantissa, shift)
	halfScale := new(big.Int).Rsh(internalScale, 1)
	if mantissa.Cmp(new(big.Int).Add(internalScale, halfScale)) >= 0 {
		mantissa.Rsh(mantissa, 1)
		shift++
	}
	lnMantissa := ln1pFixed(mantissa.Sub(mantissa, internalScale), internalScale, guard, maxIters)
	return lnMantissa.Add(lnMantissa, new(big.Int).Mul(lnTwo, new(big.Int).SetUint64(uint64(shift))))
}
