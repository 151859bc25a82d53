package localchain

import (
	"testing"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
)

// TestPayoutOrderRootTakeAfterPool pins subtensor's payout order
// (distribute_dividends_and_incentives in coinbase/run_coinbase.rs): a validator's incentive
// and alpha take are staked, then its alpha dividends join the nominator pool, and only then
// is its take on root dividends staked. The nominators' pro-rata base is therefore the pool
// plus incentive and alpha take, never the root take: a root take staked before the pool grows
// would take a slice of the nominators' dividends.
func TestPayoutOrderRootTakeAfterPool(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	v1 := h.id("//Charlie//v1")
	h.ok("Alice", protocol.SudoSetGlobal{Name: "moving_alpha_bits", Value: 1 << 31}) // prices move fast: root sells
	h.ok("Alice", protocol.SudoSetGlobal{Name: "ema_halving_blocks", Value: 0})
	h.ok("Alice", protocol.SudoSetGlobal{Name: "tao_weight", Value: 1 << 63})
	h.ok("Charlie", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 50 * protocol.RaoPerTAO})
	h.ok("Alice", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 200 * protocol.RaoPerTAO}) // nominator
	h.ok("Eve", protocol.AddStake{Hotkey: v1, Netuid: 0, Amount: 300 * protocol.RaoPerTAO})   // root staker
	h.untilEpoch(2)
	h.seal() // permits
	mg, err := h.c.Metagraph(2)
	if err != nil {
		t.Fatal(err)
	}
	uid := map[string]uint16{}
	for _, n := range mg.Neurons {
		switch n.Hotkey {
		case v1:
			uid["v1"] = n.UID
		case h.id("//Dave//v2"):
			uid["v2"] = n.UID
		}
	}
	h.ok("//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: []uint16{uid["v2"]}, Values: []uint16{65535}})
	for i := 0; i < 3; i++ {
		h.untilEpoch(2)
		h.seal()
	}
	checked := 0
	for i := 0; i < 3; i++ {
		e := h.untilEpoch(2)
		in, err := h.c.EpochInputAt(2, e, 0)
		if err != nil {
			t.Fatal(err)
		}
		pos, pools := h.positions(2)
		_, rootPools := h.positions(0)
		alice := posKey{v1, h.id("Alice")}
		h.seal()
		ev := h.stepEvent(e, "EpochRun", 2)
		in.RaoEmission = attrU64(t, ev, "rao_emission")
		out, err := mechanism.Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := h.c.GlobalParams()
		hks := make([]mechanism.HotkeyEmission, len(out.Neurons))
		for j, o := range out.Neurons {
			n := mg.Neurons[j]
			hks[j] = mechanism.HotkeyEmission{Incentive: o.ServerEmission, Dividend: o.ValidatorEmission,
				AlphaStake: pools[n.Hotkey], RootStake: rootPools[n.Hotkey], Take: n.Take,
				OwnedBySubnetOwner: n.Coldkey == h.id("Bob")}
		}
		dist := mechanism.DistributeEmission(mechanism.DistributionInput{
			PendingServer: attrU64(t, ev, "server"), PendingValidator: attrU64(t, ev, "validator"),
			PendingRoot: attrU64(t, ev, "root"), PendingOwnerCut: attrU64(t, ev, "owner_cut"),
			TaoWeight: mechanism.TaoWeight(p["tao_weight"]), Hotkeys: hks,
		})
		pay := dist.Hotkeys[uid["v1"]]
		if pay.AlphaPool == 0 || pay.RootTake == 0 {
			t.Fatalf("epoch %d: v1 needs alpha dividends and a root take for this test: %+v (root bucket %s, root stake %d)", e, pay, ev.Attr("root"), rootPools[v1])
		}
		got := h.stake(2, "//Charlie//v1", "Alice") - pos[alice]
		base := pools[v1] + pay.Incentive + pay.AlphaTake
		want, _ := mulDiv(pay.AlphaPool, pos[alice], base)
		wrong, _ := mulDiv(pay.AlphaPool, pos[alice], base+pay.RootTake)
		t.Logf("epoch %d: nominator earned %d; subtensor's order %d; root take first %d (root take %d)", e, got, want, wrong, pay.RootTake)
		if want-wrong < 4 {
			t.Fatalf("epoch %d: the orders differ by %d rao only; the test cannot tell them apart", e, want-wrong)
		}
		if got+2 < want || got > want+2 {
			t.Fatalf("epoch %d: nominator earned %d alpha, subtensor's order pays %d (root take first would pay %d)", e, got, want, wrong)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no epoch checked")
	}
}
