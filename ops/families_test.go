package ops_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The plans of the stake transfer and swap, take, subnet, axon, swap-hotkey and faucet
// families against the real embedded devnet: a good input's preview agrees with what the
// chain then does, each typed error names its input field, and where a plan refuses an input
// on the chain's word (its dry run) the chain itself, sent the same call signed and with no
// client check at all, answers the same.

// devnet is a fresh embedded devnet: subnet 1 is owned by //Alice (coldkey and owner
// hotkey); Alice, Bob and Charlie hold 1,000,000 TAO, Dave, Eve and Ferdie 2,000.
type devnet struct {
	t   *testing.T
	ctx context.Context
	c   chainclient.Client
}

func newDevnet(t *testing.T) *devnet {
	t.Helper()
	c, err := chainclient.OpenEmbedded(t.TempDir(), chainclient.WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &devnet{t: t, ctx: context.Background(), c: c}
}

// key is the key pair of a secret URI ("//Bob", "//Bob//hot").
func (d *devnet) key(suri string) wallet.Pair {
	d.t.Helper()
	kp, err := wallet.FromSURI(suri)
	if err != nil {
		d.t.Fatal(err)
	}
	return kp
}

func (d *devnet) id(suri string) wallet.AccountID {
	kp := d.key(suri)
	defer kp.Zero()
	return kp.AccountID()
}

// send signs call with suri's key and submits it with no client check; it returns the
// included transaction, or the code of a rejection (info nil).
func (d *devnet) send(suri string, call protocol.Call) (*protocol.TxInfo, protocol.Code) {
	d.t.Helper()
	kp := d.key(suri)
	defer kp.Zero()
	tx, err := chainclient.Sign(d.ctx, d.c, kp, call, chainclient.SignOptions{})
	if err != nil {
		d.t.Fatal(err)
	}
	info, err := d.c.SubmitAndWait(d.ctx, tx)
	if err != nil {
		code, ok := protocol.CodeOf(err)
		if !ok {
			d.t.Fatalf("submit %s: %v", call.CallName(), err)
		}
		return nil, code
	}
	return info, info.Receipt.Code
}

// submit sends a plan's call signed by suri (which must be the plan's signer) and requires
// success.
func (d *devnet) submit(suri string, p ops.Plan) *protocol.TxInfo {
	d.t.Helper()
	if d.id(suri) != p.Signer {
		d.t.Fatalf("%s: signer %s, not %s", p.Title, p.Signer, suri)
	}
	info, code := d.send(suri, p.Call)
	if info == nil || !info.Receipt.OK() {
		d.t.Fatalf("%s: the chain refused what the plan's dry run accepted: code %s", p.Title, code)
	}
	return info
}

// must requires a plan without error.
func (d *devnet) must(p ops.Plan, err error) ops.Plan {
	d.t.Helper()
	if err != nil {
		d.t.Fatalf("plan: %v", err)
	}
	if p.Sim == nil || !p.Sim.OK() || p.JSON == nil || len(p.Lines) == 0 || p.Title == "" {
		d.t.Fatalf("plan %q is incomplete: %+v", p.Title, p)
	}
	return p
}

// wantField requires a plan error of kind about field whose message says msg.
func wantField(t *testing.T, err error, kind ops.Kind, field, msg string) *ops.Error {
	t.Helper()
	var oe *ops.Error
	if !errors.As(err, &oe) {
		t.Fatalf("want an *ops.Error about %s, got %v", field, err)
	}
	if oe.Kind != kind || oe.Field != field || !strings.Contains(oe.Error(), msg) {
		t.Fatalf("want kind %d field %q saying %q, got kind %d field %q: %s", kind, field, msg, oe.Kind, oe.Field, oe.Error())
	}
	return oe
}

// agrees requires the plan error to be the chain's dry-run refusal with code want, and the
// chain, sent call signed by suri, to answer with the same code.
func (d *devnet) agrees(err error, want protocol.Code, suri string, call protocol.Call) {
	d.t.Helper()
	sim, ok := ops.Refused(err)
	if !ok {
		d.t.Fatalf("%s: not a refusal of the dry run: %v", call.CallName(), err)
	}
	got, _ := protocol.CodeOf(sim.Err())
	if got != want {
		d.t.Fatalf("%s: the dry run answered %s, want %s", call.CallName(), got, want)
	}
	if _, code := d.send(suri, call); code != want {
		d.t.Fatalf("%s: the plan's dry run said %s, the chain %s", call.CallName(), want, code)
	}
}

// preview decodes a plan's JSON preview into v (the document the CLI prints).
func preview(t *testing.T, p ops.Plan, v any) {
	t.Helper()
	b, err := json.Marshal(p.JSON)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func (d *devnet) free(id wallet.AccountID) uint64 {
	d.t.Helper()
	a, err := d.c.Account(d.ctx, id)
	if err != nil {
		d.t.Fatal(err)
	}
	return a.Free
}

func (d *devnet) stake(cold, hot wallet.AccountID, netuid uint16) uint64 {
	d.t.Helper()
	v, err := ops.StakeOf(d.ctx, d.c, cold, hot, netuid)
	if err != nil {
		d.t.Fatal(err)
	}
	return v
}

// subnet2 creates and starts subnet 2, owned by //Bob with the owner hotkey //Bob//hot.
func (d *devnet) subnet2() uint16 {
	d.t.Helper()
	bob, hot := d.id("//Bob"), d.id("//Bob//hot")
	p := d.must(ops.PlanCreateSubnet(d.ctx, d.c, ops.SubnetCreateInput{Owner: bob, Hot: hot}))
	info := d.submit("//Bob", p)
	netuid := uint16(0)
	for _, e := range info.Events {
		if e.Name == "NetworkAdded" {
			netuid = 2
			if e.Attr("netuid") != "2" {
				d.t.Fatalf("NetworkAdded %v", e)
			}
		}
	}
	if netuid == 0 {
		d.t.Fatal("no NetworkAdded event")
	}
	d.submit("//Bob", d.must(ops.PlanStartSubnet(d.ctx, d.c, ops.SubnetStartInput{Owner: bob, Netuid: netuid})))
	return netuid
}

func TestPlanSubnetCreateAndStart(t *testing.T) {
	t.Parallel()
	d := newDevnet(t)
	bob, hot, charlie := d.id("//Bob"), d.id("//Bob//hot"), d.id("//Charlie")
	cost, err := d.c.NetworkLockCost(d.ctx)
	if err != nil {
		t.Fatal(err)
	}

	// A limit below the cost: the chain's refusal, about MaxLock.
	_, err = ops.PlanCreateSubnet(d.ctx, d.c, ops.SubnetCreateInput{Owner: bob, Hot: hot, MaxLock: cost - 1})
	wantField(t, err, ops.KindInput, "MaxLock", "exceeds your limit")
	d.agrees(err, protocol.CodeLockPriceLimit, "//Bob", protocol.RegisterNetwork{Hotkey: hot, LimitLock: cost - 1})
	// An owner hotkey that belongs to another coldkey (//Alice owns subnet 1's): about Hot.
	_, err = ops.PlanCreateSubnet(d.ctx, d.c, ops.SubnetCreateInput{Owner: bob, Hot: d.id("//Alice")})
	wantField(t, err, ops.KindInput, "Hot", "belongs to coldkey")
	d.agrees(err, protocol.CodeHotkeyOwnedByOther, "//Bob", protocol.RegisterNetwork{Hotkey: d.id("//Alice")})

	before := d.free(bob)
	p := d.must(ops.PlanCreateSubnet(d.ctx, d.c, ops.SubnetCreateInput{Owner: bob, Hot: hot, MaxLock: cost}))
	var pv ops.SubnetCreatePreview
	preview(t, p, &pv)
	if pv.LockCost != cost || pv.Balance != before || pv.BalanceAfter != before-cost-pv.Fee || pv.Fee == 0 || pv.Owner != bob.SS58() || pv.OwnerHotkey != hot.SS58() || pv.MaxLock != cost {
		t.Fatalf("create preview %+v (lock cost quoted %d, balance %d)", pv, cost, before)
	}
	d.submit("//Bob", p)
	if got := d.free(bob); got != pv.BalanceAfter {
		t.Fatalf("after create: %d, previewed %d", got, pv.BalanceAfter)
	}

	// Start: not the owner, then the owner, then once more.
	_, err = ops.PlanStartSubnet(d.ctx, d.c, ops.SubnetStartInput{Owner: charlie, Netuid: 2})
	wantField(t, err, ops.KindInput, "Netuid", "only the owner")
	d.agrees(err, protocol.CodeNotSubnetOwner, "//Charlie", protocol.StartCall{Netuid: 2})
	_, err = ops.PlanStartSubnet(d.ctx, d.c, ops.SubnetStartInput{Owner: bob, Netuid: 9})
	wantField(t, err, ops.KindNotFound, "Netuid", "does not exist")
	d.agrees(err, protocol.CodeSubnetNotFound, "//Bob", protocol.StartCall{Netuid: 9})
	_, err = ops.PlanStartSubnet(d.ctx, d.c, ops.SubnetStartInput{Owner: bob, Netuid: 0})
	wantField(t, err, ops.KindInput, "Netuid", "root network")
	sp := d.must(ops.PlanStartSubnet(d.ctx, d.c, ops.SubnetStartInput{Owner: bob, Netuid: 2}))
	var spv ops.SubnetStartPreview
	preview(t, sp, &spv)
	if spv.Netuid != 2 || spv.Owner != bob.SS58() || spv.Fee == 0 {
		t.Fatalf("start preview %+v", spv)
	}
	d.submit("//Bob", sp)
	_, err = ops.PlanStartSubnet(d.ctx, d.c, ops.SubnetStartInput{Owner: bob, Netuid: 2})
	wantField(t, err, ops.KindInput, "Netuid", "already started")
	d.agrees(err, protocol.CodeAlreadyStarted, "//Bob", protocol.StartCall{Netuid: 2})
}

func TestPlanStakeTransferAndSwap(t *testing.T) {
	t.Parallel()
	d := newDevnet(t)
	n2 := d.subnet2()
	bob, charlie, alice := d.id("//Bob"), d.id("//Charlie"), d.id("//Alice")
	// Bob stakes on //Alice's hotkey in subnet 1.
	d.submit("//Bob", d.must(ops.PlanStakeAdd(d.ctx, d.c, ops.StakeInput{Cold: bob, Hot: alice, Netuid: 1, Amount: 100 * protocol.RaoPerTAO, Trade: ops.Trade{Unsafe: true}})))
	have := d.stake(bob, alice, 1)
	tol := ops.Trade{TolerancePPM: ops.DefaultTolerancePPM}

	// Errors, each about its field.
	xfer := func(in ops.StakeTransferInput) error { _, err := ops.PlanStakeTransfer(d.ctx, d.c, in); return err }
	wantField(t, xfer(ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: bob, Origin: 1, DestNetuid: 1, Amount: 1}), ops.KindInput, "DestCold", "very same position")
	wantField(t, xfer(ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: charlie, Origin: 1, DestNetuid: 1, Amount: have + 1}), ops.KindInput, "Amount", "more than the")
	wantField(t, xfer(ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: charlie, Origin: 1, DestNetuid: 1}), ops.KindInput, "Amount", "more than zero")
	wantField(t, xfer(ops.StakeTransferInput{Cold: charlie, Hot: alice, DestCold: bob, Origin: 1, DestNetuid: 1, Amount: 1}), ops.KindNotFound, "Hot", "has no stake")
	wantField(t, xfer(ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: charlie, Origin: 7, DestNetuid: 1, Amount: 1}), ops.KindNotFound, "Origin", "subnet 7 does not exist")
	wantField(t, xfer(ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: charlie, Origin: 1, DestNetuid: 7, Amount: 1}), ops.KindNotFound, "DestNetuid", "subnet 7 does not exist")
	wantField(t, xfer(ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: charlie, Origin: 1, DestNetuid: n2, All: true, Trade: ops.Trade{TolerancePPM: 1}}), ops.KindInput, "Tolerance", "beyond the tolerance")
	// Dust: the chain's minimum stake, the same answer from the dry run and the chain.
	err := xfer(ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: charlie, Origin: 1, DestNetuid: 1, Amount: 1000})
	wantField(t, err, ops.KindInput, "Amount", "below the minimum stake")
	d.agrees(err, protocol.CodeStakeBelowMinimum, "//Bob", protocol.TransferStake{DestinationColdkey: charlie, Hotkey: alice, OriginNetuid: 1, DestinationNetuid: 1, Amount: 1000})

	// A transfer within subnet 1: a share transfer, no quotes.
	amount := have / 4
	p := d.must(ops.PlanStakeTransfer(d.ctx, d.c, ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: charlie, Origin: 1, DestNetuid: 1, Amount: amount, Trade: tol}))
	var pv ops.StakeXferPreview
	preview(t, p, &pv)
	if pv.Amount != amount || pv.Stake != have || pv.Sell != nil || pv.Buy != nil || pv.DestColdkey != charlie.SS58() || pv.Fee == 0 {
		t.Fatalf("transfer preview %+v", pv)
	}
	d.submit("//Bob", p)
	for _, s := range p.Sim.Stakes {
		if got := d.stake(s.Coldkey, s.Hotkey, s.Netuid); got != s.After {
			t.Fatalf("stake of %s/%s #%d after the transfer: %d, the dry run said %d", s.Coldkey, s.Hotkey, s.Netuid, got, s.After)
		}
	}
	if d.stake(charlie, alice, 1) == 0 {
		t.Fatal("charlie received nothing")
	}

	// A transfer into subnet 2: both legs quoted, the buy leg's alpha what the chain credits.
	p = d.must(ops.PlanStakeTransfer(d.ctx, d.c, ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: charlie, Origin: 1, DestNetuid: n2, Amount: amount, Trade: ops.Trade{Unsafe: true}}))
	preview(t, p, &pv)
	if pv.Sell == nil || pv.Buy == nil || pv.Sell.Side != "sell" || pv.Buy.Side != "buy" || pv.Sell.LimitPrice != 0 {
		t.Fatalf("cross-subnet transfer preview %+v", pv)
	}
	d.submit("//Bob", p)
	if got := d.stake(charlie, alice, n2); got != pv.Buy.ExpectedOut {
		t.Fatalf("charlie's stake in subnet %d: %d, quoted %d", n2, got, pv.Buy.ExpectedOut)
	}

	// Swap.
	swap := func(in ops.StakeSwapInput) error { _, err := ops.PlanStakeSwap(d.ctx, d.c, in); return err }
	wantField(t, swap(ops.StakeSwapInput{Cold: bob, Hot: alice, Origin: 1, DestNetuid: 1, Amount: 1}), ops.KindInput, "DestNetuid", "very same position")
	wantField(t, swap(ops.StakeSwapInput{Cold: bob, Hot: alice, Origin: 1, DestNetuid: n2, All: true, Trade: ops.Trade{TolerancePPM: 1}}), ops.KindInput, "Tolerance", "only part of the trade")
	err = swap(ops.StakeSwapInput{Cold: bob, Hot: alice, Origin: 1, DestNetuid: n2, Amount: 1000, Trade: ops.Trade{Unsafe: true}})
	wantField(t, err, ops.KindInput, "Amount", "below the minimum stake")
	d.agrees(err, protocol.CodeStakeBelowMinimum, "//Bob", protocol.SwapStake{Hotkey: alice, OriginNetuid: 1, DestinationNetuid: n2, Amount: 1000})
	have = d.stake(bob, alice, 1)
	p = d.must(ops.PlanStakeSwap(d.ctx, d.c, ops.StakeSwapInput{Cold: bob, Hot: alice, Origin: 1, DestNetuid: n2, Amount: have / 2, Trade: ops.Trade{TolerancePPM: 500_000}}))
	preview(t, p, &pv)
	if pv.Sell == nil || pv.Sell.LimitPrice == 0 || pv.Stake != have || pv.DestColdkey != bob.SS58() {
		t.Fatalf("swap preview %+v", pv)
	}
	if c, ok := p.Call.(protocol.SwapStake); !ok || c.LimitPrice != pv.Sell.LimitPrice {
		t.Fatalf("swap call %+v does not carry the quote's limit %d", p.Call, pv.Sell.LimitPrice)
	}
	d.submit("//Bob", p)
	if got := d.stake(bob, alice, n2); got != pv.Buy.ExpectedOut {
		t.Fatalf("bob's stake in subnet %d: %d, quoted %d", n2, got, pv.Buy.ExpectedOut)
	}
}

func TestPlanSetTake(t *testing.T) {
	t.Parallel()
	d := newDevnet(t)
	alice, bob := d.id("//Alice"), d.id("//Bob")
	if _, err := ops.TakeFromFraction(1_000_000_001); err == nil {
		t.Fatal("a take above 1 was accepted")
	} else {
		wantField(t, err, ops.KindInput, "Take", "fraction from 0 to 1")
	}
	g, err := d.c.GlobalParams(d.ctx)
	if err != nil {
		t.Fatal(err)
	}
	take := uint16(g["min_take"])
	if take == uint16(g["max_take"]) {
		t.Fatalf("min_take = max_take = %d: no room to test", take)
	}
	// Not the owner; out of bounds; then a decrease to the minimum; then unchanged.
	_, err = ops.PlanSetTake(d.ctx, d.c, ops.TakeInput{Cold: bob, Hot: alice, Take: take})
	wantField(t, err, ops.KindInput, "Take", "only its owner")
	d.agrees(err, protocol.CodeNotHotkeyOwner, "//Bob", protocol.SetTake{Hotkey: alice, Take: take})
	_, err = ops.PlanSetTake(d.ctx, d.c, ops.TakeInput{Cold: alice, Hot: alice, Take: 65535})
	wantField(t, err, ops.KindInput, "Take", "outside the chain's bounds [")
	d.agrees(err, protocol.CodeTakeOutOfBounds, "//Alice", protocol.SetTake{Hotkey: alice, Take: 65535})
	_, err = ops.PlanSetTake(d.ctx, d.c, ops.TakeInput{Cold: bob, Hot: d.id("//Ferdie"), Take: take})
	wantField(t, err, ops.KindNotFound, "Take", "does not exist")
	dels, err := d.c.Delegates(d.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var old uint16
	for _, dl := range dels {
		if dl.Hotkey == alice {
			old = dl.Take
		}
	}
	p := d.must(ops.PlanSetTake(d.ctx, d.c, ops.TakeInput{Cold: alice, Hot: alice, Take: take}))
	var pv ops.TakePreview
	preview(t, p, &pv)
	if pv.Old != old || pv.New != take || pv.Hotkey != alice.SS58() || pv.Fee != p.Sim.Receipt.Fee { // the sudo account pays no fee for some calls
		t.Fatalf("take preview %+v (take was %d)", pv, old)
	}
	d.submit("//Alice", p)
	_, err = ops.PlanSetTake(d.ctx, d.c, ops.TakeInput{Cold: alice, Hot: alice, Take: take})
	wantField(t, err, ops.KindInput, "Take", "already has take")
	d.agrees(err, protocol.CodeTakeNotChanged, "//Alice", protocol.SetTake{Hotkey: alice, Take: take})
}

func TestPlanServeAxon(t *testing.T) {
	t.Parallel()
	d := newDevnet(t)
	alice := d.id("//Alice")
	in := ops.AxonInput{Hot: alice, Netuid: 1, IP: "203.0.113.5", Port: 8091, Protocol: 4, Version: 1}
	plan := func(mod func(*ops.AxonInput)) error {
		x := in
		mod(&x)
		_, err := ops.PlanServeAxon(d.ctx, d.c, x)
		return err
	}
	wantField(t, plan(func(x *ops.AxonInput) { x.IP = "300.1.1.1" }), ops.KindInput, "IP", "not an IP address")
	wantField(t, plan(func(x *ops.AxonInput) { x.IP = "::" }), ops.KindInput, "IP", "unspecified")
	wantField(t, plan(func(x *ops.AxonInput) { x.IPType = 6 }), ops.KindInput, "IPType", "does not match")
	wantField(t, plan(func(x *ops.AxonInput) { x.Port = 0 }), ops.KindInput, "Port", "not a port")
	wantField(t, plan(func(x *ops.AxonInput) { x.Reset = true }), ops.KindInput, "Hot", "nothing to reset")
	err := plan(func(x *ops.AxonInput) { x.Hot = d.id("//Dave") })
	wantField(t, err, ops.KindNotFound, "Hot", "not registered")
	d.agrees(err, protocol.CodeNotRegistered, "//Dave", protocol.ServeAxon{Netuid: 1, Version: 1, Port: 8091, IPType: 4, Protocol: 4, IP: [16]byte{12: 203, 13: 0, 14: 113, 15: 5}})
	err = plan(func(x *ops.AxonInput) { x.Netuid = 0 })
	wantField(t, err, ops.KindInput, "Netuid", "root network")

	p := d.must(ops.PlanServeAxon(d.ctx, d.c, in))
	var pv ops.AxonPreview
	preview(t, p, &pv)
	if pv.IP != "203.0.113.5" || pv.IPType != 4 || pv.Port != 8091 || pv.Hotkey != alice.SS58() || pv.Fee != p.Sim.Receipt.Fee {
		t.Fatalf("axon preview %+v", pv)
	}
	d.submit("//Alice", p)
	mg, err := d.c.Metagraph(d.ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if mg.Neurons[0].Hotkey != alice || mg.Neurons[0].Axon == nil || mg.Neurons[0].Axon.Port != 8091 {
		t.Fatalf("axon after serving: %+v", mg.Neurons[0])
	}
	// IPv6, then the reset of a served axon.
	v6 := in
	v6.IP = "2001:db8::1"
	p = d.must(ops.PlanServeAxon(d.ctx, d.c, v6))
	preview(t, p, &pv)
	if pv.IPType != 6 || pv.IP != "2001:db8::1" {
		t.Fatalf("IPv6 preview %+v", pv)
	}
	p = d.must(ops.PlanServeAxon(d.ctx, d.c, ops.AxonInput{Hot: alice, Netuid: 1, Reset: true}))
	preview(t, p, &pv)
	if pv.IP != "0.0.0.0" || pv.Port != 1 {
		t.Fatalf("reset preview %+v", pv)
	}
	info := d.submit("//Alice", p)
	if len(info.Events) == 0 || info.Events[len(info.Events)-1].Name != "AxonReset" {
		t.Fatalf("reset events %+v", info.Events)
	}
}

func TestPlanSwapHotkey(t *testing.T) {
	t.Parallel()
	d := newDevnet(t)
	n2 := d.subnet2()
	bob, hot, fresh, alice := d.id("//Bob"), d.id("//Bob//hot"), d.id("//Bob//fresh"), d.id("//Alice")
	swap := func(in ops.SwapHotkeyInput) error { _, err := ops.PlanSwapHotkey(d.ctx, d.c, in); return err }
	wantField(t, swap(ops.SwapHotkeyInput{Cold: bob, Hot: hot, NewHotkey: hot}), ops.KindInput, "NewHotkey", "the hotkey itself")
	err := swap(ops.SwapHotkeyInput{Cold: bob, Hot: hot, NewHotkey: alice})
	wantField(t, err, ops.KindInput, "NewHotkey", "already exists")
	d.agrees(err, protocol.CodeNewHotkeyInUse, "//Bob", protocol.SwapHotkey{Hotkey: hot, NewHotkey: alice})
	err = swap(ops.SwapHotkeyInput{Cold: d.id("//Charlie"), Hot: hot, NewHotkey: fresh})
	wantField(t, err, ops.KindInput, "Hot", "only its owner")
	d.agrees(err, protocol.CodeNotHotkeyOwner, "//Charlie", protocol.SwapHotkey{Hotkey: hot, NewHotkey: fresh})
	err = swap(ops.SwapHotkeyInput{Cold: bob, Hot: d.id("//Bob//never"), NewHotkey: fresh})
	wantField(t, err, ops.KindNotFound, "Hot", "does not exist")

	p := d.must(ops.PlanSwapHotkey(d.ctx, d.c, ops.SwapHotkeyInput{Cold: bob, Hot: hot, NewHotkey: fresh}))
	var pv ops.SwapHotkeyPreview
	preview(t, p, &pv)
	if len(pv.Registered) != 1 || pv.Registered[0] != n2 || pv.NewHotkey != fresh.SS58() || pv.Coldkey != bob.SS58() || pv.Fee == 0 {
		t.Fatalf("swap-hotkey preview %+v", pv)
	}
	d.submit("//Bob", p)
	si, err := d.c.Subnet(d.ctx, n2)
	if err != nil {
		t.Fatal(err)
	}
	if si.OwnerHotkey != fresh {
		t.Fatalf("subnet %d's owner hotkey after the swap: %s", n2, si.OwnerHotkey)
	}
}

func TestPlanFaucet(t *testing.T) {
	t.Parallel()
	d := newDevnet(t)
	eve := d.id("//Eve")
	_, err := ops.PlanFaucet(d.ctx, d.c, ops.FaucetInput{To: eve})
	wantField(t, err, ops.KindInput, "Amount", "zero")

	p := d.must(ops.PlanFaucet(d.ctx, d.c, ops.FaucetInput{To: eve, Amount: 5 * protocol.RaoPerTAO}))
	info, err := d.c.Info(d.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.Signer != info.Sudo {
		t.Fatalf("faucet signer %s, sudo %s", p.Signer, info.Sudo)
	}
	var after uint64
	for _, b := range p.Sim.Balances {
		if b.Account == eve {
			after = b.After
		}
	}
	tx, err := d.c.Faucet(d.ctx, eve, 5*protocol.RaoPerTAO)
	if err != nil || !tx.Receipt.OK() {
		t.Fatalf("faucet: %v %+v", err, tx)
	}
	if got := d.free(eve); got != after || after != 2_005*protocol.RaoPerTAO {
		t.Fatalf("after the faucet: %d, the dry run said %d", got, after)
	}
	// Over the per-call limit: not a plan error (the devnet faucet records the failure), but
	// the dry run's failure is the chain's.
	p, err = ops.PlanFaucet(d.ctx, d.c, ops.FaucetInput{To: eve, Amount: 200_000 * protocol.RaoPerTAO})
	if err != nil || p.Sim == nil || p.Sim.OK() {
		t.Fatalf("faucet over the limit: %v %+v", err, p.Sim)
	}
	want, _ := protocol.CodeOf(p.Sim.Err())
	tx, err = d.c.Faucet(d.ctx, eve, 200_000*protocol.RaoPerTAO)
	if err != nil || tx.Receipt.Code != want || want != protocol.CodeFaucetLimit {
		t.Fatalf("faucet over the limit: dry run %s, chain %v %+v", want, err, tx)
	}
}

// movingChain is the real devnet with a block sealed right after each of the first advance
// stake views: the state moves between a plan's quote and its dry run.
type movingChain struct {
	chainclient.Client
	views, advance int
}

func (m *movingChain) StakeView(ctx context.Context, cold wallet.AccountID, netuids []uint16) (protocol.StakeView, error) {
	v, err := m.Client.StakeView(ctx, cold, netuids)
	m.views++
	if m.views <= m.advance {
		if _, aerr := m.Client.Advance(ctx, 1, nil); aerr != nil {
			return v, aerr
		}
	}
	return v, err
}

// TestStakePlanReadsOneSnapshot: a stake transfer's quote (markets, position) comes from one
// StakeView at one head, and its dry run runs in the block right after that head: when a
// block lands in between, the plan reads and dry-runs again.
func TestStakePlanReadsOneSnapshot(t *testing.T) {
	t.Parallel()
	d := newDevnet(t)
	n2 := d.subnet2()
	bob, charlie, alice := d.id("//Bob"), d.id("//Charlie"), d.id("//Alice")
	d.submit("//Bob", d.must(ops.PlanStakeAdd(d.ctx, d.c, ops.StakeInput{Cold: bob, Hot: alice, Netuid: 1, Amount: 100 * protocol.RaoPerTAO, Trade: ops.Trade{Unsafe: true}})))

	snap, err := ops.ReadStakeSnapshot(d.ctx, d.c, bob, []uint16{1, n2}, []string{"Origin", "DestNetuid"})
	if err != nil {
		t.Fatal(err)
	}
	info, err := d.c.Info(d.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Height != info.Height || len(snap.Markets) != 2 || snap.Markets[1].Subnet.Netuid != n2 || snap.Position(alice, 1) != d.stake(bob, alice, 1) || snap.Free != d.free(bob) {
		t.Fatalf("snapshot %+v at head %d", snap, info.Height)
	}
	_, err = ops.ReadStakeSnapshot(d.ctx, d.c, bob, []uint16{1, 9}, []string{"Origin", "DestNetuid"})
	wantField(t, err, ops.KindNotFound, "DestNetuid", "subnet 9 does not exist")

	in := ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: charlie, Origin: 1, DestNetuid: n2, Amount: 10 * protocol.RaoPerTAO, Trade: ops.Trade{Unsafe: true}}
	m := &movingChain{Client: d.c, advance: 1}
	p, err := ops.PlanStakeTransfer(d.ctx, m, in)
	if err != nil {
		t.Fatal(err)
	}
	info, _ = d.c.Info(d.ctx)
	if m.views != 2 || p.Sim.Height != info.Height+1 {
		t.Fatalf("a block between quote and dry run: %d views, dry run at %d, head %d", m.views, p.Sim.Height, info.Height)
	}
	var pv ops.StakeXferPreview
	preview(t, p, &pv)
	d.submit("//Bob", p)
	if got := d.stake(charlie, alice, n2); got != pv.Buy.ExpectedOut {
		t.Fatalf("charlie's stake %d, quoted %d", got, pv.Buy.ExpectedOut)
	}
	// The same for a stake and an unstake.
	m = &movingChain{Client: d.c, advance: 1}
	eve := d.id("//Eve")
	add, err := ops.PlanStakeAdd(d.ctx, m, ops.StakeInput{Cold: eve, Hot: alice, Netuid: n2, All: true, Trade: ops.Trade{Unsafe: true}})
	info, _ = d.c.Info(d.ctx)
	if err != nil || m.views != 2 || add.Sim.Height != info.Height+1 {
		t.Fatalf("stake add on a moving chain: %v, %d views", err, m.views)
	}
	if got, want := add.Call.(protocol.AddStake).Amount, d.free(eve)-info.TxFee-info.ExistentialDeposit; got != want {
		t.Fatalf("stake add --all: %d, want the balance but the fee and the existential deposit, %d", got, want)
	}
	m = &movingChain{Client: d.c, advance: 1}
	if rm, err := ops.PlanStakeRemove(d.ctx, m, ops.StakeInput{Cold: bob, Hot: alice, Netuid: 1, All: true, Trade: ops.Trade{Unsafe: true}}); err != nil || m.views != 2 ||
		rm.Call.(protocol.RemoveStake).Amount != d.stake(bob, alice, 1) {
		t.Fatalf("stake remove on a moving chain: %v, %d views, %+v", err, m.views, rm.Call)
	}
	// A chain that never holds still: the plan settles after a few tries.
	m = &movingChain{Client: d.c, advance: 100}
	if _, err := ops.PlanStakeSwap(d.ctx, m, ops.StakeSwapInput{Cold: bob, Hot: alice, Origin: 1, DestNetuid: n2, Amount: 10 * protocol.RaoPerTAO, Trade: ops.Trade{Unsafe: true}}); err != nil || m.views != 3 {
		t.Fatalf("moving chain: %v after %d views", err, m.views)
	}
}
