package main

import (
	"fmt"

	"github.com/btui/btui/keystore"
	"github.com/spf13/cobra"
)

type walletChangePasswordOptions struct {
	f *Factory

	Wallet      string
	Password    passwordOptions
	NewPassword passwordOptions
}

func newCmdWalletChangePassword(f *Factory, runF func(*walletChangePasswordOptions) error) *cobra.Command {
	opts := &walletChangePasswordOptions{f: f}
	cmd := &cobra.Command{
		Use:     "change-password",
		Aliases: []string{"change_password"},
		Short:   "Change the password of a wallet's coldkey",
		Long: `Re-encrypt a wallet's coldkey under a new password, with a fresh salt and nonce and the
current (default) KDF parameters. The current password comes from the prompt, --password-file,
--password-stdin or env BTUI_PASSWORD; it is checked before the new one is asked. The new one
comes from the prompt (asked twice), --new-password-file, --new-password-stdin or env
BTUI_NEW_PASSWORD. An unencrypted (--no-password) coldkey becomes encrypted. The old file is
replaced only once the new one is written and verified.`,
		Example: `  btui wallet change-password --wallet-name alice
  btui wallet change-password --name alice --password-file old.txt --new-password-file new.txt`,
		Args: walletNoArgs("name the wallet with --wallet-name"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			opts.Wallet = f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletChangePasswordRun(opts))
		},
	}
	addPasswordFlags(cmd, &opts.Password)
	cmd.Flags().StringVar(&opts.NewPassword.File, "new-password-file", "", "read the new password from `PATH` (one trailing newline is dropped)")
	cmd.Flags().BoolVar(&opts.NewPassword.Stdin, "new-password-stdin", false, "read the new password from standard input")
	secretFlagTraps(cmd)
	return cmd
}

type walletChangePasswordJSON struct {
	Wallet     string        `json:"wallet"`
	WalletPath string        `json:"wallet_path"`
	Coldkey    walletKeyJSON `json:"coldkey"`
}

func walletChangePasswordRun(o *walletChangePasswordOptions) error {
	f := o.f
	if err := keystore.ValidateName("wallet", o.Wallet); err != nil {
		return err
	}
	if o.Password.Stdin && o.NewPassword.Stdin {
		return usageErrorf("standard input can carry only one of --password-stdin and --new-password-stdin: use a file for the other")
	}
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	walletWarnPermissions(f, s, o.Wallet)
	what := fmt.Sprintf("the coldkey of wallet %q", o.Wallet)
	newPassword := func() ([]byte, error) {
		return readPassword(f, passwordRequest{
			What: "a new password for " + what, Opts: o.NewPassword, Env: envNewPassword,
			Prompt: "New password for " + what + ": ", Confirm: true,
			FileFlag: "--new-password-file", StdinFlag: "--new-password-stdin",
		})
	}
	if err := s.ChangeColdkeyPassword(o.Wallet, walletPasswordFunc(f, o.Password, what), newPassword); err != nil {
		return err
	}
	kf, err := s.ReadColdkey(o.Wallet)
	if err != nil {
		return err
	}
	pub, err := kf.Public()
	if err != nil {
		return err
	}
	params, _ := kf.KDFParams()
	out := walletChangePasswordJSON{Wallet: o.Wallet, WalletPath: s.Root(),
		Coldkey: walletKeyFromInfo("coldkey", s.ColdkeyPath(o.Wallet), pub, true, &params)}
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, out)
	}
	fmt.Fprintf(f.IO.Out, "Changed the password of the coldkey of wallet %q (%s)\n  encrypted with argon2id t=%d, m=%d KiB, p=%d\n",
		o.Wallet, pub.Address(), params.Time, params.Memory, params.Threads)
	return nil
}
