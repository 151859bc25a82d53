package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btui/btui/localchain"
	"github.com/btui/btui/sim"
)

func runSimulate(t *testing.T, tty bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	io, out, errOut := NewTestIO("", tty)
	f := NewFactory(io)
	f.Env = func(string) (string, bool) { return "", false }
	f.ChainOptions = []localchain.Option{localchain.WithNoSync(true)}
	code = RunFactory(context.Background(), f, append([]string{"devnet", "simulate"}, args...))
	return code, out.String(), errOut.String()
}

func TestDevnetSimulateFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, o *devnetSimulateOptions)
	}{
		{name: "defaults", args: []string{"demo"}, check: func(t *testing.T, o *devnetSimulateOptions) {
			if o.scenario != "demo" || o.tempos != 0 || o.seedSet || o.realtime || !o.chart || o.keep {
				t.Fatalf("options %+v", o)
			}
		}},
		{name: "overrides", args: []string{"x.json", "--tempos", "7", "--seed", "0", "--realtime", "--block-time", "50ms", "--keep", "--chart=false"},
			check: func(t *testing.T, o *devnetSimulateOptions) {
				if o.tempos != 7 || !o.seedSet || o.seed != 0 || !o.realtime || o.blockTime.Milliseconds() != 50 || !o.keep || o.chart {
					t.Fatalf("options %+v", o)
				}
			}},
		{name: "negative tempos", args: []string{"demo", "--tempos", "-1"}, wantErr: "--tempos -1"},
		{name: "zero block time", args: []string{"demo", "--block-time", "0s"}, wantErr: "--block-time"},
		{name: "no scenario", args: []string{}, wantErr: "accepts 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			io, _, _ := NewTestIO("", false)
			f := NewFactory(io)
			var got *devnetSimulateOptions
			cmd := newCmdDevnetSimulate(f, func(o *devnetSimulateOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Out)
			cmd.SetErr(io.ErrOut)
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, got)
		})
	}
}

func TestDevnetSimulateFreshDevnetJSON(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runSimulate(t, false, "demo", "--tempos", "3", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep sim.Report
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("stdout is not one report: %v\n%s", err, stdout)
	}
	if rep.Scenario != "demo" || rep.Tempos != 3 || len(rep.Subnets) != 1 || len(rep.Subnets[0].Epochs) != 4 {
		t.Fatalf("report %+v", rep)
	}
	if rep.Subnets[0].Epochs[3].WeightsSet == 0 {
		t.Fatal("no weights were set")
	}
	// The fresh devnet lived in a temporary directory that is gone now.
	dir := strings.TrimPrefix(rep.Endpoint, "embedded:")
	if !strings.Contains(filepath.Base(dir), "btui-simulate-") {
		t.Fatalf("endpoint %q is not a fresh temporary devnet", rep.Endpoint)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the temporary devnet %s is still there (%v)", dir, err)
	}
	if !strings.Contains(stderr, "registering") {
		t.Fatalf("no setup progress on stderr: %q", stderr)
	}
}

func TestDevnetSimulateOnDatadirTextAndChart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	scen := filepath.Join("..", "..", "examples", "cabal-40.json")
	code, stdout, stderr := runSimulate(t, true, scen, "--tempos", "2", "--datadir", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"subnet market (netuid 2)", "final ratios (emission over tempos 1..2)", "cabal", "honest"} {
		if !strings.Contains(stdout, want) {
			t.Fatalf("text report lacks %q:\n%s", want, stdout)
		}
	}
	// With a terminal, one chart line per epoch on stderr.
	if n := strings.Count(stderr, "market t"); n != 3 {
		t.Fatalf("%d chart lines, want 3:\n%s", n, stderr)
	}
	// The devnet at --datadir stays, with the simulation's blocks.
	c, err := localchain.Open(dir, localchain.WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if mg, err := c.Metagraph(2); err != nil || mg.N != 41 {
		t.Fatalf("subnet 2 on the kept devnet: %v, %+v", err, mg)
	}
}

func TestDevnetSimulateErrors(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name": "x", "tempos": 2, "subnets": [{"name": "s"}],
  "groups": [{"name": "v", "role": "validator", "count": 1, "stake": 1, "behaviour": {"kind": "lazy"}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing file", []string{"nope.json"}, ExitUsage, `"demo" for the built-in demo`},
		{"invalid scenario", []string{bad}, ExitUsage, "groups[0].behaviour.kind"},
		{"tempos override validated", []string{"demo", "--tempos", "20000"}, ExitUsage, "--tempos 20000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runSimulate(t, false, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestChartBar(t *testing.T) {
	t.Parallel()
	tests := []struct {
		frac float64
		want string
	}{
		{0, "    "},
		{1, "████"},
		{0.5, "██  "},
		{1.0 / 32, "▏   "}, // one eighth of one of 4 cells
		{2, "████"},        // clamped
	}
	for _, tt := range tests {
		if got := bar(tt.frac, 4); got != tt.want {
			t.Errorf("bar(%v) = %q, want %q", tt.frac, got, tt.want)
		}
	}
	line := chartLine(sim.EpochReport{Subnet: "s", Tempo: 3, Teams: []sim.TeamShare{{Team: "a", EmissionShare: 0.75}, {Team: "b", EmissionShare: 0.25}}}, 4)
	if line != "s t3   │ a ███   75.0% │ b █     25.0%" {
		t.Fatalf("chart line %q", line)
	}
}

func TestDevnetSimulateRealtimeStartsTheProducer(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runSimulate(t, false, "demo", "--tempos", "2", "--realtime", "--block-time", "4ms", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep sim.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	// The embedded producer made every block: the simulation produced none itself.
	if !rep.Realtime || rep.SetupBlocks != 0 || len(rep.Subnets[0].Epochs) != 3 {
		t.Fatalf("report: realtime %v, setup blocks %d, %d epochs", rep.Realtime, rep.SetupBlocks, len(rep.Subnets[0].Epochs))
	}
}

func TestDevnetSimulateRealtimeOnPausedDevnet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := localchain.Open(dir, localchain.WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Pause(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	code, _, stderr := runSimulate(t, false, "demo", "--realtime", "--datadir", dir)
	if code != ExitUsage || !strings.Contains(stderr, "devnet resume") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// TestDevnetSimulateControl runs a scenario and its control on two fresh devnets and prints
// the comparison; --control refuses a named chain.
func TestDevnetSimulateControl(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runSimulate(t, false, "demo", "--tempos", "3", "--control", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var cmp sim.Comparison
	if err := json.Unmarshal([]byte(stdout), &cmp); err != nil {
		t.Fatalf("not a comparison: %v\n%s", err, stdout)
	}
	s := cmp.Subnet("demo")
	if s == nil || len(s.Teams) == 0 || cmp.Scenario == nil || cmp.Control == nil {
		t.Fatalf("comparison %+v", cmp)
	}
	var diff float64
	for _, tc := range s.Teams {
		if d := tc.EmissionShare - tc.ControlEmissionShare; d != tc.EmissionShareDiff {
			t.Fatalf("team %s: diff %v, scenario − control %v", tc.Team, tc.EmissionShareDiff, d)
		}
		diff += max(tc.EmissionShareDiff, -tc.EmissionShareDiff)
	}
	if diff == 0 {
		t.Fatal("the demo's cabal and copier changed nothing against the control")
	}
	if !strings.Contains(stderr, "scenario: ") || !strings.Contains(stderr, "control: ") {
		t.Fatalf("progress does not say which run: %s", stderr)
	}
	code, stdout, _ = runSimulate(t, false, "demo", "--tempos", "2", "--control")
	if code != 0 || !strings.Contains(stdout, "scenario vs control") || !strings.Contains(stdout, "control run") {
		t.Fatalf("text: exit %d\n%s", code, stdout)
	}
	dir := t.TempDir()
	if code, _, stderr := runSimulate(t, false, "demo", "--control", "--datadir", dir); code != ExitUsage || !strings.Contains(stderr, "fresh devnets") {
		t.Fatalf("--control on a named chain: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runSimulate(t, false, "demo", "--control", "--realtime"); code != ExitUsage || !strings.Contains(stderr, "--realtime") {
		t.Fatalf("--control --realtime: exit %d: %s", code, stderr)
	}
}
