package chainclient

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// NodeURLFile is the file in a devnet directory where a running `btui node` records the URL
// it serves, so that a btui that finds the database locked can name the URL to use.
const NodeURLFile = "node.url"

// Embedded is a Client over an in-process localchain.Chain.
type Embedded struct {
	chain  *localchain.Chain
	own    bool
	closed atomic.Bool

	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

var _ Client = (*Embedded)(nil)

// OpenEmbedded opens (creating with the devnet genesis if needed) the devnet in dir. If
// another process holds the database it fails at once with an error that names the --node
// flag (and the node's URL when a `btui node` recorded it); the error still matches
// protocol.ErrInUse. Close closes the database.
func OpenEmbedded(dir string, opts ...localchain.Option) (*Embedded, error) {
	c, err := localchain.Open(dir, opts...)
	if err != nil {
		if errors.Is(err, protocol.ErrInUse) {
			return nil, &InUseError{Dir: dir, URL: LiveNodeURL(dir), Err: err}
		}
		return nil, err
	}
	return &Embedded{chain: c, own: true, subs: map[*Subscription]struct{}{}}, nil
}

// NewEmbedded wraps an open chain. Close does not close a chain passed here; its owner does.
func NewEmbedded(c *localchain.Chain) *Embedded {
	return &Embedded{chain: c, subs: map[*Subscription]struct{}{}}
}

// Chain returns the underlying chain (for the producer controls of the process that owns it).
func (e *Embedded) Chain() *localchain.Chain { return e.chain }

// InUseError is returned by OpenEmbedded when another process holds the devnet database.
type InUseError struct {
	Dir string
	URL string // the URL a running `btui node` recorded and answers /health on, or ""
	Err error  // the *protocol.InUseError
}

// Error says who holds the database and names --node.
func (e *InUseError) Error() string {
	var pid string
	var le *protocol.InUseError
	if errors.As(e.Err, &le) && le.PID > 0 {
		pid = fmt.Sprintf(" (pid %d)", le.PID)
	}
	if e.URL == "" && le != nil && le.Cmdline != "" {
		return fmt.Sprintf("devnet %s is in use by pid %d (%s): wait for it to end or stop it; if it is a btui node, use --node URL", e.Dir, le.PID, le.Cmdline)
	}
	if e.URL != "" {
		return fmt.Sprintf("devnet %s is in use by a running btui node%s: use --node %s (or set BTUI_NODE)", e.Dir, pid, e.URL)
	}
	return fmt.Sprintf("devnet %s is in use by another btui%s: if it is `btui node`, use --node URL (or set BTUI_NODE); otherwise close it", e.Dir, pid)
}

// Unwrap returns the localchain error, so errors.Is(err, protocol.ErrInUse) holds.
func (e *InUseError) Unwrap() error { return e.Err }

// ReadNodeURL returns the URL recorded in dir by a running node, or "".
func ReadNodeURL(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, NodeURLFile))
	if err != nil {
		return ""
	}
	u := strings.TrimSpace(string(b))
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return ""
	}
	return u
}

// Endpoint returns "embedded:<dir>".
func (e *Embedded) Endpoint() string { return "embedded:" + e.chain.Dir() }

// Close ends the subscriptions made through this client and closes the chain if
// OpenEmbedded opened it. Closing twice is a no-op.
func (e *Embedded) Close() error {
	if e.closed.Swap(true) {
		return nil
	}
	e.mu.Lock()
	subs := make([]*Subscription, 0, len(e.subs))
	for s := range e.subs {
		subs = append(subs, s)
	}
	e.mu.Unlock()
	for _, s := range subs {
		s.Cancel()
		<-s.Done()
	}
	if !e.own {
		return nil
	}
	return e.chain.Close()
}

func (e *Embedded) check(ctx context.Context) error {
	if e.closed.Load() {
		return protocol.ErrClosed
	}
	return ctx.Err()
}

// Info implements Querier.
func (e *Embedded) Info(ctx context.Context) (protocol.ChainInfo, error) {
	if err := e.check(ctx); err != nil {
		return protocol.ChainInfo{}, err
	}
	return e.chain.Info()
}

// Account implements Querier.
func (e *Embedded) Account(ctx context.Context, id wallet.AccountID) (protocol.AccountInfo, error) {
	if err := e.check(ctx); err != nil {
		return protocol.AccountInfo{}, err
	}
	return e.chain.Account(id)
}

// NextNonce implements Querier.
func (e *Embedded) NextNonce(ctx context.Context, id wallet.AccountID) (uint64, error) {
	if err := e.check(ctx); err != nil {
		return 0, err
	}
	return e.chain.NextNonce(id)
}

// Block implements Querier.
func (e *Embedded) Block(ctx context.Context, height uint64) (*protocol.Block, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Block(height)
}

// BlockByHash implements Querier.
func (e *Embedded) BlockByHash(ctx context.Context, hash protocol.Hash) (*protocol.Block, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.BlockByHash(hash)
}

// Blocks implements Querier.
func (e *Embedded) Blocks(ctx context.Context, from uint64, n int) ([]protocol.BlockHeader, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Blocks(from, n)
}

// Tx implements Querier.
func (e *Embedded) Tx(ctx context.Context, hash protocol.TxHash) (*protocol.TxInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Tx(hash)
}

// IsPending implements Querier.
func (e *Embedded) IsPending(ctx context.Context, hash protocol.TxHash) (bool, error) {
	if err := e.check(ctx); err != nil {
		return false, err
	}
	return e.chain.IsPending(hash), nil
}

// Events implements Querier.
func (e *Embedded) Events(ctx context.Context, from, to uint64) ([]protocol.Event, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Events(from, to)
}

// AccountHistory implements Querier.
func (e *Embedded) AccountHistory(ctx context.Context, id wallet.AccountID, before uint64, limit int) ([]protocol.HistoryEntry, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.AccountHistory(id, before, limit)
}

// Genesis implements Querier.
func (e *Embedded) Genesis(ctx context.Context) (*protocol.Genesis, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Genesis(), nil
}

// Check implements Querier.
func (e *Embedded) Check(ctx context.Context) error {
	if err := e.check(ctx); err != nil {
		return err
	}
	return e.chain.Check()
}

// Submit implements Submitter.
func (e *Embedded) Submit(ctx context.Context, tx []byte) (protocol.TxHash, error) {
	if err := e.check(ctx); err != nil {
		return protocol.TxHash{}, err
	}
	return e.chain.Submit(tx)
}

// SubmitBatch implements Submitter.
func (e *Embedded) SubmitBatch(ctx context.Context, txs [][]byte) ([]protocol.SubmitResult, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.SubmitBatch(txs), nil
}

// WaitTx implements Submitter.
func (e *Embedded) WaitTx(ctx context.Context, hash protocol.TxHash) (*protocol.TxInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.WaitTx(ctx, hash)
}

// maxOnDemandSeals bounds the blocks SubmitAndWait seals for one transaction (a full pool can
// need several blocks before the transaction's turn).
const maxOnDemandSeals = 64

// SubmitAndWait implements Submitter: with no producer sealing on its own (none running in
// this process, or paused) it seals blocks on demand until the transaction is included.
func (e *Embedded) SubmitAndWait(ctx context.Context, tx []byte) (*protocol.TxInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	if e.chain.Producing() && !e.chain.Paused() {
		return e.chain.SubmitAndWait(ctx, tx)
	}
	h, err := e.chain.Submit(tx)
	if err != nil {
		return nil, err
	}
	for range maxOnDemandSeals {
		if !e.chain.IsPending(h) {
			break // included or dropped: WaitTx tells which
		}
		hdr, err := e.chain.SealNow(ctx)
		if err != nil {
			return nil, fmt.Errorf("seal a block for transaction %s: %w", h, err)
		}
		if hdr.TxCount == 0 && e.chain.IsPending(h) {
			// Nothing was ready: the transaction waits for an earlier nonce of its signer.
			return nil, fmt.Errorf("transaction %s is pending but not ready for a block: its nonce is ahead of the signer's next nonce; submit the missing nonces first (it stays in the pool)", h)
		}
	}
	return e.chain.WaitTx(ctx, h)
}

// Pause implements Devnet.
func (e *Embedded) Pause(ctx context.Context) error {
	if err := e.check(ctx); err != nil {
		return err
	}
	return e.chain.Pause()
}

// Resume implements Devnet.
func (e *Embedded) Resume(ctx context.Context) error {
	if err := e.check(ctx); err != nil {
		return err
	}
	return e.chain.Resume()
}

// Advance implements Devnet.
func (e *Embedded) Advance(ctx context.Context, n uint64, progress func(done, total uint64)) (protocol.BlockHeader, error) {
	if err := e.check(ctx); err != nil {
		return protocol.BlockHeader{}, err
	}
	if n == 0 {
		return e.chain.Head(), nil
	}
	return e.chain.Advance(ctx, n, progress)
}

// Faucet implements Devnet.
func (e *Embedded) Faucet(ctx context.Context, to wallet.AccountID, amount uint64) (*protocol.TxInfo, error) {
	return faucet(ctx, e, to, amount)
}

// Subscribe implements Subscriber.
func (e *Embedded) Subscribe(ctx context.Context, opts SubscribeOptions) (*Subscription, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	buf := opts.Buffer
	if buf <= 0 {
		buf = DefaultSubscribeBuffer
	}
	// Subscribe before reading the head, so that no head falls between the two.
	live, cancelLive := e.chain.Subscribe(buf)
	out := make(chan protocol.HeadEvent, buf)
	ctx, cancel := context.WithCancel(ctx)
	sub := newSubscription(out, cancel)
	next := opts.From
	if next == 0 {
		next = e.chain.Head().Height + 1
	}
	f := &follower{chain: e.chain, out: out, next: next}
	e.mu.Lock()
	e.subs[sub] = struct{}{}
	e.mu.Unlock()
	if e.closed.Load() {
		cancel() // Close ran while we subscribed
	}
	go func() {
		defer cancel()
		err := f.run(ctx, live)
		cancelLive()
		close(out)
		e.mu.Lock()
		delete(e.subs, sub)
		e.mu.Unlock()
		sub.finish(err)
	}()
	return sub, nil
}

// follower turns the chain's lossy head feed into an ordered, gap-free stream by reading the
// heads it missed back from storage.
type follower struct {
	chain    *localchain.Chain
	out      chan<- protocol.HeadEvent
	next     uint64 // the next height to deliver
	lastHash protocol.Hash
	missed   uint64 // heads skipped beyond MaxBackfill, reported with the next delivery
}

func (f *follower) send(ctx context.Context, ev protocol.HeadEvent) bool {
	ev.Missed = f.missed
	if ev.Events == nil {
		ev.Events = []protocol.Event{}
	}
	select {
	case f.out <- ev:
		f.missed = 0
		f.next = ev.Header.Height + 1
		f.lastHash = ev.Header.Hash
		return true
	case <-ctx.Done():
		return false
	}
}

func (f *follower) run(ctx context.Context, live <-chan protocol.HeadEvent) error {
	if err := f.catchUp(ctx, f.chain.Head().Height); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-live:
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				return protocol.ErrClosed
			}
			h := ev.Header.Height
			// A head below f.next was either read from storage already (skip it) or the
			// chain was rewound (restore, reset) below what we delivered, or replaced at the
			// same height: continue from it.
			if h < f.next && (f.chain.Head().Height+1 < f.next || (h+1 == f.next && ev.Header.Hash != f.lastHash)) {
				f.next = h
			}
			if h > f.next {
				if err := f.catchUp(ctx, h-1); err != nil {
					return err
				}
			}
			if h == f.next && !f.send(ctx, ev) {
				return nil
			}
			// Heads dropped from the full live feed after this one are only in storage: the
			// head tells. (A head committed later either reaches the live feed or finds it
			// full, and then the event in it wakes us up to look again.)
			if head := f.chain.Head().Height; head >= f.next {
				if err := f.catchUp(ctx, head); err != nil {
					return err
				}
			}
		}
	}
}

// catchUp delivers heights f.next..to from storage, at most MaxBackfill of them.
func (f *follower) catchUp(ctx context.Context, to uint64) error {
	if to < f.next {
		return nil
	}
	if to-f.next+1 > MaxBackfill {
		skip := to - f.next + 1 - MaxBackfill
		f.missed += skip
		f.next += skip
	}
	const page = 256
	for f.next <= to {
		end := min(to, f.next+page-1)
		hdrs, err := f.chain.Blocks(f.next, int(end-f.next+1))
		if err != nil {
			return err
		}
		if len(hdrs) == 0 {
			return nil // rewound under us: the live feed continues from the new head
		}
		last := hdrs[len(hdrs)-1].Height
		evs, err := f.chain.Events(hdrs[0].Height, last)
		if err != nil {
			return err
		}
		byHeight := map[uint64][]protocol.Event{}
		for _, ev := range evs {
			byHeight[ev.Height] = append(byHeight[ev.Height], ev)
		}
		for _, h := range hdrs {
			evs := byHeight[h.Height]
			if evs == nil {
				evs = []protocol.Event{}
			}
			if !f.send(ctx, protocol.HeadEvent{Header: h, Events: evs}) {
				return nil
			}
		}
	}
	return nil
}
