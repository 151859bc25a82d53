package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
)

type benchAdvanceOptions struct {
	f      *Factory
	ctx    context.Context
	blocks uint64
	runs   int
	from   string
}

func newCmdBenchAdvance(f *Factory) *cobra.Command {
	opts := &benchAdvanceOptions{f: f}
	cmd := &cobra.Command{
		Use:   "advance",
		Short: "Time advancing a fresh devnet by durable blocks through a real node",
		Long: `Start this binary's own 'btui node' (blocks only on demand) on a temporary devnet from the
devnet genesis and ask it over HTTP to advance --blocks blocks. Every block is committed with
fsync, as the node always commits. Reported per run: the time, blocks per second, the bytes
the datadir grew by per block, the node's CPU time and peak RSS, and the machine. The blocks
are empty apart from the block step of the devnet's subnets.

With --from DIR the node runs on a copy of the datadir DIR instead (DIR itself is not touched),
for example the 64 subnets × 256 neurons network the localchain benchmarks build (write it with
BENCH_BIGNET_DIR=DIR go test ./localchain -run TestBigNetDatadirFixture): the peak RSS is then
that of a node running their epochs.`,
		Example: `  btui bench advance
  btui bench advance --blocks 7200 --runs 3 --json
  btui bench advance --from ./bignet --blocks 400 --runs 1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if opts.blocks < 1 || opts.runs < 1 {
				return usageErrorf("--blocks and --runs must be at least 1")
			}
			if opts.from != "" {
				if st, err := os.Stat(opts.from); err != nil || !st.IsDir() {
					return usageErrorf("--from %s: not a datadir (%v)", opts.from, err)
				}
			}
			return benchAdvanceRun(opts)
		},
	}
	cmd.Flags().Uint64Var(&opts.blocks, "blocks", 7200, "blocks to advance")
	cmd.Flags().IntVar(&opts.runs, "runs", 3, "runs, each on a fresh node")
	cmd.Flags().StringVar(&opts.from, "from", "", "run the node on a copy of this datadir instead of a fresh devnet")
	return cmd
}

type benchAdvanceResult struct {
	Run            int     `json:"run"`
	Seconds        float64 `json:"seconds"`
	BlocksPerS     float64 `json:"blocks_per_s"`
	BytesPerBlock  float64 `json:"datadir_bytes_per_block"`
	NodeCPUSeconds float64 `json:"node_cpu_s"`
	NodeRSSPeakMiB float64 `json:"node_rss_peak_mib"`
}

type benchAdvanceReport struct {
	Benchmark string               `json:"benchmark"`
	Command   string               `json:"command"`
	Machine   *benchMachine        `json:"machine"`
	Blocks    uint64               `json:"blocks"`
	Durable   bool                 `json:"durable"`
	Runs      []benchAdvanceResult `json:"runs"`
	MedianS   float64              `json:"median_s"`
}

func benchAdvanceRun(opts *benchAdvanceOptions) error {
	f := opts.f
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this binary to start the node: %w", err)
	}
	rep := &benchAdvanceReport{Benchmark: "advance", Command: "btui " + strings.Join(os.Args[1:], " "),
		Machine: newBenchMachine(), Blocks: opts.blocks, Durable: true}
	var secs []float64
	for run := 1; run <= opts.runs; run++ {
		r, err := benchAdvanceOnce(opts, self)
		if err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		r.Run = run
		rep.Runs = append(rep.Runs, *r)
		secs = append(secs, r.Seconds)
		if !f.Opts.JSON {
			fmt.Fprintf(f.IO.Out, "run %d: %d durable blocks in %.2f s (%.0f blocks/s), %.0f B/block on disk; node %.1f s CPU, peak RSS %.1f MiB\n",
				run, opts.blocks, r.Seconds, r.BlocksPerS, r.BytesPerBlock, r.NodeCPUSeconds, r.NodeRSSPeakMiB)
		}
	}
	rep.MedianS = benchMedian(secs)
	rep.Machine.done()
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, rep)
	}
	fmt.Fprintf(f.IO.Out, "median %.2f s for %d blocks\n", rep.MedianS, opts.blocks)
	rep.Machine.print(f.IO.Out)
	return nil
}

func benchAdvanceOnce(opts *benchAdvanceOptions, self string) (*benchAdvanceResult, error) {
	dir, err := os.MkdirTemp("", "btui-bench-advance-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if opts.from != "" {
		if err := os.CopyFS(filepath.Join(dir, "devnet"), os.DirFS(opts.from)); err != nil {
			return nil, fmt.Errorf("copy --from %s: %w", opts.from, err)
		}
	}
	node, err := startBenchNode(opts.ctx, self, dir, nil, 0)
	if err != nil {
		return nil, err
	}
	defer node.stop()
	remote, err := chainclient.NewRemote(node.info.URL)
	if err != nil {
		return nil, err
	}
	defer remote.Close()
	size0 := dirSize(filepath.Join(dir, "devnet"))
	cpu0 := node.cpuSeconds()
	t0 := time.Now()
	if _, err := remote.Advance(opts.ctx, opts.blocks, nil); err != nil {
		return nil, err
	}
	el := time.Since(t0)
	r := &benchAdvanceResult{Seconds: el.Seconds(), BlocksPerS: float64(opts.blocks) / el.Seconds(),
		BytesPerBlock:  float64(dirSize(filepath.Join(dir, "devnet"))-size0) / float64(opts.blocks),
		NodeCPUSeconds: node.cpuSeconds() - cpu0}
	if kb, err := procStatusKiB(node.cmd.Process.Pid, "VmHWM"); err == nil {
		r.NodeRSSPeakMiB = float64(kb) / 1024
	}
	return r, nil
}

// dirSize is the total size of the regular files under dir.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
