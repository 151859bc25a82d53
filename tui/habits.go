package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The habits operators bring from k9s and lazygit, wired into the root model: the command
// line (cmdline.go), copying (clipboard.go), the message history (notify.go), the address
// book (contacts.go), the sort picker (sort.go) and the views remembered across launches
// (below). App's Update, key handling and view call into this file at a few points.

// habits is the App's state for them.
type habits struct {
	keys     HabitKeys
	cmd      *cmdLine      // the command line while open
	log      notifyLog     // every banner of the session
	messages *notifyView   // the history overlay while open
	contacts *contactsView // the address book while open
	netuids  []uint16      // the chain's subnets (completion, checks), once asked
	restored map[Page]bool // pages whose remembered view was put back
	pending  tea.Cmd       // what restoring needs to load, run by Init
}

// initHabits is called by New: the keys, the contacts, and the remembered sorts and views
// put back into the new pages.
func (a *App) initHabits() {
	a.hab.keys = DefaultHabitKeys()
	a.hab.restored = map[Page]bool{}
	a.c.State.Contacts = loadContacts(contactsPath(a.c.StatePath))
	a.hab.pending = a.rememberViews()
}

// habitInit is what Init adds: loading what the restored views show.
func (a *App) habitInit() tea.Cmd {
	cmd := a.hab.pending
	a.hab.pending = nil
	return cmd
}

// habitMsg handles the habits' own messages; done reports that msg was one.
func (a *App) habitMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case cmdSubnetsMsg:
		if msg.err == nil {
			a.hab.netuids = msg.netuids
		}
		return nil, true
	case txFoundMsg:
		return a.onTxFound(msg), true
	case copiedMsg:
		if msg.err != nil {
			return reportErrCmd(msg.err), true
		}
		return copyCmd(msg.what, msg.value), true
	case pageMsg:
		for i, p := range a.pages {
			if p == msg.page {
				var cmd tea.Cmd
				a.pages[i], cmd = p.Update(msg.msg)
				return cmd, true
			}
		}
		return nil, true // the page was rebuilt meanwhile
	case chainChangedMsg:
		a.hab.netuids = nil
	}
	return nil, false
}

// habitInputs passes other messages (cursor blinks) to the open command line or form.
func (a *App) habitInputs(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		return nil
	}
	var cmd tea.Cmd
	switch {
	case a.hab.cmd != nil:
		a.hab.cmd.input, cmd = a.hab.cmd.input.Update(msg)
	case a.hab.contacts != nil && a.hab.contacts.form != nil:
		_, cmd = a.hab.contacts.form.Update(msg)
	}
	return cmd
}

// habitKey handles a key for the habits: an open overlay takes every key; otherwise :, y,
// ! and @ when the page takes no typing. done reports that the key was used.
func (a *App) habitKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case a.hab.cmd != nil:
		return a.updateCommandLine(msg), true
	case a.hab.contacts != nil:
		return a.updateContacts(msg), true
	case a.hab.messages != nil:
		return a.updateMessages(msg), true
	}
	if a.showHelp || a.first != nil {
		return nil, false
	}
	k := a.hab.keys
	if a.Active().Capturing() {
		if key.Matches(msg, k.Copy) && a.copyInCapture() {
			return a.copySelected(), true
		}
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Command):
		return a.openCommandLine(), true
	case key.Matches(msg, k.Messages):
		a.hab.messages = &notifyView{}
		return nil, true
	case key.Matches(msg, k.Contacts):
		return a.openContacts(), true
	case key.Matches(msg, k.Copy):
		return a.copySelected(), true
	}
	return nil, false
}

// habitOverlay draws the open overlay (address book, message history) over the body.
func (a *App) habitOverlay(body string, w, h int) string {
	switch {
	case a.hab.contacts != nil:
		return OverlayCenter(body, a.contactsOverlay(w, h), w, h)
	case a.hab.messages != nil:
		return OverlayCenter(body, a.messagesView(w, h), w, h)
	}
	return body
}

// pageMsg delivers msg to one page, whether or not it is the active one (the loads a
// restored view needs).
type pageMsg struct {
	page Page
	msg  tea.Msg
}

// deliverTo runs cmd and hands its message to page p.
func deliverTo(p Page, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg { return pageMsg{page: p, msg: cmd()} }
}

// savedView is the subnet a page showed: the Subnets page's drill-down ("metagraph" or
// "hyperparameters" of Netuid, or "list") and the Weights page's subnet.
type savedView struct {
	Mode   string `json:"mode,omitempty"`
	Netuid uint16 `json:"netuid"`
}

// viewOf is page p's view to remember, under its title.
func viewOf(p Page) (savedView, bool) {
	switch p := p.(type) {
	case *subnetsPage:
		switch p.mode {
		case subnetsMetagraph:
			return savedView{Mode: "metagraph", Netuid: p.netuid}, true
		case subnetsHyper:
			return savedView{Mode: "hyperparameters", Netuid: p.netuid}, true
		}
		return savedView{Mode: "list"}, true
	case *weightsPage:
		return savedView{Netuid: p.netuid}, true
	}
	return savedView{}, false
}

// restoreView puts page p back on the subnet it showed at the last launch; it returns what
// has to be loaded for it.
func (a *App) restoreView(p Page) tea.Cmd {
	v, ok := a.c.State.Views[p.Title()]
	if !ok {
		return nil
	}
	switch p := p.(type) {
	case *subnetsPage:
		if a.c.Client == nil {
			return nil
		}
		switch v.Mode {
		case "metagraph":
			return deliverTo(p, p.show(v.Netuid, false))
		case "hyperparameters":
			return deliverTo(p, p.show(v.Netuid, true))
		}
	case *weightsPage:
		p.netuid = v.Netuid
	}
	return nil
}

// rememberViews runs after every message: a page seen for the first time (at start, or
// rebuilt after a chain change) gets its remembered view and its tables their sort; for the
// others a changed view or sort is written to the state file.
func (a *App) rememberViews() tea.Cmd {
	var cmds []tea.Cmd
	changed := a.rememberSorts()
	for _, p := range a.pages {
		if !a.hab.restored[p] {
			a.hab.restored[p] = true
			cmds = append(cmds, a.restoreView(p))
			continue
		}
		v, ok := viewOf(p)
		if !ok {
			continue
		}
		if old, had := a.c.State.Views[p.Title()]; !had || old != v {
			if a.c.State.Views == nil {
				a.c.State.Views = map[string]savedView{}
			}
			a.c.State.Views[p.Title()] = v
			changed = true
		}
	}
	if changed {
		cmds = append(cmds, a.c.saveStateCmd())
	}
	return tea.Batch(cmds...)
}

// overlayOpen reports whether the command line, the address book or the history is up.
func (h *habits) overlayOpen() bool { return h.cmd != nil || h.contacts != nil || h.messages != nil }
