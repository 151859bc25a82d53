package localchain

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
)

func TestSubtensorQueries(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	h.ok("Charlie", protocol.AddStake{Hotkey: h.id("//Charlie//v1"), Netuid: 2, Amount: 100 * protocol.RaoPerTAO})
	// The moving price (I96F32) stays 0 until α = 3e-6·t/(t+201600) reaches 2^-32 (t ≈ 16):
	// until then no subnet has an emission share.
	h.advance(30)
	nets, err := h.c.Subnets()
	if err != nil {
		t.Fatal(err)
	}
	head := h.c.Head().Height
	var share uint64
	for _, s := range nets {
		if s.Root {
			if s.EmissionShare != 0 || s.NextEpochBlock != 0 {
				t.Fatalf("root row %+v", s)
			}
			continue
		}
		share += s.EmissionShare
		if !mechanism.ShouldRunEpoch(s.Netuid, s.Tempo, s.NextEpochBlock) || s.NextEpochBlock <= head || s.NextEpochBlock > head+uint64(s.Tempo)+1 {
			t.Fatalf("subnet %d next epoch %d at head %d", s.Netuid, s.NextEpochBlock, head)
		}
		if s.BurnCost != h.subnet(s.Netuid).Burn || s.MaxNeurons != 256 || s.Price == 0 || s.AlphaEmission == 0 {
			t.Fatalf("subnet row %+v", s)
		}
	}
	if share < 999_999_990 || share > 1_000_000_000 {
		t.Fatalf("emission shares add up to %d ppb", share)
	}
	w, _ := h.c.Weights(2)
	b, _ := h.c.Bonds(2)
	mg, _ := h.c.Metagraph(2)
	if len(w) != int(mg.N) || len(b) != int(mg.N) {
		t.Fatalf("%d weight rows, %d bond rows for %d uids", len(w), len(b), mg.N)
	}
	js, err := json.Marshal(mg)
	if err != nil || !strings.Contains(string(js), `"validator_permit"`) || !strings.Contains(string(js), h.id("//Charlie//v1").SS58()) {
		t.Fatalf("metagraph json %s (%v)", js, err)
	}
	gp, _ := h.c.GlobalParams()
	if gp["min_stake"] != 2_000_000 || len(gp) != len(GlobalParamNames()) {
		t.Fatalf("global params %v", gp)
	}
	ds, _ := h.c.Delegates()
	if len(ds) == 0 || ds[0].Hotkey != h.id("//Charlie//v1") || ds[0].StakeByNet["2"] == 0 {
		t.Fatalf("delegates %+v", ds)
	}
	if _, err := h.c.Metagraph(42); err == nil {
		t.Fatal("metagraph of a missing subnet")
	}
	if _, err := h.c.EpochInputAt(0, head+1, 0); err == nil {
		t.Fatal("epoch input of root")
	}
	if len(protocol.HyperparamNames()) != len(protocol.HyperFields) {
		t.Fatal("hyperparameter names")
	}
}

func TestHyperparamBoundsMatchTheChain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		sudo   bool
		ok     bool
		lo, hi uint64
	}{
		{"tempo", false, true, 1, 50_400},
		{"tempo", true, true, 1, 65535},
		{"emission_enabled", false, false, 0, 0}, // sudo only
		{"emission_enabled", true, true, 0, 1},
		{"no_such_parameter", true, false, 0, 0},
	} {
		lo, hi, ok := HyperparamBounds(tc.name, tc.sudo)
		if ok != tc.ok || lo != tc.lo || hi != tc.hi {
			t.Errorf("HyperparamBounds(%q, %v) = %d, %d, %v; want %d, %d, %v", tc.name, tc.sudo, lo, hi, ok, tc.lo, tc.hi, tc.ok)
		}
	}
	// Every hyperparameter of the protocol has a rule here, and nothing else does.
	for _, f := range protocol.HyperFields {
		if _, ok := hyperRules[f.Name]; !ok {
			t.Errorf("%s: no rule in hyperRules", f.Name)
		}
	}
	if len(hyperRules) != len(protocol.HyperFields) {
		t.Errorf("hyperRules has %d entries, protocol.HyperFields %d", len(hyperRules), len(protocol.HyperFields))
	}
	// Every name the chain accepts has sudo bounds, and owner bounds exactly when the owner may set it.
	for name, who := range protocol.HyperparamNames() {
		if _, _, ok := HyperparamBounds(name, true); !ok {
			t.Errorf("%s: no sudo bounds", name)
		}
		if _, _, ok := HyperparamBounds(name, false); ok != (who == "owner") {
			t.Errorf("%s (set by %s): owner bounds ok = %v", name, who, ok)
		}
	}
}
