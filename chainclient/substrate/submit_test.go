package substrate

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/btui/btui/wallet"
)

const eventsBlock = "0x81617dc8ede17528d8f8aab64c84285a166f73e120ff6d2acd11e3419a95abec"

// TestSubmitAndWatchOutcome submits an extrinsic whose watch reports it in block 7,959,635, at
// the position of an extrinsic that failed there: the outcome names the module error from the
// recorded events.
func TestSubmitAndWatchOutcome(t *testing.T) {
	c, r := replayClient(t, "metadata-v15-spec393", spec393Seeds(t)["test_get_events_proper_decoding"])
	m := c.Metadata()
	kp, err := wallet.Dev("Alice")
	must(t, err)
	call, err := m.EncodeCall("Balances", "transfer_keep_alive", map[string]any{"dest": kp.Address(), "value": 1})
	must(t, err)
	var exts []string
	var ours *Extrinsic
	for i := range 17 {
		x, err := m.BuildSigned(call, TxParams{Nonce: uint64(i), Era: Era{Immortal: true}, Genesis: c.Genesis, SpecVersion: 393, TxVersion: 1}, ECDSASigner(kp))
		must(t, err)
		exts = append(exts, x.Hex())
		ours = x // index 16 failed in the recorded block
	}
	hdr := json.RawMessage(`{"parentHash":"0x` + strings.Repeat("00", 32) + `","number":"0x797453","stateRoot":"0x` + strings.Repeat("00", 32) +
		`","extrinsicsRoot":"0x` + strings.Repeat("00", 32) + `","digest":{"logs":[]}}`)
	must(t, r.Add("chain_getBlock", []any{eventsBlock}, map[string]any{"block": map[string]any{"header": hdr, "extrinsics": exts}}))
	watch := "author_submitAndWatchExtrinsic"
	r.AddSubscription(watch, json.RawMessage(`"ready"`), json.RawMessage(`{"broadcast":["peer"]}`), json.RawMessage(`{"inBlock":"`+eventsBlock+`"}`))
	var seen []string
	o, err := c.SubmitAndWatch(context.Background(), ours.Bytes, false, func(s TxStatus) { seen = append(seen, s.Kind) })
	must(t, err)
	if o.Index != 16 || o.Success || !strings.HasPrefix(o.Error, "Commitments.AccountNotAllowedCommit") || o.Number != 7_959_635 || len(o.Events) != 2 || o.Events[0].Name != "TransactionFeePaid" {
		t.Errorf("outcome %+v", o)
	}
	if strings.Join(seen, ",") != "ready,broadcast,inBlock" {
		t.Errorf("statuses %v", seen)
	}
	for _, final := range []string{`"invalid"`, `"dropped"`, `{"usurped":"` + eventsBlock + `"}`} {
		r.AddSubscription(watch, json.RawMessage(`"ready"`), json.RawMessage(final))
		if _, err := c.SubmitAndWatch(context.Background(), ours.Bytes, false, nil); !errors.Is(err, ErrTxNotIncluded) {
			t.Errorf("%s: %v, want ErrTxNotIncluded", final, err)
		}
	}
	// A watch that ends without an outcome (the node closed it) says so; it is never resubmitted.
	r.AddSubscription(watch, json.RawMessage(`"ready"`))
	if _, err := c.SubmitAndWatch(context.Background(), ours.Bytes, false, nil); !errors.Is(err, ErrTxNotIncluded) {
		t.Errorf("watch ended early: %v", err)
	}
}

// TestRuntimeUpgradeAndWrongChain: a runtime upgrade after connect is noticed before signing
// (the metadata is re-read), a transaction prepared for the old runtime or another chain is
// refused.
func TestRuntimeUpgradeAndWrongChain(t *testing.T) {
	c, r := replayClient(t, "metadata-v15-spec343", sdkSeeds(t)["metagraph"])
	ctx := context.Background()
	genesis := c.Genesis
	must(t, c.CheckPrepared(ctx, genesis, 343))
	other := genesis
	other[0] ^= 1
	if err := c.CheckPrepared(ctx, other, 343); !errors.Is(err, ErrWrongChain) {
		t.Errorf("other genesis: %v", err)
	}
	// The node upgrades to 393.
	must(t, r.Add("state_getRuntimeVersion", []any{nil}, map[string]any{"specName": "node-subtensor", "specVersion": 393, "transactionVersion": 1}))
	must(t, r.Add("state_call", []any{"Metadata_metadata_at_version", "0x0f000000", nil}, metadataHex(t, "metadata-v15-spec393")))
	err := c.CheckPrepared(ctx, genesis, 343)
	if err == nil || !strings.Contains(err.Error(), "signed for runtime 343 but the node now runs 393") {
		t.Fatalf("after upgrade: %v", err)
	}
	if c.RuntimeVersion().SpecVersion != 393 || len(c.Metadata().SignedExtensions) != 13 {
		t.Errorf("metadata not refreshed: spec %d, %d extensions", c.RuntimeVersion().SpecVersion, len(c.Metadata().SignedExtensions))
	}
	// A node whose metadata does not match its runtime version is refused.
	must(t, r.Add("state_getRuntimeVersion", []any{nil}, map[string]any{"specName": "node-subtensor", "specVersion": 400, "transactionVersion": 1}))
	if _, err := c.Refresh(ctx); err == nil || !strings.Contains(err.Error(), "metadata is for runtime 393 but the node runs 400") {
		t.Errorf("mismatched metadata: %v", err)
	}
}

func TestWrongNetworkAddressRefused(t *testing.T) {
	m := parseMeta(t, "metadata-v15-spec393")
	// Polkadot's prefix 0 for Alice's sr25519 key.
	_, err := m.EncodeCall("Balances", "transfer_keep_alive", map[string]any{"dest": "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5", "value": 1})
	if !errors.Is(err, wallet.ErrSS58Prefix) || !strings.Contains(err.Error(), "prefix 0") {
		t.Errorf("polkadot address: %v", err)
	}
}
