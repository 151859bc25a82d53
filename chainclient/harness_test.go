package chainclient_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// impl is one implementation under the contract: a client and the real chain behind it.
type impl struct {
	name   string
	client chainclient.Client
	chain  *localchain.Chain
	url    string // the node's URL, for the remote implementation
}

// openChain opens a fresh on-demand devnet in a temp dir, closed at cleanup.
func openChain(t testing.TB, opts ...localchain.Option) *localchain.Chain {
	t.Helper()
	c, err := localchain.Open(t.TempDir(), append([]localchain.Option{localchain.WithNoSync(true), localchain.WithBlockTime(0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// serveNode serves chain on a loopback port with a real http.Server, as `btui node` does.
func serveNode(t testing.TB, chain *localchain.Chain, opts rpcserver.Options) (*rpcserver.Server, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := rpcserver.New(chainclient.NewEmbedded(chain), opts)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return srv, "http://" + l.Addr().String()
}

func newRemote(t testing.TB, url string, opts ...chainclient.RemoteOption) *chainclient.Remote {
	t.Helper()
	r, err := chainclient.NewRemote(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// both runs fn once against the embedded client and once against a node on loopback, each
// over its own fresh chain.
func both(t *testing.T, fn func(t *testing.T, im *impl), opts ...localchain.Option) {
	t.Run("embedded", func(t *testing.T) {
		t.Parallel()
		chain := openChain(t, opts...)
		fn(t, &impl{name: "embedded", client: chainclient.NewEmbedded(chain), chain: chain})
	})
	t.Run("remote", func(t *testing.T) {
		t.Parallel()
		chain := openChain(t, opts...)
		_, url := serveNode(t, chain, rpcserver.Options{})
		fn(t, &impl{name: "remote", client: newRemote(t, url), chain: chain, url: url})
	})
}

var devKeyCache = map[string]*wallet.Keypair{}

// dev returns a dev keypair (cached: derivation is slow-ish and tests use few keys).
func dev(t testing.TB, name string) *wallet.Keypair {
	t.Helper()
	if kp, ok := devKeyCache[name]; ok {
		return kp
	}
	kp, err := wallet.Dev(name)
	if err != nil {
		t.Fatal(err)
	}
	devKeyCache[name] = kp
	return kp
}

func init() {
	// Fill the cache before tests run in parallel.
	for _, n := range wallet.DevNames() {
		kp, err := wallet.Dev(n)
		if err != nil {
			panic(err)
		}
		devKeyCache[n] = kp
	}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// signed builds a signed transaction through the client (nonce and chain id from it).
func signed(t testing.TB, c chainclient.Client, kp *wallet.Keypair, call protocol.Call, opts chainclient.SignOptions) []byte {
	t.Helper()
	tx, err := chainclient.Sign(ctxT(t), c, kp, call, opts)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

func nonce(n uint64) *uint64 { return &n }

func wantCode(t testing.TB, err error, code protocol.Code) {
	t.Helper()
	got, ok := protocol.CodeOf(err)
	if !ok || got != code {
		t.Fatalf("error %v: want code %s, got %v (ok=%v)", err, code, got, ok)
	}
}

// recv reads one head or fails after a timeout.
func recv(t testing.TB, sub *chainclient.Subscription) protocol.HeadEvent {
	t.Helper()
	select {
	case ev, ok := <-sub.C:
		if !ok {
			t.Fatalf("subscription closed: %v", sub.Err())
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no head within 10s")
	}
	return protocol.HeadEvent{}
}
