package scale

import (
	"encoding/hex"
	"errors"
	"math"
	"testing"
)

func TestCompactRoundTrip(t *testing.T) {
	cases := []struct {
		v   uint64
		hex string
	}{
		{0, "00"}, {1, "04"}, {63, "fc"}, {64, "0101"}, {16383, "fdff"}, {16384, "02000100"},
		{1<<30 - 1, "feffffff"}, {1 << 30, "0300000040"}, {1<<32 - 1, "03ffffffff"},
		{1 << 32, "070000000001"}, {math.MaxUint64, "13ffffffffffffffff"},
		{1_000_000_000, "02286bee"}, {500_000_000, "02943577"},
	}
	for _, c := range cases {
		got := hex.EncodeToString(AppendCompact(nil, c.v))
		if got != c.hex {
			t.Errorf("AppendCompact(%d) = %s, want %s", c.v, got, c.hex)
		}
		raw, _ := hex.DecodeString(c.hex)
		d := NewDecoder(raw)
		v, err := d.Compact()
		if err != nil || v != c.v || d.Finish() != nil {
			t.Errorf("Compact(%s) = %d, %v; want %d", c.hex, v, err, c.v)
		}
		if CompactSize(c.v) != len(raw) {
			t.Errorf("CompactSize(%d) = %d, want %d", c.v, CompactSize(c.v), len(raw))
		}
	}
}

func TestCompactU128(t *testing.T) {
	v := U128{Hi: 1, Lo: 5}
	b := NewEncoder(nil).CompactU128(v).Bytes()
	got, err := NewDecoder(b).CompactU128()
	if err != nil || got != v {
		t.Fatalf("round trip %v: got %v, %v (bytes %x)", v, got, err, b)
	}
	if got.String() != "18446744073709551621" {
		t.Errorf("String = %s", got.String())
	}
	if _, err := NewDecoder(b).Compact(); !errors.Is(err, ErrMalformed) {
		t.Errorf("Compact of a 65-bit value: %v, want ErrMalformed", err)
	}
}

func TestRefusals(t *testing.T) {
	for name, c := range map[string]struct {
		hex  string
		read func(*Decoder) error
		want error
	}{
		"non-canonical 2-byte compact": {"0100", func(d *Decoder) error { _, err := d.Compact(); return err }, ErrMalformed},
		"non-canonical 4-byte compact": {"02000000", func(d *Decoder) error { _, err := d.Compact(); return err }, ErrMalformed},
		"non-canonical big compact":    {"0300000000", func(d *Decoder) error { _, err := d.Compact(); return err }, ErrMalformed},
		"compact wider than 128 bits":  {"47" + "ff", func(d *Decoder) error { _, err := d.CompactU128(); return err }, ErrMalformed},
		"truncated compact":            {"03ffff", func(d *Decoder) error { _, err := d.Compact(); return err }, ErrTruncated},
		"option tag 2":                 {"02", func(d *Decoder) error { _, err := d.Option(); return err }, ErrMalformed},
		"bool 2":                       {"02", func(d *Decoder) error { _, err := d.Bool(); return err }, ErrMalformed},
		"vector longer than input":     {"fdff00", func(d *Decoder) error { _, err := d.ByteVec(); return err }, ErrTruncated},
		"truncated u64":                {"01020304", func(d *Decoder) error { _, err := d.U64(); return err }, ErrTruncated},
		"trailing bytes":               {"0000", func(d *Decoder) error { _, _ = d.U8(); return d.Finish() }, ErrTrailing},
	} {
		raw, _ := hex.DecodeString(c.hex)
		if err := c.read(NewDecoder(raw)); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
}

func TestFixedInts(t *testing.T) {
	e := NewEncoder(nil).U8(1).Bool(true).U16(0x0203).U32(0x04050607).U64(0x08090a0b0c0d0e0f).U128(U128{Hi: 2, Lo: 1})
	d := NewDecoder(e.Bytes())
	a, _ := d.U8()
	b, _ := d.Bool()
	c, _ := d.U16()
	x, _ := d.U32()
	y, _ := d.U64()
	z, err := d.U128()
	if err != nil || a != 1 || !b || c != 0x0203 || x != 0x04050607 || y != 0x08090a0b0c0d0e0f || z != (U128{Hi: 2, Lo: 1}) || d.Finish() != nil {
		t.Fatalf("fixed ints round trip: %v %v %x %x %x %v %v", a, b, c, x, y, z, err)
	}
}

// The storage prefixes below are subtensor's, as read from real storage keys in the recordings.
func TestHashers(t *testing.T) {
	for in, want := range map[string]string{
		"System":          "26aa394eea5630e07c48ae0c9558cef7",
		"Account":         "b99d880ec681799c0cf30e8886371da9",
		"SubtensorModule": "658faa385070e074c85bf6b568cf0555",
		"NetworksAdded":   "0e30450fc4d507a846032a7fa65d9a43",
		"Events":          "80d41e5e16056765bc8461851072c9d7",
	} {
		h := Twox128([]byte(in))
		if got := hex.EncodeToString(h[:]); got != want {
			t.Errorf("Twox128(%s) = %s, want %s", in, got, want)
		}
	}
	// Twox64Concat of u16 1 as used in the recorded SubtensorModule keys: f1577fbf1d628fdd0100.
	if got := hex.EncodeToString(Twox64Concat([]byte{1, 0})); got != "f1577fbf1d628fdd0100" {
		t.Errorf("Twox64Concat(0100) = %s", got)
	}
	if got := hex.EncodeToString(Blake2_128Concat([]byte{7})); len(got) != 34 || got[32:] != "07" {
		t.Errorf("Blake2_128Concat(07) = %s", got)
	}
}
