package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// chainRows is how many recent blocks the explorer keeps.
const chainRows = 1000

type chainMode int

const (
	chainBrowse chainMode = iota
	chainBlock            // one block's transactions and events
	chainAdvanceForm
	chainFaucetForm
	chainFaucetConfirm
)

// chainPage is the explorer: live blocks, a block's transactions and events, and the
// devnet controls (pause/resume, advance N with a progress bar, faucet).
type chainPage struct {
	c     *Common
	w, h  int
	table *Table
	info  protocol.ChainInfo
	err   error

	mode         chainMode
	block        protocol.Block
	scroll       int
	form         *form
	confirm      *confirmDialog
	faucetTo     string
	faucetAmount uint64

	busy     string // what is running (spinner)
	spin     spinner.Model
	advCh    chan tea.Msg
	advDone  uint64
	advTotal uint64
	bar      progress.Model

	// stopped is true once the operator moved the cursor away from the head: new blocks
	// then keep the selected block in place instead of following the head (f/G resumes).
	stopped bool
	// down is true while the node is unreachable.
	down bool
}

// Explorer messages.
type (
	blocksMsg struct {
		headers []protocol.BlockHeader
		err     error
	}
	blockMsg struct {
		block protocol.Block
		err   error
	}
	devnetDoneMsg struct {
		what string
		err  error
	}
	advanceStartedMsg  struct{ ch chan tea.Msg }
	advanceProgressMsg struct{ done, total uint64 }
	advanceDoneMsg     struct {
		head protocol.BlockHeader
		err  error
	}
	faucetDoneMsg struct {
		tx  protocol.TxInfo
		err error
	}
)

func newChainPage(c *Common) *chainPage {
	p := &chainPage{c: c}
	p.table = NewTable(c, []Column{
		{Title: "Height", Width: 9, Right: true, Numeric: true},
		{Title: "Hash", Width: 15},
		{Title: "Txs", Width: 5, Right: true, Numeric: true},
		{Title: "Events", Width: 6, Right: true, Numeric: true},
		{Title: "Time (logical)", Width: 14, Right: true},
		{Title: "Parent", Width: 15},
	})
	p.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Spinner))
	p.bar = progress.New(progress.WithColors(c.Styles.Progress[0], c.Styles.Progress[1]))
	return p
}

func (p *chainPage) Title() string { return "Chain" }

func (p *chainPage) Init() tea.Cmd { return loadBlocksCmd(p.c) }

func (p *chainPage) SetSize(w, h int) {
	p.w, p.h = w, h
	p.table.SetSize(w, max(3, h-4))
	p.bar.SetWidth(max(10, min(60, w-30)))
}

func (p *chainPage) Capturing() bool {
	return p.mode == chainAdvanceForm || p.mode == chainFaucetForm || p.mode == chainFaucetConfirm || p.table.Filtering()
}

func (p *chainPage) ShortHelp() []key.Binding {
	k := p.c.KeyMap.Chain
	if p.mode == chainBlock {
		return []key.Binding{p.c.KeyMap.Table.Up, p.c.KeyMap.Table.Down, p.c.KeyMap.Subnets.Back}
	}
	return []key.Binding{k.Open, k.Pause, k.Advance, k.NextEpoch, k.Faucet}
}

func (p *chainPage) FullHelp() [][]key.Binding {
	k := p.c.KeyMap.Chain
	t := p.c.KeyMap.Table
	// g/G follow the head here (the newest block is the top row)
	return [][]key.Binding{{k.Open, k.Follow, k.Pause, k.Advance, k.NextEpoch, k.Faucet},
		{t.Up, t.Down, t.PageUp, t.PageDown, t.Left, t.Right, t.Filter, t.Sort, t.SortReverse}}
}

// loadBlocksCmd reads the latest headers.
func loadBlocksCmd(c *Common) tea.Cmd {
	if c.Client == nil {
		return nil
	}
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		info, err := client.Info(ctx)
		if err != nil {
			return blocksMsg{err: err}
		}
		from := uint64(1)
		if info.Height > 200 {
			from = info.Height - 199
		}
		if info.Height == 0 {
			return blocksMsg{}
		}
		hs, err := client.Blocks(ctx, from, 200)
		if err != nil {
			return blocksMsg{err: err}
		}
		return blocksMsg{headers: hs}
	})
}

func loadBlockCmd(c *Common, height uint64) tea.Cmd {
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		b, err := client.Block(ctx, height)
		if err != nil {
			return blockMsg{err: err}
		}
		return blockMsg{block: *b}
	})
}

func headerRow(h protocol.BlockHeader) Row {
	ts := time.UnixMilli(int64(h.TimestampMs)).UTC().Format("15:04:05.000")
	txs, evs := strconv.FormatUint(uint64(h.TxCount), 10), strconv.FormatUint(uint64(h.EventCount), 10)
	if h.Height > 0 && h.TimestampMs == 0 && h.TxCount == 0 && h.EventCount == 0 {
		// a header alone (a subtensor node that would not give the block): nothing to count
		txs, evs, ts = "–", "–", "–"
	}
	return Row{Key: strconv.FormatUint(h.Height, 10), Cells: []string{
		FormatInt(h.Height), ShortAddress(h.Hash.String(), 15), txs, evs, ts, ShortAddress(h.ParentHash.String(), 15),
	}}
}

func (p *chainPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case infoMsg:
		if msg.err == nil {
			p.info = msg.info
		}
		return p, nil
	case connStateMsg:
		p.down = !msg.up
		return p, nil
	case blocksMsg:
		p.err = msg.err
		if msg.err == nil {
			rows := make([]Row, 0, len(msg.headers))
			for i := len(msg.headers) - 1; i >= 0; i-- {
				rows = append(rows, headerRow(msg.headers[i]))
			}
			p.table.SetRows(rows)
			p.followHead()
		}
		return p, nil
	case headMsg:
		p.info.Height = msg.head.Header.Height
		if msg.head.Missed > 0 {
			// the subscription skipped blocks: read the list again rather than show a gap
			return p, loadBlocksCmd(p.c)
		}
		p.addHead(msg.head.Header)
		p.followHead()
		return p, nil
	case pageActivatedMsg:
		if !p.stopped && p.mode == chainBrowse {
			return p, loadBlocksCmd(p.c)
		}
		return p, nil
	case blockMsg:
		if msg.err != nil {
			return p, reportErrCmd(msg.err)
		}
		p.block, p.mode, p.scroll = msg.block, chainBlock, 0
		return p, nil
	case devnetDoneMsg:
		p.busy = ""
		if msg.err != nil {
			return p, reportErrCmd(fmt.Errorf("%s: %w", msg.what, msg.err))
		}
		return p, tea.Batch(noticeCmd(bannerSuccess, msg.what), loadInfoCmd(p.c))
	case nextEpochMsg:
		if msg.err != nil {
			return p, reportErrCmd(msg.err)
		}
		p.advDone, p.advTotal = 0, msg.blocks
		return p, tea.Batch(p.startBusy(fmt.Sprintf("advancing %d blocks to subnet %d's epoch", msg.blocks, msg.netuid)), startAdvanceCmd(p.c, msg.blocks))
	case advanceStartedMsg:
		p.advCh = msg.ch
		return p, waitChanCmd(msg.ch)
	case advanceProgressMsg:
		p.advDone, p.advTotal = msg.done, msg.total
		return p, waitChanCmd(p.advCh)
	case advanceDoneMsg:
		p.busy, p.advCh = "", nil
		if msg.err != nil {
			return p, reportErrCmd(fmt.Errorf("advance: %w", msg.err))
		}
		return p, tea.Batch(noticeCmd(bannerSuccess, "advanced to block #"+FormatInt(msg.head.Height)), loadInfoCmd(p.c), loadBlocksCmd(p.c))
	case faucetDoneMsg:
		p.busy = ""
		if msg.err != nil {
			return p, reportErrCmd(fmt.Errorf("faucet: %w", msg.err))
		}
		if !msg.tx.Receipt.OK() {
			return p, reportErrCmd(fmt.Errorf("faucet failed in block %d: %s (%s)", msg.tx.Height, msg.tx.Receipt.Message, msg.tx.Receipt.CodeName))
		}
		return p, noticeCmd(bannerSuccess, fmt.Sprintf("faucet paid %s to %s in block #%s", FormatTAO(p.faucetAmount), ShortAddress(p.faucetTo, 15), FormatInt(msg.tx.Height)))
	case spinner.TickMsg:
		if p.busy == "" {
			return p, nil
		}
		var cmd tea.Cmd
		p.spin, cmd = p.spin.Update(msg)
		return p, cmd
	case stylesChangedMsg:
		p.spin.Style = p.c.Styles.Spinner
		p.bar = progress.New(progress.WithColors(p.c.Styles.Progress[0], p.c.Styles.Progress[1]))
		p.bar.SetWidth(max(10, min(60, p.w-30)))
		return p, nil
	}
	switch p.mode {
	case chainAdvanceForm, chainFaucetForm:
		return p, p.updateForm(msg)
	case chainFaucetConfirm:
		return p, p.updateConfirm(msg)
	case chainBlock:
		return p, p.updateBlock(msg)
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if !p.table.Filtering() && key.Matches(km, p.c.KeyMap.Chain.Follow) {
		p.stopped = false
		p.followHead()
		return p, nil
	}
	before, _ := p.table.SelectedKey()
	if used, cmd := p.table.Update(km); used {
		if after, _ := p.table.SelectedKey(); after != before {
			p.stopped = after != p.headKey()
		}
		return p, cmd
	}
	return p, p.handleKey(km)
}

// headKey is the row key of the newest block listed.
func (p *chainPage) headKey() string {
	if len(p.table.rows) > 0 {
		return p.table.rows[0].Key
	}
	return ""
}

// Following reports whether the explorer follows the head (tests).
func (p *chainPage) Following() bool { return !p.stopped }

// followHead selects the newest block unless the operator scrolled away.
func (p *chainPage) followHead() {
	if p.stopped || len(p.table.rows) == 0 {
		return
	}
	if !p.table.SelectKey(p.table.rows[0].Key) {
		p.table.cursor = 0
		p.table.clamp()
	}
}

func (p *chainPage) addHead(h protocol.BlockHeader) {
	rows := make([]Row, 0, min(chainRows, p.table.Total()+1))
	rows = append(rows, headerRow(h))
	for _, r := range p.table.rows {
		if len(rows) >= chainRows {
			break
		}
		if r.Key != rows[0].Key {
			rows = append(rows, r)
		}
	}
	p.table.SetRows(rows)
}

func (p *chainPage) startBusy(what string) tea.Cmd {
	p.busy = what
	if p.c.Animate {
		return p.spin.Tick
	}
	return nil
}

func (p *chainPage) handleKey(km tea.KeyPressMsg) tea.Cmd {
	k := p.c.KeyMap.Chain
	if p.c.Client == nil {
		return reportErrCmd(ErrNoChain)
	}
	if p.busy != "" && !key.Matches(km, k.Open) {
		return noticeCmd(bannerInfo, "wait: "+p.busy)
	}
	client := p.c.Client
	switch {
	case key.Matches(km, k.Open):
		r, ok := p.table.Selected()
		if !ok {
			return nil
		}
		h, _ := strconv.ParseUint(r.Key, 10, 64)
		return loadBlockCmd(p.c, h)
	case key.Matches(km, k.Pause):
		ctx, cancel := p.c.queryCtx()
		if p.info.Paused {
			return tea.Batch(p.startBusy("resuming"), func() tea.Msg {
				defer cancel()
				return devnetDoneMsg{what: "block production resumed", err: client.Resume(ctx)}
			})
		}
		return tea.Batch(p.startBusy("pausing"), func() tea.Msg {
			defer cancel()
			return devnetDoneMsg{what: "block production paused", err: client.Pause(ctx)}
		})
	case key.Matches(km, k.Advance):
		p.form = newForm(p.c, "Advance the devnet", formField{
			Label: "blocks", Value: "10", Hint: "produce this many blocks now (1 to 100,000)",
			Validate: func(s string) error {
				n, err := strconv.ParseUint(s, 10, 64)
				if err != nil || n == 0 || n > 100_000 {
					return fmt.Errorf("type a whole number of blocks from 1 to 100,000")
				}
				return nil
			},
		})
		p.mode = chainAdvanceForm
		return p.form.Focus()
	case key.Matches(km, k.NextEpoch):
		return nextEpochCmd(p.c)
	case key.Matches(km, k.Faucet):
		p.form = newForm(p.c, "Devnet faucet (signed by the sudo dev key)",
			formField{Label: "to", Value: p.selectedColdkey(), Hint: "an address, a wallet or wallet/hotkey name, or //Bob; tab completes",
				Complete: p.c.addressNames, Validate: func(s string) error { _, err := p.c.resolveAddress(s); return err }},
			formField{Label: "amount", Value: "1000", Hint: "TAO", Validate: func(s string) error { _, err := protocol.ParseTAO(s); return err }},
		)
		p.mode = chainFaucetForm
		return p.form.Focus()
	}
	return nil
}

// selectedColdkey is the selected wallet's address, from the last wallet list the page saw.
func (p *chainPage) selectedColdkey() string { return p.c.ColdkeyAddress() }

func validAddress(s string) error {
	_, err := wallet.ParseAddress(s)
	return err
}

func (p *chainPage) updateForm(msg tea.Msg) tea.Cmd {
	res, cmd := p.form.Update(msg)
	switch res {
	case dialogCancel:
		p.mode, p.form = chainBrowse, nil
	case dialogSubmit:
		vals := p.form.Values()
		mode := p.mode
		p.mode, p.form = chainBrowse, nil
		if mode == chainAdvanceForm {
			n, _ := strconv.ParseUint(vals[0], 10, 64)
			p.advDone, p.advTotal = 0, n
			return tea.Batch(p.startBusy("advancing "+FormatInt(n)+" blocks"), startAdvanceCmd(p.c, n))
		}
		p.faucetTo, _ = p.c.resolveAddress(vals[0])
		p.faucetAmount, _ = protocol.ParseTAO(vals[1])
		p.confirm = newConfirmDialog(p.c, "Faucet", []PreviewLine{
			{Label: "to", Value: p.faucetTo},
			{Label: "amount", Value: FormatTAO(p.faucetAmount)},
			{Label: "signed by", Value: "the sudo dev key (" + ShortAddress(p.info.Sudo.SS58(), 15) + ")"},
			{Label: "fee", Value: FormatTAO(p.info.TxFee) + " (paid by sudo)"},
		}, "same as: btui devnet faucet "+p.faucetTo+" "+vals[1])
		p.mode = chainFaucetConfirm
	}
	return cmd
}

func (p *chainPage) updateConfirm(msg tea.Msg) tea.Cmd {
	res, _ := p.confirm.Update(msg)
	switch res {
	case dialogCancel:
		p.mode, p.confirm = chainBrowse, nil
	case dialogSubmit:
		p.mode, p.confirm = chainBrowse, nil
		client := p.c.Client
		to, amount := p.faucetTo, p.faucetAmount
		ctx, cancel := p.c.queryCtx()
		return tea.Batch(p.startBusy("waiting for the faucet transaction"), func() tea.Msg {
			defer cancel()
			id, err := wallet.ParseAddress(to)
			if err != nil {
				return faucetDoneMsg{err: err}
			}
			info, err := client.Faucet(ctx, id, amount)
			if err != nil {
				return faucetDoneMsg{err: err}
			}
			return faucetDoneMsg{tx: *info}
		})
	}
	return nil
}

// nextEpochMsg says how many blocks until the next epoch of any started subnet.
type nextEpochMsg struct {
	blocks uint64
	netuid uint16
	err    error
}

// nextEpochCmd finds the nearest epoch among the started subnets.
func nextEpochCmd(c *Common) tea.Cmd {
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		info, err := client.Info(ctx)
		if err != nil {
			return nextEpochMsg{err: err}
		}
		nets, err := querySubnets(ctx, client)
		if err != nil {
			return nextEpochMsg{err: fmt.Errorf("jump to the next epoch: %w", err)}
		}
		best := nextEpochMsg{err: fmt.Errorf("no started subnet has an epoch scheduled (tempo 0 everywhere)")}
		for _, n := range nets {
			if n.Root || !n.Started || n.NextEpochBlock <= info.Height {
				continue
			}
			if d := n.NextEpochBlock - info.Height; best.err != nil || d < best.blocks {
				best = nextEpochMsg{blocks: d, netuid: n.Netuid}
			}
		}
		return best
	})
}

// startAdvanceCmd runs Advance in the background; progress and the result come back on a
// channel that waitChanCmd drains one message at a time.
func startAdvanceCmd(c *Common, n uint64) tea.Cmd {
	client := c.Client
	ctx := c.ctx()
	return func() tea.Msg {
		ch := make(chan tea.Msg, 8)
		go func() {
			head, err := client.Advance(ctx, n, func(done, total uint64) {
				select {
				case ch <- advanceProgressMsg{done: done, total: total}:
				default: // the UI is behind: skip this update, a later one follows
				}
			})
			ch <- advanceDoneMsg{head: head, err: err}
			close(ch)
		}()
		return advanceStartedMsg{ch: ch}
	}
}

// waitChanCmd returns the next message from ch.
func waitChanCmd(ch chan tea.Msg) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return nil
		}
		return m
	}
}

func (p *chainPage) updateBlock(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	t := p.c.KeyMap.Table
	switch {
	case key.Matches(km, p.c.KeyMap.Subnets.Back):
		p.mode = chainBrowse
	case key.Matches(km, t.Down):
		p.scroll++
	case key.Matches(km, t.Up):
		p.scroll = max(0, p.scroll-1)
	case key.Matches(km, t.PageDown):
		p.scroll += p.h / 2
	case key.Matches(km, t.PageUp):
		p.scroll = max(0, p.scroll-p.h/2)
	}
	p.scroll = min(p.scroll, max(0, len(blockLines(&p.c.Styles, p.block, p.w))-p.h+1))
	return nil
}

func (p *chainPage) View() string {
	st := &p.c.Styles
	if p.c.Client == nil {
		return st.Error.Render(ErrNoChain.Error())
	}
	if p.mode == chainBlock {
		return p.blockView()
	}
	var b strings.Builder
	b.WriteString(st.Title.Render("Chain explorer"))
	state := st.Success.Render(" producing")
	if p.down {
		state = st.Warning.Render(" unreachable (reconnecting)")
	} else if p.info.Paused {
		state = st.Warning.Render(" paused")
	} else if !p.info.Producing {
		state = st.Muted.Render(" blocks on demand")
	}
	b.WriteString("  " + st.Height.Render("#"+FormatInt(p.info.Height)) + state)
	b.WriteString("\n")
	switch {
	case p.busy != "" && p.advTotal > 0 && strings.HasPrefix(p.busy, "advancing"):
		pct := float64(p.advDone) / float64(p.advTotal)
		b.WriteString(p.spin.View() + " " + p.bar.ViewAs(pct) + " " + st.Muted.Render(FormatInt(p.advDone)+"/"+FormatInt(p.advTotal)+" blocks"))
	case p.busy != "":
		b.WriteString(p.spin.View() + " " + st.Text.Render(p.busy+"…"))
	case p.err != nil:
		b.WriteString(st.Error.Render(p.err.Error()))
	default:
		line := p.followLine()
		if rest := " • enter opens a block • p pause/resume • a advance • F faucet"; ansi.StringWidth(line)+len(rest) <= p.w+6 {
			line += st.Muted.Render(rest) // the footer lists the keys when this does not fit
		}
		b.WriteString(line)
	}
	b.WriteString("\n\n")
	b.WriteString(p.table.View())
	base := FitLines(b.String(), p.w, p.h)
	switch p.mode {
	case chainAdvanceForm, chainFaucetForm:
		return OverlayCenter(base, p.form.View(dialogWidth(p.w)), p.w, p.h)
	case chainFaucetConfirm:
		return OverlayCenter(base, p.confirm.View(dialogWidth(p.w)), p.w, p.h)
	}
	return base
}

// followLine is the follow indicator: following the head, or held on a block with the key
// that resumes.
func (p *chainPage) followLine() string {
	st := &p.c.Styles
	if !p.stopped {
		return st.Success.Render("● following the head")
	}
	at := ""
	if k, ok := p.table.SelectedKey(); ok {
		at = " at #" + k
	}
	return st.Warning.Render("○ held"+at) + st.Muted.Render(" (f/G follows the head)")
}

// blockLines renders a block's header, transactions (with receipts) and events.
func blockLines(st *Styles, b protocol.Block, width int) []string {
	h := b.Header
	lines := []string{
		st.Title.Render("Block #" + FormatInt(h.Height)),
		KV("hash", h.Hash.String(), 8, width),
		KV("parent", h.ParentHash.String(), 8, width),
		KV("txs", fmt.Sprintf("%d (%d bytes)", len(b.Txs), b.SizeBytes), 8, width),
		"",
	}
	if len(b.StepEvents) > 0 {
		lines = append(lines, st.Subtitle.Render("Block step"))
		for _, e := range b.StepEvents {
			lines = append(lines, "  "+Truncate(eventLine(e, 15), width-2))
		}
		lines = append(lines, "")
	}
	if len(b.Txs) == 0 {
		lines = append(lines, st.Muted.Render("no transactions in this block"))
	}
	for _, t := range b.Txs {
		mark := st.Success.Render("✓")
		if !t.Receipt.OK() {
			mark = st.Error.Render("✗")
		}
		lines = append(lines, Truncate(fmt.Sprintf("%s %d %s  by %s  nonce %d  fee %s τ  %s",
			mark, t.Index, st.Bold.Render(txCallName(t)), ShortAddress(t.Signer.SS58(), 15), t.Nonce, FormatTAOShort(t.Receipt.Fee), ShortAddress(t.Hash.String(), 15)), width))
		if !t.Receipt.OK() {
			lines = append(lines, "    "+st.Error.Render(Truncate(t.Receipt.CodeName+": "+t.Receipt.Message, width-4)))
		}
		if len(t.Call.Args) > 0 && string(t.Call.Args) != "null" {
			lines = append(lines, "    "+st.Muted.Render(Truncate(string(t.Call.Args), width-4)))
		}
		for _, e := range t.Events {
			lines = append(lines, "    "+Truncate(eventLine(e, 15), width-4))
		}
	}
	return lines
}

func (p *chainPage) blockView() string {
	lines := blockLines(&p.c.Styles, p.block, p.w)
	lines = lines[min(p.scroll, len(lines)):]
	return FitLines(strings.Join(lines, "\n"), p.w, p.h)
}
