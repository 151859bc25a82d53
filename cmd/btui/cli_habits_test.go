package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestResolveNode: btcli's network names resolve from the table, URLs and host:port pass, and
// what btui cannot serve is refused without any lookup.
func TestResolveNode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"local":                 "http://127.0.0.1:9944",
		"LOCAL":                 "http://127.0.0.1:9944",
		"127.0.0.1:9955":        "http://127.0.0.1:9955",
		"http://node.lan:9944/": "http://node.lan:9944",
		"https://10.0.0.2":      "https://10.0.0.2",
	} {
		if got, err := resolveNode(in); err != nil || got != want {
			t.Errorf("resolveNode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"finney":              "entrypoint-finney.opentensor.ai",
		"test":                "test.finney.opentensor.ai",
		"archive":             "archive.chain.opentensor.ai",
		"ws://127.0.0.1:9944": "websocket endpoint",
		"finny":               `unknown network "finny"`,
		"ftp://x":             "scheme",
	} {
		_, err := resolveNode(in)
		if err == nil || !strings.Contains(err.Error(), msg) || exitCode(err) != ExitUsage {
			t.Errorf("resolveNode(%q) = %v (exit %d); want a usage error saying %q", in, err, exitCode(err), msg)
		}
	}
}

// TestCLIHabits: the btcli flags a user types do what btcli does.
func TestCLIHabits(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	c, n := fx.c, fx.netuid
	state := fx.snapshot(t)

	// --no prints the preview, answers no and exits 0 without submitting.
	r := c.run("wallet", "transfer", "--wallet-name", "alice", "--dest", "bob", "--amount", "1", "--no")
	if r.code != 0 || !strings.Contains(r.errOut, "Transfer 1 TAO") || !strings.Contains(r.errOut, "not submitted") || r.out != "" {
		t.Errorf("--no: exit %d\nstdout %s\nstderr %s", r.code, r.out, r.errOut)
	}
	if fx.snapshot(t) != state {
		t.Errorf("--no changed the chain")
	}
	// -n is --netuid, --netuids too (one subnet).
	var show subnetsShowJSON
	c.json(&show, "subnets", "show", "-n", n)
	if got := show.Subnet.Netuid; strconv.Itoa(int(got)) != n {
		t.Errorf("-n %s showed subnet %d", n, got)
	}
	c.json(&show, "subnets", "show", "--netuids", n)
	// --quiet: nothing on stderr; --verbose: the sources.
	r = c.ok("wallet", "transfer", "--wallet-name", "alice", "--dest", "//Bob", "--amount", "1", "--yes", "--quiet")
	if r.errOut != "" {
		t.Errorf("--quiet printed on stderr:\n%s", r.errOut)
	}
	r = c.ok("wallet", "balance", "--wallet-name", "alice", "--verbose")
	if !strings.Contains(r.errOut, "wallets: "+c.wallets+" (flag)") || !strings.Contains(r.errOut, "embedded devnet at "+c.dir) {
		t.Errorf("--verbose:\n%s", r.errOut)
	}
	// --allow-dev-path accepts any //path.
	var res txResult
	c.json(&res, "wallet", "transfer", "--wallet-name", "alice", "--dest", "//Bobb", "--amount", "1", "--yes", "--allow-dev-path")
	if !res.OK {
		t.Errorf("transfer to //Bobb with --allow-dev-path: %+v", res)
	}
	// btui version and --version.
	var v versionInfo
	c.json(&v, "version")
	if v.Module != "github.com/btui/btui" || v.Go == "" {
		t.Errorf("version --json: %+v", v)
	}
	if r := c.ok("--version"); !strings.HasPrefix(r.out, "btui ") {
		t.Errorf("--version: %q", r.out)
	}
	// utils convert: TAO <-> rao, and alpha at the subnet's spot price.
	var conv utilsConvertJSON
	c.json(&conv, "utils", "convert", "--tao", "1.5")
	if conv.Rao != 1_500_000_000 || conv.TAO != "1.5" || conv.Alpha != nil {
		t.Errorf("convert --tao 1.5: %+v", conv)
	}
	c.json(&conv, "utils", "convert", "--rao", "812252346")
	if conv.TAO != "0.812252346" {
		t.Errorf("convert --rao: %+v", conv)
	}
	c.json(&show, "subnets", "show", "--netuid", n)
	c.json(&conv, "utils", "convert", "--alpha", "100", "--netuid", n)
	if want, _ := mulDiv(100_000_000_000, show.Subnet.Price, 1e9); conv.Price == nil || *conv.Price != show.Subnet.Price || conv.Rao != want {
		t.Errorf("convert --alpha 100 at price %d: %+v", show.Subnet.Price, conv)
	}
	// config set node local is accepted (a btui node on btcli's local port).
	c.ok("config", "set", "node", "local")
	c.ok("config", "set", "--unset", "node")
}

// TestWalletSwappedColdkeypub: inspect and balance warn, as list does, when coldkeypub.txt
// names another account than the coldkey file.
func TestWalletSwappedColdkeypub(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	c.ok("wallet", "create", "--wallet-name", "a", "--show-mnemonic")
	c.ok("wallet", "create", "--wallet-name", "b", "--show-mnemonic")
	pub, err := os.ReadFile(filepath.Join(c.wallets, "a", "coldkeypub.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.wallets, "b", "coldkeypub.txt"), pub, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"wallet", "inspect", "--wallet-name", "b"}, {"wallet", "balance", "--wallet-name", "b"}, {"wallet", "balance", "--all"}} {
		r := c.ok(args...)
		if !strings.Contains(r.errOut, "warning: wallet b: key mismatch") {
			t.Errorf("%v does not warn:\n%s", args, r.errOut)
		}
	}
}

// TestTablesFitTheTerminal: wallet balance and subnets list fit a terminal's width by cutting
// addresses in the middle; piped output keeps them whole.
func TestTablesFitTheTerminal(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	for _, n := range []string{"a-wallet-with-a-long-name", "b"} {
		c.ok("wallet", "create", "--wallet-name", n, "--show-mnemonic")
		c.ok("devnet", "faucet", n, "99999.123456789")
	}
	c.ok("subnets", "create", "--wallet-name", "b", "--yes")
	for _, args := range [][]string{{"wallet", "balance", "--all"}, {"subnets", "list"}} {
		for _, width := range []int{0, 100, 80} {
			f, io, outputs := c.factory("", false)
			io.Width = width
			if code := RunFactory(t.Context(), f, c.args(args)); code != 0 {
				_, e := outputs()
				t.Fatalf("%v: exit %d: %s", args, code, e)
			}
			out, _ := outputs()
			cut := strings.Contains(out, "…")
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if n := len([]rune(line)); width > 0 && n > width {
					t.Errorf("%v at width %d: a line of %d columns:\n%s", args, width, n, out)
				}
			}
			if (width == 0) == cut {
				t.Errorf("%v at width %d: addresses cut = %v:\n%s", args, width, cut, out)
			}
		}
	}
}
