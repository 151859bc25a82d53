package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

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
--bonds; --uid shows one row.

JSON (--json): {"netuid", "kind": "weights"|"bonds", "rows": [{"uid", "entries": [{"UID", "Value"}]}]}.`,
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
	si, err := s.subnetInfo(o.Netuid)
	if err != nil {
		return err
	}
	if o.UID >= int(si.Neurons) || o.UID < -1 {
		return withCode(ExitNotFound, fmt.Errorf("uid %d does not exist on subnet %d (it has %d uids)", o.UID, o.Netuid, si.Neurons))
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
