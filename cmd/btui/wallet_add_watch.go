package main

import (
	"fmt"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

type walletAddWatchOptions struct {
	f *Factory

	Name       string
	Address    string
	CryptoType cryptoType
}

func newCmdWalletAddWatch(f *Factory, runF func(*walletAddWatchOptions) error) *cobra.Command {
	opts := &walletAddWatchOptions{f: f}
	cmd := &cobra.Command{
		Use:   "add-watch NAME ADDRESS",
		Short: "Add a watch-only wallet: an address without its key",
		Long: `Add a watch-only wallet NAME for the SS58 ADDRESS: a coldkeypub.txt and no coldkey. Balance,
overview, stake list and the console show it like any wallet; every command that must sign
says "watch-only" (exit 2). Restore its coldkey later with btui wallet regen-coldkey.

--crypto-type records the account's scheme for display: sr25519 (the default: btcli and the
bittensor SDK make sr25519 accounts) or ecdsa. An address alone does not tell.`,
		Example: `  btui wallet add-watch treasury 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
  btui wallet add-watch mine 5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X --crypto-type ecdsa --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageErrorf("btui wallet add-watch takes a wallet NAME and an SS58 ADDRESS, got %d argument(s)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name, opts.Address = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletAddWatchRun(opts))
		},
	}
	addCryptoTypeFlag(cmd, &opts.CryptoType, false)
	return cmd
}

func walletAddWatchRun(o *walletAddWatchOptions) error {
	f := o.f
	if err := keystore.ValidateName("wallet", o.Name); err != nil {
		return err
	}
	id, err := wallet.ParseAddress(o.Address)
	if err != nil {
		return fmt.Errorf("ADDRESS %q: %w", o.Address, err)
	}
	scheme := wallet.Sr25519
	if o.CryptoType.set {
		scheme = o.CryptoType.scheme
	}
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	if _, err := s.Wallet(o.Name); err == nil {
		return &walletExistsError{msg: fmt.Sprintf("wallet %q already exists in %s: nothing was written; choose another name", o.Name, s.Root())}
	}
	info := keystore.PublicInfo{KeyType: keystore.KeyTypeECDSA, AccountID: id}
	if scheme == wallet.Sr25519 {
		info.KeyType = keystore.KeyTypeSr25519
	}
	if err := s.WriteColdkeyPub(o.Name, info, false); err != nil {
		return err
	}
	k := walletKeyFromInfo("coldkey", s.ColdkeyPubPath(o.Name), info, false, nil)
	return walletWrote(f, s, "Added watch-only", o.Name, walletCreated(k, nil), nil)
}
