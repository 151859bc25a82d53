package chainclient_test

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/protocol"
)

// sameJSON fails unless got and want marshal to the same JSON (the node's wire form).
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Fatalf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// TestModulesQueries checks every module query of both clients against the chain's own answer
// after a stake on subnet 1, and the not-found errors of an unknown netuid.
func TestModulesQueries(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx := ctxT(t)
		m := im.client
		alice, bob := dev(t, "Alice"), dev(t, "Bob")
		// Bob nominates Alice's hotkey (the owner hotkey of subnet 1).
		tx := signed(t, im.client, bob, protocol.AddStake{Hotkey: alice.AccountID(), Netuid: 1, Amount: 10 * protocol.RaoPerTAO}, chainclient.SignOptions{})
		info, err := im.client.SubmitAndWait(ctx, tx)
		if err != nil || !info.Receipt.OK() {
			t.Fatalf("add_stake: %v %+v", err, info)
		}

		subnets, err := m.Subnets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := im.chain.Subnets()
		sameJSON(t, "subnets", subnets, want)
		if len(subnets) < 2 || subnets[0].Netuid != 0 || !subnets[0].Root {
			t.Fatalf("subnets: want root first and subnet 1, got %+v", subnets)
		}
		one, err := m.Subnet(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "subnet 1", one, want[1])

		mg, err := m.Metagraph(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		wmg, _ := im.chain.Metagraph(1)
		sameJSON(t, "metagraph", mg, wmg)
		if mg.N == 0 || mg.Neurons[0].Hotkey != alice.AccountID() {
			t.Fatalf("metagraph: want alice at uid 0, got %+v", mg)
		}

		w, err := m.Weights(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		ww, _ := im.chain.Weights(1)
		sameJSON(t, "weights", w, ww)
		b, err := m.Bonds(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		wb, _ := im.chain.Bonds(1)
		sameJSON(t, "bonds", b, wb)

		h, err := m.Hyperparameters(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		wh, _ := im.chain.Hyperparameters(1)
		if !reflect.DeepEqual(h, wh) {
			t.Fatalf("hyperparameters: got %+v want %+v", h, wh)
		}
		g, err := m.GlobalParams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wg, _ := im.chain.GlobalParams()
		if !reflect.DeepEqual(g, wg) || len(g) == 0 {
			t.Fatalf("global params: got %v want %v", g, wg)
		}
		cost, err := m.NetworkLockCost(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if wc, _ := im.chain.NetworkLockCost(); cost != wc || cost == 0 {
			t.Fatalf("lock cost: got %d want %d", cost, wc)
		}

		byCold, err := m.StakesByColdkey(ctx, bob.AccountID())
		if err != nil {
			t.Fatal(err)
		}
		if len(byCold) != 1 || byCold[0].Netuid != 1 || byCold[0].Hotkey != alice.AccountID() || byCold[0].Alpha == 0 {
			t.Fatalf("stakes of bob: %+v", byCold)
		}
		// The stake view: the same rows, fee rates, reserve, balance and positions as the
		// separate queries, at one head; an unknown netuid is left out, the order kept.
		sv, err := m.StakeView(ctx, bob.AccountID(), []uint16{1, 999, 0})
		if err != nil {
			t.Fatal(err)
		}
		wsv, _ := im.chain.StakeView(bob.AccountID(), []uint16{1, 999, 0})
		sameJSON(t, "stake view", sv, wsv)
		si1, _ := im.chain.Subnet(1)
		bobAcct, _ := im.chain.Account(bob.AccountID())
		if len(sv.Markets) != 2 || sv.Markets[0].Subnet.Netuid != 1 || sv.Markets[1].Subnet.Netuid != 0 ||
			sv.Markets[0].FeeRate != wh.FeeRate || sv.MinReserve != wg["minimum_reserve"] || sv.Free != bobAcct.Free ||
			sv.Height != im.chain.Head().Height || !reflect.DeepEqual(sv.Stakes, byCold) || sv.TxFee == 0 || sv.ExistentialDeposit == 0 {
			t.Fatalf("stake view %+v", sv)
		}
		sameJSON(t, "stake view subnet 1", sv.Markets[0].Subnet, si1)
		if ci, _ := im.chain.Info(); sv.TxFee != ci.TxFee || sv.ExistentialDeposit != ci.ExistentialDeposit {
			t.Fatalf("stake view fee %d, existential deposit %d; chain info %d, %d", sv.TxFee, sv.ExistentialDeposit, ci.TxFee, ci.ExistentialDeposit)
		}
		byHot, err := m.StakesByHotkey(ctx, alice.AccountID())
		if err != nil {
			t.Fatal(err)
		}
		wbh, _ := im.chain.StakesByHotkey(alice.AccountID())
		sameJSON(t, "stakes by hotkey", byHot, wbh)
		dels, err := m.Delegates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wd, _ := im.chain.Delegates()
		sameJSON(t, "delegates", dels, wd)

		// Unknown netuid: not found, on both clients.
		for name, call := range map[string]func() error{
			"subnet":          func() error { _, err := m.Subnet(ctx, 999); return err },
			"metagraph":       func() error { _, err := m.Metagraph(ctx, 999); return err },
			"weights":         func() error { _, err := m.Weights(ctx, 999); return err },
			"hyperparameters": func() error { _, err := m.Hyperparameters(ctx, 999); return err },
		} {
			if err := call(); !errors.Is(err, protocol.ErrNotFound) {
				t.Errorf("%s of netuid 999: want ErrNotFound, got %v", name, err)
			}
		}
	})
}

// TestModulesUnsupported: a client without module queries fails with ErrUnsupported, and a
// node over such a backend answers kind "unsupported".
func TestModulesUnsupported(t *testing.T) {
	m := chainclient.Unimplemented{}
	if _, err := m.Subnets(ctxT(t)); !errors.Is(err, chainclient.ErrUnsupported) {
		t.Fatalf("want ErrUnsupported, got %v", err)
	}
	srv := rpcserver.New(chainclient.Unimplemented{}, rpcserver.Options{})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	r := newRemote(t, ts.URL)
	if _, err := r.Metagraph(ctxT(t), 1); !errors.Is(err, chainclient.ErrUnsupported) {
		t.Fatalf("node without module queries: want ErrUnsupported, got %v", err)
	}
	if _, err := r.NetworkLockCost(ctxT(t)); !errors.Is(err, chainclient.ErrUnsupported) {
		t.Fatalf("node without module queries: want ErrUnsupported, got %v", err)
	}
}
