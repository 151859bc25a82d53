package wallet

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// keysVectors mirrors testdata/keys.json, the project's copy of shared/vectors/keys.json.
type keysVectors struct {
	SS58Prefix int `json:"ss58Prefix"`
	Dev        []struct {
		Mnemonic  string `json:"mnemonic"`
		Path      string `json:"path"`
		Secret    string `json:"secret"`
		PublicKey string `json:"publicKey"`
		AccountID string `json:"accountId"`
		SS58      string `json:"ss58"`
	} `json:"dev"`
	Signatures []struct {
		SURI          string `json:"suri"`
		PublicKey     string `json:"publicKey"`
		AccountID     string `json:"accountId"`
		Message       string `json:"message"`
		ExtrinsicRule bool   `json:"extrinsicRule"`
		Signature     string `json:"signature"`
	} `json:"signatures"`
}

func loadKeysVectors(t testing.TB) keysVectors {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "keys.json"))
	if err != nil {
		t.Fatalf("read vectors: %v", err)
	}
	var v keysVectors
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode vectors: %v", err)
	}
	if len(v.Dev) == 0 || len(v.Signatures) == 0 {
		t.Fatalf("vectors file has %d dev keys and %d signatures; expected both", len(v.Dev), len(v.Signatures))
	}
	return v
}

// unhex decodes a 0x-prefixed hex string from the vectors.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	if !strings.HasPrefix(s, "0x") {
		t.Fatalf("vector %q lacks the 0x prefix", s)
	}
	b, err := hex.DecodeString(s[2:])
	if err != nil {
		t.Fatalf("vector %q: %v", s, err)
	}
	return b
}

func TestKeysJSONDevAccounts(t *testing.T) {
	v := loadKeysVectors(t)
	if v.SS58Prefix != int(SS58Prefix) {
		t.Fatalf("vectors use prefix %d, package uses %d", v.SS58Prefix, SS58Prefix)
	}
	for _, d := range v.Dev {
		t.Run("path="+d.Path, func(t *testing.T) {
			k, err := FromSURI(d.Mnemonic + d.Path)
			if err != nil {
				t.Fatalf("FromSURI: %v", err)
			}
			seed := k.Seed()
			if !bytes.Equal(seed[:], unhex(t, d.Secret)) {
				t.Errorf("secret = %x, want %s", seed, d.Secret)
			}
			pub := k.PublicKey()
			if !bytes.Equal(pub[:], unhex(t, d.PublicKey)) || pub.Hex() != d.PublicKey {
				t.Errorf("public key = %s, want %s", pub.Hex(), d.PublicKey)
			}
			id := k.AccountID()
			if !bytes.Equal(id[:], unhex(t, d.AccountID)) || id.Hex() != d.AccountID {
				t.Errorf("account id = %s, want %s", id.Hex(), d.AccountID)
			}
			if pub.AccountID() != id {
				t.Errorf("PublicKey.AccountID = %s, Keypair.AccountID = %s", pub.AccountID().Hex(), id.Hex())
			}
			if k.Address() != d.SS58 || id.SS58() != d.SS58 || id.String() != d.SS58 {
				t.Errorf("address = %s / %s / %s, want %s", k.Address(), id.SS58(), id.String(), d.SS58)
			}
			parsed, err := ParseAddress(d.SS58)
			if err != nil || parsed != id {
				t.Errorf("ParseAddress(%s) = %s, %v; want %s", d.SS58, parsed.Hex(), err, id.Hex())
			}
			// The secret alone rebuilds the same key (the keystore stores only the seed).
			k2, err := FromSeed(unhex(t, d.Secret))
			if err != nil || k2.PublicKey() != pub {
				t.Errorf("FromSeed(secret) = %v, %v; want public key %s", k2, err, d.PublicKey)
			}
			k3, err := FromSURI(d.Secret)
			if err != nil || k3.PublicKey() != pub {
				t.Errorf("FromSURI(0x secret) gives a different key (err %v)", err)
			}
			// Dev names reach the same keys.
			if name := strings.TrimPrefix(d.Path, "//"); d.Mnemonic == DevPhrase && contains(DevNames(), name) {
				for _, arg := range []string{name, "//" + name} {
					dk, err := Dev(arg)
					if err != nil || dk.PublicKey() != pub {
						t.Errorf("Dev(%q) = %v, %v; want public key %s", arg, dk, err, d.PublicKey)
					}
				}
				if d.Path != "" {
					ek, err := FromSURI(d.Path)
					if err != nil || ek.PublicKey() != pub {
						t.Errorf("FromSURI(%q) (empty phrase = dev phrase) = %v; want %s", d.Path, err, d.PublicKey)
					}
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestKeysJSONSignatures(t *testing.T) {
	v := loadKeysVectors(t)
	for i, s := range v.Signatures {
		if s.ExtrinsicRule {
			t.Fatalf("signature vector %d uses the extrinsic rule, which the wallet package does not apply", i)
		}
		k, err := FromSURI(s.SURI)
		if err != nil {
			t.Fatalf("vector %d: FromSURI: %v", i, err)
		}
		msg := unhex(t, s.Message)
		want := unhex(t, s.Signature)
		got := k.Sign(msg)
		if !bytes.Equal(got[:], want) || got.Hex() != s.Signature {
			t.Errorf("vector %d: signature\n got %s\nwant %s", i, got.Hex(), s.Signature)
		}
		if s.PublicKey != "" && k.PublicKey().Hex() != s.PublicKey {
			t.Errorf("vector %d: public key %s, want %s", i, k.PublicKey().Hex(), s.PublicKey)
		}
		if s.AccountID != "" && k.AccountID().Hex() != s.AccountID {
			t.Errorf("vector %d: account id %s, want %s", i, k.AccountID().Hex(), s.AccountID)
		}
		var sig Signature
		copy(sig[:], want)
		if err := Verify(msg, sig, k.AccountID()); err != nil {
			t.Errorf("vector %d: Verify: %v", i, err)
		}
		rec, err := Recover(msg, sig)
		if err != nil || rec != k.PublicKey() {
			t.Errorf("vector %d: Recover = %s, %v; want %s", i, rec.Hex(), err, k.PublicKey().Hex())
		}
	}
}

// TestSpecNegativeSignatureChecks: the //Alice signature over 0xdeadbeef must not verify for
// 0xbaddbeef, nor under Bob's key (spec/keys.md).
func TestSpecNegativeSignatureChecks(t *testing.T) {
	var sig Signature
	copy(sig[:], unhex(t, "0x9f04ffd6c579e5460417c4b7a21441c39a0a0eb6a5c4a8cad288f538863950930f47c4014dbfc411f9486d432f55b875a0ff5c08ff15708120ae96b4a6e92b3800"))
	alice, err := Dev("Alice")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := Dev("Bob")
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify([]byte{0xde, 0xad, 0xbe, 0xef}, sig, alice.AccountID()); err != nil {
		t.Fatalf("the genuine signature must verify: %v", err)
	}
	if err := Verify([]byte{0xba, 0xdd, 0xbe, 0xef}, sig, alice.AccountID()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("other message: err = %v, want ErrBadSignature", err)
	}
	if err := Verify([]byte{0xde, 0xad, 0xbe, 0xef}, sig, bob.AccountID()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Bob's key: err = %v, want ErrBadSignature", err)
	}
	if pub, err := Recover([]byte{0xba, 0xdd, 0xbe, 0xef}, sig); err == nil && pub == alice.PublicKey() {
		t.Errorf("recovering over another message must not give Alice's key")
	}
}

// TestSpecTable covers every value spelled out in spec/keys.md.
func TestSpecTable(t *testing.T) {
	const crowd = "crowd swamp sniff machine grid pretty client emotion banana cricket flush soap"
	tests := []struct {
		suri, pub, ss58 string
	}{
		{DevPhrase, "0x035b26108e8b97479c547da4860d862dc08ab2c29ada449c74d5a9a58a6c46a8c4", "5GKyBtzbxKU1qjhZrKpMiwtJj7o6jJcXbKQVtYq74DCPerXN"},
		{"//Alice", "0x020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1", "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X"},
		{"//Bob", "0x0390084fdbf27d2b79d26a4f13f0ccd982cb755a661969143c37cbc49ef5b91f27", "5DVskgSC9ncWQpxFMeUn45NU43RUq93ByEge6ApbnLk6BR9N"},
		{"//Charlie", "0x0389411795514af1627765eceffcbd002719f031604fadd7d188e2dc585b4e1afb", "5EP2cMaCxLzhfD3aFAqqgu3kfXH7GcwweEv6JXZRP6ysRHkQ"},
		{"//Dave", "0x03bc9d0ca094bd5b8b3225d7651eac5d18c1c04bf8ae8f8b263eebca4e1410ed0c", "5CtLD1M83vbXs42XPYyvygkUg6BxxMRBAiNqg1XD5qe7iW8g"},
		{"//0", "", "5EYLKPDaH7gGuon5vesr5QX8S9c22wYvgWwdRoGj3FykwoE8"},
		{crowd, "", "5F9UMJqrtQ2k2i4tP3qcdvCttunoQLdTtDyDSShoSgFRhFfC"},
		{crowd + "//foo", "", "5G144J3pcwW8q22RMpUEY6e9AeviTK4LLbFWzigYekPfVS4T"},
		{crowd + "//foo//42", "", "5EQjMsU88KFTjtd35oujweATPy9nPE5wvLjoMaKWho3NWJok"},
		{crowd + "///password", "", "5HRRRLS5sPdMHTDUfPShrwVgqRBnaVVkDskEtShcBPdhZdSr"},
		{crowd + "//foo//42///password", "", "5FRVaDUQMhpm1vBK5Y5EjdoNhv5tZRTBRgq8eoD1meRse6om"},
	}
	for _, tt := range tests {
		k, err := FromSURI(tt.suri)
		if err != nil {
			t.Errorf("FromSURI(%q): %v", tt.suri, err)
			continue
		}
		if tt.pub != "" && k.PublicKey().Hex() != tt.pub {
			t.Errorf("%q: public key %s, want %s", tt.suri, k.PublicKey().Hex(), tt.pub)
		}
		if k.Address() != tt.ss58 {
			t.Errorf("%q: address %s, want %s", tt.suri, k.Address(), tt.ss58)
		}
	}

	alice, _ := Dev("Alice")
	if s := alice.Seed(); hex.EncodeToString(s[:]) != "cb6df9de1efca7a3998a8ead4e02159d5fa99c3e0d4fd6432667390bb4726854" {
		t.Errorf("//Alice secret = %x", s)
	}
	if id := alice.AccountID().Hex(); id != "0x01e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed" {
		t.Errorf("//Alice account id = %s", id)
	}
	entropy, err := mnemonicEntropy(DevPhrase)
	if err != nil || hex.EncodeToString(entropy) != "1a486a5fbe53639984cb64b070755f7b" {
		t.Errorf("dev phrase entropy = %x, %v", entropy, err)
	}
	root, err := secretFromMnemonic(DevPhrase, "")
	if err != nil || hex.EncodeToString(root[:]) != "fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e" {
		t.Errorf("dev phrase root secret = %x, %v", root, err)
	}
	sig := alice.Sign([]byte{0xde, 0xad, 0xbe, 0xef})
	if sig.Hex() != "0x9f04ffd6c579e5460417c4b7a21441c39a0a0eb6a5c4a8cad288f538863950930f47c4014dbfc411f9486d432f55b875a0ff5c08ff15708120ae96b4a6e92b3800" {
		t.Errorf("//Alice over 0xdeadbeef = %s", sig.Hex())
	}
}
