package tui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The message history on a devnet: a notice, a transaction's outcome, an error and a
// warning hidden behind it are all kept with their time, newest first; j/k move, y copies
// the selected message, esc closes.
func TestMessageHistoryOnDevnet(t *testing.T) {
	client, keys := habitsChain(t)
	d := habitsApp(t, client, keys, "", 120, 40)
	d.waitFor("Portfolio — alice")
	d.keys("!")
	d.mustSee("Messages — 0 messages this session", "no messages yet")
	d.keys("esc")

	// a faucet payment from the Chain page: its outcome lands in a banner
	d.keys("7", "F")
	d.mustSee("Devnet faucet")
	d.keys("tab", "backspace", "backspace", "backspace", "backspace", "text:2", "enter", "y")
	d.waitFor("faucet paid 2.000000000 τ")
	// an error, then a command-line warning while it is up
	d.keys(":", "text:block 12345", "enter", "esc") // the chain answers: not found
	d.keys(":", "text:nope", "enter", "esc")
	d.keys("!")
	d.mustSee("Messages — 3 messages this session", "unknown command", "block 12345", "faucet paid 2.000000000 τ")
	s := d.screen()
	if strings.Index(s, "unknown command") > strings.Index(s, "faucet paid") {
		t.Fatalf("the history is not newest first:\n%s", s)
	}
	ns := d.app.Notifications()
	if len(ns) != 3 || ns[0].At.IsZero() || ns[0].Kind != bannerSuccess {
		t.Fatalf("history %+v", ns)
	}
	d.mustSee(ns[0].At.Format("15:04:05"))
	// the oldest message, copied whole
	d.keys("G", "y")
	if got := d.lastCopy(); !strings.HasPrefix(got, "faucet paid 2.000000000 τ to ") {
		t.Fatalf("y copied %q, want the faucet message", got)
	}
	if !d.app.hab.messagesOpen() {
		t.Fatal("y closed the history")
	}
	d.keys("esc")
	if d.app.hab.messagesOpen() {
		t.Fatal("esc did not close the history")
	}
	// a message repeated back to back is counted, not listed twice
	d.keys(":", "text:nope", "enter", "esc", ":", "text:nope", "enter", "esc", "!")
	d.mustSee("(×2)")
}

// Contacts on a devnet: saved from the address book (@) and from the command line, kept in
// contacts.json (0600) beside the state file, completed and accepted in the transfer form,
// found again at the next launch; a name that would hide a wallet is refused.
func TestContactsOnDevnet(t *testing.T) {
	client, keys := habitsChain(t)
	dir := filepath.Join(t.TempDir(), "config")
	state := filepath.Join(dir, "console-state.json")
	d := habitsApp(t, client, keys, state, 120, 40)
	d.waitFor("Portfolio — alice")

	d.keys("@")
	d.mustSee("Contacts — 0 contacts", "no contacts yet")
	d.keys("a")
	d.mustSee("Save a contact")
	d.keys("text:bob", "tab", "text://Charlie", "enter")
	d.mustSee(`"bob" is a wallet's name`)
	// the form went back to the name, keeping the address
	d.keys("backspace", "backspace", "backspace", "text:carol", "enter", "enter")
	d.waitFor("contact carol saved: " + addressOf("//Charlie"))
	d.mustSee("Contacts — 1 contact", "carol", addressOf("//Charlie"))
	d.keys("esc")
	d.keys(":", "text:contact dave //Dave", "enter")
	d.waitFor("contact dave saved")

	// the file: 0600 in a 0700 directory, the two contacts
	path := filepath.Join(dir, "contacts.json")
	d.pump(func() bool { _, err := os.Stat(path); return err == nil }, 5e9)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("contacts.json mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Fatalf("config dir mode %v, want 0700", di.Mode().Perm())
	}
	var f contactsFile
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &f); err != nil || f.Contacts["carol"] != addressOf("//Charlie") || f.Contacts["dave"] != addressOf("//Dave") {
		t.Fatalf("contacts.json: %s (%v)", b, err)
	}

	// the transfer form completes and accepts a contact
	ctx := context.Background()
	id, _ := wallet.ParseAddress(keys.wallets["alice"].info.Address)
	if _, err := client.Faucet(ctx, id, 10*protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	d.keys("2")
	d.waitFor("● alice")
	d.keys("t", "text:ca", "tab")
	d.mustSee("carol")
	d.keys("tab", "text:1", "enter")
	d.waitFor("Confirm (y)")
	d.mustSee(addressOf("//Charlie"))
	d.keys("n")

	// the stake form's hotkey takes a contact too (and wallet/hotkey names)
	miner1 := keys.wallets["alice"].info.Hotkeys[1].Address
	d.keys(":", "text:contact val alice/miner1", "enter")
	d.waitFor("contact val saved: " + miner1)
	d.keys("3", "a")
	d.mustSee("Add stake from alice")
	for range 60 {
		d.keys("backspace")
	}
	d.keys("text:va", "tab")
	if v := d.app.Active().(*stakePage).form.inputs[0].Value(); v != "val" {
		t.Fatalf("the hotkey field completed to %q, want val", v)
	}
	d.keys("tab")
	d.mustNotSee("not an SS58 address")
	d.keys("esc")

	// the next launch finds them
	d.keys("q")
	d2 := habitsApp(t, client, keys, state, 120, 40)
	d2.waitFor("Stake", "coldkey alice") // the page it was on
	d2.keys("@")
	d2.mustSee("Contacts — 3 contacts", "carol", "dave", "val")
	// deleting asks twice
	d2.keys("d")
	d2.mustSee("press d again to delete contact carol")
	d2.keys("d")
	d2.waitFor("contact carol deleted")
	d2.mustSee("Contacts — 2 contacts")
}

// The sort picker on a devnet's Subnets page: s shows the letters, a letter sorts by its
// column, again reverses it, a capital sorts descending, 0 restores the order; the Wallets
// tree keeps hotkeys under their wallet when sorted; the choice survives a restart.
func TestSortPickerOnDevnet(t *testing.T) {
	client, keys := habitsChain(t)
	state := filepath.Join(t.TempDir(), "console-state.json")
	d := habitsApp(t, client, keys, state, 140, 40)
	d.keys("4")
	d.waitFor("sn1", "root")
	p := d.app.Active().(*subnetsPage)
	d.keys("s")
	if !p.list.Picking() {
		t.Fatal("s did not open the sort picker")
	}
	d.mustSee("sort by the highlighted letter")
	if !strings.Contains(d.app.Render(), "\x1b[") {
		t.Fatal("no highlight in the picker")
	}
	tao := p.list.SortLetter(3) // "TAO in"
	if tao != 't' {
		t.Fatalf("TAO in's letter is %q", tao)
	}
	d.keys(string(tao))
	if col, desc := p.list.SortState(); col != 3 || desc {
		t.Fatalf("sort %d %v, want TAO in ascending", col, desc)
	}
	d.mustSee("TAO in↑", "sort: TAO in asc")
	if k, _ := p.list.SelectedKey(); k != "0" { // root's pool holds nothing
		t.Fatalf("first row %s", k)
	}
	d.keys("s", string(tao))
	d.mustSee("TAO in↓")
	if col, desc := p.list.SortState(); col != 3 || !desc {
		t.Fatalf("sort %d %v, want TAO in descending", col, desc)
	}
	d.keys("s", "0")
	if col, _ := p.list.SortState(); col != -1 {
		t.Fatal("0 did not restore the order")
	}
	d.keys("s", "esc")
	if p.list.Picking() {
		t.Fatal("esc did not leave the picker")
	}
	d.keys("s", "N") // Net's letter, capital: by netuid, descending
	if col, desc := p.list.SortState(); col != 0 || !desc {
		t.Fatalf("sort %d %v, want Net descending", col, desc)
	}

	// the Wallets tree: by address descending, each wallet's hotkeys stay under it
	d.keys("2")
	d.waitFor("● alice", "bob")
	w := d.app.Active().(*walletsPage)
	d.keys("s", "A") // Address, descending
	var keys2 []string
	for _, vi := range w.table.view {
		keys2 = append(keys2, w.table.rows[vi].Key)
	}
	order := strings.Join(keys2, " ")
	if order != "alice alice/default alice/miner1 bob" && order != "bob alice alice/default alice/miner1" &&
		order != "alice alice/miner1 alice/default bob" && order != "bob alice alice/miner1 alice/default" {
		t.Fatalf("wallet rows after sorting: %s", order)
	}

	// a restart finds both sorts
	d.keys("q")
	waitState(t, d, state, func(s consoleState) bool {
		return s.Sorts["wallets"].Column == "Address" && s.Sorts["subnets"].Column == "Net"
	})
	d2 := habitsApp(t, client, keys, state, 140, 40)
	d2.keys("4")
	d2.waitFor("sn1")
	if col, desc := d2.app.Active().(*subnetsPage).list.SortState(); col != 0 || !desc {
		t.Fatalf("after a restart the subnet list sorts by %d desc=%v, want Net descending", col, desc)
	}
	d2.mustSee("Net↓")
	d2.keys("2")
	d2.waitFor("● alice")
	if col, desc := d2.app.Active().(*walletsPage).table.SortState(); col != 1 || !desc {
		t.Fatalf("after a restart the wallets sort by %d desc=%v", col, desc)
	}
}

// waitState waits until the state file says what ok wants (saves run off the Update loop).
func waitState(t *testing.T, d *driver, path string, ok func(consoleState) bool) consoleState {
	t.Helper()
	var s consoleState
	if !d.pump(func() bool { s = loadState(path); return ok(s) }, 5e9) {
		s = loadState(path)
		if !ok(s) {
			b, _ := os.ReadFile(path)
			t.Fatalf("the state file never said so: %s", b)
		}
	}
	return s
}

// The subnet each page showed comes back at the next launch: the Subnets page on subnet 1's
// metagraph (loaded), the Weights page on its subnet.
func TestSubnetViewsPersistOnDevnet(t *testing.T) {
	client, keys := habitsChain(t)
	state := filepath.Join(t.TempDir(), "console-state.json")
	d := habitsApp(t, client, keys, state, 120, 40)
	d.keys(":", "text:subnet 1", "enter")
	d.waitFor("Subnet 1 — metagraph")
	d.keys("6", "v")
	d.mustSee("Weights for which subnet?")
	d.keys("backspace", "text:0", "enter")
	d.waitFor("subnet 0")
	d.keys("4", "q")
	waitState(t, d, state, func(s consoleState) bool {
		return s.Views["Subnets"] == savedView{Mode: "metagraph", Netuid: 1} && s.Views["Weights"] == savedView{Netuid: 0} && s.Page == "Subnets"
	})

	d2 := habitsApp(t, client, keys, state, 120, 40)
	d2.waitFor("Subnet 1 — metagraph", "neurons")
	if p := d2.app.Active().(*subnetsPage); len(p.neurons) == 0 {
		t.Fatal("the remembered metagraph was not loaded")
	}
	d2.keys("6")
	d2.waitFor("subnet 0")
	if p := d2.app.Active().(*weightsPage); p.netuid != 0 {
		t.Fatalf("weights page on subnet %d, want 0", p.netuid)
	}
	// back to the list is remembered too
	d2.keys("4", "esc", "q")
	waitState(t, d2, state, func(s consoleState) bool { return s.Views["Subnets"] == savedView{Mode: "list"} })
}
