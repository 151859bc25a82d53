package tui

import (
	"context"
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// walletsChain is the chain side of the Wallets page: balances, stake totals and transfers
// (through the shared transaction flow, with the transfer command's checks and preview).
type walletsChain struct {
	balances map[string]uint64
	staked   map[string]uint64 // coldkey address -> TAO value of its positions
	hotStake map[string]uint64 // hotkey address -> TAO value our coldkeys stake on it
	idents   map[string]string // address -> on-chain identity name (set_identity)
	stakeErr error
	balErr   error

	form  *form
	retry formRetry
	flow  *txFlow
}

// balancesMsg carries the free balances and stake totals of every key.
type balancesMsg struct {
	free     map[string]uint64
	idents   map[string]string
	staked   map[string]uint64
	hotStake map[string]uint64
	stakeErr error
	err      error
}

// loadBalances reads the free balance of every coldkey and hotkey, and the coldkeys' stake.
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
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		out := make(map[string]uint64, len(addrs))
		idents := map[string]string{}
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
			if acc.Identity != nil && acc.Identity.Name != "" {
				idents[a] = acc.Identity.Name
			}
		}
		m := balancesMsg{free: out, idents: idents, staked: map[string]uint64{}, hotStake: map[string]uint64{}}
		for _, a := range colds {
			ps, err := queryStake(ctx, client, a)
			if err != nil {
				m.stakeErr = err
				break
			}
			for _, s := range ps {
				m.staked[a] += s.TaoValue
				m.hotStake[s.Hotkey.SS58()] += s.TaoValue
			}
		}
		return m
	})
}

func (x *walletsChain) mentionsOurs(p *walletsPage, evs []protocol.Event) bool {
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

// update handles the chain messages and the transfer; ok reports it consumed msg.
func (x *walletsChain) update(p *walletsPage, msg tea.Msg) (tea.Cmd, bool) {
	if x.flow == nil {
		x.flow = newTxFlow(p.c, "wallets")
	}
	if f := x.retry.check(msg, x.flow.id); f != nil {
		cmd, _ := x.flow.Update(msg)
		if _, prep := msg.(ticketMsg); prep {
			cmd = nil // the form shows the error
		}
		x.form = f
		return tea.Batch(cmd, f.refocus(), x.loadBalances(p)), true
	}
	if cmd, ok := x.flow.Update(msg); ok {
		if _, done := msg.(txDoneMsg); done {
			cmd = tea.Batch(cmd, x.loadBalances(p))
		}
		return cmd, true
	}
	switch msg := msg.(type) {
	case balancesMsg:
		x.balErr = msg.err
		if msg.err == nil {
			x.balances, x.staked, x.hotStake, x.stakeErr, x.idents = msg.free, msg.staked, msg.hotStake, msg.stakeErr, msg.idents
		}
		p.rebuild()
		return nil, true
	case infoMsg:
		return nil, true
	case headMsg:
		if x.mentionsOurs(p, msg.head.Events) {
			return x.loadBalances(p), true
		}
		return nil, true
	}
	if x.form != nil {
		return x.updateForm(p, msg), true
	}
	return nil, false
}

func (x *walletsChain) capturing() bool { return x.form != nil || (x.flow != nil && x.flow.Active()) }

func (x *walletsChain) handleKey(p *walletsPage, km tea.KeyPressMsg) tea.Cmd {
	if !key.Matches(km, p.c.KeyMap.Wallets.Transfer) {
		return nil
	}
	if p.c.Client == nil {
		return reportErrCmd(ErrNoChain)
	}
	name, _, ok := p.selectedWallet()
	if !ok {
		return reportErrCmd(errors.New("no wallet selected: create one with c"))
	}
	own := p.addressOf(name, "")
	x.form = newForm(p.c, "Transfer from "+name,
		formField{Label: "to", Placeholder: "5… address, wallet name or //Bob", Hint: "an SS58 address, a wallet name, a dev name (//Bob) or a saved contact; tab completes",
			Complete: p.c.addressNames,
			Validate: func(s string) error {
				addr, err := p.c.resolveAddress(s)
				if err != nil {
					return err
				}
				if addr == own {
					return errors.New("that is this wallet's own address: choose another destination")
				}
				return nil
			}},
		formField{Label: "amount", Placeholder: "TAO, e.g. 1.5", Validate: validPositive},
	)
	x.form.wallet = name
	return x.form.Focus()
}

func (x *walletsChain) updateForm(p *walletsPage, msg tea.Msg) tea.Cmd {
	res, cmd := x.form.Update(msg)
	switch res {
	case dialogCancel:
		x.form = nil
	case dialogSubmit:
		v := x.form.Values()
		name := x.form.wallet
		x.retry.keep(x.form)
		x.form = nil
		addr, _ := p.c.resolveAddress(v[0])
		to, _ := wallet.ParseAddress(addr)
		amount, _ := protocol.ParseTAO(v[1])
		if x.flow == nil {
			x.flow = newTxFlow(p.c, "wallets")
		}
		return x.flow.Start(name, "", func(ctx context.Context) (Ticket, error) {
			return p.c.planTransfer(ctx, name, to, amount)
		})
	}
	return cmd
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

func (x *walletsChain) hotkeyStakeCell(addr string) string { return x.stakeCell(x.hotStake, addr) }

func (x *walletsChain) hotkeyNote(string) string { return "" }

func (x *walletsChain) inspectLines(_ *walletsPage, w WalletInfo) []string {
	v, ok := x.balances[w.Address]
	if !ok {
		return nil
	}
	staked := FormatTAO(x.staked[w.Address])
	if x.stakeErr != nil {
		staked = notAvailable(x.stakeErr)
	}
	out := []string{KV("free", FormatTAO(v), 9, 200), KV("staked", staked, 9, 200)}
	if name := x.idents[w.Address]; name != "" {
		out = append(out, KV("identity", name, 9, 200))
	}
	return out
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
	seen := map[string]bool{} // two wallets with the same coldkey (a coldkeypub copy) count once
	for _, w := range p.wallets {
		if seen[w.Address] {
			continue
		}
		seen[w.Address] = true
		total += x.balances[w.Address]
		staked += x.staked[w.Address]
	}
	stakedText := FormatTAO(staked)
	if x.stakeErr != nil {
		stakedText = notAvailable(x.stakeErr)
	}
	return st.Muted.Render("free on all coldkeys: ") + st.Value.Render(FormatTAO(total)) + st.Muted.Render(" • staked (at spot price): ") + st.Value.Render(stakedText)
}

func (x *walletsChain) overlay(_ *walletsPage, width int) string {
	if x.form != nil {
		return x.form.View(width)
	}
	if x.flow != nil {
		return x.flow.View(width)
	}
	return ""
}
