package keystore

import (
	"fmt"

	"golang.org/x/crypto/argon2"
)

// KDF parameter bounds accepted when reading or writing a keyfile. The upper bounds keep a
// damaged or hostile file from making btui allocate gigabytes or spin for minutes before the
// AEAD check can fail; the lower bounds are argon2's own.
const (
	maxKDFTime    = 64
	maxKDFMemory  = 2 << 20 // KiB (2 GiB)
	maxKDFThreads = 64
	saltLen       = 16 // bytes; RFC 9106 recommends 128 bits
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
