package keystore

import (
	"fmt"
	"time"

	"golang.org/x/crypto/argon2"
)

// KDF parameter bounds accepted when reading or writing a keyfile. The upper bounds keep a
// damaged or hostile file from making btui allocate gigabytes or spin for minutes before the
// AEAD check can fail: a file may ask for at most 4x what btui writes (DefaultKDFParams) in
// memory and in passes; beyond that CheckCost refuses at once, before a password is asked. The
// lower bounds are argon2's own.
const (
	maxKDFTime    = 4 * 3         // passes: 4x DefaultKDFParams
	maxKDFMemory  = 4 * 64 * 1024 // KiB (256 MiB): 4x DefaultKDFParams
	maxKDFThreads = 4 * 4         // lanes
	saltLen       = 16            // bytes; RFC 9106 recommends 128 bits
	minSaltLen    = 16
	maxSaltLen    = 64
	keyLen        = 32 // XChaCha20-Poly1305 key
)

// KDFParams are argon2id's cost parameters. They are stored in every keyfile next to the
// file's own random salt, so they can be raised later without breaking old files.
type KDFParams struct {
	Time    uint32 // passes over memory
	Memory  uint32 // KiB
	Threads uint8  // lanes
}

// DefaultKDFParams are the parameters of every keyfile btui writes: argon2id with t=3 passes,
// m=64 MiB and p=4 lanes, the second recommended option of RFC 9106 §4 (for systems that
// cannot spend 2 GiB). On a current laptop core one derivation takes a few hundred
// milliseconds. Only code (tests) can choose weaker parameters, with WithKDFParams; no flag,
// file or environment variable lowers them.
func DefaultKDFParams() KDFParams { return KDFParams{Time: 3, Memory: 64 * 1024, Threads: 4} }

// LightKDFParams are cheap parameters for tests (t=1, m=64 KiB, p=1). Never use them for
// keys that matter.
func LightKDFParams() KDFParams { return KDFParams{Time: 1, Memory: 64, Threads: 1} }

// Validate reports whether p is within the bounds btui accepts.
func (p KDFParams) Validate() error {
	switch {
	case p.Time < 1 || p.Time > maxKDFTime:
		return fmt.Errorf("%w: time %d is outside 1..%d", ErrInvalidKDFParams, p.Time, maxKDFTime)
	case p.Threads < 1 || p.Threads > maxKDFThreads:
		return fmt.Errorf("%w: threads %d is outside 1..%d", ErrInvalidKDFParams, p.Threads, maxKDFThreads)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxKDFMemory:
		return fmt.Errorf("%w: memory %d KiB is outside %d..%d", ErrInvalidKDFParams, p.Memory, 8*uint32(p.Threads), maxKDFMemory)
	}
	return nil
}

// deriveKey runs argon2id. The returned key is the caller's to wipe.
func (p KDFParams) deriveKey(password, salt []byte) []byte {
	return argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, keyLen)
}

// BtcliKDFParams are btwallet's fixed $NACL parameters: argon2i (not argon2id) version 1.3,
// 8 passes, 512 MiB, one lane (libsodium's OPSLIMIT_SENSITIVE / MEMLIMIT_SENSITIVE), with
// btwallet's fixed salt. They are not stored in the file.
func BtcliKDFParams() KDFParams { return KDFParams{Time: 8, Memory: 512 * 1024, Threads: 1} }

// costError is the error for a keyfile whose KDF asks for more than btui accepts.
func costError(what string, mib uint64, passes uint64, limit string) error {
	return fmt.Errorf("%w: %s asks for %d MiB / %d passes: refusing (btui reads at most %s, 4x the standard parameters; a file asking for more is damaged or hostile)",
		ErrKDFTooCostly, what, mib, passes, limit)
}

// CheckCost refuses, at once and before any password is asked, a keyfile whose stored KDF
// parameters ask for more than 4x what its format's writer uses: btui's argon2id (256 MiB, 12
// passes, 16 lanes at most). btcli's $NACL parameters are fixed and always accepted.
func (k *Keyfile) CheckCost() error {
	if k.format == FormatBtcli || k.doc.Crypto == nil {
		return nil
	}
	p, _ := k.KDFParams()
	if p.Memory > maxKDFMemory || p.Time > maxKDFTime || p.Threads > maxKDFThreads {
		return costError("keyfile", uint64(p.Memory)/1024, uint64(p.Time), fmt.Sprintf("%d MiB / %d passes / %d lanes", maxKDFMemory/1024, maxKDFTime, maxKDFThreads))
	}
	return nil
}

// EstimateBtcliOpen estimates how long opening a btcli $NACL coldkey takes on this machine now:
// it times a small argon2i run (16 MiB, one pass) and scales it to btwallet's 512 MiB and 8
// passes. It takes a few milliseconds; prompts use it to say how long to wait.
func EstimateBtcliOpen() time.Duration {
	const memKiB, passes = 16 * 1024, 1
	start := time.Now()
	k := argon2.Key([]byte("estimate"), btcliSalt, passes, memKiB, 1, 32)
	clear(k)
	p := BtcliKDFParams()
	scale := float64(p.Memory) / memKiB * float64(p.Time) / passes
	return time.Duration(float64(time.Since(start)) * scale)
}
