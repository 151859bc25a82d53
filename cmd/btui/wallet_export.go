package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/btui/btui/keystore"
	"github.com/spf13/cobra"
)

type walletExportOptions struct {
	f *Factory

	Wallet    string
	Format    string
	Out       string
	Hotkey    string
	UseHotkey bool
	Password  passwordOptions
	Overwrite bool
}

func newCmdWalletExport(f *Factory, runF func(*walletExportOptions) error) *cobra.Command {
	opts := &walletExportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "export NAME --format polkadot-js",
		Short: "Export a wallet's coldkey (or hotkey) as a polkadot.js keyring JSON file",
		Long: `Write wallet NAME's coldkey (or, with --use-hotkey, its hotkey) as the keyring JSON file that
polkadot.js apps and the polkadot{.js} extension import: version 3, scrypt + xsalsa20-poly1305,
pkcs8 content, sr25519 or ecdsa. The file is encrypted with a new password (asked twice on a
terminal; --password-file and BTUI_NEW_PASSWORD work too). It is written to --out (default
NAME.json in the current directory, mode 0600), never over an existing file unless --overwrite.
The wallet's coldkey password is asked first when it is encrypted. Import such a file back with
btui wallet regen-coldkey --json-file FILE.`,
		Example: `  btui wallet export alice --format polkadot-js --out alice.json
  btui wallet export alice --format polkadot-js --use-hotkey --wallet-hotkey miner1`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("btui wallet export takes one wallet NAME, got %d argument(s)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Wallet, opts.Hotkey = args[0], f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletExportRun(opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Format, "format", "", "file format: `polkadot-js`")
	fl.StringVarP(&opts.Out, "out", "o", "", "write the file to `PATH` (default NAME.json)")
	fl.BoolVar(&opts.UseHotkey, "use-hotkey", false, "export the hotkey (--wallet-hotkey) instead of the coldkey")
	fl.BoolVar(&opts.Overwrite, "overwrite", false, "replace an existing file at --out")
	addPasswordFlags(cmd, &opts.Password)
	return cmd
}

func walletExportRun(o *walletExportOptions) error {
	f := o.f
	switch o.Format {
	case "polkadot-js", "polkadotjs", "polkadot.js":
	case "":
		return usageErrorf("choose the file format with --format polkadot-js")
	default:
		return usageErrorf("--format %q: btui exports polkadot-js keyring files (use wallet convert --to btcli for btcli's format)", o.Format)
	}
	if err := keystore.ValidateName("wallet", o.Wallet); err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		out = o.Wallet + ".json"
	}
	if _, err := os.Lstat(out); err == nil && !o.Overwrite {
		return &walletExistsError{msg: fmt.Sprintf("%s already exists: nothing was written; pass --overwrite to replace it or choose --out", out)}
	}
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	var key *keystore.Key
	what := fmt.Sprintf("the coldkey of wallet %q", o.Wallet)
	if o.UseHotkey {
		what = fmt.Sprintf("hotkey %q of wallet %q", o.Hotkey, o.Wallet)
		key, err = s.LoadHotkey(o.Wallet, o.Hotkey, walletPasswordFunc(f, o.Password, what))
	} else {
		key, err = s.LoadColdkey(o.Wallet, walletColdkeyPasswordFunc(f, s, o.Wallet, o.Password))
	}
	if err != nil {
		return err
	}
	defer key.Zero()
	pw, err := readPassword(f, passwordRequest{What: "a password for the polkadot.js file", Opts: o.Password, Env: envNewPassword,
		Prompt: "Password for the polkadot.js file: ", Confirm: true})
	if err != nil {
		return err
	}
	defer clear(pw)
	data, err := keystore.ExportPolkadotJS(key.Pair, pw, o.Wallet)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(out, data, o.Overwrite); err != nil {
		return err
	}
	abs, _ := filepath.Abs(out)
	res := struct {
		Wallet  string `json:"wallet"`
		Key     string `json:"key"`
		Address string `json:"address"`
		Scheme  string `json:"scheme"`
		Format  string `json:"format"`
		File    string `json:"file"`
	}{o.Wallet, what, key.Pair.Address(), key.Pair.Scheme().String(), "polkadot-js", abs}
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, res)
	}
	fmt.Fprintf(f.IO.Out, "Exported %s (%s, %s) to %s as a polkadot.js keyring file (version 3, scrypt + xsalsa20-poly1305).\n",
		what, res.Address, res.Scheme, abs)
	return nil
}

// writeFileAtomic writes data to path with mode 0600 through a temporary file in the same
// directory, never over an existing file unless overwrite.
func writeFileAtomic(path string, data []byte, overwrite bool) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".tmp-export-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name)
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if overwrite {
		return os.Rename(name, path)
	}
	if err := os.Link(name, path); err != nil {
		return &walletExistsError{msg: fmt.Sprintf("%s already exists: nothing was written; pass --overwrite to replace it", path)}
	}
	return nil
}
