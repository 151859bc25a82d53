package main

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// btcliKeys is the console's keys adapter over a copy of the sample btcli wallets.
func btcliKeys(t *testing.T) (tuiKeys, string, []btcliVector) {
	t.Helper()
	dir := t.TempDir()
	copyBtcliTree(t, dir)
	store, err := keystore.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tuiKeys{store: store}, dir, loadBtcliVectors(t)
}

// The console lists btcli wallets in place with each key's scheme and format, knows which
// coldkeys are slow to open, signs with a plaintext btcli coldkey, and never rewrites a file.
func TestTUIKeysBtcliWalletsInPlace(t *testing.T) {
	k, dir, vec := btcliKeys(t)
	before := walletTreeHash(t, dir)
	ws, err := k.ListWallets()
	if err != nil || len(ws) != len(vec) {
		t.Fatalf("list: %d wallets, %v", len(ws), err)
	}
	for i, v := range vec {
		w := ws[i]
		encrypted := v.Password != nil
		if w.Name != v.Name || w.Address != v.ColdSS58 || w.Scheme != wallet.Sr25519 || w.Format != tui.FormatBtcli || w.WatchOnly ||
			w.Encrypted != encrypted || (w.UnlockTime > 0) != encrypted {
			t.Fatalf("%s: listed as %+v", v.Name, w)
		}
		if len(w.Hotkeys) != 1 || w.Hotkeys[0].Address != v.HotSS58 || w.Hotkeys[0].Scheme != wallet.Sr25519 {
			t.Fatalf("%s: hotkeys %+v", v.Name, w.Hotkeys)
		}
	}
	plain := vec[3]
	kp, err := k.UnlockColdkey(plain.Name, nil)
	if err != nil || kp.Scheme() != wallet.Sr25519 || kp.Address() != plain.ColdSS58 {
		t.Fatalf("unlock the plaintext btcli coldkey: %v %v", kp, err)
	}
	sig := kp.SignBytes([]byte("btcli in place"))
	kp.Zero()
	id, _ := wallet.ParseAddress(plain.ColdSS58)
	if err := wallet.VerifyScheme(wallet.Sr25519, []byte("btcli in place"), sig, id); err != nil {
		t.Fatal(err)
	}
	hk, err := k.Hotkey(plain.Name, "default")
	if err != nil || hk.Scheme() != wallet.Sr25519 || hk.Address() != plain.HotSS58 {
		t.Fatalf("btcli hotkey: %v %v", hk, err)
	}
	hk.Zero()
	if walletTreeHash(t, dir) != before {
		t.Fatal("listing and signing changed the btcli wallets")
	}
}

// A watch-only wallet is listed as such, with its scheme, and unlocking it is
// keystore.ErrWatchOnly (nothing is written).
func TestTUIKeysWatchOnly(t *testing.T) {
	_, k := lightKeystore(t)
	alice, _ := wallet.SrDev("Alice")
	if err := k.store.WriteColdkeyPub("watched", keystore.PublicOf(alice), false); err != nil {
		t.Fatal(err)
	}
	before := walletTreeHash(t, k.store.Root())
	ws, err := k.ListWallets()
	if err != nil || len(ws) != 1 || !ws[0].WatchOnly || ws[0].Address != alice.Address() || ws[0].Scheme != wallet.Sr25519 {
		t.Fatalf("list: %+v %v", ws, err)
	}
	if _, err := k.UnlockColdkey("watched", []byte("pw")); !errors.Is(err, keystore.ErrWatchOnly) || !strings.Contains(err.Error(), "watch-only") {
		t.Fatalf("unlocking a watch-only wallet: %v", err)
	}
	if walletTreeHash(t, k.store.Root()) != before {
		t.Fatal("a refused unlock changed the wallet")
	}
}

// The console's import derives both accounts of a mnemonic with the restore commands'
// normalisation, and writes the scheme chosen: the btcli mnemonic gives btcli's address.
func TestTUIKeysRestoreChoicesAndImport(t *testing.T) {
	_, k := lightKeystore(t)
	v := loadBtcliVectors(t)[0]
	ec, err := wallet.FromSURI(v.Mnemonic)
	if err != nil {
		t.Fatal(err)
	}
	messy := "  " + strings.ToUpper(strings.Join(strings.Fields(v.Mnemonic), "   ")) + " "
	cs, err := k.RestoreChoices(messy)
	if err != nil || len(cs) != 2 || cs[0] != (tui.RestoreChoice{Scheme: wallet.Sr25519, Address: v.ColdSS58}) ||
		cs[1] != (tui.RestoreChoice{Scheme: wallet.Ecdsa, Address: ec.Address()}) {
		t.Fatalf("choices: %+v %v", cs, err)
	}
	// a soft junction only sr25519 can hold
	soft, err := k.RestoreChoices(v.Mnemonic + "/soft")
	if err != nil || len(soft) != 1 || soft[0].Scheme != wallet.Sr25519 {
		t.Fatalf("soft junction: %+v %v", soft, err)
	}
	if _, err := k.RestoreChoices("drift differ badge keep found engage nation pledge slot viable unhappy nonsenseword"); err == nil {
		t.Fatal("a bad mnemonic gave choices")
	}
	w, err := k.ImportWallet("restored", messy, wallet.Sr25519, []byte("pw"))
	if err != nil || w.Address != v.ColdSS58 || w.Scheme != wallet.Sr25519 {
		t.Fatalf("import: %+v %v", w, err)
	}
	kp, err := k.UnlockColdkey("restored", []byte("pw"))
	if err != nil || kp.Scheme() != wallet.Sr25519 || kp.Address() != v.ColdSS58 {
		t.Fatalf("unlock the imported key: %v %v", kp, err)
	}
	kp.Zero()
	ws, err := k.ListWallets()
	if err != nil || len(ws) != 1 || ws[0].Scheme != wallet.Sr25519 || ws[0].Format != tui.FormatBtui {
		t.Fatalf("list: %+v %v", ws, err)
	}
}

// First run, through the real adapter: with the default wallet path empty and btcli's
// ~/.bittensor/wallets (under the console's HOME) full, the console says so, and b lists and
// selects them in place.
func TestTUIFirstRunUsesBtcliWallets(t *testing.T) {
	io, _, _ := NewTestIO("", false)
	f := NewFactory(io)
	f.Env = cleanEnv(t)
	home := f.getenv("HOME")
	btcliDir := filepath.Join(home, ".bittensor", "wallets")
	if err := os.MkdirAll(btcliDir, 0o700); err != nil {
		t.Fatal(err)
	}
	copyBtcliTree(t, btcliDir)
	before := walletTreeHash(t, btcliDir)
	store, err := f.Keystore()
	if err != nil {
		t.Fatal(err)
	}
	keys := newTUIKeys(f, store)
	if dir, n := keys.BtcliWallets(); dir != btcliDir || n != 4 {
		t.Fatalf("btcli wallets nearby: %q %d", dir, n)
	}
	d := newTUIDriver(t, tui.New(tui.Options{Keys: keys, Network: "test", NoAnimation: true}))
	d.start(140, 40)
	d.waitFor("There is no wallet yet", "holds 4 wallets", "use the btcli wallets in")
	d.keys("b")
	d.waitFor("using the 4 btcli wallets in")
	if d.app.FirstRun() || d.app.Common().Wallet != "btcli0" || d.app.Common().Hotkey != "default" {
		t.Fatalf("after b: first run %v, selected %s/%s", d.app.FirstRun(), d.app.Common().Wallet, d.app.Common().Hotkey)
	}
	d.keys("2")
	d.waitFor("● btcli0", loadBtcliVectors(t)[0].ColdSS58, "sr25519", "btcli3")
	if walletTreeHash(t, btcliDir) != before {
		t.Fatal("using btcli's wallets changed them")
	}
	// An explicit wallet path is the operator's choice: nothing is offered.
	f.Opts.WalletPath = t.TempDir()
	if dir, n := newTUIKeys(f, store).BtcliWallets(); dir != "" || n != 0 {
		t.Fatalf("btcli wallets offered beside --wallet-path: %q %d", dir, n)
	}
}

// The console signs a message with a btcli $NACL coldkey: the prompt says how long opening
// takes, the unlock runs off the Update loop behind a spinner, and the signature verifies.
func TestTUISignsWithBtcliNaClColdkey(t *testing.T) {
	if testing.Short() || naclRace {
		t.Skip("argon2i 512 MiB per $NACL coldkey")
	}
	k, dir, vec := btcliKeys(t)
	v := vec[2] // password "x"
	before := walletTreeHash(t, dir)
	d := newTUIDriver(t, tui.New(tui.Options{Keys: k, Network: "test", NoAnimation: true, Wallet: v.Name}))
	d.start(140, 40)
	d.step([]string{"2"}, "● "+v.Name)
	d.keys("/", v.Name, "enter")
	d.step([]string{"x", "hello btcli", "enter"}, "Unlock coldkey "+v.Name, "This btcli coldkey takes about")
	d.keys(*v.Password, "enter")
	if !strings.Contains(d.screen(), "opening the btcli coldkey of "+v.Name) {
		t.Fatalf("no spinner while the $NACL coldkey opens:\n%s", d.screen())
	}
	waitLong(d, 3*time.Minute, "Signature", v.ColdSS58+"  sr25519") // seconds to minutes on a loaded machine
	// the signature's hex, wrapped over the lines after its label
	var sigHex string
	lines := strings.Split(d.screen(), "\n")
	for i, line := range lines {
		if !strings.Contains(line, "signature") {
			continue
		}
		for _, l := range lines[i+1:] {
			cell := strings.Trim(l, "│ ")
			if cell == "" {
				break
			}
			sigHex += cell
		}
	}
	sig, err := hex.DecodeString(strings.TrimPrefix(sigHex, "0x"))
	if err != nil || len(sig) != 64 {
		t.Fatalf("signature on screen %q: %v\n%s", sigHex, err, d.screen())
	}
	id, _ := wallet.ParseAddress(v.ColdSS58)
	if err := wallet.VerifyScheme(wallet.Sr25519, []byte("hello btcli"), sig, id); err != nil {
		t.Fatal(err)
	}
	if walletTreeHash(t, dir) != before {
		t.Fatal("signing changed the btcli wallet")
	}
}

// waitLong is tuiDriver.waitFor with a longer deadline, for a $NACL coldkey opening on a busy
// machine.
func waitLong(d *tuiDriver, timeout time.Duration, subs ...string) {
	d.t.Helper()
	deadline := time.Now().Add(timeout)
	for !d.shows(subs) {
		if time.Now().After(deadline) || len(d.pending) == 0 {
			d.t.Fatalf("screen never showed %q:\n%s", subs, d.screen())
		}
		ch := d.pending[0]
		select {
		case m := <-ch:
			d.pending = d.pending[1:]
			d.handle(m)
		case <-time.After(100 * time.Millisecond):
			d.pending = append(d.pending[1:], ch) // look at the next one
		}
	}
}
