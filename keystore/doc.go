// Package keystore stores keys on disk: the versioned, encrypted keyfile format, the wallet
// directory layout and atomic writes. It never prompts, prints, or keeps decrypted keys beyond
// a call.
//
// # Keyfiles
//
// A keyfile (see keyfile.go for the exact layout) is JSON with a version, the public fields
// (key type "ecdsa" or "sr25519", SS58 address, public key) and either a "crypto" section or,
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
// # Schemes and foreign formats
//
// Keys are ECDSA (key type "ecdsa", btui's default) or sr25519 ("sr25519", the scheme of btcli
// and the bittensor SDK); Key.Pair signs with either. A wallet path may hold btcli (btwallet)
// wallets, which are read in place (btcli.go): coldkeypub.txt and hotkeys/<name>pub.txt JSON,
// plaintext hotkeys and coldkeys, and $NACL coldkeys (argon2i 512 MiB + XSalsa20-Poly1305; the
// address of a $NACL coldkey is inside the encryption, so PublicInfo.Sealed is set and
// coldkeypub.txt names the account). Legacy $ANSIBLE_VAULT and Fernet files and files of no
// known format are refused with what they are and how to fix them. btui never rewrites a btcli
// file: ConvertWallet writes a copy in the other format. polkadot.js keyring JSON files
// (polkadotjs.go) are exported and imported.
//
// A wallet with coldkeypub.txt and no coldkey is watch-only (WalletInfo.WatchOnly): LoadColdkey
// says ErrWatchOnly.
//
// # Limits and cleanup
//
// A keyfile whose KDF asks for more than 4x its format's standard memory or passes is refused
// before a password is asked (ErrKDFTooCostly: "keyfile asks for N MiB / T passes: refusing").
// Cleanup, called by commands at start, removes temporary keyfiles and key-less wallet
// directories that an interrupted btui left (cleanup.go).
//
// Callers use the narrow role interfaces Lister, Unlocker and Writer, or the Store itself.
// Errors wrap the sentinels of errors.go.
package keystore
