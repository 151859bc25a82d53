package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
)

// Wallet command tests run the whole command tree (NewRootCmd, flag parsing, the run
// functions, error printing and exitCode, exactly as Run does) over a temporary wallet path,
// with buffer-backed IO (NewTestIO), a fake environment, and light KDF parameters set through
// Factory.KeystoreOptions. That field is the only way to lower the KDF cost: no flag or
// environment variable does it, and TestWalletRunUsesDefaultKDF checks that the real Run
// writes keyfiles with keystore.DefaultKDFParams.

// walletCLI is a test's wallet path and environment.
type walletCLI struct {
	t   *testing.T
	dir string
	env map[string]string
}

type walletRunResult struct {
	code        int
	out, errOut string
}

func newWalletCLI(t *testing.T) *walletCLI {
	t.Helper()
	return &walletCLI{t: t, dir: filepath.Join(t.TempDir(), "wallets"), env: map[string]string{}}
}

// run executes `btui args... --wallet-path dir` as Run does, with stdin and a terminal or not.
func (c *walletCLI) run(stdin string, tty bool, args ...string) walletRunResult {
	c.t.Helper()
	io, out, errOut := NewTestIO(stdin, tty)
	f := NewFactory(io)
	f.Env = func(k string) (string, bool) { v, ok := c.env[k]; return v, ok }
	f.KeystoreOptions = []keystore.Option{keystore.WithKDFParams(keystore.LightKDFParams())}
	code := RunFactory(context.Background(), f, append(append([]string{}, args...), "--wallet-path", c.dir))
	return walletRunResult{code: code, out: out.String(), errOut: errOut.String()}
}

// ok runs a command that must succeed.
func (c *walletCLI) ok(stdin string, args ...string) walletRunResult {
	c.t.Helper()
	r := c.run(stdin, false, args...)
	if r.code != 0 {
		c.t.Fatalf("btui %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.errOut)
	}
	return r
}

// file writes a file in the test's temporary directory and returns its path.
func (c *walletCLI) file(name, content string) string {
	c.t.Helper()
	p := filepath.Join(filepath.Dir(c.dir), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return p
}

func (c *walletCLI) store() *keystore.Store {
	c.t.Helper()
	s, err := keystore.New(c.dir, keystore.WithKDFParams(keystore.LightKDFParams()))
	if err != nil {
		c.t.Fatal(err)
	}
	return s
}

// treeHash hashes every path, mode and file content under dir (a missing dir hashes as empty).
func walletTreeHash(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		line := p + " " + info.Mode().String()
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			line += " " + hex.EncodeToString(sum[:])
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

const (
	testAlicePW     = "alice password"
	testCrowdPhrase = "crowd swamp sniff machine grid pretty client emotion banana cricket flush soap"
)

// walletFixture makes wallet "alice" (encrypted coldkey from the dev phrase //Alice, plaintext
// hotkey "default" = //Bob, encrypted hotkey "locked" = //Charlie with the same password) and
// wallet "dev" (unencrypted coldkey //Dave, no hotkeys).
func walletFixture(t *testing.T, c *walletCLI) {
	t.Helper()
	s := c.store()
	kp := func(suri string) *wallet.Keypair {
		k, err := wallet.FromSURI(suri)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	if err := s.CreateWallet("alice",
		keystore.NewKey{Keypair: kp("//Alice"), Mnemonic: []byte(wallet.DevPhrase), Path: []byte("//Alice"), Encrypt: true, Password: []byte(testAlicePW)},
		"default", keystore.NewKey{Keypair: kp("//Bob")}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteHotkey("alice", "locked", keystore.NewKey{Keypair: kp("//Charlie"), Encrypt: true, Password: []byte(testAlicePW)}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteColdkey("dev", keystore.NewKey{Keypair: kp("//Dave")}, false); err != nil {
		t.Fatal(err)
	}
}

func devAddress(t *testing.T, name string) string {
	t.Helper()
	k, err := wallet.FromSURI("//" + name)
	if err != nil {
		t.Fatal(err)
	}
	return k.Address()
}

func TestWalletRunUsesDefaultKDF(t *testing.T) {
	// Through the real Run (no test options): new keyfiles get the strong default parameters.
	if testing.Short() {
		t.Skip("runs argon2id with the default (64 MiB) parameters")
	}
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	io, out, errOut := NewTestIO("", false)
	code := runClean(t, context.Background(), io, []string{"wallet", "new-coldkey", "--wallet-path", dir, "--name", "w", "--password-file", pw, "--json"})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc walletWriteResultJSON
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	kdf := doc.Coldkey.KDF
	d := keystore.DefaultKDFParams()
	if kdf == nil || kdf.Time != d.Time || kdf.MemoryKiB != d.Memory || kdf.Threads != d.Threads {
		t.Fatalf("kdf in output = %+v, want %+v", kdf, d)
	}
	s, _ := keystore.New(dir)
	kf, err := s.ReadColdkey("w")
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := kf.KDFParams(); p != d {
		t.Fatalf("keyfile kdf = %+v, want %+v", p, d)
	}
}

// TestWalletHarnessMatchesRun guards walletCLI.run against drifting from Run: for commands
// that need no environment or KDF, both give the same exit code, stdout and stderr.
func TestWalletHarnessMatchesRun(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	walletFixture(t, c)
	for _, args := range [][]string{
		{"wallet", "list", "--json"},
		{"wallet", "inspect", "--name", "alice"},
		{"wallet", "sign", "--name", "nobody", "--message", "m"},
		{"wallet", "frobnicate"},
		{"wallet", "list", "--no-such-flag"},
		{"wallet", "verify", "--address", "//Alice", "--message-hex", "deadbeef", "--signature", aliceDeadbeefSig},
	} {
		io, out, errOut := NewTestIO("", false)
		code := runClean(t, context.Background(), io, append(append([]string{}, args...), "--wallet-path", c.dir))
		r := c.run("", false, args...)
		if code != r.code || out.String() != r.out || errOut.String() != r.errOut {
			t.Errorf("%v: Run gives %d %q %q, the harness %d %q %q", args, code, out, errOut, r.code, r.out, r.errOut)
		}
	}
}
