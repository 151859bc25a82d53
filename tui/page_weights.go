package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// weightStep is how much + and - change a weight (out of 65535).
const weightStep = 655

// weightsPage edits a validator's weights over a subnet's miners: raw u16 values, with the
// normalised share each gets shown next to it, submitted directly or by commit and reveal.
type weightsPage struct {
	c      *Common
	w, h   int
	table  *Table
	netuid uint16
	uids   []uint16
	hot    []string
	raw    []uint16
	err    error
	edit   *form
	pick   *form // choose the subnet
	flow   *txFlow
	// the last commit, kept in memory for its reveal
	commit  *weightsCommit
	pending *weightsCommit // the commit being submitted
}

// weightsCommit is what a reveal needs: the committed weights and their salt.
type weightsCommit struct {
	netuid       uint16
	uids, values []uint16
	salt         []uint16
}

func newWeightsPage(c *Common) *weightsPage {
	p := &weightsPage{c: c, netuid: 1, flow: newTxFlow(c, "weights")}
	p.table = NewTable(c, []Column{
		{Title: "UID", Width: 5, Right: true, Numeric: true},
		{Title: "Miner hotkey", Width: 16},
		{Title: "Weight", Width: 7, Right: true, Numeric: true},
		{Title: "Share", Width: 8, Right: true, Numeric: true},
		{Title: "", Width: 30},
	})
	return p
}

func (p *weightsPage) Title() string { return "Weights" }
func (p *weightsPage) Init() tea.Cmd { return nil }
func (p *weightsPage) Capturing() bool {
	return p.edit != nil || p.pick != nil || p.table.Filtering() || p.flow.Active()
}
func (p *weightsPage) SetSize(w, h int) {
	p.w, p.h = w, h
	p.table.SetSize(w, max(3, h-4))
}

func (p *weightsPage) ShortHelp() []key.Binding {
	k := p.c.KeyMap.Weights
	return []key.Binding{k.Increase, k.Decrease, k.Zero, k.Edit, k.Set, k.Commit}
}

func (p *weightsPage) FullHelp() [][]key.Binding {
	k := p.c.KeyMap.Weights
	return [][]key.Binding{{k.Increase, k.Decrease, k.Zero, k.Edit}, {k.Set, k.Commit, k.Reveal}, p.table.Help()}
}

// SetMiners loads the subnet's neurons as the rows to weigh, all weights zero.
func (p *weightsPage) SetMiners(netuid uint16, neurons []neuronView) {
	p.netuid = netuid
	p.uids = p.uids[:0]
	p.hot = p.hot[:0]
	for _, n := range neurons {
		p.uids = append(p.uids, n.UID)
		p.hot = append(p.hot, n.Hotkey)
	}
	p.raw = make([]uint16, len(p.uids))
	p.rebuild()
}

// Normalised returns each weight's share in parts per million (sum 1e6 when any is set).
func (p *weightsPage) Normalised() []uint64 {
	var sum uint64
	for _, w := range p.raw {
		sum += uint64(w)
	}
	out := make([]uint64, len(p.raw))
	if sum == 0 {
		return out
	}
	for i, w := range p.raw {
		out[i] = uint64(w) * 1_000_000 / sum
	}
	return out
}

func (p *weightsPage) rebuild() {
	norm := p.Normalised()
	rows := make([]Row, len(p.uids))
	for i, uid := range p.uids {
		bar := strings.Repeat("█", int(norm[i]*30/1_000_000))
		rows[i] = Row{Key: strconv.Itoa(i), Cells: []string{
			strconv.Itoa(int(uid)), ShortAddress(p.hot[i], 16), strconv.Itoa(int(p.raw[i])),
			FormatRatio(norm[i], 10_000, 2) + "%", bar,
		}}
	}
	p.table.SetRows(rows)
}

func (p *weightsPage) selected() (int, bool) {
	k, ok := p.table.SelectedKey()
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(k)
	return i, err == nil
}

func (p *weightsPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	if cmd, ok := p.flow.Update(msg); ok {
		if done, ok := msg.(txDoneMsg); ok && done.err == nil && done.tx.Receipt.OK() && p.flow.ticket.Salt != nil {
			c := *p.pending
			c.salt = p.flow.ticket.Salt
			p.commit = &c
		}
		return p, cmd
	}
	if p.pick != nil {
		return p, p.updatePick(msg)
	}
	switch msg := msg.(type) {
	case pageActivatedMsg:
		if p.c.Client == nil {
			return p, nil
		}
		return p, loadMetagraphCmd(p.c, p.netuid)
	case metagraphMsg:
		if msg.netuid != p.netuid {
			return p, nil
		}
		p.err = msg.err
		if msg.err == nil {
			p.SetMiners(msg.netuid, msg.neurons)
		}
		return p, nil
	}
	if p.edit != nil {
		return p, p.updateEdit(msg)
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if used, cmd := p.table.Update(km); used {
		return p, cmd
	}
	k := p.c.KeyMap.Weights
	i, ok := p.selected()
	switch {
	case key.Matches(km, k.Increase) && ok:
		p.raw[i] = uint16(min(65535, int(p.raw[i])+weightStep))
		p.rebuild()
	case key.Matches(km, k.Decrease) && ok:
		p.raw[i] = uint16(max(0, int(p.raw[i])-weightStep))
		p.rebuild()
	case key.Matches(km, k.Zero) && ok:
		p.raw[i] = 0
		p.rebuild()
	case key.Matches(km, k.Edit) && ok:
		p.edit = newForm(p.c, fmt.Sprintf("Weight of uid %d", p.uids[i]), formField{
			Label: "weight", Value: strconv.Itoa(int(p.raw[i])), Hint: "0 to 65535; shares are normalised",
			Validate: func(s string) error {
				if _, err := strconv.ParseUint(s, 10, 16); err != nil {
					return fmt.Errorf("a weight is a whole number from 0 to 65535")
				}
				return nil
			},
		})
		return p, p.edit.Focus()
	case key.Matches(km, k.Set), key.Matches(km, k.Commit):
		if p.err != nil {
			return p, reportErrCmd(fmt.Errorf("weights: %w", p.err))
		}
		var uids, values []uint16
		for i, w := range p.raw {
			if w > 0 {
				uids, values = append(uids, p.uids[i]), append(values, w)
			}
		}
		if len(uids) == 0 {
			return p, reportErrCmd(fmt.Errorf("every weight is zero: raise some with + first"))
		}
		wallet, hotkey, netuid := p.c.Wallet, p.c.Hotkey, p.netuid
		if key.Matches(km, k.Commit) {
			p.pending = &weightsCommit{netuid: netuid, uids: uids, values: values}
			return p, p.flow.Start(wallet, hotkey, func(ctx context.Context, b TxBuilder) (Ticket, error) {
				return b.CommitWeights(ctx, wallet, hotkey, netuid, uids, values)
			})
		}
		return p, p.flow.Start(wallet, hotkey, func(ctx context.Context, b TxBuilder) (Ticket, error) {
			return b.SetWeights(ctx, wallet, hotkey, netuid, uids, values)
		})
	case key.Matches(km, k.Reveal):
		c := p.commit
		if c == nil {
			return p, reportErrCmd(fmt.Errorf("no commit from this session to reveal: commit with C first (a commit made elsewhere is revealed with btui weights reveal and its salt)"))
		}
		wallet, hotkey := p.c.Wallet, p.c.Hotkey
		return p, p.flow.Start(wallet, hotkey, func(ctx context.Context, b TxBuilder) (Ticket, error) {
			return b.RevealWeights(ctx, wallet, hotkey, c.netuid, c.uids, c.values, c.salt)
		})
	case key.Matches(km, k.Validator):
		p.pick = newForm(p.c, "Weights for which subnet?", formField{Label: "netuid", Value: strconv.Itoa(int(p.netuid)), Validate: validNetuid})
		return p, p.pick.Focus()
	}
	return p, nil
}

func (p *weightsPage) updatePick(msg tea.Msg) tea.Cmd {
	res, cmd := p.pick.Update(msg)
	switch res {
	case dialogCancel:
		p.pick = nil
	case dialogSubmit:
		n, _ := strconv.ParseUint(p.pick.Values()[0], 10, 16)
		p.pick = nil
		p.netuid = uint16(n)
		p.SetMiners(p.netuid, nil)
		if p.c.Client == nil {
			return nil
		}
		return loadMetagraphCmd(p.c, p.netuid)
	}
	return cmd
}

func (p *weightsPage) updateEdit(msg tea.Msg) tea.Cmd {
	res, cmd := p.edit.Update(msg)
	switch res {
	case dialogCancel:
		p.edit = nil
	case dialogSubmit:
		v, _ := strconv.ParseUint(p.edit.Values()[0], 10, 16)
		if i, ok := p.selected(); ok {
			p.raw[i] = uint16(v)
			p.rebuild()
		}
		p.edit = nil
	}
	return cmd
}

func (p *weightsPage) View() string {
	st := &p.c.Styles
	if p.c.Client == nil {
		return st.Error.Render(ErrNoChain.Error())
	}
	head := st.Title.Render("Weights") + st.Muted.Render(fmt.Sprintf("  subnet %d • validator %s/%s %s", p.netuid, p.c.Wallet, p.c.Hotkey, ShortAddress(p.c.HotkeyAddress(), 15)))
	var status string
	if p.err != nil {
		status = st.Warning.Render("Weights are "+notAvailable(p.err)) + st.Muted.Render(" — this chain has no weights module yet")
	} else {
		set := 0
		for _, w := range p.raw {
			if w > 0 {
				set++
			}
		}
		status = st.Muted.Render(fmt.Sprintf("%d of %d miners weighted • shares are normalised to 100%% • W set, C commit, R reveal", set, len(p.raw)))
		if p.commit != nil {
			status += st.Warning.Render(fmt.Sprintf("  commit on subnet %d waiting for its reveal (R)", p.commit.netuid))
		}
	}
	base := FitLines(head+"\n"+status+"\n\n"+p.table.View(), p.w, p.h)
	switch {
	case p.edit != nil:
		return OverlayCenter(base, p.edit.View(dialogWidth(p.w)), p.w, p.h)
	case p.pick != nil:
		return OverlayCenter(base, p.pick.View(dialogWidth(p.w)), p.w, p.h)
	}
	if v := p.flow.View(dialogWidth(p.w)); v != "" {
		return OverlayCenter(base, v, p.w, p.h)
	}
	return base
}
