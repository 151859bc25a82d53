package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// submitTicket signs a plan with the wallet's coldkey (password "pw") and waits
// for its block; the transaction must succeed.
func submitTicket(t *testing.T, e *consoleEnv, walletName string, tk ops.Plan, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	bg := context.Background()
	kp, err := e.keys.UnlockColdkey(walletName, []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := chainclient.Sign(bg, e.client, kp, tk.Call, chainclient.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := e.client.SubmitAndWait(bg, b)
	if err != nil || !info.Receipt.OK() {
		t.Fatalf("%s: %v %+v", tk.Title, err, info)
	}
}

// The Weights page on a producing chain (400 ms blocks): it shows the chain's weights of the
// selected hotkey, keeps an edit as a draft across page switches, commits it, shows the
// reveal window with a countdown, and the commit (salt included) survives a restart of the
// console through its state file; A asks for auto-reveal and the console reveals when the
// window opens, with no key pressed, after which the chain holds the weights.
func TestTUIWeightsAutoRevealLive(t *testing.T) {
	e := newConsoleEnv(t)
	bg := context.Background()
	tx := e.tx()
	if _, err := e.keys.ImportWallet("owner", "//Alice", wallet.Ecdsa, []byte("pw")); err != nil {
		t.Fatal(err)
	}
	tk, err := tx.SetHyperparameter(bg, "owner", 1, "commit_reveal", "true")
	submitTicket(t, e, "owner", tk, err)
	_, _, hk := e.operator("val", "pw", 100*1_000_000_000)
	e.fund(hk.Address, 1_000_000_000)
	tk, err = tx.BurnedRegister(bg, "val", "default", 1)
	submitTicket(t, e, "val", tk, err)
	if err := e.client.Chain().SetBlockTime(400 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Chain().Start(); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(t.TempDir(), "config", "console-state.json")
	open := func() (*liveDriver, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		o := e.options()
		o.Context, o.Wallet, o.StatePath, o.NoFirstRun = ctx, "val", state, true
		d := newLiveDriver(t, tui.New(o))
		d.start(140, 40)
		return d, cancel
	}

	d, quit := open()
	d.keys("6")
	d.waitFor("Weights", "uid 1", "chain weights", "On chain")
	d.keys("/", hk.Address[:7], "enter", "+")
	d.waitFor("draft (x discards)")
	d.keys("1")
	d.waitFor("Portfolio")
	d.keys("6")
	d.waitFor("draft (x discards)", "655")
	d.keys("C")
	d.waitFor("Commit weights of", "Confirm (y)")
	d.keys("y")
	d.waitFor("Commit weights of "+hk.Address+" on subnet 1: done in block", "commit sn1 #", "window #")
	d.waitUntil("the commit is saved", func() bool {
		b, err := os.ReadFile(state)
		return err == nil && strings.Contains(string(b), `"salt"`)
	})
	quit()

	// a new console: the commit is still there, with its window; A reveals it when it opens
	d, quit = open()
	defer quit()
	d.waitFor("Weights", "commit sn1 #", "window #", "A: auto-reveal")
	d.keys("A")
	d.waitFor("auto-reveal on")
	d.waitFor("Reveal weights of " + hk.Address + " on subnet 1: done in block")
	d.waitUntil("the commit is forgotten", func() bool { return !strings.Contains(d.screen(), "commit sn1 #") })
	d.waitFor("chain weights", "65535") // the editor starts from the weights now on chain
	rows, err := moduleWeights(e, 1)
	if err != nil || !strings.Contains(rows, `,65535]`) {
		t.Fatalf("the chain's weights after the auto-reveal: %s %v", rows, err)
	}
	d.waitUntil("the revealed commit leaves the state file", func() bool {
		b, err := os.ReadFile(state)
		return err == nil && !strings.Contains(string(b), `"salt"`)
	})
	if fi, err := os.Stat(state); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode: %v %v", fi.Mode(), err)
	}
}

// moduleWeights is the chain's weight rows of netuid as JSON.
func moduleWeights(e *consoleEnv, netuid uint16) (string, error) {
	rows, err := e.client.Weights(context.Background(), netuid)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(rows)
	return string(b), err
}
