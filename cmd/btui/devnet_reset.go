package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type devnetResetOptions struct {
	f       *Factory
	ctx     context.Context
	genesis string
}

func newCmdDevnetReset(f *Factory, runF func(*devnetResetOptions) error) *cobra.Command {
	opts := &devnetResetOptions{f: f}
	cmd := &cobra.Command{
		Use:   "reset",
		Short: "Discard every block and start the devnet over from genesis",
		Long: `Discard every block and all state and start again from the devnet's genesis, or from
--genesis FILE. Pending transactions are dropped; snapshots are kept. Asks for confirmation;
without a terminal pass --yes.

JSON (--json): {"genesis_hash", "head": header}.`,
		Example: `  btui devnet reset --yes
  btui devnet reset --genesis genesis.json --node http://127.0.0.1:9944 --yes`,
		Args: chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return devnetResetRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.genesis, "genesis", "", "start over from this genesis JSON file")
	return cmd
}

// devnetResetJSON is the stable output of `btui devnet reset --json`.
type devnetResetJSON struct {
	GenesisHash protocol.Hash        `json:"genesis_hash"`
	Head        protocol.BlockHeader `json:"head"`
}

func devnetResetRun(opts *devnetResetOptions) error {
	f := opts.f
	var g *protocol.Genesis
	if opts.genesis != "" {
		var err error
		if g, err = readGenesisFile(opts.genesis); err != nil {
			return err
		}
	}
	c, err := f.Client()
	if err != nil {
		return err
	}
	defer f.Close()
	if err := confirmDestructive(f, fmt.Sprintf("reset the %s: every block is discarded (snapshots are kept)", endpointLabel(c))); err != nil {
		return err
	}
	head, err := c.Reset(opts.ctx, g)
	if err != nil {
		return err
	}
	info, err := c.Info(opts.ctx)
	if err != nil {
		return err
	}
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, devnetResetJSON{GenesisHash: info.GenesisHash, Head: head})
	}
	fmt.Fprintf(f.IO.Out, "devnet reset: height %d, genesis %s\n", head.Height, info.GenesisHash)
	return nil
}
