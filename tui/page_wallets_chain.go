package tui

import (
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/wallet"
)

type transferStep int

const (
	transferNone transferStep = iota
	transferForm
	transferConfirm
	transferPassword
	transferWaiting
)

// walletsChain is the chain side of the Wallets page: balances and transfers.
type walletsChain struct {
	balances map[string]uint64
	staked   map[string]uint64 // coldkey address -> TAO value of its positions
	hotStake map[string]uint64 // hotkey address -> TAO value our coldkeys stake on it
	stakeErr error
	balErr   error
	fee      uint64

	step    transferStep
	form    *form
	confirm *confirmDialog
	pw      *passwordPrompt
	spin    spinner.Model
	spinOn  bool
	from    string // wallet name
	fromAdr string
	to      string
	amount  uint64
}

// Wallets page chain messages.
type (
	balancesMsg struct {
		free     map[string]uint64
		staked   map[string]uint64
		hotStake map[string]uint64
		stakeErr error
		err      error
	}
	transferDoneMsg struct {
		tx  txView
		err error
	}
)

// loadBalances reads the free balance of every coldkey and hotkey.
func (x *walletsChain) loadBalances(p *walletsPage) tea.Cmd {
	c := p.c
	if c.Client == nil || len(p.wallets) == 0 {
		return nil
	}
	var addrs, colds []string
	for _, w := range p.wallets {
		addrs = append(addrs, w.Address)
		colds = append(colds, w.Address)
		for _, h := range w.Hotkeys {
			addrs = append(addrs, h.Address)
		}
	}
	client := c.Client
	ctx, cancel := c.queryCtx()
	return func() tea.Msg {
		defer cancel()
		out := make(map[string]uint64, len(addrs))
		for _, a := range addrs {
			id, err := wallet.ParseAddress(a)
			if err != nil {
				return balancesMsg{err: err}
			}
			acc, err := client.Account(ctx, id)
			if err != nil {
				return balancesMsg{err: err}
			}
			out[a] = acc.Free
		}
		m := balancesMsg{free: out, staked: map[string]uint64{}, hotStake: map[string]uint64{}}
		for _, a := range colds {
			ps, err := queryStake(ctx, client, a)
			if err != nil {
				m.stakeErr = err
				break
			}
			for _, s := range ps {
				m.staked[a] += s.ValueTAO
				m.hotStake[s.Hotkey] += s.ValueTAO
			}
		}
		return m
	}
}

func (x *walletsChain) mentionsOurs(p *walletsPage, evs []eventView) bool {
	for _, w := range p.wallets {
		if eventsMention(evs, w.Address) {
			return true
		}
		for _, h := range w.Hotkeys {
			if eventsMention(evs, h.Address) {
				return true
			}
		}
	}
	return false
}

// update handles the chain messages and the transfer flow; ok reports it consumed msg.
func (x *walletsChain) update(p *walletsPage, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case balancesMsg:
		x.balErr = msg.err
		if msg.err == nil {
			x.balances, x.staked, x.hotStake, x.stakeErr = msg.free, msg.staked, msg.hotStake, msg.stakeErr
		}
		p.rebuild()
		return nil, true
	case infoMsg:
		if msg.err == nil {
			x.fee = msg.info.TxFee
		}
		return nil, true
	case headMsg:
		if x.mentionsOurs(p, msg.head.Events) {
			return x.loadBalances(p), true
		}
		return nil, true
	case transferDoneMsg:
		x.step, x.spinOn = transferNone, false
		if msg.err != nil {
			return reportErrCmd(fmt.Errorf("transfer: %w", msg.err)), true
		}
		if !msg.tx.Receipt.OK() {
			return reportErrCmd(fmt.Errorf("the transfer was included in block %d but failed: %s (%s)",
				msg.tx.Height, msg.tx.Receipt.Message, msg.tx.Receipt.CodeName)), true
		}
		return tea.Batch(noticeCmd(bannerSuccess, fmt.Sprintf("sent %s to %s in block #%s (fee %s)",
			FormatTAO(x.amount), ShortAddress(x.to, 15), FormatInt(msg.tx.Height), FormatTAO(msg.tx.Receipt.Fee))), x.loadBalances(p)), true
	case transferUnlockedMsg:
		return x.onUnlocked(p, msg), true
	case spinner.TickMsg:
		if !x.spinOn {
			return nil, true
		}
		var cmd tea.Cmd
		x.spin, cmd = x.spin.Update(msg)
		return cmd, true
	}
	switch x.step {
	case transferForm:
		return x.updateForm(p, msg), true
	case transferConfirm:
		return x.updateConfirm(p, msg), true
	case transferPassword:
		return x.updatePassword(p, msg), true
	case transferWaiting:
		return nil, true
	}
	return nil, false
}

func (x *walletsChain) capturing() bool { return x.step != transferNone }

func (x *walletsChain) handleKey(p *walletsPage, km tea.KeyPressMsg) tea.Cmd {
	if !key.Matches(km, p.c.KeyMap.Wallets.Transfer) {
		return nil
	}
	switch {
	case p.c.Client == nil:
		return reportErrCmd(ErrNoChain)
	case p.c.Tx == nil:
		return reportErrCmd(errors.New("this console cannot sign transactions (no transaction builder): use btui wallet transfer"))
	}
	name, _, ok := p.selectedWallet()
	if !ok {
		return reportErrCmd(errors.New("no wallet selected: create one with c"))
	}
	x.from = name
	for _, w := range p.wallets {
		if w.Name == name {
			x.fromAdr = w.Address
		}
	}
	x.form = newForm(p.c, "Transfer from "+name,
		formField{Label: "to", Placeholder: "5… SS58 address", Validate: func(s string) error {
			if err := validAddress(s); err != nil {
				return err
			}
			if s == x.fromAdr {
				return errors.New("that is this wallet's own address: choose another destination")
			}
			return nil
		}},
		formField{Label: "amount", Placeholder: "TAO, e.g. 1.5", Validate: func(s string) error {
			v, err := ParseTAO(s)
			if err == nil && v == 0 {
				return errors.New("the amount is zero: type how much TAO to send")
			}
			return err
		}},
	)
	x.step = transferForm
	return x.form.Focus()
}

func (x *walletsChain) updateForm(p *walletsPage, msg tea.Msg) tea.Cmd {
	res, cmd := x.form.Update(msg)
	switch res {
	case dialogCancel:
		x.step, x.form = transferNone, nil
	case dialogSubmit:
		v := x.form.Values()
		x.to = v[0]
		x.amount, _ = ParseTAO(v[1])
		x.form = nil
		x.step = transferConfirm
		x.confirm = newConfirmDialog(p.c, "Transfer", x.preview(), "same as: btui wallet transfer --wallet-name "+x.from+" "+x.to+" "+v[1])
	}
	return cmd
}

// preview is the transfer ticket: what leaves, the fee and the balance after.
func (x *walletsChain) preview() []PreviewLine {
	free, known := x.balances[x.fromAdr]
	lines := []PreviewLine{
		{Label: "from", Value: x.from + " " + x.fromAdr},
		{Label: "to", Value: x.to},
		{Label: "amount", Value: FormatTAO(x.amount)},
		{Label: "fee", Value: FormatTAO(x.fee)},
	}
	if !known {
		return append(lines, PreviewLine{Label: "balance after", Value: "unknown (balance not loaded)"})
	}
	need := x.amount + x.fee
	if need < x.amount || need > free {
		return append(lines, PreviewLine{Label: "balance after", Value: "insufficient: the wallet has " + FormatTAO(free), Warn: true})
	}
	return append(lines, PreviewLine{Label: "balance after", Value: FormatTAO(free - need)})
}

func (x *walletsChain) updateConfirm(p *walletsPage, msg tea.Msg) tea.Cmd {
	res, _ := x.confirm.Update(msg)
	switch res {
	case dialogCancel:
		x.step, x.confirm = transferNone, nil
	case dialogSubmit:
		x.confirm = nil
		x.step = transferPassword
		x.pw = newPasswordPrompt(p.c, "Unlock coldkey "+x.from, "The coldkey signs the transfer of "+FormatTAO(x.amount)+".", false)
		return x.pw.Focus()
	}
	return nil
}

// transferUnlockedMsg carries the signed transfer (or why there is none).
type transferUnlockedMsg struct {
	tx  []byte
	err error
}

func (x *walletsChain) updatePassword(p *walletsPage, msg tea.Msg) tea.Cmd {
	res, cmd := x.pw.Update(msg)
	switch res {
	case dialogCancel:
		x.step, x.pw = transferNone, nil
	case dialogSubmit:
		keys, builder := p.c.Keys, p.c.Tx
		from, to, amount := x.from, x.to, x.amount
		pw := x.pw.Take()
		ctx, cancel := p.c.queryCtx()
		return func() tea.Msg {
			defer cancel()
			defer wipe(pw)
			kp, err := keys.UnlockColdkey(from, pw)
			if err != nil {
				return transferUnlockedMsg{err: err}
			}
			defer kp.Zero()
			id, err := wallet.ParseAddress(to)
			if err != nil {
				return transferUnlockedMsg{err: err}
			}
			tx, err := builder.Transfer(ctx, kp, id, amount, false)
			return transferUnlockedMsg{tx: tx, err: err}
		}
	}
	return cmd
}

// onUnlocked submits the signed transfer and waits for its block; a wrong password keeps
// the prompt up.
func (x *walletsChain) onUnlocked(p *walletsPage, msg transferUnlockedMsg) tea.Cmd {
	if msg.err != nil {
		if x.step == transferPassword && x.pw != nil {
			x.pw.SetError(msg.err)
			return nil
		}
		return reportErrCmd(msg.err)
	}
	x.pw = nil
	x.step = transferWaiting
	client := p.c.Client
	ctx := p.c.ctx()
	tx := msg.tx
	var tick tea.Cmd
	x.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(p.c.Styles.Spinner))
	if p.c.Animate {
		x.spinOn = true
		tick = x.spin.Tick
	}
	return tea.Batch(tick, func() tea.Msg {
		info, err := client.SubmitAndWait(ctx, tx)
		if err != nil {
			return transferDoneMsg{err: err}
		}
		v, err := asView[txView](info)
		return transferDoneMsg{tx: v, err: err}
	})
}

func (x *walletsChain) balanceCells(addr string) (string, string) {
	if x.balErr != nil {
		return "error", ""
	}
	v, ok := x.balances[addr]
	if !ok {
		return "", ""
	}
	return FormatTAOShort(v), x.stakeCell(x.staked, addr)
}

func (x *walletsChain) stakeCell(m map[string]uint64, addr string) string {
	if x.stakeErr != nil {
		return "n/a"
	}
	if m == nil {
		return ""
	}
	return FormatTAOShort(m[addr])
}

func (x *walletsChain) hotkeyStakeCell(addr string) string { return x.stakeCell(x.hotStake, addr) }

func (x *walletsChain) hotkeyNote(string) string { return "" }

func (x *walletsChain) inspectLines(_ *walletsPage, w WalletInfo) []string {
	if v, ok := x.balances[w.Address]; ok {
		staked := FormatTAO(x.staked[w.Address])
		if x.stakeErr != nil {
			staked = notAvailable(x.stakeErr)
		}
		return []string{KV("free", FormatTAO(v), 9, 200), KV("staked", staked, 9, 200)}
	}
	return nil
}

func (x *walletsChain) summaryLine(p *walletsPage) string {
	st := &p.c.Styles
	switch {
	case p.c.Client == nil:
		return st.Muted.Render("no chain: balances are not shown")
	case x.balErr != nil:
		return st.Error.Render("balances: " + x.balErr.Error())
	case x.balances == nil:
		return st.Muted.Render("reading balances…")
	}
	var total, staked uint64
	for _, w := range p.wallets {
		total += x.balances[w.Address]
		staked += x.staked[w.Address]
	}
	stakedText := FormatTAO(staked)
	if x.stakeErr != nil {
		stakedText = notAvailable(x.stakeErr)
	}
	return st.Muted.Render("free on all coldkeys: ") + st.Value.Render(FormatTAO(total)) + st.Muted.Render(" • staked: ") + st.Value.Render(stakedText)
}

func (x *walletsChain) overlay(p *walletsPage, width int) string {
	st := &p.c.Styles
	switch x.step {
	case transferForm:
		return x.form.View(width)
	case transferConfirm:
		return x.confirm.View(width)
	case transferPassword:
		return x.pw.View(width)
	case transferWaiting:
		return renderDialog(st, width, "Transfer", x.spin.View()+" "+st.Text.Render("waiting for the transfer to be included in a block…"))
	}
	return ""
}
