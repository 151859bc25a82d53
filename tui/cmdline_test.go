package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// habitsApp runs the whole console over a real embedded devnet (no producer) with wallets
// alice (hotkeys default, miner1) and bob, and a state file under statePath ("" keeps the
// state in memory).
func habitsApp(t *testing.T, client *chainclient.Embedded, keys *memKeys, statePath string, w, h int) *driver {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return newDriver(t, Options{Keys: keys, Client: client, Context: ctx, Network: "devnet (test)", Wallet: "alice",
		StatePath: statePath, NoFirstRun: true}, w, h)
}

// habitsChain is a fresh embedded devnet and a key store with alice and bob.
func habitsChain(t *testing.T) (*chainclient.Embedded, *memKeys) {
	t.Helper()
	client := freshDevnet(t)
	keys := aliceKeys(t, "default", "miner1")
	keys.words = strings.Fields("crowd swamp sniff machine grid pretty client emotion banana cricket flush soap")
	if _, _, err := keys.CreateWallet("bob", []byte("pw2")); err != nil {
		t.Fatal(err)
	}
	return client, keys
}

// The command line on a devnet: completion of command words, wallet names and subnets;
// :block, :subnet, :hp, :wallet, :tx and page names go where they say; a bad command or
// argument says what is valid in the status line and keeps the line; esc cancels; :q quits.
func TestCommandLineOnDevnet(t *testing.T) {
	client, keys := habitsChain(t)
	ctx := context.Background()
	id, _ := wallet.ParseAddress(addressOf("//Dave"))
	paid, err := client.Faucet(ctx, id, 5*protocol.RaoPerTAO) // block 1
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Advance(ctx, 6, nil); err != nil {
		t.Fatal(err)
	}
	d := habitsApp(t, client, keys, "", 120, 40)
	d.waitFor("Portfolio — alice", "#7")

	// esc cancels, and the page keeps its keys afterwards
	d.keys(":")
	if _, open := d.app.CommandLine(); !open {
		t.Fatal(": did not open the command line")
	}
	d.mustSee("enter runs • esc cancels")
	d.keys("text:blo", "esc")
	if _, open := d.app.CommandLine(); open {
		t.Fatal("esc did not close the command line")
	}
	d.keys("2")
	d.waitFor("Wallets", "● alice")

	// completion of the command word, then of the argument
	d.keys(":", "text:bl", "tab")
	if v, _ := d.app.CommandLine(); v != "block " {
		t.Fatalf("tab completed %q, want %q", v, "block ")
	}
	d.keys("text:3", "enter")
	d.waitFor("Block #3")
	if _, ok := d.app.Active().(*chainPage); !ok {
		t.Fatalf(":block 3 left the console on %s", d.app.Active().Title())
	}

	// a block not made yet, and a bad height: a message, the line stays open
	d.keys(":", "text:block 999", "enter")
	d.mustSee("block 999 is not made yet: the head is #7")
	if v, open := d.app.CommandLine(); !open || v != "block 999" {
		t.Fatalf("after a bad argument the line is %q open=%v, want it kept", v, open)
	}
	d.keys("esc")

	// an unknown command names the valid ones
	d.keys(":", "text:frob", "enter")
	d.mustSee(`unknown command ":frob": use block N, tx HASH, subnet N`)
	d.keys("esc")
	d.mustNotSee("unknown command") // leaving the line takes its message down
	// fixed in place, the message goes when the line runs
	d.keys(":", "text:chian", "enter")
	d.mustSee(`unknown command ":chian"`)
	for range 5 {
		d.keys("backspace")
	}
	d.keys("text:chain", "enter")
	d.mustNotSee("unknown command")

	// subnets complete from the chain
	d.keys(":", "text:sub", "tab")
	if v, _ := d.app.CommandLine(); v != "subnet" { // subnet or subnets (the page): their common part
		t.Fatalf("tab completed %q, want %q", v, "subnet")
	}
	d.keys("text: ", "tab") // the netuids: 0 and 1 on the devnet genesis; tab cycles through them
	v, _ := d.app.CommandLine()
	if v != "subnet 0" {
		t.Fatalf("tab on the argument gave %q, want the first netuid", v)
	}
	d.keys("tab")
	if v, _ := d.app.CommandLine(); v != "subnet 1" {
		t.Fatalf("second tab gave %q, want %q", v, "subnet 1")
	}
	d.keys("enter")
	d.waitFor("Subnet 1 — metagraph", "neurons")
	if p := d.app.Active().(*subnetsPage); len(p.neurons) == 0 {
		t.Fatal(":subnet 1 shows no neurons")
	}
	d.keys(":", "text:subnet 7", "enter")
	d.mustSee("there is no subnet 7 on this chain: the subnets are 0, 1")
	d.keys("esc", ":", "text:hp 1", "enter")
	d.waitFor("Subnet 1 — hyperparameters", "tempo")

	// :wallet completes names and acts for the wallet, on the page the operator is on
	d.keys("3", ":", "text:wallet b", "tab")
	if v, _ := d.app.CommandLine(); v != "wallet bob" {
		t.Fatalf("tab completed %q, want %q", v, "wallet bob")
	}
	d.keys("enter")
	d.waitFor("acting for wallet bob/default", "coldkey bob")
	if c := d.app.Common(); c.Wallet != "bob" {
		t.Fatalf(":wallet bob selected %q", c.Wallet)
	}
	d.keys(":", "text:wallet carol", "enter")
	d.mustSee(`there is no wallet "carol": the wallets are alice, bob`)
	d.keys("esc")

	// :tx opens the transaction's block, at the transaction
	d.keys(":", "text:tx "+paid.Hash.String(), "enter")
	d.waitFor("Block #1", "sudo.faucet", "index 0")
	d.mustSee("transaction " + ShortAddress(paid.Hash.String(), 20) + ": block #1")
	d.keys(":", "text:tx 0x"+strings.Repeat("ab", 32), "enter")
	d.waitFor("is not in a block of this chain")
	d.keys(":", "text:tx 0x12", "enter")
	d.mustSee(":tx wants a transaction hash")
	d.keys("esc")

	// a page by name (or three letters of it)
	d.keys(":", "text:sim", "enter")
	d.waitFor("Simulation")
	if d.app.Active().Title() != "Simulation" {
		t.Fatalf(":sim went to %s", d.app.Active().Title())
	}

	// the command line is not opened while a form takes typing
	d.keys("2", "t")
	d.mustSee("Transfer from")
	d.keys(":")
	if _, open := d.app.CommandLine(); open {
		t.Fatal(": opened the command line inside a form")
	}
	d.keys("esc", "esc")

	d.keys(":", "text:q", "enter")
	if !d.quit {
		t.Fatal(":q did not quit")
	}
}
