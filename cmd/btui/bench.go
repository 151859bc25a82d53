package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

func newCmdBench(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the node, the epoch, advance and key operations on this machine",
		Long: `Benchmarks of the real thing, with the machine they ran on (CPU model, cores, load average
before and after) in every report, human-readable or one JSON document with --json.

  bench node     starts this binary's own 'btui node' on a temporary devnet with pre-funded
                 accounts and offers signed transfers over HTTP at a fixed rate: included tx/s,
                 inclusion latency (p50/p99/max in ms and blocks), peak RSS of the node process
  bench epoch    one Yuma epoch of a 256-uid subnet (64 validators), classic and Yuma3 with
                 liquid alpha
  bench advance  advances a temporary devnet with durable blocks (fsync on)
  bench keys     sign, verify and derive; --peer runs polkadot.js util-crypto alongside

The machine is shared with whatever else runs on it: compare the load average in the report.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newCmdBenchNode(f), newCmdBenchEpoch(f), newCmdBenchAdvance(f), newCmdBenchKeys(f))
	return cmd
}

// benchMachine describes where a benchmark ran.
type benchMachine struct {
	CPU         string     `json:"cpu"`
	Cores       int        `json:"cores"`
	GoVersion   string     `json:"go_version"`
	LoadBefore  [3]float64 `json:"load_before"`
	LoadAfter   [3]float64 `json:"load_after"`
	StartedUTC  string     `json:"started_utc"`
	DurationSec float64    `json:"duration_s"`
	started     time.Time
}

func newBenchMachine() *benchMachine {
	return &benchMachine{
		CPU: cpuModel(), Cores: runtime.NumCPU(), GoVersion: runtime.Version(),
		LoadBefore: loadAvg(), StartedUTC: time.Now().UTC().Format(time.RFC3339), started: time.Now(),
	}
}

// done records the load average and the duration at the end of the benchmark.
func (m *benchMachine) done() {
	m.LoadAfter = loadAvg()
	m.DurationSec = time.Since(m.started).Seconds()
}

func (m *benchMachine) print(w io.Writer) {
	fmt.Fprintf(w, "machine: %s, %d cores, %s; load average %.2f %.2f %.2f before, %.2f %.2f %.2f after\n",
		m.CPU, m.Cores, m.GoVersion, m.LoadBefore[0], m.LoadBefore[1], m.LoadBefore[2],
		m.LoadAfter[0], m.LoadAfter[1], m.LoadAfter[2])
}

// cpuModel is the first "model name" of /proc/cpuinfo ("unknown" elsewhere).
func cpuModel() string {
	fh, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown (" + runtime.GOARCH + ")"
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown (" + runtime.GOARCH + ")"
}

// loadAvg is /proc/loadavg's 1, 5 and 15 minute averages (zeros where there is none).
func loadAvg() [3]float64 {
	var l [3]float64
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return l
	}
	_, _ = fmt.Sscanf(string(b), "%f %f %f", &l[0], &l[1], &l[2])
	return l
}

// procStatusKiB returns a "Key: N kB" field of /proc/PID/status in KiB.
func procStatusKiB(pid int, key string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err != nil {
				return 0, fmt.Errorf("parse %s of process %d: %w", key, pid, err)
			}
			return kb, nil
		}
	}
	return 0, fmt.Errorf("process %d has no %s in /proc (not Linux?)", pid, key)
}

// benchQuantiles returns the p50, p99 and max of xs (sorted in place); zeros when empty.
func benchQuantiles(xs []float64) (p50, p99, mx float64) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	slices.Sort(xs)
	at := func(q float64) float64 { return xs[int(q*float64(len(xs)-1))] }
	return at(0.50), at(0.99), xs[len(xs)-1]
}

// benchMedian returns the median of xs (sorted in place).
func benchMedian(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}
