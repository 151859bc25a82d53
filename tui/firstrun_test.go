package tui

import (
	"errors"
	"strings"
	"testing"
)

func TestFirstRunCreateWallet(t *testing.T) {
	keys := newMemKeys()
	d := newDriver(t, Options{Keys: keys, Network: "devnet"}, 100, 30)
	if !d.app.FirstRun() {
		t.Fatalf("no wallet, but the first-run screen is not up:\n%s", d.screen())
	}
	d.mustSee("There is no wallet yet", "create a new wallet")

	// q on the name input is text, not quit
	d.keys("c")
	d.mustSee("Name the wallet")
	d.keys("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "text:q/bad")
	if d.quit {
		t.Fatal("typing q into the name input quit the console")
	}
	d.keys("enter")
	d.mustSee("names may use letters")
	for range 5 {
		d.keys("backspace")
	}
	d.keys("text:alice", "enter")

	// password twice, never echoed
	d.mustSee("Coldkey password", "typing is not shown")
	d.keys("text:hunter22", "enter")
	d.mustNotSee("hunter22")
	d.keys("text:hunter23", "enter")
	d.mustSee(ErrPasswordMismatch.Error())
	d.keys("text:hunter22", "enter", "text:hunter22", "enter")
	d.mustNotSee("hunter22")

	// the mnemonic is shown once
	d.mustSee("Write these words down", "1. bottom", "12. walk")
	if got := keys.calls; len(got) < 2 || got[len(got)-1] != "create alice" {
		t.Fatalf("key store calls = %v, want a create of alice", got)
	}
	d.keys("enter")
	d.mustNotSee("bottom", "curtain", "walk")

	// three words asked back; PickWords chose positions 1, 5 and 10 (0-based)
	d.mustSee("Check 1 of 3", "word #2")
	d.keys("text:lake", "enter")
	d.mustSee(ErrWordMismatch.Error(), "Check 1 of 3")
	d.keys("text:drive", "enter")
	d.mustSee("Check 2 of 3", "word #6")
	d.keys("text:SMOKE", "enter") // case-insensitive
	d.mustSee("Check 3 of 3", "word #11")
	d.keys("text:fit", "enter")

	// hotkey created, summary, then the console
	d.mustSee("Wallet alice is ready", "hotkey", "default")
	if keys.wallets["alice"] == nil || len(keys.wallets["alice"].info.Hotkeys) != 1 {
		t.Fatalf("default hotkey not created: %+v", keys.wallets["alice"])
	}
	d.keys("enter")
	if d.app.FirstRun() {
		t.Fatal("first-run screen still up after finishing")
	}
	if c := d.app.Common(); c.Wallet != "alice" || c.Hotkey != "default" {
		t.Fatalf("selected %s/%s, want alice/default", c.Wallet, c.Hotkey)
	}
	d.mustSee("wallet alice is ready")
	d.mustNotSee("bottom drive", "hunter22")
	if len(d.app.Common().Wallets) != 1 || d.app.Common().ColdkeyAddress() == "" {
		t.Fatalf("the wallet list was not refreshed after the first run: %+v", d.app.Common().Wallets)
	}
}

func TestFirstRunQuizNeedsEveryWord(t *testing.T) {
	keys := newMemKeys()
	d := newDriver(t, Options{Keys: keys}, 80, 24)
	d.keys("c", "enter", "text:pw", "enter", "text:pw", "enter", "enter")
	for i := 0; i < 5; i++ {
		d.keys("text:wrong", "enter")
		d.mustSee("Check 1 of 3", ErrWordMismatch.Error())
	}
	if strings.Contains(strings.Join(keys.calls, ","), "hotkey") {
		t.Fatal("hotkey created before the mnemonic was confirmed")
	}
	// esc goes back to the words (to read them again); the check starts over from there
	d.keys("esc")
	d.mustSee("Write these words down", "esc skip the check")
	d.keys("enter")
	d.mustSee("Check 1 of 3")
	d.mustNotSee(ErrWordMismatch.Error())
	// esc twice leaves the check: the wallet is already saved, and the summary says the
	// words were not checked
	d.keys("esc", "esc")
	d.mustSee("Wallet default is ready", "The words were not checked back")
}

func TestFirstRunImport(t *testing.T) {
	keys := newMemKeys()
	d := newDriver(t, Options{Keys: keys}, 80, 24)
	d.keys("i", "enter") // default name
	d.mustSee("Type or paste the mnemonic")
	// a bad mnemonic is refused before any password is asked, and what was typed stays
	d.keys("text:only three words", "enter")
	d.mustSee("this mnemonic is not valid", "only three words", "Type or paste the mnemonic")
	d.mustNotSee("Coldkey password")
	for range len("only three words") {
		d.keys("backspace")
	}
	d.keys("text:"+strings.Join(testMnemonic, " "), "enter", "text:pw", "enter", "text:pw", "enter")
	d.mustSee("Wallet default is ready")
	d.mustNotSee("Write these words down") // an import never shows words
	d.keys("enter")
	if d.app.FirstRun() || d.app.Common().Wallet != "default" {
		t.Fatal("import did not finish the first run")
	}
}

func TestFirstRunCreateFailureIsShown(t *testing.T) {
	keys := newMemKeys()
	keys.fail = errors.New("cannot write the wallet directory: permission denied")
	d := newDriver(t, Options{Keys: keys}, 80, 24)
	d.keys("c", "enter", "text:pw", "enter", "text:pw", "enter")
	d.mustSee("permission denied", "Name the wallet")
	if len(keys.wallets) != 0 {
		t.Fatal("a wallet exists after a failed create")
	}
}

func TestNoFirstRunWhenWalletsExist(t *testing.T) {
	keys := newMemKeys()
	if _, _, err := keys.CreateWallet("w1", []byte("pw")); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Keys: keys}, 80, 24)
	if d.app.FirstRun() {
		t.Fatal("first-run screen shown although a wallet exists")
	}
}
