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
func BlockEmissionForIssuance(issuance uint64) uint64 {
	if issuance >= TotalSupply {
		return 0
	}
	one := I96F32FromU64(1)
	ratio, ok := I96F32FromU64(issuance).CheckedDiv(I96F32FromU64(TotalSupply))
	if !ok {
		return 0
	}
	rest, ok := one.CheckedSub(ratio)
	if !ok {
		return 0
	}
	y, ok := one.CheckedDiv(rest)
	if !ok {
		return 0
	}
	// floor(log2 y) for y ≥ 1 is the position of the top set bit above the 32 fraction bits.
	hi, lo := y.Bits()
	k := 127 - bits.LeadingZeros64(hi)
	if hi == 0 {
		k = 63 - bits.LeadingZeros64(lo)
	}
	k -= 32
	multiplier := one
	for i := 0; i < k; i++ {
		multiplier = multiplier.SaturatingMul(I96F32FromU64(2))
	}
	pct := one.SafeDiv(multiplier)
	return pct.SaturatingMul(I96F32FromU64(DefaultBlockEmission)).SaturatingToU64()
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
