package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

type chainBlockOptions struct {
	f   *Factory
	ctx context.Context
	ref string
}

func newCmdChainBlock(f *Factory, runF func(*chainBlockOptions) error) *cobra.Command {
	opts := &chainBlockOptions{f: f}
	return &cobra.Command{
		Use:   "block <height|hash|head>",
		Short: "Show one block: header, transactions with receipts, events",
		Long: `Show a block by height, by hash (0x…) or the newest ("head"): its header, each transaction
with its call, receipt (ok, or the failure code and message) and events, and the events of the
block step. Exits 5 when there is no such block.

JSON (--json): {"header": header, "txs": [tx...], "step_events": [event...], "size_bytes",
"genesis_hash"}; a tx is {"hash", "height", "index", "signer", "nonce", "tip", "expiry",
"call": {"module", "method", "args"}, "size", "receipt": {"code", "code_name", "message", "fee",
"tip"}, "events"}; an event is {"height", "tx_index", "index", "module", "name", "attrs":
[{"key", "value"}], "accounts"}.`,
		Example: `  btui chain block 12
  btui chain block head --json
  btui chain block 0x3b1f…`,
		Args: chainArgs("a block height or hash"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.ref = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return chainBlockRun(opts)
		},
	}
}

func chainBlockRun(opts *chainBlockOptions) error {
	f := opts.f
	c, err := f.Client()
	if err != nil {
		return err
	}
	defer f.Close()
	var b *protocol.Block
	switch ref := opts.ref; {
	case ref == "head" || ref == "latest":
		info, err := c.Info(opts.ctx)
		if err != nil {
			return err
		}
		b, err = c.Block(opts.ctx, info.Height)
		if err != nil {
			return err
		}
	case strings.HasPrefix(ref, "0x") || len(ref) == 64:
		h, err := parseTxHash(ref)
		if err != nil {
			return err
		}
		if b, err = c.BlockByHash(opts.ctx, h); err != nil {
			return err
		}
	default:
		n, err := parseHeight(ref, "block")
		if err != nil {
			return err
		}
		if b, err = c.Block(opts.ctx, n); err != nil {
			return err
		}
	}
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, b)
	}
	h := b.Header
	out := f.IO.Out
	fmt.Fprintf(out, "block #%d %s\n", h.Height, h.Hash)
	fmt.Fprintf(out, "  parent        %s\n", h.ParentHash)
	_, onSubtensor := c.(*chainclient.Subtensor)
	switch {
	case !onSubtensor:
		fmt.Fprintf(out, "  time          %s (logical)\n", blockTime(h.TimestampMs))
	case h.TimestampMs > 0:
		fmt.Fprintf(out, "  time          %s (Timestamp.set)\n", time.UnixMilli(int64(h.TimestampMs)).UTC().Format(time.RFC3339))
	default:
		fmt.Fprintln(out, "  time          not known: the block has no Timestamp.set inherent")
	}
	if onSubtensor {
		fmt.Fprintf(out, "  state root    %s\n", h.StateDigest)
		fmt.Fprintf(out, "  extrinsics    %s (root)\n", h.TxRoot)
		fmt.Fprintf(out, "  extrinsics %d, events %d, %d bytes of extrinsics\n", h.TxCount, h.EventCount, b.SizeBytes)
	} else {
		fmt.Fprintf(out, "  state digest  %s\n", h.StateDigest)
		fmt.Fprintf(out, "  tx root       %s\n", h.TxRoot)
		fmt.Fprintf(out, "  txs %d, events %d, %d bytes of transactions\n", h.TxCount, h.EventCount, b.SizeBytes)
	}
	if len(b.StepEvents) > 0 {
		fmt.Fprintln(out, "block step:")
		for _, ev := range b.StepEvents {
			fmt.Fprintf(out, "  %s\n", eventLine(ev))
		}
	}
	for _, tx := range b.Txs {
		fmt.Fprintf(out, "tx %d %s\n", tx.Index, tx.Hash)
		fmt.Fprintf(out, "  %s.%s by %s nonce %d: %s\n", tx.Call.Module, tx.Call.Method, tx.Signer, tx.Nonce, receiptLine(tx.Receipt))
		for _, ev := range tx.Events {
			fmt.Fprintf(out, "    %s\n", eventLine(ev))
		}
	}
	return nil
}
