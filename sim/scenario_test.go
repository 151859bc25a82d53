package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestShippedScenariosParse(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "examples", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 6 {
		t.Fatalf("found %d example scenarios, want at least 6: %v", len(files), files)
	}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := Parse(f, path)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if want := strings.TrimSuffix(filepath.Base(path), ".json"); sc.Name != want {
			t.Errorf("%s: name %q, want the file name %q", path, sc.Name, want)
		}
	}
}

func TestDemoIsTheExample(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "examples", "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, demoJSON) {
		t.Fatal("sim/demo.json differs from examples/demo.json: copy the example over it")
	}
	if sc := DemoScenario(); sc.Name != DemoName {
		t.Fatalf("demo scenario is named %q", sc.Name)
	}
}

// minimal returns a valid scenario document to mutate.
func minimal() map[string]any {
	return map[string]any{
		"name": "t", "seed": 1, "tempos": 3,
		"subnets": []any{map[string]any{"name": "s", "hyperparameters": map[string]any{"tempo": 10, "yuma3": true}}},
		"groups": []any{
			map[string]any{"name": "v", "role": "validator", "count": 2, "stake": 10, "behaviour": map[string]any{"kind": "honest", "noise": 0.1}},
			map[string]any{"name": "m", "role": "miner", "count": 3, "quality": 0.5},
		},
	}
}

func parseDoc(t *testing.T, doc any) (*Scenario, error) {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return Parse(bytes.NewReader(b), "test.json")
}

func TestParseValidationPaths(t *testing.T) {
	t.Parallel()
	group := func(d map[string]any, i int) map[string]any { return d["groups"].([]any)[i].(map[string]any) }
	tests := []struct {
		name   string
		mutate func(d map[string]any)
		path   string // the path of the expected problem
		msg    string // a fragment of its message
	}{
		{"missing name", func(d map[string]any) { delete(d, "name") }, "name", "required"},
		{"bad name", func(d map[string]any) { d["name"] = "Has Space" }, "name", "a-z"},
		{"zero tempos", func(d map[string]any) { d["tempos"] = 0 }, "tempos", "1 to"},
		{"no subnets", func(d map[string]any) { d["subnets"] = []any{} }, "subnets", "at least one"},
		{"unknown hyperparameter", func(d map[string]any) {
			d["subnets"].([]any)[0].(map[string]any)["hyperparameters"] = map[string]any{"tempoo": 3}
		}, "subnets[0].hyperparameters.tempoo", "unknown hyperparameter"},
		{"bad role", func(d map[string]any) { group(d, 1)["role"] = "server" }, "groups[1].role", "validator or miner"},
		{"duplicate group", func(d map[string]any) { group(d, 1)["name"] = "v" }, "groups[1].name", "used by another group"},
		{"count too large", func(d map[string]any) { group(d, 1)["count"] = 300 }, "groups[1].count", "1 to 256"},
		{"validator without stake", func(d map[string]any) { delete(group(d, 0), "stake") }, "groups[0].stake", "permit"},
		{"validator without behaviour", func(d map[string]any) { delete(group(d, 0), "behaviour") }, "groups[0].behaviour", "required"},
		{"unknown kind", func(d map[string]any) { group(d, 0)["behaviour"] = map[string]any{"kind": "greedy"} }, "groups[0].behaviour.kind", "honest, copier or cabal"},
		{"cabal without targets", func(d map[string]any) { group(d, 0)["behaviour"] = map[string]any{"kind": "cabal"} }, "groups[0].behaviour.targets", "miner groups"},
		{"cabal targets a validator", func(d map[string]any) {
			group(d, 0)["behaviour"] = map[string]any{"kind": "cabal", "targets": []any{"v"}}
		}, "groups[0].behaviour.targets[0]", "not a miner group"},
		{"cabal targets nobody", func(d map[string]any) {
			group(d, 0)["behaviour"] = map[string]any{"kind": "cabal", "targets": []any{"ghost"}}
		}, "groups[0].behaviour.targets[0]", "no group"},
		{"miner with behaviour", func(d map[string]any) { group(d, 1)["behaviour"] = map[string]any{"kind": "honest"} }, "groups[1].behaviour", "only validators"},
		{"validator with quality", func(d map[string]any) { group(d, 0)["quality"] = 0.5 }, "groups[0].quality", "only miners"},
		{"quality tempos must increase", func(d map[string]any) {
			group(d, 1)["quality"] = []any{map[string]any{"tempo": 3, "value": 0.1}, map[string]any{"tempo": 2, "value": 0.2}}
		}, "groups[1].quality[1].tempo", "increase"},
		{"offline count without tempo", func(d map[string]any) { group(d, 1)["offlineCount"] = 1 }, "groups[1].offlineCount", "offlineAtTempo"},
		{"negative offline tempo", func(d map[string]any) { group(d, 1)["offlineAtTempo"] = -1 }, "groups[1].offlineAtTempo", "1 to 10000"},
		{"negative registration tempo", func(d map[string]any) { group(d, 1)["registerAtTempo"] = -2 }, "groups[1].registerAtTempo", "0 (setup)"},
		{"stop count above count", func(d map[string]any) {
			group(d, 0)["stopAtTempo"] = 1
			group(d, 0)["stopCount"] = 5
		}, "groups[0].stopCount", "count 2"},
		{"late validator", func(d map[string]any) { group(d, 0)["registerAtTempo"] = 1 }, "groups[0].registerAtTempo", "only miner groups"},
		{"unknown subnet", func(d map[string]any) { group(d, 1)["subnet"] = "elsewhere" }, "groups[1].subnet", "no subnet"},
		{"owner group is a miner group", func(d map[string]any) { d["subnets"].([]any)[0].(map[string]any)["ownerGroup"] = "m" }, "subnets[0].ownerGroup", "validator group"},
		{"too many uids", func(d map[string]any) {
			d["subnets"].([]any)[0].(map[string]any)["hyperparameters"] = map[string]any{"max_allowed_uids": 4}
		}, "subnets[0]", "exceed max_allowed_uids 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := minimal()
			tt.mutate(d)
			_, err := parseDoc(t, d)
			var se *ScenarioError
			if !errors.As(err, &se) || !errors.Is(err, ErrInvalidScenario) {
				t.Fatalf("error %v, want a *ScenarioError wrapping ErrInvalidScenario", err)
			}
			for _, fe := range se.Errs {
				if fe.Path == tt.path && strings.Contains(fe.Msg, tt.msg) {
					return
				}
			}
			t.Fatalf("no problem at %s containing %q in:\n%v", tt.path, tt.msg, err)
		})
	}
}

func TestParseDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, doc, want string }{
		{"not json", `{"name": `, "not valid JSON"},
		{"unknown field", `{"name": "x", "bogus": 1}`, `unknown field "bogus"`},
		{"wrong type", `{"name": "x", "tempos": "ten"}`, "tempos: want int"},
		{"fraction above one", `{"name": "x", "groups": [{"quality": 1.5}]}`, "above 1"},
		{"fraction with exponent", `{"name": "x", "groups": [{"quality": 1e-3}]}`, "without an exponent"},
		{"too many decimals", `{"name": "x", "groups": [{"stake": 0.0000000001}]}`, "TAO has 9 decimals"},
		{"negative stake", `{"name": "x", "groups": [{"stake": -1}]}`, "negative"},
		{"bad hyperparameter value", `{"name": "x", "subnets": [{"name": "s", "hyperparameters": {"tempo": 1.5}}]}`, "whole number"},
		{"trailing data", `{"name": "x"} {}`, "trailing data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(strings.NewReader(tt.doc), "f.json")
			if !errors.Is(err, ErrInvalidScenario) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "f.json: ") {
				t.Fatalf("error %q does not name the file", err)
			}
		})
	}
}

func TestParseDefaultsAndValues(t *testing.T) {
	t.Parallel()
	d := minimal()
	sc, err := parseDoc(t, d)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Groups[0].Subnet != "s" {
		t.Fatalf("single subnet not defaulted: %q", sc.Groups[0].Subnet)
	}
	if sc.Groups[0].Stake != 10_000_000_000 {
		t.Fatalf("stake %d rao, want 10 TAO", sc.Groups[0].Stake)
	}
	if sc.Groups[0].Behaviour.Noise != 100_000 {
		t.Fatalf("noise %d ppm, want 100000", sc.Groups[0].Behaviour.Noise)
	}
	if v := sc.Subnets[0].Hyperparameters["yuma3"]; v != 1 {
		t.Fatalf("yuma3 true parsed as %d", v)
	}
	if got := sc.Teams(); strings.Join(got, ",") != "v,m" {
		t.Fatalf("teams %v", got)
	}
	// Round trip through JSON keeps every value.
	b, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	sc2, err := Parse(bytes.NewReader(b), "round trip")
	if err != nil {
		t.Fatalf("re-parse %s: %v", b, err)
	}
	b2, _ := json.Marshal(sc2)
	if !bytes.Equal(b, b2) {
		t.Fatalf("round trip differs:\n%s\n%s", b, b2)
	}
}

func TestQualityAt(t *testing.T) {
	t.Parallel()
	var nilQ *Quality
	if nilQ.At(3) != 0 {
		t.Fatal("no quality must be 0")
	}
	q := &Quality{Points: []QualityPoint{{Tempo: 2, Value: 100_000}, {Tempo: 6, Value: 900_000}, {Tempo: 8, Value: 500_000}}}
	tests := []struct {
		t    int
		want uint32
	}{
		{0, 100_000}, {2, 100_000}, // constant before the first point
		{3, 300_000}, {4, 500_000}, {6, 900_000}, // linear: 100k + 800k·(t−2)/4
		{7, 700_000}, {8, 500_000}, {50, 500_000}, // falling, then constant after the last
	}
	for _, tt := range tests {
		if got := q.At(tt.t); got != tt.want {
			t.Errorf("At(%d) = %d, want %d", tt.t, got, tt.want)
		}
	}
}

func TestKeysAreDerivedFromNameAndSeed(t *testing.T) {
	t.Parallel()
	a := &Scenario{Name: "a", Seed: 1}
	b := &Scenario{Name: "a", Seed: 2}
	c := &Scenario{Name: "b", Seed: 1}
	ka, _ := deriveKeys(NeuronSURI(a, "g", 0, "coldkey"), NeuronSURI(a, "g", 0, "hotkey"))
	ka2, _ := deriveKeys(NeuronSURI(a, "g", 0, "coldkey"), NeuronSURI(a, "g", 0, "hotkey"))
	kb, _ := deriveKeys(NeuronSURI(b, "g", 0, "coldkey"), NeuronSURI(b, "g", 0, "hotkey"))
	kc, _ := deriveKeys(NeuronSURI(c, "g", 0, "coldkey"), NeuronSURI(c, "g", 0, "hotkey"))
	k1, _ := deriveKeys(NeuronSURI(a, "g", 1, "coldkey"), NeuronSURI(a, "g", 1, "hotkey"))
	if ka.cold.AccountID() != ka2.cold.AccountID() {
		t.Fatal("derivation is not deterministic")
	}
	if ka.cold.AccountID() == ka.hot.AccountID() {
		t.Fatal("coldkey and hotkey are equal")
	}
	for _, other := range []keyPair{kb, kc, k1} {
		if other.cold.AccountID() == ka.cold.AccountID() || other.hot.AccountID() == ka.hot.AccountID() {
			t.Fatal("different seed, name or index gave the same key")
		}
	}
}
