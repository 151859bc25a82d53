package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/sim"
)

type epochVector struct {
	Scenario string          `json:"scenario"`
	Epoch    int             `json:"epoch"`
	Input    json.RawMessage `json:"input"`
	Expected json.RawMessage `json:"expected"`
}

func loadEpochVectors(t *testing.T) []epochVector {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "epoch-scenarios.json"))
	if err != nil {
		t.Fatalf("read vectors: %v", err)
	}
	var f struct {
		Scenarios []epochVector `json:"scenarios"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("decode vectors: %v", err)
	}
	if len(f.Scenarios) == 0 {
		t.Fatal("no scenarios")
	}
	return f.Scenarios
}

// runEpochCmd runs `btui mechanism epoch args...` with stdin and returns exit code and streams.
func runEpochCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	io, out, errOut := NewTestIO(stdin, false)
	code := runClean(t, context.Background(), io, append([]string{"mechanism", "epoch"}, args...))
	return code, out.String(), errOut.String()
}

// assertOutputMatches compares every field of the expected output (the vectors carry no
// legacy rank/trust columns, so those are left out of the comparison).
func assertOutputMatches(t *testing.T, stdout string, expected json.RawMessage) mechanism.EpochOutput {
	t.Helper()
	var got mechanism.EpochOutput
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("output is not the epoch JSON: %v\n%s", err, stdout)
	}
	var gotMaps, wantMaps struct {
		Neurons []map[string]any `json:"neurons"`
	}
	if err := json.Unmarshal([]byte(stdout), &gotMaps); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(expected, &wantMaps); err != nil {
		t.Fatal(err)
	}
	if len(gotMaps.Neurons) != len(wantMaps.Neurons) {
		t.Fatalf("%d neurons, want %d", len(gotMaps.Neurons), len(wantMaps.Neurons))
	}
	for i, want := range wantMaps.Neurons {
		for k, wv := range want {
			gv, ok := gotMaps.Neurons[i][k]
			if !ok {
				t.Errorf("uid %d: output lacks %q", i, k)
				continue
			}
			if fmt.Sprint(gv) != fmt.Sprint(wv) {
				t.Errorf("uid %d %s = %v, want %v", i, k, gv, wv)
			}
		}
	}
	return got
}

func TestMechanismEpochScenariosFromFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, v := range loadEpochVectors(t) {
		name := fmt.Sprintf("%s-%d", v.Scenario, v.Epoch)
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, v.Input, 0o600); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := runEpochCmd(t, "", path)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		t.Run(name, func(t *testing.T) { assertOutputMatches(t, stdout, v.Expected) })
	}
}

func TestMechanismEpochStdinAndInFlag(t *testing.T) {
	t.Parallel()
	v := loadEpochVectors(t)[1]
	code, stdout, stderr := runEpochCmd(t, string(v.Input))
	if code != ExitOK {
		t.Fatalf("stdin: exit %d: %s", code, stderr)
	}
	assertOutputMatches(t, stdout, v.Expected)
	code, stdout2, stderr := runEpochCmd(t, string(v.Input), "-")
	if code != ExitOK || stdout2 != stdout {
		t.Fatalf("'-' for stdin: exit %d: %s", code, stderr)
	}
	path := filepath.Join(t.TempDir(), "in.json")
	if err := os.WriteFile(path, v.Input, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout3, stderr := runEpochCmd(t, "", "--in", path)
	if code != ExitOK || stdout3 != stdout {
		t.Fatalf("--in: exit %d: %s", code, stderr)
	}
	// The global --json flag is accepted; the output is JSON either way.
	code, stdout4, _ := runEpochCmd(t, string(v.Input), "--json")
	if code != ExitOK || stdout4 != stdout {
		t.Fatalf("--json: exit %d", code)
	}
}

// TestMechanismEpochFeedForward runs each multi-epoch scenario through the command, feeding
// the printed validatorPermit and bonds into the next epoch's input (with that epoch's new
// weights, stakes and block), and checks every epoch's output.
func TestMechanismEpochFeedForward(t *testing.T) {
	t.Parallel()
	vecs := loadEpochVectors(t)
	var prev *mechanism.EpochOutput
	chained := 0
	for k, v := range vecs {
		input := v.Input
		if k > 0 && prev != nil && vecs[k-1].Scenario == v.Scenario && vecs[k-1].Epoch+1 == v.Epoch {
			var doc map[string]any
			if err := json.Unmarshal(v.Input, &doc); err != nil {
				t.Fatal(err)
			}
			for i, n := range doc["neurons"].([]any) {
				nm := n.(map[string]any)
				nm["validatorPermit"] = prev.Neurons[i].ValidatorPermit
				nm["bonds"] = prev.Neurons[i].Bonds
			}
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			input = b
			chained++
		}
		code, stdout, stderr := runEpochCmd(t, string(input))
		if code != ExitOK {
			t.Fatalf("%s/%d: exit %d: %s", v.Scenario, v.Epoch, code, stderr)
		}
		out := assertOutputMatches(t, stdout, v.Expected)
		prev = &out
	}
	if chained < 10 {
		t.Fatalf("only %d epochs were chained", chained)
	}
}

func TestMechanismEpochBadInput(t *testing.T) {
	t.Parallel()
	good := `{"block":1,"raoEmission":1000,"neurons":[{"uid":0,"stake":1},{"uid":1,"stake":0}]}`
	for _, tc := range []struct {
		name  string
		input string
		want  string // substring of stderr: the field path and what is wrong
	}{
		{"malformed JSON", `{"block":1,`, "malformed JSON"},
		{"not an object", `[1,2]`, "must be a JSON object"},
		{"empty input", ``, "empty input"},
		{"trailing data", good + ` {}`, "unexpected data after the JSON document"},
		{"missing block", `{"raoEmission":1,"neurons":[]}`, "block: missing"},
		{"unknown top-level field", `{"block":1,"raoEmission":1,"neurons":[],"extra":1}`, "extra: unknown field"},
		{"unknown hyperparameter", `{"block":1,"raoEmission":1,"neurons":[],"hyperparameters":{"kapa":1}}`, "hyperparameters.kapa: unknown field"},
		{"unknown neuron field", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":1,"weight":[]}]}`, "neurons[0].weight: unknown field"},
		{"uid gap", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":1},{"uid":2,"stake":1}]}`, "neurons[1].uid: uid 2 at position 1"},
		{"uid disorder", `{"block":1,"raoEmission":1,"neurons":[{"uid":1,"stake":1},{"uid":0,"stake":1}]}`, "neurons[0].uid: uid 1 at position 0"},
		{"weight to missing uid", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":1,"weights":[[0,1],[5,2]]}]}`, "neurons[0].weights[1]: uid 5 >= n 1"},
		{"bond to missing uid", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":1,"bonds":[[3,1]]}]}`, "neurons[0].bonds[0]: uid 3 >= n 1"},
		{"duplicate weight uid", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":1},{"uid":1,"stake":1,"weights":[[0,1],[0,2]]}]}`, "neurons[1].weights[1]: uid 0 appears twice"},
		{"weight over u16", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":1,"weights":[[0,65536]]}]}`, "neurons[0].weights[0][1]: 65536 is out of range"},
		{"weight not a pair", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":1,"weights":[[0]]}]}`, "neurons[0].weights[0]: must be a pair"},
		{"negative stake", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":-5}]}`, "neurons[0].stake: -5 is negative"},
		{"negative block", `{"block":-1,"raoEmission":1,"neurons":[]}`, "block: -1 is negative"},
		{"fractional stake", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":1.5}]}`, "neurons[0].stake: 1.5 is not an integer"},
		{"stake as string", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":"1"}]}`, "neurons[0].stake: must be a non-negative integer"},
		{"u64 overflow", `{"block":1,"raoEmission":18446744073709551616,"neurons":[]}`, "raoEmission: 18446744073709551616 is out of range"},
		{"kappa over u16", `{"block":1,"raoEmission":1,"neurons":[],"hyperparameters":{"kappa":70000}}`, "hyperparameters.kappa: 70000 is out of range"},
		{"bonds moving average over 10^6", `{"block":1,"raoEmission":1,"neurons":[],"hyperparameters":{"bondsMovingAverage":1000001}}`, "hyperparameters.bondsMovingAverage"},
		{"unknown consensus mode", `{"block":1,"raoEmission":1,"neurons":[],"hyperparameters":{"consensusMode":"pow"}}`, "hyperparameters.consensusMode"},
		{"permit not a bool", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":1,"validatorPermit":1}]}`, "neurons[0].validatorPermit: must be true or false"},
		{"owner out of range", `{"block":1,"raoEmission":1,"ownerUid":4,"neurons":[{"uid":0,"stake":1}]}`, "ownerUid: uid 4 >= n 1"},
		{"alpha low above high", `{"block":1,"raoEmission":1,"neurons":[],"hyperparameters":{"alphaLow":60000}}`, "hyperparameters.alphaLow"},
		{"stake total overflows", `{"block":1,"raoEmission":1,"neurons":[{"uid":0,"stake":9223372036854775807},{"uid":1,"stake":1}]}`, "neurons[1].stake: total stake exceeds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runEpochCmd(t, tc.input)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d (stderr %q)", code, ExitUsage, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout not empty on error: %q", stdout)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.want)
			}
		})
	}
}

func TestMechanismEpochArgs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte(`{"block":1,"raoEmission":1,"neurons":[]}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"file and --in differ", []string{a, "--in", b}, "either as FILE or with --in"},
		{"two files", []string{a, b}, "accepts at most 1 arg"},
		{"missing file", []string{filepath.Join(dir, "nope.json")}, "does not exist"},
		{"unknown flag", []string{"--bogus"}, "unknown flag"},
	} {
		code, _, stderr := runEpochCmd(t, "", tc.args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d stderr %q, want 2 and %q", tc.name, code, stderr, tc.want)
		}
	}
	// A terminal on stdin with no file is a usage error, not a hang.
	io, _, errOut := NewTestIO("", true)
	if code := runClean(t, context.Background(), io, []string{"mechanism", "epoch"}); code != ExitUsage || !strings.Contains(errOut.String(), "no input") {
		t.Errorf("tty stdin: exit %d stderr %q", code, errOut.String())
	}
	// An empty subnet is valid and gives an empty neuron list.
	code, stdout, _ := runEpochCmd(t, "", a)
	if code != ExitOK || stdout != "{\"neurons\": []}\n" {
		t.Errorf("empty subnet: exit %d stdout %q", code, stdout)
	}
	// runF injection: flags fill the options without running the epoch.
	f := NewFactory(&IOStreams{})
	var got *mechanismEpochOptions
	cmd := newCmdMechanismEpoch(f, func(o *mechanismEpochOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--in", a})
	if err := cmd.Execute(); err != nil || got == nil || got.Path != a {
		t.Errorf("runF got %+v, err %v", got, err)
	}
}

// runCLIAt runs btui with a clean environment and a devnet directory.
func runCLIAt(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	io, out, errOut := NewTestIO(stdin, false)
	f := NewFactory(io)
	f.Env = func(string) (string, bool) { return "", false }
	f.ChainOptions = []localchain.Option{localchain.WithNoSync(true)}
	code := RunFactory(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

// TestMechanismEpochFromChain exports the input of the epoch a devnet subnet ran last, feeds it
// back to `btui mechanism epoch` and gets the chain's recorded result (the stored metagraph and
// bonds); --run prints the same output; the next epoch's export matches what the chain then runs.
func TestMechanismEpochFromChain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := chainclient.OpenEmbedded(dir, localchain.WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	sc := sim.DemoScenario()
	sc.Tempos = 2
	s, err := sim.Start(context.Background(), c, sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range s.Reports() {
	}
	rep, err := s.Wait()
	if err != nil {
		t.Fatal(err)
	}
	net := rep.Subnets[0].Netuid
	ch := c.Chain()
	si, err := ch.Subnet(net)
	if err != nil {
		t.Fatal(err)
	}
	mg, err := ch.Metagraph(net)
	if err != nil {
		t.Fatal(err)
	}
	bonds, err := ch.Bonds(net)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	netArg, blockArg := fmt.Sprint(net), fmt.Sprint(si.LastEpoch)

	code, input, stderr := runCLIAt(t, "", "--datadir", dir, "mechanism", "epoch", "--netuid", netArg, "--block", blockArg)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "ran in block "+blockArg) {
		t.Fatalf("stderr %q", stderr)
	}
	code, fed, stderr := runEpochCmd(t, input)
	if code != 0 {
		t.Fatalf("feeding the export back: exit %d: %s", code, stderr)
	}
	code, ran, stderr := runCLIAt(t, "", "--datadir", dir, "mechanism", "epoch", "--netuid", netArg, "--block", blockArg, "--run")
	if code != 0 || ran != fed {
		t.Fatalf("--run: exit %d (%s), output differs from the fed-back run:\n%s\n%s", code, stderr, ran, fed)
	}
	var out mechanism.EpochOutput
	if err := json.Unmarshal([]byte(fed), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Neurons) != len(mg.Neurons) {
		t.Fatalf("%d neurons, the chain has %d", len(out.Neurons), len(mg.Neurons))
	}
	var incentive uint64
	for i, o := range out.Neurons {
		g := mg.Neurons[i]
		if g.Incentive != o.Incentive || g.Dividends != o.Dividends || g.Emission != o.Emission || g.Consensus != o.Consensus ||
			g.Trust != o.Trust || g.Rank != o.Rank || g.ValidatorTrust != o.ValidatorTrust || g.Permit != o.ValidatorPermit || g.Active != o.Active {
			t.Fatalf("uid %d: chain recorded %+v, the exported input gives %+v", i, g, o)
		}
		if fmt.Sprint(bonds[i].Entries) != fmt.Sprint(o.Bonds) && !(len(o.Bonds) == 0 && len(bonds[i].Entries) == 0) {
			t.Fatalf("uid %d: chain bonds %v, exported input gives %v", i, bonds[i].Entries, o.Bonds)
		}
		incentive += uint64(o.Incentive)
	}
	if incentive == 0 {
		t.Fatal("the exported epoch paid no incentive: nothing was compared")
	}

	// The next epoch: exported without --block, and the chain then runs exactly that.
	code, next, stderr := runCLIAt(t, "", "--datadir", dir, "mechanism", "epoch", "--netuid", netArg, "--run")
	if code != 0 || !strings.Contains(stderr, "will run in block") {
		t.Fatalf("next epoch: exit %d: %s", code, stderr)
	}
	var nextOut mechanism.EpochOutput
	if err := json.Unmarshal([]byte(next), &nextOut); err != nil || len(nextOut.Neurons) != len(mg.Neurons) {
		t.Fatalf("next epoch output: %v", err)
	}

	// Bad input: a block without an epoch of the subnet, a missing subnet, flags without --netuid.
	if code, _, stderr := runCLIAt(t, "", "--datadir", dir, "mechanism", "epoch", "--netuid", netArg, "--block", fmt.Sprint(si.LastEpoch-1)); code != ExitNotFound || !strings.Contains(stderr, "runs no epoch in block") {
		t.Fatalf("block without an epoch: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLIAt(t, "", "--datadir", dir, "mechanism", "epoch", "--netuid", "99"); code != ExitNotFound {
		t.Fatalf("missing subnet: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLIAt(t, "", "mechanism", "epoch", "--block", "5"); code != ExitUsage || !strings.Contains(stderr, "--netuid") {
		t.Fatalf("--block without --netuid: exit %d: %s", code, stderr)
	}
}
