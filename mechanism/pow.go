package mechanism

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/bits"

	"golang.org/x/crypto/sha3"
)

// Legacy proof-of-work registration (subtensor 575262e21, Part B §4.2), a devnet option.
//
// The seal of (block hash, hotkey, nonce) is
//
//	inner = keccak256(blockHash[32] ‖ hotkey[32])                  (64 bytes in)
//	seal  = keccak256(sha256(nonceLE[8] ‖ inner[32]))              (40 bytes into sha256)
//
// where blockHash is the hash of the block the work was done for, hotkey the 32-byte public key
// and nonceLE the nonce as 8 little-endian bytes; keccak256 is the original Keccak (not
// SHA3-256). The seal meets difficulty d when the seal read as a little-endian 256-bit
// integer times d does not overflow 2^256, i.e. seal < 2^256 / d.

// DefaultDifficulty is the legacy default (and minimum) PoW difficulty.
const DefaultDifficulty uint64 = 10_000_000

// PowMaxAge: work must be for a block less than this many blocks old.
const PowMaxAge uint64 = 3

// PowBlockHotkeyHash is inner = keccak256(blockHash ‖ hotkey), the part of the seal a solver
// computes once.
func PowBlockHotkeyHash(blockHash, hotkey [32]byte) [32]byte {
	var buf [64]byte
	copy(buf[:32], blockHash[:])
	copy(buf[32:], hotkey[:])
	return keccak256(buf[:])
}

// PowSealFromInner is keccak256(sha256(nonceLE ‖ inner)) for a precomputed inner hash.
func PowSealFromInner(inner [32]byte, nonce uint64) [32]byte {
	var buf [40]byte
	binary.LittleEndian.PutUint64(buf[:8], nonce)
	copy(buf[8:], inner[:])
	s := sha256.Sum256(buf[:])
	return keccak256(s[:])
}

// PowSeal is create_seal_hash: the seal of (blockHash, hotkey, nonce).
func PowSeal(blockHash, hotkey [32]byte, nonce uint64) [32]byte {
	return PowSealFromInner(PowBlockHotkeyHash(blockHash, hotkey), nonce)
}

// SealMeetsDifficulty is hash_meets_difficulty: U256::from_little_endian(seal) · difficulty
// does not overflow 256 bits.
func SealMeetsDifficulty(seal [32]byte, difficulty uint64) bool {
	var carry uint64
	for i := 0; i < 4; i++ {
		limb := binary.LittleEndian.Uint64(seal[8*i:])
		hi, lo := bits.Mul64(limb, difficulty)
		var c uint64
		_, c = bits.Add64(lo, carry, 0)
		carry = hi + c
	}
	return carry == 0
}

// PowWork is what a PoW registration submits.
type PowWork struct {
	// BlockNumber is the block whose hash the work was done for.
	BlockNumber uint64
	// Nonce is the solution.
	Nonce uint64
	// Work is the claimed seal.
	Work [32]byte
}

// PowCheck verifies a PoW registration in subtensor's order: BlockNumber ≤ current and
// current − BlockNumber < 3 (ErrInvalidWorkBlock); the work meets difficulty
// (ErrInvalidDifficulty); it is the seal of (blockHash, hotkey, nonce) (ErrInvalidSeal); it was
// not used before (ErrDuplicateWork, used is the chain's UsedWork lookup). blockHash must be the
// hash of block BlockNumber.
func PowCheck(w PowWork, blockHash, hotkey [32]byte, current, difficulty uint64, used bool) error {
	if w.BlockNumber > current || current-w.BlockNumber >= PowMaxAge {
		return fmt.Errorf("work for block %d at block %d: %w", w.BlockNumber, current, ErrInvalidWorkBlock)
	}
	if !SealMeetsDifficulty(w.Work, difficulty) {
		return fmt.Errorf("difficulty %d: %w", difficulty, ErrInvalidDifficulty)
	}
	if PowSeal(blockHash, hotkey, w.Nonce) != w.Work {
		return ErrInvalidSeal
	}
	if used {
		return ErrDuplicateWork
	}
	return nil
}

// PowSolve searches nonces start, start+1, … (at most tries of them, wrapping) for a seal that
// meets difficulty, as create_work_for_block_number does. ok is false when none was found;
// callers loop with a new start to stay responsive.
func PowSolve(blockHash, hotkey [32]byte, difficulty, start, tries uint64) (nonce uint64, seal [32]byte, ok bool) {
	inner := PowBlockHotkeyHash(blockHash, hotkey)
	for i := uint64(0); i < tries; i++ {
		n := start + i
		s := PowSealFromInner(inner, n)
		if SealMeetsDifficulty(s, difficulty) {
			return n, s, true
		}
	}
	return 0, [32]byte{}, false
}

func keccak256(b []byte) [32]byte {
	h := sha3.NewLegacyKeccak256()
	h.Write(b)
	var out [32]byte
	h.Sum(out[:0])
	return out
}
