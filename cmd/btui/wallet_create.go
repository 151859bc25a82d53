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
	fl.IntVar(&opts.Words, "words", 12, "number of mnemonic words: 12, 15, 18, 21 or 24")
	fl.IntVar(&opts.Words, "n-words", 12, "alias of --words (btcli)")
	_ = fl.MarkHidden("n-words")
	fl.StringVar(&opts.URI, "uri", "", "make both keys from a dev path such as `//Alice` instead of fresh mnemonics")
	fl.BoolVar(&opts.NoPassword, "no-password", false, "store the coldkey UNENCRYPTED (dev keys only)")
	fl.BoolVar(&opts.UsePassword, "use-password", false, "encrypt the hotkey too (with the same password)")
	fl.BoolVar(&opts.Overwrite, "overwrite", false, "replace an existing coldkey or hotkey (asks on a terminal unless --yes)")
	addPasswordFlags(cmd, &opts.Password)
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
		walletTarget{s.ColdkeyPath(o.Wallet), "a coldkey"},
		walletTarget{s.ColdkeyPubPath(o.Wallet), "a coldkeypub.txt"},
		walletTarget{s.HotkeyPath(o.Wallet, o.Hotkey), fmt.Sprintf("hotkey %q", o.Hotkey)},
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
	cold, err := walletGenerate(o.Words, o.URI)
	if err != nil {
		return err
	}
	defer cold.Keypair.Zero()
	hot, err := walletGenerate(o.Words, o.URI)
	if err != nil {
		return err
	}
	defer hot.Keypair.Zero()
	ck, hk := cold.newKey(!o.NoPassword, pw), hot.newKey(o.UsePassword, pw)
	defer clear(ck.Mnemonic)
	defer clear(hk.Mnemonic)
	if err := s.CreateWallet(o.Wallet, ck, o.Hotkey, hk, o.Overwrite); err != nil {
		return err
	}
	walletWarnPermissions(f, s, o.Wallet)
	return walletPrintResult(f, "Created", walletWriteResultJSON{
		Wallet:     o.Wallet,
		WalletPath: s.Root(),
		Coldkey:    walletCreated(walletKeyFromKeypair("coldkey", s.ColdkeyPath(o.Wallet), cold.Keypair, !o.NoPassword, s.KDFParams()), cold),
		Hotkey:     walletCreated(walletKeyFromKeypair(o.Hotkey, s.HotkeyPath(o.Wallet, o.Hotkey), hot.Keypair, o.UsePassword, s.KDFParams()), hot),
	})
}
