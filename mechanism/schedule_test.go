package mechanism

import (
	"errors"
	"math"
	"testing"
)

func TestBlocksUntilNextEpoch(t *testing.T) {
	t.Parallel()
	// tempo − ((block + netuid + 1) mod (tempo + 1)); tempo 0 ⇒ u64::MAX. Vectors of
	// subtensor tests/emission.rs (575262e21), edge cases first.
	tests := []struct {
		netuid, tempo uint16
		block, want   uint64
	}{
		{1, 0, 100, math.MaxUint64}, // tempo 0 never runs
		{65535, 65535, 0, 65535},    // 65535 − (0 + 65536) mod 65536
		{1, 65534, 100, 65432},      // 65534 − 102
		{1, 10, 5, 3},               // 10 − 7
		{2, 20, 15, 2},              // 20 − 18
		{3, 30, 25, 1},              // 30 − 29
		{1, 10, 9, 10},              // 10 − 11 mod 11: block 9 is an epoch block
		{2, 20, 21, 17},             // 20 − 24 mod 21
		{2, 10, 5, 2},               // 10 − 8
		{3, 10, 5, 1},               // 10 − 9
		{1, 360, 358, 0},            // the epoch of netuid 1 runs at the next block, 359
		{1, 360, 359, 360},          // at the epoch block itself: a full tempo until the next
	}
	for _, tt := range tests {
		if got := BlocksUntilNextEpoch(tt.netuid, tt.tempo, tt.block); got != tt.want {
			t.Errorf("BlocksUntilNextEpoch(%d, %d, %d) = %d, want %d", tt.netuid, tt.tempo, tt.block, got, tt.want)
		}
	}
}

func TestShouldRunEpochMainnetBlocks(t *testing.T) {
	t.Parallel()
	// With netuid 1 and tempo 360 the epochs are at blocks 359, 720, 1081, … (period 361).
	var got []uint64
	for b := uint64(0); b < 1500; b++ {
		if ShouldRunEpoch(1, 360, b) {
			got = append(got, b)
		}
	}
	want := []uint64{359, 720, 1081, 1442}
	if len(got) != len(want) {
		t.Fatalf("epoch blocks = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("epoch blocks = %v, want %v", got, want)
		}
	}
	for b := uint64(0); b < 1000; b++ {
		if ShouldRunEpoch(1, 0, b) {
			t.Fatalf("tempo 0 ran an epoch at block %d", b)
		}
		// The next epoch block is block + BlocksUntilNextEpoch + 1.
		next := b + BlocksUntilNextEpoch(2, 13, b) + 1
		if !ShouldRunEpoch(2, 13, next) {
			t.Fatalf("block %d: predicted epoch block %d does not run", b, next)
		}
		for c := b + 1; c < next; c++ {
			if ShouldRunEpoch(2, 13, c) {
				t.Fatalf("block %d: epoch at %d before the predicted %d", b, c, next)
			}
		}
	}
}

func TestEpochIndexAndFirstBlock(t *testing.T) {
	t.Parallel()
	// first block of epoch e = e·(tempo+1) − (netuid+1), saturating; vectors of §5.4.
	if got := EpochFirstBlock(1, 10, 0); got != 0 {
		t.Errorf("EpochFirstBlock(1, 10, 0) = %d, want 0", got)
	}
	if got := EpochFirstBlock(0, 1, 1); got != 1 {
		t.Errorf("EpochFirstBlock(0, 1, 1) = %d, want 1", got)
	}
	// Every epoch block starts a new index: the epoch block b satisfies (b+netuid+1) = k(tempo+1).
	for b := uint64(0); b < 200; b++ {
		if ShouldRunEpoch(3, 7, b) {
			e := EpochIndex(3, 7, b)
			if EpochFirstBlock(3, 7, e) != b {
				t.Fatalf("epoch %d first block = %d, want %d", e, EpochFirstBlock(3, 7, e), b)
			}
			if EpochIndex(3, 7, b-1) != e-1 {
				t.Fatalf("block %d is not the first of its epoch", b)
			}
		}
	}
}

func TestRevealWindow(t *testing.T) {
	t.Parallel()
	// netuid 1, tempo 10: epochs of 11 blocks starting at blocks 9, 20, 31, …
	const netuid, tempo, period = 1, 10, 1
	commit := uint64(12) // epoch (12+2)/11 = 1
	first, last := RevealBlocks(netuid, tempo, period, commit)
	if first != 20 || last != 30 {
		t.Fatalf("RevealBlocks = (%d, %d), want (20, 30)", first, last)
	}
	for b := uint64(12); b < 45; b++ {
		err := CheckRevealWindow(netuid, tempo, period, commit, b)
		switch {
		case b < first && !errors.Is(err, ErrRevealTooEarly):
			t.Errorf("block %d: err = %v, want too early", b, err)
		case b >= first && b <= last && err != nil:
			t.Errorf("block %d: err = %v, want nil", b, err)
		case b > last && !errors.Is(err, ErrExpiredWeightCommit):
			t.Errorf("block %d: err = %v, want expired", b, err)
		}
		if CommitExpired(netuid, tempo, period, commit, b) != (b > last) {
			t.Errorf("block %d: CommitExpired = %v", b, !(b > last))
		}
	}
}
