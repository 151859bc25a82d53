package wallet

import "errors"

// Sentinel errors of the wallet package. Functions wrap them with the detail of what was wrong
// (fmt.Errorf("...: %w", ErrX) or the reverse), so test with errors.Is and show err.Error() to
// people.
var (
	// ErrInvalidMnemonic means a mnemonic phrase was rejected: a word that is not in the English
	// BIP-39 word list, a bad checksum, or a word count other than 12, 15, 18, 21 or 24. The
	// wrapping error names which.
	ErrInvalidMnemonic = errors.New("invalid mnemonic")

	// ErrSoftJunction means a SURI path holds a soft junction ("/x"). Soft derivation is not
	// defined for ECDSA keys; only hard junctions ("//x") can be used.
	ErrSoftJunction = errors.New("soft junction in path: ecdsa keys support only hard junctions (//name)")

	// ErrInvalidSecret means a secret key or seed is unusable: not 32 bytes, not hex, zero, or
	// not below the secp256k1 group order n.
	ErrInvalidSecret = errors.New("invalid secret key")

	// ErrInvalidSURI means a secret URI does not follow <phrase or 0xseed>[//hard...][///password].
	ErrInvalidSURI = errors.New("invalid secret uri")

	// ErrSS58Encoding means an address contains characters outside the base58 alphabet.
	ErrSS58Encoding = errors.New("invalid ss58 address: not base58")

	// ErrSS58Length means an address decodes to a length that is not a known SS58 layout, or to
	// a payload of the wrong size for its use (an account address holds 32 bytes).
	ErrSS58Length = errors.New("invalid ss58 address: wrong length")

	// ErrSS58Checksum means an address's checksum does not match its content (a typo or a
	// truncated copy).
	ErrSS58Checksum = errors.New("invalid ss58 address: bad checksum")

	// ErrSS58Prefix means an address uses a reserved or non-canonical network prefix, or a
	// network prefix other than the one expected (42 for btui accounts).
	ErrSS58Prefix = errors.New("invalid ss58 address: wrong network prefix")

	// ErrBadSignature means a signature does not verify for the message and signer, or its r or
	// s is out of range.
	ErrBadSignature = errors.New("bad signature")

	// ErrHighS means a signature's s is above n/2. btui signs low-S only and rejects high-S
	// signatures so a signature cannot be altered into a second valid one.
	ErrHighS = errors.New("signature s is not low-s (s > n/2)")

	// ErrRecoveryID means a signature's last byte (the recovery id v) is not 0 or 1.
	ErrRecoveryID = errors.New("signature recovery id v is not 0 or 1")
)

// ErrInvalidScheme means a crypto type name or MultiSignature index is not one btui supports
// (sr25519 or ecdsa).
var ErrInvalidScheme = errors.New("unsupported signature scheme")
