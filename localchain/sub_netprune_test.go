package localchain

import (
	"strings"
	"testing"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// netPruneHistory drives a devnet to a full subnet limit: subnet_limit 3 and network_immunity 30
// set at block 2, subnets 2 (Bob) and 3 (Charlie) registered at block 3; subnet 2 starts at
// block 4 and subnet 3 only at block 8 (so its moving price, an EMA that grows from its start,
// stays the lowest), and Dave stakes 20 TAO on subnet 3 at block 9.
func netPruneHistory(t *testing.T) *subHarness {
	t.Helper()
	h := newSubHarness(t)
	h.fund(10*protocol.RaoPerTAO, "//Bob//owner", "//Charlie//owner")
	for _, g := range []protocol.SudoSetGlobal{{Name: "subnet_limit", Value: 3}, {Name: "network_immunity", Value: 30}, {Name: "network_rate_limit", Value: 0}} {
		h.submit("Alice", g)
	}
	h.seal()
	h.submit("Bob", protocol.RegisterNetwork{Hotkey: h.id("//Bob//owner")})
	h.submit("Charlie", protocol.RegisterNetwork{Hotkey: h.id("//Charlie//owner")})
	h.seal()
	h.ok("Bob", protocol.StartCall{Netuid: 2})
	for h.c.Head().Height < 7 {
		h.seal()
	}
	h.ok("Charlie", protocol.StartCall{Netuid: 3})
	h.ok("Dave", protocol.AddStake{Hotkey: h.id("//Charlie//owner"), Netuid: 3, Amount: 20 * protocol.RaoPerTAO})
	for _, netuid := range []uint16{1, 2, 3} {
		if _, err := h.c.Subnet(netuid); err != nil {
			t.Fatalf("subnet %d: %v", netuid, err)
		}
	}
	if r2, r3 := h.subnet(2).RegisteredAt, h.subnet(3).RegisteredAt; r2 != 3 || r3 != 3 || h.c.Head().Height != 9 {
		t.Fatalf("subnets 2 and 3 registered at %d and %d (want 3), head %d (want 9)", r2, r3, h.c.Head().Height)
	}
	return h
}

// TestRegisterNetworkAtSubnetLimit: at the subnet limit, register_network fails while every
// subnet is immune (no state change beyond fee and nonce), then replaces the non-immune subnet
// with the lowest moving price, dissolving it exactly as dissolve_network does (its stakers
// paid from its pool) and reusing its netuid.
func TestRegisterNetworkAtSubnetLimit(t *testing.T) {
	t.Parallel()
	h := netPruneHistory(t)
	ferdie := h.id("Ferdie")

	// Block 10: subnet 1 (genesis, block 0) is immune until block 30, subnets 2 and 3 until 33.
	before := h.stateDump()
	free := balance(t, h.c, ferdie).Free
	info := h.do("Ferdie", protocol.RegisterNetwork{Hotkey: h.id("//Ferdie//owner")})
	if r := info.Receipt; r.Code != protocol.CodeSubnetLimit || !strings.Contains(r.Message, "from block 30") {
		t.Fatalf("register_network with every subnet immune: %+v", r)
	}
	if got := balance(t, h.c, ferdie).Free; free-got != protocol.DefaultParams().TxFee {
		t.Fatalf("the failed registration cost %d, want the fee only", free-got)
	}
	after := h.stateDump()
	for k, v := range before {
		if strings.HasPrefix(k, "s.sub.") && !strings.HasPrefix(k, string(bucketSubnets)) && after[k] != v {
			t.Fatalf("the failed registration changed %q", k)
		}
	}
	for _, netuid := range []uint16{1, 2, 3} {
		if s := h.subnet(netuid); s.N != 1 || s.RegisteredAt != []uint64{0, 3, 3}[netuid-1] {
			t.Fatalf("subnet %d changed: %+v", netuid, s)
		}
	}

	// Block 30: only subnet 1 is past its immunity, so it is the one replaced although subnet
	// 3's moving price is lower.
	for h.c.Head().Height < 29 {
		h.seal()
	}
	if m1, m3 := h.subnet(1).movingPrice(), h.subnet(3).movingPrice(); !m3.Less(m1) {
		t.Fatalf("moving prices: subnet 3 %s is not below subnet 1 %s; the immunity check would go untested", m3, m1)
	}
	info = h.ok("Ferdie", protocol.RegisterNetwork{Hotkey: h.id("//Ferdie//owner")})
	if info.Height != 30 || len(info.Events) < 3 || info.Events[0].Name != "NetworkPruned" || info.Events[0].Attr("netuid") != "1" {
		t.Fatalf("registration at block %d: events %+v", info.Height, info.Events)
	}
	var added bool
	for _, ev := range info.Events {
		added = added || ev.Name == "NetworkAdded" && ev.Attr("netuid") == "1"
	}
	if !added {
		t.Fatalf("no NetworkAdded for netuid 1: %+v", info.Events)
	}
	s1 := h.subnet(1)
	if s1.Owner != ferdie || s1.RegisteredAt != 30 || s1.N != 1 || s1.started() {
		t.Fatalf("the new subnet 1: %+v", s1)
	}
	if mg, err := h.c.Metagraph(1); err != nil || mg.Neurons[0].Hotkey != h.id("//Ferdie//owner") {
		t.Fatalf("metagraph of the new subnet 1: %+v %v", mg, err)
	}
	if got := h.stake(1, "Alice", "Alice"); got != 0 {
		t.Fatalf("Alice keeps %d alpha on the replaced subnet 1", got)
	}
}

// TestSubnetPruneIsDissolve: once subnets 2 and 3 are past their immunity, register_network
// replaces subnet 3 (the lower moving price), and the state is exactly that of a sudo
// dissolve_network of subnet 3 followed by the same registration in the same block.
func TestSubnetPruneIsDissolve(t *testing.T) {
	t.Parallel()
	pruned, dissolved := netPruneHistory(t), netPruneHistory(t)
	for _, h := range []*subHarness{pruned, dissolved} {
		for h.c.Head().Height < 33 {
			h.seal()
		}
	}
	if m2, m3 := pruned.subnet(2).movingPrice(), pruned.subnet(3).movingPrice(); !m3.Less(m2) {
		t.Fatalf("moving prices: subnet 3 %s is not below subnet 2 %s", m3, m2)
	}
	dave := pruned.id("Dave")
	if pruned.stake(3, "//Charlie//owner", "Dave") == 0 {
		t.Fatal("Dave holds no stake on subnet 3")
	}
	daveBefore := balance(t, pruned.c, dave).Free

	info := pruned.ok("Alice", protocol.RegisterNetwork{Hotkey: pruned.id("//Alice//net")})
	if info.Events[0].Name != "NetworkPruned" || info.Events[0].Attr("netuid") != "3" {
		t.Fatalf("pruned: %+v", info.Events)
	}
	h := dissolved.submit("Alice", protocol.DissolveNetwork{Netuid: 3})
	r := dissolved.submit("Alice", protocol.RegisterNetwork{Hotkey: dissolved.id("//Alice//net")})
	dissolved.seal()
	for _, hash := range []protocol.TxHash{h, r} {
		if rc := dissolved.receipt(hash).Receipt; !rc.OK() {
			t.Fatalf("dissolve then register: %+v", rc)
		}
	}

	daveAfter := balance(t, pruned.c, dave).Free
	if daveAfter <= daveBefore {
		t.Fatalf("Dave was not paid for his stake on the pruned subnet: %d -> %d", daveBefore, daveAfter)
	}
	if got := balance(t, dissolved.c, dave).Free; got != daveAfter {
		t.Fatalf("Dave holds %d after the prune and %d after dissolve_network", daveAfter, got)
	}
	a, b := pruned.stateDump(), dissolved.stateDump()
	for k, v := range a {
		if strings.HasPrefix(k, "s.sub.") && b[k] != v {
			t.Errorf("state %q differs between prune and dissolve", k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok && strings.HasPrefix(k, "s.sub.") {
			t.Errorf("state %q exists only after dissolve", k)
		}
	}
	s3 := pruned.subnet(3)
	if s3.Owner != pruned.id("Alice") || s3.OwnerHotkey != pruned.id("//Alice//net") || s3.RegisteredAt != info.Height {
		t.Fatalf("the new subnet 3: %+v", s3)
	}
	for _, p := range mustStakes(t, pruned, dave) {
		if p.Netuid == 3 {
			t.Fatalf("Dave keeps a position on netuid 3: %+v", p)
		}
	}
}

func mustStakes(t *testing.T, h *subHarness, ck wallet.AccountID) []protocol.StakeInfo {
	t.Helper()
	st, err := h.c.StakesByColdkey(ck)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
