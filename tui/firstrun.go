package tui

import (
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// firstRun is the screen shown when the key store has no wallet, or when the chain is a
// fresh embedded devnet: it creates a wallet (the mnemonic shown once, three words asked
// back) or imports one, and on a fresh devnet offers to start the demo market (simulated
// neurons, so that the metagraph moves from the first minute). Esc skips it.
type firstRun struct {
	c         *Common
	w, h      int
	flow      *walletFlow // nil on the choice screen
	noWallet  bool        // the key store has no wallet: offer create and import
	offerDemo bool        // the chain is a fresh devnet and a simulator is wired
	demo      bool        // the demo market was started from this screen
	// btcli's wallet directory (~/.bittensor/wallets) and its wallet count, when the
	// console has none of its own (Keys.BtcliWallets); offered to be used in place
	btcliDir   string
	btcliCount int
	btcliErr   error
}

// First-run messages: btcli's wallets found nearby, and the key store switched to them.
type (
	btcliNearbyMsg struct {
		dir   string
		count int
	}
	btcliUsedMsg struct {
		dir     string
		wallets []WalletInfo
		err     error
	}
)

func newFirstRun(c *Common, noWallet, offerDemo bool) *firstRun {
	return &firstRun{c: c, noWallet: noWallet, offerDemo: offerDemo}
}

// DemoOffered reports whether the screen offers the demo market (tests).
func (f *firstRun) DemoOffered() bool { return f.offerDemo && !f.demo }

// Init looks for btcli's wallets when the console has none.
func (f *firstRun) Init() tea.Cmd {
	k := f.c.Keys
	if !f.noWallet || k == nil {
		return nil
	}
	return func() tea.Msg {
		dir, n := k.BtcliWallets()
		return btcliNearbyMsg{dir: dir, count: n}
	}
}

// BtcliOffered reports whether the screen offers btcli's wallets (tests).
func (f *firstRun) BtcliOffered() bool { return f.noWallet && f.btcliCount > 0 }

// useBtcli points the key store at btcli's wallet directory and lists it.
func (f *firstRun) useBtcli() tea.Cmd {
	k, dir := f.c.Keys, f.btcliDir
	return func() tea.Msg {
		if err := k.UseWalletPath(dir); err != nil {
			return btcliUsedMsg{dir: dir, err: err}
		}
		ws, err := k.ListWallets()
		return btcliUsedMsg{dir: dir, wallets: ws, err: err}
	}
}

// onBtcliUsed closes the screen on btcli's wallets: the one of the selected name if there is
// one, else the first, with its default (or first) hotkey.
func (f *firstRun) onBtcliUsed(msg btcliUsedMsg) tea.Cmd {
	if msg.err == nil && len(msg.wallets) == 0 {
		msg.err = errors.New("it holds no wallet any more")
	}
	if msg.err != nil {
		f.btcliErr = fmt.Errorf("could not use %s: %w", msg.dir, msg.err)
		return nil
	}
	w := msg.wallets[0]
	for _, x := range msg.wallets {
		if x.Name == f.c.Wallet {
			w = x
		}
	}
	hot := ""
	for _, h := range w.Hotkeys {
		if hot == "" || h.Name == "default" {
			hot = h.Name
		}
	}
	sel := walletSelectedMsg{Wallet: w.Name, Hotkey: hot}
	list := func() tea.Msg { return walletsListedMsg{wallets: msg.wallets} }
	return tea.Batch(f.done(WalletInfo{}), list, func() tea.Msg { return sel },
		noticeCmd(bannerSuccess, fmt.Sprintf("using the %s in %s in place for this session (pass --wallet-path %s to keep it)",
			plural(len(msg.wallets), "btcli wallet", "btcli wallets"), msg.dir, msg.dir)))
}

func (f *firstRun) SetSize(w, h int) { f.w, f.h = w, h }

func (f *firstRun) Title() string { return "Welcome" }

func (f *firstRun) Capturing() bool { return true }

func (f *firstRun) restyle() {
	if f.flow != nil {
		f.flow.restyle()
	}
}

func (f *firstRun) ShortHelp() []key.Binding {
	if f.flow != nil {
		return f.flow.help()
	}
	wk, fk := f.c.KeyMap.Wallets, f.c.KeyMap.FirstRun
	var out []key.Binding
	if f.noWallet {
		out = append(out, wk.Create, wk.Import)
	}
	if f.BtcliOffered() {
		out = append(out, fk.Btcli)
	}
	if f.DemoOffered() {
		out = append(out, fk.Demo)
	}
	return append(out, fk.Skip, f.c.KeyMap.Global.Quit)
}

func (f *firstRun) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

func (f *firstRun) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case btcliNearbyMsg:
		f.btcliDir, f.btcliCount = msg.dir, msg.count
		return f, nil
	case btcliUsedMsg:
		return f, f.onBtcliUsed(msg)
	}
	if f.flow == nil {
		km, ok := msg.(tea.KeyPressMsg)
		if !ok {
			return f, nil
		}
		wk, fk := f.c.KeyMap.Wallets, f.c.KeyMap.FirstRun
		switch {
		case f.BtcliOffered() && key.Matches(km, fk.Btcli):
			return f, f.useBtcli()
		case f.DemoOffered() && key.Matches(km, fk.Demo):
			f.demo = true
			if !f.noWallet {
				return f, tea.Batch(startSimCmd(f.c, DemoScenario), f.done(WalletInfo{}))
			}
			return f, startSimCmd(f.c, DemoScenario)
		case key.Matches(km, fk.Skip):
			return f, f.done(WalletInfo{})
		case key.Matches(km, f.c.KeyMap.Global.Quit):
			return f, tea.Quit
		case !f.noWallet:
			return f, nil
		case key.Matches(km, wk.Create):
			f.flow = newWalletFlow(f.c, false, f.c.Wallet)
			return f, f.flow.Init()
		case key.Matches(km, wk.Import):
			f.flow = newWalletFlow(f.c, true, f.c.Wallet)
			return f, f.flow.Init()
		}
		return f, nil
	}
	res, cmd := f.flow.Update(msg)
	switch res {
	case dialogCancel:
		f.flow = nil
	case dialogSubmit:
		return f, tea.Batch(cmd, f.done(f.flow.Wallet()))
	}
	return f, cmd
}

// done closes the screen: with the new wallet, or skipped (an empty wallet).
func (f *firstRun) done(w WalletInfo) tea.Cmd {
	demo := f.demo
	return func() tea.Msg { return firstRunDoneMsg{wallet: w, demo: demo} }
}

func (f *firstRun) View() string {
	st := &f.c.Styles
	width := dialogWidth(f.w)
	var box string
	if f.flow != nil {
		box = f.flow.View(width)
	} else {
		box = renderDialog(st, width, "Welcome to btui", f.choices()...)
	}
	return lipgloss.Place(f.w, f.h, lipgloss.Center, lipgloss.Center, box)
}

// choices are the choice screen's lines, generated from the key map.
func (f *firstRun) choices() []string {
	st := &f.c.Styles
	wk, fk := f.c.KeyMap.Wallets, f.c.KeyMap.FirstRun
	opt := func(b key.Binding, text string) string {
		return st.Title.Render(PadRight(b.Help().Key, 3)) + " " + st.Text.Render(text)
	}
	var lines []string
	if f.noWallet {
		lines = append(lines, st.Text.Render("There is no wallet yet. A wallet is a coldkey (holds and stakes your TAO, encrypted with a password) and hotkeys (run neurons)."))
	}
	if f.BtcliOffered() {
		lines = append(lines, "", st.Text.Render(fmt.Sprintf("btcli's wallet directory %s holds %s: btui can use them in place (sr25519 keys in btcli's format; nothing is copied or rewritten).",
			f.btcliDir, plural(f.btcliCount, "wallet", "wallets"))))
	}
	if f.btcliErr != nil {
		lines = append(lines, st.Error.Render(f.btcliErr.Error()))
	}
	switch {
	case f.demo:
		lines = append(lines, st.Success.Render("The demo market is starting: simulated validators and miners are setting up. Create a wallet meanwhile, or skip to watch them on the Simulation page."))
	case f.offerDemo:
		lines = append(lines, st.Text.Render("This devnet is fresh: nobody has created a subnet or registered a neuron yet. The demo market adds a subnet of simulated validators and miners that register, stake and set weights in real time, so the metagraph moves within a minute."))
	}
	lines = append(lines, "")
	if f.BtcliOffered() {
		lines = append(lines, opt(fk.Btcli, "use the btcli wallets in "+f.btcliDir))
	}
	if f.noWallet {
		lines = append(lines, opt(wk.Create, "create a new wallet"), opt(wk.Import, "import a wallet from its mnemonic"))
	}
	if f.DemoOffered() {
		lines = append(lines, opt(fk.Demo, "start the demo market"))
	}
	skip := "skip: open the console"
	if f.noWallet {
		skip = "skip: open the console now (the Wallets page creates a wallet later)"
	}
	lines = append(lines, opt(fk.Skip, skip), opt(f.c.KeyMap.Global.Quit, "quit"))
	return lines
}
