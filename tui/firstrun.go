package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// firstRun is the screen shown when the key store has no wallet: it creates one (the
// mnemonic shown once, three words asked back) or imports one, before the console opens.
type firstRun struct {
	c    *Common
	w, h int
	flow *walletFlow // nil on the choice screen
}

func newFirstRun(c *Common) *firstRun { return &firstRun{c: c} }

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
	wk := f.c.KeyMap.Wallets
	return []key.Binding{wk.Create, wk.Import, f.c.KeyMap.Global.Quit}
}

func (f *firstRun) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

func (f *firstRun) Update(msg tea.Msg) (Page, tea.Cmd) {
	if f.flow == nil {
		km, ok := msg.(tea.KeyPressMsg)
		if !ok {
			return f, nil
		}
		wk := f.c.KeyMap.Wallets
		switch {
		case key.Matches(km, wk.Create):
			f.flow = newWalletFlow(f.c, false, f.c.Wallet)
			return f, f.flow.Init()
		case key.Matches(km, wk.Import):
			f.flow = newWalletFlow(f.c, true, f.c.Wallet)
			return f, f.flow.Init()
		case key.Matches(km, f.c.KeyMap.Global.Quit):
			return f, tea.Quit
		}
		return f, nil
	}
	res, cmd := f.flow.Update(msg)
	switch res {
	case dialogCancel:
		f.flow = nil
	case dialogSubmit:
		w := f.flow.Wallet()
		return f, tea.Batch(cmd, func() tea.Msg { return firstRunDoneMsg{wallet: w} })
	}
	return f, cmd
}

func (f *firstRun) View() string {
	st := &f.c.Styles
	width := dialogWidth(f.w)
	var box string
	if f.flow != nil {
		box = f.flow.View(width)
	} else {
		box = renderDialog(st, width, "Welcome to btui",
			st.Text.Render("There is no wallet yet. A wallet is a coldkey (holds and stakes your TAO, encrypted with a password) and hotkeys (run neurons)."),
			"",
			st.Title.Render("c")+"  "+st.Text.Render("create a new wallet"),
			st.Title.Render("i")+"  "+st.Text.Render("import a wallet from its mnemonic"),
			st.Title.Render("q")+"  "+st.Text.Render("quit"),
		)
	}
	return lipgloss.Place(f.w, f.h, lipgloss.Center, lipgloss.Center, box)
}
