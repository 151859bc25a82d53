package localchain

import (
	"testing"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// eventsNamed returns the events of the block at height named name.
func eventsNamed(t *testing.T, c *Chain, height uint64, name string) []protocol.Event {
	t.Helper()
	evs, err := c.Events(height, height)
	if err != nil {
		t.Fatal(err)
	}
	var out []protocol.Event
	for _, e := range evs {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// coldkeyStake sums a coldkey's alpha on every (netuid, hotkey) position.
func coldkeyStake(t *testing.T, c *Chain, ck wallet.AccountID) map[[2]string]uint64 {
	t.Helper()
	out := map[[2]string]uint64{}
	if err := c.view(func(tx *bbolt.Tx) error {
		return forEachPosition(tx, nil, func(p stakePosition) error {
			if p.Coldkey == ck {
				out[[2]string{itoa(p.Netuid), p.Hotkey.SS58()}] = stakeOf(tx, p.Netuid, p.Hotkey, ck)
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestColdkeySwapScheduledAndExecutedAtItsBlock(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	h.ok("Alice", protocol.SudoSetGlobal{Name: "coldkey_swap_schedule_duration", Value: 6})
	v1, v2 := h.id("//Charlie//v1"), h.id("//Dave//v2")
	// Charlie: owner of v1 (owner position), a nominator on Dave's v2, an identity.
	h.ok("Charlie", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 20 * protocol.RaoPerTAO})
	h.ok("Charlie", protocol.AddStake{Hotkey: v2, Netuid: 2, Amount: 30 * protocol.RaoPerTAO})
	h.ok("Charlie", protocol.AddStake{Hotkey: v2, Netuid: 0, Amount: 5 * protocol.RaoPerTAO})
	h.ok("Charlie", protocol.SetIdentity{Identity: protocol.Identity{Name: "charlie"}})
	oldCk, newCk := h.id("Charlie"), h.id("//Charlie//cold2")
	bobNew := h.id("//Bob//cold2")

	h.submit("Charlie", protocol.ScheduleSwapColdkey{NewColdkey: newCk})
	h.submit("Bob", protocol.ScheduleSwapColdkey{NewColdkey: bobNew})
	hdr := h.seal()
	when := hdr.Height + 6
	ev := eventsNamed(t, h.c, hdr.Height, "ColdkeySwapScheduled")
	if len(ev) != 2 || attrU64(t, ev[0], "execution_block") != when || attrU64(t, ev[0], "swap_cost") != DevnetKeySwapCost {
		t.Fatalf("scheduled events %+v, want execution block %d and cost %d", ev, when, DevnetKeySwapCost)
	}
	acct, err := h.c.Account(oldCk)
	if err != nil {
		t.Fatal(err)
	}
	if s := acct.ColdkeySwap; s == nil || s.NewColdkey != newCk || s.ExecutionBlock != when || s.Cost != DevnetKeySwapCost ||
		s.RescheduleFrom != when+DevnetColdkeySwapRescheduleDuration || s.Failed {
		t.Fatalf("account's pending swap %+v", acct.ColdkeySwap)
	}

	// During the delay the old coldkey signs nothing else: rejected before the pool, no fee.
	kp := h.key("Charlie")
	_, err = h.c.Submit(signTx(t, h.c, kp, acct.Nonce, 0, 0, protocol.Transfer{To: h.id("Alice"), Amount: protocol.RaoPerTAO}))
	wantCode(t, err, protocol.CodeColdkeyInSwapSchedule)
	_, err = h.c.Submit(signTx(t, h.c, kp, acct.Nonce, 0, 0, protocol.RemoveStake{Hotkey: v2, Netuid: 2, Amount: protocol.RaoPerTAO}))
	wantCode(t, err, protocol.CodeColdkeyInSwapSchedule)
	// A second schedule is admitted (subtensor whitelists the call) and fails in its block.
	second := h.do("Charlie", protocol.ScheduleSwapColdkey{NewColdkey: h.id("//Charlie//cold3")})
	if second.Receipt.Code != protocol.CodeSwapAlreadyScheduled {
		t.Fatalf("second schedule: %s %s", second.Receipt.CodeName, second.Receipt.Message)
	}
	if a, _ := h.c.Account(oldCk); a.ColdkeySwap == nil || a.ColdkeySwap.NewColdkey != newCk || a.ColdkeySwap.ExecutionBlock != when {
		t.Fatalf("the refused schedule changed the pending swap: %+v", a.ColdkeySwap)
	}

	for h.c.Head().Height < when-1 {
		h.seal()
	}
	stakeBefore := coldkeyStake(t, h.c, oldCk)
	freeBefore := balance(t, h.c, oldCk).Free
	if len(stakeBefore) != 3 || len(coldkeyStake(t, h.c, newCk)) != 0 {
		t.Fatalf("before the swap: old %v new %v", stakeBefore, coldkeyStake(t, h.c, newCk))
	}
	hdr = h.seal() // the execution block
	if hdr.Height != when {
		t.Fatal("not at the execution block")
	}
	swapped := eventsNamed(t, h.c, when, "ColdkeySwapped")
	if len(swapped) != 2 {
		t.Fatalf("%d ColdkeySwapped events at block %d", len(swapped), when)
	}
	for _, e := range swapped {
		if e.TxIndex != -1 || attrU64(t, e, "swap_cost") != DevnetKeySwapCost {
			t.Fatalf("swap event %+v", e)
		}
	}

	// Everything moved. Emission of the execution block's step ran before the swap, so the
	// positions carry their value exactly.
	if got := coldkeyStake(t, h.c, newCk); len(got) != 3 {
		t.Fatalf("new coldkey positions %v, old had %v", got, stakeBefore)
	} else {
		for k, v := range stakeBefore {
			if got[k] != v {
				t.Fatalf("position %v: %d after the swap, %d before", k, got[k], v)
			}
		}
	}
	if left := coldkeyStake(t, h.c, oldCk); len(left) != 0 {
		t.Fatalf("old coldkey still holds %v", left)
	}
	if got := balance(t, h.c, newCk).Free; got != freeBefore-DevnetKeySwapCost {
		t.Fatalf("new coldkey holds %d, want %d - %d", got, freeBefore, DevnetKeySwapCost)
	}
	oldAcct, _ := h.c.Account(oldCk)
	if oldAcct.Free != 0 || oldAcct.ColdkeySwap != nil || oldAcct.Identity != nil || oldAcct.Nonce == 0 {
		t.Fatalf("old account after the swap: %+v", oldAcct)
	}
	newAcct, _ := h.c.Account(newCk)
	if newAcct.Identity == nil || newAcct.Identity.Name != "charlie" {
		t.Fatalf("identity not moved: %+v", newAcct.Identity)
	}
	dels, err := h.c.Delegates()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dels {
		if d.Hotkey == v1 && d.Owner != newCk {
			t.Fatalf("v1 is owned by %s", d.Owner)
		}
	}
	if n := h.subnet(2); n.Owner != bobNew {
		t.Fatalf("subnet 2 owner %s, want Bob's new coldkey", n.Owner)
	}
	// The new coldkey acts at once; the old one signs again (it holds nothing).
	h.fund(protocol.RaoPerTAO, "//Charlie//cold2")
	h.ok("//Charlie//cold2", protocol.RemoveStake{Hotkey: v2, Netuid: 2, Amount: protocol.RaoPerTAO})
	h.ok("Alice", protocol.Transfer{To: oldCk, Amount: protocol.RaoPerTAO})
	h.ok("Charlie", protocol.Transfer{To: h.id("Alice"), Amount: protocol.RaoPerTAO / 2})
	mustCheck(t, h.c)
}

func TestColdkeySwapRefusedWithoutTheCost(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	fee := protocol.DefaultParams().TxFee
	// Enough for the fee, not for the cost.
	h.fund(fee+DevnetKeySwapCost-1, "//Eve//poor")
	info := h.do("//Eve//poor", protocol.ScheduleSwapColdkey{NewColdkey: h.id("//Eve//next")})
	if info.Receipt.Code != protocol.CodeInsufficientBalance {
		t.Fatalf("schedule without the cost: %s %s", info.Receipt.CodeName, info.Receipt.Message)
	}
	after := h.stateDump()
	for k := range after {
		if len(k) > len(bucketColdkeySwap) && k[:len(bucketColdkeySwap)] == string(bucketColdkeySwap) {
			t.Fatalf("a refused schedule left %q", k)
		}
	}
	a, _ := h.c.Account(h.id("//Eve//poor"))
	if a.Free != DevnetKeySwapCost-1 || a.ColdkeySwap != nil {
		t.Fatalf("after the refused schedule: %+v (only the fee may go)", a)
	}
	// The refused coldkey is not locked.
	h.ok("//Eve//poor", protocol.Transfer{To: h.id("Alice"), Amount: protocol.RaoPerTAO / 100})
}

func TestColdkeySwapFailsAtItsBlockAndReschedules(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	h.ok("Alice", protocol.SudoSetGlobal{Name: "coldkey_swap_schedule_duration", Value: 3})
	h.ok("Alice", protocol.SudoSetGlobal{Name: "coldkey_swap_reschedule_duration", Value: 4})
	target := h.id("//Dave//target")
	h.ok("Charlie", protocol.ScheduleSwapColdkey{NewColdkey: target})
	a, _ := h.c.Account(h.id("Charlie"))
	when := a.ColdkeySwap.ExecutionBlock
	// The target gains stake during the delay: the swap fails (ColdKeyAlreadyAssociated).
	h.fund(10*protocol.RaoPerTAO, "//Dave//target")
	h.ok("//Dave//target", protocol.AddStake{Hotkey: h.id("//Dave//v2"), Netuid: 2, Amount: 2 * protocol.RaoPerTAO})
	freeBefore := balance(t, h.c, h.id("Charlie")).Free
	for h.c.Head().Height < when {
		h.seal()
	}
	ev := eventsNamed(t, h.c, when, "Dispatched")
	if len(ev) != 1 || ev[0].Attr("ok") != "false" || attrU64(t, ev[0], "code") != uint64(protocol.CodeColdkeyAlreadyAssociated) {
		t.Fatalf("dispatch events at %d: %+v", when, ev)
	}
	a, _ = h.c.Account(h.id("Charlie"))
	if a.ColdkeySwap == nil || !a.ColdkeySwap.Failed || a.Free != freeBefore {
		t.Fatalf("after the failed swap: %+v", a)
	}
	// Still locked, and no new schedule before when + reschedule duration.
	_, err := h.c.Submit(signTx(t, h.c, h.key("Charlie"), a.Nonce, 0, 0, protocol.Transfer{To: h.id("Alice"), Amount: protocol.RaoPerTAO}))
	wantCode(t, err, protocol.CodeColdkeyInSwapSchedule)
	if r := h.do("Charlie", protocol.ScheduleSwapColdkey{NewColdkey: h.id("//Charlie//ok")}); r.Receipt.Code != protocol.CodeSwapAlreadyScheduled {
		t.Fatalf("early reschedule: %s", r.Receipt.CodeName)
	}
	for h.c.Head().Height+1 < when+4 {
		h.seal()
	}
	h.ok("Charlie", protocol.ScheduleSwapColdkey{NewColdkey: h.id("//Charlie//ok")})
	h.advance(3)
	if a, _ = h.c.Account(h.id("Charlie")); a.ColdkeySwap != nil || a.Free != 0 {
		t.Fatalf("the rescheduled swap did not run: %+v", a)
	}
}

func TestSubParamsAppendedFieldsTakeDefaults(t *testing.T) {
	t.Parallel()
	p := devnetSubParams()
	p.NetworkImmunity = 7
	full := p.encode()
	old := full[:8*subParamsAppendedFrom] // a record written before the coldkey swap fields
	got, err := decodeSubParams(old)
	if err != nil {
		t.Fatal(err)
	}
	if got.NetworkImmunity != 7 || got.ColdkeySwapScheduleDuration != DevnetColdkeySwapScheduleDuration ||
		got.ColdkeySwapRescheduleDuration != DevnetColdkeySwapRescheduleDuration || got.KeySwapCost != DevnetKeySwapCost {
		t.Fatalf("decoded %+v", got)
	}
	if _, err := decodeSubParams(full[:len(full)-4]); err == nil {
		t.Fatal("a field cut in half decoded")
	}
	if _, err := decodeSubParams(append(full, 0)); err == nil {
		t.Fatal("trailing bytes decoded")
	}
}

// TestColdkeySwapLocksPendingTransactions: a transaction of the old coldkey already in the pool
// when its schedule is included is not included after it (rejected at inclusion, no fee).
func TestColdkeySwapLocksPendingTransactions(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	h.fund(10*protocol.RaoPerTAO, "//Eve//old")
	kp := h.key("//Eve//old")
	sched, err := h.c.Submit(signTx(t, h.c, kp, 0, 0, 0, protocol.ScheduleSwapColdkey{NewColdkey: h.id("//Eve//new")}))
	if err != nil {
		t.Fatal(err)
	}
	transfer, err := h.c.Submit(signTx(t, h.c, kp, 1, 0, 0, protocol.Transfer{To: h.id("Alice"), Amount: protocol.RaoPerTAO}))
	if err != nil {
		t.Fatalf("the transfer is admitted before the schedule is included: %v", err)
	}
	h.seal()
	if !h.receipt(sched).Receipt.OK() {
		t.Fatal("schedule failed")
	}
	if _, err := h.c.Tx(transfer); err == nil {
		t.Fatal("the old coldkey's transfer was included after its swap was scheduled")
	}
	h.seal()
	if _, err := h.c.Tx(transfer); err == nil {
		t.Fatal("the old coldkey's transfer was included a block later")
	}
	if a := balance(t, h.c, h.id("//Eve//old")); a.Nonce != 1 || a.Free != 10*protocol.RaoPerTAO-protocol.DefaultParams().TxFee {
		t.Fatalf("old coldkey after its dropped transfer: %+v", a)
	}
}
