package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

type devnetSnapshotOptions struct {
	f    *Factory
	ctx  context.Context
	name string
}

func newCmdDevnetSnapshot(f *Factory, runF func(*devnetSnapshotOptions) error) *cobra.Command {
	opts := &devnetSnapshotOptions{f: f}
	return &cobra.Command{
		Use:   "snapshot <name>",
		Short: "Save the devnet's current state under a name",
		Long: `Save a consistent copy of the devnet as of its last block under NAME (1 to 64 letters,
digits, '.', '_' or '-'), replacing a snapshot of that name. Bring it back with btui devnet
restore NAME; list them with btui devnet snapshots.

JSON (--json): {"name", "height", "head", "size_bytes"}.`,
		Example: `  btui devnet snapshot before-epoch`,
		Args:    chainArgs("a snapshot name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.name = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return devnetSnapshotRun(opts)
		},
	}
}

func devnetSnapshotRun(opts *devnetSnapshotOptions) error {
	f := opts.f
	c, err := f.Client()
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := c.Snapshot(opts.ctx, opts.name)
	if err != nil {
		return err
	}
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, s)
	}
	fmt.Fprintf(f.IO.Out, "snapshot %s saved at height %d (%s, %d bytes)\n", s.Name, s.Height, s.Head, s.SizeBytes)
	return nil
}
