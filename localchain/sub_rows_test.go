package localchain

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"testing"

	"github.com/btui/btui/mechanism"
)

// TestRowLayouts: weight and bond rows round-trip exactly in both layouts; the bitmap one is
// used for ascending uids when smaller (about half of a validator's row); malformed rows are
// refused.
func TestRowLayouts(t *testing.T) {
	t.Parallel()
	row := func(pairs ...uint16) []mechanism.UIDValue {
		out := make([]mechanism.UIDValue, 0, len(pairs)/2)
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, mechanism.UIDValue{UID: pairs[i], Value: pairs[i+1]})
		}
		return out
	}
	bitmap := func(n, span int) int { return 4 + (span+7)/8 + 2*n }
	tests := []struct {
		name string
		row  []mechanism.UIDValue
		size int
	}{
		{"empty", row(), 2},
		{"every uid", row(0, 7, 1, 0, 2, 65535), bitmap(3, 3)},
		{"single uid: sparse is smaller", row(0, 9), 2 + 4},
		{"gap", row(0, 7, 2, 3), bitmap(2, 3)},
		{"starts at 1", row(1, 7, 2, 3), bitmap(2, 3)},
		{"far apart: sparse is smaller", row(3, 1, 900, 2), 2 + 4*2},
		{"unordered stays sparse", row(1, 5, 0, 6, 2, 1), 2 + 4*3},
		{"explicit zeros kept", row(0, 0, 1, 0, 5, 0), bitmap(3, 6)},
		{"span of a whole byte", row(0, 1, 3, 1, 7, 1), bitmap(3, 8)},
	}
	for _, tt := range tests {
		b := encodeRow(tt.row)
		if len(b) != tt.size {
			t.Errorf("%s: %d bytes, want %d", tt.name, len(b), tt.size)
		}
		got, err := decodeRow(b)
		if err != nil || len(got) != len(tt.row) || len(got) > 0 && !reflect.DeepEqual(got, tt.row) {
			t.Errorf("%s: decoded %v, %v; want %v", tt.name, got, err, tt.row)
		}
	}
	// A validator's bond row: every uid but its own.
	full := make([]mechanism.UIDValue, 0, 255)
	for u := 0; u < 256; u++ {
		if u != 17 {
			full = append(full, mechanism.UIDValue{UID: uint16(u), Value: uint16(u * 251)})
		}
	}
	if b := encodeRow(full); len(b) != bitmap(255, 256) || len(b) >= (2+4*255)*55/100 {
		t.Fatalf("a row of 255 of 256 uids takes %d bytes", len(b))
	} else if got, err := decodeRow(b); err != nil || !reflect.DeepEqual(got, full) {
		t.Fatalf("row of 255 uids: %v", err)
	}
	for _, bad := range [][]byte{
		nil, {0}, {0, 2, 0, 1}, {0, 1, 0, 0, 0}, {0, 0, 0},
		{0x80, 0, 0, 0},                   // bitmap layout without entries
		{0x80, 1, 0},                      // no span
		{0x80, 1, 0, 2, 0x03, 0, 5},       // marks two uids for one entry
		{0x80, 1, 0, 2, 0x01, 0, 5},       // span 2 but the last uid is 0
		{0x80, 1, 0, 1, 0x03, 0, 5},       // a bit past the span
		{0x80, 2, 0, 2, 0x03, 0, 5},       // short of values
		{0x80, 1, 0, 1, 0x01, 0, 5, 0, 0}, // trailing bytes
	} {
		if _, err := decodeRow(bad); err == nil {
			t.Errorf("row % x decoded", bad)
		}
	}
}

// FuzzDecodeRow: any bytes either fail to decode or decode to a row that re-encodes to a row
// with the same entries, never longer than the input.
func FuzzDecodeRow(f *testing.F) {
	f.Add([]byte{0, 0})
	f.Add(encodeRow([]mechanism.UIDValue{{UID: 0, Value: 1}, {UID: 2, Value: 3}}))
	f.Add(encodeRow([]mechanism.UIDValue{{UID: 5, Value: 1}, {UID: 2, Value: 3}}))
	f.Add([]byte{0x80, 1, 0, 1, 0x01, 0, 5})
	f.Add([]byte{0x80, 1, 0, 0, 0, 5}) // span 0
	dense := make([]mechanism.UIDValue, 19)
	for i := range dense {
		dense[i] = mechanism.UIDValue{UID: uint16(i), Value: uint16(7 * i)}
	}
	f.Add(encodeRow(dense))
	f.Add(encodeRow(dense[3:]))
	f.Fuzz(func(t *testing.T, b []byte) {
		row, err := decodeRow(b)
		ref, refErr := decodeRowReference(b)
		if (err == nil) != (refErr == nil) || err == nil && len(row)+len(ref) > 0 && !reflect.DeepEqual(row, ref) {
			t.Fatalf("% x: decoded %v (%v), the straightforward decoder %v (%v)", b, row, err, ref, refErr)
		}
		if err != nil {
			return
		}
		again := encodeRow(row)
		if len(again) > len(b) {
			t.Fatalf("% x re-encodes to %d bytes", b, len(again))
		}
		back, err := decodeRow(again)
		if err != nil || len(back) != len(row) || len(row) > 0 && !reflect.DeepEqual(back, row) {
			t.Fatalf("% x: %v -> %v (%v)", b, row, back, err)
		}
	})
}

// decodeRowReference is the straightforward bit-by-bit decoder decodeRow must agree with.
func decodeRowReference(b []byte) ([]mechanism.UIDValue, error) {
	if len(b) < 2 {
		return nil, fmt.Errorf("no length")
	}
	n := int(binary.BigEndian.Uint16(b))
	if n&rowBitmap == 0 {
		if len(b) != 2+4*n {
			return nil, fmt.Errorf("length")
		}
		row := make([]mechanism.UIDValue, n)
		for i := range row {
			row[i] = mechanism.UIDValue{UID: binary.BigEndian.Uint16(b[2+4*i:]), Value: binary.BigEndian.Uint16(b[4+4*i:])}
		}
		return row, nil
	}
	n &^= rowBitmap
	if len(b) < 4 {
		return nil, fmt.Errorf("no span")
	}
	span := int(binary.BigEndian.Uint16(b[2:]))
	bm := 4 + (span+7)/8
	if n == 0 || len(b) != bm+2*n {
		return nil, fmt.Errorf("length")
	}
	var row []mechanism.UIDValue
	for u := 0; u < span; u++ {
		if b[4+u/8]&(1<<(u%8)) == 0 {
			continue
		}
		if len(row) == n {
			return nil, fmt.Errorf("too many marks")
		}
		row = append(row, mechanism.UIDValue{UID: uint16(u), Value: binary.BigEndian.Uint16(b[bm+2*len(row):])})
	}
	if len(row) != n || int(row[n-1].UID) != span-1 || span%8 != 0 && b[bm-1]>>(span%8) != 0 {
		return nil, fmt.Errorf("marks")
	}
	return row, nil
}
