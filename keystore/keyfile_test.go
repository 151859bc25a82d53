package keystore

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btui/btui/wallet"
)

func mustKeypair(t testing.TB, suri string) *wallet.Keypair {
	t.Helper()
	kp, err := wallet.FromSURI(suri)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

func encryptedFile(t testing.TB, suri, password string) []byte {
	t.Helper()
	kf, err := encodeKeyfile(NewKey{Keypair: mustKeypair(t, suri), Mnemonic: []byte(wallet.DevPhrase), Path: []byte("//Alice"),
		Encrypt: true, Password: []byte(password)}, LightKDFParams())
	if err != nil {
		t.Fatal(err)
	}
	b, err := kf.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDefaultKDFParamsAreStrong(t *testing.T) {
	// RFC 9106 §4, second recommended option. Lowering these is a security regression.
	p := DefaultKDFParams()
	if p.Time < 3 || p.Memory < 64*1024 || p.Threads < 1 {
		t.Fatalf("default argon2id parameters weakened: %+v", p)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if s.KDFParams() != p {
		t.Fatalf("a store without options uses %+v, want the default %+v", s.KDFParams(), p)
	}
}

func TestKDFParamsValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		p    KDFParams
		ok   bool
	}{
		{"light", LightKDFParams(), true},
		{"default", DefaultKDFParams(), true},
		{"zero time", KDFParams{Time: 0, Memory: 64, Threads: 1}, false},
		{"zero threads", KDFParams{Time: 1, Memory: 64, Threads: 0}, false},
		{"memory below 8 per lane", KDFParams{Time: 1, Memory: 31, Threads: 4}, false},
		{"memory above 2 GiB", KDFParams{Time: 1, Memory: maxKDFMemory + 1, Threads: 1}, false},
		{"time above bound", KDFParams{Time: maxKDFTime + 1, Memory: 64, Threads: 1}, false},
	} {
		err := tc.p.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidKDFParams) {
			t.Errorf("%s: error %v is not ErrInvalidKDFParams", tc.name, err)
		}
		if _, err := New(t.TempDir(), WithKDFParams(tc.p)); (err == nil) != tc.ok {
			t.Errorf("%s: New(WithKDFParams) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestWrongPassword(t *testing.T) {
	t.Parallel()
	data := encryptedFile(t, "//Alice", "right password")
	kf, err := DecodeKeyfile(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, pw := range []string{"hunter2", "right password\n", "Right password", "right passwor", " right password"} {
		key, err := kf.Decrypt([]byte(pw))
		if !errors.Is(err, ErrDecrypt) || key != nil {
			t.Errorf("Decrypt(%q) = %v, %v; want nil, ErrDecrypt", pw, key, err)
		}
		if strings.Contains(err.Error(), pw) {
			t.Errorf("error %q contains the password", err)
		}
	}
	if _, err := kf.Decrypt(nil); !errors.Is(err, ErrEmptyPassword) {
		t.Errorf("Decrypt(nil) = %v, want ErrEmptyPassword", err)
	}
	key, err := kf.Decrypt([]byte("right password"))
	if err != nil {
		t.Fatal(err)
	}
	defer key.Zero()
	if key.Keypair.Address() != "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X" {
		t.Fatalf("decrypted %s", key.Keypair.Address())
	}
}

func TestEncryptRefusesEmptyPassword(t *testing.T) {
	t.Parallel()
	_, err := encodeKeyfile(NewKey{Keypair: mustKeypair(t, "//Alice"), Encrypt: true}, LightKDFParams())
	if !errors.Is(err, ErrEmptyPassword) {
		t.Fatalf("err = %v, want ErrEmptyPassword", err)
	}
}

func TestEncryptionIsRandomised(t *testing.T) {
	t.Parallel()
	a, b := encryptedFile(t, "//Alice", "pw"), encryptedFile(t, "//Alice", "pw")
	var da, db keyfileJSON
	if err := json.Unmarshal(a, &da); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &db); err != nil {
		t.Fatal(err)
	}
	if da.Crypto.KDFParams.Salt == db.Crypto.KDFParams.Salt || da.Crypto.CipherParams.Nonce == db.Crypto.CipherParams.Nonce ||
		da.Crypto.Ciphertext == db.Crypto.Ciphertext {
		t.Fatal("two encryptions of the same key share salt, nonce or ciphertext")
	}
	if n := len(da.Crypto.KDFParams.Salt) / 2; n < 16 {
		t.Fatalf("salt is %d bytes, want >= 16", n)
	}
}

// flipHex changes the first hex digit of s to another hex digit.
func flipHex(s string) string {
	if s == "" {
		return "00"
	}
	c := byte('0')
	if s[0] == '0' {
		c = '1'
	}
	return string(c) + s[1:]
}

// TestTamperEachField changes every field of an encrypted keyfile in turn; each change must
// give ErrDecrypt with the right password and never a key.
func TestTamperEachField(t *testing.T) {
	t.Parallel()
	const pw = "tamper test"
	orig := encryptedFile(t, "//Alice", pw)
	bob := mustKeypair(t, "//Bob")
	tampers := map[string]func(d *keyfileJSON){
		"key_type":              func(d *keyfileJSON) { d.KeyType = "sr25519" },
		"address (other valid)": func(d *keyfileJSON) { d.Address = bob.Address() },
		"address (garbage)":     func(d *keyfileJSON) { d.Address = d.Address[:10] },
		"public_key (other)":    func(d *keyfileJSON) { d.PublicKey = bob.PublicKey().Hex() },
		"public_key (one digit)": func(d *keyfileJSON) {
			d.PublicKey = d.PublicKey[:len(d.PublicKey)-1] + string("01"[boolInt(d.PublicKey[len(d.PublicKey)-1] == '0')])
		},
		"kdf":              func(d *keyfileJSON) { d.Crypto.KDF = "scrypt" },
		"kdf time":         func(d *keyfileJSON) { d.Crypto.KDFParams.Time++ },
		"kdf time zero":    func(d *keyfileJSON) { d.Crypto.KDFParams.Time = 0 },
		"kdf memory":       func(d *keyfileJSON) { d.Crypto.KDFParams.MemoryKiB += 8 },
		"kdf memory huge":  func(d *keyfileJSON) { d.Crypto.KDFParams.MemoryKiB = 1 << 31 },
		"kdf threads":      func(d *keyfileJSON) { d.Crypto.KDFParams.Threads++ },
		"salt":             func(d *keyfileJSON) { d.Crypto.KDFParams.Salt = flipHex(d.Crypto.KDFParams.Salt) },
		"salt short":       func(d *keyfileJSON) { d.Crypto.KDFParams.Salt = d.Crypto.KDFParams.Salt[:20] },
		"salt not hex":     func(d *keyfileJSON) { d.Crypto.KDFParams.Salt = "zz" + d.Crypto.KDFParams.Salt[2:] },
		"cipher":           func(d *keyfileJSON) { d.Crypto.Cipher = "aes-128-ctr" },
		"nonce":            func(d *keyfileJSON) { d.Crypto.CipherParams.Nonce = flipHex(d.Crypto.CipherParams.Nonce) },
		"nonce short":      func(d *keyfileJSON) { d.Crypto.CipherParams.Nonce = d.Crypto.CipherParams.Nonce[:24] },
		"ciphertext":       func(d *keyfileJSON) { d.Crypto.Ciphertext = flipHex(d.Crypto.Ciphertext) },
		"ciphertext tag":   func(d *keyfileJSON) { c := d.Crypto.Ciphertext; d.Crypto.Ciphertext = c[:len(c)-2] + "00" },
		"ciphertext cut":   func(d *keyfileJSON) { d.Crypto.Ciphertext = d.Crypto.Ciphertext[:len(d.Crypto.Ciphertext)-2] },
		"ciphertext empty": func(d *keyfileJSON) { d.Crypto.Ciphertext = "" },
	}
	for name, tamper := range tampers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var d keyfileJSON
			if err := json.Unmarshal(orig, &d); err != nil {
				t.Fatal(err)
			}
			tamper(&d)
			data, err := json.Marshal(&d)
			if err != nil {
				t.Fatal(err)
			}
			if string(data) == string(orig) {
				t.Fatal("tamper changed nothing")
			}
			kf, err := DecodeKeyfile(data)
			if err != nil {
				t.Fatalf("decode: %v (tampered fields must fail at decryption)", err)
			}
			key, err := kf.Decrypt([]byte(pw))
			want := ErrDecrypt
			if name == "kdf memory huge" {
				want = ErrKDFTooCostly // refused before the KDF runs
			}
			if !errors.Is(err, want) || key != nil {
				t.Fatalf("Decrypt = %v, %v; want nil, %v", key, err, want)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	good := encryptedFile(t, "//Alice", "pw")
	plain, err := os.ReadFile(filepath.Join(vectorDir, "bob-hotkey-plaintext.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data string
		want error
	}{
		{"empty", "", ErrInvalidKeyfile},
		{"not json", "hello", ErrInvalidKeyfile},
		{"json array", "[1,2]", ErrInvalidKeyfile},
		{"no version", `{"key_type":"ecdsa"}`, ErrInvalidKeyfile},
		{"version 2", strings.Replace(string(good), `"version": 1`, `"version": 2`, 1), ErrUnsupportedVersion},
		{"version 0", strings.Replace(string(good), `"version": 1`, `"version": 0`, 1), ErrUnsupportedVersion},
		{"version string", strings.Replace(string(good), `"version": 1`, `"version": "1"`, 1), ErrInvalidKeyfile},
		{"unknown field", strings.Replace(string(good), `"version": 1,`, `"version": 1, "extra": true,`, 1), ErrInvalidKeyfile},
		{"no sections", `{"version":1,"key_type":"ecdsa","address":"x","public_key":"y"}`, ErrInvalidKeyfile},
		{"both sections", strings.Replace(string(good), `"crypto": {`, `"secret": {"seed": "0x00"}, "crypto": {`, 1), ErrInvalidKeyfile},
		{"trailing data", string(good) + "{}", ErrInvalidKeyfile},
		{"btwallet nacl", "$NACL\x00\x01garbage", ErrInvalidKeyfile},
	} {
		if _, err := DecodeKeyfile([]byte(tc.data)); !errors.Is(err, tc.want) {
			t.Errorf("%s: DecodeKeyfile = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := DecodeKeyfile(plain); err != nil {
		t.Fatalf("plaintext vector: %v", err)
	}
}

// TestPlaintextTamper: a plaintext keyfile has no MAC, but its seed is checked against its
// stored address and public key, so an edited file never yields a key silently.
func TestPlaintextTamper(t *testing.T) {
	t.Parallel()
	orig, err := os.ReadFile(filepath.Join(vectorDir, "bob-hotkey-plaintext.json"))
	if err != nil {
		t.Fatal(err)
	}
	alice := mustKeypair(t, "//Alice")
	for _, tc := range []struct {
		name   string
		tamper func(d *keyfileJSON)
		want   error
	}{
		{"seed", func(d *keyfileJSON) { d.Secret.Seed = "0x" + flipHex(d.Secret.Seed[2:]) }, ErrMismatch},
		{"address", func(d *keyfileJSON) { d.Address = alice.Address() }, ErrMismatch},
		{"public key", func(d *keyfileJSON) { d.PublicKey = alice.PublicKey().Hex() }, ErrMismatch},
		{"seed not hex", func(d *keyfileJSON) { d.Secret.Seed = "0xzz" + d.Secret.Seed[4:] }, ErrInvalidKeyfile},
		{"seed short", func(d *keyfileJSON) { d.Secret.Seed = d.Secret.Seed[:40] }, ErrInvalidKeyfile},
		{"seed zero", func(d *keyfileJSON) { d.Secret.Seed = "0x" + strings.Repeat("0", 64) }, ErrInvalidKeyfile},
		{"seed above n", func(d *keyfileJSON) { d.Secret.Seed = "0x" + strings.Repeat("f", 64) }, ErrInvalidKeyfile},
		{"key type", func(d *keyfileJSON) { d.KeyType = "ed25519" }, ErrInvalidKeyfile},
	} {
		var d keyfileJSON
		if err := json.Unmarshal(orig, &d); err != nil {
			t.Fatal(err)
		}
		tc.tamper(&d)
		data, _ := json.Marshal(&d)
		kf, err := DecodeKeyfile(data)
		if err != nil {
			t.Fatalf("%s: decode: %v", tc.name, err)
		}
		if key, err := kf.Decrypt(nil); !errors.Is(err, tc.want) || key != nil {
			t.Errorf("%s: Decrypt = %v, %v; want nil, %v", tc.name, key, err, tc.want)
		}
	}
}

func TestPlaintextHoldsSeedOnly(t *testing.T) {
	t.Parallel()
	kf, err := encodeKeyfile(NewKey{Keypair: mustKeypair(t, wallet.DevPhrase+"//Bob"), Mnemonic: []byte(wallet.DevPhrase), Path: []byte("//Bob")}, LightKDFParams())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := kf.Marshal()
	if strings.Contains(string(b), "bottom") || strings.Contains(string(b), "//Bob") {
		t.Fatalf("plaintext keyfile holds the mnemonic or path:\n%s", b)
	}
	key, err := kf.Decrypt(nil)
	if err != nil {
		t.Fatal(err)
	}
	if key.Mnemonic != nil || key.Path != nil {
		t.Fatal("plaintext key returned a mnemonic or path")
	}
	key.Zero()
}

func TestKeyZero(t *testing.T) {
	t.Parallel()
	kf, err := DecodeKeyfile(encryptedFile(t, "//Alice", "pw"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := kf.Decrypt([]byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	m, p := key.Mnemonic, key.Path
	key.Zero()
	for _, b := range append(append([]byte{}, m...), p...) {
		if b != 0 {
			t.Fatal("Zero left mnemonic or path bytes")
		}
	}
	if s := key.Keypair.Seed(); s != [32]byte{} {
		t.Fatal("Zero left the seed")
	}
}

func TestParseSecretRejectsMalformed(t *testing.T) {
	t.Parallel()
	var seed [32]byte
	seed[31] = 1
	good := encodeSecret(secretFormat, seed[:], []byte("m"), []byte("//p"))
	if _, _, _, err := parseSecret(good); err != nil {
		t.Fatal(err)
	}
	for i := range len(good) {
		if _, _, _, err := parseSecret(good[:i]); err == nil {
			t.Errorf("truncated to %d bytes: accepted", i)
		}
	}
	if _, _, _, err := parseSecret(append(good, 0)); err == nil {
		t.Error("trailing byte accepted")
	}
	bad := append([]byte{}, good...)
	bad[0] = 2
	if _, _, _, err := parseSecret(bad); err == nil {
		t.Error("unknown secret format accepted")
	}
}

func TestColdkeyPubRoundTrip(t *testing.T) {
	t.Parallel()
	kp := mustKeypair(t, "//Alice")
	full := PublicInfo{KeyType: KeyTypeECDSA, AccountID: kp.AccountID(), PublicKey: kp.PublicKey()}
	b, err := EncodeColdkeyPub(full)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeColdkeyPub(b)
	if err != nil || got != full {
		t.Fatalf("round trip = %+v, %v", got, err)
	}
	addrOnly := PublicInfo{KeyType: KeyTypeECDSA, AccountID: kp.AccountID()}
	b, err = EncodeColdkeyPub(addrOnly)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "public_key") {
		t.Fatal("address-only coldkeypub has a public_key field")
	}
	if got, err := DecodeColdkeyPub(b); err != nil || got != addrOnly || got.HasPublicKey() {
		t.Fatalf("address-only round trip = %+v, %v", got, err)
	}
	bob := mustKeypair(t, "//Bob")
	if _, err := EncodeColdkeyPub(PublicInfo{AccountID: kp.AccountID(), PublicKey: bob.PublicKey()}); !errors.Is(err, ErrMismatch) {
		t.Fatalf("mismatched public key: %v", err)
	}
	var d coldkeyPubJSON
	_ = json.Unmarshal(b, &d)
	d.AccountID = bob.AccountID().Hex()
	b, _ = json.Marshal(&d)
	if _, err := DecodeColdkeyPub(b); !errors.Is(err, ErrInvalidKeyfile) {
		t.Fatalf("inconsistent coldkeypub: %v", err)
	}
}

func TestParsePublicKey(t *testing.T) {
	t.Parallel()
	kp := mustKeypair(t, "//Alice")
	if p, err := ParsePublicKey(kp.PublicKey().Hex()); err != nil || p != kp.PublicKey() {
		t.Fatalf("ParsePublicKey = %v, %v", p, err)
	}
	if p, err := ParsePublicKey(strings.TrimPrefix(kp.PublicKey().Hex(), "0x")); err != nil || p != kp.PublicKey() {
		t.Fatalf("without 0x: %v, %v", p, err)
	}
	for _, bad := range []string{"", "0x02", "0x04" + strings.Repeat("11", 32), "0x02" + strings.Repeat("zz", 32),
		"0x02" + strings.Repeat("ff", 32)} {
		if _, err := ParsePublicKey(bad); err == nil {
			t.Errorf("ParsePublicKey(%q) accepted", bad)
		}
	}
}

func TestEncryptedFileHidesSecrets(t *testing.T) {
	t.Parallel()
	kp := mustKeypair(t, "//Alice")
	seed := kp.Seed()
	data := string(encryptedFile(t, "//Alice", "pw"))
	for _, secret := range []string{hex.EncodeToString(seed[:]), "bottom drive", "//Alice", "pw\""} {
		if strings.Contains(data, secret) {
			t.Errorf("the encrypted keyfile contains %q", secret)
		}
	}
}
