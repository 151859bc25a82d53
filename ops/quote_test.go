package ops

import "testing"

func TestMulPPMAndTolerance(t *testing.T) {
	// mulPPM: v·(1e6 ± ppm)/1e6, floored, saturating.
	for _, tc := range []struct {
		v, ppm uint64
		up     bool
		want   uint64
	}{
		{1_000_000_000, 5_000, true, 1_005_000_000},
		{1_000_000_000, 5_000, false, 995_000_000},
		{3, 500_000, true, 4},
		{^uint64(0), 1, true, ^uint64(0)},
		{7, 999_999, false, 0},
	} {
		if got := mulPPM(tc.v, tc.ppm, tc.up); got != tc.want {
			t.Errorf("mulPPM(%d, %d, %v) = %d, want %d", tc.v, tc.ppm, tc.up, got, tc.want)
		}
	}
	for _, tc := range []struct {
		s    string
		want uint64
		err  bool
	}{
		{"0.005", 5_000, false}, {".5", 500_000, false}, {"0.999999", 999_999, false},
		{"1", 0, true}, {"0", 0, true}, {"0.0000001", 0, true}, {"-0.1", 0, true}, {"", 0, true}, {"1e-3", 0, true}, {"0..1", 0, true},
	} {
		got, err := ParseTolerance(tc.s)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseTolerance(%q) = %d, %v", tc.s, got, err)
		}
		if err != nil {
			if oe, ok := err.(*Error); !ok || oe.Field != "Tolerance" || oe.Kind != KindInput {
				t.Errorf("ParseTolerance(%q): error %#v does not name the Tolerance field", tc.s, err)
			}
		}
	}
	if ppmPercent(5_000) != "0.5" || ppmPercent(1_000_000) != "100" || ppmPercent(1) != "0.0001" {
		t.Errorf("ppmPercent: %s %s %s", ppmPercent(5_000), ppmPercent(1_000_000), ppmPercent(1))
	}
}
