package keystore

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btui/btui/wallet"
)

// testdata/polkadotjs holds the round trip through @polkadot/keyring (make.mjs there):
// from-polkadotjs/ are files polkadot.js wrote; from-btui/ are files btui wrote (regenerate
// with -update-polkadotjs, then rerun make.mjs) and checked.json is what polkadot.js made of
// them.
var updatePJS = flag.Bool("update-polkadotjs", false, "rewrite testdata/polkadotjs/from-btui (then run make.mjs there)")

const pjsDir = "../testdata/polkadotjs"

type pjsExpected struct {
	Password string `json:"password"`
	Message  string `json:"message"`
	Files    []struct {
		File      string `json:"file"`
		Type      string `json:"type"`
		SURI      string `json:"suri"`
		Address   string `json:"address"`
		PublicKey string `json:"publicKey"`
		Signature string `json:"signature"`
	} `json:"files"`
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func hexBytes(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPolkadotJSFilesOpen(t *testing.T) {
	var exp pjsExpected
	readJSON(t, filepath.Join(pjsDir, "from-polkadotjs", "expected.json"), &exp)
	if len(exp.Files) < 4 {
		t.Fatalf("expected.json lists %d files", len(exp.Files))
	}
	for _, e := range exp.Files {
		data, err := os.ReadFile(filepath.Join(pjsDir, "from-polkadotjs", e.File))
		if err != nil {
			t.Fatal(err)
		}
		f, err := DecodePolkadotJS(data)
		if err != nil {
			t.Fatalf("%s: %v", e.File, err)
		}
		if f.Scheme().String() != e.Type || f.Name() != e.File {
			t.Errorf("%s: scheme %v name %q", e.File, f.Scheme(), f.Name())
		}
		key, err := f.Decrypt([]byte(exp.Password))
		if err != nil {
			t.Fatalf("%s: %v", e.File, err)
		}
		scheme, _ := wallet.ParseScheme(e.Type)
		ours, err := wallet.PairFromSURI(scheme, e.SURI)
		if err != nil {
			t.Fatal(err)
		}
		if key.Pair.Address() != e.Address || ours.Address() != e.Address || key.Scheme() != scheme {
			t.Errorf("%s: opened %s, derived %s, polkadot.js says %s", e.File, key.Pair.Address(), ours.Address(), e.Address)
		}
		if got := "0x" + hex.EncodeToString(key.Pair.PublicBytes()); got != e.PublicKey {
			t.Errorf("%s: public key %s, want %s", e.File, got, e.PublicKey)
		}
		// polkadot.js's signature verifies with our code; ours with the file's key.
		if err := wallet.VerifyScheme(scheme, []byte(exp.Message), hexBytes(t, e.Signature), key.Pair.AccountID()); err != nil {
			t.Errorf("%s: polkadot.js signature: %v", e.File, err)
		}
		if _, err := wallet.VerifyAny([]byte("x"), key.Pair.SignBytes([]byte("x")), ours.AccountID()); err != nil {
			t.Errorf("%s: our signature: %v", e.File, err)
		}
		key.Zero()
		if _, err := f.Decrypt([]byte(exp.Password + "x")); !errors.Is(err, ErrDecrypt) {
			t.Errorf("%s: wrong password: %v", e.File, err)
		}
	}
}

// pjsWriteCases are the keys btui exports for polkadot.js to import.
var pjsWriteCases = []struct {
	file   string
	scheme wallet.Scheme
	suri   string
}{
	{"sr25519-root.json", wallet.Sr25519, "crowd swamp sniff machine grid pretty client emotion banana cricket flush soap"},
	{"sr25519-soft.json", wallet.Sr25519, "crowd swamp sniff machine grid pretty client emotion banana cricket flush soap//hot/0"},
	{"ecdsa-root.json", wallet.Ecdsa, "crowd swamp sniff machine grid pretty client emotion banana cricket flush soap"},
	{"ecdsa-derived.json", wallet.Ecdsa, "crowd swamp sniff machine grid pretty client emotion banana cricket flush soap//foo//42"},
}

const pjsWritePassword = "written by btui ✓"

// pjsBtuiMessage is what btui signs for polkadot.js to verify.
const pjsBtuiMessage = "signed by btui"

func TestPolkadotJSWrite(t *testing.T) {
	dir := filepath.Join(pjsDir, "from-btui")
	if *updatePJS {
		type entry struct {
			File    string `json:"file"`
			Type    string `json:"type"`
			Address string `json:"address"`
			// Signature is btui's signature of pjsBtuiMessage, for polkadot.js to verify.
			Signature string `json:"signature"`
		}
		exp := struct {
			Generator string  `json:"generator"`
			Password  string  `json:"password"`
			Files     []entry `json:"files"`
			Message   string  `json:"message"`
		}{Generator: "btui keystore.ExportPolkadotJS (go test ./keystore -run TestPolkadotJSWrite -update-polkadotjs)", Password: pjsWritePassword, Message: pjsBtuiMessage}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, c := range pjsWriteCases {
			p, err := wallet.PairFromSURI(c.scheme, c.suri)
			if err != nil {
				t.Fatal(err)
			}
			b, err := ExportPolkadotJS(p, []byte(pjsWritePassword), c.file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, c.file), b, 0o644); err != nil {
				t.Fatal(err)
			}
			sig := "0x" + hex.EncodeToString(p.SignBytes([]byte(pjsBtuiMessage)))
			exp.Files = append(exp.Files, entry{c.file, c.scheme.String(), p.Address(), sig})
		}
		b, _ := json.MarshalIndent(&exp, "", "  ")
		if err := os.WriteFile(filepath.Join(dir, "expected.json"), append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		_ = os.Remove(filepath.Join(dir, "checked.json")) // stale: rerun make.mjs
		t.Log("wrote from-btui; now run `npm ci && node make.mjs` in testdata/polkadotjs")
		return
	}
	var checked struct {
		Message string `json:"message"`
		Files   []struct {
			File                 string `json:"file"`
			Type                 string `json:"type"`
			Address              string `json:"address"`
			Imported             bool   `json:"imported"`
			ImportedAddress      string `json:"importedAddress"`
			Signature            string `json:"signature"`
			WrongPasswordRefused bool   `json:"wrongPasswordRefused"`
			BtuiSignatureValid   bool   `json:"btuiSignatureValid"`
			Error                string `json:"error"`
		} `json:"files"`
	}
	readJSON(t, filepath.Join(dir, "checked.json"), &checked)
	if len(checked.Files) != len(pjsWriteCases) {
		t.Fatalf("checked.json has %d files, want %d (rerun make.mjs)", len(checked.Files), len(pjsWriteCases))
	}
	for i, c := range pjsWriteCases {
		got := checked.Files[i]
		p, _ := wallet.PairFromSURI(c.scheme, c.suri)
		if got.File != c.file || got.Type != c.scheme.String() || !got.Imported || got.ImportedAddress != p.Address() || !got.WrongPasswordRefused || !got.BtuiSignatureValid {
			t.Errorf("%s: polkadot.js result %+v, want it imported as %s", c.file, got, p.Address())
		}
		if err := wallet.VerifyScheme(c.scheme, []byte(checked.Message), hexBytes(t, got.Signature), p.AccountID()); err != nil {
			t.Errorf("%s: polkadot.js's signature after import: %v", c.file, err)
		}
		// The committed file still opens with our own reader.
		data, err := os.ReadFile(filepath.Join(dir, c.file))
		if err != nil {
			t.Fatal(err)
		}
		f, err := DecodePolkadotJS(data)
		if err != nil {
			t.Fatal(err)
		}
		key, err := f.Decrypt([]byte(pjsWritePassword))
		if err != nil || key.Pair.Address() != p.Address() {
			t.Fatalf("%s: reopen: %v %v", c.file, key, err)
		}
	}
}

func TestPolkadotJSBadInput(t *testing.T) {
	alice, _ := wallet.SrDev("Alice")
	// Light scrypt parameters keep this test fast; the format is the same.
	light := ScryptParams{N: 1 << 10, R: 8, P: 1}
	good, err := exportPolkadotJS(alice, []byte("pw"), "alice", light)
	if err != nil {
		t.Fatal(err)
	}
	f, err := DecodePolkadotJS(good)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := f.Decrypt([]byte("pw")); err != nil || k.Pair.Address() != alice.Address() {
		t.Fatalf("round trip: %v %v", k, err)
	}
	if _, err := f.Decrypt([]byte("wrong")); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("wrong password: %v", err)
	}
	edit := func(fn func(m map[string]any)) []byte {
		var m map[string]any
		_ = json.Unmarshal(good, &m)
		fn(m)
		b, _ := json.Marshal(m)
		return b
	}
	encoding := func(m map[string]any) map[string]any { return m["encoding"].(map[string]any) }
	for _, tc := range []struct {
		name string
		data []byte
		is   error
		want string
	}{
		{"ed25519", edit(func(m map[string]any) { encoding(m)["content"] = []string{"pkcs8", "ed25519"} }), ErrUnsupportedContent, "ed25519"},
		{"ethereum", edit(func(m map[string]any) { encoding(m)["content"] = []string{"pkcs8", "ethereum"} }), ErrUnsupportedContent, "ethereum"},
		{"version 2", edit(func(m map[string]any) { encoding(m)["version"] = "2" }), ErrUnsupportedContent, "version"},
		{"unencrypted", edit(func(m map[string]any) { encoding(m)["type"] = []string{"none"} }), ErrUnsupportedContent, "unencrypted"},
		{"not json", []byte("hello"), ErrInvalidKeyfile, "polkadot.js"},
		{"costly scrypt", edit(func(m map[string]any) {
			enc, _ := base64.StdEncoding.DecodeString(m["encoded"].(string))
			binary.LittleEndian.PutUint32(enc[32:], 1<<20) // N = 2^20: 1 GiB
			m["encoded"] = base64.StdEncoding.EncodeToString(enc)
		}), ErrKDFTooCostly, "asks for 1024 MiB / 1 passes: refusing"},
	} {
		_, err := DecodePolkadotJS(tc.data)
		if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v (want %v with %q)", tc.name, err, tc.is, tc.want)
		}
	}
	// A flipped bit in the ciphertext: ErrDecrypt.
	flipped := edit(func(m map[string]any) {
		enc, _ := base64.StdEncoding.DecodeString(m["encoded"].(string))
		enc[len(enc)-3] ^= 1
		m["encoded"] = base64.StdEncoding.EncodeToString(enc)
	})
	ff, err := DecodePolkadotJS(flipped)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ff.Decrypt([]byte("pw")); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("flipped: %v", err)
	}
	// An address that is not the key's: ErrMismatch.
	bob, _ := wallet.SrDev("Bob")
	other := edit(func(m map[string]any) { m["address"] = bob.Address() })
	of, _ := DecodePolkadotJS(other)
	if _, err := of.Decrypt([]byte("pw")); !errors.Is(err, ErrMismatch) {
		t.Fatalf("other address: %v", err)
	}
}
