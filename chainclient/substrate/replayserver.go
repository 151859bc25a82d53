package substrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/coder/websocket"
)

// ReplayHandler serves a Replay as a websocket JSON-RPC node, so that a whole program (btui
// --network ws://127.0.0.1:PORT …) can run against recorded traffic on loopback. Calls are
// answered from the replay (an unrecorded one gets JSON-RPC error -32601 naming it, and is
// reported to the replay's OnUnrecorded). A subscription scripted with AddSubscription is
// accepted and delivers its notifications, then stays open as a node's would (its
// unsubscribe call answers true); any other subscription is refused like an unrecorded call.
func ReplayHandler(r *Replay) http.Handler {
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
			if note, ok := notificationMethod[in.Method]; ok {
				if notes, ok := r.scripted(in.Method, in.Params); ok {
					nsubs++
					id := fmt.Sprintf("replay-%d", nsubs)
					out["result"] = id
					if !send(out) {
						return
					}
					for _, n := range notes {
						if !send(map[string]any{"jsonrpc": "2.0", "method": note, "params": map[string]any{"subscription": id, "result": n}}) {
							return
						}
					}
					continue
				}
			}
			if unsubscribeMethods[in.Method] {
				out["result"] = true
				if !send(out) {
					return
				}
				continue
			}
			res, err := r.Call(ctx, in.Method, in.Params...)
			var rpcErr *RPCError
			switch {
			case err == nil:
				out["result"] = res
			case errors.As(err, &rpcErr):
				out["error"] = rpcErr
			default:
				out["error"] = &RPCError{Code: -32601, Message: err.Error()}
			}
			if !send(out) {
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
