package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/btui/btui/localchain"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
)

// binCLI runs the built btui binary over one devnet and wallet directory with a clean
// environment (a temporary HOME and XDG directories, the test password, nothing of the shell).
type binCLI struct {
	t        *testing.T
	bin, dir string
	wallets  string
	env      []string
}

func newBinCLI(t *testing.T) *binCLI {
	t.Helper()
	tmp := t.TempDir()
	return &binCLI{t: t, bin: buildBtui(t), dir: filepath.Join(tmp, "devnet"), wallets: filepath.Join(tmp, "wallets"),
		env: []string{"HOME=" + tmp, "XDG_CONFIG_HOME=" + filepath.Join(tmp, "config"), "XDG_DATA_HOME=" + filepath.Join(tmp, "data"),
			"XDG_STATE_HOME=" + filepath.Join(tmp, "state"), envPassword + "=" + opsPassword}}
}

func (c *binCLI) run(args ...string) opsResult {
	c.t.Helper()
	out, errOut, code := execBtui(c.t, c.bin, c.env, append(append([]string{}, args...), "--datadir", c.dir, "--wallet-path", c.wallets)...)
	return opsResult{code: code, out: out, errOut: errOut}
}

func (c *binCLI) ok(args ...string) opsResult {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("btui %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.out, r.errOut)
	}
	return r
}

func (c *binCLI) json(v any, args ...string) {
	c.t.Helper()
	r := c.ok(append(args, "--json")...)
	if err := json.Unmarshal([]byte(r.out), v); err != nil {
		c.t.Fatalf("btui %s --json: %v\n%s", strings.Join(args, " "), err, r.out)
	}
}

func (c *binCLI) head() uint64 {
	c.t.Helper()
	var info struct {
		Height uint64 `json:"height"`
	}
	c.json(&info, "chain", "info")
	return info.Height
}

// TestWalletSwapColdkeyOnTheBinary: the scheduled coldkey swap end to end through the real
// binary on the embedded devnet: the preview names the delay in blocks and time and the cost,
// the status and the overview show the pending swap, the old coldkey's other transactions and a
// second schedule are refused, and at the execution block everything has moved.
func TestWalletSwapColdkeyOnTheBinary(t *testing.T) {
	t.Parallel()
	c := newBinCLI(t)
	for _, w := range []string{"val", "newcold"} {
		c.ok("wallet", "create", "--wallet-name", w, "--json")
	}
	c.ok("devnet", "faucet", "val", "1000")
	var created txResult
	c.json(&created, "subnets", "create", "--wallet-name", "val", "--yes")
	netuid := afterNetuid(t, created)
	c.ok("subnets", "start", "--netuid", netuid, "--wallet-name", "val", "--yes")
	c.ok("stake", "add", "--netuid", netuid, "--amount", "10", "--wallet-name", "val", "--unsafe", "--yes")
	var before struct {
		Stakes []protocol.StakeInfo `json:"stakes"`
	}
	c.json(&before, "wallet", "overview", "--wallet-name", "val")
	if len(before.Stakes) != 1 {
		t.Fatalf("val's stake before the swap: %+v", before.Stakes)
	}

	// The human preview (dry run): delay in blocks and time, and the cost.
	r := c.ok("wallet", "swap-coldkey", "--wallet-name", "val", "--new-coldkey", "newcold", "--dry-run")
	want := []string{"360 blocks (~1m30s at 250 ms a block)", "0.1 TAO (recycled at the swap)", "1 stake position(s), 1 hotkey(s), 1 subnet(s)", "dry run: nothing was submitted"}
	for _, w := range want {
		if !strings.Contains(r.out+r.errOut, w) {
			t.Fatalf("preview lacks %q:\n%s%s", w, r.errOut, r.out)
		}
	}
	var st swapStatusJSON
	if c.json(&st, "wallet", "swap-coldkey", "--wallet-name", "val", "--status"); st.Scheduled || !st.OK {
		t.Fatalf("a dry run scheduled a swap: %+v", st)
	}

	var res txResult
	c.json(&res, "wallet", "swap-coldkey", "--wallet-name", "val", "--new-coldkey", "newcold", "--yes")
	var pv ops.SwapColdkeyPreview
	if err := json.Unmarshal(res.Preview, &pv); err != nil {
		t.Fatal(err)
	}
	var ev *protocol.Event
	for i := range res.Events {
		if res.Events[i].Name == "ColdkeySwapScheduled" {
			ev = &res.Events[i]
		}
	}
	if !res.OK || ev == nil || pv.DelayBlocks != localchain.DevnetColdkeySwapScheduleDuration || pv.Cost != localchain.DevnetKeySwapCost || pv.DelaySeconds != 90 {
		t.Fatalf("schedule: ok %v preview %+v events %+v", res.OK, pv, res.Events)
	}
	when, _ := strconv.ParseUint(ev.Attr("execution_block"), 10, 64)
	if when != ev.Height+localchain.DevnetColdkeySwapScheduleDuration || pv.ExecutionBlock != when {
		t.Fatalf("execution block %d (preview %d), scheduled at %d", when, pv.ExecutionBlock, ev.Height)
	}

	c.json(&st, "wallet", "swap-coldkey", "--wallet-name", "val", "--status")
	newcold := c.ok("wallet", "inspect", "--wallet-name", "newcold").out
	if !st.Scheduled || st.Swap == nil || st.Swap.ExecutionBlock != when || !strings.Contains(newcold, st.Swap.NewColdkey.SS58()) || st.BlocksLeft != when-c.head() {
		t.Fatalf("status %+v (head %d)", st, c.head())
	}
	var ov walletOverviewJSON
	c.json(&ov, "wallet", "overview", "--wallet-name", "val")
	if ov.ColdkeySwap == nil || ov.ColdkeySwap.ExecutionBlock != when {
		t.Fatalf("overview swap %+v", ov.ColdkeySwap)
	}
	if r := c.ok("wallet", "overview", "--wallet-name", "val"); !strings.Contains(r.out, "coldkey swap: to "+st.Swap.NewColdkey.SS58()) {
		t.Fatalf("human overview:\n%s", r.out)
	}

	// During the delay: the old coldkey's transfer and a second schedule are refused, unsubmitted.
	head := c.head()
	if r := c.run("wallet", "transfer", "--wallet-name", "val", "--dest", "newcold", "--amount", "1", "--yes"); r.code != ExitUsage || !strings.Contains(r.errOut, "coldkey_in_swap_schedule") {
		t.Fatalf("transfer while scheduled: exit %d %s", r.code, r.errOut)
	}
	if r := c.run("wallet", "swap-coldkey", "--wallet-name", "val", "--new-coldkey", "//Bob", "--yes"); r.code != ExitUsage || !strings.Contains(r.errOut, "swap_already_scheduled") {
		t.Fatalf("second schedule: exit %d %s", r.code, r.errOut)
	}
	if c.head() != head {
		t.Fatal("a refused transaction was included")
	}
	var bal walletBalanceJSON
	c.json(&bal, "wallet", "balance", "--wallet-name", "val")
	freeBefore := bal.Balances[0].Free

	// At the execution block: everything moved, the cost recycled.
	c.ok("devnet", "advance", strconv.FormatUint(when-c.head(), 10))
	c.json(&st, "wallet", "swap-coldkey", "--wallet-name", "val", "--status")
	if st.Scheduled {
		t.Fatalf("still scheduled at block %d: %+v", c.head(), st.Swap)
	}
	c.json(&bal, "wallet", "balance", "--wallet-name", "val")
	if bal.Balances[0].Free != 0 || bal.Balances[0].Staked != 0 {
		t.Fatalf("old coldkey after the swap: %+v", bal.Balances[0])
	}
	c.json(&bal, "wallet", "balance", "--wallet-name", "newcold")
	if bal.Balances[0].Free != freeBefore-localchain.DevnetKeySwapCost {
		t.Fatalf("new coldkey free %d, want %d - cost", bal.Balances[0].Free, freeBefore)
	}
	c.json(&ov, "wallet", "overview", "--wallet-name", "newcold")
	if len(ov.Stakes) != 1 || ov.Stakes[0].Hotkey != before.Stakes[0].Hotkey || ov.Stakes[0].Alpha < before.Stakes[0].Alpha {
		t.Fatalf("new coldkey stakes %+v, old had %+v", ov.Stakes, before.Stakes)
	}
	var sub subnetsShowJSON
	c.json(&sub, "subnets", "show", "--netuid", netuid)
	if sub.Subnet.Owner != ov.Coldkey {
		t.Fatalf("subnet owner %s, want the new coldkey %s", sub.Subnet.Owner, ov.Coldkey)
	}
}
