package tui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Overview keeps this many recent events and per-block counts.
const (
	overviewEvents = 200
	overviewBlocks = 120
)

// overviewPage shows the network banner with the live height, the selected wallet's
// portfolio and the recent events, all driven by the head subscription.
type overviewPage struct {
	c    *Common
	w, h int

	info    protocol.ChainInfo
	infoErr error
	up      bool

	account  protocol.AccountInfo
	accErr   error
	accKnown bool
	staked   uint64
	sold     uint64
	soldOK   bool
	stakeErr error

	events   []protocol.Event // newest last
	txCounts []float64        // transactions per block, oldest first
	lastHead protocol.BlockHeader
	missed   uint64
}

// accountMsg is a balance read for the Overview page, with the stake positions' value.
type accountMsg struct {
	address  string
	account  protocol.AccountInfo
	err      error
	staked   uint64
	sold     uint64 // what the positions would fetch if sold now
	soldOK   bool
	stakeErr error
}

func newOverviewPage(c *Common) *overviewPage { return &overviewPage{c: c, up: true} }

func (p *overviewPage) Title() string             { return "Overview" }
func (p *overviewPage) Init() tea.Cmd             { return nil }
func (p *overviewPage) SetSize(w, h int)          { p.w, p.h = w, h }
func (p *overviewPage) Capturing() bool           { return false }
func (p *overviewPage) ShortHelp() []key.Binding  { return nil }
func (p *overviewPage) FullHelp() [][]key.Binding { return nil }
func (p *overviewPage) selectedAddress() string   { return p.c.ColdkeyAddress() }

func (p *overviewPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case infoMsg:
		p.info, p.infoErr = msg.info, msg.err
	case connStateMsg:
		p.up = msg.up
	case walletsListedMsg, walletSelectedMsg, pageActivatedMsg:
		return p, loadAccountCmd(p.c, p.selectedAddress())
	case accountMsg:
		if msg.address == p.selectedAddress() {
			p.account, p.accErr, p.accKnown = msg.account, msg.err, msg.err == nil
			p.staked, p.stakeErr, p.sold, p.soldOK = msg.staked, msg.stakeErr, msg.sold, msg.soldOK
		}
	case headMsg:
		return p, p.onHead(msg.head)
	}
	return p, nil
}

// routineEvent is an event every block carries (the coinbase): the Chain page shows it with its
// block, but in the Overview's recent events it would push everything else off the screen.
func routineEvent(e protocol.Event) bool { return e.Module == "subtensor" && e.Name == "Coinbase" }

// onHead records the block and reloads the balance only when an event names the account.
func (p *overviewPage) onHead(h protocol.HeadEvent) tea.Cmd {
	p.lastHead = h.Header
	p.info.Height = h.Header.Height
	p.missed += h.Missed
	for _, e := range h.Events {
		if !routineEvent(e) {
			p.events = append(p.events, e)
		}
	}
	if over := len(p.events) - overviewEvents; over > 0 {
		p.events = slices.Delete(p.events, 0, over)
	}
	p.txCounts = append(p.txCounts, float64(h.Header.TxCount))
	if over := len(p.txCounts) - overviewBlocks; over > 0 {
		p.txCounts = slices.Delete(p.txCounts, 0, over)
	}
	addr := p.selectedAddress()
	if addr != "" && eventsMention(h.Events, addr) {
		return loadAccountCmd(p.c, addr)
	}
	return nil
}

func eventsMention(evs []protocol.Event, addr string) bool {
	for _, e := range evs {
		if eventMentions(e, addr) {
			return true
		}
		for _, a := range e.Attrs {
			if a.Value == addr {
				return true
			}
		}
	}
	return false
}

// loadAccountCmd reads an account's balance.
func loadAccountCmd(c *Common, address string) tea.Cmd {
	if c.Client == nil || address == "" {
		return nil
	}
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		id, err := wallet.ParseAddress(address)
		if err != nil {
			return accountMsg{address: address, err: err}
		}
		acc, err := client.Account(ctx, id)
		if err != nil {
			return accountMsg{address: address, err: err}
		}
		m := accountMsg{address: address, account: acc}
		positions, err := queryStake(ctx, client, address)
		m.stakeErr = err
		for _, s := range positions {
			m.staked += s.TaoValue
		}
		if vals, ok := sellValues(ctx, client, positions); ok {
			m.sold, m.soldOK = 0, true
			for _, v := range vals {
				m.sold += v
			}
		}
		return m
	})
}

func (p *overviewPage) View() string {
	st := &p.c.Styles
	if p.c.Client == nil {
		return st.Error.Render(ErrNoChain.Error())
	}
	half := max(30, (p.w-1)/2)
	network := p.networkBox(half)
	portfolio := p.portfolioBox(p.w - half - 1)
	top := lipgloss.JoinHorizontal(lipgloss.Top, network, " ", portfolio)
	topH := lipgloss.Height(top)
	spark := p.activityView(p.w)
	restH := p.h - topH - lipgloss.Height(spark) - 2
	return strings.Join([]string{top, spark, "", p.eventsView(p.w, max(1, restH))}, "\n")
}

func (p *overviewPage) networkBox(width int) string {
	st := &p.c.Styles
	inner := width - st.Box.GetHorizontalFrameSize()
	lw := 11
	status := st.Success.Render("producing")
	switch {
	case !p.up:
		status = st.Error.Render("disconnected — reconnecting")
	case p.info.Paused:
		status = st.Warning.Render("paused")
	case !p.info.Producing:
		status = st.Muted.Render("blocks on demand")
	}
	bt := "on demand"
	if p.info.BlockTimeMs > 0 {
		bt = strconv.FormatUint(p.info.BlockTimeMs, 10) + " ms"
	}
	lines := []string{
		st.BoxTitle.Render("Network"),
		KV("endpoint", p.c.Client.Endpoint(), lw, inner),
		KV("chain", cmpOr(p.info.ChainName, "…"), lw, inner),
		KV("height", st.Height.Render("#"+FormatInt(p.info.Height)), lw, inner),
		KV("status", status, lw, inner),
		KV("block time", bt, lw, inner),
		KV("pending", strconv.Itoa(p.info.PendingTxs)+" txs", lw, inner),
		KV("issuance", FormatTAOShort(p.info.TotalIssuance)+" τ", lw, inner),
	}
	if _, ok := p.c.Client.(*chainclient.Subtensor); ok { // chainclient.ChainInfoUnreadOnSubtensor
		lines[6] = KV("pending", st.Muted.Render("not read from a subtensor node"), lw, inner)
		lines[7] = KV("issuance", st.Muted.Render("not read from a subtensor node"), lw, inner)
	}
	if p.infoErr != nil {
		lines = append(lines, st.Error.Render(Truncate(p.infoErr.Error(), inner)))
	}
	return st.Box.Width(width).Render(strings.Join(lines, "\n"))
}

func (p *overviewPage) portfolioBox(width int) string {
	st := &p.c.Styles
	inner := width - st.Box.GetHorizontalFrameSize()
	lw := 9
	addr := p.selectedAddress()
	lines := []string{st.BoxTitle.Render("Portfolio — " + p.c.Wallet)}
	switch {
	case addr == "":
		lines = append(lines, st.Muted.Render(Truncate("no wallet "+p.c.Wallet+": create one on the Wallets page", inner)))
	case p.accErr != nil:
		lines = append(lines, KV("coldkey", ShortAddress(addr, inner-lw-1), lw, inner),
			KV("balance", st.Warning.Render(Truncate(notAvailable(p.accErr), inner-lw-1)), lw, inner))
	default:
		free, staked, total := "…", "…", "…"
		if p.accKnown {
			free, total = FormatTAO(p.account.Free), FormatTAO(p.account.Free)
			switch {
			case errors.Is(p.stakeErr, chainclient.ErrUnsupported):
				staked = st.Muted.Render("not on this chain yet")
			case p.stakeErr != nil:
				staked = st.Error.Render(Truncate(p.stakeErr.Error(), inner-lw-1))
			case p.soldOK:
				// realisable: what the positions fetch if sold now; the spot value is labelled
				staked = FormatTAO(p.sold) + st.Muted.Render(" if sold (spot "+FormatTAOShort(p.staked)+")")
				total = st.Value.Render(FormatTAO(p.account.Free + p.sold))
			default:
				staked = FormatTAO(p.staked) + st.Muted.Render(" at spot")
				total = st.Value.Render(FormatTAO(p.account.Free+p.staked)) + st.Muted.Render(" at spot")
			}
		}
		lines = append(lines,
			KV("coldkey", ShortAddress(addr, inner-lw-1), lw, inner),
			KV("free", st.Value.Render(free), lw, inner),
			KV("staked", staked, lw, inner),
			KV("total", total, lw, inner),
			KV("nonce", strconv.FormatUint(p.account.Nonce, 10), lw, inner),
		)
	}
	return st.Box.Width(width).Render(strings.Join(lines, "\n"))
}

// notAvailable renders the honest state of a query the chain does not offer yet.
func notAvailable(err error) string {
	if errors.Is(err, chainclient.ErrUnsupported) {
		return "not available on this chain yet"
	}
	return err.Error()
}

func (p *overviewPage) activityView(width int) string {
	st := &p.c.Styles
	label := "transactions per block, last " + strconv.Itoa(len(p.txCounts)) + " blocks "
	sw := max(10, width-ansiWidth(label)-12)
	maxTx := 0.0
	for _, v := range p.txCounts {
		maxTx = max(maxTx, v)
	}
	return st.Label.Render(label) + st.Plot.Render(Sparkline(p.txCounts, sw)) + st.Muted.Render(fmt.Sprintf(" max %.0f", maxTx))
}

func (p *overviewPage) eventsView(width, height int) string {
	st := &p.c.Styles
	lines := []string{st.Subtitle.Render("Recent events")}
	if p.missed > 0 {
		lines[0] += st.Warning.Render(fmt.Sprintf("  (%d blocks skipped while busy)", p.missed))
	}
	if len(p.events) == 0 {
		lines = append(lines, st.Muted.Render("no events yet: they appear here as blocks arrive"))
	}
	for i := len(p.events) - 1; i >= 0 && len(lines) < height; i-- {
		e := p.events[i]
		lines = append(lines, st.Muted.Render(PadLeft("#"+FormatInt(e.Height), 9))+"  "+Truncate(eventLine(e, 13), width-11))
	}
	return strings.Join(lines, "\n")
}

func ansiWidth(s string) int { return lipgloss.Width(s) }
