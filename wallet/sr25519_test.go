package wallet

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// srVectors mirrors testdata/sr25519.json (made with polkadot.js @polkadot/keyring).
type srVectors struct {
	Dev []struct {
		SURI      string `json:"suri"`
		PublicKey string `json:"publicKey"`
		SS58      string `json:"ss58"`
	} `json:"dev"`
	Cases []struct {
		SURI      string `json:"suri"`
		Mnemonic  string `json:"mnemonic"`
		Path      string `json:"path"`
		PublicKey string `json:"publicKey"`
		SS58      string `json:"ss58"`
		Message   string `json:"message"`
		Signature string `json:"signature"`
	} `json:"cases"`
}

func loadSrVectors(t testing.TB) srVectors {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "sr25519.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v srVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Dev) == 0 || len(v.Cases) == 0 {
		t.Fatal("sr25519 vectors are empty")
	}
	return v
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSrVectorsDev(t *testing.T) {
	v := loadSrVectors(t)
	for _, d := range v.Dev {
		kp, err := SrDev(d.SURI)
		if err != nil {
			t.Fatalf("%s: %v", d.SURI, err)
		}
		if got := kp.PublicKey().Hex(); got != d.PublicKey {
			t.Errorf("%s: public key %s, want %s", d.SURI, got, d.PublicKey)
		}
		if got := kp.Address(); got != d.SS58 {
			t.Errorf("%s: address %s, want %s", d.SURI, got, d.SS58)
		}
		p, err := DevPair(Sr25519, d.SURI)
		if err != nil || p.Address() != d.SS58 {
			t.Errorf("DevPair(Sr25519, %s) = %v, %v", d.SURI, p, err)
		}
	}
	alice, _ := SrDev("Alice")
	if alice.Address() != "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY" {
		t.Fatalf("//Alice sr25519 is %s", alice.Address())
	}
}

func TestSrVectorsCases(t *testing.T) {
	v := loadSrVectors(t)
	for _, c := range v.Cases {
		kp, err := SrFromSURI(c.SURI)
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		if got := kp.PublicKey().Hex(); got != c.PublicKey {
			t.Errorf("%q: public key %s, want %s", c.Path, got, c.PublicKey)
		}
		if got := kp.Address(); got != c.SS58 {
			t.Errorf("%q: address %s, want %s", c.Path, got, c.SS58)
		}
		// The vector's signature (made by polkadot.js) verifies with our code...
		sig := mustHex(t, c.Signature)
		if err := VerifyScheme(Sr25519, []byte(c.Message), sig, kp.AccountID()); err != nil {
			t.Errorf("%q: polkadot.js signature does not verify: %v", c.Path, err)
		}
		// ...but not over another message or under another key.
		if err := VerifyScheme(Sr25519, []byte(c.Message+"!"), sig, kp.AccountID()); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%q: signature verifies over another message: %v", c.Path, err)
		}
		// Our signature verifies with the vector's public key (not our own copy of it).
		pub, err := ParseSrPublicKey(c.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		ours := kp.Sign([]byte(c.Message))
		if err := SrVerify([]byte(c.Message), ours, pub); err != nil {
			t.Errorf("%q: our signature does not verify under the vector key: %v", c.Path, err)
		}
		if again := kp.Sign([]byte(c.Message)); again == ours {
			t.Errorf("%q: two sr25519 signatures are identical: the nonce is not random", c.Path)
		}
		// The mnemonic plus path gives the same key as the whole SURI.
		kp2, err := SrFromSURI(c.Mnemonic + c.Path)
		if err != nil || kp2.Address() != c.SS58 {
			t.Errorf("%q: mnemonic+path gives %v, %v", c.Path, kp2, err)
		}
		kp.Zero()
	}
}

func TestSrOtherKeyRejected(t *testing.T) {
	alice, _ := SrDev("Alice")
	bob, _ := SrDev("Bob")
	sig := alice.Sign([]byte{0xde, 0xad, 0xbe, 0xef})
	if err := SrVerify([]byte{0xde, 0xad, 0xbe, 0xef}, sig, bob.PublicKey()); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("Alice's signature verified under Bob: %v", err)
	}
	bad := sig
	bad[63] &^= 0x80 // not marked as schnorrkel
	if err := SrVerify([]byte{0xde, 0xad, 0xbe, 0xef}, bad, alice.PublicKey()); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("unmarked signature: %v", err)
	}
	flipped := sig
	flipped[5] ^= 1
	if err := SrVerify([]byte{0xde, 0xad, 0xbe, 0xef}, flipped, alice.PublicKey()); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("bit-flipped signature: %v", err)
	}
}

func TestSrSecretKeyRoundTrip(t *testing.T) {
	for _, suri := range []string{"//Alice", "//Alice/soft", "//Alice/soft//hard///pw"} {
		kp, err := SrFromSURI(suri)
		if err != nil {
			t.Fatal(err)
		}
		sk := kp.SecretKey()
		back, err := SrFromSecretKey(sk[:])
		if err != nil {
			t.Fatal(err)
		}
		if back.Address() != kp.Address() {
			t.Fatalf("%s: secret key round trip gives %s, want %s", suri, back.Address(), kp.Address())
		}
		if _, ok := back.MiniSecret(); ok {
			t.Fatal("a key loaded from a secret key claims a mini secret")
		}
		msg := []byte("round trip")
		if err := SrVerify(msg, back.Sign(msg), kp.PublicKey()); err != nil {
			t.Fatal(err)
		}
		if m, ok := kp.MiniSecret(); ok {
			again, err := SrFromMiniSecret(m[:])
			if err != nil || again.Address() != kp.Address() {
				t.Fatalf("%s: mini secret round trip: %v %v", suri, again, err)
			}
		} else if suri != "//Alice/soft" {
			t.Fatalf("%s: no mini secret", suri)
		}
	}
	// A soft junction's child has no mini secret; a hard junction after it has one again.
	soft, _ := SrFromSURI("//Alice/soft")
	if _, ok := soft.MiniSecret(); ok {
		t.Fatal("a soft-derived key claims a mini secret")
	}
	hard, _ := SrFromSURI("//Alice/soft//hard")
	if _, ok := hard.MiniSecret(); !ok {
		t.Fatal("a hard-derived key has no mini secret")
	}
}

func TestSchemeSoftJunction(t *testing.T) {
	if _, err := PairFromSURI(Ecdsa, DevPhrase+"/soft"); !errors.Is(err, ErrSoftJunction) {
		t.Fatalf("ecdsa soft junction: %v", err)
	}
	if _, err := PairFromSURI(Sr25519, DevPhrase+"/soft"); err != nil {
		t.Fatalf("sr25519 soft junction: %v", err)
	}
	s, err := ParseSURIScheme(Sr25519, "//a/b//c///p/q")
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != "//a/b//c" || s.Password != "p/q" || len(s.Junctions) != 3 || !s.Junctions[1].Soft {
		t.Fatalf("parsed %+v", s)
	}
}

func TestSchemePairs(t *testing.T) {
	msg := []byte("either scheme")
	for _, sc := range Schemes() {
		p, err := DevPair(sc, "Alice")
		if err != nil {
			t.Fatal(err)
		}
		if p.Scheme() != sc || len(p.PublicBytes()) != sc.PublicKeyLen() {
			t.Fatalf("%v: scheme %v, %d-byte key", sc, p.Scheme(), len(p.PublicBytes()))
		}
		sig := p.SignBytes(msg)
		if len(sig) != sc.SignatureLen() {
			t.Fatalf("%v: %d-byte signature", sc, len(sig))
		}
		got, err := VerifyAny(msg, sig, p.AccountID())
		if err != nil || got != sc {
			t.Fatalf("%v: VerifyAny = %v, %v", sc, got, err)
		}
		if err := VerifyScheme(sc, []byte("other"), sig, p.AccountID()); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("%v: verified another message: %v", sc, err)
		}
		idx := sc.MultiSignatureIndex()
		if back, err := SchemeFromMultiSignatureIndex(idx); err != nil || back != sc {
			t.Fatalf("%v: index %d -> %v %v", sc, idx, back, err)
		}
		if back, err := ParseScheme(sc.String()); err != nil || back != sc {
			t.Fatalf("ParseScheme(%s) = %v %v", sc, back, err)
		}
	}
	ecdsaAlice, _ := DevPair(Ecdsa, "Alice")
	srAlice, _ := DevPair(Sr25519, "Alice")
	if ecdsaAlice.Address() == srAlice.Address() {
		t.Fatal("the schemes give the same address")
	}
	if _, err := ParseScheme("ed25519"); !errors.Is(err, ErrInvalidScheme) {
		t.Fatalf("ParseScheme(ed25519): %v", err)
	}
	if _, err := SchemeFromMultiSignatureIndex(0); !errors.Is(err, ErrInvalidScheme) {
		t.Fatalf("index 0: %v", err)
	}
}

func TestSrZero(t *testing.T) {
	kp, _ := SrDev("Bob")
	addr := kp.Address()
	kp.Zero()
	if kp.Address() != addr {
		t.Fatal("Zero changed the address")
	}
	if sk := kp.SecretKey(); sk != ([64]byte{}) {
		t.Fatal("Zero left the secret key")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Sign after Zero did not panic")
		}
	}()
	kp.Sign([]byte("x"))
}

func TestSrEd25519Form(t *testing.T) {
	for _, suri := range []string{"//Alice", "//Bob/soft/0"} {
		kp, _ := SrFromSURI(suri)
		e := kp.Ed25519Bytes()
		if e[0]&7 != 0 {
			t.Fatalf("%s: ed25519 form is not a multiple of 8", suri)
		}
		back, err := SrFromEd25519Bytes(e[:])
		if err != nil || back.Address() != kp.Address() || back.SecretKey() != kp.SecretKey() {
			t.Fatalf("%s: ed25519 form round trip: %v %v", suri, back, err)
		}
	}
}
