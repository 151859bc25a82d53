package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

type devnetPauseOptions struct {
	f   *Factory
	ctx context.Context
}

func newCmdDevnetPause(f *Factory, runF func(*devnetPauseOptions) error) *cobra.Command {
	opts := &devnetPauseOptions{f: f}
	return &cobra.Command{
		Use:   "pause",
		Short: "Stop producers from sealing blocks on their own",
		Long: `Set the devnet's stored pause flag: a running producer (btui node, the TUI) and any later one
seal no blocks on their own until btui devnet resume. Explicit blocks still happen (btui devnet
advance, the block a one-shot command seals for its transaction).

JSON (--json): {"paused": true, "endpoint"}.`,
		Example: `  btui devnet pause --node http://127.0.0.1:9944`,
		Args:    chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return devnetSetPaused(opts.ctx, opts.f, true)
		},
	}
}

// devnetPausedJSON is the stable output of `btui devnet pause|resume --json`.
type devnetPausedJSON struct {
	Paused   bool   `json:"paused"`
	Endpoint string `json:"endpoint"`
}

// devnetSetPaused runs pause and resume.
func devnetSetPaused(ctx context.Context, f *Factory, paused bool) error {
	c, err := f.Client()
	if err != nil {
		return err
	}
	defer f.Close()
	if paused {
		err = c.Pause(ctx)
	} else {
		err = c.Resume(ctx)
	}
	if err != nil {
		return err
	}
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, devnetPausedJSON{Paused: paused, Endpoint: c.Endpoint()})
	}
	if paused {
		fmt.Fprintf(f.IO.Out, "paused %s: no blocks on their own until btui devnet resume\n", endpointLabel(c))
	} else {
		fmt.Fprintf(f.IO.Out, "resumed %s\n", endpointLabel(c))
	}
	return nil
}
