package tui

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
)

// serveNode serves backend on addr ("127.0.0.1:0" for any port) and returns the address
// and a stop function.
func serveNode(t *testing.T, backend chainclient.Client, addr string) (string, func()) {
	t.Helper()
	var l net.Listener
	var err error
	for range 50 { // the port of a node that just stopped can take a moment to free
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	srv := rpcserver.New(backend, rpcserver.DefaultOptions())
	go srv.Serve(l)
	return l.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
}

// The console over `btui node`: live heads through the node's stream; when the node goes
// away the banner says so, and when it comes back the console reconnects by itself.
func TestConsoleOverNodeReconnects(t *testing.T) {
	backend, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer backend.Close()
	addr, stop := serveNode(t, backend, "127.0.0.1:0")
	remote, err := chainclient.NewRemote("http://"+addr, chainclient.WithReconnectWindow(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := newDriver(t, Options{Client: remote, Context: ctx, Network: "http://" + addr, ReconnectDelay: 400 * time.Millisecond}, 120, 40)
	d.waitFor("Network", "btui-devnet")
	if _, err := backend.Advance(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	d.waitFor("#2")

	stop()
	d.waitFor("lost the connection to http://"+addr, "reconnecting")
	d.mustSee("disconnected")

	_, stop2 := serveNode(t, backend, addr)
	defer stop2()
	d.waitFor("reconnected to http://" + addr)
	if _, err := backend.Advance(context.Background(), 3, nil); err != nil {
		t.Fatal(err)
	}
	d.waitFor("#5", "blocks on demand")
	d.mustNotSee("disconnected")
}
