package tui

import (
	"context"
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type txStep int

const (
	txIdle       txStep = iota
	txPreparing         // the builder checks and previews
	txConfirm           // the preview, waiting for y/n (or d: dry run)
	txDryRun            // the dry run's result, back to the confirmation
	txPassword          // the coldkey password
	txWorking           // unlocked, doing the ticket's Work (proof of work) before signing
	txSubmitting        // signed, waiting for the block
)

// txFlow runs one transaction: prepare (preflight and preview, like the command) → confirm
// → password (coldkey) → sign → submit and wait for inclusion → receipt in a banner. Its
// messages carry the flow's id and are broadcast, so the result lands even if the user has
// moved to another page meanwhile.
type txFlow struct {
	c       *Common
	id      string
	step    txStep
	ticket  Ticket
	wallet  string
	hotkey  string
	confirm *confirmDialog
	pw      *passwordPrompt
	spin    spinner.Model
	spinOn  bool
	what    string
	ch      chan tea.Msg // progress and the ticket of a long preparation
	done    uint64
	total   uint64
	unit    string
	bar     progress.Model
	cancel  context.CancelFunc   // stops a long preparation
	auto    bool                 // sign a hotkey ticket without asking (auto-reveal)
	dry     *protocol.Simulation // the dry run shown (txDryRun)
	dryErr  error
	// unlocking is set while a slow coldkey (a btcli $NACL file) is being opened off the
	// Update loop: the prompt gives way to a spinner that says how long it takes.
	unlocking bool
}

// txFlow messages.
type (
	ticketMsg struct {
		id     string
		ticket Ticket
		err    error
	}
	txSignedMsg struct {
		id  string
		tx  []byte
		err error
	}
	txDoneMsg struct {
		id    string
		title string
		tx    protocol.TxInfo
		err   error
	}
	// txProgressMsg reports a long preparation's progress (proof of work).
	txProgressMsg struct {
		id          string
		done, total uint64
	}
	// txDryRunMsg is the chain's dry run of the ticket's call.
	txDryRunMsg struct {
		id  string
		sim *protocol.Simulation
		err error
	}
	// txUnlockedMsg says the key unlocked and the ticket's Work began.
	txUnlockedMsg struct{ id string }
	// txChanMsg hands the flow the channel its work reports on.
	txChanMsg struct {
		id string
		ch chan tea.Msg
	}
)

func newTxFlow(c *Common, id string) *txFlow {
	f := &txFlow{c: c, id: id, spin: spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Spinner))}
	f.bar = progress.New(progress.WithColors(c.Styles.Progress[0], c.Styles.Progress[1]), progress.WithWidth(40))
	return f
}

// Active reports whether a transaction is under way (the page then captures keys).
func (f *txFlow) Active() bool { return f.step != txIdle }

func (f *txFlow) startSpin(what string) tea.Cmd {
	f.what = what
	if !f.c.Animate || f.spinOn {
		return nil
	}
	f.spinOn = true
	return f.spin.Tick
}

// StartAuto prepares a hotkey-signed transaction the operator asked for in advance (an
// auto-reveal): no confirmation, no password; the result lands in a banner as usual. A
// ticket that needs the coldkey falls back to the confirmation.
func (f *txFlow) StartAuto(wallet, hotkey string, prepare func(ctx context.Context) (Ticket, error)) tea.Cmd {
	cmd := f.Start(wallet, hotkey, prepare)
	f.auto = f.step == txPreparing
	return cmd
}

// Start prepares a transaction with prepare (run as a command).
func (f *txFlow) Start(wallet, hotkey string, prepare func(ctx context.Context) (Ticket, error)) tea.Cmd {
	switch {
	case f.c.Client == nil:
		return reportErrCmd(ErrNoChain)
	case f.c.Keys == nil:
		return reportErrCmd(ErrNoKeys)
	}
	if prepare == nil {
		return nil
	}
	f.step, f.wallet, f.hotkey = txPreparing, wallet, hotkey
	id := f.id
	ctx, cancel := f.c.queryCtx()
	return tea.Batch(f.startSpin("checking and computing the preview"), func() tea.Msg {
		defer cancel()
		t, err := prepare(ctx)
		return ticketMsg{id: id, ticket: t, err: err}
	})
}

// Update advances the flow; consumed reports that msg belonged to it.
func (f *txFlow) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case txChanMsg:
		if msg.id != f.id {
			return nil, false
		}
		f.ch = msg.ch
		return waitChanCmd(f.ch), true
	case txProgressMsg:
		if msg.id != f.id {
			return nil, false
		}
		f.done, f.total = msg.done, msg.total
		return waitChanCmd(f.ch), true
	case txUnlockedMsg:
		if msg.id != f.id {
			return nil, false
		}
		f.pw, f.unlocking = nil, false
		f.step = txWorking
		f.done, f.total = 0, 0
		return tea.Batch(f.startSpin("solving the proof of work"), waitChanCmd(f.ch)), true
	case ticketMsg:
		if msg.id != f.id {
			return nil, false
		}
		f.ch, f.total = nil, 0
		if f.cancel != nil {
			f.cancel()
			f.cancel = nil
		}
		if msg.err != nil {
			f.reset()
			return reportErrCmd(msg.err), true
		}
		f.ticket = msg.ticket
		f.spinOn = false
		if f.auto && msg.ticket.Hotkey {
			return f.signWithHotkey(), true
		}
		f.step = txConfirm
		note := ""
		if msg.ticket.Command != "" {
			note = "same as: " + msg.ticket.Command
		}
		f.confirm = newConfirmDialog(f.c, msg.ticket.Title, msg.ticket.Preview, note)
		f.confirm.dryRun = true
		return nil, true
	case txDryRunMsg:
		if msg.id != f.id || f.step != txDryRun {
			return nil, false
		}
		f.dry, f.dryErr = msg.sim, msg.err
		return nil, true
	case txSignedMsg:
		if msg.id != f.id {
			return nil, false
		}
		f.ch = nil
		if f.cancel != nil {
			f.cancel()
			f.cancel = nil
		}
		if msg.err != nil {
			if f.step == txPassword && f.pw != nil {
				f.cancel = nil
				f.unlocking, f.spinOn = false, false
				f.pw.SetError(msg.err)
				return nil, true
			}
			f.reset()
			return reportErrCmd(msg.err), true
		}
		return f.submit(msg.tx), true
	case txDoneMsg:
		if msg.id != f.id {
			return nil, false
		}
		f.reset()
		if msg.err != nil {
			return reportErrCmd(fmt.Errorf("%s: %w", msg.title, msg.err)), true
		}
		if !msg.tx.Receipt.OK() {
			return reportErrCmd(fmt.Errorf("%s: included in block %d but failed: %s (%s)", msg.title, msg.tx.Height, msg.tx.Receipt.Message, msg.tx.Receipt.CodeName)), true
		}
		return noticeCmd(bannerSuccess, fmt.Sprintf("%s: done in block #%s (fee %s)", msg.title, FormatInt(msg.tx.Height), FormatTAO(msg.tx.Receipt.Fee))), true
	case spinner.TickMsg:
		if !f.spinOn || msg.ID != f.spin.ID() {
			return nil, false
		}
		var cmd tea.Cmd
		f.spin, cmd = f.spin.Update(msg)
		return cmd, true
	case tea.KeyPressMsg, tea.PasteMsg:
		switch f.step {
		case txConfirm:
			return f.updateConfirm(msg), true
		case txDryRun:
			if km, ok := msg.(tea.KeyPressMsg); ok {
				switch {
				case key.Matches(km, f.c.KeyMap.Dialog.Cancel):
					f.reset()
					return noticeCmd(bannerInfo, "cancelled: nothing was sent"), true
				case km.Code == tea.KeyEnter, key.Matches(km, f.c.KeyMap.Dialog.Confirm):
					f.step, f.dry, f.dryErr = txConfirm, nil, nil // back to the confirmation
				}
			}
			return nil, true
		case txPassword:
			if f.unlocking {
				return nil, true // the key is being opened
			}
			return f.updatePassword(msg), true
		case txPreparing, txWorking:
			if km, ok := msg.(tea.KeyPressMsg); ok && km.Code == tea.KeyEscape && f.cancel != nil {
				f.cancel()
				f.what = "stopping"
			}
			return nil, true
		case txSubmitting:
			return nil, true
		}
	}
	return nil, false
}

func (f *txFlow) reset() {
	f.step, f.confirm, f.pw, f.spinOn, f.auto, f.unlocking = txIdle, nil, nil, false, false, false
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
}

func (f *txFlow) updateConfirm(msg tea.Msg) tea.Cmd {
	res, _ := f.confirm.Update(msg)
	switch res {
	case dialogCancel:
		f.reset()
		return noticeCmd(bannerInfo, "cancelled: nothing was sent")
	case dialogDryRun:
		f.step, f.dry, f.dryErr = txDryRun, nil, nil
		return f.dryRunCmd()
	case dialogSubmit:
		f.confirm = nil
		if f.ticket.Hotkey {
			return f.signWithHotkey()
		}
		w, _ := f.c.walletInfo(f.wallet)
		if w.WatchOnly {
			f.reset()
			return reportErrCmd(watchOnlyErr(f.wallet))
		}
		f.step = txPassword
		f.pw = newPasswordPrompt(f.c, "Unlock coldkey "+f.wallet, "The coldkey signs: "+f.ticket.Title+"."+unlockNote(w), false)
		return f.pw.Focus()
	}
	return nil
}

func (f *txFlow) updatePassword(msg tea.Msg) tea.Cmd {
	res, cmd := f.pw.Update(msg)
	switch res {
	case dialogCancel:
		f.reset()
		return noticeCmd(bannerInfo, "cancelled: nothing was sent")
	case dialogSubmit:
		keys, t, id, wallet := f.c.Keys, f.ticket, f.id, f.wallet
		pw := f.pw.Take()
		spin := f.startUnlockSpin()
		if t.Work != nil {
			return tea.Batch(spin, f.unlockAndWork(pw))
		}
		base := f.c.ctx()
		return tea.Batch(spin, func() tea.Msg {
			defer wipe(pw)
			kp, err := keys.UnlockColdkey(wallet, pw)
			if err != nil {
				return txSignedMsg{id: id, err: err}
			}
			defer kp.Zero()
			// the signing's queries get their deadline once the key is open (a btcli
			// $NACL coldkey can take longer than a query's whole deadline to open)
			ctx, cancel := context.WithTimeout(base, queryTimeout)
			defer cancel()
			if err := t.checkSigner(kp); err != nil {
				return txSignedMsg{id: id, err: err}
			}
			tx, err := t.Sign(ctx, kp)
			return txSignedMsg{id: id, tx: tx, err: err}
		})
	}
	return cmd
}

// startUnlockSpin turns the password prompt into a spinner while a slow coldkey (a btcli
// $NACL file, WalletInfo.UnlockTime) is opened; quick keys keep the prompt up.
func (f *txFlow) startUnlockSpin() tea.Cmd {
	w, _ := f.c.walletInfo(f.wallet)
	if w.UnlockTime <= 0 {
		return nil
	}
	f.unlocking = true
	return f.startSpin("opening the btcli coldkey of " + f.wallet + ": " + aboutSeconds(w.UnlockTime))
}

// unlockAndWork unlocks the coldkey (a wrong password stays in the prompt), then runs the
// ticket's Work with the unlocked key, reporting progress, and signs as soon as the work is
// done: nothing long happens between the work and the submission. Esc stops the work.
func (f *txFlow) unlockAndWork(pw []byte) tea.Cmd {
	keys, t, id, wallet := f.c.Keys, f.ticket, f.id, f.wallet
	ctx, cancel := context.WithCancel(f.c.ctx())
	f.cancel = cancel
	ch := make(chan tea.Msg, 8)
	f.ch = ch
	go func() {
		defer close(ch)
		defer cancel()
		kp, err := keys.UnlockColdkey(wallet, pw)
		wipe(pw)
		if err != nil {
			ch <- txSignedMsg{id: id, err: err}
			return
		}
		defer kp.Zero()
		if err := t.checkSigner(kp); err != nil {
			ch <- txSignedMsg{id: id, err: err}
			return
		}
		ch <- txUnlockedMsg{id: id}
		tx, err := t.Work(ctx, kp, func(done, total uint64) {
			select {
			case ch <- txProgressMsg{id: id, done: done, total: total}:
			default: // the UI is behind: a later update follows
			}
		})
		ch <- txSignedMsg{id: id, tx: tx, err: err}
	}()
	return waitChanCmd(ch)
}

func (f *txFlow) signWithHotkey() tea.Cmd {
	keys, t, id, wallet, hotkey := f.c.Keys, f.ticket, f.id, f.wallet, f.hotkey
	f.step = txSubmitting
	ctx, cancel := f.c.queryCtx()
	return tea.Batch(f.startSpin("signing with hotkey "+hotkey), func() tea.Msg {
		defer cancel()
		kp, err := keys.Hotkey(wallet, hotkey)
		if err != nil {
			return txSignedMsg{id: id, err: err}
		}
		defer kp.Zero()
		if err := t.checkSigner(kp); err != nil {
			return txSignedMsg{id: id, err: err}
		}
		tx, err := t.Sign(ctx, kp)
		return txSignedMsg{id: id, tx: tx, err: err}
	})
}

func (f *txFlow) submit(tx []byte) tea.Cmd {
	f.pw = nil
	f.step = txSubmitting
	client, id, title := f.c.Client, f.id, f.ticket.Title
	ctx := f.c.ctx()
	return tea.Batch(f.startSpin("waiting for the transaction's block"), func() tea.Msg {
		info, err := client.SubmitAndWait(ctx, tx)
		if err != nil {
			return txDoneMsg{id: id, title: title, err: err}
		}
		return txDoneMsg{id: id, title: title, tx: *info}
	})
}

// View is the flow's dialog, or "" when idle.
func (f *txFlow) View(width int) string {
	st := &f.c.Styles
	switch f.step {
	case txPreparing, txSubmitting, txWorking:
		body := []string{f.spin.View() + " " + st.Text.Render(f.what+"…")}
		if f.step == txWorking {
			body = append(body, st.Muted.Render("the coldkey is unlocked; the registration is sent as soon as the work is found (esc stops)"))
		}
		if f.step != txSubmitting && f.total > 0 {
			pct := min(1, float64(f.done)/float64(f.total))
			body = append(body, "", f.bar.ViewAs(pct), st.Muted.Render(FormatInt(f.done)+" "+f.unit+" of about "+FormatInt(f.total)+" expected"))
		}
		return renderDialog(st, width, "Transaction", body...)
	case txConfirm:
		return f.confirm.View(width)
	case txDryRun:
		return f.dryRunView(width)
	case txPassword:
		if f.unlocking {
			return renderDialog(st, width, "Unlock coldkey "+f.wallet, f.spin.View()+" "+st.Text.Render(f.what+"…"),
				st.Muted.Render("argon2i with 512 MiB, as btcli encrypts it; the console stays responsive meanwhile"))
		}
		return f.pw.View(width)
	}
	return ""
}

// formRetry keeps the form a transaction came from until the transaction is through: when
// the preparation is refused, or the chain rejects the transaction, the form comes back
// with what was typed and the error under it, instead of closing and losing the input.
type formRetry struct{ f *form }

// keep remembers f as the form of the transaction about to start.
func (r *formRetry) keep(f *form) { r.f = f }

// check looks at a message of the flow id: it returns the form to reopen (with its error
// set) when the preparation failed or the transaction failed, and forgets the form when the
// transaction succeeded.
func (r *formRetry) check(msg tea.Msg, id string) *form {
	if r.f == nil {
		return nil
	}
	var err error
	switch m := msg.(type) {
	case ticketMsg:
		if m.id != id {
			return nil
		}
		err = m.err
	case txDoneMsg:
		if m.id != id {
			return nil
		}
		switch {
		case m.err != nil:
			err = m.err
		case !m.tx.Receipt.OK():
			err = fmt.Errorf("the chain refused it in block %d: %s (%s)", m.tx.Height, m.tx.Receipt.Message, m.tx.Receipt.CodeName)
		default:
			r.f = nil
			return nil
		}
	default:
		return nil
	}
	if err == nil {
		return nil
	}
	f := r.f
	r.f = nil
	f.SetError(err)
	return f
}

// dryRunCmd asks the chain what the ticket's call would do, without a signature and without
// submitting: the plan's own dry run when it made one, else Client.Simulate at the head.
func (f *txFlow) dryRunCmd() tea.Cmd {
	t, id, client := f.ticket, f.id, f.c.Client
	if t.Sim != nil {
		return func() tea.Msg { return txDryRunMsg{id: id, sim: t.Sim} }
	}
	if t.Call == nil || t.Signer == "" {
		return func() tea.Msg {
			return txDryRunMsg{id: id, err: errors.New("no dry run for this transaction: its call is built only after the key is unlocked (proof of work)")}
		}
	}
	ctx, cancel := f.c.queryCtx()
	return func() tea.Msg {
		defer cancel()
		signer, err := wallet.ParseAddress(t.Signer)
		if err != nil {
			return txDryRunMsg{id: id, err: err}
		}
		sim, err := client.Simulate(ctx, t.Call, signer)
		return txDryRunMsg{id: id, sim: sim, err: err}
	}
}

// dryRunView shows what the chain would do: accepted or the refusal, the balance and stake
// changes and the events; nothing was submitted.
func (f *txFlow) dryRunView(width int) string {
	st := &f.c.Styles
	inner := width - st.Dialog.GetHorizontalFrameSize()
	var body []string
	switch {
	case f.dryErr != nil:
		body = append(body, st.Error.Render(f.dryErr.Error()))
	case f.dry == nil:
		body = append(body, st.Text.Render("asking the chain…"))
	case f.dry.Rejected != nil:
		body = append(body, st.Error.Render(fmt.Sprintf("the chain would reject it before any block: %s", f.dry.Rejected.Message)))
	case !f.dry.Receipt.OK():
		body = append(body, st.Error.Render(fmt.Sprintf("the chain would include it and fail in block %d: %s (%s); the fee would be paid", f.dry.Height, f.dry.Receipt.Message, f.dry.Receipt.CodeName)))
	default:
		body = append(body, st.Success.Render(fmt.Sprintf("the chain would accept it in block %d (fee %s)", f.dry.Height, FormatTAO(f.dry.Receipt.Fee))))
	}
	if f.dry != nil {
		for _, l := range ops.PreviewLines(f.dry) {
			body = append(body, Truncate(st.Label.Render(l.Label)+"  "+st.Value.Render(l.Value), inner))
		}
		for i, e := range f.dry.Events {
			if i == 6 {
				body = append(body, st.Muted.Render(fmt.Sprintf("… %d more events", len(f.dry.Events)-i)))
				break
			}
			body = append(body, Truncate(eventLine(e, 15), inner))
		}
	}
	body = append(body, "", st.Muted.Render("dry run: nothing was submitted • y/enter back to the confirmation • n/esc cancel"))
	return renderDialog(st, width, "Dry run — "+f.ticket.Title, body...)
}
