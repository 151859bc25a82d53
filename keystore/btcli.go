package keystore

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/btui/btui/wallet"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/nacl/secretbox"
)

// btcli (btwallet) keyfiles, read in place and written only when asked (wallet convert).
//
// Every btcli file's plaintext is a JSON object with some of
//
//	accountId, publicKey   "0x" + 32-byte hex (sr25519: the same)
//	privateKey             "0x" + 64-byte hex: schnorrkel's secret key, canonical scalar || nonce
//	secretPhrase           the mnemonic
//	secretSeed             "0x" + the 32-byte mini secret
//	ss58Address            SS58, prefix 42
//
// coldkeypub.txt and hotkeys/<name>pub.txt hold the public fields only; hotkeys are plaintext
// by default; a coldkey is plaintext (btcli --no-use-password) or "$NACL" followed by a 24-byte
// nonce and an XSalsa20-Poly1305 secretbox of the JSON, keyed by argon2i v1.3 (8 passes,
// 512 MiB, one lane) of the password with btwallet's fixed 16-byte salt. Older btcli files
// ($ANSIBLE_VAULT, Fernet "gAAAAA...") are refused with how to re-encrypt them with btcli.

// Format is a keyfile format.
type Format uint8

const (
	// FormatBtui is btui's versioned JSON keyfile (keyfile.go).
	FormatBtui Format = iota
	// FormatBtcli is btcli's (btwallet's) keyfile: plaintext JSON or $NACL.
	FormatBtcli
)

// String returns "btui" or "btcli".
func (f Format) String() string {
	if f == FormatBtcli {
		return "btcli"
	}
	return "btui"
}

// ParseFormat parses "btui" or "btcli".
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "btui":
		return FormatBtui, nil
	case "btcli", "bittensor":
		return FormatBtcli, nil
	}
	return 0, fmt.Errorf("unknown wallet format %q: use btui or btcli", s)
}

const (
	naclPrefix    = "$NACL"
	ansiblePrefix = "$ANSIBLE_VAULT"
	fernetPrefix  = "gAAAAA"
	naclNonceLen  = 24
	naclMinLen    = len(naclPrefix) + naclNonceLen + secretbox.Overhead + 2 // "{}" at least
)

// btcliSalt is btwallet's fixed NACL salt (keyfile.rs); every btcli $NACL file uses it.
var btcliSalt = []byte("\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1")

// btcliJSON is a btcli keyfile's JSON (pointers: btwallet writes null for missing fields).
type btcliJSON struct {
	AccountID    *string `json:"accountId"`
	PublicKey    *string `json:"publicKey"`
	PrivateKey   *string `json:"privateKey"`
	SecretPhrase *string `json:"secretPhrase"`
	SecretSeed   *string `json:"secretSeed"`
	SS58Address  *string `json:"ss58Address"`

	raw []byte
}

// btcliKeys are the field names that make a JSON object a btcli keyfile.
var btcliKeys = []string{"accountId", "publicKey", "privateKey", "secretPhrase", "secretSeed", "ss58Address"}

// legacyFix says how to get a btcli file btui can open.
const legacyFix = "btui opens btcli's current $NACL format only: re-encrypt it with btcli " +
	"(`btcli wallet regen-coldkey` from the mnemonic, or `btcli wallet update` to convert legacy " +
	"coldkeys), or restore it in btui with `btui wallet regen-coldkey --crypto-type sr25519`"

// decodeForeign recognises btcli files and files of no known format. ok is false for what
// looks like a btui keyfile (a JSON object with a "version" field or no btcli field).
func decodeForeign(data []byte) (kf *Keyfile, ok bool, err error) {
	switch {
	case bytes.HasPrefix(data, []byte(naclPrefix)):
		if len(data) < naclMinLen {
			return nil, true, fmt.Errorf("%w: a btcli $NACL file is at least %d bytes, this one has %d: it is truncated (restore it from a backup or from the mnemonic)",
				ErrInvalidKeyfile, naclMinLen, len(data))
		}
		return &Keyfile{format: FormatBtcli, nacl: bytes.Clone(data)}, true, nil
	case bytes.HasPrefix(data, []byte(ansiblePrefix)):
		return nil, true, fmt.Errorf("%w: this btcli keyfile is encrypted with $ANSIBLE_VAULT; %s", ErrLegacyKeyfile, legacyFix)
	case bytes.HasPrefix(data, []byte(fernetPrefix)):
		return nil, true, fmt.Errorf("%w: this btcli keyfile is a Fernet token (gAAAAA...); %s", ErrLegacyKeyfile, legacyFix)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, true, fmt.Errorf("%w (%w): it is neither a btui keyfile (JSON) nor a btcli keyfile (JSON or $NACL); it starts with %s",
			ErrUnknownFormat, ErrInvalidKeyfile, describeBytes(data))
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, false, nil // btui's decoder names the JSON problem
	}
	if _, isBtui := fields["version"]; isBtui {
		return nil, false, nil
	}
	btcli := false
	for _, k := range btcliKeys {
		if _, ok := fields[k]; ok {
			btcli = true
		}
	}
	if !btcli {
		return nil, false, nil
	}
	var j btcliJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, true, fmt.Errorf("%w: btcli keyfile: %v", ErrInvalidKeyfile, err)
	}
	j.raw = bytes.Clone(data)
	return &Keyfile{format: FormatBtcli, btcli: &j}, true, nil
}

// describeBytes shows the first bytes of an unknown file: as text when printable, else hex.
func describeBytes(b []byte) string {
	if len(b) == 0 {
		return "nothing (the file is empty)"
	}
	head := b[:min(len(b), 16)]
	printable := true
	for _, r := range string(head) {
		if r == unicode.ReplacementChar || !unicode.IsPrint(r) && r != ' ' {
			printable = false
			break
		}
	}
	if printable {
		return fmt.Sprintf("%q (hex %s)", head, hex.EncodeToString(head))
	}
	return "hex " + hex.EncodeToString(head)
}

// btcliPublic is Public for a btcli file.
func (k *Keyfile) btcliPublic() (PublicInfo, error) {
	if k.nacl != nil {
		return PublicInfo{KeyType: KeyTypeSr25519, Encrypted: true, Format: FormatBtcli, Sealed: true}, nil
	}
	id, known, err := k.btcli.account()
	if err != nil {
		return PublicInfo{}, err
	}
	if !known {
		// No public field: derive it from the (plaintext) secret.
		key, err := k.btcli.keypair()
		if err != nil {
			return PublicInfo{}, err
		}
		id = key.Pair.AccountID()
		key.Zero()
	}
	return PublicInfo{KeyType: KeyTypeSr25519, AccountID: id, Format: FormatBtcli}, nil
}

// account returns the account named by the public fields, checking that they agree; known is
// false when the file has none of them.
func (j *btcliJSON) account() (id wallet.AccountID, known bool, err error) {
	set := func(what string, v wallet.AccountID) error {
		if known && v != id {
			return fmt.Errorf("%w: btcli keyfile: %s does not match the other public fields", ErrInvalidKeyfile, what)
		}
		id, known = v, true
		return nil
	}
	for _, f := range []struct {
		what string
		v    *string
	}{{"publicKey", j.PublicKey}, {"accountId", j.AccountID}} {
		if f.v == nil || *f.v == "" {
			continue
		}
		b, err := decodeHex0x(*f.v)
		if err != nil || len(b) != 32 {
			if len(b) == 33 {
				return id, false, fmt.Errorf("%w: btcli keyfile: %s is a 33-byte (ecdsa) key; btcli wallets hold sr25519 keys", ErrInvalidKeyfile, f.what)
			}
			return id, false, fmt.Errorf("%w: btcli keyfile: %s is not 0x and 64 hex digits", ErrInvalidKeyfile, f.what)
		}
		if err := set(f.what, wallet.AccountID(b)); err != nil {
			return id, false, err
		}
	}
	if j.SS58Address != nil && *j.SS58Address != "" {
		a, err := wallet.ParseAddress(*j.SS58Address)
		if err != nil {
			return id, false, fmt.Errorf("%w: btcli keyfile: ss58Address: %v", ErrInvalidKeyfile, err)
		}
		if err := set("ss58Address", a); err != nil {
			return id, false, err
		}
	}
	return id, known, nil
}

// keypair builds the key of a plaintext btcli JSON: from secretSeed (the mini secret), else
// privateKey (the 64-byte secret key), else secretPhrase; it is checked against the public
// fields.
func (j *btcliJSON) keypair() (*Key, error) {
	var pair *wallet.SrKeypair
	var err error
	switch {
	case j.SecretSeed != nil && *j.SecretSeed != "":
		b, derr := decodeHex0x(*j.SecretSeed)
		if derr != nil || len(b) != 32 {
			clear(b)
			return nil, fmt.Errorf("%w: btcli keyfile: secretSeed is not 0x and 64 hex digits", ErrInvalidKeyfile)
		}
		pair, err = wallet.SrFromMiniSecret(b)
		clear(b)
	case j.PrivateKey != nil && *j.PrivateKey != "":
		b, derr := decodeHex0x(*j.PrivateKey)
		if derr != nil || len(b) != 64 {
			clear(b)
			return nil, fmt.Errorf("%w: btcli keyfile: privateKey is not 0x and 128 hex digits", ErrInvalidKeyfile)
		}
		pair, err = wallet.SrFromSecretKey(b)
		clear(b)
	case j.SecretPhrase != nil && *j.SecretPhrase != "":
		pair, err = wallet.SrFromSURI(*j.SecretPhrase)
	default:
		return nil, fmt.Errorf("%w: the btcli file holds public fields only (no secretSeed, privateKey or secretPhrase)", ErrInvalidKeyfile)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: btcli keyfile: %w", ErrInvalidKeyfile, err)
	}
	id, known, err := j.account()
	if err != nil {
		pair.Zero()
		return nil, err
	}
	if known && id != pair.AccountID() {
		addr := pair.Address()
		pair.Zero()
		return nil, fmt.Errorf("%w: the btcli keyfile's secret is %s but its public fields say %s", ErrMismatch, addr, id.SS58())
	}
	var mnemonic []byte
	if j.SecretPhrase != nil && *j.SecretPhrase != "" {
		mnemonic = []byte(*j.SecretPhrase)
		// A phrase that gives another key than the seed is a damaged file.
		if check, err := wallet.SrFromSURI(*j.SecretPhrase); err == nil {
			same := check.AccountID() == pair.AccountID()
			check.Zero()
			if !same {
				pair.Zero()
				return nil, fmt.Errorf("%w: the btcli keyfile's secretPhrase and secretSeed are different keys", ErrMismatch)
			}
		}
	}
	return newKey(pair, mnemonic, nil), nil
}

// wipe clears the secret strings it can reach (Go strings are immutable: drop references).
func (j *btcliJSON) wipe() {
	j.PrivateKey, j.SecretPhrase, j.SecretSeed = nil, nil, nil
	clear(j.raw)
}

// btcliMarshal returns the file's bytes exactly as read (btui never rewrites a btcli file).
func (k *Keyfile) btcliMarshal() ([]byte, error) {
	if k.nacl != nil {
		return bytes.Clone(k.nacl), nil
	}
	return bytes.Clone(k.btcli.raw), nil
}

// btcliDecrypt is Decrypt for a btcli file.
func (k *Keyfile) btcliDecrypt(password []byte) (*Key, error) {
	if k.nacl == nil {
		return k.btcli.keypair()
	}
	pt, err := openNaCl(k.nacl, password)
	if err != nil {
		return nil, err
	}
	defer clear(pt)
	var j btcliJSON
	if err := json.Unmarshal(pt, &j); err != nil {
		return nil, fmt.Errorf("%w: the decrypted btcli coldkey is not a JSON keypair", ErrInvalidKeyfile)
	}
	defer j.wipe()
	return j.keypair()
}

// btcliKeyFunc derives the $NACL key; tests wrap it in a cache (the same real derivation, run
// once per distinct password) because each run takes 512 MiB and seconds.
var btcliKeyFunc = btcliKey

// btcliKey derives the $NACL key: argon2i v1.3 with btwallet's parameters and fixed salt.
func btcliKey(password []byte) *[32]byte {
	p := BtcliKDFParams()
	dk := argon2.Key(password, btcliSalt, p.Time, p.Memory, p.Threads, 32)
	var key [32]byte
	copy(key[:], dk)
	clear(dk)
	return &key
}

// openNaCl decrypts a $NACL file. A wrong password and a damaged file both give ErrDecrypt.
func openNaCl(data, password []byte) ([]byte, error) {
	if len(password) == 0 {
		return nil, fmt.Errorf("%w: the btcli coldkey is encrypted", ErrEmptyPassword)
	}
	if len(data) < naclMinLen || !bytes.HasPrefix(data, []byte(naclPrefix)) {
		return nil, fmt.Errorf("%w: the $NACL file is truncated", ErrInvalidKeyfile)
	}
	var nonce [naclNonceLen]byte
	copy(nonce[:], data[len(naclPrefix):])
	key := btcliKeyFunc(password)
	defer clear(key[:])
	pt, ok := secretbox.Open(nil, data[len(naclPrefix)+naclNonceLen:], &nonce, key)
	if !ok {
		return nil, fmt.Errorf("%w (btcli $NACL coldkey)", ErrDecrypt)
	}
	return pt, nil
}

// sealNaCl encrypts plaintext as a btcli $NACL file with a random nonce.
func sealNaCl(plaintext, password []byte) ([]byte, error) {
	if len(password) == 0 {
		return nil, fmt.Errorf("%w: choose a non-empty password", ErrEmptyPassword)
	}
	var nonce [naclNonceLen]byte
	_, _ = rand.Read(nonce[:])
	key := btcliKeyFunc(password)
	defer clear(key[:])
	out := append([]byte(naclPrefix), nonce[:]...)
	return secretbox.Seal(out, plaintext, &nonce, key), nil
}

// EncodeBtcliPub encodes btcli's public JSON (coldkeypub.txt, hotkeys/<name>pub.txt) of an
// sr25519 account.
func EncodeBtcliPub(id wallet.AccountID) []byte {
	h, a := id.Hex(), id.SS58()
	b, _ := json.Marshal(&btcliJSON{AccountID: &h, PublicKey: &h, SS58Address: &a})
	return b
}

// EncodeBtcliKeypair encodes btcli's keypair JSON of an sr25519 key (a plaintext hotkey or
// coldkey, or the plaintext inside a $NACL coldkey): secretSeed when the key has a mini
// secret, privateKey always, secretPhrase when mnemonic is given. The slice is the caller's to
// wipe. ECDSA keys are refused: btcli wallets hold sr25519 keys.
func EncodeBtcliKeypair(p wallet.Pair, mnemonic []byte) ([]byte, error) {
	sr, ok := p.(*wallet.SrKeypair)
	if !ok {
		return nil, fmt.Errorf("btcli wallets hold sr25519 keys; %s is %s: keep it in btui's format", p.Address(), p.Scheme())
	}
	h, a := sr.AccountID().Hex(), sr.Address()
	sk := sr.SecretKey()
	priv := "0x" + hex.EncodeToString(sk[:])
	clear(sk[:])
	j := btcliJSON{AccountID: &h, PublicKey: &h, PrivateKey: &priv, SS58Address: &a}
	if m, ok := sr.MiniSecret(); ok {
		seed := "0x" + hex.EncodeToString(m[:])
		clear(m[:])
		j.SecretSeed = &seed
	}
	if len(mnemonic) > 0 {
		phrase := string(mnemonic)
		j.SecretPhrase = &phrase
	}
	return json.Marshal(&j)
}

// EncodeBtcliColdkey encodes a btcli coldkey: $NACL-encrypted with password (argon2i 512 MiB:
// this takes seconds), or plaintext when password is nil.
func EncodeBtcliColdkey(p wallet.Pair, mnemonic, password []byte) ([]byte, error) {
	pt, err := EncodeBtcliKeypair(p, mnemonic)
	if err != nil {
		return nil, err
	}
	if password == nil {
		return pt, nil
	}
	defer clear(pt)
	return sealNaCl(pt, password)
}

// decodeBtcliPub parses a btcli public JSON (coldkeypub.txt).
func decodeBtcliPub(data []byte) (PublicInfo, error) {
	var j btcliJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return PublicInfo{}, fmt.Errorf("%w: btcli coldkeypub: %v", ErrInvalidKeyfile, err)
	}
	id, known, err := j.account()
	if err != nil {
		return PublicInfo{}, err
	}
	if !known {
		return PublicInfo{}, fmt.Errorf("%w: btcli coldkeypub has no accountId, publicKey or ss58Address", ErrInvalidKeyfile)
	}
	if j.PrivateKey != nil || j.SecretSeed != nil || j.SecretPhrase != nil {
		return PublicInfo{}, errors.New("coldkeypub.txt holds secret fields: it must hold only the public key (move the secret to the coldkey file)")
	}
	return PublicInfo{KeyType: KeyTypeSr25519, AccountID: id, Format: FormatBtcli}, nil
}
