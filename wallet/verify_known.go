package wallet

import (
	"sync"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// Verify checks a signature against the account that is supposed to have made it. Recovering
// the public key from the signature costs a square root (to decompress the nonce point R), the
// scalar multiplications and an inversion (to bring the key back to affine coordinates), and
// then a blake2b-256 of the key. Once an account's public key is known (a signature of it has
// been recovered to the account id), Verify instead computes R' = (e/s)·G + (r/s)·P with the
// known key P and checks that R' is exactly the point recovery would decompress: x(R') = r and
// the parity of y(R') = v. That holds if and only if recovery would return P (R' = R gives
// Q = r⁻¹(s·R − e·G) = P, and conversely), so the answer is the same, one exponentiation and
// one hash cheaper. A standard ECDSA verify (x(R') ≡ r mod n) would not do: it accepts the
// signature with v flipped, which recovery (and so Substrate) rejects.
//
// knownKeys remembers the keys of recently verified accounts (at most knownKeysMax; the table
// is emptied when full). A key is stored only after recovery proved blake2b-256 of it equals
// the account id.
var knownKeys = struct {
	sync.RWMutex
	m map[AccountID]*secp256k1.PublicKey
}{m: make(map[AccountID]*secp256k1.PublicKey)}

const knownKeysMax = 1 << 16

func knownKey(who AccountID) *secp256k1.PublicKey {
	knownKeys.RLock()
	defer knownKeys.RUnlock()
	return knownKeys.m[who]
}

func rememberKey(who AccountID, pk *secp256k1.PublicKey) {
	knownKeys.Lock()
	defer knownKeys.Unlock()
	if len(knownKeys.m) >= knownKeysMax {
		clear(knownKeys.m)
	}
	knownKeys.m[who] = pk
}

// verifyKnown reports whether recovering sig over digest would return pk. sig must already be
// canonical (checkCanonical: v in {0, 1}, s below n/2).
func verifyKnown(digest *[32]byte, sig *Signature, pk *secp256k1.PublicKey) bool {
	var r, s secp256k1.ModNScalar
	if r.SetByteSlice(sig[:32]) || r.IsZero() || s.SetByteSlice(sig[32:64]) || s.IsZero() {
		return false
	}
	var e secp256k1.ModNScalar
	e.SetByteSlice(digest[:]) // as recovery and signing reduce the digest
	w := new(secp256k1.ModNScalar).InverseValNonConst(&s)
	u1 := new(secp256k1.ModNScalar).Mul2(&e, w)
	u2 := new(secp256k1.ModNScalar).Mul2(&r, w)
	var p, u1G, u2P, rp secp256k1.JacobianPoint
	pk.AsJacobian(&p)
	secp256k1.ScalarBaseMultNonConst(u1, &u1G)
	secp256k1.ScalarMultNonConst(u2, &p, &u2P)
	secp256k1.AddNonConst(&u1G, &u2P, &rp)
	if (rp.X.IsZero() && rp.Y.IsZero()) || rp.Z.IsZero() {
		return false // the point at infinity
	}
	rp.ToAffine()
	// Recovery decompresses R from x = r exactly (v ≤ 1: no x = r + n) and the parity v.
	var x secp256k1.FieldVal
	if x.SetByteSlice(sig[:32]) {
		return false
	}
	return rp.X.Equals(&x) && rp.Y.IsOddBit() == uint32(sig[64])
}
