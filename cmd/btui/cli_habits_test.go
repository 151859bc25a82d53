package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// TestResolveNode: btcli's network names resolve from chainclient's table (local is
// subtensor's local node, as in btcli), URLs and host:port pass, and what names nothing is
// refused without any lookup.
func TestResolveNode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]chainclient.Network{
		"local":                 {Name: "local", Kind: chainclient.NetworkSubtensor, URL: "ws://127.0.0.1:9944"},
		"LOCAL":                 {Name: "local", Kind: chainclient.NetworkSubtensor, URL: "ws://127.0.0.1:9944"},
		"finney":                {Name: "finney", Kind: chainclient.NetworkSubtensor, URL: "wss://entrypoint-finney.opentensor.ai:443", RealTAO: true},
		"test":                  {Name: "test", Kind: chainclient.NetworkSubtensor, URL: "wss://test.finney.opentensor.ai:443"},
		"archive":               {Name: "archive", Kind: chainclient.NetworkSubtensor, URL: "wss://archive.chain.opentensor.ai:443", RealTAO: true},
		"ws://127.0.0.1:9944":   {Name: "local", Kind: chainclient.NetworkSubtensor, URL: "ws://127.0.0.1:9944"},
		"wss://node.lan:443":    {Name: "wss://node.lan:443", Kind: chainclient.NetworkSubtensor, URL: "wss://node.lan:443"},
		"127.0.0.1:9955":        {Name: "http://127.0.0.1:9955", Kind: chainclient.NetworkNode, URL: "http://127.0.0.1:9955"},
		"http://node.lan:9944/": {Name: "http://node.lan:9944", Kind: chainclient.NetworkNode, URL: "http://node.lan:9944"},
		"https://10.0.0.2":      {Name: "https://10.0.0.2", Kind: chainclient.NetworkNode, URL: "https://10.0.0.2"},
		"devnet":                {Name: "devnet", Kind: chainclient.NetworkDevnet},
	} {
		if got, err := resolveNode(in); err != nil || got != want {
			t.Errorf("resolveNode(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"finny":   `network "finny" is unknown`,
		"ftp://x": "scheme",
		"ws://":   "no host",
	} {
		_, err := resolveNode(in)
		if err == nil || !strings.Contains(err.Error(), msg) || !strings.Contains(err.Error(), "finney") || exitCode(err) != ExitUsage {
			t.Errorf("resolveNode(%q) = %v (exit %d); want a usage error saying %q and listing the names", in, err, exitCode(err), msg)
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
	// --quiet on a terminal still asks (the preview is not shown, the question is).
	r = c.runIO("y\n", true, "wallet", "transfer", "--wallet-name", "alice", "--dest", "//Bob", "--amount", "1", "--quiet")
	if r.code != 0 || !strings.Contains(r.errOut, "Submit to devnet?") || strings.Contains(r.errOut, "Transfer 1 TAO") {
		t.Errorf("--quiet on a terminal: exit %d\n%s", r.code, r.errOut)
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
	// config set node local is accepted (subtensor's local node, as in btcli).
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

// TestHyperparamDocsCoverChain: every hyperparameter the chain knows has a unit and a
// description, and every btcli name maps back to it.
func TestHyperparamDocsCoverChain(t *testing.T) {
	t.Parallel()
	for name := range protocol.HyperparamNames() {
		d, ok := hyperparamDocs[name]
		if !ok || d.Unit == "" || d.About == "" {
			t.Errorf("%s: no unit or description", name)
		}
		if got := canonicalHyperparam(name); got != name {
			t.Errorf("canonicalHyperparam(%q) = %q", name, got)
		}
		if d.Btcli != "" {
			if got := canonicalHyperparam(d.Btcli); got != name {
				t.Errorf("canonicalHyperparam(%q) = %q, want %q", d.Btcli, got, name)
			}
		}
	}
	if len(hyperparamDocs) != len(protocol.HyperparamNames()) {
		t.Errorf("%d documented hyperparameters, the chain has %d", len(hyperparamDocs), len(protocol.HyperparamNames()))
	}
}

// TestHyperparamBtcliNames: sudo set, sudo get and subnets hyperparameters take btcli's names;
// the human table shows them with units.
func TestHyperparamBtcliNames(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	c, n := fx.c, fx.netuid
	var res txResult
	c.json(&res, "sudo", "set", "--wallet-name", "//Alice", "-n", n, "--param", "weights_rate_limit", "--value", "7", "--yes")
	if !res.OK {
		t.Fatalf("sudo set weights_rate_limit: %+v", res)
	}
	c.json(&res, "sudo", "set", "--wallet-name", "alice", "--netuid", n, "--param=commit_reveal_weights_enabled", "--value", "true", "--yes")
	var hp hyperparamsJSON
	c.json(&hp, "sudo", "get", "--netuid", n, "--param", "weights_rate_limit")
	if len(hp.Hyperparameters) != 1 || hp.Hyperparameters[0].Name != "weights_set_rate_limit" || string(mustJSON(t, hp.Hyperparameters[0].Value)) != "7" ||
		hp.Hyperparameters[0].BtcliName != "weights_rate_limit" || hp.Hyperparameters[0].Unit != "blocks" {
		t.Errorf("sudo get weights_rate_limit: %+v", hp)
	}
	c.json(&hp, "subnets", "hyperparameters", "--netuid", n, "--param", "commit_reveal_weights_enabled")
	if len(hp.Hyperparameters) != 1 || string(mustJSON(t, hp.Hyperparameters[0].Value)) != "true" {
		t.Errorf("commit_reveal_weights_enabled: %+v", hp)
	}
	r := c.ok("subnets", "hyperparameters", "--netuid", n)
	for _, want := range []string{"weights_rate_limit", "7  blocks", "commit_reveal_weights_enabled", "u16 fraction (x/65535)"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("subnets hyperparameters does not show %q:\n%s", want, r.out)
		}
	}
	r = c.run("sudo", "set", "--wallet-name", "alice", "--netuid", n, "--param", "activity_cutoff", "--value", "5000", "--yes")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "thousandths of tempo") {
		t.Errorf("activity_cutoff: exit %d: %s", r.code, r.errOut)
	}
}

// TestMnemonicNormalised: a mnemonic in any case and with extra spaces restores the same key
// (btcli accepts it), the //path after it is kept as given, and --uri alice is //Alice.
func TestMnemonicNormalised(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var clean, messy, path walletCreatedJSONDoc
	c.json(&clean, "wallet", "regen-coldkey", "--wallet-name", "clean", "--mnemonic-file", write("clean", testCrowdPhrase+"\n"))
	c.json(&messy, "wallet", "regen-coldkey", "--wallet-name", "messy", "--mnemonic-file",
		write("messy", "  "+strings.ToUpper(strings.ReplaceAll(testCrowdPhrase, " ", "  \t "))+"  \n"))
	c.json(&path, "wallet", "regen-coldkey", "--wallet-name", "path", "--mnemonic-file", write("path", "CROWD "+testCrowdPhrase[6:]+"//Hard\n"))
	if clean.address() == "" || clean.address() != messy.address() {
		t.Errorf("messy mnemonic gives %q, clean %q", messy.address(), clean.address())
	}
	if path.address() == clean.address() {
		t.Errorf("the //Hard path was lost")
	}
	var dev walletCreatedJSONDoc
	c.json(&dev, "wallet", "regen-coldkey", "--wallet-name", "dev", "--uri", "alice")
	if dev.address() != devAddr(t, "Alice").SS58() {
		t.Errorf("--uri alice gives %q, want //Alice %s", dev.address(), devAddr(t, "Alice").SS58())
	}
}

// walletCreatedJSONDoc reads the coldkey address of a create/regen command's JSON.
type walletCreatedJSONDoc map[string]any

func (d walletCreatedJSONDoc) address() string {
	if ck, ok := d["coldkey"].(map[string]any); ok {
		s, _ := ck["address"].(string)
		return s
	}
	return ""
}

// TestEventLinesInTAO: chain events, block and tx show amounts in TAO and alpha, as the
// previews do; JSON keeps rao.
func TestEventLinesInTAO(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	c := fx.c
	r := c.ok("chain", "events", "--from", "1")
	for _, want := range []string{"sudo.Faucet to=", "amount=1000 TAO", "subtensor.StakeAdded", "tao=10 TAO", " α"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("chain events does not show %q:\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "amount=1000000000000") {
		t.Errorf("chain events shows raw rao:\n%s", r.out)
	}
	var ev struct {
		Events []protocol.Event `json:"events"`
	}
	c.json(&ev, "chain", "events", "--from", "1")
	if len(ev.Events) == 0 || ev.Events[0].Attr("amount") != "1000000000000" {
		t.Errorf("JSON events: %+v", ev.Events)
	}
}
