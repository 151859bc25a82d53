package localchain

import (
	"container/heap"
	"errors"
	"sync"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Pool limits and block limits (defaults; see the With... options).
const (
	// DefaultPoolMaxTxs bounds the number of pending transactions.
	DefaultPoolMaxTxs = 50_000
	// DefaultPoolMaxBytes bounds the pending transactions' total size.
	DefaultPoolMaxBytes = 64 << 20
	// futureTTLBlocks: a transaction that is not ready (nonce gap) is evicted after this many
	// blocks in the pool.
	futureTTLBlocks = 1200
	// DefaultMaxBlockTxs bounds the transactions of one block.
	DefaultMaxBlockTxs = 8192
	// DefaultMaxBlockBytes bounds the envelope bytes of one block.
	DefaultMaxBlockBytes = 8 << 20
	// droppedMemory is how many dropped transactions the pool remembers for WaitTx.
	droppedMemory = 4096
)

type poolTx struct {
	tx    *protocol.Tx
	hash  protocol.TxHash
	size  int
	seq   uint64 // arrival order, breaks tip ties
	added uint64 // head height when added
}

type senderQueue struct {
	base uint64             // next nonce the account must use, as of the last block
	txs  map[uint64]*poolTx // by nonce
}

// mempool holds verified transactions until a block includes or drops them. Per account the
// transactions form a nonce sequence; only the run starting at the account's nonce is ready.
// Blocks take ready transactions by tip (highest first), then arrival.
type mempool struct {
	mu      sync.Mutex
	applied uint64 // height of the last block update applied

	byHash   map[protocol.TxHash]*poolTx
	senders  map[wallet.AccountID]*senderQueue
	count    int
	bytes    int
	maxTxs   int
	maxBytes int
	seq      uint64

	dropped     map[protocol.TxHash]error
	droppedRing []protocol.TxHash
	droppedAt   int
}

func newMempool(maxTxs, maxBytes int) *mempool {
	return &mempool{
		byHash: map[protocol.TxHash]*poolTx{}, senders: map[wallet.AccountID]*senderQueue{},
		maxTxs: maxTxs, maxBytes: maxBytes,
		dropped: map[protocol.TxHash]error{}, droppedRing: make([]protocol.TxHash, droppedMemory),
	}
}

// errStaleRead: add was given an account nonce read before a block the pool has already
// applied, for an account the pool no longer tracks; the caller reads the nonce again.
var errStaleRead = errors.New("account nonce read before the last applied block")

// add inserts a verified transaction; acctNonce is the signer's nonce as committed at block
// readAt (or later). When the pool has applied a later block and holds nothing for the signer,
// that nonce may be stale (the block may have used it and emptied the signer's queue, taking
// the newer nonce with it): add returns errStaleRead and the caller reads it again. Without
// this, a transaction one nonce ahead would wait behind a nonce already used, until evicted.
func (p *mempool) add(t *protocol.Tx, acctNonce, readAt, head uint64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	h := t.Hash()
	if _, dup := p.byHash[h]; dup {
		return protocol.Reject(protocol.CodeDuplicate, "transaction %s is already pending", h)
	}
	q := p.senders[t.Signer]
	if q == nil && readAt < p.applied {
		return errStaleRead
	}
	base := acctNonce
	if q != nil && q.base > base {
		base = q.base // blocks executed but not yet visible to the submitter's read
	}
	if t.Nonce < base {
		return protocol.Reject(protocol.CodeStaleNonce, "nonce %d already used (account nonce %d)", t.Nonce, base)
	}
	if t.Nonce > base+protocol.MaxFutureNonces {
		return protocol.Reject(protocol.CodeNonceGap, "nonce %d is more than %d ahead of the account nonce %d", t.Nonce, protocol.MaxFutureNonces, base)
	}
	size := t.Size()
	var old *poolTx
	if q != nil {
		old = q.txs[t.Nonce]
	}
	if old != nil && t.Tip <= old.tx.Tip {
		return protocol.Reject(protocol.CodeUnderpriced, "a pending transaction with nonce %d has tip %d; a replacement needs a higher tip", t.Nonce, old.tx.Tip)
	}
	extra := size
	n := 1
	if old != nil {
		extra -= old.size
		n = 0
	}
	if p.count+n > p.maxTxs || p.bytes+extra > p.maxBytes {
		return protocol.Reject(protocol.CodePoolFull, "transaction pool is full (%d transactions, %d bytes); wait for the next block or retry later", p.count, p.bytes)
	}
	if old != nil {
		p.removeLocked(old) // may remove the sender's queue when old was its only entry
		p.rememberDropLocked(old.hash, protocol.Reject(protocol.CodeDropped, "replaced by %s with a higher tip", h))
		q = p.senders[t.Signer]
	}
	if q == nil {
		q = &senderQueue{txs: map[uint64]*poolTx{}}
		p.senders[t.Signer] = q
	}
	q.base = base
	p.seq++
	pt := &poolTx{tx: t, hash: h, size: size, seq: p.seq, added: head}
	q.txs[t.Nonce] = pt
	p.byHash[h] = pt
	p.count++
	p.bytes += size
	return nil
}

func (p *mempool) removeLocked(pt *poolTx) {
	if _, ok := p.byHash[pt.hash]; !ok {
		return
	}
	delete(p.byHash, pt.hash)
	p.count--
	p.bytes -= pt.size
	if q := p.senders[pt.tx.Signer]; q != nil {
		if q.txs[pt.tx.Nonce] == pt {
			delete(q.txs, pt.tx.Nonce)
		}
		if len(q.txs) == 0 {
			delete(p.senders, pt.tx.Signer)
		}
	}
}

func (p *mempool) rememberDropLocked(h protocol.TxHash, reason error) {
	if old := p.droppedRing[p.droppedAt]; old != (protocol.TxHash{}) {
		delete(p.dropped, old)
	}
	p.droppedRing[p.droppedAt] = h
	p.droppedAt = (p.droppedAt + 1) % len(p.droppedRing)
	p.dropped[h] = reason
}

// droppedReason returns why a transaction was dropped, if the pool remembers it.
func (p *mempool) droppedReason(h protocol.TxHash) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dropped[h]
}

func (p *mempool) has(h protocol.TxHash) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.byHash[h]
	return ok
}

func (p *mempool) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

// pendingNonce returns the nonce after the account's ready run in the pool (or ok=false when the
// pool holds nothing for it).
func (p *mempool) pendingNonce(id wallet.AccountID, committed uint64) uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := p.senders[id]
	n := committed
	if q == nil {
		return n
	}
	if q.base > n {
		n = q.base
	}
	for q.txs[n] != nil {
		n++
	}
	return n
}

// readyHeap orders each sender's next ready transaction by tip, then arrival.
type readyHeap []*poolTx

func (h readyHeap) Len() int { return len(h) }
func (h readyHeap) Less(i, j int) bool {
	if h[i].tx.Tip != h[j].tx.Tip {
		return h[i].tx.Tip > h[j].tx.Tip
	}
	return h[i].seq < h[j].seq
}
func (h readyHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *readyHeap) Push(x any)   { *h = append(*h, x.(*poolTx)) }
func (h *readyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// selectReady returns up to maxTxs ready transactions (within maxBytes) in block order: by tip
// across accounts, by nonce within an account. They stay in the pool until update.
func (p *mempool) selectReady(maxTxs, maxBytes int) []*protocol.Tx {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.count == 0 {
		return nil
	}
	h := make(readyHeap, 0, len(p.senders))
	for _, q := range p.senders {
		if pt := q.txs[q.base]; pt != nil {
			h = append(h, pt)
		}
	}
	heap.Init(&h)
	var out []*protocol.Tx
	bytes := 0
	for h.Len() > 0 && len(out) < maxTxs {
		pt := heap.Pop(&h).(*poolTx)
		if bytes+pt.size > maxBytes {
			continue // this sender's run ends here for this block
		}
		out = append(out, pt.tx)
		bytes += pt.size
		if next := p.senders[pt.tx.Signer].txs[pt.tx.Nonce+1]; next != nil {
			heap.Push(&h, next)
		}
	}
	return out
}

// update applies an executed block: removes included and dropped transactions, moves the
// nonce bases of the accounts that transacted, and evicts stale, expired and long-stuck
// transactions. It returns the transactions it dropped with their reasons.
func (p *mempool) update(res *blockResult) map[protocol.TxHash]error {
	p.mu.Lock()
	defer p.mu.Unlock()
	nextHeight := res.header.Height + 1
	if res.header.Height > p.applied {
		p.applied = res.header.Height
	}
	for _, t := range res.txs {
		if pt := p.byHash[t.Hash()]; pt != nil {
			p.removeLocked(pt)
		}
	}
	out := map[protocol.TxHash]error{}
	for h, reason := range res.dropped {
		if pt := p.byHash[h]; pt != nil {
			p.removeLocked(pt)
			out[h] = reason
		}
	}
	for id, n := range res.nonces {
		if q := p.senders[id]; q != nil && n > q.base {
			q.base = n
		}
	}
	if p.count > 0 {
		for _, q := range p.senders {
			for nonce, pt := range q.txs {
				var reason error
				switch {
				case nonce < q.base:
					reason = protocol.Reject(protocol.CodeStaleNonce, "nonce %d was used by another transaction", nonce)
				case pt.tx.Expiry != 0 && pt.tx.Expiry < nextHeight:
					reason = protocol.Reject(protocol.CodeExpired, "transaction expired at block %d before inclusion", pt.tx.Expiry)
				case nonce > q.base && q.txs[nonce-1] == nil && res.header.Height > pt.added+futureTTLBlocks:
					reason = protocol.Reject(protocol.CodeNonceGap, "nonce %d waited %d blocks for the missing nonce before it", nonce, futureTTLBlocks)
				}
				if reason != nil {
					p.removeLocked(pt)
					out[pt.hash] = reason
				}
			}
		}
	}
	for h, reason := range out {
		p.rememberDropLocked(h, reason)
	}
	return out
}

// clear empties the pool (restore, reset), returning the hashes it held.
func (p *mempool) clear() []protocol.TxHash {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]protocol.TxHash, 0, len(p.byHash))
	for h := range p.byHash {
		out = append(out, h)
		p.rememberDropLocked(h, protocol.Reject(protocol.CodeDropped, "the chain was reset or restored"))
	}
	p.byHash = map[protocol.TxHash]*poolTx{}
	p.senders = map[wallet.AccountID]*senderQueue{}
	p.count, p.bytes = 0, 0
	p.applied = 0 // the chain below may now be lower (reset, restore); reads are fresh again
	return out
}
