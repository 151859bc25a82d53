package wallet

import (
	"encoding/hex"
	"fmt"

	"github.com/mr-tron/base58"
	"golang.org/x/crypto/blake2b"
)

// SS58Prefix is the SS58 network prefix of btui addresses (42, Substrate's generic prefix).
const SS58Prefix uint16 = 42

// maxSS58Prefix is the largest prefix SS58 can encode (14 bits).
const maxSS58Prefix = 16383

// maxSS58Chars bounds the input length DecodeSS58 will base58-decode. The longest valid address
// (2 prefix bytes, 33 payload bytes, 2 checksum bytes) is 51 characters.
const maxSS58Chars = 64

var ss58Pre = []byte("SS58PRE")

// AccountID is a btui/Substrate account id: blake2b-256 of the 33-byte compressed secp256k1
// public key (Substrate's MultiSigner::Ecdsa into AccountId32).
type AccountID [32]byte

// SS58 returns the account's address with prefix 42.
func (a AccountID) SS58() string { return EncodeSS58(SS58Prefix, a[:]) }

// String returns the SS58 address, as SS58 does.
func (a AccountID) String() string { return a.SS58() }

// Hex returns the account id as 0x-prefixed lower-case hex.
func (a AccountID) Hex() string { return "0x" + hex.EncodeToString(a[:]) }

// MarshalText encodes the account id as its SS58 address.
func (a AccountID) MarshalText() ([]byte, error) { return []byte(a.SS58()), nil }

// UnmarshalText decodes an SS58 address with prefix 42, as ParseAddress does.
func (a *AccountID) UnmarshalText(text []byte) error {
	id, err := ParseAddress(string(text))
	if err != nil {
		return err
	}
	*a = id
	return nil
}

// ParseAddress decodes an SS58 account address with prefix 42 into an AccountID. The error wraps
// ErrSS58Encoding, ErrSS58Length, ErrSS58Checksum or ErrSS58Prefix and says what was wrong.
func ParseAddress(s string) (AccountID, error) {
	prefix, payload, err := DecodeSS58(s)
	if err != nil {
		return AccountID{}, err
	}
	if prefix != SS58Prefix {
		return AccountID{}, fmt.Errorf("%w: address has network prefix %d, btui uses %d", ErrSS58Prefix, prefix, SS58Prefix)
	}
	switch len(payload) {
	case 32:
	case 33:
		return AccountID{}, fmt.Errorf("%w: this is the ss58 form of a 33-byte public key, not an account address; use the account's address (its public key hashed to 32 bytes)", ErrSS58Length)
	default:
		return AccountID{}, fmt.Errorf("%w: address holds %d bytes, an account address holds 32", ErrSS58Length, len(payload))
	}
	var id AccountID
	copy(id[:], payload)
	return id, nil
}

// ss58ChecksumLen is the checksum length SS58 uses for a payload length, or 0 if the payload
// length is not one SS58 defines (1, 2, 4, 8, 32 or 33 bytes).
func ss58ChecksumLen(payloadLen int) int {
	switch payloadLen {
	case 1, 2, 4, 8:
		return 1
	case 32, 33:
		return 2
	}
	return 0
}

// ss58Checksum returns blake2b-512("SS58PRE" || data).
func ss58Checksum(data []byte) [blake2b.Size]byte {
	h, _ := blake2b.New512(nil) // no key: cannot fail
	h.Write(ss58Pre)
	h.Write(data)
	var sum [blake2b.Size]byte
	h.Sum(sum[:0])
	return sum
}

// EncodeSS58 encodes payload under a network prefix as SS58:
// base58(prefix || payload || blake2b-512("SS58PRE" || prefix || payload)[0:k]), where the
// prefix takes one byte below 64 and two bytes from 64 to 16383, and k is 2 for 32- and 33-byte
// payloads and 1 otherwise. It panics if prefix > 16383 or the payload length is not 1, 2, 4, 8,
// 32 or 33 bytes: both are programming errors, not input errors.
func EncodeSS58(prefix uint16, payload []byte) string {
	if prefix > maxSS58Prefix {
		panic(fmt.Sprintf("wallet: ss58 prefix %d is above %d", prefix, maxSS58Prefix))
	}
	ck := ss58ChecksumLen(len(payload))
	if ck == 0 {
		panic(fmt.Sprintf("wallet: ss58 payload of %d bytes (want 1, 2, 4, 8, 32 or 33)", len(payload)))
	}
	buf := make([]byte, 0, 2+len(payload)+blake2b.Size)
	if prefix < 64 {
		buf = append(buf, byte(prefix))
	} else {
		buf = append(buf,
			byte((prefix&0xfc)>>2)|0x40,
			byte(prefix>>8)|byte((prefix&0x03)<<6))
	}
	buf = append(buf, payload...)
	sum := ss58Checksum(buf)
	buf = append(buf, sum[:ck]...)
	return base58.Encode(buf)
}

// DecodeSS58 decodes an SS58 string into its network prefix and payload. It checks, in order,
// the base58 alphabet (ErrSS58Encoding), the prefix byte (ErrSS58Prefix: reserved values 128+
// and non-canonical two-byte forms), the length (ErrSS58Length) and the checksum
// (ErrSS58Checksum); the returned error wraps one of them and says what was wrong. It does not
// check which prefix is used; ParseAddress does.
func DecodeSS58(s string) (prefix uint16, payload []byte, err error) {
	if s == "" {
		return 0, nil, fmt.Errorf("%w: address is empty", ErrSS58Length)
	}
	if len(s) > maxSS58Chars {
		return 0, nil, fmt.Errorf("%w: address is %d characters, longer than any ss58 address", ErrSS58Length, len(s))
	}
	data, derr := base58.Decode(s)
	if derr != nil {
		return 0, nil, fmt.Errorf("%w: %q contains characters outside the base58 alphabet (0, O, I and l are not used)", ErrSS58Encoding, s)
	}
	if len(data) < 3 {
		return 0, nil, fmt.Errorf("%w: address decodes to %d bytes, too short", ErrSS58Length, len(data))
	}
	prefixLen := 1
	switch b := data[0]; {
	case b < 64:
		prefix = uint16(b)
	case b < 128:
		prefixLen = 2
		lower := data[0]<<2 | data[1]>>6
		upper := data[1] & 0x3f
		prefix = uint16(lower) | uint16(upper)<<8
		if prefix < 64 {
			return 0, nil, fmt.Errorf("%w: prefix %d uses the two-byte form, which is only for prefixes 64 and above", ErrSS58Prefix, prefix)
		}
	default:
		return 0, nil, fmt.Errorf("%w: first byte %d is a reserved ss58 prefix (128 and above)", ErrSS58Prefix, b)
	}
	rest := len(data) - prefixLen
	var payloadLen, ckLen int
	switch {
	case rest == 34 || rest == 35:
		payloadLen, ckLen = rest-2, 2
	case ss58ChecksumLen(rest-1) == 1:
		payloadLen, ckLen = rest-1, 1
	default:
		return 0, nil, fmt.Errorf("%w: address decodes to %d bytes, which is not an ss58 layout (a 32-byte account address with prefix %d has %d)", ErrSS58Length, len(data), SS58Prefix, 35)
	}
	body := data[:prefixLen+payloadLen]
	sum := ss58Checksum(body)
	got := data[prefixLen+payloadLen:]
	for i := 0; i < ckLen; i++ {
		if got[i] != sum[i] {
			return 0, nil, fmt.Errorf("%w: the address was mistyped or truncated; copy it again", ErrSS58Checksum)
		}
	}
	return prefix, body[prefixLen:len(body):len(body)], nil
}
