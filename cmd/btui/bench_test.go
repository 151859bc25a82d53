package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// benchBinary builds btui once per test into a temporary directory: `btui bench` starts its
// own executable as the node, so it cannot run inside the test binary.
func benchBinary(t *testing.T) (bin string, env []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	bin = buildBtui(t)
	home := t.TempDir()
	env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "TMPDIR=" + t.TempDir()}
	return bin, env
}

func runBench(t *testing.T, bin string, env []string, args ...string) ([]byte, int) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"bench"}, args...)...)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != 0 {
		return []byte(stderr.String()), code
	}
	return out, 0
}

// TestBenchNodeRealBinary offers a small load to a real node process and checks that every
// transfer was counted in, with latencies, the node's peak RSS and the machine reported.
func TestBenchNodeRealBinary(t *testing.T) {
	bin, env := benchBinary(t)
	out, code := runBench(t, bin, env, "node", "--rate", "400", "--duration", "2s", "--accounts", "40", "--json")
	if code != 0 {
		t.Fatalf("bench node exited %d: %s", code, out)
	}
	var rep benchNodeReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(rep.Runs) != 1 {
		t.Fatalf("runs: %+v", rep.Runs)
	}
	r := rep.Runs[0]
	if r.Sent != 800 || r.Rejected != 0 || r.Included != r.Sent || r.IncompleteAfter != "" {
		t.Fatalf("sent %d, rejected %d (%s), included %d, %s", r.Sent, r.Rejected, r.FirstSubmitErr, r.Included, r.IncompleteAfter)
	}
	if r.P50Ms <= 0 || r.P99Ms < r.P50Ms || r.MaxMs < r.P99Ms || r.P99Blocks != r.P99Ms/250 {
		t.Fatalf("latencies p50 %v p99 %v max %v (%v blocks)", r.P50Ms, r.P99Ms, r.MaxMs, r.P99Blocks)
	}
	if r.NodeRSSPeakMiB < 5 || r.IncludedTxPerS <= 0 || r.Blocks < 1 {
		t.Fatalf("node RSS %v MiB, %v tx/s, %d blocks", r.NodeRSSPeakMiB, r.IncludedTxPerS, r.Blocks)
	}
	if rep.Machine.CPU == "" || rep.Machine.Cores < 1 {
		t.Fatalf("machine: %+v", rep.Machine)
	}
}

// TestBenchOthersRealBinary runs the epoch, advance and keys benchmarks briefly.
func TestBenchOthersRealBinary(t *testing.T) {
	bin, env := benchBinary(t)
	// 400 blocks: enough to grow a new chain.db past its first pages, so bytes per block is measured.
	out, code := runBench(t, bin, env, "advance", "--blocks", "400", "--runs", "1", "--json")
	if code != 0 {
		t.Fatalf("bench advance exited %d: %s", code, out)
	}
	var adv benchAdvanceReport
	if err := json.Unmarshal(out, &adv); err != nil || len(adv.Runs) != 1 || adv.Runs[0].Seconds <= 0 || !adv.Durable || adv.Runs[0].BytesPerBlock <= 0 {
		t.Fatalf("advance report %s (%v)", out, err)
	}
	out, code = runBench(t, bin, env, "epoch", "--iterations", "3", "--rounds", "1", "--json")
	if code != 0 {
		t.Fatalf("bench epoch exited %d: %s", code, out)
	}
	var ep benchEpochReport
	if err := json.Unmarshal(out, &ep); err != nil || len(ep.Modes) != 2 || ep.Modes[0].MedianMs <= 0 || ep.Modes[1].MedianCPUMs <= 0 {
		t.Fatalf("epoch report %s (%v)", out, err)
	}
	out, code = runBench(t, bin, env, "keys", "--n", "5", "--rounds", "1", "--json")
	if code != 0 {
		t.Fatalf("bench keys exited %d: %s", code, out)
	}
	var keys benchKeysReport
	if err := json.Unmarshal(out, &keys); err != nil || len(keys.Ops) != 4 || keys.SignVsFloor <= 0 || keys.Ops[0].BtuiOpsPerS <= 0 {
		t.Fatalf("keys report %s (%v)", out, err)
	}
}

// TestBenchBadInput: bad flags exit 2 with a message naming the flag, and --peer without the
// packages says how to install them.
func TestBenchBadInput(t *testing.T) {
	bin, env := benchBinary(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"node", "--rate", "0"}, "--rate"},
		{[]string{"node", "--duration", "10ms"}, "--duration"},
		{[]string{"epoch", "--validators", "300"}, "--validators"},
		{[]string{"keys", "--peer", "--peer-dir", t.TempDir()}, "npm install"},
	} {
		out, code := runBench(t, bin, env, c.args...)
		if code != 2 || !strings.Contains(string(out), c.want) {
			t.Errorf("bench %v: exit %d, %s (want exit 2 naming %s)", c.args, code, out, c.want)
		}
	}
}
