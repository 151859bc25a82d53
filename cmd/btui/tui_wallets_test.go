package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/btui/btui/tui"
)

// Wallet selection on a producing chain: space on a coldkey row selects that wallet with a
// hotkey it has (not the previous wallet's hotkey name), and the selection is remembered by
// the next console through the state file in the config directory; a wallet named on the
// command line still wins.
func TestTUIWalletSelectionRemembered(t *testing.T) {
	e := newConsoleEnv(t)
	e.operator("alice", "pw", 1_000_000_000)
	if _, _, err := e.keys.NewHotkey("alice", "miner1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.keys.CreateWallet("sudo", []byte("pw")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.keys.NewHotkey("sudo", "validator"); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Chain().Start(); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(t.TempDir(), "console-state.json")
	open := func(walletName string) (*liveDriver, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		o := e.options()
		o.Context, o.Wallet, o.StatePath, o.NoFirstRun = ctx, walletName, state, true
		d := newLiveDriver(t, tui.New(o))
		d.start(120, 40)
		return d, cancel
	}
	d, quit := open("alice")
	d.keys("2")
	d.waitFor("● alice", "miner1", "sudo")
	// select alice/miner1, then the sudo coldkey row: sudo has no miner1
	d.keys("/", "miner1", "enter", " ")
	d.waitFor("selected: alice/miner1")
	d.keys("esc", "G", " ")
	d.waitFor("selected: sudo/validator")
	d.waitUntil("the state is saved", func() bool {
		return loadConsoleState(state) == "sudo/validator/Wallets"
	})
	quit()

	d, quit = open("")
	defer quit()
	d.waitFor("Wallets", "selected: sudo/validator")

	d2, quit2 := open("alice")
	defer quit2()
	d2.waitFor("selected: alice/default")
}

// loadConsoleState reads the console's state file as "wallet/hotkey/page".
func loadConsoleState(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var s struct{ Wallet, Hotkey, Page string }
	if json.Unmarshal(b, &s) != nil {
		return ""
	}
	return s.Wallet + "/" + s.Hotkey + "/" + s.Page
}
