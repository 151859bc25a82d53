package localchain

import (
	"reflect"
	"testing"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
)

// newStakingNet returns a harness with Bob's started subnet 2 and Charlie's validator v1
// registered on it and on subnet 1.
func newStakingNet(t *testing.T) *subHarness {
	h := newSubHarness(t)
	h.ok("Bob", protocol.RegisterNetwork{Hotkey: h.id("//Bob//owner")})
	h.ok("Bob", protocol.StartCall{Netuid: 2})
	h.fund(10*protocol.RaoPerTAO, "//Charlie//v1", "//Dave//v2")
	h.submit("Charlie", protocol.BurnedRegister{Netuid: 2, Hotkey: h.id("//Charlie//v1")})
	h.submit("Charlie", protocol.BurnedRegister{Netuid: 1, Hotkey: h.id("//Charlie//v1")})
	h.submit("Dave", protocol.BurnedRegister{Netuid: 2, Hotkey: h.id("//Dave//v2")})
	h.seal()
	return h
}

func TestStakeUnstakeThroughThePool(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	v1 := h.id("//Charlie//v1")
	before := balance(t, h.c, h.id("Alice")).Free
	pool0 := h.subnet(2).pool()
	quote, err := pool0.QuoteBuy(50*protocol.RaoPerTAO, mechanism.DefaultSwapParams())
	if err != nil {
		t.Fatal(err)
	}
	info := h.ok("Alice", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 50 * protocol.RaoPerTAO})
	got := h.stake(2, "//Charlie//v1", "Alice")
	// The block step of the staking block ran first (emission may move the pool), so compare
	// with the event and bound it by the quote at the previous state.
	if ev := info.Events[0]; attrU64(t, ev, "alpha") != got || got == 0 {
		t.Fatalf("staked %d alpha, event says %s", got, ev.Attr("alpha"))
	}
	if got > quote.Out*11/10 || got < quote.Out*9/10 {
		t.Fatalf("staked %d alpha, the pool quoted %d", got, quote.Out)
	}
	if spent := before - balance(t, h.c, h.id("Alice")).Free; spent != 50*protocol.RaoPerTAO+protocol.DefaultParams().TxFee {
		t.Fatalf("Alice spent %d", spent)
	}
	// Unstake everything: TAO back minus fees and price impact.
	before = balance(t, h.c, h.id("Alice")).Free
	h.ok("Alice", protocol.RemoveStake{Hotkey: v1, Netuid: 2, Amount: got})
	back := balance(t, h.c, h.id("Alice")).Free - before + protocol.DefaultParams().TxFee
	if back > 50*protocol.RaoPerTAO || back < 49*protocol.RaoPerTAO {
		t.Fatalf("unstaking returned %s", protocol.FormatTAO(back))
	}
	if h.stake(2, "//Charlie//v1", "Alice") != 0 {
		t.Fatal("position left after removing all of it")
	}

	// Root stakes TAO 1:1.
	h.ok("Alice", protocol.AddStake{Hotkey: v1, Netuid: 0, Amount: 7 * protocol.RaoPerTAO})
	if s := h.stake(0, "//Charlie//v1", "Alice"); s != 7*protocol.RaoPerTAO {
		t.Fatalf("root stake %d", s)
	}
	mg, _ := h.c.Metagraph(2)
	if mg.Neurons[1].RootStake != 7*protocol.RaoPerTAO || mg.Neurons[1].StakeWeight <= mg.Neurons[1].Stake {
		t.Fatalf("metagraph root stake %d, stake weight %d for alpha %d", mg.Neurons[1].RootStake, mg.Neurons[1].StakeWeight, mg.Neurons[1].Stake)
	}
	before = balance(t, h.c, h.id("Alice")).Free
	h.ok("Alice", protocol.RemoveStake{Hotkey: v1, Netuid: 0, Amount: 7 * protocol.RaoPerTAO})
	if got := balance(t, h.c, h.id("Alice")).Free - before + protocol.DefaultParams().TxFee; got != 7*protocol.RaoPerTAO {
		t.Fatalf("root unstake returned %d", got)
	}

	// A limited buy with partial fills allowed stops at the limit and refunds the rest.
	s2, _ := h.c.Subnet(2)
	before = balance(t, h.c, h.id("Bob")).Free
	info = h.ok("Bob", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 500 * protocol.RaoPerTAO, LimitPrice: s2.Price * 11 / 10, AllowPartial: true})
	taken := attrU64(t, info.Events[0], "tao")
	if taken == 0 || taken >= 500*protocol.RaoPerTAO {
		t.Fatalf("limited stake took %d", taken)
	}
	if spent := before - balance(t, h.c, h.id("Bob")).Free; spent != taken+protocol.DefaultParams().TxFee {
		t.Fatalf("Bob spent %d for %d staked", spent, taken)
	}
	if s, _ := h.c.Subnet(2); s.Price > s2.Price*11/10+1 {
		t.Fatalf("price %d passed the limit %d", s.Price, s2.Price*11/10)
	}
}

func TestMoveTransferSwapStake(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	v1, v2 := h.id("//Charlie//v1"), h.id("//Dave//v2")
	h.ok("Alice", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 100 * protocol.RaoPerTAO})
	a := h.stake(2, "//Charlie//v1", "Alice")

	// Same subnet: a plain share transfer, no swap.
	tao0 := h.subnet(2).PoolTao
	h.ok("Alice", protocol.MoveStake{OriginHotkey: v1, DestinationHotkey: v2, OriginNetuid: 2, DestinationNetuid: 2, Amount: a / 2})
	if got := h.stake(2, "//Dave//v2", "Alice"); got+1 < a/2 || got > a/2 {
		t.Fatalf("moved %d, v2 position %d", a/2, got)
	}
	if h.subnet(2).PoolTao < tao0 {
		t.Fatal("a same-subnet move traded through the pool")
	}
	// Transfer to another coldkey.
	rest := h.stake(2, "//Charlie//v1", "Alice")
	h.ok("Alice", protocol.TransferStake{DestinationColdkey: h.id("Eve"), Hotkey: v1, OriginNetuid: 2, DestinationNetuid: 2, Amount: rest})
	if h.stake(2, "//Charlie//v1", "Eve") == 0 || h.stake(2, "//Charlie//v1", "Alice") != 0 {
		t.Fatal("transfer_stake did not move the position")
	}
	// Swap to subnet 1 (v1 is registered there too): sold on 2, bought on 1.
	e := h.stake(2, "//Charlie//v1", "Eve")
	h.ok("Eve", protocol.SwapStake{Hotkey: v1, OriginNetuid: 2, DestinationNetuid: 1, Amount: e})
	// (An epoch may pay v1 dividends between the read and the swap, so some alpha can remain.)
	if h.stake(2, "//Charlie//v1", "Eve") >= e || h.stake(1, "//Charlie//v1", "Eve") == 0 {
		t.Fatalf("swap_stake did not convert the position: %d on 2, %d on 1 (had %d)", h.stake(2, "//Charlie//v1", "Eve"), h.stake(1, "//Charlie//v1", "Eve"), e)
	}
	// Stakes by coldkey and by hotkey agree.
	byC, _ := h.c.StakesByColdkey(h.id("Eve"))
	byH, _ := h.c.StakesByHotkey(v1)
	found := false
	for _, s := range byH {
		if s.Coldkey == h.id("Eve") && s.Netuid == 1 {
			found = reflect.DeepEqual(s, byC[0])
		}
	}
	if len(byC) != 2 || !found {
		t.Fatalf("positions by coldkey %+v, by hotkey %+v", byC, byH)
	}
}

func TestSetTake(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	v1 := h.id("//Charlie//v1")
	h.ok("Charlie", protocol.SetTake{Hotkey: v1, Take: 1000}) // decrease: at once
	h.ok("Charlie", protocol.SetTake{Hotkey: v1, Take: 500})
	h.ok("Charlie", protocol.SetTake{Hotkey: v1, Take: 2000}) // first increase
	if r := h.do("Charlie", protocol.SetTake{Hotkey: v1, Take: 3000}).Receipt; r.Code != protocol.CodeTakeRateLimited {
		t.Fatalf("second increase: %+v", r)
	}
	h.ok("Charlie", protocol.SetTake{Hotkey: v1, Take: 100}) // decreases are never limited
	ds, err := h.c.Delegates()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Hotkey == v1 && (d.Take != 100 || d.Owner != h.id("Charlie") || len(d.Registered) != 2) {
			t.Fatalf("delegate %+v", d)
		}
	}
}

func TestPowRegistration(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	h.seal()
	head := h.c.Head()
	hk := h.id("//Dave//pow")
	nonce, seal, ok := mechanism.PowSolve(head.Hash, hk, h.subnet(1).H.Difficulty, 0, 10_000_000)
	if !ok {
		t.Fatal("no seal found")
	}
	burn := h.subnet(1).Burn
	h.ok("Dave", protocol.PowRegister{Netuid: 1, BlockNumber: head.Height, Nonce: nonce, Work: seal, Hotkey: hk})
	mg, _ := h.c.Metagraph(1)
	if mg.N != 2 || mg.Neurons[1].Hotkey != hk || mg.Neurons[1].Coldkey != h.id("Dave") {
		t.Fatalf("metagraph after PoW %+v", mg.Neurons)
	}
	if h.subnet(1).Burn > burn {
		t.Fatal("a PoW registration bumped the burn")
	}
	// The same work again, once the hotkey is free (swapped away) in the next block: refused.
	h.submit("Dave", protocol.SwapHotkey{Hotkey: hk, NewHotkey: h.id("//Dave//pow2")})
	again := h.submit("Dave", protocol.PowRegister{Netuid: 1, BlockNumber: head.Height, Nonce: nonce, Work: seal, Hotkey: hk})
	h.seal()
	if r := h.receipt(again).Receipt; r.Code != protocol.CodeDuplicateWork {
		t.Fatalf("reused work: %+v", r)
	}
	// Work for a block that is too old.
	h.seal()
	if r := h.do("Dave", protocol.PowRegister{Netuid: 1, BlockNumber: head.Height, Nonce: nonce, Work: seal, Hotkey: hk}).Receipt; r.Code != protocol.CodeInvalidWorkBlock {
		t.Fatalf("stale work: %+v", r)
	}
}

func TestPruningReplacesLowestEmission(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t) // subnet 2: owner, v1, v2
	for _, c := range []protocol.SetHyperparameter{{Netuid: 2, Name: "immunity_period", Value: 0}, {Netuid: 2, Name: "max_allowed_validators", Value: 3}, {Netuid: 2, Name: "max_allowed_uids", Value: 3}} {
		h.ok("Alice", c)
	}
	v1, v2 := h.id("//Charlie//v1"), h.id("//Dave//v2")
	h.ok("Charlie", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 100 * protocol.RaoPerTAO})
	h.untilEpoch(2)
	h.seal()
	h.ok("//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: []uint16{0, 2}, Values: []uint16{0, 65535}})
	h.untilEpoch(2)
	h.seal()
	mg, _ := h.c.Metagraph(2)
	if mg.Neurons[1].Emission == 0 || mg.Neurons[2].Emission == 0 {
		t.Fatalf("emissions %+v", mg.Neurons)
	}
	// Make v2 the lowest emitter: the owner weights v1 only (owner hotkey is immortal).
	h.fund(protocol.RaoPerTAO, "//Eve//new")
	lowest := uint16(1)
	if mg.Neurons[2].Emission < mg.Neurons[1].Emission {
		lowest = 2
	}
	oldHk := mg.Neurons[lowest].Hotkey
	stakeBefore := stakeOfID(h, 2, oldHk)
	info := h.ok("Eve", protocol.BurnedRegister{Netuid: 2, Hotkey: h.id("//Eve//new")})
	if info.Events[0].Attr("replaced") != oldHk.SS58() || info.Events[0].Attr("uid") != itoa(lowest) {
		t.Fatalf("registration event %+v, want uid %d of %s replaced", info.Events[0].Attrs, lowest, oldHk)
	}
	mg, _ = h.c.Metagraph(2)
	n := mg.Neurons[lowest]
	if n.Hotkey != h.id("//Eve//new") || n.Emission != 0 || n.Permit || n.RegisteredAt != h.c.Head().Height || n.LastUpdate != n.RegisteredAt {
		t.Fatalf("replaced uid not cleared: %+v", n)
	}
	w, _ := h.c.Weights(2)
	for _, row := range w {
		for _, e := range row.Entries {
			if e.UID == lowest && e.Value != 0 {
				t.Fatalf("uid %d row still weights the replaced uid: %+v", row.UID, row)
			}
		}
	}
	if len(w[lowest].Entries) != 0 {
		t.Fatalf("replaced uid kept its weights %+v", w[lowest])
	}
	if stakeOfID(h, 2, oldHk) != stakeBefore {
		t.Fatal("the pruned hotkey lost its stake")
	}
	_ = v2
}

func stakeOfID(h *subHarness, netuid uint16, hk [32]byte) uint64 {
	h.t.Helper()
	_, pools := h.positions(netuid)
	return pools[hk]
}

func TestCommitRevealWeights(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	v1 := h.id("//Charlie//v1")
	h.ok("Charlie", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 100 * protocol.RaoPerTAO})
	h.ok("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "commit_reveal", Value: 1})
	h.untilEpoch(2)
	h.seal()
	uids, vals, salt := []uint16{0, 2}, []uint16{100, 300}, []uint16{42, 43}
	hash := protocol.WeightsCommitHash(v1, 2, uids, vals, salt, 0)
	info := h.ok("//Charlie//v1", protocol.CommitWeights{Netuid: 2, Hash: hash})
	from := attrU64(t, info.Events[0], "reveal_from")
	cs, err := h.c.WeightCommits(2, v1)
	if err != nil || len(cs) != 1 || cs[0].Hash != hash || cs[0].RevealFrom != from || cs[0].Expired {
		t.Fatalf("commits %+v (%v)", cs, err)
	}
	if r := h.do("//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: uids, Values: vals}).Receipt; r.Code != protocol.CodeCommitRevealEnabled {
		t.Fatalf("set_weights with CR on: %+v", r)
	}
	for h.c.Head().Height+1 < from {
		h.seal()
	}
	h.ok("//Charlie//v1", protocol.RevealWeights{Netuid: 2, Uids: uids, Values: vals, Salt: salt})
	w, _ := h.c.Weights(2)
	want := []mechanism.UIDValue{{UID: 0, Value: 21845}, {UID: 2, Value: 65535}}
	if !reflect.DeepEqual(mechRow(w[1].Entries), want) {
		t.Fatalf("revealed weights %+v, want %+v", w[1].Entries, want)
	}
	if r := h.do("//Charlie//v1", protocol.RevealWeights{Netuid: 2, Uids: uids, Values: vals, Salt: salt}).Receipt; r.Code != protocol.CodeNoCommit {
		t.Fatalf("second reveal: %+v", r)
	}
}

func TestServeAxonAndSwapHotkey(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	v1 := h.id("//Charlie//v1")
	h.ok("Alice", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 10 * protocol.RaoPerTAO})
	h.ok("//Charlie//v1", protocol.ServeAxon{Netuid: 2, Version: 7, IP: [16]byte{12: 192, 13: 168, 14: 1, 15: 9}, Port: 8091, IPType: 4, Protocol: 4})
	mg, _ := h.c.Metagraph(2)
	if ax := mg.Neurons[1].Axon; ax == nil || ax.IP != "192.168.1.9" || ax.Port != 8091 || ax.Version != 7 {
		t.Fatalf("axon %+v", ax)
	}
	stake := h.stake(2, "//Charlie//v1", "Alice")
	nv := h.id("//Charlie//v1new")
	h.ok("Charlie", protocol.SwapHotkey{Hotkey: v1, NewHotkey: nv})
	mg, _ = h.c.Metagraph(2)
	if mg.Neurons[1].Hotkey != nv || mg.Neurons[1].Axon == nil {
		t.Fatalf("uid 1 after swap %+v", mg.Neurons[1])
	}
	if h.stake(2, "//Charlie//v1new", "Alice") != stake || h.stake(2, "//Charlie//v1", "Alice") != 0 {
		t.Fatal("stake did not follow the hotkey")
	}
	mg1, _ := h.c.Metagraph(1)
	if mg1.Neurons[1].Hotkey != nv {
		t.Fatal("the swap missed subnet 1")
	}
	// The subnet owner's hotkey role follows too.
	h.ok("Bob", protocol.SwapHotkey{Hotkey: h.id("//Bob//owner"), NewHotkey: h.id("//Bob//owner2")})
	if s, _ := h.c.Subnet(2); s.OwnerHotkey != h.id("//Bob//owner2") {
		t.Fatalf("owner hotkey %s", s.OwnerHotkey)
	}
}

func TestOwnerHyperparameterRateLimit(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	h.ok("Alice", protocol.SudoSetGlobal{Name: "owner_rate_limit_tempos", Value: 2})
	h.ok("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "rho", Value: 11})
	r := h.do("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "rho", Value: 12}).Receipt
	if r.Code != protocol.CodeHyperparamRate {
		t.Fatalf("second owner set within 2 tempos: %+v", r)
	}
	h.ok("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "bonds_penalty", Value: 100}) // per parameter
	h.ok("Alice", protocol.SetHyperparameter{Netuid: 2, Name: "rho", Value: 13})          // sudo is not limited
	h.advance(21)
	h.ok("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "rho", Value: 14})
	// The freeze window before an epoch.
	h.ok("Alice", protocol.SudoSetGlobal{Name: "admin_freeze_window", Value: 11})
	if r := h.do("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "serving_rate_limit", Value: 3}).Receipt; r.Code != protocol.CodeHyperparamRate {
		t.Fatalf("owner set inside the freeze window: %+v", r)
	}
	if hp, _ := h.c.Hyperparameters(2); hp.Rho != 14 || hp.BondsPenalty != 100 {
		t.Fatalf("hyperparameters %+v", hp)
	}
}

// TestRootDividends: with root selling on (Σ moving prices > 1) a validator's root stakers are
// paid its root dividends as alpha on the subnet, pro rata to their root stake.
func TestRootDividends(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	v1 := h.id("//Charlie//v1")
	h.ok("Alice", protocol.SudoSetGlobal{Name: "moving_alpha_bits", Value: 1 << 31}) // α0 = 0.5: prices move fast
	h.ok("Alice", protocol.SudoSetGlobal{Name: "ema_halving_blocks", Value: 0})
	h.ok("Alice", protocol.SudoSetGlobal{Name: "tao_weight", Value: 1 << 63}) // root stake counts half
	h.submit("Charlie", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 50 * protocol.RaoPerTAO})
	h.submit("Dave", protocol.AddStake{Hotkey: v1, Netuid: 0, Amount: 300 * protocol.RaoPerTAO})
	h.submit("Eve", protocol.AddStake{Hotkey: v1, Netuid: 0, Amount: 100 * protocol.RaoPerTAO})
	h.seal()
	for i := 0; i < 3; i++ {
		h.untilEpoch(2)
		h.seal()
	}
	e := h.untilEpoch(2)
	dave0, eve0 := h.stake(2, "//Charlie//v1", "Dave"), h.stake(2, "//Charlie//v1", "Eve")
	h.seal()
	ev := h.stepEvent(e, "EpochRun", 2)
	if attrU64(t, ev, "root") == 0 {
		t.Fatalf("no root dividends pending at the epoch: %+v", ev.Attrs)
	}
	dDave, dEve := h.stake(2, "//Charlie//v1", "Dave")-dave0, h.stake(2, "//Charlie//v1", "Eve")-eve0
	if dEve == 0 || dDave < 3*dEve-3 || dDave > 3*dEve+3 {
		t.Fatalf("root stakers 300:100 earned %d and %d alpha", dDave, dEve)
	}
}

func TestNominatorMinimum(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	v1 := h.id("//Charlie//v1")
	h.ok("Alice", protocol.SudoSetGlobal{Name: "nominator_min_stake", Value: 100 * protocol.RaoPerTAO})
	h.ok("Alice", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 5 * protocol.RaoPerTAO})
	h.ok("Charlie", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 5 * protocol.RaoPerTAO})
	a := h.stake(2, "//Charlie//v1", "Alice")
	// Leaving a nominator with less than 100 TAO of value unstakes all of it.
	h.ok("Alice", protocol.RemoveStake{Hotkey: v1, Netuid: 2, Amount: a - a/20})
	if left := h.stake(2, "//Charlie//v1", "Alice"); left != 0 {
		t.Fatalf("nominator kept %d alpha below the minimum", left)
	}
	// The hotkey's owner is not a nominator.
	c := h.stake(2, "//Charlie//v1", "Charlie")
	h.ok("Charlie", protocol.RemoveStake{Hotkey: v1, Netuid: 2, Amount: c - c/20})
	if h.stake(2, "//Charlie//v1", "Charlie") == 0 {
		t.Fatal("the owner's small stake was cleared")
	}
	// A move that would leave a nominator below the minimum fails.
	h.ok("Alice", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 5 * protocol.RaoPerTAO})
	a = h.stake(2, "//Charlie//v1", "Alice")
	r := h.do("Alice", protocol.MoveStake{OriginHotkey: v1, DestinationHotkey: h.id("//Dave//v2"), OriginNetuid: 2, DestinationNetuid: 2, Amount: a - a/20}).Receipt
	if r.Code != protocol.CodeNominatorBelowMin {
		t.Fatalf("move leaving dust: %+v", r)
	}
}

// TestSharePoolPrecision drives one hotkey pool through the extremes directly in state: a tiny
// first deposit, emission a billion times larger, a minimum-stake deposit, a deposit far larger
// than the pool; every deposit keeps its value to within a rao and the pool stays consistent.
func TestSharePoolPrecision(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	hk, a, b, c := h.id("Alice"), h.id("Bob"), h.id("Charlie"), h.id("Dave")
	tx, err := h.c.db.Begin(true)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	s := newStateTx(tx)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	value := func(ck [32]byte) uint64 { return stakeOf(tx, 1, hk, ck) }
	must(creditStake(s, 1, hk, a, 1000))
	if value(a) != 1000 {
		t.Fatalf("first deposit worth %d", value(a))
	}
	ok, err := creditHotkeyPool(s, 1, hk, 1_000_000_000_000_000) // emission: ×10^12
	must(err)
	if !ok {
		t.Fatal("pool has no shares")
	}
	must(creditStake(s, 1, hk, b, 2_000_000))
	if got := value(b); got+1 < 2_000_000 || got > 2_000_000 {
		t.Fatalf("minimum stake after a 10^12 emission is worth %d", got)
	}
	must(creditStake(s, 1, hk, c, 10_000_000_000_000_000)) // 10× the pool
	if got := value(c); got+2 < 10_000_000_000_000_000 || got > 10_000_000_000_000_000 {
		t.Fatalf("large deposit worth %d", got)
	}
	if got := value(b); got+2 < 2_000_000 {
		t.Fatalf("small position shrank to %d after a large deposit", got)
	}
	removed, err := debitStake(s, 1, hk, b, value(b))
	must(err)
	if removed+2 < 2_000_000 {
		t.Fatalf("removed %d", removed)
	}
	must(checkSharePools(tx))
}

func TestServeAxonZeroAddressResets(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	v1 := h.id("//Charlie//v1")
	h.ok("Alice", protocol.SetHyperparameter{Netuid: 2, Name: "serving_rate_limit", Value: 0})
	h.ok("Alice", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 10 * protocol.RaoPerTAO})
	h.ok("//Charlie//v1", protocol.ServeAxon{Netuid: 2, Version: 1, IP: [16]byte{12: 203, 15: 5}, Port: 8091, IPType: 4, Protocol: 4})
	if mg, _ := h.c.Metagraph(2); mg.Neurons[1].Axon == nil {
		t.Fatal("axon not served")
	}
	// btcli's axon reset: 0.0.0.0, port 1.
	res := h.do("//Charlie//v1", protocol.ServeAxon{Netuid: 2, Version: 1, Port: 1, IPType: 4, Protocol: 4})
	if !res.Receipt.OK() {
		t.Fatalf("reset refused: %+v", res.Receipt)
	}
	if mg, _ := h.c.Metagraph(2); mg.Neurons[1].Axon != nil {
		t.Fatalf("axon after reset %+v, want none", mg.Neurons[1].Axon)
	}
	found := false
	for _, e := range res.Events {
		found = found || e.Name == "AxonReset"
	}
	if !found {
		t.Fatalf("no AxonReset event in %+v", res.Events)
	}
}
