package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
)

type devnetInitOptions struct {
	f       *Factory
	ctx     context.Context
	genesis string
}

func newCmdDevnetInit(f *Factory, runF func(*devnetInitOptions) error) *cobra.Command {
	opts := &devnetInitOptions{f: f}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create the embedded devnet (from the devnet genesis or a genesis file)",
		Long: `Create the embedded devnet at --datadir: Alice, Bob and Charlie hold 1,000,000 TAO, Dave, Eve
and Ferdie 2,000 TAO, sudo is //Alice, 250 ms blocks; or the genesis of --genesis FILE (export
one with btui devnet genesis). Running it on an existing devnet only reports it (with
--genesis, the file must match the devnet's genesis; use btui devnet reset --genesis FILE to
start over from another one). Other commands create the devnet on first use too.

JSON (--json): {"datadir", "created", "chain_name", "genesis_hash", "height"}.`,
		Example: `  btui devnet init
  btui devnet init --datadir ./devnet --genesis genesis.json`,
		Args: chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return devnetInitRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.genesis, "genesis", "", "genesis JSON file (default: the devnet genesis)")
	return cmd
}

// devnetInitJSON is the stable output of `btui devnet init --json`.
type devnetInitJSON struct {
	DataDir     string        `json:"datadir"`
	Created     bool          `json:"created"`
	ChainName   string        `json:"chain_name"`
	GenesisHash protocol.Hash `json:"genesis_hash"`
	Height      uint64        `json:"height"`
}

func devnetInitRun(opts *devnetInitOptions) error {
	f := opts.f
	if u := f.NodeURL(); u != "" {
		return usageErrorf("devnet init creates the embedded devnet; the node at %s already has its chain (btui devnet reset --node %s starts it over)", u, u)
	}
	chainOpts := append([]localchain.Option(nil), f.ChainOptions...)
	if opts.genesis != "" {
		g, err := readGenesisFile(opts.genesis)
		if err != nil {
			return err
		}
		chainOpts = append(chainOpts, localchain.WithGenesis(g))
	}
	dir := f.DataDir()
	created := isEmptyDir(dir)
	e, err := chainclient.OpenEmbedded(dir, chainOpts...)
	if err != nil {
		return err
	}
	defer e.Close()
	info, err := e.Info(opts.ctx)
	if err != nil {
		return err
	}
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, devnetInitJSON{DataDir: dir, Created: created, ChainName: info.ChainName, GenesisHash: info.GenesisHash, Height: info.Height})
	}
	if created {
		fmt.Fprintf(f.IO.Out, "created devnet %s at %s\ngenesis %s\n", info.ChainName, dir, info.GenesisHash)
		return nil
	}
	fmt.Fprintf(f.IO.Out, "devnet %s already exists at %s (height %d)\ngenesis %s\n", info.ChainName, dir, info.Height, info.GenesisHash)
	return nil
}

// isEmptyDir reports a directory that does not exist or holds nothing.
func isEmptyDir(dir string) bool {
	ents, err := os.ReadDir(dir)
	return errors.Is(err, os.ErrNotExist) || (err == nil && len(ents) == 0)
}
