package keystore

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/btui/btui/wallet"
	"golang.org/x/crypto/chacha20poly1305"
)

// Keyfile format, version 1.
//
// An encrypted keyfile (every coldkey unless created with --no-password, and hotkeys created
// with --use-password):
//
//	{
//	  "version": 1,
//	  "key_type": "ecdsa",
//	  "address": "5C7C2Z5s...",                  SS58, prefix 42
//	  "public_key": "0x020a10...",               33-byte compressed secp256k1 key
//	  "crypto": {
//	    "kdf": "argon2id",
//	    "kdfparams": {"time": 3, "memory_kib": 65536, "threads": 4, "salt": "<hex, 16 bytes>"},
//	    "cipher": "xchacha20-poly1305",
//	    "cipherparams": {"nonce": "<hex, 24 bytes>"},
//	    "ciphertext": "<hex>"
//	  }
//	}
//
// key = argon2id(password, salt, time, memory, threads, 32 bytes), exactly as typed. The
// ciphertext is XChaCha20-Poly1305 over the secret material
//
//	0x01 || seed(32) || u16be len || mnemonic || u16be len || path
//
// with a random nonce per write, and with associated data binding every other field:
//
//	"btui keyfile\x00" || u32be version || lp(key_type) || lp(address) || lp(public_key)
//	|| lp(kdf) || u32be time || u32be memory || u8 threads || lp(salt) || lp(cipher)
//
// (lp = u32be length || bytes, strings exactly as stored). The Poly1305 tag (the last 16 bytes
// of the ciphertext) is the MAC; it is checked in constant time by the AEAD. Changing any field
// or using another password therefore fails with ErrDecrypt, and nothing is returned. After
// decryption the seed is turned into a key pair and checked against the stored address and
// public key.
//
// A plaintext keyfile (hotkeys by default, as btcli does for unattended signing, and dev
// coldkeys created with --no-password) has a "secret": {"seed": "0x..."} section instead of
// "crypto". It holds the 32-byte secret seed only, never the mnemonic.
const (
	// Version is the keyfile version this build writes and reads.
	Version = 1
	// KeyTypeECDSA is the key type of Substrate-compatible secp256k1 ECDSA keys, btui's default.
	KeyTypeECDSA = "ecdsa"
	// KeyTypeSr25519 is the key type of sr25519 keys (the scheme of btcli and the bittensor
	// SDK). Their public_key is the 32-byte key (= the account id); a plaintext file holds the
	// 32-byte mini secret as "seed", or, for a key reached by a soft junction (which has no
	// mini secret), schnorrkel's 64-byte secret key as "secret_key". Encrypted, the secret
	// material starts with 0x01 and the 32-byte seed, or 0x02 and the 64-byte secret key.
	KeyTypeSr25519 = "sr25519"

	kdfArgon2id   = "argon2id"
	cipherXChaCha = "xchacha20-poly1305"
	adDomain      = "btui keyfile\x00"
	secretFormat  = 0x01
	secretFormat2 = 0x02 // sr25519 64-byte secret key instead of a 32-byte seed
	maxSecretLen  = 4096 // bytes each for mnemonic and path
)

type keyfileJSON struct {
	Version   int         `json:"version"`
	KeyType   string      `json:"key_type"`
	Address   string      `json:"address"`
	PublicKey string      `json:"public_key"`
	Crypto    *cryptoJSON `json:"crypto,omitempty"`
	Secret    *secretJSON `json:"secret,omitempty"`
}

type cryptoJSON struct {
	KDF          string           `json:"kdf"`
	KDFParams    kdfParamsJSON    `json:"kdfparams"`
	Cipher       string           `json:"cipher"`
	CipherParams cipherParamsJSON `json:"cipherparams"`
	Ciphertext   string           `json:"ciphertext"`
}

type kdfParamsJSON struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
	Salt      string `json:"salt"`
}

type cipherParamsJSON struct {
	Nonce string `json:"nonce"`
}

type secretJSON struct {
	Seed      string `json:"seed,omitempty"`
	SecretKey string `json:"secret_key,omitempty"`
}

// Keyfile is a decoded keyfile: btui's own format, or one of btcli's (see btcli.go).
// DecodeKeyfile checks only its structure; the public fields of an encrypted file are
// authenticated by Decrypt, not before.
type Keyfile struct {
	doc    keyfileJSON
	format Format
	// btcli is a plaintext btcli keyfile (FormatBtcli, not encrypted).
	btcli *btcliJSON
	// nacl is the whole of a btcli $NACL file (FormatBtcli, encrypted).
	nacl []byte
}

// Key is a decrypted key: the key pair and, when the file kept them, the mnemonic and the
// derivation path (which may end in ///password). Call Zero when done.
type Key struct {
	// Pair is the key pair of either scheme; always set.
	Pair wallet.Pair
	// Keypair is Pair when the key is ECDSA, nil for an sr25519 key (code that signs with
	// any scheme uses Pair).
	Keypair  *wallet.Keypair
	Mnemonic []byte
	Path     []byte
}

// newKey wraps a pair.
func newKey(p wallet.Pair, mnemonic, path []byte) *Key {
	k := &Key{Pair: p, Mnemonic: mnemonic, Path: path}
	if e, ok := p.(*wallet.Keypair); ok {
		k.Keypair = e
	}
	return k
}

// Scheme is the key's signature scheme.
func (k *Key) Scheme() wallet.Scheme { return k.Pair.Scheme() }

// Zero wipes the secret key, mnemonic and path.
func (k *Key) Zero() {
	if k == nil {
		return
	}
	if k.Pair != nil {
		k.Pair.Zero()
	}
	if k.Keypair != nil {
		k.Keypair.Zero()
	}
	clear(k.Mnemonic)
	clear(k.Path)
}

// NewKey is a key to be written.
type NewKey struct {
	// Pair is the key of either scheme; Keypair is the older field for an ECDSA key. Set one.
	Pair    wallet.Pair
	Keypair *wallet.Keypair
	// Mnemonic and Path are kept inside encrypted files only; a plaintext file holds the seed.
	Mnemonic []byte
	Path     []byte
	// Encrypt selects an encrypted file; Password must then be non-empty. It is used exactly
	// as given.
	Encrypt  bool
	Password []byte
}

// pair returns the key to write.
func (nk NewKey) pair() wallet.Pair {
	if nk.Pair != nil {
		return nk.Pair
	}
	if nk.Keypair != nil {
		return nk.Keypair
	}
	return nil
}

// PublicInfo is what can be known about a key without its password.
type PublicInfo struct {
	// KeyType is "ecdsa" or "sr25519" (KeyTypeECDSA, KeyTypeSr25519); empty means ecdsa.
	KeyType   string
	AccountID wallet.AccountID
	// PublicKey is the 33-byte ECDSA key; the zero value when it is unknown (a coldkeypub.txt
	// restored from an SS58 address only) or when the key is sr25519 (whose public key is the
	// account id); see HasPublicKey and PublicKeyHex.
	PublicKey wallet.PublicKey
	// Encrypted is false for plaintext keyfiles and for coldkeypub.txt.
	Encrypted bool
	// Format is the file format the information came from (btui's or btcli's).
	Format Format
	// Sealed is set for a btcli $NACL coldkey: its address is inside the encryption, so
	// AccountID is unknown (zero) until it is unlocked; coldkeypub.txt names it.
	Sealed bool
}

// Scheme returns the key's signature scheme (from KeyType).
func (p PublicInfo) Scheme() wallet.Scheme {
	if p.KeyType == KeyTypeSr25519 {
		return wallet.Sr25519
	}
	return wallet.Ecdsa
}

// Address returns the SS58 address.
func (p PublicInfo) Address() string { return p.AccountID.SS58() }

// HasPublicKey reports whether the public key is known (always for sr25519, whose public key
// is the account id).
func (p PublicInfo) HasPublicKey() bool {
	if p.Scheme() == wallet.Sr25519 {
		return p.AccountID != wallet.AccountID{}
	}
	return p.PublicKey != wallet.PublicKey{}
}

// PublicKeyHex returns the public key as 0x hex, or "" when it is unknown.
func (p PublicInfo) PublicKeyHex() string {
	switch {
	case !p.HasPublicKey():
		return ""
	case p.Scheme() == wallet.Sr25519:
		return p.AccountID.Hex()
	}
	return p.PublicKey.Hex()
}

// keyTypeOf returns the key type name of a scheme.
func keyTypeOf(s wallet.Scheme) string {
	if s == wallet.Sr25519 {
		return KeyTypeSr25519
	}
	return KeyTypeECDSA
}

// DecodeKeyfile parses a keyfile. It checks the version (ErrUnsupportedVersion) and the
// structure (ErrInvalidKeyfile); it does not run the KDF. Decoding never panics, whatever the
// input.
func DecodeKeyfile(data []byte) (*Keyfile, error) {
	if kf, ok, err := decodeForeign(data); ok {
		return kf, err
	}
	var doc keyfileJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err == nil && doc.Version == Version && !dec.More() {
		return checkSections(doc)
	}
	// Not a well-formed current keyfile: find out why, version first.
	var head struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%w: not a json object", ErrInvalidKeyfile)
	}
	if head.Version == nil {
		return nil, fmt.Errorf("%w: no version field", ErrInvalidKeyfile)
	}
	if *head.Version != Version {
		return nil, fmt.Errorf("%w: version %d (this build reads version %d)", ErrUnsupportedVersion, *head.Version, Version)
	}
	doc = keyfileJSON{}
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidKeyfile, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the json object", ErrInvalidKeyfile)
	}
	return checkSections(doc)
}

// checkSections requires exactly one of the crypto and secret sections.
func checkSections(doc keyfileJSON) (*Keyfile, error) {
	switch {
	case doc.Crypto == nil && doc.Secret == nil:
		return nil, fmt.Errorf("%w: neither a crypto nor a secret section", ErrInvalidKeyfile)
	case doc.Crypto != nil && doc.Secret != nil:
		return nil, fmt.Errorf("%w: both a crypto and a secret section", ErrInvalidKeyfile)
	}
	if doc.Secret != nil && (doc.Secret.Seed == "") == (doc.Secret.SecretKey == "") {
		return nil, fmt.Errorf("%w: the secret section needs exactly one of seed and secret_key", ErrInvalidKeyfile)
	}
	return &Keyfile{doc: doc}, nil
}

// Format returns the keyfile's format: btui's own or btcli's.
func (k *Keyfile) Format() Format { return k.format }

// Encrypted reports whether the keyfile is encrypted.
func (k *Keyfile) Encrypted() bool {
	if k.format == FormatBtcli {
		return k.nacl != nil
	}
	return k.doc.Crypto != nil
}

// KDFParams returns the stored KDF parameters of an encrypted file, as stored (unvalidated).
// For a btcli $NACL file they are btwallet's fixed argon2i parameters (BtcliKDFParams).
func (k *Keyfile) KDFParams() (KDFParams, bool) {
	if k.format == FormatBtcli {
		return BtcliKDFParams(), k.nacl != nil
	}
	if k.doc.Crypto == nil {
		return KDFParams{}, false
	}
	p := k.doc.Crypto.KDFParams
	return KDFParams{Time: p.Time, Memory: p.MemoryKiB, Threads: p.Threads}, true
}

// Public parses the public fields. For an encrypted file they are not authenticated until
// Decrypt succeeds; they are fine to show in a listing.
func (k *Keyfile) Public() (PublicInfo, error) {
	if k.format == FormatBtcli {
		return k.btcliPublic()
	}
	if k.doc.KeyType != KeyTypeECDSA && k.doc.KeyType != KeyTypeSr25519 {
		return PublicInfo{}, fmt.Errorf("%w: key type %q (btui keys are %q or %q)", ErrInvalidKeyfile, k.doc.KeyType, KeyTypeECDSA, KeyTypeSr25519)
	}
	id, err := wallet.ParseAddress(k.doc.Address)
	if err != nil {
		return PublicInfo{}, fmt.Errorf("%w: address: %v", ErrInvalidKeyfile, err)
	}
	if k.doc.KeyType == KeyTypeSr25519 {
		if k.doc.PublicKey != id.Hex() {
			return PublicInfo{}, fmt.Errorf("%w: the address is not the account of the sr25519 public key", ErrInvalidKeyfile)
		}
		return PublicInfo{KeyType: KeyTypeSr25519, AccountID: id, Encrypted: k.Encrypted()}, nil
	}
	pub, err := parsePublicKeyHex(k.doc.PublicKey)
	if err != nil {
		return PublicInfo{}, fmt.Errorf("%w: public key: %v", ErrInvalidKeyfile, err)
	}
	if pub.AccountID() != id {
		return PublicInfo{}, fmt.Errorf("%w: the address is not the account of the public key", ErrInvalidKeyfile)
	}
	return PublicInfo{KeyType: k.doc.KeyType, AccountID: id, PublicKey: pub, Encrypted: k.Encrypted()}, nil
}

// Marshal encodes the keyfile as indented JSON with a trailing newline.
func (k *Keyfile) Marshal() ([]byte, error) {
	if k.format == FormatBtcli {
		return k.btcliMarshal()
	}
	b, err := json.MarshalIndent(&k.doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Decrypt opens the keyfile and returns the key. For an encrypted file the password must be
// the one it was written with, byte for byte; any other password and any modification of the
// file give ErrDecrypt. A plaintext file ignores the password. The decrypted key is checked
// against the stored address and public key (ErrMismatch). On error no key is returned.
func (k *Keyfile) Decrypt(password []byte) (*Key, error) {
	if k.format == FormatBtcli {
		return k.btcliDecrypt(password)
	}
	if err := k.CheckCost(); err != nil {
		return nil, err
	}
	var key *Key
	if sec := k.doc.Secret; sec != nil {
		var pair wallet.Pair
		var err error
		if sec.SecretKey != "" {
			pair, err = pairFromSecret(k.doc.KeyType, secretFormat2, sec.SecretKey)
		} else {
			pair, err = pairFromSecret(k.doc.KeyType, secretFormat, sec.Seed)
		}
		if err != nil {
			return nil, err
		}
		key = newKey(pair, nil, nil)
	} else {
		var err error
		if key, err = k.decryptSecret(password); err != nil {
			return nil, err
		}
	}
	if err := k.checkMatches(key.Pair); err != nil {
		key.Zero()
		return nil, err
	}
	return key, nil
}

// checkMatches compares a key pair with the stored public fields.
func (k *Keyfile) checkMatches(kp wallet.Pair) error {
	id, err := wallet.ParseAddress(k.doc.Address)
	if err != nil || id != kp.AccountID() {
		return fmt.Errorf("%w: the keyfile's secret does not belong to its address %q", ErrMismatch, k.doc.Address)
	}
	if k.doc.PublicKey != "0x"+hex.EncodeToString(kp.PublicBytes()) {
		return fmt.Errorf("%w: the keyfile's secret does not belong to its public key", ErrMismatch)
	}
	if k.doc.KeyType != keyTypeOf(kp.Scheme()) {
		return fmt.Errorf("%w: key type %q, but the secret is an %s key", ErrInvalidKeyfile, k.doc.KeyType, kp.Scheme())
	}
	return nil
}

// pairFromSecret builds a key pair of the key type from a 32-byte seed (format 0x01: the
// ECDSA secret or the sr25519 mini secret) or a 64-byte sr25519 secret key (format 0x02),
// given as 0x hex.
func pairFromSecret(keyType string, format byte, hexSecret string) (wallet.Pair, error) {
	b, err := decodeHex0x(hexSecret)
	if err != nil {
		return nil, fmt.Errorf("%w: secret: %v", ErrInvalidKeyfile, err)
	}
	defer clear(b)
	return pairFromBytes(keyType, format, b)
}

func pairFromBytes(keyType string, format byte, b []byte) (wallet.Pair, error) {
	var p wallet.Pair
	var err error
	switch {
	case keyType == KeyTypeECDSA && format == secretFormat && len(b) == 32:
		p, err = wallet.FromSeed(b)
	case keyType == KeyTypeSr25519 && format == secretFormat && len(b) == 32:
		p, err = wallet.SrFromMiniSecret(b)
	case keyType == KeyTypeSr25519 && format == secretFormat2 && len(b) == 64:
		p, err = wallet.SrFromSecretKey(b)
	default:
		return nil, fmt.Errorf("%w: a %d-byte secret does not fit key type %q", ErrInvalidKeyfile, len(b), keyType)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKeyfile, err)
	}
	return p, nil
}

// secretOf returns the secret material to store for a pair: the 32-byte seed (format 0x01) or,
// for an sr25519 key without a mini secret, the 64-byte secret key (format 0x02). The slice is
// the caller's to wipe.
func secretOf(p wallet.Pair) (byte, []byte) {
	switch k := p.(type) {
	case *wallet.Keypair:
		s := k.Seed()
		return secretFormat, s[:]
	case *wallet.SrKeypair:
		if m, ok := k.MiniSecret(); ok {
			return secretFormat, m[:]
		}
		s := k.SecretKey()
		return secretFormat2, s[:]
	}
	return 0, nil
}

// decryptErr wraps ErrDecrypt with a non-secret reason.
func decryptErr(reason string) error { return fmt.Errorf("%w (%s)", ErrDecrypt, reason) }

func (k *Keyfile) decryptSecret(password []byte) (*Key, error) {
	if len(password) == 0 {
		return nil, fmt.Errorf("%w: encrypted keyfiles need a password", ErrEmptyPassword)
	}
	c := k.doc.Crypto
	if c.KDF != kdfArgon2id {
		return nil, decryptErr(fmt.Sprintf("unknown kdf %q", c.KDF))
	}
	if c.Cipher != cipherXChaCha {
		return nil, decryptErr(fmt.Sprintf("unknown cipher %q", c.Cipher))
	}
	params, _ := k.KDFParams()
	if err := params.Validate(); err != nil {
		return nil, decryptErr(err.Error())
	}
	salt, err := hex.DecodeString(c.KDFParams.Salt)
	if err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return nil, decryptErr("bad salt")
	}
	nonce, err := hex.DecodeString(c.CipherParams.Nonce)
	if err != nil || len(nonce) != chacha20poly1305.NonceSizeX {
		return nil, decryptErr("bad nonce")
	}
	ct, err := hex.DecodeString(c.Ciphertext)
	if err != nil || len(ct) < chacha20poly1305.Overhead+1+32+4 {
		return nil, decryptErr("bad ciphertext")
	}
	dk := params.deriveKey(password, salt)
	aead, err := chacha20poly1305.NewX(dk)
	clear(dk)
	if err != nil {
		return nil, decryptErr(err.Error())
	}
	pt, err := aead.Open(nil, nonce, ct, k.associatedData(params, salt))
	if err != nil {
		return nil, ErrDecrypt
	}
	defer clear(pt)
	seed, mnemonic, path, err := parseSecret(pt)
	if err != nil {
		return nil, err
	}
	kp, err := pairFromBytes(k.doc.KeyType, pt[0], seed)
	if err != nil {
		return nil, err
	}
	return newKey(kp, bytes.Clone(mnemonic), bytes.Clone(path)), nil
}

// associatedData binds every stored field except the nonce and the ciphertext.
func (k *Keyfile) associatedData(p KDFParams, salt []byte) []byte {
	c := k.doc.Crypto
	b := make([]byte, 0, 256)
	b = append(b, adDomain...)
	b = binary.BigEndian.AppendUint32(b, uint32(k.doc.Version))
	b = appendLP(b, []byte(k.doc.KeyType))
	b = appendLP(b, []byte(k.doc.Address))
	b = appendLP(b, []byte(k.doc.PublicKey))
	b = appendLP(b, []byte(c.KDF))
	b = binary.BigEndian.AppendUint32(b, p.Time)
	b = binary.BigEndian.AppendUint32(b, p.Memory)
	b = append(b, p.Threads)
	b = appendLP(b, salt)
	b = appendLP(b, []byte(c.Cipher))
	return b
}

func appendLP(b, s []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// encodeSecret builds format || seed || u16 len || mnemonic || u16 len || path, with a 32-byte
// seed for format 0x01 and a 64-byte sr25519 secret key for format 0x02.
func encodeSecret(format byte, seed []byte, mnemonic, path []byte) []byte {
	b := make([]byte, 0, 1+len(seed)+2+len(mnemonic)+2+len(path))
	b = append(b, format)
	b = append(b, seed...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(mnemonic)))
	b = append(b, mnemonic...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(path)))
	return append(b, path...)
}

// parseSecret splits decrypted secret material; the returned slices alias pt.
func parseSecret(pt []byte) (seed, mnemonic, path []byte, err error) {
	bad := fmt.Errorf("%w: the decrypted secret is malformed", ErrInvalidKeyfile)
	n := 32
	if len(pt) > 0 && pt[0] == secretFormat2 {
		n = 64
	}
	if len(pt) < 1+n+2 || (pt[0] != secretFormat && pt[0] != secretFormat2) {
		return nil, nil, nil, bad
	}
	seed, rest := pt[1:1+n], pt[1+n:]
	take := func() ([]byte, bool) {
		if len(rest) < 2 {
			return nil, false
		}
		n := int(binary.BigEndian.Uint16(rest))
		if len(rest) < 2+n {
			return nil, false
		}
		v := rest[2 : 2+n]
		rest = rest[2+n:]
		return v, true
	}
	var ok bool
	if mnemonic, ok = take(); !ok {
		return nil, nil, nil, bad
	}
	if path, ok = take(); !ok || len(rest) != 0 {
		return nil, nil, nil, bad
	}
	return seed, mnemonic, path, nil
}

// encodeKeyfile builds the keyfile of nk: encrypted with params when nk.Encrypt is set,
// plaintext (seed only) otherwise.
func encodeKeyfile(nk NewKey, params KDFParams) (*Keyfile, error) {
	pair := nk.pair()
	if pair == nil {
		return nil, errors.New("keystore: no key pair to write")
	}
	doc := keyfileJSON{
		Version:   Version,
		KeyType:   keyTypeOf(pair.Scheme()),
		Address:   pair.Address(),
		PublicKey: "0x" + hex.EncodeToString(pair.PublicBytes()),
	}
	format, seed := secretOf(pair)
	if seed == nil {
		return nil, errors.New("keystore: unsupported key pair type")
	}
	defer clear(seed)
	if !nk.Encrypt {
		if format == secretFormat2 {
			doc.Secret = &secretJSON{SecretKey: "0x" + hex.EncodeToString(seed)}
		} else {
			doc.Secret = &secretJSON{Seed: "0x" + hex.EncodeToString(seed)}
		}
		return &Keyfile{doc: doc}, nil
	}
	if len(nk.Password) == 0 {
		return nil, fmt.Errorf("%w: choose a non-empty password", ErrEmptyPassword)
	}
	if len(nk.Mnemonic) > maxSecretLen || len(nk.Path) > maxSecretLen {
		return nil, fmt.Errorf("keystore: mnemonic or path longer than %d bytes", maxSecretLen)
	}
	if err := params.Validate(); err != nil {
		return nil, err
	}
	salt := make([]byte, saltLen)
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails (Go >= 1.24)
	_, _ = rand.Read(nonce)
	doc.Crypto = &cryptoJSON{
		KDF:          kdfArgon2id,
		KDFParams:    kdfParamsJSON{Time: params.Time, MemoryKiB: params.Memory, Threads: params.Threads, Salt: hex.EncodeToString(salt)},
		Cipher:       cipherXChaCha,
		CipherParams: cipherParamsJSON{Nonce: hex.EncodeToString(nonce)},
	}
	kf := &Keyfile{doc: doc}
	dk := params.deriveKey(nk.Password, salt)
	aead, err := chacha20poly1305.NewX(dk)
	clear(dk)
	if err != nil {
		return nil, err
	}
	pt := encodeSecret(format, seed, nk.Mnemonic, nk.Path)
	ct := aead.Seal(nil, nonce, pt, kf.associatedData(params, salt))
	clear(pt)
	kf.doc.Crypto.Ciphertext = hex.EncodeToString(ct)
	return kf, nil
}

// decodeHex0x decodes "0x" + an even number of hex digits. The result is the caller's to wipe.
func decodeHex0x(s string) ([]byte, error) {
	h, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return nil, errors.New("want 0x and hex digits")
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, errors.New("not hex")
	}
	return b, nil
}

// decodeHex32 decodes "0x" + 64 hex digits.
func decodeHex32(s string) ([32]byte, error) {
	var out [32]byte
	h, ok := strings.CutPrefix(s, "0x")
	if !ok || len(h) != 64 {
		return out, errors.New("want 0x and 64 hex digits")
	}
	if _, err := hex.Decode(out[:], []byte(h)); err != nil {
		clear(out[:])
		return out, errors.New("not hex")
	}
	return out, nil
}
