package tui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// pairKeys is an in-memory key store with keys of both schemes, watch-only wallets, a slow
// coldkey (gate) and a second directory UseWalletPath switches to: the key side of the
// console's sr25519 tests (the chain under them is the real embedded devnet).
type pairKeys struct {
	mu      sync.Mutex
	wallets map[string]*pairWallet
	other   map[string]*pairWallet // the wallets of btcliDir, used after UseWalletPath
	btcli   string
	calls   []string
	gate    chan struct{} // when set, UnlockColdkey of a wallet with UnlockTime waits on it
}

type pairWallet struct {
	info     WalletInfo
	password string
	suri     string // "" for a watch-only wallet
}

func newPairKeys() *pairKeys { return &pairKeys{wallets: map[string]*pairWallet{}} }

// add stores wallet name holding the key of suri under scheme (password pw), with a
// "default" hotkey of the same scheme.
func (k *pairKeys) add(name string, scheme wallet.Scheme, suri, pw string) WalletInfo {
	kp, err := wallet.PairFromSURI(scheme, suri)
	if err != nil {
		panic(err)
	}
	defer kp.Zero()
	hk, err := wallet.PairFromSURI(scheme, suri+"//hot")
	if err != nil {
		panic(err)
	}
	defer hk.Zero()
	w := &pairWallet{password: pw, suri: suri, info: WalletInfo{Name: name, Address: kp.Address(), Encrypted: true, Scheme: scheme,
		Format: FormatBtui, Hotkeys: []HotkeyInfo{{Name: "default", Address: hk.Address(), Scheme: scheme}}}}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.wallets[name] = w
	return w.info
}

// watch stores a watch-only wallet of address.
func (k *pairKeys) watch(name, address string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.wallets[name] = &pairWallet{info: WalletInfo{Name: name, Address: address, Scheme: wallet.Sr25519, Format: FormatBtcli, WatchOnly: true}}
}

func (k *pairKeys) called(prefix string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.ContainsFunc(k.calls, func(c string) bool { return strings.HasPrefix(c, prefix) })
}

func (k *pairKeys) ListWallets() ([]WalletInfo, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]WalletInfo, 0, len(k.wallets))
	for _, w := range k.wallets {
		wi := w.info
		wi.Hotkeys = slices.Clone(wi.Hotkeys)
		out = append(out, wi)
	}
	slices.SortFunc(out, func(a, b WalletInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (k *pairKeys) CreateWallet(string, []byte) (string, WalletInfo, error) {
	return "", WalletInfo{}, errors.New("pairKeys does not create wallets")
}

func (k *pairKeys) RestoreChoices(mnemonic string) ([]RestoreChoice, error) {
	var out []RestoreChoice
	for _, s := range wallet.Schemes() {
		kp, err := wallet.PairFromSURI(s, mnemonic)
		if err != nil {
			continue
		}
		out = append(out, RestoreChoice{Scheme: s, Address: kp.Address()})
		kp.Zero()
	}
	if len(out) == 0 {
		return nil, errors.New("unknown word or bad checksum")
	}
	return out, nil
}

func (k *pairKeys) ImportWallet(name, mnemonic string, scheme wallet.Scheme, password []byte) (WalletInfo, error) {
	k.mu.Lock()
	k.calls = append(k.calls, "import "+name+" "+scheme.String())
	_, exists := k.wallets[name]
	k.mu.Unlock()
	if exists {
		return WalletInfo{}, fmt.Errorf("wallet %q already exists", name)
	}
	return k.add(name, scheme, mnemonic, string(password)), nil
}

func (k *pairKeys) NewHotkey(string, string) (string, HotkeyInfo, error) {
	return "", HotkeyInfo{}, errors.New("pairKeys does not create hotkeys")
}

func (k *pairKeys) UnlockColdkey(name string, password []byte) (wallet.Pair, error) {
	k.mu.Lock()
	k.calls = append(k.calls, "unlock "+name)
	w, ok := k.wallets[name]
	gate := k.gate
	k.mu.Unlock()
	switch {
	case !ok:
		return nil, fmt.Errorf("wallet %q not found", name)
	case w.info.WatchOnly:
		return nil, fmt.Errorf("wallet %q: watch-only wallet: it has no coldkey to sign with", name)
	}
	if w.info.UnlockTime > 0 && gate != nil {
		<-gate // a slow key derivation
	}
	if string(password) != w.password {
		return nil, errWrongPassword
	}
	return wallet.PairFromSURI(w.info.Scheme, w.suri)
}

func (k *pairKeys) Hotkey(name, hotkey string) (wallet.Pair, error) {
	k.mu.Lock()
	w, ok := k.wallets[name]
	k.mu.Unlock()
	if !ok || w.suri == "" {
		return nil, fmt.Errorf("wallet %q has no hotkey %q", name, hotkey)
	}
	return wallet.PairFromSURI(w.info.Scheme, w.suri+"//hot")
}

func (k *pairKeys) BtcliWallets() (string, int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.btcli, len(k.other)
}

func (k *pairKeys) UseWalletPath(dir string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = append(k.calls, "use "+dir)
	if dir != k.btcli {
		return fmt.Errorf("no wallet directory %s", dir)
	}
	k.wallets, k.other = k.other, nil
	return nil
}

// loopDriver drives the console as bubbletea's loop does over a producing chain: every command
// runs in its own goroutine and posts its message to one queue, and only the test goroutine
// calls Update (the recursive driver never settles when a block comes every 250 ms).
type loopDriver struct {
	t    *testing.T
	app  *App
	msgs chan tea.Msg
}

func newLoopDriver(t *testing.T, opts Options, w, h int) *loopDriver {
	t.Helper()
	opts.NoAnimation = true
	d := &loopDriver{t: t, app: New(opts), msgs: make(chan tea.Msg, 1024)}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.launch(d.app.Init())
	return d
}

func (d *loopDriver) launch(cmd tea.Cmd) {
	if cmd != nil {
		go func() { d.msgs <- cmd() }()
	}
}

func (d *loopDriver) send(m tea.Msg) {
	switch m := m.(type) {
	case nil, tea.QuitMsg, tea.InterruptMsg:
		return
	case tea.BatchMsg:
		for _, c := range m {
			d.launch(c)
		}
		return
	}
	_, next := d.app.Update(m)
	d.launch(next)
}

func (d *loopDriver) keys(ks ...string) {
	for _, k := range ks {
		if rest, ok := strings.CutPrefix(k, "text:"); ok {
			for _, r := range rest {
				d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		d.send(keyMsg(k))
	}
}

func (d *loopDriver) screen() string { return ansi.Strip(d.app.Render()) }

// until handles queued messages until cond holds (30 s at most).
func (d *loopDriver) until(what string, cond func() bool) {
	d.t.Helper()
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case m := <-d.msgs:
			if !isTerminalQuery(m) || isBatch(m) {
				d.send(m)
			}
		case <-deadline:
			d.t.Fatalf("%s never happened:\n%s", what, d.screen())
		}
	}
}

// waitFor handles queued messages until the screen shows every sub.
func (d *loopDriver) waitFor(subs ...string) {
	d.t.Helper()
	d.until(fmt.Sprintf("the screen showing %q", subs), func() bool {
		s := d.screen()
		return !slices.ContainsFunc(subs, func(sub string) bool { return !strings.Contains(s, sub) })
	})
}

// producingDevnet is a fresh embedded devnet whose block producer runs (a block every 250 ms).
func producingDevnet(t *testing.T) *chainclient.Embedded {
	t.Helper()
	client := freshDevnet(t)
	if err := client.Chain().Start(); err != nil {
		t.Fatal(err)
	}
	return client
}

func consoleCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx
}

func mustAccount(t *testing.T, addr string) wallet.AccountID {
	t.Helper()
	id, err := wallet.ParseAddress(addr)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// The console signs with an sr25519 coldkey: a transfer from the Wallets page, on a devnet
// producing blocks, is included and moves the funds; the listing shows the scheme.
func TestConsoleSr25519TransferOnProducingDevnet(t *testing.T) {
	client := producingDevnet(t)
	keys := newPairKeys()
	w := keys.add("sr", wallet.Sr25519, wallet.DevPhrase+"//sr-console", "pw")
	from := mustAccount(t, w.Address)
	if _, err := client.Faucet(context.Background(), from, 20*protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	bob, _ := wallet.Dev("Bob")
	before, err := client.Account(context.Background(), bob.AccountID())
	if err != nil {
		t.Fatal(err)
	}
	d := newLoopDriver(t, Options{Keys: keys, Client: client, Context: consoleCtx(t), Network: "devnet (test)", Wallet: "sr"}, 140, 40)
	d.keys("2")
	d.waitFor("● sr", w.Address, "sr25519", "20.0000")
	d.keys("t", "text:"+bob.Address(), "tab", "text:2.5", "enter")
	d.waitFor("Transfer 2.5 TAO", "Confirm (y)")
	d.keys("y")
	d.waitFor("Unlock coldkey sr")
	d.keys("text:pw", "enter")
	d.waitFor("done in block")

	after, err := client.Account(context.Background(), bob.AccountID())
	if err != nil || after.Free-before.Free != 2_500_000_000 {
		t.Fatalf("bob received %d rao (%v), want 2.5 TAO", after.Free-before.Free, err)
	}
	// The chain recorded the transfer as signed by the sr25519 account.
	acc, err := client.Account(context.Background(), from)
	if err != nil || acc.Nonce != 1 || acc.Free >= 17_500_000_000 {
		t.Fatalf("sender after the transfer: %+v %v", acc, err)
	}
}

// A watch-only wallet is listed with its balance but never signs: the transfer and the
// message signature say "watch-only" before any password, and nothing changes.
func TestConsoleWatchOnlyRefusesToSign(t *testing.T) {
	client := producingDevnet(t)
	keys := newPairKeys()
	alice, _ := wallet.SrDev("Alice")
	keys.watch("watched", alice.Address())
	if _, err := client.Faucet(context.Background(), alice.AccountID(), 9*protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	d := newLoopDriver(t, Options{Keys: keys, Client: client, Context: consoleCtx(t), Network: "devnet (test)", Wallet: "watched"}, 140, 40)
	d.keys("2")
	d.waitFor("● watched", "9.0000", "watch-only")
	d.keys("t", "text://Bob", "tab", "text:1", "enter")
	d.waitFor("Confirm (y)")
	d.keys("y")
	d.waitFor("wallet watched is watch-only")
	if strings.Contains(d.screen(), "Unlock coldkey") {
		t.Fatal("a watch-only wallet was asked for a password")
	}
	d.keys("ctrl+x", "x")
	d.waitFor("wallet watched is watch-only")
	if keys.called("unlock") {
		t.Fatal("the console tried to unlock a watch-only wallet")
	}
	acc, err := client.Account(context.Background(), alice.AccountID())
	if err != nil || acc.Nonce != 0 || acc.Free != 9*protocol.RaoPerTAO {
		t.Fatalf("the watched account changed: %+v %v", acc, err)
	}
}

// Importing a mnemonic shows both of its accounts, says which holds funds on the chain, and
// restores the one chosen, with its scheme.
func TestConsoleImportShowsBothSchemes(t *testing.T) {
	client := producingDevnet(t)
	keys := newPairKeys()
	keys.add("other", wallet.Ecdsa, wallet.DevPhrase+"//other", "pw")
	phrase := "bottom drive obey lake curtain smoke basket hold race lonely fit walk"
	sr, _ := wallet.PairFromSURI(wallet.Sr25519, phrase)
	ec, _ := wallet.PairFromSURI(wallet.Ecdsa, phrase)
	if _, err := client.Faucet(context.Background(), sr.AccountID(), 5*protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	d := newLoopDriver(t, Options{Keys: keys, Client: client, Context: consoleCtx(t), Network: "devnet (test)", Wallet: "other"}, 140, 40)
	d.keys("2")
	d.waitFor("● other")
	d.keys("i", "text:restored", "enter", "text:"+phrase, "enter")
	d.waitFor("two accounts", "sr25519 — the btcli/SDK address", sr.Address(), "ecdsa", ec.Address(),
		"5.000000000 τ free", "0.000000000 τ free")
	// the funded account is preselected; the operator can move between the two
	if !strings.Contains(d.screen(), "▸ sr25519") {
		t.Fatalf("the funded sr25519 account is not preselected:\n%s", d.screen())
	}
	d.keys("down")
	if !strings.Contains(d.screen(), "▸ ecdsa") {
		t.Fatalf("down did not move the choice:\n%s", d.screen())
	}
	d.keys("up", "enter")
	d.waitFor("The sr25519 coldkey " + sr.Address() + " of restored")
	d.keys("text:pw2", "enter", "text:pw2", "enter")
	d.waitFor("Wallet restored is ready", sr.Address()+"  sr25519")
	if !keys.called("import restored sr25519") {
		t.Fatalf("calls %v: the sr25519 key was not the one written", keys.calls)
	}
}

// A slow coldkey (a btcli $NACL file) is opened off the Update loop: the prompt gives way to
// a spinner naming the expected time, the console keeps handling blocks, and the transfer
// goes through once the key is open.
func TestConsoleSlowUnlockRunsOffTheLoop(t *testing.T) {
	client := producingDevnet(t)
	keys := newPairKeys()
	w := keys.add("btc", wallet.Sr25519, wallet.DevPhrase+"//slow", "pw")
	keys.mu.Lock()
	keys.wallets["btc"].info.UnlockTime = 3200 * time.Millisecond
	keys.wallets["btc"].info.Format = FormatBtcli
	keys.gate = make(chan struct{})
	keys.mu.Unlock()
	if _, err := client.Faucet(context.Background(), mustAccount(t, w.Address), 4*protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	d := newLoopDriver(t, Options{Keys: keys, Client: client, Context: consoleCtx(t), Network: "devnet (test)", Wallet: "btc"}, 140, 40)
	d.keys("2")
	d.waitFor("● btc", "btcli", "4.0000")
	d.keys("t", "text://Bob", "tab", "text:1", "enter")
	d.waitFor("Confirm (y)")
	d.keys("y")
	d.waitFor("This btcli coldkey takes about 4 s to open")
	d.keys("text:pw", "enter")
	d.waitFor("opening the btcli coldkey of btc: about 4 s")
	// the loop is free: new blocks keep arriving while the key is being opened
	h := d.app.height
	d.until("a new block during the unlock", func() bool { return d.app.height > h+1 })
	d.keys("q") // keys are held by the unlock, not taken as commands
	d.mustStay("opening the btcli coldkey")
	close(keys.gate)
	d.waitFor("done in block")
}

func (d *loopDriver) mustStay(sub string) {
	d.t.Helper()
	if !strings.Contains(d.screen(), sub) {
		d.t.Fatalf("the screen no longer shows %q:\n%s", sub, d.screen())
	}
}

// On first run with no wallet, btcli's wallet directory is offered when it holds wallets;
// choosing it lists them in place and selects one.
func TestFirstRunOffersBtcliWallets(t *testing.T) {
	keys := newPairKeys()
	keys.btcli = "/home/op/.bittensor/wallets"
	kp, _ := wallet.PairFromSURI(wallet.Sr25519, wallet.DevPhrase+"//btcli-a")
	keys.other = map[string]*pairWallet{
		"a":       {password: "pw", suri: wallet.DevPhrase + "//btcli-a", info: WalletInfo{Name: "a", Address: kp.Address(), Encrypted: true, Scheme: wallet.Sr25519, Format: FormatBtcli}},
		"default": {info: WalletInfo{Name: "default", Address: kp.Address(), Scheme: wallet.Sr25519, Format: FormatBtcli, WatchOnly: true}},
	}
	d := newDriver(t, Options{Keys: keys, Network: "devnet (test)"}, 140, 40)
	d.waitFor("There is no wallet yet", "holds 2 wallets", "b   use the btcli wallets in")
	if !d.app.first.BtcliOffered() {
		t.Fatal("btcli's wallets are not offered")
	}
	d.keys("b")
	d.waitFor("using the 2 btcli wallets in /home/op/.bittensor/wallets in place")
	if d.app.FirstRun() || d.app.Common().Wallet != "default" || len(d.app.Common().Wallets) != 2 {
		t.Fatalf("after choosing btcli's wallets: first run %v, wallet %q, %d wallets", d.app.FirstRun(), d.app.Common().Wallet, len(d.app.Common().Wallets))
	}
	if !keys.called("use /home/op/.bittensor/wallets") {
		t.Fatal("the key store was not switched")
	}
	d.keys("2")
	d.waitFor("● default", "watch-only, btcli", "a ", "sr25519")
}

// Without btcli wallets nearby the first-run screen does not mention them.
func TestFirstRunWithoutBtcliWallets(t *testing.T) {
	d := newDriver(t, Options{Keys: newPairKeys(), Network: "devnet (test)"}, 120, 40)
	d.waitFor("There is no wallet yet")
	d.mustNotSee("btcli", "use the btcli wallets")
	d.keys("b")
	d.mustSee("There is no wallet yet")
}

func isBatch(m tea.Msg) bool { _, ok := m.(tea.BatchMsg); return ok }
