package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/btui/btui/mechanism"
	"github.com/spf13/cobra"
)

// newCmdMechanism groups the commands that run the mechanism's mathematics without a chain.
func newCmdMechanism(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mechanism",
		Short: "Run the consensus mechanism offline (no chain needed)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newCmdMechanismEpoch(f, nil))
	return cmd
}

type mechanismEpochOptions struct {
	IO *IOStreams
	// Path is the input file; empty or "-" reads standard input.
	Path string
}

func newCmdMechanismEpoch(f *Factory, runF func(*mechanismEpochOptions) error) *cobra.Command {
	opts := &mechanismEpochOptions{IO: f.IO}
	var inFlag string
	cmd := &cobra.Command{
		Use:   "epoch [FILE]",
		Short: "Run one Yuma Consensus epoch on a subnet state given as JSON",
		Long: `Run exactly the epoch the chain runs on one subnet's state and print the result as JSON.

The input (FILE, --in FILE, or standard input) follows the schema of spec/mechanism.md Part A:
block, raoEmission, lastMechanismStepBlock, ownerUid, hyperparameters (every field optional,
defaults are subtensor's runtime defaults) and neurons (uids 0..n-1 in order, each with stake,
lastUpdate, registeredAt, validatorPermit, weights and bonds as [[uid, value], ...] u16 rows).
The output lists per uid: active, stakeWeight, rank, trust, consensus, incentive, dividends,
validatorTrust (u16 as stored), serverEmission, validatorEmission, emission (rao), the new
validatorPermit and the new bonds row. Feeding validatorPermit and bonds back with new weights
and a later block runs the next epoch.

The output is always JSON. Invalid input exits with code 2 and names the offending field.`,
		Example: `  btui mechanism epoch subnet.json
  btui mechanism epoch --in subnet.json
  cat subnet.json | btui mechanism epoch`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("accepts at most 1 arg (the input FILE), received %d", len(args))
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
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
			return mechanismEpochRun(opts)
		},
	}
	cmd.Flags().StringVar(&inFlag, "in", "", "read the input JSON from `FILE` (\"-\" for standard input)")
	return cmd
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
