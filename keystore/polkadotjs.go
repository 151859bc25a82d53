package keystore

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/btui/btui/wallet"
	"golang.org/x/crypto/nacl/secretbox"
	"golang.org/x/crypto/scrypt"
)

// polkadot.js keyring JSON, version 3 (what polkadot.js apps and the polkadot{.js} extension
// export and import):
//
//	{"encoded": "<base64>", "encoding": {"content": ["pkcs8", "sr25519"|"ecdsa"],
//	 "type": ["scrypt", "xsalsa20-poly1305"], "version": "3"}, "address": "5...", "meta": {...}}
//
//	encoded = salt(32) || N u32le || p u32le || r u32le || nonce(24) || secretbox(pkcs8)
//	key     = scrypt(password, salt, N, r, p, 64)[0:32]
//	pkcs8   = header(16) || secret || divider(5) || public key
//
// The secret is 64 bytes for sr25519 (schnorrkel's key in "ed25519 form": scalar x 8 || nonce)
// and 32 bytes for ECDSA. polkadot.js 14 writes N = 2^17, p = 1, r = 8 (128 MiB); btui reads at
// most 4x that memory and p <= 4.

var (
	pkcs8Header  = []byte{48, 83, 2, 1, 1, 48, 5, 6, 3, 43, 101, 112, 4, 34, 4, 32}
	pkcs8Divider = []byte{161, 35, 3, 33, 0}
)

const (
	pjsSaltLen    = 32
	pjsScryptLen  = pjsSaltLen + 12
	pjsNonceLen   = 24
	pjsDefaultN   = 1 << 17
	pjsDefaultR   = 8
	pjsDefaultP   = 1
	pjsMaxMemory  = 4 * 128 * pjsDefaultN * pjsDefaultR // bytes: 4x the 128 MiB polkadot.js uses
	pjsMaxP       = 4
	pjsVersion    = "3"
	pjsEncPkcs8   = "pkcs8"
	pjsEncScrypt  = "scrypt"
	pjsEncXSalsa  = "xsalsa20-poly1305"
	pjsMaxEncoded = 4096
)

// ScryptParams are the scrypt parameters of a polkadot.js file.
type ScryptParams struct{ N, R, P uint32 }

// DefaultScryptParams are polkadot.js 14's (N = 2^17, r = 8, p = 1).
func DefaultScryptParams() ScryptParams {
	return ScryptParams{N: pjsDefaultN, R: pjsDefaultR, P: pjsDefaultP}
}

// PolkadotJSMeta is the "meta" object of a keyring file (free-form; name and whenCreated are
// the usual fields).
type PolkadotJSMeta map[string]any

type pjsJSON struct {
	Encoded  string `json:"encoded"`
	Encoding struct {
		Content []string `json:"content"`
		Type    []string `json:"type"`
		Version string   `json:"version"`
	} `json:"encoding"`
	Address string         `json:"address"`
	Meta    PolkadotJSMeta `json:"meta"`
}

// pjsCost checks scrypt parameters before running scrypt.
func (p ScryptParams) check() error {
	if p.N < 2 || p.N&(p.N-1) != 0 || p.R < 1 || p.P < 1 {
		return fmt.Errorf("%w: polkadot.js file has invalid scrypt parameters N=%d r=%d p=%d", ErrInvalidKeyfile, p.N, p.R, p.P)
	}
	mem := 128 * uint64(p.N) * uint64(p.R)
	if mem > pjsMaxMemory || p.P > pjsMaxP {
		return costError("polkadot.js file", mem>>20, uint64(p.P), fmt.Sprintf("%d MiB / %d passes", pjsMaxMemory>>20, pjsMaxP))
	}
	return nil
}

// ExportPolkadotJS encodes a key as a polkadot.js keyring JSON file (version 3), encrypted
// with password under polkadot.js's scrypt parameters. name goes into meta.name.
func ExportPolkadotJS(p wallet.Pair, password []byte, name string) ([]byte, error) {
	return exportPolkadotJS(p, password, name, DefaultScryptParams())
}

func exportPolkadotJS(p wallet.Pair, password []byte, name string, sp ScryptParams) ([]byte, error) {
	if len(password) == 0 {
		return nil, fmt.Errorf("%w: polkadot.js files are encrypted: choose a password", ErrEmptyPassword)
	}
	if err := sp.check(); err != nil {
		return nil, err
	}
	var secret []byte
	switch k := p.(type) {
	case *wallet.SrKeypair:
		e := k.Ed25519Bytes()
		secret = e[:]
	case *wallet.Keypair:
		s := k.Seed()
		secret = s[:]
	default:
		return nil, fmt.Errorf("%w: key type %T", ErrUnsupportedContent, p)
	}
	pkcs8 := slices.Concat(pkcs8Header, secret, pkcs8Divider, p.PublicBytes())
	clear(secret)
	defer clear(pkcs8)

	salt := make([]byte, pjsSaltLen)
	var nonce [pjsNonceLen]byte
	_, _ = rand.Read(salt)
	_, _ = rand.Read(nonce[:])
	key, err := pjsKey(password, salt, sp)
	if err != nil {
		return nil, err
	}
	defer clear(key[:])
	enc := make([]byte, 0, pjsScryptLen+pjsNonceLen+len(pkcs8)+secretbox.Overhead)
	enc = append(enc, salt...)
	enc = binary.LittleEndian.AppendUint32(enc, sp.N)
	enc = binary.LittleEndian.AppendUint32(enc, sp.P)
	enc = binary.LittleEndian.AppendUint32(enc, sp.R)
	enc = append(enc, nonce[:]...)
	enc = secretbox.Seal(enc, pkcs8, &nonce, key)

	var doc pjsJSON
	doc.Encoded = base64.StdEncoding.EncodeToString(enc)
	doc.Encoding.Content = []string{pjsEncPkcs8, p.Scheme().String()}
	doc.Encoding.Type = []string{pjsEncScrypt, pjsEncXSalsa}
	doc.Encoding.Version = pjsVersion
	doc.Address = p.Address()
	if p.Scheme() == wallet.Ecdsa {
		// As polkadot.js: an ECDSA account's address cannot give back the public key, so the
		// file carries the compressed public key in hex instead.
		doc.Address = "0x" + hex.EncodeToString(p.PublicBytes())
	}
	doc.Meta = PolkadotJSMeta{"name": name, "whenCreated": time.Now().UnixMilli()}
	b, err := json.MarshalIndent(&doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func pjsKey(password, salt []byte, sp ScryptParams) (*[32]byte, error) {
	dk, err := scrypt.Key(password, salt, int(sp.N), int(sp.R), int(sp.P), 64)
	if err != nil {
		return nil, fmt.Errorf("%w: scrypt: %v", ErrInvalidKeyfile, err)
	}
	var key [32]byte
	copy(key[:], dk)
	clear(dk)
	return &key, nil
}

// PolkadotJSFile is a parsed polkadot.js keyring file, before decryption.
type PolkadotJSFile struct {
	doc    pjsJSON
	scheme wallet.Scheme
	params ScryptParams
	enc    []byte
}

// DecodePolkadotJS parses a polkadot.js keyring JSON file and checks its encoding: version 3,
// pkcs8 content of an sr25519 or ecdsa key, scrypt + xsalsa20-poly1305 (anything else is
// ErrUnsupportedContent), and scrypt parameters within 4x polkadot.js's (ErrKDFTooCostly).
func DecodePolkadotJS(data []byte) (*PolkadotJSFile, error) {
	var f PolkadotJSFile
	if err := json.Unmarshal(data, &f.doc); err != nil {
		return nil, fmt.Errorf("%w: not a polkadot.js keyring JSON file: %v", ErrInvalidKeyfile, err)
	}
	e := f.doc.Encoding
	if e.Version != pjsVersion {
		return nil, fmt.Errorf("%w: encoding version %q (btui reads version 3, what current polkadot.js exports; export the account again from polkadot.js apps or the extension)", ErrUnsupportedContent, e.Version)
	}
	if len(e.Content) != 2 || e.Content[0] != pjsEncPkcs8 {
		return nil, fmt.Errorf("%w: content %q (btui reads [\"pkcs8\", \"sr25519\" or \"ecdsa\"])", ErrUnsupportedContent, e.Content)
	}
	switch e.Content[1] {
	case "sr25519":
		f.scheme = wallet.Sr25519
	case "ecdsa":
		f.scheme = wallet.Ecdsa
	default:
		return nil, fmt.Errorf("%w: key type %q (btui keys are sr25519 or ecdsa; %s accounts cannot sign on Bittensor with btui)", ErrUnsupportedContent, e.Content[1], e.Content[1])
	}
	if !slices.Equal(e.Type, []string{pjsEncScrypt, pjsEncXSalsa}) {
		return nil, fmt.Errorf("%w: encryption %q (btui reads [\"scrypt\", \"xsalsa20-poly1305\"]; unencrypted exports are refused)", ErrUnsupportedContent, e.Type)
	}
	if len(f.doc.Encoded) > pjsMaxEncoded {
		return nil, fmt.Errorf("%w: the encoded key is %d characters, too long for a keyring file", ErrInvalidKeyfile, len(f.doc.Encoded))
	}
	enc, err := base64.StdEncoding.DecodeString(f.doc.Encoded)
	if err != nil {
		return nil, fmt.Errorf("%w: the encoded key is not base64", ErrInvalidKeyfile)
	}
	if len(enc) < pjsScryptLen+pjsNonceLen+secretbox.Overhead {
		return nil, fmt.Errorf("%w: the encoded key is %d bytes: truncated", ErrInvalidKeyfile, len(enc))
	}
	f.params = ScryptParams{
		N: binary.LittleEndian.Uint32(enc[pjsSaltLen:]),
		P: binary.LittleEndian.Uint32(enc[pjsSaltLen+4:]),
		R: binary.LittleEndian.Uint32(enc[pjsSaltLen+8:]),
	}
	if err := f.params.check(); err != nil {
		return nil, err
	}
	if _, err := f.account(); err != nil {
		return nil, err
	}
	f.enc = enc
	return &f, nil
}

// account parses the file's address: SS58, or for ECDSA the 0x-hex compressed public key
// polkadot.js writes there. ok is false when the file has no address.
func (f *PolkadotJSFile) account() (wallet.AccountID, error) {
	a := f.doc.Address
	if a == "" {
		return wallet.AccountID{}, nil
	}
	if strings.HasPrefix(a, "0x") && f.scheme == wallet.Ecdsa {
		pub, err := ParsePublicKey(a)
		if err != nil {
			return wallet.AccountID{}, fmt.Errorf("%w: address: %v", ErrInvalidKeyfile, err)
		}
		return pub.AccountID(), nil
	}
	id, err := wallet.ParseAddress(a)
	if err != nil {
		return wallet.AccountID{}, fmt.Errorf("%w: address: %v", ErrInvalidKeyfile, err)
	}
	return id, nil
}

// Address is the file's account address (SS58), "" when the file names none.
func (f *PolkadotJSFile) Address() string {
	id, err := f.account()
	if err != nil || id == (wallet.AccountID{}) {
		return ""
	}
	return id.SS58()
}

// Scheme is the key's scheme.
func (f *PolkadotJSFile) Scheme() wallet.Scheme { return f.scheme }

// Name is meta.name, or "".
func (f *PolkadotJSFile) Name() string {
	if n, ok := f.doc.Meta["name"].(string); ok {
		return n
	}
	return ""
}

// Decrypt opens the file. A wrong password (or a damaged file) is ErrDecrypt; a decrypted key
// that does not match the file's address is ErrMismatch.
func (f *PolkadotJSFile) Decrypt(password []byte) (*Key, error) {
	if len(password) == 0 {
		return nil, fmt.Errorf("%w: the polkadot.js file is encrypted", ErrEmptyPassword)
	}
	key, err := pjsKey(password, f.enc[:pjsSaltLen], f.params)
	if err != nil {
		return nil, err
	}
	defer clear(key[:])
	var nonce [pjsNonceLen]byte
	copy(nonce[:], f.enc[pjsScryptLen:])
	pkcs8, ok := secretbox.Open(nil, f.enc[pjsScryptLen+pjsNonceLen:], &nonce, key)
	if !ok {
		return nil, fmt.Errorf("%w (polkadot.js keyring file)", ErrDecrypt)
	}
	defer clear(pkcs8)
	if !bytes.HasPrefix(pkcs8, pkcs8Header) {
		return nil, fmt.Errorf("%w: the decrypted content has no pkcs8 header", ErrUnsupportedContent)
	}
	secLen := 64
	if f.scheme == wallet.Ecdsa {
		secLen = 32
	}
	body := pkcs8[len(pkcs8Header):]
	if len(body) < secLen+len(pkcs8Divider) || !bytes.Equal(body[secLen:secLen+len(pkcs8Divider)], pkcs8Divider) {
		return nil, fmt.Errorf("%w: the decrypted pkcs8 content does not hold a %d-byte %s secret", ErrUnsupportedContent, secLen, f.scheme)
	}
	pub := body[secLen+len(pkcs8Divider):]
	var pair wallet.Pair
	if f.scheme == wallet.Sr25519 {
		pair, err = wallet.SrFromEd25519Bytes(body[:secLen])
	} else {
		pair, err = wallet.FromSeed(body[:secLen])
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKeyfile, err)
	}
	if !bytes.Equal(pub, pair.PublicBytes()) {
		addr := pair.Address()
		pair.Zero()
		return nil, fmt.Errorf("%w: the polkadot.js file's secret is %s but its public key is another", ErrMismatch, addr)
	}
	if f.doc.Address != "" {
		if id, _ := f.account(); id != pair.AccountID() {
			addr := pair.Address()
			pair.Zero()
			return nil, fmt.Errorf("%w: the polkadot.js file's secret is %s but it says %s", ErrMismatch, addr, f.doc.Address)
		}
	}
	return newKey(pair, nil, nil), nil
}
