package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// newCmdChain is the `btui chain` group: read the chain (embedded devnet or --node).
func newCmdChain(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "chain <command>",
		Short: "Inspect the chain: info, blocks, transactions, events, invariants",
		Long: `Read the chain: the embedded devnet at --datadir, or a running node with --node URL (env
BTUI_NODE). Every command prints a human summary, or exactly one JSON document with --json
(chain events --follow --json prints one JSON object per line instead). Amounts in JSON are
integers in rao (1 TAO = 10^9 rao), accounts SS58 strings, hashes 0x-prefixed hex.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q for \"btui chain\": run btui chain --help", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(
		newCmdChainInfo(f, nil),
		newCmdChainBlocks(f, nil),
		newCmdChainBlock(f, nil),
		newCmdChainTx(f, nil),
		newCmdChainEvents(f, nil),
		newCmdChainCheck(f, nil),
	)
	return cmd
}

// chainHead opens the chain through the factory and reads its head. On success the caller
// closes the chain with f.Close; on failure it is closed already.
func chainHead(ctx context.Context, f *Factory) (chainclient.Client, protocol.ChainInfo, error) {
	c, err := f.Client()
	if err != nil {
		return nil, protocol.ChainInfo{}, err
	}
	info, err := c.Info(ctx)
	if err != nil {
		_ = f.Close()
		return nil, protocol.ChainInfo{}, err
	}
	return c, info, nil
}

// chainPrintJSON writes v as the command's one JSON document.
func chainPrintJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// stderrIsTerminal reports whether progress may be drawn on stderr.
func stderrIsTerminal(io *IOStreams) bool {
	if fd, ok := io.ErrOut.(interface{ Fd() uintptr }); ok {
		return term.IsTerminal(int(fd.Fd()))
	}
	// Test streams pretend to be a terminal through their tty flag.
	_, isFile := io.ErrOut.(*os.File)
	return !isFile && io.IsStdoutTTY()
}

// parseHeight parses a block height ("1200", "1_200").
func parseHeight(s, what string) (uint64, error) {
	n, err := strconv.ParseUint(strings.ReplaceAll(s, "_", ""), 10, 64)
	if err != nil {
		return 0, usageErrorf("%s %q is not a block height: give a whole number such as 1200", what, s)
	}
	return n, nil
}

// parseTxHash parses a transaction or block hash.
func parseTxHash(s string) (protocol.Hash, error) {
	h, err := protocol.ParseHash(s)
	if err != nil {
		return h, usageErrorf("%v", err)
	}
	return h, nil
}

// shortHash is the first and last bytes of a hash, for tables.
func shortHash(h protocol.Hash) string {
	s := h.String()
	return s[:10] + "…" + s[len(s)-6:]
}

// blockTime renders a logical block timestamp in UTC.
func blockTime(ms uint64) string {
	return time.UnixMilli(int64(ms)).UTC().Format("2006-01-02 15:04:05.000Z")
}

// eventLine renders one event for people: "balances.Transfer from=5G… to=5F… amount=1.5 TAO".
// Amounts whose unit is known (eventAttrUnit) are shown in TAO or alpha like the previews;
// JSON keeps the module's integers (rao).
func eventLine(ev protocol.Event) string {
	var b strings.Builder
	b.WriteString(ev.Module + "." + ev.Name)
	for _, a := range ev.Attrs {
		v := a.Value
		if h, ok := eventAttrHuman(ev, a.Key, v); ok {
			v = h
		} else if v == "" || strings.ContainsAny(v, " \t\n\"=") {
			v = strconv.Quote(v)
		}
		b.WriteString(" " + a.Key + "=" + v)
	}
	return b.String()
}

// eventWhere says where an event happened: "block step" or "tx 3".
func eventWhere(ev protocol.Event) string {
	if ev.TxIndex < 0 {
		return "block step"
	}
	return "tx " + strconv.Itoa(int(ev.TxIndex))
}

// receiptLine renders a receipt: "ok" or "failed 200 insufficient_balance: message".
func receiptLine(r protocol.Receipt) string {
	if r.OK() {
		return "ok"
	}
	s := fmt.Sprintf("failed %d %s", r.Code, r.CodeName)
	if r.Message != "" {
		s += ": " + r.Message
	}
	return s
}

// receiptError is the error of a command whose transaction was included with a failure
// receipt: exit code 3, with the receipt's code and message.
func receiptError(what string, info *protocol.TxInfo) error {
	return withCode(ExitRejected, fmt.Errorf("%s failed in block %d (tx %s): code %d %s: %s",
		what, info.Height, info.Hash, info.Receipt.Code, info.Receipt.CodeName, info.Receipt.Message))
}

// endpointLabel describes where the chain is, for human output.
func endpointLabel(c chainclient.Client) string {
	if d, ok := strings.CutPrefix(c.Endpoint(), "embedded:"); ok {
		return "embedded devnet " + d
	}
	return "node " + c.Endpoint()
}

// chainArgs accepts exactly n positional arguments, named in the usage error (exit code 2)
// when the count is wrong.
func chainArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == len(names) {
			return nil
		}
		if len(names) == 0 {
			return usageErrorf("%s takes no arguments (got %q): see %s --help", cmd.CommandPath(), args, cmd.CommandPath())
		}
		return usageErrorf("%s needs %s (got %d argument(s)): see %s --help", cmd.CommandPath(), strings.Join(names, " and "), len(args), cmd.CommandPath())
	}
}
