package tui

import (
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// stakePage lists the selected coldkey's stake positions per hotkey and subnet, valued in
// TAO, with add, remove and move (each with a preview ticket before confirming).
type stakePage struct {
	c         *Common
	w, h      int
	table     *Table
	positions []stakeView
	err       error
}

type stakeMsg struct {
	address   string
	positions []stakeView
	err       error
}

func newStakePage(c *Common) *stakePage {
	p := &stakePage{c: c}
	p.table = NewTable(c, []Column{
		{Title: "Hotkey", Width: 20},
		{Title: "Net", Width: 4, Right: true, Numeric: true},
		{Title: "Alpha", Width: 18, Right: true, Numeric: true},
		{Title: "Value τ", Width: 18, Right: true, Numeric: true},
	})
	return p
}

func (p *stakePage) Title() string   { return "Stake" }
func (p *stakePage) Init() tea.Cmd   { return nil }
func (p *stakePage) Capturing() bool { return p.table.Filtering() }
func (p *stakePage) SetSize(w, h int) {
	p.w, p.h = w, h
	p.table.SetSize(w, max(3, h-4))
}

func (p *stakePage) ShortHelp() []key.Binding {
	k := p.c.KeyMap.Stake
	return []key.Binding{k.Add, k.Remove, k.Move}
}

func (p *stakePage) FullHelp() [][]key.Binding {
	k := p.c.KeyMap.Stake
	return [][]key.Binding{{k.Add, k.Remove, k.Move}, p.table.Help()}
}

func loadStakeCmd(c *Common) tea.Cmd {
	addr := c.ColdkeyAddress()
	if c.Client == nil || addr == "" {
		return nil
	}
	client := c.Client
	ctx, cancel := c.queryCtx()
	return func() tea.Msg {
		defer cancel()
		ps, err := queryStake(ctx, client, addr)
		return stakeMsg{address: addr, positions: ps, err: err}
	}
}

func (p *stakePage) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case pageActivatedMsg, walletSelectedMsg:
		return p, loadStakeCmd(p.c)
	case stakeMsg:
		if msg.address != p.c.ColdkeyAddress() {
			return p, nil
		}
		p.err = msg.err
		p.positions = msg.positions
		rows := make([]Row, len(msg.positions))
		for i, s := range msg.positions {
			rows[i] = Row{Key: s.Hotkey + "/" + strconv.Itoa(int(s.Netuid)), Cells: []string{
				ShortAddress(s.Hotkey, 20), strconv.Itoa(int(s.Netuid)), FormatTAOShort(s.Alpha), FormatTAOShort(s.ValueTAO),
			}}
		}
		p.table.SetRows(rows)
		return p, nil
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if used, cmd := p.table.Update(km); used {
		return p, cmd
	}
	k := p.c.KeyMap.Stake
	switch {
	case key.Matches(km, k.Add):
		return p, reportErrCmd(unsupported("add stake"))
	case key.Matches(km, k.Remove):
		return p, reportErrCmd(unsupported("remove stake"))
	case key.Matches(km, k.Move):
		return p, reportErrCmd(unsupported("move stake"))
	}
	return p, nil
}

func (p *stakePage) View() string {
	st := &p.c.Styles
	if p.c.Client == nil {
		return st.Error.Render(ErrNoChain.Error())
	}
	head := st.Title.Render("Stake") + st.Muted.Render("  coldkey "+p.c.Wallet+" "+ShortAddress(p.c.ColdkeyAddress(), 15))
	var status string
	switch {
	case p.c.ColdkeyAddress() == "":
		status = st.Muted.Render("no wallet selected: pick one on the Wallets page")
	case p.err != nil:
		status = st.Warning.Render("Stake positions are "+notAvailable(p.err)) + st.Muted.Render(" — this chain has no staking module yet")
	default:
		var total uint64
		for _, s := range p.positions {
			total += s.ValueTAO
		}
		status = st.Muted.Render(fmt.Sprintf("%d positions worth %s", len(p.positions), FormatTAO(total)))
	}
	return FitLines(head+"\n"+status+"\n\n"+p.table.View(), p.w, p.h)
}
