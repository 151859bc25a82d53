package substrate

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/coder/websocket"
)

// ReplayHandler serves a Replay as a websocket JSON-RPC node, so that a whole program (btui
// --network ws://127.0.0.1:PORT …) can run against recorded traffic on loopback. Calls are
// answered from the replay (an unrecorded one gets JSON-RPC error -32601 naming it, and is
// reported to the replay's OnUnrecorded); subscriptions are refused the same way.
func ReplayHandler(r *Replay) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		c, err := websocket.Accept(w, req, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(1 << 20)
		ctx := context.Background()
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
			res, err := r.Call(ctx, in.Method, in.Params...)
			var rpcErr *RPCError
			switch {
			case err == nil:
				out["result"] = res
			case asRPCError(err, &rpcErr):
				out["error"] = rpcErr
			default:
				out["error"] = &RPCError{Code: -32601, Message: err.Error()}
			}
			b, _ := json.Marshal(out)
			if c.Write(ctx, websocket.MessageText, b) != nil {
				return
			}
		}
	})
}

func asRPCError(err error, target **RPCError) bool {
	for err != nil {
		if e, ok := err.(*RPCError); ok {
			*target = e
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}
