package scale

import (
	"errors"
	"testing"
)

// FuzzDecoder reads arbitrary bytes with every decoder method, choosing the method from the
// input itself: no input may panic, and every failure must be one of the package's errors.
func FuzzDecoder(f *testing.F) {
	for _, seed := range [][]byte{{}, {0}, {3, 0xff}, {0x13, 1, 2, 3}, {0xfd, 0xff, 0xff}, {1, 1, 2, 0}, {0x0b, 0, 0, 0, 0, 0, 0, 0, 1}} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d := NewDecoder(b)
		for d.Len() > 0 {
			op, _ := d.U8()
			var err error
			switch op % 12 {
			case 0:
				_, err = d.Compact()
			case 1:
				_, err = d.CompactU128()
			case 2:
				_, err = d.ByteVec()
			case 3:
				_, err = d.Option()
			case 4:
				_, err = d.Bool()
			case 5:
				_, err = d.U16()
			case 6:
				_, err = d.U32()
			case 7:
				_, err = d.U64()
			case 8:
				_, err = d.U128()
			case 9:
				_, err = d.CompactLen(int(op >> 4))
			case 10:
				_, err = d.Array32()
			case 11:
				_, err = d.Result()
			}
			if err != nil {
				if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) {
					t.Fatalf("unexpected error kind: %v", err)
				}
				return
			}
			if d.Offset() > len(b) {
				t.Fatalf("offset %d past end %d", d.Offset(), len(b))
			}
		}
	})
}

// FuzzCompactRoundTrip: every value encodes canonically and decodes back to itself.
func FuzzCompactRoundTrip(f *testing.F) {
	f.Add(uint64(0), uint64(0))
	f.Add(uint64(1<<30), uint64(7))
	f.Fuzz(func(t *testing.T, lo, hi uint64) {
		v := U128{Hi: hi, Lo: lo}
		b := NewEncoder(nil).CompactU128(v).Bytes()
		d := NewDecoder(b)
		got, err := d.CompactU128()
		if err != nil || got != v || d.Finish() != nil {
			t.Fatalf("%v -> %x -> %v, %v", v, b, got, err)
		}
	})
}
