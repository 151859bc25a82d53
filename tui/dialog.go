package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// dialogResult is what a dialog's Update says happened.
type dialogResult int

const (
	dialogOpen   dialogResult = iota // still open
	dialogSubmit                     // the user confirmed / submitted
	dialogCancel                     // the user cancelled
)

// dialogWidth is the outer width of dialogs for a screen width w.
func dialogWidth(w int) int { return min(max(40, w-8), 96) }

func renderDialog(st *Styles, width int, title string, body ...string) string {
	inner := width - st.Dialog.GetHorizontalFrameSize()
	// the title wraps (a transaction's title names its subnet at the end)
	parts := []string{st.DialogTitle.Render(ansi.Wrap(title, inner, " ")), ""}
	for _, b := range body {
		parts = append(parts, lipgloss.NewStyle().Width(inner).Render(b))
	}
	return st.Dialog.Width(width).Render(strings.Join(parts, "\n"))
}

// passwordPrompt is the password modal: nothing is echoed while typing. With confirm
// set it asks twice and refuses a mismatch or an empty password.
type passwordPrompt struct {
	c       *Common
	title   string
	detail  string
	confirm bool
	input   textinput.Model
	first   []byte
	second  bool // in the confirmation entry
	err     error
	pw      []byte
}

func newPasswordPrompt(c *Common, title, detail string, confirm bool) *passwordPrompt {
	ti := textinput.New()
	ti.EchoMode = textinput.EchoNone
	ti.Prompt = "password: "
	ti.SetStyles(c.inputStyles())
	ti.SetWidth(40)
	p := &passwordPrompt{c: c, title: title, detail: detail, confirm: confirm, input: ti}
	return p
}

// Focus gives the input the cursor.
func (p *passwordPrompt) Focus() tea.Cmd { return p.input.Focus() }

// SetError shows err (e.g. a wrong password) and asks again from the start.
func (p *passwordPrompt) SetError(err error) {
	p.err = err
	wipe(p.first)
	p.first, p.second = nil, false
	p.input.Prompt = "password: "
	p.input.Reset()
}

// Take returns the entered password and forgets it. The caller hands it to the key
// store and wipes it.
func (p *passwordPrompt) Take() []byte {
	pw := p.pw
	p.pw = nil
	return pw
}

func (p *passwordPrompt) Update(msg tea.Msg) (dialogResult, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return dialogOpen, cmd
	}
	switch km.Code {
	case tea.KeyEscape:
		p.SetError(nil)
		return dialogCancel, nil
	case tea.KeyEnter:
		v := []byte(p.input.Value())
		p.input.Reset()
		if len(v) == 0 {
			p.err = ErrEmptyPassword
			return dialogOpen, nil
		}
		if p.confirm && !p.second {
			p.first, p.second = v, true
			p.input.Prompt = "again:    "
			p.err = nil
			return dialogOpen, nil
		}
		if p.confirm && string(v) != string(p.first) {
			wipe(v)
			p.SetError(ErrPasswordMismatch)
			return dialogOpen, nil
		}
		wipe(p.first)
		p.first, p.second, p.err = nil, false, nil
		p.input.Prompt = "password: "
		p.pw = v
		return dialogSubmit, nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return dialogOpen, cmd
}

func (p *passwordPrompt) View(width int) string {
	st := &p.c.Styles
	body := []string{}
	if p.detail != "" {
		body = append(body, st.Text.Render(p.detail), "")
	}
	body = append(body, p.input.View(), st.Muted.Render("(typing is not shown)"))
	if p.err != nil {
		body = append(body, "", st.Error.Render(p.err.Error()))
	}
	body = append(body, "", st.Muted.Render("enter submit • esc cancel"))
	return renderDialog(st, width, p.title, body...)
}

// wipe zeroes a secret in place.
func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

// PreviewLine is one "label: value" line of a confirmation preview.
type PreviewLine struct {
	Label, Value string
	Warn         bool // highlight (e.g. slippage above tolerance)
}

// confirmDialog shows what a transaction will do and asks before doing it.
type confirmDialog struct {
	c       *Common
	title   string
	preview []PreviewLine
	note    string
	yes     bool
}

func newConfirmDialog(c *Common, title string, preview []PreviewLine, note string) *confirmDialog {
	return &confirmDialog{c: c, title: title, preview: preview, note: note, yes: true}
}

func (d *confirmDialog) Update(msg tea.Msg) (dialogResult, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return dialogOpen, nil
	}
	k := d.c.KeyMap.Dialog
	switch {
	case km.Code == tea.KeyEnter:
		if d.yes {
			return dialogSubmit, nil
		}
		return dialogCancel, nil
	case key.Matches(km, k.Confirm):
		return dialogSubmit, nil
	case key.Matches(km, k.Cancel):
		return dialogCancel, nil
	case km.Code == tea.KeyLeft, km.Code == tea.KeyRight, km.Code == tea.KeyTab:
		d.yes = !d.yes
	}
	return dialogOpen, nil
}

func (d *confirmDialog) View(width int) string {
	st := &d.c.Styles
	labelW := 0
	for _, l := range d.preview {
		labelW = max(labelW, lipgloss.Width(l.Label))
	}
	inner := width - st.Dialog.GetHorizontalFrameSize()
	lines := make([]string, 0, len(d.preview))
	for _, l := range d.preview {
		v := st.Value.Render(l.Value)
		if l.Warn {
			v = st.Warning.Render(l.Value)
		}
		lines = append(lines, st.Label.Render(PadRight(l.Label, labelW))+"  "+Truncate(v, max(1, inner-labelW-2)))
	}
	body := []string{strings.Join(lines, "\n")}
	if d.note != "" {
		body = append(body, "", st.Muted.Render(d.note))
	}
	yes, no := st.Button, st.Button
	if d.yes {
		yes = st.ButtonActive
	} else {
		no = st.ButtonActive
	}
	body = append(body, "", yes.Render("Confirm (y)")+"  "+no.Render("Cancel (n)"))
	return renderDialog(st, width, d.title, body...)
}

// formField is one labelled input of a form.
type formField struct {
	Label       string
	Placeholder string
	Value       string
	Hint        string
	Validate    func(string) error
	Secret      bool
	// Toggle makes the field a yes/no switch: space (or y/n) flips it, its value is "yes"
	// or "no".
	Toggle bool
	// Complete lists the completions of a prefix (the address book); tab completes.
	Complete func(prefix string) []string
}

// form is a small modal form: tab moves between fields, enter on the last one submits
// once every field validates, esc cancels.
type form struct {
	c      *Common
	wallet string // what the form acts for, when its owner needs to remember it
	title  string
	fields []formField
	inputs []textinput.Model
	focus  int
	err    error
	// fieldErr holds each field's error from when it was last left (validated on leave).
	fieldErr []error
}

func newForm(c *Common, title string, fields ...formField) *form {
	f := &form{c: c, title: title, fields: fields, fieldErr: make([]error, len(fields))}
	for _, fd := range fields {
		ti := textinput.New()
		ti.Prompt = ""
		ti.Placeholder = fd.Placeholder
		ti.SetValue(fd.Value)
		ti.SetStyles(c.inputStyles())
		ti.SetWidth(44)
		if fd.Secret {
			ti.EchoMode = textinput.EchoNone
		}
		f.inputs = append(f.inputs, ti)
	}
	return f
}

// refocus focuses the field that had the focus (a form reopened after an error).
func (f *form) refocus() tea.Cmd { return f.inputs[f.focus].Focus() }

// Focus focuses the first field.
func (f *form) Focus() tea.Cmd {
	f.focus = 0
	return f.inputs[0].Focus()
}

// Values returns the fields' values in order.
func (f *form) Values() []string {
	out := make([]string, len(f.inputs))
	for i := range f.inputs {
		out[i] = strings.TrimSpace(f.inputs[i].Value())
	}
	return out
}

// SetError shows an error under the form (e.g. from the chain) and keeps it open.
func (f *form) SetError(err error) { f.err = err }

func (f *form) move(d int) tea.Cmd {
	f.checkField(f.focus)
	f.inputs[f.focus].Blur()
	f.focus = (f.focus + d + len(f.inputs)) % len(f.inputs)
	return f.inputs[f.focus].Focus()
}

// checkField validates field i as it is left; the error shows under it until it is fixed.
func (f *form) checkField(i int) {
	fd := f.fields[i]
	if fd.Validate == nil {
		return
	}
	f.fieldErr[i] = fd.Validate(strings.TrimSpace(f.inputs[i].Value()))
}

// complete fills the focused field with its completion: the one name that starts with what
// was typed, or the names' longest common prefix. It reports whether it changed the value.
func (f *form) complete() bool {
	fd := f.fields[f.focus]
	if fd.Complete == nil {
		return false
	}
	v := f.inputs[f.focus].Value()
	if v == "" {
		return false
	}
	cs := fd.Complete(v)
	if len(cs) == 0 {
		return false
	}
	common := cs[0]
	for _, c := range cs[1:] {
		for !strings.HasPrefix(strings.ToLower(c), strings.ToLower(common)) {
			common = common[:len(common)-1]
		}
	}
	if len(common) <= len(v) {
		return false
	}
	f.inputs[f.focus].SetValue(common)
	f.inputs[f.focus].CursorEnd()
	return true
}

// toggle flips (or sets) a toggle field.
func (f *form) toggle(km tea.KeyPressMsg) bool {
	if !f.fields[f.focus].Toggle {
		return false
	}
	cur, _ := parseYesNo(f.inputs[f.focus].Value())
	switch km.String() {
	case "space", "x":
		cur = !cur
	case "y":
		cur = true
	case "n":
		cur = false
	case "tab", "shift+tab", "enter", "esc", "up", "down", "ctrl+c":
		return false
	default:
		return true // other typing does not edit a switch
	}
	f.inputs[f.focus].SetValue(yesNo(cur))
	return true
}

func (f *form) Update(msg tea.Msg) (dialogResult, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if ok {
		if f.toggle(km) {
			return dialogOpen, nil
		}
		k := f.c.KeyMap.Dialog
		if km.Code == tea.KeyTab && km.Mod == 0 && f.complete() {
			return dialogOpen, nil
		}
		switch {
		case km.Code == tea.KeyEscape:
			return dialogCancel, nil
		case km.Code == tea.KeyEnter:
			if f.focus < len(f.inputs)-1 {
				return dialogOpen, f.move(1)
			}
			vals := f.Values()
			for i, fd := range f.fields {
				if fd.Validate == nil {
					continue
				}
				if err := fd.Validate(vals[i]); err != nil {
					f.err = err
					return dialogOpen, f.move(i - f.focus)
				}
			}
			f.err = nil
			clear(f.fieldErr)
			return dialogSubmit, nil
		case key.Matches(km, k.Next):
			return dialogOpen, f.move(1)
		case key.Matches(km, k.Prev):
			return dialogOpen, f.move(-1)
		}
	}
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	return dialogOpen, cmd
}

func (f *form) View(width int) string {
	st := &f.c.Styles
	labelW := 0
	for _, fd := range f.fields {
		labelW = max(labelW, lipgloss.Width(fd.Label))
	}
	inner := width - st.Dialog.GetHorizontalFrameSize()
	var rows []string
	for i, fd := range f.fields {
		lbl := st.Label.Render(PadRight(fd.Label, labelW))
		if i == f.focus {
			lbl = st.Title.Render(PadRight(fd.Label, labelW))
		}
		in := f.inputs[i]
		in.SetWidth(max(8, inner-labelW-3))
		if fd.Toggle {
			on, _ := parseYesNo(in.Value())
			box := "[ ] no"
			if on {
				box = "[x] yes"
			}
			rows = append(rows, lbl+"  "+st.Value.Render(box))
		} else {
			rows = append(rows, lbl+"  "+in.View())
		}
		pad := strings.Repeat(" ", labelW+2)
		if i < len(f.fieldErr) && f.fieldErr[i] != nil && i != f.focus {
			rows = append(rows, pad+st.Error.Render(Truncate(f.fieldErr[i].Error(), max(8, inner-labelW-2))))
		}
		if i == f.focus {
			hint := fd.Hint
			if fd.Toggle {
				hint = cmpOr(hint, "") + " (space switches)"
			}
			if fd.Complete != nil {
				if cs := fd.Complete(in.Value()); len(cs) > 0 && in.Value() != "" && !(len(cs) == 1 && cs[0] == in.Value()) {
					hint = "tab: " + strings.Join(cs[:min(len(cs), 4)], " ")
				}
			}
			if hint != "" {
				rows = append(rows, pad+st.Muted.Render(Truncate(hint, max(8, inner-labelW-2))))
			}
		}
	}
	body := []string{strings.Join(rows, "\n")}
	if f.err != nil {
		body = append(body, "", st.Error.Render(f.err.Error()))
	}
	body = append(body, "", st.Muted.Render("tab next field • enter submit • esc cancel"))
	return renderDialog(st, width, f.title, body...)
}
