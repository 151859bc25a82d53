package main

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/btui/btui/keystore"
	"github.com/spf13/cobra"
)

// walletMessageOptions say where a message to sign or verify comes from.
type walletMessageOptions struct {
	Text    string
	TextSet bool
	Hex     string
	File    string
}

func addMessageFlags(cmd *cobra.Command, o *walletMessageOptions) {
	cmd.Flags().StringVar(&o.Text, "message", "", "the message as `TEXT` (its UTF-8 bytes)")
	cmd.Flags().StringVar(&o.Hex, "message-hex", "", "the message as `HEX` bytes (0x optional)")
	cmd.Flags().StringVar(&o.File, "message-file", "", "read the message bytes from `PATH` (exactly, nothing trimmed)")
}

// walletReadMessage returns the message bytes from exactly one of the three flags.
func walletReadMessage(o walletMessageOptions) ([]byte, error) {
	n := 0
	for _, set := range []bool{o.TextSet, o.Hex != "", o.File != ""} {
		if set {
			n++
		}
	}
	switch {
	case n == 0:
		return nil, usageErrorf("give the message with --message TEXT, --message-hex HEX or --message-file PATH")
	case n > 1:
		return nil, usageErrorf("give only one of --message, --message-hex and --message-file")
	case o.TextSet:
		return []byte(o.Text), nil
	case o.Hex != "":
		b, err := hex.DecodeString(strings.TrimPrefix(o.Hex, "0x"))
		if err != nil {
			return nil, usageErrorf("--message-hex is not hex: %v", err)
		}
		return b, nil
	}
	b, err := readSecretFile(o.File, "--message-file")
	if err != nil {
		return nil, err
	}
	return b, nil
}

type walletSignOptions struct {
	f *Factory

	Wallet    string
	Hotkey    string
	UseHotkey bool
	Message   walletMessageOptions
	Password  passwordOptions
}

func newCmdWalletSign(f *Factory, runF func(*walletSignOptions) error) *cobra.Command {
	opts := &walletSignOptions{f: f}
	cmd := &cobra.Command{
		Use:   "sign",
		Short: "Sign a message with a coldkey or hotkey",
		Long: `Sign a message with the wallet's coldkey (asking its password if it is encrypted), or with
its hotkey (--use-hotkey). The signature follows the key's scheme, as Substrate signs:
  ecdsa    blake2b-256 of the message, signed deterministically (RFC 6979), low-S, 65 bytes
           r || s || v (MultiSignature::Ecdsa)
  sr25519  schnorrkel over the message bytes in the "substrate" context, 64 bytes, randomized:
           two signatures of one message differ and both verify (MultiSignature::Sr25519;
           what btcli wallet sign and polkadot.js pair.sign make)
Verify it with btui wallet verify, polkadot.js or any Substrate tool. btcli wallets
(--wallet-path ~/.bittensor/wallets) sign in place.

JSON (--json): {"signer": {"wallet", "key", "address", "public_key", "scheme"}, "message_hex", "signature"}.`,
		Example: `  btui wallet sign --wallet-name alice --message "hello"
  btui wallet sign --name alice -H miner1 --use-hotkey --message-hex 0xdeadbeef --json`,
		Args: walletNoArgs("give the message with --message, --message-hex or --message-file"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			opts.Wallet, opts.Hotkey = f.WalletName(), f.HotkeyName()
			opts.Message.TextSet = cmd.Flags().Changed("message")
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletSignRun(opts))
		},
	}
	addMessageFlags(cmd, &opts.Message)
	cmd.Flags().BoolVar(&opts.UseHotkey, "use-hotkey", false, "sign with the hotkey (--wallet-hotkey) instead of the coldkey")
	addPasswordFlags(cmd, &opts.Password)
	secretFlagTraps(cmd)
	return cmd
}

type walletSignerJSON struct {
	Wallet    string `json:"wallet"`
	Key       string `json:"key"` // "coldkey" or the hotkey's name
	Address   string `json:"address"`
	PublicKey string `json:"public_key"`
	Scheme    string `json:"scheme"` // "ecdsa" or "sr25519"
}

type walletSignJSON struct {
	Signer     walletSignerJSON `json:"signer"`
	MessageHex string           `json:"message_hex"`
	Signature  string           `json:"signature"`
}

func walletSignRun(o *walletSignOptions) error {
	f := o.f
	msg, err := walletReadMessage(o.Message)
	if err != nil {
		return err
	}
	if err := keystore.ValidateName("wallet", o.Wallet); err != nil {
		return err
	}
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	var (
		key  *keystore.Key
		name = "coldkey"
	)
	if o.UseHotkey {
		if err := keystore.ValidateName("hotkey", o.Hotkey); err != nil {
			return err
		}
		name = o.Hotkey
		key, err = s.LoadHotkey(o.Wallet, o.Hotkey, walletPasswordFunc(f, o.Password, fmt.Sprintf("hotkey %q of wallet %q", o.Hotkey, o.Wallet)))
	} else {
		key, err = s.LoadColdkey(o.Wallet, walletColdkeyPasswordFunc(f, s, o.Wallet, o.Password))
	}
	if err != nil {
		return err
	}
	defer key.Zero()
	walletWarnPermissions(f, s, o.Wallet)
	sig := key.Pair.SignBytes(msg)
	out := walletSignJSON{
		Signer: walletSignerJSON{Wallet: o.Wallet, Key: name, Address: key.Pair.Address(),
			PublicKey: "0x" + hex.EncodeToString(key.Pair.PublicBytes()), Scheme: key.Pair.Scheme().String()},
		MessageHex: "0x" + hex.EncodeToString(msg),
		Signature:  "0x" + hex.EncodeToString(sig),
	}
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, out)
	}
	fmt.Fprintf(f.IO.Out, "signer     %s (%s of wallet %q, %s)\nsignature  %s\n", out.Signer.Address, name, o.Wallet, out.Signer.Scheme, out.Signature)
	return nil
}
