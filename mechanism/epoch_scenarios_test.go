package mechanism

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// scenarioFile is testdata/epoch-scenarios.json: epochs of subtensor's published epoch tests in
// Part A's input schema, each with its full expected output.
type scenarioFile struct {
	About     string     `json:"about"`
	Scenarios []scenario `json:"scenarios"`
}

type scenario struct {
	Scenario string          `json:"scenario"`
	Epoch    int             `json:"epoch"`
	Input    json.RawMessage `json:"input"`
	Expected json.RawMessage `json:"expected"`
}

// expectedNeuron is the output schema of the vectors (no legacy rank/trust columns).
type expectedNeuron struct {
	UID               uint16     `json:"uid"`
	Active            bool       `json:"active"`
	StakeWeight       uint16     `json:"stakeWeight"`
	Consensus         uint16     `json:"consensus"`
	Incentive         uint16     `json:"incentive"`
	Dividends         uint16     `json:"dividends"`
	ValidatorTrust    uint16     `json:"validatorTrust"`
	ServerEmission    uint64     `json:"serverEmission"`
	ValidatorEmission uint64     `json:"validatorEmission"`
	Emission          uint64     `json:"emission"`
	ValidatorPermit   bool       `json:"validatorPermit"`
	Bonds             []UIDValue `json:"bonds"`
}

func loadScenarios(t testing.TB) []scenario {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "epoch-scenarios.json"))
	if err != nil {
		t.Fatalf("read vectors: %v", err)
	}
	var f scenarioFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("decode vectors: %v", err)
	}
	if len(f.Scenarios) < 20 {
		t.Fatalf("only %d scenarios in the vectors file", len(f.Scenarios))
	}
	return f.Scenarios
}

func decodeExpected(t testing.TB, raw json.RawMessage) []expectedNeuron {
	t.Helper()
	var exp struct {
		Neurons []expectedNeuron `json:"neurons"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&exp); err != nil {
		t.Fatalf("decode expected output: %v", err)
	}
	return exp.Neurons
}

func asExpected(o NeuronOutput) expectedNeuron {
	return expectedNeuron{
		UID: o.UID, Active: o.Active, StakeWeight: o.StakeWeight, Consensus: o.Consensus,
		Incentive: o.Incentive, Dividends: o.Dividends, ValidatorTrust: o.ValidatorTrust,
		ServerEmission: o.ServerEmission, ValidatorEmission: o.ValidatorEmission, Emission: o.Emission,
		ValidatorPermit: o.ValidatorPermit, Bonds: o.Bonds,
	}
}

func diffNeuron(got, want expectedNeuron) string {
	if got.Bonds == nil {
		got.Bonds = []UIDValue{}
	}
	if want.Bonds == nil {
		want.Bonds = []UIDValue{}
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if bytes.Equal(g, w) {
		return ""
	}
	return fmt.Sprintf("\n got  %s\n want %s", g, w)
}

// TestEpochScenarios asserts every epoch of the vectors exactly: each field of each uid.
func TestEpochScenarios(t *testing.T) {
	t.Parallel()
	for _, sc := range loadScenarios(t) {
		t.Run(fmt.Sprintf("%s/%d", sc.Scenario, sc.Epoch), func(t *testing.T) {
			in, err := ParseEpochInput(sc.Input)
			if err != nil {
				t.Fatalf("parse input: %v", err)
			}
			out, err := Epoch(in)
			if err != nil {
				t.Fatalf("epoch: %v", err)
			}
			want := decodeExpected(t, sc.Expected)
			if len(out.Neurons) != len(want) {
				t.Fatalf("%d neurons out, want %d", len(out.Neurons), len(want))
			}
			for i := range want {
				if d := diffNeuron(asExpected(out.Neurons[i]), want[i]); d != "" {
					t.Errorf("uid %d:%s", i, d)
				}
			}
		})
	}
}

// TestEpochScenarioSequences feeds each epoch's new permits and bonds into the next epoch of
// the same scenario, as the chain does, and checks they equal the next input's stored state.
func TestEpochScenarioSequences(t *testing.T) {
	t.Parallel()
	scs := loadScenarios(t)
	chained := 0
	for k := 0; k+1 < len(scs); k++ {
		cur, next := scs[k], scs[k+1]
		if cur.Scenario != next.Scenario || next.Epoch != cur.Epoch+1 {
			continue
		}
		in, err := ParseEpochInput(cur.Input)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		nextIn, err := ParseEpochInput(next.Input)
		if err != nil {
			t.Fatal(err)
		}
		for i, nr := range nextIn.Neurons {
			if nr.ValidatorPermit != out.Neurons[i].ValidatorPermit {
				t.Errorf("%s epoch %d → %d uid %d: permit %v fed forward, next input has %v",
					cur.Scenario, cur.Epoch, next.Epoch, i, out.Neurons[i].ValidatorPermit, nr.ValidatorPermit)
			}
			if !slices.Equal(nr.Bonds, out.Neurons[i].Bonds) {
				t.Errorf("%s epoch %d → %d uid %d: bonds %v fed forward, next input has %v",
					cur.Scenario, cur.Epoch, next.Epoch, i, out.Neurons[i].Bonds, nr.Bonds)
			}
		}
		chained++
	}
	if chained == 0 {
		t.Fatal("no multi-epoch sequence found in the vectors")
	}
}
