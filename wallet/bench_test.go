package wallet

import (
	"crypto/pbkdf2"
	"crypto/sha512"
	"syscall"
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
	defer reportCPU(b, processCPU())
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

// The derive stages, one benchmark each, so BenchmarkDeriveMnemonicPath can be read as their
// sum: the PBKDF2 floor, the mnemonic checks, one hard junction, and the key pair (one base
// point multiplication, the compressed encoding and the account hash).

// BenchmarkDerivePBKDF2 is PBKDF2-HMAC-SHA512, 2048 rounds, 64 bytes: the floor of any
// mnemonic derivation.
func BenchmarkDerivePBKDF2(b *testing.B) {
	entropy, err := mnemonicEntropy(crowdPhrase)
	if err != nil {
		b.Fatal(err)
	}
	salt := []byte("mnemonic" + "password")
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if _, err := pbkdf2.Key(sha512.New, string(entropy), salt, pbkdf2Rounds, 64); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeriveMnemonicEntropy is the word-list and checksum check that yields the entropy.
func BenchmarkDeriveMnemonicEntropy(b *testing.B) {
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if _, err := mnemonicEntropy(crowdPhrase); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeriveParseSURI splits the benchmark SURI.
func BenchmarkDeriveParseSURI(b *testing.B) {
	suri := crowdPhrase + "//foo//42///password"
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if _, err := ParseSURI(suri); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeriveJunction is one hard junction: its chain code and one blake2b-256.
func BenchmarkDeriveJunction(b *testing.B) {
	secret := [32]byte{1}
	j := Junction{Text: "foo"}
	defer reportCPU(b, processCPU())
	for b.Loop() {
		cc := j.ChainCode()
		secret = deriveHard(&secret, &cc)
	}
}

// BenchmarkDeriveKeypair builds the key pair from the final secret: the public key (one base
// point multiplication), its compressed encoding and the account id.
func BenchmarkDeriveKeypair(b *testing.B) {
	secret := [32]byte{1, 2, 3}
	defer reportCPU(b, processCPU())
	for b.Loop() {
		s := secret
		k, err := fromSecret(&s)
		if err != nil {
			b.Fatal(err)
		}
		k.Zero()
	}
}

// BenchmarkDeriveSHA512Blocks is 4096 one-block SHA-512 hashes: the compressions PBKDF2-HMAC-
// SHA512 with 2048 rounds cannot avoid (two per round, with the HMAC keys' pads absorbed once),
// so PBKDF2 minus this is its bookkeeping.
func BenchmarkDeriveSHA512Blocks(b *testing.B) {
	var u [64]byte
	defer reportCPU(b, processCPU())
	for b.Loop() {
		for range 2 * pbkdf2Rounds {
			u = sha512.Sum512(u[:])
		}
	}
}

// reportCPU adds cpu-ns/op (user+system CPU time of the process since cpu0): meaningful when
// other processes share the machine, where ns/op is not.
func reportCPU(b *testing.B, cpu0 int64) {
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}

func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
