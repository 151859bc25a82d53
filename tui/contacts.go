package tui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The address book's saved contacts (`@`, or `:contacts`; `:contact NAME ADDRESS` saves one
// from the command line). A contact is a name for an SS58 address; wherever an address is
// typed (transfer, faucet, the stake form's hotkey) its name is accepted and completed with tab, beside the wallet
// names and the dev names (addressbook.go). Contacts live in contacts.json beside the
// console's state file in the config directory, mode 0600 in a 0700 directory, written whole
// and renamed: {"contacts": {"bob": "5F…"}}. An unreadable file is an empty book (the
// console still starts); it is only rewritten when a contact is saved or deleted.

// contactsFile is contacts.json's content.
type contactsFile struct {
	Contacts map[string]string `json:"contacts"`
}

// contactsPath is the contacts file beside the state file ("" keeps contacts in memory).
func contactsPath(statePath string) string {
	if statePath == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(statePath), "contacts.json")
}

// loadContacts reads the contacts file; a missing or unreadable one is an empty book.
func loadContacts(path string) map[string]string {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var f contactsFile
	if json.Unmarshal(b, &f) != nil {
		return nil
	}
	return f.Contacts
}

// saveContactsCmd writes the contacts file off the Update loop; a failure is a warning.
func (c *Common) saveContactsCmd() tea.Cmd {
	path := contactsPath(c.StatePath)
	if path == "" {
		return nil
	}
	f := contactsFile{Contacts: maps.Clone(c.State.Contacts)}
	if f.Contacts == nil {
		f.Contacts = map[string]string{}
	}
	seq := stateSeq.Add(1)
	return func() tea.Msg {
		if err := writeJSONFile(path, f, seq); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return bannerMsg{banner{kind: bannerWarn, text: "could not save the contacts: " + err.Error(), hint: "check the config directory's permissions"}}
		}
		return nil
	}
}

// validContactName checks a new contact's name: a plain name that hides no wallet.
func (c *Common) validContactName(name string) error {
	if validName(name) != nil {
		return fmt.Errorf("%q: a contact's name uses letters, digits, - _ . (no spaces, no /)", name)
	}
	for _, w := range c.Wallets {
		if w.Name == name {
			return fmt.Errorf("%q is a wallet's name: give the contact another one", name)
		}
	}
	return nil
}

// saveContact saves name → the address what resolves to.
func (a *App) saveContact(name, what string) (tea.Cmd, error) {
	if err := a.c.validContactName(name); err != nil {
		return nil, err
	}
	addr, err := a.c.resolveAddress(what)
	if err != nil {
		return nil, err
	}
	if a.c.State.Contacts == nil {
		a.c.State.Contacts = map[string]string{}
	}
	verb := "saved"
	if old, ok := a.c.State.Contacts[name]; ok {
		if old == addr {
			return noticeCmd(bannerInfo, "contact "+name+" is already "+ShortAddress(addr, 20)), nil
		}
		verb = "updated"
	}
	a.c.State.Contacts[name] = addr
	return tea.Batch(a.c.saveContactsCmd(), noticeCmd(bannerSuccess, "contact "+name+" "+verb+": "+addr)), nil
}

// contactsView is the address book overlay.
type contactsView struct {
	cursor  int
	form    *form  // adding a contact
	prefill string // the address selected when the book was opened
	del     string // the contact d asked to delete (d again confirms)
}

// contactNames are the saved names, sorted.
func (c *Common) contactNames() []string {
	return slices.Sorted(maps.Keys(c.State.Contacts))
}

func (a *App) openContacts() tea.Cmd {
	v := &contactsView{}
	switch a.Active().(type) {
	case *overviewPage, *chainPage:
		// the Overview's address is the operator's own wallet, the explorer's rows are blocks:
		// nothing to fill in
	default:
		what, value, _ := a.copyTarget()
		if strings.Contains(what, "address") || strings.Contains(what, "hotkey") || strings.Contains(what, "coldkey") {
			if _, err := a.c.resolveAddress(value); err == nil {
				v.prefill = value
			}
		}
	}
	a.hab.contacts = v
	return nil
}

// Contacts reports whether the address book is open (tests).
func (a *App) Contacts() bool { return a.hab.contacts != nil }

func (a *App) updateContacts(msg tea.Msg) tea.Cmd {
	v := a.hab.contacts
	if v.form != nil {
		res, cmd := v.form.Update(msg)
		switch res {
		case dialogCancel:
			v.form = nil
		case dialogSubmit:
			vals := v.form.Values()
			save, err := a.saveContact(vals[0], vals[1])
			if err != nil {
				v.form.SetError(err)
				return nil
			}
			v.form = nil
			if i := slices.Index(a.c.contactNames(), vals[0]); i >= 0 {
				v.cursor = i
			}
			return save
		}
		return cmd
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	names := a.c.contactNames()
	t := a.c.KeyMap.Table
	del := v.del
	v.del = ""
	switch {
	case km.Code == tea.KeyEscape, key.Matches(km, a.hab.keys.Contacts), km.Text == "q":
		a.hab.contacts = nil
	case km.Text == "a":
		v.form = newForm(a.c, "Save a contact",
			formField{Label: "name", Placeholder: "bob", Hint: "letters, digits, - _ .",
				Validate: a.c.validContactName},
			formField{Label: "address", Value: v.prefill, Placeholder: "5… address, //Bob or a wallet name", Hint: "an SS58 address (tab completes names)",
				Complete: a.c.addressNames, Validate: func(s string) error { _, err := a.c.resolveAddress(s); return err }},
		)
		return v.form.Focus()
	case km.Text == "d" && len(names) > 0:
		name := names[v.cursor]
		if del != name {
			v.del = name
			return noticeCmd(bannerWarn, "press d again to delete contact "+name)
		}
		delete(a.c.State.Contacts, name)
		v.cursor = min(v.cursor, max(0, len(names)-2))
		return tea.Batch(a.c.saveContactsCmd(), noticeCmd(bannerSuccess, "contact "+name+" deleted"))
	case key.Matches(km, a.hab.keys.Copy) && len(names) > 0:
		return copyCmd("address of contact "+names[v.cursor], a.c.State.Contacts[names[v.cursor]])
	case key.Matches(km, t.Down):
		v.cursor = min(v.cursor+1, max(0, len(names)-1))
	case key.Matches(km, t.Up):
		v.cursor = max(0, v.cursor-1)
	}
	return nil
}

// contactsOverlay draws the address book over the page body (w×h).
func (a *App) contactsOverlay(w, h int) string {
	st := &a.c.Styles
	v := a.hab.contacts
	width := dialogWidth(w)
	if v.form != nil {
		return v.form.View(width)
	}
	inner := width - st.Dialog.GetHorizontalFrameSize()
	names := a.c.contactNames()
	room := max(3, h-st.Dialog.GetVerticalFrameSize()-4)
	var body string
	if len(names) == 0 {
		body = st.Muted.Render("no contacts yet: a saves one (a name and an address), or type :contact NAME ADDRESS")
	} else {
		nameW := 4
		for _, n := range names {
			nameW = max(nameW, len(n))
		}
		nameW = min(nameW, 20)
		first := max(0, min(v.cursor-room+1, len(names)-room))
		var lines []string
		for i := first; i < min(len(names), first+room); i++ {
			l := PadRight(Truncate(names[i], nameW), nameW) + "  " + a.c.State.Contacts[names[i]]
			l = PadRight(Truncate(l, inner), inner)
			if i == v.cursor {
				l = st.TableSelected.Render(l)
			}
			lines = append(lines, l)
		}
		body = strings.Join(lines, "\n")
	}
	footer := "a add • d delete • y copy • j/k move • esc closes"
	return renderDialog(st, width, "Contacts — "+plural(len(names), "contact", "contacts"), body, st.Muted.Render(Truncate(footer, inner)))
}
