package wallet

import (
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	schnorrkel "github.com/ChainSafe/go-schnorrkel"
)

// sr25519 keys, as sp_core::sr25519, polkadot.js (keyring type "sr25519"), btcli and the
// bittensor SDK make them:
//
//	mini secret = first 32 bytes of the substrate-bip39 seed (as ECDSA's secret)
//	secret key  = schnorrkel ExpandEd25519(mini): SHA-512, clamp, divide by the cofactor;
//	              scalar(32) || nonce(32)
//	public key  = 32-byte ristretto255 point = the AccountId (no hashing)
//	//hard      = HardDeriveMiniSecretKey(chain code) of the current secret, then ExpandEd25519
//	/soft       = DeriveKeySimple(chain code): public-key derivation
//	signature   = schnorrkel over the "substrate" signing context, 64 bytes, randomized nonce
//
// Every curve and transcript operation is go-schnorrkel's; this file only wires them.

// SrSigningContext is the signing context Substrate uses for sr25519 signatures.
var SrSigningContext = []byte("substrate")

// SrPublicKey is a 32-byte sr25519 public key; it is also the AccountId.
type SrPublicKey [32]byte

// AccountID returns the key itself as an account id.
func (p SrPublicKey) AccountID() AccountID { return AccountID(p) }

// Hex returns the key as 0x-prefixed lower-case hex.
func (p SrPublicKey) Hex() string { return "0x" + hex.EncodeToString(p[:]) }

// String returns Hex.
func (p SrPublicKey) String() string { return p.Hex() }

// SrSignature is a 64-byte schnorrkel signature (R || s, with the schnorrkel marker bit set).
type SrSignature [64]byte

// Hex returns the signature as 0x-prefixed lower-case hex.
func (s SrSignature) Hex() string { return "0x" + hex.EncodeToString(s[:]) }

// String returns Hex.
func (s SrSignature) String() string { return s.Hex() }

// SrKeypair is an sr25519 key pair. Create it with SrFromSURI, SrFromMiniSecret,
// SrFromSecretKey or SrDev; call Zero when done.
type SrKeypair struct {
	// mini is the 32-byte mini secret the key expands from; hasMini is false for keys reached
	// by a soft junction or loaded from a 64-byte secret key (they have no mini secret).
	mini    [32]byte
	hasMini bool
	// key is the canonical scalar and nonce the nonce: schnorrkel's 64-byte secret key form.
	key, nonce [32]byte
	sk         *schnorrkel.SecretKey
	pub        SrPublicKey
	zeroed     bool
}

// SrFromSURI derives an sr25519 key pair from a secret URI: a mnemonic or a 0x + 64-hex mini
// secret, then hard ("//x") and soft ("/x") junctions left to right, with the optional
// ///password salting the mnemonic. Errors wrap ErrInvalidSURI, ErrInvalidMnemonic or
// ErrInvalidSecret.
func SrFromSURI(suri string) (*SrKeypair, error) {
	s, err := ParseSURIScheme(Sr25519, suri)
	if err != nil {
		return nil, err
	}
	var mini [32]byte
	defer clear(mini[:])
	if s.IsSeed() {
		if s.Password != "" {
			return nil, fmt.Errorf("%w: a ///password only applies to a mnemonic, not to a 0x seed", ErrInvalidSURI)
		}
		if mini, err = parseHexSeed(s.Phrase); err != nil {
			return nil, err
		}
	} else if mini, err = secretFromMnemonic(s.Phrase, s.Password); err != nil {
		return nil, err
	}
	kp, err := SrFromMiniSecret(mini[:])
	if err != nil {
		return nil, err
	}
	for _, j := range s.Junctions {
		next, err := kp.derive(j)
		kp.Zero()
		if err != nil {
			return nil, err
		}
		kp = next
	}
	return kp, nil
}

// SrDev returns the sr25519 development key DevPhrase//name (name one of DevNames, with or
// without the leading "//"). //Alice is 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.
func SrDev(name string) (*SrKeypair, error) {
	n := strings.TrimPrefix(name, "//")
	if !slices.Contains(devNames, n) {
		return nil, fmt.Errorf("%w: unknown dev account %q: use one of %s", ErrInvalidSURI, name, strings.Join(devNames, ", "))
	}
	return SrFromSURI("//" + n)
}

// SrFromMiniSecret builds the key pair of a 32-byte mini secret (btcli's "secretSeed",
// polkadot.js's seed). The caller keeps ownership of mini.
func SrFromMiniSecret(mini []byte) (*SrKeypair, error) {
	if len(mini) != 32 {
		return nil, fmt.Errorf("%w: an sr25519 mini secret is 32 bytes, got %d", ErrInvalidSecret, len(mini))
	}
	var m [32]byte
	copy(m[:], mini)
	defer clear(m[:])
	msk, err := schnorrkel.NewMiniSecretKeyFromRaw(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidSecret, err)
	}
	sk := msk.ExpandEd25519()
	// ExpandEd25519's nonce is the upper half of SHA-512(mini); go-schnorrkel keeps it private,
	// so take it from the same hash to be able to write the 64-byte secret key.
	h := sha512.Sum512(m[:])
	var nonce [32]byte
	copy(nonce[:], h[32:])
	clear(h[:])
	kp, err := srFromParts(sk.Encode(), nonce)
	if err != nil {
		return nil, err
	}
	kp.mini, kp.hasMini = m, true
	return kp, nil
}

// SrFromSecretKey builds a key pair from schnorrkel's 64-byte secret key (canonical scalar ||
// nonce: btcli's "privateKey", the pkcs8 secret of polkadot.js). Such a key has no mini secret.
func SrFromSecretKey(secret []byte) (*SrKeypair, error) {
	if len(secret) != 64 {
		return nil, fmt.Errorf("%w: an sr25519 secret key is 64 bytes (scalar and nonce), got %d", ErrInvalidSecret, len(secret))
	}
	var key, nonce [32]byte
	copy(key[:], secret[:32])
	copy(nonce[:], secret[32:])
	defer clear(key[:])
	defer clear(nonce[:])
	return srFromParts(key, nonce)
}

func srFromParts(key, nonce [32]byte) (*SrKeypair, error) {
	sk := schnorrkel.NewSecretKey(key, nonce)
	pub, err := sk.Public()
	if err != nil {
		return nil, fmt.Errorf("%w: the sr25519 secret scalar is not canonical", ErrInvalidSecret)
	}
	if key == ([32]byte{}) {
		return nil, fmt.Errorf("%w: the secret is zero", ErrInvalidSecret)
	}
	kp := &SrKeypair{key: key, nonce: nonce, sk: sk, pub: SrPublicKey(pub.Encode())}
	return kp, nil
}

// derive applies one junction.
func (k *SrKeypair) derive(j Junction) (*SrKeypair, error) {
	cc := j.ChainCode()
	if !j.Soft {
		msk, _, err := k.sk.HardDeriveMiniSecretKey(nil, cc)
		if err != nil {
			return nil, fmt.Errorf("%w: hard junction //%s: %v", ErrInvalidSecret, j.Text, err)
		}
		m := msk.Encode()
		defer clear(m[:])
		return SrFromMiniSecret(m[:])
	}
	ek, err := schnorrkel.DeriveKeySimple(k.sk, nil, cc)
	if err != nil {
		return nil, fmt.Errorf("%w: soft junction /%s: %v", ErrInvalidSecret, j.Text, err)
	}
	dsk, err := ek.Secret()
	if err != nil {
		return nil, fmt.Errorf("%w: soft junction /%s: %v", ErrInvalidSecret, j.Text, err)
	}
	// Soft derivation gives the child a fresh random nonce (as schnorrkel does); go-schnorrkel
	// keeps it private, so rebuild the secret key with the parent's nonce mixed by SHA-512: the
	// nonce only seeds signing randomness and never changes the public key.
	h := sha512.Sum512(append(append([]byte("btui sr25519 soft nonce"), k.nonce[:]...), cc[:]...))
	var nonce [32]byte
	copy(nonce[:], h[:32])
	clear(h[:])
	return srFromParts(dsk.Encode(), nonce)
}

// Scheme returns Sr25519.
func (k *SrKeypair) Scheme() Scheme { return Sr25519 }

// PublicKey returns the 32-byte public key.
func (k *SrKeypair) PublicKey() SrPublicKey { return k.pub }

// PublicBytes returns the 32-byte public key.
func (k *SrKeypair) PublicBytes() []byte { p := k.pub; return p[:] }

// AccountID returns the public key as an account id.
func (k *SrKeypair) AccountID() AccountID { return AccountID(k.pub) }

// Address returns the SS58 address (prefix 42).
func (k *SrKeypair) Address() string { return k.AccountID().SS58() }

// MiniSecret returns the 32-byte mini secret and true, or false for a key that has none (a
// soft-derived key or one loaded from a 64-byte secret key). The copy is the caller's to wipe.
func (k *SrKeypair) MiniSecret() ([32]byte, bool) { return k.mini, k.hasMini }

// SecretKey returns schnorrkel's 64-byte secret key: canonical scalar || nonce (btcli's
// "privateKey"). The copy is the caller's to wipe.
func (k *SrKeypair) SecretKey() [64]byte {
	var out [64]byte
	copy(out[:32], k.key[:])
	copy(out[32:], k.nonce[:])
	return out
}

// String describes the key by scheme and address only, never its secret.
func (k *SrKeypair) String() string { return "SrKeypair(" + k.Address() + ")" }

// Format makes every fmt verb print String, so the secret never reaches a log.
func (k *SrKeypair) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// Sign signs msg with the "substrate" signing context, as polkadot.js pair.sign(msg) and
// btcli's wallet sign do (the message bytes, no pre-hash). Signatures are randomized: two
// signatures of the same message differ, and both verify. Sign panics if the key was wiped.
func (k *SrKeypair) Sign(msg []byte) SrSignature {
	if k.zeroed || k.sk == nil {
		panic("wallet: Sign called on an SrKeypair that was wiped with Zero or not built by SrFromSURI, SrFromMiniSecret, SrFromSecretKey or SrDev")
	}
	sig, err := k.sk.Sign(schnorrkel.NewSigningContext(SrSigningContext, msg))
	if err != nil {
		// Only a failing system random source or a non-canonical scalar (rejected when the key
		// was built) gets here.
		panic("wallet: sr25519 signing failed: " + err.Error())
	}
	return SrSignature(sig.Encode())
}

// SignBytes is Sign as a byte slice (64 bytes).
func (k *SrKeypair) SignBytes(msg []byte) []byte { s := k.Sign(msg); return s[:] }

// Zero wipes the secret. The public key stays readable; Sign panics afterwards.
func (k *SrKeypair) Zero() {
	clear(k.mini[:])
	clear(k.key[:])
	clear(k.nonce[:])
	if k.sk != nil {
		// Overwrite the library's copy too.
		_ = k.sk.Decode([32]byte{})
		k.sk = nil
	}
	k.zeroed = true
}

// ParseSrPublicKey parses a 32-byte sr25519 public key given as hex (with or without 0x) and
// checks that it is a valid ristretto255 point.
func ParseSrPublicKey(s string) (SrPublicKey, error) {
	h := strings.TrimPrefix(s, "0x")
	var pub SrPublicKey
	if len(h) != 64 {
		return pub, fmt.Errorf("an sr25519 public key is 32 bytes (64 hex digits), got %d digits", len(h))
	}
	if _, err := hex.Decode(pub[:], []byte(h)); err != nil {
		return SrPublicKey{}, fmt.Errorf("the public key is not hex")
	}
	if _, err := schnorrkel.NewPublicKey(pub); err != nil {
		return SrPublicKey{}, fmt.Errorf("the public key is not a valid sr25519 (ristretto255) point")
	}
	return pub, nil
}

// SrVerify returns nil if and only if sig is a valid sr25519 signature of msg (in the
// "substrate" context) by pub. Errors wrap ErrBadSignature.
func SrVerify(msg []byte, sig SrSignature, pub SrPublicKey) error {
	pk, err := schnorrkel.NewPublicKey(pub)
	if err != nil {
		return fmt.Errorf("%w: %s is not a valid sr25519 public key", ErrBadSignature, pub.AccountID().SS58())
	}
	var s schnorrkel.Signature
	if err := s.Decode(sig); err != nil {
		return fmt.Errorf("%w: not an sr25519 signature: %v", ErrBadSignature, err)
	}
	ok, err := pk.Verify(&s, schnorrkel.NewSigningContext(SrSigningContext, msg))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	if !ok {
		return fmt.Errorf("%w: it was not made by %s over this message", ErrBadSignature, pub.AccountID().SS58())
	}
	return nil
}

// SrFromEd25519Bytes builds a key pair from the 64-byte "ed25519 form" of a schnorrkel secret
// key (scalar times the cofactor 8 || nonce), the form polkadot.js keeps (the pkcs8 secret of
// its keyring JSON). go-schnorrkel divides the scalar by the cofactor.
func SrFromEd25519Bytes(b []byte) (*SrKeypair, error) {
	if len(b) != 64 {
		return nil, fmt.Errorf("%w: an sr25519 secret key is 64 bytes, got %d", ErrInvalidSecret, len(b))
	}
	var in [64]byte
	copy(in[:], b)
	defer clear(in[:])
	sk := schnorrkel.NewSecretKeyFromEd25519Bytes(in)
	var nonce [32]byte
	copy(nonce[:], in[32:])
	defer clear(nonce[:])
	return srFromParts(sk.Encode(), nonce)
}

// Ed25519Bytes returns the secret key in polkadot.js's "ed25519 form": the scalar multiplied
// by the cofactor 8 (a 3-bit left shift of the little-endian bytes, as schnorrkel's
// to_ed25519_bytes does; the canonical scalar is below 2^253, so it fits) || nonce. The copy
// is the caller's to wipe.
func (k *SrKeypair) Ed25519Bytes() [64]byte {
	var out [64]byte
	var carry byte
	for i := 0; i < 32; i++ {
		out[i] = k.key[i]<<3 | carry
		carry = k.key[i] >> 5
	}
	copy(out[32:], k.nonce[:])
	return out
}
