package wallet

import (
	"fmt"
	"strings"
)

// Scheme is a signature scheme. Every key carries one: the same mnemonic gives a different
// account under each scheme. The zero value is Ecdsa, btui's default for new keys.
type Scheme uint8

const (
	// Ecdsa is Substrate's secp256k1 ECDSA scheme (sp_core::ecdsa): 33-byte compressed public
	// keys, AccountId = blake2b-256(public key), 65-byte recoverable signatures.
	Ecdsa Scheme = iota
	// Sr25519 is Schnorrkel over ristretto255 (sp_core::sr25519), the scheme btcli and the
	// bittensor SDK use: 32-byte public keys that are the AccountId, 64-byte randomized
	// signatures.
	Sr25519
)

// Schemes lists the supported schemes in a fixed order.
func Schemes() []Scheme { return []Scheme{Sr25519, Ecdsa} }

// String returns "ecdsa" or "sr25519" (the names of --crypto-type and of key files).
func (s Scheme) String() string {
	switch s {
	case Ecdsa:
		return "ecdsa"
	case Sr25519:
		return "sr25519"
	}
	return fmt.Sprintf("scheme(%d)", uint8(s))
}

// ParseScheme parses "sr25519" or "ecdsa" (case-insensitive).
func ParseScheme(name string) (Scheme, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "ecdsa", "secp256k1":
		return Ecdsa, nil
	case "sr25519", "sr":
		return Sr25519, nil
	}
	return 0, fmt.Errorf("%w: unknown crypto type %q: use sr25519 or ecdsa", ErrInvalidScheme, name)
}

// MultiSignatureIndex is the scheme's variant index in Substrate's MultiSignature and
// MultiSigner enums (Ed25519 = 0, Sr25519 = 1, Ecdsa = 2).
func (s Scheme) MultiSignatureIndex() byte {
	if s == Sr25519 {
		return 1
	}
	return 2
}

// SchemeFromMultiSignatureIndex is the inverse of MultiSignatureIndex; Ed25519 (0) and unknown
// indices are rejected.
func SchemeFromMultiSignatureIndex(i byte) (Scheme, error) {
	switch i {
	case 1:
		return Sr25519, nil
	case 2:
		return Ecdsa, nil
	case 0:
		return 0, fmt.Errorf("%w: ed25519 signatures (MultiSignature index 0) are not supported", ErrInvalidScheme)
	}
	return 0, fmt.Errorf("%w: MultiSignature index %d", ErrInvalidScheme, i)
}

// SignatureLen is the length of a signature of the scheme: 65 (ECDSA) or 64 (sr25519).
func (s Scheme) SignatureLen() int {
	if s == Sr25519 {
		return 64
	}
	return 65
}

// PublicKeyLen is the length of a public key of the scheme: 33 (ECDSA) or 32 (sr25519).
func (s Scheme) PublicKeyLen() int {
	if s == Sr25519 {
		return 32
	}
	return 33
}

// Pair is a key pair of either scheme, for code that signs and shows addresses without caring
// which scheme it is. *Keypair (ECDSA) and *SrKeypair (sr25519) implement it.
type Pair interface {
	// Scheme is the key's signature scheme.
	Scheme() Scheme
	// AccountID is the 32-byte account (blake2b of the ECDSA key; the sr25519 key itself).
	AccountID() AccountID
	// Address is the account's SS58 address (prefix 42).
	Address() string
	// PublicBytes is the public key: 33 bytes (ECDSA) or 32 bytes (sr25519).
	PublicBytes() []byte
	// SignBytes signs msg as the scheme signs on Substrate (ECDSA: blake2b-256 first, 65
	// bytes; sr25519: the "substrate" context, 64 bytes, randomized).
	SignBytes(msg []byte) []byte
	// Zero wipes the secret; signing panics afterwards.
	Zero()
	// String names the key by scheme and address, never its secret.
	String() string
}

var (
	_ Pair = (*Keypair)(nil)
	_ Pair = (*SrKeypair)(nil)
)

// Scheme returns Ecdsa.
func (k *Keypair) Scheme() Scheme { return Ecdsa }

// PublicBytes returns the 33-byte compressed public key.
func (k *Keypair) PublicBytes() []byte { p := k.pub; return p[:] }

// SignBytes is Sign as a byte slice (65 bytes).
func (k *Keypair) SignBytes(msg []byte) []byte { s := k.Sign(msg); return s[:] }

// PairFromSURI derives a key pair of the scheme from a secret URI (see FromSURI and
// SrFromSURI).
func PairFromSURI(scheme Scheme, suri string) (Pair, error) {
	switch scheme {
	case Ecdsa:
		return FromSURI(suri)
	case Sr25519:
		return SrFromSURI(suri)
	}
	return nil, fmt.Errorf("%w: %v", ErrInvalidScheme, scheme)
}

// DevPair returns the development key DevPhrase//name under the scheme: //Alice is
// 5C7C2Z5s... as ECDSA and 5GrwvaEF... as sr25519.
func DevPair(scheme Scheme, name string) (Pair, error) {
	switch scheme {
	case Ecdsa:
		return Dev(name)
	case Sr25519:
		return SrDev(name)
	}
	return nil, fmt.Errorf("%w: %v", ErrInvalidScheme, scheme)
}

// VerifyScheme checks that sig is a valid signature of msg by the account who under the
// scheme. For both schemes the account is enough (ECDSA recovers the key; an sr25519 account
// is its public key). Errors wrap ErrBadSignature (or ErrHighS, ErrRecoveryID).
func VerifyScheme(scheme Scheme, msg, sig []byte, who AccountID) error {
	if len(sig) != scheme.SignatureLen() {
		return fmt.Errorf("%w: an %s signature is %d bytes, got %d", ErrBadSignature, scheme, scheme.SignatureLen(), len(sig))
	}
	switch scheme {
	case Ecdsa:
		return Verify(msg, Signature(sig), who)
	case Sr25519:
		return SrVerify(msg, SrSignature(sig), SrPublicKey(who))
	}
	return fmt.Errorf("%w: %v", ErrInvalidScheme, scheme)
}

// VerifyAny verifies sig by its length: 65 bytes is ECDSA, 64 bytes sr25519. It returns the
// scheme that verified.
func VerifyAny(msg, sig []byte, who AccountID) (Scheme, error) {
	switch len(sig) {
	case 65:
		return Ecdsa, VerifyScheme(Ecdsa, msg, sig, who)
	case 64:
		return Sr25519, VerifyScheme(Sr25519, msg, sig, who)
	}
	return 0, fmt.Errorf("%w: a signature is 64 bytes (sr25519) or 65 bytes (ecdsa), got %d", ErrBadSignature, len(sig))
}
