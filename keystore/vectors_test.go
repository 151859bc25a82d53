package keystore

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/btui/btui/wallet"
)

var update = flag.Bool("update", false, "regenerate testdata/keystore (new salts and nonces)")

const vectorDir = "../testdata/keystore"

// vector describes one checked-in keyfile and what it must decrypt to.
type vector struct {
	File      string `json:"file"`
	Password  string `json:"password"`
	SURI      string `json:"suri"`
	Mnemonic  string `json:"mnemonic"`
	Path      string `json:"path"`
	Seed      string `json:"seed"`
	Address   string `json:"address"`
	PublicKey string `json:"public_key"`
	Encrypted bool   `json:"encrypted"`
}

type vectorFile struct {
	About   string   `json:"about"`
	Vectors []vector `json:"vectors"`
}

// vectorSpecs are the keys behind the checked-in files; -update regenerates the files from them.
var vectorSpecs = []struct {
	file, password, mnemonic, path string
	encrypted                      bool
}{
	{"alice-coldkey-encrypted.json", "correct horse battery staple", wallet.DevPhrase, "//Alice", true},
	// Passwords are used exactly as typed: spaces, tabs and non-ASCII are part of them.
	{"crowd-foo42-encrypted.json", " pässwörd\twith spaces ", "crowd swamp sniff machine grid pretty client emotion banana cricket flush soap", "//foo//42///password", true},
	{"bob-hotkey-plaintext.json", "", wallet.DevPhrase, "//Bob", false},
}

func TestKeyfileVectors(t *testing.T) {
	if *update {
		writeVectors(t)
	}
	raw, err := os.ReadFile(filepath.Join(vectorDir, "vectors.json"))
	if err != nil {
		t.Fatalf("read vectors (run with -update to create them): %v", err)
	}
	var vf vectorFile
	if err := json.Unmarshal(raw, &vf); err != nil {
		t.Fatal(err)
	}
	if len(vf.Vectors) != len(vectorSpecs) {
		t.Fatalf("%d vectors, want %d", len(vf.Vectors), len(vectorSpecs))
	}
	for _, v := range vf.Vectors {
		t.Run(v.File, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(vectorDir, v.File))
			if err != nil {
				t.Fatal(err)
			}
			kf, err := DecodeKeyfile(data)
			if err != nil {
				t.Fatal(err)
			}
			if kf.Encrypted() != v.Encrypted {
				t.Fatalf("Encrypted() = %v, want %v", kf.Encrypted(), v.Encrypted)
			}
			pub, err := kf.Public()
			if err != nil {
				t.Fatal(err)
			}
			if pub.Address() != v.Address || pub.PublicKey.Hex() != v.PublicKey {
				t.Fatalf("public fields %s %s, want %s %s", pub.Address(), pub.PublicKey.Hex(), v.Address, v.PublicKey)
			}
			key, err := kf.Decrypt([]byte(v.Password))
			if err != nil {
				t.Fatalf("Decrypt: %v", err)
			}
			defer key.Zero()
			seed := key.Keypair.Seed()
			if got := "0x" + hex.EncodeToString(seed[:]); got != v.Seed {
				t.Errorf("seed %s, want %s", got, v.Seed)
			}
			if key.Keypair.Address() != v.Address {
				t.Errorf("address %s, want %s", key.Keypair.Address(), v.Address)
			}
			if string(key.Mnemonic) != v.Mnemonic || string(key.Path) != v.Path {
				t.Errorf("mnemonic/path %q %q, want %q %q", key.Mnemonic, key.Path, v.Mnemonic, v.Path)
			}
			// The same key from its SURI, independently of the keystore.
			kp, err := wallet.FromSURI(v.SURI)
			if err != nil {
				t.Fatal(err)
			}
			if kp.Address() != v.Address {
				t.Errorf("suri gives %s, file says %s", kp.Address(), v.Address)
			}
			if v.Encrypted {
				if _, err := kf.Decrypt([]byte(v.Password + "\n")); err == nil {
					t.Error("the password with a trailing newline decrypted the file")
				}
			}
		})
	}
}

// writeVectors regenerates the checked-in keyfiles with light KDF parameters.
func writeVectors(t *testing.T) {
	t.Helper()
	vf := vectorFile{About: "btui keyfiles (keystore.Version 1) written with keystore.LightKDFParams; " +
		"each must decrypt with its password to the given key. Regenerate with go test ./keystore -run TestKeyfileVectors -update."}
	for _, s := range vectorSpecs {
		suri := s.mnemonic + s.path
		kp, err := wallet.FromSURI(suri)
		if err != nil {
			t.Fatal(err)
		}
		nk := NewKey{Keypair: kp, Encrypt: s.encrypted, Password: []byte(s.password)}
		v := vector{File: s.file, Password: s.password, SURI: suri, Address: kp.Address(), PublicKey: kp.PublicKey().Hex(), Encrypted: s.encrypted}
		if s.encrypted {
			nk.Mnemonic, nk.Path = []byte(s.mnemonic), []byte(s.path)
			v.Mnemonic, v.Path = s.mnemonic, s.path
		}
		seed := kp.Seed()
		v.Seed = "0x" + hex.EncodeToString(seed[:])
		kf, err := encodeKeyfile(nk, LightKDFParams())
		if err != nil {
			t.Fatal(err)
		}
		data, err := kf.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(vectorDir, s.file), data, 0o644); err != nil {
			t.Fatal(err)
		}
		vf.Vectors = append(vf.Vectors, v)
	}
	b, err := json.MarshalIndent(&vf, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(vectorDir, "vectors.json"), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
