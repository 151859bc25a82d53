package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

type chainBlocksOptions struct {
	f     *Factory
	ctx   context.Context
	from  string
	limit int
}

func newCmdChainBlocks(f *Factory, runF func(*chainBlocksOptions) error) *cobra.Command {
	opts := &chainBlocksOptions{f: f}
	cmd := &cobra.Command{
		Use:   "blocks",
		Short: "List block headers (the newest by default)",
		Long: `List block headers, oldest first: the newest --limit blocks, or --limit blocks from height
--from upwards.

JSON (--json): {"head": N, "blocks": [header...]}, a header being {"height", "hash",
"parent_hash", "timestamp_ms", "tx_root", "result_root", "state_digest", "tx_count",
"event_count"}.`,
		Example: `  btui chain blocks
  btui chain blocks --from 0 --limit 5 --json`,
		Args: chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if opts.limit < 1 || opts.limit > 10_000 {
				return usageErrorf("--limit %d is out of range: give 1 to 10000", opts.limit)
			}
			if runF != nil {
				return runF(opts)
			}
			return chainBlocksRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.from, "from", "", "first height to list (default: the newest --limit blocks)")
	cmd.Flags().IntVarP(&opts.limit, "limit", "n", 20, "how many blocks to list (1 to 10000)")
	return cmd
}

// chainBlocksJSON is the stable output of `btui chain blocks --json`.
type chainBlocksJSON struct {
	Head   uint64                 `json:"head"`
	Blocks []protocol.BlockHeader `json:"blocks"`
}

func chainBlocksRun(opts *chainBlocksOptions) error {
	f := opts.f
	c, info, err := chainHead(opts.ctx, f)
	if err != nil {
		return err
	}
	defer f.Close()
	var from uint64
	if opts.from != "" {
		if from, err = parseHeight(opts.from, "--from"); err != nil {
			return err
		}
		if from > info.Height {
			return withCode(ExitNotFound, fmt.Errorf("--from %d is above the head (#%d)", from, info.Height))
		}
	} else if info.Height+1 > uint64(opts.limit) {
		from = info.Height + 1 - uint64(opts.limit)
	}
	hdrs, err := c.Blocks(opts.ctx, from, opts.limit)
	if err != nil {
		return err
	}
	if _, ok := c.(*chainclient.Subtensor); ok {
		return chainBlocksSubtensor(f, info, hdrs)
	}
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, chainBlocksJSON{Head: info.Height, Blocks: hdrs})
	}
	w := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "HEIGHT\tHASH\tTXS\tEVENTS\tTIME (logical, UTC)")
	for _, h := range hdrs {
		fmt.Fprintf(w, "%d\t%s\t%d\t%d\t%s\n", h.Height, shortHash(h.Hash), h.TxCount, h.EventCount, blockTime(h.TimestampMs))
	}
	return w.Flush()
}

// chainBlocksSubtensor lists a subtensor node's headers: a header carries no transaction or
// event count and no time, so the table shows its roots instead and the JSON leaves those
// keys out (named in "not_read"; btui chain block N reads one block's body and events).
func chainBlocksSubtensor(f *Factory, info protocol.ChainInfo, hdrs []protocol.BlockHeader) error {
	if f.Opts.JSON {
		doc := struct {
			Head    uint64                       `json:"head"`
			Blocks  []map[string]json.RawMessage `json:"blocks"`
			NotRead []string                     `json:"not_read"`
		}{Head: info.Height, Blocks: []map[string]json.RawMessage{}, NotRead: chainclient.HeaderUnreadOnSubtensor}
		for _, h := range hdrs {
			row, err := dropUnread(h, chainclient.HeaderUnreadOnSubtensor)
			if err != nil {
				return err
			}
			doc.Blocks = append(doc.Blocks, row)
		}
		return chainPrintJSON(f.IO.Out, doc)
	}
	w := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "HEIGHT\tHASH\tPARENT\tSTATE ROOT\tEXTRINSICS ROOT")
	for _, h := range hdrs {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", h.Height, shortHash(h.Hash), shortHash(h.ParentHash), shortHash(h.StateDigest), shortHash(h.TxRoot))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(f.IO.Out, "Headers only: btui chain block N shows a block's extrinsics and events.")
	return nil
}
