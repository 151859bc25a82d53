package localchain

import (
	"reflect"
	"testing"

	"github.com/btui/btui/protocol"
)

// Simulate tells what the next block would do with a call: the same receipt, events and
// balance and stake changes as the real run in that block, and no trace in the state.
func TestSimulateMatchesTheRealRun(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	h.fund(50*protocol.RaoPerTAO, "Dave//sim")
	cases := []struct {
		name   string
		signer string
		call   protocol.Call
		code   protocol.Code
	}{
		{"transfer", "Bob", protocol.Transfer{To: h.id("Charlie"), Amount: 3 * protocol.RaoPerTAO}, protocol.CodeOK},
		{"add stake", "Bob", protocol.AddStake{Hotkey: h.id("Alice"), Netuid: 1, Amount: 2 * protocol.RaoPerTAO}, protocol.CodeOK},
		{"keep alive", "Dave//sim", protocol.Transfer{To: h.id("Bob"), Amount: 50*protocol.RaoPerTAO - 100_000}, protocol.CodeKeepAlive},
		{"below minimum stake", "Bob", protocol.AddStake{Hotkey: h.id("Alice"), Netuid: 1, Amount: 1000}, protocol.CodeStakeBelowMinimum},
	}
	for _, tc := range cases {
		before := h.stateDump()
		info0, _ := h.c.Info()
		sim, err := h.c.Simulate(tc.call, h.id(tc.signer))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if info, _ := h.c.Info(); info.StateDigest != info0.StateDigest || info.Height != info0.Height || !reflect.DeepEqual(h.stateDump(), before) {
			t.Fatalf("%s: Simulate changed the state", tc.name)
		}
		if sim.Rejected != nil || sim.Receipt.Code != tc.code {
			t.Fatalf("%s: simulated %+v, rejected %+v; want code %s", tc.name, sim.Receipt, sim.Rejected, tc.code)
		}
		real := h.do(tc.signer, tc.call)
		if real.Height != sim.Height || real.Receipt != sim.Receipt {
			t.Fatalf("%s: real receipt %+v at #%d, simulated %+v at #%d", tc.name, real.Receipt, real.Height, sim.Receipt, sim.Height)
		}
		if len(real.Events) != len(sim.Events) {
			t.Fatalf("%s: real events %+v, simulated %+v", tc.name, real.Events, sim.Events)
		}
		for i := range real.Events {
			r, s := real.Events[i], sim.Events[i]
			if r.Module != s.Module || r.Name != s.Name || !reflect.DeepEqual(r.Attrs, s.Attrs) {
				t.Fatalf("%s: event %d real %+v, simulated %+v", tc.name, i, r, s)
			}
		}
		signerChange := false
		for _, b := range sim.Balances {
			if got := balance(t, h.c, b.Account).Free; got != b.After {
				t.Fatalf("%s: %s holds %d after the real run, simulated %d", tc.name, b.Account, got, b.After)
			}
			signerChange = signerChange || b.Account == h.id(tc.signer)
		}
		if !signerChange {
			t.Fatalf("%s: the signer's fee is not among the balance changes %+v", tc.name, sim.Balances)
		}
		for _, s := range sim.Stakes {
			if got := h.stake(s.Netuid, "Alice", "Bob"); s.Hotkey == h.id("Alice") && s.Coldkey == h.id("Bob") && got != s.After {
				t.Fatalf("%s: stake %d after the real run, simulated %d", tc.name, got, s.After)
			}
		}
		if tc.name == "add stake" && len(sim.Stakes) != 1 {
			t.Fatalf("add stake: stake changes %+v", sim.Stakes)
		}
	}
	// A transaction the chain refuses outright: no fee, no changes, a rejection.
	sim, err := h.c.Simulate(protocol.Transfer{To: h.id("Bob"), Amount: 1}, h.id("Nobody//empty"))
	if err != nil {
		t.Fatal(err)
	}
	if sim.Rejected == nil || sim.Rejected.Code != protocol.CodeUnfundedFee || len(sim.Balances) != 0 {
		t.Fatalf("unfunded signer: %+v", sim)
	}
	if code, _ := protocol.CodeOf(sim.Err()); code != protocol.CodeUnfundedFee {
		t.Fatalf("Err() = %v", sim.Err())
	}
}
