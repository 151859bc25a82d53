package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// opsFixture is a devnet with wallets, two subnets (one dissolved) and a registered, staked
// validator, for the bad-input table.
type opsFixture struct {
	c         *opsCLI
	netuid    string // a live, started subnet owned by "alice"
	dissolved string // a subnet dissolved by sudo
}

func newOpsFixture(t *testing.T) *opsFixture {
	t.Helper()
	c := newOpsCLI(t)
	for _, n := range []string{"alice", "bob", "val", "other"} {
		c.ok("wallet", "create", "--wallet-name", n, "--json")
		c.ok("devnet", "faucet", n, "1000")
	}
	c.ok("devnet", "faucet", "val/default", "10")
	var created txResult
	created = c.tx("subnets", "create", "--wallet-name", "alice")
	netuid := afterNetuid(t, created)
	c.tx("subnets", "start", "--netuid", netuid, "--wallet-name", "alice")
	c.tx("subnets", "register", "--netuid", netuid, "--wallet-name", "val")
	c.tx("stake", "add", "--netuid", netuid, "--amount", "10", "--wallet-name", "val", "--unsafe")
	gone := afterNetuid(t, c.tx("subnets", "create", "--wallet-name", "bob"))
	// Dissolve it with the sudo key (there is no command for that: it is a sudo-only call).
	n, _ := strconv.Atoi(gone)
	ch, err := chainclient.OpenEmbedded(c.dir, localchain.WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	alice, err := wallet.Dev("Alice")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	txb, err := chainclient.Sign(ctx, ch, alice, protocol.DissolveNetwork{Netuid: uint16(n)}, chainclient.SignOptions{})
	alice.Zero()
	if err != nil {
		t.Fatal(err)
	}
	info, err := ch.SubmitAndWait(ctx, txb)
	if err != nil || !info.Receipt.OK() {
		t.Fatalf("dissolve: %v %+v", err, info)
	}
	ch.Close()
	return &opsFixture{c: c, netuid: netuid, dissolved: gone}
}

func afterNetuid(t *testing.T, r txResult) string {
	t.Helper()
	var a subnetsCreateAfterJSON
	decodeOne(t, string(r.After), &a)
	return strconv.Itoa(int(a.Netuid))
}

// snapshot is what must not change: the chain's head and state digest, and every wallet file.
func (fx *opsFixture) snapshot(t *testing.T) string {
	t.Helper()
	var info struct {
		Height      uint64        `json:"height"`
		StateDigest protocol.Hash `json:"state_digest"`
	}
	fx.c.json(&info, "chain", "info")
	h := sha256.New()
	err := filepath.WalkDir(fx.c.wallets, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		h.Write([]byte(p))
		h.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatUint(info.Height, 10) + "/" + info.StateDigest.String() + "/" + hex.EncodeToString(h.Sum(nil))
}

// TestOpsBadInput: every case fails with its documented exit code and a message saying what
// was wrong, prints nothing on stdout, and changes neither the chain nor the wallets.
func TestOpsBadInput(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	n, gone := fx.netuid, fx.dissolved
	valHot := fx.c.hotkey("val").SS58()
	// One character changed to the next of the base58 alphabet: the checksum fails.
	const b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	badSS58 := []byte(valHot)
	badSS58[20] = b58[(strings.IndexByte(b58, badSS58[20])+1)%len(b58)]
	var vb walletBalanceJSON
	fx.c.json(&vb, "wallet", "balance", "--wallet-name", "val")
	var ci struct {
		TxFee uint64 `json:"tx_fee"`
	}
	fx.c.json(&ci, "chain", "info")
	allButDust := protocol.TAODecimal(vb.Balances[0].Free - ci.TxFee - 1) // leaves 1 rao
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("wrong password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	transfer := func(extra ...string) []string {
		return append([]string{"wallet", "transfer", "--wallet-name", "alice", "--yes"}, extra...)
	}
	stakeAdd := func(extra ...string) []string {
		return append([]string{"stake", "add", "--wallet-name", "val", "--yes"}, extra...)
	}
	weights := func(extra ...string) []string {
		return append([]string{"weights", "set", "--wallet-name", "val", "--netuid", n, "--yes"}, extra...)
	}
	sudo := func(wallet string, extra ...string) []string {
		return append([]string{"sudo", "set", "--wallet-name", wallet, "--netuid", n, "--yes"}, extra...)
	}
	cases := []struct {
		name string
		args []string
		code int
		msg  string
		env  map[string]string
		tty  bool
	}{
		// Wallets, keys and addresses.
		{"unknown wallet", []string{"wallet", "balance", "--wallet-name", "nosuch"}, ExitNotFound, `wallet "nosuch" does not exist`, nil, false},
		{"unknown hotkey", []string{"subnets", "register", "--netuid", n, "--wallet-name", "other", "-H", "nosuch", "--yes"}, ExitNotFound, `no hotkey "nosuch"`, nil, false},
		{"unknown wallet as destination", transfer("--dest", "nosuch", "--amount", "1"), ExitNotFound, "neither an SS58 address nor a wallet", nil, false},
		{"bad ss58 checksum", transfer("--dest", string(badSS58), "--amount", "1"), ExitUsage, "checksum", nil, false},
		{"soft junction in a dev path", transfer("--dest", "//Alice/soft", "--amount", "1"), ExitUsage, "soft", nil, false},
		{"transfer to self", transfer("--dest", "alice", "--amount", "1"), ExitUsage, "sender itself", nil, false},
		{"wrong password", append(transfer("--dest", "bob", "--amount", "1"), "--password-file", pwFile), ExitAuth, "password", nil, false},
		{"wrong password from env", transfer("--dest", "bob", "--amount", "1"), ExitAuth, "coldkey", map[string]string{envPassword: "nope"}, false},
		{"password on the command line", append(transfer("--dest", "bob", "--amount", "1"), "--password", "x"), ExitUsage, "never takes a password", nil, false},
		{"no terminal and no --yes", []string{"wallet", "transfer", "--wallet-name", "alice", "--dest", "bob", "--amount", "1"}, ExitUsage, "--yes", nil, false},
		// Amounts.
		{"negative amount", transfer("--dest", "bob", "--amount", "-1"), ExitUsage, "negative", nil, false},
		{"zero amount", transfer("--dest", "bob", "--amount", "0"), ExitUsage, "more than zero", nil, false},
		{"too many decimals", transfer("--dest", "bob", "--amount", "0.0000000001"), ExitUsage, "9 decimals", nil, false},
		{"overflowing amount", transfer("--dest", "bob", "--amount", "99999999999999999999"), ExitUsage, "too large", nil, false},
		{"amount above the supply", transfer("--dest", "bob", "--amount", "30000000"), ExitUsage, "maximum supply", nil, false},
		{"amount not a number", transfer("--dest", "bob", "--amount", "1e3"), ExitUsage, "not a digit", nil, false},
		{"insufficient balance", transfer("--dest", "bob", "--amount", "5000"), ExitUsage, "insufficient balance", nil, false},
		{"amount and all", transfer("--dest", "bob", "--amount", "1", "--all"), ExitUsage, "exactly one of --amount and --all", nil, false},
		{"missing destination", transfer("--amount", "1"), ExitUsage, "--dest is required", nil, false},
		// Subnets.
		{"unknown netuid", []string{"subnets", "show", "--netuid", "99"}, ExitNotFound, "subnet 99 does not exist", nil, false},
		{"dissolved netuid", stakeAdd("--netuid", gone, "--amount", "1"), ExitNotFound, "subnet " + gone + " does not exist", nil, false},
		{"netuid not a number", []string{"subnets", "show", "--netuid", "one"}, ExitUsage, "invalid argument", nil, false},
		{"missing netuid", []string{"subnets", "show"}, ExitUsage, "--netuid is required", nil, false},
		{"already registered", []string{"subnets", "register", "--netuid", n, "--wallet-name", "val", "--yes"}, ExitUsage, "already registered", nil, false},
		{"register on root", []string{"subnets", "register", "--netuid", "0", "--wallet-name", "other", "--yes"}, ExitUsage, "root network", nil, false},
		{"start by not owner", []string{"subnets", "start", "--netuid", n, "--wallet-name", "bob", "--yes"}, ExitUsage, "only the owner", nil, false}, // the chain's own words (start_call)
		// Stake.
		{"tolerance zero", stakeAdd("--netuid", n, "--amount", "1", "--tolerance", "0"), ExitUsage, "out of range", nil, false},
		{"tolerance above one", stakeAdd("--netuid", n, "--amount", "1", "--tolerance", "1.5"), ExitUsage, "out of range", nil, false},
		{"tolerance negative", stakeAdd("--netuid", n, "--amount", "1", "--tolerance", "-0.1"), ExitUsage, "negative", nil, false},
		{"tolerance with unsafe", stakeAdd("--netuid", n, "--amount", "1", "--tolerance", "0.1", "--unsafe"), ExitUsage, "contradict", nil, false},
		{"trade beyond tolerance", stakeAdd("--netuid", n, "--amount", "500", "--tolerance", "0.001"), ExitUsage, "only part of the trade", nil, false},
		{"stake below the minimum", stakeAdd("--netuid", n, "--amount", "0.001"), ExitUsage, "below the minimum stake", nil, false},
		{"stake below the existential deposit", stakeAdd("--netuid", n, "--amount", allButDust, "--unsafe"), ExitUsage, "existential deposit", nil, false},
		{"unstake dust", []string{"stake", "remove", "--wallet-name", "val", "--netuid", n, "--amount", "0.000001", "--yes"}, ExitUsage, "below the minimum stake", nil, false},
		{"stake on an unknown hotkey", stakeAdd("--netuid", n, "--amount", "1", "--hotkey-ss58", "//Ferdie"), ExitNotFound, "does not exist", nil, false},
		{"unstake more than staked", []string{"stake", "remove", "--wallet-name", "val", "--netuid", n, "--amount", "100000", "--yes"}, ExitUsage, "more than the", nil, false},
		{"unstake without a position", []string{"stake", "remove", "--wallet-name", "other", "--hotkey-ss58", valHot, "--netuid", n, "--amount", "1", "--yes"}, ExitNotFound, "has no stake", nil, false},
		{"move to the same position", []string{"stake", "move", "--wallet-name", "val", "--origin-netuid", n, "--dest-netuid", n, "--amount", "1", "--yes"}, ExitUsage, "very same position", nil, false},
		{"move dust", []string{"stake", "move", "--wallet-name", "val", "--origin-netuid", n, "--dest-hotkey", "//Alice", "--amount", "0.000001", "--yes"}, ExitUsage, "below the minimum stake", nil, false},
		{"swap without destination", []string{"stake", "swap", "--wallet-name", "val", "--origin-netuid", n, "--amount", "1", "--yes"}, ExitUsage, "--dest-netuid is required", nil, false},
		// Weights.
		{"duplicate uids", weights("--uids", "0,0", "--weights", "1,1"), ExitUsage, "appears twice", nil, false},
		{"uids and weights mismatch", weights("--uids", "0,1", "--weights", "1"), ExitUsage, "2 uids but 1 weights", nil, false},
		// The chain checks the permit before the uids (mechanism.CheckSetWeights' order): a hotkey
		// without a permit hears about the permit first.
		{"missing uid", weights("--uids", "0,7", "--weights", "1,1"), ExitUsage, "no validator permit", nil, false},
		{"all-zero weights", weights("--uids", "0,1", "--weights", "0,0"), ExitUsage, "all zero", nil, false},
		{"negative weight", weights("--uids", "0", "--weights", "-1"), ExitUsage, "negative", nil, false},
		{"uid not a number", weights("--uids", "a", "--weights", "1"), ExitUsage, "not an integer", nil, false},
		{"weights of an unregistered hotkey", []string{"weights", "set", "--wallet-name", "other", "--netuid", n, "--uids", "0", "--weights", "1", "--yes"}, ExitNotFound, "is not registered on subnet", nil, false}, // set_weights pays no fee (Pays::No): the hotkey needs no TAO, its registration decides
		{"weights on a dissolved subnet", []string{"weights", "set", "--wallet-name", "val", "--netuid", gone, "--uids", "0", "--weights", "1", "--yes"}, ExitNotFound, "does not exist", nil, false},
		{"weights without a validator permit", weights("--uids", "0", "--weights", "1"), ExitUsage, "no validator permit", nil, false},
		{"commit while commit-reveal is off", []string{"weights", "commit", "--wallet-name", "val", "--netuid", n, "--uids", "0", "--weights", "1", "--yes"}, ExitUsage, "commit-reveal is disabled", nil, false},
		{"weights show unknown uid", []string{"weights", "show", "--netuid", n, "--uid", "50"}, ExitNotFound, "uid 50 does not exist", nil, false},
		// Hyperparameters and takes.
		{"unknown hyperparameter", sudo("alice", "--param", "nosuch", "--value", "1"), ExitUsage, `unknown hyperparameter "nosuch"`, nil, false},
		{"hyperparameter value too wide", sudo("alice", "--param", "tempo", "--value", "70000"), ExitUsage, "integer from 0 to 65535", nil, false},
		{"hyperparameter bool value", sudo("alice", "--param", "commit_reveal", "--value", "maybe"), ExitUsage, "boolean", nil, false},
		{"hyperparameter by not owner", sudo("val", "--param", "tempo", "--value", "400"), ExitUsage, "not the owner", nil, false},
		{"hyperparameter below the owner's bounds", sudo("alice", "--param", "tempo", "--value", "0"), ExitUsage, "tempo = 0 is out of bounds: the owner may set 1 to 50400", nil, false},
		{"sudo-only hyperparameter by owner", sudo("alice", "--param", "kappa", "--value", "100"), ExitUsage, "only be set by the sudo account", nil, false},
		{"show unknown hyperparameter", []string{"subnets", "hyperparameters", "--netuid", n, "--param", "nosuch"}, ExitUsage, "unknown hyperparameter", nil, false},
		{"take above the chain's maximum", []string{"sudo", "set-take", "--wallet-name", "val", "--take", "0.5", "--yes"}, ExitUsage, "outside the chain's bounds", nil, false},
		{"take out of range", []string{"sudo", "set-take", "--wallet-name", "val", "--take", "2", "--yes"}, ExitUsage, "fraction from 0 to 1", nil, false},
		// Axons, config, completion, the node.
		{"axon bad ip", []string{"axon", "set", "--wallet-name", "val", "--netuid", n, "--ip", "300.1.1.1", "--port", "80", "--yes"}, ExitUsage, "not an IP address", nil, false},
		{"axon ip type mismatch", []string{"axon", "set", "--wallet-name", "val", "--netuid", n, "--ip", "10.0.0.1", "--ip-type", "6", "--port", "80", "--yes"}, ExitUsage, "does not match", nil, false},
		{"axon unregistered", []string{"axon", "set", "--wallet-name", "other", "--netuid", n, "--ip", "10.0.0.1", "--port", "80", "--yes"}, ExitNotFound, "not registered", nil, false},
		{"swap hotkey to itself", []string{"wallet", "swap-hotkey", "default", "--wallet-name", "val", "--yes"}, ExitUsage, "the hotkey itself", nil, false},
		{"config unknown key", []string{"config", "set", "colour", "red"}, ExitUsage, "unknown config key", nil, false},
		{"config bad node url", []string{"config", "set", "node", "ftp://x"}, ExitUsage, "scheme", nil, false},
		{"completion unknown shell", []string{"completion", "tcsh"}, ExitUsage, "invalid argument", nil, false},
		{"node unreachable", []string{"subnets", "list", "--node", "http://127.0.0.1:1"}, ExitFailed, "node unreachable", nil, false},
		{"invalid node url", []string{"subnets", "list", "--node", "ftp://example"}, ExitUsage, "invalid node url", nil, false},
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	base := fx.c.env
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := fx.snapshot(t)
			env := map[string]string{}
			maps.Copy(env, base)
			maps.Copy(env, tc.env)
			fx.c.env = env
			defer func() { fx.c.env = base }()
			r := fx.c.runIO("", tc.tty, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.out, r.errOut)
			}
			if !strings.Contains(r.errOut, tc.msg) {
				t.Errorf("stderr does not say %q:\n%s", tc.msg, r.errOut)
			}
			if r.out != "" {
				t.Errorf("stdout is not empty on failure:\n%s", r.out)
			}
			if after := fx.snapshot(t); after != before {
				t.Errorf("state changed: %s -> %s", before, after)
			}
		})
	}
}

// TestOpsChainRejection: a value only the chain's state refuses is refused before anything is
// submitted: max_allowed_uids = 1 is inside the owner's bounds but below the subnet's
// registered neurons, which the plan learns from the chain's dry run (ops.PlanSetHyperparameter).
// The command exits 2 naming the chain's code, prints nothing on stdout and charges nothing.
// (A transaction included with a failure receipt still exits 3 with its result on stdout:
// devnet_test.go's faucet over the limit.)
func TestOpsChainRejection(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	var before, after balanceJSON
	var b walletBalanceJSON
	fx.c.json(&b, "wallet", "balance", "--wallet-name", "alice")
	before = b.Balances[0]
	snap := fx.snapshot(t)
	r := fx.c.run("sudo", "set", "--wallet-name", "alice", "--netuid", fx.netuid, "--param", "max_allowed_uids", "--value", "1", "--yes", "--json")
	if r.code != ExitUsage {
		t.Fatalf("exit %d, want 2\n%s\n%s", r.code, r.out, r.errOut)
	}
	if !strings.Contains(r.errOut, "hyperparameter_bounds") || !strings.Contains(r.errOut, "code 1008") || !strings.Contains(r.errOut, "below the 2 registered neurons") ||
		!strings.Contains(r.errOut, "nothing was submitted") {
		t.Errorf("stderr lacks the chain's code and reason: %s", r.errOut)
	}
	if r.out != "" {
		t.Errorf("stdout is not empty: %s", r.out)
	}
	if after := fx.snapshot(t); after != snap {
		t.Errorf("the chain changed: %s -> %s", snap, after)
	}
	fx.c.json(&b, "wallet", "balance", "--wallet-name", "alice")
	after = b.Balances[0]
	if before != after {
		t.Errorf("balance %+v -> %+v: nothing may be charged", before, after)
	}
	var hp hyperparamsJSON
	fx.c.json(&hp, "sudo", "get", "--netuid", fx.netuid, "--param", "max_allowed_uids")
	if len(hp.Hyperparameters) != 1 || string(mustJSON(t, hp.Hyperparameters[0].Value)) == "1" {
		t.Errorf("max_allowed_uids changed: %+v", hp)
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOpsDevnetInUse: with a `btui node` holding the embedded devnet, a command without --node
// fails at once, in one line that names --node and the node's URL, and works with it.
func TestOpsDevnetInUse(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	c.ok("chain", "info")
	c.startNode()
	url := c.node
	c.node = ""
	r := c.run("subnets", "list", "--json")
	if r.code != ExitFailed || !strings.Contains(r.errOut, "--node "+url) || strings.Count(strings.TrimSpace(r.errOut), "\n") != 0 || r.out != "" {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", r.code, r.out, r.errOut)
	}
	c.node = url
	var l subnetsListJSON
	c.json(&l, "subnets", "list")
	if len(l.Subnets) < 2 {
		t.Fatalf("subnets through the node: %+v", l)
	}
}
