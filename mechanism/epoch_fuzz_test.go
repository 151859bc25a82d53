package mechanism

import (
	"errors"
	"testing"
)

// FuzzEpochInput feeds arbitrary bytes to ParseEpochInput: it must never panic, every error must
// be a *FieldError, and every accepted input must run through Epoch with one output per uid and
// no more emission than raoEmission. Seeds: the golden scenarios and some hand-written edges.
// Run longer with: go test ./mechanism -run '^$' -fuzz FuzzEpochInput -fuzztime 30s
func FuzzEpochInput(f *testing.F) {
	for _, sc := range loadScenarios(f) {
		f.Add([]byte(sc.Input))
	}
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"block":1,"raoEmission":1,"neurons":[]}`,
		`{"block":1,"raoEmission":18446744073709551615,"ownerUid":0,"neurons":[{"uid":0,"stake":9223372036854775807,"weights":[[0,65535]],"bonds":[[0,65535]]}]}`,
		`{"block":1,"raoEmission":1,"hyperparameters":{"yuma3":true,"liquidAlpha":true,"alphaSigmoidSteepness":-32768},"neurons":[{"uid":0,"stake":1,"validatorPermit":true,"weights":[[1,5],[0,7]],"bonds":[[1,9]]},{"uid":1,"stake":1}]}`,
		`{"block":1,"raoEmission":1,"hyperparameters":{"consensusMode":"whitepaper","rho":65535,"kappa":0},"neurons":[{"uid":0,"stake":3,"validatorPermit":true,"weights":[[1,1]]},{"uid":1,"stake":0}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseEpochInput(data)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			return
		}
		out, err := Epoch(in)
		if err != nil {
			t.Fatalf("accepted input failed: %v", err)
		}
		if len(out.Neurons) != len(in.Neurons) {
			t.Fatalf("%d outputs for %d neurons", len(out.Neurons), len(in.Neurons))
		}
		var total uint64
		for _, n := range out.Neurons {
			if total+n.Emission < total {
				t.Fatal("emission sum overflows")
			}
			total += n.Emission
		}
		if total > in.RaoEmission {
			t.Fatalf("Σ emission %d > raoEmission %d", total, in.RaoEmission)
		}
	})
}
