package wallet

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"golang.org/x/crypto/blake2b"
)

// verifyByRecovery is the definition Verify must match: recover, compare the account id.
func verifyByRecovery(msg []byte, sig Signature, who AccountID) bool {
	pub, err := Recover(msg, sig)
	return err == nil && pub.AccountID() == who
}

// TestVerifyKnownKeyMatchesRecovery checks, for many keys and messages, that Verify with the
// signer's key already known accepts exactly what recovery accepts: valid signatures, and not
// the same signature with v flipped, r or s changed, another message or another account.
func TestVerifyKnownKeyMatchesRecovery(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	keys := make([]*Keypair, 24)
	for i := range keys {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(i))
		seed := blake2b.Sum256(append([]byte("verify-known"), b[:]...))
		k, err := FromSeed(seed[:])
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
	}
	for iter := range 600 {
		k := keys[iter%len(keys)]
		other := keys[(iter+1)%len(keys)]
		msg := make([]byte, 1+r.IntN(80))
		for i := range msg {
			msg[i] = byte(r.Uint32())
		}
		sig := k.Sign(msg)
		digest := blake2b.Sum256(msg)
		pk := k.priv.PubKey()
		if !verifyKnown(&digest, &sig, pk) {
			t.Fatalf("iteration %d: a valid signature failed against its key", iter)
		}
		if err := Verify(msg, sig, k.AccountID()); err != nil {
			t.Fatalf("iteration %d: %v", iter, err)
		}
		if knownKey(k.AccountID()) == nil {
			t.Fatalf("iteration %d: the verified key was not remembered", iter)
		}
		flipped := sig
		flipped[64] ^= 1
		tamperedR, tamperedS := sig, sig
		tamperedR[r.IntN(32)] ^= byte(1 + r.IntN(255))
		tamperedS[32+r.IntN(32)] ^= byte(1 + r.IntN(255))
		msg2 := append([]byte{0}, msg...)
		for _, c := range []struct {
			name string
			msg  []byte
			sig  Signature
			who  AccountID
		}{
			{"valid", msg, sig, k.AccountID()},
			{"v flipped", msg, flipped, k.AccountID()},
			{"r changed", msg, tamperedR, k.AccountID()},
			{"s changed", msg, tamperedS, k.AccountID()},
			{"other message", msg2, sig, k.AccountID()},
			{"other account", msg, sig, other.AccountID()},
		} {
			want := verifyByRecovery(c.msg, c.sig, c.who)
			if got := Verify(c.msg, c.sig, c.who) == nil; got != want {
				t.Fatalf("iteration %d, %s: Verify %v, recovery %v", iter, c.name, got, want)
			}
			d := blake2b.Sum256(c.msg)
			if checkCanonical(&c.sig) == nil && c.who == k.AccountID() {
				if got := verifyKnown(&d, &c.sig, pk); got != want {
					t.Fatalf("iteration %d, %s: verifyKnown %v, recovery %v", iter, c.name, got, want)
				}
			}
		}
		if verifyKnown(&digest, &flipped, pk) {
			t.Fatalf("iteration %d: the signature with v flipped passed against the signer's key", iter)
		}
	}
}
