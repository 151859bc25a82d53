package keystore

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeKeyfile feeds arbitrary bytes to the keyfile decoder. It must never panic; what it
// accepts must re-encode to a document that decodes to the same keyfile; and decrypting
// (only with cheap KDF parameters, so the fuzzer stays fast) must either fail or return a key
// that matches the stored address.
func FuzzDecodeKeyfile(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(vectorDir, "*.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, []byte("correct horse battery staple"))
		}
	}
	f.Add([]byte(`{"version":1}`), []byte("x"))
	f.Add([]byte(`{"version":1,"key_type":"ecdsa","address":"","public_key":"","secret":{"seed":"0x"}}`), []byte{})
	f.Add([]byte(`{"version":1,"crypto":{"kdf":"argon2id","kdfparams":{"time":1,"memory_kib":8,"threads":1,"salt":"00"}}}`), []byte("p"))
	f.Fuzz(func(t *testing.T, data, password []byte) {
		kf, err := DecodeKeyfile(data)
		if err != nil {
			if kf != nil {
				t.Fatal("error with a keyfile")
			}
			return
		}
		_, _ = kf.Public()
		again, err := kf.Marshal()
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		kf2, err := DecodeKeyfile(again)
		if err != nil {
			t.Fatalf("re-decode of %q: %v", again, err)
		}
		again2, _ := kf2.Marshal()
		if !bytes.Equal(again, again2) {
			t.Fatalf("encoding not stable:\n%s\n%s", again, again2)
		}
		if p, ok := kf.KDFParams(); ok && (p.Time > 2 || p.Memory > 256) {
			return
		}
		key, err := kf.Decrypt(password)
		if err != nil {
			if key != nil {
				t.Fatal("Decrypt returned a key with an error")
			}
			return
		}
		defer key.Zero()
		if key.Keypair.Address() != kf.doc.Address {
			t.Fatalf("decrypted key %s does not match the stored address %s", key.Keypair.Address(), kf.doc.Address)
		}
	})
}
