package substrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestReplayHandlerHook: over the websocket, the hook answers what it takes (a submission's
// id, and a pool error) before the recordings are consulted, and its notifications reach the
// subscription its answer opened (they are sent after the answer: the client drops a
// notification for an id it has not been given); what it leaves goes to the recordings (an
// unrecorded request is still refused and reported); a notification the hook pushes while
// leaving a request to the recordings follows the recorded answer; and the connection it was
// given pushes notifications later, from another goroutine.
func TestReplayHandlerHook(t *testing.T) {
	r, err := NewReplay(sdkSeeds(t)["metagraph"])
	must(t, err)
	reported := r.CollectUnrecorded()
	var mu sync.Mutex // the hook's state: conns and seen
	ctx := context.Background()
	head, err := r.Call(ctx, "chain_getHeader", nil)
	must(t, err)
	inBlock := json.RawMessage(`{"inBlock":"` + metagraphBlock + `"}`)

	var (
		seen  []string // what reached the hook: "method params"
		conns = map[*ReplayConn]bool{}
	)
	notify := func(c *ReplayConn, method, sub string, result any) { // on the server's goroutine: no t.Fatal
		if err := c.Notify(method, sub, result); err != nil {
			t.Errorf("notify %s: %v", method, err)
		}
	}
	hook := func(c *ReplayConn, method string, params []any) (any, *RPCError, bool) {
		b, _ := json.Marshal(params)
		mu.Lock()
		seen = append(seen, method+" "+string(b))
		conns[c] = true
		mu.Unlock()
		switch method {
		case "author_submitAndWatchExtrinsic":
			if params[0] == "0xbad0" {
				return nil, &RPCError{Code: 1010, Message: "Invalid Transaction"}, true
			}
			notify(c, "author_extrinsicUpdate", "watch-"+params[0].(string), "ready")
			notify(c, "author_extrinsicUpdate", "watch-"+params[0].(string), inBlock)
			return "watch-" + params[0].(string), nil, true
		case "chain_subscribeNewHeads":
			return "heads", nil, true
		case "chain_getHeader":
			// Left to the recordings; the notification follows their answer.
			notify(c, "chain_newHead", "heads", head)
		}
		return nil, nil, false
	}
	srv := httptest.NewServer(ReplayHandlerHook(r, hook))
	defer srv.Close()
	ws, err := DialWS(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), WSOptions{})
	must(t, err)
	defer ws.Close()
	next := func(s *Subscription, what string) json.RawMessage {
		t.Helper()
		select {
		case n, ok := <-s.C:
			if !ok {
				t.Fatalf("%s: the subscription ended: %v", what, s.Err())
			}
			return n
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no notification", what)
		}
		return nil
	}

	// Answered by the hook, which saw the params; its notifications follow in order.
	watch, err := ws.Subscribe(ctx, "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", "0x0102")
	if err != nil {
		t.Fatalf("the hook's submission answer: %v", err)
	}
	if n := next(watch, "ready"); string(n) != `"ready"` {
		t.Errorf("first update %s, want \"ready\"", n)
	}
	if n := next(watch, "inBlock"); string(n) != string(inBlock) {
		t.Errorf("second update %s, want %s", n, inBlock)
	}
	// A hook's error answer.
	_, err = ws.Subscribe(ctx, "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", "0xbad0")
	var rpcErr *RPCError
	if !errors.As(err, &rpcErr) || rpcErr.Code != 1010 || rpcErr.Message != "Invalid Transaction" {
		t.Errorf("the hook's error answer: %v", err)
	}

	// Left by the hook: answered from the recordings, with the pushed head after the answer.
	heads, err := ws.Subscribe(ctx, "chain_subscribeNewHeads", "chain_unsubscribeNewHeads")
	must(t, err)
	isHead := func(raw json.RawMessage) bool {
		h, err := ParseHeader(raw)
		return err == nil && h.Number == 6_852_690 && h.Hash().Hex() == metagraphBlock
	}
	if res, err := ws.Call(ctx, "chain_getHeader", nil); err != nil || !isHead(res) {
		t.Fatalf("recorded header through the hook: %.80s %v", res, err)
	}
	if n := next(heads, "pushed head"); !isHead(n) {
		t.Errorf("pushed head %.80s", n)
	}
	if _, err := ws.Call(ctx, "state_call", "NoSuchApi_nothing", "0x", nil); !errors.As(err, &rpcErr) || !strings.Contains(err.Error(), "unrecorded request state_call") {
		t.Errorf("unrecorded request through the hook: %v", err)
	}

	// Later, from this goroutine, through the connection the hook was given.
	mu.Lock()
	var conn *ReplayConn
	for c := range conns {
		conn = c
	}
	nconns, nreported := len(conns), len(reported())
	got := strings.Join(seen, "\n")
	mu.Unlock()
	if nconns != 1 {
		t.Fatalf("the hook saw %d connections, want 1", nconns)
	}
	// A child of the recorded head (the client drops a head it has just delivered).
	zero := "0x" + strings.Repeat("00", 32)
	child := map[string]any{"parentHash": metagraphBlock, "number": fmt.Sprintf("0x%x", 6_852_691), "stateRoot": zero, "extrinsicsRoot": zero, "digest": map[string]any{"logs": []any{}}}
	must(t, conn.Notify("chain_newHead", "heads", child))
	if h, err := ParseHeader(next(heads, "later head")); err != nil || h.Number != 6_852_691 || h.ParentHash.Hex() != metagraphBlock {
		t.Errorf("later head %+v %v", h, err)
	}
	want := strings.Join([]string{`author_submitAndWatchExtrinsic ["0x0102"]`, `author_submitAndWatchExtrinsic ["0xbad0"]`,
		`chain_subscribeNewHeads []`, `chain_getHeader [null]`, `state_call ["NoSuchApi_nothing","0x",null]`}, "\n")
	if got != want {
		t.Errorf("the hook saw\n%s\nwant\n%s", got, want)
	}
	if nreported != 1 {
		t.Errorf("reported %d unrecorded requests, want the one state_call", nreported)
	}

	// Closed: Notify fails rather than losing the notification silently.
	ws.Close()
	deadline := time.Now().Add(10 * time.Second)
	for conn.Notify("chain_newHead", "heads", head) == nil {
		if time.Now().After(deadline) {
			t.Fatal("Notify on a closed connection does not fail")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReplayHandlerWithoutHook: a nil hook serves exactly the recordings (a submission, which
// no recording holds, is refused and reported).
func TestReplayHandlerWithoutHook(t *testing.T) {
	r, err := NewReplay(sdkSeeds(t)["metagraph"])
	must(t, err)
	reported := r.CollectUnrecorded()
	srv := httptest.NewServer(ReplayHandlerHook(r, nil))
	defer srv.Close()
	ctx := context.Background()
	ws, err := DialWS(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), WSOptions{})
	must(t, err)
	defer ws.Close()
	if _, err := ws.Call(ctx, "chain_getHeader", nil); err != nil {
		t.Errorf("recorded header: %v", err)
	}
	if _, err := ws.Subscribe(ctx, "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", "0x0102"); err == nil {
		t.Error("a submission was accepted without a hook")
	}
	if got := reported(); len(got) != 1 || !strings.Contains(got[0], "author_submitAndWatchExtrinsic") {
		t.Errorf("reported %q", got)
	}
}
