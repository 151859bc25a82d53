package main

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/tui"
)

// gateProxy forwards TCP connections to a node it can freeze (every byte held, as a hung or
// unplugged node) and point at another node (closing every open connection).
type gateProxy struct {
	l      net.Listener
	mu     sync.Mutex
	target string
	frozen bool
	conns  []net.Conn
}

func newGateProxy(t *testing.T, target string) *gateProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &gateProxy{l: l, target: target}
	t.Cleanup(func() { l.Close(); p.retarget("") })
	go p.serve()
	return p
}

func (p *gateProxy) addr() string { return p.l.Addr().String() }

func (p *gateProxy) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		target := p.target
		p.conns = append(p.conns, c)
		p.mu.Unlock()
		go p.forward(c, target)
	}
}

func (p *gateProxy) forward(c net.Conn, target string) {
	u, err := net.Dial("tcp", target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, u)
	p.mu.Unlock()
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			for p.isFrozen() {
				time.Sleep(10 * time.Millisecond)
			}
			if n > 0 {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		dst.Close()
		src.Close()
	}
	go pipe(u, c)
	pipe(c, u)
}

func (p *gateProxy) isFrozen() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.frozen
}

func (p *gateProxy) freeze(on bool) {
	p.mu.Lock()
	p.frozen = on
	p.mu.Unlock()
}

// retarget closes every connection and sends new ones to target, unfrozen.
func (p *gateProxy) retarget(target string) {
	p.mu.Lock()
	conns := p.conns
	p.conns, p.target, p.frozen = nil, target, false
	p.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// servedDevnet is a fresh embedded devnet producing blocks every 100 ms, served as a node.
func servedDevnet(t *testing.T) (*chainclient.Embedded, string) {
	t.Helper()
	e, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	if err := e.Chain().SetBlockTime(100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := e.Chain().Start(); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := rpcserver.New(e, rpcserver.DefaultOptions())
	go srv.Serve(l)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return e, l.Addr().String()
}

// The connection indicator on a producing chain over --node: live while heads arrive; when
// the node hangs, "stale Ns" within a few block times with the values dimmed, then the node
// is probed and the console says it is reconnecting (not 9–14 s of a frozen green height);
// when the address comes back serving another chain, the header says "different chain!", a
// banner says every cached value was cleared, and the pages show the new chain's heights.
func TestTUIConnectionIndicator(t *testing.T) {
	a, addrA := servedDevnet(t)
	proxy := newGateProxy(t, addrA)
	remote, err := chainclient.NewRemote("http://"+proxy.addr(), chainclient.WithReconnectWindow(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { remote.Close() })
	keys := lightKeystoreKeys(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d := newLiveDriver(t, tui.New(tui.Options{Keys: keys, Client: remote, Context: ctx, Network: "node", NoAnimation: true, NoFirstRun: true,
		ReconnectDelay: 300 * time.Millisecond}))
	d.start(120, 40)
	d.waitFor("● live")
	// let the chain get well ahead of the one that replaces it
	d.waitUntil("40 blocks", func() bool { return a.Chain().Head().Height > 40 })
	d.keys("7")
	d.waitFor("Chain explorer", "producing")

	proxy.freeze(true)
	frozeAt := time.Now()
	d.waitFor("◌ stale")
	if !d.app.Stale() {
		t.Fatal("the header says stale but the console does not dim its values")
	}
	d.waitFor("○ reconnecting", "lost the connection to node", "unreachable (reconnecting)")
	if took := time.Since(frozeAt); took > 10*time.Second {
		t.Fatalf("the lost connection was reported after %s", took)
	}

	// the same address now serves another, younger chain
	b, addrB := servedDevnet(t)
	_ = b
	proxy.retarget(addrB)
	d.waitFor("✗ different chain!", "every cached value was cleared")
	d.waitUntil("the explorer shows the new chain's head", func() bool {
		title, first := explorerTop(d.screen())
		return title != "" && title == first && strings.Contains(d.screen(), "producing")
	})
	title, _ := explorerTop(d.screen())
	if n := parseGrouped(title); n >= a.Chain().Head().Height {
		t.Fatalf("the explorer shows #%s, not the new chain's height (old chain at %d)", title, a.Chain().Head().Height)
	}
}

// parseGrouped reads "1,234" as 1234.
func parseGrouped(s string) uint64 {
	var n uint64
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n = n*10 + uint64(r-'0')
		}
	}
	return n
}

// lightKeystoreKeys is an empty light key store for the console.
func lightKeystoreKeys(t *testing.T) tuiKeys {
	_, k := lightKeystore(t)
	return k
}
