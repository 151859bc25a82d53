package rpcserver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

func openChain(t testing.TB) *localchain.Chain {
	t.Helper()
	c, err := localchain.Open(t.TempDir(), localchain.WithNoSync(true), localchain.WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func newServer(t testing.TB, opts rpcserver.Options) (*localchain.Chain, *rpcserver.Server, *httptest.Server) {
	t.Helper()
	chain := openChain(t)
	srv := rpcserver.New(chainclient.NewEmbedded(chain), opts)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return chain, srv, ts
}

func TestHTTPErrorResponses(t *testing.T) {
	t.Parallel()
	_, _, ts := newServer(t, rpcserver.Options{MaxBodyBytes: 4096, MaxBatchTxs: 3})
	big := `{"tx":"0x` + strings.Repeat("00", 5000) + `"}`
	tests := []struct {
		name, method, path, body string
		status                   int
		kind                     string
	}{
		{"truncated json", "POST", "/v1/info", "{", 400, chainclient.KindBadRequest},
		{"wrong type", "POST", "/v1/block", `{"height":"x"}`, 400, chainclient.KindBadRequest},
		{"negative", "POST", "/v1/block", `{"height":-1}`, 400, chainclient.KindBadRequest},
		{"overflow", "POST", "/v1/block", `{"height":18446744073709551616}`, 400, chainclient.KindBadRequest},
		{"unknown field", "POST", "/v1/block", `{"height":1,"extra":2}`, 400, chainclient.KindBadRequest},
		{"not an object", "POST", "/v1/block", `[1]`, 400, chainclient.KindBadRequest},
		{"trailing data", "POST", "/v1/block", `{"height":0} {}`, 400, chainclient.KindBadRequest},
		{"bad address", "POST", "/v1/account", `{"address":"5notanaddress"}`, 400, chainclient.KindBadRequest},
		{"bad hash", "POST", "/v1/tx", `{"hash":"0x12"}`, 400, chainclient.KindBadRequest},
		{"unknown method", "POST", "/v1/transfer_all_my_money", `{}`, 404, chainclient.KindUnknownMethod},
		{"unknown path", "GET", "/admin", ``, 404, chainclient.KindUnknownMethod},
		{"GET on a mutating method", "GET", "/v1/submit", ``, 405, chainclient.KindMethodNotAllowed},
		{"PUT", "PUT", "/v1/info", `{}`, 405, chainclient.KindMethodNotAllowed},
		{"POST health", "POST", "/health", ``, 405, chainclient.KindMethodNotAllowed},
		{"oversize body", "POST", "/v1/submit", big, 413, chainclient.KindTooLarge},
		{"tx not hex", "POST", "/v1/submit", `{"tx":"0xzz"}`, 400, chainclient.KindBadRequest},
		{"tx without 0x", "POST", "/v1/submit", `{"tx":"0102"}`, 400, chainclient.KindBadRequest},
		{"tx missing", "POST", "/v1/submit", `{}`, 400, chainclient.KindBadRequest},
		{"tx garbage", "POST", "/v1/submit", `{"tx":"0x0102"}`, 422, chainclient.KindRejected},
		{"tx garbage, wait", "POST", "/v1/submit_and_wait", `{"tx":"0x0102"}`, 422, chainclient.KindRejected},
		{"batch too long", "POST", "/v1/submit_batch", `{"txs":["0x01","0x02","0x03","0x04"]}`, 400, chainclient.KindBadRequest},
		{"missing block", "GET", "/v1/block?height=99", ``, 404, chainclient.KindNotFound},
		{"bad query param", "GET", "/v1/block?height=abc", ``, 400, chainclient.KindBadRequest},
		{"bad from", "GET", "/v1/subscribe?from=x", ``, 400, chainclient.KindBadRequest},
		{"bad snapshot name", "POST", "/v1/snapshot", `{"name":"../etc"}`, 400, chainclient.KindInvalid},
		{"bad events range", "POST", "/v1/events", `{"from":5,"to":1}`, 400, chainclient.KindBadRequest},
		{"events range too long", "POST", "/v1/events", `{"from":0,"to":20000}`, 400, chainclient.KindBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var er chainclient.ErrorResponse
			b, _ := io.ReadAll(resp.Body)
			if err := json.Unmarshal(b, &er); err != nil {
				t.Fatalf("body is not JSON: %q", b)
			}
			if resp.StatusCode != tt.status || er.Error.Kind != tt.kind || er.Error.Message == "" {
				t.Fatalf("got %d %+v, want %d %s", resp.StatusCode, er.Error, tt.status, tt.kind)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("content type %q", ct)
			}
		})
	}
	// The node still answers.
	resp, err := http.Get(ts.URL + "/v1/info")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("info after bad requests: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestHealthAndReady(t *testing.T) {
	t.Parallel()
	chain, srv, ts := newServer(t, rpcserver.Options{})
	get := func(path string) (int, map[string]any) {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, m
	}
	if code, m := get("/health"); code != 200 || m["status"] != "ok" {
		t.Fatalf("health = %d %v", code, m)
	}
	if _, err := chain.Advance(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	if code, m := get("/ready"); code != 200 || m["ready"] != true || m["height"] != float64(2) {
		t.Fatalf("ready = %d %v", code, m)
	}
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, m := get("/ready"); code != 503 || m["ready"] != false || m["reason"] == "" {
		t.Fatalf("ready while shutting down = %d %v", code, m)
	}
}

func TestReadyFailsOnClosedChain(t *testing.T) {
	t.Parallel()
	chain, _, ts := newServer(t, rpcserver.Options{})
	chain.Close()
	resp, err := http.Get(ts.URL + "/ready")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Fatalf("ready on a closed chain = %d", resp.StatusCode)
	}
}

func TestQueryByGET(t *testing.T) {
	t.Parallel()
	chain, _, ts := newServer(t, rpcserver.Options{})
	resp, err := http.Get(ts.URL + "/v1/block?height=0")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b protocol.Block
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil || b.Header != chain.Head() {
		t.Fatalf("block 0 by GET = %+v, %v", b.Header, err)
	}
}

func TestSubscriptionResumesAfterBrokenConnection(t *testing.T) {
	t.Parallel()
	chain, _, ts := newServer(t, rpcserver.Options{})
	r, err := chainclient.NewRemote(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	sub, err := r.Subscribe(ctx, chainclient.SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Cancel()
	next := uint64(1)
	expect := func(n uint64) {
		t.Helper()
		for range n {
			select {
			case ev, ok := <-sub.C:
				if !ok {
					t.Fatalf("closed: %v", sub.Err())
				}
				if ev.Header.Height != next {
					t.Fatalf("height %d, want %d", ev.Header.Height, next)
				}
				next++
			case <-time.After(10 * time.Second):
				t.Fatalf("no head %d", next)
			}
		}
	}
	if _, err := chain.Advance(ctx, 3, nil); err != nil {
		t.Fatal(err)
	}
	expect(3)
	for range 3 {
		ts.CloseClientConnections()
		// Blocks made while the client is away are read back from storage on resume.
		if _, err := chain.Advance(ctx, 4, nil); err != nil {
			t.Fatal(err)
		}
		expect(4)
	}
}

func TestShutdownEndsSubscriptions(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	srv := rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	r, _ := chainclient.NewRemote(l.Addr().String())
	defer r.Close()
	sub, err := r.Subscribe(context.Background(), chainclient.SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// A wait in flight (no producer runs, so the transaction stays pending).
	alice, err := wallet.Dev("Alice")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := chainclient.Sign(context.Background(), r, alice, protocol.Transfer{To: protocol.DevnetGenesis().Accounts[1].Address, Amount: 1e9}, chainclient.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := r.Submit(context.Background(), tx)
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() {
		_, err := r.WaitTx(context.Background(), h)
		waited <- err
	}()
	waitUntil(t, func() bool { return srv.InFlight() > 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("shutdown took %v", d)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Fatalf("serve: %v", err)
	}
	select {
	case <-sub.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("subscription still running after shutdown")
	}
	if !errors.Is(sub.Err(), protocol.ErrClosed) {
		t.Fatalf("subscription error = %v", sub.Err())
	}
	if err := <-waited; !errors.Is(err, protocol.ErrClosed) || !strings.Contains(err.Error(), "shutting down") {
		t.Fatalf("wait cut by shutdown: %v", err)
	}
	if _, err := r.Info(context.Background()); !errors.Is(err, chainclient.ErrNodeUnreachable) {
		t.Fatalf("info after shutdown: %v", err)
	}
}

// logBuffer is a slog handler target safe for concurrent writes.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestStuckSubscriberIsDroppedAndNeverStallsProduction(t *testing.T) {
	if testing.Short() {
		t.Skip("fills socket buffers; skipped with -short")
	}
	t.Parallel()
	var logs logBuffer
	chain := openChain(t)
	srv := rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{
		SubscriberWriteTimeout: 200 * time.Millisecond, SubscriberBuffer: 4,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	// A raw client that subscribes and then never reads.
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(4096)
	}
	fmt.Fprintf(conn, "GET /v1/subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, "200") {
		t.Fatalf("status line %q, %v", status, err)
	}
	start := time.Now()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(logs.String(), "subscriber dropped") {
		if time.Now().After(deadline) {
			t.Fatal("stuck subscriber was never dropped")
		}
		if _, err := chain.Advance(context.Background(), 2000, nil); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, func() bool { return srv.Subscribers() == 0 })
	if h := chain.Head().Height; float64(h)/time.Since(start).Seconds() < 100 {
		t.Fatalf("production slowed to %d blocks in %v", h, time.Since(start))
	}
}

// FuzzRequestDecoding throws arbitrary bodies at every read and submit method: the node must
// answer each with a JSON document (a result or an error with a kind), and never crash.
func FuzzRequestDecoding(f *testing.F) {
	chain, err := localchain.Open(f.TempDir(), localchain.WithNoSync(true), localchain.WithBlockTime(0))
	if err != nil {
		f.Fatal(err)
	}
	defer chain.Close()
	srv := rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{MaxWait: 50 * time.Millisecond, MaxBodyBytes: 1 << 16})
	h := srv.Handler()
	methods := []string{
		chainclient.MethodInfo, chainclient.MethodAccount, chainclient.MethodNextNonce, chainclient.MethodBlock,
		chainclient.MethodBlockByHash, chainclient.MethodBlocks, chainclient.MethodTx, chainclient.MethodEvents,
		chainclient.MethodAccountHistory, chainclient.MethodGenesis, chainclient.MethodSubmit,
		chainclient.MethodSubmitBatch, chainclient.MethodWaitTx, chainclient.MethodSubmitAndWait,
		chainclient.MethodSnapshots, "no_such_method", "",
	}
	for _, seed := range []string{
		`{}`, `{"height":1}`, `{"address":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}`,
		`{"hash":"0x0000000000000000000000000000000000000000000000000000000000000000"}`,
		`{"from":0,"count":5}`, `{"from":0,"to":3}`, `{"tx":"0x00"}`, `{"txs":["0x01",""]}`, `null`, `[]`, `"x"`,
		`{"height":1e400}`, "{\"tx\":\"0x\xff\"}",
	} {
		for i := range methods {
			f.Add(uint8(i), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, mi uint8, body []byte) {
		name := methods[int(mi)%len(methods)]
		req := httptest.NewRequest(http.MethodPost, "/v1/"+name, bytes.NewReader(body))
		req.Host, req.RemoteAddr = "127.0.0.1:9944", "127.0.0.1:50000"
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var doc any
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatalf("%s %q: response is not JSON: %q", name, body, rec.Body.Bytes())
		}
		if rec.Code == http.StatusOK {
			return
		}
		var er chainclient.ErrorResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &er); err != nil || er.Error.Kind == "" || er.Error.Message == "" {
			t.Fatalf("%s %q: %d without an error body: %q", name, body, rec.Code, rec.Body.Bytes())
		}
		if rec.Code >= 500 && er.Error.Kind != chainclient.KindError && er.Error.Kind != chainclient.KindTimeout {
			t.Fatalf("%s %q: server error %d %+v", name, body, rec.Code, er.Error)
		}
	})
}

func TestRemoteWithoutNode(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	r, err := chainclient.NewRemote(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	if _, err := r.Info(ctx); !errors.Is(err, chainclient.ErrNodeUnreachable) || !strings.Contains(err.Error(), "btui node") {
		t.Fatalf("info: %v", err)
	}
	if _, err := r.Subscribe(ctx, chainclient.SubscribeOptions{}); !errors.Is(err, chainclient.ErrNodeUnreachable) {
		t.Fatalf("subscribe: %v", err)
	}
	for _, bad := range []string{"", "ftp://x", "http://", "http://h:1/path", "http://u:p@h:1"} {
		if _, err := chainclient.NewRemote(bad); !errors.Is(err, chainclient.ErrInvalidURL) {
			t.Errorf("NewRemote(%q): %v", bad, err)
		}
	}
	if u, err := chainclient.NormalizeNodeURL(" 127.0.0.1:9944/ "); err != nil || u != "http://127.0.0.1:9944" {
		t.Errorf("normalize = %q, %v", u, err)
	}
}

func waitUntil(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A stream that goes silent (a peer gone without closing the connection) is dropped and
// resumed; one kept alive by the node's pings is not.
func TestSubscriptionIdleDetection(t *testing.T) {
	t.Parallel()
	// A "node" that answers the subscription and then never writes again.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var mu sync.Mutex
	accepted := 0
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			accepted++
			mu.Unlock()
			go func() {
				br := bufio.NewReader(conn)
				for {
					line, err := br.ReadString('\n')
					if err != nil || line == "\r\n" {
						break
					}
				}
				fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n")
				// ...and silence, with the connection left open.
			}()
		}
	}()
	r, err := chainclient.NewRemote(l.Addr().String(), chainclient.WithIdleTimeout(150*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sub, err := r.Subscribe(context.Background(), chainclient.SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Cancel()
	waitUntil(t, func() bool { mu.Lock(); defer mu.Unlock(); return accepted >= 3 })

	// A live node with frequent keep-alives: one connection throughout.
	chain := openChain(t)
	srv := rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{KeepAlive: 30 * time.Millisecond})
	ts := httptest.NewUnstartedServer(srv.Handler())
	conns := 0
	ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			mu.Lock()
			conns++
			mu.Unlock()
		}
	}
	ts.Start()
	defer ts.Close()
	live, err := chainclient.NewRemote(ts.URL, chainclient.WithIdleTimeout(400*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	lsub, err := live.Subscribe(context.Background(), chainclient.SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer lsub.Cancel()
	for i := range 3 {
		time.Sleep(500 * time.Millisecond) // quiet spells (but for pings) longer than the idle timeout
		if _, err := chain.SealNow(context.Background()); err != nil {
			t.Fatal(err)
		}
		if ev := <-lsub.C; ev.Header.Height != uint64(i+1) {
			t.Fatalf("height %d", ev.Header.Height)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if conns != 1 {
		t.Fatalf("%d connections to a live node, want 1 (a kept-alive stream was dropped)", conns)
	}
}

func TestSubscriberLimitAndPlainAdvance(t *testing.T) {
	t.Parallel()
	chain, _, ts := newServer(t, rpcserver.Options{MaxSubscribers: 1})
	r, _ := chainclient.NewRemote(ts.URL)
	defer r.Close()
	ctx := context.Background()
	sub, err := r.Subscribe(ctx, chainclient.SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Cancel()
	if _, err := r.Subscribe(ctx, chainclient.SubscribeOptions{}); err == nil || !strings.Contains(err.Error(), "at most 1 subscriptions") {
		t.Fatalf("second subscription: %v", err)
	}
	// Over the wire the refusal is a 503 with Retry-After: nothing was done, a client may retry.
	resp0, err := http.Get(ts.URL + chainclient.PathSubscribe)
	if err != nil {
		t.Fatal(err)
	}
	resp0.Body.Close()
	if resp0.StatusCode != http.StatusServiceUnavailable || resp0.Header.Get("Retry-After") == "" {
		t.Fatalf("subscription over the cap: %d, Retry-After %q; want 503 with Retry-After", resp0.StatusCode, resp0.Header.Get("Retry-After"))
	}
	// advance without Accept: text/event-stream answers plain JSON.
	resp, err := http.Post(ts.URL+"/v1/advance", "application/json", strings.NewReader(`{"n":3}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var hdr protocol.BlockHeader
	if err := json.NewDecoder(resp.Body).Decode(&hdr); err != nil || resp.StatusCode != 200 || hdr.Height != 3 || hdr != chain.Head() {
		t.Fatalf("plain advance: %d %+v %v", resp.StatusCode, hdr, err)
	}
	// ...and with it, progress events then the result.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/advance", strings.NewReader(`{"n":600}`))
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Content-Type", "application/json")
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	sr := chainclient.NewSSEReader(resp2.Body)
	var kinds []string
	for {
		ev, err := sr.Next()
		if err != nil {
			break
		}
		kinds = append(kinds, ev.Event)
		if ev.Event == chainclient.EventResult {
			if err := json.Unmarshal(ev.Data, &hdr); err != nil || hdr.Height != 603 {
				t.Fatalf("result %s: %v", ev.Data, err)
			}
		}
	}
	if len(kinds) < 2 || kinds[0] != chainclient.EventProgress || kinds[len(kinds)-1] != chainclient.EventResult {
		t.Fatalf("advance events = %v", kinds)
	}
}
