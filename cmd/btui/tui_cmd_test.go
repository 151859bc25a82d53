package main

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// The console's transfer runs the real keystore (unlock with the password), the same
// signing as the commands, and the real embedded chain.
func TestTUITransferWithKeystoreAndChain(t *testing.T) {
	e := newConsoleEnv(t)
	mnemonic, w, _ := e.operator("alice", "s3cret", 100*1_000_000_000)
	if kp, err := wallet.FromSURI(mnemonic); err != nil || kp.Address() != w.Address {
		t.Fatalf("the mnemonic does not give the wallet's address: %v", err)
	}
	bob, _ := wallet.Dev("Bob")
	before, _ := e.client.Account(context.Background(), bob.AccountID())

	d := e.open("alice", "", 120, 40)
	d.step([]string{"2"}, "● alice", "100.0000")
	d.step([]string{"t", bob.Address(), "tab", "1.5", "enter"}, "Transfer 1.5 TAO", "sender after", "98.4999 TAO", "recipient after", "Confirm (y)")
	d.confirmWith("wrong", "Unlock coldkey alice", "wrong password")
	if strings.Contains(d.screen(), "done in block") {
		t.Fatal("a wrong password sent the transfer")
	}
	d.step([]string{"s3cret", "enter"}, "Transfer 1.5 TAO from "+w.Address, "done in block")
	after, err := e.client.Account(context.Background(), bob.AccountID())
	if err != nil || after.Free-before.Free != 1_500_000_000 {
		t.Fatalf("bob received %d rao (%v), want 1.5 TAO", after.Free-before.Free, err)
	}
}

func TestTUIKeysAdapter(t *testing.T) {
	store, err := keystore.New(t.TempDir(), keystore.WithKDFParams(keystore.LightKDFParams()))
	if err != nil {
		t.Fatal(err)
	}
	k := tuiKeys{store: store}
	phrase := "crowd swamp sniff machine grid pretty client emotion banana cricket flush soap"
	w, err := k.ImportWallet("imp", phrase, wallet.Ecdsa, []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	if w.Address != "5F9UMJqrtQ2k2i4tP3qcdvCttunoQLdTtDyDSShoSgFRhFfC" {
		t.Fatalf("imported address %s", w.Address)
	}
	if _, err := k.ImportWallet("imp", phrase, wallet.Ecdsa, []byte("pw")); !errors.Is(err, keystore.ErrExists) {
		t.Fatalf("importing over an existing wallet: %v", err)
	}
	if _, err := k.UnlockColdkey("imp", []byte("nope")); err == nil {
		t.Fatal("wrong password unlocked the coldkey")
	}
	kp, err := k.UnlockColdkey("imp", []byte("pw"))
	if err != nil || kp.Address() != w.Address {
		t.Fatalf("unlock: %v", err)
	}
	kp.Zero()
	_, h, err := k.NewHotkey("imp", "hk")
	if err != nil {
		t.Fatal(err)
	}
	hk, err := k.Hotkey("imp", "hk")
	if err != nil || hk.Address() != h.Address {
		t.Fatalf("hotkey: %v", err)
	}
	ws, err := k.ListWallets()
	if err != nil || len(ws) != 1 || ws[0].Address != w.Address || !ws[0].Encrypted || len(ws[0].Hotkeys) != 1 || ws[0].Hotkeys[0].Address != h.Address {
		t.Fatalf("list: %+v %v", ws, err)
	}
}

// An operator's first session in the console, on the real chain: register the hotkey by
// burning, stake on it, open the metagraph, set weights — each with the command's preview.
func TestTUIRegisterStakeMetagraphWeights(t *testing.T) {
	e := newConsoleEnv(t)
	client := e.client
	_, w, hk := e.operator("op", "pw", 1000*1_000_000_000)
	cold, _ := wallet.ParseAddress(w.Address)
	d := e.open("op", "default", 140, 44)

	// register by burning, on the first subnet of the Register page (subnet 1)
	d.step([]string{"5"}, "Register", "Burn cost")
	d.step([]string{"b"}, "Register hotkey", "burn", "slots left", "Confirm (y)", "Dry run (d)")
	// the dry run of a transaction the builder prepares: the chain's Simulate at the head
	d.step([]string{"d"}, "Dry run — Register hotkey", "the chain would accept it", "nothing was submitted")
	d.step([]string{"y"}, "Confirm (y)")
	d.confirmWith("pw", "Register hotkey "+hk.Address+" on subnet 1: done in block")

	// stake 0.2 TAO on it with the pool preview; the tolerance and allow-partial are set in
	// the form and checked as the command's --tolerance is
	d.step([]string{"3", "a"}, "Add stake from op", hk.Address)
	d.keys("tab", "tab", "0.2", "tab")
	d.backspace(len("0.005"))
	d.step([]string{"2", "enter", "enter"}, "tolerance: 2 is out of range: it must be more than 0 and less than 1")
	d.backspace(1)
	d.keys("0.01", "enter")
	d.backspace(len("no"))
	d.step([]string{"yes", "enter"}, "expected", "slippage", "price", "balance after", "1%: limit", "fills partially up to it")
	d.confirmWith("pw", "done in block")
	// the position is valued at what it would fetch if sold now (the pool's quote after
	// fees), with the spot value labelled as such
	d.waitFor("1 position: ", "if sold now (pool quote after fees)", "at spot price", "If sold τ", "Spot τ")

	// a move of more than the position is refused by the plan: the form comes back with the
	// error under the console's label for the amount ("alpha"), never a flag
	d.step([]string{"m"}, "Move stake from")
	d.keys("tab")
	d.backspace(1)
	d.keys("0", "tab") // to root
	d.backspace(20)
	d.keys("1000", "enter", "enter")
	d.waitFor("Move stake from", "alpha: 1000", "is more than the")
	if s := d.screen(); strings.Contains(s, "--amount") || strings.Contains(s, "--dest") {
		t.Fatalf("the console's move error names a flag:\n%s", s)
	}
	d.keys("esc")

	// move it to root (netuid 0): the preview shows both legs
	d.step([]string{"m"}, "Move stake from")
	d.keys("tab")
	d.backspace(1)
	d.keys("0", "enter", "enter", "enter") // the tolerance confirmed for the stake is proposed again
	d.waitFor("Move ", "sell leg", "buy leg", "1%: price impact checked", "Confirm (y)")
	d.confirmWith("pw", "of stake: done in block")
	ps, err := client.StakesByColdkey(context.Background(), cold)
	if err != nil || len(ps) != 1 || ps[0].Netuid != 0 || ps[0].Alpha == 0 {
		t.Fatalf("after the move: %+v %v, want one position on root", ps, err)
	}

	// the metagraph of subnet 1 shows the new neuron
	d.step([]string{"4"}, "sn1")
	d.step([]string{"j", "enter"}, "Subnet 1 — metagraph")
	short := hk.Address[:6]
	d.waitFor(short)

	// weights: without a validator permit a hotkey may only weight itself: find our uid with
	// the filter, raise it and submit, signed by the hotkey (no password)
	e.fund(hk.Address, 1_000_000_000) // the hotkey pays its fee
	d.step([]string{"6"}, "miners weighted")
	d.step([]string{"W"}, "every weight is zero")
	d.step([]string{"/", hk.Address[:7], "enter", "+", "+", "W"}, "Set weights of", "version key")
	d.step([]string{"y"}, "Set weights of "+hk.Address+" on subnet 1: done in block")
}

// Proof-of-work registration from the Register page on a producing chain (250 ms blocks, as
// the devnet runs): the confirmation and the password come first, then the work is solved
// with the unlocked key and sent at once, so it is still valid when its block is built (work
// solved before the confirmation went stale: invalid_work_block).
func TestTUIPowRegisterLiveChain(t *testing.T) {
	e := newConsoleEnv(t)
	_, _, hk := e.operator("miner", "pw", 10*1_000_000_000)
	// Blocks of 1 s: the work is valid for 3 blocks, which must cover solving, the dry run,
	// signing and inclusion even under the race detector on a loaded machine; the point is
	// that the confirmation and the password come before the solving.
	if err := e.client.Chain().SetBlockTime(time.Second); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Chain().Start(); err != nil {
		t.Fatal(err)
	}
	o := e.options()
	o.Wallet = "miner"
	d := newLiveDriver(t, tui.New(o))
	d.start(120, 40)
	d.keys("5")
	d.waitFor("PoW difficulty", "sn")
	d.keys("w")
	d.waitFor("Register hotkey", "difficulty", "solved after you unlock the coldkey", "Confirm (y)")
	// dawdle at the confirmation for more than 3 blocks: nothing is solved yet, so nothing
	// goes stale
	time.Sleep(3500 * time.Millisecond)
	d.keys("y")
	d.waitFor("Unlock coldkey miner")
	d.keys("wrong", "enter")
	d.waitFor("Unlock coldkey miner", "wrong password")
	d.keys("pw", "enter")
	d.waitFor("Register hotkey " + hk.Address + " on subnet 1 with proof of work: done in block")
	mg, err := e.client.Metagraph(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range mg.Neurons {
		found = found || n.Hotkey.SS58() == hk.Address
	}
	if !found {
		t.Fatalf("hotkey %s is not in subnet 1's metagraph after the registration", hk.Address)
	}
}

// The subnet owner (here also the sudo account) edits a hyperparameter from the Subnets page.
func TestTUIOwnerSetsHyperparameter(t *testing.T) {
	e := newConsoleEnv(t)
	if _, err := e.keys.ImportWallet("owner", "//Alice", wallet.Ecdsa, []byte("pw")); err != nil { // genesis owner of subnet 1
		t.Fatal(err)
	}
	d := e.open("owner", "", 120, 40)
	d.step([]string{"4"}, "sn1")
	d.step([]string{"j", "p"}, "Subnet 1 — hyperparameters", "immunity_period")
	d.step([]string{"/", "immunity_period", "enter", "e"}, "Set immunity_period of subnet 1")
	d.handle(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear the value
	// //Alice is sudo as well as the owner
	d.step([]string{"123", "enter"}, "Set immunity_period of subnet 1 to 123 (as sudo)", "Confirm (y)")
	d.confirmWith("pw", "done in block")
	d.waitFor("123")
}

// Commit and reveal from the Weights page: the console keeps the salt of its commit and
// reveals in the window the chain announced.
func TestTUIWeightsCommitReveal(t *testing.T) {
	e := newConsoleEnv(t)
	client := e.client
	bg := context.Background()
	keys := e.keys
	tx := e.tx()
	submit := func(walletName string, tk ops.Plan, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		kp, err := keys.UnlockColdkey(walletName, []byte("pw"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := chainclient.Sign(bg, client, kp, tk.Call, chainclient.SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		info, err := client.SubmitAndWait(bg, b)
		if err != nil || !info.Receipt.OK() {
			t.Fatalf("%s: %v %+v", tk.Title, err, info)
		}
	}
	if _, err := keys.ImportWallet("owner", "//Alice", wallet.Ecdsa, []byte("pw")); err != nil {
		t.Fatal(err)
	}
	tk, err := tx.SetHyperparameter(bg, "owner", 1, "commit_reveal", "true")
	submit("owner", tk, err)
	_, _, hk := e.operator("val", "pw", 100*1_000_000_000)
	e.fund(hk.Address, 1_000_000_000)
	tk, err = tx.BurnedRegister(bg, "val", "default", 1)
	submit("val", tk, err)

	d := e.open("val", "", 140, 40)
	d.step([]string{"6"}, "miners weighted")
	d.step([]string{"R"}, "no commit waiting for its reveal")
	d.step([]string{"/", hk.Address[:7], "enter", "+", "C"}, "Commit weights of", "salt", "hash", "Confirm (y)")
	d.step([]string{"y"}, "Commit weights of "+hk.Address+" on subnet 1: done in block")
	d.waitFor("commit sn1 #", "window #", "opens in", "A: auto-reveal")

	// advance into the reveal window the chain announced
	head := client.Chain().Head().Height
	evs, err := client.Events(bg, head, head)
	if err != nil {
		t.Fatal(err)
	}
	var from uint64
	for _, e := range evs {
		if e.Name == "WeightsCommitted" {
			from, _ = strconv.ParseUint(e.Attr("reveal_from"), 10, 64)
		}
	}
	if from == 0 {
		t.Fatalf("no WeightsCommitted event in block %d: %+v", head, evs)
	}
	if from > head+1 {
		if _, err := client.Advance(bg, from-head-1, nil); err != nil {
			t.Fatal(err)
		}
	}
	d.waitFor("left: R reveals")
	d.step([]string{"R"}, "Reveal weights of", "Confirm (y)")
	d.step([]string{"y"}, "Reveal weights of "+hk.Address+" on subnet 1: done in block")
}

// explorerTop reads the chain explorer's screen: the height in its title line and the height
// of the first block row.
func explorerTop(screen string) (title, first string) {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if _, rest, ok := strings.Cut(l, "Chain explorer  #"); ok {
			title, _, _ = strings.Cut(rest, " ")
		}
		if strings.Contains(l, "Height") && strings.Contains(l, "Hash") && i+1 < len(lines) {
			if f := strings.Fields(lines[i+1]); len(f) > 0 {
				first = f[0]
			}
		}
	}
	return title, first
}

// The Chain explorer on a producing chain follows the head: opened long after the console
// started, its first row and selection are the newest block; moving the cursor away holds
// the selected block (the indicator says so) and f resumes following.
func TestTUIExplorerFollowsHead(t *testing.T) {
	e := newConsoleEnv(t)
	if err := e.client.Chain().SetBlockTime(40 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Chain().Start(); err != nil {
		t.Fatal(err)
	}
	o := e.options()
	o.NoFirstRun = true
	d := newLiveDriver(t, tui.New(o))
	d.start(120, 40)
	// let the chain run well past a screenful of blocks before the explorer is opened
	d.waitUntil("60 blocks", func() bool { return e.client.Chain().Head().Height > 60 })
	d.keys("7")
	following := func() bool {
		title, first := explorerTop(d.screen())
		return strings.Contains(d.screen(), "● following the head") && title != "" && title == first
	}
	d.waitUntil("the explorer lists the head first", following)
	start := e.client.Chain().Head().Height
	d.waitUntil("10 more blocks", func() bool { return e.client.Chain().Head().Height > start+10 })
	d.waitUntil("the explorer still lists the head first", following)

	// scroll away: the selected block is held while the head moves on
	d.keys("j", "j")
	d.waitFor("○ held at #")
	held := d.screen()[strings.Index(d.screen(), "○ held at #"):]
	held = strings.Fields(held)[3]
	now := e.client.Chain().Head().Height
	d.waitUntil("5 more blocks", func() bool { return e.client.Chain().Head().Height > now+5 })
	d.waitFor("○ held at "+held, "(f/G follows the head)")
	d.keys("f")
	d.waitUntil("f follows the head again", following)
}
