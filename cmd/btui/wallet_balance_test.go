package main

import (
	"strings"
	"testing"
)

// TestRealisableValueOnAThinPool: on a devnet subnet whose pool is small next to the stake,
// wallet balance and overview report what the stake fetches if sold now far below its spot
// value; the realisable value is what selling everything then pays (within the price move of
// one block's emission), and the spot fields keep their meaning.
func TestRealisableValueOnAThinPool(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	c.ok("wallet", "create", "--wallet-name", "val", "--json")
	c.ok("devnet", "faucet", "val", "2000")
	netuid := afterNetuid(t, c.tx("subnets", "create", "--wallet-name", "val"))
	c.tx("subnets", "start", "--netuid", netuid, "--wallet-name", "val")
	// A 100 TAO pool and 500 TAO staked into it: the price runs far above what the alpha sells for.
	c.tx("stake", "add", "--netuid", netuid, "--amount", "500", "--wallet-name", "val", "--unsafe")
	c.tx("stake", "add", "--netuid", "0", "--amount", "3", "--wallet-name", "val")

	var bal walletBalanceJSON
	c.json(&bal, "wallet", "balance", "--wallet-name", "val")
	b := bal.Balances[0]
	if b.StakedRealisable == 0 || b.StakedRealisable*2 > b.Staked {
		t.Fatalf("realisable %d against spot %d: a thin pool pays far below spot", b.StakedRealisable, b.Staked)
	}
	if b.TotalRealisable != b.Free+b.StakedRealisable || b.Total != b.Free+b.Staked || bal.Totals.StakedRealisable != b.StakedRealisable {
		t.Fatalf("balance sums: %+v totals %+v", b, bal.Totals)
	}
	var ov walletOverviewJSON
	c.json(&ov, "wallet", "overview", "--wallet-name", "val")
	var spot, each uint64
	for _, st := range ov.Stakes {
		spot += st.TaoValue
		each += st.TaoRealisable
		if st.Netuid == 0 && st.TaoRealisable != st.Alpha {
			t.Fatalf("root position %+v: root sells 1:1", st)
		}
		if st.Netuid != 0 && st.TaoRealisable >= st.TaoValue {
			t.Fatalf("position %+v: sells at or above spot on a thin pool", st)
		}
	}
	if len(ov.Stakes) != 2 || spot != ov.Staked || each != ov.StakedRealisable || ov.StakedRealisable != b.StakedRealisable {
		t.Fatalf("overview: %d positions, spot %d (staked %d), realisable %d (staked_realisable %d, balance %d)",
			len(ov.Stakes), spot, ov.Staked, each, ov.StakedRealisable, b.StakedRealisable)
	}
	for _, cmd := range [][]string{{"wallet", "balance", "--wallet-name", "val"}, {"wallet", "overview", "--wallet-name", "val"}} {
		r := c.ok(cmd...)
		if !strings.Contains(strings.ToUpper(r.out), "SELL NOW") || !strings.Contains(strings.ToUpper(r.out), "SPOT") {
			t.Fatalf("%s labels neither sell-now nor spot values:\n%s", strings.Join(cmd, " "), r.out)
		}
	}

	// Selling everything pays the realisable value (the selling block's emission moves the pool
	// a little first).
	c.tx("stake", "remove", "--all-netuids", "--all-hotkeys", "--unstake-all", "--wallet-name", "val", "--unsafe")
	c.json(&bal, "wallet", "balance", "--wallet-name", "val")
	got := bal.Balances[0].Free - b.Free
	fees := uint64(2 * 100_000)
	if diff := int64(got+fees) - int64(b.StakedRealisable); diff < -int64(b.StakedRealisable/100) || diff > int64(b.StakedRealisable/100) {
		t.Fatalf("selling everything paid %d (+%d fees), the realisable value was %d (spot %d)", got, fees, b.StakedRealisable, b.Staked)
	}
}
