package wallet

import (
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"golang.org/x/crypto/blake2b"
)

// The benchmarks put btui's operations next to decred's raw primitives, so that Sign and Verify
// can be compared with ecdsa.SignCompact and ecdsa.RecoverCompact (the wallet adds a blake2b-256
// of the message, and for Verify one blake2b-256 of the 33-byte key and a compare).

var benchMsg = []byte("hello bittensor: a short signing payload")

func BenchmarkDeriveMnemonicPath(b *testing.B) {
	suri := crowdPhrase + "//foo//42///password"
	for b.Loop() {
		k, err := FromSURI(suri)
		if err != nil {
			b.Fatal(err)
		}
		k.Zero()
	}
}

func BenchmarkSign(b *testing.B) {
	k, _ := Dev("Alice")
	for b.Loop() {
		_ = k.Sign(benchMsg)
	}
}

func BenchmarkVerify(b *testing.B) {
	k, _ := Dev("Alice")
	sig := k.Sign(benchMsg)
	id := k.AccountID()
	for b.Loop() {
		if err := Verify(benchMsg, sig, id); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecredSignCompact(b *testing.B) {
	k, _ := Dev("Alice")
	digest := blake2b.Sum256(benchMsg)
	for b.Loop() {
		_ = ecdsa.SignCompact(k.priv, digest[:], true)
	}
}

func BenchmarkDecredRecoverCompact(b *testing.B) {
	k, _ := Dev("Alice")
	digest := blake2b.Sum256(benchMsg)
	c := ecdsa.SignCompact(k.priv, digest[:], true)
	for b.Loop() {
		if _, _, err := ecdsa.RecoverCompact(c, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeSS58(b *testing.B) {
	for b.Loop() {
		_ = aliceAccount.SS58()
	}
}

func BenchmarkDecodeSS58(b *testing.B) {
	for b.Loop() {
		if _, err := ParseAddress(aliceAddress); err != nil {
			b.Fatal(err)
		}
	}
}
