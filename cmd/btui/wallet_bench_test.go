package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
)

// walletBenchFixture writes wallets w00..w(n-1), each with an encrypted coldkey and hotkeys
// h0..h(m-1), under dir.
func walletBenchFixture(tb testing.TB, dir string, wallets, hotkeys int) {
	tb.Helper()
	s, err := keystore.New(dir, keystore.WithKDFParams(keystore.LightKDFParams()))
	if err != nil {
		tb.Fatal(err)
	}
	key := func(i int) *wallet.Keypair {
		var seed [32]byte
		seed[0], seed[31] = byte(i>>8), byte(i)+1
		kp, err := wallet.FromSeed(seed[:])
		if err != nil {
			tb.Fatal(err)
		}
		return kp
	}
	for w := range wallets {
		name := fmt.Sprintf("w%02d", w)
		if err := s.WriteColdkey(name, keystore.NewKey{Keypair: key(w * 100), Encrypt: true, Password: []byte("pw")}, false); err != nil {
			tb.Fatal(err)
		}
		for h := range hotkeys {
			if err := s.WriteHotkey(name, fmt.Sprintf("h%d", h), keystore.NewKey{Keypair: key(w*100 + h + 1)}, false); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// BenchmarkWalletListJSON is `btui wallet list --json` over 20 wallets × 5 hotkeys, through
// the run function (process start-up excluded; see the README for the binary's wall time).
func BenchmarkWalletListJSON(b *testing.B) {
	dir := b.TempDir()
	walletBenchFixture(b, dir, 20, 5)
	io, out, errOut := NewTestIO("", false)
	f := NewFactory(io)
	f.Opts.WalletPath, f.Opts.JSON = dir, true
	opts := &walletListOptions{f: f}
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := walletListRun(opts); err != nil {
			b.Fatal(err)
		}
	}
	if errOut.Len() != 0 || !bytes.Contains(out.Bytes(), []byte(`"name": "w19"`)) {
		b.Fatalf("unexpected output: %s %s", errOut, out)
	}
}

// TestWalletBenchFixture checks the benchmark's fixture lists as 20 wallets × 5 hotkeys.
func TestWalletBenchFixture(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	walletBenchFixture(t, c.dir, 20, 5)
	doc := decodeJSON[walletListJSON](t, c.ok("", "wallet", "list", "--json").out)
	if len(doc.Wallets) != 20 {
		t.Fatalf("%d wallets", len(doc.Wallets))
	}
	for _, w := range doc.Wallets {
		if len(w.Hotkeys) != 5 || w.Coldkey == nil || !w.Coldkey.Encrypted || len(w.Problems) != 0 {
			t.Fatalf("wallet %+v", w)
		}
	}
	if os.Getenv("BTUI_BENCH_FIXTURE") != "" { // write the fixture for the binary benchmark
		walletBenchFixture(t, os.Getenv("BTUI_BENCH_FIXTURE"), 20, 5)
	}
}

// BenchmarkCLIBinary is the whole process of the real (static) binary, as a script runs it:
// start-up, the command and exit, with a clean environment. The CLI target (≤ 20 ms median on
// the README's first machine) is for these wall times.
//
//	go test ./cmd/btui -run '^$' -bench CLIBinary -benchtime 100x
func BenchmarkCLIBinary(b *testing.B) {
	bin := buildBtui(b)
	home := b.TempDir()
	wallets := filepath.Join(home, "wallets")
	walletBenchFixture(b, wallets, 20, 5)
	datadir := filepath.Join(home, "devnet")
	env := []string{"PATH=/usr/bin:/bin", "HOME=" + home, "XDG_DATA_HOME=" + home + "/data",
		"XDG_CONFIG_HOME=" + home + "/config", "XDG_STATE_HOME=" + home + "/state"}
	run := func(b *testing.B, args ...string) {
		if _, errOut, code := execBtui(b, bin, env, args...); code != 0 {
			b.Fatalf("btui %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
		}
	}
	run(b, "devnet", "init", "--datadir", datadir) // the devnet the subnets row reads
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"version", []string{"version"}},
		{"wallet-list-json", []string{"wallet", "list", "--json", "--wallet-path", wallets}},
		{"subnets-list-json", []string{"subnets", "list", "--json", "--datadir", datadir}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				run(b, tc.args...)
			}
		})
	}
}
