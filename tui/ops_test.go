package tui

import (
	"strings"
	"testing"
)

// The console's price guard is checked by ops' tolerance parser, the stake commands' own; the
// message names the form field, not a flag.
func TestCheckTrade(t *testing.T) {
	for _, tc := range []struct {
		name, tol string
		ok        bool
		want      string
	}{
		{"default", "0.005", true, ""},
		{"one percent", "0.01", true, ""},
		{"zero", "0", false, "tolerance"},
		{"one", "1", false, "tolerance"},
		{"not a number", "abc", false, "tolerance"},
		{"negative", "-0.1", false, "tolerance"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkTrade(Trade{Tolerance: tc.tol})
			if tc.ok != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("checkTrade(%q) = %v", tc.tol, err)
			}
			if err != nil && strings.Contains(err.Error(), "--") {
				t.Fatalf("the console's message names a flag: %v", err)
			}
		})
	}
	if got := upscale([]uint16{1, 2, 4}); got[2] != 65535 || got[0] != 16383 {
		t.Fatalf("upscale = %v, want the largest at 65535 (floor)", got)
	}
}
