// Package keystore stores keys on disk: the versioned, encrypted keyfile format, the wallet
// directory layout and atomic writes. It never prompts, prints, or keeps decrypted keys beyond
// a call.
//
// # Keyfiles
//
// A keyfile (see keyfile.go for the exact layout) is JSON with a version, the public fields
// (key type "ecdsa", SS58 address, compressed public key) and either a "crypto" section or,
// for plaintext hotkeys and --no-password dev coldkeys, a "secret" section holding the 32-byte
// seed only (never the mnemonic). Encryption is argon2id (parameters and a random 16-byte salt
// stored per file; DefaultKDFParams is t=3, m=64 MiB, p=4, RFC 9106's second recommended
// option) and XChaCha20-Poly1305 with a random 24-byte nonce, over the seed, the optional
// mnemonic and the optional derivation path. Every other field is bound as associated data, so
// a wrong password and any modification both give ErrDecrypt and no key. Decrypted keys are
// checked against the stored address and public key. Tests lower the KDF cost with
// WithKDFParams(LightKDFParams()); nothing else can.
//
// # Wallets
//
// A Store is rooted at a wallet path:
//
//	<root>/<wallet>/coldkey            encrypted keyfile (plaintext only for --no-password dev keys)
//	<root>/<wallet>/coldkeypub.txt     public JSON: address, account id, public key
//	<root>/<wallet>/hotkeys/<hotkey>   keyfile, plaintext by default
//
// Directories are created 0700 and files 0600; CheckPermissions (and Wallet/List) report
// anything more open as warnings. Every write goes to a temporary file in the target
// directory, is synced, read back and decrypted, and only then renamed (or hard-linked, so an
// existing key is never replaced without overwrite) into place, and the directory is synced.
// A write that fails at any step leaves the old files as they were. Loading a coldkey checks it
// against coldkeypub.txt; a mismatch is ErrMismatch, never a silent choice.
//
// Callers use the narrow role interfaces Lister, Unlocker and Writer, or the Store itself.
// Errors wrap the sentinels of errors.go.
package keystore
