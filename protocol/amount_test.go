package protocol

import (
	"errors"
	"math"
	"testing"
)

func TestParseTAO(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want uint64
	}{
		{"0", 0},
		{"1", RaoPerTAO},
		{"1.5", 1_500_000_000},
		{"0.000000001", 1},
		{"0.1", 100_000_000},
		{"1000.000000001", 1000*RaoPerTAO + 1},
		{"1_000", 1000 * RaoPerTAO},
		{"1,000", 1000 * RaoPerTAO},
		{"12,345,678.5 TAO", 12_345_678_500_000_000},
		{" 2.25 TAO ", 2_250_000_000},
		{"3tao", 3 * RaoPerTAO},
		{"4 τ", 4 * RaoPerTAO},
		{"007.50", 7_500_000_000},
		{"18446744073.709551615", math.MaxUint64}, // the largest amount in rao
		// 0.1 + 0.2 style decimals stay exact (no float64 anywhere).
		{"0.3", 300_000_000},
		{"21000000", 21_000_000 * RaoPerTAO},
	}
	for _, tt := range tests {
		got, err := ParseTAO(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseTAO(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseTAORejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "TAO", "-1", "+1", "1.", ".5", "1.0000000001", "1e9", "1,5", "1,0000", ",100", "1,000_000", "1.000,5", "1.5.2", "abc", "0x10",
		"_1", "1_", "1__0", "1._5", "18446744073.709551616", "18446744074", "99999999999999999999",
		"1 000", "NaN", "Inf", "１",
	} {
		if got, err := ParseTAO(in); !errors.Is(err, ErrInvalidAmount) {
			t.Errorf("ParseTAO(%q) = %d, %v; want an invalid amount error", in, got, err)
		}
	}
}

func TestFormatTAO(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rao  uint64
		want string
	}{
		{0, "0"}, {1, "0.000000001"}, {RaoPerTAO, "1"}, {1_500_000_000, "1.5"},
		{100_000, "0.0001"}, {math.MaxUint64, "18446744073.709551615"}, {21_000_000 * RaoPerTAO, "21000000"},
	}
	for _, tt := range tests {
		if got := TAODecimal(tt.rao); got != tt.want {
			t.Errorf("TAODecimal(%d) = %q, want %q", tt.rao, got, tt.want)
		}
	}
}

// TAODecimal, FormatTAO and ParseTAO are inverse for every amount.
func FuzzTAORoundTrip(f *testing.F) {
	for _, v := range []uint64{0, 1, 999_999_999, RaoPerTAO, math.MaxUint64, 123_456_789_012} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, rao uint64) {
		for _, text := range []string{TAODecimal(rao), FormatTAO(rao), Amount(rao).String()} {
			got, err := ParseTAO(text)
			if err != nil || got != rao {
				t.Fatalf("round trip of %d through %q: %d, %v", rao, text, got, err)
			}
		}
	})
}
