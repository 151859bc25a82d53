package tui

import (
	"context"
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/btui/btui/chainclient"
)

// registerPage shows, per subnet, the burn cost, the free slots and the immunity period,
// and registers the selected hotkey by burning or by proof of work.
type registerPage struct {
	c        *Common
	w, h     int
	table    *Table
	err      error
	nets     []subnetView
	immunity map[uint16]uint64
	flow     *txFlow
}

// immunityMsg carries each subnet's immunity period.
type immunityMsg struct {
	periods map[uint16]uint64
	err     error
}

func loadImmunityCmd(c *Common) tea.Cmd {
	if c.Client == nil {
		return nil
	}
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		nets, err := querySubnets(ctx, client)
		if err != nil {
			return immunityMsg{err: err}
		}
		out := make(map[uint16]uint64, len(nets))
		for _, n := range nets {
			if n.Root {
				continue
			}
			v, err := immunityPeriod(ctx, client, n.Netuid)
			if err != nil {
				return immunityMsg{err: err}
			}
			out[n.Netuid] = v
		}
		return immunityMsg{periods: out}
	})
}

func newRegisterPage(c *Common) *registerPage {
	p := &registerPage{c: c, flow: newTxFlow(c, "register")}
	p.table = NewTable(c, []Column{
		{Title: "Net", Width: 4, Right: true, Numeric: true},
		{Title: "Name", Width: 12},
		{Title: "Burn cost τ", Width: 14, Right: true, Numeric: true},
		{Title: "Slots left", Width: 10, Right: true, Numeric: true},
		{Title: "Immunity", Width: 10, Right: true, Numeric: true},
		{Title: "PoW difficulty", Width: 16, Right: true, Numeric: true},
	})
	return p
}

func (p *registerPage) Title() string   { return "Register" }
func (p *registerPage) Init() tea.Cmd   { return nil }
func (p *registerPage) Capturing() bool { return p.table.Filtering() || p.flow.Active() }
func (p *registerPage) SetSize(w, h int) {
	p.w, p.h = w, h
	p.table.SetSize(w, max(3, h-4))
}

func (p *registerPage) ShortHelp() []key.Binding {
	k := p.c.KeyMap.Register
	return []key.Binding{k.Burned, k.PoW}
}

func (p *registerPage) FullHelp() [][]key.Binding {
	k := p.c.KeyMap.Register
	return [][]key.Binding{{k.Burned, k.PoW, k.Cancel}, p.table.Help()}
}

func (p *registerPage) rebuild() {
	rows := make([]Row, 0, len(p.nets))
	for _, s := range p.nets {
		if s.Root {
			continue // root has no uids to register for
		}
		v, ok := p.immunity[s.Netuid]
		s.Immunity = v
		row := registerRow(s)
		if !ok {
			row.Cells[4] = "–" // not read (yet, or the node would not give it)
		}
		rows = append(rows, row)
	}
	p.table.SetRows(rows)
}

// registerRow renders one subnet's registration terms (pure).
func registerRow(s subnetView) Row {
	return Row{Key: strconv.Itoa(int(s.Netuid)), Cells: []string{
		strconv.Itoa(int(s.Netuid)), s.Name, FormatTAOShort(s.BurnCost),
		strconv.Itoa(max(0, int(s.MaxNeurons)-int(s.Neurons))), FormatInt(s.Immunity) + " blk", FormatInt(s.Difficulty),
	}}
}

func (p *registerPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	if cmd, ok := p.flow.Update(msg); ok {
		if _, done := msg.(txDoneMsg); done {
			cmd = tea.Batch(cmd, loadSubnetsCmd(p.c))
		}
		return p, cmd
	}
	switch msg := msg.(type) {
	case pageActivatedMsg:
		return p, tea.Batch(loadSubnetsCmd(p.c), loadImmunityCmd(p.c))
	case subnetsMsg:
		p.err = msg.err
		p.nets = msg.subnets
		p.rebuild()
		return p, nil
	case immunityMsg:
		if msg.err == nil {
			p.immunity = msg.periods
			p.rebuild()
		}
		return p, nil
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if used, cmd := p.table.Update(km); used {
		return p, cmd
	}
	k := p.c.KeyMap.Register
	switch {
	case key.Matches(km, k.Burned):
		r, ok := p.table.Selected()
		if !ok {
			return p, reportErrCmd(p.noSubnet())
		}
		n, _ := strconv.Atoi(r.Key)
		wallet, hotkey := p.c.Wallet, p.c.Hotkey
		return p, p.flow.Start(wallet, hotkey, func(ctx context.Context) (Ticket, error) {
			return p.c.planBurnedRegister(ctx, wallet, hotkey, uint16(n))
		})
	case key.Matches(km, k.PoW):
		r, ok := p.table.Selected()
		if !ok {
			return p, reportErrCmd(p.noSubnet())
		}
		n, _ := strconv.Atoi(r.Key)
		wallet, hotkey := p.c.Wallet, p.c.Hotkey
		return p, p.flow.Start(wallet, hotkey, func(ctx context.Context) (Ticket, error) {
			return p.c.planPowRegister(ctx, wallet, hotkey, uint16(n))
		})
	}
	return p, nil
}

func (p *registerPage) noSubnet() error {
	if p.err != nil {
		return p.err
	}
	return fmt.Errorf("no subnet selected: pick one with ↑/↓")
}

func (p *registerPage) View() string {
	st := &p.c.Styles
	if p.c.Client == nil {
		return st.Error.Render(ErrNoChain.Error())
	}
	head := st.Title.Render("Register") + st.Muted.Render("  hotkey "+p.c.Wallet+"/"+p.c.Hotkey+" "+ShortAddress(p.c.HotkeyAddress(), 15))
	status := st.Muted.Render(fmt.Sprintf("%d subnets • b burn to register • w proof of work", len(p.nets)))
	if p.err != nil {
		status = st.Warning.Render("Registration is "+notAvailable(p.err)) + st.Muted.Render(" — this chain has no registration module yet")
	}
	base := FitLines(head+"\n"+status+"\n\n"+p.table.View(), p.w, p.h)
	if v := p.flow.View(dialogWidth(p.w)); v != "" {
		return OverlayCenter(base, v, p.w, p.h)
	}
	return base
}
