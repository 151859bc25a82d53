package main

import (
	"context"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// TestRulesAnswerOnce: on the inputs where the command's pre-checks used to restate a rule
// differently from the chain (the subnet owner without a validator permit, the stake
// threshold, the minimum stake, the existential deposit), the command's pre-check (a
// --dry-run, which runs every check of the command), the chain's Simulate and the chain itself
// (the same call signed and submitted with no client check at all) give the same answer.
func TestRulesAnswerOnce(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	ctx := context.Background()
	id := func(name string) wallet.AccountID {
		kp, err := wallet.Dev(name)
		if err != nil {
			t.Fatal(err)
		}
		defer kp.Zero()
		return kp.AccountID()
	}
	// chain submits call signed by the dev key name straight to the chain and returns the
	// code of the outcome (a rejection's or the receipt's); sim asks Simulate.
	withChain := func(fn func(ch chainclient.Client)) {
		ch, err := chainclient.OpenEmbedded(c.dir, chainclient.WithNoSync(true))
		if err != nil {
			t.Fatal(err)
		}
		defer ch.Close()
		fn(ch)
	}
	sim := func(name string, call protocol.Call) (code protocol.Code) {
		withChain(func(ch chainclient.Client) {
			s, err := ch.Simulate(ctx, call, id(name))
			if err != nil {
				t.Fatal(err)
			}
			code, _ = protocol.CodeOf(s.Err())
		})
		return code
	}
	chain := func(name string, call protocol.Call) (code protocol.Code) {
		withChain(func(ch chainclient.Client) {
			kp, err := wallet.Dev(name)
			if err != nil {
				t.Fatal(err)
			}
			tx, err := chainclient.Sign(ctx, ch, kp, call, chainclient.SignOptions{})
			kp.Zero()
			if err != nil {
				t.Fatal(err)
			}
			info, err := ch.SubmitAndWait(ctx, tx)
			if err != nil {
				code, _ = protocol.CodeOf(err)
				return
			}
			code = info.Receipt.Code
		})
		return code
	}
	// command runs the command with --dry-run: exit 0 when its checks and the chain's
	// simulation accept, 2 (with the chain's code in the message) when they refuse.
	command := func(args ...string) opsResult {
		return c.run(append(args, "--dry-run")...)
	}
	agree := func(rule string, r opsResult, simCode, chainCode, want protocol.Code) {
		t.Helper()
		cmdOK := r.code == 0
		if simCode != want || chainCode != want || cmdOK != (want == protocol.CodeOK) {
			t.Fatalf("%s: command exit %d (%s), Simulate %s, chain %s; want %s everywhere", rule, r.code, strings.TrimSpace(r.errOut), simCode, chainCode, want)
		}
		if want != protocol.CodeOK && !strings.Contains(r.errOut, want.String()) {
			t.Fatalf("%s: the command's refusal does not carry the chain's code %s: %s", rule, want, r.errOut)
		}
	}
	c.ok("devnet", "faucet", "//Bob", "100")
	// Bob gets uid 1 on subnet 1, whose owner hotkey is Alice's (uid 0).
	c.ok("subnets", "register", "--netuid", "1", "--wallet-name", "//Bob", "--yes")

	// 1. The subnet owner's hotkey needs no validator permit to weight others.
	owner := protocol.SetWeights{Netuid: 1, Uids: []uint16{0, 1}, Values: []uint16{1, 1}}
	r := command("weights", "set", "--wallet-name", "//Alice", "--netuid", "1", "--uids", "0,1", "--weights", "1,1")
	agree("owner without a permit", r, sim("Alice", owner), chain("Alice", owner), protocol.CodeOK)

	// 2. Below the minimum stake.
	small := protocol.AddStake{Hotkey: id("Alice"), Netuid: 1, Amount: 1_000_000}
	r = command("stake", "add", "--wallet-name", "//Bob", "--hotkey-ss58", "//Alice", "--netuid", "1", "--amount", "0.001", "--unsafe")
	agree("minimum stake", r, sim("Bob", small), chain("Bob", small), protocol.CodeStakeBelowMinimum)

	// 3. A transfer that would leave the sender below the existential deposit.
	var info struct {
		TxFee uint64 `json:"tx_fee"`
	}
	c.json(&info, "chain", "info")
	var bal walletBalanceJSON
	c.json(&bal, "wallet", "balance", "--wallet-name", "//Eve")
	all := bal.Balances[0].Free - info.TxFee
	drain := protocol.Transfer{To: id("Ferdie"), Amount: all}
	r = command("wallet", "transfer", "--wallet-name", "//Eve", "--dest", "//Ferdie", "--amount", protocol.TAODecimal(all))
	agree("existential deposit", r, sim("Eve", drain), chain("Eve", drain), protocol.CodeKeepAlive)

	// 4. The stake threshold (sudo raises it; Bob's hotkey has no stake).
	if code := chain("Alice", protocol.SudoSetGlobal{Name: "stake_threshold", Value: 1_000 * protocol.RaoPerTAO}); code != protocol.CodeOK {
		t.Fatalf("raise the stake threshold: %s", code)
	}
	self := protocol.SetWeights{Netuid: 1, Uids: []uint16{1}, Values: []uint16{1}}
	r = command("weights", "set", "--wallet-name", "//Bob", "--netuid", "1", "--uids", "1", "--weights", "1")
	agree("stake threshold", r, sim("Bob", self), chain("Bob", self), protocol.CodeStakeBelowThreshold)
	// The owner is exempt from the threshold: everyone agrees again.
	r = command("weights", "set", "--wallet-name", "//Alice", "--netuid", "1", "--uids", "0", "--weights", "1")
	ownerSelf := protocol.SetWeights{Netuid: 1, Uids: []uint16{0}, Values: []uint16{1}}
	agree("owner and the stake threshold", r, sim("Alice", ownerSelf), chain("Alice", ownerSelf), protocol.CodeOK)
}
