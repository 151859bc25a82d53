package protocol

import "testing"

func TestSubtensorCodes(t *testing.T) {
	t.Parallel()
	names := map[string]Code{}
	for c, n := range subCodeNames {
		if c < 1000 || c > 1599 || c.IsRejection() {
			t.Errorf("code %d (%s) is outside the subtensor ranges", c, n)
		}
		if c.String() != n {
			t.Errorf("code %d renders as %q, want %q", c, c.String(), n)
		}
		if o, dup := names[n]; dup {
			t.Errorf("codes %d and %d share the name %s", c, o, n)
		}
		names[n] = c
	}
}
