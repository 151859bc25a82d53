package main

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIBadInput: the errors a btcli user scripting an operator day ran into. Each fails
// with its documented exit code and a message saying what was wrong and the fix, prints
// nothing on stdout, and changes neither the chain nor the wallets (the table's contract, as
// in TestOpsBadInput).
func TestCLIBadInput(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	n := fx.netuid
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, []byte(`{"node": "http://127.0.0.1:1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	// A valid signature of deadbeef by //Alice with its recovery id changed to 2: malformed.
	badRecovery := aliceDeadbeefSig[:len(aliceDeadbeefSig)-2] + "02"
	transfer := func(extra ...string) []string {
		return append([]string{"wallet", "transfer", "--wallet-name", "alice", "--amount", "1"}, extra...)
	}
	cases := []struct {
		name string
		args []string
		code int
		msg  string
		env  map[string]string
	}{
		{"unknown top-level command", []string{"frobnicate"}, ExitUsage, `unknown command "frobnicate" for "btui"`, nil},
		{"unknown top-level command after a flag", []string{"--json", "frobnicate"}, ExitUsage, `unknown command "frobnicate"`, nil},
		{"unknown subcommand with flags", []string{"subnets", "check-begin", "--netuid", n}, ExitUsage, `unknown command "check-begin" for "btui subnets"`, nil},
		{"unknown subcommand suggests", []string{"wallet", "balanse"}, ExitUsage, "did you mean balance", nil},
		{"listen port out of range", []string{"node", "--listen", "127.0.0.1:99999"}, ExitUsage, "port must be a number from 0 to 65535", nil},
		{"negative block height", []string{"chain", "block", "-1"}, ExitUsage, "negative numbers are not allowed", nil},
		{"negative advance", []string{"devnet", "advance", "-5"}, ExitUsage, "negative numbers are not allowed", nil},
		{"negative faucet amount", []string{"devnet", "faucet", "val", "-5"}, ExitUsage, "negative numbers are not allowed", nil},
		{"netuid out of range", []string{"subnets", "show", "--netuid", "70000"}, ExitUsage, "out of range (give an integer from 0 to 65535)", nil},
		{"netuid out of range with -n", []string{"subnets", "show", "-n", "70000"}, ExitUsage, "out of range (give an integer from 0 to 65535)", nil},
		{"negative netuid", []string{"subnets", "show", "--netuid", "-3"}, ExitUsage, "negative numbers are not allowed (give an integer from 0 to 65535)", nil},
		{"config set node not a url", []string{"config", "set", "node", "notaurl"}, ExitUsage, `network "notaurl" is unknown`, nil},
		{"devnet-only command on a subtensor network", []string{"devnet", "advance", "1", "--network", "finney"}, ExitUsage, "btui devnet advance is devnet-only: network finney is a subtensor node", nil},
		{"faucet on a subtensor network", []string{"devnet", "faucet", "val", "1", "--subtensor.network", "test"}, ExitUsage, "devnet-only", nil},
		{"node from config.json unreachable", []string{"subnets", "list", "--node", ""}[:2], ExitFailed, "comes from config.json", map[string]string{"BTUI_CONFIG": cfg}},
		{"subtensor node unreachable", []string{"subnets", "list", "--network", "ws://127.0.0.1:1"}, ExitFailed, "network ws://127.0.0.1:1 (ws://127.0.0.1:1): node unreachable", nil},
		{"network misspelt", []string{"subnets", "list", "--network", "finny"}, ExitUsage, `network "finny" is unknown`, nil},
		{"subtensor network misspelt", []string{"subnets", "list", "--subtensor.network", "tset"}, ExitUsage, `network "tset" is unknown`, nil},
		{"subtensor chain endpoint unreachable", []string{"subnets", "list", "--subtensor.chain_endpoint", "ws://127.0.0.1:1"}, ExitFailed, "node unreachable", nil},
		{"empty wallet name", []string{"wallet", "create", "--name", ""}, ExitUsage, `invalid argument "" for "--wallet-name" flag: it is empty`, nil},
		{"empty wallet path", []string{"wallet", "list", "--wallet-path", ""}, ExitUsage, "it is empty", nil},
		{"misspelt dev name", transfer("--dest", "//Bobb", "--yes"), ExitUsage, `"//Bobb" is not one of the dev accounts`, nil},
		{"dev path below a misspelt name", transfer("--dest", "//Alise//stash", "--yes"), ExitUsage, "--allow-dev-path", nil},
		{"verify malformed signature", []string{"wallet", "verify", "--address", "//Alice", "--message-hex", "deadbeef", "--signature", badRecovery, "--json"}, ExitUsage, "recovery id", nil},
		{"yes and no", transfer("--dest", "bob", "--yes", "--no"), ExitUsage, "--yes and --no contradict", nil},
		{"quiet and verbose", []string{"wallet", "list", "--quiet", "--verbose"}, ExitUsage, "--quiet and --verbose contradict", nil},
		{"swap-coldkey bad SS58", []string{"wallet", "swap-coldkey", "--wallet-name", "alice", "--new-coldkey", "5Fxyz", "--yes"}, ExitUsage, `"5Fxyz" is not a valid SS58 address`, nil},
		{"swap-coldkey to the same coldkey", []string{"wallet", "swap-coldkey", "--wallet-name", "alice", "--new-coldkey", "alice", "--yes"}, ExitUsage, "--new-coldkey is the wallet's own coldkey", nil},
		{"convert two amounts", []string{"utils", "convert", "--tao", "1", "--rao", "5"}, ExitUsage, "exactly one of --tao, --rao and --alpha", nil},
		{"convert alpha without netuid", []string{"utils", "convert", "--alpha", "1"}, ExitUsage, "--alpha needs --netuid", nil},
		{"convert negative rao", []string{"utils", "convert", "--rao", "-5"}, ExitUsage, "negative numbers are not allowed", nil},
		{"check-start unknown subnet", []string{"subnets", "check-start", "--netuid", "99"}, ExitNotFound, "subnet 99 does not exist", nil},
		{"check-start without netuid", []string{"subnets", "check-start"}, ExitUsage, "--netuid is required", nil},
		{"price unknown subnet", []string{"subnets", "price", "--netuid", fx.dissolved}, ExitNotFound, "does not exist", nil},
		{"price zero blocks", []string{"subnets", "price", "--netuid", n, "--blocks", "0"}, ExitUsage, "--blocks 0: give 1 to 100000", nil},
		{"history zero limit", []string{"wallet", "history", "--wallet-name", "val", "--limit", "0"}, ExitUsage, "--limit 0: give 1 to 1000", nil},
		{"history unknown wallet", []string{"wallet", "history", "--wallet-name", "nosuch"}, ExitNotFound, `wallet "nosuch" does not exist`, nil},
		{"history misspelt dev address", []string{"wallet", "history", "--address", "//Bobb"}, ExitUsage, "--allow-dev-path", nil},
		{"netuids on a one-subnet command", []string{"subnets", "show", "--netuids", "1," + n}, ExitUsage, "acts on one subnet", nil},
		{"netuid and netuids", []string{"stake", "add", "--netuid", n, "--netuids", n, "--amount", "1", "--wallet-name", "val", "--yes"}, ExitUsage, "--netuid or --netuids, not both", nil},
		{"all-netuids and netuid", []string{"stake", "add", "--netuid", n, "--all-netuids", "--amount", "1", "--wallet-name", "val", "--yes"}, ExitUsage, "contradict", nil},
		{"all-hotkeys and include-hotkeys", []string{"stake", "add", "--netuid", n, "--all-hotkeys", "--include-hotkeys", "val", "--amount", "1", "--wallet-name", "val", "--yes"}, ExitUsage, "contradict", nil},
		{"exclude-hotkeys alone", []string{"stake", "add", "--netuid", n, "--exclude-hotkeys", "default", "--amount", "1", "--wallet-name", "val", "--yes"}, ExitUsage, "--exclude-hotkeys needs --all-hotkeys", nil},
		{"netuids not numbers", []string{"stake", "add", "--netuids", "1,x", "--amount", "1", "--wallet-name", "val", "--yes"}, ExitUsage, `"x" is not a netuid`, nil},
		{"get-take with a short ss58", []string{"sudo", "get-take", "--hotkey-ss58", "5Fxyz"}, ExitUsage, `"5Fxyz" is not a valid SS58 address`, nil},
		{"axon port 0", []string{"axon", "set", "--wallet-name", "val", "--netuid", n, "--ip", "10.0.0.1", "--port", "0", "--yes"}, ExitUsage, "--port 0 is not a port", nil},
		{"axon without port", []string{"axon", "set", "--wallet-name", "val", "--netuid", n, "--ip", "10.0.0.1", "--yes"}, ExitUsage, "--port is required", nil},
		{"convert on a dissolved subnet", []string{"utils", "convert", "--tao", "1", "--netuid", fx.dissolved}, ExitNotFound, "does not exist", nil},
	}
	base := fx.c.env
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := fx.snapshot(t)
			env := map[string]string{}
			maps.Copy(env, base)
			maps.Copy(env, tc.env)
			fx.c.env = env
			args := tc.args
			if tc.env["BTUI_CONFIG"] != "" {
				// The node must come from the config file: run without --datadir/--node.
				args = append(append([]string{}, args...), "--wallet-path", fx.c.wallets)
				f, _, outputs := fx.c.factory("", false)
				code := RunFactory(t.Context(), f, args)
				out, errOut := outputs()
				checkBadInput(t, opsResult{code: code, out: out, errOut: errOut}, tc.code, tc.msg)
			} else {
				checkBadInput(t, fx.c.runIO("", false, args...), tc.code, tc.msg)
			}
			fx.c.env = base
			if after := fx.snapshot(t); after != before {
				t.Errorf("state changed: %s -> %s", before, after)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(fx.c.wallets, "default")); err == nil {
		t.Errorf("wallet create --name '' created the wallet \"default\"")
	}
}

func checkBadInput(t *testing.T, r opsResult, code int, msg string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.out, r.errOut)
	}
	if !strings.Contains(r.errOut, msg) {
		t.Errorf("stderr does not say %q:\n%s", msg, r.errOut)
	}
	if r.out != "" {
		t.Errorf("stdout is not empty on failure:\n%s", r.out)
	}
}
