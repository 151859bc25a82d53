package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptedExitCode: a cancellation is "interrupted" with 130 whatever wraps it, and any
// error of a command whose context Ctrl-C cancelled is too.
func TestInterruptedExitCode(t *testing.T) {
	t.Parallel()
	live := context.Background()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	wrapped := withCode(ExitFailed, fmt.Errorf("wait for the block: %w", context.Canceled))
	cases := []struct {
		ctx  context.Context
		err  error
		intr bool
		code int
	}{
		{live, nil, false, ExitOK},
		{live, context.Canceled, true, ExitInterrupted},
		{live, wrapped, true, ExitInterrupted},
		{cancelled, errors.New("read tcp: use of closed network connection"), true, ExitFailed},
		{cancelled, nil, false, ExitOK},
		{live, usageErrorf("bad"), false, ExitUsage},
	}
	for i, c := range cases {
		if got := interrupted(c.ctx, c.err); got != c.intr {
			t.Errorf("case %d: interrupted = %v", i, got)
		}
		if got := exitCode(c.err); got != c.code {
			t.Errorf("case %d: exit code %d, want %d", i, got, c.code)
		}
	}
}

// TestCtrlCOnTheBinary: SIGINT to the real binary in the middle of a long command ends it with
// exit 130 and the one line "interrupted" (no "context canceled", no "Error:"), and the devnet
// it held opens again.
func TestCtrlCOnTheBinary(t *testing.T) {
	t.Parallel()
	c := newBinCLI(t)
	c.ok("chain", "info")
	cmd := exec.Command(c.bin, "devnet", "advance", "10000000", "--datadir", c.dir)
	cmd.Env = c.env
	var out, errOut syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // opening the devnet and producing blocks
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitInterrupted {
		t.Fatalf("exit %v, want %d\n%s", err, ExitInterrupted, errOut.String())
	}
	stderr := errOut.String()
	if !strings.HasSuffix(strings.TrimSpace(stderr), "interrupted") || strings.Contains(stderr, "context canceled") || strings.Contains(strings.ToLower(stderr), "error") {
		t.Fatalf("stderr after Ctrl-C:\n%s", stderr)
	}
	if out.String() != "" {
		t.Fatalf("stdout after Ctrl-C: %q", out.String())
	}
	c.ok("chain", "check")
}

// TestCtrlCAtAPromptOnTheBinary: Ctrl-C at a confirmation and at a password prompt (on a real
// terminal, in tmux) ends the command at once with 130 and "interrupted", and leaves the
// terminal echoing again.
func TestCtrlCAtAPromptOnTheBinary(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the prompt test needs a terminal (apt-get install tmux)")
	}
	t.Parallel()
	c := newBinCLI(t)
	c.ok("wallet", "create", "--wallet-name", "w", "--json")
	c.ok("devnet", "faucet", "w", "10")
	dir := t.TempDir()
	s := &tmuxSession{t: t, name: fmt.Sprintf("btui-intr-%d", time.Now().UnixNano()), sock: filepath.Join(dir, "tmux.sock")}
	run := func(args string) string {
		return fmt.Sprintf("trap true INT; env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME=%[1]s XDG_DATA_HOME=%[1]s/data XDG_CONFIG_HOME=%[1]s/config %[2]s %[3]s --datadir %[4]s --wallet-path %[5]s; echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?echo'",
			dir, c.bin, args, c.dir, c.wallets)
	}
	cmdline := run("wallet transfer --wallet-name //Alice --dest //Bob --amount 1") + "; " +
		run("wallet transfer --wallet-name w --dest //Bob --amount 1") + "; sleep 60"
	if out, err := s.tmux("-f", "/dev/null", "new-session", "-d", "-s", s.name, "-x", "120", "-y", "40", cmdline).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v %s", err, out)
	}
	t.Cleanup(func() { _ = s.tmux("kill-server").Run() })
	long := 60 * time.Second
	s.waitFor(long, "[y/N]")
	s.send("C-c")
	s.waitFor(long, "EXIT=", "sender after     8.9999 TAO", "[y/N]")
	s.send("text:y", "Enter")
	s.waitFor(long, "assword")
	s.send("C-c")
	var screen string
	deadline := time.Now().Add(long)
	for screen = s.capture(); strings.Count(screen, "EXIT=") < 2 || strings.Count(screen, "echo") < 2; screen = s.capture() {
		if time.Now().After(deadline) {
			t.Fatalf("the commands did not end after Ctrl-C:\n%s", screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if strings.Count(screen, "EXIT=130") != 2 || strings.Count(screen, "interrupted") != 2 || strings.Contains(screen, "-echo") ||
		strings.Contains(screen, "context canceled") || strings.Contains(screen, "rror") {
		t.Fatalf("after Ctrl-C at the prompts:\n%s", screen)
	}
}
