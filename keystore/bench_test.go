package keystore

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/btui/btui/wallet"
)

// Opening a coldkey is dominated by its KDF. These benchmarks run the real derivations (the
// test cache of $NACL keys is switched off): btcli's $NACL (argon2i, 8 passes, 512 MiB),
// btui's default keyfile (argon2id, 3 passes, 64 MiB, 4 lanes) and a polkadot.js file (scrypt
// N=2^17, r=8: 128 MiB).

func realBtcliKDF(b *testing.B) {
	saved := btcliKeyFunc
	btcliKeyFunc = btcliKey
	b.Cleanup(func() { btcliKeyFunc = saved })
}

func BenchmarkBtcliNaClOpen(b *testing.B) {
	realBtcliKDF(b)
	data, err := os.ReadFile(filepath.Join(btcliVectorDir, "btcli0", "coldkey"))
	if err != nil {
		b.Fatal(err)
	}
	password := []byte("correct horse battery staple")
	for b.Loop() {
		kf, err := DecodeKeyfile(data)
		if err != nil {
			b.Fatal(err)
		}
		key, err := kf.Decrypt(password)
		if err != nil {
			b.Fatal(err)
		}
		key.Zero()
	}
}

func BenchmarkBtuiColdkeyOpen(b *testing.B) {
	kp, _ := wallet.SrDev("Alice")
	kf, err := encodeKeyfile(NewKey{Pair: kp, Encrypt: true, Password: []byte("pw")}, DefaultKDFParams())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		key, err := kf.Decrypt([]byte("pw"))
		if err != nil {
			b.Fatal(err)
		}
		key.Zero()
	}
}

func BenchmarkPolkadotJSOpen(b *testing.B) {
	kp, _ := wallet.SrDev("Alice")
	data, err := ExportPolkadotJS(kp, []byte("pw"), "alice")
	if err != nil {
		b.Fatal(err)
	}
	f, err := DecodePolkadotJS(data)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		key, err := f.Decrypt([]byte("pw"))
		if err != nil {
			b.Fatal(err)
		}
		key.Zero()
	}
}
