package mechanism

import (
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
)

// benchInput builds a subnet of n uids where the first `validators` hold stake and a permit and
// each weights `miners` miners (uids validators..validators+miners−1) with random u16 weights,
// max-upscaled as set_weights stores them. Bonds come from `warm` earlier epochs, so the
// benchmark runs the steady state the chain runs.
func benchInput(tb testing.TB, n, validators, miners int, yuma3 bool, warm int) EpochInput {
	tb.Helper()
	r := rand.New(rand.NewPCG(7, uint64(n)))
	hp := DefaultHyperparameters()
	hp.Tempo = 360
	hp.MaxAllowedValidators = uint16(validators)
	if yuma3 {
		hp.Yuma3, hp.LiquidAlpha, hp.BondsPenalty, hp.BondsMovingAverage = true, true, 0, 975_000
	}
	in := EpochInput{Block: 1000, RaoEmission: 1_000_000_000, Hyperparameters: hp}
	for i := range n {
		nr := Neuron{UID: uint16(i), LastUpdate: 10, RegisteredAt: 1}
		if i < validators {
			nr.Stake = 1_000_000_000 + r.Uint64N(1_000_000_000_000)
			nr.ValidatorPermit = true
			vals := make([]uint16, miners)
			uids := make([]uint16, miners)
			for k := range miners {
				uids[k] = uint16(validators + k)
				vals[k] = uint16(r.IntN(65536))
			}
			up := VecU16MaxUpscaleToU16(vals)
			for k := range miners {
				nr.Weights = append(nr.Weights, UIDValue{uids[k], up[k]})
			}
		}
		in.Neurons = append(in.Neurons, nr)
	}
	for range warm {
		out, err := Epoch(in)
		if err != nil {
			tb.Fatal(err)
		}
		for i := range in.Neurons {
			in.Neurons[i].ValidatorPermit = out.Neurons[i].ValidatorPermit
			in.Neurons[i].Bonds = slices.Clone(out.Neurons[i].Bonds)
		}
	}
	return in
}

// benchEpoch reports ns/op (wall clock) and cpu-ns/op (user+system CPU time of the process,
// GC included), which stays meaningful when other processes share the machine.
func benchEpoch(b *testing.B, n, validators, miners int, yuma3 bool) {
	in := benchInput(b, n, validators, miners, yuma3, 3)
	b.ReportAllocs()
	cpu0 := processCPU()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Epoch(in); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}

func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkEpoch256Classic: 256 uids, 64 validators each weighting all 192 miners (target ≤ 1 ms).
func BenchmarkEpoch256Classic(b *testing.B) { benchEpoch(b, 256, 64, 192, false) }

// BenchmarkEpoch256Yuma3LiquidAlpha: the same subnet with Yuma3 and liquid alpha (target ≤ 1 ms).
func BenchmarkEpoch256Yuma3LiquidAlpha(b *testing.B) { benchEpoch(b, 256, 64, 192, true) }

// BenchmarkEpoch4096Classic: 4,096 uids, 256 validators each weighting 1,024 miners (target ≤ 50 ms).
func BenchmarkEpoch4096Classic(b *testing.B) { benchEpoch(b, 4096, 256, 1024, false) }

// BenchmarkEpoch4096Yuma3LiquidAlpha: the same with Yuma3 and liquid alpha (target ≤ 50 ms).
func BenchmarkEpoch4096Yuma3LiquidAlpha(b *testing.B) { benchEpoch(b, 4096, 256, 1024, true) }
