package wallet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"golang.org/x/crypto/blake2b"
)

// curveOrder is the secp256k1 group order n.
var curveOrder = [32]byte{
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
	0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
}

func TestFromSeedRange(t *testing.T) {
	nMinus1 := curveOrder
	nMinus1[31]--
	nPlus1 := curveOrder
	nPlus1[31]++
	var one [32]byte
	one[31] = 1
	tests := []struct {
		name string
		seed []byte
		ok   bool
	}{
		{"zero", make([]byte, 32), false},
		{"n", curveOrder[:], false},
		{"n+1", nPlus1[:], false},
		{"all ones", bytes.Repeat([]byte{0xff}, 32), false},
		{"one", one[:], true},
		{"n-1", nMinus1[:], true},
		{"31 bytes", make([]byte, 31), false},
		{"33 bytes", append(one[:], 0), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		k, err := FromSeed(tt.seed)
		if tt.ok != (err == nil) {
			t.Errorf("%s: FromSeed error = %v, want ok=%v", tt.name, err, tt.ok)
			continue
		}
		if !tt.ok && !errors.Is(err, ErrInvalidSecret) {
			t.Errorf("%s: error %v does not wrap ErrInvalidSecret", tt.name, err)
		}
		if tt.ok {
			if s := k.Seed(); !bytes.Equal(s[:], tt.seed) {
				t.Errorf("%s: Seed() = %x, want the input (never reduced)", tt.name, s)
			}
		}
	}
	// Secret 1 gives the generator G.
	k, _ := FromSeed(one[:])
	if got := k.PublicKey().Hex(); got != "0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" {
		t.Errorf("1*G = %s", got)
	}
	// FromSeed copies: changing the caller's slice afterwards does not change the key.
	seed := bytes.Repeat([]byte{7}, 32)
	k, _ = FromSeed(seed)
	seed[0] = 8
	if s := k.Seed(); s[0] != 7 {
		t.Errorf("FromSeed kept a reference to the caller's slice")
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	alice, _ := Dev("Alice")
	bob, _ := Dev("Bob")
	for _, msg := range [][]byte{nil, {}, []byte("x"), bytes.Repeat([]byte{0xab}, 300)} {
		sig := alice.Sign(msg)
		if sig[64] > 1 {
			t.Errorf("v = %d", sig[64])
		}
		if err := checkCanonical(&sig); err != nil {
			t.Errorf("Sign produced a non-canonical signature: %v", err)
		}
		if err := Verify(msg, sig, alice.AccountID()); err != nil {
			t.Errorf("Verify(len %d): %v", len(msg), err)
		}
		if err := Verify(msg, sig, bob.AccountID()); !errors.Is(err, ErrBadSignature) {
			t.Errorf("Verify under Bob = %v, want ErrBadSignature", err)
		}
		if again := alice.Sign(msg); again != sig {
			t.Errorf("signatures must be deterministic: %s then %s", sig.Hex(), again.Hex())
		}
		// Any flipped bit breaks the signature (or its message).
		for _, i := range []int{0, 31, 32, 63} {
			bad := sig
			bad[i] ^= 0x01
			if err := Verify(msg, bad, alice.AccountID()); err == nil {
				t.Errorf("flipping byte %d still verifies", i)
			}
		}
		other := append(append([]byte{}, msg...), 0)
		if err := Verify(other, sig, alice.AccountID()); !errors.Is(err, ErrBadSignature) {
			t.Errorf("Verify over another message = %v", err)
		}
	}
	// Sign hashes the message with blake2b-256 and matches decred over that digest.
	msg := []byte("hello bittensor")
	digest := blake2b.Sum256(msg)
	c := ecdsa.SignCompact(alice.priv, digest[:], true)
	sig := alice.Sign(msg)
	if !bytes.Equal(sig[:64], c[1:]) || sig[64] != c[0]-31 {
		t.Errorf("Sign differs from decred SignCompact over blake2b-256(msg)")
	}
	// Polkadot.js (@polkadot/keyring 14.0.3, ecdsa) signatures of crowd...//foo.
	k, _ := FromSURI(crowdPhrase + "//foo")
	for _, tt := range []struct{ msg, sig string }{
		{"", "0xe8a430f115b636e42cde8e864f1fa27fe7736f74447a3d5448c23ced5add277c112d1e8de6e30a9b708a6cedf4dd98665cfdcc43fc8efcb3d5b7d7dc78b1182c00"},
		{"hello", "0xf1b41fdda4ef253bde19e1a00d7605d38594faca37006a75a58b2d266b86892a451c62515ac6e708441bc5ccdee882a1b13f549c44d5ec5914584f42fddee97400"},
		{strings.Repeat("x", 300), "0x4863476c364cfe384e81156f9da32735447338ae7136ed348997b32f5b13ad797e571131985bec6ae47d33b13719a857e26e7fd2b3d6f9d6531517a0f8b4e6ec00"},
	} {
		if got := k.Sign([]byte(tt.msg)).Hex(); got != tt.sig {
			t.Errorf("sign %d bytes = %s, want %s", len(tt.msg), got, tt.sig)
		}
	}
}

// highS returns the malleated twin of a low-S signature: (r, n-s) with the recovery parity
// flipped. It is mathematically valid for the same key and message.
func highS(sig Signature) Signature {
	var s secp256k1.ModNScalar
	s.SetByteSlice(sig[32:64])
	s.Negate()
	b := s.Bytes()
	copy(sig[32:64], b[:])
	sig[64] ^= 1
	return sig
}

func TestHighSRejected(t *testing.T) {
	alice, _ := Dev("Alice")
	msg := []byte{0xde, 0xad, 0xbe, 0xef}
	sig := alice.Sign(msg)
	twin := highS(sig)

	// decred alone accepts the twin: the rejection is ours.
	digest := blake2b.Sum256(msg)
	c := append([]byte{twin[64] + 31}, twin[:64]...)
	pk, _, err := ecdsa.RecoverCompact(c, digest[:])
	if err != nil || !bytes.Equal(pk.SerializeCompressed(), alice.pub[:]) {
		t.Fatalf("test setup: the high-S twin should recover Alice's key in decred (err %v)", err)
	}

	if err := Verify(msg, twin, alice.AccountID()); !errors.Is(err, ErrHighS) {
		t.Errorf("Verify(high-S) = %v, want ErrHighS", err)
	}
	if _, err := Recover(msg, twin); !errors.Is(err, ErrHighS) {
		t.Errorf("Recover(high-S) = %v, want ErrHighS", err)
	}
}

func TestRecoveryIDRange(t *testing.T) {
	alice, _ := Dev("Alice")
	msg := []byte("v range")
	sig := alice.Sign(msg)
	for _, v := range []byte{2, 3, 4, 27, 28, 31, 255} {
		bad := sig
		bad[64] = v
		if err := Verify(msg, bad, alice.AccountID()); !errors.Is(err, ErrRecoveryID) {
			t.Errorf("v=%d: Verify = %v, want ErrRecoveryID", v, err)
		}
		if _, err := Recover(msg, bad); !errors.Is(err, ErrRecoveryID) {
			t.Errorf("v=%d: Recover = %v, want ErrRecoveryID", v, err)
		}
	}
	// The other v in range recovers a different key, so it fails as a bad signature.
	flipped := sig
	flipped[64] ^= 1
	if err := Verify(msg, flipped, alice.AccountID()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("flipped v: Verify = %v, want ErrBadSignature", err)
	}
}

func TestMalformedSignatures(t *testing.T) {
	alice, _ := Dev("Alice")
	msg := []byte("m")
	sig := alice.Sign(msg)
	zeroR := sig
	clear(zeroR[:32])
	zeroS := sig
	clear(zeroS[32:64])
	bigR := sig
	copy(bigR[:32], curveOrder[:])
	bigS := sig
	copy(bigS[32:64], curveOrder[:])
	for name, bad := range map[string]Signature{"r=0": zeroR, "s=0": zeroS, "r=n": bigR, "s=n": bigS, "all zero": {}} {
		if err := Verify(msg, bad, alice.AccountID()); !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrHighS) {
			t.Errorf("%s: Verify = %v, want a rejection", name, err)
		}
		if err := Verify(msg, bad, alice.AccountID()); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestZeroWipes(t *testing.T) {
	k, err := Dev("Alice")
	if err != nil {
		t.Fatal(err)
	}
	pub, id := k.PublicKey(), k.AccountID()
	k.Zero()
	if s := k.Seed(); s != ([32]byte{}) {
		t.Errorf("Seed after Zero = %x", s)
	}
	if !k.priv.Key.IsZero() {
		t.Errorf("the decred private scalar is not wiped")
	}
	if k.PublicKey() != pub || k.AccountID() != id {
		t.Errorf("Zero must keep the public key and account id")
	}
	defer func() {
		if r := recover(); r == nil {
			t.Errorf("Sign after Zero must panic, not sign with a zero key")
		}
	}()
	k.Sign([]byte("x"))
}

func TestSeedIsACopy(t *testing.T) {
	k, _ := Dev("Bob")
	s := k.Seed()
	clear(s[:])
	if k.Seed() == ([32]byte{}) {
		t.Errorf("wiping the returned seed wiped the key")
	}
}

func TestKeypairNeverPrintsSecret(t *testing.T) {
	k, _ := Dev("Alice")
	seed := k.Seed()
	secretHex := hex.EncodeToString(seed[:])
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q"} {
		out := fmt.Sprintf(verb, k)
		if strings.Contains(strings.ToLower(out), secretHex[:16]) || strings.Contains(out, fmt.Sprint(seed[0], " ", seed[1], " ", seed[2])) {
			t.Errorf("fmt %s shows the secret: %s", verb, out)
		}
		if out != "Keypair("+k.Address()+")" {
			t.Errorf("fmt %s = %q, want Keypair(<address>) only", verb, out)
		}
	}
	if s := fmt.Sprint(k.PublicKey(), " ", k.Sign(nil)); !strings.HasPrefix(s, k.PublicKey().Hex()+" 0x") {
		t.Errorf("PublicKey and Signature print as hex, got %s", s)
	}
}

func TestZeroValueKeypairSignPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("Sign on a zero Keypair must panic")
		}
	}()
	var k Keypair
	k.Sign(nil)
}
