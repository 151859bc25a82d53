package tui

import (
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
}

func newWeightsPage(c *Common) *weightsPage {
	p := &weightsPage{c: c, netuid: 1}
	p.table = NewTable(c, []Column{
		{Title: "UID", Width: 5, Right: true, Numeric: true},
		{Title: "Miner hotkey", Width: 16},
		{Title: "Weight", Width: 7, Right: true, Numeric: true},
		{Title: "Share", Width: 8, Right: true, Numeric: true},
		{Title: "", Width: 30},
	})
	return p
}

func (p *weightsPage) Title() string   { return "Weights" }
func (p *weightsPage) Init() tea.Cmd   { return nil }
func (p *weightsPage) Capturing() bool { return p.edit != nil || p.table.Filtering() }
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
	case key.Matches(km, k.Set):
		return p, reportErrCmd(unsupported("set weights"))
	case key.Matches(km, k.Commit):
		return p, reportErrCmd(unsupported("commit weights"))
	case key.Matches(km, k.Reveal):
		return p, reportErrCmd(unsupported("reveal weights"))
	}
	return p, nil
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
	}
	base := FitLines(head+"\n"+status+"\n\n"+p.table.View(), p.w, p.h)
	if p.edit != nil {
		return OverlayCenter(base, p.edit.View(dialogWidth(p.w)), p.w, p.h)
	}
	return base
}
