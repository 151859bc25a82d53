package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

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
	// ShowMnemonic prints the mnemonics on a stdout that is not a terminal.
	ShowMnemonic bool
	// MnemonicOut writes the mnemonics to this new file (0600) instead of stdout.
	MnemonicOut string
}

func newCmdWalletCreate(f *Factory, runF func(*walletCreateOptions) error) *cobra.Command {
	opts := &walletCreateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a wallet: a new coldkey and a first hotkey",
		Long: `Create a wallet: a coldkey (encrypted with a password) and a hotkey (plaintext, for
unattended signing, unless --use-password), each from a fresh mnemonic. The mnemonics are
printed once, now (inside the JSON document with --json), and never again: write them down.

When stdout is not a terminal (a file, a pipe, a log), the mnemonics are not written there
unless asked: without --json, create refuses (exit 2, nothing created) unless
--show-mnemonic (print them anyway) or --mnemonic-out FILE (write them to a new file,
mode 0600; stdout then shows only the addresses).

With --use-password the hotkey is encrypted with the same password as the coldkey.
--no-password stores the coldkey unencrypted; use it only for dev keys (--uri //Alice).`,
		Example: `  btui wallet create --wallet-name alice --wallet-hotkey miner1
  btui wallet create --name ci --password-file ./pw.txt --json
  btui wallet create --name dev --uri //Alice --no-password
  btui wallet create --name ci --password-file ./pw.txt --mnemonic-out ./ci.mnemonic > create.log`,
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
	fl.BoolVar(&opts.ShowMnemonic, "show-mnemonic", false, "print the mnemonics even when stdout is not a terminal")
	fl.StringVar(&opts.MnemonicOut, "mnemonic-out", "", "write the mnemonics to this new file (mode 0600) instead of stdout")
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
	// Decided before any key exists: where the mnemonics go.
	mout, err := walletMnemonicSink(f, o)
	if err != nil {
		return err
	}
	created := false
	if mout != nil {
		defer func() {
			mout.Close()
			if !created {
				os.Remove(o.MnemonicOut)
			}
		}()
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
	coldJSON := coldkeyWritten(s, o.Wallet, cold.Pair, !o.NoPassword, cold.walletNewSecret)
	hotJSON := hotkeyWritten(s, o.Wallet, o.Hotkey, hot.Pair, o.UsePassword, hot.walletNewSecret)
	if mout != nil {
		created = true
		if err := walletWriteMnemonics(mout, o.Wallet, coldJSON, hotJSON); err != nil {
			return fmt.Errorf("the wallet was created but writing its mnemonics to %s failed: %w; they are lost, create the wallet again with --overwrite", o.MnemonicOut, err)
		}
		coldJSON.Mnemonic, hotJSON.Mnemonic = nil, nil
		fmt.Fprintf(f.IO.ErrOut, "The mnemonics are in %s (mode 0600): keep them offline and delete the file once written down.\n", o.MnemonicOut)
	}
	return walletWrote(f, s, "Created", o.Wallet, coldJSON, hotJSON)
}

// walletMnemonicSink decides where create's mnemonics go: stdout (a terminal, --json, or
// --show-mnemonic), a new 0600 file (--mnemonic-out; returned open), or nowhere: then it
// refuses, before anything is created, to write them into a file or pipe unasked.
func walletMnemonicSink(f *Factory, o *walletCreateOptions) (*os.File, error) {
	if o.MnemonicOut != "" {
		if o.ShowMnemonic {
			return nil, usageErrorf("--show-mnemonic and --mnemonic-out both say where the mnemonics go: pass one")
		}
		mf, err := os.OpenFile(o.MnemonicOut, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			if errors.Is(err, os.ErrExist) {
				return nil, usageErrorf("--mnemonic-out %s already exists: nothing was created; name a new file", o.MnemonicOut)
			}
			return nil, usageErrorf("--mnemonic-out %s: %v: nothing was created", o.MnemonicOut, err)
		}
		return mf, nil
	}
	if o.URI != "" || f.Opts.JSON || o.ShowMnemonic || f.IO.IsStdoutTTY() {
		return nil, nil // a dev --uri has no mnemonic
	}
	return nil, usageErrorf("stdout is not a terminal, so wallet create would write the new mnemonics into a file or pipe: nothing was created; " +
		"pass --mnemonic-out FILE to write them to a new file (mode 0600), or --show-mnemonic to print them anyway")
}

// walletWriteMnemonics writes the mnemonics of a new wallet to w.
func walletWriteMnemonics(w *os.File, walletName string, cold, hot *walletCreatedKeyJSON) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# btui wallet %q: the mnemonics of its new keys, shown this once. Keep them offline.\n", walletName)
	if cold != nil && cold.Mnemonic != nil {
		fmt.Fprintf(&b, "coldkey %s: %s\n", cold.Address, *cold.Mnemonic)
	}
	if hot != nil && hot.Mnemonic != nil {
		fmt.Fprintf(&b, "hotkey %s %s: %s\n", hot.Name, hot.Address, *hot.Mnemonic)
	}
	if _, err := w.WriteString(b.String()); err != nil {
		return err
	}
	return w.Sync()
}
