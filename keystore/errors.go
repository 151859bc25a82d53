package keystore

import "errors"

// Sentinel errors of the keystore package. Functions wrap them with the detail of what was
// wrong (which wallet, which file), so test with errors.Is and show err.Error() to people.
// No message ever contains a password, a seed or a mnemonic.
var (
	// ErrNotFound means a wallet, coldkey, coldkeypub.txt or hotkey does not exist.
	ErrNotFound = errors.New("not found")

	// ErrExists means a key file already exists and the caller did not ask to overwrite it.
	ErrExists = errors.New("already exists")

	// ErrDecrypt means an encrypted keyfile could not be opened: the password is wrong, or the
	// file was modified or damaged (any public field, KDF parameter, salt, nonce or ciphertext).
	// The two cases cannot be told apart, by design, and no part of the key is returned.
	ErrDecrypt = errors.New("cannot decrypt keyfile: wrong password, or the file was modified or damaged")

	// ErrEmptyPassword means an empty password was given where a keyfile is to be encrypted or
	// decrypted. btui never encrypts with an empty password.
	ErrEmptyPassword = errors.New("empty password")

	// ErrPasswordRequired means an encrypted key was loaded without a password.
	ErrPasswordRequired = errors.New("the key is encrypted: a password is required")

	// ErrMismatch means two things that must describe the same key do not: a coldkey and its
	// coldkeypub.txt, or a keyfile's secret and its stored address or public key.
	ErrMismatch = errors.New("key mismatch")

	// ErrInvalidKeyfile means a file is not a btui keyfile of a known version: not a JSON
	// object, a missing or unknown section, or a plaintext key that cannot be read.
	ErrInvalidKeyfile = errors.New("not a valid btui keyfile")

	// ErrUnsupportedVersion means a keyfile has a version this build does not know.
	ErrUnsupportedVersion = errors.New("unsupported keyfile version")

	// ErrInvalidName means a wallet or hotkey name is not a safe file name (1-64 characters
	// from A-Z a-z 0-9 . _ -, not starting with '.' or '-').
	ErrInvalidName = errors.New("invalid name")

	// ErrInvalidKDFParams means KDF parameters are outside the range btui accepts.
	ErrInvalidKDFParams = errors.New("invalid kdf parameters")
)

// Errors of btcli and polkadot.js files, watch-only wallets and costly KDF parameters.
var (
	// ErrKDFTooCostly means a keyfile asks for KDF memory or passes beyond 4x its format's
	// standard parameters; btui refuses it before asking for a password.
	ErrKDFTooCostly = errors.New("keyfile kdf parameters too costly")

	// ErrLegacyKeyfile means a btcli keyfile uses an encryption btui does not open
	// ($ANSIBLE_VAULT or Fernet); btcli can re-encrypt it.
	ErrLegacyKeyfile = errors.New("legacy btcli keyfile encryption")

	// ErrUnknownFormat means a file is neither a btui keyfile nor a btcli one.
	ErrUnknownFormat = errors.New("unknown keyfile format")

	// ErrWatchOnly means a wallet holds only its coldkeypub.txt (a watch-only wallet): it can
	// show balances and stake but cannot sign.
	ErrWatchOnly = errors.New("watch-only wallet: it has no coldkey to sign with")

	// ErrUnsupportedContent means a polkadot.js keyring file uses an encoding or key type btui
	// does not read.
	ErrUnsupportedContent = errors.New("unsupported polkadot.js keyring content")
)
