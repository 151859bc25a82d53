package tui

import (
	"encoding/hex"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/wallet"
)

// walletsMode is what the Wallets page is doing.
type walletsMode int

const (
	walletsBrowse     walletsMode = iota
	walletsFlow                   // create / import
	walletsHotkey                 // new hotkey name form
	walletsSignForm               // message to sign
	walletsSignPass               // coldkey password for signing
	walletsVerifyForm             // address, message and signature to check
	walletsResult                 // a result box (hotkey mnemonic, signature)
)

// walletsPage is the tree of coldkeys and hotkeys with their addresses (and, with a
// chain, balances), and the wallet actions.
type walletsPage struct {
	c       *Common
	w, h    int
	narrow  bool // the address column is shortened (SetSize)
	table   *Table
	wallets []WalletInfo
	err     error
	loaded  bool

	mode    walletsMode
	flow    *walletFlow
	form    *form
	pw      *passwordPrompt
	result  []string
	resultT string
	signMsg string
	unlock  unlockSpin   // a slow coldkey being opened to sign a message
	extra   walletsChain // chain-side state (balances, transfer)
}

// Messages of the Wallets page's commands.
type (
	hotkeyAddedMsg struct {
		wallet   string
		mnemonic string
		hotkey   HotkeyInfo
		err      error
	}
	signedMsg struct {
		address   string
		scheme    wallet.Scheme
		message   string
		signature []byte
		err       error
	}
)

func newWalletsPage(c *Common) *walletsPage {
	p := &walletsPage{c: c}
	p.table = NewTable(c, walletColumns())
	return p
}

func walletColumns() []Column { return walletColumnsFor(false) }

// walletColumnsFor is the wallet table's columns; narrow (under 112 columns) shortens the
// address so that the scheme and the balances stay on screen (balances before addresses;
// the full address is in the inspector, enter, and y copies it).
func walletColumnsFor(narrow bool) []Column {
	addrW, taoW := 48, 18
	if narrow {
		addrW, taoW = 15, 15 // 21,000,000.0000 still fits
	}
	return []Column{
		{Title: "Wallet / hotkey", Width: 22},
		{Title: "Address", Width: addrW},
		{Title: "Scheme", Width: 7},
		{Title: "Free", Width: taoW, Right: true, Numeric: true},
		{Title: "Staked", Width: taoW, Right: true, Numeric: true},
		{Title: "Notes", Width: 20},
	}
}

func (p *walletsPage) Title() string { return "Wallets" }

func (p *walletsPage) Init() tea.Cmd { return nil }

func (p *walletsPage) SetSize(w, h int) {
	narrow := w < 112
	if narrow != p.narrow || p.w == 0 {
		p.narrow = narrow
		p.table.SetColumns(walletColumnsFor(narrow))
		if p.wallets != nil {
			p.rebuild()
		}
	}
	p.w, p.h = w, h
	p.table.SetSize(w, max(3, h-4))
}

// addrCell is an address as the table shows it (shortened when narrow).
func (p *walletsPage) addrCell(a string) string {
	if p.narrow {
		return ShortAddress(a, 15)
	}
	return a
}

func (p *walletsPage) Capturing() bool {
	return p.mode != walletsBrowse || p.table.Filtering() || p.extra.capturing()
}

func (p *walletsPage) ShortHelp() []key.Binding {
	k := p.c.KeyMap.Wallets
	if p.mode != walletsBrowse {
		d := p.c.KeyMap.Dialog
		return []key.Binding{d.Submit, d.Cancel}
	}
	return []key.Binding{k.Create, k.Import, k.NewHotkey, k.Select, k.Transfer}
}

func (p *walletsPage) FullHelp() [][]key.Binding {
	k := p.c.KeyMap.Wallets
	return [][]key.Binding{
		{k.Create, k.Import, k.NewHotkey, k.Select},
		{k.Transfer, k.Sign, k.Verify},
		p.table.Help(),
	}
}

// defaultHotkey is the hotkey a wallet is used with when its coldkey row is chosen: the
// current hotkey if the wallet has one of that name, else "default" if it has it, else its
// first hotkey, else "default" (a wallet with no hotkey yet).
func (p *walletsPage) defaultHotkey(wallet string) string {
	for _, w := range p.wallets {
		if w.Name != wallet {
			continue
		}
		for _, want := range []string{p.c.Hotkey, "default"} {
			for _, h := range w.Hotkeys {
				if h.Name == want {
					return want
				}
			}
		}
		if len(w.Hotkeys) > 0 {
			return w.Hotkeys[0].Name
		}
	}
	return "default"
}

// selectedWallet returns the wallet (and hotkey, if a hotkey row) under the cursor.
func (p *walletsPage) selectedWallet() (wallet, hotkey string, ok bool) {
	k, ok := p.table.SelectedKey()
	if !ok {
		return "", "", false
	}
	wallet, hotkey, _ = strings.Cut(k, "/")
	return wallet, hotkey, true
}

func (p *walletsPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case pageActivatedMsg:
		return p, listWalletsCmd(p.c.Keys, false)
	case walletsListedMsg:
		p.loaded = true
		p.err = msg.err
		if msg.err == nil {
			p.wallets = msg.wallets
		}
		p.rebuild()
		return p, p.extra.loadBalances(p)
	case walletSelectedMsg:
		p.rebuild()
		return p, nil
	case stylesChangedMsg:
		if p.flow != nil {
			p.flow.restyle()
		}
		return p, nil
	case hotkeyAddedMsg:
		return p, p.onHotkeyAdded(msg)
	case signedMsg:
		return p, p.onSigned(msg)
	case spinner.TickMsg:
		if cmd, ok := p.unlock.update(msg); ok {
			return p, cmd
		}
	}
	if cmd, ok := p.extra.update(p, msg); ok {
		return p, cmd
	}
	if p.extra.capturing() {
		return p, nil
	}
	switch p.mode {
	case walletsFlow:
		return p, p.updateFlow(msg)
	case walletsHotkey, walletsSignForm, walletsVerifyForm:
		return p, p.updateForm(msg)
	case walletsSignPass:
		if p.unlock.on {
			return p, nil // the key is being opened
		}
		return p, p.updateSignPass(msg)
	case walletsResult:
		if km, ok := msg.(tea.KeyPressMsg); ok && (km.Code == tea.KeyEnter || km.Code == tea.KeyEscape) {
			p.mode, p.result = walletsBrowse, nil
		}
		return p, nil
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		_, cmd := p.table.Update(msg)
		return p, cmd
	}
	if used, cmd := p.table.Update(km); used {
		return p, cmd
	}
	return p, p.handleKey(km)
}

func (p *walletsPage) handleKey(km tea.KeyPressMsg) tea.Cmd {
	k := p.c.KeyMap.Wallets
	switch {
	case key.Matches(km, k.Create), key.Matches(km, k.Import):
		if p.c.Keys == nil {
			return reportErrCmd(ErrNoKeys)
		}
		p.flow = newWalletFlow(p.c, key.Matches(km, k.Import), "")
		p.mode = walletsFlow
		return p.flow.Init()
	case key.Matches(km, k.NewHotkey):
		wallet, _, ok := p.selectedWallet()
		if !ok {
			return reportErrCmd(fmt.Errorf("no wallet selected: create one with c"))
		}
		p.form = newForm(p.c, "New hotkey for "+wallet, formField{
			Label: "name", Placeholder: "miner1", Validate: validName,
			Hint: "letters, digits, - _ .",
		})
		p.mode = walletsHotkey
		return p.form.Focus()
	case key.Matches(km, k.Select):
		wallet, hotkey, ok := p.selectedWallet()
		if !ok {
			return nil
		}
		if hotkey == "" {
			hotkey = p.defaultHotkey(wallet)
		}
		return func() tea.Msg { return walletSelectedMsg{Wallet: wallet, Hotkey: hotkey} }
	case key.Matches(km, k.Sign):
		wallet, _, ok := p.selectedWallet()
		if !ok {
			return nil
		}
		if w, _ := p.c.walletInfo(wallet); w.WatchOnly {
			return reportErrCmd(watchOnlyErr(wallet))
		}
		p.form = newForm(p.c, "Sign a message with the coldkey of "+wallet, formField{
			Label: "message", Placeholder: "text, or 0x… hex bytes",
			Validate: func(s string) error {
				if s == "" {
					return fmt.Errorf("type the message to sign")
				}
				_, err := messageBytes(s)
				return err
			},
		})
		p.mode = walletsSignForm
		return p.form.Focus()
	case key.Matches(km, k.Verify):
		addr := ""
		if wallet, hotkey, ok := p.selectedWallet(); ok {
			addr = p.addressOf(wallet, hotkey)
		}
		p.form = newForm(p.c, "Verify a signature",
			formField{Label: "signer", Value: addr, Hint: "who signed: an address, wallet/hotkey, dev name or contact (tab completes)",
				Complete: p.c.addressNames, Validate: func(s string) error { _, err := p.c.resolveAddress(s); return err }},
			formField{Label: "message", Placeholder: "text, or 0x… hex bytes", Validate: func(s string) error { _, err := messageBytes(s); return err }},
			formField{Label: "signature", Placeholder: "0x… 64 bytes (sr25519) or 65 (ecdsa)", Validate: func(s string) error { _, err := parseSignature(s); return err }},
		)
		p.mode = walletsVerifyForm
		return p.form.Focus()
	case key.Matches(km, k.Inspect):
		p.showInspect()
		return nil
	}
	return p.extra.handleKey(p, km)
}

// addressOf is the address of a wallet's coldkey, or of one of its hotkeys.
func (p *walletsPage) addressOf(wallet, hotkey string) string {
	for _, w := range p.wallets {
		if w.Name != wallet {
			continue
		}
		if hotkey == "" {
			return w.Address
		}
		for _, h := range w.Hotkeys {
			if h.Name == hotkey {
				return h.Address
			}
		}
	}
	return ""
}

// parseSignature reads a signature written in hex: 64 bytes (sr25519) or 65 (ecdsa).
func parseSignature(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != wallet.Sr25519.SignatureLen() && len(b) != wallet.Ecdsa.SignatureLen() {
		return nil, fmt.Errorf("a signature is 64 bytes (sr25519, 128 hex digits) or 65 bytes (ecdsa, 130 hex digits), written 0x…")
	}
	return b, nil
}

// showVerify checks a signature locally (no chain, no key) and shows the verdict.
func (p *walletsPage) showVerify(addr, message, signature string) {
	st := &p.c.Styles
	id, _ := wallet.ParseAddress(addr)
	msg, _ := messageBytes(message)
	sig, _ := parseSignature(signature)
	p.mode = walletsResult
	p.resultT = "Verify"
	verdict := ""
	if scheme, err := wallet.VerifyAny(msg, sig, id); err != nil {
		verdict = st.Error.Render("✗ not valid: " + err.Error())
	} else {
		verdict = st.Success.Render("✓ valid: " + addr + " signed this message (" + schemeLabel(scheme) + ")")
	}
	p.result = []string{verdict, "", KV("message", message, 10, 200)}
}

// messageBytes reads "0x…" as hex and anything else as UTF-8 text.
func messageBytes(s string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(s, "0x"); ok {
		b, err := hex.DecodeString(rest)
		if err != nil {
			return nil, fmt.Errorf("the message starts with 0x but is not hex: %w", err)
		}
		return b, nil
	}
	return []byte(s), nil
}

func (p *walletsPage) updateFlow(msg tea.Msg) tea.Cmd {
	res, cmd := p.flow.Update(msg)
	switch res {
	case dialogCancel:
		p.mode, p.flow = walletsBrowse, nil
	case dialogSubmit:
		w := p.flow.Wallet()
		p.mode, p.flow = walletsBrowse, nil
		return tea.Batch(cmd, listWalletsCmd(p.c.Keys, false), noticeCmd(bannerSuccess, "wallet "+w.Name+" saved"))
	}
	return cmd
}

func (p *walletsPage) updateForm(msg tea.Msg) tea.Cmd {
	res, cmd := p.form.Update(msg)
	switch res {
	case dialogCancel:
		p.mode, p.form = walletsBrowse, nil
	case dialogSubmit:
		vals := p.form.Values()
		wallet, _, _ := p.selectedWallet()
		if p.mode == walletsHotkey {
			p.mode, p.form = walletsBrowse, nil
			return newHotkeyCmd(p.c.Keys, wallet, vals[0])
		}
		if p.mode == walletsVerifyForm {
			p.form = nil
			addr, _ := p.c.resolveAddress(vals[0])
			p.showVerify(addr, vals[1], vals[2])
			return nil
		}
		p.signMsg = vals[0]
		p.form = nil
		p.mode = walletsSignPass
		w, _ := p.c.walletInfo(wallet)
		p.pw = newPasswordPrompt(p.c, "Unlock coldkey "+wallet, "The coldkey signs the message; nothing is sent to the chain."+unlockNote(w), false)
		return p.pw.Focus()
	}
	return cmd
}

func (p *walletsPage) updateSignPass(msg tea.Msg) tea.Cmd {
	res, cmd := p.pw.Update(msg)
	switch res {
	case dialogCancel:
		p.mode, p.pw = walletsBrowse, nil
	case dialogSubmit:
		// the prompt stays up until the key store answers, so a wrong password can be
		// typed again; a slow coldkey (btcli's $NACL) shows a spinner meanwhile
		wallet, _, _ := p.selectedWallet()
		var spin tea.Cmd
		if w, _ := p.c.walletInfo(wallet); w.UnlockTime > 0 {
			spin = p.unlock.start(p.c, "opening the btcli coldkey of "+wallet+": "+aboutSeconds(w.UnlockTime))
		}
		return tea.Batch(spin, signCmd(p.c.Keys, wallet, p.pw.Take(), p.signMsg))
	}
	return cmd
}

func newHotkeyCmd(k Keys, wallet, name string) tea.Cmd {
	return func() tea.Msg {
		if k == nil {
			return hotkeyAddedMsg{err: ErrNoKeys}
		}
		m, h, err := k.NewHotkey(wallet, name)
		return hotkeyAddedMsg{wallet: wallet, mnemonic: m, hotkey: h, err: err}
	}
}

// signCmd unlocks the coldkey, signs and wipes the password.
func signCmd(k Keys, wallet string, pw []byte, message string) tea.Cmd {
	return func() tea.Msg {
		defer wipe(pw)
		if k == nil {
			return signedMsg{err: ErrNoKeys}
		}
		data, err := messageBytes(message)
		if err != nil {
			return signedMsg{err: err}
		}
		kp, err := k.UnlockColdkey(wallet, pw)
		if err != nil {
			return signedMsg{err: err}
		}
		defer kp.Zero()
		return signedMsg{address: kp.Address(), scheme: kp.Scheme(), message: message, signature: kp.SignBytes(data)}
	}
}

func (p *walletsPage) onHotkeyAdded(msg hotkeyAddedMsg) tea.Cmd {
	if msg.err != nil {
		return reportErrCmd(msg.err)
	}
	p.mode = walletsResult
	p.resultT = "Hotkey " + msg.hotkey.Name + " created"
	p.result = []string{
		KV("wallet", msg.wallet, 9, 200),
		KV("address", msg.hotkey.Address, 9, 200),
		"",
		p.c.Styles.Warning.Render("Mnemonic (shown only this once; write it down to restore the hotkey):"),
		p.c.Styles.Value.Render(msg.mnemonic),
	}
	return listWalletsCmd(p.c.Keys, false)
}

func (p *walletsPage) onSigned(msg signedMsg) tea.Cmd {
	p.unlock.stop()
	if msg.err != nil {
		if p.mode == walletsSignPass {
			p.pw.SetError(msg.err)
			return nil
		}
		return reportErrCmd(msg.err)
	}
	p.pw = nil
	p.mode = walletsResult
	p.resultT = "Signature"
	p.result = []string{
		KV("signer", msg.address+"  "+schemeLabel(msg.scheme), 10, 200),
		KV("message", msg.message, 10, 200),
		KV("signature", "0x"+hex.EncodeToString(msg.signature), 10, 400),
	}
	return nil
}

func (p *walletsPage) showInspect() {
	wallet, hotkey, ok := p.selectedWallet()
	if !ok {
		return
	}
	for _, w := range p.wallets {
		if w.Name != wallet {
			continue
		}
		p.mode = walletsResult
		enc := "encrypted"
		if !w.Encrypted {
			enc = "UNENCRYPTED (dev wallet)"
		}
		if w.WatchOnly {
			enc = "none: watch-only (coldkeypub.txt only, cannot sign)"
		}
		p.resultT = "Wallet " + w.Name
		p.result = []string{KV("coldkey", w.Address+"  "+schemeLabel(w.Scheme), 9, 200), KV("keyfile", enc, 9, 200),
			KV("format", cmpOr(w.Format, FormatBtui), 9, 200)}
		for _, h := range w.Hotkeys {
			mark := "  "
			if h.Name == hotkey {
				mark = "▸ "
			}
			p.result = append(p.result, KV(mark+"hotkey", h.Name+"  "+h.Address+"  "+schemeLabel(h.Scheme), 9, 200))
		}
		p.result = append(p.result, p.extra.inspectLines(p, w)...)
	}
}

// rebuild turns the wallet list into tree rows.
func (p *walletsPage) rebuild() {
	rows := make([]Row, 0, len(p.wallets)*3)
	for _, w := range p.wallets {
		name := w.Name
		if w.Name == p.c.Wallet {
			name = "● " + name
		} else {
			name = "  " + name
		}
		free, staked := p.extra.balanceCells(w.Address)
		rows = append(rows, Row{Key: w.Name, Cells: []string{name, p.addrCell(w.Address), schemeCell(w.Address, w.Scheme), free, staked, walletNote(w, p.extra.idents[w.Address])}})
		for i, h := range w.Hotkeys {
			branch := "  ├ "
			if i == len(w.Hotkeys)-1 {
				branch = "  └ "
			}
			hn := branch + h.Name
			if w.Name == p.c.Wallet && h.Name == p.c.Hotkey {
				hn += " ●"
			}
			rows = append(rows, Row{Key: w.Name + "/" + h.Name, Cells: []string{hn, p.addrCell(h.Address), schemeCell(h.Address, h.Scheme), "", p.extra.hotkeyStakeCell(h.Address), p.extra.hotkeyNote(h.Address)}})
		}
	}
	p.table.SetRows(rows)
}

func (p *walletsPage) View() string {
	st := &p.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Wallets"))
	b.WriteString(st.Muted.Render("  ● selected: " + p.c.Wallet + "/" + p.c.Hotkey))
	b.WriteString("\n")
	switch {
	case p.c.Keys == nil:
		b.WriteString(st.Error.Render(ErrNoKeys.Error()))
	case p.err != nil:
		b.WriteString(st.Error.Render("could not list wallets: " + p.err.Error()))
	case !p.loaded:
		b.WriteString(st.Muted.Render("reading the wallet directory…"))
	case len(p.wallets) == 0:
		b.WriteString(st.Muted.Render("no wallets yet: press c to create one or i to import one"))
	default:
		b.WriteString(st.Muted.Render(plural(len(p.wallets), "wallet", "wallets")))
	}
	b.WriteString("\n")
	b.WriteString(p.extra.summaryLine(p))
	b.WriteString("\n\n")
	b.WriteString(p.table.View())
	base := FitLines(b.String(), p.w, p.h)
	dw := dialogWidth(p.w)
	switch p.mode {
	case walletsFlow:
		return OverlayCenter(base, p.flow.View(dw), p.w, p.h)
	case walletsHotkey, walletsSignForm, walletsVerifyForm:
		return OverlayCenter(base, p.form.View(dw), p.w, p.h)
	case walletsSignPass:
		if p.unlock.on {
			return OverlayCenter(base, p.unlock.view(p.c, dw, "Unlock coldkey"), p.w, p.h)
		}
		return OverlayCenter(base, p.pw.View(dw), p.w, p.h)
	case walletsResult:
		body := append(append([]string{}, p.result...), "", st.Muted.Render("enter or esc closes"))
		return OverlayCenter(base, renderDialog(st, min(p.w-2, 100), p.resultT, body...), p.w, p.h)
	}
	if m := p.extra.overlay(p, dw); m != "" {
		return OverlayCenter(base, m, p.w, p.h)
	}
	return base
}

// walletNote is the Notes cell of a wallet's row: the coldkey's on-chain identity name
// (set_identity), watch-only, btcli's format, unencrypted.
func walletNote(w WalletInfo, identity string) string {
	var notes []string
	if identity != "" {
		notes = append(notes, "“"+identity+"”")
	}
	if w.WatchOnly {
		notes = append(notes, "watch-only")
	}
	if w.Format == FormatBtcli {
		notes = append(notes, "btcli")
	}
	if !w.Encrypted && !w.WatchOnly {
		notes = append(notes, "unencrypted")
	}
	return strings.Join(notes, ", ")
}

// unlockSpin is a spinner shown instead of a password prompt while a slow coldkey is opened
// off the Update loop.
type unlockSpin struct {
	spin spinner.Model
	on   bool
	what string
}

// start shows the spinner with what; its tick command is returned.
func (u *unlockSpin) start(c *Common, what string) tea.Cmd {
	u.on, u.what = true, what
	u.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Spinner))
	if !c.Animate {
		return nil
	}
	return u.spin.Tick
}

func (u *unlockSpin) stop() { u.on = false }

// update advances the spinner; ok reports that msg was its tick.
func (u *unlockSpin) update(msg spinner.TickMsg) (tea.Cmd, bool) {
	if !u.on || msg.ID != u.spin.ID() {
		return nil, false
	}
	var cmd tea.Cmd
	u.spin, cmd = u.spin.Update(msg)
	return cmd, true
}

func (u *unlockSpin) view(c *Common, width int, title string) string {
	st := &c.Styles
	return renderDialog(st, width, title, u.spin.View()+" "+st.Text.Render(u.what+"…"),
		st.Muted.Render("argon2i with 512 MiB, as btcli encrypts it; the console stays responsive meanwhile"))
}

// schemeCell is the Scheme cell beside an address ("" when the address is unknown, as for a
// btcli $NACL coldkey without its coldkeypub.txt).
func schemeCell(addr string, s wallet.Scheme) string {
	if addr == "" {
		return ""
	}
	return schemeLabel(s)
}
