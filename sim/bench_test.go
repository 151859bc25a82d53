package sim

import (
	"context"
	"testing"
)

// BenchmarkBench64x192 is the measure: 10 tempos of a subnet with 64 validators and
// 192 miners at tempo 10, setup included, on a fresh embedded devnet (no fsync), through the
// same path as `btui devnet simulate examples/bench-64x192.json`.
//
//	go test ./sim -run '^$' -bench Bench64x192 -benchtime 3x
func BenchmarkBench64x192(b *testing.B) {
	sc := loadExample(b, "bench-64x192")
	var blocks, weights int
	for b.Loop() {
		b.StopTimer()
		c := freshChain(b)
		b.StartTimer()
		s, err := Start(context.Background(), c, sc, Options{})
		if err != nil {
			b.Fatal(err)
		}
		weights = 0
		for r := range s.Reports() {
			weights += r.WeightsSet
		}
		rep, err := s.Wait()
		if err != nil {
			b.Fatal(err)
		}
		blocks = int(rep.LastBlock - rep.FirstBlock)
		b.StopTimer()
		c.Close()
		b.StartTimer()
	}
	if weights != 64*10 {
		b.Fatalf("%d weights set, want 640", weights)
	}
	b.ReportMetric(float64(blocks), "blocks/op")
	b.ReportMetric(float64(weights), "set_weights/op")
}
