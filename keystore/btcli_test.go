package keystore

import (
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/btui/btui/wallet"
)

// btcliWallets mirrors testdata/btcli-wallets/wallets.json: four wallets in btwallet's format
// (made with libsodium), with their passwords and addresses.
type btcliWallets struct {
	Wallets []struct {
		Name       string  `json:"name"`
		Password   *string `json:"password"`
		Encrypted  bool    `json:"coldkey_encrypted"`
		ColdSS58   string  `json:"coldkey_ss58"`
		ColdPublic string  `json:"coldkey_public"`
		Mnemonic   string  `json:"coldkey_mnemonic"`
		Hotkey     string  `json:"hotkey"`
		HotSS58    string  `json:"hotkey_ss58"`
		HotPublic  string  `json:"hotkey_public"`
	} `json:"wallets"`
}

const btcliVectorDir = "../testdata/btcli-wallets"

// The $NACL key derivation (argon2i, 512 MiB, 8 passes) is real in every test, but each
// distinct password is derived once per test binary.
func init() {
	var mu sync.Mutex
	cache := map[string][32]byte{}
	btcliKeyFunc = func(password []byte) *[32]byte {
		mu.Lock()
		defer mu.Unlock()
		k, ok := cache[string(password)]
		if !ok {
			k = *btcliKey(password)
			cache[string(password)] = k
		}
		return &k
	}
}

func loadBtcliWallets(t testing.TB) btcliWallets {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(btcliVectorDir, "wallets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var w btcliWallets
	if err := json.Unmarshal(raw, &w); err != nil {
		t.Fatal(err)
	}
	if len(w.Wallets) != 4 {
		t.Fatalf("want 4 btcli wallets, got %d", len(w.Wallets))
	}
	return w
}

// copyBtcliWallets copies the sample wallets into a fresh directory (0700/0600, as btcli makes
// them) and returns a store on it.
func copyBtcliWallets(t testing.TB) *Store {
	t.Helper()
	root := filepath.Join(t.TempDir(), "bittensor", "wallets")
	err := filepath.WalkDir(btcliVectorDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(btcliVectorDir, p)
		if !strings.HasPrefix(rel, "btcli") {
			return nil
		}
		dst := filepath.Join(root, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBtcliWalletsListInPlace(t *testing.T) {
	vec := loadBtcliWallets(t)
	s := copyBtcliWallets(t)
	before := snapshot(t, s.Root())
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Fatalf("listed %d wallets, want 4", len(list))
	}
	for i, v := range vec.Wallets {
		w := list[i]
		if w.Name != v.Name {
			t.Fatalf("wallet %d is %s, want %s", i, w.Name, v.Name)
		}
		if w.Format() != FormatBtcli || w.WatchOnly() || w.Mismatch != nil || len(w.Warnings) != 0 {
			t.Errorf("%s: format %v, watch-only %v, mismatch %v, warnings %v", v.Name, w.Format(), w.WatchOnly(), w.Mismatch, w.Warnings)
		}
		cold, ok := w.ColdkeyAddress()
		if !ok || cold.Address() != v.ColdSS58 || cold.PublicKeyHex() != v.ColdPublic || cold.Scheme() != wallet.Sr25519 {
			t.Errorf("%s: coldkey %+v %v, want %s", v.Name, cold, ok, v.ColdSS58)
		}
		if cold.Encrypted != v.Encrypted || w.Coldkey.Info.Sealed != v.Encrypted {
			t.Errorf("%s: encrypted %v sealed %v, want %v", v.Name, cold.Encrypted, w.Coldkey.Info.Sealed, v.Encrypted)
		}
		if v.Encrypted && (w.Coldkey.KDF == nil || *w.Coldkey.KDF != BtcliKDFParams()) {
			t.Errorf("%s: KDF %v, want btcli's", v.Name, w.Coldkey.KDF)
		}
		// hotkeys/defaultpub.txt is the public half of hotkeys/default, not a second hotkey.
		if len(w.Hotkeys) != 1 || w.Hotkeys[0].Name != v.Hotkey || w.Hotkeys[0].Err != nil || w.Hotkeys[0].Info.Address() != v.HotSS58 {
			t.Errorf("%s: hotkeys %+v, want %s %s", v.Name, w.Hotkeys, v.Hotkey, v.HotSS58)
		}
		p, err := s.ColdkeyPublic(v.Name)
		if err != nil || p.Address() != v.ColdSS58 {
			t.Errorf("%s: ColdkeyPublic = %v, %v", v.Name, p.Address(), err)
		}
		h, err := s.HotkeyPublic(v.Name, v.Hotkey)
		if err != nil || h.Address() != v.HotSS58 || h.PublicKeyHex() != v.HotPublic {
			t.Errorf("%s: HotkeyPublic = %v, %v", v.Name, h.Address(), err)
		}
	}
	if after := snapshot(t, s.Root()); !maps.Equal(before, after) {
		t.Fatal("listing changed a btcli file")
	}
}

// TestBtcliWalletsUnlock opens all four coldkeys (three $NACL at argon2i 512 MiB) and their
// hotkeys, signs with each, and checks that nothing on disk changed.
func TestBtcliWalletsUnlock(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("argon2i 512 MiB per $NACL coldkey")
	}
	vec := loadBtcliWallets(t)
	s := copyBtcliWallets(t)
	before := snapshot(t, s.Root())
	msg := []byte("signed by a btcli wallet")
	for _, v := range vec.Wallets {
		asked := false
		password := func() ([]byte, error) {
			asked = true
			if v.Password == nil {
				t.Fatalf("%s: a password was asked for an unencrypted coldkey", v.Name)
			}
			return []byte(*v.Password), nil
		}
		key, err := s.LoadColdkey(v.Name, password)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if asked != v.Encrypted {
			t.Errorf("%s: password asked %v, encrypted %v", v.Name, asked, v.Encrypted)
		}
		if key.Pair.Address() != v.ColdSS58 || key.Scheme() != wallet.Sr25519 || key.Keypair != nil {
			t.Errorf("%s: coldkey %s (%v), want %s sr25519", v.Name, key.Pair.Address(), key.Scheme(), v.ColdSS58)
		}
		if string(key.Mnemonic) != v.Mnemonic {
			t.Errorf("%s: mnemonic not recovered", v.Name)
		}
		// The mnemonic gives the same sr25519 key (and another ECDSA one).
		fromPhrase, _ := wallet.SrFromSURI(v.Mnemonic)
		if fromPhrase.Address() != v.ColdSS58 {
			t.Errorf("%s: mnemonic gives %s", v.Name, fromPhrase.Address())
		}
		sig := key.Pair.SignBytes(msg)
		if err := wallet.VerifyScheme(wallet.Sr25519, msg, sig, fromPhrase.AccountID()); err != nil {
			t.Errorf("%s: coldkey signature: %v", v.Name, err)
		}
		key.Zero()
		hot, err := s.LoadHotkey(v.Name, v.Hotkey, nil)
		if err != nil {
			t.Fatalf("%s: hotkey: %v", v.Name, err)
		}
		if hot.Pair.Address() != v.HotSS58 {
			t.Errorf("%s: hotkey %s, want %s", v.Name, hot.Pair.Address(), v.HotSS58)
		}
		id, _ := wallet.ParseAddress(v.HotSS58)
		if _, err := wallet.VerifyAny(msg, hot.Pair.SignBytes(msg), id); err != nil {
			t.Errorf("%s: hotkey signature: %v", v.Name, err)
		}
		hot.Zero()
	}
	// A wrong password is ErrDecrypt, and nothing is returned.
	if key, err := s.LoadColdkey("btcli0", pw("wrong horse")); !errors.Is(err, ErrDecrypt) || key != nil {
		t.Fatalf("wrong password: %v, %v", key, err)
	}
	if after := snapshot(t, s.Root()); !maps.Equal(before, after) {
		t.Fatal("unlocking changed a btcli file")
	}
}

func TestBtcliBadFiles(t *testing.T) {
	s := copyBtcliWallets(t)
	cold := s.ColdkeyPath("btcli0")
	orig, _ := os.ReadFile(cold)

	// Truncated below the minimum: refused before any KDF, naming the truncation.
	if err := os.WriteFile(cold, orig[:30], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadColdkey("btcli0", pw("x")); !errors.Is(err, ErrInvalidKeyfile) || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("truncated $NACL: %v", err)
	}
	for _, tc := range []struct {
		name, content, want string
		is                  error
	}{
		{"ansible", "$ANSIBLE_VAULT;1.1;AES256\n3133", "btcli wallet regen-coldkey", ErrLegacyKeyfile},
		{"fernet", "gAAAAABkZ2xvYmFs", "Fernet", ErrLegacyKeyfile},
		{"binary", "\x00\x01\x02garbage", "hex 0001026761726261676", ErrUnknownFormat},
		{"text", "hello, world", `"hello, world"`, ErrUnknownFormat},
	} {
		if err := os.WriteFile(cold, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := s.LoadColdkey("btcli0", pw("x"))
		if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), cold) {
			t.Errorf("%s: %v (want %v naming %q and the file)", tc.name, err, tc.is, tc.want)
		}
		if tc.is == ErrUnknownFormat && !errors.Is(err, ErrInvalidKeyfile) {
			t.Errorf("%s: unknown format is not an invalid keyfile", tc.name)
		}
	}
	if err := os.WriteFile(cold, orig, 0o600); err != nil {
		t.Fatal(err)
	}

	// A watch-only wallet: coldkeypub.txt only.
	if err := os.Remove(s.ColdkeyPath("btcli3")); err != nil {
		t.Fatal(err)
	}
	w, err := s.Wallet("btcli3")
	if err != nil || !w.WatchOnly() {
		t.Fatalf("watch-only: %+v %v", w, err)
	}
	if _, err := s.LoadColdkey("btcli3", nil); !errors.Is(err, ErrWatchOnly) {
		t.Fatalf("signing with a watch-only wallet: %v", err)
	}
}

// TestBtcliMismatchAndTamper needs $NACL decryptions (argon2i 512 MiB each).
func TestBtcliMismatchAndTamper(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("argon2i 512 MiB per $NACL coldkey")
	}
	vec := loadBtcliWallets(t)
	s := copyBtcliWallets(t)
	cold := s.ColdkeyPath("btcli2")
	orig, _ := os.ReadFile(cold)

	// A bit flipped in the ciphertext: ErrDecrypt, no key.
	flipped := append([]byte(nil), orig...)
	flipped[len(flipped)-7] ^= 0x10
	if err := os.WriteFile(cold, flipped, 0o600); err != nil {
		t.Fatal(err)
	}
	if key, err := s.LoadColdkey("btcli2", pw(*vec.Wallets[2].Password)); !errors.Is(err, ErrDecrypt) || key != nil {
		t.Fatalf("bit-flipped $NACL: %v, %v", key, err)
	}
	// Cut short (but above the minimum): ErrDecrypt too.
	if err := os.WriteFile(cold, orig[:len(orig)-20], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadColdkey("btcli2", pw(*vec.Wallets[2].Password)); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("truncated $NACL: %v", err)
	}
	if err := os.WriteFile(cold, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	// coldkeypub.txt of another wallet: refuse, naming both addresses.
	other, _ := os.ReadFile(s.ColdkeyPubPath("btcli0"))
	if err := os.WriteFile(s.ColdkeyPubPath("btcli2"), other, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.LoadColdkey("btcli2", pw(*vec.Wallets[2].Password))
	if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), vec.Wallets[2].ColdSS58) || !strings.Contains(err.Error(), vec.Wallets[0].ColdSS58) {
		t.Fatalf("mismatched coldkeypub: %v", err)
	}
}

func TestBtcliEncodeRoundTrip(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("argon2i 512 MiB")
	}
	kp, _ := wallet.SrFromSURI(wallet.DevPhrase)
	mn := []byte(wallet.DevPhrase)
	data, err := EncodeBtcliColdkey(kp, mn, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	kf, err := DecodeKeyfile(data)
	if err != nil || kf.Format() != FormatBtcli || !kf.Encrypted() {
		t.Fatalf("decode: %v", err)
	}
	key, err := kf.Decrypt([]byte("x"))
	if err != nil || key.Pair.Address() != kp.Address() || string(key.Mnemonic) != wallet.DevPhrase {
		t.Fatalf("round trip: %v %v", key, err)
	}
	// ECDSA keys do not go into btcli files.
	e, _ := wallet.Dev("Alice")
	if _, err := EncodeBtcliKeypair(e, nil); err == nil || !strings.Contains(err.Error(), "sr25519") {
		t.Fatalf("ecdsa to btcli: %v", err)
	}
	// A soft-derived key has no mini secret: privateKey alone round-trips.
	soft, _ := wallet.SrFromSURI("//Alice/soft")
	b, err := EncodeBtcliKeypair(soft, nil)
	if err != nil || strings.Contains(string(b), `"secretSeed":"0x`) {
		t.Fatalf("soft: %s %v", b, err)
	}
	kf, _ = DecodeKeyfile(b)
	key, err = kf.Decrypt(nil)
	if err != nil || key.Pair.Address() != soft.Address() {
		t.Fatalf("soft round trip: %v %v", key, err)
	}
	pub := EncodeBtcliPub(soft.AccountID())
	info, err := DecodeColdkeyPub(pub)
	if err != nil || info.AccountID != soft.AccountID() || info.Format != FormatBtcli {
		t.Fatalf("pub: %+v %v", info, err)
	}
}

// TestBtcliPrivateKeyForm checks that btcli's privateKey (read alone, without secretSeed) is
// schnorrkel's canonical scalar || nonce: it gives the hotkey's address.
func TestBtcliPrivateKeyForm(t *testing.T) {
	vec := loadBtcliWallets(t)
	for _, v := range vec.Wallets {
		raw, err := os.ReadFile(filepath.Join(btcliVectorDir, v.Name, "hotkeys", v.Hotkey))
		if err != nil {
			t.Fatal(err)
		}
		var j btcliJSON
		if err := json.Unmarshal(raw, &j); err != nil {
			t.Fatal(err)
		}
		j.SecretSeed, j.SecretPhrase = nil, nil
		key, err := j.keypair()
		if err != nil || key.Pair.Address() != v.HotSS58 {
			t.Fatalf("%s: privateKey alone gives %v, %v; want %s", v.Name, key, err, v.HotSS58)
		}
		// And btui writes the same privateKey back.
		seeded, _ := DecodeKeyfile(raw)
		k2, _ := seeded.Decrypt(nil)
		out, _ := EncodeBtcliKeypair(k2.Pair, k2.Mnemonic)
		var back btcliJSON
		_ = json.Unmarshal(out, &back)
		if *back.PrivateKey != *j.PrivateKey || *back.SecretSeed != *mustField(t, raw, "secretSeed") {
			t.Fatalf("%s: btui writes privateKey %s, btcli has %s", v.Name, *back.PrivateKey, *j.PrivateKey)
		}
	}
}

func mustField(t *testing.T, raw []byte, name string) *string {
	t.Helper()
	var m map[string]*string
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m[name]
}

// TestBtcliChangePasswordKeepsFormat: a btcli coldkey stays a $NACL file btcli can open.
func TestBtcliChangePasswordKeepsFormat(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("argon2i 512 MiB")
	}
	vec := loadBtcliWallets(t)
	s := copyBtcliWallets(t)
	v := vec.Wallets[2]
	if err := s.ChangeColdkeyPassword(v.Name, pw(*v.Password), pw("x2")); err != nil {
		t.Fatal(err)
	}
	kf, err := s.ReadColdkey(v.Name)
	if err != nil || kf.Format() != FormatBtcli || !kf.Encrypted() {
		t.Fatalf("after change: %v %v", kf, err)
	}
	key, err := s.LoadColdkey(v.Name, pw("x2"))
	if err != nil || key.Pair.Address() != v.ColdSS58 || string(key.Mnemonic) != v.Mnemonic {
		t.Fatalf("new password: %v %v", key, err)
	}
	if _, err := s.LoadColdkey(v.Name, pw(*v.Password)); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("old password still opens it: %v", err)
	}
}
