package main

import (
	"fmt"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

// The key-writing steps the wallet commands share (create, new-coldkey, new-hotkey,
// regen-coldkey, regen-hotkey, regen-coldkeypub): the key-source flags, the files a command is
// about to write, making a new key, and reporting what was written.

// addKeygenFlags adds --words (alias --n-words) and --uri, the source of a new key; uriUsage
// says which keys --uri makes.
func addKeygenFlags(cmd *cobra.Command, words *int, uri *string, uriUsage string) {
	fl := cmd.Flags()
	fl.IntVar(words, "words", 12, "number of mnemonic words: 12, 15, 18, 21 or 24")
	fl.IntVar(words, "n-words", 12, "alias of --words (btcli)")
	_ = fl.MarkHidden("n-words")
	fl.StringVar(uri, "uri", "", uriUsage)
}

// coldkeyTarget is a wallet's coldkey file, as walletCheckTargets names it.
func coldkeyTarget(s *keystore.Store, walletName string) walletTarget {
	return walletTarget{s.ColdkeyPath(walletName), "a coldkey"}
}

// coldkeyPubTarget is a wallet's coldkeypub.txt, as walletCheckTargets names it.
func coldkeyPubTarget(s *keystore.Store, walletName string) walletTarget {
	return walletTarget{s.ColdkeyPubPath(walletName), "a coldkeypub.txt"}
}

// hotkeyTarget is a hotkey file of a wallet, as walletCheckTargets names it.
func hotkeyTarget(s *keystore.Store, walletName, hotkey string) walletTarget {
	return walletTarget{s.HotkeyPath(walletName, hotkey), fmt.Sprintf("hotkey %q", hotkey)}
}

// generatedKey is a key made by a create command together with what the keystore writes for
// it. The caller must zero it.
type generatedKey struct {
	*walletNewSecret
	New keystore.NewKey
}

// generateKey makes a key from a fresh mnemonic of the given number of words, or from a dev
// uri, to be written encrypted with password when encrypt.
func generateKey(words int, uri string, encrypt bool, password []byte, scheme wallet.Scheme) (*generatedKey, error) {
	sec, err := walletGenerateScheme(words, uri, scheme)
	if err != nil {
		return nil, err
	}
	return &generatedKey{walletNewSecret: sec, New: sec.newKey(encrypt, password)}, nil
}

// zero wipes the private key and the mnemonic copy made for the keystore.
func (g *generatedKey) zero() {
	g.Pair.Zero()
	clear(g.New.Mnemonic)
}

// coldkeyWritten is the result entry of a coldkey file just written. sec is the new secret
// whose mnemonic or dev URI is shown once, or nil for a restored key.
func coldkeyWritten(s *keystore.Store, walletName string, kp wallet.Pair, encrypted bool, sec *walletNewSecret) *walletCreatedKeyJSON {
	return walletCreated(walletKeyFromKeypair("coldkey", s.ColdkeyPath(walletName), kp, encrypted, s.KDFParams()), sec)
}

// hotkeyWritten is the result entry of a hotkey file just written (sec as for coldkeyWritten).
func hotkeyWritten(s *keystore.Store, walletName, hotkey string, kp wallet.Pair, encrypted bool, sec *walletNewSecret) *walletCreatedKeyJSON {
	return walletCreated(walletKeyFromKeypair(hotkey, s.HotkeyPath(walletName, hotkey), kp, encrypted, s.KDFParams()), sec)
}

// walletWrote finishes a key-writing command: it warns about loose permissions of the wallet
// and prints what was written ("<verb> wallet ..."); cold or hot is nil when not written.
func walletWrote(f *Factory, s *keystore.Store, verb, walletName string, cold, hot *walletCreatedKeyJSON) error {
	walletWarnPermissions(f, s, walletName)
	return walletPrintResult(f, verb, walletWriteResultJSON{Wallet: walletName, WalletPath: s.Root(), Coldkey: cold, Hotkey: hot})
}

// readRestoredKey reads the secret URI of a key to restore (a prompt, --mnemonic-file,
// --mnemonic-stdin or a dev --uri; what names it in the prompt) and derives the key. The
// caller must walletZeroNewKey it.
func readRestoredKey(f *Factory, m mnemonicOptions, what string, ct cryptoType) (*keystore.NewKey, error) {
	suri, err := readSURI(f, m, what)
	if err != nil {
		return nil, err
	}
	defer clear(suri)
	if ct.set {
		return walletFromSURIScheme(suri, ct.scheme)
	}
	return walletRestoreEither(f, suri)
}

// encryptNewKey asks for a new password for key (twice on a terminal) and marks nk to be
// written encrypted with it.
func encryptNewKey(f *Factory, nk *keystore.NewKey, pw passwordOptions, key string) error {
	p, err := walletNewPassword(f, pw, key)
	if err != nil {
		return err
	}
	nk.Password, nk.Encrypt = p, true
	return nil
}
