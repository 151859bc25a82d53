package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

type chainCheckOptions struct {
	f   *Factory
	ctx context.Context
}

func newCmdChainCheck(f *Factory, runF func(*chainCheckOptions) error) *cobra.Command {
	opts := &chainCheckOptions{f: f}
	return &cobra.Command{
		Use:   "check",
		Short: "Check every chain invariant and verify the stored blocks",
		Long: `Run every invariant of the chain on its committed state (TAO conserved: issuance equals free
balances plus everything the modules hold; no account below the existential deposit; module
invariants) and verify the stored block chain (heights, parent hashes, logical timestamps,
transaction index). Exits 1 when anything fails. It also reports the temporary files a killed
run left in the devnet directory (snapshots/*.db.tmp, chain.db.restore): opening the devnet
removes them, and check lists what was removed.

JSON (--json): {"ok": bool, "height": N, "error": "..." (when not ok), "removed_leftovers":
[{"path", "size_bytes"}] (when any)}.`,
		Example: `  btui chain check`,
		Args:    chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return chainCheckRun(opts)
		},
	}
}

// chainCheckJSON is the stable output of `btui chain check --json`.
type chainCheckJSON struct {
	OK     bool   `json:"ok"`
	Height uint64 `json:"height"`
	Error  string `json:"error,omitempty"`
	// Leftovers are the files of interrupted runs removed when the devnet was opened.
	Leftovers []protocol.Leftover `json:"removed_leftovers,omitempty"`
}

func chainCheckRun(opts *chainCheckOptions) error {
	f := opts.f
	c, info, err := chainHead(opts.ctx, f)
	if err != nil {
		return err
	}
	defer f.Close()
	walletCleanupNotice(f)
	checkErr := c.Check(opts.ctx)
	var leftovers []protocol.Leftover
	if e, ok := c.(*chainclient.Embedded); ok {
		leftovers = e.Chain().Leftovers()
		for _, l := range leftovers {
			fmt.Fprintf(f.IO.ErrOut, "removed %s (%d bytes), left by an interrupted snapshot or restore\n", l.Path, l.Size)
		}
	}
	if f.Opts.JSON {
		out := chainCheckJSON{OK: checkErr == nil, Height: info.Height, Leftovers: leftovers}
		if checkErr != nil {
			out.Error = checkErr.Error()
		}
		if err := chainPrintJSON(f.IO.Out, out); err != nil {
			return err
		}
	}
	if checkErr != nil {
		return fmt.Errorf("chain check failed at height %d: %w", info.Height, checkErr)
	}
	if !f.Opts.JSON {
		fmt.Fprintf(f.IO.Out, "ok: every invariant holds and blocks 0..%d verify (%s)\n", info.Height, endpointLabel(c))
	}
	return nil
}
