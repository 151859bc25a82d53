package scale

import "encoding/binary"

// Encoder appends SCALE values to a byte slice. The zero value is ready to use.
type Encoder struct{ b []byte }

// NewEncoder starts an encoder that appends to buf (which may be nil).
func NewEncoder(buf []byte) *Encoder { return &Encoder{b: buf} }

// Bytes returns what was written.
func (e *Encoder) Bytes() []byte { return e.b }

// Len is the number of bytes written.
func (e *Encoder) Len() int { return len(e.b) }

// Raw appends b as is.
func (e *Encoder) Raw(b []byte) *Encoder { e.b = append(e.b, b...); return e }

// U8 appends one byte.
func (e *Encoder) U8(v uint8) *Encoder { e.b = append(e.b, v); return e }

// Bool appends 0 or 1.
func (e *Encoder) Bool(v bool) *Encoder {
	if v {
		return e.U8(1)
	}
	return e.U8(0)
}

// U16 appends a little-endian u16.
func (e *Encoder) U16(v uint16) *Encoder { e.b = binary.LittleEndian.AppendUint16(e.b, v); return e }

// U32 appends a little-endian u32.
func (e *Encoder) U32(v uint32) *Encoder { e.b = binary.LittleEndian.AppendUint32(e.b, v); return e }

// U64 appends a little-endian u64.
func (e *Encoder) U64(v uint64) *Encoder { e.b = binary.LittleEndian.AppendUint64(e.b, v); return e }

// U128 appends a little-endian u128.
func (e *Encoder) U128(v U128) *Encoder { return e.U64(v.Lo).U64(v.Hi) }

// Compact appends v in compact form.
func (e *Encoder) Compact(v uint64) *Encoder { e.b = AppendCompact(e.b, v); return e }

// CompactU128 appends a 128-bit value in compact form.
func (e *Encoder) CompactU128(v U128) *Encoder {
	if v.Hi == 0 {
		return e.Compact(v.Lo)
	}
	var buf [16]byte
	binary.LittleEndian.PutUint64(buf[:8], v.Lo)
	binary.LittleEndian.PutUint64(buf[8:], v.Hi)
	n := 16
	for buf[n-1] == 0 {
		n--
	}
	e.b = append(e.b, byte((n-4)<<2|3))
	e.b = append(e.b, buf[:n]...)
	return e
}

// ByteVec appends a compact length then b.
func (e *Encoder) ByteVec(b []byte) *Encoder { return e.Compact(uint64(len(b))).Raw(b) }

// Option appends the None tag, or the Some tag (the caller then appends the value).
func (e *Encoder) Option(some bool) *Encoder { return e.Bool(some) }

// AppendCompact appends v in SCALE compact form to b.
func AppendCompact(b []byte, v uint64) []byte {
	switch {
	case v < 1<<6:
		return append(b, byte(v<<2))
	case v < 1<<14:
		return binary.LittleEndian.AppendUint16(b, uint16(v<<2|1))
	case v < 1<<30:
		return binary.LittleEndian.AppendUint32(b, uint32(v<<2|2))
	}
	n := 8
	for v>>(8*(n-1)) == 0 {
		n--
	}
	b = append(b, byte((n-4)<<2|3))
	for i := 0; i < n; i++ {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// CompactSize is the encoded size of v in compact form.
func CompactSize(v uint64) int { return len(AppendCompact(make([]byte, 0, 9), v)) }
