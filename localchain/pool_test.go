package localchain

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

func TestPoolLimits(t *testing.T) {
	t.Parallel()
	c := openTest(t, WithPoolLimits(3, 1<<20))
	k := devKeys(t)
	to := k["Eve"].AccountID()
	for i := uint64(0); i < 3; i++ {
		if _, err := c.Submit(signTx(t, c, k["Bob"], i, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO})); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.Submit(signTx(t, c, k["Bob"], 3, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO}))
	if !errors.Is(err, protocol.ErrPoolFull) || !strings.Contains(err.Error(), "pool is full") {
		t.Fatalf("4th: %v", err)
	}
	seal(t, c)
	if _, err := c.Submit(signTx(t, c, k["Bob"], 3, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO})); err != nil {
		t.Fatalf("after a block drained the pool: %v", err)
	}
	// Byte limit.
	c2 := openTest(t, WithPoolLimits(100, 300))
	if _, err := c2.Submit(signTx(t, c2, k["Bob"], 0, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO})); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Submit(signTx(t, c2, k["Bob"], 1, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO})); !errors.Is(err, protocol.ErrPoolFull) {
		t.Fatalf("byte limit: %v", err)
	}
}

func TestPoolOrderingAndReplacement(t *testing.T) {
	t.Parallel()
	c := openTest(t, WithBlockLimits(3, 1<<20))
	k := devKeys(t)
	to := wallet.AccountID{0xBB}
	// Bob's nonces arrive out of order; they are included in nonce order.
	var bob []protocol.TxHash
	for _, n := range []uint64{2, 0, 1} {
		h, err := c.Submit(signTx(t, c, k["Bob"], n, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO}))
		if err != nil {
			t.Fatal(err)
		}
		bob = append(bob, h)
	}
	// Charlie tips more: his transaction goes first; Dave's same-nonce replacement needs a
	// higher tip.
	hc, _ := c.Submit(signTx(t, c, k["Charlie"], 0, 50, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO}))
	d1, err := c.Submit(signTx(t, c, k["Dave"], 0, 10, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Submit(signTx(t, c, k["Dave"], 0, 10, 0, protocol.Transfer{To: to, Amount: 2 * protocol.RaoPerTAO})); !errors.Is(err, protocol.ErrUnderpriced) {
		t.Fatalf("same tip replacement: %v", err)
	}
	d2, err := c.Submit(signTx(t, c, k["Dave"], 0, 20, 0, protocol.Transfer{To: to, Amount: 2 * protocol.RaoPerTAO}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitTx(context.Background(), d1); !errors.Is(err, protocol.ErrDropped) {
		t.Fatalf("replaced transaction: %v", err)
	}
	// Block limit 3: Charlie (50), Dave (20), then Bob's nonce 0 (tip 0).
	h := seal(t, c)
	b, _ := c.Block(h.Height)
	got := []protocol.TxHash{b.Txs[0].Hash, b.Txs[1].Hash, b.Txs[2].Hash}
	if want := []protocol.TxHash{hc, d2, bob[1]}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("block order %v, want %v", got, want)
	}
	h = seal(t, c)
	b, _ = c.Block(h.Height)
	if len(b.Txs) != 2 || b.Txs[0].Hash != bob[2] || b.Txs[1].Hash != bob[0] {
		t.Fatalf("second block %+v", b.Txs)
	}
}

func TestPoolFutureQueueAndEviction(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	to := k["Eve"].AccountID()
	// Nonce 1 waits for nonce 0.
	h1, err := c.Submit(signTx(t, c, k["Bob"], 1, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO}))
	if err != nil {
		t.Fatal(err)
	}
	if hdr := seal(t, c); hdr.TxCount != 0 {
		t.Fatal("a future nonce was included")
	}
	if n, _ := c.NextNonce(k["Bob"].AccountID()); n != 0 {
		t.Fatalf("next nonce with a gap: %d", n)
	}
	h0, _ := c.Submit(signTx(t, c, k["Bob"], 0, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO}))
	if n, _ := c.NextNonce(k["Bob"].AccountID()); n != 2 {
		t.Fatalf("next nonce after filling the gap: %d", n)
	}
	if hdr := seal(t, c); hdr.TxCount != 2 {
		t.Fatalf("block holds %d txs, want both", hdr.TxCount)
	}
	for _, h := range []protocol.TxHash{h0, h1} {
		if _, err := c.Tx(h); err != nil {
			t.Fatal(err)
		}
	}
	// An expiring transaction stuck behind a gap is evicted when it expires.
	he, err := c.Submit(signTx(t, c, k["Charlie"], 1, 0, c.Head().Height+1, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO}))
	if err != nil {
		t.Fatal(err)
	}
	seal(t, c)
	if c.IsPending(he) {
		t.Fatal("expired transaction still pending")
	}
	if _, err := c.WaitTx(context.Background(), he); !errors.Is(err, protocol.ErrExpired) {
		t.Fatalf("expired: %v", err)
	}
	// Re-check at inclusion: Dave empties his account, so his next transaction cannot pay its
	// fee and is dropped instead of included.
	dave := k["Dave"]
	fee := protocol.DefaultParams().TxFee
	all := balance(t, c, dave.AccountID()).Free - fee
	ha, _ := c.Submit(signTx(t, c, dave, 0, 0, 0, protocol.Transfer{To: to, Amount: all, AllowDeath: true}))
	hb, err := c.Submit(signTx(t, c, dave, 1, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO}))
	if err != nil {
		t.Fatal(err)
	}
	seal(t, c)
	if info, err := c.Tx(ha); err != nil || !info.Receipt.OK() {
		t.Fatalf("%+v %v", info, err)
	}
	if _, err := c.WaitTx(context.Background(), hb); !errors.Is(err, protocol.ErrUnfundedFee) {
		t.Fatalf("unfunded follow-up: %v", err)
	}
	if _, err := c.WaitTx(context.Background(), protocol.TxHash{9}); !errors.Is(err, protocol.ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}
}

func TestProducerPauseResumeAndSubscribers(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	if err := c.SetBlockTime(10 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ch, cancel := c.Subscribe(64)
	defer cancel()
	slow, cancelSlow := c.Subscribe(1) // never read until the end
	defer cancelSlow()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	last := uint64(0)
	for i := 0; i < 5; i++ {
		ev := <-ch
		if ev.Header.Height != last+1 {
			t.Fatalf("head %d after %d", ev.Header.Height, last)
		}
		last = ev.Header.Height
	}
	if info, _ := c.Info(); !info.Producing || info.BlockTimeMs != 10 {
		t.Fatalf("info %+v", info)
	}
	if err := c.Pause(); err != nil {
		t.Fatal(err)
	}
	// Drain what was sealed before the pause took effect, then wait 10 block times.
	deadline := time.After(100 * time.Millisecond)
	paused := c.Head().Height
drain:
	for {
		select {
		case ev := <-ch:
			paused = ev.Header.Height
		case <-deadline:
			break drain
		}
	}
	if h := c.Head().Height; h != paused {
		t.Fatalf("paused producer sealed block %d (after %d)", h, paused)
	}
	// Explicit blocks still work while paused.
	if _, err := c.Advance(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Resume(); err != nil {
		t.Fatal(err)
	}
	for ev := range ch {
		if ev.Header.Height > paused+4 {
			break
		}
	}
	c.Stop()
	if info, _ := c.Info(); info.Producing {
		t.Fatal("stopped producer still producing")
	}
	// The slow subscriber got the first head and counted the rest as missed.
	first := <-slow
	if first.Header.Height != 1 || first.Missed != 0 {
		t.Fatalf("slow subscriber first event %+v", first.Header)
	}
	if _, err := c.SealNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	next := <-slow
	if next.Missed != next.Header.Height-2 {
		t.Fatalf("slow subscriber: head %d with %d missed", next.Header.Height, next.Missed)
	}
	cancelSlow()
	if _, ok := <-slow; ok {
		t.Fatal("cancelled subscription still open")
	}
}

func TestAdvanceProgressAndCancel(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	var calls []uint64
	h, err := c.Advance(context.Background(), 600, func(done, total uint64) {
		if total != 600 {
			t.Errorf("total %d", total)
		}
		calls = append(calls, done)
	})
	if err != nil || h.Height != 600 {
		t.Fatalf("%+v %v", h, err)
	}
	if len(calls) < 3 || calls[len(calls)-1] != 600 {
		t.Fatalf("progress calls %v", calls)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i] <= calls[i-1] {
			t.Fatalf("progress not increasing: %v", calls)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err = c.Advance(ctx, 100_000, func(done, _ uint64) {
		if done >= 300 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled advance: %v", err)
	}
	if got := c.Head().Height; got < 900 || got > 1200 {
		t.Fatalf("cancelled advance stopped at %d", got)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	// Logical time: genesis time + height × 250 ms.
	if want := protocol.DevnetGenesis().TimestampMs + c.Head().Height*250; c.Head().TimestampMs != want {
		t.Fatalf("timestamp %d, want %d", c.Head().TimestampMs, want)
	}
}

// TestConcurrentUse runs submitters, queries and a 5 ms producer together (for -race), then
// closes the chain under load.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	c, err := Open(t.TempDir(), WithNoSync(true), WithBlockTime(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	k := devKeys(t)
	names := []string{"Alice", "Bob", "Charlie"}
	var wg sync.WaitGroup
	var included sync.Map
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			kp := k[name]
			for n := uint64(0); n < 20; n++ {
				raw := signTx(t, c, kp, n, 0, 0, protocol.Transfer{To: k[names[(i+1)%3]].AccountID(), Amount: protocol.RaoPerTAO})
				info, err := c.SubmitAndWait(waitCtx(t), raw)
				if err != nil {
					t.Errorf("%s nonce %d: %v", name, n, err)
					return
				}
				included.Store(info.Hash, true)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 50; i++ {
			if _, err := c.Info(); err != nil {
				t.Error(err)
			}
			c.Blocks(0, 5)
			c.Events(0, c.Head().Height)
		}
	}()
	wg.Wait()
	n := 0
	included.Range(func(_, _ any) bool { n++; return true })
	if n != 60 {
		t.Fatalf("%d included, want 60", n)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	// Close with a waiter pending: the waiter is released.
	h, err := c.Submit(signTx(t, c, k["Dave"], 5, 0, 0, protocol.Transfer{To: k["Eve"].AccountID(), Amount: protocol.RaoPerTAO}))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := c.WaitTx(context.Background(), h); done <- err }()
	for c.waiterCount() == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, protocol.ErrClosed) {
		t.Fatalf("waiter after close: %v", err)
	}
}

// TestLeftOutTransactionKeepsFollowersPending: when a block leaves a transaction out (its fee
// is no longer affordable), the signer's later nonces are not dropped with it.
func TestLeftOutTransactionKeepsFollowersPending(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	dave, to := k["Dave"], k["Eve"].AccountID()
	fee := protocol.DefaultParams().TxFee
	// Nonce 0 empties the account; nonce 1 cannot pay its fee; nonce 2 waits behind it.
	all := balance(t, c, dave.AccountID()).Free - fee
	c.Submit(signTx(t, c, dave, 0, 0, 0, protocol.Transfer{To: to, Amount: all, AllowDeath: true}))
	h1, _ := c.Submit(signTx(t, c, dave, 1, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO}))
	h2, err := c.Submit(signTx(t, c, dave, 2, 0, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO}))
	if err != nil {
		t.Fatal(err)
	}
	if hdr := seal(t, c); hdr.TxCount != 1 {
		t.Fatalf("block holds %d txs", hdr.TxCount)
	}
	if c.IsPending(h1) || !c.IsPending(h2) {
		t.Fatalf("pending: nonce 1 %v (want dropped), nonce 2 %v (want kept)", c.IsPending(h1), c.IsPending(h2))
	}
	// Funding Dave and resubmitting nonce 1 unblocks nonce 2.
	if _, err := c.DevFaucet(context.Background(), dave.AccountID(), 10*protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Submit(signTx(t, c, dave, 1, 1, 0, protocol.Transfer{To: to, Amount: protocol.RaoPerTAO})); err != nil {
		t.Fatal(err)
	}
	seal(t, c)
	if info, err := c.Tx(h2); err != nil || !info.Receipt.OK() {
		t.Fatalf("nonce 2: %+v %v", info, err)
	}
}

// TestProducerStopsOnInfrastructureFault: a failing database write stops the producer with
// a clear error instead of sealing half a block.
func TestProducerStopsOnInfrastructureFault(t *testing.T) {
	t.Parallel()
	c, err := Open(t.TempDir(), WithNoSync(true), WithBlockTime(2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	c.dbMu.Lock()
	c.db.Close() // the file disappears from under the producer
	c.dbMu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for c.ProducerErr() == nil {
		if time.Now().After(deadline) {
			t.Fatal("producer kept running on a closed database")
		}
		time.Sleep(time.Millisecond)
	}
	if msg := c.ProducerErr().Error(); !strings.Contains(msg, "block producer stopped") || !strings.Contains(msg, "produce block") {
		t.Fatalf("producer error %q", msg)
	}
	c.prodMu.Lock()
	running := c.prodStop != nil
	c.prodMu.Unlock()
	if running {
		t.Fatal("producer still marked running")
	}
}

// Once Pause has returned, the producer seals no further block: Pause waits for a block in
// progress, and the producer reads the flag under the same lock. Scripts rely on this to read
// a height that stays put.
func TestPauseIsImmediate(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	inBlock, release := make(chan struct{}), make(chan struct{})
	var armed atomic.Bool
	c.onCommit = func(*blockResult) {
		if armed.CompareAndSwap(true, false) {
			close(inBlock)
			<-release
		}
	}
	if err := c.SetBlockTime(time.Millisecond); err != nil {
		t.Fatal(err)
	}
	armed.Store(true)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	var once sync.Once
	releaseBlock := func() { once.Do(func() { close(release) }) }
	defer releaseBlock() // before Stop, which waits for the producer
	<-inBlock            // the producer is inside a block
	paused := make(chan error, 1)
	go func() { paused <- c.Pause() }()
	select {
	case err := <-paused:
		t.Fatalf("Pause returned (%v) while a block was still in progress", err)
	case <-time.After(20 * time.Millisecond):
	}
	releaseBlock()
	if err := <-paused; err != nil {
		t.Fatal(err)
	}
	h := c.Head().Height
	for i := 0; i < 10; i++ {
		time.Sleep(time.Millisecond) // producer ticks
		if got := c.Head().Height; got != h {
			t.Fatalf("height moved from %d to %d after Pause returned", h, got)
		}
	}
}
