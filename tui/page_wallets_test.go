package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

func walletsApp(t *testing.T, w, h int) (*driver, *memKeys) {
	t.Helper()
	keys := newMemKeys()
	if _, _, err := keys.CreateWallet("alice", []byte("pw")); err != nil {
		t.Fatal(err)
	}
	keys.NewHotkey("alice", "default")
	keys.NewHotkey("alice", "miner1")
	keys.words = strings.Fields("crowd swamp sniff machine grid pretty client emotion banana cricket flush soap")
	keys.CreateWallet("bob", []byte("pw2"))
	d := newDriver(t, Options{Keys: keys, Network: "devnet (embedded)", Wallet: "alice",
		Pages: func(c *Common) []Page { return []Page{newWalletsPage(c)} }}, w, h)
	d.send(pageActivatedMsg{})
	return d, keys
}

func TestWalletsPageTree(t *testing.T) {
	d, _ := walletsApp(t, 140, 30)
	d.mustSee("Wallets", "2 wallets", "● alice", "├ default", "└ miner1", "bob", addressOf(strings.Join(testMnemonic, " ")+"//alice//miner1"))
	// select bob with space
	d.keys("G", "space")
	if c := d.app.Common(); c.Wallet != "bob" {
		t.Fatalf("selected wallet %q, want bob", c.Wallet)
	}
	d.mustSee("● bob")
}

func TestWalletsPageNewHotkey(t *testing.T) {
	d, keys := walletsApp(t, 100, 30)
	d.keys("n")
	d.mustSee("New hotkey for alice")
	d.keys("text:bad name", "enter")
	d.mustSee("names may use letters")
	for range 8 {
		d.keys("backspace")
	}
	d.keys("text:val1", "enter")
	d.mustSee("Hotkey val1 created", "//alice//val1", "shown only this once")
	d.keys("enter")
	d.mustNotSee("//alice//val1")
	d.mustSee("val1")
	if len(keys.wallets["alice"].info.Hotkeys) != 3 {
		t.Fatal("hotkey not stored")
	}
}

func TestWalletsPageSignWithPassword(t *testing.T) {
	d, _ := walletsApp(t, 100, 30)
	d.keys("x", "text:0xzz", "enter")
	d.mustSee("not hex")
	d.keys("backspace", "backspace", "text:deadbeef", "enter")
	d.mustSee("Unlock coldkey alice")
	d.keys("text:nope", "enter")
	d.mustSee("wrong password", "Unlock coldkey alice")
	d.keys("text:pw", "enter")
	want := keyOf(strings.Join(testMnemonic, " ")).Sign([]byte{0xde, 0xad, 0xbe, 0xef})
	d.mustSee("Signature", want.Hex()[:60])
	d.mustNotSee("Unlock coldkey")
}

func TestWalletsPageCreateFromPage(t *testing.T) {
	d, keys := walletsApp(t, 100, 30)
	keys.words = testMnemonic
	d.keys("c", "text:carol", "enter", "text:pw", "enter", "text:pw", "enter")
	d.mustSee("Write these words down")
	d.keys("enter", "text:drive", "enter", "text:smoke", "enter", "text:fit", "enter")
	d.mustSee("Wallet carol is ready")
	d.keys("enter")
	d.mustSee("wallet carol saved", "carol", "3 wallets")
}

// Golden renders of the Wallets page through the whole App at the two reference sizes
// in dark and light.
func TestGoldenWalletsPage(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		for _, dark := range []bool{true, false} {
			name := itoa(sz[0]) + "x" + itoa(sz[1])
			if dark {
				name += "_dark"
			} else {
				name += "_light"
			}
			t.Run(name, func(t *testing.T) {
				d, _ := walletsApp(t, sz[0], sz[1])
				if !dark {
					d.send(lightMsg())
				}
				golden.RequireEqual(t, d.app.Render())
			})
		}
	}
}
