package mechanism

import (
	"slices"
	"sync"
	"unsafe"
)

// arena hands out the epoch's intermediate sparse rows and score buffers from memory reused
// across calls, so a steady-state epoch allocates little beyond its output. Nothing an arena
// hands out may outlive the call that reset()s it; Epoch copies its results out first. A nil
// *arena allocates fresh memory, which is what the exported helpers use.
type arena struct {
	entries []SparseEntry // current chunk; [eoff:] is free
	eoff    int
	old     [][]SparseEntry // chunks filled earlier in this call, still in use
	rows    [][]SparseEntry // row headers; [roff:] is free
	roff    int
	vals    []I32F32 // I32F32 buffers; [voff:] is free
	voff    int
}

var arenaPool = sync.Pool{New: func() any { return new(arena) }}

// keptArenas holds a few arenas across garbage collections, each of which empties arenaPool. A
// block that runs an epoch for each of many subnets allocates enough to collect garbage several
// times; an arena lost to each collection is regrown from 4,096 entries by doubling, and the
// epochs run in memory the process has just faulted in instead of memory still in cache. At most
// keptArenaCount arenas holding keptArenaBytes in all are kept (a 256-uid epoch's arena is about
// 1 MiB); any other goes to arenaPool.
var keptArenas struct {
	sync.Mutex
	free  []*arena
	bytes int
}

const (
	keptArenaCount = 8
	keptArenaBytes = 16 << 20
)

// getArena returns a reset arena.
func getArena() *arena {
	keptArenas.Lock()
	if n := len(keptArenas.free); n > 0 {
		a := keptArenas.free[n-1]
		keptArenas.free[n-1] = nil
		keptArenas.free = keptArenas.free[:n-1]
		keptArenas.bytes -= a.bytes()
		keptArenas.Unlock()
		return a
	}
	keptArenas.Unlock()
	return arenaPool.Get().(*arena)
}

// putArena resets a and keeps it for the next getArena.
func putArena(a *arena) {
	a.reset()
	keptArenas.Lock()
	if size := a.bytes(); len(keptArenas.free) < keptArenaCount && keptArenas.bytes+size <= keptArenaBytes {
		keptArenas.free = append(keptArenas.free, a)
		keptArenas.bytes += size
		keptArenas.Unlock()
		return
	}
	keptArenas.Unlock()
	arenaPool.Put(a)
}

// bytes is the memory a reset arena holds.
func (a *arena) bytes() int {
	return len(a.entries)*int(unsafe.Sizeof(SparseEntry{})) + len(a.rows)*int(unsafe.Sizeof([]SparseEntry(nil))) + len(a.vals)*int(unsafe.Sizeof(I32F32{}))
}

// takeEntries returns an empty slice with capacity c.
func (a *arena) takeEntries(c int) []SparseEntry {
	if a == nil {
		return make([]SparseEntry, 0, c)
	}
	if a.eoff+c > len(a.entries) {
		if a.entries != nil {
			a.old = append(a.old, a.entries)
		}
		a.entries = make([]SparseEntry, max(c, 2*len(a.entries), 4096))
		a.eoff = 0
	}
	s := a.entries[a.eoff : a.eoff : a.eoff+c]
	a.eoff += c
	return s
}

// takeRows returns n zero row headers.
func (a *arena) takeRows(n int) SparseMatrix {
	if a == nil {
		return make(SparseMatrix, n)
	}
	if a.roff+n > len(a.rows) {
		a.rows = make([][]SparseEntry, max(a.roff+n, 2*len(a.rows)))
		a.roff = 0
	}
	s := a.rows[a.roff : a.roff+n : a.roff+n]
	a.roff += n
	clear(s)
	return s
}

// takeVals returns n zeroed values.
func (a *arena) takeVals(n int) []I32F32 {
	if a == nil {
		return make([]I32F32, n)
	}
	if a.voff+n > len(a.vals) {
		a.vals = make([]I32F32, max(a.voff+n, 2*len(a.vals)))
		a.voff = 0
	}
	s := a.vals[a.voff : a.voff+n : a.voff+n]
	a.voff += n
	clear(s)
	return s
}

// reset makes every buffer free again; chunks filled in this call merge into one for the next.
func (a *arena) reset() {
	if len(a.old) > 0 {
		total := len(a.entries)
		for _, c := range a.old {
			total += len(c)
		}
		a.entries, a.old = make([]SparseEntry, total), nil
	}
	a.eoff, a.roff, a.voff = 0, 0, 0
}

// keptOutputs holds the memory of outputs given back with ReleaseOutput for later epochs: a
// block that runs many epochs allocates about 80 KiB of output per 256-uid epoch, and what it
// allocates makes the garbage collections that slow it. At most keptOutputBytes are kept.
var keptOutputs struct {
	sync.Mutex
	neurons [][]NeuronOutput
	bonds   [][]UIDValue
	bytes   int
}

const keptOutputBytes = 16 << 20

// takeOutput returns n output neurons and total bond cells, kept or new; their contents are
// not cleared.
func takeOutput(n, total int) ([]NeuronOutput, []UIDValue) {
	keptOutputs.Lock()
	defer keptOutputs.Unlock()
	return takeKept(&keptOutputs.neurons, n), takeKept(&keptOutputs.bonds, total)
}

// takeKept removes from *kept the last array that holds n elements and returns it cut to n,
// or returns a new one (an empty one, not nil, for 0: an empty bond row encodes as []).
// keptOutputs must be locked.
func takeKept[T any](kept *[][]T, n int) []T {
	if n == 0 {
		return make([]T, 0)
	}
	for i := len(*kept) - 1; i >= 0; i-- {
		if s := (*kept)[i]; cap(s) >= n {
			*kept = slices.Delete(*kept, i, i+1)
			keptOutputs.bytes -= cap(s) * int(unsafe.Sizeof(s[:1][0]))
			return s[:n]
		}
	}
	return make([]T, n)
}

// ReleaseOutput gives the memory of an output of Epoch back for later Epoch calls to reuse.
// Neither out nor any slice in it may be used afterwards. It is optional: an output never
// released is garbage collected. Only what Epoch allocated is kept: an output decoded from
// JSON keeps nothing but its neurons array.
func ReleaseOutput(out EpochOutput) {
	neurons, bonds := out.Neurons, out.bondBacking
	clear(neurons) // drop the bond rows' references
	keptOutputs.Lock()
	defer keptOutputs.Unlock()
	if size := cap(neurons) * int(unsafe.Sizeof(NeuronOutput{})); size > 0 && keptOutputs.bytes+size <= keptOutputBytes {
		keptOutputs.neurons = append(keptOutputs.neurons, neurons[:0])
		keptOutputs.bytes += size
	}
	if size := cap(bonds) * int(unsafe.Sizeof(UIDValue{})); size > 0 && keptOutputs.bytes+size <= keptOutputBytes {
		keptOutputs.bonds = append(keptOutputs.bonds, bonds[:0])
		keptOutputs.bytes += size
	}
}
