package sim

import (
	"math/big"
	"reflect"
	"testing"

	"github.com/btui/btui/protocol"
)

func TestHonestWeightsWithoutNoise(t *testing.T) {
	t.Parallel()
	m := []Measurement{
		{},                                  // uid 0: the owner, serves nothing
		{Serving: true, Quality: 500_000},   // uid 1: self, skipped
		{Serving: true, Quality: 1_000_000}, // uid 2
		{Serving: true, Quality: 250_000},   // uid 3
		{Serving: false, Quality: 900_000},  // uid 4: offline, measured 0
	}
	uids, values := HonestWeights(1, m, 0, newRand(1, "x"))
	// value = floor(q · 65535 / 10^6); non-serving uids get an explicit 0; self is left out.
	if want := []uint16{0, 2, 3, 4}; !reflect.DeepEqual(uids, want) {
		t.Fatalf("uids %v, want %v", uids, want)
	}
	if want := []uint16{0, 65535, 16383, 0}; !reflect.DeepEqual(values, want) {
		t.Fatalf("values %v, want %v", values, want)
	}
}

func TestHonestWeightsAllZeroSendsNothing(t *testing.T) {
	t.Parallel()
	m := []Measurement{{}, {Serving: true, Quality: 0}, {Serving: false, Quality: 700_000}}
	if uids, values := HonestWeights(0, m, 0, newRand(1, "x")); uids != nil || values != nil {
		t.Fatalf("got %v %v, want no row", uids, values)
	}
}

func TestHonestWeightsNoiseIsBoundedAndReproducible(t *testing.T) {
	t.Parallel()
	m := make([]Measurement, 200)
	for i := range m {
		m[i] = Measurement{Serving: true, Quality: 500_000}
	}
	const noise = 100_000 // ±0.1 ⇒ values within floor([0.4, 0.6]·65535)
	_, a := HonestWeights(0, m, noise, newRand(7, "v/0"))
	_, b := HonestWeights(0, m, noise, newRand(7, "v/0"))
	_, c := HonestWeights(0, m, noise, newRand(8, "v/0"))
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed and stream gave different rows")
	}
	if reflect.DeepEqual(a, c) {
		t.Fatal("another seed gave the same row")
	}
	lo, hi := fractionToU16(400_000), fractionToU16(600_000)
	distinct := map[uint16]bool{}
	var sum uint64
	for _, v := range a {
		if v < lo || v > hi {
			t.Fatalf("value %d outside [%d, %d]", v, lo, hi)
		}
		distinct[v] = true
		sum += uint64(v)
	}
	if len(distinct) < 50 {
		t.Fatalf("only %d distinct values: the noise does not spread", len(distinct))
	}
	// The triangular error has mean 0: the mean stays near 0.5 (within 0.02).
	mean := sum / uint64(len(a))
	if mid := uint64(fractionToU16(500_000)); mean+1310 < mid || mean > mid+1310 {
		t.Fatalf("mean %d is far from %d", mean, mid)
	}
}

func TestHonestWeightsClampAtBounds(t *testing.T) {
	t.Parallel()
	m := []Measurement{{}, {Serving: true, Quality: 1_000_000}, {Serving: true, Quality: 10_000}}
	for seed := range uint64(200) {
		_, v := HonestWeights(0, m, 500_000, newRand(seed, "clamp"))
		if v[0] > 65535 || v[1] > fractionToU16(510_000) {
			t.Fatalf("seed %d: values %v escape [0, 1]", seed, v)
		}
	}
}

func TestTriangularRange(t *testing.T) {
	t.Parallel()
	r := newRand(3, "tri")
	seenLo, seenHi := false, false
	for range 20_000 {
		x := triangular(r, 10)
		if x < -10 || x > 10 {
			t.Fatalf("draw %d outside [-10, 10]", x)
		}
		seenLo = seenLo || x == -10
		seenHi = seenHi || x == 10
	}
	if !seenLo || !seenHi {
		t.Fatal("the extremes never occur")
	}
	if triangular(r, 0) != 0 {
		t.Fatal("zero noise must draw 0")
	}
}

func TestCopierWeights(t *testing.T) {
	t.Parallel()
	uids, values := CopierWeights(1, []uint16{0, 40000, 12000, 0})
	if !reflect.DeepEqual(uids, []uint16{0, 2, 3}) || !reflect.DeepEqual(values, []uint16{0, 12000, 0}) {
		t.Fatalf("got %v %v", uids, values)
	}
	// No consensus yet (or only on itself): nothing to copy.
	if uids, _ := CopierWeights(1, []uint16{0, 40000, 0}); uids != nil {
		t.Fatalf("copied %v from an empty consensus", uids)
	}
}

func TestCabalWeights(t *testing.T) {
	t.Parallel()
	// Targets in any order, self and out-of-range uids ignored.
	uids, values := CabalWeights(2, []uint16{7, 3, 2, 99}, 8)
	if !reflect.DeepEqual(uids, []uint16{3, 7}) || !reflect.DeepEqual(values, []uint16{65535, 65535}) {
		t.Fatalf("got %v %v", uids, values)
	}
	if uids, _ := CabalWeights(0, nil, 8); uids != nil {
		t.Fatalf("cabal without live targets sent %v", uids)
	}
}

func TestStopped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		at, count, index, tempo int
		want                    bool
	}{
		{0, 0, 0, 5, false}, // never
		{3, 0, 5, 2, false}, // before the tempo
		{3, 0, 5, 3, true},  // the whole group from the tempo on
		{3, 2, 1, 4, true},  // within the first count
		{3, 2, 2, 4, false}, // beyond count
	}
	for _, tt := range tests {
		if got := stopped(tt.at, tt.count, tt.index, tt.tempo); got != tt.want {
			t.Errorf("stopped(%d,%d,%d,%d) = %v", tt.at, tt.count, tt.index, tt.tempo, got)
		}
	}
}

// buyAll replays buys through a constant-product pool with a fee on the input and returns the
// alpha of each buyer.
func buyAll(taoIn, alphaIn uint64, fee uint16, amounts []uint64) []uint64 {
	T, A := new(big.Int).SetUint64(taoIn), new(big.Int).SetUint64(alphaIn)
	out := make([]uint64, len(amounts))
	for i, x := range amounts {
		net := new(big.Int).Quo(new(big.Int).Mul(new(big.Int).SetUint64(x), big.NewInt(int64(65535-int(fee)))), big.NewInt(65535))
		nt := new(big.Int).Add(T, net)
		na := new(big.Int).Quo(new(big.Int).Mul(T, A), nt)
		out[i] = new(big.Int).Sub(A, na).Uint64()
		T, A = nt, na
	}
	return out
}

func TestStakeAmountsGiveProportionalAlpha(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		taoIn, alIn uint64
		want        []uint64
	}{
		{"deep pool", 1_000_000e9, 1_000_000e9, []uint64{100e9, 100e9, 300e9}},
		// A shallow pool: buying 100× its depth; sequential equal buys would differ by ~100×.
		{"shallow pool", 100e9, 100e9, []uint64{1000e9, 1000e9, 1000e9, 1000e9, 6000e9}},
		{"uneven prices", 50e9, 400e9, []uint64{5e9, 20e9, 75e9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const fee = 33
			amounts := StakeAmounts(tt.taoIn, tt.alIn, fee, tt.want)
			var spent, wantSum uint64
			for i := range amounts {
				spent += amounts[i]
				wantSum += tt.want[i]
			}
			// The total spent is the scenario's total, up to flooring (under a millionth).
			if spent > wantSum || wantSum-spent > wantSum/1_000_000 {
				t.Fatalf("spent %d, want %d", spent, wantSum)
			}
			alpha := buyAll(tt.taoIn, tt.alIn, fee, amounts)
			var total uint64
			for _, a := range alpha {
				total += a
			}
			for i := range alpha {
				got := float64(alpha[i]) / float64(total)
				exp := float64(tt.want[i]) / float64(wantSum)
				if d := got - exp; d > 1e-6 || d < -1e-6 {
					t.Errorf("buyer %d: alpha share %.8f, want %.8f (amounts %v)", i, got, exp, amounts)
				}
			}
		})
	}
}

func TestStakeAmountsEmptyPool(t *testing.T) {
	t.Parallel()
	if got := StakeAmounts(0, 0, 33, []uint64{5, 7}); !reflect.DeepEqual(got, []uint64{5, 7}) {
		t.Fatalf("empty pool: %v", got)
	}
}

func TestHyperOrder(t *testing.T) {
	t.Parallel()
	h := map[string]HyperValue{"tempo": 10, "alpha_low": 2000, "liquid_alpha": 1, "max_allowed_uids": 40, "max_allowed_validators": 8, "kappa": 1}
	// Shrinking uids below the current validators (64): validators first.
	got := hyperOrder(h, protocol.Hyperparams{MaxAllowedUids: 256, MaxBurn: 100e9, AlphaHigh: 58982})
	want := []string{"liquid_alpha", "max_allowed_validators", "max_allowed_uids", "alpha_low", "kappa", "tempo"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	// Raising validators above the current uids: uids first.
	h = map[string]HyperValue{"max_allowed_uids": 300, "max_allowed_validators": 200, "min_burn": 200e9, "max_burn": 300e9}
	got = hyperOrder(h, protocol.Hyperparams{MaxAllowedUids: 128, MaxBurn: 100e9})
	want = []string{"max_allowed_uids", "max_allowed_validators", "max_burn", "min_burn"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	// Raising alpha_low above the current alpha_high: alpha_high first.
	h = map[string]HyperValue{"alpha_low": 60000, "alpha_high": 62000, "liquid_alpha": 1}
	got = hyperOrder(h, protocol.Hyperparams{AlphaHigh: 58982})
	want = []string{"liquid_alpha", "alpha_high", "alpha_low"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}
