package substrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/coder/websocket"
)

// Transport carries JSON-RPC 2.0 requests to a Substrate node. WS is the real one; Replay
// answers from recorded traffic for tests.
type Transport interface {
	// Call sends one request and returns its raw "result" (or an *RPCError).
	Call(ctx context.Context, method string, params ...any) (json.RawMessage, error)
	// Subscribe starts a subscription (e.g. chain_subscribeNewHeads, whose unsubscribe method
	// is chain_unsubscribeNewHeads) and delivers each notification's "result".
	Subscribe(ctx context.Context, method, unsubscribe string, params ...any) (*Subscription, error)
	// Close ends every call and subscription.
	Close() error
}

// RPCError is an error object returned by the node.
type RPCError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *RPCError) Error() string {
	msg := fmt.Sprintf("node error %d: %s", e.Code, e.Message)
	if len(e.Data) > 0 && string(e.Data) != "null" {
		var s string
		if json.Unmarshal(e.Data, &s) == nil {
			msg += ": " + s
		} else {
			msg += ": " + string(e.Data)
		}
	}
	return msg
}

// ErrConnectionLost ends calls that were in flight when the socket dropped (the transport
// reconnects by itself; a read may be retried, a submission must not be blindly resent) and
// subscriptions that cannot be resumed (watching an extrinsic).
var ErrConnectionLost = errors.New("substrate: connection to the node lost")

// ErrClosed is returned after Close.
var ErrClosed = errors.New("substrate: transport closed")

// ErrSlowConsumer ends a subscription whose reader fell more than its buffer behind.
var ErrSlowConsumer = errors.New("substrate: subscription reader too slow; notifications would be lost")

// Subscription delivers the notifications of one subscription on C, which is closed when the
// subscription ends; Err then says why (nil after Unsubscribe).
type Subscription struct {
	C <-chan json.RawMessage

	ch        chan json.RawMessage
	once      sync.Once
	mu        sync.Mutex
	err       error
	unsub     func()
	method    string
	unsubName string
	params    []any
	resumable bool

	// dedupe: digests of the last notifications delivered, so a resubscription that
	// re-sends the current head does not deliver it twice.
	seen    map[uint64]struct{}
	seenLog []uint64
}

const subBuffer = 1024
const dedupeWindow = 256

func newSubscription(method, unsub string, params []any, resumable bool) *Subscription {
	s := &Subscription{ch: make(chan json.RawMessage, subBuffer), method: method, unsubName: unsub, params: params, resumable: resumable}
	s.C = s.ch
	if resumable {
		s.seen = make(map[uint64]struct{})
	}
	return s
}

// Err is why the subscription ended (nil while it runs or after Unsubscribe).
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Unsubscribe ends the subscription and closes C.
func (s *Subscription) Unsubscribe() {
	if s.unsub != nil {
		s.unsub()
	}
	s.end(nil)
}

func (s *Subscription) end(err error) {
	s.once.Do(func() {
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(s.ch)
	})
}

// deliver queues one notification; it reports false when the subscription had to end.
func (s *Subscription) deliver(msg json.RawMessage) bool {
	if s.seen != nil {
		h := xxhash.Sum64(msg)
		if _, dup := s.seen[h]; dup {
			return true
		}
		s.seen[h] = struct{}{}
		s.seenLog = append(s.seenLog, h)
		if len(s.seenLog) > dedupeWindow {
			delete(s.seen, s.seenLog[0])
			s.seenLog = s.seenLog[1:]
		}
	}
	select {
	case s.ch <- msg:
		return true
	default:
		s.end(ErrSlowConsumer)
		return false
	}
}

// WSOptions tunes a websocket transport. Zero values take the defaults.
type WSOptions struct {
	// ReadLimit caps one message (default 64 MiB: metadata alone is ~600 KB of hex and
	// metagraph answers reach several MB).
	ReadLimit int64
	// MinBackoff and MaxBackoff bound the reconnect delay, which doubles from MinBackoff
	// (default 250 ms) up to MaxBackoff (default 10 s).
	MinBackoff, MaxBackoff time.Duration
	// HTTPHeader is sent with the upgrade request.
	HTTPHeader http.Header
	// HTTPClient dials (default http.DefaultClient).
	HTTPClient *http.Client
}

func (o *WSOptions) fill() {
	if o.ReadLimit <= 0 {
		o.ReadLimit = 64 << 20
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 250 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 10 * time.Second
	}
}

// WS is JSON-RPC 2.0 over one websocket: calls are multiplexed by id, subscriptions share the
// socket, and a dropped socket is redialled with exponential backoff. On reconnect every
// resumable subscription (new heads, finalized heads, runtime version) is issued again and
// notifications already delivered are not delivered twice; calls in flight fail with
// ErrConnectionLost, and extrinsic watches end with it (resubscribing would resubmit).
type WS struct {
	url  string
	opts WSOptions

	mu        sync.Mutex
	conn      *websocket.Conn
	up        chan struct{} // closed while conn is usable
	nextID    uint64
	pending   map[uint64]*pendingCall
	subs      map[*Subscription]string // subscription -> server id ("" while (re)subscribing)
	byServer  map[string]*Subscription
	closed    bool
	closeCh   chan struct{}
	reconnect int // number of reconnects so far (for tests and diagnostics)
}

type pendingCall struct {
	ch  chan rpcResponse
	sub *Subscription // set for subscribe requests: the reader maps the id before the next message
}

type rpcResponse struct {
	result json.RawMessage
	err    error
}

type envelope struct {
	ID     *uint64         `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *RPCError       `json:"error"`
	Method string          `json:"method"`
	Params *struct {
		Subscription json.RawMessage `json:"subscription"`
		Result       json.RawMessage `json:"result"`
	} `json:"params"`
}

// DialWS connects to url (ws:// or wss://) and keeps the connection up until Close.
func DialWS(ctx context.Context, url string, opts WSOptions) (*WS, error) {
	opts.fill()
	w := &WS{url: url, opts: opts, up: make(chan struct{}), pending: map[uint64]*pendingCall{},
		subs: map[*Subscription]string{}, byServer: map[string]*Subscription{}, closeCh: make(chan struct{})}
	c, err := w.dial(ctx)
	if err != nil {
		return nil, err
	}
	w.attach(c)
	return w, nil
}

// Reconnects is how many times the socket was redialled.
func (w *WS) Reconnects() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.reconnect
}

func (w *WS) dial(ctx context.Context) (*websocket.Conn, error) {
	c, _, err := websocket.Dial(ctx, w.url, &websocket.DialOptions{HTTPHeader: w.opts.HTTPHeader, HTTPClient: w.opts.HTTPClient})
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", w.url, err)
	}
	c.SetReadLimit(w.opts.ReadLimit)
	return c, nil
}

// attach makes c the live connection and starts its reader.
func (w *WS) attach(c *websocket.Conn) {
	w.mu.Lock()
	w.conn = c
	close(w.up)
	w.mu.Unlock()
	go w.read(c)
}

func (w *WS) read(c *websocket.Conn) {
	for {
		_, data, err := c.Read(context.Background())
		if err != nil {
			w.dropped(c)
			return
		}
		var env envelope
		if json.Unmarshal(data, &env) != nil {
			continue // not JSON-RPC: ignore, as a node never sends it
		}
		switch {
		case env.ID != nil:
			w.mu.Lock()
			p := w.pending[*env.ID]
			delete(w.pending, *env.ID)
			if p != nil && p.sub != nil && env.Error == nil {
				id := subID(env.Result)
				if _, live := w.subs[p.sub]; live {
					w.subs[p.sub] = id
					w.byServer[id] = p.sub
				}
			}
			w.mu.Unlock()
			if p != nil {
				if env.Error != nil {
					p.ch <- rpcResponse{err: env.Error}
				} else {
					p.ch <- rpcResponse{result: env.Result}
				}
			}
		case env.Method != "" && env.Params != nil:
			id := subID(env.Params.Subscription)
			w.mu.Lock()
			s := w.byServer[id]
			if s != nil && !s.deliver(env.Params.Result) {
				delete(w.byServer, id)
				delete(w.subs, s)
			}
			w.mu.Unlock()
		}
	}
}

// subID normalises a subscription id (a string on current nodes, a number on old ones).
func subID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// dropped fails what was in flight and starts redialling.
func (w *WS) dropped(c *websocket.Conn) {
	w.mu.Lock()
	if w.conn != c {
		w.mu.Unlock()
		return
	}
	w.conn = nil
	w.up = make(chan struct{})
	for id, p := range w.pending {
		delete(w.pending, id)
		p.ch <- rpcResponse{err: ErrConnectionLost}
	}
	clear(w.byServer)
	for s := range w.subs {
		if !s.resumable {
			delete(w.subs, s)
			s.end(fmt.Errorf("%w while watching %s; it may still be included: look for it in the next blocks", ErrConnectionLost, s.method))
			continue
		}
		w.subs[s] = ""
	}
	closed := w.closed
	w.mu.Unlock()
	_ = c.CloseNow()
	if !closed {
		go w.redial()
	}
}

func (w *WS) redial() {
	delay := w.opts.MinBackoff
	for {
		select {
		case <-w.closeCh:
			return
		case <-time.After(delay):
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		c, err := w.dial(ctx)
		cancel()
		if err == nil {
			w.mu.Lock()
			if w.closed {
				w.mu.Unlock()
				_ = c.CloseNow()
				return
			}
			w.reconnect++
			w.mu.Unlock()
			w.attach(c)
			w.resubscribe()
			return
		}
		delay = min(delay*2, w.opts.MaxBackoff)
	}
}

// resubscribe issues every live resumable subscription again on the new connection.
func (w *WS) resubscribe() {
	w.mu.Lock()
	var again []*Subscription
	for s, id := range w.subs {
		if id == "" {
			again = append(again, s)
		}
	}
	w.mu.Unlock()
	for _, s := range again {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := w.request(ctx, s.method, s.params, s)
		cancel()
		if err != nil && !errors.Is(err, ErrConnectionLost) {
			w.mu.Lock()
			delete(w.subs, s)
			w.mu.Unlock()
			s.end(fmt.Errorf("resubscribe %s after reconnect: %w", s.method, err))
		}
	}
}

// request sends one request and waits for its answer.
func (w *WS) request(ctx context.Context, method string, params []any, sub *Subscription) (json.RawMessage, error) {
	if params == nil {
		params = []any{}
	}
	for {
		w.mu.Lock()
		if w.closed {
			w.mu.Unlock()
			return nil, ErrClosed
		}
		c, up := w.conn, w.up
		if c == nil {
			w.mu.Unlock()
			select {
			case <-up:
				continue
			case <-w.closeCh:
				return nil, ErrClosed
			case <-ctx.Done():
				return nil, fmt.Errorf("%s: waiting for the node to reconnect: %w", method, ctx.Err())
			}
		}
		w.nextID++
		id := w.nextID
		p := &pendingCall{ch: make(chan rpcResponse, 1), sub: sub}
		w.pending[id] = p
		w.mu.Unlock()

		msg, err := json.Marshal(struct {
			JSONRPC string `json:"jsonrpc"`
			ID      uint64 `json:"id"`
			Method  string `json:"method"`
			Params  []any  `json:"params"`
		}{"2.0", id, method, params})
		if err != nil {
			w.forget(id)
			return nil, fmt.Errorf("%s: encode params: %w", method, err)
		}
		if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
			w.forget(id)
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s: %w", method, ctx.Err())
			}
			return nil, fmt.Errorf("%s: %w", method, ErrConnectionLost)
		}
		select {
		case r := <-p.ch:
			if r.err != nil {
				return nil, fmt.Errorf("%s: %w", method, r.err)
			}
			return r.result, nil
		case <-ctx.Done():
			w.forget(id)
			return nil, fmt.Errorf("%s: %w", method, ctx.Err())
		case <-w.closeCh:
			return nil, ErrClosed
		}
	}
}

func (w *WS) forget(id uint64) {
	w.mu.Lock()
	delete(w.pending, id)
	w.mu.Unlock()
}

// Call implements Transport.
func (w *WS) Call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	return w.request(ctx, method, params, nil)
}

// resumableSubscriptions are re-issued after a reconnect; any other subscription (an extrinsic
// watch) ends with ErrConnectionLost instead.
var resumableSubscriptions = map[string]bool{
	"chain_subscribeNewHeads": true, "chain_subscribeFinalizedHeads": true, "chain_subscribeAllHeads": true,
	"state_subscribeRuntimeVersion": true, "state_subscribeStorage": true,
}

// Subscribe implements Transport.
func (w *WS) Subscribe(ctx context.Context, method, unsubscribe string, params ...any) (*Subscription, error) {
	s := newSubscription(method, unsubscribe, params, resumableSubscriptions[method])
	w.mu.Lock()
	w.subs[s] = ""
	w.mu.Unlock()
	if _, err := w.request(ctx, method, params, s); err != nil {
		w.mu.Lock()
		delete(w.subs, s)
		w.mu.Unlock()
		return nil, err
	}
	s.unsub = func() {
		w.mu.Lock()
		id, live := w.subs[s]
		delete(w.subs, s)
		delete(w.byServer, id)
		w.mu.Unlock()
		if live && id != "" && unsubscribe != "" {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, _ = w.Call(ctx, unsubscribe, id)
		}
	}
	return s, nil
}

// Close implements Transport.
func (w *WS) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	close(w.closeCh)
	c := w.conn
	subs := make([]*Subscription, 0, len(w.subs))
	for s := range w.subs {
		subs = append(subs, s)
	}
	clear(w.subs)
	w.mu.Unlock()
	for _, s := range subs {
		s.end(ErrClosed)
	}
	if c != nil {
		return c.Close(websocket.StatusNormalClosure, "")
	}
	return nil
}

var _ Transport = (*WS)(nil)

// hexParam formats bytes the way the node expects them in params.
func hexParam(b []byte) string { return "0x" + hexEncode(b) }

func hexEncode(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}
