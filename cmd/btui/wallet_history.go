package main

import (
	"context"
	"fmt"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
	"io"
	"strconv"
)

type walletHistoryOptions struct {
	f   *Factory
	ctx context.Context

	Address string
	Limit   int
	Before  uint64
	All     bool
}

func newCmdWalletHistory(f *Factory, runF func(*walletHistoryOptions) error) *cobra.Command {
	opts := &walletHistoryOptions{f: f}
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Show a coldkey's transfers and stake moves, newest first",
		Long: `Show the transactions of the wallet's coldkey (or --address) read from the chain's stored
blocks, newest first: transfers in and out, faucet payments and stake added, removed, moved,
swapped or transferred. --all also shows every other transaction that signed by or named the
account (registrations, subnets, weights, hyperparameters). --before BLOCK pages back: it
shows entries in blocks below BLOCK (the JSON's next_before is the value for the next page).

JSON (--json): {"address", "entries": [entry...], "next_before"} where an entry is {"block",
"index", "hash", "call", "ok", "fee", "kind", "netuid", "tao", "alpha", "counterparty",
"events"}: kind is transfer_in, transfer_out, faucet, stake_add, stake_remove, stake_move,
stake_swap, stake_transfer, register, subnet_create or other; tao (rao) and alpha (10^-9
alpha) are the amounts of the entry's main event, netuid its subnet (null when none);
next_before is 0 when there is nothing older.`,
		Example: `  btui wallet history --wallet-name alice
  btui wallet history --address 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --all --json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return walletHistoryRun(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Address, "address", "a", "", "the account: SS58, wallet name, wallet/hotkey or //Dev (default: the wallet's coldkey)")
	cmd.Flags().IntVar(&opts.Limit, "limit", 20, "at most this many entries (1 to 1000)")
	cmd.Flags().Uint64Var(&opts.Before, "before", 0, "only entries in blocks below this height (0: from the head)")
	cmd.Flags().BoolVar(&opts.All, "all", false, "every transaction of the account, not only transfers and stake moves")
	return cmd
}

type walletHistoryEntryJSON struct {
	Block        uint64           `json:"block"`
	Index        uint32           `json:"index"`
	Hash         protocol.TxHash  `json:"hash"`
	Call         string           `json:"call"`
	OK           bool             `json:"ok"`
	Fee          uint64           `json:"fee"`
	Kind         string           `json:"kind"`
	Netuid       *uint16          `json:"netuid"`
	TAO          uint64           `json:"tao"`
	Alpha        uint64           `json:"alpha"`
	Counterparty string           `json:"counterparty"`
	Events       []protocol.Event `json:"events"`
}

type walletHistoryJSON struct {
	Address    wallet.AccountID         `json:"address"`
	Entries    []walletHistoryEntryJSON `json:"entries"`
	NextBefore uint64                   `json:"next_before"`
}

// historyKinds maps an event to the entry kind it gives, for the account me.
func historyKind(ev protocol.Event, me string) (kind, counterparty string, ok bool) {
	switch ev.Module + "." + ev.Name {
	case "balances.Transfer":
		switch me {
		case ev.Attr("from"):
			return "transfer_out", ev.Attr("to"), true
		case ev.Attr("to"):
			return "transfer_in", ev.Attr("from"), true
		}
	case "sudo.Faucet":
		if ev.Attr("to") == me {
			return "faucet", "", true
		}
	case "subtensor.StakeAdded":
		if ev.Attr("coldkey") == me {
			return "stake_add", ev.Attr("hotkey"), true
		}
	case "subtensor.StakeRemoved":
		if ev.Attr("coldkey") == me {
			return "stake_remove", ev.Attr("hotkey"), true
		}
	case "subtensor.StakeMoved":
		if ev.Attr("coldkey") == me {
			return "stake_move", ev.Attr("destination_hotkey"), true
		}
	case "subtensor.StakeSwapped":
		if ev.Attr("coldkey") == me {
			return "stake_swap", ev.Attr("hotkey"), true
		}
	case "subtensor.StakeTransferred":
		switch me {
		case ev.Attr("from"):
			return "stake_transfer", ev.Attr("to"), true
		case ev.Attr("to"):
			return "stake_transfer", ev.Attr("from"), true
		}
	}
	return "", "", false
}

// historyEntry classifies one transaction of the account.
func historyEntry(tx *protocol.TxInfo, me string) walletHistoryEntryJSON {
	e := walletHistoryEntryJSON{Block: tx.Height, Index: tx.Index, Hash: tx.Hash, Call: tx.Call.Module + "." + tx.Call.Method,
		OK: tx.Receipt.OK(), Fee: tx.Receipt.Fee, Kind: "other", Events: nonNilEvents(tx.Events)}
	main := -1
	for i, ev := range tx.Events {
		if kind, cp, ok := historyKind(ev, me); ok {
			e.Kind, e.Counterparty, main = kind, cp, i
			break
		}
		switch ev.Module + "." + ev.Name {
		case "subtensor.NeuronRegistered":
			if ev.Attr("coldkey") == me && main < 0 {
				e.Kind, e.Counterparty, main = "register", ev.Attr("hotkey"), i
			}
		case "subtensor.NetworkAdded":
			if ev.Attr("owner") == me && main < 0 {
				e.Kind, main = "subnet_create", i
			}
		}
	}
	if main >= 0 {
		ev := tx.Events[main]
		for _, k := range []string{"netuid", "origin_netuid"} {
			if n, err := strconv.ParseUint(ev.Attr(k), 10, 16); err == nil {
				u := uint16(n)
				e.Netuid = &u
				break
			}
		}
		for _, k := range []string{"amount", "tao", "cost", "lock"} {
			if n, err := strconv.ParseUint(ev.Attr(k), 10, 64); err == nil {
				e.TAO = n
				break
			}
		}
		if n, err := strconv.ParseUint(ev.Attr("alpha"), 10, 64); err == nil {
			e.Alpha = n
		}
	}
	return e
}

// interesting: transfers and stake moves (the default view).
func (e walletHistoryEntryJSON) interesting() bool {
	switch e.Kind {
	case "other", "register", "subnet_create":
		return false
	}
	return true
}

func walletHistoryRun(o *walletHistoryOptions) error {
	f := o.f
	if o.Limit < 1 || o.Limit > 1000 {
		return usageErrorf("--limit %d: give 1 to 1000 entries", o.Limit)
	}
	var id wallet.AccountID
	var err error
	if o.Address != "" {
		id, _, err = resolveAddress(f, o.Address)
	} else {
		id, err = coldkeyOf(f, f.WalletName())
	}
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	me := id.SS58()
	out := walletHistoryJSON{Address: id, Entries: []walletHistoryEntryJSON{}}
	seen := map[protocol.TxHash]bool{}
	before := o.Before
	const page = 500
	for len(out.Entries) < o.Limit {
		hist, err := s.c.AccountHistory(s.ctx, id, before, page)
		if err != nil {
			return chainErr(err)
		}
		fresh := 0
		for _, h := range hist {
			if seen[h.Hash] {
				continue
			}
			seen[h.Hash] = true
			fresh++
			tx, err := s.c.Tx(s.ctx, h.Hash)
			if err != nil {
				return chainErr(err)
			}
			e := historyEntry(tx, me)
			if o.All || e.interesting() {
				out.Entries = append(out.Entries, e)
				if len(out.Entries) == o.Limit {
					break
				}
			}
		}
		if len(hist) < page || fresh == 0 {
			break
		}
		// Resume at the last height read (strictly below last+1), skipping what was seen: a
		// block with several of the account's transactions is never cut in half.
		before = hist[len(hist)-1].Height + 1
	}
	if n := len(out.Entries); n == o.Limit {
		out.NextBefore = out.Entries[n-1].Block
	}
	return printJSONOr(f, out, func(w io.Writer) {
		if len(out.Entries) == 0 {
			fmt.Fprintf(w, "No transfers or stake moves of %s (--all shows every transaction).\n", me)
			return
		}
		t := textTable{Head: []string{"BLOCK", "KIND", "AMOUNT", "SUBNET", "COUNTERPARTY", "TX"}, Right: []bool{true, false, true, true}, Shrink: 4, Drop: []int{5, 3}}
		for _, e := range out.Entries {
			t.add(strconv.FormatUint(e.Block, 10), historyKindLabel(e), historyAmount(e), historyNetuid(e), e.Counterparty, e.Hash.String()[:12]+"…")
		}
		t.render(w, f.IO.Width)
		if out.NextBefore != 0 {
			fmt.Fprintf(w, "older: btui wallet history --before %d\n", out.NextBefore)
		}
	})
}

func historyKindLabel(e walletHistoryEntryJSON) string {
	k := e.Kind
	if k == "other" {
		k = e.Call
	}
	if !e.OK {
		k += " (failed)"
	}
	return k
}

func historyNetuid(e walletHistoryEntryJSON) string {
	if e.Netuid == nil {
		return ""
	}
	return strconv.Itoa(int(*e.Netuid))
}

// historyAmount is the entry's amount with a sign from the account's point of view.
func historyAmount(e walletHistoryEntryJSON) string {
	switch e.Kind {
	case "transfer_in", "faucet":
		return "+" + tao(e.TAO)
	case "transfer_out", "register", "subnet_create":
		return "-" + tao(e.TAO)
	case "stake_add":
		return "-" + tao(e.TAO) + " +" + alphaAmount(e.Alpha)
	case "stake_remove":
		return "-" + alphaAmount(e.Alpha) + " +" + tao(e.TAO)
	case "stake_move", "stake_swap", "stake_transfer":
		return alphaAmount(e.Alpha)
	}
	return ""
}
