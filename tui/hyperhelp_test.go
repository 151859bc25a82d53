package tui

import (
	"encoding/json"
	"testing"

	"github.com/btui/btui/protocol"
)

// Every hyperparameter the chain has (its query's names and set_hyperparameter's) has a unit
// the console reads and a meaning, from ops' one table.
func TestHyperDocsCoverChain(t *testing.T) {
	b, err := json.Marshal(protocol.Hyperparams{})
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	for n := range protocol.HyperparamNames() {
		fields[n] = nil
	}
	for n := range fields {
		d, ok := lookupHyperDoc(n)
		if !ok || d.about == "" {
			t.Errorf("hyperparameter %s has no meaning in ops' table", n)
		}
		if d.unit == unitUnknown {
			t.Errorf("hyperparameter %s: the console cannot read ops' unit", n)
		}
	}
}

func TestHyperReading(t *testing.T) {
	for _, tc := range []struct{ name, raw, want string }{
		{"tempo", "360", "360 blocks"},
		{"tempo", "1", "1 block"},
		{"kappa", "32767", "0.499 (x/65535)"},
		{"bonds_moving_average", "975000", "0.9750 (x/10⁶)"},
		{"burn_increase_mult_ppm", "1260000", "×1.260"},
		{"activity_cutoff_factor_milli", "5000", "5.000 × tempo"},
		{"min_burn", "500000000", "0.5000 τ"},
		{"commit_reveal", "true", "yes"},
		{"reveal_period_epochs", "2", "2 epochs"},
		{"max_allowed_uids", "4096", "4,096"},
		{"difficulty", "10000000", ""},
		{"no_such", "1", ""},
	} {
		if got := hyperReading(tc.name, tc.raw); got != tc.want {
			t.Errorf("hyperReading(%s, %s) = %q, want %q", tc.name, tc.raw, got, tc.want)
		}
	}
}

// The hyperparameters of a devnet subnet: each with its value's reading and meaning, and the
// selected one's meaning whole above the table.
func TestHyperparamsWithUnitsOnDevnet(t *testing.T) {
	client, keys := habitsChain(t)
	d := habitsApp(t, client, keys, "", 140, 40)
	d.keys(":", "text:hp 1", "enter")
	d.waitFor("Subnet 1 — hyperparameters", "Reads as", "Meaning")
	d.mustSee("tempo", "10 blocks", "blocks between epochs", "burn multiplier after each registration")
	d.keys("/", "text:kappa", "enter")
	d.mustSee("stake share a weight needs to reach consensus (sudo only) • e edits")
	d.keys("esc", "/", "text:tempo", "enter")
	d.mustSee("blocks between epochs (an epoch runs every tempo+1 blocks) (owner or sudo)")
}
