package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

type chainEventsOptions struct {
	f      *Factory
	ctx    context.Context
	from   string
	to     string
	module string
	follow bool
}

func newCmdChainEvents(f *Factory, runF func(*chainEventsOptions) error) *cobra.Command {
	opts := &chainEventsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "events",
		Short: "List the events of a range of blocks, or follow new ones",
		Long: `List the events of blocks --from..--to (default: the newest 20 blocks), in order. With
--follow (on a node: --node URL), keep printing the events of each new block as it is
committed until interrupted (Ctrl-C ends it with exit code 0); a follower that falls behind
catches up from storage, so no block is skipped.

JSON (--json): {"from", "to", "events": [event...]} (event as in btui chain block --help).
With --follow, --json prints one event object per line (JSON Lines) as blocks arrive, so that
scripts can stream them.`,
		Example: `  btui chain events
  btui chain events --from 100 --to 200 --module balances --json
  btui chain events --follow --node http://127.0.0.1:9944`,
		Args: chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if opts.follow && opts.to != "" {
				return usageErrorf("--follow and --to do not go together: --follow runs past the head")
			}
			if runF != nil {
				return runF(opts)
			}
			return chainEventsRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.from, "from", "", "first block height (default: the newest 20 blocks)")
	cmd.Flags().StringVar(&opts.to, "to", "", "last block height (default: the head)")
	cmd.Flags().StringVar(&opts.module, "module", "", "only events of this module (balances, sudo, subtensor...)")
	cmd.Flags().BoolVarP(&opts.follow, "follow", "f", false, "keep printing events of new blocks until interrupted")
	return cmd
}

// chainEventsJSON is the stable output of `btui chain events --json` (without --follow).
type chainEventsJSON struct {
	From   uint64           `json:"from"`
	To     uint64           `json:"to"`
	Events []protocol.Event `json:"events"`
}

// maxEventsSpan is the most blocks one Events query covers.
const maxEventsSpan = 10_000

// subtensorEventsSpan is how many blocks' events one read asks a subtensor node for (each
// block is two round trips: its hash, then its System.Events).
const subtensorEventsSpan = 100

func chainEventsRun(opts *chainEventsOptions) error {
	f := opts.f
	if opts.follow && f.NodeURL() == "" {
		// This process would hold the embedded database, so no other process could add blocks.
		return usageErrorf("--follow needs a running node: start btui node and pass --node URL (or set BTUI_NODE); the embedded devnet only moves while a btui holds it")
	}
	c, info, err := chainHead(opts.ctx, f)
	if err != nil {
		return err
	}
	defer f.Close()
	to := info.Height
	if opts.to != "" {
		if to, err = parseHeight(opts.to, "--to"); err != nil {
			return err
		}
		if to > info.Height {
			return withCode(ExitNotFound, fmt.Errorf("--to %d is above the head (#%d)", to, info.Height))
		}
	}
	var from uint64
	if opts.from != "" {
		if from, err = parseHeight(opts.from, "--from"); err != nil {
			return err
		}
	} else if to >= 20 {
		from = to - 19
	}
	if from > to {
		return usageErrorf("--from %d is above --to %d", from, to)
	}
	var events []protocol.Event
	span := uint64(maxEventsSpan)
	if _, ok := c.(*chainclient.Subtensor); ok {
		span = subtensorEventsSpan
	}
	for lo := from; lo <= to; lo += span {
		hi := min(to, lo+span-1)
		evs, err := c.Events(opts.ctx, lo, hi)
		if err != nil {
			return err
		}
		events = append(events, filterEvents(evs, opts.module)...)
		if hi == to {
			break
		}
	}
	if events == nil {
		events = []protocol.Event{}
	}
	if f.Opts.JSON && !opts.follow {
		return chainPrintJSON(f.IO.Out, chainEventsJSON{From: from, To: to, Events: events})
	}
	p := &eventPrinter{w: f.IO.Out, json: f.Opts.JSON}
	for _, ev := range events {
		if err := p.print(ev); err != nil {
			return err
		}
	}
	if !opts.follow {
		if len(events) == 0 {
			fmt.Fprintf(f.IO.ErrOut, "no events in blocks %d..%d\n", from, to)
		}
		return nil
	}
	return followEvents(opts, c, to+1, p)
}

// followEvents prints events of new heads from height next on until the context ends.
func followEvents(opts *chainEventsOptions, c chainclient.Client, next uint64, p *eventPrinter) error {
	f := opts.f
	fmt.Fprintf(f.IO.ErrOut, "following events from block %d on %s (Ctrl-C to stop)\n", next, endpointLabel(c))
	sub, err := c.Subscribe(opts.ctx, chainclient.SubscribeOptions{From: next})
	if err != nil {
		return err
	}
	defer sub.Cancel()
	for ev := range sub.C {
		if ev.Missed > 0 {
			fmt.Fprintf(f.IO.ErrOut, "warning: %d blocks were skipped: this follower fell too far behind\n", ev.Missed)
		}
		if w := sub.TakeWarning(); w != nil { // a subtensor node that would not give a block
			fmt.Fprintf(f.IO.ErrOut, "warning: %v\n", w)
		}
		for _, e := range filterEvents(ev.Events, opts.module) {
			if err := p.print(e); err != nil {
				return err
			}
		}
	}
	if err := sub.Err(); err != nil {
		return fmt.Errorf("event stream ended: %w", err)
	}
	if err := opts.ctx.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil // interrupted: the normal end of --follow
}

func filterEvents(evs []protocol.Event, module string) []protocol.Event {
	if module == "" {
		return evs
	}
	out := evs[:0:0]
	for _, ev := range evs {
		if strings.EqualFold(ev.Module, module) {
			out = append(out, ev)
		}
	}
	return out
}

// eventPrinter writes events as human lines or JSON Lines.
type eventPrinter struct {
	w    io.Writer
	json bool
}

func (p *eventPrinter) print(ev protocol.Event) error {
	if p.json {
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		_, err = p.w.Write(append(b, '\n'))
		return err
	}
	_, err := fmt.Fprintf(p.w, "#%d  %-10s  %s\n", ev.Height, eventWhere(ev), eventLine(ev))
	return err
}
