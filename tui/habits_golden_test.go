package tui

import (
	"context"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The habits' views at the minimum size, 80×24, on a real embedded devnet (no producer, a
// fixed clock, no colour): the command line with its completions and with an unknown
// command's message, the sort picker, the message history, the address book and its form,
// and the hyperparameters with units (go test ./tui -run TestGoldenHabits80x24 -update
// rewrites them).
func TestGoldenHabits80x24(t *testing.T) {
	client, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	keys := newMemKeys()
	if _, _, err := keys.CreateWallet("alice", []byte("pw")); err != nil {
		t.Fatal(err)
	}
	keys.NewHotkey("alice", "default")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	id, _ := wallet.ParseAddress(addressOf("//Bob"))
	if _, err := client.Faucet(ctx, id, 3*protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Advance(ctx, 2, nil); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Keys: keys, Client: fixedEndpoint{client}, Context: ctx, Network: "devnet (golden)", Wallet: "alice", NoFirstRun: true, NoColor: true,
		Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}, 80, 24)
	frame := func(name string, want ...string) {
		t.Helper()
		d.waitFor(want...)
		t.Run(name, func(t *testing.T) { golden.RequireEqual(t, d.app.Render()) })
	}
	d.waitFor("Portfolio — alice")
	d.keys(":", "text:s")
	frame("cmdline_completions", ":s", "tab: subnet stake subnets simulation")
	d.keys("backspace", "text:frob", "enter")
	frame("cmdline_unknown", `unknown command ":frob"`)
	d.keys("esc", "4")
	d.waitFor("sn1")
	d.keys("s")
	frame("sort_picker", "sort by the highlighted letter")
	d.keys("T")
	frame("sorted", "TAO in↓")
	d.keys("1", "!")
	frame("messages", "Messages — 1 message")
	d.keys("esc", "@") // from the Overview: nothing selected to fill in
	frame("contacts_empty", "no contacts yet")
	d.keys("a")
	frame("contacts_form", "Save a contact")
	d.keys("text:carol", "tab", "text://Charlie", "enter")
	frame("contacts_one", "Contacts — 1 contact")
	d.keys("esc", ":", "text:hp 1", "enter")
	frame("hyperparameters", "Subnet 1 — hyperparameters", "Reads as")
}
