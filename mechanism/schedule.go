package mechanism

import "math"

// The legacy modulo epoch schedule of subtensor (Part A; Part B §2.6, §5.4): subnet netuid runs
// its epoch at every block b with (b + netuid + 1) % (tempo + 1) == 0, so the period is tempo + 1
// blocks and subnets with the same tempo are staggered by their netuid (netuid 1, tempo 360:
// blocks 359, 720, 1081, …). Tempo 0 never runs an epoch.

// ShouldRunEpoch reports whether netuid runs its epoch at block: (block + netuid + 1) mod
// (tempo + 1) == 0 (wrapping add), never for tempo 0.
func ShouldRunEpoch(netuid, tempo uint16, block uint64) bool {
	if tempo == 0 {
		return false
	}
	return (block+uint64(netuid)+1)%(uint64(tempo)+1) == 0
}

// BlocksUntilNextEpoch is subtensor's blocks_until_next_epoch: tempo − ((block + netuid + 1) mod
// (tempo + 1)) with a wrapping add, and math.MaxUint64 for tempo 0. It counts the blocks strictly
// between block and the next epoch block: 0 means the epoch runs at block + 1, and at an epoch
// block it returns tempo. The next epoch block after block is block + BlocksUntilNextEpoch + 1.
func BlocksUntilNextEpoch(netuid, tempo uint16, block uint64) uint64 {
	if tempo == 0 {
		return math.MaxUint64
	}
	t := uint64(tempo)
	return t - (block+uint64(netuid)+1)%(t+1)
}

// EpochIndex is the legacy epoch counter (block + netuid + 1) / (tempo + 1) (saturating add).
// Commit-reveal uses it to decide when a commit may be revealed.
func EpochIndex(netuid, tempo uint16, block uint64) uint64 {
	return satAdd64(block, uint64(netuid)+1) / (uint64(tempo) + 1)
}

// EpochFirstBlock is the first block of epoch e: e·(tempo + 1) − (netuid + 1), saturating at 0.
func EpochFirstBlock(netuid, tempo uint16, epoch uint64) uint64 {
	return satSub64(satMul64(epoch, uint64(tempo)+1), uint64(netuid)+1)
}

// RevealBlocks returns the first and last block in which a weights commit made at commitBlock may
// be revealed: the whole epoch EpochIndex(commitBlock) + revealPeriod.
func RevealBlocks(netuid, tempo uint16, revealPeriod, commitBlock uint64) (first, last uint64) {
	e := satAdd64(EpochIndex(netuid, tempo, commitBlock), revealPeriod)
	first = EpochFirstBlock(netuid, tempo, e)
	return first, satAdd64(first, uint64(tempo))
}

// CheckRevealWindow says whether a commit made at commitBlock may be revealed at block: nil in
// exactly the reveal epoch, ErrRevealTooEarly before it and ErrExpiredWeightCommit after it.
func CheckRevealWindow(netuid, tempo uint16, revealPeriod, commitBlock, block uint64) error {
	want := satAdd64(EpochIndex(netuid, tempo, commitBlock), revealPeriod)
	switch now := EpochIndex(netuid, tempo, block); {
	case now < want:
		return ErrRevealTooEarly
	case now > want:
		return ErrExpiredWeightCommit
	}
	return nil
}

// CommitExpired reports whether a commit made at commitBlock can no longer be revealed at block.
func CommitExpired(netuid, tempo uint16, revealPeriod, commitBlock, block uint64) bool {
	return EpochIndex(netuid, tempo, block) > satAdd64(EpochIndex(netuid, tempo, commitBlock), revealPeriod)
}

func satAdd64(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}

func satSub64(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}

func satMul64(a, b uint64) uint64 {
	if a != 0 && b > math.MaxUint64/a {
		return math.MaxUint64
	}
	return a * b
}
