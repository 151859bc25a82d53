package main

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// consoleHarness is what the console drivers share: the console, how a command of its runs
// (launch: at once or parked for tuiDriver, in a goroutine for liveDriver), and typing.
type consoleHarness struct {
	t      testing.TB
	app    *tui.App
	launch func(tea.Cmd)
}

// handle gives one message to the console and launches the command it answers with; a
// batch launches each of its commands.
func (h *consoleHarness) handle(m tea.Msg) {
	switch m := m.(type) {
	case nil, tea.QuitMsg, tea.InterruptMsg:
		return
	case tea.BatchMsg:
		for _, c := range m {
			h.launch(c)
		}
		return
	}
	_, next := h.app.Update(m)
	h.launch(next)
}

// start sizes the console's window and launches its start-up commands.
func (h *consoleHarness) start(width, height int) {
	h.handle(tea.WindowSizeMsg{Width: width, Height: height})
	h.launch(h.app.Init())
}

// keys types each key; "enter", "tab", "esc" and "backspace" are the special keys, anything
// else is typed character by character.
func (h *consoleHarness) keys(ks ...string) {
	for _, k := range ks {
		switch k {
		case "enter":
			h.handle(tea.KeyPressMsg{Code: tea.KeyEnter})
		case "tab":
			h.handle(tea.KeyPressMsg{Code: tea.KeyTab})
		case "esc":
			h.handle(tea.KeyPressMsg{Code: tea.KeyEscape})
		case "backspace":
			h.handle(tea.KeyPressMsg{Code: tea.KeyBackspace})
		default:
			for _, r := range k {
				h.handle(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
		}
	}
}

// backspace presses backspace n times.
func (h *consoleHarness) backspace(n int) {
	for range n {
		h.keys("backspace")
	}
}

func (h *consoleHarness) screen() string { return ansi.Strip(h.app.Render()) }

// shows tells whether the screen shows every sub.
func (h *consoleHarness) shows(subs []string) bool {
	s := h.screen()
	return !slices.ContainsFunc(subs, func(sub string) bool { return !strings.Contains(s, sub) })
}

// lightKeystore is a factory over an empty wallet directory whose key store uses the light
// KDF parameters, and the console's keys adapter over that store.
func lightKeystore(tb testing.TB) (*Factory, tuiKeys) {
	tb.Helper()
	io, _, _ := NewTestIO("", false)
	f := NewFactory(io)
	f.Env = cleanEnv(tb)
	f.Opts.WalletPath = tb.TempDir()
	f.KeystoreOptions = []keystore.Option{keystore.WithKDFParams(keystore.LightKDFParams())}
	store, err := f.Keystore()
	if err != nil {
		tb.Fatal(err)
	}
	return f, tuiKeys{store: store}
}

// consoleEnv is what a console test runs on: an empty light key store and a fresh embedded
// devnet (closed when the test ends) whose producer does not run unless the test starts it.
type consoleEnv struct {
	t      *testing.T
	f      *Factory
	keys   tuiKeys
	client *chainclient.Embedded
}

func newConsoleEnv(t *testing.T) *consoleEnv {
	t.Helper()
	f, keys := lightKeystore(t)
	client, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return &consoleEnv{t: t, f: f, keys: keys, client: client}
}

// setupPlans plans the transactions a console test sets its devnet up with: the ops plans the
// console's forms use, for a wallet of the test's key store.
type setupPlans struct{ e *consoleEnv }

// tx plans set-up transactions on this devnet.
func (e *consoleEnv) tx() setupPlans { return setupPlans{e} }

// SetHyperparameter plans `btui sudo set` signed by walletName's coldkey.
func (p setupPlans) SetHyperparameter(ctx context.Context, walletName string, netuid uint16, name, value string) (ops.Plan, error) {
	cold, err := coldkeyOf(p.e.f, walletName)
	if err != nil {
		return ops.Plan{}, err
	}
	return ops.PlanSetHyperparameter(ctx, p.e.client, ops.HyperparamInput{Signer: cold, Netuid: netuid, Param: name, Value: value})
}

// BurnedRegister plans `btui subnets register` of walletName's hotkey.
func (p setupPlans) BurnedRegister(ctx context.Context, walletName, hotkey string, netuid uint16) (ops.Plan, error) {
	cold, hot, err := walletAccounts(p.e.f, walletName, hotkey)
	if err != nil {
		return ops.Plan{}, err
	}
	return ops.PlanBurnedRegister(ctx, p.e.client, ops.RegisterInput{Cold: cold, Hot: hot, Netuid: netuid})
}

// operator creates wallet name (password pw) with its "default" hotkey and gives the
// coldkey rao from the faucet; it returns the wallet's mnemonic, the wallet and the hotkey.
func (e *consoleEnv) operator(name, pw string, rao uint64) (string, tui.WalletInfo, tui.HotkeyInfo) {
	e.t.Helper()
	mnemonic, w, err := e.keys.CreateWallet(name, []byte(pw))
	if err != nil {
		e.t.Fatal(err)
	}
	_, hk, err := e.keys.NewHotkey(name, "default")
	if err != nil {
		e.t.Fatal(err)
	}
	e.fund(w.Address, rao)
	return mnemonic, w, hk
}

// fund gives the account at address rao from the faucet.
func (e *consoleEnv) fund(address string, rao uint64) {
	e.t.Helper()
	id, err := wallet.ParseAddress(address)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.client.Faucet(context.Background(), id, rao); err != nil {
		e.t.Fatal(err)
	}
}

// options are the console's options on this environment as runTUI wires them (network
// "test", no animation), with a context cancelled when the test ends.
func (e *consoleEnv) options() tui.Options {
	ctx, cancel := context.WithCancel(context.Background())
	e.t.Cleanup(cancel)
	return tui.Options{Keys: e.keys, Client: e.client, Context: ctx, Network: "test", NoAnimation: true}
}

// open starts the console on wallet (and hotkey, if not empty) in a width×height window,
// driven by a tuiDriver.
func (e *consoleEnv) open(walletName, hotkey string, width, height int) *tuiDriver {
	o := e.options()
	o.Wallet, o.Hotkey = walletName, hotkey
	d := newTUIDriver(e.t, tui.New(o))
	d.start(width, height)
	return d
}

// tuiDriver feeds key presses to the console and runs its commands: quick ones at once,
// blocking ones (the head subscription, a transaction waiting for its block) parked until
// waitFor needs their message.
type tuiDriver struct {
	consoleHarness
	pending []chan tea.Msg
}

func newTUIDriver(t *testing.T, app *tui.App) *tuiDriver {
	d := &tuiDriver{consoleHarness: consoleHarness{t: t, app: app}}
	d.launch = d.run
	return d
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

// waitFor handles parked messages until the screen shows every sub (20 s at most).
func (d *tuiDriver) waitFor(subs ...string) {
	d.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !d.shows(subs) {
		left := time.Until(deadline)
		if left <= 0 || len(d.pending) == 0 {
			d.t.Fatalf("screen never showed %q:\n%s", subs, d.screen())
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

// step types ks and waits for the screen to show want.
func (d *tuiDriver) step(ks []string, want ...string) {
	d.t.Helper()
	d.keys(ks...)
	d.waitFor(want...)
}

// confirmWith confirms the transaction on screen (y), unlocks the coldkey with password and
// waits for the screen to show want.
func (d *tuiDriver) confirmWith(password string, want ...string) {
	d.t.Helper()
	d.step([]string{"y", password, "enter"}, want...)
}

// liveDriver drives the console over a chain whose producer runs: every command runs in its
// own goroutine and posts its message to one queue, and the test goroutine alone calls
// Update (keys at once, queued messages while waiting for the screen), as the bubbletea
// program loop does. (tuiDriver answers quick commands recursively, which never settles
// when a new block arrives every few milliseconds.)
type liveDriver struct {
	consoleHarness
	msgs chan tea.Msg
}

func newLiveDriver(t testing.TB, app *tui.App) *liveDriver {
	d := &liveDriver{consoleHarness: consoleHarness{t: t, app: app}, msgs: make(chan tea.Msg, 256)}
	d.launch = func(cmd tea.Cmd) {
		if cmd != nil {
			go func() { d.msgs <- cmd() }()
		}
	}
	return d
}

// waitFor handles queued messages until the screen shows every sub (30 s at most).
func (d *liveDriver) waitFor(subs ...string) {
	d.t.Helper()
	if !d.handleUntil(func() bool { return d.shows(subs) }) {
		d.t.Fatalf("screen never showed %q:\n%s", subs, d.screen())
	}
}

// waitUntil handles queued messages until cond holds (30 s at most).
func (d *liveDriver) waitUntil(what string, cond func() bool) {
	d.t.Helper()
	if !d.handleUntil(cond) {
		d.t.Fatalf("%s never happened:\n%s", what, d.screen())
	}
}

// handleUntil handles queued messages until cond holds; false if it still does not after 30 s.
func (d *liveDriver) handleUntil(cond func() bool) bool {
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case m := <-d.msgs:
			d.handle(m)
		case <-deadline:
			return false
		}
	}
	return true
}
