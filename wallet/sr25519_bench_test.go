package wallet

import "testing"

// sr25519 benchmarks: derivation from a mnemonic (substrate-bip39 PBKDF2 with 2,048 rounds,
// schnorrkel expansion and two hard junctions), signing with the "substrate" context, and
// verification.

func BenchmarkSrDeriveMnemonic(b *testing.B) {
	for b.Loop() {
		k, err := SrFromSURI(crowdPhrase)
		if err != nil {
			b.Fatal(err)
		}
		k.Zero()
	}
}

func BenchmarkSrDeriveMnemonicPath(b *testing.B) {
	suri := crowdPhrase + "//foo//42///password"
	for b.Loop() {
		k, err := SrFromSURI(suri)
		if err != nil {
			b.Fatal(err)
		}
		k.Zero()
	}
}

func BenchmarkSrSign(b *testing.B) {
	k, _ := SrDev("Alice")
	for b.Loop() {
		_ = k.Sign(benchMsg)
	}
}

func BenchmarkSrVerify(b *testing.B) {
	k, _ := SrDev("Alice")
	sig := k.Sign(benchMsg)
	pub := k.PublicKey()
	for b.Loop() {
		if err := SrVerify(benchMsg, sig, pub); err != nil {
			b.Fatal(err)
		}
	}
}
