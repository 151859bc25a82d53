package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

type subnetsPriceOptions struct {
	f   *Factory
	ctx context.Context

	Netuid uint16
	Blocks uint64
	Height int
}

func newCmdSubnetsPrice(f *Factory, runF func(*subnetsPriceOptions) error) *cobra.Command {
	opts := &subnetsPriceOptions{f: f}
	cmd := &cobra.Command{
		Use:   "price",
		Short: "Show a subnet's alpha price over the stored blocks, with a terminal chart",
		Long: `Show a subnet's price history from the chain's stored blocks, with a chart of the newest
--blocks blocks on a terminal: the spot price after every block (the chain records it with each
block, so the chart shows the pool's emission injections and the chain's buys as well as the
trades; docs/emission.md), and the trades themselves: the price the pool was created at (lock /
pool alpha) and the average price each trade paid (stake added: TAO in / alpha out; stake
removed: TAO out / alpha in; fee and slippage included).

A devnet made by a btui older than the per-block record has spot prices only for the blocks
made since; the chart then falls back to the trades for the blocks before.

JSON (--json): {"netuid", "block", "price", "moving_price", "from", "blocks": [{"block",
"price"}], "points": [{"block", "price", "kind", "tao", "alpha"}]}: prices in rao per alpha
(1e9 = 1 TAO per alpha); "blocks" is the spot price after each recorded block; "points" are
the trades, kind "created", "stake_add", "stake_remove", and a last "spot" point at the head;
tao in rao and alpha in 10^-9 alpha.`,
		Example: `  btui subnets price --netuid 1
  btui subnets price -n 1 --blocks 5000 --json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet (btui subnets list names them)"); err != nil {
				return err
			}
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return subnetsPriceRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	cmd.Flags().Uint64Var(&opts.Blocks, "blocks", 1000, "how many of the newest blocks to read (1 to 100000)")
	cmd.Flags().IntVar(&opts.Height, "chart-height", 10, "rows of the chart (0: no chart)")
	return cmd
}

type pricePointJSON struct {
	Block uint64 `json:"block"`
	Price uint64 `json:"price"`
	Kind  string `json:"kind"`
	TAO   uint64 `json:"tao"`
	Alpha uint64 `json:"alpha"`
}

type subnetsPriceJSON struct {
	Netuid      uint16                `json:"netuid"`
	Block       uint64                `json:"block"`
	Price       uint64                `json:"price"`
	MovingPrice uint64                `json:"moving_price"`
	From        uint64                `json:"from"`
	Blocks      []protocol.PricePoint `json:"blocks"`
	Points      []pricePointJSON      `json:"points"`
}

// pricePoint turns a pool event of the subnet into a point; ok is false for other events.
func pricePoint(ev protocol.Event, netuid uint16) (pricePointJSON, bool) {
	if ev.Module != "subtensor" || ev.Attr("netuid") != strconv.Itoa(int(netuid)) {
		return pricePointJSON{}, false
	}
	var taoKey, alphaKey, kind string
	switch ev.Name {
	case "NetworkAdded":
		taoKey, alphaKey, kind = "lock", "pool_alpha", "created"
	case "StakeAdded":
		taoKey, alphaKey, kind = "tao", "alpha", "stake_add"
	case "StakeRemoved":
		taoKey, alphaKey, kind = "tao", "alpha", "stake_remove"
	default:
		return pricePointJSON{}, false
	}
	t, err1 := strconv.ParseUint(ev.Attr(taoKey), 10, 64)
	a, err2 := strconv.ParseUint(ev.Attr(alphaKey), 10, 64)
	if err1 != nil || err2 != nil || a == 0 {
		return pricePointJSON{}, false
	}
	p, ok := mulDiv(t, 1e9, a)
	if !ok {
		return pricePointJSON{}, false
	}
	return pricePointJSON{Block: ev.Height, Price: p, Kind: kind, TAO: t, Alpha: a}, true
}

func subnetsPriceRun(o *subnetsPriceOptions) error {
	if o.Blocks < 1 || o.Blocks > 100_000 {
		return usageErrorf("--blocks %d: give 1 to 100000", o.Blocks)
	}
	if o.Height < 0 || o.Height > 50 {
		return usageErrorf("--chart-height %d: give 0 to 50 rows", o.Height)
	}
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	si, err := s.subnetInfo(o.Netuid)
	if err != nil {
		return err
	}
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	head := info.Height
	from := uint64(1)
	if head >= o.Blocks {
		from = head - o.Blocks + 1
	}
	// The subnet's netuid may have been used by a dissolved subnet before: start at its
	// registration.
	from = max(from, si.RegisteredAt)
	out := subnetsPriceJSON{Netuid: o.Netuid, Block: head, Price: si.Price, MovingPrice: si.MovingPrice, From: from, Points: []pricePointJSON{}}
	if head >= from {
		out.Blocks, err = s.c.PriceHistory(s.ctx, o.Netuid, from, head)
		if errors.Is(err, chainclient.ErrUnsupported) {
			out.Blocks, err = nil, nil // a chain without the record: the trades alone
		}
		if err != nil {
			return chainErr(err)
		}
	}
	if out.Blocks == nil {
		out.Blocks = []protocol.PricePoint{}
	}
	const chunk = 1000
	for lo := from; lo <= head; lo += chunk {
		hi := min(head, lo+chunk-1)
		evs, err := s.c.Events(s.ctx, lo, hi)
		if err != nil {
			return chainErr(err)
		}
		for _, ev := range evs {
			if p, ok := pricePoint(ev, o.Netuid); ok {
				out.Points = append(out.Points, p)
			}
		}
	}
	out.Points = append(out.Points, pricePointJSON{Block: head, Price: si.Price, Kind: "spot"})
	return printJSONOr(o.f, out, func(w io.Writer) {
		fmt.Fprintf(w, "subnet %d at block %d: spot %s TAO per alpha, moving %s\n", o.Netuid, head, protocol.TAODecimal(si.Price), protocol.TAODecimal(si.MovingPrice))
		if o.Height > 0 {
			width := 60
			if o.f.IO.Width > 0 {
				width = max(20, min(120, o.f.IO.Width-14))
			}
			for _, line := range priceChart(chartPoints(out), from, head, width, o.Height) {
				fmt.Fprintln(w, line)
			}
		}
		if len(out.Blocks) > 0 {
			fmt.Fprintf(w, "spot price after each of %d blocks (%d..%d) charted\n", len(out.Blocks), out.Blocks[0].Block, out.Blocks[len(out.Blocks)-1].Block)
		}
		trades := len(out.Points) - 1
		fmt.Fprintf(w, "%d trades in blocks %d..%d (and the pool's creation, if in range)\n", trades, from, head)
		shown := out.Points
		if len(shown) > 10 {
			shown = shown[len(shown)-10:]
			fmt.Fprintf(w, "newest 10 (all of them with --json):\n")
		}
		t := textTable{Head: []string{"BLOCK", "KIND", "PRICE (TAO/α)", "TAO", "ALPHA"}, Right: []bool{true, false, true, true, true}, Shrink: -1}
		for _, p := range shown {
			ta, al := "", ""
			if p.Kind != "spot" {
				ta, al = tao(p.TAO), alphaAmount(p.Alpha)
			}
			t.add(strconv.FormatUint(p.Block, 10), p.Kind, protocol.TAODecimal(p.Price), ta, al)
		}
		t.render(w, o.f.IO.Width)
	})
}

// chartPoints is what the chart draws: the per-block spot prices where the chain recorded
// them, the trades before the first recorded block (an older database), and the head's spot.
func chartPoints(out subnetsPriceJSON) []pricePointJSON {
	first := out.Block + 1
	if len(out.Blocks) > 0 {
		first = out.Blocks[0].Block
	}
	var pts []pricePointJSON
	for _, p := range out.Points {
		if p.Block < first && p.Kind != "spot" {
			pts = append(pts, p)
		}
	}
	for _, b := range out.Blocks {
		pts = append(pts, pricePointJSON{Block: b.Block, Price: b.Price, Kind: "block"})
	}
	if len(out.Blocks) == 0 {
		pts = append(pts, out.Points[len(out.Points)-1])
	}
	return pts
}

// priceChart draws the points as a step chart of width columns over blocks from..to and
// height rows: each column shows the last price known at its blocks (carried forward), as a
// bar of eighth blocks. The y axis is labelled with the highest and lowest price.
func priceChart(points []pricePointJSON, from, to uint64, width, height int) []string {
	if len(points) == 0 || to < from {
		return nil
	}
	span := to - from + 1
	cols := make([]uint64, width)
	known := make([]bool, width)
	var last uint64
	have := false
	pi := 0
	for c := range width {
		// Blocks of column c: [from + c*span/width, from + (c+1)*span/width).
		end := from + uint64((new(big.Int).Div(new(big.Int).Mul(big.NewInt(int64(c+1)), new(big.Int).SetUint64(span)), big.NewInt(int64(width)))).Uint64())
		for pi < len(points) && points[pi].Block < end {
			last, have = points[pi].Price, true
			pi++
		}
		cols[c], known[c] = last, have
	}
	lo, hi := ^uint64(0), uint64(0)
	for c := range cols {
		if known[c] {
			lo, hi = min(lo, cols[c]), max(hi, cols[c])
		}
	}
	if hi == 0 {
		return nil
	}
	if lo == hi {
		lo = 0
	}
	levels := []rune(" ▁▂▃▄▅▆▇█")
	rows := make([]string, height)
	for r := range height {
		var b strings.Builder
		switch r {
		case 0:
			fmt.Fprintf(&b, "%12s ┤", protocol.TAODecimal(hi))
		case height - 1:
			fmt.Fprintf(&b, "%12s ┤", protocol.TAODecimal(lo))
		default:
			fmt.Fprintf(&b, "%12s │", "")
		}
		for c := range cols {
			if !known[c] {
				b.WriteRune(' ')
				continue
			}
			// Eighths of a row filled, counted from the bottom of the chart.
			eighths := int((new(big.Int).Div(new(big.Int).Mul(new(big.Int).SetUint64(cols[c]-lo), big.NewInt(int64(height*8))), new(big.Int).SetUint64(hi-lo))).Int64())
			eighths = max(eighths, 1)
			fill := eighths - (height-1-r)*8
			b.WriteRune(levels[max(0, min(8, fill))])
		}
		rows[r] = strings.TrimRight(b.String(), " ")
	}
	axis := fmt.Sprintf("%12s └%s", "", strings.Repeat("─", width))
	label := fmt.Sprintf("%14sblock %d", "", from)
	end := fmt.Sprintf("block %d", to)
	if pad := 14 + width - len(label) - len(end); pad > 0 {
		label += strings.Repeat(" ", pad) + end
	}
	return append(rows, axis, label)
}
