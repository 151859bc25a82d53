package mechanism

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestKeccakIsLegacyKeccak(t *testing.T) {
	t.Parallel()
	// keccak256("") of the original Keccak (Ethereum, sp_io::hashing::keccak_256), not SHA3-256.
	got := keccak256(nil)
	if hex.EncodeToString(got[:]) != "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" {
		t.Fatalf("keccak256(\"\") = %x", got)
	}
}

func TestPowSealLayout(t *testing.T) {
	t.Parallel()
	// seal = keccak256(sha256(nonce_le8 ‖ keccak256(blockHash ‖ hotkey))), built here byte by
	// byte independently of PowSeal.
	var bh, hk [32]byte
	for i := range bh {
		bh[i], hk[i] = byte(i), byte(255-i)
	}
	nonce := uint64(0x0102030405060708)
	inner := keccak256(append(append([]byte{}, bh[:]...), hk[:]...))
	msg := make([]byte, 0, 40)
	msg = binary.LittleEndian.AppendUint64(msg, nonce)
	msg = append(msg, inner[:]...)
	if msg[0] != 0x08 || len(msg) != 40 {
		t.Fatal("nonce must be little-endian, 40 bytes in total")
	}
	s := sha256.Sum256(msg)
	want := keccak256(s[:])
	if got := PowSeal(bh, hk, nonce); got != want {
		t.Fatalf("seal %x, want %x", got, want)
	}
	if PowSeal(bh, hk, nonce+1) == want || PowSeal(hk, bh, nonce) == want {
		t.Fatal("the seal must depend on nonce and on the order of block hash and hotkey")
	}
}

func TestSealMeetsDifficulty(t *testing.T) {
	t.Parallel()
	// seal (little-endian U256) · d must not overflow 2^256.
	var zero, ones [32]byte
	for i := range ones {
		ones[i] = 0xff
	}
	if !SealMeetsDifficulty(zero, ^uint64(0)) {
		t.Fatal("a zero seal meets every difficulty")
	}
	if !SealMeetsDifficulty(ones, 1) || SealMeetsDifficulty(ones, 2) {
		t.Fatal("the largest seal meets only difficulty ≤ 1")
	}
	// Property (fixed seed) against big.Int: seal·d < 2^256.
	rng := rand.New(rand.NewPCG(7, 8))
	limit := new(big.Int).Lsh(big.NewInt(1), 256)
	for i := 0; i < 2000; i++ {
		var s [32]byte
		for j := range s {
			s[j] = byte(rng.UintN(256))
		}
		s[31] >>= uint(rng.IntN(8)) // vary the magnitude (the top byte is the most significant)
		d := rng.Uint64() >> uint(rng.IntN(64))
		le := make([]byte, 32)
		for j := range le {
			le[j] = s[31-j]
		}
		prod := new(big.Int).Mul(new(big.Int).SetBytes(le), new(big.Int).SetUint64(d))
		if want := prod.Cmp(limit) < 0; SealMeetsDifficulty(s, d) != want {
			t.Fatalf("seal %x difficulty %d: got %v, want %v", s, d, !want, want)
		}
	}
}

func TestPowSolveAndCheck(t *testing.T) {
	t.Parallel()
	var bh, hk [32]byte
	bh[0], hk[0] = 1, 2
	const difficulty = 1000
	nonce, seal, ok := PowSolve(bh, hk, difficulty, 0, 1_000_000)
	if !ok || !SealMeetsDifficulty(seal, difficulty) || PowSeal(bh, hk, nonce) != seal {
		t.Fatalf("PowSolve = (%d, %x, %v)", nonce, seal, ok)
	}
	w := PowWork{BlockNumber: 10, Nonce: nonce, Work: seal}
	// Checks in subtensor's order: block window, difficulty, seal, reuse.
	tests := []struct {
		name    string
		w       PowWork
		current uint64
		diff    uint64
		used    bool
		err     error
	}{
		{"valid at the same block", w, 10, difficulty, false, nil},
		{"valid two blocks later", w, 12, difficulty, false, nil},
		{"too old", w, 13, difficulty, false, ErrInvalidWorkBlock},
		{"future block", w, 9, difficulty, false, ErrInvalidWorkBlock},
		{"harder difficulty", w, 10, ^uint64(0), false, ErrInvalidDifficulty},
		{"wrong nonce", PowWork{BlockNumber: 10, Nonce: nonce + 1, Work: seal}, 10, difficulty, false, ErrInvalidSeal},
		{"reused", w, 10, difficulty, true, ErrDuplicateWork},
	}
	for _, tt := range tests {
		err := PowCheck(tt.w, bh, hk, tt.current, tt.diff, tt.used)
		if (tt.err == nil) != (err == nil) || (tt.err != nil && !errors.Is(err, tt.err)) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
		}
	}
	if _, _, ok := PowSolve(bh, hk, ^uint64(0), 0, 10); ok {
		t.Fatal("an impossible difficulty was solved in 10 tries")
	}
}
