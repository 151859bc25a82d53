package mechanism

import "math/bits"

// Units and supply (Part B §0.1, §2.1).
const (
	// RaoPerTao is the number of base units (rao) in one TAO; alpha uses the same scale.
	RaoPerTao uint64 = 1_000_000_000
	// TotalSupply is the 21M TAO cap in rao; each subnet's alpha follows the same schedule.
	TotalSupply uint64 = 21_000_000 * RaoPerTao
	// DefaultBlockEmission is the emission per block before the first halving: 1 TAO.
	DefaultBlockEmission uint64 = RaoPerTao
)

// BlockEmissionForIssuance is subtensor's get_block_emission_for_issuance, emulated exactly in
// I96F32: with ratio = issuance / 21e15 (truncating), y = 1 / (1 − ratio) (truncating) and
// k = floor(log2 y), the emission is floor((1 / 2^k) · 1e9). It halves each time issuance crosses
// 21e15·(1 − 2^−k) (10.5M, 15.75M, 18.375M TAO, …) and is 0 from 21M on; once 2^k exceeds 2^32
// the I96F32 quotient 1/2^k underflows to 0 ("precision floor"). The same function applied to a
// subnet's alpha issuance (SubnetAlphaIn + SubnetAlphaOut) gives its per-block alpha_out.
//
// In integers: ratio = floor(issuance·2^32/21e15) (the I96F32 bits), y = floor(2^64/(2^32 − ratio)),
// k = bitlen(y) − 33, and the emission is floor(1e9/2^k) (0 for k ≥ 32).
func BlockEmissionForIssuance(issuance uint64) uint64 {
	if issuance >= TotalSupply {
		return 0
	}
	hi, lo := bits.Mul64(issuance, 1<<32)
	ratio, _ := bits.Div64(hi, lo, TotalSupply) // < 2^32 because issuance < TotalSupply
	rest := uint64(1)<<32 - ratio
	if rest == 1 {
		return 0 // y = 2^64 bits = 2^32: k = 32
	}
	y, _ := bits.Div64(1, 0, rest) // floor(2^64 / rest) < 2^64 for rest ≥ 2
	k := bits.Len64(y) - 33
	if k >= 32 {
		return 0
	}
	return DefaultBlockEmission >> uint(k)
}

// TaoBlockEmission is the TAO minted in a block at the given total issuance: the halving
// schedule of BlockEmissionForIssuance, hard-capped so issuance never exceeds TotalSupply.
// Issuance here is the chain's TotalIssuance, which recycling lowers and burning does not.
func TaoBlockEmission(issuance uint64) uint64 {
	e := BlockEmissionForIssuance(issuance)
	if issuance >= TotalSupply {
		return 0
	}
	return min(e, TotalSupply-issuance)
}

// AlphaBlockEmission is the alpha minted for a subnet's participants in a block (alpha_out),
// from its alpha issuance (SubnetAlphaIn + SubnetAlphaOut + protocol-held alpha). It is capped
// like TaoBlockEmission so a subnet's alpha issuance never exceeds 21M either.
func AlphaBlockEmission(alphaIssuance uint64) uint64 { return TaoBlockEmission(alphaIssuance) }
