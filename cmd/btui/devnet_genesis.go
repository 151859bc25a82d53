package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

type devnetGenesisOptions struct {
	f   *Factory
	ctx context.Context
}

func newCmdDevnetGenesis(f *Factory, runF func(*devnetGenesisOptions) error) *cobra.Command {
	opts := &devnetGenesisOptions{f: f}
	return &cobra.Command{
		Use:   "genesis",
		Short: "Print the devnet's genesis as JSON (to edit and pass to init or reset)",
		Long: `Print the devnet's genesis as canonical JSON: chain name, logical genesis time, block time,
sudo, parameters, endowed accounts and module sections. Edit it and start a devnet from it with
btui devnet init --genesis FILE (new datadir) or btui devnet reset --genesis FILE.

The output is JSON with or without --json.`,
		Example: `  btui devnet genesis > genesis.json`,
		Args:    chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return devnetGenesisRun(opts)
		},
	}
}

func devnetGenesisRun(opts *devnetGenesisOptions) error {
	f := opts.f
	c, err := f.Client()
	if err != nil {
		return err
	}
	defer f.Close()
	g, err := c.Genesis(opts.ctx)
	if err != nil {
		return err
	}
	b, err := g.Canonical()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f.IO.Out, "%s\n", b)
	return err
}
