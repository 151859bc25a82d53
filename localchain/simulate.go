package localchain

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// errSimRollback ends a simulation's write transaction without committing it.
var errSimRollback = errors.New("simulation rolled back")

// Simulate runs call as signer's next transaction would run in block head+1: the block's
// module steps, then the transaction's checks (arguments, nonce, fee; not the signature, so no
// key is needed), fee and nonce, and the call, in one bbolt write transaction that is rolled
// back. It returns the receipt, the transaction's events and the balance and stake changes of
// every account and position it touched (before = after the block steps, without the
// transaction). A rejection is reported in Simulation.Rejected, not as an error; errors are
// infrastructure faults.
func (c *Chain) Simulate(call protocol.Call, signer wallet.AccountID) (*protocol.Simulation, error) {
	if call == nil {
		return nil, fmt.Errorf("simulate: no call")
	}
	if c.closed.Load() {
		return nil, protocol.ErrClosed
	}
	c.dbMu.RLock()
	defer c.dbMu.RUnlock()
	if c.closed.Load() {
		return nil, protocol.ErrClosed
	}
	var sim *protocol.Simulation
	err := c.db.Update(func(tx *bbolt.Tx) error {
		var err error
		sim, err = simulateIn(tx, c.genesis, c.genesisHash, call, signer)
		if err != nil {
			return err
		}
		return errSimRollback
	})
	if err != nil && !errors.Is(err, errSimRollback) {
		return nil, fmt.Errorf("simulate %s: %w", call.CallName(), err)
	}
	return sim, nil
}

func simulateIn(tx *bbolt.Tx, g *protocol.Genesis, genesisHash protocol.Hash, call protocol.Call, signer wallet.AccountID) (*protocol.Simulation, error) {
	head, err := loadHead(tx)
	if err != nil {
		return nil, err
	}
	params, err := getParams(tx)
	if err != nil {
		return nil, err
	}
	acct := getAccount(tx, signer)
	t := protocol.NewTx(genesisHash, call, signer, acct.Nonce, 0, 0)
	sim := &protocol.Simulation{
		Height: head.Height + 1, Signer: signer, Nonce: acct.Nonce, Call: protocol.CallInfoOf(call),
		Events: []protocol.Event{}, Balances: []protocol.BalanceChange{}, Stakes: []protocol.StakeChange{},
	}
	reject := func(err error) (*protocol.Simulation, error) {
		var te *protocol.TxError
		if !errors.As(err, &te) {
			return nil, err
		}
		sim.Rejected = &protocol.Rejection{Code: te.Code, CodeName: te.Code.String(), Message: te.Error()}
		return sim, nil
	}
	if size := t.Size(); size > protocol.MaxTxSize {
		return reject(protocol.Reject(protocol.CodeOversize, "transaction is %d bytes, the limit is %d", size, protocol.MaxTxSize))
	}
	if _, ok := lookupCall(call.CallName()); !ok {
		return reject(protocol.Reject(protocol.CodeUnknownCall, "unknown call %s", call.CallName()))
	}
	height := head.Height + 1
	s := newStateTx(tx)
	bctx := &BlockContext{
		Height: height, TimestampMs: g.TimestampMs + height*g.BlockTimeMs, ParentHash: head.Hash,
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
	nev := len(bctx.events)
	log := &touchLog{seen: map[string]bool{}}
	s.touched = log
	bctx.txIndex = 0
	rc, err := applyTx(bctx, t)
	s.touched = nil
	if err != nil {
		return reject(err)
	}
	sim.Receipt = rc
	for _, ev := range bctx.events[nev:] {
		ev.Height, ev.Index = height, uint32(len(sim.Events))
		sim.Events = append(sim.Events, ev)
	}
	// The touched accounts and positions: the subjects of the touched keys in the state after
	// the transaction and in the state before it (a pool the call created or emptied has its
	// owner on one side only). Both states are made in this transaction, rolled back anyway.
	log.snapshotAfter()
	accounts, positions := log.subjects(tx)
	if err := log.restore(false); err != nil {
		return nil, err
	}
	a2, p2 := log.subjects(tx)
	accounts, positions = mergeSubjects(accounts, a2), mergePositions(positions, p2)
	before := readSubjects(tx, accounts, positions)
	if err := log.restore(true); err != nil {
		return nil, err
	}
	after := readSubjects(tx, accounts, positions)
	for i, a := range accounts {
		sim.Balances = append(sim.Balances, protocol.BalanceChange{Account: a, Before: before.free[i], After: after.free[i]})
	}
	for i, p := range positions {
		if before.stake[i] == after.stake[i] {
			continue // a pool's owner position the call did not move
		}
		sim.Stakes = append(sim.Stakes, protocol.StakeChange{Netuid: p.netuid, Hotkey: p.hk, Coldkey: p.ck, Before: before.stake[i], After: after.stake[i]})
	}
	return sim, nil
}

// touchLog keeps the value every key had before its first write (Simulate's undo).
type touchLog struct {
	seen    map[string]bool
	entries []touchEntry
}

type touchEntry struct {
	w       *bucketWrites
	key     []byte
	old     []byte
	existed bool
	new     []byte // the value after the transaction (snapshotAfter)
	exists  bool
}

func (l *touchLog) note(w *bucketWrites, key []byte) {
	id := string(w.name) + "\x00" + string(key)
	if l.seen[id] {
		return
	}
	l.seen[id] = true
	old := w.b.Get(key)
	e := touchEntry{w: w, key: append([]byte(nil), key...), existed: old != nil}
	if old != nil {
		e.old = append(make([]byte, 0, len(old)), old...)
	}
	l.entries = append(l.entries, e)
}

// snapshotAfter records every touched key's current value (the state after the transaction).
func (l *touchLog) snapshotAfter() {
	for i := range l.entries {
		e := &l.entries[i]
		v := e.w.b.Get(e.key)
		e.exists = v != nil
		if v != nil {
			e.new = append(make([]byte, 0, len(v)), v...)
		}
	}
}

// restore puts every touched key back to its value before the transaction, or (after) to its
// value after it.
func (l *touchLog) restore(after bool) error {
	for _, e := range l.entries {
		val, present := e.old, e.existed
		if after {
			val, present = e.new, e.exists
		}
		var err error
		if present {
			err = e.w.b.Put(e.key, val)
		} else {
			err = e.w.b.Delete(e.key)
		}
		if err != nil {
			return fmt.Errorf("simulate: restore %s: %w", e.w.name, err)
		}
	}
	return nil
}

type position struct {
	netuid uint16
	hk, ck wallet.AccountID
}

// subjects lists the accounts and stake positions the touched keys belong to, in the state
// tx currently holds: accounts by their balance records, positions by their share records and
// by the owner coldkey of each touched hotkey pool.
func (l *touchLog) subjects(tx *bbolt.Tx) ([]wallet.AccountID, []position) {
	var accts []wallet.AccountID
	var pos []position
	for _, e := range l.entries {
		switch {
		case bytes.Equal(e.w.name, bucketAccounts) && len(e.key) == 32:
			accts = append(accts, wallet.AccountID(e.key))
		case bytes.Equal(e.w.name, bucketShares) && len(e.key) == 66:
			p := position{netuid: binary.BigEndian.Uint16(e.key)}
			copy(p.hk[:], e.key[2:34])
			copy(p.ck[:], e.key[34:])
			pos = append(pos, p)
		case bytes.Equal(e.w.name, bucketHotAlpha) && len(e.key) == 34:
			p := position{netuid: binary.BigEndian.Uint16(e.key)}
			copy(p.hk[:], e.key[2:34])
			if hp, ok := getHotPool(tx, p.netuid, p.hk); ok {
				p.ck = hp.Owner
				pos = append(pos, p)
			}
		}
	}
	return mergeSubjects(accts, nil), mergePositions(pos, nil)
}

func mergeSubjects(a, b []wallet.AccountID) []wallet.AccountID {
	out := append(append([]wallet.AccountID(nil), a...), b...)
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i][:], out[j][:]) < 0 })
	return compact(out, func(x, y wallet.AccountID) bool { return x == y })
}

func mergePositions(a, b []position) []position {
	out := append(append([]position(nil), a...), b...)
	less := func(x, y position) bool {
		if x.netuid != y.netuid {
			return x.netuid < y.netuid
		}
		if c := bytes.Compare(x.hk[:], y.hk[:]); c != 0 {
			return c < 0
		}
		return bytes.Compare(x.ck[:], y.ck[:]) < 0
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return compact(out, func(x, y position) bool { return x == y })
}

func compact[T any](s []T, eq func(a, b T) bool) []T {
	out := s[:0]
	for i, v := range s {
		if i == 0 || !eq(v, s[i-1]) {
			out = append(out, v)
		}
	}
	return out
}

type subjectValues struct {
	free  []uint64
	stake []uint64
}

func readSubjects(tx *bbolt.Tx, accts []wallet.AccountID, pos []position) subjectValues {
	v := subjectValues{free: make([]uint64, len(accts)), stake: make([]uint64, len(pos))}
	for i, a := range accts {
		v.free[i] = getAccount(tx, a).Free
	}
	for i, p := range pos {
		v.stake[i] = stakeOf(tx, p.netuid, p.hk, p.ck)
	}
	return v
}
