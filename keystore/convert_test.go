package keystore

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btui/btui/wallet"
)

// TestConvertBtcliRoundTrip converts a btcli $NACL wallet to btui's format and back, and checks
// that the source never changes and every copy opens with the same password and keys.
func TestConvertBtcliRoundTrip(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("argon2i 512 MiB")
	}
	vec := loadBtcliWallets(t)
	v := vec.Wallets[0]
	s := copyBtcliWallets(t)
	before := snapshot(t, s.Root())
	btui, err := New(filepath.Join(t.TempDir(), "btui"), WithKDFParams(LightKDFParams()))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ConvertWallet(v.Name, btui, "imported", ConvertOptions{To: FormatBtui, Password: pw(*v.Password)}); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, s.Root()); !maps.Equal(before, after) {
		t.Fatal("convert changed the btcli source")
	}
	w, err := btui.Wallet("imported")
	if err != nil || w.Format() != FormatBtui || len(w.Hotkeys) != 1 {
		t.Fatalf("btui copy: %+v %v", w, err)
	}
	key, err := btui.LoadColdkey("imported", pw(*v.Password))
	if err != nil || key.Pair.Address() != v.ColdSS58 || string(key.Mnemonic) != v.Mnemonic {
		t.Fatalf("btui copy coldkey: %v %v", key, err)
	}
	hot, err := btui.LoadHotkey("imported", v.Hotkey, nil)
	if err != nil || hot.Pair.Address() != v.HotSS58 {
		t.Fatalf("btui copy hotkey: %v %v", hot, err)
	}
	// The copy exists now: a second convert to the same name is refused, nothing written.
	if err := s.ConvertWallet(v.Name, btui, "imported", ConvertOptions{To: FormatBtui, Password: pw(*v.Password)}); !errors.Is(err, ErrExists) {
		t.Fatalf("convert onto an existing wallet: %v", err)
	}
	// And back to btcli, in the same directory as the btcli wallets.
	if err := btui.ConvertWallet("imported", s, "roundtrip", ConvertOptions{To: FormatBtcli, Password: pw(*v.Password)}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"coldkey", "coldkeypub.txt", "hotkeys/default", "hotkeys/defaultpub.txt"} {
		if _, err := os.Stat(filepath.Join(s.Root(), "roundtrip", f)); err != nil {
			t.Fatalf("btcli copy lacks %s: %v", f, err)
		}
	}
	cold, _ := os.ReadFile(s.ColdkeyPath("roundtrip"))
	if !strings.HasPrefix(string(cold), "$NACL") {
		t.Fatalf("btcli copy coldkey starts %q", cold[:8])
	}
	pubA, _ := os.ReadFile(s.ColdkeyPubPath(v.Name))
	pubB, _ := os.ReadFile(s.ColdkeyPubPath("roundtrip"))
	ia, _ := DecodeColdkeyPub(pubA)
	ib, _ := DecodeColdkeyPub(pubB)
	if ia != ib {
		t.Fatalf("coldkeypub differs: %+v vs %+v", ia, ib)
	}
	back, err := s.LoadColdkey("roundtrip", pw(*v.Password))
	if err != nil || back.Pair.Address() != v.ColdSS58 || string(back.Mnemonic) != v.Mnemonic {
		t.Fatalf("btcli copy: %v %v", back, err)
	}
	if _, err := s.LoadColdkey("roundtrip", pw("wrong")); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("wrong password on the copy: %v", err)
	}
}

func TestConvertRefusesEcdsaToBtcli(t *testing.T) {
	s := newTestStore(t)
	if err := s.CreateWallet("e", coldKey(t, "//Alice", "pw"), "default", NewKey{Keypair: mustKeypair(t, "//Bob")}, false); err != nil {
		t.Fatal(err)
	}
	asked := false
	err := s.ConvertWallet("e", s, "e2", ConvertOptions{To: FormatBtcli, Password: func() ([]byte, error) { asked = true; return []byte("pw"), nil }})
	if err == nil || !strings.Contains(err.Error(), "sr25519") || asked {
		t.Fatalf("ecdsa to btcli: %v (password asked: %v)", err, asked)
	}
	if _, err := os.Stat(s.WalletDir("e2")); err == nil {
		t.Fatal("a refused convert left a directory")
	}
}

func TestSr25519BtuiKeyfiles(t *testing.T) {
	s := newTestStore(t)
	cold, _ := wallet.SrFromSURI(wallet.DevPhrase + "//cold")
	soft, _ := wallet.SrFromSURI(wallet.DevPhrase + "//hot/0") // no mini secret
	if err := s.CreateWallet("sr", NewKey{Pair: cold, Mnemonic: []byte(wallet.DevPhrase), Path: []byte("//cold"), Encrypt: true, Password: []byte("pw")},
		"soft", NewKey{Pair: soft}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteHotkey("sr", "locked", NewKey{Pair: soft, Encrypt: true, Password: []byte("hpw")}, false); err != nil {
		t.Fatal(err)
	}
	w, err := s.Wallet("sr")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := w.ColdkeyAddress()
	if p.Address() != cold.Address() || p.Scheme() != wallet.Sr25519 || p.PublicKeyHex() != cold.PublicKey().Hex() {
		t.Fatalf("coldkey public: %+v", p)
	}
	key, err := s.LoadColdkey("sr", pw("pw"))
	if err != nil || key.Pair.Address() != cold.Address() || key.Keypair != nil || string(key.Path) != "//cold" {
		t.Fatalf("coldkey: %v %v", key, err)
	}
	for _, h := range []struct {
		name string
		pw   PasswordFunc
	}{{"soft", nil}, {"locked", pw("hpw")}} {
		k, err := s.LoadHotkey("sr", h.name, h.pw)
		if err != nil || k.Pair.Address() != soft.Address() {
			t.Fatalf("%s: %v %v", h.name, k, err)
		}
		msg := []byte("m")
		if err := wallet.VerifyScheme(wallet.Sr25519, msg, k.Pair.SignBytes(msg), soft.AccountID()); err != nil {
			t.Fatal(err)
		}
	}
	// key_type is bound: an sr25519 file relabelled ecdsa does not open.
	b, _ := os.ReadFile(s.HotkeyPath("sr", "soft"))
	relabelled := strings.Replace(string(b), `"sr25519"`, `"ecdsa"`, 1)
	kf, err := DecodeKeyfile([]byte(relabelled))
	if err == nil {
		if _, err := kf.Decrypt(nil); err == nil {
			t.Fatal("relabelled key type opened")
		}
	}
}

func TestKDFCostRefusedBeforePassword(t *testing.T) {
	s := newTestStore(t)
	if err := s.WriteColdkey("w", coldKey(t, "//Alice", "pw"), false); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(s.ColdkeyPath("w"))
	costly := strings.Replace(string(b), `"memory_kib": 64`, `"memory_kib": 1048576`, 1)
	costly = strings.Replace(costly, `"time": 1`, `"time": 40`, 1)
	if costly == string(b) {
		t.Fatal("no kdf field replaced")
	}
	if err := os.WriteFile(s.ColdkeyPath("w"), []byte(costly), 0o600); err != nil {
		t.Fatal(err)
	}
	asked := false
	_, err := s.LoadColdkey("w", func() ([]byte, error) { asked = true; return []byte("pw"), nil })
	if !errors.Is(err, ErrKDFTooCostly) || asked || !strings.Contains(err.Error(), "keyfile asks for 1024 MiB / 40 passes: refusing") {
		t.Fatalf("costly kdf: %v (password asked %v)", err, asked)
	}
}

func TestCleanupAfterKill(t *testing.T) {
	s := newTestStore(t)
	if err := s.CreateWallet("good", coldKey(t, "//Alice", "pw"), "default", NewKey{Keypair: mustKeypair(t, "//Bob")}, false); err != nil {
		t.Fatal(err)
	}
	// What a kill leaves: temporary keyfiles, and a marked directory with no key.
	old := time.Now().Add(-time.Hour)
	leftovers := []string{
		filepath.Join(s.WalletDir("good"), ".tmp-coldkey-123"),
		filepath.Join(s.WalletDir("good"), HotkeysDir, ".tmp-default-456"),
	}
	for _, p := range leftovers {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		_ = os.Chtimes(p, old, old)
	}
	interrupted := s.WalletDir("interrupted")
	_ = os.MkdirAll(filepath.Join(interrupted, HotkeysDir), 0o700)
	_ = os.WriteFile(filepath.Join(interrupted, creatingMark), nil, 0o600)
	_ = os.WriteFile(filepath.Join(interrupted, ".tmp-coldkey-9"), nil, 0o600)
	for _, p := range []string{filepath.Join(interrupted, creatingMark), filepath.Join(interrupted, ".tmp-coldkey-9")} {
		_ = os.Chtimes(p, old, old)
	}
	// A marked directory that got a key is kept and reported.
	partial := s.WalletDir("partial")
	_ = os.MkdirAll(partial, 0o700)
	_ = os.WriteFile(filepath.Join(partial, creatingMark), nil, 0o600)
	_ = os.Chtimes(filepath.Join(partial, creatingMark), old, old)
	_ = os.WriteFile(filepath.Join(partial, "coldkey"), []byte("{}"), 0o600)
	// A directory btui did not mark, and a temporary file newer than the process, stay.
	_ = os.MkdirAll(s.WalletDir("foreign"), 0o700)
	fresh := filepath.Join(s.WalletDir("good"), ".tmp-coldkey-new")
	_ = os.WriteFile(fresh, nil, 0o600)

	good := snapshotWithout(t, s.WalletDir("good"), append(leftovers, fresh)...)
	r, err := s.Cleanup(time.Now().Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Removed) != 4 || len(r.Partial) != 1 || len(r.Errors) != 0 {
		t.Fatalf("report %+v", r)
	}
	for _, p := range append(leftovers, interrupted) {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s survived cleanup", p)
		}
	}
	for _, p := range []string{fresh, s.WalletDir("foreign"), filepath.Join(partial, "coldkey")} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed", p)
		}
	}
	_ = os.Remove(fresh)
	if after := snapshot(t, s.WalletDir("good")); !maps.Equal(good, after) {
		t.Fatal("cleanup touched a key file")
	}
	if !strings.Contains(r.String(), "interrupted") {
		t.Fatalf("report text: %s", r)
	}
	// A create that completes leaves no mark; one that fails leaves no directory.
	if _, err := os.Stat(filepath.Join(s.WalletDir("good"), creatingMark)); err == nil {
		t.Fatal("a finished create left its mark")
	}
	err = s.CreateWallet("failing", NewKey{Keypair: mustKeypair(t, "//Alice"), Encrypt: true}, "default", NewKey{Keypair: mustKeypair(t, "//Bob")}, false)
	if err == nil {
		t.Fatal("create with an empty password succeeded")
	}
	if _, err := os.Stat(s.WalletDir("failing")); err == nil {
		t.Fatal("a failed create left its directory")
	}
}

// snapshotWithout is snapshot minus some paths.
func snapshotWithout(t *testing.T, dir string, skip ...string) map[string]string {
	m := snapshot(t, dir)
	for _, p := range skip {
		delete(m, p)
	}
	return m
}
