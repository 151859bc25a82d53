package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type devnetSnapshotsOptions struct {
	f   *Factory
	ctx context.Context
}

func newCmdDevnetSnapshots(f *Factory, runF func(*devnetSnapshotsOptions) error) *cobra.Command {
	opts := &devnetSnapshotsOptions{f: f}
	return &cobra.Command{
		Use:   "snapshots",
		Short: "List the devnet's snapshots",
		Long: `List the stored snapshots by name with the height and head they hold.

JSON (--json): {"snapshots": [{"name", "height", "head", "size_bytes"}...]}.`,
		Args: chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return devnetSnapshotsRun(opts)
		},
	}
}

// devnetSnapshotsJSON is the stable output of `btui devnet snapshots --json`.
type devnetSnapshotsJSON struct {
	Snapshots []protocol.SnapshotInfo `json:"snapshots"`
}

func devnetSnapshotsRun(opts *devnetSnapshotsOptions) error {
	f := opts.f
	c, err := f.Client()
	if err != nil {
		return err
	}
	defer f.Close()
	list, err := c.Snapshots(opts.ctx)
	if err != nil {
		return err
	}
	if list == nil {
		list = []protocol.SnapshotInfo{}
	}
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, devnetSnapshotsJSON{Snapshots: list})
	}
	if len(list) == 0 {
		fmt.Fprintln(f.IO.ErrOut, "no snapshots: make one with btui devnet snapshot NAME")
		return nil
	}
	w := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tHEIGHT\tHEAD\tSIZE")
	for _, s := range list {
		fmt.Fprintf(w, "%s\t%d\t%s\t%d\n", s.Name, s.Height, shortHash(s.Head), s.SizeBytes)
	}
	return w.Flush()
}
