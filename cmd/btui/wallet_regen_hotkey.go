package main

import (
	"fmt"

	"github.com/btui/btui/keystore"
	"github.com/spf13/cobra"
)

type walletRegenHotkeyOptions struct {
	f *Factory

	Wallet      string
	Hotkey      string
	Mnemonic    mnemonicOptions
	UsePassword bool
	Overwrite   bool
	Password    passwordOptions
	CryptoType  cryptoType
}

func newCmdWalletRegenHotkey(f *Factory, runF func(*walletRegenHotkeyOptions) error) *cobra.Command {
	opts := &walletRegenHotkeyOptions{f: f}
	cmd := &cobra.Command{
		Use:     "regen-hotkey",
		Aliases: []string{"regen_hotkey"},
		Short:   "Restore a hotkey from its mnemonic or secret URI",
		Long: `Restore a hotkey from a mnemonic or a full secret URI (phrase//hard///password, or a 0x
seed), read from a prompt without echo, --mnemonic-file or --mnemonic-stdin; never from the
command line. --uri takes dev paths such as //Alice. The hotkey is stored as a plaintext seed
unless --use-password. An existing hotkey is replaced only with --overwrite.`,
		Example: `  btui wallet regen-hotkey --wallet-name alice --wallet-hotkey miner1
  btui wallet regen-hotkey --name alice -H miner1 --mnemonic-stdin < mnemonic.txt`,
		Args: walletNoSecretArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			opts.Wallet, opts.Hotkey = f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletRegenHotkeyRun(opts))
		},
	}
	fl := cmd.Flags()
	addMnemonicFlags(cmd, &opts.Mnemonic)
	fl.BoolVar(&opts.UsePassword, "use-password", false, "encrypt the hotkey with a password")
	fl.BoolVar(&opts.Overwrite, "overwrite", false, "replace an existing hotkey (asks on a terminal unless --yes)")
	addPasswordFlags(cmd, &opts.Password)
	addCryptoTypeFlag(cmd, &opts.CryptoType, true)
	secretFlagTraps(cmd)
	return cmd
}

func walletRegenHotkeyRun(o *walletRegenHotkeyOptions) error {
	f := o.f
	if err := keystore.ValidateName("wallet", o.Wallet); err != nil {
		return err
	}
	if err := keystore.ValidateName("hotkey", o.Hotkey); err != nil {
		return err
	}
	if err := checkStdinUse(o.Password, o.Mnemonic); err != nil {
		return err
	}
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	if err := walletCheckTargets(f, o.Wallet, o.Overwrite, hotkeyTarget(s, o.Wallet, o.Hotkey)); err != nil {
		return err
	}
	nk, err := readRestoredKey(f, o.Mnemonic, fmt.Sprintf("the mnemonic of hotkey %q of wallet %q", o.Hotkey, o.Wallet), o.CryptoType)
	if err != nil {
		return err
	}
	defer walletZeroNewKey(nk)
	if o.UsePassword {
		if err := encryptNewKey(f, nk, o.Password, fmt.Sprintf("hotkey %q of wallet %q", o.Hotkey, o.Wallet)); err != nil {
			return err
		}
	}
	if err := s.WriteHotkey(o.Wallet, o.Hotkey, *nk, o.Overwrite); err != nil {
		return err
	}
	return walletWrote(f, s, "Restored a hotkey in", o.Wallet, nil, hotkeyWritten(s, o.Wallet, o.Hotkey, nk.Pair, nk.Encrypt, nil))
}
