package tui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Trade is a stake trade's price guard, as the stake commands' flags give it: Tolerance is
// the largest price move accepted as a decimal fraction ("0.005" = 0.5 %, --tolerance) and
// AllowPartial fills what the limit price allows instead of failing (--allow-partial).
type Trade struct {
	Tolerance    string
	AllowPartial bool
}

// DefaultTolerance is the stake commands' default --tolerance.
const DefaultTolerance = "0.005"

// Ticket is a prepared transaction: the preview its command shows, and how to sign it.
type Ticket struct {
	Title   string
	Preview []PreviewLine
	Command string   // the equivalent command line
	Hotkey  bool     // signed by the hotkey (weights); otherwise by the coldkey
	Salt    []uint16 // a weights commit's salt, kept by the console for the reveal
	// Signer is the address that must sign (the plan's Signer): the console refuses to sign
	// with an unlocked key of another address.
	Signer string
	// Call is the transaction's call, for the confirmation's dry run (Client.Simulate);
	// Sim, when set, is the dry run the plan already made.
	Call protocol.Call
	Sim  *protocol.Simulation
	Sign func(ctx context.Context, kp wallet.Pair) ([]byte, error)
	// Work, when set, replaces Sign: it runs after the key is unlocked, does long work that
	// goes stale quickly (proof of work, reporting done against the expected total) and
	// signs at once.
	Work func(ctx context.Context, kp wallet.Pair, progress func(done, total uint64)) ([]byte, error)
}

// checkSigner refuses a key that is not the ticket's signer (the plan's Signer), and a ticket
// that names none: nothing is signed with a key the plan did not expect.
func (t Ticket) checkSigner(kp wallet.Pair) error {
	if t.Signer == "" {
		return fmt.Errorf("this transaction names no signer, so the unlocked key %s cannot be checked: nothing was sent", kp.Address())
	}
	if kp.Address() != t.Signer {
		return fmt.Errorf("the unlocked key is %s but this transaction must be signed by %s: nothing was sent", kp.Address(), t.Signer)
	}
	return nil
}

// queryTimeout bounds every query the console makes.
const queryTimeout = 10 * time.Second

// maxReconnectDelay caps the pause between reconnection attempts.
const maxReconnectDelay = 10 * time.Second

// Chain messages.
type (
	// headMsg is a new block from the subscription; every page sees it.
	headMsg struct{ head protocol.HeadEvent }
	// subscribedMsg carries a new subscription (or why there is none).
	subscribedMsg struct {
		sub *chainclient.Subscription
		err error
	}
	// subEndedMsg says the subscription stopped; err nil means it was cancelled.
	subEndedMsg struct{ err error }
	// reconnectMsg asks for a new subscription after a lost connection.
	reconnectMsg struct{}
	// connStateMsg tells pages whether the node is reachable.
	connStateMsg struct{ up bool }
	// infoMsg is the chain summary.
	infoMsg struct {
		info protocol.ChainInfo
		err  error
	}
)

func isChainBroadcast(msg tea.Msg) bool {
	switch msg.(type) {
	case headMsg, infoMsg, connStateMsg:
		return true
	}
	return false
}

// chainHint gives advice for chain errors.
func chainHint(err error) string {
	switch {
	case errors.Is(err, chainclient.ErrNodeUnreachable):
		return "is `btui node` running at that URL? start it or fix --node; btui keeps retrying"
	case errors.Is(err, chainclient.ErrUnsupported):
		return "this chain does not offer it yet"
	case errors.Is(err, chainclient.ErrBadRequest), errors.Is(err, chainclient.ErrBadResponse):
		return "btui and the node may be different versions: use the same build for both"
	case errors.Is(err, context.DeadlineExceeded):
		return "the chain did not answer in time: try again"
	}
	return ""
}

// queryCtx is the context for one query.
func (c *Common) queryCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx(), queryTimeout)
}

// queryCmd returns a tea.Cmd that runs fn off the Update loop with the client of now and a
// query deadline that starts now.
func (c *Common) queryCmd(fn func(ctx context.Context, client chainclient.Client) tea.Msg) tea.Cmd {
	client := c.Client
	ctx, cancel := c.queryCtx()
	return func() tea.Msg {
		defer cancel()
		return fn(ctx, client)
	}
}

func (c *Common) ctx() context.Context {
	if c.Ctx == nil {
		return context.Background()
	}
	return c.Ctx
}

// subscribeCmd opens the head subscription.
func subscribeCmd(c *Common) tea.Cmd {
	client := c.Client
	ctx := c.ctx()
	return func() tea.Msg {
		sub, err := client.Subscribe(ctx, chainclient.SubscribeOptions{})
		return subscribedMsg{sub: sub, err: err}
	}
}

// waitHeadCmd blocks on the subscription for the next head; the root re-issues it after
// each one.
func waitHeadCmd(sub *chainclient.Subscription) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-sub.C
		if !ok {
			<-sub.Done()
			return subEndedMsg{err: sub.Err()}
		}
		return headMsg{head: ev}
	}
}

// loadInfoCmd reads the chain summary.
func loadInfoCmd(c *Common) tea.Cmd {
	client := c.Client
	if client == nil {
		return nil
	}
	ctx, cancel := c.queryCtx()
	return func() tea.Msg {
		defer cancel()
		info, err := client.Info(ctx)
		return infoMsg{info: info, err: err}
	}
}

// handleChainMsg is the root's part of the chain plumbing: the subscription, reconnects and
// the height in the tab bar. done reports that msg was consumed here.
func (a *App) handleChainMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case subscribedMsg:
		if errors.Is(msg.err, chainclient.ErrUnsupported) {
			a.setBanner(&banner{kind: bannerWarn, text: "this chain offers no head subscription: live updates are off", hint: chainHint(msg.err)})
			return nil, true
		}
		if msg.err != nil {
			return a.connectionLost(msg.err), true
		}
		a.sub = msg.sub
		a.retries = 0
		a.lastHead = a.now() // the subscription is fresh: stale counts from here
		cmds := []tea.Cmd{waitHeadCmd(msg.sub), chainCheckCmd(a.c, a.genesis, a.height, a.headHash)}
		if a.lost {
			a.lost = false
			a.setBanner(&banner{kind: bannerSuccess, text: "reconnected to " + a.c.Network})
			cmds = append(cmds, a.broadcast(connStateMsg{up: true}))
		}
		return tea.Batch(cmds...), true
	case headMsg:
		var check tea.Cmd
		if msg.head.Header.Height < a.height && !a.genesis.IsZero() {
			check = chainCheckCmd(a.c, a.genesis, a.height, a.headHash) // went back: a reset?
		}
		a.height, a.headHash = msg.head.Header.Height, msg.head.Header.Hash
		a.lastHead, a.probing = a.now(), false
		a.layoutTabs()
		var next tea.Cmd
		if a.sub != nil {
			if w := a.sub.TakeWarning(); w != nil { // a subtensor node that would not give a block
				a.setBanner(&banner{kind: bannerWarn, text: w.Error(), hint: "shown from its header only: no events or counts for it"})
			}
			next = waitHeadCmd(a.sub)
		}
		return tea.Batch(next, a.broadcast(msg), check), true
	case subEndedMsg:
		a.sub = nil
		if a.c.ctx().Err() != nil {
			return nil, true // the console is shutting down
		}
		err := msg.err
		if err == nil {
			err = errors.New("the chain ended the head subscription")
		}
		return a.connectionLost(err), true
	case reconnectMsg:
		return subscribeCmd(a.c), true
	}
	return nil, false
}

// connectionLost shows the banner and schedules a reconnect.
func (a *App) connectionLost(err error) tea.Cmd {
	first := !a.lost
	a.lost = true
	a.setBanner(&banner{kind: bannerWarn, text: "lost the connection to " + a.c.Network + ": " + err.Error(),
		hint: "reconnecting…; " + cmpOr(chainHint(err), "check the node")})
	var cmds []tea.Cmd
	if first {
		cmds = append(cmds, a.broadcast(connStateMsg{up: false}))
	}
	delay := a.opts.ReconnectDelay
	if delay <= 0 {
		delay = time.Second
	}
	// back off: 1, 2, 4, 8 times the delay, at most maxReconnectDelay
	delay = min(delay<<min(a.retries, 3), max(delay, maxReconnectDelay))
	a.retries++
	cmds = append(cmds, tea.Tick(delay, func(time.Time) tea.Msg { return reconnectMsg{} }))
	return tea.Batch(cmds...)
}
