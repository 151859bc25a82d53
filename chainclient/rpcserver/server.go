// Package rpcserver serves a chainclient.Client over the node's HTTP API (docs/rpc.md): JSON
// over HTTP for queries and signed transaction bytes, server-sent events for heads and events,
// /health and /ready for scripts. `btui node` runs it over an embedded chain; chainclient.Remote
// is its client.
//
// It lives under chainclient rather than in localchain (where STYLE §5.1 puts the RPC server)
// because localchain has no HTTP in it and was owned by another change when this was written;
// it imports only chainclient and localchain's wire types, so moving it later is mechanical.
package rpcserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// Options are the server's limits. Zero fields take the defaults of DefaultOptions.
type Options struct {
	// MaxBodyBytes bounds a request body (every method but submit_batch).
	MaxBodyBytes int64
	// MaxBatchBytes bounds a submit_batch body.
	MaxBatchBytes int64
	// MaxBatchTxs bounds the transactions of one submit_batch.
	MaxBatchTxs int
	// RequestTimeout bounds reading a request and running a query or submission.
	RequestTimeout time.Duration
	// MaxWait caps how long wait_tx and submit_and_wait wait for inclusion in one request.
	MaxWait time.Duration
	// SubscriberBuffer is each subscriber's queue of heads.
	SubscriberBuffer int
	// SubscriberWriteTimeout: a subscriber that cannot take one event within it is dropped.
	SubscriberWriteTimeout time.Duration
	// KeepAlive is the interval of SSE keep-alive comments.
	KeepAlive time.Duration
	// MaxSubscribers bounds concurrent subscriptions.
	MaxSubscribers int
	// BodyTimeout bounds reading a request body, whatever its Content-Length.
	BodyTimeout time.Duration
	// MaxConcurrent bounds the API calls served at once (subscriptions not included); more
	// get 503 with Retry-After.
	MaxConcurrent int
	// MaxInflightBytes bounds the request bodies held at once (each counts its Content-Length,
	// or its method's limit when chunked); more get 503. One call is always admitted alone.
	MaxInflightBytes int64
	// MaxConns bounds open connections (Serve); more wait in the listen backlog.
	MaxConns int
	// MaxAdvance bounds the blocks of one advance call; more get 400.
	MaxAdvance uint64
	// Token, when set, is required (Authorization: Bearer) by control methods, sudo-signed
	// submissions and every call from a non-loopback address (docs/rpc.md).
	Token string
	// TokenFile is where the node wrote Token; /health names it so that btui on the same
	// machine can read it.
	TokenFile string
	// AllowedHosts are host names accepted in the Host header besides localhost and IP
	// addresses.
	AllowedHosts []string
	// Logger receives errors and dropped subscribers (default: discard).
	Logger *slog.Logger
}

// Default limits (docs/rpc.md, "Limits").
const (
	DefaultMaxConns         = 512
	DefaultMaxSubscribers   = 384
	DefaultMaxConcurrent    = 128
	DefaultMaxInflightBytes = 96 << 20
	DefaultMaxAdvance       = chainclient.MaxAdvancePerCall
	DefaultBodyTimeout      = 10 * time.Second
)

// DefaultOptions returns the node's limits: 1 MiB bodies (64 MiB and 20,000 transactions for a
// batch), 10 s to send a body, 30 s per request, 30 s waits, 256 queued heads per subscriber,
// 10 s to take an event, 512 connections, 384 subscriptions, 128 calls and 96 MiB of bodies
// at once, 100,000 blocks per advance.
func DefaultOptions() Options {
	return Options{
		MaxBodyBytes: 1 << 20, MaxBatchBytes: 64 << 20, MaxBatchTxs: 20_000,
		RequestTimeout: 30 * time.Second, MaxWait: 30 * time.Second,
		SubscriberBuffer: 256, SubscriberWriteTimeout: 10 * time.Second, KeepAlive: 15 * time.Second,
		MaxSubscribers: DefaultMaxSubscribers, BodyTimeout: DefaultBodyTimeout,
		MaxConcurrent: DefaultMaxConcurrent, MaxInflightBytes: DefaultMaxInflightBytes,
		MaxConns: DefaultMaxConns, MaxAdvance: DefaultMaxAdvance,
	}
}

func (o *Options) fill() {
	d := DefaultOptions()
	orDefault(&o.MaxBodyBytes, d.MaxBodyBytes)
	orDefault(&o.MaxBatchBytes, d.MaxBatchBytes)
	orDefault(&o.MaxBatchTxs, d.MaxBatchTxs)
	orDefault(&o.RequestTimeout, d.RequestTimeout)
	orDefault(&o.MaxWait, d.MaxWait)
	orDefault(&o.SubscriberBuffer, d.SubscriberBuffer)
	orDefault(&o.SubscriberWriteTimeout, d.SubscriberWriteTimeout)
	orDefault(&o.KeepAlive, d.KeepAlive)
	orDefault(&o.MaxSubscribers, d.MaxSubscribers)
	orDefault(&o.BodyTimeout, d.BodyTimeout)
	orDefault(&o.MaxConcurrent, d.MaxConcurrent)
	orDefault(&o.MaxInflightBytes, d.MaxInflightBytes)
	orDefault(&o.MaxConns, d.MaxConns)
	if o.MaxAdvance == 0 {
		o.MaxAdvance = d.MaxAdvance
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// orDefault sets a zero or negative limit to its default.
func orDefault[T int | int64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// Server is the node's HTTP API over a backend client (normally chainclient.Embedded).
type Server struct {
	backend chainclient.Client
	opts    Options
	methods map[string]method
	handler http.Handler
	ss58    ss58Memo // addresses of head events (headjson.go)

	closing   chan struct{}
	closeOnce sync.Once
	// closingCtx is cancelled when Shutdown starts (closing is closed).
	closingCtx    context.Context
	cancelClosing context.CancelFunc
	baseCtx       context.Context
	cancel        context.CancelFunc
	nsubs         atomic.Int64
	inflight      atomic.Int64
	srv           *http.Server
	srvMu         sync.Mutex
	adm           admission
}

// New returns a server over backend. It does not own backend: close it after Shutdown.
func New(backend chainclient.Client, opts Options) *Server {
	opts.fill()
	s := &Server{backend: backend, opts: opts, closing: make(chan struct{})}
	s.baseCtx, s.cancel = context.WithCancel(context.Background())
	s.closingCtx, s.cancelClosing = context.WithCancel(context.Background())
	s.methods = s.methodTable()
	mux := http.NewServeMux()
	mux.HandleFunc(chainclient.PathHealth, s.health)
	mux.HandleFunc(chainclient.PathReady, s.ready)
	mux.HandleFunc(chainclient.PathSubscribe, s.subscribe)
	mux.HandleFunc(chainclient.PathMethods, s.rpc)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, chainclient.APIError{Kind: chainclient.KindUnknownMethod,
			Message: fmt.Sprintf("no such path %q: the API is POST /v1/<method>, GET /v1/subscribe, /health and /ready (docs/rpc.md)", r.URL.Path)})
	})
	s.handler = s.recoverer(s.guard(mux))
	return s
}

// Handler returns the API as an http.Handler (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves the API on l until Shutdown, at most Options.MaxConns connections at once. It
// returns http.ErrServerClosed after Shutdown.
func (s *Server) Serve(l net.Listener) error {
	l = LimitListener(l, s.opts.MaxConns)
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		// ReadTimeout and WriteTimeout stay 0: they would cut server-sent event streams. Each
		// handler sets its own deadlines through http.ResponseController instead.
		BaseContext: func(net.Listener) context.Context { return s.baseCtx },
		ErrorLog:    slog.NewLogLogger(s.opts.Logger.Handler(), slog.LevelDebug),
	}
	s.srvMu.Lock()
	s.srv = srv
	s.srvMu.Unlock()
	select {
	case <-s.closing:
		return http.ErrServerClosed
	default:
	}
	return srv.Serve(l)
}

// Shutdown ends subscriptions (each gets a close event) and running advances, stops accepting
// requests and waits for the ones in flight, up to ctx. It does not close the backend.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.cancelClosing()
	})
	s.srvMu.Lock()
	srv := s.srv
	s.srvMu.Unlock()
	var err error
	if srv != nil {
		err = srv.Shutdown(ctx)
	}
	s.cancel()
	return err
}

// InFlight returns the number of API calls being served (subscriptions not included).
func (s *Server) InFlight() int { return int(s.inflight.Load()) }

// Subscribers returns the number of open subscriptions.
func (s *Server) Subscribers() int { return int(s.nsubs.Load()) }

func (s *Server) isClosing() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// recoverer turns a panic in a handler into a JSON 500; the node keeps running.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.opts.Logger.Error("handler panic", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				writeError(w, http.StatusInternalServerError, chainclient.APIError{Kind: chainclient.KindError,
					Message: "internal error in the node; it keeps running (see its log)"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(chainclient.ErrorResponse{Error: chainclient.APIError{Kind: chainclient.KindError, Message: "encode result: " + err.Error()}})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, e chainclient.APIError) {
	writeJSON(w, status, chainclient.ErrorResponse{Error: e})
}

func (s *Server) writeErr(w http.ResponseWriter, err error) {
	if errors.Is(err, errUnauthorized) {
		s.unauthorized(w, err.Error())
		return
	}
	status, ae := chainclient.ErrorToAPI(err)
	if ae.Kind == chainclient.KindError || ae.Kind == chainclient.KindInvariant {
		s.opts.Logger.Error("request failed", "error", err)
	}
	writeError(w, status, ae)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET")
		return
	}
	res := map[string]string{"status": "ok"}
	if s.opts.TokenFile != "" && isLoopbackAddr(r.RemoteAddr) {
		// Where btui on this machine finds the token (the file is the user's, 0600).
		res["token_file"] = s.opts.TokenFile
	}
	writeJSON(w, http.StatusOK, res)
}

// producerErr is implemented by backends that run a block producer (chainclient.Embedded).
type producerErr interface{ ProducerErr() error }

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET")
		return
	}
	if s.isClosing() {
		writeJSON(w, http.StatusServiceUnavailable, chainclient.ReadyResult{Reason: "node is shutting down"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	info, err := s.backend.Info(ctx)
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, chainclient.ReadyResult{Reason: err.Error()})
		return
	}
	res := chainclient.ReadyResult{Ready: true, Height: info.Height, Producing: info.Producing, Paused: info.Paused}
	if p, ok := s.backend.(producerErr); ok {
		if err := p.ProducerErr(); err != nil {
			res.Ready, res.Reason = false, err.Error()
			writeJSON(w, http.StatusServiceUnavailable, res)
			return
		}
	}
	writeJSON(w, http.StatusOK, res)
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	writeError(w, http.StatusMethodNotAllowed, chainclient.APIError{Kind: chainclient.KindMethodNotAllowed,
		Message: "use HTTP " + allow + " here"})
}

// rpc serves POST /v1/<method> (and GET for read-only methods, parameters in the query).
func (s *Server) rpc(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	defer s.inflight.Add(-1)
	name := strings.TrimPrefix(r.URL.Path, chainclient.PathMethods)
	m, ok := s.methods[name]
	if !ok {
		writeError(w, http.StatusNotFound, chainclient.APIError{Kind: chainclient.KindUnknownMethod,
			Message: fmt.Sprintf("unknown method %q: see docs/rpc.md for the list", name)})
		return
	}
	if s.isClosing() {
		writeError(w, http.StatusServiceUnavailable, chainclient.APIError{Kind: chainclient.KindUnavailable, Message: "node is shutting down"})
		return
	}
	rc := http.NewResponseController(w)
	var raw []byte
	switch {
	case r.Method == http.MethodPost:
		limit := s.opts.MaxBodyBytes
		if m.maxBody > 0 {
			limit = m.maxBody
		}
		if r.ContentLength > limit {
			refuse(w, http.StatusRequestEntityTooLarge, chainclient.KindTooLarge,
				fmt.Sprintf("request body of %d bytes is over the limit of %d bytes for %s", r.ContentLength, limit, name))
			return
		}
		reserve := limit
		if r.ContentLength >= 0 {
			reserve = r.ContentLength
		}
		release, why := s.admit(reserve)
		if why != "" {
			busy(w, why, 1)
			return
		}
		defer release()
		b, err := readBody(http.MaxBytesReader(w, r.Body, limit), r.ContentLength)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				refuse(w, http.StatusRequestEntityTooLarge, chainclient.KindTooLarge,
					fmt.Sprintf("request body is over the limit of %d bytes for %s", limit, name))
				return
			}
			// The read deadline stays: the connection is closed, never drained without one.
			refuse(w, http.StatusBadRequest, chainclient.KindBadRequest,
				fmt.Sprintf("read request body: %v (the body must arrive within %v)", err, s.opts.BodyTimeout))
			return
		}
		// The whole body is in: from here the connection only waits for the answer.
		bodyRead(r)
		_ = rc.SetReadDeadline(time.Time{})
		raw = b
	case (r.Method == http.MethodGet || r.Method == http.MethodHead) && m.readOnly:
		release, why := s.admit(0)
		if why != "" {
			busy(w, why, 1)
			return
		}
		defer release()
		raw = queryParams(r)
	default:
		if m.readOnly {
			methodNotAllowed(w, "POST, GET")
		} else {
			methodNotAllowed(w, "POST")
		}
		return
	}
	if m.stream != nil && strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		m.stream(w, r, raw)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.RequestTimeout+m.extraTime)
	defer cancel()
	_ = rc.SetWriteDeadline(time.Now().Add(s.opts.RequestTimeout + m.extraTime + 5*time.Second))
	res, err := m.call(ctx, raw)
	if err != nil {
		s.writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// readBody reads a body of declared length n (-1: unknown) without growing a buffer by
// doubling: a 60 MB batch takes 60 MB, not up to twice that.
func readBody(r io.Reader, n int64) ([]byte, error) {
	if n < 0 {
		return io.ReadAll(r)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		if err == io.ErrUnexpectedEOF {
			err = fmt.Errorf("the body ended after fewer bytes than its Content-Length of %d", n)
		}
		return nil, err
	}
	// A body longer than declared is net/http's to refuse; check that it ends here.
	var one [1]byte
	if k, err := r.Read(one[:]); k > 0 || (err != nil && err != io.EOF) {
		if err == nil {
			err = errors.New("the body is longer than its Content-Length")
		}
		return nil, err
	}
	return b, nil
}

// queryParams turns ?a=1&b=x into {"a":1,"b":"x"} (numbers and booleans unquoted).
func queryParams(r *http.Request) []byte {
	q := r.URL.Query()
	if len(q) == 0 {
		return nil
	}
	obj := make(map[string]json.RawMessage, len(q))
	for k, vs := range q {
		v := vs[len(vs)-1]
		if _, err := strconv.ParseUint(v, 10, 64); err == nil || v == "true" || v == "false" {
			obj[k] = json.RawMessage(v)
		} else {
			obj[k], _ = json.Marshal(v)
		}
	}
	b, _ := json.Marshal(obj)
	return b
}

// DecodeParams decodes a method's parameters strictly: a JSON object (or an empty body) with
// only known fields and nothing after it. Errors wrap chainclient.ErrBadRequest.
func DecodeParams[P any](method string, raw []byte) (P, error) {
	var p P
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return p, nil
	}
	if raw[0] != '{' {
		return p, fmt.Errorf("%w: parameters of %s must be a JSON object", chainclient.ErrBadRequest, method)
	}
	if len(raw) > largeParams {
		return p, decodeLarge(method, raw, &p)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, fmt.Errorf("%w: parameters of %s: %v", chainclient.ErrBadRequest, method, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return p, fmt.Errorf("%w: parameters of %s: data after the JSON object", chainclient.ErrBadRequest, method)
	}
	return p, nil
}

// method is one entry of the API table.
type method struct {
	readOnly  bool          // also served on GET
	maxBody   int64         // body limit (0: Options.MaxBodyBytes)
	extraTime time.Duration // added to RequestTimeout (waits)
	call      func(ctx context.Context, raw []byte) (any, error)
	// stream, when set, serves the method as server-sent events for Accept: text/event-stream.
	stream func(w http.ResponseWriter, r *http.Request, raw []byte)
}

// query builds a method from a typed handler.
func query[P any](name string, readOnly bool, fn func(ctx context.Context, p P) (any, error)) method {
	return method{readOnly: readOnly, call: func(ctx context.Context, raw []byte) (any, error) {
		p, err := DecodeParams[P](name, raw)
		if err != nil {
			return nil, err
		}
		return fn(ctx, p)
	}}
}

type noParams struct{}

// methodTable lists every API method. A new query (a module's view) is one entry here, one
// method on chainclient.Client and its two implementations.
func (s *Server) methodTable() map[string]method {
	b := s.backend
	ok := chainclient.OKResult{OK: true}
	m := map[string]method{
		chainclient.MethodInfo: query(chainclient.MethodInfo, true, func(ctx context.Context, _ noParams) (any, error) {
			return b.Info(ctx)
		}),
		chainclient.MethodAccount: query(chainclient.MethodAccount, true, func(ctx context.Context, p chainclient.AccountParams) (any, error) {
			return b.Account(ctx, p.Address)
		}),
		chainclient.MethodNextNonce: query(chainclient.MethodNextNonce, true, func(ctx context.Context, p chainclient.AccountParams) (any, error) {
			n, err := b.NextNonce(ctx, p.Address)
			return chainclient.NonceResult{Nonce: n}, err
		}),
		chainclient.MethodBlock: query(chainclient.MethodBlock, true, func(ctx context.Context, p chainclient.HeightParams) (any, error) {
			return b.Block(ctx, p.Height)
		}),
		chainclient.MethodBlockByHash: query(chainclient.MethodBlockByHash, true, func(ctx context.Context, p chainclient.HashParams) (any, error) {
			return b.BlockByHash(ctx, p.Hash)
		}),
		chainclient.MethodBlocks: query(chainclient.MethodBlocks, true, func(ctx context.Context, p chainclient.BlocksParams) (any, error) {
			return b.Blocks(ctx, p.From, p.Count)
		}),
		chainclient.MethodTx: query(chainclient.MethodTx, true, func(ctx context.Context, p chainclient.HashParams) (any, error) {
			return b.Tx(ctx, p.Hash)
		}),
		chainclient.MethodIsPending: query(chainclient.MethodIsPending, true, func(ctx context.Context, p chainclient.HashParams) (any, error) {
			ok, err := b.IsPending(ctx, p.Hash)
			return chainclient.PendingResult{Pending: ok}, err
		}),
		chainclient.MethodEvents: query(chainclient.MethodEvents, true, func(ctx context.Context, p chainclient.EventsParams) (any, error) {
			return b.Events(ctx, p.From, p.To)
		}),
		chainclient.MethodAccountHistory: query(chainclient.MethodAccountHistory, true, func(ctx context.Context, p chainclient.HistoryParams) (any, error) {
			return b.AccountHistory(ctx, p.Address, p.Before, p.Limit)
		}),
		chainclient.MethodGenesis: query(chainclient.MethodGenesis, true, func(ctx context.Context, _ noParams) (any, error) {
			return b.Genesis(ctx)
		}),
		chainclient.MethodCheck: query(chainclient.MethodCheck, true, func(ctx context.Context, _ noParams) (any, error) {
			return ok, b.Check(ctx)
		}),
		chainclient.MethodSnapshots: query(chainclient.MethodSnapshots, true, func(ctx context.Context, _ noParams) (any, error) {
			return b.Snapshots(ctx)
		}),
		chainclient.MethodSubmit: query(chainclient.MethodSubmit, false, func(ctx context.Context, p chainclient.SubmitParams) (any, error) {
			if len(p.Tx) == 0 {
				return nil, fmt.Errorf("%w: submit needs \"tx\": the signed transaction as 0x-prefixed hex", chainclient.ErrBadRequest)
			}
			if err := s.requireTokenForSudo(ctx, p.Tx); err != nil {
				return nil, err
			}
			h, err := b.Submit(ctx, p.Tx)
			return chainclient.HashResult{Hash: h}, err
		}),
		chainclient.MethodSubmitBatch: s.submitBatchMethod(),
		chainclient.MethodWaitTx: s.waitMethod(func(ctx context.Context, raw []byte) (any, error) {
			p, err := DecodeParams[chainclient.HashParams](chainclient.MethodWaitTx, raw)
			if err != nil {
				return nil, err
			}
			ctx, cancel := s.waitCtx(ctx, p.TimeoutMs)
			defer cancel()
			info, err := b.WaitTx(ctx, p.Hash)
			return info, s.shuttingDown(err)
		}),
		chainclient.MethodSubmitAndWait: s.waitMethod(func(ctx context.Context, raw []byte) (any, error) {
			p, err := DecodeParams[chainclient.SubmitParams](chainclient.MethodSubmitAndWait, raw)
			if err != nil {
				return nil, err
			}
			if len(p.Tx) == 0 {
				return nil, fmt.Errorf("%w: submit_and_wait needs \"tx\": the signed transaction as 0x-prefixed hex", chainclient.ErrBadRequest)
			}
			if err := s.requireTokenForSudo(ctx, p.Tx); err != nil {
				return nil, err
			}
			ctx, cancel := s.waitCtx(ctx, p.TimeoutMs)
			defer cancel()
			info, err := b.SubmitAndWait(ctx, p.Tx)
			return info, s.shuttingDown(err)
		}),
		chainclient.MethodPause: query(chainclient.MethodPause, false, func(ctx context.Context, _ noParams) (any, error) {
			return ok, b.Pause(ctx)
		}),
		chainclient.MethodResume: query(chainclient.MethodResume, false, func(ctx context.Context, _ noParams) (any, error) {
			return ok, b.Resume(ctx)
		}),
		chainclient.MethodSnapshot: query(chainclient.MethodSnapshot, false, func(ctx context.Context, p chainclient.NameParams) (any, error) {
			return b.Snapshot(ctx, p.Name)
		}),
		chainclient.MethodRestore: query(chainclient.MethodRestore, false, func(ctx context.Context, p chainclient.NameParams) (any, error) {
			return b.Restore(ctx, p.Name)
		}),
		chainclient.MethodReset: query(chainclient.MethodReset, false, func(ctx context.Context, p chainclient.ResetParams) (any, error) {
			return b.Reset(ctx, p.Genesis)
		}),
		chainclient.MethodAdvance: s.advanceMethod(),
	}
	s.addModuleMethods(m)
	return m
}

func (s *Server) waitMethod(call func(ctx context.Context, raw []byte) (any, error)) method {
	return method{extraTime: s.opts.MaxWait, call: call}
}

// ClampWait turns a timeout_ms parameter into a wait: 0 or anything at or above maxWait (up to
// 2^64-1, without overflow) is maxWait.
func ClampWait(timeoutMs uint64, maxWait time.Duration) time.Duration {
	if timeoutMs == 0 || timeoutMs >= uint64(maxWait/time.Millisecond) {
		return maxWait
	}
	return time.Duration(timeoutMs) * time.Millisecond
}

// waitCtx bounds a wait by the request's timeout_ms and MaxWait.
func (s *Server) waitCtx(ctx context.Context, timeoutMs uint64) (context.Context, context.CancelFunc) {
	d := ClampWait(timeoutMs, s.opts.MaxWait)
	ctx, cancel := context.WithTimeout(ctx, d)
	// Shutdown ends waits at once instead of letting them hold it up.
	stop := context.AfterFunc(s.closingCtx, cancel)
	return ctx, func() { stop(); cancel() }
}

// shuttingDown replaces the error of a wait that Shutdown cut short.
func (s *Server) shuttingDown(err error) error {
	if err != nil && s.isClosing() && errors.Is(err, context.Canceled) {
		return fmt.Errorf("node is shutting down: %w", protocol.ErrClosed)
	}
	return err
}

func (s *Server) submitBatchMethod() method {
	name := chainclient.MethodSubmitBatch
	return method{maxBody: s.opts.MaxBatchBytes, call: func(ctx context.Context, raw []byte) (any, error) {
		p, err := DecodeParams[chainclient.SubmitBatchParams](name, raw)
		if err != nil {
			return nil, err
		}
		if len(p.Txs) > s.opts.MaxBatchTxs {
			return nil, fmt.Errorf("%w: submit_batch holds %d transactions, the limit is %d: split it", chainclient.ErrBadRequest, len(p.Txs), s.opts.MaxBatchTxs)
		}
		txs := make([][]byte, len(p.Txs))
		for i, t := range p.Txs {
			txs[i] = t
		}
		if err := s.requireTokenForSudo(ctx, txs...); err != nil {
			return nil, err
		}
		res, err := s.backend.SubmitBatch(ctx, txs)
		if err != nil {
			return nil, err
		}
		out := chainclient.SubmitBatchResult{Results: make([]chainclient.BatchResult, len(res))}
		for i, r := range res {
			out.Results[i].Hash = r.Hash
			if r.Err != nil {
				_, ae := chainclient.ErrorToAPI(r.Err)
				out.Results[i].Error = &ae
			}
		}
		return out, nil
	}}
}

// advanceMethod serves advance as plain JSON or, for Accept: text/event-stream, as progress
// events followed by the result. Shutdown stops an advance after the blocks in progress.
func (s *Server) advanceMethod() method {
	name := chainclient.MethodAdvance
	params := func(raw []byte) (chainclient.AdvanceParams, error) {
		p, err := DecodeParams[chainclient.AdvanceParams](name, raw)
		if err == nil && p.N > s.opts.MaxAdvance {
			err = fmt.Errorf("%w: advance of %d blocks is over the limit of %d blocks per call: advance in steps of at most %d",
				chainclient.ErrBadRequest, p.N, s.opts.MaxAdvance, s.opts.MaxAdvance)
		}
		return p, err
	}
	run := func(ctx context.Context, raw []byte, progress func(done, total uint64)) (any, error) {
		p, err := params(raw)
		if err != nil {
			return nil, err
		}
		ctx, stop := context.WithCancel(ctx)
		defer stop()
		go func() {
			select {
			case <-s.closing:
				stop()
			case <-ctx.Done():
			}
		}()
		return s.backend.Advance(ctx, p.N, progress)
	}
	return method{
		extraTime: 10 * time.Minute,
		call: func(ctx context.Context, raw []byte) (any, error) {
			return run(ctx, raw, nil)
		},
		stream: func(w http.ResponseWriter, r *http.Request, raw []byte) {
			if _, err := params(raw); err != nil {
				s.writeErr(w, err) // a plain 400, before the stream starts
				return
			}
			rc := http.NewResponseController(w)
			sseHeaders(w)
			w.WriteHeader(http.StatusOK)
			_ = rc.Flush()
			var last time.Time
			res, err := run(r.Context(), raw, func(done, total uint64) {
				if done != total && time.Since(last) < 50*time.Millisecond {
					return
				}
				last = time.Now()
				data, _ := json.Marshal(chainclient.Progress{Done: done, Total: total})
				_ = rc.SetWriteDeadline(time.Now().Add(s.opts.SubscriberWriteTimeout))
				_ = chainclient.WriteSSE(w, "", chainclient.EventProgress, data)
				_ = rc.Flush()
			})
			_ = rc.SetWriteDeadline(time.Now().Add(s.opts.SubscriberWriteTimeout))
			if err != nil {
				_, ae := chainclient.ErrorToAPI(err)
				data, _ := json.Marshal(ae)
				_ = chainclient.WriteSSE(w, "", chainclient.EventError, data)
			} else {
				data, _ := json.Marshal(res)
				_ = chainclient.WriteSSE(w, "", chainclient.EventResult, data)
			}
			_ = rc.Flush()
		},
	}
}

func sseHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
}

// subscribe serves GET /v1/subscribe as server-sent events: one "head" event per block, id =
// height. ?from=N starts at height N (earlier heads from storage); Last-Event-ID resumes after
// that height. A subscriber that cannot take an event within SubscriberWriteTimeout is
// dropped; one that is merely slow lags (its missed heads are read back from storage), and
// block production never waits for it.
func (s *Server) subscribe(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		methodNotAllowed(w, "GET")
		return
	}
	if s.isClosing() {
		writeError(w, http.StatusServiceUnavailable, chainclient.APIError{Kind: chainclient.KindUnavailable, Message: "node is shutting down"})
		return
	}
	var from uint64
	fromGenesis := false
	if r.URL.Query().Has("from") {
		v := r.URL.Query().Get("from")
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, chainclient.APIError{Kind: chainclient.KindBadRequest, Message: fmt.Sprintf("from=%q is not a block height", v)})
			return
		}
		from = n
		// from=0 is the genesis block: it is sent first, then the stream continues at 1 (a
		// backend's From 0 would mean "only new heads").
		fromGenesis = n == 0
	}
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, chainclient.APIError{Kind: chainclient.KindBadRequest, Message: fmt.Sprintf("Last-Event-ID %q is not a block height", v)})
			return
		}
		from = n + 1
		fromGenesis = false
	}
	if fromGenesis {
		from = 1
	}
	if s.nsubs.Add(1) > int64(s.opts.MaxSubscribers) {
		s.nsubs.Add(-1)
		busy(w, fmt.Sprintf("the node serves at most %d subscriptions", s.opts.MaxSubscribers), 1)
		return
	}
	defer s.nsubs.Add(-1)
	ctx := r.Context()
	sub, err := s.backend.Subscribe(ctx, chainclient.SubscribeOptions{From: from, Buffer: s.opts.SubscriberBuffer})
	if err != nil {
		s.writeErr(w, err)
		return
	}
	defer sub.Cancel()
	rc := http.NewResponseController(w)
	sseHeaders(w)
	w.WriteHeader(http.StatusOK)
	if err := rc.Flush(); err != nil {
		return
	}
	keep := time.NewTicker(s.opts.KeepAlive)
	defer keep.Stop()
	write := func(f func() error) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(s.opts.SubscriberWriteTimeout))
		if err := f(); err != nil {
			s.opts.Logger.Warn("subscriber dropped", "remote", r.RemoteAddr, "error", err)
			return false
		}
		if err := rc.Flush(); err != nil {
			s.opts.Logger.Warn("subscriber dropped", "remote", r.RemoteAddr, "error", err)
			return false
		}
		return true
	}
	if fromGenesis {
		ev, err := s.genesisHead(ctx)
		if err != nil {
			_, ae := chainclient.ErrorToAPI(err)
			data, _ := json.Marshal(ae)
			write(func() error { return chainclient.WriteSSE(w, "", chainclient.EventClose, data) })
			return
		}
		data, _ := json.Marshal(ev)
		if !write(func() error { return chainclient.WriteSSE(w, "0", chainclient.EventHead, data) }) {
			return
		}
	}
	for {
		select {
		case <-s.closing:
			data, _ := json.Marshal(chainclient.APIError{Kind: chainclient.KindUnavailable, Message: "node is shutting down"})
			write(func() error { return chainclient.WriteSSE(w, "", chainclient.EventClose, data) })
			return
		case <-ctx.Done():
			return
		case <-keep.C:
			if !write(func() error { _, err := io.WriteString(w, ": ping\n\n"); return err }) {
				return
			}
		case ev, ok := <-sub.C:
			if !ok {
				err := sub.Err()
				if err == nil {
					err = protocol.ErrClosed
				}
				_, ae := chainclient.ErrorToAPI(err)
				data, _ := json.Marshal(ae)
				write(func() error { return chainclient.WriteSSE(w, "", chainclient.EventClose, data) })
				return
			}
			data, err := s.marshalHead(&ev)
			if err != nil {
				s.opts.Logger.Error("encode head", "error", err)
				return
			}
			id := strconv.FormatUint(ev.Header.Height, 10)
			if !write(func() error { return chainclient.WriteSSE(w, id, chainclient.EventHead, data) }) {
				return
			}
		}
	}
}

// genesisHead is the head event of block 0, for a subscription from=0.
func (s *Server) genesisHead(ctx context.Context) (protocol.HeadEvent, error) {
	hdrs, err := s.backend.Blocks(ctx, 0, 1)
	if err != nil {
		return protocol.HeadEvent{}, err
	}
	if len(hdrs) == 0 || hdrs[0].Height != 0 {
		return protocol.HeadEvent{}, fmt.Errorf("genesis block: %w", protocol.ErrNotFound)
	}
	evs, err := s.backend.Events(ctx, 0, 0)
	if err != nil {
		return protocol.HeadEvent{}, err
	}
	if evs == nil {
		evs = []protocol.Event{}
	}
	return protocol.HeadEvent{Header: hdrs[0], Events: evs}, nil
}
