package substrate

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestReplayAnswersRecordedAndRefusesTheRest(t *testing.T) {
	seeds := sdkSeeds(t)
	r, err := NewReplay(seeds["metagraph"])
	if err != nil {
		t.Fatal(err)
	}
	unrecorded := r.CollectUnrecorded()
	ctx := context.Background()
	// Recorded as ["NeuronInfoRuntimeApi_get_neurons_lite", "0100", "0xdb13…"]; asked with a 0x.
	res, err := r.Call(ctx, "state_call", "NeuronInfoRuntimeApi_get_neurons_lite", "0x0100", metagraphBlock)
	if err != nil || !strings.HasPrefix(string(res), `"0x01104a7a6cf2`) {
		t.Fatalf("recorded state_call: %.40s %v", res, err)
	}
	// The header was recorded at the hash and with null.
	if _, err := r.Call(ctx, "chain_getHeader", nil); err != nil {
		t.Errorf("header at null: %v", err)
	}
	_, err = r.Call(ctx, "state_call", "NeuronInfoRuntimeApi_get_neurons_lite", "0x0200", metagraphBlock)
	if !errors.Is(err, ErrUnrecorded) || !strings.Contains(err.Error(), "get_neurons_lite") || !strings.Contains(err.Error(), "0x0200") {
		t.Fatalf("unrecorded request: %v", err)
	}
	if reported := unrecorded(); len(reported) != 1 || !strings.Contains(reported[0], "state_call") {
		t.Errorf("reported = %q, want the unrecorded state_call named", reported)
	}
	if _, err := r.Subscribe(ctx, "chain_subscribeNewHeads", "chain_unsubscribeNewHeads"); !errors.Is(err, ErrUnrecorded) {
		t.Errorf("subscription: %v", err)
	}
}

// TestReplayNullMatchesAbsentBlock: a trailing null block param (the head) matches a
// recording made without the param (get_subnet_burn_cost's state_call was recorded with two
// params); other params still have to match.
func TestReplayNullMatchesAbsentBlock(t *testing.T) {
	r, err := NewReplay(sdkSeeds(t)["get_subnet_burn_cost"])
	if err != nil {
		t.Fatal(err)
	}
	r.OnUnrecorded = func(string, ...any) {}
	ctx := context.Background()
	res, err := r.Call(ctx, "state_call", "SubnetRegistrationRuntimeApi_get_network_registration_cost", "0x", nil)
	if err != nil || string(res) != `"0x40d48b5800000000"` {
		t.Fatalf("null block: %s %v", res, err)
	}
	if _, err := r.Call(ctx, "state_call", "SubnetRegistrationRuntimeApi_get_network_registration_cost", "0x00", nil); !errors.Is(err, ErrUnrecorded) {
		t.Errorf("other args matched: %v", err)
	}
}

func TestReplayCycle(t *testing.T) {
	r, err := NewReplay(sdkSeeds(t)["retry_archive"])
	if err != nil {
		t.Fatal(err)
	}
	var okN, errN int
	const at = "0x6c0da8a9dd5994d374d43210dc401f000b2fe02541bc2e7cd54719655d751a18" // recorded as a cycle
	for range 4 {
		_, err := r.Call(context.Background(), "state_getRuntimeVersion", at)
		var rpcErr *RPCError
		switch {
		case err == nil:
			okN++
		case errors.As(err, &rpcErr) && rpcErr.Code == 4003:
			errN++
		default:
			t.Fatalf("unexpected: %v", err)
		}
	}
	if okN != 2 || errN != 2 {
		t.Errorf("cycle gave %d results and %d errors, want 2 and 2", okN, errN)
	}
}

// TestReplayHandlerLoopback runs the real websocket transport against the recordings served on
// loopback: the whole client path, and an unrecorded request comes back as a node error naming
// it (and is reported).
func TestReplayHandlerLoopback(t *testing.T) {
	r, err := NewReplay(sdkSeeds(t)["metagraph"])
	must(t, err)
	unrecorded := r.CollectUnrecorded()
	m := parseMeta(t, "metadata-v15-spec343")
	v, _ := m.RuntimeVersion()
	must(t, r.Add("chain_getBlockHash", []any{0}, finneyGenesis))
	must(t, r.Add("state_call", []any{"Metadata_metadata_at_version", "0x0f000000", nil}, metadataHex(t, "metadata-v15-spec343")))
	must(t, r.Add("state_getRuntimeVersion", []any{nil}, map[string]any{"specName": v.SpecName, "specVersion": v.SpecVersion, "transactionVersion": v.TransactionVersion}))
	srv := httptest.NewServer(ReplayHandler(r))
	defer srv.Close()
	ctx := context.Background()
	w, err := DialWS(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), WSOptions{})
	must(t, err)
	c, err := Connect(ctx, w, ConnectOptions{})
	must(t, err)
	defer c.Close()
	neurons, err := c.NeuronsLite(ctx, 1, nil)
	if err != nil || len(neurons) != 1024 {
		t.Fatalf("%d neurons, %v", len(neurons), err)
	}
	_, err = c.NeuronsLite(ctx, 2, nil)
	var rpcErr *RPCError
	if reported := unrecorded(); !errors.As(err, &rpcErr) || !strings.Contains(err.Error(), "unrecorded request state_call") || len(reported) != 1 {
		t.Errorf("unrecorded over the socket: %v (reported %v)", err, reported)
	}
}

// TestReplayHandlerSubscription: over the websocket, a subscription the test scripted
// (AddSubscription) is accepted and delivers its notifications, and stays open as a node's
// does; an unscripted one is refused naming it.
func TestReplayHandlerSubscription(t *testing.T) {
	r, err := NewReplay(sdkSeeds(t)["metagraph"])
	if err != nil {
		t.Fatal(err)
	}
	unrecorded := r.CollectUnrecorded()
	ctx := context.Background()
	head, err := r.Call(ctx, "chain_getHeader", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.AddSubscription("chain_subscribeNewHeads", head)
	srv := httptest.NewServer(ReplayHandler(r))
	defer srv.Close()
	ws, err := DialWS(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), WSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	sub, err := ws.Subscribe(ctx, "chain_subscribeNewHeads", "chain_unsubscribeNewHeads")
	if err != nil {
		t.Fatal(err)
	}
	h, err := ParseHeader(<-sub.C)
	if err != nil || h.Number != 6_852_690 || h.Hash().Hex() != metagraphBlock {
		t.Fatalf("head %+v %v", h, err)
	}
	select {
	case _, ok := <-sub.C:
		if !ok {
			t.Errorf("the subscription ended: %v", sub.Err())
		}
	default: // still open, nothing more
	}
	sub.Unsubscribe()
	_, subErr := ws.Subscribe(ctx, "chain_subscribeFinalizedHeads", "chain_unsubscribeFinalizedHeads")
	if reported := unrecorded(); subErr == nil || len(reported) != 1 || !strings.Contains(reported[0], "chain_subscribeFinalizedHeads") {
		t.Errorf("unscripted subscription: %v, reported %q", subErr, reported)
	}
}
