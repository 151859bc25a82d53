// Package scale is a bounds-checked codec for SCALE, the byte encoding of Substrate chains
// (subtensor among them): little-endian fixed integers, compact integers, options, results,
// vectors, enums and fixed arrays, plus the storage-key hashers (twox128, twox64concat,
// blake2_128concat).
//
// Every read checks the remaining length first, so truncated, over-long or malformed input gives
// an error, never a panic or an out-of-memory: lengths read from the input are bounded by the
// bytes left before anything is allocated. The Decoder has no reflection; callers that decode
// by metadata type (chainclient/substrate) drive it.
package scale

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
)

// ErrTruncated reports input that ends before the value does.
var ErrTruncated = errors.New("scale: input ends before the value does")

// ErrMalformed reports bytes that no valid encoding produces (a bad option tag, a non-canonical
// or oversized compact, a bool that is neither 0 nor 1).
var ErrMalformed = errors.New("scale: malformed input")

// ErrTrailing reports bytes left over after a complete value.
var ErrTrailing = errors.New("scale: bytes left over after the value")

// Decoder reads SCALE values from a byte slice. The zero value reads nothing; use NewDecoder.
type Decoder struct {
	b   []byte
	off int
}

// NewDecoder reads from b (which it does not copy).
func NewDecoder(b []byte) *Decoder { return &Decoder{b: b} }

// Offset is the number of bytes consumed so far.
func (d *Decoder) Offset() int { return d.off }

// Len is the number of bytes not yet consumed.
func (d *Decoder) Len() int { return len(d.b) - d.off }

// Finish returns ErrTrailing (with the count) when bytes are left.
func (d *Decoder) Finish() error {
	if n := d.Len(); n != 0 {
		return fmt.Errorf("%w: %d of %d bytes unread", ErrTrailing, n, len(d.b))
	}
	return nil
}

func (d *Decoder) truncated(want int) error {
	return fmt.Errorf("%w: need %d bytes at offset %d, %d left", ErrTruncated, want, d.off, d.Len())
}

// Bytes returns the next n bytes (a sub-slice of the input, not a copy).
func (d *Decoder) Bytes(n int) ([]byte, error) {
	if n < 0 || n > d.Len() {
		return nil, d.truncated(n)
	}
	b := d.b[d.off : d.off+n : d.off+n]
	d.off += n
	return b, nil
}

// Skip consumes n bytes.
func (d *Decoder) Skip(n int) error {
	if n < 0 || n > d.Len() {
		return d.truncated(n)
	}
	d.off += n
	return nil
}

// U8 reads one byte.
func (d *Decoder) U8() (uint8, error) {
	if d.Len() < 1 {
		return 0, d.truncated(1)
	}
	v := d.b[d.off]
	d.off++
	return v, nil
}

// Bool reads a bool: 0 or 1; anything else is ErrMalformed.
func (d *Decoder) Bool() (bool, error) {
	v, err := d.U8()
	if err != nil {
		return false, err
	}
	switch v {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	return false, fmt.Errorf("%w: bool byte 0x%02x at offset %d", ErrMalformed, v, d.off-1)
}

// U16 reads a little-endian u16.
func (d *Decoder) U16() (uint16, error) {
	if d.Len() < 2 {
		return 0, d.truncated(2)
	}
	v := binary.LittleEndian.Uint16(d.b[d.off:])
	d.off += 2
	return v, nil
}

// U32 reads a little-endian u32.
func (d *Decoder) U32() (uint32, error) {
	if d.Len() < 4 {
		return 0, d.truncated(4)
	}
	v := binary.LittleEndian.Uint32(d.b[d.off:])
	d.off += 4
	return v, nil
}

// U64 reads a little-endian u64.
func (d *Decoder) U64() (uint64, error) {
	if d.Len() < 8 {
		return 0, d.truncated(8)
	}
	v := binary.LittleEndian.Uint64(d.b[d.off:])
	d.off += 8
	return v, nil
}

// U128 reads a little-endian u128.
func (d *Decoder) U128() (U128, error) {
	if d.Len() < 16 {
		return U128{}, d.truncated(16)
	}
	v := U128{Lo: binary.LittleEndian.Uint64(d.b[d.off:]), Hi: binary.LittleEndian.Uint64(d.b[d.off+8:])}
	d.off += 16
	return v, nil
}

// Compact reads a compact integer of at most 64 bits. Non-canonical encodings (a value that a
// shorter mode could hold) and values wider than 64 bits are ErrMalformed.
func (d *Decoder) Compact() (uint64, error) {
	start := d.off
	v, err := d.CompactU128()
	if err != nil {
		return 0, err
	}
	if v.Hi != 0 {
		d.off = start
		return 0, fmt.Errorf("%w: compact at offset %d does not fit 64 bits", ErrMalformed, start)
	}
	return v.Lo, nil
}

// CompactLen reads a compact length and checks that at least min*n bytes remain (min is the
// smallest encoded size of one item, at least 1 unless items can be empty), so a forged length
// cannot make the caller allocate more than the input could fill.
func (d *Decoder) CompactLen(min int) (int, error) {
	n, err := d.Compact()
	if err != nil {
		return 0, err
	}
	if min > 0 && n > uint64(d.Len()/min) {
		return 0, fmt.Errorf("%w: length %d at offset %d but only %d bytes left", ErrTruncated, n, d.off, d.Len())
	}
	if n > uint64(d.Len())+1<<20 { // zero-sized items: still refuse absurd counts
		return 0, fmt.Errorf("%w: length %d at offset %d is not plausible", ErrMalformed, n, d.off)
	}
	return int(n), nil
}

// CompactU128 reads a compact integer of up to 128 bits (the widest SCALE compact a runtime
// uses).
func (d *Decoder) CompactU128() (U128, error) {
	start := d.off
	b0, err := d.U8()
	if err != nil {
		return U128{}, err
	}
	bad := func(why string) (U128, error) {
		d.off = start
		return U128{}, fmt.Errorf("%w: compact at offset %d: %s", ErrMalformed, start, why)
	}
	switch b0 & 3 {
	case 0:
		return U128{Lo: uint64(b0 >> 2)}, nil
	case 1:
		b1, err := d.U8()
		if err != nil {
			d.off = start
			return U128{}, err
		}
		v := uint64(b0)>>2 | uint64(b1)<<6
		if v < 1<<6 {
			return bad("non-canonical two-byte form")
		}
		return U128{Lo: v}, nil
	case 2:
		if d.Len() < 3 {
			d.off = start
			return U128{}, d.truncated(4)
		}
		v := (uint64(b0) | uint64(d.b[d.off])<<8 | uint64(d.b[d.off+1])<<16 | uint64(d.b[d.off+2])<<24) >> 2
		d.off += 3
		if v < 1<<14 {
			return bad("non-canonical four-byte form")
		}
		return U128{Lo: v}, nil
	}
	n := int(b0>>2) + 4
	if n > 16 {
		return bad(fmt.Sprintf("%d-byte big form is wider than 128 bits", n))
	}
	raw, err := d.Bytes(n)
	if err != nil {
		d.off = start
		return U128{}, err
	}
	if raw[n-1] == 0 {
		return bad("non-canonical big form (top byte zero)")
	}
	var buf [16]byte
	copy(buf[:], raw)
	v := U128{Lo: binary.LittleEndian.Uint64(buf[:8]), Hi: binary.LittleEndian.Uint64(buf[8:])}
	if v.Hi == 0 && v.Lo < 1<<30 {
		return bad("non-canonical big form")
	}
	return v, nil
}

// Option reads an Option tag: false for None (0x00), true for Some (0x01); other bytes are
// ErrMalformed.
func (d *Decoder) Option() (bool, error) {
	v, err := d.U8()
	if err != nil {
		return false, err
	}
	if v > 1 {
		return false, fmt.Errorf("%w: option tag 0x%02x at offset %d", ErrMalformed, v, d.off-1)
	}
	return v == 1, nil
}

// Result reads a Result tag: true for Ok (0x00), false for Err (0x01).
func (d *Decoder) Result() (ok bool, err error) {
	v, err := d.U8()
	if err != nil {
		return false, err
	}
	if v > 1 {
		return false, fmt.Errorf("%w: result tag 0x%02x at offset %d", ErrMalformed, v, d.off-1)
	}
	return v == 0, nil
}

// ByteVec reads a Vec<u8> (compact length then bytes); the result aliases the input.
func (d *Decoder) ByteVec() ([]byte, error) {
	n, err := d.CompactLen(1)
	if err != nil {
		return nil, err
	}
	return d.Bytes(n)
}

// String reads a Vec<u8> as a string (the bytes are copied; invalid UTF-8 is kept as is).
func (d *Decoder) String() (string, error) {
	b, err := d.ByteVec()
	return string(b), err
}

// Array32 reads a [u8; 32] (account ids, hashes).
func (d *Decoder) Array32() ([32]byte, error) {
	var a [32]byte
	b, err := d.Bytes(32)
	if err == nil {
		copy(a[:], b)
	}
	return a, err
}

// U128 is an unsigned 128-bit integer as two 64-bit halves.
type U128 struct{ Hi, Lo uint64 }

// U128From returns v as a U128.
func U128From(v uint64) U128 { return U128{Lo: v} }

// Big returns the value as a big.Int.
func (u U128) Big() *big.Int {
	b := new(big.Int).SetUint64(u.Hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(u.Lo))
}

// String is the decimal value.
func (u U128) String() string {
	if u.Hi == 0 {
		return fmt.Sprint(u.Lo)
	}
	return u.Big().String()
}

// Add returns u+v and whether it overflowed.
func (u U128) Add(v U128) (U128, bool) {
	lo, c := bits.Add64(u.Lo, v.Lo, 0)
	hi, c2 := bits.Add64(u.Hi, v.Hi, c)
	return U128{Hi: hi, Lo: lo}, c2 != 0
}

// U128FromBig converts b, refusing negative values and values of more than 128 bits.
func U128FromBig(b *big.Int) (U128, error) {
	if b.Sign() < 0 || b.BitLen() > 128 {
		return U128{}, fmt.Errorf("scale: %s does not fit u128", b)
	}
	lo := new(big.Int).And(b, new(big.Int).SetUint64(^uint64(0))).Uint64()
	hi := new(big.Int).Rsh(b, 64).Uint64()
	return U128{Hi: hi, Lo: lo}, nil
}
