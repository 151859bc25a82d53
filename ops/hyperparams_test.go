package ops

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
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

// The plan reaches the chain's rules through its dry run and words the refusals by the input
// they are about: a signer that is neither owner nor sudo ("Signer"), a value outside the
// bounds ("Value", the chain's own bounds in its message); a good change previews the value
// now and the fee.
func TestPlanSetHyperparameterOnChain(t *testing.T) {
	client, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()
	alice, _ := wallet.FromSURI("//Alice") // the devnet's sudo account and subnet 1's owner
	bob, _ := wallet.FromSURI("//Bob")
	if _, err := client.Faucet(ctx, bob.AccountID(), protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	refused := func(in HyperparamInput, field, phrase string) {
		t.Helper()
		_, err := PlanSetHyperparameter(ctx, client, in)
		var oe *Error
		if !errors.As(err, &oe) || oe.Field != field || oe.Kind != KindInput || oe.Sim == nil || !strings.Contains(oe.Error(), phrase) {
			t.Fatalf("%+v: %v (field %q), want a dry-run refusal about %s saying %q", in, err, oe.Field, field, phrase)
		}
	}
	refused(HyperparamInput{Signer: bob.AccountID(), Netuid: 1, Param: "tempo", Value: "400"}, "Signer", "is not the owner of subnet 1")
	refused(HyperparamInput{Signer: alice.AccountID(), Netuid: 1, Param: "tempo", Value: "0"}, "Value", "tempo = 0 is out of bounds: the sudo may set 1 to 65535")

	h, err := client.Hyperparameters(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PlanSetHyperparameter(ctx, client, HyperparamInput{Signer: alice.AccountID(), Netuid: 1, Param: "weights_rate_limit", Value: "7"})
	if err != nil {
		t.Fatal(err)
	}
	pv := p.JSON.(HyperparamPreview)
	if pv.Param != "weights_set_rate_limit" || pv.Old != h.WeightsSetRateLimit || pv.New != 7 || pv.As != "sudo" || pv.Fee != p.Sim.Receipt.Fee || !p.Sim.OK() {
		t.Fatalf("preview %+v, sim %+v", pv, p.Sim)
	}
	if _, err := PlanSetHyperparameter(ctx, client, HyperparamInput{Signer: alice.AccountID(), Netuid: 9, Param: "tempo", Value: "1"}); err == nil {
		t.Fatal("a subnet that does not exist was planned")
	}
}
