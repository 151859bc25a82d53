package scale

import (
	"encoding/binary"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/crypto/blake2b"
)

// Twox64 is xxh64(b, seed 0) as 8 little-endian bytes.
func Twox64(b []byte) [8]byte {
	var out [8]byte
	binary.LittleEndian.PutUint64(out[:], xxhash.Sum64(b))
	return out
}

// Twox128 is xxh64(b, seed 0) ‖ xxh64(b, seed 1), each little-endian: the hash of pallet and
// storage-item names in storage keys.
func Twox128(b []byte) [16]byte {
	var out [16]byte
	binary.LittleEndian.PutUint64(out[:8], xxhash.Sum64(b))
	h := xxhash.NewWithSeed(1)
	_, _ = h.Write(b)
	binary.LittleEndian.PutUint64(out[8:], h.Sum64())
	return out
}

// Twox64Concat is Twox64(b) ‖ b.
func Twox64Concat(b []byte) []byte {
	h := Twox64(b)
	return append(h[:], b...)
}

// Blake2_128 is the 16-byte blake2b digest of b.
func Blake2_128(b []byte) [16]byte {
	h, _ := blake2b.New(16, nil) // cannot fail: size 16 is valid and there is no key
	_, _ = h.Write(b)
	var out [16]byte
	copy(out[:], h.Sum(nil))
	return out
}

// Blake2_128Concat is Blake2_128(b) ‖ b.
func Blake2_128Concat(b []byte) []byte {
	h := Blake2_128(b)
	return append(h[:], b...)
}

// Blake2_256 is the 32-byte blake2b digest of b.
func Blake2_256(b []byte) [32]byte { return blake2b.Sum256(b) }

// StoragePrefix is twox128(pallet) ‖ twox128(item).
func StoragePrefix(pallet, item string) []byte {
	p, i := Twox128([]byte(pallet)), Twox128([]byte(item))
	return append(p[:], i[:]...)
}
