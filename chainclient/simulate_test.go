package chainclient_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/protocol"
)

// Simulate answers the same over both clients as the chain itself, changes nothing, and a
// transaction signed afterwards does what the simulation said.
func TestSimulateBothClients(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx := ctxT(t)
		alice, bob := dev(t, "Alice"), dev(t, "Bob")
		call := protocol.AddStake{Hotkey: alice.AccountID(), Netuid: 1, Amount: 5 * protocol.RaoPerTAO}
		info0, err := im.client.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sim, err := im.client.Simulate(ctx, call, bob.AccountID())
		if err != nil {
			t.Fatal(err)
		}
		want, err := im.chain.Simulate(call, bob.AccountID())
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "simulation", sim, want)
		if !sim.OK() || len(sim.Stakes) != 1 || len(sim.Balances) == 0 || len(sim.Events) == 0 {
			t.Fatalf("simulated add_stake: %+v", sim)
		}
		info1, _ := im.client.Info(ctx)
		if info1.StateDigest != info0.StateDigest || info1.Height != info0.Height {
			t.Fatal("Simulate changed the chain")
		}
		got, err := im.client.SubmitAndWait(ctx, signed(t, im.client, bob, call, chainclient.SignOptions{}))
		if err != nil {
			t.Fatal(err)
		}
		if got.Receipt != sim.Receipt || got.Height != sim.Height {
			t.Fatalf("real %+v at #%d, simulated %+v at #%d", got.Receipt, got.Height, sim.Receipt, sim.Height)
		}
		// A rejection is a result, not an error.
		rej, err := im.client.Simulate(ctx, protocol.Transfer{To: bob.AccountID(), Amount: 1}, [32]byte{7})
		if err != nil {
			t.Fatal(err)
		}
		if rej.Rejected == nil || rej.Rejected.Code != protocol.CodeUnfundedFee {
			t.Fatalf("unfunded signer: %+v", rej)
		}
	})
}

// The node refuses a simulate request whose call does not decode, with the rejection code.
func TestSimulateNodeBadCall(t *testing.T) {
	chain := openChain(t)
	_, url := serveNode(t, chain, rpcserver.Options{})
	body, _ := json.Marshal(map[string]any{"signer": dev(t, "Bob").AccountID(), "call": "0x0a62616c616e636573"})
	resp, err := http.Post(url+"/v1/"+chainclient.MethodSimulate, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Fatalf("status %d for an undecodable call", resp.StatusCode)
	}
	r := newRemote(t, url)
	if _, err := r.Simulate(ctxT(t), nil, dev(t, "Bob").AccountID()); err == nil {
		t.Fatal("nil call accepted")
	}
}
