package tui

import (
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
}

func newFirstRun(c *Common, noWallet, offerDemo bool) *firstRun {
	return &firstRun{c: c, noWallet: noWallet, offerDemo: offerDemo}
}

// DemoOffered reports whether the screen offers the demo market (tests).
func (f *firstRun) DemoOffered() bool { return f.offerDemo && !f.demo }

func (f *firstRun) Init() tea.Cmd { return nil }

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
	if f.DemoOffered() {
		out = append(out, fk.Demo)
	}
	return append(out, fk.Skip, f.c.KeyMap.Global.Quit)
}

func (f *firstRun) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

func (f *firstRun) Update(msg tea.Msg) (Page, tea.Cmd) {
	if f.flow == nil {
		km, ok := msg.(tea.KeyPressMsg)
		if !ok {
			return f, nil
		}
		wk, fk := f.c.KeyMap.Wallets, f.c.KeyMap.FirstRun
		switch {
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
	switch {
	case f.demo:
		lines = append(lines, st.Success.Render("The demo market is starting: simulated validators and miners are setting up. Create a wallet meanwhile, or skip to watch them on the Simulation page."))
	case f.offerDemo:
		lines = append(lines, st.Text.Render("This devnet is fresh: nobody has created a subnet or registered a neuron yet. The demo market adds a subnet of simulated validators and miners that register, stake and set weights in real time, so the metagraph moves within a minute."))
	}
	lines = append(lines, "")
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
