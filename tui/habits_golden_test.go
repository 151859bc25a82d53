package tui

import (
	"context"
	"testing"
	"time"

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
	d, frame := goldenDriver(t, []string{"default"}, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), func(ctx context.Context, client *chainclient.Embedded) {
		id, _ := wallet.ParseAddress(addressOf("//Bob"))
		if _, err := client.Faucet(ctx, id, 3*protocol.RaoPerTAO); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Advance(ctx, 2, nil); err != nil {
			t.Fatal(err)
		}
	})
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
