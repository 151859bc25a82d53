package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
)

// newCmdMechanism groups the commands that run the mechanism's mathematics without a chain.
func newCmdMechanism(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mechanism",
		Short: "Run the consensus mechanism offline, or export a devnet epoch's input",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newCmdMechanismEpoch(f, nil))
	return cmd
}

type mechanismEpochOptions struct {
	IO *IOStreams
	// Path is the input file; empty or "-" reads standard input.
	Path string
	// Chain mode (--netuid): export the epoch input the devnet used in Block (0: its next
	// epoch); Run prints the chain's output instead.
	f         *Factory
	ctx       context.Context
	FromChain bool
	Netuid    uint16
	Block     uint64
	Run       bool
}

func newCmdMechanismEpoch(f *Factory, runF func(*mechanismEpochOptions) error) *cobra.Command {
	opts := &mechanismEpochOptions{IO: f.IO, f: f}
	var inFlag string
	cmd := &cobra.Command{
		Use:   "epoch [FILE]",
		Short: "Run one Yuma Consensus epoch on a subnet state given as JSON",
		Long: `Run exactly the epoch the chain runs on one subnet's state and print the result as JSON.

The input (FILE, --in FILE, or standard input) follows the schema in docs/mechanism-epoch.md (example: examples/mechanism/epoch-graph.json):
block, raoEmission, lastMechanismStepBlock, ownerUid, hyperparameters (every field optional,
defaults are subtensor's runtime defaults) and neurons (uids 0..n-1 in order, each with stake,
lastUpdate, registeredAt, validatorPermit, weights and bonds as [[uid, value], ...] u16 rows).
The output lists per uid: active, stakeWeight, rank, trust, consensus, incentive, dividends,
validatorTrust (u16 as stored), serverEmission, validatorEmission, emission (rao), the new
validatorPermit and the new bonds row. Feeding validatorPermit and bonds back with new weights
and a later block runs the next epoch.

With --netuid N the input comes from the devnet instead (--datadir, or BTUI_DATADIR): the exact
input subnet N's epoch was fed in block --block B, read after that block's coinbase (the chain's
blocks before B are re-executed in a temporary directory, each checked against the stored
header), or, without --block or for a block after the head, the input of the epoch the chain
will run next if no transaction lands before it. It is printed in the schema above, so
"btui mechanism epoch" run on it gives the chain's result; --run prints that result (the
output the chain computed) instead. A block in which the subnet runs no epoch exits with code 5
and names the next one. This reads the devnet's database: it does not work with --node.

The output is always JSON. Invalid input exits with code 2 and names the offending field.`,
		Example: `  btui mechanism epoch subnet.json
  btui mechanism epoch --in subnet.json
  cat subnet.json | btui mechanism epoch
  btui mechanism epoch --netuid 2 > next.json
  btui mechanism epoch --netuid 2 --block 130 | btui mechanism epoch
  btui mechanism epoch --netuid 2 --block 130 --run`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("accepts at most 1 arg (the input FILE), received %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx = cmd.Context()
			opts.FromChain = cmd.Flags().Changed("netuid")
			switch {
			case opts.FromChain && (len(args) == 1 || inFlag != ""):
				return usageErrorf("give either an input (FILE or --in) or --netuid to read it from the devnet, not both")
			case !opts.FromChain && (cmd.Flags().Changed("block") || opts.Run):
				return usageErrorf("--block and --run read the devnet: give --netuid N too")
			case opts.FromChain && cmd.Flags().Changed("block") && opts.Block == 0:
				return usageErrorf("--block 0 is the genesis, which runs no epoch: give a block >= 1, or leave --block out for the next epoch")
			}
			switch {
			case len(args) == 1 && inFlag != "" && args[0] != inFlag:
				return usageErrorf("give the input either as FILE or with --in, not both")
			case len(args) == 1:
				opts.Path = args[0]
			default:
				opts.Path = inFlag
			}
			if runF != nil {
				return runF(opts)
			}
			if opts.FromChain {
				return mechanismEpochFromChain(opts)
			}
			return mechanismEpochRun(opts)
		},
	}
	cmd.Flags().StringVar(&inFlag, "in", "", "read the input JSON from `FILE` (\"-\" for standard input)")
	cmd.Flags().Uint16Var(&opts.Netuid, "netuid", 0, "export subnet `N`'s epoch input from the devnet instead of reading one")
	cmd.Flags().Uint64Var(&opts.Block, "block", 0, "with --netuid: the epoch of block `B` (default: the next epoch)")
	cmd.Flags().BoolVar(&opts.Run, "run", false, "with --netuid: print the epoch's output (what the chain computed) instead of its input")
	return cmd
}

// mechanismEpochFromChain exports a subnet's epoch input (or output) from the devnet.
func mechanismEpochFromChain(opts *mechanismEpochOptions) error {
	c, err := opts.f.Client()
	if err != nil {
		if errors.Is(err, chainclient.ErrInvalidURL) {
			return usageErrorf("--node: %v", err)
		}
		return err
	}
	defer opts.f.Close()
	e, ok := c.(*chainclient.Embedded)
	if !ok {
		return usageErrorf("--netuid reads the devnet's database, which a node (--node) does not serve: run it where the devnet's directory is (--datadir), with the node stopped or on a snapshot")
	}
	ch := e.Chain()
	if _, err := ch.Subnet(opts.Netuid); err != nil {
		return chainErr(err)
	}
	scratch, err := os.MkdirTemp("", "btui-epoch-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	rec, err := ch.EpochAt(opts.ctx, opts.Netuid, opts.Block, filepath.Join(scratch, "chain"))
	if errors.Is(err, protocol.ErrNoEpochInBlock) {
		return withCode(ExitNotFound, err)
	}
	if err != nil {
		return chainErr(err)
	}
	when := fmt.Sprintf("ran in block %d", rec.Block)
	if !rec.Ran {
		when = fmt.Sprintf("will run in block %d (head %d) if no transaction lands before it", rec.Block, ch.Head().Height)
	}
	fmt.Fprintf(opts.IO.ErrOut, "subnet %d: the epoch that %s\n", opts.Netuid, when)
	if opts.Run {
		b, err := encodeEpochOutput(rec.Output)
		if err != nil {
			return err
		}
		_, err = opts.IO.Out.Write(b)
		return err
	}
	b, err := json.MarshalIndent(rec.Input, "", "  ")
	if err != nil {
		return fmt.Errorf("encode epoch input: %w", err)
	}
	_, err = opts.IO.Out.Write(append(b, '\n'))
	return err
}

func mechanismEpochRun(opts *mechanismEpochOptions) error {
	data, err := readEpochInput(opts)
	if err != nil {
		return err
	}
	in, err := mechanism.ParseEpochInput(data)
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("epoch input: %w", err))
	}
	out, err := mechanism.Epoch(in)
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("epoch input: %w", err))
	}
	b, err := encodeEpochOutput(out)
	if err != nil {
		return err
	}
	_, err = opts.IO.Out.Write(b)
	return err
}

// encodeEpochOutput writes {"neurons": [...]} with one compact neuron per line, so that large
// subnets stay readable and diffable.
func encodeEpochOutput(out mechanism.EpochOutput) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("{\"neurons\": [")
	for i, n := range out.Neurons {
		b, err := json.Marshal(n)
		if err != nil {
			return nil, fmt.Errorf("encode epoch output: %w", err)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n  ")
		buf.Write(b)
	}
	if len(out.Neurons) > 0 {
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	return buf.Bytes(), nil
}

func readEpochInput(opts *mechanismEpochOptions) ([]byte, error) {
	if opts.Path == "" || opts.Path == "-" {
		if opts.IO.IsStdinTTY() {
			return nil, usageErrorf("no input: give FILE, --in FILE, or pipe the JSON on standard input")
		}
		data, err := opts.IO.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("read standard input: %w", err)
		}
		return data, nil
	}
	data, err := os.ReadFile(opts.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, usageErrorf("input file %s does not exist; check the path", opts.Path)
	}
	if err != nil {
		return nil, usageErrorf("read input file: %v", err)
	}
	return data, nil
}
