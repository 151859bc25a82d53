package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

// cryptoType is the --crypto-type flag: the signature scheme of a new or restored key.
type cryptoType struct {
	scheme wallet.Scheme
	set    bool
}

func (c *cryptoType) String() string {
	if !c.set {
		return ""
	}
	return c.scheme.String()
}

func (c *cryptoType) Set(s string) error {
	sc, err := wallet.ParseScheme(s)
	if err != nil {
		return usageErrorf("--crypto-type: %v", err)
	}
	c.scheme, c.set = sc, true
	return nil
}

func (c *cryptoType) Type() string { return "sr25519|ecdsa" }

// addCryptoTypeFlag adds --crypto-type. restore says whether the command restores a mnemonic
// (then an unset flag means "show both addresses").
func addCryptoTypeFlag(cmd *cobra.Command, c *cryptoType, restore bool) {
	usage := "signature scheme of the new key: ecdsa (btui's default) or sr25519 (the scheme of btcli and the bittensor SDK)"
	if restore {
		usage = "signature scheme of the restored key: sr25519 (btcli and the bittensor SDK) or ecdsa; " +
			"without it btui shows both addresses of the mnemonic and which holds funds on the chain"
	}
	cmd.Flags().Var(c, "crypto-type", usage)
}

// walletRestoreEither derives a restored key without --crypto-type: it shows both addresses of
// the secret (and, with a chain at hand, which of them holds balance or stake) before anything
// is written, and restores the one that holds funds when only one does; otherwise btui's
// default, ECDSA, with how to choose sr25519.
func walletRestoreEither(f *Factory, suri []byte) (*keystore.NewKey, error) {
	sr, srErr := walletFromSURIScheme(suri, wallet.Sr25519)
	ec, ecErr := walletFromSURIScheme(suri, wallet.Ecdsa)
	switch {
	case ecErr != nil:
		walletZeroNewKey(sr)
		if errors.Is(ecErr, wallet.ErrSoftJunction) && srErr == nil {
			return nil, fmt.Errorf("%w; an sr25519 key can have it: pass --crypto-type sr25519", ecErr)
		}
		return nil, ecErr
	case srErr != nil:
		return ec, nil
	}
	w := f.IO.ErrOut
	fmt.Fprintf(w, "This mnemonic gives two accounts, one per signature scheme:\n  sr25519 — the btcli/SDK address: %s\n  ecdsa: %s\n",
		sr.Pair.Address(), ec.Pair.Address())
	funded, note := walletFundedSchemes(f, sr.Pair.AccountID(), ec.Pair.AccountID())
	if note != "" {
		fmt.Fprintln(w, note)
	}
	if len(funded) == 1 && funded[0] == wallet.Sr25519 {
		fmt.Fprintln(w, "Restoring the sr25519 key, the one that holds funds (pass --crypto-type ecdsa for the other).")
		walletZeroNewKey(ec)
		return sr, nil
	}
	fmt.Fprintln(w, "Restoring the ecdsa key (btui's default); pass --crypto-type sr25519 for the btcli/SDK key.")
	walletZeroNewKey(sr)
	return ec, nil
}

// walletFundedSchemes asks the chain, when one is at hand (--node, BTUI_NODE, or an existing
// embedded devnet; none is created), which of the two accounts holds balance or stake. note
// says what was found, or "" without a chain.
func walletFundedSchemes(f *Factory, sr, ec wallet.AccountID) ([]wallet.Scheme, string) {
	if f.NodeURL() == "" {
		if _, err := os.Stat(f.DataDir()); err != nil {
			return nil, ""
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := openChain(ctx, f)
	if err != nil {
		return nil, fmt.Sprintf("(could not ask the chain which account holds funds: %v)", err)
	}
	defer s.Close()
	var funded []wallet.Scheme
	var lines []string
	for _, a := range []struct {
		scheme wallet.Scheme
		id     wallet.AccountID
	}{{wallet.Sr25519, sr}, {wallet.Ecdsa, ec}} {
		b, err := s.accountBalance(a.scheme.String(), a.id)
		if err != nil {
			return nil, fmt.Sprintf("(could not ask the chain which account holds funds: %v)", err)
		}
		lines = append(lines, fmt.Sprintf("%s: %s free, %s staked", a.scheme, tao(b.Free), tao(b.Staked)))
		if b.Free > 0 || b.Staked > 0 {
			funded = append(funded, a.scheme)
		}
	}
	return funded, fmt.Sprintf("On the chain: %s; %s.", lines[0], lines[1])
}
