package protocol

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/btui/btui/wallet"
)

// Encoder appends the fixed binary layout of docs/transactions.md: big-endian fixed-width
// integers, bools as one byte 0/1, strings and byte strings with a u16 length prefix, account
// ids as their 32 raw bytes. There is exactly one encoding of each value.
type Encoder struct {
	buf []byte
}

// NewEncoder returns an Encoder that appends to buf (which may be nil or preallocated).
func NewEncoder(buf []byte) *Encoder { return &Encoder{buf: buf} }

// Bytes returns the encoded bytes (aliasing the encoder's buffer).
func (e *Encoder) Bytes() []byte { return e.buf }

// U8 appends one byte.
func (e *Encoder) U8(v uint8) { e.buf = append(e.buf, v) }

// U16 appends a big-endian u16.
func (e *Encoder) U16(v uint16) { e.buf = binary.BigEndian.AppendUint16(e.buf, v) }

// U32 appends a big-endian u32.
func (e *Encoder) U32(v uint32) { e.buf = binary.BigEndian.AppendUint32(e.buf, v) }

// U64 appends a big-endian u64.
func (e *Encoder) U64(v uint64) { e.buf = binary.BigEndian.AppendUint64(e.buf, v) }

// Bool appends 1 for true and 0 for false.
func (e *Encoder) Bool(v bool) {
	if v {
		e.U8(1)
	} else {
		e.U8(0)
	}
}

// Fixed appends raw bytes with no length (the decoder must know the length).
func (e *Encoder) Fixed(b []byte) { e.buf = append(e.buf, b...) }

// Account appends a 32-byte account id.
func (e *Encoder) Account(a wallet.AccountID) { e.buf = append(e.buf, a[:]...) }

// Bytes16 appends a u16 length and the bytes; it panics past 65535 bytes (a programming
// error: callers bound their inputs in Validate).
func (e *Encoder) Bytes16(b []byte) {
	if len(b) > 0xFFFF {
		panic("localchain: Encoder.Bytes16 longer than 65535 bytes")
	}
	e.U16(uint16(len(b)))
	e.buf = append(e.buf, b...)
}

// String appends a u16 length and the UTF-8 bytes.
func (e *Encoder) String(s string) { e.Bytes16([]byte(s)) }

// Decoder reads the layout Encoder writes, strictly: a short read, a bool other than 0/1,
// invalid UTF-8 or an over-long string is an error. The first error sticks; check Err or
// Finish once at the end.
type Decoder struct {
	b   []byte
	off int
	err error
}

// NewDecoder returns a decoder over b.
func NewDecoder(b []byte) *Decoder { return &Decoder{b: b} }

// Err returns the first decoding error.
func (d *Decoder) Err() error { return d.err }

// Remaining returns the number of unread bytes.
func (d *Decoder) Remaining() int { return len(d.b) - d.off }

// Failf records a decoding error (if none is recorded yet) for a value that decoded but is
// not allowed, so Finish reports it.
func (d *Decoder) Failf(format string, args ...any) {
	if d.err == nil {
		d.err = Reject(CodeMalformed, format, args...)
	}
}

// Finish returns the first error, or a trailing-bytes error if input is left over.
func (d *Decoder) Finish() error {
	if d.err != nil {
		return d.err
	}
	if d.off != len(d.b) {
		return Reject(CodeTrailingBytes, "%d trailing bytes after the call arguments", len(d.b)-d.off)
	}
	return nil
}

func (d *Decoder) take(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || len(d.b)-d.off < n {
		d.err = Reject(CodeMalformed, "truncated: %s needs %d bytes, %d left", what, n, len(d.b)-d.off)
		return nil
	}
	s := d.b[d.off : d.off+n]
	d.off += n
	return s
}

// U8 reads one byte.
func (d *Decoder) U8() uint8 {
	s := d.take(1, "u8")
	if s == nil {
		return 0
	}
	return s[0]
}

// U16 reads a big-endian u16.
func (d *Decoder) U16() uint16 {
	s := d.take(2, "u16")
	if s == nil {
		return 0
	}
	return binary.BigEndian.Uint16(s)
}

// U32 reads a big-endian u32.
func (d *Decoder) U32() uint32 {
	s := d.take(4, "u32")
	if s == nil {
		return 0
	}
	return binary.BigEndian.Uint32(s)
}

// U64 reads a big-endian u64.
func (d *Decoder) U64() uint64 {
	s := d.take(8, "u64")
	if s == nil {
		return 0
	}
	return binary.BigEndian.Uint64(s)
}

// Bool reads one byte that must be 0 or 1.
func (d *Decoder) Bool() bool {
	v := d.U8()
	if v > 1 && d.err == nil {
		d.err = Reject(CodeMalformed, "bool byte is %d, want 0 or 1", v)
	}
	return v == 1
}

// Fixed reads n raw bytes (aliasing the input).
func (d *Decoder) Fixed(n int) []byte { return d.take(n, fmt.Sprintf("%d-byte field", n)) }

// Account reads a 32-byte account id.
func (d *Decoder) Account() wallet.AccountID {
	var a wallet.AccountID
	copy(a[:], d.take(32, "account id"))
	return a
}

// Bytes16 reads a u16 length and that many bytes (a copy), refusing more than max bytes.
func (d *Decoder) Bytes16(max int) []byte {
	n := int(d.U16())
	if d.err == nil && n > max {
		d.err = Reject(CodeMalformed, "byte string of %d bytes exceeds the limit of %d", n, max)
		return nil
	}
	s := d.take(n, "byte string")
	if s == nil {
		return nil
	}
	return append([]byte(nil), s...)
}

// String reads a u16-length UTF-8 string of at most max bytes.
func (d *Decoder) String(max int) string {
	b := d.Bytes16(max)
	if d.err == nil && !utf8.Valid(b) {
		d.err = Reject(CodeMalformed, "string is not valid utf-8")
		return ""
	}
	return string(b)
}
