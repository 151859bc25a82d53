package mechanism

import (
	"reflect"
	"testing"
)

func TestNeuronToPrune(t *testing.T) {
	t.Parallel()
	// Lowest (emission, registration block, uid) among non-immune, non-immortal uids when more
	// than MinNonImmuneUids of them exist, else the same minimum among the immune ones.
	plain := func(uid uint16, em, reg uint64) PruneNeuron {
		return PruneNeuron{UID: uid, Emission: em, RegisteredAt: reg}
	}
	noGuard := PruneParams{Block: 10, ImmunityPeriod: 0, ImmuneOwnerUidsLimit: 0, MinNonImmuneUids: 0}
	tests := []struct {
		name    string
		neurons []PruneNeuron
		p       PruneParams
		want    uint16
		ok      bool
	}{
		{"empty subnet", nil, noGuard, 0, false},
		{"all immortal", []PruneNeuron{{UID: 0, IsOwnerHotkey: true, OwnedBySubnetOwner: true}},
			PruneParams{Block: 10, ImmuneOwnerUidsLimit: 1}, 0, false},
		// tests/registration.rs: two uids registered at 0, immunity 2, emissions (100, 110).
		{"both immune at block 1", []PruneNeuron{plain(0, 100, 0), plain(1, 110, 0)},
			PruneParams{Block: 1, ImmunityPeriod: 2}, 0, true},
		{"none immune at block 4", []PruneNeuron{plain(0, 100, 0), plain(1, 110, 0)},
			PruneParams{Block: 4, ImmunityPeriod: 2}, 0, true},
		{"lowest emission wins", []PruneNeuron{plain(0, 5, 0), plain(1, 3, 0), plain(2, 4, 0)}, noGuard, 1, true},
		{"emission tie: oldest registration", []PruneNeuron{plain(0, 3, 5), plain(1, 3, 2), plain(2, 3, 7)}, noGuard, 1, true},
		{"full tie: lowest uid", []PruneNeuron{plain(2, 3, 5), plain(0, 3, 5), plain(1, 3, 5)}, noGuard, 0, true},
		{"non-immune preferred over lower-emission immune",
			[]PruneNeuron{plain(0, 0, 9), plain(1, 50, 0)},
			PruneParams{Block: 10, ImmunityPeriod: 5}, 1, true},
		{"min non-immune floor falls back to immune",
			[]PruneNeuron{plain(0, 0, 9), plain(1, 50, 0), plain(2, 60, 0)},
			PruneParams{Block: 10, ImmunityPeriod: 5, MinNonImmuneUids: 2}, 0, true},
		{"floor reached and nobody immune",
			[]PruneNeuron{plain(0, 1, 0), plain(1, 2, 0)},
			PruneParams{Block: 10, ImmunityPeriod: 5, MinNonImmuneUids: 2}, 0, false},
		// Owner immortality (tests/registration.rs): emissions [0, 0, 1]; uid 0 owner hotkey,
		// uid 1 another owner hotkey, uid 2 a stranger.
		{"owner limit 1 protects only the owner hotkey", []PruneNeuron{
			{UID: 0, IsOwnerHotkey: true, OwnedBySubnetOwner: true},
			{UID: 1, OwnedBySubnetOwner: true},
			{UID: 2, Emission: 1},
		}, PruneParams{Block: 10, ImmuneOwnerUidsLimit: 1}, 1, true},
		{"owner limit 2 protects both owner hotkeys", []PruneNeuron{
			{UID: 0, IsOwnerHotkey: true, OwnedBySubnetOwner: true},
			{UID: 1, OwnedBySubnetOwner: true},
			{UID: 2, Emission: 1},
		}, PruneParams{Block: 10, ImmuneOwnerUidsLimit: 2}, 2, true},
		{"limit 0: even the owner hotkey can go", []PruneNeuron{
			{UID: 0, IsOwnerHotkey: true, OwnedBySubnetOwner: true},
			{UID: 1, Emission: 1},
		}, PruneParams{Block: 10, ImmuneOwnerUidsLimit: 0}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := NeuronToPrune(tt.neurons, tt.p)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Fatalf("NeuronToPrune = (%d, %v), want (%d, %v)", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestImmortalOwnerUIDs(t *testing.T) {
	t.Parallel()
	// Owner coldkey hotkeys sorted by (registration, uid), truncated; the owner hotkey is put
	// first when the truncation dropped it, then truncated again.
	neurons := []PruneNeuron{
		{UID: 0, OwnedBySubnetOwner: true, RegisteredAt: 7},
		{UID: 1, OwnedBySubnetOwner: true, RegisteredAt: 3},
		{UID: 2, OwnedBySubnetOwner: true, RegisteredAt: 3},
		{UID: 3, IsOwnerHotkey: true, OwnedBySubnetOwner: true, RegisteredAt: 9},
		{UID: 4, RegisteredAt: 1},
	}
	tests := []struct {
		limit uint16
		want  []uint16
	}{
		{0, []uint16{}},
		{1, []uint16{3}},
		{2, []uint16{3, 1}},
		{3, []uint16{3, 1, 2}},
		{4, []uint16{1, 2, 0, 3}},
		{10, []uint16{1, 2, 0, 3}},
	}
	for _, tt := range tests {
		if got := ImmortalOwnerUIDs(neurons, tt.limit); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("limit %d: got %v, want %v", tt.limit, got, tt.want)
		}
	}
}

func TestDefaultPruneParams(t *testing.T) {
	t.Parallel()
	if p := DefaultPruneParams(9); p.Block != 9 || p.ImmunityPeriod != 5000 || p.ImmuneOwnerUidsLimit != 1 || p.MinNonImmuneUids != 10 {
		t.Fatalf("defaults %+v", p)
	}
}
