package main

import (
	"fmt"

	"github.com/btui/btui/keystore"
	"github.com/spf13/cobra"
)

type walletCreateOptions struct {
	f *Factory

	Wallet      string
	Hotkey      string
	Words       int
	URI         string
	NoPassword  bool
	UsePassword bool
	Overwrite   bool
	Password    passwordOptions
	CryptoType  cryptoType
}

func newCmdWalletCreate(f *Factory, runF func(*walletCreateOptions) error) *cobra.Command {
	opts := &walletCreateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a wallet: a new coldkey and a first hotkey",
		Long: `Create a wallet: a coldkey (encrypted with a password) and a hotkey (plaintext, for
unattended signing, unless --use-password), each from a fresh mnemonic. The mnemonics are
printed once, now (inside the JSON document with --json), and never again: write them down.

With --use-password the hotkey is encrypted with the same password as the coldkey.
--no-password stores the coldkey unencrypted; use it only for dev keys (--uri //Alice).`,
		Example: `  btui wallet create --wallet-name alice --wallet-hotkey miner1
  btui wallet create --name ci --password-file ./pw.txt --json
  btui wallet create --name dev --uri //Alice --no-password`,
		Args: walletNoArgs("name the wallet with --wallet-name and the hotkey with --wallet-hotkey"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			opts.Wallet, opts.Hotkey = f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletCreateRun(opts))
		},
	}
	fl := cmd.Flags()
	addKeygenFlags(cmd, &opts.Words, &opts.URI, "make both keys from a dev path such as `//Alice` instead of fresh mnemonics")
	fl.BoolVar(&opts.NoPassword, "no-password", false, "store the coldkey UNENCRYPTED (dev keys only)")
	fl.BoolVar(&opts.UsePassword, "use-password", false, "encrypt the hotkey too (with the same password)")
	fl.BoolVar(&opts.Overwrite, "overwrite", false, "replace an existing coldkey or hotkey (asks on a terminal unless --yes)")
	addPasswordFlags(cmd, &opts.Password)
	addCryptoTypeFlag(cmd, &opts.CryptoType, false)
	secretFlagTraps(cmd)
	return cmd
}

func walletCreateRun(o *walletCreateOptions) error {
	f := o.f
	if err := keystore.ValidateName("wallet", o.Wallet); err != nil {
		return err
	}
	if err := keystore.ValidateName("hotkey", o.Hotkey); err != nil {
		return err
	}
	if err := walletValidateWords(o.Words); err != nil {
		return err
	}
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	if err := walletCheckTargets(f, o.Wallet, o.Overwrite,
		coldkeyTarget(s, o.Wallet), coldkeyPubTarget(s, o.Wallet), hotkeyTarget(s, o.Wallet, o.Hotkey),
	); err != nil {
		return err
	}
	var pw []byte
	if !o.NoPassword || o.UsePassword {
		what := fmt.Sprintf("the new coldkey of wallet %q", o.Wallet)
		if o.UsePassword {
			what = fmt.Sprintf("the new keys of wallet %q", o.Wallet)
		}
		if pw, err = walletNewPassword(f, o.Password, what); err != nil {
			return err
		}
		defer clear(pw)
	}
	cold, err := generateKey(o.Words, o.URI, !o.NoPassword, pw, o.CryptoType.scheme)
	if err != nil {
		return err
	}
	defer cold.zero()
	hot, err := generateKey(o.Words, o.URI, o.UsePassword, pw, o.CryptoType.scheme)
	if err != nil {
		return err
	}
	defer hot.zero()
	if err := s.CreateWallet(o.Wallet, cold.New, o.Hotkey, hot.New, o.Overwrite); err != nil {
		return err
	}
	return walletWrote(f, s, "Created", o.Wallet,
		coldkeyWritten(s, o.Wallet, cold.Pair, !o.NoPassword, cold.walletNewSecret),
		hotkeyWritten(s, o.Wallet, o.Hotkey, hot.Pair, o.UsePassword, hot.walletNewSecret))
}
