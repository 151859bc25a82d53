package sim

import (
	"errors"
	"strings"
	"testing"
)

// TestTwoScenariosOnOneChain runs cabal-40 and then cabal-60 on the same devnet. The first run
// drives the alpha price up, so the second scenario's new subnet is seeded with little alpha;
// its stakes are scaled to what the pool can sell above the minimum reserve (the report says
// by how much), every ratio between them is kept, and the run completes.
func TestTwoScenariosOnOneChain(t *testing.T) {
	t.Parallel()
	c := freshChain(t)
	first := runScenario(t, c, loadExample(t, "cabal-40"), Options{})
	if s := first.Subnet("market"); s.StakeScale != 1 {
		t.Fatalf("on a fresh devnet cabal-40's stakes were scaled by %v", s.StakeScale)
	}
	var notes []string
	rep := runScenario(t, c, loadExample(t, "cabal-60"), Options{Progress: func(m string) { notes = append(notes, m) }})
	s := rep.Subnet("market")
	if s.StakeScale <= 0 || s.StakeScale >= 1 {
		t.Fatalf("cabal-60 on a used chain: stake scale %v, want scaled down", s.StakeScale)
	}
	if !strings.Contains(strings.Join(notes, "\n"), "scaled to") {
		t.Fatalf("the run did not say its stakes were scaled: %q", notes)
	}
	// The 60:40 split of the validator stake survives the scaling.
	logFinal(t, s)
	base := s.Epochs[0]
	cabal, honest := base.Team("cabal").Stake, base.Team("honest").Stake
	if r := float64(cabal) / float64(cabal+honest); r < 0.595 || r > 0.605 {
		t.Fatalf("after scaling by %v the cabal holds %.2f%% of the validator stake, want 60%%", s.StakeScale, 100*r)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil || !strings.Contains(b.String(), "stakes scaled to") {
		t.Fatalf("text report does not state the scaling (%v):\n%s", err, b.String())
	}
}

func TestFitStakes(t *testing.T) {
	t.Parallel()
	const tao = 1_000_000_000
	want := []uint64{1000 * tao, 1000 * tao, 500 * tao}
	// A deep pool takes the stakes as written.
	if f, err := FitStakes(100*tao, 100*tao, 0, 1_000_000, 500_000, want); err != nil || f != 1 {
		t.Fatalf("deep pool: %v %v", f, err)
	}
	// A pool with 0.017 alpha (price ~10,000 TAO): scaled so that at least 2× the minimum
	// reserve stays.
	T, A := uint64(177*tao), uint64(17_000_000)
	f, err := FitStakes(T, A, 0, 1_000_000, 500_000, want)
	if err != nil || f <= 0 || f >= 1 {
		t.Fatalf("shallow pool: %v %v", f, err)
	}
	var total float64
	for _, w := range want {
		total += float64(w) * f
	}
	if after := float64(A) * float64(T) / (float64(T) + total); after < 2_000_000 {
		t.Fatalf("scaled stakes leave %.0f alpha rao in the pool", after)
	}
	// Nothing fits: the pool is at the floor, or the smallest stake would fall below min stake.
	if _, err := FitStakes(T, 2_000_000, 0, 1_000_000, 500_000, want); !errors.Is(err, ErrStakeDoesNotFit) {
		t.Fatalf("empty pool: %v", err)
	}
	if _, err := FitStakes(T, A, 0, 1_000_000, 400*tao, want); !errors.Is(err, ErrStakeDoesNotFit) || !strings.Contains(err.Error(), "minimum stake") {
		t.Fatalf("min stake: %v", err)
	}
}
