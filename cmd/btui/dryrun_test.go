package main

import (
	"strings"
	"testing"
)

// TestDryRunEveryTransactionCommand: --dry-run on every transaction command, on the embedded
// devnet and through a node, asks for no password (none is available) and no confirmation,
// submits nothing (head, state digest and wallet files unchanged), prints one JSON document
// with the chain's simulation, and exits with the code of the real run that follows it.
func TestDryRunEveryTransactionCommand(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"embedded", "node"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			fx := newOpsFixture(t)
			if mode == "node" {
				fx.c.startNode()
			}
			n := fx.netuid
			cases := [][]string{
				{"wallet", "transfer", "--wallet-name", "alice", "--dest", "bob", "--amount", "1"},
				{"wallet", "transfer", "--wallet-name", "alice", "--dest", "bob", "--amount", "5000"}, // refused by the checks: 2
				{"devnet", "faucet", "bob", "1"},
				{"devnet", "faucet", "bob", "0.0000001"}, // to an account that has funds: fine
				{"devnet", "faucet", "bob", "200000"},    // over the per-call limit: included, failed: 3
				{"stake", "add", "--wallet-name", "val", "--netuid", n, "--amount", "1", "--unsafe"},
				{"stake", "remove", "--wallet-name", "val", "--netuid", n, "--amount", "1", "--unsafe"},
				{"stake", "move", "--wallet-name", "val", "--origin-netuid", n, "--dest-netuid", "1", "--dest-hotkey", "//Alice", "--amount", "1", "--unsafe"},
				{"stake", "transfer", "--wallet-name", "val", "--origin-netuid", n, "--dest", "bob", "--amount", "1"},
				{"stake", "swap", "--wallet-name", "val", "--origin-netuid", n, "--dest-netuid", "1", "--amount", "1", "--unsafe"},
				{"sudo", "set-take", "--take", "0.1", "--wallet-name", "val"},
				{"subnets", "create", "--wallet-name", "other"},
				{"subnets", "register", "--netuid", n, "--wallet-name", "other"},
				{"subnets", "pow-register", "--netuid", n, "--wallet-name", "bob"},
				{"subnets", "start", "--netuid", n, "--wallet-name", "alice"}, // already started: 2
				{"sudo", "set", "--netuid", n, "--param", "immunity_period", "--value", "150", "--wallet-name", "alice"},
				{"weights", "set", "--wallet-name", "val", "--netuid", n, "--uids", "0", "--weights", "1"},
				{"weights", "commit", "--wallet-name", "val", "--netuid", n, "--uids", "0", "--weights", "1"},
				{"weights", "reveal", "--wallet-name", "val", "--netuid", n, "--uids", "0", "--weights", "1", "--salt", "1,2"},
				{"axon", "set", "--netuid", n, "--ip", "203.0.113.5", "--port", "8091", "--wallet-name", "val"},
				{"axon", "reset", "--netuid", n, "--wallet-name", "val"},
				{"wallet", "set-identity", "--wallet-name", "alice", "--id-name", "Open Lab"},
				{"subnets", "set-identity", "--netuid", n, "--subnet-name", "Lab Net", "--wallet-name", "alice"},
				{"subnets", "set-identity", "--netuid", n, "--subnet-name", "Mine", "--wallet-name", "bob"}, // not the owner: 2
				{"wallet", "swap-hotkey", "fresh", "--wallet-name", "val"},
				{"wallet", "swap-coldkey", "--new-coldkey", "newcold", "--wallet-name", "other"}, // last: it locks other's coldkey
			}
			fx.c.ok("wallet", "new-hotkey", "--wallet-name", "val", "--wallet-hotkey", "fresh", "--json")
			fx.c.ok("wallet", "create", "--wallet-name", "newcold", "--json")
			for _, args := range cases {
				name := strings.Join(args, " ")
				before := fx.snapshot(t)
				pw := fx.c.env[envPassword]
				delete(fx.c.env, envPassword) // no password anywhere: a dry run must not need one
				dry := fx.c.run(append(append([]string{}, args...), "--dry-run", "--json")...)
				fx.c.env[envPassword] = pw
				if after := fx.snapshot(t); after != before {
					t.Fatalf("%s --dry-run changed the chain or the wallets: %s → %s\n%s", name, before, after, dry.errOut)
				}
				if strings.Contains(strings.ToLower(dry.errOut), "password") {
					t.Fatalf("%s --dry-run asked for a password: %s", name, dry.errOut)
				}
				if dry.code == 0 || dry.code == ExitRejected {
					var doc struct {
						DryRun     bool           `json:"dry_run"`
						OK         bool           `json:"ok"`
						Simulation map[string]any `json:"simulation"`
					}
					decodeOne(t, dry.out, &doc)
					if !doc.DryRun || doc.Simulation == nil || doc.OK != (dry.code == 0) {
						t.Fatalf("%s --dry-run --json: %s", name, dry.out)
					}
				}
				real := fx.c.run(append(append([]string{}, args...), "--yes", "--json")...)
				if real.code != dry.code {
					t.Fatalf("%s: dry run exited %d, the real run %d\ndry: %s%s\nreal: %s%s", name, dry.code, real.code, dry.out, dry.errOut, real.out, real.errOut)
				}
				t.Logf("%s: exit %d", name, dry.code)
			}
			// The human form: what the chain would do, on stdout.
			r := fx.c.run("wallet", "transfer", "--wallet-name", "alice", "--dest", "bob", "--amount", "2", "--dry-run")
			if r.code != 0 || !strings.Contains(r.out, "dry run: nothing was submitted") || !strings.Contains(r.out, "balances:") {
				t.Fatalf("human dry run: exit %d\n%s\n%s", r.code, r.out, r.errOut)
			}
		})
	}
}
