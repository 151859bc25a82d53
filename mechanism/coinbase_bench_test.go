package mechanism

import "testing"

// benchBlockInput is a mid-life subnet: 10,000 TAO against 20,000 alpha (spot 0.5), alpha
// issuance 1M alpha, root stake giving root_prop ≈ 0.09, default owner cut, root sell on.
func benchBlockInput(pool Pool) SubnetBlockInput {
	issuance := 1_000_000 * RaoPerTao
	rp := RootProportion(2_000_000*RaoPerTao, issuance, TaoWeight(DefaultTaoWeightRaw))
	return SubnetBlockInput{
		Pool:           pool,
		AlphaIssuance:  issuance,
		TaoEmission:    U96F32FromU64(250_000_000),
		RootProp:       rp,
		OwnerCut:       OwnerCutFraction(DefaultSubnetOwnerCut),
		RootSell:       true,
		MinimumReserve: DefaultMinimumReserve,
	}
}

// BenchmarkSubnetCoinbase is one block's coinbase for one subnet: terms, injection, chain buy
// and pending split, on a pool at weight 0.5.
func BenchmarkSubnetCoinbase(b *testing.B) {
	in := benchBlockInput(NewPool(10_000*RaoPerTao, 20_000*RaoPerTao))
	b.ReportAllocs()
	for b.Loop() {
		_ = SubnetCoinbase(in)
	}
}

// BenchmarkEmissionStep is the whole per-block emission path for one subnet: block emission,
// shares of four subnets, the subnet's coinbase and its moving-price update.
func BenchmarkEmissionStep(b *testing.B) {
	in := benchBlockInput(NewPool(10_000*RaoPerTao, 20_000*RaoPerTao))
	shares := []ShareInput{
		{Price: U64F64FromU64(1).SafeDiv(U64F64FromU64(2))}, {Price: U64F64FromU64(1).SafeDiv(U64F64FromU64(4))},
		{Price: U64F64FromU64(1).SafeDiv(U64F64FromU64(8))}, {Price: U64F64FromU64(1).SafeDiv(U64F64FromU64(16))},
	}
	mp := DefaultMovingPriceParams()
	b.ReportAllocs()
	for b.Loop() {
		e := TaoBlockEmission(7_000_000 * RaoPerTao)
		em := SubnetTaoEmissions(e, shares)
		in.TaoEmission = em[0]
		r := SubnetCoinbase(in)
		_ = UpdateMovingPrice(shares[0].Price, r.Pool.Price(), 100_000, 10, mp)
	}
}
