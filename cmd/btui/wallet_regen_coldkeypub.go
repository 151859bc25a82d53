package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

type walletRegenColdkeypubOptions struct {
	f *Factory

	Wallet     string
	SS58       string
	PublicKey  string
	Overwrite  bool
	CryptoType cryptoType
}

func newCmdWalletRegenColdkeypub(f *Factory, runF func(*walletRegenColdkeypubOptions) error) *cobra.Command {
	opts := &walletRegenColdkeypubOptions{f: f}
	cmd := &cobra.Command{
		Use:     "regen-coldkeypub",
		Aliases: []string{"regen_coldkeypub"},
		Short:   "Restore a wallet's coldkeypub.txt from an address or public key",
		Long: `Write a wallet's coldkeypub.txt (its public coldkey) from an SS58 address (--ss58) or a
public key (--public-key: 32 bytes sr25519, 33 bytes compressed ecdsa). This makes a watch-only
wallet, or repairs a lost coldkeypub.txt (of a btcli $NACL wallet too). If the wallet has a
coldkey for another account this is refused. --crypto-type records the scheme of an --ss58
account (an address alone does not tell; default ecdsa).`,
		Example: `  btui wallet regen-coldkeypub --wallet-name watch --ss58 5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X
  btui wallet regen-coldkeypub --name watch --public-key 0x020a10...d9a1 --overwrite`,
		Args: walletNoArgs("pass the address with --ss58 or the key with --public-key"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Wallet = f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletRegenColdkeypubRun(opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.SS58, "ss58", "", "the coldkey's SS58 `ADDRESS`")
	fl.StringVar(&opts.SS58, "ss58-address", "", "alias of --ss58 (btcli)")
	_ = fl.MarkHidden("ss58-address")
	fl.StringVar(&opts.PublicKey, "public-key", "", "the coldkey's compressed public key, 33 bytes in `HEX`")
	fl.StringVar(&opts.PublicKey, "public-key-hex", "", "alias of --public-key (btcli)")
	_ = fl.MarkHidden("public-key-hex")
	fl.BoolVar(&opts.Overwrite, "overwrite", false, "replace an existing coldkeypub.txt (asks on a terminal unless --yes)")
	addCryptoTypeFlag(cmd, &opts.CryptoType, false)
	return cmd
}

func walletRegenColdkeypubRun(o *walletRegenColdkeypubOptions) error {
	f := o.f
	if err := keystore.ValidateName("wallet", o.Wallet); err != nil {
		return err
	}
	var info keystore.PublicInfo
	switch {
	case o.SS58 != "" && o.PublicKey != "":
		return usageErrorf("give only one of --ss58 and --public-key")
	case o.SS58 != "":
		id, err := wallet.ParseAddress(o.SS58)
		if err != nil {
			return fmt.Errorf("--ss58: %w", err)
		}
		info = keystore.PublicInfo{KeyType: keystore.KeyTypeECDSA, AccountID: id}
		if o.CryptoType.set && o.CryptoType.scheme == wallet.Sr25519 {
			info.KeyType = keystore.KeyTypeSr25519
		}
	case o.PublicKey != "" && len(strings.TrimPrefix(o.PublicKey, "0x")) == 64:
		pub, err := wallet.ParseSrPublicKey(o.PublicKey)
		if err != nil {
			return usageErrorf("--public-key: %v", err)
		}
		info = keystore.PublicInfo{KeyType: keystore.KeyTypeSr25519, AccountID: pub.AccountID()}
	case o.PublicKey != "":
		pub, err := keystore.ParsePublicKey(o.PublicKey)
		if err != nil {
			return usageErrorf("--public-key: %v", err)
		}
		info = keystore.PublicInfo{KeyType: keystore.KeyTypeECDSA, AccountID: pub.AccountID(), PublicKey: pub}
	default:
		return usageErrorf("pass the coldkey's address with --ss58 ADDRESS or its public key with --public-key HEX")
	}
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	_, statErr := os.Lstat(s.ColdkeyPath(o.Wallet))
	hasColdkey := statErr == nil
	if kf, err := s.ReadColdkey(o.Wallet); err == nil {
		info.Encrypted = kf.Encrypted()
		if cp, err := kf.Public(); err == nil && !cp.Sealed && cp.AccountID != info.AccountID {
			return fmt.Errorf("%w: wallet %q has a coldkey for %s, not %s; nothing was written",
				keystore.ErrMismatch, o.Wallet, cp.Address(), info.Address())
		}
	}
	if err := walletCheckTargets(f, o.Wallet, o.Overwrite, coldkeyPubTarget(s, o.Wallet)); err != nil {
		return err
	}
	if err := s.WriteColdkeyPub(o.Wallet, info, o.Overwrite); err != nil {
		return err
	}
	return walletWrote(f, s, "Wrote the coldkeypub.txt of", o.Wallet,
		walletCreated(walletKeyFromInfo("coldkey", s.ColdkeyPubPath(o.Wallet), info, hasColdkey, nil), nil), nil)
}
