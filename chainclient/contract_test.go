package chainclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The contract: every test below runs unchanged against chainclient.Embedded and against
// chainclient.Remote talking to a real node (rpcserver over a real chain) on a loopback port.

func TestContractQueriesOnGenesis(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		info, err := c.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.Height != 0 || info.GenesisHash != im.chain.GenesisHash() || info.Token != "TAO" || info.Decimals != 9 || info.SS58Prefix != 42 {
			t.Fatalf("info = %+v", info)
		}
		if info.Sudo != dev(t, "Alice").AccountID() {
			t.Fatalf("sudo = %s, want Alice", info.Sudo)
		}
		alice, err := c.Account(ctx, dev(t, "Alice").AccountID())
		if err != nil {
			t.Fatal(err)
		}
		if alice.Free != 1_000_000*protocol.RaoPerTAO || alice.Nonce != 0 || alice.Address != dev(t, "Alice").AccountID() {
			t.Fatalf("alice = %+v", alice)
		}
		var nobody wallet.AccountID
		nobody[0] = 7
		if a, err := c.Account(ctx, nobody); err != nil || a.Free != 0 || a.Nonce != 0 {
			t.Fatalf("unknown account = %+v, %v", a, err)
		}
		if n, err := c.NextNonce(ctx, dev(t, "Bob").AccountID()); err != nil || n != 0 {
			t.Fatalf("next nonce = %d, %v", n, err)
		}
		g, err := c.Genesis(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := im.chain.Genesis()
		gc, _ := g.Canonical()
		wc, _ := want.Canonical()
		if string(gc) != string(wc) {
			t.Fatalf("genesis differs:\n%s\nwant\n%s", gc, wc)
		}
		b0, err := c.Block(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if b0.Header.Height != 0 || b0.Header.Hash != info.Head || b0.GenesisHash != info.GenesisHash {
			t.Fatalf("block 0 = %+v", b0.Header)
		}
		byHash, err := c.BlockByHash(ctx, info.Head)
		if err != nil || byHash.Header != b0.Header {
			t.Fatalf("block by hash = %+v, %v", byHash, err)
		}
		hdrs, err := c.Blocks(ctx, 0, 10)
		if err != nil || len(hdrs) != 1 || hdrs[0] != b0.Header {
			t.Fatalf("blocks = %+v, %v", hdrs, err)
		}
		if evs, err := c.Events(ctx, 0, 0); err != nil || len(evs) != 0 {
			t.Fatalf("events = %+v, %v", evs, err)
		}
		if hist, err := c.AccountHistory(ctx, dev(t, "Alice").AccountID(), 0, 10); err != nil || len(hist) != 0 {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		if err := c.Check(ctx); err != nil {
			t.Fatalf("check: %v", err)
		}
	})
}

func TestContractNotFoundAndBadQueries(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		var h protocol.Hash
		h[5] = 1
		if _, err := c.Block(ctx, 99); !errors.Is(err, protocol.ErrNotFound) {
			t.Fatalf("block 99: %v", err)
		}
		if _, err := c.BlockByHash(ctx, h); !errors.Is(err, protocol.ErrNotFound) {
			t.Fatalf("block by hash: %v", err)
		}
		if _, err := c.Tx(ctx, h); !errors.Is(err, protocol.ErrNotFound) {
			t.Fatalf("tx: %v", err)
		}
		if _, err := c.WaitTx(ctx, h); !errors.Is(err, protocol.ErrNotFound) {
			t.Fatalf("wait for unknown tx: %v", err)
		}
		if _, err := c.Events(ctx, 5, 1); !errors.Is(err, protocol.ErrBadRange) {
			t.Fatalf("events 5..1: %v, want ErrBadRange", err)
		}
		if _, err := c.Restore(ctx, "nothing-here"); !errors.Is(err, protocol.ErrNotFound) {
			t.Fatalf("restore missing snapshot: %v", err)
		}
		if _, err := c.Snapshot(ctx, "bad/name"); !errors.Is(err, protocol.ErrInvalidName) {
			t.Fatalf("snapshot bad name: %v", err)
		}
	})
}

func TestContractSubmitAndWaitSuccess(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		alice, bob := dev(t, "Alice"), dev(t, "Bob")
		before, _ := c.Account(ctx, bob.AccountID())
		tx := signed(t, c, alice, protocol.Transfer{To: bob.AccountID(), Amount: 3 * protocol.RaoPerTAO}, chainclient.SignOptions{})
		// No producer runs: SubmitAndWait seals a block on demand.
		info, err := c.SubmitAndWait(ctx, tx)
		if err != nil {
			t.Fatal(err)
		}
		if !info.Receipt.OK() || info.Height != 1 || info.Index != 0 || info.Signer != alice.AccountID() || info.Nonce != 0 {
			t.Fatalf("tx info = %+v", info)
		}
		if info.Call.Module != "balances" || info.Call.Method != "transfer" || len(info.Events) == 0 {
			t.Fatalf("call/events = %+v %+v", info.Call, info.Events)
		}
		after, _ := c.Account(ctx, bob.AccountID())
		if after.Free-before.Free != 3*protocol.RaoPerTAO {
			t.Fatalf("bob received %d rao", after.Free-before.Free)
		}
		got, err := c.Tx(ctx, info.Hash)
		if err != nil || !reflect.DeepEqual(got, info) {
			t.Fatalf("tx query = %+v, %v\nwant %+v", got, err, info)
		}
		waited, err := c.WaitTx(ctx, info.Hash)
		if err != nil || waited.Height != 1 {
			t.Fatalf("wait for included tx = %+v, %v", waited, err)
		}
		b1, err := c.Block(ctx, 1)
		if err != nil || len(b1.Txs) != 1 || b1.Txs[0].Hash != info.Hash || b1.Header.TxCount != 1 {
			t.Fatalf("block 1 = %+v, %v", b1, err)
		}
		if byHash, err := c.BlockByHash(ctx, b1.Header.Hash); err != nil || byHash.Header != b1.Header {
			t.Fatalf("block by hash: %+v, %v", byHash, err)
		}
		evs, err := c.Events(ctx, 1, 1)
		if err != nil || len(evs) == 0 || evs[0].Module != "balances" || evs[0].Name != "Transfer" {
			t.Fatalf("events = %+v, %v", evs, err)
		}
		for _, who := range []*wallet.Keypair{alice, bob} {
			hist, err := c.AccountHistory(ctx, who.AccountID(), 0, 10)
			if err != nil || len(hist) != 1 || hist[0].Hash != info.Hash || hist[0].Height != 1 {
				t.Fatalf("history of %s = %+v, %v", who.AccountID(), hist, err)
			}
		}
		if n, err := c.NextNonce(ctx, alice.AccountID()); err != nil || n != 1 {
			t.Fatalf("next nonce = %d, %v", n, err)
		}
		// The same bytes again: already included.
		if _, err := c.Submit(ctx, tx); err == nil {
			t.Fatal("resubmitting an included transaction succeeded")
		} else if _, ok := protocol.CodeOf(err); !ok {
			t.Fatalf("resubmit: error without a code: %v", err)
		}
		if err := c.Check(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestContractFailureReceipt(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		dave, eve := dev(t, "Dave"), dev(t, "Eve")
		before, _ := c.Account(ctx, dave.AccountID())
		info0, _ := c.Info(ctx)
		tx := signed(t, c, dave, protocol.Transfer{To: eve.AccountID(), Amount: 5_000 * protocol.RaoPerTAO}, chainclient.SignOptions{})
		info, err := c.SubmitAndWait(ctx, tx)
		if err != nil {
			t.Fatalf("a failing call is included, not an error: %v", err)
		}
		if info.Receipt.OK() || info.Receipt.Code != protocol.CodeInsufficientBalance || info.Receipt.CodeName != "insufficient_balance" || info.Receipt.Message == "" {
			t.Fatalf("receipt = %+v", info.Receipt)
		}
		after, _ := c.Account(ctx, dave.AccountID())
		if before.Free-after.Free != info0.TxFee || after.Nonce != 1 {
			t.Fatalf("dave paid %d (fee %d), nonce %d", before.Free-after.Free, info0.TxFee, after.Nonce)
		}
	})
}

func TestContractRejections(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		alice, bob := dev(t, "Alice"), dev(t, "Bob")
		good := signed(t, c, alice, protocol.Transfer{To: bob.AccountID(), Amount: protocol.RaoPerTAO}, chainclient.SignOptions{})

		badSig := append([]byte(nil), good...)
		badSig[len(badSig)-10] ^= 0xff
		_, err := c.Submit(ctx, badSig)
		if !errors.Is(err, protocol.ErrBadSignature) && !errors.Is(err, protocol.ErrHighS) {
			t.Fatalf("bad signature: %v", err)
		}

		_, err = c.Submit(ctx, []byte("definitely not a transaction, but long enough to be decoded as one........................................."))
		if _, ok := protocol.CodeOf(err); !ok {
			t.Fatalf("garbage: %v", err)
		}
		_, err = c.SubmitAndWait(ctx, good[:40])
		wantCode(t, err, protocol.CodeMalformed)

		self := signed(t, c, alice, protocol.Transfer{To: alice.AccountID(), Amount: 1}, chainclient.SignOptions{})
		_, err = c.Submit(ctx, self)
		wantCode(t, err, protocol.CodeSelfTransfer)

		gap := signed(t, c, alice, protocol.Transfer{To: bob.AccountID(), Amount: protocol.RaoPerTAO}, chainclient.SignOptions{Nonce: nonce(1000)})
		_, err = c.Submit(ctx, gap)
		wantCode(t, err, protocol.CodeNonceGap)

		// A nonce a little ahead is accepted into the pool but cannot be sealed: SubmitAndWait
		// says so instead of sealing empty blocks or waiting forever.
		ahead := signed(t, c, alice, protocol.Transfer{To: bob.AccountID(), Amount: protocol.RaoPerTAO}, chainclient.SignOptions{Nonce: nonce(5)})
		if _, err := c.SubmitAndWait(ctx, ahead); err == nil || !strings.Contains(err.Error(), "not ready") {
			t.Fatalf("submit and wait with a nonce gap: %v", err)
		}
		if info, _ := c.Info(ctx); info.Height != 1 {
			t.Fatalf("sealed %d blocks for a transaction that could not go in", info.Height)
		}
		if _, err := c.Reset(ctx, nil); err != nil { // empties the pool
			t.Fatal(err)
		}

		other := protocol.NewTx(protocol.Hash{1}, protocol.Transfer{To: bob.AccountID(), Amount: 1}, alice.AccountID(), 0, 0, 0)
		if err := other.Sign(alice); err != nil {
			t.Fatal(err)
		}
		_, err = c.Submit(ctx, other.Encode())
		if !errors.Is(err, protocol.ErrWrongChain) {
			t.Fatalf("wrong chain: %v", err)
		}

		if _, err := c.Submit(ctx, good); err != nil {
			t.Fatal(err)
		}
		_, err = c.Submit(ctx, good)
		if !errors.Is(err, protocol.ErrDuplicate) {
			t.Fatalf("duplicate: %v", err)
		}
		// Nothing rejected reached a block.
		if _, err := c.Advance(ctx, 1, nil); err != nil {
			t.Fatal(err)
		}
		b, _ := c.Block(ctx, 1)
		if len(b.Txs) != 1 {
			t.Fatalf("block 1 holds %d transactions, want only the good one", len(b.Txs))
		}
	})
}

func TestContractSubmitBatchAndWait(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		alice, charlie := dev(t, "Alice"), dev(t, "Charlie")
		var txs [][]byte
		for i := range uint64(10) {
			txs = append(txs, signed(t, c, alice, protocol.Transfer{To: charlie.AccountID(), Amount: (i + 1) * protocol.RaoPerTAO}, chainclient.SignOptions{Nonce: nonce(i)}))
		}
		txs = append(txs, []byte{1, 2, 3})
		res, err := c.SubmitBatch(ctx, txs)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 11 {
			t.Fatalf("%d results", len(res))
		}
		for i, r := range res[:10] {
			if r.Err != nil || r.Hash.IsZero() {
				t.Fatalf("result %d = %+v", i, r)
			}
		}
		wantCode(t, res[10].Err, protocol.CodeMalformed)
		if p, err := c.IsPending(ctx, res[3].Hash); err != nil || !p {
			t.Fatalf("is pending = %v, %v", p, err)
		}
		if n, _ := c.NextNonce(ctx, alice.AccountID()); n != 10 {
			t.Fatalf("next nonce with 10 pending = %d", n)
		}
		if info, _ := c.Info(ctx); info.PendingTxs != 10 {
			t.Fatalf("pending = %d", info.PendingTxs)
		}

		// WaitTx blocks until a block includes the transaction.
		type waited struct {
			info *protocol.TxInfo
			err  error
		}
		ch := make(chan waited, 1)
		go func() {
			info, err := c.WaitTx(ctx, res[9].Hash)
			ch <- waited{info, err}
		}()
		select {
		case w := <-ch:
			t.Fatalf("WaitTx returned before any block: %+v %v", w.info, w.err)
		case <-time.After(50 * time.Millisecond):
		}
		if _, err := c.Advance(ctx, 1, nil); err != nil {
			t.Fatal(err)
		}
		w := <-ch
		if w.err != nil || w.info.Height != 1 || w.info.Nonce != 9 || !w.info.Receipt.OK() {
			t.Fatalf("waited = %+v, %v", w.info, w.err)
		}
		if p, err := c.IsPending(ctx, res[3].Hash); err != nil || p {
			t.Fatalf("is pending after inclusion = %v, %v", p, err)
		}
		b, _ := c.Block(ctx, 1)
		if len(b.Txs) != 10 {
			t.Fatalf("block holds %d transactions", len(b.Txs))
		}

		// A wait that outlives its context ends with the context's error.
		pending := signed(t, c, alice, protocol.Transfer{To: charlie.AccountID(), Amount: 1 * protocol.RaoPerTAO}, chainclient.SignOptions{})
		h, err := c.Submit(ctx, pending)
		if err != nil {
			t.Fatal(err)
		}
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if _, err := c.WaitTx(short, h); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("wait past deadline: %v", err)
		}
	})
}

func TestContractSubmitAndWaitWithProducer(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		if err := im.chain.SetBlockTime(20 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if err := im.chain.Start(); err != nil {
			t.Fatal(err)
		}
		alice, bob := dev(t, "Alice"), dev(t, "Bob")
		var wg sync.WaitGroup
		errs := make(chan error, 5)
		for i := range uint64(5) {
			tx := signed(t, c, alice, protocol.Transfer{To: bob.AccountID(), Amount: protocol.RaoPerTAO}, chainclient.SignOptions{Nonce: nonce(i)})
			wg.Add(1)
			go func() {
				defer wg.Done()
				info, err := c.SubmitAndWait(ctx, tx)
				if err == nil && !info.Receipt.OK() {
					err = errors.New(info.Receipt.Message)
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if a, _ := c.Account(ctx, alice.AccountID()); a.Nonce != 5 {
			t.Fatalf("alice nonce = %d", a.Nonce)
		}
		// Paused: SubmitAndWait still gets its block, sealed on demand.
		if err := c.Pause(ctx); err != nil {
			t.Fatal(err)
		}
		tx := signed(t, c, alice, protocol.Transfer{To: bob.AccountID(), Amount: protocol.RaoPerTAO}, chainclient.SignOptions{})
		info, err := c.SubmitAndWait(ctx, tx)
		if err != nil || !info.Receipt.OK() {
			t.Fatalf("submit while paused: %+v %v", info, err)
		}
	})
}

func TestContractSubscribe(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		alice, bob := dev(t, "Alice"), dev(t, "Bob")
		if _, err := c.Advance(ctx, 2, nil); err != nil {
			t.Fatal(err)
		}
		sub, err := c.Subscribe(ctx, chainclient.SubscribeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// From a past height: storage first, then live.
		past, err := c.Subscribe(ctx, chainclient.SubscribeOptions{From: 1})
		if err != nil {
			t.Fatal(err)
		}
		tx := signed(t, c, alice, protocol.Transfer{To: bob.AccountID(), Amount: protocol.RaoPerTAO}, chainclient.SignOptions{})
		info, err := c.SubmitAndWait(ctx, tx) // block 3
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Advance(ctx, 2, nil); err != nil { // blocks 4, 5
			t.Fatal(err)
		}
		for _, h := range []uint64{3, 4, 5} {
			ev := recv(t, sub)
			if ev.Header.Height != h || ev.Missed != 0 {
				t.Fatalf("head %d: got %+v", h, ev.Header)
			}
			if h == 3 && (len(ev.Events) == 0 || ev.Events[0].Name != "Transfer" || ev.Header.TxCount != 1) {
				t.Fatalf("head 3 events = %+v", ev.Events)
			}
		}
		for h := uint64(1); h <= 5; h++ {
			ev := recv(t, past)
			if ev.Header.Height != h {
				t.Fatalf("past subscription: height %d, want %d", ev.Header.Height, h)
			}
			b, _ := c.Block(ctx, h)
			if ev.Header != b.Header {
				t.Fatalf("head %d differs from the stored block", h)
			}
			if h == 3 && (len(ev.Events) != len(info.Events) || ev.Events[0].Attr("amount") != info.Events[0].Attr("amount")) {
				t.Fatalf("backfilled events = %+v, want %+v", ev.Events, info.Events)
			}
		}
		sub.Cancel()
		for range sub.C {
		}
		<-sub.Done()
		if err := sub.Err(); err != nil {
			t.Fatalf("err after cancel = %v", err)
		}
		past.Cancel()
		<-past.Done()
	})
}

func TestContractSlowSubscriberNeverStallsProduction(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		sub, err := c.Subscribe(ctx, chainclient.SubscribeOptions{Buffer: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Cancel()
		// Nobody reads while 300 blocks are produced: production must not wait.
		start := time.Now()
		head, err := c.Advance(ctx, 300, nil)
		if err != nil || head.Height != 300 {
			t.Fatalf("advance = %+v, %v", head, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("advance took %v with a stuck subscriber", d)
		}
		// The subscriber lags but gets every head, once, in order.
		for h := uint64(1); h <= 300; h++ {
			ev := recv(t, sub)
			if ev.Header.Height != h || ev.Missed != 0 {
				t.Fatalf("got height %d (missed %d), want %d", ev.Header.Height, ev.Missed, h)
			}
		}
	})
}

func TestContractDevnetControls(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		if err := c.Pause(ctx); err != nil {
			t.Fatal(err)
		}
		if info, _ := c.Info(ctx); !info.Paused {
			t.Fatal("not paused")
		}
		if err := c.Resume(ctx); err != nil {
			t.Fatal(err)
		}
		if info, _ := c.Info(ctx); info.Paused {
			t.Fatal("still paused")
		}
		var mu sync.Mutex
		var last [2]uint64
		calls := 0
		head, err := c.Advance(ctx, 600, func(done, total uint64) {
			mu.Lock()
			defer mu.Unlock()
			if done < last[0] || total != 600 {
				t.Errorf("progress %d/%d after %d", done, total, last[0])
			}
			last = [2]uint64{done, total}
			calls++
		})
		if err != nil || head.Height != 600 {
			t.Fatalf("advance = %+v, %v", head, err)
		}
		if last != [2]uint64{600, 600} || calls == 0 {
			t.Fatalf("last progress %v after %d calls", last, calls)
		}

		var fresh wallet.AccountID
		fresh[31] = 9
		info, err := c.Faucet(ctx, fresh, 10*protocol.RaoPerTAO)
		if err != nil || !info.Receipt.OK() {
			t.Fatalf("faucet = %+v, %v", info, err)
		}
		if a, _ := c.Account(ctx, fresh); a.Free != 10*protocol.RaoPerTAO {
			t.Fatalf("faucet balance = %d", a.Free)
		}
		info, err = c.Faucet(ctx, fresh, 10_000_000*protocol.RaoPerTAO)
		if err != nil || info.Receipt.Code != protocol.CodeFaucetLimit {
			t.Fatalf("faucet over the limit = %+v, %v", info, err)
		}

		snap, err := c.Snapshot(ctx, "before")
		if err != nil || snap.Name != "before" || snap.Height != 602 {
			t.Fatalf("snapshot = %+v, %v", snap, err)
		}
		list, err := c.Snapshots(ctx)
		if err != nil || len(list) != 1 || list[0].Name != "before" || list[0].Head != snap.Head {
			t.Fatalf("snapshots = %+v, %v", list, err)
		}
		if _, err := c.Advance(ctx, 5, nil); err != nil {
			t.Fatal(err)
		}
		restored, err := c.Restore(ctx, "before")
		if err != nil || restored.Height != 602 || restored.Head != snap.Head {
			t.Fatalf("restore = %+v, %v", restored, err)
		}
		if info, _ := c.Info(ctx); info.Height != 602 {
			t.Fatalf("height after restore = %d", info.Height)
		}
		g, err := c.Reset(ctx, nil)
		if err != nil || g.Height != 0 {
			t.Fatalf("reset = %+v, %v", g, err)
		}
		if a, _ := c.Account(ctx, fresh); a.Free != 0 {
			t.Fatal("reset kept the faucet's balance")
		}
		if err := c.Check(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestContractSubscriptionSurvivesRestore(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		if _, err := c.Advance(ctx, 3, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Snapshot(ctx, "at3"); err != nil {
			t.Fatal(err)
		}
		sub, err := c.Subscribe(ctx, chainclient.SubscribeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Cancel()
		if _, err := c.Advance(ctx, 5, nil); err != nil {
			t.Fatal(err)
		}
		for h := uint64(4); h <= 8; h++ {
			if ev := recv(t, sub); ev.Header.Height != h {
				t.Fatalf("height %d, want %d", ev.Header.Height, h)
			}
		}
		snap, err := c.Restore(ctx, "at3")
		if err != nil {
			t.Fatal(err)
		}
		// The restored head comes next (its height is below what was delivered), then new blocks.
		if ev := recv(t, sub); ev.Header.Height != 3 || ev.Header.Hash != snap.Head {
			t.Fatalf("after restore: head %d %s, want 3 %s", ev.Header.Height, ev.Header.Hash, snap.Head)
		}
		if _, err := c.Advance(ctx, 1, nil); err != nil {
			t.Fatal(err)
		}
		if ev := recv(t, sub); ev.Header.Height != 4 {
			t.Fatalf("after restore: height %d, want 4", ev.Header.Height)
		}
		// Reset: the genesis head, then block 1.
		if _, err := c.Reset(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if ev := recv(t, sub); ev.Header.Height != 0 {
			t.Fatalf("after reset: height %d, want 0", ev.Header.Height)
		}
		if _, err := c.Advance(ctx, 1, nil); err != nil {
			t.Fatal(err)
		}
		if ev := recv(t, sub); ev.Header.Height != 1 {
			t.Fatalf("after reset: height %d, want 1", ev.Header.Height)
		}
	})
}

func TestContractChainClosed(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		sub, err := c.Subscribe(ctx, chainclient.SubscribeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := im.chain.Close(); err != nil {
			t.Fatal(err)
		}
		select {
		case <-sub.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("subscription did not end when the chain closed")
		}
		if !errors.Is(sub.Err(), protocol.ErrClosed) {
			t.Fatalf("subscription err = %v", sub.Err())
		}
		if _, err := c.Info(ctx); !errors.Is(err, protocol.ErrClosed) {
			t.Fatalf("info on a closed chain: %v", err)
		}
		if _, err := c.Submit(ctx, []byte{1}); err == nil {
			t.Fatal("submit on a closed chain succeeded")
		}
	})
}

func TestContractClientClose(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		sub, err := c.Subscribe(ctx, chainclient.SubscribeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatalf("second close: %v", err)
		}
		if _, err := c.Info(ctx); !errors.Is(err, protocol.ErrClosed) {
			t.Fatalf("info after close: %v", err)
		}
		select {
		case <-sub.Done(): // Close ends the client's subscriptions
		case <-time.After(10 * time.Second):
			t.Fatal("subscription outlived Close")
		}
		if err := sub.Err(); err != nil {
			t.Fatalf("subscription error after Close: %v", err)
		}
		if _, err := c.Subscribe(ctx, chainclient.SubscribeOptions{}); !errors.Is(err, protocol.ErrClosed) {
			t.Fatalf("subscribe after close: %v", err)
		}
	})
}

func TestContractSubscribeFromFarBack(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		const n = chainclient.MaxBackfill + 904
		if _, err := c.Advance(ctx, n, nil); err != nil {
			t.Fatal(err)
		}
		sub, err := c.Subscribe(ctx, chainclient.SubscribeOptions{From: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Cancel()
		// Only the newest MaxBackfill heads are read back; the first says how many were skipped.
		first := recv(t, sub)
		if first.Header.Height != 905 || first.Missed != 904 {
			t.Fatalf("first head %d missed %d, want 905 and 904", first.Header.Height, first.Missed)
		}
		for h := uint64(906); h <= n; h++ {
			if ev := recv(t, sub); ev.Header.Height != h || ev.Missed != 0 {
				t.Fatalf("head %d (missed %d), want %d", ev.Header.Height, ev.Missed, h)
			}
		}
	})
}

func TestContractHistoryPaging(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		alice, bob := dev(t, "Alice"), dev(t, "Bob")
		var hashes []protocol.TxHash
		for range 3 {
			tx := signed(t, c, alice, protocol.Transfer{To: bob.AccountID(), Amount: protocol.RaoPerTAO}, chainclient.SignOptions{})
			info, err := c.SubmitAndWait(ctx, tx)
			if err != nil {
				t.Fatal(err)
			}
			hashes = append(hashes, info.Hash)
		}
		all, err := c.AccountHistory(ctx, bob.AccountID(), 0, 10)
		if err != nil || len(all) != 3 || all[0].Hash != hashes[2] || all[2].Hash != hashes[0] {
			t.Fatalf("history = %+v, %v", all, err)
		}
		page, err := c.AccountHistory(ctx, bob.AccountID(), all[0].Height, 1)
		if err != nil || len(page) != 1 || page[0].Hash != hashes[1] {
			t.Fatalf("history before %d = %+v, %v", all[0].Height, page, err)
		}
		if none, err := c.AccountHistory(ctx, bob.AccountID(), 1, 10); err != nil || len(none) != 0 {
			t.Fatalf("history before block 1 = %+v, %v", none, err)
		}
		hdrs, err := c.Blocks(ctx, 2, 100)
		if err != nil || len(hdrs) != 2 || hdrs[0].Height != 2 || hdrs[1].Height != 3 {
			t.Fatalf("blocks from 2 = %+v, %v", hdrs, err)
		}
		if hdrs, err := c.Blocks(ctx, 0, 0); err != nil || len(hdrs) != 0 {
			t.Fatalf("zero blocks = %+v, %v", hdrs, err)
		}
	})
}

// TestRemoteAnswersLikeEmbedded reads one chain through both clients at once: every answer
// must be the same JSON (the node adds or loses nothing on the wire).
func TestRemoteAnswersLikeEmbedded(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	emb := chainclient.NewEmbedded(chain)
	_, url := serveNode(t, chain, rpcserver.Options{})
	rem := newRemote(t, url)
	ctx := ctxT(t)
	alice, bob, dave := dev(t, "Alice"), dev(t, "Bob"), dev(t, "Dave")
	var hashes []protocol.TxHash
	for _, tx := range [][]byte{
		signed(t, emb, alice, protocol.Transfer{To: bob.AccountID(), Amount: 5 * protocol.RaoPerTAO}, chainclient.SignOptions{Tip: 7}),
		signed(t, emb, dave, protocol.Transfer{To: bob.AccountID(), Amount: 9_999 * protocol.RaoPerTAO}, chainclient.SignOptions{}),
	} {
		info, err := emb.SubmitAndWait(ctx, tx)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, info.Hash)
	}
	if _, err := rem.Faucet(ctx, dave.AccountID(), protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	if _, err := emb.Advance(ctx, 12, nil); err != nil { // past an epoch of subnet 1
		t.Fatal(err)
	}
	same := func(what string, a, b any, errA, errB error) {
		t.Helper()
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v / %v", what, errA, errB)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Fatalf("%s differs:\nembedded %s\nremote   %s", what, ja, jb)
		}
	}
	ie, err1 := emb.Info(ctx)
	ir, err2 := rem.Info(ctx)
	same("info", ie, ir, err1, err2)
	for h := uint64(0); h <= ie.Height; h++ {
		be, err1 := emb.Block(ctx, h)
		br, err2 := rem.Block(ctx, h)
		same(fmt.Sprintf("block %d", h), be, br, err1, err2)
	}
	he, err1 := emb.Blocks(ctx, 0, 100)
	hr, err2 := rem.Blocks(ctx, 0, 100)
	same("blocks", he, hr, err1, err2)
	ee, err1 := emb.Events(ctx, 0, ie.Height)
	er, err2 := rem.Events(ctx, 0, ie.Height)
	same("events", ee, er, err1, err2)
	for _, h := range hashes {
		te, err1 := emb.Tx(ctx, h)
		tr, err2 := rem.Tx(ctx, h)
		same("tx", te, tr, err1, err2)
	}
	for _, who := range []*wallet.Keypair{alice, bob, dave} {
		ae, err1 := emb.Account(ctx, who.AccountID())
		ar, err2 := rem.Account(ctx, who.AccountID())
		same("account", ae, ar, err1, err2)
		xe, err1 := emb.AccountHistory(ctx, who.AccountID(), 0, 100)
		xr, err2 := rem.AccountHistory(ctx, who.AccountID(), 0, 100)
		same("history", xe, xr, err1, err2)
	}
	ge, err1 := emb.Genesis(ctx)
	gr, err2 := rem.Genesis(ctx)
	same("genesis", ge, gr, err1, err2)
	// Errors carry the same message and code.
	_, errE := emb.Submit(ctx, []byte("garbage"))
	_, errR := rem.Submit(ctx, []byte("garbage"))
	if errE == nil || errR == nil || errE.Error() != errR.Error() {
		t.Fatalf("rejection messages differ: %v / %v", errE, errR)
	}
	ce, _ := protocol.CodeOf(errE)
	cr, _ := protocol.CodeOf(errR)
	if ce != cr {
		t.Fatalf("codes differ: %v / %v", ce, cr)
	}
	_, errE = emb.Block(ctx, 1_000_000)
	_, errR = rem.Block(ctx, 1_000_000)
	if errE.Error() != errR.Error() || !errors.Is(errR, protocol.ErrNotFound) {
		t.Fatalf("not-found errors differ: %v / %v", errE, errR)
	}
}
