package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// chainCLI runs btui through Run (flags, run functions, error printing, exit codes) against a
// devnet in a temporary directory, or a node with --node.
type chainCLI struct {
	t       *testing.T
	dir     string
	wallets string
	node    string
}

type cliResult struct {
	code        int
	out, errOut string
}

func newChainCLI(t *testing.T) *chainCLI {
	t.Helper()
	tmp := t.TempDir()
	return &chainCLI{t: t, dir: filepath.Join(tmp, "devnet"), wallets: filepath.Join(tmp, "wallets")}
}

func (c *chainCLI) args(args []string) []string {
	out := append(append([]string{}, args...), "--datadir", c.dir, "--wallet-path", c.wallets)
	if c.node != "" {
		out = append(out, "--node", c.node)
	}
	return out
}

func (c *chainCLI) run(args ...string) cliResult {
	c.t.Helper()
	io, out, errOut := NewTestIO("", false)
	code := runClean(c.t, context.Background(), io, c.args(args))
	return cliResult{code: code, out: out.String(), errOut: errOut.String()}
}

// ok runs a command that must exit 0.
func (c *chainCLI) ok(args ...string) cliResult {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("btui %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.errOut)
	}
	return r
}

// json runs a command with --json that must exit 0 and decodes its one document into v.
func (c *chainCLI) json(v any, args ...string) {
	c.t.Helper()
	r := c.ok(append(args, "--json")...)
	dec := json.NewDecoder(strings.NewReader(r.out))
	if err := dec.Decode(v); err != nil {
		c.t.Fatalf("btui %s --json: %v\n%s", strings.Join(args, " "), err, r.out)
	}
	if dec.More() {
		c.t.Fatalf("btui %s --json printed more than one document:\n%s", strings.Join(args, " "), r.out)
	}
}

func (c *chainCLI) height() uint64 {
	c.t.Helper()
	var info chainInfoJSON
	c.json(&info, "chain", "info")
	return info.Height
}

func devAddr(t testing.TB, name string) wallet.AccountID {
	t.Helper()
	kp, err := wallet.Dev(name)
	if err != nil {
		t.Fatal(err)
	}
	defer kp.Zero()
	return kp.AccountID()
}

func TestDevnetCommandsEmbedded(t *testing.T) {
	t.Parallel()
	testDevnetCommands(t, newChainCLI(t))
}

// testDevnetCommands drives every devnet command and checks it through the chain commands.
func testDevnetCommands(t *testing.T, c *chainCLI) {
	h0 := c.height()

	// faucet: human and JSON, dev name and SS58.
	r := c.ok("devnet", "faucet", "//Ferdie", "12.5")
	if !strings.Contains(r.out, "faucet: 12.5 TAO to "+devAddr(t, "Ferdie").SS58()) || !strings.Contains(r.out, "balance: 2012.5 TAO") {
		t.Fatalf("faucet output:\n%s", r.out)
	}
	var fj devnetFaucetJSON
	c.json(&fj, "devnet", "faucet", devAddr(t, "Eve").SS58(), "0.000000600")
	if fj.To != devAddr(t, "Eve") || fj.Amount != 600 || !fj.Receipt.OK() || !fj.OK || fj.Command != "devnet faucet" || fj.Tx.Block == 0 || fj.Balance != 2_000*protocol.RaoPerTAO+600 {
		t.Fatalf("faucet json = %+v", fj)
	}
	// The transaction is on chain, with its event.
	var tx protocol.TxInfo
	c.json(&tx, "chain", "tx", fj.Tx.Hash.String())
	if tx.Hash != fj.Tx.Hash || tx.Call.Module != "sudo" || tx.Call.Method != "faucet" || tx.Signer != devAddr(t, "Alice") {
		t.Fatalf("chain tx = %+v", tx)
	}
	if r := c.ok("chain", "tx", fj.Tx.Hash.String()); !strings.Contains(r.out, "sudo.faucet") || !strings.Contains(r.out, "result    ok") {
		t.Fatalf("chain tx output:\n%s", r.out)
	}
	var b protocol.Block
	c.json(&b, "chain", "block", "head")
	if b.Header.Height != h0+2 || len(b.Txs) != 1 || b.Txs[0].Hash != fj.Tx.Hash {
		t.Fatalf("head block = %+v", b.Header)
	}
	var byHash protocol.Block
	c.json(&byHash, "chain", "block", b.Header.Hash.String())
	if byHash.Header != b.Header {
		t.Fatal("block by hash differs")
	}
	var evs chainEventsJSON
	c.json(&evs, "chain", "events", "--from", strconv.FormatUint(h0+1, 10), "--module", "sudo")
	if len(evs.Events) != 2 || evs.Events[1].Name != "Faucet" || evs.Events[1].Attr("amount") != "600" {
		t.Fatalf("events = %+v", evs)
	}

	// advance.
	var adv devnetAdvanceJSON
	c.json(&adv, "devnet", "advance", "25")
	if adv.Blocks != 25 || adv.From != h0+2 || adv.Head.Height != h0+27 {
		t.Fatalf("advance = %+v", adv)
	}
	if r := c.ok("devnet", "advance", "5"); !strings.Contains(r.out, "advanced 5 blocks") {
		t.Fatalf("advance output: %s", r.out)
	}
	var blocks chainBlocksJSON
	c.json(&blocks, "chain", "blocks", "--limit", "4")
	if blocks.Head != h0+32 || len(blocks.Blocks) != 4 || blocks.Blocks[3].Height != h0+32 {
		t.Fatalf("blocks = %+v", blocks)
	}

	// pause and resume.
	var p devnetPausedJSON
	c.json(&p, "devnet", "pause")
	var info chainInfoJSON
	c.json(&info, "chain", "info")
	if !p.Paused || !info.Paused {
		t.Fatalf("paused = %+v, info %+v", p, info)
	}
	c.json(&p, "devnet", "resume")
	c.json(&info, "chain", "info")
	if p.Paused || info.Paused {
		t.Fatal("still paused after resume")
	}
	if c.node != "" {
		// The node's producer must not move the heights checked below.
		c.ok("devnet", "pause")
		h0 = c.height() - 32
	}

	// snapshot, snapshots, restore.
	var snap protocol.SnapshotInfo
	c.json(&snap, "devnet", "snapshot", "s1")
	if snap.Name != "s1" || snap.Height != h0+32 {
		t.Fatalf("snapshot = %+v", snap)
	}
	var list devnetSnapshotsJSON
	c.json(&list, "devnet", "snapshots")
	if len(list.Snapshots) != 1 || list.Snapshots[0].Name != "s1" {
		t.Fatalf("snapshots = %+v", list)
	}
	c.ok("devnet", "advance", "3")
	if r := c.run("devnet", "restore", "s1"); r.code != ExitUsage || !strings.Contains(r.errOut, "--yes") {
		t.Fatalf("restore without --yes and a terminal: %d %s", r.code, r.errOut)
	}
	if h := c.height(); h != h0+35 {
		t.Fatalf("refused restore changed the chain: height %d", h)
	}
	c.json(&snap, "devnet", "restore", "s1", "--yes")
	if snap.Height != h0+32 || c.height() != h0+32 {
		t.Fatalf("restore = %+v", snap)
	}

	// check, genesis, reset.
	var chk chainCheckJSON
	c.json(&chk, "chain", "check")
	if !chk.OK || chk.Height != h0+32 {
		t.Fatalf("check = %+v", chk)
	}
	g := c.ok("devnet", "genesis")
	if _, err := protocol.ParseGenesis([]byte(g.out)); err != nil {
		t.Fatalf("genesis output does not parse: %v", err)
	}
	var reset devnetResetJSON
	c.json(&reset, "devnet", "reset", "--yes")
	// The reset answers with the new genesis head; the node's producer (50 ms blocks) may have
	// sealed a few blocks on the new chain since, but far fewer than the old chain held.
	if h := c.height(); reset.Head.Height != 0 || h >= h0+32 {
		t.Fatalf("reset = %+v, height after %d", reset, h)
	}
}

func TestDevnetInit(t *testing.T) {
	t.Parallel()
	c := newChainCLI(t)
	var ij devnetInitJSON
	c.json(&ij, "devnet", "init")
	if !ij.Created || ij.Height != 0 || ij.ChainName != "btui-devnet" || ij.DataDir != c.dir {
		t.Fatalf("init = %+v", ij)
	}
	r := c.ok("devnet", "init")
	if !strings.Contains(r.out, "already exists") {
		t.Fatalf("second init: %s", r.out)
	}
	// A devnet from an edited genesis file.
	g := protocol.DevnetGenesis()
	g.ChainName = "my-devnet"
	gb, _ := g.Canonical()
	other := newChainCLI(t)
	file := filepath.Join(t.TempDir(), "genesis.json")
	writeFile(t, file, gb)
	other.json(&ij, "devnet", "init", "--genesis", file)
	if !ij.Created || ij.ChainName != "my-devnet" {
		t.Fatalf("init --genesis = %+v", ij)
	}
	// The wrong genesis for an existing devnet.
	if r := c.run("devnet", "init", "--genesis", file); r.code != ExitFailed || !strings.Contains(r.errOut, "genesis") {
		t.Fatalf("init with another genesis: %d %s", r.code, r.errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	writeFile(t, bad, []byte(`{"chain_name": ""}`))
	if r := other.run("devnet", "reset", "--genesis", bad, "--yes"); r.code != ExitUsage {
		t.Fatalf("reset with an invalid genesis: %d %s", r.code, r.errOut)
	}
	if r := c.run("devnet", "init", "--node", "http://127.0.0.1:1"); r.code != ExitUsage || !strings.Contains(r.errOut, "embedded devnet") {
		t.Fatalf("init --node: %d %s", r.code, r.errOut)
	}
}

func TestChainAndDevnetExitCodes(t *testing.T) {
	t.Parallel()
	c := newChainCLI(t)
	c.ok("devnet", "init")
	var zero protocol.Hash
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"missing block", []string{"chain", "block", "999"}, ExitNotFound, "not found"},
		{"missing block hash", []string{"chain", "block", zero.String()}, ExitNotFound, "not found"},
		{"bad height", []string{"chain", "block", "twelve"}, ExitUsage, "not a block height"},
		{"missing tx", []string{"chain", "tx", zero.String()}, ExitNotFound, "not found"},
		{"bad tx hash", []string{"chain", "tx", "0x12"}, ExitUsage, "64 hex digits"},
		{"blocks past head", []string{"chain", "blocks", "--from", "50"}, ExitNotFound, "above the head"},
		{"bad limit", []string{"chain", "blocks", "--limit", "0"}, ExitUsage, "--limit"},
		{"events past head", []string{"chain", "events", "--to", "50"}, ExitNotFound, "above the head"},
		{"events follow and to", []string{"chain", "events", "--follow", "--to", "1"}, ExitUsage, "--follow"},
		{"events follow embedded", []string{"chain", "events", "--follow"}, ExitUsage, "running node"},
		{"advance zero", []string{"devnet", "advance", "0"}, ExitUsage, "block count"},
		{"advance words", []string{"devnet", "advance", "ten"}, ExitUsage, "block count"},
		{"advance missing", []string{"devnet", "advance"}, ExitUsage, "needs a block count"},
		{"info with an argument", []string{"chain", "info", "x"}, ExitUsage, "takes no arguments"},
		{"faucet one argument", []string{"devnet", "faucet", "//Bob"}, ExitUsage, "needs an address and an amount"},
		{"faucet bad amount", []string{"devnet", "faucet", "//Bob", "1.2.3"}, ExitUsage, "invalid amount"},
		{"faucet zero", []string{"devnet", "faucet", "//Bob", "0"}, ExitUsage, "zero"},
		{"faucet unknown wallet", []string{"devnet", "faucet", "nosuchwallet", "1"}, ExitNotFound, "neither an SS58 address nor a wallet"},
		{"faucet soft junction", []string{"devnet", "faucet", "//Mallory/x", "1"}, ExitUsage, "junction"},
		{"faucet unknown dev", []string{"devnet", "faucet", "//Mallory", "1"}, ExitUsage, "--allow-dev-path"},
		{"faucet over the limit", []string{"devnet", "faucet", "//Bob", "1000000"}, ExitRejected, "faucet_limit"},
		{"faucet below existential", []string{"devnet", "faucet", "//Alice//fresh", "0.000000001"}, ExitRejected, "existential"},
		{"restore missing", []string{"devnet", "restore", "nope", "--yes"}, ExitNotFound, "not found"},
		{"snapshot bad name", []string{"devnet", "snapshot", "a/b"}, ExitUsage, "snapshot name"},
		{"reset without yes", []string{"devnet", "reset"}, ExitUsage, "--yes"},
		{"bad node url", []string{"chain", "info", "--node", "ftp://x"}, ExitUsage, "invalid node url"},
		{"node not running", []string{"chain", "info", "--node", "127.0.0.1:1"}, ExitFailed, "btui node"},
		{"unknown subcommand", []string{"devnet", "explode"}, ExitUsage, "unknown command"},
	}
	for _, tt := range tests {
		r := c.run(tt.args...)
		if r.code != tt.code || !strings.Contains(r.errOut, tt.msg) {
			t.Errorf("%s: btui %s: exit %d, stderr %q; want exit %d mentioning %q", tt.name, strings.Join(tt.args, " "), r.code, r.errOut, tt.code, tt.msg)
		}
		if r.code != 0 && r.out != "" && tt.code != ExitRejected {
			t.Errorf("%s: failing command printed on stdout: %q", tt.name, r.out)
		}
	}
	// A failure receipt with --json still prints its one document, then exits 3.
	r := c.run("devnet", "faucet", "//Bob", "1000000", "--json")
	var fj devnetFaucetJSON
	if r.code != ExitRejected || json.Unmarshal([]byte(r.out), &fj) != nil || fj.Receipt.Code != protocol.CodeFaucetLimit || fj.OK {
		t.Fatalf("failed faucet --json: %d %q %q", r.code, r.out, r.errOut)
	}
}

func TestDevnetResetAsksOnATerminal(t *testing.T) {
	t.Parallel()
	c := newChainCLI(t)
	c.ok("devnet", "advance", "3")
	io, _, errOut := NewTestIO("n\n", true)
	if code := runClean(c.t, context.Background(), io, c.args([]string{"devnet", "reset"})); code != ExitFailed || !strings.Contains(errOut.String(), "aborted") {
		t.Fatalf("reset answered no: %d %s", code, errOut)
	}
	if c.height() != 3 {
		t.Fatal("reset happened although the answer was no")
	}
	io, _, errOut = NewTestIO("y\n", true)
	if code := runClean(c.t, context.Background(), io, c.args([]string{"devnet", "reset"})); code != 0 {
		t.Fatalf("reset answered yes: %d %s", code, errOut)
	}
	if c.height() != 0 {
		t.Fatal("no reset after yes")
	}
}

func TestDevnetAdvanceProgressOnTerminal(t *testing.T) {
	t.Parallel()
	c := newChainCLI(t)
	io, out, errOut := NewTestIO("", true)
	if code := runClean(c.t, context.Background(), io, c.args([]string{"devnet", "advance", "300"})); code != 0 {
		t.Fatalf("advance: %d %s", code, errOut)
	}
	if !strings.Contains(errOut.String(), "advancing: 300/300 blocks (100%)") {
		t.Fatalf("no progress on stderr: %q", errOut)
	}
	if strings.Contains(out.String(), "advancing") {
		t.Fatal("progress went to stdout")
	}
	// Without a terminal: no progress.
	r := c.run("devnet", "advance", "10")
	if strings.Contains(r.errOut, "advancing") {
		t.Fatalf("progress without a terminal: %q", r.errOut)
	}
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
