package main

import (
	"encoding/json"
	"errors"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/btui/btui/protocol"
)

// TestWeightsCommitAutoRevealOnTheBinary: on the embedded devnet (tempo 10, commit-reveal on)
// `weights commit --auto-reveal` commits, produces blocks until the reveal window opens and
// reveals in it, printing one JSON document; Ctrl-C while it waits leaves the commit, prints the
// reveal command, exits 130, and that command then reveals by hand.
func TestWeightsCommitAutoRevealOnTheBinary(t *testing.T) {
	t.Parallel()
	c := newBinCLI(t)
	var created txResult
	c.json(&created, "subnets", "create", "--wallet-name", "//Alice", "--yes")
	n := afterNetuid(t, created)
	c.ok("subnets", "start", "--netuid", n, "--wallet-name", "//Alice", "--yes")
	c.ok("subnets", "register", "--netuid", n, "--wallet-name", "//Bob", "--yes")
	c.ok("stake", "add", "--netuid", n, "--amount", "10", "--wallet-name", "//Bob", "--unsafe", "--yes")
	c.ok("devnet", "advance", "12") // an epoch: Bob's validator permit
	c.ok("sudo", "set", "--netuid", n, "--param", "commit_reveal", "--value", "true", "--wallet-name", "//Alice", "--yes")
	commit := []string{"weights", "commit", "--netuid", n, "--uids", "0,1", "--weights", "1,2", "--wallet-name", "//Bob", "--auto-reveal", "--yes"}

	var doc autoRevealJSON
	c.json(&doc, commit...)
	ar := doc.AutoReveal
	if !doc.OK || ar.RevealFrom == 0 || ar.RevealUntil < ar.RevealFrom || ar.Reveal == nil || !ar.Reveal.OK {
		t.Fatalf("auto-reveal document: ok %v %+v", doc.OK, ar)
	}
	// Both results say where they went, as every transaction's result does.
	if doc.Network == "" || doc.GenesisHash == (protocol.Hash{}) || ar.Reveal.Network != doc.Network || ar.Reveal.GenesisHash != doc.GenesisHash {
		t.Fatalf("auto-reveal results without their network: commit %q %s, reveal %q %s", doc.Network, doc.GenesisHash, ar.Reveal.Network, ar.Reveal.GenesisHash)
	}
	if b := ar.Reveal.Tx.Block; b < ar.RevealFrom || b > ar.RevealUntil || doc.Tx.Block >= ar.RevealFrom {
		t.Fatalf("committed in %d, revealed in %d, window %d–%d", doc.Tx.Block, b, ar.RevealFrom, ar.RevealUntil)
	}
	revealed := false
	for _, e := range ar.Reveal.Events {
		revealed = revealed || e.Name == "WeightsRevealed"
	}
	if !revealed {
		t.Fatalf("reveal events %+v", ar.Reveal.Events)
	}

	// Ctrl-C while waiting: the commit stays, the reveal command is printed, exit 130.
	cmd := exec.Command(c.bin, append(commit, "--json", "--datadir", c.dir, "--wallet-path", c.wallets)...)
	cmd.Env = c.env
	var out, errOut syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the wait for the reveal window", func() bool { return strings.Contains(errOut.String(), "reveal window: blocks") })
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitInterrupted {
		t.Fatalf("exit %v after Ctrl-C\n%s", err, errOut.String())
	}
	stderr := errOut.String()
	if !regexp.MustCompile(`(?m)^\s+network\s+\S`).MatchString(stderr) {
		t.Errorf("the preview does not name the network:\n%s", stderr)
	}
	if !strings.Contains(stderr, "the commit stays on chain") || !strings.HasSuffix(strings.TrimSpace(stderr), "interrupted") || strings.Contains(stderr, "context canceled") {
		t.Fatalf("stderr after Ctrl-C:\n%s", stderr)
	}
	var cut autoRevealJSON
	if err := json.Unmarshal([]byte(out.String()), &cut); err != nil || cut.AutoReveal.Reveal != nil || !cut.OK {
		t.Fatalf("document after Ctrl-C (%v):\n%s", err, out.String())
	}
	// The printed command reveals it by hand in the window.
	args := strings.Fields(cut.AutoReveal.RevealCommand)
	if len(args) < 3 || args[0] != "btui" || args[1] != "weights" || args[2] != "reveal" {
		t.Fatalf("reveal command %q", cut.AutoReveal.RevealCommand)
	}
	if h := c.head(); h+1 < cut.AutoReveal.RevealFrom {
		c.ok("devnet", "advance", strconv.FormatUint(cut.AutoReveal.RevealFrom-h-1, 10))
	}
	var res txResult
	c.json(&res, append(args[1:], "--yes")...)
	if !res.OK {
		t.Fatalf("reveal by hand: %+v", res.Receipt)
	}
}

// TestWeightsCommitAutoRevealCountdown: on a terminal the wait shows the window and a countdown
// updated in place, then the reveal.
func TestWeightsCommitAutoRevealCountdown(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	n := afterNetuid(t, c.tx("subnets", "create", "--wallet-name", "//Alice"))
	c.tx("subnets", "start", "--netuid", n, "--wallet-name", "//Alice")
	c.tx("subnets", "register", "--netuid", n, "--wallet-name", "//Bob")
	c.tx("stake", "add", "--netuid", n, "--amount", "10", "--wallet-name", "//Bob", "--unsafe")
	c.ok("devnet", "advance", "12")
	c.tx("sudo", "set", "--netuid", n, "--param", "commit_reveal", "--value", "true", "--wallet-name", "//Alice")
	c.ok("devnet", "advance", "2") // the commit lands early in an epoch: its window opens blocks later
	r := c.runIO("", true, "weights", "commit", "--netuid", n, "--uids", "0,1", "--weights", "1,2", "--wallet-name", "//Bob", "--auto-reveal", "--yes")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.errOut)
	}
	for _, want := range []string{"reveal window: blocks ", "\r\033[Kopens in ", " block(s), ~", "reveal window open at block "} {
		if !strings.Contains(r.errOut, want) {
			t.Fatalf("the terminal output lacks %q:\n%q", want, r.errOut)
		}
	}
	if strings.Count(r.out, "result       ok") != 2 || !strings.Contains(r.out, "WeightsRevealed") {
		t.Fatalf("receipts:\n%s", r.out)
	}
}
