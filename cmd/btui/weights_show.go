package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

type weightsShowOptions struct {
	f   *Factory
	ctx context.Context

	Netuid uint16
	UID    int
	Bonds  bool
}

func newCmdWeightsShow(f *Factory, runF func(*weightsShowOptions) error) *cobra.Command {
	opts := &weightsShowOptions{f: f, UID: -1}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Show the stored weights (or bonds) of a subnet",
		Long: `Show every uid's stored weight row on a subnet (max-upscaled u16 values), or its bonds with
--bonds; --uid shows one row. On a subtensor node (--network) only the stored rows are read: a
uid without weights has no row there, and an unknown subnet or uid shows none.

JSON (--json): {"netuid", "kind": "weights"|"bonds", "rows": [{"uid", "entries": [[uid, value]...]}]}
(each entry a [uid, value] pair of u16).`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet"); err != nil {
				return err
			}
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return weightsShowRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	cmd.Flags().IntVar(&opts.UID, "uid", -1, "only this uid's row")
	cmd.Flags().BoolVar(&opts.Bonds, "bonds", false, "show bonds instead of weights")
	return cmd
}

type weightsShowJSON struct {
	Netuid uint16               `json:"netuid"`
	Kind   string               `json:"kind"`
	Rows   []protocol.MatrixRow `json:"rows"`
}

func weightsShowRun(o *weightsShowOptions) error {
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	// On a subtensor node the rows are read from the subnet's storage prefix alone: the subnet's
	// size would need its whole metagraph, so an unknown subnet or uid shows no rows (and says
	// so) instead of exit 5.
	_, onSubtensor := s.c.(*chainclient.Subtensor)
	if o.UID < -1 {
		return withCode(ExitNotFound, fmt.Errorf("uid %d does not exist on subnet %d", o.UID, o.Netuid))
	}
	if !onSubtensor {
		si, err := s.subnetInfo(o.Netuid)
		if err != nil {
			return err
		}
		if o.UID >= int(si.Neurons) {
			return withCode(ExitNotFound, fmt.Errorf("uid %d does not exist on subnet %d (it has %d uids)", o.UID, o.Netuid, si.Neurons))
		}
	}
	kind := "weights"
	var rows []protocol.MatrixRow
	if o.Bonds {
		kind = "bonds"
		rows, err = s.m.Bonds(s.ctx, o.Netuid)
	} else {
		rows, err = s.m.Weights(s.ctx, o.Netuid)
	}
	if err != nil {
		return chainErr(err)
	}
	out := weightsShowJSON{Netuid: o.Netuid, Kind: kind, Rows: []protocol.MatrixRow{}}
	for _, r := range rows {
		if o.UID < 0 || int(r.UID) == o.UID {
			out.Rows = append(out.Rows, r)
		}
	}
	return printJSONOr(o.f, out, func(w io.Writer) {
		fmt.Fprintf(w, "%s of subnet %d\n", kind, o.Netuid)
		if onSubtensor && len(out.Rows) == 0 {
			fmt.Fprintf(w, "no stored %s row: the node keeps none for a uid without %s, or the subnet or uid does not exist\n", kind, kind)
		}
		for _, r := range out.Rows {
			fmt.Fprintf(w, "uid %-4d", r.UID)
			if len(r.Entries) == 0 {
				fmt.Fprint(w, " -")
			}
			for _, e := range r.Entries {
				fmt.Fprintf(w, " %d:%d", e.UID, e.Value)
			}
			fmt.Fprintln(w)
		}
	})
}
