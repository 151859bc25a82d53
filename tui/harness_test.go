package tui

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/wallet"
)

// memKeys is an in-memory key store for UI tests: real enough to exercise every branch of
// the console (wrong password, duplicate names, mnemonic round trip), with no files.
type memKeys struct {
	mu      sync.Mutex
	wallets map[string]*memWallet
	words   []string // the mnemonic CreateWallet hands out
	fail    error    // forced failure of the next write
	calls   []string
}

type memWallet struct {
	info     WalletInfo
	password string
	mnemonic string
}

var testMnemonic = strings.Fields("bottom drive obey lake curtain smoke basket hold race lonely fit walk")

// freshDevnet is a new embedded devnet in the test's directory, closed when the test ends.
func freshDevnet(t *testing.T) *chainclient.Embedded {
	t.Helper()
	client, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

// aliceKeys is a key store with wallet alice (password "pw") and the given hotkeys.
func aliceKeys(t *testing.T, hotkeys ...string) *memKeys {
	t.Helper()
	keys := newMemKeys()
	if _, _, err := keys.CreateWallet("alice", []byte("pw")); err != nil {
		t.Fatal(err)
	}
	for _, h := range hotkeys {
		keys.NewHotkey("alice", h)
	}
	return keys
}

func newMemKeys() *memKeys {
	return &memKeys{wallets: map[string]*memWallet{}, words: testMnemonic}
}

// keyOf derives the real key of a SURI (test phrases only).
func keyOf(suri string) *wallet.Keypair {
	kp, err := wallet.FromSURI(suri)
	if err != nil {
		panic(err)
	}
	return kp
}

// addressOf is the SS58 address of a SURI.
func addressOf(suri string) string { return keyOf(suri).Address() }

func (m *memKeys) ListWallets() ([]WalletInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "list")
	out := make([]WalletInfo, 0, len(m.wallets))
	for _, w := range m.wallets {
		wi := w.info
		wi.Hotkeys = slices.Clone(wi.Hotkeys)
		out = append(out, wi)
	}
	slices.SortFunc(out, func(a, b WalletInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (m *memKeys) add(name, mnemonic string, password []byte) (WalletInfo, error) {
	if m.fail != nil {
		err := m.fail
		m.fail = nil
		return WalletInfo{}, err
	}
	if _, ok := m.wallets[name]; ok {
		return WalletInfo{}, fmt.Errorf("wallet %q already exists: choose another name", name)
	}
	if len(password) == 0 {
		return WalletInfo{}, ErrEmptyPassword
	}
	kp, err := wallet.FromSURI(mnemonic)
	if err != nil {
		return WalletInfo{}, fmt.Errorf("the mnemonic has an unknown word or a bad checksum: check each word (%w)", err)
	}
	w := &memWallet{info: WalletInfo{Name: name, Address: kp.Address(), Encrypted: true}, password: string(password), mnemonic: mnemonic}
	m.wallets[name] = w
	return w.info, nil
}

func (m *memKeys) CreateWallet(name string, password []byte) (string, WalletInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "create "+name)
	mn := strings.Join(m.words, " ")
	w, err := m.add(name, mn, password)
	if err != nil {
		return "", WalletInfo{}, err
	}
	return mn, w, nil
}

func (m *memKeys) ImportWallet(name, mnemonic string, scheme wallet.Scheme, password []byte) (WalletInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "import "+name+" "+scheme.String())
	return m.add(name, mnemonic, password)
}

// RestoreChoices gives the ecdsa account only: memKeys keeps ecdsa keys (srkeys_test.go has
// both schemes).
func (m *memKeys) RestoreChoices(mnemonic string) ([]RestoreChoice, error) {
	kp, err := wallet.FromSURI(mnemonic)
	if err != nil {
		return nil, err
	}
	defer kp.Zero()
	return []RestoreChoice{{Scheme: wallet.Ecdsa, Address: kp.Address()}}, nil
}

func (m *memKeys) BtcliWallets() (string, int) { return "", 0 }

func (m *memKeys) UseWalletPath(string) error { return errors.New("memKeys has no wallet path") }

func (m *memKeys) NewHotkey(wallet, hotkey string) (string, HotkeyInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "hotkey "+wallet+"/"+hotkey)
	w, ok := m.wallets[wallet]
	if !ok {
		return "", HotkeyInfo{}, fmt.Errorf("wallet %q not found", wallet)
	}
	for _, h := range w.info.Hotkeys {
		if h.Name == hotkey {
			return "", HotkeyInfo{}, fmt.Errorf("hotkey %q already exists", hotkey)
		}
	}
	suri := strings.Join(testMnemonic, " ") + "//" + wallet + "//" + hotkey
	h := HotkeyInfo{Name: hotkey, Address: addressOf(suri)}
	w.info.Hotkeys = append(w.info.Hotkeys, h)
	return suri, h, nil
}

// errWrongPassword is what memKeys returns for a bad password.
var errWrongPassword = errors.New("wrong password, or the key file was changed: try again")

func (m *memKeys) UnlockColdkey(name string, password []byte) (wallet.Pair, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "unlock "+name)
	w, ok := m.wallets[name]
	if !ok {
		return nil, fmt.Errorf("wallet %q not found", name)
	}
	if string(password) != w.password {
		return nil, errWrongPassword
	}
	return wallet.FromSURI(w.mnemonic)
}

func (m *memKeys) Hotkey(name, hotkey string) (wallet.Pair, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w, ok := m.wallets[name]
	if !ok {
		return nil, fmt.Errorf("wallet %q not found", name)
	}
	for _, h := range w.info.Hotkeys {
		if h.Name == hotkey {
			return wallet.FromSURI(strings.Join(testMnemonic, " ") + "//" + name + "//" + hotkey)
		}
	}
	return nil, fmt.Errorf("hotkey %q not found", hotkey)
}

// --- driving models ---

// keyMsg builds a key press for a printable key or a named special key.
func keyMsg(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+x":
		return tea.KeyPressMsg{Code: 'x', Mod: tea.ModCtrl}
	}
	r := []rune(s)
	if len(r) != 1 {
		panic("keyMsg: unknown key " + s)
	}
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

// driver sends messages to an App and runs the commands they return, flattening batches
// (huh's approach). A command that answers within syncWait is handled at once, so key
// handling is synchronous; one that blocks longer (the head subscription, a transaction
// waiting for its block) is parked, and waitFor delivers its message when it comes.
type driver struct {
	t        *testing.T
	app      *App
	quit     bool
	steps    int
	syncWait time.Duration
	pending  []chan tea.Msg
	terminal []tea.Msg // what went to the terminal (clipboard writes), in order
}

func newDriver(t *testing.T, opts Options, w, h int) *driver {
	t.Helper()
	opts.NoAnimation = true
	if opts.PickWords == nil {
		opts.PickWords = func(n, k int) []int { return []int{1, 5, 10}[:k] }
	}
	d := &driver{t: t, app: New(opts), syncWait: 2 * time.Second}
	if opts.Client != nil {
		d.syncWait = 300 * time.Millisecond
	}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(d.app.Init())
	return d
}

func (d *driver) send(msgs ...tea.Msg) {
	d.t.Helper()
	for _, m := range msgs {
		_, cmd := d.app.Update(m)
		d.run(cmd)
	}
}

// keys types each key; "text:abc" types a string character by character.
func (d *driver) keys(ks ...string) {
	d.t.Helper()
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

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	if cmd == nil {
		return
	}
	d.steps++
	if d.steps > 20000 {
		d.t.Fatal("driver: command loop does not settle")
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		d.handle(msg)
	case <-time.After(d.syncWait):
		d.pending = append(d.pending, ch)
	}
}

func (d *driver) handle(msg tea.Msg) {
	d.t.Helper()
	switch m := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range m {
			d.run(c)
		}
		return
	case tea.QuitMsg, tea.InterruptMsg:
		d.quit = true
		return
	}
	if isTerminalQuery(msg) {
		d.terminal = append(d.terminal, msg)
		return
	}
	_, next := d.app.Update(msg)
	d.run(next)
}

// pump delivers parked commands' messages until cond holds or timeout passes.
func (d *driver) pump(cond func() bool, timeout time.Duration) bool {
	d.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		left := time.Until(deadline)
		if left <= 0 || len(d.pending) == 0 {
			return cond()
		}
		cases := make([]reflect.SelectCase, 0, len(d.pending)+1)
		for _, ch := range d.pending {
			cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ch)})
		}
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(time.After(left))})
		i, v, _ := reflect.Select(cases)
		if i == len(d.pending) {
			return cond()
		}
		d.pending = slices.Delete(d.pending, i, i+1)
		var msg tea.Msg
		if v.IsValid() && !v.IsNil() {
			msg = v.Interface()
		}
		d.handle(msg)
	}
	return true
}

// waitFor pumps parked commands until the screen shows every sub.
func (d *driver) waitFor(subs ...string) {
	d.t.Helper()
	ok := d.pump(func() bool {
		s := d.screen()
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				return false
			}
		}
		return true
	}, 15*time.Second)
	if !ok {
		d.t.Fatalf("screen never showed %q:\n%s", subs, d.screen())
	}
}

// isTerminalQuery reports messages meant for the terminal (background colour and size
// requests); the tests answer them explicitly.
func isTerminalQuery(msg tea.Msg) bool {
	name := fmt.Sprintf("%T", msg)
	return strings.Contains(name, "Request") || strings.HasPrefix(name, "tea.")
}

// screen is the stripped current frame.
func (d *driver) screen() string { return ansi.Strip(d.app.Render()) }

func (d *driver) mustSee(subs ...string) {
	d.t.Helper()
	s := d.screen()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			d.t.Fatalf("screen does not show %q:\n%s", sub, s)
		}
	}
}

func (d *driver) mustNotSee(subs ...string) {
	d.t.Helper()
	s := d.screen()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			d.t.Fatalf("screen shows %q but must not:\n%s", sub, s)
		}
	}
}
