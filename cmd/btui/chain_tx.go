package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type chainTxOptions struct {
	f    *Factory
	ctx  context.Context
	hash string
}

func newCmdChainTx(f *Factory, runF func(*chainTxOptions) error) *cobra.Command {
	opts := &chainTxOptions{f: f}
	return &cobra.Command{
		Use:   "tx <hash>",
		Short: "Show an included transaction with its receipt and events",
		Long: `Show an included transaction: block and position, signer, nonce, tip, expiry, the call with
its arguments, the receipt (ok, or the failure code and message; the fee is paid either way)
and its events. Exits 5 when no block includes it.

JSON (--json): the tx object described in btui chain block --help.`,
		Example: `  btui chain tx 0x5c0e…`,
		Args:    chainArgs("a transaction hash"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.hash = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return chainTxRun(opts)
		},
	}
}

func chainTxRun(opts *chainTxOptions) error {
	h, err := parseTxHash(opts.hash)
	if err != nil {
		return err
	}
	f := opts.f
	c, err := f.Client()
	if err != nil {
		return err
	}
	defer f.Close()
	tx, err := c.Tx(opts.ctx, h)
	if errors.Is(err, protocol.ErrNotFound) {
		if pending, perr := c.IsPending(opts.ctx, h); perr == nil && pending {
			return withCode(ExitNotFound, fmt.Errorf("transaction %s is pending: no block includes it yet", h))
		}
	}
	if err != nil {
		return err
	}
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, tx)
	}
	out := f.IO.Out
	expiry := "immortal"
	if tx.Expiry > 0 {
		expiry = fmt.Sprintf("block %d", tx.Expiry)
	}
	fmt.Fprintf(out, "tx %s\n", tx.Hash)
	fmt.Fprintf(out, "  block     #%d, index %d\n", tx.Height, tx.Index)
	fmt.Fprintf(out, "  signer    %s (nonce %d)\n", tx.Signer, tx.Nonce)
	fmt.Fprintf(out, "  call      %s.%s %s\n", tx.Call.Module, tx.Call.Method, tx.Call.Args)
	fmt.Fprintf(out, "  fee       %s TAO + tip %s TAO\n", protocol.TAODecimal(tx.Receipt.Fee), protocol.TAODecimal(tx.Receipt.Tip))
	fmt.Fprintf(out, "  expiry    %s, %d bytes\n", expiry, tx.Size)
	fmt.Fprintf(out, "  result    %s\n", receiptLine(tx.Receipt))
	for _, ev := range tx.Events {
		fmt.Fprintf(out, "  event     %s\n", eventLine(ev))
	}
	return nil
}
