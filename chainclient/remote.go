package chainclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Remote is a Client over the HTTP API of a running `btui node` (docs/rpc.md).
type Remote struct {
	base   string // scheme://host[:port], no trailing slash
	hc     *http.Client
	closed atomic.Bool

	// reconnect bounds how long a subscription keeps trying to resume after the stream broke.
	reconnect time.Duration
	// idle is how long a subscription stream may stay silent before it counts as dead.
	idle time.Duration

	mu      sync.Mutex
	subs    map[*Subscription]struct{}
	closeCh chan struct{}

	tokenMu    sync.Mutex
	token      string // the node's control token, once known
	tokenFixed bool   // set by WithToken: never looked up
	tokenTried bool   // the lookup through /health ran
}

var _ Client = (*Remote)(nil)

// RemoteOption configures NewRemote.
type RemoteOption func(*Remote)

// WithHTTPClient sets the HTTP client (timeouts and transport are the caller's then).
func WithHTTPClient(hc *http.Client) RemoteOption { return func(r *Remote) { r.hc = hc } }

// WithToken sets the node's control token (docs/rpc.md). Without it, a client of a node on
// loopback reads the token from the file the node names on /health, the first time a call
// needs it.
func WithToken(token string) RemoteOption {
	return func(r *Remote) { r.token, r.tokenFixed = strings.TrimSpace(token), token != "" }
}

// WithReconnectWindow sets how long a broken subscription tries to resume (default 15 s).
func WithReconnectWindow(d time.Duration) RemoteOption { return func(r *Remote) { r.reconnect = d } }

// WithIdleTimeout sets how long a subscription stream may stay silent (no head, no keep-alive)
// before the client drops and resumes it (default 45 s; the node sends keep-alives every 15 s).
func WithIdleTimeout(d time.Duration) RemoteOption { return func(r *Remote) { r.idle = d } }

// NewRemote returns a client of the node at rawURL ("http://127.0.0.1:9944"; a bare host:port
// gets http://). It does not contact the node.
func NewRemote(rawURL string, opts ...RemoteOption) (*Remote, error) {
	base, err := NormalizeNodeURL(rawURL)
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{
		Proxy:               nil, // a loopback node is never reached through a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        64,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
		// How long a large call waits for the node's go-ahead (100 Continue) before sending
		// its body anyway.
		ExpectContinueTimeout: 5 * time.Second,
	}
	r := &Remote{
		base: base, hc: &http.Client{Transport: tr}, reconnect: 15 * time.Second, idle: 45 * time.Second,
		subs: map[*Subscription]struct{}{}, closeCh: make(chan struct{}),
	}
	for _, o := range opts {
		o(r)
	}
	return r, nil
}

// NormalizeNodeURL checks a node URL and returns it as scheme://host:port without a path.
func NormalizeNodeURL(rawURL string) (string, error) {
	s := strings.TrimSpace(rawURL)
	if s == "" {
		return "", fmt.Errorf("%w: it is empty; give the node's address, such as http://127.0.0.1:9944", ErrInvalidURL)
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrInvalidURL, rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%w %q: the scheme must be http or https", ErrInvalidURL, rawURL)
	}
	if u.Host == "" {
		return "", fmt.Errorf("%w %q: no host", ErrInvalidURL, rawURL)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.User != nil {
		return "", fmt.Errorf("%w %q: give only scheme, host and port, such as http://127.0.0.1:9944", ErrInvalidURL, rawURL)
	}
	return u.Scheme + "://" + u.Host, nil
}

// Endpoint returns the node's URL.
func (r *Remote) Endpoint() string { return r.base }

// Close ends the client's subscriptions and idle connections. Closing twice is a no-op.
func (r *Remote) Close() error {
	if r.closed.Swap(true) {
		return nil
	}
	close(r.closeCh)
	r.mu.Lock()
	subs := make([]*Subscription, 0, len(r.subs))
	for s := range r.subs {
		subs = append(subs, s)
	}
	r.mu.Unlock()
	for _, s := range subs {
		s.Cancel()
		<-s.Done()
	}
	r.hc.CloseIdleConnections()
	return nil
}

// callTimeout bounds a call whose context has no deadline (longer than any wait slice).
const callTimeout = 2 * time.Minute

// call POSTs params to /v1/<method> and decodes the result into out (nil: discard).
func (r *Remote) call(ctx context.Context, method string, params, out any) error {
	if r.closed.Load() {
		return protocol.ErrClosed
	}
	if _, ok := ctx.Deadline(); !ok {
		// A node that accepts a connection and never answers must not hang the caller.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, callTimeout)
		defer cancel()
	}
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("encode %s request: %w", method, err)
	}
	resp, err := r.post(ctx, method, body, "")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return decodeResponse(resp, method, out)
}

// post sends one API call, adding the node's token when known. A 401 makes it look the token
// up once and repeat the call; a 503 "busy" (nothing was done) is repeated after the node's
// Retry-After until ctx ends. The caller closes the response body.
func (r *Remote) post(ctx context.Context, method string, body []byte, accept string) (*http.Response, error) {
	triedToken := false
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base+PathMethods+method, bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		req.Header.Set("Content-Type", "application/json")
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		if len(body) > expectContinueOver {
			// The node may refuse a large body (busy, too large, no token) before reading it:
			// wait for its go-ahead instead of sending megabytes into a refusal.
			req.Header.Set("Expect", "100-continue")
		}
		sent := r.setToken(req)
		resp, err := r.hc.Do(req)
		if err != nil {
			return nil, r.transportErr(ctx, err)
		}
		switch {
		case resp.StatusCode == http.StatusUnauthorized && !triedToken:
			triedToken = true
			if tok := r.lookupToken(ctx); tok != "" && tok != sent {
				drain(resp)
				continue
			}
		case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
			wait := retryAfter(resp.Header.Get("Retry-After"))
			drain(resp)
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-r.closeCh:
				return nil, protocol.ErrClosed
			case <-time.After(wait):
			}
			continue
		}
		return resp, nil
	}
}

// expectContinueOver is the body size above which a call asks the node to accept the body
// before it is sent.
const expectContinueOver = 64 << 10

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
}

// retryAfter reads a Retry-After of whole seconds, bounded to 0.1..5 s.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 100 * time.Millisecond
	}
	return min(time.Duration(n)*time.Second, 5*time.Second)
}

// setToken adds the known token to req and returns it ("" when none is known).
func (r *Remote) setToken(req *http.Request) string {
	r.tokenMu.Lock()
	tok := r.token
	r.tokenMu.Unlock()
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return tok
}

// lookupToken reads the node's token from the file its /health names, once per client, for a
// node on loopback only (a token file is never sent to another machine).
func (r *Remote) lookupToken(ctx context.Context) string {
	r.tokenMu.Lock()
	defer r.tokenMu.Unlock()
	if r.tokenFixed || r.tokenTried {
		return r.token
	}
	r.tokenTried = true
	if !isLoopbackURL(r.base) {
		return r.token
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+PathHealth, nil)
	if err != nil {
		return r.token
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return r.token
	}
	defer resp.Body.Close()
	var h struct {
		TokenFile string `json:"token_file"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&h) != nil || h.TokenFile == "" {
		return r.token
	}
	if tok, err := ReadNodeToken(h.TokenFile); err == nil {
		r.token = tok
	}
	return r.token
}

// isLoopbackURL reports whether a normalized node URL names a loopback host.
func isLoopbackURL(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// transportErr explains a failed request.
func (r *Remote) transportErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return fmt.Errorf("%w: no btui node answers at %s (start one with `btui node`, or drop --node to use the embedded devnet): %v", ErrNodeUnreachable, r.base, op.Err)
	}
	return fmt.Errorf("%w: %s: %v", ErrNodeUnreachable, r.base, err)
}

// decodeResponse decodes a 2xx JSON body into out, or the error body into the matching error.
func decodeResponse(resp *http.Response, method string, out any) error {
	if resp.StatusCode/100 != 2 {
		return decodeError(resp)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%w: %s result: %v", ErrBadResponse, method, err)
	}
	return nil
}

func decodeError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var er ErrorResponse
	if err := json.Unmarshal(b, &er); err != nil || er.Error.Kind == "" {
		return fmt.Errorf("%w: HTTP %d: %.200q", ErrBadResponse, resp.StatusCode, b)
	}
	return er.Error.Err(resp.StatusCode)
}

// Info implements Querier.
func (r *Remote) Info(ctx context.Context) (protocol.ChainInfo, error) {
	var out protocol.ChainInfo
	err := r.call(ctx, MethodInfo, struct{}{}, &out)
	return out, err
}

// Account implements Querier.
func (r *Remote) Account(ctx context.Context, id wallet.AccountID) (protocol.AccountInfo, error) {
	var out protocol.AccountInfo
	err := r.call(ctx, MethodAccount, AccountParams{Address: id}, &out)
	return out, err
}

// NextNonce implements Querier.
func (r *Remote) NextNonce(ctx context.Context, id wallet.AccountID) (uint64, error) {
	var out NonceResult
	err := r.call(ctx, MethodNextNonce, AccountParams{Address: id}, &out)
	return out.Nonce, err
}

// Block implements Querier.
func (r *Remote) Block(ctx context.Context, height uint64) (*protocol.Block, error) {
	var out protocol.Block
	if err := r.call(ctx, MethodBlock, HeightParams{Height: height}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// BlockByHash implements Querier.
func (r *Remote) BlockByHash(ctx context.Context, hash protocol.Hash) (*protocol.Block, error) {
	var out protocol.Block
	if err := r.call(ctx, MethodBlockByHash, HashParams{Hash: hash}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Blocks implements Querier.
func (r *Remote) Blocks(ctx context.Context, from uint64, n int) ([]protocol.BlockHeader, error) {
	var out []protocol.BlockHeader
	err := r.call(ctx, MethodBlocks, BlocksParams{From: from, Count: n}, &out)
	return out, err
}

// Tx implements Querier.
func (r *Remote) Tx(ctx context.Context, hash protocol.TxHash) (*protocol.TxInfo, error) {
	var out protocol.TxInfo
	if err := r.call(ctx, MethodTx, HashParams{Hash: hash}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// IsPending implements Querier.
func (r *Remote) IsPending(ctx context.Context, hash protocol.TxHash) (bool, error) {
	var out PendingResult
	err := r.call(ctx, MethodIsPending, HashParams{Hash: hash}, &out)
	return out.Pending, err
}

// Events implements Querier.
func (r *Remote) Events(ctx context.Context, from, to uint64) ([]protocol.Event, error) {
	var out []protocol.Event
	err := r.call(ctx, MethodEvents, EventsParams{From: from, To: to}, &out)
	return out, err
}

// AccountHistory implements Querier.
func (r *Remote) AccountHistory(ctx context.Context, id wallet.AccountID, before uint64, limit int) ([]protocol.HistoryEntry, error) {
	var out []protocol.HistoryEntry
	err := r.call(ctx, MethodAccountHistory, HistoryParams{Address: id, Before: before, Limit: limit}, &out)
	return out, err
}

// Genesis implements Querier.
func (r *Remote) Genesis(ctx context.Context) (*protocol.Genesis, error) {
	var out protocol.Genesis
	if err := r.call(ctx, MethodGenesis, struct{}{}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Check implements Querier.
func (r *Remote) Check(ctx context.Context) error {
	return r.call(ctx, MethodCheck, struct{}{}, nil)
}

// Submit implements Submitter.
func (r *Remote) Submit(ctx context.Context, tx []byte) (protocol.TxHash, error) {
	var out HashResult
	err := r.call(ctx, MethodSubmit, SubmitParams{Tx: tx}, &out)
	return out.Hash, err
}

// SubmitBatch implements Submitter.
func (r *Remote) SubmitBatch(ctx context.Context, txs [][]byte) ([]protocol.SubmitResult, error) {
	p := SubmitBatchParams{Txs: make([]TxBytes, len(txs))}
	for i, t := range txs {
		p.Txs[i] = t
	}
	var out SubmitBatchResult
	if err := r.call(ctx, MethodSubmitBatch, p, &out); err != nil {
		return nil, err
	}
	if len(out.Results) != len(txs) {
		return nil, fmt.Errorf("%w: submit_batch returned %d results for %d transactions", ErrBadResponse, len(out.Results), len(txs))
	}
	res := make([]protocol.SubmitResult, len(txs))
	for i, br := range out.Results {
		res[i].Hash = br.Hash
		if br.Error != nil {
			res[i].Err = br.Error.Err(http.StatusUnprocessableEntity)
		}
	}
	return res, nil
}

// maxWaitSlice is how long one wait request asks the node to wait; WaitTx repeats it until its
// context ends, so no proxy or server timeout cuts a long wait.
const maxWaitSlice = 20 * time.Second

// WaitTx implements Submitter.
func (r *Remote) WaitTx(ctx context.Context, hash protocol.TxHash) (*protocol.TxInfo, error) {
	for {
		var out protocol.TxInfo
		err := r.call(ctx, MethodWaitTx, HashParams{Hash: hash, TimeoutMs: waitSlice(ctx)}, &out)
		if err == nil {
			return &out, nil
		}
		if !isNodeTimeout(err) || ctx.Err() != nil {
			return nil, err
		}
	}
}

// SubmitAndWait implements Submitter.
func (r *Remote) SubmitAndWait(ctx context.Context, tx []byte) (*protocol.TxInfo, error) {
	var out protocol.TxInfo
	err := r.call(ctx, MethodSubmitAndWait, SubmitParams{Tx: tx, TimeoutMs: waitSlice(ctx)}, &out)
	if err == nil {
		return &out, nil
	}
	if !isNodeTimeout(err) || ctx.Err() != nil {
		return nil, err
	}
	// Submitted, not yet included: keep waiting by hash.
	return r.WaitTx(ctx, protocol.TxHash(blake2b.Sum256(tx)))
}

func waitSlice(ctx context.Context) uint64 {
	d := maxWaitSlice
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, max(time.Until(dl), time.Millisecond))
	}
	return uint64(d / time.Millisecond)
}

// isNodeTimeout reports a node-side wait that ended before the result (kind "timeout").
func isNodeTimeout(err error) bool {
	var re *remoteError
	return errors.As(err, &re) && re.sentinel == context.DeadlineExceeded
}

// Pause implements Devnet.
func (r *Remote) Pause(ctx context.Context) error { return r.call(ctx, MethodPause, struct{}{}, nil) }

// Resume implements Devnet.
func (r *Remote) Resume(ctx context.Context) error {
	return r.call(ctx, MethodResume, struct{}{}, nil)
}

// Faucet implements Devnet: signed here with the dev sudo key, submitted to the node.
func (r *Remote) Faucet(ctx context.Context, to wallet.AccountID, amount uint64) (*protocol.TxInfo, error) {
	return faucet(ctx, r, to, amount)
}

// Snapshot implements Devnet.
func (r *Remote) Snapshot(ctx context.Context, name string) (protocol.SnapshotInfo, error) {
	var out protocol.SnapshotInfo
	err := r.call(ctx, MethodSnapshot, NameParams{Name: name}, &out)
	return out, err
}

// Snapshots implements Devnet.
func (r *Remote) Snapshots(ctx context.Context) ([]protocol.SnapshotInfo, error) {
	var out []protocol.SnapshotInfo
	err := r.call(ctx, MethodSnapshots, struct{}{}, &out)
	return out, err
}

// Restore implements Devnet.
func (r *Remote) Restore(ctx context.Context, name string) (protocol.SnapshotInfo, error) {
	var out protocol.SnapshotInfo
	err := r.call(ctx, MethodRestore, NameParams{Name: name}, &out)
	return out, err
}

// Reset implements Devnet.
func (r *Remote) Reset(ctx context.Context, g *protocol.Genesis) (protocol.BlockHeader, error) {
	var out protocol.BlockHeader
	err := r.call(ctx, MethodReset, ResetParams{Genesis: g}, &out)
	return out, err
}

// MaxAdvancePerCall is the node's default limit of blocks per advance call; Remote.Advance
// splits a longer advance into calls of at most this many blocks.
const MaxAdvancePerCall = 100_000

// Advance implements Devnet. Progress arrives as server-sent events while the node works. An
// advance of more than MaxAdvancePerCall blocks is made of several calls.
func (r *Remote) Advance(ctx context.Context, n uint64, progress func(done, total uint64)) (protocol.BlockHeader, error) {
	var done uint64
	for {
		step := min(n-done, MaxAdvancePerCall)
		base := done
		head, err := r.advance(ctx, step, func(d, _ uint64) {
			if progress != nil {
				progress(base+d, n)
			}
		})
		done += step
		if err != nil || done >= n {
			return head, err
		}
	}
}

func (r *Remote) advance(ctx context.Context, n uint64, progress func(done, total uint64)) (protocol.BlockHeader, error) {
	if r.closed.Load() {
		return protocol.BlockHeader{}, protocol.ErrClosed
	}
	body, _ := json.Marshal(AdvanceParams{N: n})
	resp, err := r.post(ctx, MethodAdvance, body, "text/event-stream")
	if err != nil {
		return protocol.BlockHeader{}, err
	}
	defer resp.Body.Close()
	var head protocol.BlockHeader
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		err := decodeResponse(resp, MethodAdvance, &head)
		return head, err
	}
	sr := NewSSEReader(resp.Body)
	for {
		ev, err := sr.Next()
		if err != nil {
			if ctx.Err() != nil {
				return head, ctx.Err()
			}
			return head, fmt.Errorf("%w: advance stream: %v", ErrBadResponse, err)
		}
		switch ev.Event {
		case EventProgress:
			var p Progress
			if err := json.Unmarshal(ev.Data, &p); err != nil {
				return head, fmt.Errorf("%w: advance progress: %v", ErrBadResponse, err)
			}
			if progress != nil {
				progress(p.Done, p.Total)
			}
		case EventResult:
			if err := json.Unmarshal(ev.Data, &head); err != nil {
				return head, fmt.Errorf("%w: advance result: %v", ErrBadResponse, err)
			}
			return head, nil
		case EventError:
			var ae APIError
			if err := json.Unmarshal(ev.Data, &ae); err != nil {
				return head, fmt.Errorf("%w: advance error: %v", ErrBadResponse, err)
			}
			return head, ae.Err(http.StatusOK)
		}
	}
}

// Subscribe implements Subscriber over server-sent events. A broken stream is resumed from
// the height after the last delivered head (the node reads the missed heads back from
// storage), for up to the reconnect window; after that the subscription ends with the error.
func (r *Remote) Subscribe(ctx context.Context, opts SubscribeOptions) (*Subscription, error) {
	if r.closed.Load() {
		return nil, protocol.ErrClosed
	}
	buf := opts.Buffer
	if buf <= 0 {
		buf = DefaultSubscribeBuffer
	}
	ctx, cancel := context.WithCancel(ctx)
	// The first connection is made here so that a node that is not there is an error now.
	conn, err := r.openStream(ctx, opts.From, "")
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan protocol.HeadEvent, buf)
	sub := newSubscription(out, cancel)
	r.mu.Lock()
	r.subs[sub] = struct{}{}
	r.mu.Unlock()
	go func() {
		err := r.stream(ctx, conn, out, opts.From)
		cancel()
		close(out)
		r.mu.Lock()
		delete(r.subs, sub)
		r.mu.Unlock()
		sub.finish(err)
	}()
	return sub, nil
}

// stream is one subscription connection; cancel ends it.
type stream struct {
	resp   *http.Response
	cancel context.CancelFunc
}

func (r *Remote) openStream(ctx context.Context, from uint64, lastID string) (*stream, error) {
	ctx, cancel := context.WithCancel(ctx)
	resp, err := r.openStreamCtx(ctx, from, lastID)
	if err != nil {
		cancel()
		return nil, err
	}
	return &stream{resp: resp, cancel: cancel}, nil
}

func (r *Remote) openStreamCtx(ctx context.Context, from uint64, lastID string) (*http.Response, error) {
	q := url.Values{}
	if from > 0 {
		q.Set("from", strconv.FormatUint(from, 10))
	}
	u := r.base + PathSubscribe
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	r.setToken(req)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return nil, r.transportErr(ctx, err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, decodeError(resp)
	}
	return resp, nil
}

// stream reads heads from resp, reconnecting after a broken stream.
func (r *Remote) stream(ctx context.Context, conn *stream, out chan<- protocol.HeadEvent, from uint64) error {
	var last uint64 // height of the last delivered head
	haveLast := false
	for {
		err := r.readHeads(ctx, conn, out, &last, &haveLast)
		conn.resp.Body.Close()
		conn.cancel()
		if ctx.Err() != nil {
			return nil
		}
		var final *finalError
		if errors.As(err, &final) {
			return final.err
		}
		// Resume where we stopped.
		deadline := time.Now().Add(r.reconnect)
		backoff := 50 * time.Millisecond
		for {
			id := ""
			if haveLast {
				id = strconv.FormatUint(last, 10)
			}
			conn, err = r.openStream(ctx, from, id)
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("subscription to %s ended and could not be resumed: %w", r.base, err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-r.closeCh:
				return nil
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, time.Second)
		}
	}
}

// activityReader remembers when bytes last arrived (or that the reader is busy elsewhere).
type activityReader struct {
	r    io.Reader
	last atomic.Int64 // unix nanoseconds of the last read, or -1 while held
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.touch()
	}
	return n, err
}

func (a *activityReader) touch() { a.last.Store(time.Now().UnixNano()) }

// hold marks the reader busy delivering (held) or idle from now (released).
func (a *activityReader) hold(held bool) {
	if held {
		a.last.Store(-1)
	} else {
		a.touch()
	}
}

func (a *activityReader) idleFor() time.Duration {
	l := a.last.Load()
	if l < 0 {
		return 0
	}
	return time.Since(time.Unix(0, l))
}

// finalError ends a subscription without reconnecting.
type finalError struct{ err error }

func (e *finalError) Error() string { return e.err.Error() }

func (r *Remote) readHeads(ctx context.Context, conn *stream, out chan<- protocol.HeadEvent, last *uint64, haveLast *bool) error {
	// The node sends a keep-alive comment every 15 s: a connection silent for much longer is
	// dead (a peer that vanished without closing it) and is dropped, then resumed.
	body := &activityReader{r: conn.resp.Body}
	body.touch()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		t := time.NewTicker(r.idle / 4)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if body.idleFor() > r.idle {
					conn.cancel()
					return
				}
			}
		}
	}()
	sr := NewSSEReader(body)
	for {
		ev, err := sr.Next()
		if err != nil {
			return err
		}
		switch ev.Event {
		case EventHead:
			var he protocol.HeadEvent
			if err := json.Unmarshal(ev.Data, &he); err != nil {
				return &finalError{fmt.Errorf("%w: head event: %v", ErrBadResponse, err)}
			}
			if he.Events == nil {
				he.Events = []protocol.Event{}
			}
			// A consumer that is slow to take the head is not an idle connection.
			body.hold(true)
			select {
			case out <- he:
				*last, *haveLast = he.Header.Height, true
			case <-ctx.Done():
				body.hold(false)
				return ctx.Err()
			}
			body.hold(false)
		case EventClose, EventError:
			var ae APIError
			if err := json.Unmarshal(ev.Data, &ae); err != nil {
				return &finalError{fmt.Errorf("%w: %s event: %v", ErrBadResponse, ev.Event, err)}
			}
			return &finalError{ae.Err(http.StatusOK)}
		}
	}
}

// LiveNodeURL returns the URL recorded in dir by a `btui node` if a node answers /health
// there within half a second, else "" (a node.url left by a killed node names nothing).
func LiveNodeURL(dir string) string {
	u := ReadNodeURL(dir)
	if u == "" {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u+PathHealth, nil)
	if err != nil {
		return ""
	}
	hc := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := hc.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var h struct {
		Status string `json:"status"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&h) != nil || h.Status != "ok" {
		return ""
	}
	return u
}
