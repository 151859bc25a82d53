package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/wallet"
)

// walletStep is where the wallet creation/import flow is.
type walletStep int

const (
	stepName      walletStep = iota // wallet name
	stepMnemonic                    // import: type the mnemonic
	stepScheme                      // import: both accounts of the mnemonic, choose one
	stepPassword                    // coldkey password, twice, no echo
	stepWorking                     // the key store is working
	stepShowWords                   // create: the mnemonic, shown this one time
	stepQuiz                        // create: three of its words typed back
	stepHotkey                      // creating the default hotkey
	stepDone                        // summary
)

// quizWords is how many mnemonic words are asked back.
const quizWords = 3

// walletFlow creates a wallet (mnemonic shown once, then three words asked back) or
// imports one from a mnemonic, then adds a "default" hotkey. Every key-store call is a
// command; the flow only reacts to their messages.
type walletFlow struct {
	c         *Common
	importing bool
	step      walletStep
	name      textinput.Model
	phrase    textinput.Model
	pw        *passwordPrompt
	spin      spinner.Model
	working   string
	err       error

	words    []string // the new mnemonic while it is shown and checked, then nil
	quiz     []int    // positions asked back (0-based)
	quizAt   int      // index into quiz
	answer   textinput.Model
	wallet   WalletInfo
	hotMnem  string // the hotkey's mnemonic, shown once on the summary
	hotkey   HotkeyInfo
	finished bool
	skipped  bool // the words were not asked back (esc on the words)

	choices []RestoreChoice // import: the accounts the mnemonic gives (stepScheme)
	pick    int             // the chosen one
	moved   bool            // the operator moved the choice (funds found later do not)
	funds   map[string]restoreFunds
	fundErr error
	scheme  wallet.Scheme // the scheme written
}

// restoreFunds is what an account of a restored mnemonic holds on the chain.
type restoreFunds struct{ free, staked uint64 }

// Messages of the flow's key-store commands.
type (
	walletCreatedMsg struct {
		mnemonic string
		wallet   WalletInfo
		err      error
	}
	walletImportedMsg struct {
		wallet WalletInfo
		err    error
	}
	hotkeyCreatedMsg struct {
		mnemonic string
		hotkey   HotkeyInfo
		err      error
	}
	// restoreChoicesMsg is the accounts a mnemonic gives under each scheme.
	restoreChoicesMsg struct {
		choices []RestoreChoice
		err     error
	}
	// restoreFundsMsg is what those accounts hold on the chain.
	restoreFundsMsg struct {
		funds map[string]restoreFunds
		err   error
	}
)

func newWalletFlow(c *Common, importing bool, defaultName string) *walletFlow {
	f := &walletFlow{c: c, importing: importing}
	f.name = newInput(c, "name: ", "default")
	f.name.SetValue(defaultName)
	f.phrase = newInput(c, "mnemonic: ", "twelve or twenty-four words, or a SURI")
	f.phrase.SetWidth(60)
	f.answer = newInput(c, "word: ", "")
	f.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Spinner))
	return f
}

func newInput(c *Common, prompt, placeholder string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = prompt
	ti.Placeholder = placeholder
	ti.SetStyles(c.inputStyles())
	ti.SetWidth(40)
	return ti
}

func (f *walletFlow) restyle() {
	for _, in := range []*textinput.Model{&f.name, &f.phrase, &f.answer} {
		in.SetStyles(f.c.inputStyles())
	}
	f.spin.Style = f.c.Styles.Spinner
	if f.pw != nil {
		f.pw.input.SetStyles(f.c.inputStyles())
	}
}

// Init focuses the name input.
func (f *walletFlow) Init() tea.Cmd { return f.name.Focus() }

// Done reports whether the flow has finished; Wallet is then the result.
func (f *walletFlow) Done() bool { return f.finished }

// validName checks a wallet or hotkey name: it becomes a directory or file name.
func validName(s string) error {
	if s == "" || s == "." || s == ".." || len(s) > 64 {
		return ErrBadName
	}
	for _, r := range s {
		ok := r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok {
			return ErrBadName
		}
	}
	return nil
}

func (f *walletFlow) startWork(what string) tea.Cmd {
	f.step, f.working, f.err = stepWorking, what, nil
	if f.c.Animate {
		return f.spin.Tick
	}
	return nil
}

// Update advances the flow. It returns dialogCancel when the user backs out before
// anything was written, dialogSubmit when the flow has finished.
func (f *walletFlow) Update(msg tea.Msg) (dialogResult, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if f.step != stepWorking && f.step != stepHotkey {
			return dialogOpen, nil
		}
		var cmd tea.Cmd
		f.spin, cmd = f.spin.Update(msg)
		return dialogOpen, cmd
	case walletCreatedMsg:
		return f.onCreated(msg)
	case walletImportedMsg:
		return f.onImported(msg)
	case hotkeyCreatedMsg:
		return f.onHotkey(msg)
	case restoreChoicesMsg:
		return f.onChoices(msg)
	case restoreFundsMsg:
		if f.step == stepScheme || f.step == stepPassword {
			f.funds, f.fundErr = msg.funds, msg.err
			f.preselect()
		}
		return dialogOpen, nil
	case tea.KeyPressMsg:
		return f.onKey(msg)
	case tea.PasteMsg:
		return f.forwardInput(msg)
	}
	return dialogOpen, nil
}

func (f *walletFlow) onKey(msg tea.KeyPressMsg) (dialogResult, tea.Cmd) {
	switch f.step {
	case stepName:
		switch msg.Code {
		case tea.KeyEscape:
			return dialogCancel, nil
		case tea.KeyEnter:
			name := strings.TrimSpace(f.name.Value())
			if err := validName(name); err != nil {
				f.err = err
				return dialogOpen, nil
			}
			for _, w := range f.c.Wallets {
				if w.Name == name { // said now, not after two password entries
					f.err = fmt.Errorf("a wallet named %s already exists: type another name", name)
					return dialogOpen, nil
				}
			}
			f.err = nil
			f.name.Blur()
			if f.importing {
				f.step = stepMnemonic
				return dialogOpen, f.phrase.Focus()
			}
			return dialogOpen, f.askPassword()
		}
	case stepMnemonic:
		switch msg.Code {
		case tea.KeyEscape:
			f.phrase.Reset()
			f.step = stepName
			return dialogOpen, f.name.Focus()
		case tea.KeyEnter:
			if n := len(strings.Fields(f.phrase.Value())); n == 0 {
				f.err = fmt.Errorf("type the mnemonic's words separated by spaces")
				return dialogOpen, nil
			}
			// checked, and both accounts derived, before the passwords are asked; what
			// was typed stays to be corrected
			k := f.c.Keys
			phrase := strings.Join(strings.Fields(f.phrase.Value()), " ")
			f.phrase.Blur()
			return dialogOpen, tea.Batch(f.startWork("deriving the accounts of this mnemonic…"), func() tea.Msg {
				if k == nil {
					return restoreChoicesMsg{err: ErrNoKeys}
				}
				cs, err := k.RestoreChoices(phrase)
				return restoreChoicesMsg{choices: cs, err: err}
			})
		}
	case stepScheme:
		switch {
		case msg.Code == tea.KeyEscape:
			f.choices, f.funds = nil, nil
			f.step = stepMnemonic
			return dialogOpen, f.phrase.Focus()
		case msg.Code == tea.KeyEnter:
			f.scheme = f.choices[f.pick].Scheme
			return dialogOpen, f.askPassword()
		case key.Matches(msg, f.c.KeyMap.Table.Up), key.Matches(msg, f.c.KeyMap.Dialog.Prev):
			f.pick, f.moved = (f.pick+len(f.choices)-1)%len(f.choices), true
		case key.Matches(msg, f.c.KeyMap.Table.Down), key.Matches(msg, f.c.KeyMap.Dialog.Next):
			f.pick, f.moved = (f.pick+1)%len(f.choices), true
		case msg.Text == "s" || msg.Text == "e":
			for i, c := range f.choices {
				if (c.Scheme == wallet.Sr25519) == (msg.Text == "s") {
					f.pick, f.moved = i, true
				}
			}
		}
		return dialogOpen, nil
	case stepPassword:
		res, cmd := f.pw.Update(msg)
		switch res {
		case dialogCancel:
			f.pw = nil
			if f.importing && len(f.choices) > 1 {
				f.step = stepScheme // back to the choice of account
				return dialogOpen, nil
			}
			f.step = stepName
			return dialogOpen, f.name.Focus()
		case dialogSubmit:
			return dialogOpen, f.submitKeys(f.pw.Take())
		}
		return dialogOpen, cmd
	case stepShowWords:
		if msg.Code == tea.KeyEscape {
			// leave without the check: the wallet is already saved, the words are not
			// asked back (said on the summary)
			f.skipped = true
			for i := range f.words {
				f.words[i] = ""
			}
			f.words, f.quiz = nil, nil
			return dialogOpen, f.createHotkey()
		}
		if msg.Code == tea.KeyEnter {
			f.step = stepQuiz
			f.quiz = f.c.PickWords(len(f.words), quizWords)
			f.quizAt = 0
			f.answer.Reset()
			return dialogOpen, f.answer.Focus()
		}
		return dialogOpen, nil
	case stepQuiz:
		if msg.Code == tea.KeyEnter {
			return f.checkWord()
		}
		if msg.Code == tea.KeyEscape {
			// back to the words, to read them again (esc there skips the check)
			f.answer.Reset()
			f.answer.Blur()
			f.err = nil
			f.step = stepShowWords
			return dialogOpen, nil
		}
	case stepDone:
		if msg.Code == tea.KeyEnter || key.Matches(msg, f.c.KeyMap.Dialog.Confirm) {
			f.finished = true
			f.hotMnem = ""
			return dialogSubmit, nil
		}
		return dialogOpen, nil
	case stepWorking, stepHotkey:
		return dialogOpen, nil
	}
	return f.forwardInput(msg)
}

// onChoices shows the accounts of the typed mnemonic: both when it is valid for both
// schemes (the operator chooses; the chain, when there is one, says which holds funds),
// or goes straight to the password when only one scheme can hold it.
func (f *walletFlow) onChoices(msg restoreChoicesMsg) (dialogResult, tea.Cmd) {
	if msg.err != nil || len(msg.choices) == 0 {
		err := msg.err
		if err == nil {
			err = fmt.Errorf("it gives no account")
		}
		f.err = fmt.Errorf("this mnemonic is not valid: %w (correct it; esc goes back)", err)
		f.step = stepMnemonic
		return dialogOpen, f.phrase.Focus()
	}
	f.err = nil
	f.choices, f.funds, f.fundErr, f.moved = msg.choices, nil, nil, false
	f.pick = 0
	for i, c := range f.choices {
		if c.Scheme == wallet.Ecdsa {
			f.pick = i // btui's default, as `wallet regen-coldkey` without --crypto-type
		}
	}
	if len(f.choices) == 1 {
		f.scheme = f.choices[0].Scheme
		return dialogOpen, f.askPassword()
	}
	f.step = stepScheme
	return dialogOpen, f.fundsCmd()
}

// fundsCmd asks the chain, when the console has one, what each account holds.
func (f *walletFlow) fundsCmd() tea.Cmd {
	if f.c.Client == nil {
		return nil
	}
	addrs := make([]string, len(f.choices))
	for i, c := range f.choices {
		addrs[i] = c.Address
	}
	return f.c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		out := make(map[string]restoreFunds, len(addrs))
		for _, a := range addrs {
			id, err := wallet.ParseAddress(a)
			if err != nil {
				return restoreFundsMsg{err: err}
			}
			acc, err := client.Account(ctx, id)
			if err != nil {
				return restoreFundsMsg{err: err}
			}
			fu := restoreFunds{free: acc.Free}
			ps, err := queryStake(ctx, client, a)
			if err != nil {
				return restoreFundsMsg{err: err}
			}
			for _, p := range ps {
				fu.staked += p.TaoValue
			}
			out[a] = fu
		}
		return restoreFundsMsg{funds: out}
	})
}

// preselect moves the choice to the one account that holds funds, unless the operator has
// already chosen.
func (f *walletFlow) preselect() {
	if f.moved || f.step != stepScheme {
		return
	}
	funded := -1
	for i, c := range f.choices {
		if fu := f.funds[c.Address]; fu.free > 0 || fu.staked > 0 {
			if funded >= 0 {
				return // both: the operator decides
			}
			funded = i
		}
	}
	if funded >= 0 {
		f.pick = funded
	}
}

// choiceLines are the scheme choice's lines: each account with its scheme and, with a chain,
// what it holds.
func (f *walletFlow) choiceLines() []string {
	st := &f.c.Styles
	lines := []string{st.Text.Render("This mnemonic gives two accounts, one per signature scheme. Choose the one to restore:"), ""}
	for i, c := range f.choices {
		mark := "  "
		if i == f.pick {
			mark = "▸ "
		}
		label := c.Scheme.String()
		if c.Scheme == wallet.Sr25519 {
			label += " — the btcli/SDK address"
		}
		line := mark + PadRight(label, 33) + " " + c.Address
		if i == f.pick {
			line = st.Selected.Render(line)
		} else {
			line = st.Text.Render(line)
		}
		lines = append(lines, line)
		switch fu, ok := f.funds[c.Address]; {
		case f.fundErr != nil && i == 0:
			lines = append(lines, st.Muted.Render("    on the chain: "+f.fundErr.Error()))
		case ok:
			lines = append(lines, st.Muted.Render("    on the chain: "+FormatTAO(fu.free)+" free, "+FormatTAO(fu.staked)+" staked"))
		case f.c.Client != nil && f.fundErr == nil:
			lines = append(lines, st.Muted.Render("    on the chain: asking…"))
		}
	}
	return append(lines, "", st.Muted.Render("↑/↓ (or s, e) choose • enter restore this one • esc back to the mnemonic"))
}

// forwardInput passes typing to the focused input.
func (f *walletFlow) forwardInput(msg tea.Msg) (dialogResult, tea.Cmd) {
	var cmd tea.Cmd
	switch f.step {
	case stepName:
		f.name, cmd = f.name.Update(msg)
	case stepMnemonic:
		f.phrase, cmd = f.phrase.Update(msg)
	case stepQuiz:
		f.answer, cmd = f.answer.Update(msg)
	case stepPassword:
		_, cmd = f.pw.Update(msg)
	}
	return dialogOpen, cmd
}

func (f *walletFlow) askPassword() tea.Cmd {
	f.step = stepPassword
	what := "The coldkey of " + strings.TrimSpace(f.name.Value())
	if f.importing {
		for _, c := range f.choices {
			if c.Scheme == f.scheme {
				what = "The " + c.Scheme.String() + " coldkey " + c.Address + " of " + strings.TrimSpace(f.name.Value())
			}
		}
	}
	f.pw = newPasswordPrompt(f.c, "Coldkey password", what+" is encrypted with this password. Type it twice.", true)
	return f.pw.Focus()
}

// submitKeys runs the create or import in a command; the password is wiped after use.
func (f *walletFlow) submitKeys(pw []byte) tea.Cmd {
	k := f.c.Keys
	name := strings.TrimSpace(f.name.Value())
	f.pw = nil
	if f.importing {
		phrase := strings.Join(strings.Fields(f.phrase.Value()), " ")
		scheme := f.scheme
		return tea.Batch(f.startWork("importing the "+scheme.String()+" coldkey…"), func() tea.Msg {
			defer wipe(pw)
			if k == nil {
				return walletImportedMsg{err: ErrNoKeys}
			}
			w, err := k.ImportWallet(name, phrase, scheme, pw)
			return walletImportedMsg{wallet: w, err: err}
		})
	}
	return tea.Batch(f.startWork("creating the coldkey (deriving the encryption key takes a moment)…"), func() tea.Msg {
		defer wipe(pw)
		if k == nil {
			return walletCreatedMsg{err: ErrNoKeys}
		}
		m, w, err := k.CreateWallet(name, pw)
		return walletCreatedMsg{mnemonic: m, wallet: w, err: err}
	})
}

func (f *walletFlow) onCreated(msg walletCreatedMsg) (dialogResult, tea.Cmd) {
	if msg.err != nil {
		f.err = msg.err
		f.step = stepName
		return dialogOpen, f.name.Focus()
	}
	f.wallet = msg.wallet
	f.words = strings.Fields(msg.mnemonic)
	f.step = stepShowWords
	return dialogOpen, nil
}

func (f *walletFlow) onImported(msg walletImportedMsg) (dialogResult, tea.Cmd) {
	if msg.err != nil {
		f.err = msg.err
		f.step = stepMnemonic
		return dialogOpen, f.phrase.Focus()
	}
	f.phrase.Reset() // imported: the phrase is no longer needed
	f.choices, f.funds = nil, nil
	f.wallet = msg.wallet
	return dialogOpen, f.createHotkey()
}

func (f *walletFlow) checkWord() (dialogResult, tea.Cmd) {
	want := f.words[f.quiz[f.quizAt]]
	got := strings.ToLower(strings.TrimSpace(f.answer.Value()))
	f.answer.Reset()
	if got != want {
		f.err = ErrWordMismatch
		return dialogOpen, nil
	}
	f.err = nil
	f.quizAt++
	if f.quizAt < len(f.quiz) {
		return dialogOpen, nil
	}
	// confirmed: forget the mnemonic
	for i := range f.words {
		f.words[i] = ""
	}
	f.words, f.quiz = nil, nil
	f.answer.Blur()
	return dialogOpen, f.createHotkey()
}

func (f *walletFlow) createHotkey() tea.Cmd {
	k := f.c.Keys
	wallet := f.wallet.Name
	for _, h := range f.wallet.Hotkeys {
		if h.Name == "default" { // an imported wallet may already have one
			f.hotkey = h
			f.step = stepDone
			return nil
		}
	}
	cmd := f.startWork("creating hotkey default…")
	f.step = stepHotkey
	return tea.Batch(cmd, func() tea.Msg {
		m, h, err := k.NewHotkey(wallet, "default")
		return hotkeyCreatedMsg{mnemonic: m, hotkey: h, err: err}
	})
}

func (f *walletFlow) onHotkey(msg hotkeyCreatedMsg) (dialogResult, tea.Cmd) {
	if msg.err != nil {
		// The coldkey exists; the user can add a hotkey later from the Wallets page.
		f.err = fmt.Errorf("the coldkey was saved but the hotkey was not: %w (add one later with n on the Wallets page)", msg.err)
	} else {
		f.hotkey, f.hotMnem = msg.hotkey, msg.mnemonic
		f.wallet.Hotkeys = append(f.wallet.Hotkeys, msg.hotkey)
	}
	f.step = stepDone
	return dialogOpen, nil
}

// Capturing is always true: the flow owns the keyboard.
func (f *walletFlow) Capturing() bool { return true }

// Wallet is the created or imported wallet.
func (f *walletFlow) Wallet() WalletInfo { return f.wallet }

func (f *walletFlow) help() []key.Binding {
	switch f.step {
	case stepShowWords:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "I have written it down")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "skip the check"))}
	case stepQuiz:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "check word")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "show the words again"))}
	case stepDone:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue"))}
	case stepScheme:
		return []key.Binding{key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose the account")),
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "restore it")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))}
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// View renders the current step in a box width cells wide.
func (f *walletFlow) View(width int) string {
	st := &f.c.Styles
	title := "Create a wallet"
	if f.importing {
		title = "Import a wallet from its mnemonic"
	}
	var body []string
	switch f.step {
	case stepName:
		body = []string{st.Text.Render("Name the wallet (a directory under the wallet path)."), "", f.name.View()}
	case stepMnemonic:
		body = []string{st.Text.Render("Type or paste the mnemonic (or a SURI such as phrase//hard)."), "", f.phrase.View()}
	case stepScheme:
		body = f.choiceLines()
	case stepPassword:
		return f.pw.View(width)
	case stepWorking, stepHotkey:
		body = []string{f.spin.View() + " " + st.Text.Render(f.working)}
	case stepShowWords:
		body = f.wordsView(width)
	case stepQuiz:
		body = []string{
			st.Text.Render(fmt.Sprintf("Check %d of %d: type word #%d of your mnemonic.", f.quizAt+1, len(f.quiz), f.quiz[f.quizAt]+1)),
			"", f.answer.View(),
		}
	case stepDone:
		body = f.doneView()
	}
	if f.err != nil {
		body = append(body, "", st.Error.Render(f.err.Error()))
	}
	return renderDialog(st, width, title, body...)
}

func (f *walletFlow) wordsView(width int) []string {
	st := &f.c.Styles
	inner := width - st.Dialog.GetHorizontalFrameSize()
	cols := 3
	if inner >= 66 {
		cols = 4
	}
	cellW := inner / cols
	var lines []string
	var line strings.Builder
	for i, w := range f.words {
		line.WriteString(PadRight(st.Muted.Render(PadLeft(strconv.Itoa(i+1), 2)+".")+" "+st.Value.Render(w), cellW))
		if (i+1)%cols == 0 || i == len(f.words)-1 {
			lines = append(lines, line.String())
			line.Reset()
		}
	}
	return []string{
		st.Warning.Render("Write these words down, in order. They are shown only this once;"),
		st.Warning.Render("anyone who has them controls the wallet."),
		"",
		strings.Join(lines, "\n"),
		"",
		st.Muted.Render("Coldkey " + f.wallet.Address),
		"",
		st.Text.Render("Press enter when you have written them down: three of them will be asked back."),
	}
}

func (f *walletFlow) doneView() []string {
	st := &f.c.Styles
	lines := []string{
		st.Success.Render("Wallet " + f.wallet.Name + " is ready."),
		"",
		KV("coldkey", f.wallet.Address+"  "+schemeLabel(f.wallet.Scheme), 8, 200),
	}
	if f.skipped {
		lines = append(lines, st.Warning.Render("The words were not checked back: make sure the mnemonic is written down."))
	}
	if f.hotkey.Address != "" {
		lines = append(lines, KV("hotkey", f.hotkey.Name+"  "+f.hotkey.Address+"  "+schemeLabel(f.hotkey.Scheme), 8, 200))
	}
	if f.hotMnem != "" {
		lines = append(lines, "", st.Muted.Render("Hotkey mnemonic (shown once; needed only to restore this hotkey):"),
			st.Value.Render(f.hotMnem))
	}
	lines = append(lines, "", st.Text.Render("Press enter to open the console."))
	return lines
}
