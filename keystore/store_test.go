package keystore

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btui/btui/wallet"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := New(filepath.Join(t.TempDir(), "wallets"), WithKDFParams(LightKDFParams()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func pw(p string) PasswordFunc { return func() ([]byte, error) { return []byte(p), nil } }

func coldKey(t *testing.T, suri, password string) NewKey {
	t.Helper()
	return NewKey{Keypair: mustKeypair(t, suri), Mnemonic: []byte(wallet.DevPhrase), Path: []byte(strings.TrimPrefix(suri, wallet.DevPhrase)),
		Encrypt: password != "", Password: []byte(password)}
}

// snapshot returns every file under dir with its mode and contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		v := info.Mode().String()
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += " " + string(b)
		}
		out[p] = v
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

func sameSnapshot(t *testing.T, before, after map[string]string) {
	t.Helper()
	if len(before) != len(after) {
		t.Fatalf("files changed: %d before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("%s changed", k)
		}
	}
}

func TestCreateWalletLayoutAndModes(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	if err := s.CreateWallet("w1", coldKey(t, "//Alice", "pw"), "default", NewKey{Keypair: mustKeypair(t, "//Bob")}, false); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]fs.FileMode{
		s.Root():          0o700,
		s.WalletDir("w1"): 0o700,
		filepath.Join(s.WalletDir("w1"), HotkeysDir): 0o700,
		s.ColdkeyPath("w1"):                          0o600,
		s.ColdkeyPubPath("w1"):                       0o600,
		s.HotkeyPath("w1", "default"):                0o600,
	} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %04o, want %04o", path, st.Mode().Perm(), want)
		}
	}
	entries, _ := os.ReadDir(s.WalletDir("w1"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	key, err := s.LoadColdkey("w1", pw("pw"))
	if err != nil {
		t.Fatal(err)
	}
	if key.Keypair.Address() != mustKeypair(t, "//Alice").Address() || string(key.Path) != "//Alice" {
		t.Fatalf("coldkey %s path %q", key.Keypair.Address(), key.Path)
	}
	key.Zero()
	hk, err := s.LoadHotkey("w1", "default", nil)
	if err != nil {
		t.Fatal(err)
	}
	if hk.Keypair.Address() != mustKeypair(t, "//Bob").Address() {
		t.Fatal("wrong hotkey")
	}
	hk.Zero()
	if _, err := s.LoadColdkey("w1", nil); !errors.Is(err, ErrPasswordRequired) {
		t.Fatalf("LoadColdkey without password: %v", err)
	}
	if _, err := s.LoadColdkey("w1", pw("nope")); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("LoadColdkey wrong password: %v", err)
	}
	if _, err := s.LoadColdkey("w1", pw("")); !errors.Is(err, ErrEmptyPassword) {
		t.Fatalf("LoadColdkey empty password: %v", err)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	if _, err := s.LoadColdkey("nope", pw("x")); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `wallet "nope" does not exist`) {
		t.Fatalf("missing wallet: %v", err)
	}
	if err := s.WriteHotkey("w", "h", NewKey{Keypair: mustKeypair(t, "//Bob")}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadColdkey("w", pw("x")); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `wallet "w" has no coldkey`) {
		t.Fatalf("missing coldkey: %v", err)
	}
	if _, err := s.LoadHotkey("w", "other", nil); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `has no hotkey "other"`) {
		t.Fatalf("missing hotkey: %v", err)
	}
	if _, err := s.Wallet("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Wallet(nope): %v", err)
	}
	if ws, err := s.List(); err != nil || len(ws) != 1 {
		t.Fatalf("List = %v, %v", ws, err)
	}
	empty, _ := New(filepath.Join(t.TempDir(), "missing"))
	if ws, err := empty.List(); err != nil || len(ws) != 0 {
		t.Fatalf("List of a missing root = %v, %v", ws, err)
	}
}

func TestNeverOverwriteWithoutOption(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	if err := s.CreateWallet("w", coldKey(t, "//Alice", "pw"), "default", NewKey{Keypair: mustKeypair(t, "//Bob")}, false); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, s.Root())
	for name, write := range map[string]func() error{
		"create": func() error {
			return s.CreateWallet("w", coldKey(t, "//Charlie", "pw"), "other", NewKey{Keypair: mustKeypair(t, "//Dave")}, false)
		},
		"create (hotkey exists)": func() error {
			return s.CreateWallet("w2", coldKey(t, "//Charlie", "pw"), "default", NewKey{Keypair: mustKeypair(t, "//Dave")}, false)
		},
		"coldkey":    func() error { return s.WriteColdkey("w", coldKey(t, "//Charlie", "pw"), false) },
		"coldkeypub": func() error { return s.WriteColdkeyPub("w", PublicOf(mustKeypair(t, "//Alice")), false) },
		"hotkey":     func() error { return s.WriteHotkey("w", "default", NewKey{Keypair: mustKeypair(t, "//Dave")}, false) },
	} {
		if name == "create (hotkey exists)" {
			// w2 does not exist: make its hotkey exist first.
			if err := s.WriteHotkey("w2", "default", NewKey{Keypair: mustKeypair(t, "//Eve")}, false); err != nil {
				t.Fatal(err)
			}
			before = snapshot(t, s.Root())
		}
		if err := write(); !errors.Is(err, ErrExists) {
			t.Fatalf("%s: %v, want ErrExists", name, err)
		}
		sameSnapshot(t, before, snapshot(t, s.Root()))
	}
	// With overwrite the new key replaces the old one.
	if err := s.WriteHotkey("w", "default", NewKey{Keypair: mustKeypair(t, "//Dave")}, true); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.HotkeyPublic("w", "default"); p.AccountID != mustKeypair(t, "//Dave").AccountID() {
		t.Fatal("overwrite did not replace the hotkey")
	}
}

func TestWatchOnlyWalletGetsMatchingColdkey(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	alice := mustKeypair(t, "//Alice")
	if err := s.WriteColdkeyPub("w", PublicInfo{AccountID: alice.AccountID()}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteColdkey("w", coldKey(t, "//Bob", "pw"), false); !errors.Is(err, ErrExists) {
		t.Fatalf("another coldkey over a coldkeypub: %v", err)
	}
	if err := s.WriteColdkey("w", coldKey(t, "//Alice", "pw"), false); err != nil {
		t.Fatalf("matching coldkey: %v", err)
	}
	w, err := s.Wallet("w")
	if err != nil || w.Mismatch != nil || w.ColdkeyPub.Info.HasPublicKey() {
		t.Fatalf("Wallet = %+v, %v (address-only coldkeypub must be kept)", w, err)
	}
	if p, ok := w.ColdkeyAddress(); !ok || p.PublicKey != alice.PublicKey() || !p.Encrypted {
		t.Fatalf("ColdkeyAddress = %+v", p)
	}
}

func TestColdkeyPubMismatch(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	if err := s.WriteColdkey("w", coldKey(t, "//Alice", "pw"), false); err != nil {
		t.Fatal(err)
	}
	// Refuse to write a coldkeypub.txt for another account next to the coldkey.
	if err := s.WriteColdkeyPub("w", PublicOf(mustKeypair(t, "//Bob")), true); !errors.Is(err, ErrMismatch) {
		t.Fatalf("WriteColdkeyPub(other) = %v", err)
	}
	// Someone replaces coldkeypub.txt behind btui's back.
	b, err := EncodeColdkeyPub(PublicOf(mustKeypair(t, "//Bob")))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.ColdkeyPubPath("w"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	called := false
	_, err = s.LoadColdkey("w", func() ([]byte, error) { called = true; return []byte("pw"), nil })
	if !errors.Is(err, ErrMismatch) {
		t.Fatalf("LoadColdkey = %v, want ErrMismatch", err)
	}
	if called {
		t.Error("asked for a password although the mismatch was visible without it")
	}
	w, err := s.Wallet("w")
	if err != nil || !errors.Is(w.Mismatch, ErrMismatch) {
		t.Fatalf("Wallet().Mismatch = %v, %v", w.Mismatch, err)
	}
	// A damaged coldkeypub.txt is an error too, never ignored.
	if err := os.WriteFile(s.ColdkeyPubPath("w"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadColdkey("w", pw("pw")); !errors.Is(err, ErrInvalidKeyfile) {
		t.Fatalf("damaged coldkeypub: %v", err)
	}
}

func TestAtomicWriteFailureKeepsOldFile(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	if err := s.CreateWallet("w", coldKey(t, "//Alice", "pw"), "default", NewKey{Keypair: mustKeypair(t, "//Bob")}, false); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, s.Root())
	boom := errors.New("disk on fire")
	s.hooks.afterTempWrite = func(tmp string) error {
		// The temporary file is complete, in the target directory, mode 0600.
		st, err := os.Stat(tmp)
		if err != nil {
			return err
		}
		if st.Mode().Perm() != fileMode || !strings.HasPrefix(filepath.Base(tmp), tmpPrefix) {
			t.Errorf("temporary file %s has mode %04o", tmp, st.Mode().Perm())
		}
		return boom
	}
	for name, write := range map[string]func() error{
		"coldkey":         func() error { return s.WriteColdkey("w", coldKey(t, "//Charlie", "pw"), true) },
		"hotkey":          func() error { return s.WriteHotkey("w", "default", NewKey{Keypair: mustKeypair(t, "//Dave")}, true) },
		"new hotkey":      func() error { return s.WriteHotkey("w", "fresh", NewKey{Keypair: mustKeypair(t, "//Dave")}, false) },
		"change password": func() error { return s.ChangeColdkeyPassword("w", pw("pw"), pw("new")) },
		"create": func() error {
			return s.CreateWallet("w", coldKey(t, "//Eve", "pw"), "default", NewKey{Keypair: mustKeypair(t, "//Eve")}, true)
		},
	} {
		if err := write(); !errors.Is(err, boom) {
			t.Fatalf("%s: %v, want the injected failure", name, err)
		}
		sameSnapshot(t, before, snapshot(t, s.Root()))
	}
	// A temporary file that does not read back as written is never renamed into place.
	s.hooks.afterTempWrite = func(tmp string) error { return os.WriteFile(tmp, []byte("garbage"), 0o600) }
	if err := s.WriteHotkey("w", "default", NewKey{Keypair: mustKeypair(t, "//Dave")}, true); err == nil {
		t.Fatal("a corrupted temporary file was accepted")
	}
	sameSnapshot(t, before, snapshot(t, s.Root()))
}

func TestVerifyByDecrypting(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	// A keyfile that is written faithfully but does not decrypt (as an encoding bug would
	// produce) passes the read-back comparison; decrypting in verify must catch it.
	if err := s.WriteColdkey("w", coldKey(t, "//Alice", "pw"), false); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, s.Root())
	w, err := s.keyfileWrite(s.ColdkeyPath("w"), coldKey(t, "//Alice", "pw"))
	if err != nil {
		t.Fatal(err)
	}
	w.data = bytes.Replace(w.data, []byte(`"ciphertext": "`), []byte(`"ciphertext": "00`), 1)
	if err := s.writeFiles(true, w); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("writeFiles with a bad ciphertext = %v, want ErrDecrypt from verification", err)
	}
	sameSnapshot(t, before, snapshot(t, s.Root()))
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	if err := s.WriteColdkey("w", coldKey(t, "//Alice", "old"), false); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, s.Root())
	if err := s.ChangeColdkeyPassword("w", pw("wrong"), pw("new")); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("wrong old password: %v", err)
	}
	if err := s.ChangeColdkeyPassword("w", pw("old"), pw("")); !errors.Is(err, ErrEmptyPassword) {
		t.Fatalf("empty new password: %v", err)
	}
	sameSnapshot(t, before, snapshot(t, s.Root()))
	if err := s.ChangeColdkeyPassword("w", pw("old"), pw("new")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadColdkey("w", pw("old")); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("old password still works: %v", err)
	}
	key, err := s.LoadColdkey("w", pw("new"))
	if err != nil {
		t.Fatal(err)
	}
	if string(key.Mnemonic) != wallet.DevPhrase || string(key.Path) != "//Alice" {
		t.Fatal("change-password lost the mnemonic or path")
	}
	key.Zero()
	// An unencrypted dev coldkey gets encrypted without asking an old password.
	if err := s.WriteColdkey("dev", NewKey{Keypair: mustKeypair(t, "//Bob")}, false); err != nil {
		t.Fatal(err)
	}
	if kf, _ := s.ReadColdkey("dev"); kf.Encrypted() {
		t.Fatal("dev coldkey is encrypted")
	}
	if err := s.ChangeColdkeyPassword("dev", func() ([]byte, error) { return nil, errors.New("asked") }, pw("now")); err != nil {
		t.Fatal(err)
	}
	if kf, _ := s.ReadColdkey("dev"); !kf.Encrypted() {
		t.Fatal("dev coldkey still unencrypted")
	}
}

func TestPermissionWarnings(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	if err := s.CreateWallet("w", coldKey(t, "//Alice", "pw"), "default", NewKey{Keypair: mustKeypair(t, "//Bob")}, false); err != nil {
		t.Fatal(err)
	}
	if ws, err := s.CheckPermissions("w"); err != nil || len(ws) != 0 {
		t.Fatalf("fresh wallet: %v, %v", ws, err)
	}
	if err := os.Chmod(s.WalletDir("w"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.HotkeyPath("w", "default"), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := s.CheckPermissions("w")
	if err != nil || len(ws) != 2 {
		t.Fatalf("CheckPermissions = %v, %v", ws, err)
	}
	if ws[0].Path != s.WalletDir("w") || ws[0].Mode != 0o755 || ws[0].Want != 0o700 {
		t.Errorf("warning 0 = %+v", ws[0])
	}
	if !strings.Contains(ws[1].String(), "0644") || !strings.Contains(ws[1].String(), "chmod 600") {
		t.Errorf("warning text %q", ws[1].String())
	}
	w, err := s.Wallet("w")
	if err != nil || len(w.Warnings) != 2 {
		t.Fatalf("Wallet().Warnings = %v, %v", w.Warnings, err)
	}
	// A warning, not an error: the keys still load.
	if _, err := s.LoadHotkey("w", "default", nil); err != nil {
		t.Fatal(err)
	}
}

func TestListSkipsTemporaryAndInvalidNames(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	for _, n := range []string{"b", "a"} {
		if err := s.CreateWallet(n, coldKey(t, "//Alice", "pw"), "h2", NewKey{Keypair: mustKeypair(t, "//Bob")}, false); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteHotkey(n, "h1", NewKey{Keypair: mustKeypair(t, "//Charlie"), Encrypt: true, Password: []byte("x")}, false); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.WriteFile(filepath.Join(s.WalletDir("a"), HotkeysDir, tmpPrefix+"h3-123"), []byte("x"), 0o600)
	_ = os.Mkdir(filepath.Join(s.Root(), ".hidden"), 0o700)
	_ = os.WriteFile(filepath.Join(s.Root(), "stray-file"), nil, 0o600)
	_ = os.WriteFile(filepath.Join(s.WalletDir("b"), HotkeysDir, "broken"), []byte("not json"), 0o600)
	ws, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].Name != "a" || ws[1].Name != "b" {
		t.Fatalf("List = %+v", ws)
	}
	if len(ws[0].Hotkeys) != 2 || ws[0].Hotkeys[0].Name != "h1" || !ws[0].Hotkeys[0].Info.Encrypted || ws[0].Hotkeys[1].Info.Encrypted {
		t.Fatalf("hotkeys of a = %+v", ws[0].Hotkeys)
	}
	if len(ws[1].Hotkeys) != 3 || ws[1].Hotkeys[0].Name != "broken" || !errors.Is(ws[1].Hotkeys[0].Err, ErrInvalidKeyfile) {
		t.Fatalf("hotkeys of b = %+v", ws[1].Hotkeys)
	}
}

func TestValidateName(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"default", "my-wallet_2", "a.b", "X", strings.Repeat("a", 64)} {
		if err := ValidateName("wallet", ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "../x", "a/b", `a\b`, ".hidden", "-flag", "sp ace", "ünï", strings.Repeat("a", 65), "a\x00"} {
		if err := ValidateName("wallet", bad); !errors.Is(err, ErrInvalidName) {
			t.Errorf("%q: %v, want ErrInvalidName", bad, err)
		}
	}
	s := newTestStore(t)
	if err := s.WriteHotkey("../escape", "h", NewKey{Keypair: mustKeypair(t, "//Bob")}, false); !errors.Is(err, ErrInvalidName) {
		t.Fatalf("path traversal: %v", err)
	}
}

// TestNoOverwriteRace: a key that appears between the existence check and the final step is
// never replaced (hard link, not rename), and a batch that cannot place all its files removes
// the ones it placed.
func TestNoOverwriteRace(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	var hotkeyPath string
	s.hooks.afterTempWrite = func(tmp string) error {
		if strings.Contains(filepath.Base(tmp), "default") {
			hotkeyPath = filepath.Join(filepath.Dir(tmp), "default")
			return os.WriteFile(hotkeyPath, []byte("someone else's key"), 0o600)
		}
		return nil
	}
	err := s.CreateWallet("w", coldKey(t, "//Alice", "pw"), "default", NewKey{Keypair: mustKeypair(t, "//Bob")}, false)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("CreateWallet = %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(hotkeyPath); string(b) != "someone else's key" {
		t.Fatal("the concurrently created hotkey was replaced")
	}
	for _, p := range []string{s.ColdkeyPath("w"), s.ColdkeyPubPath("w")} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s was left behind by the failed batch", p)
		}
	}
	for _, dir := range []string{s.WalletDir("w"), filepath.Join(s.WalletDir("w"), HotkeysDir)} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), tmpPrefix) {
				t.Errorf("temporary file %s left behind", e.Name())
			}
		}
	}
}

func TestChangePasswordAsksNewOnlyAfterOld(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	if err := s.WriteColdkey("w", coldKey(t, "//Alice", "old"), false); err != nil {
		t.Fatal(err)
	}
	asked := false
	err := s.ChangeColdkeyPassword("w", pw("wrong"), func() ([]byte, error) { asked = true; return []byte("new"), nil })
	if !errors.Is(err, ErrDecrypt) || asked {
		t.Fatalf("err = %v, new password asked = %v", err, asked)
	}
	var given []byte
	err = s.ChangeColdkeyPassword("w", pw("old"), func() ([]byte, error) { given = []byte("new"); return given, nil })
	if err != nil {
		t.Fatal(err)
	}
	if string(given) != "\x00\x00\x00" {
		t.Errorf("the new password was not wiped after use: %q", given)
	}
}
