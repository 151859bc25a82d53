package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btui/btui/wallet"
)

// Without --json, a stdout that is not a terminal gets no mnemonics unasked: create refuses
// with exit 2 before anything exists, and says how to ask.
func TestWalletCreateRefusesMnemonicsOnNonTerminal(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	c.env[envPassword] = "env password"
	before := walletTreeHash(t, c.dir)
	r := c.run("", false, "wallet", "create", "--name", "w")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "stdout is not a terminal") ||
		!strings.Contains(r.errOut, "--mnemonic-out FILE") || !strings.Contains(r.errOut, "--show-mnemonic") ||
		!strings.Contains(r.errOut, "nothing was created") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.out, r.errOut)
	}
	if r.out != "" {
		t.Fatalf("stdout: %q", r.out)
	}
	if after := walletTreeHash(t, c.dir); after != before {
		t.Fatal("the refused create changed the wallet directory")
	}

	// On a terminal, with --json, or with --show-mnemonic the mnemonics are printed.
	if r := c.run("pw\npw\n", true, "wallet", "create", "--name", "tty"); r.code != 0 || !strings.Contains(r.out, "  coldkey: ") {
		t.Fatalf("terminal: exit %d %s %s", r.code, r.out, r.errOut)
	}
	if r := c.ok("", "wallet", "create", "--name", "j", "--json"); !strings.Contains(r.out, `"mnemonic": "`) {
		t.Fatalf("--json: %s", r.out)
	}
	// A dev --uri has no mnemonic: nothing to refuse.
	c.ok("", "wallet", "create", "--name", "dev", "--uri", "//Alice", "--no-password")

	// --mnemonic-out writes them to a new 0600 file and not to stdout.
	out := filepath.Join(t.TempDir(), "w.mnemonic")
	r = c.ok("", "wallet", "create", "--name", "w", "--mnemonic-out", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	var phrases []string
	for _, line := range strings.Split(string(b), "\n") {
		if _, m, ok := strings.Cut(line, ": "); ok && !strings.HasPrefix(line, "#") {
			phrases = append(phrases, m)
		}
	}
	if len(phrases) != 2 || wallet.ValidateMnemonic(phrases[0]) != nil || wallet.ValidateMnemonic(phrases[1]) != nil {
		t.Fatalf("mnemonic file:\n%s", b)
	}
	for _, p := range phrases {
		if strings.Contains(r.out+r.errOut, p) {
			t.Fatal("a mnemonic reached stdout or stderr")
		}
	}
	key, err := c.store().LoadColdkey("w", func() ([]byte, error) { return []byte("env password"), nil })
	if err != nil {
		t.Fatal(err)
	}
	if string(key.Mnemonic) != phrases[0] {
		t.Fatal("the file's coldkey mnemonic is not the coldkey's")
	}
	key.Zero()

	// An existing --mnemonic-out file is never overwritten, and nothing is created.
	before = walletTreeHash(t, c.dir)
	if r := c.run("", false, "wallet", "create", "--name", "w2", "--mnemonic-out", out); r.code != ExitUsage || !strings.Contains(r.errOut, "already exists") {
		t.Fatalf("existing --mnemonic-out: %d %s", r.code, r.errOut)
	}
	if walletTreeHash(t, c.dir) != before {
		t.Fatal("a refused create changed the wallet directory")
	}
}
