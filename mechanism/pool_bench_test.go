package mechanism

import "testing"

// BenchmarkQuoteBuy is a swap quote (expected alpha, fee, impact, slippage) on a pool at
// weight 0.5.
func BenchmarkQuoteBuy(b *testing.B) {
	p := NewPool(10_000*RaoPerTao, 20_000*RaoPerTao)
	sp := DefaultSwapParams()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = p.QuoteBuy(5*RaoPerTao, sp)
	}
}

// BenchmarkQuoteSell is the same for a sell.
func BenchmarkQuoteSell(b *testing.B) {
	p := NewPool(10_000*RaoPerTao, 20_000*RaoPerTao)
	sp := DefaultSwapParams()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = p.QuoteSell(5*RaoPerTao, sp)
	}
}

// BenchmarkQuoteBuyDriftedWeight quotes on a pool whose weight an injection moved off 0.5, so
// the power takes pow_ratio_scaled's log/exp series.
func BenchmarkQuoteBuyDriftedWeight(b *testing.B) {
	p, ok := NewPool(10_000*RaoPerTao, 20_000*RaoPerTao).InjectLiquidity(1_000_000, 1_999_999)
	if !ok || p.QuoteWeight == PerquintillOne/2 {
		b.Fatalf("weight did not drift: %+v", p)
	}
	sp := DefaultSwapParams()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = p.QuoteBuy(5*RaoPerTao, sp)
	}
}

// BenchmarkLimitBuy is a buy stopped by a price limit at weight 0.5 (exact square root).
func BenchmarkLimitBuy(b *testing.B) {
	p := NewPool(10_000*RaoPerTao, 20_000*RaoPerTao)
	sp := DefaultSwapParams()
	sp.LimitPrice = U64F64FromBits(0, 1<<63+1<<60) // 0.5625, above the spot 0.5
	b.ReportAllocs()
	for b.Loop() {
		_, _ = p.Buy(5000*RaoPerTao, sp)
	}
}

// BenchmarkLimitBuyDriftedWeight is the same on a pool whose weight moved off 0.5.
func BenchmarkLimitBuyDriftedWeight(b *testing.B) {
	p, _ := NewPool(10_000*RaoPerTao, 20_000*RaoPerTao).InjectLiquidity(1_000_000, 1_999_999)
	sp := DefaultSwapParams()
	sp.LimitPrice = U64F64FromBits(0, 1<<63+1<<60)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = p.Buy(5000*RaoPerTao, sp)
	}
}
