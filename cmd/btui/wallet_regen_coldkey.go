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
unless --no-password (dev keys only). An existing coldkey is replaced only with --overwrite.`,
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
	nk, err := readRestoredKey(f, o.Mnemonic, fmt.Sprintf("the mnemonic of the coldkey of wallet %q", o.Wallet))
	if err != nil {
		return err
	}
	defer walletZeroNewKey(nk)
	if !o.Overwrite {
		// A coldkeypub.txt for another account: refuse before asking a password.
		if pub, err := s.ColdkeyPub(o.Wallet); err == nil && pub.AccountID != nk.Keypair.AccountID() {
			return &walletExistsError{msg: fmt.Sprintf("wallet %q already has a coldkeypub.txt for another account (%s, not %s): "+
				"nothing was written; pass --overwrite to replace it", o.Wallet, pub.Address(), nk.Keypair.Address())}
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
	return walletWrote(f, s, "Restored the coldkey of", o.Wallet, coldkeyWritten(s, o.Wallet, nk.Keypair, nk.Encrypt, nil), nil)
}
