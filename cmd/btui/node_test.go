package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/localchain"
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

// buildBtui builds the btui binary for tests that need a real process, as the README installs
// it: CGO_ENABLED=0, one static binary (the build fails if a dependency ever needs cgo).
func buildBtui(t testing.TB) string {
	t.Helper()
	btuiBin.once.Do(func() {
		btuiBin.path = filepath.Join(testBinDir, "btui")
		build := exec.Command("go", "build", "-o", btuiBin.path, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			btuiBin.err = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if btuiBin.err != nil {
		t.Fatalf("build btui: %v", btuiBin.err)
	}
	return btuiBin.path
}

// btuiBin is the one build of the binary that every test of the package runs (buildBtui), in
// testBinDir (TestMain makes and removes it; nothing else is written there).
var btuiBin struct {
	once sync.Once
	path string
	err  error
}

// startNodeProcess runs `btui node` as its own process over dir with a clean environment and
// returns its description (url, pid); blocks come only on demand.
func startNodeProcess(t *testing.T, bin, dir string) nodeJSON {
	t.Helper()
	return startNodeProcessEvery(t, bin, dir, "0")
}

// startNodeProcessEvery is startNodeProcess with a producer making a block every blockTime
// ("0": only on demand).
func startNodeProcessEvery(t *testing.T, bin, dir, blockTime string) nodeJSON {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(bin, "node", "--datadir", dir, "--listen", "127.0.0.1:0", "--block-time", blockTime, "--json")
	cmd.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "XDG_STATE_HOME=" + home}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	var desc nodeJSON
	dec := json.NewDecoder(stdout)
	got := make(chan error, 1)
	go func() { got <- dec.Decode(&desc) }()
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("node description: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the node did not start: %s", stderr.String())
	}
	return desc
}

// procKB reads a "Vm...:  N kB" line of /proc/<pid>/status.
func procKB(t *testing.T, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc to read the node's memory from: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("%s: %q", field, line)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// Eight clients sending 60 MB submit_batch bodies at once do not take a real node process
// over 400 MB of resident memory (its peak, VmHWM): the node holds at most
// rpcserver.DefaultMaxInflightBytes of bodies and answers the rest 503 with Retry-After, and
// every batch is served in the end. With -short the bodies are 6 MB (the bound is the same).
func TestNodeMemoryBoundUnderParallelBatches(t *testing.T) {
	bin := buildBtui(t)
	dir := t.TempDir()
	desc := startNodeProcess(t, bin, dir)
	const clients = 8
	txs, txSize := 20_000, 1_500 // 20,000 transactions of 1,500 bytes: a 60 MB JSON body
	if testing.Short() {
		txs = 2_000
	}
	var body bytes.Buffer
	body.Grow(txs*(2*txSize+6) + 16)
	body.WriteString(`{"txs":[`)
	junk := make([]byte, txSize)
	for i := range txs {
		if i > 0 {
			body.WriteByte(',')
		}
		junk[0], junk[1], junk[2] = byte(i), byte(i>>8), byte(i>>16)
		body.WriteString(`"0x`)
		body.WriteString(hex.EncodeToString(junk))
		body.WriteByte('"')
	}
	body.WriteString(`]}`)
	raw := body.Bytes()
	t.Logf("body %d bytes; node RSS before: %d kB", len(raw), procKB(t, desc.PID, "VmRSS"))

	var wg sync.WaitGroup
	var busy atomic.Int64
	errs := make(chan error, clients)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for attempt := 0; ; attempt++ {
				req, _ := http.NewRequest(http.MethodPost, desc.URL+"/v1/submit_batch", bytes.NewReader(raw))
				req.Header.Set("Content-Type", "application/json")
				// As chainclient.Remote does for large bodies: a refusal comes before the body.
				req.Header.Set("Expect", "100-continue")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					// A refusal that reached the client after it had started sending (its
					// go-ahead wait ran out on a loaded machine) resets the upload: retry too.
					if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
						busy.Add(1)
						time.Sleep(200 * time.Millisecond)
						continue
					}
					errs <- err
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "" && attempt < 600 {
					busy.Add(1)
					time.Sleep(200 * time.Millisecond)
					continue
				}
				var res chainclient.SubmitBatchResult
				if resp.StatusCode != 200 || json.Unmarshal(b, &res) != nil || len(res.Results) != txs {
					errs <- fmt.Errorf("batch: %d %.300s", resp.StatusCode, b)
				}
				return
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	peak := procKB(t, desc.PID, "VmHWM")
	t.Logf("node peak RSS (VmHWM) %d kB after %d batches of %d bytes; %d answers were 503 busy", peak, clients, len(raw), busy.Load())
	if peak > 400*1024 {
		t.Fatalf("the node's peak RSS was %d kB, over 400 MB", peak)
	}
}

// The running node refuses what a web page can send, requires its token for control calls,
// and btui commands on this machine send the token by themselves.
func TestNodeRefusesBrowsersAndNeedsItsToken(t *testing.T) {
	c := newChainCLI(t)
	node, url := startNode(t, c, "--block-time", "0")
	tokenFile := filepath.Join(c.dir, chainclient.NodeTokenFile)
	st, err := os.Stat(tokenFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", st, err)
	}
	token, err := chainclient.ReadNodeToken(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	remote := &chainCLI{t: t, dir: c.dir, wallets: c.wallets, node: url}
	remote.ok("devnet", "advance", "2")
	var before chainInfoJSON
	remote.json(&before, "chain", "info")

	port := url[strings.LastIndex(url, ":")+1:]
	post := func(path, body string, h map[string]string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, url+path, strings.NewReader(body))
		for k, v := range h {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	reset := `{"genesis":null}`
	// The browser-style reset, then each of its parts alone.
	for _, tt := range []struct {
		h      map[string]string
		status int
	}{
		{map[string]string{"Content-Type": "text/plain", "Origin": "http://evil.example", "Host": "evil.example:" + port}, 403},
		{map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + token, "Host": "evil.example:" + port}, 403},
		{map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + token, "Origin": "http://evil.example"}, 403},
		{map[string]string{"Content-Type": "text/plain", "Authorization": "Bearer " + token}, 415},
		{map[string]string{"Content-Type": "application/json"}, 401},
	} {
		if status, body := post("/v1/reset", reset, tt.h); status != tt.status {
			t.Fatalf("reset with %v: %d %s", tt.h, status, body)
		}
	}
	for _, m := range []string{"pause", "resume", "advance", "snapshot", "restore", "genesis"} {
		if status, body := post("/v1/"+m, `{}`, map[string]string{"Content-Type": "application/json"}); status != 401 || !strings.Contains(body, chainclient.NodeTokenFile) {
			t.Fatalf("%s without the token: %d %s", m, status, body)
		}
	}
	var after chainInfoJSON
	remote.json(&after, "chain", "info")
	if after != before {
		t.Fatalf("the chain changed: %+v -> %+v", before, after)
	}
	// btui finds the token itself: control commands and the faucet work through the node.
	remote.ok("devnet", "pause")
	remote.ok("devnet", "faucet", "//Dave", "1")
	remote.ok("devnet", "snapshot", "s1")
	remote.ok("devnet", "resume")

	node.cancel()
	if code := node.wait(t); code != 0 {
		t.Fatalf("node exit %d: %s", code, node.errOut)
	}
	if _, err := os.Stat(tokenFile); !os.IsNotExist(err) {
		t.Fatalf("the token file outlived the node: %v", err)
	}
}

// A command that finds the devnet held names the real holder: a stale node.url (no node
// answers it) is not blamed; the holder's pid and command line are given, at once, without
// waiting out the lock timeout. Once the holder is gone the devnet opens again.
func TestLockMessageNamesTheRealHolder(t *testing.T) {
	c := newChainCLI(t)
	c.ok("chain", "info") // create the devnet
	// The holder is another process that is not a node: this test binary, re-run to hold it.
	holder := exec.Command(os.Args[0], "-test.run=^TestHoldDevnetChild$", "-test.count=1")
	holder.Env = []string{holdDevnetEnv + "=" + c.dir, "HOME=" + t.TempDir()}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Process.Kill(); _ = holder.Wait() }()
	waitFor(t, "the holder to take the devnet", func() bool {
		h, ok := localchain.ReadHolder(c.dir)
		return ok && h.PID == holder.Process.Pid
	})
	stale := "http://127.0.0.1:1"
	if err := os.WriteFile(filepath.Join(c.dir, chainclient.NodeURLFile), []byte(stale+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A lock timeout of a minute: the command must not wait it.
	io, out, errOut := NewTestIO("", false)
	f := NewFactory(io)
	f.ChainOptions = []localchain.Option{localchain.WithLockTimeout(time.Minute)}
	start := time.Now()
	code := RunFactory(context.Background(), f, c.args([]string{"chain", "info"}))
	took := time.Since(start)
	msg := errOut.String()
	if code == 0 || strings.Contains(msg, stale) || !strings.Contains(msg, fmt.Sprintf("pid %d (", holder.Process.Pid)) ||
		!strings.Contains(msg, "-test.run=^TestHoldDevnetChild$") {
		t.Fatalf("exit %d after %v\nstdout: %s\nstderr: %s", code, took, out, msg)
	}
	if took > 30*time.Second {
		t.Fatalf("the command waited %v for a holder known to be alive", took)
	}
	t.Logf("after %v: %s", took, msg)
	// The holder dies without cleaning up: its holder file and the stale url stay, the lock goes.
	_ = holder.Process.Kill()
	_ = holder.Wait()
	c.ok("chain", "info")
}

// Temporary files of a snapshot or restore cut short by a kill are removed at the next open,
// and chain check reports them.
func TestChainCheckReportsRemovedLeftovers(t *testing.T) {
	c := newChainCLI(t)
	c.ok("devnet", "snapshot", "keep")
	leftovers := []string{filepath.Join(c.dir, "chain.db.restore"), filepath.Join(c.dir, "snapshots", "half.db.tmp")}
	for _, p := range leftovers {
		if err := os.WriteFile(p, make([]byte, 1000), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r := c.ok("chain", "check")
	for _, p := range leftovers {
		if !strings.Contains(r.errOut, "removed "+p+" (1000 bytes)") {
			t.Fatalf("chain check does not report %s:\n%s", p, r.errOut)
		}
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s is still there", p)
		}
	}
	var snaps struct{ Snapshots []struct{ Name string } }
	c.json(&snaps, "devnet", "snapshots")
	if len(snaps.Snapshots) != 1 || snaps.Snapshots[0].Name != "keep" {
		t.Fatalf("snapshots: %+v", snaps)
	}
}

// holdDevnetEnv names the devnet TestHoldDevnetChild holds (set only by
// TestLockMessageNamesTheRealHolder for its child process).
const holdDevnetEnv = "HOLD_DEVNET_DIR_FOR_LOCK_TEST"

// TestHoldDevnetChild is the holder process of TestLockMessageNamesTheRealHolder: it opens the
// devnet and keeps it until killed.
func TestHoldDevnetChild(t *testing.T) {
	dir := os.Getenv(holdDevnetEnv)
	if dir == "" {
		t.Skip("run by TestLockMessageNamesTheRealHolder only")
	}
	c, err := localchain.Open(dir, localchain.WithNoSync(true), localchain.WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	time.Sleep(2 * time.Minute)
}

// A client on another machine has no datadir holding the node's token: its control calls are
// refused with a message that says how to pass the token, and BTUI_NODE_TOKEN lets them through.
func TestNodeTokenFromEnvironmentForAnotherMachine(t *testing.T) {
	c := newChainCLI(t)
	node, url := startNode(t, c, "--block-time", "0")
	tokenFile := filepath.Join(c.dir, chainclient.NodeTokenFile)
	token, err := chainclient.ReadNodeToken(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	// On loopback a client reads the token file the node names; on another machine that file
	// is out of reach. Moving it away for the test stands for that.
	hidden := tokenFile + ".elsewhere"
	if err := os.Rename(tokenFile, hidden); err != nil {
		t.Fatal(err)
	}
	defer os.Rename(hidden, tokenFile)
	elsewhere := t.TempDir() // the other machine: its own home, no devnet, no token file
	run := func(extra map[string]string, args ...string) cliResult {
		env := cleanEnv(t)
		io, out, errOut := NewTestIO("", false)
		f := NewFactory(io)
		f.Env = func(k string) (string, bool) {
			if v, ok := extra[k]; ok {
				return v, true
			}
			return env(k)
		}
		code := RunFactory(context.Background(), f, append(args, "--node", url, "--wallet-path", filepath.Join(elsewhere, "wallets")))
		return cliResult{code: code, out: out.String(), errOut: errOut.String()}
	}
	if r := run(nil, "chain", "info"); r.code != 0 {
		t.Fatalf("a read needs no token: exit %d %s", r.code, r.errOut)
	}
	r := run(nil, "devnet", "pause")
	if r.code != ExitAuth || !strings.Contains(r.errOut, "BTUI_NODE_TOKEN") {
		t.Fatalf("pause without the token: exit %d, stderr %q (want a refusal naming BTUI_NODE_TOKEN)", r.code, r.errOut)
	}
	if r := run(map[string]string{"BTUI_NODE_TOKEN": "not-the-token"}, "devnet", "pause"); r.code == 0 {
		t.Fatalf("pause with a wrong token succeeded: %s", r.out)
	}
	if r := run(map[string]string{"BTUI_NODE_TOKEN": token}, "devnet", "pause"); r.code != 0 {
		t.Fatalf("pause with BTUI_NODE_TOKEN: exit %d %s", r.code, r.errOut)
	}
	if r := run(map[string]string{"BTUI_NODE_TOKEN": token}, "devnet", "resume"); r.code != 0 {
		t.Fatalf("resume with BTUI_NODE_TOKEN: exit %d %s", r.code, r.errOut)
	}
	if err := os.Rename(hidden, tokenFile); err != nil {
		t.Fatal(err)
	}
	node.cancel()
	node.wait(t)
}

// The real node binary, producing blocks, takes transfers signed by sr25519 keys: from an
// encrypted sr25519 wallet to the sr25519 //Bob (--dest //Bob with --crypto-type sr25519), and
// from the sr25519 //Alice as signer (--wallet-name //Alice, made with --uri alice). Each is
// included, moves the funds, and the chain names the sr25519 account as its signer.
func TestNodeSr25519Transfer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the btui binary")
	}
	bin := buildBtui(t)
	c := newChainCLI(t)
	desc := startNodeProcessEvery(t, bin, c.dir, "100ms")
	remote := &chainCLI{t: t, dir: c.dir, wallets: c.wallets, node: desc.URL}
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("sr-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rc, err := chainclient.NewRemote(desc.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	ctx := context.Background()
	free := func(id wallet.AccountID) uint64 {
		t.Helper()
		a, err := rc.Account(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a.Free
	}

	remote.ok("wallet", "create", "--wallet-name", "sr", "--crypto-type", "sr25519", "--password-file", pw, "--show-mnemonic", "--yes")
	var list walletListJSON
	remote.json(&list, "wallet", "list")
	if len(list.Wallets) != 1 || list.Wallets[0].Coldkey == nil || list.Wallets[0].Coldkey.Scheme != "sr25519" {
		t.Fatalf("wallet list: %+v", list.Wallets)
	}
	from, err := wallet.ParseAddress(list.Wallets[0].Coldkey.Address)
	if err != nil {
		t.Fatal(err)
	}
	remote.ok("devnet", "faucet", "sr", "10")

	srBob, _ := wallet.SrDev("Bob")
	ecBob, _ := wallet.Dev("Bob")
	srBob0, ecBob0 := free(srBob.AccountID()), free(ecBob.AccountID())
	var res txResultJSON
	remote.json(&res, "wallet", "transfer", "--wallet-name", "sr", "--dest", "//Bob", "--crypto-type", "sr25519", "--amount", "1.5",
		"--password-file", pw, "--yes")
	if !res.OK || res.Signer != from || res.Tx.Block == 0 {
		t.Fatalf("transfer from the sr25519 wallet: %+v", res)
	}
	if got := free(srBob.AccountID()) - srBob0; got != 1_500_000_000 {
		t.Fatalf("the sr25519 //Bob received %d rao, want 1.5 TAO", got)
	}
	if free(ecBob.AccountID()) != ecBob0 {
		t.Fatal("--crypto-type sr25519 paid the ecdsa //Bob")
	}
	info, err := rc.Tx(ctx, res.Tx.Hash)
	if err != nil || info.Height != res.Tx.Block || info.Signer != from || !info.Receipt.OK() {
		t.Fatalf("the node's record of the transfer: %+v %v", info, err)
	}

	// Without --crypto-type a dev name stays the ecdsa account genesis funds.
	remote.json(&res, "wallet", "transfer", "--wallet-name", "sr", "--dest", "//Bob", "--amount", "0.25", "--password-file", pw, "--yes")
	if !res.OK || free(ecBob.AccountID())-ecBob0 != 250_000_000 {
		t.Fatalf("transfer to the default //Bob: %+v", res)
	}

	// A dev name as the signer: the sr25519 //Alice (polkadot.js's 5GrwvaEF...), the same
	// account `wallet create --uri alice --crypto-type sr25519` makes.
	srAlice, _ := wallet.SrDev("Alice")
	remote.ok("wallet", "create", "--wallet-name", "alice", "--uri", "alice", "--crypto-type", "sr25519", "--no-password", "--yes")
	var show walletListJSON
	remote.json(&show, "wallet", "list")
	for _, w := range show.Wallets {
		if w.Name == "alice" && (w.Coldkey == nil || w.Coldkey.Address != srAlice.Address()) {
			t.Fatalf("--uri alice --crypto-type sr25519 made %+v, want %s", w.Coldkey, srAlice.Address())
		}
	}
	remote.ok("devnet", "faucet", srAlice.Address(), "3")
	remote.json(&res, "wallet", "transfer", "--wallet-name", "//Alice", "--crypto-type", "sr25519", "--dest", "sr", "--amount", "1", "--yes")
	if !res.OK || res.Signer != srAlice.AccountID() {
		t.Fatalf("transfer signed by the sr25519 //Alice: %+v", res)
	}
	info, err = rc.Tx(ctx, res.Tx.Hash)
	if err != nil || info.Signer != srAlice.AccountID() || !info.Receipt.OK() {
		t.Fatalf("the node's record of the //Alice transfer: %+v %v", info, err)
	}
}
