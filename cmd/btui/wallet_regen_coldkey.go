package main

import (
	"errors"
	"fmt"

	"github.com/btui/btui/keystore"
	"github.com/spf13/cobra"
)

type walletRegenColdkeyOptions struct {
	f *Factory

	Wallet     string
	Mnemonic   mnemonicOptions
	NoPassword bool
	Overwrite  bool
	Password   passwordOptions
	CryptoType cryptoType
	JSONFile   string
}

func newCmdWalletRegenColdkey(f *Factory, runF func(*walletRegenColdkeyOptions) error) *cobra.Command {
	opts := &walletRegenColdkeyOptions{f: f}
	cmd := &cobra.Command{
		Use:     "regen-coldkey",
		Aliases: []string{"regen_coldkey"},
		Short:   "Restore a coldkey from its mnemonic or secret URI",
		Long: `Restore a coldkey from a mnemonic or a full secret URI (phrase//hard///password, or a
0x seed), read from a prompt without echo, --mnemonic-file or --mnemonic-stdin; never from the
command line. --uri takes dev paths such as //Alice. The key is encrypted with a password
unless --no-password (dev keys only). An existing coldkey is replaced only with --overwrite.

The same mnemonic gives two accounts: sr25519 (what btcli and the bittensor SDK use) and ecdsa
(btui's default). --crypto-type chooses; without it btui prints both addresses before writing
and, with a chain at hand (--node, or an existing devnet), which of them holds balance or stake,
and restores the funded one when only the sr25519 one is; otherwise the ecdsa one.

--json-file FILE restores from a polkadot.js keyring JSON export (version 3, sr25519 or ecdsa):
its password is asked, then the new coldkey password (on a terminal; with --password-file or
BTUI_PASSWORD the one password serves both).`,
		Example: `  btui wallet regen-coldkey --wallet-name alice
  btui wallet regen-coldkey --name alice --mnemonic-file ./mnemonic.txt --password-file ./pw.txt
  btui wallet regen-coldkey --name dev --uri //Alice --no-password`,
		Args: walletNoSecretArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			opts.Wallet = f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletRegenColdkeyRun(opts))
		},
	}
	fl := cmd.Flags()
	addMnemonicFlags(cmd, &opts.Mnemonic)
	fl.BoolVar(&opts.NoPassword, "no-password", false, "store the coldkey UNENCRYPTED (dev keys only)")
	fl.BoolVar(&opts.Overwrite, "overwrite", false, "replace an existing coldkey (asks on a terminal unless --yes)")
	addPasswordFlags(cmd, &opts.Password)
	addCryptoTypeFlag(cmd, &opts.CryptoType, true)
	fl.StringVar(&opts.JSONFile, "json-file", "", "restore from a polkadot.js keyring JSON `FILE` (asks that file's password, then a new one)")
	secretFlagTraps(cmd)
	return cmd
}

func walletRegenColdkeyRun(o *walletRegenColdkeyOptions) error {
	f := o.f
	if err := keystore.ValidateName("wallet", o.Wallet); err != nil {
		return err
	}
	if err := checkStdinUse(o.Password, o.Mnemonic); err != nil {
		return err
	}
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	targets := []walletTarget{coldkeyTarget(s, o.Wallet)}
	if o.Overwrite { // without --overwrite a matching coldkeypub.txt is kept (see below)
		targets = append(targets, coldkeyPubTarget(s, o.Wallet))
	}
	if err := walletCheckTargets(f, o.Wallet, o.Overwrite, targets...); err != nil {
		return err
	}
	var nk *keystore.NewKey
	if o.JSONFile != "" {
		if o.Mnemonic.File != "" || o.Mnemonic.Stdin || o.Mnemonic.URI != "" {
			return usageErrorf("give either --json-file or a mnemonic source, not both")
		}
		nk, err = walletReadPolkadotJS(f, o.JSONFile, o.Password, o.CryptoType)
	} else {
		nk, err = readRestoredKey(f, o.Mnemonic, fmt.Sprintf("the mnemonic of the coldkey of wallet %q", o.Wallet), o.CryptoType)
	}
	if err != nil {
		return err
	}
	defer walletZeroNewKey(nk)
	if !o.Overwrite {
		// A coldkeypub.txt for another account: refuse before asking a password.
		if pub, err := s.ColdkeyPub(o.Wallet); err == nil && pub.AccountID != nk.Pair.AccountID() {
			return &walletExistsError{msg: fmt.Sprintf("wallet %q already has a coldkeypub.txt for another account (%s, not %s): "+
				"nothing was written; pass --overwrite to replace it", o.Wallet, pub.Address(), nk.Pair.Address())}
		} else if err != nil && !errors.Is(err, keystore.ErrNotFound) {
			return err
		}
	}
	if !o.NoPassword {
		if err := encryptNewKey(f, nk, o.Password, fmt.Sprintf("the coldkey of wallet %q", o.Wallet)); err != nil {
			return err
		}
	}
	if err := s.WriteColdkey(o.Wallet, *nk, o.Overwrite); err != nil {
		return err
	}
	return walletWrote(f, s, "Restored the coldkey of", o.Wallet, coldkeyWritten(s, o.Wallet, nk.Pair, nk.Encrypt, nil), nil)
}

// walletReadPolkadotJS opens a polkadot.js keyring JSON file for regen-coldkey --json-file. A
// wrong password is exit 4; an unsupported file says what it holds.
func walletReadPolkadotJS(f *Factory, path string, pw passwordOptions, ct cryptoType) (*keystore.NewKey, error) {
	data, err := readSecretFile(path, "--json-file")
	if err != nil {
		return nil, err
	}
	defer clear(data)
	pj, err := keystore.DecodePolkadotJS(data)
	if err != nil {
		return nil, fmt.Errorf("--json-file %s: %w", path, err)
	}
	if ct.set && ct.scheme != pj.Scheme() {
		return nil, usageErrorf("--json-file %s holds an %s key, not %s: drop --crypto-type or pass --crypto-type %s", path, pj.Scheme(), ct.scheme, pj.Scheme())
	}
	p, err := readPassword(f, passwordRequest{What: "the password of the polkadot.js file " + path, Opts: pw, Env: envPassword,
		Prompt: "Password of " + path + ": "})
	if err != nil {
		return nil, err
	}
	defer clear(p)
	key, err := pj.Decrypt(p)
	if err != nil {
		return nil, fmt.Errorf("--json-file %s: %w", path, err)
	}
	fmt.Fprintf(f.IO.ErrOut, "opened %s: %s key %s\n", path, key.Pair.Scheme(), key.Pair.Address())
	nk := &keystore.NewKey{Pair: key.Pair, Keypair: key.Keypair}
	return nk, nil
}
