package wallet

import (
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"golang.org/x/crypto/blake2b"
)

// PublicKey is a compressed secp256k1 public key (33 bytes, 0x02/0x03 then x).
type PublicKey [33]byte

// AccountID returns blake2b-256 of the compressed key: the Substrate AccountId32 of an ECDSA
// signer.
func (p PublicKey) AccountID() AccountID { return AccountID(blake2b.Sum256(p[:])) }

// Hex returns the key as 0x-prefixed lower-case hex.
func (p PublicKey) Hex() string { return "0x" + hex.EncodeToString(p[:]) }

// String returns Hex.
func (p PublicKey) String() string { return p.Hex() }

// Signature is a Substrate ECDSA signature: r(32) || s(32) || v(1), with v the recovery id (0 or
// 1) and s in the lower half of the group order.
type Signature [65]byte

// Hex returns the signature as 0x-prefixed lower-case hex.
func (s Signature) Hex() string { return "0x" + hex.EncodeToString(s[:]) }

// String returns Hex.
func (s Signature) String() string { return s.Hex() }

// Keypair is a secp256k1 key pair derived the way Substrate's ECDSA scheme derives it. Create it
// with FromSURI, FromSeed or Dev; call Zero when done with it. A Keypair is safe for concurrent
// Sign calls, but not concurrently with Zero.
type Keypair struct {
	secret  [32]byte
	priv    *secp256k1.PrivateKey
	pub     PublicKey
	account AccountID
	zeroed  bool
}

// devNames are Substrate's well-known development accounts.
var devNames = []string{"Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"}

// DevNames returns the names Dev accepts: Alice, Bob, Charlie, Dave, Eve, Ferdie.
func DevNames() []string { return slices.Clone(devNames) }

// Dev returns the development key DevPhrase//name. name is one of DevNames, with or without the
// leading "//" ("Alice" or "//Alice"); other names are rejected with ErrInvalidSURI (use
// FromSURI for arbitrary paths).
func Dev(name string) (*Keypair, error) {
	n := strings.TrimPrefix(name, "//")
	if !slices.Contains(devNames, n) {
		return nil, fmt.Errorf("%w: unknown dev account %q: use one of %s", ErrInvalidSURI, name, strings.Join(devNames, ", "))
	}
	return FromSURI("//" + n)
}

// FromSURI derives a key pair from a secret URI (see ParseSURI): a mnemonic or a 0x + 64-hex
// secret seed, then hard junctions left to right, with the optional ///password salting the
// mnemonic. A password cannot be combined with a 0x seed (Substrate would silently ignore it;
// btui refuses). Errors wrap ErrInvalidSURI, ErrSoftJunction, ErrInvalidMnemonic or
// ErrInvalidSecret.
func FromSURI(suri string) (*Keypair, error) {
	s, err := ParseSURI(suri)
	if err != nil {
		return nil, err
	}
	var secret [32]byte
	defer clear(secret[:])
	if s.IsSeed() {
		if s.Password != "" {
			return nil, fmt.Errorf("%w: a ///password only applies to a mnemonic, not to a 0x seed", ErrInvalidSURI)
		}
		if secret, err = parseHexSeed(s.Phrase); err != nil {
			return nil, err
		}
	} else if secret, err = secretFromMnemonic(s.Phrase, s.Password); err != nil {
		return nil, err
	}
	// The root secret must itself be a valid key (Substrate builds the root pair first).
	if err := checkSecret(&secret); err != nil {
		return nil, err
	}
	for _, j := range s.Junctions {
		cc := j.ChainCode()
		secret = deriveHard(&secret, &cc)
	}
	return fromSecret(&secret)
}

// parseHexSeed parses "0x" + 64 hex digits (either case).
func parseHexSeed(s string) ([32]byte, error) {
	var seed [32]byte
	h := strings.TrimPrefix(s, "0x")
	if len(h) != 64 {
		return seed, fmt.Errorf("%w: a 0x seed has 64 hex digits (32 bytes), this one has %d", ErrInvalidSecret, len(h))
	}
	if _, err := hex.Decode(seed[:], []byte(h)); err != nil {
		clear(seed[:])
		return seed, fmt.Errorf("%w: the 0x seed is not valid hex", ErrInvalidSecret)
	}
	return seed, nil
}

// FromSeed builds a key pair from a 32-byte secret key (the "secret seed" of Substrate's ECDSA
// scheme). A secret equal to 0 or not below the curve order n is rejected with
// ErrInvalidSecret, as Substrate does; it is never reduced mod n. The caller keeps ownership of
// seed.
func FromSeed(seed []byte) (*Keypair, error) {
	if len(seed) != 32 {
		return nil, fmt.Errorf("%w: the seed is %d bytes, want 32", ErrInvalidSecret, len(seed))
	}
	var secret [32]byte
	copy(secret[:], seed)
	defer clear(secret[:])
	return fromSecret(&secret)
}

// checkSecret rejects 0 and values >= n.
func checkSecret(secret *[32]byte) error {
	var k secp256k1.ModNScalar
	overflow := k.SetBytes(secret) != 0
	zero := k.IsZero()
	k.Zero()
	switch {
	case overflow:
		return fmt.Errorf("%w: the secret is not below the secp256k1 group order", ErrInvalidSecret)
	case zero:
		return fmt.Errorf("%w: the secret is zero", ErrInvalidSecret)
	}
	return nil
}

func fromSecret(secret *[32]byte) (*Keypair, error) {
	var k secp256k1.ModNScalar
	if overflow := k.SetBytes(secret); overflow != 0 {
		k.Zero()
		return nil, fmt.Errorf("%w: the secret is not below the secp256k1 group order", ErrInvalidSecret)
	}
	if k.IsZero() {
		return nil, fmt.Errorf("%w: the secret is zero", ErrInvalidSecret)
	}
	kp := &Keypair{secret: *secret, priv: secp256k1.NewPrivateKey(&k)}
	k.Zero()
	copy(kp.pub[:], kp.priv.PubKey().SerializeCompressed())
	kp.account = kp.pub.AccountID()
	return kp, nil
}

// String describes the key by its address only, never its secret.
func (k *Keypair) String() string { return "Keypair(" + k.Address() + ")" }

// Format makes every fmt verb (%v, %+v, %#v, %x, %d, ...) print String, so a Keypair passed to
// a logger or fmt never shows its secret.
func (k *Keypair) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// Seed returns the 32-byte secret key. The copy is the caller's to wipe.
func (k *Keypair) Seed() [32]byte { return k.secret }

// PublicKey returns the compressed public key.
func (k *Keypair) PublicKey() PublicKey { return k.pub }

// AccountID returns blake2b-256 of the public key.
func (k *Keypair) AccountID() AccountID { return k.account }

// Address returns the SS58 address (prefix 42) of the account.
func (k *Keypair) Address() string { return k.account.SS58() }

// Sign signs blake2b-256(msg) as Substrate's ecdsa::Pair::sign does: RFC 6979 deterministic
// nonce, low-S, r || s || v with v in {0, 1}. The same key and message always give the same
// signature. Sign panics if the key was wiped with Zero.
func (k *Keypair) Sign(msg []byte) Signature {
	if k.zeroed || k.priv == nil {
		panic("wallet: Sign called on a Keypair that was wiped with Zero or not built by FromSURI, FromSeed or Dev")
	}
	digest := blake2b.Sum256(msg)
	c := ecdsa.SignCompact(k.priv, digest[:], true) // [27+4+v] || r || s
	var sig Signature
	copy(sig[:64], c[1:])
	sig[64] = c[0] - compactMagicCompressed
	return sig
}

// Zero wipes the secret key. The public key and account id stay readable; Sign panics
// afterwards.
func (k *Keypair) Zero() {
	clear(k.secret[:])
	if k.priv != nil {
		k.priv.Zero()
	}
	k.zeroed = true
}

// compactMagicCompressed is decred's compact-signature header for a compressed key with
// recovery id 0 (27 + 4).
const compactMagicCompressed = 27 + 4

// checkCanonical returns ErrRecoveryID, ErrBadSignature or ErrHighS for a signature that is not
// in canonical Substrate form (v in {0, 1}, s < n/2).
func checkCanonical(sig *Signature) error {
	if sig[64] > 1 {
		return fmt.Errorf("%w: got %d", ErrRecoveryID, sig[64])
	}
	var s secp256k1.ModNScalar
	if overflow := s.SetByteSlice(sig[32:64]); overflow {
		return fmt.Errorf("%w: s is not below the group order", ErrBadSignature)
	}
	if s.IsOverHalfOrder() {
		return ErrHighS
	}
	return nil
}

// Recover returns the public key that produced sig over msg (signed as Sign does). It rejects
// v > 1 (ErrRecoveryID), high-S (ErrHighS), and r or s out of range or an unrecoverable point
// (ErrBadSignature).
func Recover(msg []byte, sig Signature) (PublicKey, error) {
	if err := checkCanonical(&sig); err != nil {
		return PublicKey{}, err
	}
	digest := blake2b.Sum256(msg)
	out, _, err := recoverDigest(&digest, &sig)
	return out, err
}

// recoverDigest is Recover for a canonical signature over digest; it also returns the parsed
// key.
func recoverDigest(digest *[32]byte, sig *Signature) (PublicKey, *secp256k1.PublicKey, error) {
	var c [65]byte
	c[0] = sig[64] + compactMagicCompressed
	copy(c[1:], sig[:64])
	pk, _, err := ecdsa.RecoverCompact(c[:], digest[:])
	if err != nil {
		return PublicKey{}, nil, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	var out PublicKey
	copy(out[:], pk.SerializeCompressed())
	return out, pk, nil
}

// Verify returns nil if and only if sig is a valid canonical signature of msg by the account
// who: exactly when recovering the signer's public key gives who's key. Once who's key is
// known it is checked against the signature directly (verify_known.go), otherwise recovered and
// compared by account id. Errors wrap ErrBadSignature, ErrHighS or ErrRecoveryID.
func Verify(msg []byte, sig Signature, who AccountID) error {
	if err := checkCanonical(&sig); err != nil {
		return err
	}
	digest := blake2b.Sum256(msg)
	// With who's key known, check the signature against it (verify_known.go: accepted exactly
	// when recovery would return that key); anything else takes the recovery path below, which
	// also names the error.
	if pk := knownKey(who); pk != nil && verifyKnown(&digest, &sig, pk) {
		return nil
	}
	pub, pk, err := recoverDigest(&digest, &sig)
	if err != nil {
		return err
	}
	if pub.AccountID() != who {
		return fmt.Errorf("%w: it was not made by %s over this message", ErrBadSignature, who.SS58())
	}
	rememberKey(who, pk)
	return nil
}
