package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// opsCLI runs btui's operator commands through RunFactory (the real command tree, flag
// parsing, run functions, error printing and exit codes) against a devnet in a temporary
// directory — embedded, or behind a `btui node` with --node — with a private environment (no
// config file or BTUI_* variable of the machine leaks in), light KDF parameters and unsynced
// writes.
type opsCLI struct {
	t       *testing.T
	dir     string // devnet
	wallets string
	node    string
	env     map[string]string
}

type opsResult struct {
	code        int
	out, errOut string
}

const opsPassword = "correct horse battery staple"

func newOpsCLI(t *testing.T) *opsCLI {
	t.Helper()
	tmp := t.TempDir()
	return &opsCLI{t: t, dir: filepath.Join(tmp, "devnet"), wallets: filepath.Join(tmp, "wallets"), env: map[string]string{
		"HOME": tmp, "XDG_CONFIG_HOME": filepath.Join(tmp, "config"), "XDG_DATA_HOME": filepath.Join(tmp, "data"),
		envPassword: opsPassword,
	}}
}

func (c *opsCLI) factory(stdin string, tty bool) (*Factory, *IOStreams, func() (string, string)) {
	io, out, errOut := NewTestIO(stdin, tty)
	f := NewFactory(io)
	f.Env = func(k string) (string, bool) { v, ok := c.env[k]; return v, ok }
	f.KeystoreOptions = []keystore.Option{keystore.WithKDFParams(keystore.LightKDFParams())}
	f.ChainOptions = []localchain.Option{localchain.WithNoSync(true)}
	return f, io, func() (string, string) { return out.String(), errOut.String() }
}

func (c *opsCLI) args(args []string) []string {
	out := append(append([]string{}, args...), "--wallet-path", c.wallets)
	if c.node != "" {
		return append(out, "--node", c.node)
	}
	return append(out, "--datadir", c.dir)
}

// runIO runs btui args with stdin, as a terminal or not.
func (c *opsCLI) runIO(stdin string, tty bool, args ...string) opsResult {
	c.t.Helper()
	f, _, outputs := c.factory(stdin, tty)
	code := RunFactory(context.Background(), f, c.args(args))
	out, errOut := outputs()
	return opsResult{code: code, out: out, errOut: errOut}
}

func (c *opsCLI) run(args ...string) opsResult { return c.runIO("", false, args...) }

// ok runs a command that must exit 0.
func (c *opsCLI) ok(args ...string) opsResult {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("btui %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.errOut)
	}
	return r
}

// json runs a command with --json that must exit 0 and decodes its one document into v.
func (c *opsCLI) json(v any, args ...string) opsResult {
	c.t.Helper()
	r := c.ok(append(args, "--json")...)
	decodeOne(c.t, r.out, v)
	return r
}

// decodeOne decodes exactly one JSON document.
func decodeOne(t testing.TB, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode JSON: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document:\n%s", s)
	}
}

// startNode serves the devnet with `btui node --block-time 0` (blocks on demand) on a free
// loopback port until the test ends, and points c at it.
func (c *opsCLI) startNode() {
	t := c.t
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	f, _, outputs := c.factory("", false)
	done := make(chan int, 1)
	go func() {
		done <- RunFactory(ctx, f, []string{"node", "--datadir", c.dir, "--listen", "127.0.0.1:0", "--block-time", "0"})
	}()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if u := chainclient.ReadNodeURL(c.dir); u != "" {
			c.node = u
			break
		}
		select {
		case code := <-done:
			_, e := outputs()
			t.Fatalf("btui node exited %d: %s", code, e)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("btui node did not start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("btui node did not stop")
		}
	})
}

// txResult is the generic part of every transaction command's JSON.
type txResult struct {
	Command string           `json:"command"`
	OK      bool             `json:"ok"`
	Receipt protocol.Receipt `json:"receipt"`
	Events  []protocol.Event `json:"events"`
	Preview json.RawMessage  `json:"preview"`
	After   json.RawMessage  `json:"after"`
}

func (c *opsCLI) tx(args ...string) txResult {
	c.t.Helper()
	var r txResult
	c.json(&r, append(args, "--yes")...)
	if !r.OK || !r.Receipt.OK() {
		c.t.Fatalf("btui %s: not ok: %+v", strings.Join(args, " "), r.Receipt)
	}
	return r
}

func (c *opsCLI) coldkey(name string) wallet.AccountID {
	c.t.Helper()
	s, err := keystore.New(c.wallets)
	if err != nil {
		c.t.Fatal(err)
	}
	p, err := s.ColdkeyPublic(name)
	if err != nil {
		c.t.Fatal(err)
	}
	return p.AccountID
}

func (c *opsCLI) hotkey(name string) wallet.AccountID {
	c.t.Helper()
	s, err := keystore.New(c.wallets)
	if err != nil {
		c.t.Fatal(err)
	}
	p, err := s.HotkeyPublic(name, "default")
	if err != nil {
		c.t.Fatal(err)
	}
	return p.AccountID
}

// position returns a coldkey's alpha on (hotkey, netuid) from `stake list --json`.
func (c *opsCLI) position(cold, hot wallet.AccountID, netuid uint16) uint64 {
	c.t.Helper()
	var l stakeListJSON
	c.json(&l, "stake", "list", "--ss58", cold.SS58())
	for _, p := range l.Positions {
		if p.Hotkey == hot && p.Netuid == netuid {
			return p.Alpha
		}
	}
	return 0
}

func TestScenarioEmbedded(t *testing.T) {
	t.Parallel()
	runScenario(t, newOpsCLI(t), false)
}

func TestScenarioNode(t *testing.T) {
	t.Parallel()
	runScenario(t, newOpsCLI(t), true)
}

// runScenario is what a new operator does: wallets, faucet, a subnet, a validator and two
// miners (one by proof of work), stake and a nomination, weights, two epochs; then the
// metagraph and balances in JSON must show incentive, dividends, the owner cut and the
// nominator's earnings where they belong.
func runScenario(t *testing.T, c *opsCLI, node bool) {
	names := []string{"owner", "validator", "miner1", "miner2", "nominator"}
	for _, n := range names {
		c.ok("wallet", "create", "--wallet-name", n, "--json")
	}
	if node {
		c.ok("chain", "info") // create the devnet before the node holds it
		c.startNode()
	}
	for _, n := range names {
		c.ok("devnet", "faucet", n, "1000")
	}
	// The validator's hotkey signs weights and pays their fee.
	c.ok("devnet", "faucet", "validator/default", "10")

	var bal walletBalanceJSON
	c.json(&bal, "wallet", "balance", "--all")
	if len(bal.Balances) != len(names) || bal.Totals.Free != 5000*protocol.RaoPerTAO {
		t.Fatalf("balances after faucet: %+v", bal)
	}

	// The owner creates and starts a subnet.
	var lock lockCostJSON
	c.json(&lock, "subnets", "burn-cost")
	created := c.tx("subnets", "create", "--wallet-name", "owner")
	var after subnetsCreateAfterJSON
	if err := json.Unmarshal(created.After, &after); err != nil || after.Netuid < 2 {
		t.Fatalf("subnets create after: %s (%v)", created.After, err)
	}
	netuid := strconv.Itoa(int(after.Netuid))
	c.tx("subnets", "start", "--netuid", netuid, "--wallet-name", "owner")

	// Registrations: the validator and miner1 burn, miner2 solves the proof of work.
	c.tx("subnets", "register", "--netuid", netuid, "--wallet-name", "validator")
	c.tx("subnets", "register", "--netuid", netuid, "--wallet-name", "miner1")
	pow := c.tx("subnets", "pow-register", "--netuid", netuid, "--wallet-name", "miner2")
	var pv powPreviewJSON
	if err := json.Unmarshal(pow.Preview, &pv); err != nil || pv.Hashes == 0 || pv.Difficulty == 0 {
		t.Fatalf("pow preview: %s", pow.Preview)
	}

	var show subnetsShowJSON
	c.json(&show, "subnets", "show", "--netuid", netuid)
	uid := map[wallet.AccountID]uint16{}
	for _, n := range show.Metagraph.Neurons {
		uid[n.Hotkey] = n.UID
	}
	vHot, m1, m2, oHot := c.hotkey("validator"), c.hotkey("miner1"), c.hotkey("miner2"), c.hotkey("owner")
	if show.Metagraph.N != 4 || uid[oHot] != 0 {
		t.Fatalf("metagraph after registrations: %+v", show.Metagraph)
	}

	// Stake: the validator on its own hotkey, the nominator on the validator's hotkey.
	c.tx("stake", "add", "--netuid", netuid, "--amount", "200", "--wallet-name", "validator", "--unsafe")
	c.tx("stake", "add", "--netuid", netuid, "--amount", "50", "--wallet-name", "nominator",
		"--hotkey-ss58", "validator", "--tolerance", "0.9") // a wallet name stands for its hotkey
	nomCold := c.coldkey("nominator")
	nomBefore := c.position(nomCold, vHot, after.Netuid)
	if nomBefore == 0 {
		t.Fatal("the nominator has no stake on the validator")
	}
	ownerBefore := c.position(c.coldkey("owner"), oHot, after.Netuid)

	// One epoch gives the validator its permit; then weights; then two more epochs.
	c.ok("devnet", "advance", "12")
	c.tx("weights", "set", "--netuid", netuid, "--wallet-name", "validator",
		"--uids", strconv.Itoa(int(uid[m1]))+","+strconv.Itoa(int(uid[m2])), "--weights", "0.7,0.3")
	var ws weightsShowJSON
	c.json(&ws, "weights", "show", "--netuid", netuid, "--uid", strconv.Itoa(int(uid[vHot])))
	if len(ws.Rows) != 1 || len(ws.Rows[0].Entries) != 2 {
		t.Fatalf("stored weights: %+v", ws)
	}
	c.ok("devnet", "advance", "25")

	c.json(&show, "subnets", "show", "--netuid", netuid)
	byHot := map[wallet.AccountID]protocol.NeuronInfo{}
	for _, n := range show.Metagraph.Neurons {
		byHot[n.Hotkey] = n
	}
	t.Logf("after two epochs: miner1 incentive %d emission %d, miner2 incentive %d, validator dividends %d",
		byHot[m1].Incentive, byHot[m1].Emission, byHot[m2].Incentive, byHot[vHot].Dividends)
	if inc1, inc2 := byHot[m1].Incentive, byHot[m2].Incentive; inc1 == 0 || inc2 == 0 || inc1 <= inc2 {
		t.Errorf("miner incentive: miner1 %d (weight 0.7), miner2 %d (0.3): want both > 0 and miner1 > miner2", inc1, inc2)
	}
	if byHot[vHot].Dividends == 0 || !byHot[vHot].Permit {
		t.Errorf("validator: dividends %d permit %v: want dividends > 0 with a permit", byHot[vHot].Dividends, byHot[vHot].Permit)
	}
	if byHot[m1].Dividends != 0 {
		t.Errorf("miner1 has dividends %d without setting weights", byHot[m1].Dividends)
	}
	if byHot[m1].Stake == 0 || byHot[m1].Emission == 0 {
		t.Errorf("miner1 earned nothing: stake %d emission %d", byHot[m1].Stake, byHot[m1].Emission)
	}

	t.Logf("owner stake %d -> %d, nominator stake %d -> %d", ownerBefore, c.position(c.coldkey("owner"), oHot, after.Netuid),
		nomBefore, c.position(nomCold, vHot, after.Netuid))
	// Owner cut: paid as stake on the owner hotkey to the owner's coldkey.
	if got := c.position(c.coldkey("owner"), oHot, after.Netuid); got <= ownerBefore {
		t.Errorf("owner cut: the owner's stake on its hotkey is %d, was %d: want it to grow", got, ownerBefore)
	}
	// The nominator earns through the validator's dividends.
	if got := c.position(nomCold, vHot, after.Netuid); got <= nomBefore {
		t.Errorf("nominator earnings: stake %d, was %d: want it to grow", got, nomBefore)
	}
	// Miners' earnings are their own stake.
	if got := c.position(c.coldkey("miner1"), m1, after.Netuid); got == 0 {
		t.Error("miner1's coldkey holds no stake on its hotkey after two epochs")
	}

	// Balances in JSON: stake is valued, totals add up.
	c.json(&bal, "wallet", "balance", "--all")
	var staked uint64
	for _, b := range bal.Balances {
		if b.Total != b.Free+b.Staked {
			t.Errorf("%s: total %d != free %d + staked %d", b.Name, b.Total, b.Free, b.Staked)
		}
		staked += b.Staked
	}
	if staked == 0 || bal.Totals.Staked != staked {
		t.Errorf("staked total %d, sum %d", bal.Totals.Staked, staked)
	}
	var ov walletOverviewJSON
	c.json(&ov, "wallet", "overview", "--wallet-name", "validator")
	if len(ov.Hotkeys) != 1 || len(ov.Hotkeys[0].Neurons) != 1 || ov.Hotkeys[0].Neurons[0].Dividends == 0 {
		t.Errorf("validator overview: %+v", ov.Hotkeys)
	}

	// The nominator takes part of its stake back, and the chain stays consistent.
	rm := c.tx("stake", "remove", "--netuid", netuid, "--amount", "1", "--wallet-name", "nominator", "--hotkey-ss58", vHot.SS58(), "--unsafe")
	var rpv stakeRemovePreviewJSON
	var ra stakeAfterJSON
	decodeOne(t, string(rm.Preview), &rpv)
	decodeOne(t, string(rm.After), &ra)
	t.Logf("unstake after epochs: quote exact=%v expected %d TAO, balance after %d (previewed %d)", rpv.Quote.Exact, rpv.Quote.ExpectedOut, ra.Free, rpv.BalanceAfter)
	// The block that includes the trade first injects emission into the pool, so the result
	// may differ slightly from the quote of the head's pool; it stays close.
	got, want := ra.Free-(rpv.Balance-rpv.Fee), rpv.Quote.ExpectedOut
	if diff := max(got, want) - min(got, want); diff*100 > want {
		t.Errorf("unstake paid %d, quoted %d: more than 1%% apart", got, want)
	}
	c.ok("chain", "check")
}
