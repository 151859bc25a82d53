package localchain

import (
	"encoding/json"
	"testing"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

func TestSubtensorGenesis(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	nets, err := h.c.Subnets()
	if err != nil {
		t.Fatal(err)
	}
	if len(nets) != 2 || nets[0].Netuid != 0 || !nets[0].Root || nets[1].Netuid != 1 {
		t.Fatalf("genesis subnets %+v", nets)
	}
	alice := h.id("Alice")
	s1 := nets[1]
	if s1.Owner != alice || s1.OwnerHotkey != alice || !s1.Started || s1.Tempo != 10 || s1.Neurons != 1 {
		t.Fatalf("subnet 1 %+v", s1)
	}
	if s1.TaoIn != 100*protocol.RaoPerTAO || s1.AlphaIn != 100*protocol.RaoPerTAO || s1.Price != protocol.RaoPerTAO {
		t.Fatalf("subnet 1 pool %d/%d price %d", s1.TaoIn, s1.AlphaIn, s1.Price)
	}
	hp, err := h.c.Hyperparameters(1)
	if err != nil {
		t.Fatal(err)
	}
	if hp.CommitReveal || hp.ImmunityPeriod != 100 || hp.WeightsSetRateLimit != 1 {
		t.Fatalf("devnet hyperparameters %+v", hp)
	}
	mg, err := h.c.Metagraph(1)
	if err != nil {
		t.Fatal(err)
	}
	if mg.N != 1 || mg.Neurons[0].Hotkey != alice || mg.Neurons[0].Coldkey != alice {
		t.Fatalf("metagraph %+v", mg)
	}
	info, _ := h.c.Info()
	if info.TotalIssuance != 3_006_000*protocol.RaoPerTAO+100*protocol.RaoPerTAO {
		t.Fatalf("issuance %d: the genesis pool of subnet 1 is minted on top of the balances", info.TotalIssuance)
	}
	// Emission starts: after a few blocks the pending buckets fill and an epoch drains them.
	h.advance(12)
	n := h.subnet(1)
	if n.EpochCount == 0 || n.AlphaOut == 0 {
		t.Fatalf("no epoch or emission on subnet 1 after 12 blocks: %+v", n)
	}
	if _, err := h.c.Subnet(9); err == nil {
		t.Fatal("subnet 9 exists")
	}
}

func TestRegisterNetworkLifecycle(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	cost, err := h.c.NetworkLockCost()
	if err != nil {
		t.Fatal(err)
	}
	if cost != 100*protocol.RaoPerTAO {
		t.Fatalf("first lock cost %d", cost)
	}
	before := balance(t, h.c, h.id("Bob")).Free
	info := h.ok("Bob", protocol.RegisterNetwork{Hotkey: h.id("//Bob//owner")})
	if got := balance(t, h.c, h.id("Bob")).Free; before-got != cost+protocol.DefaultParams().TxFee {
		t.Fatalf("Bob paid %d, want lock %d + fee", before-got, cost)
	}
	if info.Events[0].Name != "NetworkAdded" || info.Events[0].Attr("netuid") != "2" {
		t.Fatalf("events %+v", info.Events)
	}
	// The lock doubles right after a registration.
	if c2, _ := h.c.NetworkLockCost(); c2 <= cost {
		t.Fatalf("lock after a registration %d, want above %d", c2, cost)
	}
	s2, err := h.c.Subnet(2)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Started || s2.TaoIn != cost || s2.Neurons != 1 {
		t.Fatalf("subnet 2 %+v", s2)
	}
	// Not started: no staking, no emission.
	h.fund(10*protocol.RaoPerTAO, "//Bob//owner")
	if r := h.do("Alice", protocol.AddStake{Hotkey: h.id("//Bob//owner"), Netuid: 2, Amount: protocol.RaoPerTAO}).Receipt; r.Code != protocol.CodeNotStarted {
		t.Fatalf("stake before start_call: %+v", r)
	}
	if r := h.do("Alice", protocol.StartCall{Netuid: 2}).Receipt; r.Code != protocol.CodeNotSubnetOwner {
		t.Fatalf("start_call by a stranger: %+v", r)
	}
	h.ok("Bob", protocol.StartCall{Netuid: 2})
	if r := h.do("Bob", protocol.StartCall{Netuid: 2}).Receipt; r.Code != protocol.CodeAlreadyStarted {
		t.Fatalf("second start_call: %+v", r)
	}
	h.ok("Alice", protocol.AddStake{Hotkey: h.id("//Bob//owner"), Netuid: 2, Amount: 10 * protocol.RaoPerTAO})
	if h.stake(2, "//Bob//owner", "Alice") == 0 {
		t.Fatal("no stake after add_stake")
	}
	// Owner hyperparameters: bounds, sudo-only fields, sudo.
	h.ok("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "tempo", Value: 400})
	h.ok("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "tempo", Value: 10}) // the devnet default: finney's owner minimum is 360
	if r := h.do("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "tempo", Value: 50_401}).Receipt; r.Code != protocol.CodeHyperparamBounds {
		t.Fatalf("owner tempo 50401: %+v", r)
	}
	// Tempo 0 would stop the epochs: refused to the owner and to sudo.
	for _, who := range []string{"Bob", "Alice"} {
		if r := h.do(who, protocol.SetHyperparameter{Netuid: 2, Name: "tempo", Value: 0}).Receipt; r.Code != protocol.CodeHyperparamBounds {
			t.Fatalf("tempo 0 by %s: %+v", who, r)
		}
	}
	h.ok("Alice", protocol.SetHyperparameter{Netuid: 2, Name: "tempo", Value: 60_000})
	h.ok("Alice", protocol.SetHyperparameter{Netuid: 2, Name: "tempo", Value: 20})
	if hp, _ := h.c.Hyperparameters(2); hp.Tempo != 20 {
		t.Fatalf("tempo %d", hp.Tempo)
	}
	if r := h.do("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "kappa", Value: 1}).Receipt; r.Code != protocol.CodeNotSettable {
		t.Fatalf("owner kappa: %+v", r)
	}
	// Dissolve pays the stakers from the pool and removes everything.
	aliceBefore := balance(t, h.c, h.id("Alice")).Free
	h.ok("Alice", protocol.DissolveNetwork{Netuid: 2})
	if _, err := h.c.Subnet(2); err == nil {
		t.Fatal("subnet 2 still exists")
	}
	if got := balance(t, h.c, h.id("Alice")).Free; got <= aliceBefore-protocol.DefaultParams().TxFee {
		t.Fatalf("Alice was not paid for her stake: %d -> %d", aliceBefore, got)
	}
	st, _ := h.c.StakesByColdkey(h.id("Alice"))
	for _, p := range st {
		if p.Netuid == 2 {
			t.Fatalf("position left after dissolve: %+v", p)
		}
	}
}

func TestBurnDecayAndBump(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	b0 := h.subnet(1).Burn
	h.seal()
	b1 := h.subnet(1).Burn
	bp := h.subnet(1).burnParams()
	if want := mechanism.DecayBurn(b0, 1, mechanism.DecayFactorQ32(bp.HalfLife), bp); b1 != want {
		t.Fatalf("burn after block 1: %d, want %d", b1, want)
	}
	h.fund(protocol.RaoPerTAO, "//Dave//m")
	h.ok("Dave", protocol.BurnedRegister{Netuid: 1, Hotkey: h.id("//Dave//m")})
	b := h.subnet(1).Burn
	if b <= b1 {
		t.Fatalf("burn did not bump: %d -> %d", b1, b)
	}
}

func TestSubtensorGenesisSection(t *testing.T) {
	t.Parallel()
	g := protocol.DevnetGenesis()
	bob, _ := mustDev(t, "Bob")
	hp := devnetHyperparams()
	hp.Tempo = 7
	sec := protocol.SubtensorGenesis{Subnets: []protocol.GenesisSubnet{
		{Netuid: 3, Owner: bob, OwnerHotkey: bob, PoolTao: 50 * protocol.RaoPerTAO, Started: true, Hyperparams: &hp},
		{Netuid: 5, Owner: bob, OwnerHotkey: g.Sudo, PoolTao: 10 * protocol.RaoPerTAO},
	}}
	raw, err := json.Marshal(sec)
	if err != nil {
		t.Fatal(err)
	}
	g.Modules = map[string]json.RawMessage{subModule: raw}
	h := &subHarness{t: t, c: openTest(t, WithGenesis(g)), keys: map[string]*wallet.Keypair{}}
	nets, err := h.c.Subnets()
	if err != nil {
		t.Fatal(err)
	}
	if len(nets) != 3 || nets[1].Netuid != 3 || nets[1].Tempo != 7 || !nets[1].Started || nets[2].Netuid != 5 || nets[2].Started {
		t.Fatalf("subnets from the genesis section: %+v", nets)
	}
	h.advance(9)
	// A bad section is refused.
	for _, bad := range []string{
		`{"subnets":[{"netuid":0,"owner":"` + bob.SS58() + `","owner_hotkey":"` + bob.SS58() + `","pool_tao":1000000000}]}`,
		`{"subnets":[{"netuid":2,"pool_tao":1000000000}]}`,
		`{"subnets":[],"extra":1}`,
	} {
		g2 := protocol.DevnetGenesis()
		g2.Modules = map[string]json.RawMessage{subModule: json.RawMessage(bad)}
		if _, err := Open(t.TempDir(), WithGenesis(g2)); err == nil {
			t.Errorf("genesis section %s was accepted", bad)
		}
	}
}

func mustDev(t *testing.T, name string) (wallet.AccountID, *wallet.Keypair) {
	t.Helper()
	kp, err := wallet.Dev(name)
	if err != nil {
		t.Fatal(err)
	}
	return kp.AccountID(), kp
}
