package substrate

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
)

// Recording is recorded node traffic: method -> params (the JSON text of the params array as it
// was sent) -> the JSON-RPC response object ({"result": …} or {"error": …}; a
// {"__cycle__": [r1, r2, …]} response was answered in turn, repeating).
type Recording map[string]map[string]json.RawMessage

// LoadRecordings reads a file of recordings keyed by name ({seed: Recording}); a name ending in
// .gz is gunzipped.
func LoadRecordings(path string) (map[string]Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	var out map[string]Recording
	if err := json.NewDecoder(r).Decode(&out); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// ErrUnrecorded is returned by Replay for a request the recordings do not hold.
var ErrUnrecorded = errors.New("substrate: request not in the recordings")

// Replay is a Transport that answers from recordings: a request is answered only when its
// method and params were recorded (hex strings compare without their 0x prefix and case; a
// trailing block-hash param matches a recording made with null or without it, and a trailing
// null matches a recording made without it or the single recording of that method with a
// block hash). Any other request fails with
// ErrUnrecorded naming it, and is reported to OnUnrecorded (a test passes t.Errorf) so a test
// cannot pass by swallowing the error.
type Replay struct {
	mu      sync.Mutex
	entries map[string]map[string]*replayEntry // method -> canonical params -> answer
	// OnUnrecorded, if set, is called with a message naming each unrecorded request.
	OnUnrecorded func(format string, args ...any)
	calls        []string
	subs         map[string][]json.RawMessage
}

type replayEntry struct {
	params  []any
	answers []json.RawMessage
	next    int
}

// CollectUnrecorded replaces OnUnrecorded with a list the test checks itself (a test about
// what the recordings lack): the returned function gives the requests reported so far. Reports
// may come from the replay server's goroutines.
func (r *Replay) CollectUnrecorded() func() []string {
	var mu sync.Mutex
	var reported []string
	r.OnUnrecorded = func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, fmt.Sprintf(format, args...))
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), reported...)
	}
}

// NewReplay builds a replay over the given recordings (later ones win on identical requests).
func NewReplay(recs ...Recording) (*Replay, error) {
	r := &Replay{entries: map[string]map[string]*replayEntry{}}
	for _, rec := range recs {
		for method, byParams := range rec {
			for ptext, resp := range byParams {
				var params []any
				dec := json.NewDecoder(strings.NewReader(ptext))
				dec.UseNumber()
				if err := dec.Decode(&params); err != nil {
					return nil, fmt.Errorf("recording %s %s: params are not a JSON array: %w", method, ptext, err)
				}
				answers := []json.RawMessage{resp}
				var cyc struct {
					Cycle []json.RawMessage `json:"__cycle__"`
				}
				if json.Unmarshal(resp, &cyc) == nil && len(cyc.Cycle) > 0 {
					answers = cyc.Cycle
				}
				r.put(method, params, answers)
			}
		}
	}
	return r, nil
}

func (r *Replay) put(method string, params []any, answers []json.RawMessage) {
	params = canonParams(params)
	m := r.entries[method]
	if m == nil {
		m = map[string]*replayEntry{}
		r.entries[method] = m
	}
	m[paramsKey(params)] = &replayEntry{params: params, answers: answers}
}

// Add records one more answer: result is marshalled as the response's "result".
func (r *Replay) Add(method string, params []any, result any) error {
	raw, err := json.Marshal(map[string]any{"result": result})
	if err != nil {
		return err
	}
	var p []any
	b, _ := json.Marshal(params)
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.put(method, p, []json.RawMessage{raw})
	return nil
}

// Calls lists the requests served so far ("method params"), in order.
func (r *Replay) Calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// canonParams makes hex strings comparable: "0x" prefix dropped, lower case.
func canonParams(params []any) []any {
	out := make([]any, len(params))
	for i, p := range params {
		switch v := p.(type) {
		case string:
			if strings.HasPrefix(v, "0x") || strings.HasPrefix(v, "0X") {
				v = strings.ToLower(v[2:])
			}
			out[i] = v
		case []any:
			out[i] = canonParams(v)
		default:
			out[i] = v
		}
	}
	return out
}

func paramsKey(params []any) string {
	b, _ := json.Marshal(params)
	return string(b)
}

func isBlockHash(v any) bool {
	s, ok := v.(string)
	return ok && len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}

// lookup finds the entry for a request.
func (r *Replay) lookup(method string, params []any) *replayEntry {
	m := r.entries[method]
	if m == nil {
		return nil
	}
	if e := m[paramsKey(params)]; e != nil {
		return e
	}
	n := len(params)
	// A trailing hash also matches a recording made with null (= head) or without it.
	if n > 0 && isBlockHash(params[n-1]) {
		alt := append(append([]any(nil), params[:n-1]...), nil)
		if e := m[paramsKey(alt)]; e != nil {
			return e
		}
		if e := m[paramsKey(params[:n-1])]; e != nil {
			return e
		}
	}
	// A trailing null (or a missing block param) matches a recording made without it (both
	// mean the head), or the one recording made at a hash.
	base := params
	if n > 0 && params[n-1] == nil {
		base = params[:n-1]
		if e := m[paramsKey(base)]; e != nil {
			return e
		}
	}
	var found *replayEntry
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		e := m[k]
		if len(e.params) == len(base)+1 && isBlockHash(e.params[len(base)]) && paramsKey(e.params[:len(base)]) == paramsKey(base) {
			if found != nil {
				return nil // ambiguous: the test must add the answer it means
			}
			found = e
		}
	}
	return found
}

// Call implements Transport.
func (r *Replay) Call(_ context.Context, method string, params ...any) (json.RawMessage, error) {
	b, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("%s: encode params: %w", method, err)
	}
	var p []any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	p = canonParams(p)
	r.mu.Lock()
	e := r.lookup(method, p)
	r.calls = append(r.calls, method+" "+string(b))
	var resp json.RawMessage
	if e != nil {
		resp = e.answers[e.next%len(e.answers)]
		e.next++
	}
	report := r.OnUnrecorded
	r.mu.Unlock()
	if e == nil {
		msg := fmt.Sprintf("unrecorded request %s %s", method, abbreviate(string(b)))
		if report != nil {
			report("%s", msg)
		}
		return nil, fmt.Errorf("%w: %s", ErrUnrecorded, msg)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
		Error  *RPCError       `json:"error"`
	}
	if err := json.Unmarshal(resp, &env); err != nil {
		return nil, fmt.Errorf("%s: recorded response is not JSON-RPC: %w", method, err)
	}
	if env.Error != nil {
		return nil, fmt.Errorf("%s: %w", method, env.Error)
	}
	return env.Result, nil
}

func abbreviate(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// AddSubscription scripts the notifications a subscription method delivers (recordings hold
// none): each Subscribe to method delivers them in order, then ends with a nil Err.
func (r *Replay) AddSubscription(method string, notifications ...json.RawMessage) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.subs == nil {
		r.subs = map[string][]json.RawMessage{}
	}
	r.subs[method] = notifications
}

// scripted returns the notifications scripted for a subscription method, and records the
// subscription among the calls.
func (r *Replay) scripted(method string, params []any) ([]json.RawMessage, bool) {
	b, _ := json.Marshal(params)
	r.mu.Lock()
	defer r.mu.Unlock()
	notes, ok := r.subs[method]
	r.calls = append(r.calls, method+" "+string(b))
	return notes, ok
}

// Subscribe implements Transport: a method scripted with AddSubscription delivers its
// notifications; any other subscription is unrecorded.
func (r *Replay) Subscribe(_ context.Context, method, unsub string, params ...any) (*Subscription, error) {
	notes, ok := r.scripted(method, params)
	if ok {
		s := newSubscription(method, unsub, params, false)
		s.ch = make(chan json.RawMessage, len(notes))
		s.C = s.ch
		for _, n := range notes {
			s.ch <- n
		}
		s.end(nil)
		return s, nil
	}
	b, _ := json.Marshal(params)
	msg := fmt.Sprintf("unrecorded subscription %s %s", method, abbreviate(string(b)))
	r.mu.Lock()
	report := r.OnUnrecorded
	r.mu.Unlock()
	if report != nil {
		report("%s", msg)
	}
	return nil, fmt.Errorf("%w: %s", ErrUnrecorded, msg)
}

// Close implements Transport.
func (r *Replay) Close() error { return nil }

var _ Transport = (*Replay)(nil)
