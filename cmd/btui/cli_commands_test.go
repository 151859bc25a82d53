package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/btui/btui/protocol"
)

// TestBtcliCommands: subnets check-start, subnets price and wallet history on a devnet with a
// started subnet, a staked validator and a transfer.
func TestBtcliCommands(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	c, n := fx.c, fx.netuid

	// check-start: a started subnet, the root network, a new subnet before and after start.
	var cs subnetsCheckStartJSON
	c.json(&cs, "subnets", "check-start", "--netuid", n)
	if cs.CanStart || !cs.Started || !strings.Contains(cs.Reason, "already started") {
		t.Errorf("started subnet: %+v", cs)
	}
	c.json(&cs, "subnets", "check-start", "--netuid", "0")
	if cs.CanStart || !strings.Contains(cs.Reason, "root") {
		t.Errorf("root: %+v", cs)
	}
	c.ok("devnet", "advance", "10")
	fresh := afterNetuid(t, c.tx("subnets", "create", "--wallet-name", "bob"))
	c.json(&cs, "subnets", "check-start", "--netuid", fresh)
	if !cs.CanStart || cs.Started || cs.Reason != "" || cs.Owner != c.coldkey("bob") {
		t.Errorf("new subnet: %+v", cs)
	}
	if r := c.ok("subnets", "check-start", "-n", fresh); !strings.Contains(r.out, "can start now") {
		t.Errorf("human check-start: %s", r.out)
	}
	c.tx("subnets", "start", "--netuid", fresh, "--wallet-name", "bob")
	c.json(&cs, "subnets", "check-start", "--netuid", fresh)
	if cs.CanStart || !cs.Started {
		t.Errorf("after start: %+v", cs)
	}

	// price: the fixture's stake of val is a point at TAO in / alpha out; the last point is spot.
	var pr subnetsPriceJSON
	c.json(&pr, "subnets", "price", "--netuid", n)
	var show subnetsShowJSON
	c.json(&show, "subnets", "show", "--netuid", n)
	if len(pr.Points) < 3 || pr.Points[len(pr.Points)-1].Kind != "spot" || pr.Price != show.Subnet.Price || pr.Points[len(pr.Points)-1].Price != pr.Price {
		t.Fatalf("price: %+v (spot %d)", pr, show.Subnet.Price)
	}
	// The spot price after every block since the subnet's registration, ending at the head's.
	if len(pr.Blocks) == 0 || pr.Blocks[len(pr.Blocks)-1].Block != pr.Block || pr.Blocks[len(pr.Blocks)-1].Price != pr.Price ||
		uint64(len(pr.Blocks)) != pr.Block-pr.From+1 {
		t.Fatalf("per-block prices: %d points, from %d to %d: %+v", len(pr.Blocks), pr.From, pr.Block, pr.Blocks)
	}
	for _, p := range pr.Points {
		if p.Kind == "stake_add" && pr.Blocks[p.Block-pr.From].Price <= pr.Blocks[p.Block-pr.From-1].Price {
			t.Errorf("the stake of block %d did not raise that block's spot price: %+v", p.Block, pr.Blocks)
		}
	}
	if pr.Points[0].Kind != "created" {
		t.Errorf("the first point is not the creation: %+v", pr.Points[0])
	}
	var staked bool
	for _, p := range pr.Points {
		if p.Kind == "stake_add" && p.TAO == 10*protocol.RaoPerTAO {
			want, _ := mulDiv(p.TAO, 1e9, p.Alpha)
			staked = p.Price == want
		}
	}
	if !staked {
		t.Errorf("no stake_add point of 10 TAO at TAO/alpha: %+v", pr.Points)
	}
	if r := c.ok("subnets", "price", "--netuid", n); !strings.Contains(r.out, "┤") || !strings.Contains(r.out, "stake_add") {
		t.Errorf("human price has no chart or table:\n%s", r.out)
	}

	// history: a transfer seen from both sides, the faucet and the stake.
	c.tx("wallet", "transfer", "--wallet-name", "alice", "--dest", "bob", "--amount", "1.5")
	var h walletHistoryJSON
	c.json(&h, "wallet", "history", "--wallet-name", "bob")
	if len(h.Entries) == 0 || h.Entries[0].Kind != "transfer_in" || h.Entries[0].TAO != 1_500_000_000 || h.Entries[0].Counterparty != c.coldkey("alice").SS58() {
		t.Errorf("bob's history: %+v", h.Entries)
	}
	c.json(&h, "wallet", "history", "--wallet-name", "alice", "--limit", "1")
	if len(h.Entries) != 1 || h.Entries[0].Kind != "transfer_out" || h.NextBefore != h.Entries[0].Block {
		t.Errorf("alice's newest entry: %+v next %d", h.Entries, h.NextBefore)
	}
	c.json(&h, "wallet", "history", "--wallet-name", "val")
	kinds := map[string]int{}
	for _, e := range h.Entries {
		kinds[e.Kind]++
	}
	if kinds["faucet"] != 1 || kinds["stake_add"] != 1 || kinds["register"] != 0 {
		t.Errorf("val's history kinds: %v", kinds)
	}
	c.json(&h, "wallet", "history", "--wallet-name", "val", "--all")
	kinds = map[string]int{}
	for _, e := range h.Entries {
		kinds[e.Kind]++
	}
	if kinds["register"] != 1 {
		t.Errorf("val's --all history has no registration: %v", kinds)
	}
	// Paging: --before the newest entry's block gives the older ones only.
	c.json(&h, "wallet", "history", "--wallet-name", "val", "--limit", "1")
	top := h.Entries[0].Block
	c.json(&h, "wallet", "history", "--wallet-name", "val", "--before", strconv.FormatUint(top, 10))
	for _, e := range h.Entries {
		if e.Block >= top {
			t.Errorf("--before %d listed block %d", top, e.Block)
		}
	}
}

// TestBtcliJSONGolden pins the JSON shapes of the commands added for btcli users (docs/json.md)
// in testdata/golden/cmd/btcli/.
func TestBtcliJSONGolden(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	c, n := fx.c, fx.netuid
	pin := func(name string, args ...string) {
		t.Helper()
		r := c.ok(append(args, "--json")...)
		var one any
		decodeOne(t, r.out, &one)
		assertShape(t, "btcli/"+name, r.out)
	}
	pin("version", "version")
	pin("utils-convert", "utils", "convert", "--tao", "1")
	pin("utils-convert-netuid", "utils", "convert", "--alpha", "1", "--netuid", n)
	pin("subnets-check-start", "subnets", "check-start", "--netuid", n)
	pin("subnets-price", "subnets", "price", "--netuid", n)
	pin("wallet-history", "wallet", "history", "--wallet-name", "val")
	pin("devnet-faucet", "devnet", "faucet", "bob", "1")
}

// TestEpochExampleGraph: the example graph of docs/mechanism-epoch.md runs, and each field
// the page marks required is refused when missing, by name.
func TestEpochExampleGraph(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "examples", "mechanism", "epoch-graph.json")
	code, out, errOut := runEpochCmd(t, "", path)
	if code != 0 || !strings.Contains(out, `"uid":3`) || !strings.Contains(out, `"validatorEmission":321428104`) {
		t.Fatalf("example graph: exit %d\n%s\n%s", code, out, errOut)
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "mechanism-epoch.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "examples/mechanism/epoch-graph.json") {
		t.Errorf("docs/mechanism-epoch.md does not name the example")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"block", "raoEmission", "neurons", "neurons[0].uid", "neurons[0].stake"} {
		if !strings.Contains(string(doc), "| `"+field[strings.LastIndex(field, ".")+1:]+"` | **yes**") {
			t.Errorf("docs/mechanism-epoch.md does not mark %s required", field)
		}
		var g map[string]any
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatal(err)
		}
		if name, ok := strings.CutPrefix(field, "neurons[0]."); ok {
			delete(g["neurons"].([]any)[0].(map[string]any), name)
		} else {
			delete(g, field)
		}
		in, _ := json.Marshal(g)
		code, _, errOut := runEpochCmd(t, string(in))
		if code != ExitUsage || !strings.Contains(errOut, field) {
			t.Errorf("without %s: exit %d: %s", field, code, errOut)
		}
	}
}

// TestStakeWizard drives the wizard on a terminal: add on another wallet's hotkey, then remove
// the whole position; each ends in the stake command it prints, with its confirmation.
func TestStakeWizard(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	c, n := fx.c, fx.netuid
	r := c.runIO("a\n"+n+"\nval\n1\n0.1\ny\n", true, "stake", "wizard", "--wallet-name", "alice")
	want := "btui stake add --netuid " + n + " --hotkey-ss58 val --amount 1 --tolerance 0.1 --wallet-name alice"
	if r.code != 0 || !strings.Contains(r.errOut, want) || !strings.Contains(r.errOut, "Submit to devnet?") {
		t.Fatalf("wizard add: exit %d\nstdout %s\nstderr %s", r.code, r.out, r.errOut)
	}
	var h walletHistoryJSON
	c.json(&h, "wallet", "history", "--wallet-name", "alice", "--limit", "1")
	if len(h.Entries) != 1 || h.Entries[0].Kind != "stake_add" || h.Entries[0].TAO != protocol.RaoPerTAO {
		t.Fatalf("after the wizard: %+v", h.Entries)
	}
	r = c.runIO("r\n1\nall\nunsafe\ny\n", true, "stake", "wizard", "--wallet-name", "alice")
	if r.code != 0 || !strings.Contains(r.errOut, "btui stake remove --netuid "+n) || !strings.Contains(r.errOut, "--all") {
		t.Fatalf("wizard remove: exit %d\nstdout %s\nstderr %s", r.code, r.out, r.errOut)
	}
	c.json(&h, "wallet", "history", "--wallet-name", "alice", "--limit", "1")
	if len(h.Entries) != 1 || h.Entries[0].Kind != "stake_remove" {
		t.Fatalf("after the wizard's remove: %+v", h.Entries)
	}
	// Declining at the stake command's confirmation changes nothing.
	before := fx.snapshot(t)
	r = c.runIO("a\n"+n+"\n\n0.1\n\nn\n", true, "stake", "wizard", "--wallet-name", "val")
	if r.code == 0 || !strings.Contains(r.errOut, "nothing was changed") || fx.snapshot(t) != before {
		t.Fatalf("declined wizard: exit %d\n%s", r.code, r.errOut)
	}
	// Without a terminal it names the commands to use.
	r = c.run("stake", "wizard", "--wallet-name", "alice")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "btui stake add, move or remove") {
		t.Fatalf("wizard without a terminal: exit %d %s", r.code, r.errOut)
	}
}

// TestStakeMultiTarget: btcli's --netuids, --all-netuids, --all-hotkeys and --exclude-hotkeys
// run stake add/remove once per position, as one JSON document.
func TestStakeMultiTarget(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	c, n := fx.c, fx.netuid
	c.ok("wallet", "new-hotkey", "--wallet-name", "val", "--wallet-hotkey", "second", "--json")
	c.tx("subnets", "register", "--netuid", n, "--wallet-name", "val", "--wallet-hotkey", "second")
	var doc struct {
		Command string     `json:"command"`
		OK      bool       `json:"ok"`
		Results []txResult `json:"results"`
	}
	c.json(&doc, "stake", "add", "--netuids", n, "--all-hotkeys", "--amount", "0.1", "--wallet-name", "val", "--yes", "--unsafe")
	if !doc.OK || doc.Command != "stake add" || len(doc.Results) != 2 || !doc.Results[0].OK || !doc.Results[1].OK {
		t.Fatalf("add on every hotkey: %+v", doc)
	}
	c.json(&doc, "stake", "add", "--netuid", n, "--all-hotkeys", "--exclude-hotkeys", "second", "--amount", "0.1", "--wallet-name", "val", "--yes", "--unsafe")
	if len(doc.Results) != 1 {
		t.Fatalf("--exclude-hotkeys second: %d results", len(doc.Results))
	}
	c.json(&doc, "stake", "remove", "--all-netuids", "--all-hotkeys", "--unstake-all", "--wallet-name", "val", "--yes", "--unsafe")
	if !doc.OK || len(doc.Results) != 2 {
		t.Fatalf("remove everything: %+v", doc)
	}
	var h walletHistoryJSON
	c.json(&h, "wallet", "history", "--wallet-name", "val", "--limit", "2")
	if len(h.Entries) != 2 || h.Entries[0].Kind != "stake_remove" || h.Entries[1].Kind != "stake_remove" {
		t.Fatalf("history after removing both positions: %+v", h.Entries)
	}
	r := c.run("stake", "remove", "--all-netuids", "--all-hotkeys", "--all", "--wallet-name", "val", "--yes", "--unsafe")
	if r.code != ExitNotFound || !strings.Contains(r.errOut, "no position matches") {
		t.Fatalf("removing again: exit %d %s", r.code, r.errOut)
	}
	// --netuids with one subnet is --netuid everywhere.
	var show subnetsShowJSON
	c.json(&show, "subnets", "show", "--netuids", n)
}

// TestTxPreChecks: a reveal with no commit is refused before paying a fee; the register
// preview says the burn moves and which limit applies; transaction event lines are in TAO.
func TestTxPreChecks(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	c, n := fx.c, fx.netuid
	c.tx("sudo", "set", "--wallet-name", "alice", "--netuid", n, "--param", "commit_reveal_weights_enabled", "--value", "true")
	before := fx.snapshot(t)
	r := c.run("weights", "reveal", "--wallet-name", "val", "--netuid", n, "--uids", "0", "--weights", "1", "--salt", "1", "--yes")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "no weights commit") || !strings.Contains(r.errOut, "nothing was submitted") {
		t.Errorf("reveal without a commit: exit %d %s", r.code, r.errOut)
	}
	if fx.snapshot(t) != before {
		t.Errorf("a refused reveal changed the chain")
	}
	r = c.run("subnets", "register", "--netuid", n, "--wallet-name", "other", "--no")
	if r.code != 0 || !strings.Contains(r.errOut, "falls a little every block") || !strings.Contains(r.errOut, "no limit set") || !strings.Contains(r.errOut, "or a little more") {
		t.Errorf("register preview: exit %d %s", r.code, r.errOut)
	}
	r = c.run("subnets", "register", "--netuid", n, "--wallet-name", "other", "--max-burn", "50", "--no")
	if !strings.Contains(r.errOut, "at most 50 TAO)") {
		t.Errorf("register preview with --max-burn: %s", r.errOut)
	}
	r = c.ok("wallet", "transfer", "--wallet-name", "alice", "--dest", "bob", "--amount", "1.5", "--yes")
	if !strings.Contains(r.errOut+r.out, "balances.Transfer") || !strings.Contains(r.errOut+r.out, "amount=1.5 TAO") {
		t.Errorf("transaction event line not in TAO:\n%s\n%s", r.out, r.errOut)
	}
}
