package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// The connection indicator. The header shows how fresh the chain's values are:
//
//   - "● live": a head arrived within the expected time (three block times, at least 2 s),
//     or the chain is paused or builds blocks on demand (no head is expected);
//   - "◌ stale 7s": the subscription is open but no head came for that long; the page body
//     is dimmed and the node is probed (a failed probe ends the subscription, which starts
//     the reconnection at once instead of after the transport's own timeout);
//   - "○ reconnecting": the connection is lost and retried;
//   - "✗ different chain!": after a reconnection the node serves another chain (another
//     genesis, or a reset: lower height or another block at the height seen last). Every
//     page's cached values are dropped (the pages are rebuilt) and a banner says so.

// connTick is how often the indicator is re-evaluated.
const connTick = time.Second

// chainChangeShown is how long the header keeps saying "different chain!".
const chainChangeShown = 15 * time.Second

// connection messages.
type (
	// connTickMsg re-evaluates the indicator.
	connTickMsg struct{}
	// probeMsg is the answer to a liveness probe of a stale connection.
	probeMsg struct{ err error }
	// chainCheckMsg says whether the chain the console reads is still the one it knew.
	chainCheckMsg struct {
		info   protocol.ChainInfo
		change string // why it is another chain; "" when it is the same
		err    error
	}
	// chainChangedMsg tells pages that the chain changed: every cached value is wrong.
	chainChangedMsg struct{}
)

// connState is the indicator's state.
type connState int

const (
	connUnknown connState = iota // nothing heard yet, or no subscription offered
	connLive
	connStale
	connLost
	connChanged
)

func connTickCmd() tea.Cmd {
	return tea.Tick(connTick, func(time.Time) tea.Msg { return connTickMsg{} })
}

// staleAfter is how long without a head before the values count as stale.
func (a *App) staleAfter() time.Duration {
	bt := time.Duration(a.info.BlockTimeMs) * time.Millisecond
	if bt == 0 {
		bt = time.Duration(a.info.TargetBlockTimeMs) * time.Millisecond
	}
	return max(3*bt, 2*time.Second)
}

// conn is the indicator's state now and, when stale, for how long.
func (a *App) conn() (connState, time.Duration) {
	now := a.now()
	switch {
	case !a.changedAt.IsZero() && now.Sub(a.changedAt) < chainChangeShown:
		return connChanged, 0
	case a.lost:
		return connLost, 0
	case a.sub == nil || a.lastHead.IsZero():
		return connUnknown, 0
	}
	idle := now.Sub(a.lastHead)
	if idle > a.staleAfter() && a.info.Producing && !a.info.Paused {
		return connStale, idle
	}
	return connLive, 0
}

func (a *App) now() time.Time {
	if a.opts.Now != nil {
		return a.opts.Now()
	}
	return time.Now()
}

// Stale reports whether the values on screen are not live (stale, reconnecting) (tests).
func (a *App) Stale() bool {
	s, _ := a.conn()
	return s == connStale || s == connLost
}

// connLabel is the header's indicator.
func (a *App) connLabel() string {
	st := &a.c.Styles
	s, idle := a.conn()
	switch s {
	case connLive:
		return st.Success.Render("● live")
	case connStale:
		return st.Warning.Render("◌ stale " + strconv.Itoa(int(idle.Seconds())) + "s")
	case connLost:
		return st.Warning.Render("○ reconnecting")
	case connChanged:
		return st.Error.Render("✗ different chain!")
	}
	return ""
}

// dim renders s without its colours, muted: values that may be out of date.
func (a *App) dim(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	for i, l := range lines {
		lines[i] = a.c.Styles.Muted.Render(l)
	}
	return strings.Join(lines, "\n")
}

// onConnTick re-evaluates the indicator; a stale connection is probed once per stale spell.
func (a *App) onConnTick() tea.Cmd {
	next := connTickCmd()
	if s, _ := a.conn(); s == connStale && !a.probing {
		a.probing = true
		return tea.Batch(next, probeCmd(a.c))
	}
	return next
}

// probeCmd asks the node for its summary with a short deadline.
func probeCmd(c *Common) tea.Cmd {
	client := c.Client
	ctx, cancel := context.WithTimeout(c.ctx(), 2*time.Second)
	return func() tea.Msg {
		defer cancel()
		_, err := client.Info(ctx)
		return probeMsg{err: err}
	}
}

// onProbe ends a subscription whose node does not answer: the reconnection starts now.
func (a *App) onProbe(msg probeMsg) tea.Cmd {
	a.probing = false
	if msg.err == nil || a.lost {
		return nil
	}
	if a.sub != nil {
		a.sub.Cancel()
		a.sub = nil
	}
	return a.connectionLost(fmt.Errorf("the node does not answer: %w", msg.err))
}

// chainCheckCmd compares the chain now served with the one the console knew: its genesis,
// its height (a reset goes back) and the block at the height seen last.
func chainCheckCmd(c *Common, genesis protocol.Hash, height uint64, hash protocol.Hash) tea.Cmd {
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		v, err := client.Info(ctx)
		if err != nil {
			return chainCheckMsg{err: err}
		}
		switch {
		case !genesis.IsZero() && v.GenesisHash != genesis:
			return chainCheckMsg{info: v, change: "another genesis (" + ShortAddress(v.GenesisHash.String(), 15) + ", was " + ShortAddress(genesis.String(), 15) + ")"}
		case height > 0 && v.Height < height:
			return chainCheckMsg{info: v, change: "the chain was reset (now at #" + FormatInt(v.Height) + ", was #" + FormatInt(height) + ")"}
		case height > 0 && !hash.IsZero():
			hs, err := client.Blocks(ctx, height, 1)
			if err != nil {
				return chainCheckMsg{info: v, err: err}
			}
			if len(hs) == 1 && hs[0].Hash != hash {
				return chainCheckMsg{info: v, change: "block #" + FormatInt(height) + " is another block (the chain was reset or replaced)"}
			}
		}
		return chainCheckMsg{info: v}
	})
}

// onChainCheck records the chain's identity; a change clears every page's values.
func (a *App) onChainCheck(msg chainCheckMsg) tea.Cmd {
	if msg.err != nil {
		return nil // the next head or reconnection checks again
	}
	a.info, a.genesis = msg.info, msg.info.GenesisHash
	a.c.Genesis, a.c.BlockTimeMs = a.genesis.String(), cmpOrU(msg.info.BlockTimeMs, msg.info.TargetBlockTimeMs)
	if msg.change == "" {
		return a.broadcast(infoMsg{info: msg.info})
	}
	a.changedAt = a.now()
	a.height, a.headHash = msg.info.Height, protocol.Hash{}
	a.rebuildPages()
	a.setBanner(&banner{kind: bannerError, text: "different chain! " + a.c.Network + " now serves " + msg.change + ": every cached value was cleared",
		hint: "check --node; transactions signed for the old chain are invalid here"})
	cmds := []tea.Cmd{a.broadcast(infoMsg{info: msg.info}), a.broadcast(chainChangedMsg{})}
	for _, p := range a.pages {
		cmds = append(cmds, p.Init())
	}
	var act tea.Cmd
	a.pages[a.active], act = a.pages[a.active].Update(pageActivatedMsg{})
	cmds = append(cmds, act, listWalletsCmd(a.c.Keys, false))
	return tea.Batch(cmds...)
}

// rebuildPages replaces every page with a fresh one (no cached chain value survives), except
// a running simulation's page, which owns the run.
func (a *App) rebuildPages() {
	var fresh []Page
	if a.opts.Pages != nil {
		fresh = a.opts.Pages(a.c)
	} else {
		fresh = standardPages(a.c)
	}
	for i := range fresh {
		if i < len(a.pages) {
			if sp, ok := a.pages[i].(*simPage); ok && sp.active() {
				fresh[i] = sp
			}
		}
	}
	a.pages = fresh
	a.active = min(a.active, len(a.pages)-1)
	a.setSize(a.c.Width, a.c.Height)
}
