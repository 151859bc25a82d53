package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type devnetAdvanceOptions struct {
	f   *Factory
	ctx context.Context
	n   uint64
}

// maxAdvance bounds one advance (about four weeks of 250 ms blocks).
const maxAdvance = 10_000_000

func newCmdDevnetAdvance(f *Factory, runF func(*devnetAdvanceOptions) error) *cobra.Command {
	opts := &devnetAdvanceOptions{f: f}
	return &cobra.Command{
		Use:   "advance <blocks>",
		Short: "Produce N blocks now, running every block step and epoch",
		Long: `Produce N blocks at once, as fast as the machine allows: every block step runs (emission,
epochs that fall due) and pending transactions are included. Progress is drawn on stderr when
it is a terminal. Ctrl-C stops after the blocks in progress (exit 130).

JSON (--json): {"blocks": N, "from": height before, "head": header, "elapsed_ms"}.`,
		Example: `  btui devnet advance 10
  btui devnet advance 7200 --json`,
		Args: chainArgs("a block count"),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := strconv.ParseUint(strings.ReplaceAll(args[0], "_", ""), 10, 64)
			if err != nil || n == 0 || n > maxAdvance {
				return usageErrorf("block count %q: give a whole number from 1 to %d", args[0], maxAdvance)
			}
			opts.ctx, opts.n = cmd.Context(), n
			if runF != nil {
				return runF(opts)
			}
			return devnetAdvanceRun(opts)
		},
	}
}

// devnetAdvanceJSON is the stable output of `btui devnet advance --json`.
type devnetAdvanceJSON struct {
	Blocks    uint64               `json:"blocks"`
	From      uint64               `json:"from"`
	Head      protocol.BlockHeader `json:"head"`
	ElapsedMs int64                `json:"elapsed_ms"`
}

func devnetAdvanceRun(opts *devnetAdvanceOptions) error {
	f := opts.f
	c, info, err := chainHead(opts.ctx, f)
	if err != nil {
		return err
	}
	defer f.Close()
	var progress func(done, total uint64)
	drawn := false
	if stderrIsTerminal(f.IO) {
		var last time.Time
		progress = func(done, total uint64) {
			if done != total && time.Since(last) < 100*time.Millisecond {
				return
			}
			last = time.Now()
			drawn = true
			fmt.Fprintf(f.IO.ErrOut, "\radvancing: %d/%d blocks (%d%%)", done, total, done*100/total)
		}
	}
	start := time.Now()
	head, err := c.Advance(opts.ctx, opts.n, progress)
	elapsed := time.Since(start)
	if drawn {
		fmt.Fprintln(f.IO.ErrOut)
	}
	if err != nil {
		if head.Height > info.Height {
			fmt.Fprintf(f.IO.ErrOut, "produced %d of %d blocks (head #%d)\n", head.Height-info.Height, opts.n, head.Height)
		}
		return err
	}
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, devnetAdvanceJSON{Blocks: opts.n, From: info.Height, Head: head, ElapsedMs: elapsed.Milliseconds()})
	}
	rate := float64(opts.n) / max(elapsed.Seconds(), 1e-9)
	fmt.Fprintf(f.IO.Out, "advanced %d blocks: #%d → #%d %s in %s (%.0f blocks/s)\n",
		opts.n, info.Height, head.Height, head.Hash, elapsed.Round(time.Millisecond), rate)
	return nil
}
