package main

import (
	"fmt"

	"github.com/btui/btui/keystore"
	"github.com/spf13/cobra"
)

type walletNewHotkeyOptions struct {
	f *Factory

	Wallet      string
	Hotkey      string
	Words       int
	URI         string
	UsePassword bool
	Overwrite   bool
	Password    passwordOptions
	CryptoType  cryptoType
}

func newCmdWalletNewHotkey(f *Factory, runF func(*walletNewHotkeyOptions) error) *cobra.Command {
	opts := &walletNewHotkeyOptions{f: f}
	cmd := &cobra.Command{
		Use:     "new-hotkey",
		Aliases: []string{"new_hotkey"},
		Short:   "Create a new hotkey in a wallet",
		Long: `Create a hotkey from a fresh mnemonic. It is stored as a plaintext seed (for unattended
signing, as btcli does) unless --use-password encrypts it. The mnemonic is printed once, now
(inside the JSON document with --json), and never again.`,
		Example: `  btui wallet new-hotkey --wallet-name alice --wallet-hotkey miner2
  btui wallet new-hotkey --name alice -H validator --use-password --password-file ./pw.txt`,
		Args: walletNoArgs("name the hotkey with --wallet-hotkey"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			opts.Wallet, opts.Hotkey = f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletNewHotkeyRun(opts))
		},
	}
	fl := cmd.Flags()
	addKeygenFlags(cmd, &opts.Words, &opts.URI, "make the key from a dev path such as `//Alice` instead of a fresh mnemonic")
	fl.BoolVar(&opts.UsePassword, "use-password", false, "encrypt the hotkey with a password")
	fl.BoolVar(&opts.Overwrite, "overwrite", false, "replace an existing hotkey (asks on a terminal unless --yes)")
	addPasswordFlags(cmd, &opts.Password)
	addCryptoTypeFlag(cmd, &opts.CryptoType, false)
	secretFlagTraps(cmd)
	return cmd
}

func walletNewHotkeyRun(o *walletNewHotkeyOptions) error {
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
	if err := walletCheckTargets(f, o.Wallet, o.Overwrite, hotkeyTarget(s, o.Wallet, o.Hotkey)); err != nil {
		return err
	}
	var pw []byte
	if o.UsePassword {
		if pw, err = walletNewPassword(f, o.Password, fmt.Sprintf("the new hotkey %q of wallet %q", o.Hotkey, o.Wallet)); err != nil {
			return err
		}
		defer clear(pw)
	}
	key, err := generateKey(o.Words, o.URI, o.UsePassword, pw, o.CryptoType.scheme)
	if err != nil {
		return err
	}
	defer key.zero()
	if err := s.WriteHotkey(o.Wallet, o.Hotkey, key.New, o.Overwrite); err != nil {
		return err
	}
	return walletWrote(f, s, "Created a hotkey in", o.Wallet,
		nil, hotkeyWritten(s, o.Wallet, o.Hotkey, key.Pair, o.UsePassword, key.walletNewSecret))
}
