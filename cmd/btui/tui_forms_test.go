package main

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// liveConsole opens the console on a producing devnet (250 ms blocks) for wallet.
func liveConsole(t *testing.T, e *consoleEnv, walletName string, w, h int) *liveDriver {
	t.Helper()
	if err := e.client.Chain().SetBlockTime(250 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Chain().Start(); err != nil {
		t.Fatal(err)
	}
	o := e.options()
	o.Wallet, o.NoFirstRun = walletName, true
	d := newLiveDriver(t, tui.New(o))
	d.start(w, h)
	return d
}

// Forms on a producing chain: a field is checked when it is left; a transfer the chain's
// rules refuse (more than the balance) brings the form back with what was typed and the
// error; the destination takes a dev name (//Bob) with tab completion or a wallet name; the
// stake form's "allow partial" is a switch.
func TestTUIFormsKeepInput(t *testing.T) {
	e := newConsoleEnv(t)
	e.operator("alice", "pw", 10*1_000_000_000)
	e.operator("carol", "pw", 1_000_000_000)
	d := liveConsole(t, e, "alice", 120, 40)
	d.keys("2")
	d.waitFor("● alice", "10.0000")

	// checked as it is left: a bad destination is named under its field at once
	d.keys("t", "5nope", "tab")
	d.waitFor("Transfer from alice", "is not an SS58 address, a wallet, a dev name")
	d.handle(tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift})
	d.handle(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	// the dev name completes with tab
	d.keys("//Bo", "tab")
	d.waitFor("//Bob")
	d.keys("tab", "50", "enter")
	// refused by the transfer's check: the form comes back with the input and the reason
	d.waitFor("Transfer from alice", "//Bob", "50")
	d.waitUntil("the form says why", func() bool {
		s := d.screen()
		return strings.Contains(s, "Transfer from alice") && (strings.Contains(s, "not enough") || strings.Contains(s, "insufficient") || strings.Contains(s, "balance"))
	})
	d.backspace(2)
	d.keys("1", "enter")
	d.waitFor("Transfer 1 TAO", "Confirm (y)")
	d.keys("y", "pw", "enter")
	d.waitFor("done in block")
	bob, _ := wallet.Dev("Bob")
	acc, err := e.client.Account(context.Background(), bob.AccountID())
	if err != nil || acc.Free < 1_000_000_000 {
		t.Fatalf("//Bob has %d rao (%v) after the transfer", acc.Free, err)
	}

	// a wallet name as the destination
	d.keys("t", "carol", "tab", "0.5", "enter")
	d.waitFor("Transfer 0.5 TAO", "Confirm (y)")
	d.keys("n")
	d.waitFor("cancelled")

	// allow partial is a switch: space flips it, typing does not edit it
	d.keys("3", "a")
	d.waitFor("Add stake from alice", "allow partial")
	d.keys("tab", "tab", "tab", "tab")
	d.waitFor("[ ] no", "space switches")
	d.keys(" ")
	d.waitFor("[x] yes")
	d.keys("abc")
	d.waitFor("[x] yes")
	d.keys("esc")
}
