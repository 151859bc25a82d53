package localchain

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// indexState is what the tx index answers for a set of transactions and accounts.
type indexState struct {
	locs    map[protocol.TxHash][2]uint64 // height, index
	history map[wallet.AccountID][]protocol.HistoryEntry
	pages   map[wallet.AccountID][][]protocol.HistoryEntry // AccountHistory paged by 3
}

func readIndexState(t *testing.T, c *Chain, hashes []protocol.TxHash, accts []wallet.AccountID) indexState {
	t.Helper()
	st := indexState{locs: map[protocol.TxHash][2]uint64{}, history: map[wallet.AccountID][]protocol.HistoryEntry{}, pages: map[wallet.AccountID][][]protocol.HistoryEntry{}}
	for _, h := range hashes {
		info, err := c.Tx(h)
		if err != nil {
			t.Fatalf("Tx(%s): %v", h, err)
		}
		if info.Hash != h {
			t.Fatalf("Tx(%s) returned %s", h, info.Hash)
		}
		st.locs[h] = [2]uint64{info.Height, uint64(info.Index)}
	}
	for _, a := range accts {
		all, err := c.AccountHistory(a, 0, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		st.history[a] = all
		before := uint64(0)
		for {
			page, err := c.AccountHistory(a, before, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			st.pages[a] = append(st.pages[a], page)
			before = page[len(page)-1].Height
		}
	}
	return st
}

// TestDeferredTxIndex: the producer stores a block's tx index and history entries after the
// block (txindex.go). Lookups, history pages and the duplicate check must answer the same
// while the entries are buffered, after they are written, after a reopen, and after restoring
// a snapshot taken while they were buffered (Open re-indexes it).
func TestDeferredTxIndex(t *testing.T) {
	keys := benchKeys(t, 4)
	dir := t.TempDir()
	c, err := Open(dir, WithGenesis(genesisWith(keys, 1_000*protocol.RaoPerTAO)), WithBlockTime(0), WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.Close() }()
	accts := make([]wallet.AccountID, len(keys))
	for i, k := range keys {
		accts[i] = k.AccountID()
	}
	txs := signTransfers(t, c.GenesisHash(), keys, 6) // key i pays key i+1, six rounds
	var hashes []protocol.TxHash
	submit := func(raw [][]byte) {
		t.Helper()
		for _, r := range c.SubmitBatch(raw) {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			hashes = append(hashes, r.Hash)
		}
		h, err := c.SealNow(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if int(h.TxCount) != len(raw) {
			t.Fatalf("block %d holds %d of %d transactions", h.Height, h.TxCount, len(raw))
		}
	}
	// Three blocks with transactions: their entries stay buffered.
	for r := 0; r < 3; r++ {
		submit(txs[r*4 : (r+1)*4])
	}
	if c.idx.size() == 0 {
		t.Fatal("the index entries of blocks with transactions were written at once, not buffered")
	}
	mustCheck(t, c)
	buffered := readIndexState(t, c, hashes, accts)
	if n := len(buffered.history[accts[0]]); n != 6 { // three sent, three received
		t.Fatalf("account 0 has %d history entries, want 6: %+v", n, buffered.history[accts[0]])
	}
	// An included transaction submitted again is refused whatever the nonce check says first.
	if _, err := c.CheckTx(txs[0]); err == nil {
		t.Fatal("an included (buffered) transaction passed CheckTx again")
	}
	if _, err := c.Snapshot("buffered"); err != nil {
		t.Fatal(err)
	}
	// An empty block writes the buffer out.
	if _, err := c.SealNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := c.idx.size(); n != 0 {
		t.Fatalf("%d entries still buffered after an idle block", n)
	}
	if got := readIndexState(t, c, hashes, accts); !reflect.DeepEqual(got, buffered) {
		t.Fatalf("stored index differs from the buffered one:\n%+v\n%+v", got, buffered)
	}
	// Mixed: three more blocks buffered on top of stored ones; pages cross the boundary.
	for r := 3; r < 6; r++ {
		submit(txs[r*4 : (r+1)*4])
	}
	mustCheck(t, c)
	mixed := readIndexState(t, c, hashes, accts)
	if n := len(mixed.history[accts[0]]); n != 12 {
		t.Fatalf("account 0 has %d history entries, want 12", n)
	}
	if err := c.Close(); err != nil { // writes the buffer out
		t.Fatal(err)
	}
	c, err = Open(dir, WithBlockTime(0), WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	if got := readIndexState(t, c, hashes, accts); !reflect.DeepEqual(got, mixed) {
		t.Fatalf("index after reopen differs:\n%+v\n%+v", got, mixed)
	}
	// The snapshot holds blocks 1-3 without their entries: restoring it re-indexes them.
	if err := c.Restore("buffered"); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, c)
	if got := readIndexState(t, c, hashes[:12], accts); !reflect.DeepEqual(got, buffered) {
		t.Fatalf("index of the restored snapshot differs:\n%+v\n%+v", got, buffered)
	}
	if _, err := c.Tx(hashes[12]); !errors.Is(err, protocol.ErrNotFound) {
		t.Fatalf("a transaction after the snapshot is still found: %v", err)
	}
}

// TestReindexAfterLostBuffer: a database whose marker lags the head (a crash lost the buffer)
// is re-indexed by Open, and one without a marker (made before it existed, every block indexed
// in its own commit) gets the head as its marker.
func TestReindexAfterLostBuffer(t *testing.T) {
	keys := benchKeys(t, 3)
	dir := t.TempDir()
	c, err := Open(dir, WithGenesis(genesisWith(keys, 1_000*protocol.RaoPerTAO)), WithBlockTime(0), WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	txs := signTransfers(t, c.GenesisHash(), keys, 2)
	var hashes []protocol.TxHash
	for r := 0; r < 2; r++ {
		for _, res := range c.SubmitBatch(txs[r*3 : (r+1)*3]) {
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			hashes = append(hashes, res.Hash)
		}
		if _, err := c.SealNow(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	c.idx.clear() // as a crash would: the entries never reach the file
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(filepath.Join(dir, dbFileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *bbolt.Tx) error {
		if n, _ := indexedHeight(tx); n != 0 {
			t.Errorf("marker %d, want 0 (nothing written)", n)
		}
		for _, h := range hashes {
			if _, _, ok := lookupTx(tx, h); ok {
				t.Errorf("tx %s indexed though its entries were lost", h)
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	c, err = Open(dir, WithBlockTime(0), WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, c)
	for _, h := range hashes {
		if _, err := c.Tx(h); err != nil {
			t.Fatalf("tx %s after re-indexing: %v", h, err)
		}
	}
	if hist, err := c.AccountHistory(keys[1].AccountID(), 0, 10); err != nil || len(hist) != 4 {
		t.Fatalf("history after re-indexing: %d entries (%v), want 4", len(hist), err)
	}
	head := c.Head().Height
	c.Close()
	// No marker at all: Open records the head.
	db, err = bbolt.Open(filepath.Join(dir, dbFileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Delete(metaIndexed) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	c, err = Open(dir, WithBlockTime(0), WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mustCheck(t, c)
	err = c.view(func(tx *bbolt.Tx) error {
		if n, err := indexedHeight(tx); err != nil || n != head {
			t.Errorf("marker %d (%v), want the head %d", n, err, head)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestIndexFlushCycle: with a flush cycle started after every block, the buckets hold part of
// the entries above the marker most of the time; lookups and history listings must still
// answer exactly what the fully stored index answers.
func TestIndexFlushCycle(t *testing.T) {
	keys := benchKeys(t, 5)
	c, err := Open(t.TempDir(), WithGenesis(genesisWith(keys, 1_000*protocol.RaoPerTAO)), WithBlockTime(0), WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.idx.flushAt = 1
	accts := make([]wallet.AccountID, len(keys))
	for i, k := range keys {
		accts[i] = k.AccountID()
	}
	const rounds = 12
	txs := signTransfers(t, c.GenesisHash(), keys, rounds)
	var hashes []protocol.TxHash
	var states []indexState
	midCycle := 0
	for r := 0; r < rounds; r++ {
		for _, res := range c.SubmitBatch(txs[r*5 : (r+1)*5]) {
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			hashes = append(hashes, res.Hash)
		}
		if _, err := c.SealNow(context.Background()); err != nil {
			t.Fatal(err)
		}
		if c.idx.cycle != nil && c.idx.chunk > 0 {
			midCycle++
		}
		mustCheck(t, c)
		states = append(states, readIndexState(t, c, hashes, accts))
	}
	if midCycle == 0 {
		t.Fatal("no block ended in the middle of a flush cycle")
	}
	if _, err := c.SealNow(context.Background()); err != nil { // idle: everything stored
		t.Fatal(err)
	}
	if c.idx.size() != 0 {
		t.Fatal("entries left buffered after an idle block")
	}
	final := readIndexState(t, c, hashes, accts)
	for r, st := range states {
		top := c.Head().Height - uint64(rounds-r) // the height of round r's block
		for h, loc := range st.locs {
			if final.locs[h] != loc {
				t.Fatalf("after block %d: tx %s at %v, stored index says %v", top, h, loc, final.locs[h])
			}
		}
		for _, a := range accts {
			var want []protocol.HistoryEntry
			for _, e := range final.history[a] {
				if e.Height <= top {
					want = append(want, e)
				}
			}
			if !reflect.DeepEqual(st.history[a], want) {
				t.Fatalf("after block %d: history of %s\n%+v\nwant\n%+v", top, a, st.history[a], want)
			}
			// AccountHistory's pages as the stored index gives them (before is a height: a
			// page that ends inside a block leaves that block's older entries out).
			var wantPages [][]protocol.HistoryEntry
			for before := uint64(0); ; {
				var page []protocol.HistoryEntry
				for _, e := range want {
					if (before == 0 || e.Height < before) && len(page) < 3 {
						page = append(page, e)
					}
				}
				if len(page) == 0 {
					break
				}
				wantPages = append(wantPages, page)
				before = page[len(page)-1].Height
			}
			if !reflect.DeepEqual(st.pages[a], wantPages) {
				t.Fatalf("after block %d: history pages of %s\n%+v\nwant\n%+v", top, a, st.pages[a], wantPages)
			}
		}
	}
}

// TestAddressMemo: the memoised address is the account's SS58, before and after the memo is
// emptied for being full.
func TestAddressMemo(t *testing.T) {
	for i := 0; i < addressMemoMax+10; i++ {
		var a wallet.AccountID
		a[0], a[1], a[2] = byte(i), byte(i>>8), byte(i>>16)
		if got := address(a); got != a.SS58() {
			t.Fatalf("address(%x) = %s, want %s", a, got, a.SS58())
		}
		if i%1000 == 0 {
			if again := address(a); again != a.SS58() {
				t.Fatalf("memoised address(%x) = %s", a, again)
			}
		}
	}
}
