package ops

import (
	"errors"
	"strings"
	"testing"

	"github.com/btui/btui/protocol"
)

// Every hyperparameter the chain has is in the one table (btcli's name, unit, description),
// and every btcli name resolves to btui's.
func TestHyperparamTableCoversChain(t *testing.T) {
	if len(hyperparamDocs) != len(protocol.HyperFields) {
		t.Errorf("%d documented hyperparameters, the chain has %d", len(hyperparamDocs), len(protocol.HyperFields))
	}
	for _, f := range protocol.HyperFields {
		d, ok := LookupHyperparam(f.Name)
		if !ok || d.Unit == "" || d.About == "" || d.Owner != f.Owner {
			t.Errorf("%s: %+v", f.Name, d)
		}
		if got := CanonicalHyperparam(f.Name); got != f.Name {
			t.Errorf("CanonicalHyperparam(%q) = %q", f.Name, got)
		}
		if d.Btcli != "" {
			if got := CanonicalHyperparam(strings.ToUpper(d.Btcli)); got != f.Name {
				t.Errorf("CanonicalHyperparam(%q) = %q, want %q", d.Btcli, got, f.Name)
			}
		}
	}
	if got := CanonicalHyperparam("network-registration-allowed"); got != "registration_allowed" {
		t.Errorf("alias: %q", got)
	}
}

// Values parse for their type; errors are about the field they name.
func TestParseHyperparam(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		canon       string
		v           uint64
		field       string
	}{
		{"tempo", "360", "tempo", 360, ""},
		{"weights_rate_limit", " 7 ", "weights_set_rate_limit", 7, ""},
		{"commit_reveal_weights_enabled", "on", "commit_reveal", 1, ""},
		{"commit_reveal", "No", "commit_reveal", 0, ""},
		{"commit_reveal", "maybe", "", 0, "Value"},
		{"tempo", "70000", "", 0, "Value"},
		{"activity_cutoff_factor_milli", "70000", "activity_cutoff_factor_milli", 70000, ""}, // u32
		{"tempo", "-1", "", 0, "Value"},
		{"nosuch", "1", "", 0, "Param"},
		{"activity_cutoff", "1", "", 0, "Param"}, // btcli's, in another unit
	} {
		canon, v, err := ParseHyperparam(tc.name, tc.value)
		var oe *Error
		switch {
		case tc.field == "" && (err != nil || canon != tc.canon || v != tc.v):
			t.Errorf("ParseHyperparam(%q, %q) = %q, %d, %v", tc.name, tc.value, canon, v, err)
		case tc.field != "" && (!errors.As(err, &oe) || oe.Field != tc.field || oe.Kind != KindInput):
			t.Errorf("ParseHyperparam(%q, %q) = %v, want an input error about %s", tc.name, tc.value, err, tc.field)
		}
	}
}
