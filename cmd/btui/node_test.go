package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// syncBuffer is an output stream that tests may read while a command still writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// background runs btui in a goroutine until cancel; done yields the exit code.
type background struct {
	out, errOut *syncBuffer
	cancel      context.CancelFunc
	done        chan int
}

func runBackground(tb testing.TB, args ...string) *background {
	ctx, cancel := context.WithCancel(context.Background())
	bg := &background{out: &syncBuffer{}, errOut: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	io := &IOStreams{In: strings.NewReader(""), Out: bg.out, ErrOut: bg.errOut}
	env := cleanEnv(tb)
	go func() {
		f := NewFactory(io)
		f.Env = env
		bg.done <- RunFactory(ctx, f, args)
	}()
	return bg
}

// wait returns the exit code once the command ends.
func (bg *background) wait(t testing.TB) int {
	t.Helper()
	select {
	case code := <-bg.done:
		return code
	case <-time.After(20 * time.Second):
		t.Fatalf("command did not end\nstderr: %s", bg.errOut)
	}
	return -1
}

// waitFor polls until cond holds.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startNode runs `btui node` on a free loopback port over c's datadir and returns its URL.
func startNode(t *testing.T, c *chainCLI, extra ...string) (*background, string) {
	t.Helper()
	bg := runBackground(t, append([]string{"node", "--datadir", c.dir, "--listen", "127.0.0.1:0"}, extra...)...)
	var url string
	waitFor(t, "the node's url file", func() bool {
		select {
		case code := <-bg.done:
			t.Fatalf("node exited %d: %s", code, bg.errOut)
		default:
		}
		url = chainclient.ReadNodeURL(c.dir)
		return url != ""
	})
	return bg, url
}

func TestNodeServesEveryCommand(t *testing.T) {
	c := newChainCLI(t)
	node, url := startNode(t, c, "--block-time", "50ms", "--json")
	var desc nodeJSON
	waitFor(t, "the node's JSON description", func() bool { return json.Unmarshal([]byte(node.out.String()), &desc) == nil })
	if desc.URL != url || desc.DataDir != c.dir || desc.BlockTimeMs != 50 || desc.PID != os.Getpid() {
		t.Fatalf("node --json = %+v (url %s)", desc, url)
	}

	// The embedded database is held: the error names --node and the URL.
	r := c.run("chain", "info")
	if r.code != ExitFailed || !strings.Contains(r.errOut, "--node "+url) {
		t.Fatalf("embedded while the node runs: %d %q", r.code, r.errOut)
	}

	// The blocks keep coming.
	remote := &chainCLI{t: t, dir: c.dir, wallets: c.wallets, node: url}
	h1 := remote.height()
	waitFor(t, "the producer", func() bool { return remote.height() > h1 })

	// Follow events while transactions land.
	follow := runBackground(t, remote.args([]string{"chain", "events", "--follow", "--module", "sudo", "--json"})...)
	waitFor(t, "the follower to start", func() bool { return strings.Contains(follow.errOut.String(), "following events") })
	remote.ok("devnet", "faucet", "//Dave", "3")
	waitFor(t, "the faucet event", func() bool { return strings.Contains(follow.out.String(), `"name":"Faucet"`) })
	follow.cancel()
	if code := follow.wait(t); code != 0 {
		t.Fatalf("events --follow ended with %d: %s", code, follow.errOut)
	}
	var ev protocol.Event
	line, _, _ := strings.Cut(follow.out.String(), "\n")
	if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.Module != "sudo" || ev.Attr("amount") != "3000000000" {
		t.Fatalf("followed event %q: %v", line, err)
	}

	// Every devnet command through the node (the producer is paused so heights are exact).
	remote.ok("devnet", "pause")
	testDevnetCommands(t, remote)

	// A transaction in the pool is reported as pending, not just missing.
	remote.ok("devnet", "pause")
	rc, err := chainclient.NewRemote(url)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	kp, _ := wallet.Dev("Charlie")
	tx, err := chainclient.Sign(context.Background(), rc, kp, protocol.Transfer{To: devAddr(t, "Eve"), Amount: protocol.RaoPerTAO}, chainclient.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := rc.Submit(context.Background(), tx)
	if err != nil {
		t.Fatal(err)
	}
	if r := remote.run("chain", "tx", h.String()); r.code != ExitNotFound || !strings.Contains(r.errOut, "is pending") {
		t.Fatalf("chain tx of a pending transaction: %d %q", r.code, r.errOut)
	}

	// Graceful stop: the url file goes, the database is released.
	node.cancel()
	if code := node.wait(t); code != 0 {
		t.Fatalf("node exit %d: %s", code, node.errOut)
	}
	if !strings.Contains(node.errOut.String(), "stopped at height") {
		t.Fatalf("node stderr: %s", node.errOut)
	}
	if chainclient.ReadNodeURL(c.dir) != "" {
		t.Fatal("node.url left behind")
	}
	c.ok("chain", "check")
}

func TestNodeStopsOnSIGTERM(t *testing.T) {
	c := newChainCLI(t)
	node, url := startNode(t, c, "--block-time", "20ms")
	remote := &chainCLI{t: t, dir: c.dir, wallets: c.wallets, node: url}
	remote.ok("devnet", "faucet", "//Bob", "1")
	// signal.NotifyContext is active before the url file is written, so the signal reaches the
	// node, not the test process's default handler.
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := node.wait(t); code != 0 {
		t.Fatalf("node exit %d after SIGTERM: %s", code, node.errOut)
	}
	if !strings.Contains(node.errOut.String(), "shutting down") {
		t.Fatalf("node stderr: %s", node.errOut)
	}
	// Reopened cleanly, with the faucet's block in it.
	var info chainInfoJSON
	c.json(&info, "chain", "info")
	if info.Height == 0 {
		t.Fatal("no blocks after the node stopped")
	}
	c.ok("chain", "check")
}

func TestNodeListenAddress(t *testing.T) {
	c := newChainCLI(t)
	r := c.run("node", "--listen", "0.0.0.0:0")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "--unsafe-external") {
		t.Fatalf("non-loopback listen: %d %q", r.code, r.errOut)
	}
	if r := c.run("node", "--listen", "nonsense"); r.code != ExitUsage {
		t.Fatalf("bad listen: %d %q", r.code, r.errOut)
	}
	if r := c.run("node", "--block-time", "-1s"); r.code != ExitUsage {
		t.Fatalf("negative block time: %d %q", r.code, r.errOut)
	}
	if r := c.run("node", "--node", "http://127.0.0.1:9944"); r.code != ExitUsage {
		t.Fatalf("node with --node: %d %q", r.code, r.errOut)
	}
	for _, ok := range []string{"127.0.0.1:0", "[::1]:0", "localhost:0"} {
		if ext, err := checkListen(ok, false); err != nil || ext {
			t.Errorf("checkListen(%s) = %v, %v", ok, ext, err)
		}
	}
	node := runBackground(t, "node", "--datadir", c.dir, "--listen", "0.0.0.0:0", "--unsafe-external", "--block-time", "0")
	waitFor(t, "the node to start", func() bool { return chainclient.ReadNodeURL(c.dir) != "" })
	if !strings.Contains(node.errOut.String(), "WARNING") {
		t.Fatalf("no warning for an external address: %s", node.errOut)
	}
	node.cancel()
	if code := node.wait(t); code != 0 {
		t.Fatalf("node exit %d", code)
	}
}
