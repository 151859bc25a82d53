package main

import (
	"fmt"

	"github.com/btui/btui/keystore"
	"github.com/spf13/cobra"
)

type walletNewColdkeyOptions struct {
	f *Factory

	Wallet     string
	Words      int
	URI        string
	NoPassword bool
	Overwrite  bool
	Password   passwordOptions
	CryptoType cryptoType
}

func newCmdWalletNewColdkey(f *Factory, runF func(*walletNewColdkeyOptions) error) *cobra.Command {
	opts := &walletNewColdkeyOptions{f: f}
	cmd := &cobra.Command{
		Use:     "new-coldkey",
		Aliases: []string{"new_coldkey"},
		Short:   "Create a new coldkey for a wallet",
		Long: `Create a coldkey from a fresh mnemonic, encrypted with a password, and its coldkeypub.txt.
The mnemonic is printed once, now (inside the JSON document with --json), and never again.
--no-password stores the coldkey UNENCRYPTED; use it only for dev keys (--uri //Alice).`,
		Example: `  btui wallet new-coldkey --wallet-name alice --words 24
  btui wallet new-coldkey --name dev --uri //Bob --no-password --json`,
		Args: walletNoArgs("name the wallet with --wallet-name"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			opts.Wallet = f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletNewColdkeyRun(opts))
		},
	}
	fl := cmd.Flags()
	addKeygenFlags(cmd, &opts.Words, &opts.URI, "make the key from a dev path such as `//Alice` instead of a fresh mnemonic")
	fl.BoolVar(&opts.NoPassword, "no-password", false, "store the coldkey UNENCRYPTED (dev keys only)")
	fl.BoolVar(&opts.Overwrite, "overwrite", false, "replace an existing coldkey (asks on a terminal unless --yes)")
	addPasswordFlags(cmd, &opts.Password)
	addCryptoTypeFlag(cmd, &opts.CryptoType, false)
	secretFlagTraps(cmd)
	return cmd
}

func walletNewColdkeyRun(o *walletNewColdkeyOptions) error {
	f := o.f
	if err := keystore.ValidateName("wallet", o.Wallet); err != nil {
		return err
	}
	if err := walletValidateWords(o.Words); err != nil {
		return err
	}
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	if err := walletCheckTargets(f, o.Wallet, o.Overwrite, coldkeyTarget(s, o.Wallet), coldkeyPubTarget(s, o.Wallet)); err != nil {
		return err
	}
	var pw []byte
	if !o.NoPassword {
		if pw, err = walletNewPassword(f, o.Password, fmt.Sprintf("the new coldkey of wallet %q", o.Wallet)); err != nil {
			return err
		}
		defer clear(pw)
	}
	key, err := generateKey(o.Words, o.URI, !o.NoPassword, pw, o.CryptoType.scheme)
	if err != nil {
		return err
	}
	defer key.zero()
	if err := s.WriteColdkey(o.Wallet, key.New, o.Overwrite); err != nil {
		return err
	}
	return walletWrote(f, s, "Created a coldkey for", o.Wallet,
		coldkeyWritten(s, o.Wallet, key.Pair, !o.NoPassword, key.walletNewSecret), nil)
}
