package substrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakeNode is a minimal JSON-RPC websocket server for transport tests: it answers
// "echo" with its params, delays "slow" answers so replies arrive out of order, and serves
// chain_subscribeNewHeads from a head counter the test advances. kill drops every connection.
type fakeNode struct {
	mu    sync.Mutex
	head  int
	conns []*websocket.Conn
	subs  map[string]*websocket.Conn // newHeads subscription id -> its connection
	dials int
	srv   *httptest.Server
}

func newFakeNode(t *testing.T) *fakeNode {
	f := &fakeNode{subs: map[string]*websocket.Conn{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeNode) url() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") }

func (f *fakeNode) serve(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	f.mu.Lock()
	f.dials++
	f.conns = append(f.conns, c)
	f.mu.Unlock()
	ctx := context.Background()
	var wmu sync.Mutex
	send := func(v any) {
		b, _ := json.Marshal(v)
		wmu.Lock()
		defer wmu.Unlock()
		_ = c.Write(ctx, websocket.MessageText, b)
	}
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			return
		}
		var req struct {
			ID     uint64            `json:"id"`
			Method string            `json:"method"`
			Params []json.RawMessage `json:"params"`
		}
		if json.Unmarshal(data, &req) != nil {
			return
		}
		switch req.Method {
		case "echo":
			send(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": req.Params})
		case "slow":
			go func() {
				time.Sleep(50 * time.Millisecond)
				send(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": "slow"})
			}()
		case "hang":
			// never answered
		case "fail":
			send(map[string]any{"jsonrpc": "2.0", "id": req.ID, "error": map[string]any{"code": 1010, "message": "Invalid Transaction", "data": "Transaction is outdated"}})
		case "chain_subscribeNewHeads", "author_submitAndWatchExtrinsic":
			id := fmt.Sprintf("sub-%d-%d", req.ID, time.Now().UnixNano())
			f.mu.Lock()
			if req.Method == "chain_subscribeNewHeads" {
				f.subs[id] = c
			}
			head := f.head
			f.mu.Unlock()
			send(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": id})
			if req.Method != "chain_subscribeNewHeads" {
				continue
			}
			// Like a node, a new subscription first gets the current head.
			send(map[string]any{"jsonrpc": "2.0", "method": "chain_newHead", "params": map[string]any{"subscription": id, "result": map[string]any{"number": head}}})
		case "chain_unsubscribeNewHeads":
			send(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": true})
		}
	}
}

// advance produces a new head and notifies every subscriber.
func (f *fakeNode) advance() {
	f.mu.Lock()
	f.head++
	head := f.head
	subs := make(map[string]*websocket.Conn, len(f.subs))
	for id, c := range f.subs {
		subs[id] = c
	}
	f.mu.Unlock()
	for id, c := range subs {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "chain_newHead", "params": map[string]any{"subscription": id, "result": map[string]any{"number": head}}})
		_ = c.Write(context.Background(), websocket.MessageText, b)
	}
}

// kill drops every open connection, as a node restart or a network fault would.
func (f *fakeNode) kill() {
	f.mu.Lock()
	conns := f.conns
	f.conns = nil
	clear(f.subs)
	f.mu.Unlock()
	for _, c := range conns {
		_ = c.CloseNow()
	}
}

func dialFake(t *testing.T, f *fakeNode) *WS {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w, err := DialWS(ctx, f.url(), WSOptions{MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

func TestWSMultiplexedCalls(t *testing.T) {
	f := newFakeNode(t)
	w := dialFake(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if r, err := w.Call(ctx, "slow"); err != nil || string(r) != `"slow"` {
				errs <- fmt.Errorf("slow: %s %v", r, err)
			}
		}()
		go func() {
			defer wg.Done()
			r, err := w.Call(ctx, "echo", i, "x")
			if want := fmt.Sprintf(`[%d,"x"]`, i); err != nil || string(r) != want {
				errs <- fmt.Errorf("echo %d: got %s %v, want %s", i, r, err, want)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	_, err := w.Call(ctx, "fail")
	var rpcErr *RPCError
	if !errors.As(err, &rpcErr) || rpcErr.Code != 1010 || !strings.Contains(err.Error(), "Transaction is outdated") {
		t.Errorf("fail: %v", err)
	}
	short, cancel2 := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel2()
	if _, err := w.Call(short, "hang"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hang: %v, want deadline exceeded", err)
	}
}

func headNumber(t *testing.T, raw json.RawMessage) int {
	var h struct{ Number int }
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatalf("notification %s: %v", raw, err)
	}
	return h.Number
}

func next(t *testing.T, s *Subscription) json.RawMessage {
	select {
	case m, ok := <-s.C:
		if !ok {
			t.Fatalf("subscription ended: %v", s.Err())
		}
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no notification within 5s")
	}
	return nil
}

// TestWSReconnectResubscribes drops the socket mid-subscription: the transport redials,
// subscribes again, and the head the node re-sends on resubscription is not delivered twice.
func TestWSReconnectResubscribes(t *testing.T) {
	f := newFakeNode(t)
	w := dialFake(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub, err := w.Subscribe(ctx, "chain_subscribeNewHeads", "chain_unsubscribeNewHeads")
	if err != nil {
		t.Fatal(err)
	}
	watch, err := w.Subscribe(ctx, "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", "0x00")
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	got = append(got, headNumber(t, next(t, sub)))
	f.advance()
	got = append(got, headNumber(t, next(t, sub)))

	inflight := make(chan error, 1)
	go func() { _, err := w.Call(ctx, "hang"); inflight <- err }()
	time.Sleep(20 * time.Millisecond)
	f.kill()
	if err := <-inflight; !errors.Is(err, ErrConnectionLost) {
		t.Errorf("call in flight during the drop: %v, want ErrConnectionLost", err)
	}
	// The watch cannot be resumed (that would resubmit): it ends with ErrConnectionLost.
	for range watch.C {
	}
	if !errors.Is(watch.Err(), ErrConnectionLost) {
		t.Errorf("extrinsic watch after drop: %v, want ErrConnectionLost", watch.Err())
	}
	// Wait for the resubscription; the node re-sends head 1 first, which must be dropped.
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.mu.Lock()
		n := len(f.subs)
		f.mu.Unlock()
		if n == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	f.advance()
	f.advance()
	got = append(got, headNumber(t, next(t, sub)), headNumber(t, next(t, sub)))
	if fmt.Sprint(got) != "[0 1 2 3]" {
		t.Errorf("heads across the reconnect = %v, want [0 1 2 3] (no duplicates, none lost)", got)
	}
	if w.Reconnects() != 1 {
		t.Errorf("Reconnects = %d, want 1", w.Reconnects())
	}
	if r, err := w.Call(ctx, "echo", 7); err != nil || string(r) != "[7]" {
		t.Errorf("call after reconnect: %s %v", r, err)
	}
	sub.Unsubscribe()
	if _, ok := <-sub.C; ok {
		t.Error("C still open after Unsubscribe")
	}
	_ = w.Close()
	if _, err := w.Call(ctx, "echo"); !errors.Is(err, ErrClosed) {
		t.Errorf("call after Close: %v", err)
	}
}

func TestDialRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, err := DialWS(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), WSOptions{})
	if err == nil || !strings.Contains(err.Error(), "connect to ws://") {
		t.Fatalf("dial of a non-websocket server: %v", err)
	}
}
