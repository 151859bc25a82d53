package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the real btui binary in a detached tmux pane.
type tmuxSession struct {
	t    testing.TB
	name string
	// sock is the test's own tmux server socket: the test never talks to (or inherits the
	// environment of) a tmux server the user is running.
	sock string
}

// tmux runs a tmux command against the session's own server.
func (s *tmuxSession) tmux(args ...string) *exec.Cmd {
	return exec.Command("tmux", append([]string{"-S", s.sock}, args...)...)
}

func (s *tmuxSession) send(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		args := []string{"send-keys", "-t", s.name}
		if rest, ok := strings.CutPrefix(k, "text:"); ok {
			args = append(args, "-l", rest)
		} else {
			args = append(args, k)
		}
		if out, err := s.tmux(args...).CombinedOutput(); err != nil {
			s.t.Fatalf("tmux send-keys %q: %v %s", k, err, out)
		}
	}
}

// esc sends Escape alone: a key sent right after it would reach the console as alt+key (the
// terminal's escape prefix), so the next key waits until the escape has been read.
func (s *tmuxSession) esc() {
	s.t.Helper()
	s.send("Escape")
	time.Sleep(400 * time.Millisecond)
}

func (s *tmuxSession) capture() string {
	out, _ := s.tmux("capture-pane", "-p", "-t", s.name).Output()
	return string(out)
}

// waitFor polls the pane (tmux has no change notification) until it shows every sub.
func (s *tmuxSession) waitFor(timeout time.Duration, subs ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := s.capture()
		missing := ""
		for _, sub := range subs {
			if !strings.Contains(screen, sub) {
				missing = sub
				break
			}
		}
		if missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the console never showed %q:\n%s", missing, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startTmux starts bin in a detached 120×40 pane of a private tmux server. The binary gets a
// clean environment built from scratch (env -i): HOME and XDG_* under dir, no BTUI_* of the
// user's shell, so the console can only ever see the test's own devnet and wallets.
func startTmux(t testing.TB, dir, bin string) *tmuxSession {
	t.Helper()
	name := fmt.Sprintf("btui-smoke-%d", os.Getpid())
	s := &tmuxSession{t: t, name: name, sock: filepath.Join(dir, "tmux.sock")}
	cmdline := fmt.Sprintf("env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME=%[1]s XDG_DATA_HOME=%[1]s/data XDG_CONFIG_HOME=%[1]s/config XDG_STATE_HOME=%[1]s/state %[2]s; sleep 30", dir, bin)
	if out, err := s.tmux("-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "120", "-y", "40", cmdline).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v %s", err, out)
	}
	t.Cleanup(func() { _ = s.tmux("kill-server").Run() })
	return s
}

// TestTUISmokeTmux runs the real binary on a fresh devnet in tmux: create a wallet (mnemonic
// shown once, three words asked back; the demo market offered beside it), fund it from the
// faucet, register the hotkey, import the subnet owner and turn commit-reveal on, commit the
// hotkey's weights and let the console reveal them, register a second hotkey by proof of work, stake with a 50 % price guard typed in the form (the pool price
// moves every block and, under a loaded machine, by more than a few percent between the
// preview and the block: a tight guard then fails with price_limit_exceeded, which is the
// guard working, not the console failing), start the demo market, watch its
// first epoch, open the metagraph, quit.
func TestTUISmokeTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the console smoke test needs it (apt-get install tmux)")
	}
	if testing.Short() {
		t.Skip("the tmux smoke test builds and runs the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := buildBtui(t)
	s := startTmux(t, dir, bin)
	long := 60 * time.Second

	// a fresh devnet: the demo market is offered beside the wallet (this test declines it)
	s.waitFor(long, "Welcome to btui", "create a new wallet", "This devnet is fresh", "start the demo market")
	s.send("c")
	s.waitFor(long, "Name the wallet")
	s.send("Enter")
	s.waitFor(long, "Coldkey password")
	s.send("text:smoke-pass", "Enter", "text:smoke-pass", "Enter")
	screen := s.waitFor(long, "Write these words down")
	words := map[int]string{}
	for _, m := range regexp.MustCompile(`(\d+)\. ([a-z]+)`).FindAllStringSubmatch(screen, -1) {
		n, _ := strconv.Atoi(m[1])
		words[n] = m[2]
	}
	if len(words) != 12 {
		t.Fatalf("read %d mnemonic words off the screen:\n%s", len(words), screen)
	}
	s.send("Enter")
	for i := 1; i <= 3; i++ {
		screen = s.waitFor(long, fmt.Sprintf("Check %d of 3", i))
		m := regexp.MustCompile(`word #(\d+)`).FindStringSubmatch(screen)
		n, _ := strconv.Atoi(m[1])
		s.send("text:"+words[n], "Enter")
	}
	s.waitFor(long, "Wallet default is ready")
	s.send("Enter")
	s.waitFor(long, "Portfolio — default", "free")

	s.send("7", "F")
	s.waitFor(long, "Devnet faucet")
	s.send("Enter", "Enter")
	s.waitFor(long, "Confirm (y)")
	s.send("y")
	s.waitFor(long, "faucet paid 1,000.000000000")

	s.send("5")
	s.waitFor(long, "Burn cost")
	s.send("b")
	s.waitFor(long, "Register hotkey", "Confirm (y)")
	s.send("y")
	s.waitFor(long, "Unlock coldkey default")
	s.send("text:smoke-pass", "Enter")
	s.waitFor(long, "on subnet 1: done in block")

	s.send("3", "a")
	s.waitFor(long, "Add stake from default")
	s.send("Tab", "Tab", "text:0.2", "Tab", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "text:0.5", "Enter", "Enter")
	s.waitFor(long, "expected", "50%: limit", "Confirm (y)")
	s.send("y")
	s.waitFor(long, "Unlock coldkey default")
	s.send("text:smoke-pass", "Enter")
	s.waitFor(long, "done in block")

	// commit then reveal: the subnet owner (//Alice, imported) turns commit-reveal on, the
	// hotkey gets a fee from the faucet, commits its weights and asks for the auto-reveal,
	// which the console does when the window opens
	s.send("2", "i")
	s.waitFor(long, "Name the wallet")
	s.send("text:owner", "Enter")
	s.waitFor(long, "Type or paste the mnemonic")
	s.send("text://Alice", "Enter")
	s.waitFor(long, "two accounts", "▸ ecdsa") // the genesis owner is the ecdsa //Alice, which holds funds
	s.send("Enter")
	s.waitFor(long, "Coldkey password")
	s.send("text:owner-pass", "Enter", "text:owner-pass", "Enter")
	s.waitFor(long, "Wallet owner is ready")
	s.send("Enter")
	s.send("/", "text:owner", "Enter", "Space")
	s.waitFor(long, "selected: owner/")
	s.esc()
	s.send("4")
	s.waitFor(long, "sn1")
	s.send("j", "p")
	s.waitFor(long, "Subnet 1 — hyperparameters", "commit_reveal")
	s.send("/", "text:commit_reveal", "Enter", "e")
	s.waitFor(long, "Set commit_reveal of subnet 1")
	s.send("C-u", "text:true", "Enter")
	s.waitFor(long, "Set commit_reveal of subnet 1 to", "Confirm (y)")
	s.send("y")
	s.waitFor(long, "Unlock coldkey owner")
	s.send("text:owner-pass", "Enter")
	s.waitFor(long, "commit_reveal of subnet 1 to 1 (as sudo): done in block")
	s.esc()
	s.esc()
	s.send("2", "g", "Space")
	s.waitFor(long, "selected: default/default")
	s.send("7", "F")
	s.waitFor(long, "Devnet faucet")
	s.send("C-u", "text:default/default", "Tab", "Enter")
	s.waitFor(long, "Confirm (y)")
	s.send("y")
	s.waitFor(long, "faucet paid")
	s.send("6")
	s.waitFor(long, "Weights", "uid 1", "chain weights")
	s.send("G", "+")
	s.waitFor(long, "draft (x discards)")
	s.send("C")
	s.waitFor(long, "Commit weights of", "Confirm (y)")
	s.send("y")
	s.waitFor(long, "on subnet 1: done in block", "commit sn1 #", "window #")
	s.send("A")
	s.waitFor(long, "auto-reveal on")
	s.waitFor(long, "Reveal weights of", "on subnet 1: done in block")

	// proof-of-work registration of a second hotkey on a producing chain: confirmed and
	// unlocked first, then solved and sent at once
	s.send("2", "n")
	s.waitFor(long, "New hotkey for default")
	s.send("text:miner2", "Enter")
	s.waitFor(long, "Hotkey miner2 created")
	s.send("Enter", "/", "text:miner2", "Enter", "Space")
	s.waitFor(long, "selected: default/miner2")
	s.esc()
	s.send("5")
	s.waitFor(long, "PoW difficulty")
	s.send("w")
	s.waitFor(long, "solved after you unlock the coldkey", "Confirm (y)")
	s.send("y")
	s.waitFor(long, "Unlock coldkey default")
	s.send("text:smoke-pass", "Enter")
	s.waitFor(long, "on subnet 1 with proof of work: done in block")

	// the demo market from the Simulation page: set up and the first epoch in real time
	s.send("8", "d")
	s.waitFor(long, "Simulation — demo", "tempo 1/20", "honest", "stake share")
	// stopped, a second run starts (the page used to stay at "starting …")
	s.send("x")
	s.waitFor(long, "simulation demo stopped")
	s.send("d")
	s.waitFor(long, "simulation demo started")
	s.send("x")
	s.waitFor(long, "stopped")

	s.send("4")
	s.waitFor(long, "sn1")
	s.send("j", "Enter")
	s.waitFor(long, "— metagraph", "neurons")

	s.send("q")
	deadline := time.Now().Add(long)
	for strings.Contains(s.capture(), "— metagraph") {
		if time.Now().After(deadline) {
			t.Fatalf("q did not quit the console:\n%s", s.capture())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
