package mechanism

import "sync"

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
