package rpcserver

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"github.com/btui/btui/protocol"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/btui/btui/chainclient"
)

// The node's guard against browsers and other processes (docs/rpc.md, "Who may call"):
//
//   - Host must name localhost, a loopback address or one of Options.AllowedHosts (the --listen
//     host): a page that rebinds its own DNS name to 127.0.0.1 still sends its own name (403).
//   - A request with an Origin other than the node's own is refused (403): the node has no
//     web pages, so any Origin is another site's.
//   - Every POST must say Content-Type: application/json (415). A browser cannot send that
//     cross-site without a CORS preflight, which the node never grants.
//   - Control methods (controlMethods), transactions signed by the chain's sudo account, and
//     every call from a non-loopback address need Options.Token in "Authorization: Bearer"
//     (401). Reads from loopback stay open.

// controlMethods need the node's token: they replace or expose the whole chain.
var controlMethods = map[string]bool{
	chainclient.MethodReset: true, chainclient.MethodRestore: true, chainclient.MethodSnapshot: true,
	chainclient.MethodPause: true, chainclient.MethodResume: true, chainclient.MethodAdvance: true,
	chainclient.MethodGenesis: true,
}

// errUnauthorized is returned by a method whose call needs the token the request lacks.
var errUnauthorized = errors.New("unauthorized")

type authKey struct{}

type bodyDoneKey struct{}

// bodyRead records that the request body was read to its end (Shutdown then leaves the
// connection's read deadline alone).
func bodyRead(r *http.Request) {
	if d, ok := r.Context().Value(bodyDoneKey{}).(*atomic.Bool); ok {
		d.Store(true)
	}
}

// authorized reports whether the request carried the node's token (or the node has none).
func authorized(ctx context.Context) bool {
	v, _ := ctx.Value(authKey{}).(bool)
	return v
}

// guard applies the checks above and the body read deadline, then serves next.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			// The body must arrive within BodyTimeout, whatever its Content-Length. The deadline
			// is cleared only once the body was read to its end (rpc); a handler that refuses
			// the request without reading it leaves the deadline in place, so net/http's
			// discard of the unread body after the handler cannot wait forever either.
			rc := http.NewResponseController(w)
			_ = rc.SetReadDeadline(time.Now().Add(s.opts.BodyTimeout))
			// Shutdown does not wait for a body still arriving: its read ends at once.
			done := new(atomic.Bool)
			stop := context.AfterFunc(s.closingCtx, func() {
				if !done.Load() {
					_ = rc.SetReadDeadline(time.Now())
				}
			})
			defer stop()
			r = r.WithContext(context.WithValue(r.Context(), bodyDoneKey{}, done))
		}
		if !s.hostAllowed(r.Host) {
			refuse(w, http.StatusForbidden, chainclient.KindForbidden,
				fmt.Sprintf("Host %q is not this node's: use http://127.0.0.1:PORT (a name other than localhost is refused, as a DNS-rebinding guard)", r.Host))
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r.Host) {
			refuse(w, http.StatusForbidden, chainclient.KindForbidden,
				fmt.Sprintf("requests from web pages (Origin %q) are refused: the node API is for btui and scripts on this machine", o))
			return
		}
		if r.Method == http.MethodPost {
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/json" {
				refuse(w, http.StatusUnsupportedMediaType, chainclient.KindUnsupportedMediaType,
					fmt.Sprintf("POST needs Content-Type: application/json (got %q)", r.Header.Get("Content-Type")))
				return
			}
		}
		ok := s.tokenOK(r)
		if !ok && r.URL.Path != chainclient.PathHealth && r.URL.Path != chainclient.PathReady {
			if !isLoopbackAddr(r.RemoteAddr) {
				s.unauthorized(w, "calls from another machine need the node's token")
				return
			}
			if m, isMethod := strings.CutPrefix(r.URL.Path, chainclient.PathMethods); isMethod && controlMethods[m] {
				s.unauthorized(w, m+" is a control method and needs the node's token")
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), authKey{}, ok)))
	})
}

// tokenOK reports whether r carries the node's token (always true for a node without one).
func (s *Server) tokenOK(r *http.Request) bool {
	if s.opts.Token == "" {
		return true
	}
	got, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return found && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.opts.Token)) == 1
}

func (s *Server) unauthorized(w http.ResponseWriter, why string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="btui node"`)
	refuse(w, http.StatusUnauthorized, chainclient.KindUnauthorized, s.tokenHint(why))
}

// tokenHint explains where the token is.
func (s *Server) tokenHint(why string) string {
	where := "the node's " + chainclient.NodeTokenFile + " file in its data directory"
	if s.opts.TokenFile != "" {
		where = s.opts.TokenFile
	}
	return fmt.Sprintf("%s: send \"Authorization: Bearer <token>\" with the token from %s (btui on this machine does this by itself)", why, where)
}

// refuse answers a request the guard turned away, closing the connection (its body may not
// have been read).
func refuse(w http.ResponseWriter, status int, kind, msg string) {
	w.Header().Set("Connection", "close")
	writeError(w, status, chainclient.APIError{Kind: kind, Message: msg})
}

// hostAllowed reports whether a Host header names this node: localhost, a loopback address,
// or one of Options.AllowedHosts (`btui node` passes its --listen host). When an allowed host
// is an unspecified address (0.0.0.0, ::: listening on every interface) any IP address is
// allowed too (DNS rebinding needs a name). An empty Host (HTTP/1.0) is allowed.
func (s *Server) hostAllowed(hostport string) bool {
	if hostport == "" {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	ip := net.ParseIP(host)
	if strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback()) {
		return true
	}
	for _, a := range s.opts.AllowedHosts {
		a = strings.Trim(a, "[]")
		if strings.EqualFold(host, a) {
			return true
		}
		if aip := net.ParseIP(a); aip != nil && aip.IsUnspecified() && ip != nil {
			return true
		}
	}
	return false
}

// sameOrigin reports whether origin is the node's own (scheme://host where host is the Host
// the request was sent to).
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return strings.EqualFold(u.Host, host)
}

func isLoopbackAddr(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sudoSigned reports whether any of txs is a transaction signed by the chain's sudo account.
// The signer is read at its offset (the chain decodes every envelope again); only an envelope
// naming the sudo account there is decoded here, to tell a transaction from garbage.
func (s *Server) sudoSigned(ctx context.Context, txs ...[]byte) (bool, error) {
	named := false
	for _, b := range txs {
		if _, ok := protocol.PeekSigner(b); ok {
			named = true
			break
		}
	}
	if !named {
		return false, nil
	}
	info, err := s.backend.Info(ctx)
	if err != nil {
		return false, err
	}
	for _, b := range txs {
		if id, ok := protocol.PeekSigner(b); !ok || id != info.Sudo {
			continue
		}
		if _, err := protocol.DecodeTx(b); err == nil {
			return true, nil
		}
		// not a transaction: rejected by the chain with its own code
	}
	return false, nil
}

// requireTokenForSudo refuses a submission of sudo-signed transactions without the token:
// the devnet's sudo key is a public dev key (//Alice), so holding it proves nothing.
func (s *Server) requireTokenForSudo(ctx context.Context, txs ...[]byte) error {
	if authorized(ctx) {
		return nil
	}
	sudo, err := s.sudoSigned(ctx, txs...)
	if err != nil {
		return err
	}
	if sudo {
		return fmt.Errorf("%w: a transaction signed by the sudo account (faucet, sudo calls) needs the node's token", errUnauthorized)
	}
	return nil
}
