package keystore

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/btui/btui/wallet"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// coldkeypub.txt is public JSON:
//
//	{"version": 1, "key_type": "ecdsa", "address": "5...", "account_id": "0x...", "public_key": "0x..."}
//
// public_key is omitted when the file was restored from an SS58 address alone (an address
// holds the account id, a hash of the public key, not the key itself).
type coldkeyPubJSON struct {
	Version   int    `json:"version"`
	KeyType   string `json:"key_type"`
	Address   string `json:"address"`
	AccountID string `json:"account_id"`
	PublicKey string `json:"public_key,omitempty"`
}

// EncodeColdkeyPub encodes p as the contents of coldkeypub.txt.
func EncodeColdkeyPub(p PublicInfo) ([]byte, error) {
	doc := coldkeyPubJSON{Version: Version, KeyType: keyTypeOf(p.Scheme()), Address: p.Address(), AccountID: p.AccountID.Hex()}
	if p.Scheme() == wallet.Sr25519 {
		doc.PublicKey = p.AccountID.Hex()
	} else if p.HasPublicKey() {
		if err := validatePublicKey(p.PublicKey); err != nil {
			return nil, err
		}
		if p.PublicKey.AccountID() != p.AccountID {
			return nil, fmt.Errorf("%w: the public key's account is not %s", ErrMismatch, p.Address())
		}
		doc.PublicKey = p.PublicKey.Hex()
	}
	b, err := json.MarshalIndent(&doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// DecodeColdkeyPub parses coldkeypub.txt and checks that its fields agree with each other.
func DecodeColdkeyPub(data []byte) (PublicInfo, error) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) == nil {
		_, a := fields["accountId"]
		_, b := fields["ss58Address"]
		_, v := fields["version"]
		if (a || b) && !v {
			return decodeBtcliPub(data)
		}
	}
	var doc coldkeyPubJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return PublicInfo{}, fmt.Errorf("%w: coldkeypub: %v", ErrInvalidKeyfile, err)
	}
	if dec.More() {
		return PublicInfo{}, fmt.Errorf("%w: coldkeypub: trailing data", ErrInvalidKeyfile)
	}
	if doc.Version != Version {
		return PublicInfo{}, fmt.Errorf("%w: coldkeypub version %d", ErrUnsupportedVersion, doc.Version)
	}
	if doc.KeyType != KeyTypeECDSA && doc.KeyType != KeyTypeSr25519 {
		return PublicInfo{}, fmt.Errorf("%w: coldkeypub key type %q (btui keys are %q or %q)", ErrInvalidKeyfile, doc.KeyType, KeyTypeECDSA, KeyTypeSr25519)
	}
	id, err := wallet.ParseAddress(doc.Address)
	if err != nil {
		return PublicInfo{}, fmt.Errorf("%w: coldkeypub address: %v", ErrInvalidKeyfile, err)
	}
	if doc.AccountID != id.Hex() {
		return PublicInfo{}, fmt.Errorf("%w: coldkeypub account_id does not match its address", ErrInvalidKeyfile)
	}
	info := PublicInfo{KeyType: doc.KeyType, AccountID: id}
	if doc.KeyType == KeyTypeSr25519 {
		if doc.PublicKey != "" && doc.PublicKey != id.Hex() {
			return PublicInfo{}, fmt.Errorf("%w: coldkeypub public key does not match its address", ErrInvalidKeyfile)
		}
		return info, nil
	}
	if doc.PublicKey != "" {
		pub, err := parsePublicKeyHex(doc.PublicKey)
		if err != nil {
			return PublicInfo{}, fmt.Errorf("%w: coldkeypub public key: %v", ErrInvalidKeyfile, err)
		}
		if pub.AccountID() != id {
			return PublicInfo{}, fmt.Errorf("%w: coldkeypub public key does not match its address", ErrInvalidKeyfile)
		}
		info.PublicKey = pub
	}
	return info, nil
}

// ParsePublicKey parses a compressed secp256k1 public key given as hex (with or without 0x)
// and checks that it is a point on the curve.
func ParsePublicKey(s string) (wallet.PublicKey, error) {
	h := strings.TrimPrefix(s, "0x")
	var pub wallet.PublicKey
	if len(h) != 2*len(pub) {
		return pub, fmt.Errorf("a compressed public key is 33 bytes (66 hex digits), got %d digits", len(h))
	}
	if _, err := hex.Decode(pub[:], []byte(h)); err != nil {
		return wallet.PublicKey{}, errors.New("the public key is not hex")
	}
	if err := validatePublicKey(pub); err != nil {
		return wallet.PublicKey{}, err
	}
	return pub, nil
}

// parsePublicKeyHex parses a stored public key ("0x" + 66 hex digits, 02 or 03 first). It
// does not decompress the point: callers compare the key's hash with the stored address, and
// a decrypted key is compared with it in full, so listing stays cheap.
func parsePublicKeyHex(s string) (wallet.PublicKey, error) {
	var pub wallet.PublicKey
	h, ok := strings.CutPrefix(s, "0x")
	if !ok || len(h) != 2*len(pub) {
		return pub, errors.New("want 0x and 66 hex digits")
	}
	if _, err := hex.Decode(pub[:], []byte(h)); err != nil {
		return wallet.PublicKey{}, errors.New("the public key is not hex")
	}
	if pub[0] != 0x02 && pub[0] != 0x03 {
		return wallet.PublicKey{}, errors.New("the public key is not in compressed form (it must start with 02 or 03)")
	}
	return pub, nil
}

func validatePublicKey(pub wallet.PublicKey) error {
	if pub[0] != 0x02 && pub[0] != 0x03 {
		return errors.New("the public key is not in compressed form (it must start with 02 or 03)")
	}
	if _, err := secp256k1.ParsePubKey(pub[:]); err != nil {
		return errors.New("the public key is not a point on secp256k1")
	}
	return nil
}
