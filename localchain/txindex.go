package localchain

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Deferred transaction indexes.
//
// The tx index (hash -> location) and the account history (account || height || index) are
// keyed by values that are random with respect to the block: a block of 1,500 transfers from
// 1,000 accounts inserts into about as many different leaf pages of each tree. Written in the
// block's own commit, that made a late block of a busy chain write ~10 MB (2,600 pages) where
// its body, receipts, events and state take ~50 pages, and every byte of it sat between the
// block's selection and its head reaching subscribers.
//
// So the producer commits a block without its index entries and keeps them in memory
// (indexBuffer); they are written to the two buckets later, several blocks at once, in write
// transactions of their own (durable like a block's), after the blocks were published. Once
// indexFlushEntries entries are buffered, the buffered blocks form a flush cycle, written in
// indexChunks commits, one after each of the next blocks: commit j stores the entries whose
// key starts with a byte in the j-th of indexChunks equal ranges, and the last one also moves
// the marker. Each commit thus touches about 1/indexChunks of each tree's pages, and each page
// takes the entries of several blocks at once. A block without transactions (an idle chain)
// finishes the cycle and writes everything buffered; Close does too.
//
// Lookups see both: the meta key "indexed" records the height through which the buckets hold
// every block's entries, and a reader takes the buffer's lock before its read transaction
// begins (viewIndexed), so its snapshot's marker says which buffered entries the buckets may
// not yet hold (entries above the marker come from the buffer; the buckets may hold some of
// them already, from a cycle's first commits, and history listings skip those). Entries are
// added to the buffer only after their block committed, and removed only after the commit that
// moved the marker past them.
//
// A crash loses the buffer, never a block: Open re-indexes the blocks above the marker from
// their stored bodies and events (reindexLocked) before anything else runs. Replays into a
// fresh database (Replay, EpochAt) index each block in its own transaction.

// indexFlushEntries is the buffered entry count (tx index plus history) at which the producer
// starts a flush cycle.
const indexFlushEntries = 6000

// indexChunks is the number of key ranges (and commits) a flush cycle is written in.
const indexChunks = 8

// metaIndexed is the meta key of the index marker: u64 height through which txindex and
// history hold every block's entries.
var metaIndexed = []byte("indexed")

// histEntry is one history entry of a block: the account and the transaction's position.
type histEntry struct {
	acct  wallet.AccountID
	index uint32
}

// blockIndex is one block's index entries.
type blockIndex struct {
	height uint64
	hashes []protocol.TxHash // by position
	hist   []histEntry       // by position; within one, the signer first, each account once
}

// entries is the number of bucket entries the block adds.
func (b *blockIndex) entries() int { return len(b.hashes) + len(b.hist) }

// newBlockIndex lists a block's index entries: each transaction's hash, and for each the
// signer and every other account its events name.
func newBlockIndex(height uint64, txs []*protocol.Tx, hashes []protocol.TxHash, events []protocol.Event) *blockIndex {
	bi := &blockIndex{height: height, hashes: hashes, hist: make([]histEntry, 0, len(txs)*2)}
	evAt := 0
	for i, t := range txs {
		first := len(bi.hist)
		bi.hist = append(bi.hist, histEntry{t.Signer, uint32(i)})
		for evAt < len(events) && events[evAt].TxIndex < int32(i) {
			evAt++
		}
		for ; evAt < len(events) && events[evAt].TxIndex == int32(i); evAt++ {
		accounts:
			for _, a := range events[evAt].Accounts {
				for _, e := range bi.hist[first:] {
					if e.acct == a {
						continue accounts
					}
				}
				bi.hist = append(bi.hist, histEntry{a, uint32(i)})
			}
		}
	}
	return bi
}

// writeIndex stores the entries of blocks (ascending heights, the first right above the
// marker) in key order and moves the marker to the last one.
func writeIndex(tx *bbolt.Tx, blocks []*blockIndex) error {
	return writeIndexChunk(tx, blocks, 0, 1)
}

// writeIndexChunk stores chunk of the entries of blocks (those whose key's first byte falls in
// the chunk-th of chunks equal ranges) in key order; the last chunk moves the marker to the
// last block.
func writeIndexChunk(tx *bbolt.Tx, blocks []*blockIndex, chunk, chunks int) error {
	if len(blocks) == 0 {
		return nil
	}
	in := func(k []byte) bool { return int(k[0])*chunks/256 == chunk }
	type kv struct{ k, v []byte }
	n, nh := 0, 0
	for _, b := range blocks {
		n += len(b.hashes)
		nh += len(b.hist)
	}
	locs := make([]kv, 0, n)
	hist := make([]kv, 0, nh)
	for _, b := range blocks {
		for i := range b.hashes {
			if in(b.hashes[i][:]) {
				locs = append(locs, kv{b.hashes[i][:], txLocKey(b.height, uint32(i))})
			}
		}
		for _, e := range b.hist {
			if in(e.acct[:]) {
				hist = append(hist, kv{historyKey(e.acct, b.height, e.index), b.hashes[e.index][:]})
			}
		}
	}
	byKey := func(a, b kv) int { return bytes.Compare(a.k, b.k) }
	put := func(bucket []byte, list []kv) error {
		slices.SortFunc(list, byKey) // neighbouring keys share pages: fewer page searches
		bk := tx.Bucket(bucket)
		for _, e := range list {
			if err := bk.Put(e.k, e.v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(bucketTxIndex, locs); err != nil {
		return err
	}
	if err := put(bucketHistory, hist); err != nil {
		return err
	}
	if chunk < chunks-1 {
		return nil
	}
	return tx.Bucket(bucketMeta).Put(metaIndexed, u64Key(blocks[len(blocks)-1].height))
}

// indexedHeight reads the marker of tx's snapshot.
func indexedHeight(tx *bbolt.Tx) (uint64, error) {
	v := tx.Bucket(bucketMeta).Get(metaIndexed)
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: no tx index marker recorded", protocol.ErrBadBlock)
	}
	return binary.BigEndian.Uint64(v), nil
}

// reindex brings the stored index up to the head in tx: it writes the marker of a database
// made before the marker existed (its blocks were indexed in their own commits), or indexes
// the blocks above the marker from their bodies and events (a crash lost the buffer).
func reindex(tx *bbolt.Tx, head uint64) error {
	meta := tx.Bucket(bucketMeta)
	if meta.Get(metaIndexed) == nil {
		return meta.Put(metaIndexed, u64Key(head))
	}
	from, err := indexedHeight(tx)
	if err != nil {
		return err
	}
	var blocks []*blockIndex
	for h := from + 1; h <= head; h++ {
		txs, err := loadBody(tx, h)
		if err != nil {
			return err
		}
		evs, err := loadEvents(tx, h)
		if err != nil {
			return err
		}
		hashes := make([]protocol.TxHash, len(txs))
		for i, t := range txs {
			hashes[i] = t.Hash()
		}
		blocks = append(blocks, newBlockIndex(h, txs, hashes, evs))
	}
	if len(blocks) == 0 {
		return nil
	}
	return writeIndex(tx, blocks)
}

// txLoc is a transaction's block and position.
type txLoc struct {
	height uint64
	index  uint32
}

// indexBuffer holds the index entries of committed blocks above the stored marker.
type indexBuffer struct {
	mu      sync.RWMutex
	blocks  []*blockIndex // ascending heights
	loc     map[protocol.TxHash]txLoc
	entries int

	// The flush cycle in progress (producer only, under blockMu): its blocks (a prefix of
	// blocks) and the next chunk to write.
	cycle   []*blockIndex
	chunk   int
	flushAt int // indexFlushEntries (tests lower it)
}

func newIndexBuffer() *indexBuffer {
	return &indexBuffer{loc: map[protocol.TxHash]txLoc{}, flushAt: indexFlushEntries}
}

// add buffers a committed block's entries.
func (b *indexBuffer) add(bi *blockIndex) {
	if bi == nil || bi.entries() == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.blocks = append(b.blocks, bi)
	for i, h := range bi.hashes {
		b.loc[h] = txLoc{bi.height, uint32(i)}
	}
	b.entries += bi.entries()
}

// size returns the number of buffered entries.
func (b *indexBuffer) size() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.entries
}

// pending returns the buffered blocks (the slice must not be modified).
func (b *indexBuffer) pending() []*blockIndex {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.blocks[:len(b.blocks):len(b.blocks)]
}

// drop forgets the first n blocks (stored by a flush that committed).
func (b *indexBuffer) drop(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, bi := range b.blocks[:n] {
		for _, h := range bi.hashes {
			delete(b.loc, h)
		}
		b.entries -= bi.entries()
	}
	b.blocks = append(b.blocks[:0:0], b.blocks[n:]...)
}

// clear forgets everything (the database was swapped and re-indexed on open).
func (b *indexBuffer) clear() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.blocks, b.loc, b.entries = nil, map[protocol.TxHash]txLoc{}, 0
	b.cycle, b.chunk = nil, 0
}

// indexView is a read transaction together with the buffered entries its snapshot's buckets
// do not hold.
type indexView struct {
	tx      *bbolt.Tx
	buf     *indexBuffer // read-locked for the view's lifetime
	indexed uint64
}

// lookupTx finds an included transaction in the stored index or the buffer.
func (v *indexView) lookupTx(hash protocol.TxHash) (height uint64, index uint32, ok bool) {
	if height, index, ok = lookupTx(v.tx, hash); ok {
		return height, index, true
	}
	if l, ok := v.buf.loc[hash]; ok && l.height > v.indexed {
		return l.height, l.index, true
	}
	return 0, 0, false
}

// copyLocs copies the buffered locations above the snapshot's marker.
func (v *indexView) copyLocs() map[protocol.TxHash]txLoc {
	out := make(map[protocol.TxHash]txLoc, len(v.buf.loc))
	for h, l := range v.buf.loc {
		if l.height > v.indexed {
			out[h] = l
		}
	}
	return out
}

// bufferedHistory returns the buffered history entries of id above the snapshot's marker and
// strictly below height before (0: no bound), newest first, at most limit.
func (v *indexView) bufferedHistory(id wallet.AccountID, before uint64, limit int) []protocol.HistoryEntry {
	var out []protocol.HistoryEntry
	for bi := len(v.buf.blocks) - 1; bi >= 0 && len(out) < limit; bi-- {
		b := v.buf.blocks[bi]
		if b.height <= v.indexed {
			break
		}
		if before != 0 && b.height >= before {
			continue
		}
		for i := len(b.hist) - 1; i >= 0 && len(out) < limit; i-- {
			if e := b.hist[i]; e.acct == id {
				out = append(out, protocol.HistoryEntry{Height: b.height, Index: e.index, Hash: b.hashes[e.index]})
			}
		}
	}
	return out
}

// viewIndexed runs fn in a read transaction with the index buffer: the buffer is read-locked
// before the transaction begins (see the comment at the top of this file).
func (c *Chain) viewIndexed(fn func(v *indexView) error) error {
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	c.dbMu.RLock()
	defer c.dbMu.RUnlock()
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	c.idx.mu.RLock()
	defer c.idx.mu.RUnlock()
	return c.db.View(func(tx *bbolt.Tx) error {
		indexed, err := indexedHeight(tx)
		if err != nil {
			return err
		}
		return fn(&indexView{tx: tx, buf: c.idx, indexed: indexed})
	})
}

// flushIndexLocked writes every buffered entry in one durable write transaction (entries a
// cycle's earlier commits stored are written again, which changes nothing). The caller holds
// blockMu and dbMu (read or write).
func (c *Chain) flushIndexLocked() error {
	blocks := c.idx.pending()
	if len(blocks) == 0 {
		return nil
	}
	if err := c.db.Update(func(tx *bbolt.Tx) error { return writeIndex(tx, blocks) }); err != nil {
		return fmt.Errorf("write the tx index of blocks %d..%d: %w", blocks[0].height, blocks[len(blocks)-1].height, err)
	}
	c.idx.drop(len(blocks))
	c.idx.cycle, c.idx.chunk = nil, 0
	return nil
}

// maybeFlushIndex runs after each produced block group (the caller holds blockMu): it writes
// the next chunk of the flush cycle in progress, starting one when indexFlushEntries entries
// are buffered; after a block without transactions (idle) it writes everything buffered.
func (c *Chain) maybeFlushIndex(idle bool) error {
	b := c.idx
	if b.cycle == nil && (b.size() == 0 || (b.size() < b.flushAt && !idle)) {
		return nil
	}
	c.dbMu.RLock()
	defer c.dbMu.RUnlock()
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	if idle {
		return c.flushIndexLocked()
	}
	if b.cycle == nil {
		b.cycle, b.chunk = b.pending(), 0
	}
	cycle, chunk := b.cycle, b.chunk
	err := c.db.Update(func(tx *bbolt.Tx) error { return writeIndexChunk(tx, cycle, chunk, indexChunks) })
	if err != nil {
		return fmt.Errorf("write the tx index of blocks %d..%d: %w", cycle[0].height, cycle[len(cycle)-1].height, err)
	}
	if b.chunk++; b.chunk == indexChunks {
		b.drop(len(cycle))
		b.cycle, b.chunk = nil, 0
	}
	return nil
}
