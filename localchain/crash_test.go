package localchain

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/btui/btui/protocol"
)

const crashDirEnv = "BTUI_LOCALCHAIN_CRASH_DIR"

// TestCrashChild is the child half of TestCrashRecovery: it runs the producer (5 ms durable
// blocks) under transfer load and prints "included <hash>" for every transaction after its
// block commits. It does nothing unless started by the parent.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("child process of TestCrashRecovery")
	}
	c, err := Open(dir, WithBlockTime(5*time.Millisecond), WithLockTimeout(5*time.Second))
	if err != nil {
		fmt.Println("open error:", err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	c.onCommit = func(res *blockResult) {
		mu.Lock()
		defer mu.Unlock()
		for _, tx := range res.txs {
			fmt.Fprintf(out, "included %s\n", tx.Hash())
		}
		out.Flush()
	}
	if err := c.Start(); err != nil {
		fmt.Println("start error:", err)
		os.Exit(3)
	}
	mu.Lock()
	fmt.Fprintln(out, "ready")
	out.Flush()
	mu.Unlock()
	keys := benchKeys(t, 40)
	for i := 0; ; i++ {
		kp := keys[i%len(keys)]
		n, err := c.NextNonce(kp.AccountID())
		if err != nil {
			os.Exit(4)
		}
		raw := signTx(t, c, kp, n, 0, 0, protocol.Transfer{To: keys[(i+7)%len(keys)].AccountID(), Amount: 1000 + uint64(i%97)})
		if _, err := c.Submit(raw); err != nil {
			time.Sleep(time.Millisecond)
		}
	}
}

// TestCrashRecovery kills a producing child with SIGKILL at random moments (20 times; 5 with
// -short; 100 with BTUI_LONG=1), then reopens the chain, checks the invariants and the whole
// chain, and that every transaction the child reported as included is still there. At the end
// the chain is replayed from genesis.
func TestCrashRecovery(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		t.Skip("running as the crash child")
	}
	rounds := 20
	if testing.Short() {
		rounds = 5
	}
	if os.Getenv("BTUI_LONG") == "1" {
		rounds = 100
	}
	dir := t.TempDir()
	c, err := Open(dir, WithGenesis(genesisWith(benchKeys(t, 40), 1_000*protocol.RaoPerTAO)), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	var reported []protocol.TxHash
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		ready := false
		cut := ""
		var kill <-chan time.Time
		timeout := time.After(60 * time.Second)
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break read
				}
				switch {
				case l == "ready":
					ready = true
					// Until some transaction was reported included (a slow -race start),
					// the kill is armed by the first inclusion instead.
					if len(reported) > 0 {
						kill = time.After(time.Duration(20+rng.IntN(300)) * time.Millisecond)
					}
				case cut != "":
					t.Fatalf("child said %q, then more: %q", cut, l)
				case strings.HasPrefix(l, "included "):
					h, err := protocol.ParseHash(strings.TrimPrefix(l, "included "))
					if err != nil {
						// The kill can land between two writes of one line (the child's
						// buffered writer flushes when full): only the last line may be cut.
						cut = l
						continue
					}
					if len(reported) == 0 {
						kill = time.After(time.Duration(rng.IntN(300)) * time.Millisecond)
					}
					reported = append(reported, h)
				default:
					t.Logf("child: %s", l)
				}
			case <-kill:
				cmd.Process.Signal(syscall.SIGKILL)
				kill = nil
			case <-timeout:
				cmd.Process.Kill()
				t.Fatal("child did not get ready or die in time")
			}
		}
		err = cmd.Wait()
		if !ready {
			t.Fatalf("round %d: child exited before it was ready: %v", round, err)
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended without SIGKILL: %v", round, err)
		}
		c, err := Open(dir, WithBlockTime(0))
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		if err := c.Check(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		// Check indexes every body's transactions (verifyChain), so the index is enough here.
		err = c.view(func(tx *bboltTx) error {
			for _, h := range reported {
				if _, _, ok := lookupTx(tx, h); !ok {
					return fmt.Errorf("transaction %s was reported included but is gone", h)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		c.Close()
	}
	if len(reported) == 0 {
		t.Fatal("the children never reported an included transaction")
	}
	c, err = Open(dir, WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	t.Logf("%d kills, %d transactions reported included, head %d", rounds, len(reported), c.Head().Height)
	if err := c.Replay(context.Background(), t.TempDir()); err != nil {
		t.Fatal(err)
	}
}
