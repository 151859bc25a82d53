package rpcserver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/btui/btui/protocol"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/wallet"
)

const testToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// serve runs srv on a real loopback listener (as `btui node` does) and returns its URL.
func serve(t testing.TB, srv *rpcserver.Server) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	return "http://" + l.Addr().String()
}

type call struct {
	method, path, body string
	header             map[string]string
}

func do(t testing.TB, base string, c call) (int, chainclient.APIError, http.Header) {
	t.Helper()
	req, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range c.header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var er chainclient.ErrorResponse
	_ = json.Unmarshal(b, &er)
	return resp.StatusCode, er.Error, resp.Header
}

// A web page can neither drive the control API nor submit: the browser-style reset (text/plain,
// a foreign Origin, a rebinding Host) and each of its parts alone are refused, and the chain is
// untouched; the same reset from a script with the token works.
func TestBrowserStyleControlIsRefused(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	if _, err := chain.Advance(context.Background(), 3, nil); err != nil {
		t.Fatal(err)
	}
	srv := rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{Token: testToken})
	base := serve(t, srv)
	port := strings.TrimPrefix(base, "http://127.0.0.1:")
	head, gh := chain.Head(), chain.GenesisHash()

	g := protocol.DevnetGenesis()
	g.ChainName = "evil"
	gj, _ := json.Marshal(chainclient.ResetParams{Genesis: g})
	reset := string(gj)
	json := map[string]string{"Content-Type": "application/json"}
	with := func(extra map[string]string) map[string]string {
		h := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + testToken}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}
	for _, tt := range []struct {
		name   string
		c      call
		status int
		kind   string
	}{
		{"browser reset", call{"POST", "/v1/reset", reset, map[string]string{"Content-Type": "text/plain", "Origin": "http://evil.example", "Host": "evil.example:" + port}}, 403, chainclient.KindForbidden},
		{"rebinding Host", call{"POST", "/v1/reset", reset, with(map[string]string{"Host": "evil.example:" + port})}, 403, chainclient.KindForbidden},
		{"another address as Host", call{"POST", "/v1/reset", reset, with(map[string]string{"Host": "192.0.2.1:" + port})}, 403, chainclient.KindForbidden},
		{"foreign Origin", call{"POST", "/v1/reset", reset, with(map[string]string{"Origin": "http://evil.example"})}, 403, chainclient.KindForbidden},
		{"null Origin", call{"POST", "/v1/reset", reset, with(map[string]string{"Origin": "null"})}, 403, chainclient.KindForbidden},
		{"text/plain", call{"POST", "/v1/reset", reset, map[string]string{"Content-Type": "text/plain", "Authorization": "Bearer " + testToken}}, 415, chainclient.KindUnsupportedMediaType},
		{"form", call{"POST", "/v1/reset", reset, map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Authorization": "Bearer " + testToken}}, 415, chainclient.KindUnsupportedMediaType},
		{"no token", call{"POST", "/v1/reset", reset, json}, 401, chainclient.KindUnauthorized},
		{"wrong token", call{"POST", "/v1/reset", reset, map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + strings.Repeat("0", 64)}}, 401, chainclient.KindUnauthorized},
		{"pause", call{"POST", "/v1/pause", `{}`, json}, 401, chainclient.KindUnauthorized},
		{"advance", call{"POST", "/v1/advance", `{"n":1}`, json}, 401, chainclient.KindUnauthorized},
		{"restore", call{"POST", "/v1/restore", `{"name":"x"}`, json}, 401, chainclient.KindUnauthorized},
		{"snapshot", call{"POST", "/v1/snapshot", `{"name":"x"}`, json}, 401, chainclient.KindUnauthorized},
		{"genesis", call{"GET", "/v1/genesis", ``, nil}, 401, chainclient.KindUnauthorized},
		{"cross-site GET", call{"GET", "/v1/info", ``, map[string]string{"Origin": "http://evil.example"}}, 403, chainclient.KindForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, ae, h := do(t, base, tt.c)
			if status != tt.status || ae.Kind != tt.kind || ae.Message == "" {
				t.Fatalf("got %d %+v, want %d %s", status, ae, tt.status, tt.kind)
			}
			if status == 401 && (h.Get("WWW-Authenticate") == "" || !strings.Contains(ae.Message, "Authorization: Bearer")) {
				t.Fatalf("401 without the how-to: %v %q", h, ae.Message)
			}
		})
	}
	// The faucet is a sudo transaction signed with the public dev key: refused without the token.
	alice, _ := wallet.Dev("Alice")
	bob, _ := wallet.Dev("Bob")
	tx := protocol.NewTx(gh, protocol.Faucet{To: bob.AccountID(), Amount: 1e9}, alice.AccountID(), 0, 0, 0)
	if err := tx.Sign(alice); err != nil {
		t.Fatal(err)
	}
	raw := tx.Encode()
	body := fmt.Sprintf(`{"tx":"0x%x"}`, raw)
	for _, m := range []string{"submit", "submit_and_wait"} {
		if status, ae, _ := do(t, base, call{"POST", "/v1/" + m, body, json}); status != 401 || ae.Kind != chainclient.KindUnauthorized {
			t.Fatalf("sudo %s without the token: %d %+v", m, status, ae)
		}
	}
	if status, ae, _ := do(t, base, call{"POST", "/v1/submit_batch", fmt.Sprintf(`{"txs":["0x%x"]}`, raw), json}); status != 401 {
		t.Fatalf("sudo submit_batch without the token: %d %+v", status, ae)
	}
	if info, _ := chain.Info(); chain.Head() != head || chain.GenesisHash() != gh || chain.Paused() || info.PendingTxs != 0 {
		t.Fatalf("the chain changed: head %+v, paused %v, pool %d", chain.Head(), chain.Paused(), info.PendingTxs)
	}

	// Reads from loopback stay open, by POST and GET.
	if status, ae, _ := do(t, base, call{"POST", "/v1/info", `{}`, json}); status != 200 {
		t.Fatalf("info: %d %+v", status, ae)
	}
	for _, host := range []string{"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "127.0.0.2"} {
		if status, ae, _ := do(t, base, call{"GET", "/v1/block?height=1", ``, map[string]string{"Host": host}}); status != 200 {
			t.Fatalf("block by GET with Host %s: %d %+v", host, status, ae)
		}
	}
	// The node's own origin is not foreign.
	if status, ae, _ := do(t, base, call{"GET", "/v1/info", ``, map[string]string{"Origin": base}}); status != 200 {
		t.Fatalf("same origin: %d %+v", status, ae)
	}
	// With the token, the script's reset goes through.
	if status, ae, _ := do(t, base, call{"POST", "/v1/reset", reset, with(nil)}); status != 200 {
		t.Fatalf("reset with the token: %d %+v", status, ae)
	}
	if chain.Genesis().ChainName != "evil" || chain.Head().Height != 0 {
		t.Fatalf("reset with the token did not reset: %+v", chain.Head())
	}
}

// The Remote client finds the token by itself through /health (a 0600 node.token file of this
// user), and only then.
func TestRemoteFindsTheToken(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	dir := t.TempDir()
	token, path, err := chainclient.WriteNodeToken(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", st, err)
	}
	base := serve(t, rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{Token: token, TokenFile: path}))
	r, _ := chainclient.NewRemote(base)
	defer r.Close()
	ctx := context.Background()
	if err := r.Pause(ctx); err != nil {
		t.Fatalf("pause through the client: %v", err)
	}
	if !chain.Paused() {
		t.Fatal("not paused")
	}
	if _, err := r.Faucet(ctx, wallet.AccountID{1}, 1e9); err != nil {
		t.Fatalf("faucet through the client: %v", err)
	}
	// A wrong explicit token is not replaced.
	r2, _ := chainclient.NewRemote(base, chainclient.WithToken(strings.Repeat("ab", 32)))
	defer r2.Close()
	var ne *chainclient.NodeError
	if err := r2.Resume(ctx); !errors.As(err, &ne) || ne.Kind != chainclient.KindUnauthorized || ne.Status != 401 {
		t.Fatalf("resume with a wrong token: %v", err)
	}
	// A token file others can read is refused.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := chainclient.ReadNodeToken(path); err == nil {
		t.Fatal("read a token file others can read")
	}
	if _, err := chainclient.ReadNodeToken(filepath.Join(dir, "chain.db")); err == nil {
		t.Fatal("read a file not named node.token")
	}
}

// A body that never completes cannot hold a connection: 200 connections that send headers and
// part of a body (under and over 256 KiB declared, chunked, to methods and to paths that never
// read the body) are all closed within the body deadline.
func TestSlowBodiesAreClosedWithinTheDeadline(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	const deadline = time.Second
	srv := rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{BodyTimeout: deadline})
	base := serve(t, srv)
	addr := strings.TrimPrefix(base, "http://")
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			path := []string{"/v1/submit", "/v1/info", "/health", "/nope", "/v1/submit_batch"}[i%5]
			var head string
			switch i % 3 {
			case 0:
				head = "Content-Length: 1000\r\n"
			case 1:
				head = "Content-Length: 200000\r\n"
			default:
				head = "Transfer-Encoding: chunked\r\n"
			}
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n%s\r\n", path, addr, head)
			if i%3 == 2 {
				fmt.Fprintf(conn, "a\r\n{\"tx\":\"0x0")
			} else {
				fmt.Fprintf(conn, "{\"tx\":\"0x0")
			}
			// Never send the rest; read until the node closes the connection.
			_ = conn.SetReadDeadline(time.Now().Add(deadline + 20*time.Second))
			_, err = io.Copy(io.Discard, conn)
			if err != nil {
				errs <- fmt.Errorf("connection %d (%s): %v", i, path, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Every connection ended within the deadline (plus scheduling slack on a loaded machine).
	took := time.Since(start)
	if took > deadline+5*time.Second {
		t.Fatalf("the slow bodies were held %v (deadline %v)", took, deadline)
	}
	t.Logf("all %d connections closed %v after they opened (body deadline %v)", n, took, deadline)
	// The node still serves.
	if status, ae, _ := do(t, base, call{"GET", "/v1/info", ``, nil}); status != 200 {
		t.Fatalf("info after: %d %+v", status, ae)
	}
}

// Calls beyond the caps get 503 with Retry-After (nothing done); the connection cap holds
// further connections in the backlog until one closes.
func TestCapsAnswerBusy(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	srv := rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{
		BodyTimeout: 5 * time.Second, MaxConcurrent: 2, MaxInflightBytes: 1500,
	})
	base := serve(t, srv)
	addr := strings.TrimPrefix(base, "http://")
	// hold opens a call whose body is still coming: it holds a call slot and its bytes.
	hold := func(n int) net.Conn {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		fmt.Fprintf(conn, "POST /v1/submit HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", addr, n)
		return conn
	}
	waitInFlight := func(n int) {
		waitUntil(t, func() bool { return srv.InFlight() == n })
	}
	a := hold(1000)
	waitInFlight(1)
	// 1000 + 1000 bytes is over 1500: busy.
	status, ae, h := do(t, base, call{"POST", "/v1/submit", `{"tx":"0x` + strings.Repeat("00", 495) + `"}`, map[string]string{"Content-Type": "application/json"}})
	if status != 503 || ae.Kind != chainclient.KindBusy || h.Get("Retry-After") == "" || !strings.Contains(ae.Message, "nothing was done") {
		t.Fatalf("over the byte cap: %d %+v %v", status, ae, h)
	}
	// A small call fits in the bytes; a second held call takes the last slot.
	hold(10)
	waitInFlight(2)
	status, ae, h = do(t, base, call{"GET", "/v1/info", ``, nil})
	if status != 503 || ae.Kind != chainclient.KindBusy || h.Get("Retry-After") != "1" {
		t.Fatalf("over the call cap: %d %+v %v", status, ae, h)
	}
	// The client waits Retry-After and repeats: once a slot frees, the call succeeds.
	r, _ := chainclient.NewRemote(base)
	defer r.Close()
	got := make(chan error, 1)
	go func() { _, err := r.Info(context.Background()); got <- err }()
	time.Sleep(200 * time.Millisecond)
	a.Close()
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("info after the slot freed: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the client did not retry")
	}
}

func TestConnectionCap(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	srv := rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{MaxConns: 2})
	base := serve(t, srv)
	addr := strings.TrimPrefix(base, "http://")
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	// Make sure both are accepted (each answers a request and stays open).
	for _, c := range held {
		fmt.Fprintf(c, "GET /health HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		if line, err := bufio.NewReader(c).ReadString('\n'); err != nil || !strings.Contains(line, "200") {
			t.Fatalf("held connection: %q %v", line, err)
		}
	}
	third, err := net.Dial("tcp", addr) // completes in the kernel backlog
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	fmt.Fprintf(third, "GET /health HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	br := bufio.NewReader(third)
	_ = third.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := br.ReadString('\n'); err == nil {
		t.Fatal("a third connection was served over the cap of 2")
	}
	held[0].Close()
	_ = third.SetReadDeadline(time.Now().Add(10 * time.Second))
	if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, "200") {
		t.Fatalf("third connection after one closed: %q %v", line, err)
	}
}

// timeout_ms is clamped, never overflowed: the largest values wait the node's maximum, and an
// overflowing submit_and_wait submits (and, on a producing chain, includes) the transaction.
func TestTimeoutMsDoesNotOverflow(t *testing.T) {
	t.Parallel()
	if d := rpcserver.ClampWait(1<<64-1, 30*time.Second); d != 30*time.Second {
		t.Fatalf("ClampWait(2^64-1) = %v", d)
	}
	if d := rpcserver.ClampWait(9223372036855, 30*time.Second); d != 30*time.Second {
		t.Fatalf("ClampWait(9223372036855) = %v", d)
	}
	if d := rpcserver.ClampWait(0, 30*time.Second); d != 30*time.Second {
		t.Fatalf("ClampWait(0) = %v", d)
	}
	if d := rpcserver.ClampWait(250, 30*time.Second); d != 250*time.Millisecond {
		t.Fatalf("ClampWait(250) = %v", d)
	}
	chain := openChain(t)
	const maxWait = 400 * time.Millisecond
	base := serve(t, rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{MaxWait: maxWait}))
	json := map[string]string{"Content-Type": "application/json"}

	// Beyond uint64: refused as a bad request.
	if status, ae, _ := do(t, base, call{"POST", "/v1/wait_tx", `{"hash":"0x` + strings.Repeat("11", 32) + `","timeout_ms":18446744073709551616}`, json}); status != 400 {
		t.Fatalf("timeout_ms over 2^64-1: %d %+v", status, ae)
	}

	// submit_and_wait with 2^64-1 on an on-demand chain: submitted and included.
	bob, _ := wallet.Dev("Bob")
	transfer := func(c *localchain.Chain, nonce uint64) *protocol.Tx {
		tx := protocol.NewTx(c.GenesisHash(), protocol.Transfer{To: wallet.AccountID{7}, Amount: 1e9}, bob.AccountID(), nonce, 0, 0)
		if err := tx.Sign(bob); err != nil {
			t.Fatal(err)
		}
		return tx
	}
	tx := transfer(chain, 0)
	status, ae, _ := do(t, base, call{"POST", "/v1/submit_and_wait", fmt.Sprintf(`{"tx":"0x%x","timeout_ms":18446744073709551615}`, tx.Encode()), json})
	if status != 200 {
		t.Fatalf("submit_and_wait with timeout_ms 2^64-1: %d %+v", status, ae)
	}
	if info, err := chain.Tx(tx.Hash()); err != nil || info == nil {
		t.Fatalf("the transaction is not on chain: %v", err)
	}

	// On a producing chain whose next block is an hour away, both waits last the maximum, then
	// say timeout, and the transaction stays submitted.
	slow, err := localchain.Open(t.TempDir(), localchain.WithNoSync(true), localchain.WithBlockTime(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slow.Close() })
	if err := slow.Start(); err != nil {
		t.Fatal(err)
	}
	slowBase := serve(t, rpcserver.New(chainclient.NewEmbedded(slow), rpcserver.Options{MaxWait: maxWait}))
	tx = transfer(slow, 0)
	start := time.Now()
	status, ae, _ = do(t, slowBase, call{"POST", "/v1/submit_and_wait", fmt.Sprintf(`{"tx":"0x%x","timeout_ms":18446744073709551615}`, tx.Encode()), json})
	if status != 504 || ae.Kind != chainclient.KindTimeout || time.Since(start) < maxWait {
		t.Fatalf("submit_and_wait with 2^64-1 before the next block: %d %+v after %v", status, ae, time.Since(start))
	}
	if !slow.IsPending(tx.Hash()) {
		t.Fatal("the timed-out transaction was not submitted")
	}
	start = time.Now()
	status, ae, _ = do(t, slowBase, call{"POST", "/v1/wait_tx", fmt.Sprintf(`{"hash":"%v","timeout_ms":9223372036855}`, tx.Hash()), json})
	if status != 504 || ae.Kind != chainclient.KindTimeout || time.Since(start) < maxWait {
		t.Fatalf("wait_tx with 9223372036855: %d %+v after %v", status, ae, time.Since(start))
	}
}

// from=0 replays from genesis: block 0 first, then every block after it.
func TestSubscribeFromZeroReplaysFromGenesis(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	if _, err := chain.Advance(context.Background(), 5, nil); err != nil {
		t.Fatal(err)
	}
	base := serve(t, rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/subscribe?from=0", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sr := chainclient.NewSSEReader(resp.Body)
	for want := uint64(0); want <= 5; want++ {
		ev, err := sr.Next()
		if err != nil {
			t.Fatal(err)
		}
		var he protocol.HeadEvent
		if err := json.Unmarshal(ev.Data, &he); err != nil || ev.Event != chainclient.EventHead || he.Header.Height != want || ev.ID != fmt.Sprint(want) || he.Missed != 0 {
			t.Fatalf("event %d: %s %s %+v %v", want, ev.Event, ev.ID, he.Header, err)
		}
		if want == 0 && he.Header.Hash != chain.GenesisHash() {
			t.Fatalf("block 0 hash %v, genesis %v", he.Header.Hash, chain.GenesisHash())
		}
	}
}

// advance is bounded per call: over the maximum is a 400 naming it, plain or streamed, at once.
func TestAdvanceIsBoundedPerCall(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	base := serve(t, rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{MaxAdvance: 10}))
	for _, accept := range []string{"", "text/event-stream"} {
		for _, n := range []string{"11", "18446744073709551615"} {
			start := time.Now()
			status, ae, _ := do(t, base, call{"POST", "/v1/advance", `{"n":` + n + `}`, map[string]string{"Content-Type": "application/json", "Accept": accept}})
			if status != 400 || ae.Kind != chainclient.KindBadRequest || !strings.Contains(ae.Message, "limit of 10 blocks") || time.Since(start) > 2*time.Second {
				t.Fatalf("advance %s (%q): %d %+v", n, accept, status, ae)
			}
		}
	}
	if chain.Head().Height != 0 {
		t.Fatalf("refused advances made blocks: %d", chain.Head().Height)
	}
	if status, ae, _ := do(t, base, call{"POST", "/v1/advance", `{"n":10}`, map[string]string{"Content-Type": "application/json"}}); status != 200 || chain.Head().Height != 10 {
		t.Fatalf("advance 10: %d %+v", status, ae)
	}
	if rpcserver.DefaultOptions().MaxAdvance != rpcserver.DefaultMaxAdvance {
		t.Fatal("default MaxAdvance")
	}
}

// The Go client splits an advance over the node's limit into calls within it.
func TestRemoteAdvanceSplitsLongAdvances(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("makes 100,003 blocks")
	}
	chain := openChain(t)
	base := serve(t, rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{}))
	r, _ := chainclient.NewRemote(base, chainclient.WithToken(""))
	defer r.Close()
	var last, total uint64
	head, err := r.Advance(context.Background(), chainclient.MaxAdvancePerCall+3, func(done, n uint64) { last, total = done, n })
	if err != nil || head.Height != chainclient.MaxAdvancePerCall+3 || chain.Head().Height != head.Height {
		t.Fatalf("advance: %+v %v", head, err)
	}
	if last != total || total != chainclient.MaxAdvancePerCall+3 {
		t.Fatalf("progress ended at %d of %d", last, total)
	}
}

// A body still arriving does not hold up Shutdown (SIGTERM of `btui node`).
func TestShutdownDoesNotWaitForSlowBodies(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	srv := rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{BodyTimeout: time.Minute})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	addr := l.Addr().String()
	var conns []net.Conn
	for range 5 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /v1/submit HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", addr)
		conns = append(conns, c)
	}
	waitUntil(t, func() bool { return srv.InFlight() == len(conns) })
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("shutdown waited %v for bodies that never came (body deadline 1 min)", took)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Fatalf("serve: %v", err)
	}
}

// A node listening on every interface (--unsafe-external 0.0.0.0) accepts its IP addresses as
// Host, still not names; a named --listen host is accepted by name.
func TestHostCheckFollowsTheListenAddress(t *testing.T) {
	t.Parallel()
	chain := openChain(t)
	for _, tt := range []struct {
		allowed []string
		host    string
		ok      bool
	}{
		{nil, "192.0.2.1:9944", false},
		{[]string{"0.0.0.0"}, "192.0.2.1:9944", true},
		{[]string{"::"}, "[2001:db8::1]:9944", true},
		{[]string{"0.0.0.0"}, "evil.example:9944", false},
		{[]string{"devbox.lan"}, "devbox.lan:9944", true},
		{[]string{"devbox.lan"}, "192.0.2.1:9944", false},
	} {
		base := serve(t, rpcserver.New(chainclient.NewEmbedded(chain), rpcserver.Options{AllowedHosts: tt.allowed}))
		status, ae, _ := do(t, base, call{"GET", "/v1/info", ``, map[string]string{"Host": tt.host}})
		if (status == 200) != tt.ok || (!tt.ok && ae.Kind != chainclient.KindForbidden) {
			t.Errorf("allowed %v, Host %s: %d %+v", tt.allowed, tt.host, status, ae)
		}
	}
}
