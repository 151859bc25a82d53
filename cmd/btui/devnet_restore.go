package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

type devnetRestoreOptions struct {
	f    *Factory
	ctx  context.Context
	name string
}

func newCmdDevnetRestore(f *Factory, runF func(*devnetRestoreOptions) error) *cobra.Command {
	opts := &devnetRestoreOptions{f: f}
	return &cobra.Command{
		Use:   "restore <name>",
		Short: "Replace the devnet with a snapshot",
		Long: `Replace the devnet with the snapshot NAME: blocks after it are discarded and pending
transactions dropped; a running producer continues from the restored head. Asks for
confirmation; without a terminal pass --yes. Exits 5 when there is no such snapshot.

JSON (--json): {"name", "height", "head", "size_bytes"}.`,
		Example: `  btui devnet restore before-epoch --yes`,
		Args:    chainArgs("a snapshot name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.name = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return devnetRestoreRun(opts)
		},
	}
}

func devnetRestoreRun(opts *devnetRestoreOptions) error {
	f := opts.f
	c, err := f.Client()
	if err != nil {
		return err
	}
	defer f.Close()
	if err := confirmDestructive(f, fmt.Sprintf("restore snapshot %s on the %s: newer blocks are discarded", opts.name, endpointLabel(c))); err != nil {
		return err
	}
	s, err := c.Restore(opts.ctx, opts.name)
	if err != nil {
		return err
	}
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, s)
	}
	fmt.Fprintf(f.IO.Out, "restored snapshot %s: height %d (%s)\n", s.Name, s.Height, s.Head)
	return nil
}
