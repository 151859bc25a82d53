package substrate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestReplayAnswersRecordedAndRefusesTheRest(t *testing.T) {
	seeds := sdkSeeds(t)
	r, err := NewReplay(seeds["metagraph"])
	if err != nil {
		t.Fatal(err)
	}
	var reported []string
	r.OnUnrecorded = func(format string, args ...any) { reported = append(reported, fmt.Sprintf(format, args...)) }
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
	if len(reported) != 1 || !strings.Contains(reported[0], "state_call") {
		t.Errorf("reported = %q, want the unrecorded state_call named", reported)
	}
	if _, err := r.Subscribe(ctx, "chain_subscribeNewHeads", "chain_unsubscribeNewHeads"); !errors.Is(err, ErrUnrecorded) {
		t.Errorf("subscription: %v", err)
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
