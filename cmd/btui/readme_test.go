package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestREADMEWalkthrough walks the README literally: every line of its shell code blocks runs, as
// written, in a bash on a real terminal (a private tmux server) with a clean environment whose
// HOME, XDG_* and working directory are the test's own. `btui` on the PATH is the binary built
// from this checkout. Prompts are answered the way a person would (the password, "y" to a
// confirmation, "q" to leave the console), and every command must exit 0 unless the README
// itself branches on the failure (`|| echo ...`).
//
// Two lines are not run from inside the suite, and the test says so rather than skipping them
// silently: the set-up block's `go test` line (this test is part of that very command; .ci/run
// runs it, and the test checks .ci/run runs exactly that command) and its `go run` line, which
// is replaced by the same binary the PATH's `btui` is (`go run ./cmd/btui` builds exactly it).
func TestREADMEWalkthrough(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the README walk needs a terminal (apt-get install tmux)")
	}
	if testing.Short() {
		t.Skip("the README walk builds and runs the binary; skipped with -short")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeShellBlocks(string(readme))
	if len(blocks) < 3 {
		t.Fatalf("found %d shell blocks in README.md: the walk expects the set-up, the first session and the scripted section", len(blocks))
	}

	// The set-up block: the test command must be the one .ci/run runs.
	setup := blocks[0]
	var testCmd string
	for _, l := range setup.lines {
		if strings.HasPrefix(l, "go test") {
			testCmd = stripComment(l)
		}
	}
	if testCmd == "" {
		t.Fatalf("the README's first block has no `go test` line:\n%s", strings.Join(setup.lines, "\n"))
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ci), "\n"+testCmd+"\n") {
		t.Errorf(".ci/run does not run the README's test command %q", testCmd)
	}

	root := t.TempDir()
	bin := filepath.Dir(buildBtui(t)) // the PATH's directory: it holds btui alone
	home := filepath.Join(root, "home")
	work := filepath.Join(root, "work")
	for _, d := range []string{home, work} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	sh := &readmeShell{t: t, sock: filepath.Join(root, "tmux.sock"), name: fmt.Sprintf("btui-readme-%d", os.Getpid())}
	env := fmt.Sprintf("env -i PATH=%s:/usr/bin:/bin TERM=xterm-256color HOME=%s XDG_DATA_HOME=%s/.local/share XDG_CONFIG_HOME=%s/.config XDG_STATE_HOME=%s/.local/state BTUI_DEMO=0",
		bin, home, home, home, home)
	rc := filepath.Join(root, "bashrc")
	// The prompt prints the previous command's exit status: the walk reads it off the screen.
	if err := os.WriteFile(rc, []byte("PS1='README$ '\nPROMPT_COMMAND='echo \"[rc=$?]\"'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmdline := fmt.Sprintf("cd %s && %s bash --noprofile --rcfile %s -i", work, env, rc)
	if out, err := sh.tmux("-f", "/dev/null", "new-session", "-d", "-s", sh.name, "-x", "200", "-y", "50", cmdline).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v %s", err, out)
	}
	t.Cleanup(func() {
		_ = sh.tmux("send-keys", "-t", sh.name, "C-c", "").Run()
		_ = sh.tmux("send-keys", "-t", sh.name, "-l", "kill %1 2>/dev/null; exit\n").Run()
		time.Sleep(300 * time.Millisecond)
		_ = sh.tmux("kill-server").Run()
	})
	sh.waitPrompt(30 * time.Second)

	for _, b := range blocks {
		for _, line := range b.lines {
			cmd := stripComment(line)
			switch {
			case cmd == "":
				continue
			case strings.HasPrefix(cmd, "go test"):
				t.Logf("not run from inside the suite (it is the suite; .ci/run runs it): %s", cmd)
				continue
			case strings.HasPrefix(cmd, "go run ./cmd/btui"):
				cmd = "btui" + strings.TrimPrefix(cmd, "go run ./cmd/btui")
			case strings.HasPrefix(cmd, "go install"):
				t.Logf("not run (it would write into the GOPATH of whoever runs the tests): %s", cmd)
				continue
			}
			sh.run(t, cmd, line)
		}
	}
}

// readmeBlock is one ```sh block of the README.
type readmeBlock struct{ lines []string }

// readmeShellBlocks returns the README's ```sh blocks, with continuation lines (ending in \)
// joined.
func readmeShellBlocks(md string) []readmeBlock {
	var blocks []readmeBlock
	var cur *readmeBlock
	pending := ""
	for _, l := range strings.Split(md, "\n") {
		switch {
		case cur == nil && strings.TrimSpace(l) == "```sh":
			cur = &readmeBlock{}
		case cur != nil && strings.TrimSpace(l) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			if strings.HasSuffix(l, "\\") {
				pending += strings.TrimSuffix(l, "\\")
				continue
			}
			cur.lines = append(cur.lines, strings.TrimSpace(pending+l))
			pending = ""
		}
	}
	return blocks
}

// stripComment drops a trailing `# comment` (outside quotes) and surrounding space.
func stripComment(l string) string {
	inS, inD := false, false
	for i, r := range l {
		switch {
		case r == '\'' && !inD:
			inS = !inS
		case r == '"' && !inS:
			inD = !inD
		case r == '#' && !inS && !inD && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return strings.TrimSpace(l[:i])
		}
	}
	return strings.TrimSpace(l)
}

// readmeShell is an interactive bash in a private tmux server.
type readmeShell struct {
	t    *testing.T
	sock string
	name string
	runs int
}

func (s *readmeShell) tmux(args ...string) *exec.Cmd {
	return exec.Command("tmux", append([]string{"-S", s.sock}, args...)...)
}

func (s *readmeShell) screen() string {
	out, _ := s.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", s.name).Output()
	return string(out)
}

func (s *readmeShell) keys(args ...string) {
	if out, err := s.tmux(append([]string{"send-keys", "-t", s.name}, args...)...).CombinedOutput(); err != nil {
		s.t.Fatalf("tmux send-keys: %v %s", err, out)
	}
}

var (
	rcLine   = regexp.MustCompile(`\[rc=(\d+)\]\s*\nREADME\$ \s*$`)
	rcMarker = regexp.MustCompile(`\[rc=(\d+)\]\s*\nREADME\$ `)
)

// waitPrompt waits for the shell's prompt after a command and returns its exit status.
func (s *readmeShell) waitPrompt(timeout time.Duration) (int, string) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		scr := strings.TrimRight(s.screen(), "\n ") + " "
		if m := rcLine.FindStringSubmatch(scr); m != nil {
			var rc int
			fmt.Sscan(m[1], &rc)
			return rc, scr
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("the shell prompt never came back:\n%s", s.screen())
	return 0, ""
}

// run types one README line and answers its prompts until the shell prompt returns.
func (s *readmeShell) run(t *testing.T, cmd, original string) {
	t.Helper()
	s.runs++
	// Clear the screen and scrollback so the prompt check reads only this command's output.
	s.keys("-l", "clear && tmux -S "+s.sock+" clear-history\n")
	s.waitPrompt(10 * time.Second)
	s.keys("-l", cmd+"\n")
	deadline := time.Now().Add(3 * time.Minute)
	answered := map[string]int{}
	// lastAnswered is the screen when the last answer was typed: a prompt is answered again only
	// once the screen changed. The full-screen console is the exception: its q is typed again
	// when the screen stayed the same for 5 s (a key typed before a loaded machine's console
	// reads its terminal is lost; answer caps the retries). A line answer (password, y) is never
	// retyped: unread, it would reach the shell after the command.
	lastAnswered, answeredAt, retry := "", time.Time{}, false
	for time.Now().Before(deadline) {
		time.Sleep(150 * time.Millisecond)
		scr := s.screen()
		if scr == lastAnswered && (!retry || time.Since(answeredAt) < 5*time.Second) {
			continue
		}
		// The screen starts with the marker of the `clear` before it; the command's own marker
		// is the second. A background job (`btui node &`) may print after its prompt.
		if ms := rcMarker.FindAllStringSubmatch(scr, -1); len(ms) >= 2 {
			if rc := ms[len(ms)-1][1]; rc != "0" && !strings.Contains(cmd, "||") {
				t.Fatalf("README line exited %s: %s\n%s", rc, original, scr)
			}
			t.Logf("ok: %s", cmd)
			if strings.HasSuffix(cmd, "&") {
				time.Sleep(3 * time.Second) // let a background server start listening
			}
			return
		}
		last := lastLine(scr)
		switch {
		case strings.Contains(last, "[y/N]"):
			s.answer(answered, "confirm", "y\n")
			lastAnswered, answeredAt, retry = scr, time.Now(), false
		case strings.HasSuffix(strings.TrimRight(last, " "), ":") &&
			(strings.Contains(strings.ToLower(last), "password") || strings.HasPrefix(last, "Repeat")):
			s.answer(answered, last, "readme-walk-password\n")
			lastAnswered, answeredAt, retry = scr, time.Now(), false
		case strings.Contains(scr, "1 Overview") && strings.Contains(scr, "q quit"):
			// the full-screen console: look, then leave it as a person would
			s.answer(answered, "console", "q")
			lastAnswered, answeredAt, retry = scr, time.Now(), true
		case strings.Contains(scr, "Welcome to btui"):
			s.answer(answered, "welcome", "q")
			lastAnswered, answeredAt, retry = scr, time.Now(), true
		}
	}
	t.Fatalf("README line did not finish in 3 minutes: %s\n%s", original, s.screen())
}

// answer types text (with its own Enter where a line is asked) for a prompt, at most a few
// times per prompt so that a command that loops on a wrong answer fails instead of spinning.
func (s *readmeShell) answer(seen map[string]int, prompt, text string) {
	seen[prompt]++
	if seen[prompt] > 3 {
		s.t.Fatalf("prompt %q came back after three answers:\n%s", prompt, s.screen())
	}
	s.keys("-l", text)
	time.Sleep(300 * time.Millisecond)
}

func lastLine(scr string) string {
	lines := strings.Split(strings.TrimRight(scr, "\n "), "\n")
	return lines[len(lines)-1]
}
