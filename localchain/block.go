package localchain

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"go.etcd.io/bbolt"
	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

const headerVersion = 1

// headerSize is version + height + parent + timestamp + 3 roots + digest... (see encodeHeader).
const headerSize = 1 + 8 + 32 + 8 + 32 + 32 + 32 + 4 + 4

func encodeHeader(h *protocol.BlockHeader) []byte {
	e := protocol.NewEncoder(make([]byte, 0, headerSize))
	e.U8(headerVersion)
	e.U64(h.Height)
	e.Fixed(h.ParentHash[:])
	e.U64(h.TimestampMs)
	e.Fixed(h.TxRoot[:])
	e.Fixed(h.ResultRoot[:])
	e.Fixed(h.StateDigest[:])
	e.U32(h.TxCount)
	e.U32(h.EventCount)
	return e.Bytes()
}

// emptyResultRoot is the result root of a block without receipts and events.
var emptyResultRoot = protocol.Hash(blake2b.Sum256(make([]byte, 8)))

// Stored header (bucket headers, keyed by height): the header encoding without the height
// (it is the key), and without tx root and result root when the block has neither
// transactions nor events (their values are then fixed). An empty block's header costs 82
// bytes instead of 153.
//
//	flags u8 (bit 0: roots present) || parent [32] || timestamp u64 || [tx root [32] ||
//	result root [32]] || state digest [32] || tx count u32 || event count u32
func encodeStoredHeader(h *protocol.BlockHeader) []byte {
	roots := h.TxCount != 0 || h.EventCount != 0 || h.TxRoot != (protocol.Hash{}) || h.ResultRoot != emptyResultRoot
	e := protocol.NewEncoder(make([]byte, 0, headerSize))
	if roots {
		e.U8(1)
	} else {
		e.U8(0)
	}
	e.Fixed(h.ParentHash[:])
	e.U64(h.TimestampMs)
	if roots {
		e.Fixed(h.TxRoot[:])
		e.Fixed(h.ResultRoot[:])
	}
	e.Fixed(h.StateDigest[:])
	e.U32(h.TxCount)
	e.U32(h.EventCount)
	return e.Bytes()
}

func decodeStoredHeader(height uint64, b []byte) (protocol.BlockHeader, error) {
	d := protocol.NewDecoder(b)
	h := protocol.BlockHeader{Height: height, ResultRoot: emptyResultRoot}
	flags := d.U8()
	copy(h.ParentHash[:], d.Fixed(32))
	h.TimestampMs = d.U64()
	switch flags {
	case 0:
	case 1:
		copy(h.TxRoot[:], d.Fixed(32))
		copy(h.ResultRoot[:], d.Fixed(32))
	default:
		d.Failf("header flags %d", flags)
	}
	copy(h.StateDigest[:], d.Fixed(32))
	h.TxCount = d.U32()
	h.EventCount = d.U32()
	if err := d.Finish(); err != nil {
		return h, fmt.Errorf("%w: stored header %d: %v", protocol.ErrBadBlock, height, err)
	}
	h.Hash = blake2b.Sum256(encodeHeader(&h))
	return h, nil
}

// hashKey is the key of the block hash index: the hash's first 8 bytes || height (the value
// is empty). Lookups check the full hash against the header.
func hashKey(hash protocol.Hash, height uint64) []byte {
	k := make([]byte, 16)
	copy(k, hash[:8])
	binary.BigEndian.PutUint64(k[8:], height)
	return k
}

// hasHashKey reports whether the hash index holds (hash, height).
func hasHashKey(tx *bbolt.Tx, hash protocol.Hash, height uint64) bool {
	k := hashKey(hash, height)
	got, _ := tx.Bucket(bucketHashes).Cursor().Seek(k)
	return bytes.Equal(got, k)
}

// heightOfHash finds the block with the given hash through the hash index.
func heightOfHash(tx *bbolt.Tx, hash protocol.Hash) (uint64, bool) {
	cur := tx.Bucket(bucketHashes).Cursor()
	for k, _ := cur.Seek(hash[:8]); k != nil && string(k[:8]) == string(hash[:8]); k, _ = cur.Next() {
		height := binary.BigEndian.Uint64(k[8:])
		if h, err := loadHeader(tx, height); err == nil && h.Hash == hash {
			return height, true
		}
	}
	return 0, false
}

// txRoot is the binary merkle root of the hashes (an odd last node is paired with itself);
// the zero hash for no transactions.
func txRoot(hashes []protocol.Hash) protocol.Hash {
	if len(hashes) == 0 {
		return protocol.Hash{}
	}
	level := append([]protocol.Hash(nil), hashes...)
	var buf [64]byte
	for len(level) > 1 {
		next := level[:0:0]
		for i := 0; i < len(level); i += 2 {
			j := i + 1
			if j == len(level) {
				j = i
			}
			copy(buf[:32], level[i][:])
			copy(buf[32:], level[j][:])
			next = append(next, blake2b.Sum256(buf[:]))
		}
		level = next
	}
	return level[0]
}

// digestChunk is the size at which the state digest cuts the write-set stream into a chunk.
const digestChunk = 256 << 10

// stateDigest folds a block's write set into the running digest. The write set's stream is, for
// each written key in byte order of len(bucket) u8 || bucket || key (buckets by name length,
// then name; keys in byte order within a bucket), with the key's last written value:
//
//	len(bucket) u8 || bucket || len(key) u16 || key || present u8 || [len(value) u32 || value]
//
// The stream is cut after each entry that brings the current chunk to digestChunk bytes or
// more, and the digest is blake2b-256(prev || height u64 || blake2b-256(chunk) for each chunk
// in order). The chunks of a large block are hashed in parallel; the cut depends only on the
// write set, so the digest is the same on any machine. The values are the ones recorded in the
// write set as they were written, not read back from bbolt. It resets the write set.
func stateDigest(s *StateTx, prev protocol.Hash, height uint64) (protocol.Hash, error) {
	ws := make([]*bucketWrites, 0, len(s.buckets))
	for _, w := range s.buckets {
		if len(w.writes) > 0 {
			ws = append(ws, w)
		}
	}
	slices.SortFunc(ws, func(a, b *bucketWrites) int {
		if c := cmp.Compare(len(a.name), len(b.name)); c != 0 {
			return c
		}
		return bytes.Compare(a.name, b.name)
	})
	total := 0
	for _, w := range ws {
		total += len(w.writes)
	}
	sorts := len(ws)
	if total < 4096 {
		sorts = 0 // a small block: goroutines would cost more than the sorts
		for _, w := range ws {
			finalWrites(w)
		}
	}
	parallel(sorts, func(i int) { finalWrites(ws[i]) })
	// Cut the stream into chunks of whole entries.
	type chunk struct {
		from, to [2]int // (bucket, write) of the first entry and one past the last
		size     int
		sum      protocol.Hash
	}
	var chunks []chunk
	cur, size := chunk{}, 0
	for bi, w := range ws {
		for i := range w.writes {
			e := &w.writes[i]
			if e.n > 0xFFFF {
				return protocol.Hash{}, fmt.Errorf("state key of %d bytes in bucket %s", e.n, w.name)
			}
			size += 1 + len(w.name) + 2 + int(e.n) + 1
			if e.present {
				size += 4 + len(e.value)
			}
			if size >= digestChunk {
				cur.to, cur.size = [2]int{bi, i + 1}, size
				chunks = append(chunks, cur)
				cur, size = chunk{from: cur.to}, 0
			}
		}
	}
	if n := len(ws); n > 0 && cur.from != [2]int{n - 1, len(ws[n-1].writes)} {
		cur.to, cur.size = [2]int{n - 1, len(ws[n-1].writes)}, size
		chunks = append(chunks, cur)
	}
	parallel(len(chunks), func(c int) {
		h, _ := blake2b.New256(nil)
		buf := make([]byte, 0, min(chunks[c].size, 32<<10))
		from, to := chunks[c].from, chunks[c].to
		for bi := from[0]; bi <= to[0] && bi < len(ws); bi++ {
			w := ws[bi]
			i, end := 0, len(w.writes)
			if bi == from[0] {
				i = from[1]
			}
			if bi == to[0] {
				end = to[1]
			}
			for ; i < end; i++ {
				e := &w.writes[i]
				buf = append(buf, byte(len(w.name)))
				buf = append(buf, w.name...)
				buf = binary.BigEndian.AppendUint16(buf, uint16(e.n))
				buf = append(buf, w.key(i)...)
				if !e.present {
					buf = append(buf, 0)
				} else {
					buf = append(buf, 1)
					buf = binary.BigEndian.AppendUint32(buf, uint32(len(e.value)))
					if len(buf)+len(e.value) > cap(buf) {
						h.Write(buf)
						buf = buf[:0]
					}
					if len(e.value) > cap(buf) {
						h.Write(e.value) // buf is empty: the order is kept
					} else {
						buf = append(buf, e.value...)
					}
				}
				if len(buf) >= cap(buf)/2 {
					h.Write(buf)
					buf = buf[:0]
				}
			}
		}
		h.Write(buf)
		h.Sum(chunks[c].sum[:0])
	})
	h, _ := blake2b.New256(nil)
	h.Write(prev[:])
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], height)
	h.Write(n[:])
	for i := range chunks {
		h.Write(chunks[i].sum[:])
	}
	var out protocol.Hash
	h.Sum(out[:0])
	for _, w := range s.buckets {
		keepWriteSetBufs(w)
	}
	return out, nil
}

// finalWrites orders a bucket's writes by key and keeps each key's last write. Writes mostly
// arrive in key order (neurons by uid, subnets by netuid), which the sort then handles in
// linear time.
func finalWrites(w *bucketWrites) {
	cmpWrites := func(a, b write) int {
		if c := bytes.Compare(w.arena[a.off:a.off+a.n], w.arena[b.off:b.off+b.n]); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	}
	if !slices.IsSortedFunc(w.writes, cmpWrites) {
		slices.SortFunc(w.writes, cmpWrites)
	}
	out := w.writes[:0]
	for i := range w.writes {
		if i+1 < len(w.writes) && bytes.Equal(w.key(i), w.key(i+1)) {
			continue // a later write of the same key decides
		}
		out = append(out, w.writes[i])
	}
	clear(w.writes[len(out):])
	w.writes = out
}

// parallel runs fn(0..n-1) on up to GOMAXPROCS goroutines (inline when n ≤ 1) and returns when
// all are done. fn must only touch what index i owns.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// Receipt and event encodings (stored per block).

func appendReceipt(b []byte, r *protocol.Receipt) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(r.Code))
	b = binary.BigEndian.AppendUint64(b, r.Fee)
	b = binary.BigEndian.AppendUint64(b, r.Tip)
	msg := r.Message
	if len(msg) > 0xFFFF {
		msg = msg[:0xFFFF]
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(msg)))
	return append(b, msg...)
}

func decodeReceipt(d *protocol.Decoder) protocol.Receipt {
	r := protocol.Receipt{Code: protocol.Code(d.U32()), Fee: d.U64(), Tip: d.U64()}
	r.Message = d.String(0xFFFF)
	r.CodeName = r.Code.String()
	return r
}

// appendEvent encodes an event. Names and keys longer than 255 bytes, values longer than
// 65535 bytes and more than 255 attributes or accounts are truncated (modules keep far below).
func appendEvent(b []byte, ev *protocol.Event) []byte {
	short := func(s string) string { return s[:min(len(s), 255)] }
	e := protocol.NewEncoder(b)
	e.U32(uint32(ev.TxIndex))
	e.U8(uint8(len(short(ev.Module))))
	e.Fixed([]byte(short(ev.Module)))
	e.U8(uint8(len(short(ev.Name))))
	e.Fixed([]byte(short(ev.Name)))
	attrs := ev.Attrs[:min(len(ev.Attrs), 255)]
	e.U8(uint8(len(attrs)))
	for _, a := range attrs {
		e.U8(uint8(len(short(a.Key))))
		e.Fixed([]byte(short(a.Key)))
		e.String(strings.ToValidUTF8(a.Value[:min(len(a.Value), 0xFFFF)], ""))
	}
	accts := ev.Accounts[:min(len(ev.Accounts), 255)]
	e.U8(uint8(len(accts)))
	for _, a := range accts {
		e.Account(a)
	}
	return e.Bytes()
}

func decodeEvent(d *protocol.Decoder, height uint64, index uint32) protocol.Event {
	ev := protocol.Event{Height: height, Index: index, TxIndex: int32(d.U32())}
	ev.Module = string(d.Fixed(int(d.U8())))
	ev.Name = string(d.Fixed(int(d.U8())))
	n := int(d.U8())
	ev.Attrs = make([]protocol.Attr, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		k := string(d.Fixed(int(d.U8())))
		ev.Attrs = append(ev.Attrs, protocol.Attr{Key: k, Value: d.String(0xFFFF)})
	}
	na := int(d.U8())
	for i := 0; i < na && d.Err() == nil; i++ {
		ev.Accounts = append(ev.Accounts, d.Account())
	}
	return ev
}

// blockResult is a block executed inside a write transaction, not yet committed.
type blockResult struct {
	header   protocol.BlockHeader
	txs      []*protocol.Tx
	receipts []protocol.Receipt
	events   []protocol.Event
	dropped  map[protocol.TxHash]error // candidates left out of the block, with the reason
	nonces   map[wallet.AccountID]uint64
	index    *blockIndex // the block's tx index and history entries, not yet stored
}

// execMode says where the transactions come from.
type execMode int

const (
	// fromPool: signatures were verified on submission; a candidate that fails the state
	// pre-checks (nonce, expiry, fee) is left out of the block and dropped from the pool.
	fromPool execMode = iota
	// replay: the transactions are a stored block's; everything is re-verified and a failed
	// pre-check is a bad block.
	replay
)

// execBlock builds block parent.Height+1 in tx: the block step, then each transaction, then
// body, receipts, events, indexes, header and the new head. It returns an error only for an
// infrastructure fault or (in replay mode) an invalid block; the caller rolls back.
func execBlock(tx *bbolt.Tx, g *protocol.Genesis, parent protocol.BlockHeader, cands []*protocol.Tx, mode execMode) (*blockResult, error) {
	params, err := getParams(tx)
	if err != nil {
		return nil, err
	}
	height := parent.Height + 1
	s := newStateTx(tx)
	bctx := &BlockContext{
		Height: height, TimestampMs: g.TimestampMs + height*g.BlockTimeMs, ParentHash: parent.Hash,
		State: s, Params: params, txIndex: -1,
	}
	for _, m := range registry().mods {
		if m.BlockStep == nil {
			continue
		}
		if err := m.BlockStep(bctx); err != nil {
			return nil, fmt.Errorf("block %d: %s block step: %w", height, m.Name, err)
		}
	}
	res := &blockResult{nonces: map[wallet.AccountID]uint64{}}
	for _, t := range cands {
		if mode == replay {
			if err := t.VerifySignature(); err != nil {
				return nil, fmt.Errorf("%w: block %d tx %s: %v", protocol.ErrBadBlock, height, t.Hash(), err)
			}
		}
		bctx.txIndex = int32(len(res.txs))
		rc, err := applyTx(bctx, t)
		if err != nil {
			var te *protocol.TxError
			if errors.As(err, &te) {
				if mode == replay {
					return nil, fmt.Errorf("%w: block %d tx %s: %v", protocol.ErrBadBlock, height, t.Hash(), err)
				}
				if te.Code == protocol.CodeNonceGap {
					continue // an earlier transaction of the signer was left out; this one stays pending
				}
				if res.dropped == nil {
					res.dropped = map[protocol.TxHash]error{}
				}
				res.dropped[t.Hash()] = err
				continue
			}
			return nil, fmt.Errorf("block %d tx %s: %w", height, t.Hash(), err)
		}
		res.txs = append(res.txs, t)
		res.receipts = append(res.receipts, rc)
		res.nonces[t.Signer] = t.Nonce + 1
	}
	res.events = bctx.events
	for i := range res.events {
		res.events[i].Index = uint32(i)
	}
	digest, err := stateDigest(s, parent.StateDigest, height)
	if err != nil {
		return nil, err
	}
	h := protocol.BlockHeader{
		Height: height, ParentHash: parent.Hash, TimestampMs: bctx.TimestampMs,
		StateDigest: digest, TxCount: uint32(len(res.txs)), EventCount: uint32(len(res.events)),
	}
	if err := writeBlock(tx, &h, res); err != nil {
		return nil, err
	}
	if err := recordPrices(tx, height); err != nil {
		return nil, err
	}
	if mode == replay {
		// Into a fresh database: index each block at once (the producer defers it, txindex.go).
		if err := writeIndex(tx, []*blockIndex{res.index}); err != nil {
			return nil, err
		}
	}
	res.header = h
	return res, nil
}

// applyTx runs the pre-checks (a *TxError means the transaction cannot be included), takes the
// fee and tip and bumps the nonce, then dispatches the call with an undo journal. A call
// failure becomes a failure receipt; a non-*TxError error is an infrastructure fault.
func applyTx(bctx *BlockContext, t *protocol.Tx) (protocol.Receipt, error) {
	s := bctx.State
	if err := t.Call.Validate(t.Signer); err != nil {
		return protocol.Receipt{}, err
	}
	if t.Expiry != 0 && t.Expiry < bctx.Height {
		return protocol.Receipt{}, protocol.Reject(protocol.CodeExpired, "transaction expired at block %d (block %d)", t.Expiry, bctx.Height)
	}
	acct := getAccount(s.tx, t.Signer)
	if t.Nonce != acct.Nonce {
		if t.Nonce < acct.Nonce {
			return protocol.Receipt{}, protocol.Reject(protocol.CodeStaleNonce, "nonce %d already used (account nonce %d)", t.Nonce, acct.Nonce)
		}
		return protocol.Receipt{}, protocol.Reject(protocol.CodeNonceGap, "nonce %d is ahead of the account nonce %d", t.Nonce, acct.Nonce)
	}
	if err := checkColdkeySwapLock(s.tx, t); err != nil {
		return protocol.Receipt{}, err
	}
	fee := txFee(s.tx, bctx.Params, t)
	if err := checkFee(acct.Free, fee, t.Tip, bctx.Params.ExistentialDeposit); err != nil {
		return protocol.Receipt{}, err
	}
	spec, ok := lookupCall(t.Call.CallName())
	if !ok {
		return protocol.Receipt{}, protocol.Reject(protocol.CodeUnknownCall, "unknown call %s", t.Call.CallName())
	}
	// Fee, tip and nonce: paid and bumped whatever the call does.
	acct.Free -= fee + t.Tip
	acct.Nonce++
	if err := putAccount(s, t.Signer, acct); err != nil {
		return protocol.Receipt{}, err
	}
	if err := burn(s, fee+t.Tip); err != nil {
		return protocol.Receipt{}, err
	}
	rc := protocol.Receipt{Code: protocol.CodeOK, Fee: fee, Tip: t.Tip}
	ctx := &CallContext{BlockContext: bctx, Signer: t.Signer, TxHash: t.Hash()}
	nev := len(bctx.events)
	s.beginCall()
	err := spec.apply(ctx, t.Call)
	if err == nil {
		s.commitCall()
		rc.CodeName = rc.Code.String()
		return rc, nil
	}
	var te *protocol.TxError
	if !errors.As(err, &te) {
		return protocol.Receipt{}, err
	}
	if rerr := s.rollbackCall(); rerr != nil {
		return protocol.Receipt{}, rerr
	}
	bctx.events = bctx.events[:nev]
	rc.Code, rc.Message, rc.CodeName = te.Code, te.Error(), te.Code.String()
	bctx.Emit("system", "ExtrinsicFailed", attrs("code", strconv.FormatUint(uint64(te.Code), 10), "message", te.Error()), t.Signer)
	return rc, nil
}

// checkFee requires free ≥ fee + tip + existential deposit: paying the fee keeps the account
// alive (Substrate's KeepAlive withdrawal).
func checkFee(free, fee, tip, ed uint64) error {
	if tip > protocol.MaxSupply {
		return protocol.Reject(protocol.CodeAmountTooBig, "tip %d rao exceeds the maximum supply", tip)
	}
	if fee == 0 && tip == 0 {
		return nil // a Pays::No call without a tip needs no balance (sub_pays.go)
	}
	need := fee + tip + ed // each ≤ MaxSupply, so no overflow
	if free < need {
		return protocol.Reject(protocol.CodeUnfundedFee, "balance %s cannot pay fee %s + tip %s and keep the existential deposit %s",
			protocol.FormatTAO(free), protocol.FormatTAO(fee), protocol.FormatTAO(tip), protocol.FormatTAO(ed))
	}
	return nil
}

// writeBlock stores body, receipts, events, the hash index entry, header and head for h
// (filling its roots and hash), and sets res.index to the block's tx index and history entries
// (stored later: txindex.go).
func writeBlock(tx *bbolt.Tx, h *protocol.BlockHeader, res *blockResult) error {
	hk := u64Key(h.Height)
	var body, rcpts, evs []byte
	hashes := make([]protocol.Hash, len(res.txs))
	if len(res.txs) > 0 {
		size := 4
		for _, t := range res.txs {
			size += 4 + len(t.Raw())
		}
		body = make([]byte, 0, size)
		body = binary.BigEndian.AppendUint32(body, uint32(len(res.txs)))
		for i, t := range res.txs {
			raw := t.Raw()
			if raw == nil {
				raw = t.Encode()
			}
			body = binary.BigEndian.AppendUint32(body, uint32(len(raw)))
			body = append(body, raw...)
			hashes[i] = t.Hash()
		}
	}
	rcpts = binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(res.receipts)*32), uint32(len(res.receipts)))
	for i := range res.receipts {
		rcpts = appendReceipt(rcpts, &res.receipts[i])
	}
	evs = binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(res.events)*128), uint32(len(res.events)))
	for i := range res.events {
		evs = appendEvent(evs, &res.events[i])
	}
	h.TxRoot = txRoot(hashes)
	rh, _ := blake2b.New256(nil)
	rh.Write(rcpts)
	rh.Write(evs)
	rh.Sum(h.ResultRoot[:0])
	h.Hash = blake2b.Sum256(encodeHeader(h))

	if len(res.txs) > 0 {
		if err := tx.Bucket(bucketBodies).Put(hk, body); err != nil {
			return err
		}
		if err := tx.Bucket(bucketReceipts).Put(hk, rcpts); err != nil {
			return err
		}
	}
	// The tx index and history entries are written later (txindex.go).
	res.index = newBlockIndex(h.Height, res.txs, hashes, res.events)
	if len(res.events) > 0 {
		if err := tx.Bucket(bucketEvents).Put(hk, evs); err != nil {
			return err
		}
	}
	hb := tx.Bucket(bucketHeaders)
	hb.FillPercent = 1 // append-only by height
	if err := hb.Put(hk, encodeStoredHeader(h)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketHashes).Put(hashKey(h.Hash, h.Height), []byte{}); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(metaHead, hk)
}

// initGenesis writes block 0: every module's genesis state, the genesis header and the meta
// keys. The state digest is seeded with blake2b-256 of the canonical genesis JSON.
func initGenesis(tx *bbolt.Tx, g *protocol.Genesis) (protocol.BlockHeader, error) {
	canon, err := g.Canonical()
	if err != nil {
		return protocol.BlockHeader{}, err
	}
	for _, name := range append(append([][]byte(nil), chainBuckets...), registry().buckets...) {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return protocol.BlockHeader{}, fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	s := newStateTx(tx)
	for _, m := range registry().mods {
		if m.InitGenesis == nil {
			continue
		}
		var raw []byte
		if r, ok := g.Modules[m.Name]; ok {
			raw = r
		}
		if err := m.InitGenesis(s, g, raw); err != nil {
			return protocol.BlockHeader{}, fmt.Errorf("%w: module %s: %v", protocol.ErrInvalidGenesis, m.Name, err)
		}
	}
	seed := protocol.Hash(blake2b.Sum256(canon))
	digest, err := stateDigest(s, seed, 0)
	if err != nil {
		return protocol.BlockHeader{}, err
	}
	h := protocol.BlockHeader{Height: 0, TimestampMs: g.TimestampMs, StateDigest: digest}
	if err := writeBlock(tx, &h, &blockResult{}); err != nil {
		return protocol.BlockHeader{}, err
	}
	meta := tx.Bucket(bucketMeta)
	for k, v := range map[string][]byte{
		string(metaSchemaVersion): binary.BigEndian.AppendUint32(nil, schemaVersion),
		string(metaGenesisHash):   h.Hash[:],
		string(metaGenesisJSON):   canon,
		string(metaIndexed):       u64Key(0),
	} {
		if err := meta.Put([]byte(k), v); err != nil {
			return protocol.BlockHeader{}, err
		}
	}
	return h, nil
}

// Read helpers over committed data (used in db.View; results are copies).

func loadHeader(tx *bbolt.Tx, height uint64) (protocol.BlockHeader, error) {
	v := tx.Bucket(bucketHeaders).Get(u64Key(height))
	if v == nil {
		return protocol.BlockHeader{}, fmt.Errorf("block %d: %w", height, protocol.ErrNotFound)
	}
	return decodeStoredHeader(height, v)
}

func loadHead(tx *bbolt.Tx) (protocol.BlockHeader, error) {
	h, err := headHeight(tx)
	if err != nil {
		return protocol.BlockHeader{}, err
	}
	return loadHeader(tx, h)
}

// headHeight is the head's height as recorded in tx: queries that compute from "now" use it so
// that a block committing during the query cannot skew them.
func headHeight(tx *bbolt.Tx) (uint64, error) {
	v := tx.Bucket(bucketMeta).Get(metaHead)
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: no head block recorded", protocol.ErrBadBlock)
	}
	return binary.BigEndian.Uint64(v), nil
}

func loadBody(tx *bbolt.Tx, height uint64) ([]*protocol.Tx, error) {
	v := tx.Bucket(bucketBodies).Get(u64Key(height))
	if v == nil {
		return nil, nil
	}
	d := protocol.NewDecoder(v)
	n := d.U32()
	out := make([]*protocol.Tx, 0, n)
	for i := uint32(0); i < n && d.Err() == nil; i++ {
		raw := d.Fixed(int(d.U32()))
		if d.Err() != nil {
			break
		}
		t, err := protocol.DecodeTx(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: block %d tx %d: %v", protocol.ErrBadBlock, height, i, err)
		}
		out = append(out, t)
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%w: block %d body: %v", protocol.ErrBadBlock, height, err)
	}
	return out, nil
}

func loadReceipts(tx *bbolt.Tx, height uint64) ([]protocol.Receipt, error) {
	return loadRecords(tx, bucketReceipts, height, "receipts", func(d *protocol.Decoder, _ uint32) protocol.Receipt { return decodeReceipt(d) })
}

func loadEvents(tx *bbolt.Tx, height uint64) ([]protocol.Event, error) {
	return loadRecords(tx, bucketEvents, height, "events", func(d *protocol.Decoder, i uint32) protocol.Event { return decodeEvent(d, height, i) })
}

// loadRecords decodes a block's count-prefixed record list stored under height in bucket
// (nil when the block has none); what names the list in errors.
func loadRecords[T any](tx *bbolt.Tx, bucket []byte, height uint64, what string, decode func(d *protocol.Decoder, i uint32) T) ([]T, error) {
	v := tx.Bucket(bucket).Get(u64Key(height))
	if v == nil {
		return nil, nil
	}
	d := protocol.NewDecoder(v)
	n := d.U32()
	out := make([]T, 0, n)
	for i := uint32(0); i < n && d.Err() == nil; i++ {
		out = append(out, decode(d, i))
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%w: block %d %s: %v", protocol.ErrBadBlock, height, what, err)
	}
	return out, nil
}

// txInfo assembles an included transaction's view.
func txInfo(t *protocol.Tx, height uint64, index uint32, rc protocol.Receipt, events []protocol.Event) protocol.TxInfo {
	info := protocol.TxInfo{
		Hash: t.Hash(), Height: height, Index: index, Signer: t.Signer, Nonce: t.Nonce,
		Tip: t.Tip, Expiry: t.Expiry, Call: protocol.CallInfoOf(t.Call), Size: t.Size(), Receipt: rc,
		Events: []protocol.Event{},
	}
	for _, ev := range events {
		if ev.TxIndex == int32(index) {
			info.Events = append(info.Events, ev)
		}
	}
	return info
}

func loadBlock(tx *bbolt.Tx, height uint64) (*protocol.Block, error) {
	h, err := loadHeader(tx, height)
	if err != nil {
		return nil, err
	}
	txs, err := loadBody(tx, height)
	if err != nil {
		return nil, err
	}
	rcs, err := loadReceipts(tx, height)
	if err != nil {
		return nil, err
	}
	evs, err := loadEvents(tx, height)
	if err != nil {
		return nil, err
	}
	if len(rcs) != len(txs) {
		return nil, fmt.Errorf("%w: block %d has %d txs and %d receipts", protocol.ErrBadBlock, height, len(txs), len(rcs))
	}
	b := &protocol.Block{Header: h, Txs: make([]protocol.TxInfo, 0, len(txs)), StepEvents: []protocol.Event{}}
	copy(b.GenesisHash[:], tx.Bucket(bucketMeta).Get(metaGenesisHash))
	// Split the events once by transaction, so each txInfo scans only its own.
	byTx := make([][]protocol.Event, len(txs))
	for _, ev := range evs {
		switch {
		case ev.TxIndex < 0:
			b.StepEvents = append(b.StepEvents, ev)
		case int(ev.TxIndex) < len(txs):
			byTx[ev.TxIndex] = append(byTx[ev.TxIndex], ev)
		}
	}
	for i, t := range txs {
		b.Txs = append(b.Txs, txInfo(t, height, uint32(i), rcs[i], byTx[i]))
		b.SizeBytes += t.Size()
	}
	return b, nil
}

func lookupTx(tx *bbolt.Tx, hash protocol.TxHash) (height uint64, index uint32, ok bool) {
	v := tx.Bucket(bucketTxIndex).Get(hash[:])
	if len(v) != 12 {
		return 0, 0, false
	}
	return binary.BigEndian.Uint64(v), binary.BigEndian.Uint32(v[8:]), true
}

// bodyTx decodes only the index-th transaction of a block body.
func bodyTx(tx *bbolt.Tx, height uint64, index uint32) (*protocol.Tx, error) {
	v := tx.Bucket(bucketBodies).Get(u64Key(height))
	d := protocol.NewDecoder(v)
	n := d.U32()
	if d.Err() != nil || index >= n {
		return nil, fmt.Errorf("%w: block %d has no transaction %d", protocol.ErrBadBlock, height, index)
	}
	for i := uint32(0); i < index && d.Err() == nil; i++ {
		d.Fixed(int(d.U32()))
	}
	raw := d.Fixed(int(d.U32()))
	if err := d.Err(); err != nil {
		return nil, fmt.Errorf("%w: block %d body: %v", protocol.ErrBadBlock, height, err)
	}
	return protocol.DecodeTx(raw)
}

// loadTxInfo returns the included transaction hash, found by the index at height and index.
func loadTxInfo(tx *bbolt.Tx, hash protocol.TxHash, height uint64, index uint32) (*protocol.TxInfo, error) {
	t, err := bodyTx(tx, height, index)
	if err != nil {
		return nil, err
	}
	rcs, err := loadReceipts(tx, height)
	if err != nil {
		return nil, err
	}
	evs, err := loadEvents(tx, height)
	if err != nil {
		return nil, err
	}
	if int(index) >= len(rcs) || t.Hash() != hash {
		return nil, fmt.Errorf("%w: tx index of %s points at block %d position %d", protocol.ErrBadBlock, hash, height, index)
	}
	info := txInfo(t, height, index, rcs[index], evs)
	return &info, nil
}
