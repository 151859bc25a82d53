package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

type walletInspectOptions struct {
	f *Factory

	Wallet string
}

func newCmdWalletInspect(f *Factory, runF func(*walletInspectOptions) error) *cobra.Command {
	opts := &walletInspectOptions{f: f}
	cmd := &cobra.Command{
		Use:   "inspect",
		Short: "Show a wallet's keys, files and encryption in detail",
		Long: `Show one wallet (--wallet-name): its coldkey and hotkeys with address, account id and
public key, each keyfile's path and encryption (KDF parameters), and any problem (unreadable
files, a coldkey that does not match coldkeypub.txt, too-open permissions). No password is
needed and no secret is shown.

JSON (--json): the same object as one entry of btui wallet list --json.`,
		Example: `  btui wallet inspect --wallet-name alice
  btui wallet inspect --name alice --json`,
		Args: walletNoArgs("name the wallet with --wallet-name"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Wallet = f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletInspectRun(opts))
		},
	}
	return cmd
}

func walletInspectRun(o *walletInspectOptions) error {
	f := o.f
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	info, err := s.Wallet(o.Wallet)
	if err != nil {
		return err
	}
	walletWarn(f, info.Warnings)
	walletWarnMismatch(f, info)
	e := walletEntry(info)
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, e)
	}
	w := f.IO.Out
	fmt.Fprintf(w, "wallet  %s  (%s)\n", e.Name, e.Path)
	if e.Coldkey == nil {
		fmt.Fprintln(w, "coldkey  none (no coldkey file and no coldkeypub.txt)")
	} else {
		walletPrintKeyDetail(w, "coldkey", *e.Coldkey, walletColdkeyLabel(*e.Coldkey))
	}
	if len(e.Hotkeys) == 0 {
		fmt.Fprintln(w, "hotkeys  none")
	}
	for _, h := range e.Hotkeys {
		walletPrintKeyDetail(w, "hotkey "+h.Name, h, walletHotkeyLabel(h.Encrypted))
	}
	for _, p := range e.Problems {
		fmt.Fprintln(w, "problem: "+p)
	}
	return nil
}

func walletPrintKeyDetail(w io.Writer, title string, k walletKeyJSON, label string) {
	fmt.Fprintln(w, title)
	if k.Error != "" {
		fmt.Fprintf(w, "  file        %s\n  error       %s\n", k.File, k.Error)
		return
	}
	pub := k.PublicKey
	if pub == "" {
		pub = "unknown (restored from an address)"
	}
	enc := label
	if k.KDF != nil {
		cipher := "xchacha20-poly1305"
		if k.Format == "btcli" {
			cipher = "xsalsa20-poly1305 $NACL"
		}
		enc += fmt.Sprintf(" (%s, t=%d, m=%d KiB, p=%d; %s)", k.KDF.Name, k.KDF.Time, k.KDF.MemoryKiB, k.KDF.Threads, cipher)
	}
	scheme := k.Scheme
	if k.Format == "btcli" {
		scheme += " (btcli format)"
	}
	fmt.Fprintf(w, "  address     %s\n  scheme      %s\n  account id  %s\n  public key  %s\n  file        %s\n  storage     %s\n",
		k.Address, scheme, k.AccountID, pub, k.File, enc)
}
