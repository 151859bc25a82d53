package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// parityCase is one bad input given both to a command and to the console's TxBuilder.
type parityCase struct {
	name string
	args []string                                  // the command (run with --yes)
	tx   func(tuiTx) (tui.Ticket, error)           // the console's call with the same inputs
	want string                                    // a phrase of the expected refusal, so a case cannot pass on another check
	rule func(t *testing.T, cmdMsg, tuiMsg string) // optional: extra assertions on the two messages
}

// parityFixture opens the fixture's devnet for one console call (the commands open it
// themselves between the calls).
func (fx *opsFixture) console(t *testing.T, call func(tuiTx) (tui.Ticket, error)) (tui.Ticket, error) {
	t.Helper()
	f, _, _ := fx.c.factory("", false)
	f.Opts.WalletPath = fx.c.wallets
	client, err := chainclient.OpenEmbedded(fx.c.dir, localchain.WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	return call(tuiTx{f: f, client: client})
}

// commandError is the message a failed command printed ("error: <message>").
func commandError(t *testing.T, r opsResult) string {
	t.Helper()
	for _, l := range strings.Split(r.errOut, "\n") {
		if msg, ok := strings.CutPrefix(l, "error: "); ok {
			return msg
		}
	}
	t.Fatalf("no error line in stderr (exit %d):\n%s", r.code, r.errOut)
	return ""
}

// TestTUIParityBadInput: for bad inputs of every transaction the console prepares, its
// TxBuilder refuses with the very message the command prints (in the console's words for
// a flag that names a value: consoleFlagWords) and the same exit code class, and neither
// submits anything: the head, the state digest and the wallet files are unchanged.
func TestTUIParityBadInput(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	n := fx.netuid
	netuid64, _ := strconv.ParseUint(n, 10, 16)
	netuid := uint16(netuid64)
	valCold, valHot := fx.c.coldkey("val"), fx.c.hotkey("val")
	aliceCold, bobCold := fx.c.coldkey("alice"), fx.c.coldkey("bob")
	otherHot := fx.c.hotkey("other") // never registered, holds nothing

	ctx := context.Background()
	var info protocol.ChainInfo
	var params map[string]uint64
	var aliceFree, valFree, valStake uint64
	var valUID uint16
	fx.console(t, func(tx tuiTx) (tui.Ticket, error) {
		var err error
		if info, err = tx.client.Info(ctx); err != nil {
			t.Fatal(err)
		}
		if params, err = tx.client.GlobalParams(ctx); err != nil {
			t.Fatal(err)
		}
		s := tx.session(ctx)
		aliceFree, _ = s.free(aliceCold)
		valFree, _ = s.free(valCold)
		valStake, _ = s.stakeOf(valCold, valHot, netuid)
		mg, err := s.m.Metagraph(ctx, netuid)
		if err != nil {
			t.Fatal(err)
		}
		for _, nr := range mg.Neurons {
			if nr.Hotkey == valHot {
				valUID = nr.UID
			}
		}
		return tui.Ticket{}, nil
	})
	ed, fee, minStake := info.ExistentialDeposit, info.TxFee, params["min_stake"]
	if ed == 0 || minStake < 2 || valStake == 0 {
		t.Fatalf("the fixture needs an existential deposit, a minimum stake and a position: ed %d, min stake %d, stake %d", ed, minStake, valStake)
	}
	amt := func(rao uint64) string { return formatDecimal(rao, 9) }
	guard := tui.Trade{Tolerance: "0.005"}
	unsafeTrade := tui.Trade{Tolerance: "0.5"}

	// A second registered hotkey on the subnet, to move stake to.
	fx.c.tx("subnets", "register", "--netuid", n, "--wallet-name", "bob")
	bobHot := fx.c.hotkey("bob")
	dissolved64, _ := strconv.ParseUint(fx.dissolved, 10, 16)
	dissolved := uint16(dissolved64)

	transfer := func(dest string, extra ...string) []string {
		return append([]string{"wallet", "transfer", "--wallet-name", "alice", "--dest", dest}, extra...)
	}
	stakeAdd := func(hot wallet.AccountID, amount uint64) []string {
		return []string{"stake", "add", "--wallet-name", "val", "--netuid", n, "--hotkey-ss58", hot.SS58(), "--amount", amt(amount), "--tolerance", "0.5"}
	}
	stakeRemove := func(wal string, amount uint64) []string {
		return []string{"stake", "remove", "--wallet-name", wal, "--netuid", n, "--hotkey-ss58", valHot.SS58(), "--amount", amt(amount), "--tolerance", "0.5"}
	}
	stakeMove := func(wal string, dest wallet.AccountID, amount uint64) []string {
		return []string{"stake", "move", "--wallet-name", wal, "--hotkey-ss58", valHot.SS58(), "--origin-netuid", n, "--dest-hotkey", dest.SS58(), "--amount", amt(amount), "--tolerance", "0.5"}
	}
	weights := func(kind, wal string, extra ...string) []string {
		return append([]string{"weights", kind, "--wallet-name", wal, "--netuid", n}, extra...)
	}
	sudo := func(wal string, extra ...string) []string {
		return append([]string{"sudo", "set", "--wallet-name", wal, "--netuid", n}, extra...)
	}
	noFlags := func(t *testing.T, _, tuiMsg string) {
		if strings.Contains(tuiMsg, "--amount") || strings.Contains(tuiMsg, "--dest") || strings.Contains(tuiMsg, "--value") ||
			strings.Contains(tuiMsg, "--uids") || strings.Contains(tuiMsg, "--weights") || strings.Contains(tuiMsg, "--tolerance") {
			t.Errorf("the console names a flag it does not have: %q", tuiMsg)
		}
	}
	cases := []parityCase{
		{name: "transfer over the balance", args: transfer("bob", "--amount", amt(aliceFree+1)), want: "insufficient balance",
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.Transfer(ctx, "alice", bobCold, aliceFree+1) }},
		{name: "transfer leaving less than the existential deposit", args: transfer("bob", "--amount", amt(aliceFree-fee-ed+1)), want: "below the existential deposit",
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.Transfer(ctx, "alice", bobCold, aliceFree-fee-ed+1) }},
		{name: "transfer to an empty account below the deposit", args: transfer(otherHot.SS58(), "--amount", amt(ed-1)), want: "below the existential deposit",
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.Transfer(ctx, "alice", otherHot, ed-1) }},
		{name: "transfer to the sender", args: transfer("alice", "--amount", "1"), want: "is the sender itself", rule: noFlags,
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.Transfer(ctx, "alice", aliceCold, 1_000_000_000) }},
		{name: "stake below the minimum", args: stakeAdd(valHot, minStake-1), want: "below the minimum stake",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.AddStake(ctx, "val", valHot, netuid, minStake-1, unsafeTrade)
			}},
		{name: "stake leaving less than the existential deposit", args: stakeAdd(valHot, valFree-fee-ed+1), want: "existential deposit",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.AddStake(ctx, "val", valHot, netuid, valFree-fee-ed+1, unsafeTrade)
			}},
		{name: "stake over the balance", args: stakeAdd(valHot, valFree), want: "insufficient balance",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.AddStake(ctx, "val", valHot, netuid, valFree, unsafeTrade)
			}},
		{name: "stake on an unregistered hotkey", args: stakeAdd(otherHot, 2*minStake), want: "does not exist",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.AddStake(ctx, "val", otherHot, netuid, 2*minStake, unsafeTrade)
			}},
		{name: "stake in a dissolved subnet", args: []string{"stake", "add", "--wallet-name", "val", "--netuid", fx.dissolved, "--amount", "1"}, want: "does not exist",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				d, _ := strconv.Atoi(fx.dissolved)
				return tx.AddStake(ctx, "val", valHot, uint16(d), 1_000_000_000, guard)
			}},
		{name: "partial unstake below the minimum", args: stakeRemove("val", 1), want: "below the minimum stake",
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.RemoveStake(ctx, "val", valHot, netuid, 1, unsafeTrade) }},
		{name: "unstake more than the position", args: stakeRemove("val", valStake+1), want: "is more than the", rule: noFlags,
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.RemoveStake(ctx, "val", valHot, netuid, valStake+1, unsafeTrade)
			}},
		{name: "unstake without a position", args: stakeRemove("alice", minStake), want: "has no stake",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.RemoveStake(ctx, "alice", valHot, netuid, minStake, unsafeTrade)
			}},
		{name: "tolerance out of range", args: []string{"stake", "add", "--wallet-name", "val", "--netuid", n, "--amount", "1", "--tolerance", "2"}, want: "out of range", rule: noFlags,
			tx: func(tx tuiTx) (tui.Ticket, error) { return tui.Ticket{}, tx.CheckTrade(tui.Trade{Tolerance: "2"}) }},
		{name: "tolerance not a number", args: []string{"stake", "remove", "--wallet-name", "val", "--netuid", n, "--amount", "1", "--tolerance", "half"}, want: "give a fraction", rule: noFlags,
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.RemoveStake(ctx, "val", valHot, netuid, 1, tui.Trade{Tolerance: "half", AllowPartial: true})
			}},
		{name: "move below the minimum", args: stakeMove("val", bobHot, 1), want: "below the minimum stake",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.MoveStake(ctx, "val", valHot, netuid, bobHot, netuid, 1, unsafeTrade)
			}},
		{name: "move to an unregistered hotkey", args: stakeMove("val", otherHot, valStake/2), want: "does not exist",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.MoveStake(ctx, "val", valHot, netuid, otherHot, netuid, valStake/2, unsafeTrade)
			}},
		{name: "move more than the position", args: stakeMove("val", bobHot, valStake+1), want: "is more than the", rule: noFlags,
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.MoveStake(ctx, "val", valHot, netuid, bobHot, netuid, valStake+1, unsafeTrade)
			}},
		{name: "move to the same position", args: stakeMove("val", valHot, valStake/2), want: "very same position",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.MoveStake(ctx, "val", valHot, netuid, valHot, netuid, valStake/2, unsafeTrade)
			}},
		{name: "move without a position", args: stakeMove("alice", bobHot, minStake), want: "has no stake",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.MoveStake(ctx, "alice", valHot, netuid, bobHot, netuid, minStake, unsafeTrade)
			}},
		{name: "register an already registered hotkey", args: []string{"subnets", "register", "--wallet-name", "val", "--netuid", n}, want: "already registered",
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.BurnedRegister(ctx, "val", "default", netuid) }},
		{name: "register on a dissolved subnet", args: []string{"subnets", "register", "--wallet-name", "other", "--netuid", fx.dissolved}, want: "does not exist",
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.BurnedRegister(ctx, "other", "default", dissolved) }},
		{name: "register on root", args: []string{"subnets", "register", "--wallet-name", "other", "--netuid", "0"}, want: "root network",
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.BurnedRegister(ctx, "other", "default", 0) }},
		{name: "pow-register on a dissolved subnet", args: []string{"subnets", "pow-register", "--wallet-name", "other", "--netuid", fx.dissolved}, want: "does not exist",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.PowRegister(ctx, "other", "default", dissolved)
			}},
		{name: "pow-register on root", args: []string{"subnets", "pow-register", "--wallet-name", "other", "--netuid", "0"}, want: "root network",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.PowRegister(ctx, "other", "default", 0)
			}},
		{name: "unknown hyperparameter", args: sudo("alice", "--param", "nosuch", "--value", "1"), want: `unknown hyperparameter "nosuch"`,
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.SetHyperparameter(ctx, "alice", netuid, "nosuch", "1") }},
		{name: "hyperparameter value too wide", args: sudo("alice", "--param", "tempo", "--value", "70000"), want: "integer from 0 to 65535", rule: noFlags,
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.SetHyperparameter(ctx, "alice", netuid, "tempo", "70000")
			}},
		{name: "hyperparameter by not the owner", args: sudo("val", "--param", "tempo", "--value", "400"), want: "not the owner",
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.SetHyperparameter(ctx, "val", netuid, "tempo", "400") }},
		{name: "sudo-only hyperparameter by the owner", args: sudo("alice", "--param", "kappa", "--value", "100"), want: "only be set by the sudo account",
			tx: func(tx tuiTx) (tui.Ticket, error) { return tx.SetHyperparameter(ctx, "alice", netuid, "kappa", "100") }},
		{name: "weights with a duplicate uid", args: weights("set", "val", "--uids", "0,0", "--weights", "1,1"), want: "appears twice", rule: noFlags,
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.SetWeights(ctx, "val", "default", netuid, []uint16{0, 0}, []uint16{1, 1})
			}},
		{name: "weights of a missing uid", args: weights("set", "val", "--uids", "0,7", "--weights", "1,1"), want: "no validator permit",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.SetWeights(ctx, "val", "default", netuid, []uint16{0, 7}, []uint16{1, 1})
			}},
		{name: "weights all zero", args: weights("set", "val", "--uids", "0,1", "--weights", "0,0"), want: "all zero",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.SetWeights(ctx, "val", "default", netuid, []uint16{0, 1}, []uint16{0, 0})
			}},
		{name: "weights of an unregistered hotkey", args: weights("set", "other", "--uids", "0", "--weights", "1"), want: "is not registered on subnet", // Pays::No: no fee check
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.SetWeights(ctx, "other", "default", netuid, []uint16{0}, []uint16{1})
			}},
		{name: "commit weights with commit-reveal off", args: weights("commit", "val", "--uids", "0,1", "--weights", "1,1"), want: "commit-reveal is disabled",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.CommitWeights(ctx, "val", "default", netuid, []uint16{0, 1}, []uint16{1, 1})
			}},
		{name: "reveal weights with commit-reveal off", args: weights("reveal", "val", "--uids", "0,1", "--weights", "1,1", "--salt", "1,2"), want: "commit-reveal is disabled",
			tx: func(tx tuiTx) (tui.Ticket, error) {
				return tx.RevealWeights(ctx, "val", "default", netuid, []uint16{0, 1}, []uint16{1, 1}, []uint16{1, 2})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := fx.snapshot(t)
			r := fx.c.run(append(tc.args, "--yes")...)
			if r.code == 0 {
				t.Fatalf("btui %s succeeded:\n%s", strings.Join(tc.args, " "), r.out)
			}
			cmdMsg := commandError(t, r)
			ticket, err := fx.console(t, tc.tx)
			if err == nil {
				t.Fatalf("the console accepted what the command refused (%q): %+v", cmdMsg, ticket)
			}
			t.Logf("%s", cmdMsg)
			if !strings.Contains(cmdMsg, tc.want) {
				t.Fatalf("the command refused on another check: %q (want %q)", cmdMsg, tc.want)
			}
			if got, want := err.Error(), consoleFlagWords.Replace(cmdMsg); got != want {
				t.Errorf("messages differ:\ncommand: %s\nconsole: %s", want, got)
			}
			if got := exitCode(err); got != r.code {
				t.Errorf("the console's error has exit code %d, the command exited %d", got, r.code)
			}
			if tc.rule != nil {
				tc.rule(t, cmdMsg, err.Error())
			}
			if after := fx.snapshot(t); after != before {
				t.Errorf("something was submitted or written: %s → %s", before, after)
			}
		})
	}

	// A good input: the console's confirmation shows the command's title and preview.
	good := []struct {
		name string
		args []string
		tx   func(tuiTx) (tui.Ticket, error)
	}{
		{"transfer", transfer("bob", "--amount", "1.5"), func(tx tuiTx) (tui.Ticket, error) {
			return tx.Transfer(ctx, "alice", bobCold, 1_500_000_000)
		}},
		{"stake add", stakeAdd(valHot, 2_000_000_000), func(tx tuiTx) (tui.Ticket, error) {
			return tx.AddStake(ctx, "val", valHot, netuid, 2_000_000_000, unsafeTrade)
		}},
		{"stake remove", stakeRemove("val", valStake/2), func(tx tuiTx) (tui.Ticket, error) {
			return tx.RemoveStake(ctx, "val", valHot, netuid, valStake/2, unsafeTrade)
		}},
		{"stake move", stakeMove("val", bobHot, valStake/2), func(tx tuiTx) (tui.Ticket, error) {
			return tx.MoveStake(ctx, "val", valHot, netuid, bobHot, netuid, valStake/2, unsafeTrade)
		}},
		{"subnets register", []string{"subnets", "register", "--wallet-name", "other", "--netuid", n}, func(tx tuiTx) (tui.Ticket, error) {
			return tx.BurnedRegister(ctx, "other", "default", netuid)
		}},
		{"sudo set", sudo("alice", "--param", "tempo", "--value", "400"), func(tx tuiTx) (tui.Ticket, error) {
			return tx.SetHyperparameter(ctx, "alice", netuid, "tempo", "400")
		}},
		// Without a validator permit yet, a neuron may weight only itself.
		{"weights set", weights("set", "val", "--uids", strconv.Itoa(int(valUID)), "--weights", "7"), func(tx tuiTx) (tui.Ticket, error) {
			return tx.SetWeights(ctx, "val", "default", netuid, []uint16{valUID}, []uint16{7})
		}},
	}
	for _, g := range good {
		t.Run("preview of "+g.name, func(t *testing.T) {
			before := fx.snapshot(t)
			// Without --yes and without a terminal the command prints its preview and stops.
			r := fx.c.run(g.args...)
			if r.code == 0 {
				t.Fatalf("btui %s submitted without --yes", strings.Join(g.args, " "))
			}
			ticket, err := fx.console(t, g.tx)
			if err != nil {
				t.Fatalf("the console refused what the command previews: %v\n%s", err, r.errOut)
			}
			var want bytes.Buffer
			want.WriteString(ticket.Title + "\n")
			lines := make([]previewLine, len(ticket.Preview))
			for i, l := range ticket.Preview {
				lines[i] = previewLine{l.Label, l.Value}
			}
			printLines(&want, lines)
			if !strings.HasPrefix(r.errOut, want.String()) {
				t.Errorf("previews differ:\ncommand:\n%s\nconsole:\n%s", r.errOut, want.String())
			}
			if after := fx.snapshot(t); after != before {
				t.Errorf("something was submitted or written: %s → %s", before, after)
			}
		})
	}
}

// consoleErr rewords only the flags that name a value, keeps the command's exit code and
// wrapped errors, and leaves every other message (and a nil error) as it is.
func TestConsoleErr(t *testing.T) {
	if consoleErr(nil) != nil {
		t.Fatal("consoleErr(nil) is not nil")
	}
	plain := usageErrorf("insufficient balance: top it up")
	if got := consoleErr(plain); got != plain {
		t.Errorf("a message without a flag was rewrapped: %v", got)
	}
	for in, want := range map[string]string{
		"--amount 5 α is more than the 4 α staked":                                                               "5 α is more than the 4 α staked",
		"--dest is the sender itself (5F...)":                                                                    "the destination is the sender itself (5F...)",
		"--tolerance 2 is out of range; use --unsafe":                                                            "tolerance 2 is out of range; use --unsafe",
		"the transfer would leave X below Y: send less, or pass --allow-death (or --all); nothing was submitted": "the transfer would leave X below Y: send less (the console keeps the existential deposit; `btui wallet transfer --allow-death` closes the account); nothing was submitted",
		"raise --tolerance, pass --allow-partial, or trade less":                                                 "raise tolerance, switch allow partial on (space), or trade less",
		`--value "x": tempo is an integer from 0 to 65535`:                                                       `value "x": tempo is an integer from 0 to 65535`,
		"--weights are all zero: uid 0 appears in --uids":                                                        "weights are all zero: uid 0 appears in uids",
	} {
		orig := withCode(ExitNotFound, fmt.Errorf("%s: %w", in, protocol.ErrNotFound))
		got := consoleErr(orig)
		if got.Error() != want+": "+protocol.ErrNotFound.Error() {
			t.Errorf("consoleErr(%q) = %q, want %q", in, got, want)
		}
		if exitCode(got) != ExitNotFound || !errors.Is(got, protocol.ErrNotFound) {
			t.Errorf("consoleErr(%q) lost the exit code or the wrapped error: %d", in, exitCode(got))
		}
	}
}
