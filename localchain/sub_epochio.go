package localchain

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/wallet"
)

// Batched reads and writes of a block's epochs. An epoch block of many subnets reads a hotkey
// record for every uid and credits every uid's share pool; done one bbolt lookup and one Put per
// record (several per validator) they cost more than the epochs themselves. These helpers read
// the same records in cursor walks and write each pool once, in key order. They change how the
// records are reached, never what is read or written: every key ends the block with the value
// (or absence) the record-at-a-time code gives it, and the write set, so the state digest, is the
// same (TestEpochBlockDigestsPinned, TestPoolCacheMatchesRecordByRecord,
// TestParallelEpochsMatchSerial: the serial path keeps the record-at-a-time code).
//
// What such a block still writes (64 subnets × 256 uids, 64 validators each,
// BenchmarkEpochBlock64x256): 16,384 pool records (90 bytes with key), 4,096 bond rows (~570
// bytes), 64 outputs blobs (5.9 KiB), about 4.4 MB of write set that the state digest hashes,
// and about 330 pages of 16 KiB (dbPageSize) that bbolt spills, writes and syncs. The stored
// layout is unchanged on purpose: the state digest is defined over the write set's raw records
// (bucket, key, value), so moving these values into per-subnet vectors would change every
// digest of such a block for the same logical state, unless the digest kept hashing per-uid
// entries that no longer exist as records.

// hotkeyWant is one uid whose hotkey record is wanted: its hotkey and where the record goes.
type hotkeyWant struct {
	hk  wallet.AccountID
	dst *hotkeyInfo
	ok  *bool
}

// hotkeyOrder is a want's place in key order: sorting these 16-byte pairs moves a quarter of the
// bytes that sorting the wants would, and the first 8 bytes of the hotkey order almost every pair.
type hotkeyOrder struct {
	head uint64 // the hotkey's first 8 bytes, big-endian
	i    int32  // index in wants
}

// hotkeyWalkStep is how many entries the walk in readHotkeys steps forward before it seeks:
// stepping within a leaf is much cheaper than a seek from the root, which costs about as much as
// this many steps.
const hotkeyWalkStep = 16

// readHotkeys fills each want's record (and sets its ok) from the hotkeys bucket in cursor walks
// in key order, stepping to a key close ahead and seeking to one farther away; a hotkey without
// a record leaves ok false. The key order is cut into one range per core, each walked by its own
// cursor (read-only: see readEpochInputs).
func readHotkeys(tx *bbolt.Tx, wants []hotkeyWant) {
	if len(wants) == 0 {
		return
	}
	order := make([]hotkeyOrder, len(wants))
	for i := range wants {
		order[i] = hotkeyOrder{head: binary.BigEndian.Uint64(wants[i].hk[:8]), i: int32(i)}
	}
	cmpOrder := func(a, b hotkeyOrder) int {
		if c := cmp.Compare(a.head, b.head); c != 0 {
			return c
		}
		return bytes.Compare(wants[a.i].hk[8:], wants[b.i].hk[8:])
	}
	parts := min(runtime.GOMAXPROCS(0), max(1, len(wants)/1024))
	order = sortParallel(order, parts, cmpOrder)
	cuts := make([]int, parts+1)
	for i := 1; i < parts; i++ {
		c := max(cuts[i-1], i*len(order)/parts)
		for c > 0 && c < len(order) && wants[order[c].i].hk == wants[order[c-1].i].hk {
			c++ // equal hotkeys stay in one range
		}
		cuts[i] = c
	}
	cuts[parts] = len(order)
	parallel(parts, func(i int) { walkHotkeys(tx, wants, order[cuts[i]:cuts[i+1]]) })
}

// sortParallel sorts s: parts pieces sorted at once, then merged pairwise, each round's merges at
// once. It returns the sorted slice, which may be a new one.
func sortParallel[T any](s []T, parts int, cmpf func(a, b T) int) []T {
	if parts <= 1 {
		slices.SortFunc(s, cmpf)
		return s
	}
	bounds := make([]int, parts+1) // piece i is s[bounds[i]:bounds[i+1]]
	for i := range bounds {
		bounds[i] = i * len(s) / parts
	}
	parallel(parts, func(i int) { slices.SortFunc(s[bounds[i]:bounds[i+1]], cmpf) })
	buf := make([]T, len(s))
	for pieces := parts; pieces > 1; pieces = len(bounds) - 1 {
		src, dst, b := s, buf, bounds
		parallel(pieces/2, func(k int) {
			lo, mid, hi := b[2*k], b[2*k+1], b[2*k+2]
			mergeSorted(dst[lo:hi], src[lo:mid], src[mid:hi], cmpf)
		})
		if pieces%2 == 1 { // the last piece has no pair this round
			copy(dst[b[pieces-1]:], src[b[pieces-1]:])
		}
		next := make([]int, 0, pieces/2+2)
		for i := 0; i < len(b); i += 2 {
			next = append(next, b[i])
		}
		if pieces%2 == 1 {
			next = append(next, b[pieces])
		}
		s, buf, bounds = dst, src, next
	}
	return s
}

// mergeSorted merges sorted a and b into dst (len(a)+len(b)); equal elements keep a's first.
func mergeSorted[T any](dst, a, b []T, cmpf func(a, b T) int) {
	i, j := 0, 0
	for k := range dst {
		if j == len(b) || (i < len(a) && cmpf(a[i], b[j]) <= 0) {
			dst[k] = a[i]
			i++
		} else {
			dst[k] = b[j]
			j++
		}
	}
}

// walkHotkeys is readHotkeys over the wants at order (in key order) with one cursor.
func walkHotkeys(tx *bbolt.Tx, wants []hotkeyWant, order []hotkeyOrder) {
	if len(order) == 0 {
		return
	}
	c := tx.Bucket(bucketHotkeys).Cursor()
	k, v := c.Seek(wants[order[0].i].hk[:])
	var prev *hotkeyWant
	for _, o := range order {
		w := &wants[o.i]
		if prev != nil && w.hk == prev.hk {
			*w.dst, *w.ok = *prev.dst, *prev.ok
			continue
		}
		prev = w
		for step := 0; k != nil && bytes.Compare(k, w.hk[:]) < 0; step++ {
			if step == hotkeyWalkStep {
				k, v = c.Seek(w.hk[:])
				break
			}
			k, v = c.Next()
		}
		if k == nil || !bytes.Equal(k, w.hk[:]) || len(v) != 42 {
			*w.ok = false // as getHotkey: absent or not a hotkey record
			continue
		}
		*w.dst = hotkeyInfo{Owner: wallet.AccountID(v[:32]), Take: binary.BigEndian.Uint16(v[32:]), TakeChanged: binary.BigEndian.Uint64(v[34:])}
		*w.ok = true
	}
}

// poolCache holds one subnet's share-pool records while its epoch's emission is paid: loaded in
// one cursor walk, credited in memory, written once each (flush). Only the pools of that subnet
// go through it, and nothing else may write them until flush.
type poolCache struct {
	s      *StateTx
	netuid uint16
	idx    map[wallet.AccountID]int
	ents   []poolEntry
	// The last hotkey looked up and its index: a uid's credits come one after the other.
	lastHK  wallet.AccountID
	lastIdx int
	lastOK  bool
}

// index is idx[hk], remembered for the next lookup.
func (pc *poolCache) index(hk wallet.AccountID) (int, bool) {
	if pc.lastOK && pc.lastHK == hk {
		return pc.lastIdx, true
	}
	i, ok := pc.idx[hk]
	if ok {
		pc.lastHK, pc.lastIdx, pc.lastOK = hk, i, true
	}
	return i, ok
}

type poolEntry struct {
	hk     wallet.AccountID
	p      hotPool
	stored bool // the record is in the database (it was loaded; no write reached bbolt yet)
	exists bool // the record would be in the database had each write gone straight to it
	wrote  bool // a write happened; last says whether the last one would have been a Put
	last   bool
}

// loadPoolCache reads every pool record of netuid.
func loadPoolCache(s *StateTx, netuid uint16, sizeHint int) (*poolCache, error) {
	idx, ents := takePoolCacheBufs(sizeHint)
	pc := &poolCache{s: s, netuid: netuid, idx: idx, ents: ents}
	prefix := netKey(netuid)
	c := s.tx.Bucket(bucketHotAlpha).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != 34 || len(v) != hotPoolSize {
			return nil, fmt.Errorf("hotkey pool %x has a %d-byte key and %d-byte value", k, len(k), len(v))
		}
		hk := wallet.AccountID(k[2:])
		pc.idx[hk] = len(pc.ents)
		pc.ents = append(pc.ents, poolEntry{hk: hk, p: decodeHotPool(v), stored: true, exists: true})
	}
	return pc, nil
}

// load returns hk's pool entry and, as loadHotPool, its record or a new empty one owned by the
// hotkey's owner coldkey when none exists.
func (pc *poolCache) load(hk wallet.AccountID) (*poolEntry, hotPool) {
	i, ok := pc.index(hk)
	if !ok {
		i = len(pc.ents)
		pc.idx[hk] = i
		pc.ents = append(pc.ents, poolEntry{hk: hk})
	}
	e := &pc.ents[i]
	if e.exists {
		return e, e.p
	}
	h, _ := getHotkey(pc.s.tx, hk)
	return e, hotPool{Owner: h.Owner}
}

// value is the pool value of hk (0 without a pool), as getHotAlpha.
func (pc *poolCache) value(hk wallet.AccountID) uint64 {
	if i, ok := pc.index(hk); ok && pc.ents[i].exists {
		return pc.ents[i].p.Value
	}
	return 0
}

// put is putHotPool on the cached record: a pool holding nothing is deleted (a no-op when no
// record exists).
func (e *poolEntry) put(p hotPool) {
	e.p = p
	if p.Value == 0 && p.Shares == 0 {
		if e.exists {
			e.wrote, e.last, e.exists = true, false, false
		}
		return
	}
	e.wrote, e.last, e.exists = true, true, true
}

// creditStake is creditStake through the cache.
func (pc *poolCache) creditStake(hk, ck wallet.AccountID, amount uint64) error {
	if amount == 0 {
		return nil
	}
	e, p := pc.load(hk)
	if err := creditPool(pc.s, &p, pc.netuid, hk, ck, amount); err != nil {
		return err
	}
	e.put(p)
	return nil
}

// creditHotkeyPool is creditHotkeyPool through the cache.
func (pc *poolCache) creditHotkeyPool(hk wallet.AccountID, amount uint64) bool {
	i, ok := pc.index(hk)
	if !ok || !pc.ents[i].exists || pc.ents[i].p.Shares == 0 {
		return false
	}
	if amount > 0 {
		e := &pc.ents[i]
		p := e.p
		p.Value += amount
		e.put(p)
	}
	return true
}

// flush writes every pool that was written, in key order, with the write the record-at-a-time
// code would have made last.
func (pc *poolCache) flush() error {
	var order []int
	for i := range pc.ents {
		if pc.ents[i].wrote {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(pc.ents[a].hk[:], pc.ents[b].hk[:]) })
	vals := make([]byte, 0, len(order)*hotPoolSize) // one buffer: bbolt keeps the values until commit
	for _, i := range order {
		e := &pc.ents[i]
		key := netHotkeyKey(pc.netuid, e.hk)
		if e.last {
			vals = appendHotPool(vals, e.p)
			if err := pc.s.Put(bucketHotAlpha, key, vals[len(vals)-hotPoolSize:len(vals):len(vals)]); err != nil {
				return err
			}
			continue
		}
		if !e.stored {
			// Created and emptied again: the uncached code wrote the record, then deleted it.
			if err := pc.s.Put(bucketHotAlpha, key, appendHotPool(nil, e.p)); err != nil {
				return err
			}
		}
		if err := pc.s.Delete(bucketHotAlpha, key); err != nil {
			return err
		}
	}
	keepPoolCacheBufs(pc.idx, pc.ents)
	pc.ents, pc.idx, pc.lastOK = nil, nil, false
	return nil
}

// poolCacheBufs keeps the maps and arrays of flushed pool caches for the next ones (a block of
// 64 epochs makes 64 of them).
var poolCacheBufs struct {
	sync.Mutex
	idx  []map[wallet.AccountID]int
	ents [][]poolEntry
}

const poolCacheBufsKept = 256

// takePoolCacheBufs returns an empty map and array, kept or new for about n entries.
func takePoolCacheBufs(n int) (map[wallet.AccountID]int, []poolEntry) {
	poolCacheBufs.Lock()
	defer poolCacheBufs.Unlock()
	k := len(poolCacheBufs.idx) - 1
	if k < 0 {
		return make(map[wallet.AccountID]int, n), make([]poolEntry, 0, n)
	}
	idx, ents := poolCacheBufs.idx[k], poolCacheBufs.ents[k]
	poolCacheBufs.idx[k], poolCacheBufs.ents[k] = nil, nil
	poolCacheBufs.idx, poolCacheBufs.ents = poolCacheBufs.idx[:k], poolCacheBufs.ents[:k]
	return idx, ents
}

// keepPoolCacheBufs keeps a flushed cache's map and array, emptied.
func keepPoolCacheBufs(idx map[wallet.AccountID]int, ents []poolEntry) {
	clear(idx)
	clear(ents)
	poolCacheBufs.Lock()
	defer poolCacheBufs.Unlock()
	if len(poolCacheBufs.idx) < poolCacheBufsKept && len(ents) <= 1<<16 {
		poolCacheBufs.idx = append(poolCacheBufs.idx, idx)
		poolCacheBufs.ents = append(poolCacheBufs.ents, ents[:0])
	}
}
