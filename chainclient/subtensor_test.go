package chainclient

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/chainclient/substrate/substratetest"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

const subtensorFixtures = "../testdata/subtensor/"

func gunzipFixture(t *testing.T, name string) []byte {
	t.Helper()
	return substratetest.Gunzip(t, subtensorFixtures+name)
}

// replaySubtensor is a Subtensor over a replay of one recorded seed (substratetest.NewNode:
// the seed plus finney's genesis hash, the metadata answer and the runtime version it
// declares, system_chain and system_properties).
func replaySubtensor(t *testing.T, file, seed, meta string) *Subtensor {
	s, _ := replaySubtensorR(t, file, seed, meta)
	return s
}

func replaySubtensorR(t *testing.T, file, seed, meta string) (*Subtensor, *substrate.Replay) {
	t.Helper()
	n := substratetest.NewNode(t, subtensorFixtures, file, seed, meta)
	c, err := substrate.Connect(context.Background(), n.Replay, substrate.ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return NewSubtensor(c, "replay:"+seed), n.Replay
}

func TestSubtensorMetagraph(t *testing.T) {
	s := replaySubtensor(t, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	mg, err := s.Metagraph(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if mg.Netuid != 1 || mg.N != 1024 || mg.Block != 6_852_690 || len(mg.Neurons) != 1024 {
		t.Fatalf("metagraph %d/%d at %d", mg.Netuid, mg.N, mg.Block)
	}
	n0 := mg.Neurons[0]
	if n0.Hotkey.SS58() != "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ" || n0.Coldkey.SS58() != "5EhQWxcFdYAk7B9tNdQnJQFzww5N3964rbsMk55SujcX3PwM" ||
		n0.Axon == nil || n0.Axon.IP != "192.222.59.109" || n0.Axon.Port != 6028 {
		t.Errorf("uid 0: %+v axon %+v", n0, n0.Axon)
	}
	permits := 0
	for _, n := range mg.Neurons {
		if n.Permit {
			permits++
		}
	}
	if permits != 12 {
		t.Errorf("%d validator permits, want 12", permits)
	}
}

func TestSubtensorAccount(t *testing.T) {
	s := replaySubtensor(t, "finney-sdk-recordings.json.gz", "get_balance", "metadata-v15-spec343")
	id, err := wallet.ParseAddress("5CUkpcUWSSMKMdNUW23sfUke6WCkoYXixR4CPBDCLpvxLmSi")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Account(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Free != 7_450_117_072 || a.Nonce != 141 || a.Address != id {
		t.Errorf("account %+v", a)
	}
}

func TestSubtensorEvents(t *testing.T) {
	s := replaySubtensor(t, "finney-spec393-recordings.json.gz", "test_get_events_proper_decoding", "metadata-v15-spec393")
	evs, err := s.Events(context.Background(), 7_959_635, 7_959_635)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 182 {
		t.Fatalf("%d events", len(evs))
	}
	e := evs[1]
	if e.Module != "SubtensorModule" || e.Name != "TimelockedWeightsRevealed" || e.Height != 7_959_635 || e.Index != 1 ||
		e.Attr("0") != "53" || e.Attr("1") != "5CsvRJXuR955WojnGMdok1hbhffZyB4N5ocrv82f3p5A2zVp" || len(e.Accounts) != 1 {
		t.Errorf("event 1: %+v", e)
	}
	if _, err := s.Events(context.Background(), 1, 1000); !errors.Is(err, ErrBadRequest) {
		t.Errorf("a 1,000-block range: %v", err)
	}
}

// TestConvertBlockReceipts puts real signed extrinsics in a block with the recorded events of
// block 7,959,635: each extrinsic gets its events, and one that failed gets a failure receipt
// naming the module error from the metadata.
func TestConvertBlockReceipts(t *testing.T) {
	s := replaySubtensor(t, "finney-spec393-recordings.json.gz", "test_get_events_proper_decoding", "metadata-v15-spec393")
	ctx := context.Background()
	at, _ := substrate.ParseHash("0x81617dc8ede17528d8f8aab64c84285a166f73e120ff6d2acd11e3419a95abec")
	evs, err := s.Substrate().Events(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	maxIdx, failed := 0, -1
	for _, e := range evs {
		maxIdx = max(maxIdx, e.Extrinsic)
		if e.Name == "ExtrinsicFailed" && failed < 0 {
			failed = e.Extrinsic
		}
	}
	m := s.Substrate().Metadata()
	b := &substrate.Block{Header: &substrate.Header{Number: 7_959_635}}
	for _, x := range substratetest.AliceTransfers(t, m, substrate.Hash{}, maxIdx+1) {
		b.Extrinsics = append(b.Extrinsics, x.Bytes)
	}
	lb := ConvertBlock(m, s.Substrate().Genesis, at, b, evs)
	if len(lb.Txs) != maxIdx+1 || lb.Header.EventCount != 182 {
		t.Fatalf("%d txs, %d events", len(lb.Txs), lb.Header.EventCount)
	}
	tx := lb.Txs[failed]
	if tx.Receipt.Code != CodeExtrinsicFailed || !strings.Contains(tx.Receipt.Message, ".") || tx.Call.Module != "Balances" || tx.Call.Method != "transfer_keep_alive" || tx.Nonce != uint64(failed) {
		t.Errorf("failed tx %d: %+v", failed, tx)
	}
	t.Logf("extrinsic %d failed with %s", failed, tx.Receipt.Message)
	total := len(lb.StepEvents)
	for _, tx := range lb.Txs {
		total += len(tx.Events)
	}
	if total != 182 {
		t.Errorf("events spread over txs and steps: %d, want 182", total)
	}
	if hex.EncodeToString(lb.Txs[0].Hash[:]) == "" {
		t.Error("no tx hash")
	}
}

func TestSubtensorDevnetOnlyAndRefusals(t *testing.T) {
	s := replaySubtensor(t, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	ctx := context.Background()
	var id wallet.AccountID
	for name, err := range map[string]error{
		"pause":    s.Pause(ctx),
		"resume":   s.Resume(ctx),
		"check":    s.Check(ctx),
		"advance":  func() error { _, err := s.Advance(ctx, 1, nil); return err }(),
		"faucet":   func() error { _, err := s.Faucet(ctx, id, 1); return err }(),
		"snapshot": func() error { _, err := s.Snapshot(ctx, "x"); return err }(),
		"restore":  func() error { _, err := s.Restore(ctx, "x"); return err }(),
		"reset":    func() error { _, err := s.Reset(ctx, nil); return err }(),
		"genesis":  func() error { _, err := s.Genesis(ctx); return err }(),
	} {
		if !errors.Is(err, ErrDevnetOnly) || !strings.Contains(err.Error(), "devnet-only") {
			t.Errorf("%s: %v, want devnet-only", name, err)
		}
	}
	if _, err := s.Tx(ctx, protocol.TxHash{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Tx: %v", err)
	}
	// A devnet transaction is refused before anything reaches the node (the replay would
	// report an unrecorded author_submitExtrinsic).
	if _, err := s.Submit(ctx, []byte{0x01, 0x02, 0x03}); !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "runtime 343") {
		t.Errorf("Submit of non-extrinsic bytes: %v", err)
	}
}

const eventsBlock = "0x81617dc8ede17528d8f8aab64c84285a166f73e120ff6d2acd11e3419a95abec"

// blockWithFailure adds to r a block 7,959,635 holding 17 of Alice's transfers, the last at
// the index of an extrinsic that failed there, and returns that one.
func blockWithFailure(t *testing.T, s *Subtensor, r *substrate.Replay) []byte {
	var exts []string
	var last []byte
	for _, x := range substratetest.AliceTransfers(t, s.Substrate().Metadata(), s.Substrate().Genesis, 17) {
		exts = append(exts, x.Hex())
		last = x.Bytes
	}
	zero := "0x" + strings.Repeat("00", 32)
	hdr := map[string]any{"parentHash": zero, "number": "0x797453", "stateRoot": zero, "extrinsicsRoot": zero, "digest": map[string]any{"logs": []string{}}}
	if err := r.Add("chain_getBlock", []any{eventsBlock}, map[string]any{"block": map[string]any{"header": hdr, "extrinsics": exts}}); err != nil {
		t.Fatal(err)
	}
	return last
}

// TestSubtensorSubmitAndWaitFailure: a transaction included in a block where it failed comes
// back with a failure receipt naming the module error, and a nil error (the command exits 3).
func TestSubtensorSubmitAndWaitFailure(t *testing.T) {
	s, r := replaySubtensorR(t, "finney-spec393-recordings.json.gz", "test_get_events_proper_decoding", "metadata-v15-spec393")
	tx := blockWithFailure(t, s, r)
	r.AddSubscription("author_submitAndWatchExtrinsic", json.RawMessage(`"ready"`), json.RawMessage(`{"inBlock":"`+eventsBlock+`"}`))
	info, err := s.SubmitAndWait(context.Background(), tx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Index != 16 || info.Height != 7_959_635 || info.Receipt.Code != CodeExtrinsicFailed ||
		!strings.HasPrefix(info.Receipt.Message, "Commitments.AccountNotAllowedCommit") || info.Call.Method != "transfer_keep_alive" {
		t.Errorf("tx info %+v", info)
	}
}

// TestSubtensorSubscribe: one HeadEvent per new head with its events; a head the node sends
// again (as after a resubscription) is not delivered twice; the stream ends when the node's does.
func TestSubtensorSubscribe(t *testing.T) {
	s, r := replaySubtensorR(t, "finney-spec393-recordings.json.gz", "test_get_events_proper_decoding", "metadata-v15-spec393")
	blockWithFailure(t, s, r)
	zero := "0x" + strings.Repeat("00", 32)
	head := json.RawMessage(`{"parentHash":"` + zero + `","number":"0x797453","stateRoot":"` + zero + `","extrinsicsRoot":"` + zero + `","digest":{"logs":[]}}`)
	r.AddSubscription("chain_subscribeNewHeads", head, head)
	sub, err := s.Subscribe(context.Background(), SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []protocol.HeadEvent
	for ev := range sub.C {
		got = append(got, ev)
	}
	<-sub.Done()
	if sub.Err() != nil || len(got) != 1 || got[0].Header.Height != 7_959_635 || len(got[0].Events) != 182 || got[0].Header.TxCount != 17 {
		t.Fatalf("heads %d err %v: %+v", len(got), sub.Err(), got)
	}
}

func TestSubtensorWeights(t *testing.T) {
	s := replaySubtensor(t, "finney-sdk-recordings.json.gz", "weights", "metadata-v15-spec343")
	rows, err := s.Weights(context.Background(), 23)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].UID != 10 || len(rows[0].Entries) != 1 || rows[0].Entries[0] != (protocol.UIDValue{UID: 10, Value: 65535}) {
		t.Errorf("weights %+v", rows)
	}
}

// TestSubtensorSubscribeHeaderOnly: a head whose body the node will not give (a pruned
// state; here a replay that never recorded chain_getBlock of block 7,959,608) is delivered
// from its header alone, named by TakeWarning, and the subscription goes on instead of ending
// as if the connection were lost.
func TestSubtensorSubscribeHeaderOnly(t *testing.T) {
	s, r := replaySubtensorR(t, "finney-spec393-recordings.json.gz", "test_same_events", "metadata-v15-spec393")
	r.OnUnrecorded = nil // this test is about the request the node does not answer
	const hash = "0x48795d0cb44df9867fbe9b6a7ea035e3e6406ad9b10b5b49af8b2b2f7efe6927"
	head, err := r.Call(context.Background(), "chain_getHeader", hash)
	if err != nil {
		t.Fatal(err)
	}
	r.AddSubscription("chain_subscribeNewHeads", head)
	sub, err := s.Subscribe(context.Background(), SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []protocol.HeadEvent
	for ev := range sub.C {
		got = append(got, ev)
	}
	<-sub.Done()
	w := sub.TakeWarning()
	if sub.Err() != nil || len(got) != 1 || got[0].Header.Height != 7_959_608 || got[0].Header.Hash.String() != hash || got[0].Events != nil ||
		w == nil || !strings.Contains(w.Error(), "block #7959608") || !strings.Contains(w.Error(), "chain_getBlock") {
		t.Fatalf("heads %+v, err %v, warning %v", got, sub.Err(), w)
	}
	if sub.TakeWarning() != nil {
		t.Error("a warning is taken once")
	}
}

// TestSubscriptionWarningsCombine: warnings that pile up before TakeWarning are one that names
// the first, how many more and the last (a follower that skipped 26 blocks names the range),
// and taking it clears them.
func TestSubscriptionWarningsCombine(t *testing.T) {
	s := newSubscription(nil, func() {})
	s.warnf("block #%d: not read", 9)
	if w := s.TakeWarning(); w == nil || w.Error() != "block #9: not read" {
		t.Fatalf("one warning: %v", w)
	}
	for h := 10; h <= 12; h++ {
		s.warnf("block #%d: not read", h)
	}
	if w := s.TakeWarning(); w == nil || w.Error() != "block #10: not read; and 2 more since, the last: block #12: not read" {
		t.Fatalf("three warnings: %v", w)
	}
	if s.TakeWarning() != nil {
		t.Error("taken warnings came back")
	}
}
