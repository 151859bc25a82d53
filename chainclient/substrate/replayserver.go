package substrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/coder/websocket"
)

// ReplayHandler serves a Replay as a websocket JSON-RPC node, so that a whole program (btui
// --network ws://127.0.0.1:PORT …) can run against recorded traffic on loopback. Calls are
// answered from the replay (an unrecorded one gets JSON-RPC error -32601 naming it, and is
// reported to the replay's OnUnrecorded). A subscription scripted with AddSubscription is
// accepted and delivers its notifications, then stays open as a node's would (its
// unsubscribe call answers true); any other subscription is refused like an unrecorded call.
func ReplayHandler(r *Replay) http.Handler { return ReplayHandlerHook(r, nil) }

// ReplayHook answers a request on one connection of a ReplayHandlerHook before the replay is
// consulted; params are the request's, as encoding/json decodes them into []any. It returns
// handled false to leave the request to the replay (recorded answers, scripted
// subscriptions, unsubscriptions, as ReplayHandler serves them); otherwise the request is
// answered with rpcErr if it is not nil, else with result (marshalled as the response's
// "result"). Through conn it can push subscription notifications to that connection
// (ReplayConn.Notify). This is for what recordings cannot express: answers that depend on
// what was sent, such as a submission's id and the notifications that follow it.
//
// A connection's requests reach the hook one at a time, in order; different connections
// call it concurrently, so state the hook shares between them needs a lock.
type ReplayHook func(conn *ReplayConn, method string, params []any) (result any, rpcErr *RPCError, handled bool)

// ReplayConn is one websocket connection of a ReplayHandlerHook, as its hook sees it.
type ReplayConn struct {
	ctx context.Context
	ws  *websocket.Conn

	mu       sync.Mutex // serialises Notify with the flush of a request's notifications
	answered bool       // false from a request's arrival until its answer is sent: Notify queues
	pending  [][]byte
}

// Notify pushes the notification {"method": method, "params": {"subscription":
// subscription, "result": result}} to the connection. Pushed while a request is being
// answered (from the hook, typically), it is queued and sent, in the order pushed, right
// after that request's answer, whichever of the hook or the replay gave it: a subscription's
// notifications never precede its id. Pushed at any other time (from another goroutine,
// after the hook returned) it is sent at once. It fails once the connection is closed, or if
// result does not marshal.
func (c *ReplayConn) Notify(method, subscription string, result any) error {
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": map[string]any{"subscription": subscription, "result": result}})
	if err != nil {
		return fmt.Errorf("notify %s: %w", method, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.answered {
		c.pending = append(c.pending, b)
		return nil
	}
	return c.ws.Write(c.ctx, websocket.MessageText, b)
}

// begin starts a request: what Notify pushes from now on waits for its answer.
func (c *ReplayConn) begin() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.answered = false
}

// flush ends a request whose answer has been sent (sent false: it could not be): the
// notifications pushed meanwhile go out in order, and later ones go out at once. It reports
// whether the connection is still writable.
func (c *ReplayConn) flush(sent bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.answered = true
	pending := c.pending
	c.pending = nil
	if !sent {
		return false
	}
	for _, b := range pending {
		if c.ws.Write(c.ctx, websocket.MessageText, b) != nil {
			return false
		}
	}
	return true
}

// ReplayHandlerHook is ReplayHandler with a hook that sees every request first; with a nil
// hook it is exactly ReplayHandler.
func ReplayHandlerHook(r *Replay, hook ReplayHook) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		c, err := websocket.Accept(w, req, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(1 << 20)
		ctx := context.Background()
		send := func(v any) bool {
			b, _ := json.Marshal(v)
			return c.Write(ctx, websocket.MessageText, b) == nil
		}
		nsubs := 0
		// replay answers a request from the replay; it reports whether the connection is
		// still writable.
		replay := func(out map[string]any, method string, params []any) bool {
			if note, ok := notificationMethod[method]; ok {
				if notes, ok := r.scripted(method, params); ok {
					nsubs++
					id := fmt.Sprintf("replay-%d", nsubs)
					out["result"] = id
					if !send(out) {
						return false
					}
					for _, n := range notes {
						if !send(map[string]any{"jsonrpc": "2.0", "method": note, "params": map[string]any{"subscription": id, "result": n}}) {
							return false
						}
					}
					return true
				}
			}
			if unsubscribeMethods[method] {
				out["result"] = true
				return send(out)
			}
			res, err := r.Call(ctx, method, params...)
			var rpcErr *RPCError
			switch {
			case err == nil:
				out["result"] = res
			case errors.As(err, &rpcErr):
				out["error"] = rpcErr
			default:
				out["error"] = &RPCError{Code: -32601, Message: err.Error()}
			}
			return send(out)
		}
		conn := &ReplayConn{ctx: ctx, ws: c, answered: true}
		for {
			_, data, err := c.Read(ctx)
			if err != nil {
				return
			}
			var in struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
				Params []any           `json:"params"`
			}
			if json.Unmarshal(data, &in) != nil {
				return
			}
			out := map[string]any{"jsonrpc": "2.0", "id": in.ID}
			if hook == nil {
				if !replay(out, in.Method, in.Params) {
					return
				}
				continue
			}
			conn.begin()
			res, rpcErr, handled := hook(conn, in.Method, in.Params)
			var sent bool
			switch {
			case !handled:
				sent = replay(out, in.Method, in.Params)
			case rpcErr != nil:
				out["error"] = rpcErr
				sent = send(out)
			default:
				out["result"] = res
				sent = send(out)
			}
			if !conn.flush(sent) {
				return
			}
		}
	})
}

// notificationMethod is the notification method of each subscription a replay can script.
var notificationMethod = map[string]string{
	"chain_subscribeNewHeads":        "chain_newHead",
	"chain_subscribeFinalizedHeads":  "chain_finalizedHead",
	"chain_subscribeAllHeads":        "chain_allHead",
	"author_submitAndWatchExtrinsic": "author_extrinsicUpdate",
	"state_subscribeRuntimeVersion":  "state_runtimeVersion",
}

var unsubscribeMethods = map[string]bool{"chain_unsubscribeNewHeads": true, "chain_unsubscribeFinalizedHeads": true,
	"chain_unsubscribeAllHeads": true, "author_unwatchExtrinsic": true, "state_unsubscribeRuntimeVersion": true}
