package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

// resolveAddress turns what a user typed where an account is expected into the account:
//
//   - an SS58 address (prefix 42);
//   - a dev path of the well-known dev phrase: //Alice, //Bob, //Alice//stash, under the
//     scheme of --crypto-type (ecdsa unless sr25519 is given: genesis funds the ecdsa ones);
//   - wallet/hotkey: that hotkey of that wallet;
//   - a wallet name: its coldkey.
//
// Only public information is read (coldkeypub.txt, a keyfile's public fields): no password.
// The label says what the input resolved from, for human output.
func resolveAddress(f *Factory, s string) (id wallet.AccountID, label string, err error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return id, "", usageErrorf("empty address: give an SS58 address, a dev name such as //Alice, a wallet name, or wallet/hotkey")
	case strings.HasPrefix(s, "//"):
		kp, err := wallet.PairFromSURI(f.Opts.DevScheme, s)
		if err != nil {
			return id, "", err
		}
		if err := checkDevPath(f, s); err != nil {
			kp.Zero()
			return id, "", err
		}
		defer kp.Zero()
		return kp.AccountID(), "dev " + s, nil
	}
	id, ssErr := wallet.ParseAddress(s)
	if ssErr == nil {
		return id, "", nil
	}
	ks, err := f.Keystore()
	if err != nil {
		return id, "", err
	}
	if w, hk, ok := strings.Cut(s, "/"); ok {
		p, err := ks.HotkeyPublic(w, hk)
		if err != nil {
			return id, "", fmt.Errorf("%q is not an SS58 address, and as wallet/hotkey: %w", s, err)
		}
		return p.AccountID, "hotkey " + s, nil
	}
	if keystore.ValidateName("wallet", s) != nil || looksLikeSS58(s) {
		// Not a possible wallet name, or clearly meant as an address: the SS58 error is the
		// useful one.
		return id, "", fmt.Errorf("%q: %w", s, ssErr)
	}
	p, err := ks.ColdkeyPublic(s)
	if err != nil {
		if errors.Is(err, keystore.ErrNotFound) {
			return id, "", fmt.Errorf("%q is neither an SS58 address nor a wallet in %s: %w", s, ks.Root(), err)
		}
		return id, "", err
	}
	return p.AccountID, "wallet " + s, nil
}

// isBase58 reports whether s is made only of base58 characters (what an SS58 address is
// written with).
func isBase58(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", r) {
			return false
		}
	}
	return s != ""
}

// looksLikeSS58 reports a long base58 string: an address with a typo rather than a wallet name.
func looksLikeSS58(s string) bool {
	if len(s) < 40 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", r) {
			return false
		}
	}
	return true
}

// checkDevPath refuses a //path whose first junction is not one of the six genesis dev
// accounts unless --allow-dev-path: any //Name derives a valid key, so a typo such as //Bobb
// would silently name an account nobody uses.
func checkDevPath(f *Factory, s string) error {
	if f.Opts.AllowDevPath {
		return nil
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(s, "//"), "/")
	for _, n := range wallet.DevNames() {
		if first == n {
			return nil
		}
	}
	return usageErrorf("%q is not one of the dev accounts //%s: check the spelling, or pass --allow-dev-path to use that derivation path of the dev phrase", s, strings.Join(wallet.DevNames(), ", //"))
}

// devPair derives dev account name (//Alice or Alice) under the scheme --crypto-type chose:
// ecdsa by default (the dev accounts genesis funds), sr25519 with --crypto-type sr25519 (the
// //Alice of polkadot.js and btcli, 5GrwvaEF...). The caller zeroes it.
func devPair(f *Factory, name string) (wallet.Pair, error) {
	kp, err := wallet.DevPair(f.Opts.DevScheme, name)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	return kp, nil
}

// devSchemeFlag is the global --crypto-type: the scheme of dev names (//Alice) used as an
// address or a signer. The wallet commands that make or restore keys have their own
// --crypto-type, which applyGlobalFlags copies here so that their dev names follow it too.
type devSchemeFlag struct{ o *GlobalOptions }

func (d devSchemeFlag) String() string {
	if d.o == nil {
		return ""
	}
	return d.o.DevScheme.String()
}

func (d devSchemeFlag) Set(s string) error {
	sc, err := wallet.ParseScheme(s)
	if err != nil {
		return usageErrorf("--crypto-type: %v", err)
	}
	d.o.DevScheme = sc
	return nil
}

func (d devSchemeFlag) Type() string { return "sr25519|ecdsa" }

// applyDevScheme takes the scheme of dev names from the command's --crypto-type, the global
// one or a wallet command's own.
func applyDevScheme(cmd *cobra.Command, o *GlobalOptions) error {
	fl := cmd.Flags().Lookup("crypto-type")
	if fl == nil || !fl.Changed {
		return nil
	}
	sc, err := wallet.ParseScheme(fl.Value.String())
	if err != nil {
		return usageErrorf("--crypto-type: %v", err)
	}
	o.DevScheme = sc
	return nil
}
