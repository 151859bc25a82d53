package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The JSON contract of every operator command (docs/json.md) is pinned by golden files of
// each document's shape: every key with the type of its value ("string", "number", "bool",
// "null", objects and arrays by their elements' shape). Values (addresses, hashes, amounts)
// vary from run to run; keys and types may not. Regenerate with BTUI_UPDATE_GOLDEN=1 after a
// deliberate, documented change.

const goldenDir = "../../testdata/golden/cmd"

// jsonShape reduces a decoded JSON value to its shape.
func jsonShape(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonShape(e)
		}
		return out
	case []any:
		if len(x) == 0 {
			return []any{}
		}
		// The richest element's shape stands for all (an empty row next to a full one).
		var best any
		bestLen := -1
		for _, e := range x {
			sh := jsonShape(e)
			if b, _ := json.Marshal(sh); len(b) > bestLen {
				best, bestLen = sh, len(b)
			}
		}
		return []any{best}
	case json.Number:
		return "number"
	case string:
		return "string"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return "unknown"
}

// assertShape compares the shape of doc with testdata/golden/cmd/<name>.json.
func assertShape(t *testing.T, name, doc string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, doc)
	}
	got, err := json.MarshalIndent(jsonShape(v), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join(goldenDir, name+".json")
	if os.Getenv("BTUI_UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (run with BTUI_UPDATE_GOLDEN=1 to create it)", name, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("JSON shape of %s changed (update docs/json.md and the golden file together):\n got %s\nwant %s", name, got, want)
	}
}

// TestOpsJSONGolden runs every operator command with --json on one devnet and pins the shape
// of its document.
func TestOpsJSONGolden(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	seen := map[string]bool{}
	pin := func(name string, args ...string) string {
		t.Helper()
		r := c.ok(append(args, "--json")...)
		var one any
		decodeOne(t, r.out, &one) // exactly one document
		assertShape(t, name, r.out)
		seen[name] = true
		if !strings.Contains(strings.Join(args, " "), "--yes") {
			// Read commands: the human form works too, on stdout, and is not JSON.
			h := c.ok(args...)
			if strings.TrimSpace(h.out) == "" || json.Valid([]byte(h.out)) {
				t.Errorf("btui %s: human output %q", strings.Join(args, " "), h.out)
			}
		}
		return r.out
	}
	pinTx := func(name string, args ...string) txResult {
		t.Helper()
		out := pin(name, append(args, "--yes")...)
		var r txResult
		decodeOne(t, out, &r)
		if !r.OK {
			t.Fatalf("%s: %+v", name, r.Receipt)
		}
		return r
	}
	for _, n := range []string{"alice", "bob", "val", "miner", "nom"} {
		c.ok("wallet", "create", "--wallet-name", n, "--json")
		c.ok("devnet", "faucet", n, "1000")
	}
	c.ok("devnet", "faucet", "val/default", "10")
	c.ok("devnet", "faucet", "miner/default", "10")

	pin("subnets-burn-cost", "subnets", "burn-cost")
	n1 := afterNetuid(t, pinTx("subnets-create", "subnets", "create", "--wallet-name", "alice"))
	pinTx("subnets-start", "subnets", "start", "--netuid", n1, "--wallet-name", "alice")
	n2 := afterNetuid(t, c.tx("subnets", "create", "--wallet-name", "bob"))
	c.tx("subnets", "start", "--netuid", n2, "--wallet-name", "bob")
	pin("subnets-burn-cost-netuid", "subnets", "burn-cost", "--netuid", n1)
	pinTx("subnets-register", "subnets", "register", "--netuid", n1, "--wallet-name", "val")
	pinTx("subnets-pow-register", "subnets", "pow-register", "--netuid", n1, "--wallet-name", "miner")
	pin("subnets-list", "subnets", "list")
	pin("subnets-show", "subnets", "show", "--netuid", n1)
	pin("subnets-hyperparameters", "subnets", "hyperparameters", "--netuid", n1)
	pin("sudo-get", "sudo", "get", "--netuid", n1, "--param", "tempo")

	pinTx("stake-add", "stake", "add", "--netuid", n1, "--amount", "20", "--wallet-name", "val", "--unsafe")
	pinTx("stake-add-root", "stake", "add", "--netuid", "0", "--amount", "1", "--wallet-name", "val")
	c.tx("stake", "add", "--netuid", n1, "--amount", "5", "--wallet-name", "nom", "--hotkey-ss58", "val/default", "--unsafe")
	pin("stake-list", "stake", "list", "--wallet-name", "val")
	pin("stake-list-hotkey", "stake", "list", "--hotkey-ss58", "val/default")
	pinTx("stake-move", "stake", "move", "--origin-netuid", n1, "--dest-netuid", n2, "--amount", "1", "--wallet-name", "val", "--unsafe")
	pinTx("stake-swap", "stake", "swap", "--origin-netuid", n1, "--dest-netuid", n2, "--amount", "1", "--wallet-name", "val", "--tolerance", "0.5")
	pinTx("stake-transfer", "stake", "transfer", "--origin-netuid", n1, "--dest", "nom", "--amount", "1", "--wallet-name", "val")
	pinTx("stake-remove", "stake", "remove", "--netuid", n1, "--amount", "1", "--wallet-name", "val", "--tolerance", "0.5")

	c.ok("devnet", "advance", "12") // an epoch: the validator gets its permit
	pinTx("weights-set", "weights", "set", "--netuid", n1, "--uids", "0,2", "--weights", "1,2", "--wallet-name", "val")
	pin("weights-show", "weights", "show", "--netuid", n1)
	pinTx("sudo-set", "sudo", "set", "--netuid", n1, "--param", "commit_reveal", "--value", "true", "--wallet-name", "alice")
	pinTx("weights-commit", "weights", "commit", "--netuid", n1, "--uids", "2", "--weights", "1", "--salt", "1,2,3", "--wallet-name", "val")
	c.ok("devnet", "advance", "11") // into the reveal epoch
	pinTx("weights-reveal", "weights", "reveal", "--netuid", n1, "--uids", "2", "--weights", "1", "--salt", "1,2,3", "--wallet-name", "val")

	pinTx("sudo-set-take", "sudo", "set-take", "--take", "0.05", "--wallet-name", "val")
	pin("sudo-get-take", "sudo", "get-take", "--wallet-name", "val")
	pinTx("axon-set", "axon", "set", "--netuid", n1, "--ip", "203.0.113.7", "--port", "8091", "--wallet-name", "val")
	pinTx("axon-reset", "axon", "reset", "--netuid", n1, "--wallet-name", "val")

	pin("wallet-balance", "wallet", "balance", "--all")
	pin("wallet-overview", "wallet", "overview", "--wallet-name", "val")
	pinTx("wallet-transfer", "wallet", "transfer", "--dest", "bob", "--amount", "1.5", "--wallet-name", "alice")
	c.ok("wallet", "new-hotkey", "--wallet-name", "val", "--wallet-hotkey", "second", "--json")
	pinTx("wallet-swap-hotkey", "wallet", "swap-hotkey", "second", "--wallet-name", "val")
	c.ok("wallet", "create", "--wallet-name", "cold2", "--json")
	pinTx("wallet-swap-coldkey", "wallet", "swap-coldkey", "--new-coldkey", "cold2", "--wallet-name", "nom")
	pin("wallet-swap-coldkey-status", "wallet", "swap-coldkey", "--status", "--wallet-name", "nom")

	pin("config-set", "config", "set", "wallet-name", "alice")
	pin("config-get", "config", "get")
	pin("config-get-key", "config", "get", "wallet-name")

	// Every golden file is used: a command that lost its test would leave a stale contract.
	files, err := filepath.Glob(filepath.Join(goldenDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var stale []string
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".json"); !seen[name] {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("golden files without a command: %v", stale)
	}
}
