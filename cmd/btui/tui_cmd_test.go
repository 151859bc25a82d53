package main

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// tuiDriver feeds key presses to the console and runs its commands: quick ones at once,
// blocking ones (the head subscription, a transaction waiting for its block) parked until
// waitFor needs their message.
type tuiDriver struct {
	t       *testing.T
	app     *tui.App
	pending []chan tea.Msg
}

func (d *tuiDriver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case m := <-ch:
		d.handle(m)
	case <-time.After(300 * time.Millisecond):
		d.pending = append(d.pending, ch)
	}
}

func (d *tuiDriver) handle(m tea.Msg) {
	switch m := m.(type) {
	case nil, tea.QuitMsg, tea.InterruptMsg:
		return
	case tea.BatchMsg:
		for _, c := range m {
			d.run(c)
		}
		return
	}
	_, next := d.app.Update(m)
	d.run(next)
}

func (d *tuiDriver) keys(ks ...string) {
	for _, k := range ks {
		var msg tea.KeyPressMsg
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		default:
			for _, r := range k {
				d.handle(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		d.handle(msg)
	}
}

func (d *tuiDriver) screen() string { return ansi.Strip(d.app.Render()) }

func (d *tuiDriver) waitFor(subs ...string) {
	d.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := d.screen()
		if !slices.ContainsFunc(subs, func(sub string) bool { return !strings.Contains(s, sub) }) {
			return
		}
		left := time.Until(deadline)
		if left <= 0 || len(d.pending) == 0 {
			d.t.Fatalf("screen never showed %q:\n%s", subs, s)
		}
		cases := []reflect.SelectCase{{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(time.After(left))}}
		for _, ch := range d.pending {
			cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ch)})
		}
		i, v, _ := reflect.Select(cases)
		if i == 0 {
			continue
		}
		d.pending = slices.Delete(d.pending, i-1, i)
		var m tea.Msg
		if v.IsValid() && !v.IsNil() {
			m = v.Interface()
		}
		d.handle(m)
	}
}

// The console's transfer runs the real keystore (unlock with the password), the same
// signing as the commands, and the real embedded chain.
func TestTUITransferWithKeystoreAndChain(t *testing.T) {
	io, _, _ := NewTestIO("", false)
	f := NewFactory(io)
	f.Opts.WalletPath = t.TempDir()
	f.KeystoreOptions = []keystore.Option{keystore.WithKDFParams(keystore.LightKDFParams())}
	store, err := f.Keystore()
	if err != nil {
		t.Fatal(err)
	}
	client, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	keys := tuiKeys{store: store}
	mnemonic, w, err := keys.CreateWallet("alice", []byte("s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	if kp, err := wallet.FromSURI(mnemonic); err != nil || kp.Address() != w.Address {
		t.Fatalf("the mnemonic does not give the wallet's address: %v", err)
	}
	if _, _, err := keys.NewHotkey("alice", "default"); err != nil {
		t.Fatal(err)
	}
	from, _ := wallet.ParseAddress(w.Address)
	if _, err := client.Faucet(context.Background(), from, 100*1_000_000_000); err != nil {
		t.Fatal(err)
	}
	bob, _ := wallet.Dev("Bob")
	before, _ := client.Account(context.Background(), bob.AccountID())

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &tuiDriver{t: t, app: tui.New(tui.Options{Keys: keys, Client: client, Tx: tuiTx{f: f, client: client},
		Context: ctx, Network: "test", Wallet: "alice", NoAnimation: true})}
	d.handle(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.run(d.app.Init())
	d.keys("2")
	d.waitFor("● alice", "100.0000")
	d.keys("t", bob.Address(), "tab", "1.5", "enter")
	d.waitFor("Transfer 1.5 TAO", "sender after", "98.4999 TAO", "recipient after", "Confirm (y)")
	d.keys("y", "wrong", "enter")
	d.waitFor("Unlock coldkey alice", "wrong password")
	if strings.Contains(d.screen(), "done in block") {
		t.Fatal("a wrong password sent the transfer")
	}
	d.keys("s3cret", "enter")
	d.waitFor("Transfer 1.5 TAO from "+w.Address, "done in block")
	after, err := client.Account(context.Background(), bob.AccountID())
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
	w, err := k.ImportWallet("imp", phrase, []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	if w.Address != "5F9UMJqrtQ2k2i4tP3qcdvCttunoQLdTtDyDSShoSgFRhFfC" {
		t.Fatalf("imported address %s", w.Address)
	}
	if _, err := k.ImportWallet("imp", phrase, []byte("pw")); !errors.Is(err, keystore.ErrExists) {
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
	io, _, _ := NewTestIO("", false)
	f := NewFactory(io)
	f.Opts.WalletPath = t.TempDir()
	f.KeystoreOptions = []keystore.Option{keystore.WithKDFParams(keystore.LightKDFParams())}
	store, err := f.Keystore()
	if err != nil {
		t.Fatal(err)
	}
	client, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	keys := tuiKeys{store: store}
	_, w, err := keys.CreateWallet("op", []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	_, hk, err := keys.NewHotkey("op", "default")
	if err != nil {
		t.Fatal(err)
	}
	cold, _ := wallet.ParseAddress(w.Address)
	if _, err := client.Faucet(context.Background(), cold, 1000*1_000_000_000); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &tuiDriver{t: t, app: tui.New(tui.Options{Keys: keys, Client: client, Tx: tuiTx{f: f, client: client},
		Context: ctx, Network: "test", Wallet: "op", Hotkey: "default", NoAnimation: true})}
	d.handle(tea.WindowSizeMsg{Width: 140, Height: 44})
	d.run(d.app.Init())

	// register by burning, on the first subnet of the Register page (subnet 1)
	d.keys("5")
	d.waitFor("Register", "Burn cost")
	d.keys("b")
	d.waitFor("Register hotkey", "burn", "slots left", "Confirm (y)")
	d.keys("y", "pw", "enter")
	d.waitFor("Register hotkey " + hk.Address + " on subnet 1: done in block")

	// stake 0.2 TAO on it with the pool preview; the tolerance and allow-partial are set in
	// the form and checked as the command's --tolerance is
	d.keys("3", "a")
	d.waitFor("Add stake from op", hk.Address)
	backspace := func(n int) {
		for range n {
			d.handle(tea.KeyPressMsg{Code: tea.KeyBackspace})
		}
	}
	d.keys("tab", "tab", "0.2", "tab")
	backspace(len("0.005"))
	d.keys("2", "enter", "enter")
	d.waitFor("tolerance 2 is out of range: it must be more than 0 and less than 1")
	backspace(1)
	d.keys("0.01", "enter")
	backspace(len("no"))
	d.keys("yes", "enter")
	d.waitFor("expected", "slippage", "price", "balance after", "1%: limit", "fills partially up to it")
	d.keys("y", "pw", "enter")
	d.waitFor("done in block")
	d.waitFor("1 positions worth")

	// move it to root (netuid 0): the preview shows both legs
	d.keys("m")
	d.waitFor("Move stake from")
	d.keys("tab")
	d.handle(tea.KeyPressMsg{Code: tea.KeyBackspace})
	d.keys("0", "enter", "enter", "enter") // the tolerance confirmed for the stake is proposed again
	d.waitFor("Move ", "sell leg", "buy leg", "1%: price impact checked", "Confirm (y)")
	d.keys("y", "pw", "enter")
	d.waitFor("of stake: done in block")
	ps, err := chainclient.Modules(client).StakesByColdkey(context.Background(), cold)
	if err != nil || len(ps) != 1 || ps[0].Netuid != 0 || ps[0].Alpha == 0 {
		t.Fatalf("after the move: %+v %v, want one position on root", ps, err)
	}

	// the metagraph of subnet 1 shows the new neuron
	d.keys("4")
	d.waitFor("sn1")
	d.keys("j", "enter")
	d.waitFor("Subnet 1 — metagraph")
	short := hk.Address[:6]
	d.waitFor(short)

	// weights: without a validator permit a hotkey may only weight itself: find our uid with
	// the filter, raise it and submit, signed by the hotkey (no password)
	hotID, _ := wallet.ParseAddress(hk.Address)
	if _, err := client.Faucet(context.Background(), hotID, 1_000_000_000); err != nil { // the hotkey pays its fee
		t.Fatal(err)
	}
	d.keys("6")
	d.waitFor("miners weighted")
	d.keys("W")
	d.waitFor("every weight is zero")
	d.keys("/", hk.Address[:7], "enter", "+", "+", "W")
	d.waitFor("Set weights of", "version key")
	d.keys("y")
	d.waitFor("Set weights of " + hk.Address + " on subnet 1: done in block")
}

// Proof-of-work registration from the Register page: solved with the command's solver while
// a progress bar runs, then the same confirm and password as every transaction.
func TestTUIPowRegister(t *testing.T) {
	io, _, _ := NewTestIO("", false)
	f := NewFactory(io)
	f.Opts.WalletPath = t.TempDir()
	f.KeystoreOptions = []keystore.Option{keystore.WithKDFParams(keystore.LightKDFParams())}
	store, err := f.Keystore()
	if err != nil {
		t.Fatal(err)
	}
	client, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	keys := tuiKeys{store: store}
	_, w, err := keys.CreateWallet("miner", []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	_, hk, err := keys.NewHotkey("miner", "default")
	if err != nil {
		t.Fatal(err)
	}
	cold, _ := wallet.ParseAddress(w.Address)
	if _, err := client.Faucet(context.Background(), cold, 10*1_000_000_000); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &tuiDriver{t: t, app: tui.New(tui.Options{Keys: keys, Client: client, Tx: tuiTx{f: f, client: client},
		Context: ctx, Network: "test", Wallet: "miner", NoAnimation: true})}
	d.handle(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.run(d.app.Init())
	d.keys("5")
	d.waitFor("PoW difficulty")
	d.keys("w")
	d.waitFor("Register hotkey", "hashes in", "Confirm (y)")
	d.keys("y", "pw", "enter")
	d.waitFor("Register hotkey " + hk.Address + " on subnet 1 with proof of work: done in block")
}

// The subnet owner (here also the sudo account) edits a hyperparameter from the Subnets page.
func TestTUIOwnerSetsHyperparameter(t *testing.T) {
	io, _, _ := NewTestIO("", false)
	f := NewFactory(io)
	f.Opts.WalletPath = t.TempDir()
	f.KeystoreOptions = []keystore.Option{keystore.WithKDFParams(keystore.LightKDFParams())}
	store, err := f.Keystore()
	if err != nil {
		t.Fatal(err)
	}
	client, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	keys := tuiKeys{store: store}
	if _, err := keys.ImportWallet("owner", "//Alice", []byte("pw")); err != nil { // genesis owner of subnet 1
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &tuiDriver{t: t, app: tui.New(tui.Options{Keys: keys, Client: client, Tx: tuiTx{f: f, client: client},
		Context: ctx, Network: "test", Wallet: "owner", NoAnimation: true})}
	d.handle(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.run(d.app.Init())
	d.keys("4")
	d.waitFor("sn1")
	d.keys("j", "p")
	d.waitFor("Subnet 1 — hyperparameters", "immunity_period")
	d.keys("/", "immunity_period", "enter", "e")
	d.waitFor("Set immunity_period of subnet 1")
	d.handle(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear the value
	d.keys("123", "enter")
	d.waitFor("Set immunity_period of subnet 1 to 123 (as sudo)", "Confirm (y)") // //Alice is sudo as well as the owner
	d.keys("y", "pw", "enter")
	d.waitFor("done in block")
	d.waitFor("123")
}

// Commit and reveal from the Weights page: the console keeps the salt of its commit and
// reveals in the window the chain announced.
func TestTUIWeightsCommitReveal(t *testing.T) {
	io, _, _ := NewTestIO("", false)
	f := NewFactory(io)
	f.Opts.WalletPath = t.TempDir()
	f.KeystoreOptions = []keystore.Option{keystore.WithKDFParams(keystore.LightKDFParams())}
	store, err := f.Keystore()
	if err != nil {
		t.Fatal(err)
	}
	client, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	bg := context.Background()
	keys := tuiKeys{store: store}
	tx := tuiTx{f: f, client: client}
	submit := func(walletName string, tk tui.Ticket, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		kp, err := keys.UnlockColdkey(walletName, []byte("pw"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := tk.Sign(bg, kp)
		if err != nil {
			t.Fatal(err)
		}
		info, err := client.SubmitAndWait(bg, b)
		if err != nil || !info.Receipt.OK() {
			t.Fatalf("%s: %v %+v", tk.Title, err, info)
		}
	}
	if _, err := keys.ImportWallet("owner", "//Alice", []byte("pw")); err != nil {
		t.Fatal(err)
	}
	tk, err := tx.SetHyperparameter(bg, "owner", 1, "commit_reveal", "true")
	submit("owner", tk, err)
	_, w, _ := keys.CreateWallet("val", []byte("pw"))
	_, hk, _ := keys.NewHotkey("val", "default")
	cold, _ := wallet.ParseAddress(w.Address)
	hot, _ := wallet.ParseAddress(hk.Address)
	client.Faucet(bg, cold, 100*1_000_000_000)
	client.Faucet(bg, hot, 1_000_000_000)
	tk, err = tx.BurnedRegister(bg, "val", "default", 1)
	submit("val", tk, err)

	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	d := &tuiDriver{t: t, app: tui.New(tui.Options{Keys: keys, Client: client, Tx: tx,
		Context: ctx, Network: "test", Wallet: "val", NoAnimation: true})}
	d.handle(tea.WindowSizeMsg{Width: 140, Height: 40})
	d.run(d.app.Init())
	d.keys("6")
	d.waitFor("miners weighted")
	d.keys("R")
	d.waitFor("no commit from this session to reveal")
	d.keys("/", hk.Address[:7], "enter", "+", "C")
	d.waitFor("Commit weights of", "salt", "hash", "Confirm (y)")
	d.keys("y")
	d.waitFor("Commit weights of " + hk.Address + " on subnet 1: done in block")
	d.waitFor("waiting for its reveal (R)")

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
	d.keys("R")
	d.waitFor("Reveal weights of", "Confirm (y)")
	d.keys("y")
	d.waitFor("Reveal weights of " + hk.Address + " on subnet 1: done in block")
}
