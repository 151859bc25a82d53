package main

import (
	"fmt"
	"path/filepath"

	"github.com/btui/btui/keystore"
	"github.com/spf13/cobra"
)

type walletConvertOptions struct {
	f *Factory

	Wallet   string
	To       string
	Out      string
	OutPath  string
	Password passwordOptions
}

func newCmdWalletConvert(f *Factory, runF func(*walletConvertOptions) error) *cobra.Command {
	opts := &walletConvertOptions{f: f}
	cmd := &cobra.Command{
		Use:   "convert NAME --to btui|btcli",
		Short: "Copy a wallet into btui's or btcli's file format",
		Long: `Write a copy of wallet NAME in the other file format; the original is never changed.

  --to btui    btui's keyfiles (argon2id + XChaCha20-Poly1305, per-file salt): the safer format
  --to btcli   btcli's (btwallet's) files: $NACL coldkey (argon2i 512 MiB + XSalsa20-Poly1305),
               plaintext JSON hotkeys with <name>pub.txt; sr25519 keys only

The copy is the wallet --as (default NAME-btui or NAME-btcli) under --out-path (default: the
same wallet path). It must not exist. An encrypted coldkey keeps its password; encrypted
hotkeys need the same password as the coldkey. A watch-only wallet gives a watch-only copy.
Converting to btcli runs argon2i twice (write and verify): seconds.`,
		Example: `  btui --wallet-path ~/.bittensor/wallets wallet convert default --to btui --out-path ~/.local/share/btui/wallets --as default
  btui wallet convert alice --to btcli --out-path ~/.bittensor/wallets --as alice`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("btui wallet convert takes one wallet NAME, got %d argument(s)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Wallet = args[0]
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletConvertRun(opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.To, "to", "", "format of the copy: `btui` or btcli")
	fl.StringVar(&opts.Out, "as", "", "name of the copy (default NAME-btui or NAME-btcli)")
	fl.StringVar(&opts.OutPath, "out-path", "", "wallet path of the copy (default: the wallet path)")
	addPasswordFlags(cmd, &opts.Password)
	return cmd
}

func walletConvertRun(o *walletConvertOptions) error {
	f := o.f
	if o.To == "" {
		return usageErrorf("choose the copy's format with --to btui or --to btcli")
	}
	to, err := keystore.ParseFormat(o.To)
	if err != nil {
		return usageErrorf("--to: %v", err)
	}
	if err := keystore.ValidateName("wallet", o.Wallet); err != nil {
		return err
	}
	if o.Out == "" {
		o.Out = o.Wallet + "-" + to.String()
	}
	if err := keystore.ValidateName("wallet", o.Out); err != nil {
		return usageErrorf("--as: %v", err)
	}
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	dst := s
	if o.OutPath != "" && filepath.Clean(o.OutPath) != s.Root() {
		if dst, err = keystore.New(o.OutPath, f.KeystoreOptions...); err != nil {
			return err
		}
	}
	if dst.Root() == s.Root() && o.Out == o.Wallet {
		return usageErrorf("the copy cannot replace wallet %q: choose another name with --as or another --out-path", o.Wallet)
	}
	opt := keystore.ConvertOptions{
		To:       to,
		Password: walletColdkeyPasswordFunc(f, s, o.Wallet, o.Password),
		HotkeyPassword: func(hotkey string) keystore.PasswordFunc {
			return walletPasswordFunc(f, o.Password, fmt.Sprintf("hotkey %q of wallet %q", hotkey, o.Wallet))
		},
	}
	if to == keystore.FormatBtcli {
		fmt.Fprintln(f.IO.ErrOut, "writing btcli's $NACL format runs argon2i (512 MiB) to encrypt and again to verify: this takes a while")
	}
	if err := s.ConvertWallet(o.Wallet, dst, o.Out, opt); err != nil {
		return err
	}
	info, err := dst.Wallet(o.Out)
	if err != nil {
		return err
	}
	e := walletEntry(info)
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, struct {
			From       string          `json:"from"`
			FromPath   string          `json:"from_path"`
			To         string          `json:"to"`
			Format     string          `json:"format"`
			WalletPath string          `json:"wallet_path"`
			Wallet     walletEntryJSON `json:"wallet"`
		}{o.Wallet, s.Root(), o.Out, to.String(), dst.Root(), e})
	}
	fmt.Fprintf(f.IO.Out, "Copied wallet %q (%s) to %q in %s format in %s; the original is unchanged.\n", o.Wallet, s.Root(), o.Out, to, dst.Root())
	walletPrintTree(f.IO.Out, walletListJSON{WalletPath: dst.Root(), Wallets: []walletEntryJSON{e}})
	return nil
}
