package tui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// stakePage lists the selected coldkey's stake positions per hotkey and subnet, valued in
// TAO, with add, remove and move (each with a preview ticket before confirming).
type stakePage struct {
	c         *Common
	w, h      int
	table     *Table
	positions []protocol.StakeInfo
	sell      []uint64 // realisable value of each position (nil: not quoted)
	err       error
	form      *form
	retry     formRetry
	formKind  string // "add", "remove" or "move"
	flow      *txFlow
	trade     Trade // the last price guard confirmed, proposed again
}

type stakeMsg struct {
	address   string
	positions []protocol.StakeInfo
	sell      []uint64 // what each would fetch if sold now (nil when not quoted)
	err       error
}

func newStakePage(c *Common) *stakePage {
	p := &stakePage{c: c, flow: newTxFlow(c, "stake"), trade: Trade{Tolerance: DefaultTolerance}}
	p.table = NewTable(c, []Column{
		{Title: "Hotkey", Width: 20},
		{Title: "Net", Width: 4, Right: true, Numeric: true},
		{Title: "Alpha", Width: 16, Right: true, Numeric: true},
		{Title: "If sold τ", Width: 16, Right: true, Numeric: true},
		{Title: "Spot τ", Width: 16, Right: true, Numeric: true},
	})
	return p
}

func (p *stakePage) Title() string { return "Stake" }
func (p *stakePage) Init() tea.Cmd { return nil }
func (p *stakePage) Capturing() bool {
	return p.table.Filtering() || p.form != nil || p.flow.Active()
}
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
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		ps, err := queryStake(ctx, client, addr)
		m := stakeMsg{address: addr, positions: ps, err: err}
		if err == nil {
			m.sell, _ = sellValues(ctx, client, ps)
		}
		return m
	})
}

func (p *stakePage) Update(msg tea.Msg) (Page, tea.Cmd) {
	if f := p.retry.check(msg, p.flow.id); f != nil {
		cmd, _ := p.flow.Update(msg)
		if _, prep := msg.(ticketMsg); prep {
			cmd = nil // the form shows the error
		}
		p.form = f
		return p, tea.Batch(cmd, f.refocus(), loadStakeCmd(p.c))
	}
	if cmd, ok := p.flow.Update(msg); ok {
		if _, done := msg.(txDoneMsg); done {
			cmd = tea.Batch(cmd, loadStakeCmd(p.c))
		}
		return p, cmd
	}
	if p.form != nil {
		return p, p.updateForm(msg)
	}
	switch msg := msg.(type) {
	case pageActivatedMsg, walletSelectedMsg:
		return p, loadStakeCmd(p.c)
	case stakeMsg:
		if msg.address != p.c.ColdkeyAddress() {
			return p, nil
		}
		p.err = msg.err
		p.positions, p.sell = msg.positions, msg.sell
		rows := make([]Row, len(msg.positions))
		for i, s := range msg.positions {
			sold := "–"
			if p.sell != nil {
				sold = FormatTAOShort(p.sell[i])
			}
			rows[i] = Row{Key: s.Hotkey.SS58() + "/" + strconv.Itoa(int(s.Netuid)), Cells: []string{
				ShortAddress(s.Hotkey.SS58(), 20), strconv.Itoa(int(s.Netuid)), FormatTAOShort(s.Alpha), sold, FormatTAOShort(s.TaoValue),
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
		p.formKind = "add"
		p.form = newForm(p.c, "Add stake from "+p.c.Wallet,
			formField{Label: "hotkey", Value: p.c.HotkeyAddress(), Hint: "address, wallet/hotkey or contact; tab completes",
				Complete: p.c.addressNames, Validate: func(s string) error { _, err := p.c.resolveAddress(s); return err }},
			formField{Label: "netuid", Value: "1", Validate: validNetuid},
			formField{Label: "amount", Placeholder: "TAO, e.g. 10", Validate: validPositive},
			p.toleranceField(), p.partialField(),
		)
		return p, p.form.Focus()
	case key.Matches(km, k.Remove):
		r, ok := p.table.Selected()
		if !ok {
			return p, reportErrCmd(fmt.Errorf("no stake position selected: add stake with a first"))
		}
		pos := p.positionOf(r.Key)
		p.formKind = "remove"
		p.form = newForm(p.c, fmt.Sprintf("Remove stake from %s in subnet %d", ShortAddress(pos.Hotkey.SS58(), 15), pos.Netuid),
			formField{Label: "alpha", Value: formatUnits(pos.Alpha, 9), Hint: "alpha to unstake (the whole position is shown)", Validate: validPositive},
			p.toleranceField(), p.partialField(),
		)
		return p, p.form.Focus()
	case key.Matches(km, k.Move):
		r, ok := p.table.Selected()
		if !ok {
			return p, reportErrCmd(fmt.Errorf("no stake position selected: add stake with a first"))
		}
		pos := p.positionOf(r.Key)
		p.formKind = "move"
		p.form = newForm(p.c, fmt.Sprintf("Move stake from %s in subnet %d", ShortAddress(pos.Hotkey.SS58(), 15), pos.Netuid),
			formField{Label: "to hotkey", Value: pos.Hotkey.SS58(), Hint: "an address, wallet/hotkey, dev name or contact (tab completes)",
				Complete: p.c.addressNames, Validate: func(s string) error { _, err := p.c.resolveAddress(s); return err }},
			formField{Label: "to netuid", Value: strconv.Itoa(int(pos.Netuid)), Validate: validNetuid},
			formField{Label: "alpha", Value: formatUnits(pos.Alpha, 9), Validate: validPositive},
			p.toleranceField(),
		)
		return p, p.form.Focus()
	}
	return p, nil
}

func (p *stakePage) positionOf(key string) protocol.StakeInfo {
	for _, s := range p.positions {
		if s.Hotkey.SS58()+"/"+strconv.Itoa(int(s.Netuid)) == key {
			return s
		}
	}
	return protocol.StakeInfo{}
}

// toleranceField asks for the trade's tolerance, validated as the commands' --tolerance.
func (p *stakePage) toleranceField() formField {
	return formField{Label: "tolerance", Value: p.trade.Tolerance,
		Hint: "largest price move accepted, a fraction: 0.005 = 0.5%",
		Validate: func(s string) error {
			return checkTrade(Trade{Tolerance: s})
		}}
}

// partialField asks whether a trade the limit price would stop fills partially.
func (p *stakePage) partialField() formField {
	return formField{Label: "allow partial", Value: yesNo(p.trade.AllowPartial),
		Hint: "yes: fill up to the limit price, refund the rest", Validate: validYesNo, Toggle: true}
}

// validYesNo accepts yes/no (y/n).
func validYesNo(s string) error {
	if _, ok := parseYesNo(s); !ok {
		return fmt.Errorf("%q: answer yes or no", s)
	}
	return nil
}

func parseYesNo(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "y", "yes":
		return true, true
	case "n", "no":
		return false, true
	}
	return false, false
}

func validNetuid(s string) error {
	if _, err := strconv.ParseUint(s, 10, 16); err != nil {
		return fmt.Errorf("a netuid is a whole number from 0 to 65535")
	}
	return nil
}

func validPositive(s string) error {
	v, err := protocol.ParseTAO(s)
	if err == nil && v == 0 {
		return fmt.Errorf("the amount is zero: type how much")
	}
	return err
}

func (p *stakePage) updateForm(msg tea.Msg) tea.Cmd {
	res, cmd := p.form.Update(msg)
	switch res {
	case dialogCancel:
		p.form = nil
	case dialogSubmit:
		v := p.form.Values()
		p.retry.keep(p.form)
		p.form = nil
		wallet := p.c.Wallet
		if p.formKind == "add" {
			addr, _ := p.c.resolveAddress(v[0])
			hk, _ := walletAddress(addr)
			n, _ := strconv.ParseUint(v[1], 10, 16)
			amount, _ := protocol.ParseTAO(v[2])
			trade := p.takeTrade(v[3], v[4])
			return p.flow.Start(wallet, "", func(ctx context.Context) (Ticket, error) {
				return p.c.planStake(ctx, true, wallet, hk, uint16(n), amount, trade)
			})
		}
		r, _ := p.table.Selected()
		pos := p.positionOf(r.Key)
		hk := pos.Hotkey
		if p.formKind == "move" {
			addr, _ := p.c.resolveAddress(v[0])
			dest, _ := walletAddress(addr)
			n, _ := strconv.ParseUint(v[1], 10, 16)
			alpha, _ := protocol.ParseTAO(v[2])
			p.trade.Tolerance = v[3]
			trade := Trade{Tolerance: v[3]} // a move has no limit price to fill partially
			return p.flow.Start(wallet, "", func(ctx context.Context) (Ticket, error) {
				return p.c.planMove(ctx, wallet, hk, pos.Netuid, dest, uint16(n), alpha, trade)
			})
		}
		alpha, _ := protocol.ParseTAO(v[0])
		trade := p.takeTrade(v[1], v[2])
		return p.flow.Start(wallet, "", func(ctx context.Context) (Ticket, error) {
			return p.c.planStake(ctx, false, wallet, hk, pos.Netuid, alpha, trade)
		})
	}
	return cmd
}

// takeTrade reads the form's price guard and remembers it for the next form.
func (p *stakePage) takeTrade(tolerance, partial string) Trade {
	ap, _ := parseYesNo(partial)
	p.trade = Trade{Tolerance: tolerance, AllowPartial: ap}
	return p.trade
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
	case errors.Is(p.err, chainclient.ErrUnsupported):
		status = st.Warning.Render("Stake positions are "+notAvailable(p.err)) + st.Muted.Render(" — this chain has no staking module yet")
	case p.err != nil:
		status = st.Warning.Render("Stake positions could not be read: " + strings.TrimPrefix(p.err.Error(), "stake positions: "))
	default:
		var spot, sold uint64
		for i, s := range p.positions {
			spot += s.TaoValue
			if p.sell != nil {
				sold += p.sell[i]
			}
		}
		n := plural(len(p.positions), "position", "positions")
		if p.sell != nil {
			status = st.Muted.Render(n+": ") + st.Value.Render(FormatTAO(sold)) + st.Muted.Render(" if sold now (pool quote after fees) • "+FormatTAO(spot)+" at spot price")
		} else {
			status = st.Muted.Render(n + " worth " + FormatTAO(spot) + " at spot price (not what a sale would fetch)")
		}
	}
	base := FitLines(head+"\n"+status+"\n\n"+p.table.View(), p.w, p.h)
	if p.form != nil {
		return OverlayCenter(base, p.form.View(dialogWidth(p.w)), p.w, p.h)
	}
	if v := p.flow.View(dialogWidth(p.w)); v != "" {
		return OverlayCenter(base, v, p.w, p.h)
	}
	return base
}
