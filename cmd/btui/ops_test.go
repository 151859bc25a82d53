package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btui/btui/protocol"
)

// TestStakePreviewMatchesChain: the quote shown before a trade is what the chain does — the
// expected alpha of a buy is the stake credited, the expected TAO of a sell is the TAO paid.
func TestStakePreviewMatchesChain(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	c.ok("wallet", "create", "--wallet-name", "w", "--json")
	c.ok("devnet", "faucet", "w", "1000")
	raw := c.json(new(txResult), "stake", "add", "--netuid", "1", "--amount", "7.25", "--wallet-name", "w", "--hotkey-ss58", "//Alice", "--tolerance", "0.5", "--yes")
	for _, want := range []string{"price", "you pay", "swap fee", "expected", "slippage", "price after", "tolerance", "50%: limit", "balance after"} {
		if !strings.Contains(raw.errOut, want) {
			t.Errorf("the preview on stderr lacks %q:\n%s", want, raw.errOut)
		}
	}
	var r txResult
	decodeOne(t, raw.out, &r)
	var pv stakeTradePreviewJSON
	var after stakeAfterJSON
	decodeOne(t, string(r.Preview), &pv)
	decodeOne(t, string(r.After), &after)
	if !pv.Quote.Exact || pv.Quote.ExpectedOut == 0 || after.Stake != pv.Quote.ExpectedOut {
		t.Fatalf("buy: quoted %d alpha (exact %v), staked %d", pv.Quote.ExpectedOut, pv.Quote.Exact, after.Stake)
	}
	if after.Free != pv.BalanceAfter {
		t.Fatalf("buy: balance after %d, previewed %d", after.Free, pv.BalanceAfter)
	}
	if pv.Quote.LimitPrice != pv.Quote.Price*3/2 || pv.Quote.TolerancePPM != 500_000 {
		t.Fatalf("limit price %d for price %d and tolerance 0.5", pv.Quote.LimitPrice, pv.Quote.Price)
	}
	r = c.tx("stake", "remove", "--netuid", "1", "--amount", "3", "--wallet-name", "w", "--hotkey-ss58", "//Alice", "--tolerance", "0.5")
	var rpv stakeRemovePreviewJSON
	decodeOne(t, string(r.Preview), &rpv)
	decodeOne(t, string(r.After), &after)
	if after.Free != rpv.BalanceAfter || rpv.Quote.Side != "sell" || after.Stake != rpv.StakeAfter {
		t.Fatalf("sell: free %d stake %d, previewed %d and %d (%+v)", after.Free, after.Stake, rpv.BalanceAfter, rpv.StakeAfter, rpv.Quote)
	}
}

// TestTxConfirmOnTerminal: on a terminal without --yes the preview is shown and the answer
// decides; "n" submits nothing.
func TestTxConfirmOnTerminal(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	c.ok("wallet", "create", "--wallet-name", "w", "--json")
	c.ok("devnet", "faucet", "w", "10")
	r := c.runIO("n\n", true, "wallet", "transfer", "--wallet-name", "w", "--dest", "//Bob", "--amount", "1")
	if r.code != ExitFailed || !strings.Contains(r.errOut, "recipient after") || !strings.Contains(r.errOut, "Submit to devnet? [y/N]") ||
		!strings.Contains(r.errOut, "nothing was changed") || r.out != "" {
		t.Fatalf("declined: exit %d\nstdout %s\nstderr %s", r.code, r.out, r.errOut)
	}
	var b walletBalanceJSON
	c.json(&b, "wallet", "balance", "--wallet-name", "w")
	if b.Balances[0].Free != 10*protocol.RaoPerTAO {
		t.Fatalf("declined transfer moved funds: %+v", b)
	}
	// Accepted: the password comes from the prompt after the confirmation.
	delete(c.env, envPassword)
	r = c.runIO("y\n"+opsPassword+"\n", true, "wallet", "transfer", "--wallet-name", "w", "--dest", "//Bob", "--amount", "1")
	if r.code != 0 || !strings.Contains(r.out, "result       ok") || !strings.Contains(r.out, "balances.Transfer") {
		t.Fatalf("accepted: exit %d\nstdout %s\nstderr %s", r.code, r.out, r.errOut)
	}
}

// TestPowRegisterProgressOnTerminal: pow-register draws its progress bar (hashes, rate,
// elapsed) on a terminal, and the registration lands.
func TestPowRegisterProgressOnTerminal(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	c.ok("wallet", "create", "--wallet-name", "m", "--json")
	c.ok("devnet", "faucet", "m", "10")
	// Difficulty high enough to take more than one chunk of nonces.
	c.tx("sudo", "set", "--netuid", "1", "--param", "difficulty", "--value", "300000", "--wallet-name", "//Alice")
	r := c.runIO("", true, "subnets", "pow-register", "--netuid", "1", "--wallet-name", "m", "--yes")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.out, r.errOut)
	}
	if !strings.Contains(r.errOut, "\r[") || !strings.Contains(r.errOut, "kH/s") || !strings.Contains(r.errOut, "hashes") {
		t.Fatalf("no progress bar on the terminal:\n%q", r.errOut)
	}
	if !strings.Contains(r.out, "uid") {
		t.Fatalf("no uid in the result:\n%s", r.out)
	}
}

// TestConfigDefaults: config set writes the file atomically, the factory takes its defaults,
// a flag or environment variable still wins, --unset removes a key.
func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	c.ok("wallet", "create", "--wallet-name", "alice", "--json")
	c.ok("devnet", "faucet", "alice", "5")
	c.ok("config", "set", "wallet-name", "alice")
	path := filepath.Join(c.env["XDG_CONFIG_HOME"], "btui", "config.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil || m["wallet-name"] != "alice" {
		t.Fatalf("config file: %s (%v)", b, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".config-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	var bal walletBalanceJSON
	c.json(&bal, "wallet", "balance")
	if bal.Balances[0].Name != "alice" || bal.Balances[0].Free != 5*protocol.RaoPerTAO {
		t.Fatalf("the config's wallet-name was not used: %+v", bal)
	}
	// The environment wins over the file, the flag over both.
	c.env["BTUI_WALLET_NAME"] = "nosuch"
	if r := c.run("wallet", "balance"); r.code != ExitNotFound {
		t.Fatalf("env did not win over the config: exit %d", r.code)
	}
	c.json(&bal, "wallet", "balance", "--wallet-name", "alice")
	delete(c.env, "BTUI_WALLET_NAME")
	var got configKeyJSON
	c.json(&got, "config", "get", "wallet-name")
	if !got.Set || got.Value != "alice" || got.Path != path {
		t.Fatalf("config get: %+v", got)
	}
	c.ok("config", "set", "--unset", "wallet-name")
	c.json(&got, "config", "get", "wallet-name")
	if got.Set {
		t.Fatalf("--unset left the key: %+v", got)
	}
	// A broken file is reported, not fatal for commands that do not need it.
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := c.run("subnets", "list", "--json")
	if r.code != 0 || !strings.Contains(r.errOut, "warning: config") {
		t.Fatalf("broken config: exit %d, stderr %s", r.code, r.errOut)
	}
}

// TestCompletion: the scripts are generated, and dynamic completion offers wallet names,
// hotkey names and the chain's netuids.
func TestCompletion(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		if r := c.ok("completion", sh); !strings.Contains(r.out, "btui") || len(r.out) < 1000 {
			t.Errorf("%s script: %.200s", sh, r.out)
		}
	}
	c.ok("wallet", "create", "--wallet-name", "val", "--json")
	c.ok("wallet", "new-hotkey", "--wallet-name", "val", "--wallet-hotkey", "miner7", "--json")
	c.ok("chain", "info")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "wallet", "balance", "--wallet-name", ""}, []string{"val"}},
		{[]string{"__complete", "wallet", "transfer", "--dest", ""}, []string{"val", "//Bob"}},
		{[]string{"__complete", "stake", "add", "--wallet-name", "val", "--hotkey-ss58", ""}, []string{"miner7", "default"}},
		{[]string{"__complete", "stake", "add", "--netuid", ""}, []string{"0\troot", "1\t"}},
		{[]string{"__complete", "stake", "move", "--dest-netuid", ""}, []string{"1\t"}},
		{[]string{"__complete", "weights", "set", "--"}, []string{"--uids", "--weights", "--version-key"}},
	} {
		// The word being completed must come last: the test's own flags go first.
		f, _, outputs := c.factory("", false)
		args := append([]string{"__complete", "--wallet-path", c.wallets, "--datadir", c.dir}, tc.args[1:]...)
		if code := RunFactory(t.Context(), f, args); code != 0 {
			t.Fatalf("btui %s: exit %d", strings.Join(args, " "), code)
		}
		out, _ := outputs()
		r := opsResult{out: out}
		for _, w := range tc.want {
			if !strings.Contains(r.out, w) {
				t.Errorf("btui %s: no %q in\n%s", strings.Join(tc.args, " "), w, r.out)
			}
		}
	}
}

func TestParseWeights(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		uids, weights string
		wantU         []uint16
		wantV         []uint16
		err           string
	}{
		// Max-upscaled: w·65535/max, rounded down.
		{"1,2", "0.7,0.3", []uint16{1, 2}, []uint16{65535, 28086}, ""},
		{"5", "0.000000001", []uint16{5}, []uint16{65535}, ""},
		{"0,1,2", "1,1,0", []uint16{0, 1, 2}, []uint16{65535, 65535, 0}, ""},
		{"0,1", "2,1", []uint16{0, 1}, []uint16{65535, 32767}, ""},
		{"0,0", "1,1", nil, nil, "appears twice"},
		{"0,1", "1", nil, nil, "2 uids but 1 weights"},
		{"0", "0", nil, nil, "all zero"},
		{"70000", "1", nil, nil, "not an integer 0..65535"},
		{"0", "1.0000000001", nil, nil, "decimals"},
	} {
		v, err := parseWeights(weightsInput{Uids: tc.uids, Weights: tc.weights})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s / %s: error %v, want %q", tc.uids, tc.weights, err, tc.err)
			}
			continue
		}
		if err != nil || !equalU16(v.Uids, tc.wantU) || !equalU16(v.Values, tc.wantV) {
			t.Errorf("%s / %s: got %v %v (%v), want %v %v", tc.uids, tc.weights, v.Uids, v.Values, err, tc.wantU, tc.wantV)
		}
	}
}

func equalU16(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTradeHelpers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    string
		want uint64
		err  bool
	}{
		{"0.005", 5_000, false}, {"1", 1_000_000, false}, {".5", 500_000, false}, {"0.0000001", 0, true},
		{"-1", 0, true}, {"", 0, true}, {"1e-3", 0, true}, {"0..1", 0, true},
	} {
		got, err := parseDecimal(tc.s, 6)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("parseDecimal(%q) = %d, %v", tc.s, got, err)
		}
	}
	if got := formatDecimal(1_500_000_000, 9); got != "1.5" {
		t.Errorf("formatDecimal = %s", got)
	}
}

// BenchmarkSubnetsList is `btui subnets list --json` through the command layer on the embedded
// devnet: opening the database, the query and the JSON (the wall time of the whole process is
// measured with hyperfine, see the report).
func BenchmarkSubnetsList(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "devnet")
	env := map[string]string{"HOME": b.TempDir()}
	run := func() {
		io, out, _ := NewTestIO("", false)
		f := NewFactory(io)
		f.Env = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
		if code := RunFactory(b.Context(), f, []string{"subnets", "list", "--json", "--datadir", dir}); code != 0 || out.Len() == 0 {
			b.Fatalf("exit %d", code)
		}
	}
	run() // create the devnet
	for b.Loop() {
		run()
	}
}
