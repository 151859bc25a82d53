package localchain

import (
	"fmt"
	"sort"
	"sync"
	"unsafe"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Module is one pallet-like part of the state machine. The core knows modules only through
// this struct; adding a module means writing its file(s) and adding it to modules().
type Module struct {
	// Name is the module part of its calls' names ("balances", "subtensor"...).
	Name string
	// Buckets are the module's state buckets (names start with "s."); Open creates them.
	Buckets [][]byte
	// Calls are the module's methods, dispatched by CallName.
	Calls []CallSpec
	// BlockStep runs at the start of every block, before its transactions, in module order.
	// Returning an error aborts the block (infrastructure fault); it must not fail for
	// user-level reasons.
	BlockStep func(ctx *BlockContext) error
	// InitGenesis writes the module's genesis state (raw is the module's section of
	// Genesis.Modules, nil when absent).
	InitGenesis func(s *StateTx, g *protocol.Genesis, raw []byte) error
	// HeldTAO returns the rao the module holds outside free balances (pool reserves, locks,
	// stake); the issuance invariant adds it to the free balances.
	HeldTAO func(tx *bbolt.Tx) (uint64, error)
	// Invariants are the module's consistency checks, run by CheckInvariants.
	Invariants []Invariant
}

// Invariant is a named consistency check over committed (or in-block) state.
type Invariant struct {
	Name  string
	Check func(tx *bbolt.Tx) error
}

// modules lists the state machine's modules in execution order (block steps run in this
// order). The modules issue appends its modules here.
func modules() []Module {
	return []Module{systemModule(), balancesModule(), sudoModule(), subtensorModule(), schedulerModule()}
}

// CallSpec is one dispatchable call: its name (from protocol) and how to apply it. Decoding is
// protocol's (DecodeTx and its decode table); the chain only executes.
type CallSpec struct {
	Name  protocol.CallName
	apply func(ctx *CallContext, c protocol.Call) error
}

// Handle builds the CallSpec of the call type C from its handler. apply follows the handler
// checklist of doc.go and returns nil, a *TxError from Fail for a user-level failure, or any
// other error for an infrastructure fault.
func Handle[C protocol.Call](apply func(ctx *CallContext, c C) error) CallSpec {
	var zero C
	name := zero.CallName()
	return CallSpec{
		Name: name,
		apply: func(ctx *CallContext, c protocol.Call) error {
			tc, ok := c.(C)
			if !ok {
				return fmt.Errorf("dispatch %s: call has type %T", name, c)
			}
			return apply(ctx, tc)
		},
	}
}

type callTable struct {
	byName  map[protocol.CallName]CallSpec
	mods    []Module
	buckets [][]byte
}

var registry = sync.OnceValue(func() *callTable {
	t := &callTable{byName: map[protocol.CallName]CallSpec{}, mods: modules()}
	t.buckets = append(t.buckets, coreStateBuckets...)
	for _, m := range t.mods {
		t.buckets = append(t.buckets, m.Buckets...)
		for _, c := range m.Calls {
			if c.Name.Module != m.Name {
				panic("localchain: module " + m.Name + " handles " + c.Name.String())
			}
			if _, dup := t.byName[c.Name]; dup {
				panic("localchain: duplicate call " + c.Name.String())
			}
			t.byName[c.Name] = c
		}
	}
	return t
})

func lookupCall(n protocol.CallName) (CallSpec, bool) {
	s, ok := registry().byName[n]
	return s, ok
}

// Calls lists every call this chain executes, sorted (protocol.Calls lists the ones it
// decodes; the two are the same set).
func Calls() []protocol.CallName {
	var out []protocol.CallName
	for n := range registry().byName {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// BlockContext is what a block step sees: the block being built and its state.
type BlockContext struct {
	Height      uint64
	TimestampMs uint64 // logical time: genesis time + height × target block time
	ParentHash  protocol.Hash
	State       *StateTx
	Params      protocol.Params

	events  []protocol.Event
	txIndex int32 // -1 during the block step
}

// Emit records an event of the block step or of the current transaction.
func (b *BlockContext) Emit(module, name string, attrs []protocol.Attr, accounts ...wallet.AccountID) {
	b.events = append(b.events, protocol.Event{
		Height: b.Height, TxIndex: b.txIndex, Module: module, Name: name,
		Attrs: attrs, Accounts: accounts,
	})
}

// CallContext is what a call handler sees: the block, the signer and the transaction.
type CallContext struct {
	*BlockContext
	Signer wallet.AccountID
	TxHash protocol.TxHash
}

// Tx returns the bbolt transaction for reads (state helpers take it first).
func (c *CallContext) Tx() *bbolt.Tx { return c.State.tx }

// RequireSudo fails with CodeNotSudo unless the signer is the sudo account.
func (c *CallContext) RequireSudo(what string) error {
	sudo := getSudo(c.Tx())
	if c.Signer != sudo {
		return protocol.Fail(protocol.CodeNotSudo, "%s needs the sudo account's signature (sudo is %s, signer is %s)", what, sudo, c.Signer)
	}
	return nil
}

// StateTx is the block's bbolt write transaction as seen by state code: every Put and Delete is
// recorded in the block's write set (with the value written, hashed into the state digest) and,
// while a call runs, in an undo journal so a failed call leaves no trace. Read with the
// *bbolt.Tx from Tx(); write only through StateTx.
type StateTx struct {
	tx         *bbolt.Tx
	buckets    map[string]*bucketWrites
	journal    []undoEntry
	journaling bool
	touched    *touchLog // set by Simulate: the first old value of every key written
}

// bucketWrites is one state bucket's handle and its part of the block's write set: every
// write in order (a key written twice appears twice; the last write is the key's final value),
// the keys packed in one arena so recording a write allocates nothing per key.
type bucketWrites struct {
	name   []byte
	b      *bbolt.Bucket
	arena  []byte
	writes []write
}

// write is one recorded Put (present) or Delete of a key stored at arena[off:off+n].
type write struct {
	off, n  uint32
	seq     uint32 // position in writes, the tie-break that makes the last write win
	present bool
	value   []byte
}

func (w *bucketWrites) note(key, value []byte, present bool) {
	off := uint32(len(w.arena))
	w.arena = append(w.arena, key...)
	w.writes = append(w.writes, write{off: off, n: uint32(len(key)), seq: uint32(len(w.writes)), present: present, value: value})
}

func (w *bucketWrites) key(i int) []byte {
	e := &w.writes[i]
	return w.arena[e.off : e.off+e.n : e.off+e.n]
}

// writeSetBufs keeps each state bucket's write-set buffers from one block's digest for the next
// block's writes to that bucket: a block of many epochs records about 20,000 writes, and growing
// their buffers again by doubling in every block would allocate several MiB per block (and the
// garbage collections that follow slow the epochs). At most writeSetKeepBytes are kept in all;
// buffers beyond, from an unusually large block, are left to the garbage collector.
var writeSetBufs struct {
	sync.Mutex
	byName map[string]writeSetBuf
	bytes  int
}

type writeSetBuf struct {
	arena  []byte
	writes []write
}

func (b writeSetBuf) size() int { return cap(b.arena) + cap(b.writes)*int(unsafe.Sizeof(write{})) }

const writeSetKeepBytes = 8 << 20

// takeWriteSetBufs returns the kept empty buffers of a bucket (nil, nil when none are kept).
func takeWriteSetBufs(name []byte) ([]byte, []write) {
	writeSetBufs.Lock()
	defer writeSetBufs.Unlock()
	b, ok := writeSetBufs.byName[string(name)]
	if !ok {
		return nil, nil
	}
	delete(writeSetBufs.byName, string(name))
	writeSetBufs.bytes -= b.size()
	return b.arena, b.writes
}

// keepWriteSetBufs empties w's write set and keeps its buffers for the next block; w records
// any later write in new buffers.
func keepWriteSetBufs(w *bucketWrites) {
	clear(w.writes) // drop the values
	b := writeSetBuf{arena: w.arena[:0], writes: w.writes[:0]}
	w.arena, w.writes = nil, nil
	writeSetBufs.Lock()
	defer writeSetBufs.Unlock()
	if writeSetBufs.byName == nil {
		writeSetBufs.byName = map[string]writeSetBuf{}
	}
	if _, taken := writeSetBufs.byName[string(w.name)]; taken || writeSetBufs.bytes+b.size() > writeSetKeepBytes {
		return
	}
	writeSetBufs.byName[string(w.name)] = b
	writeSetBufs.bytes += b.size()
}

type undoEntry struct {
	bucket  *bucketWrites
	key     []byte
	old     []byte
	existed bool
}

func newStateTx(tx *bbolt.Tx) *StateTx {
	return &StateTx{tx: tx, buckets: map[string]*bucketWrites{}}
}

func (s *StateTx) bucket(name []byte) (*bucketWrites, error) {
	if w, ok := s.buckets[string(name)]; ok {
		return w, nil
	}
	b := s.tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("state bucket %q does not exist", name)
	}
	if len(name) > 0xFF {
		return nil, fmt.Errorf("state bucket name %q is longer than 255 bytes", name)
	}
	// State records are mostly rewritten in place (pools, bonds, outputs every epoch): pack the
	// pages bbolt rewrites full instead of half full (its default, tuned for appends in key
	// order), which halves the pages a block writes and syncs. Page packing is not state: the
	// digest and every record are unchanged.
	b.FillPercent = 1.0
	w := &bucketWrites{name: append([]byte(nil), name...), b: b}
	w.arena, w.writes = takeWriteSetBufs(name)
	s.buckets[string(name)] = w
	return w, nil
}

func (s *StateTx) record(w *bucketWrites, key []byte) {
	if s.touched != nil {
		s.touched.note(w, key)
	}
	if !s.journaling {
		return
	}
	old := w.b.Get(key)
	u := undoEntry{bucket: w, key: append([]byte(nil), key...), existed: old != nil}
	if old != nil {
		u.old = append(make([]byte, 0, len(old)), old...) // an empty value stays non-nil (present)
	}
	s.journal = append(s.journal, u)
}

// Put writes key = value in a state bucket. value must not be modified afterwards (the write
// set keeps it for the state digest).
func (s *StateTx) Put(bucket, key, value []byte) error {
	w, err := s.bucket(bucket)
	if err != nil {
		return err
	}
	s.record(w, key)
	if value == nil {
		value = []byte{} // a Put always leaves the key present
	}
	if err := w.b.Put(key, value); err != nil {
		return err
	}
	w.note(key, value, true)
	return nil
}

// Delete removes key from a state bucket (no-op if absent).
func (s *StateTx) Delete(bucket, key []byte) error {
	w, err := s.bucket(bucket)
	if err != nil {
		return err
	}
	if w.b.Get(key) == nil {
		return nil
	}
	s.record(w, key)
	if err := w.b.Delete(key); err != nil {
		return err
	}
	w.note(key, nil, false)
	return nil
}

func (s *StateTx) beginCall() {
	s.journaling = true
	s.journal = s.journal[:0]
}

func (s *StateTx) commitCall() {
	s.journaling = false
	s.journal = s.journal[:0]
}

// rollbackCall undoes the current call's writes. Their keys stay in the write set with their
// restored values (recorded as writes of their own, so they are the keys' last writes); the
// digest hashes them, which is still deterministic.
func (s *StateTx) rollbackCall() error {
	s.journaling = false
	for i := len(s.journal) - 1; i >= 0; i-- {
		u := s.journal[i]
		var err error
		if u.existed {
			err = u.bucket.b.Put(u.key, u.old)
		} else {
			err = u.bucket.b.Delete(u.key)
		}
		if err != nil {
			return fmt.Errorf("roll back failed call: %w", err)
		}
		u.bucket.note(u.key, u.old, u.existed)
	}
	s.journal = s.journal[:0]
	return nil
}

// attrs builds an event's attributes from key, value pairs.
func attrs(kv ...string) []protocol.Attr {
	out := make([]protocol.Attr, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, protocol.Attr{Key: kv[i], Value: kv[i+1]})
	}
	return out
}
