package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

type walletVerifyOptions struct {
	f *Factory

	Message   walletMessageOptions
	Signature string
	Address   string
	PublicKey string
}

func newCmdWalletVerify(f *Factory, runF func(*walletVerifyOptions) error) *cobra.Command {
	opts := &walletVerifyOptions{f: f}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Verify a signature",
		Long: `Verify a signature of a message by a signer. The scheme follows from the signature's length:
65 bytes is Substrate ECDSA (r || s || v, low-S, over blake2b-256 of the message), 64 bytes is
sr25519 (schnorrkel, "substrate" context, over the message bytes: what btcli, the bittensor SDK
and polkadot.js sign). The signer (--address) is an SS58 address, a wallet name (its coldkey),
wallet/hotkey, or a dev path such as //Alice (taken in the signature's scheme); or give its
public key with --public-key (33 bytes ecdsa, 32 bytes sr25519). No password is needed.

Exit status: 0 when the signature is valid, 1 when it is not, 2 when the input is malformed
(bad hex, wrong length, high-S or a recovery id other than 0 or 1, an invalid address).
JSON (--json): {"valid", "signer", "scheme", "message_hex", "signature", "error"}.`,
		Example: `  btui wallet verify --address 5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X --message-hex 0xdeadbeef --signature 0x9f04...00
  btui wallet verify --address alice/miner1 --message "hello" --signature 0x... --json`,
		Args: walletNoArgs("give the signer with --address, the message with --message and the signature with --signature"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Message.TextSet = cmd.Flags().Changed("message")
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletVerifyRun(opts))
		},
	}
	addMessageFlags(cmd, &opts.Message)
	cmd.Flags().StringVar(&opts.Signature, "signature", "", "the signature, 65 bytes (ecdsa) or 64 bytes (sr25519) in `HEX` (0x optional)")
	cmd.Flags().StringVar(&opts.Address, "address", "", "the signer: SS58 `ADDRESS`, wallet, wallet/hotkey or //Dev")
	cmd.Flags().StringVar(&opts.Address, "ss58", "", "alias of --address")
	_ = cmd.Flags().MarkHidden("ss58")
	cmd.Flags().StringVar(&opts.PublicKey, "public-key", "", "the signer's public key in `HEX`: 33 bytes (ecdsa) or 32 bytes (sr25519)")
	return cmd
}

type walletVerifyJSON struct {
	Valid      bool   `json:"valid"`
	Signer     string `json:"signer"`
	Scheme     string `json:"scheme"`
	MessageHex string `json:"message_hex"`
	Signature  string `json:"signature"`
	Error      string `json:"error"`
}

// walletParseSignature parses 65 (ecdsa) or 64 (sr25519) bytes of hex and names the scheme.
func walletParseSignature(s string) ([]byte, wallet.Scheme, error) {
	h := strings.TrimPrefix(s, "0x")
	var scheme wallet.Scheme
	switch len(h) {
	case 130:
		scheme = wallet.Ecdsa
	case 128:
		scheme = wallet.Sr25519
	default:
		return nil, 0, usageErrorf("--signature must be 65 bytes (130 hex digits), got %d hex digits (an sr25519 signature is 64 bytes, 128 hex digits)", len(h))
	}
	sig, err := hex.DecodeString(h)
	if err != nil {
		return nil, 0, usageErrorf("--signature is not hex: %v", err)
	}
	return sig, scheme, nil
}

// walletResolveAccount turns an address argument into an account: a //dev path, wallet/hotkey,
// a wallet name (its coldkey), or an SS58 address.
func walletResolveAccount(f *Factory, in string, scheme wallet.Scheme) (wallet.AccountID, error) {
	if strings.HasPrefix(in, "//") {
		kp, err := wallet.PairFromSURI(scheme, in)
		if err != nil {
			return wallet.AccountID{}, err
		}
		defer kp.Zero()
		return kp.AccountID(), nil
	}
	if w, h, ok := strings.Cut(in, "/"); ok {
		s, err := f.Keystore()
		if err != nil {
			return wallet.AccountID{}, err
		}
		p, err := s.HotkeyPublic(w, h)
		return p.AccountID, err
	}
	if keystore.ValidateName("wallet", in) == nil {
		if s, err := f.Keystore(); err == nil {
			if st, err := os.Stat(s.WalletDir(in)); err == nil && st.IsDir() {
				p, err := s.ColdkeyPublic(in)
				return p.AccountID, err
			}
		}
	}
	id, err := wallet.ParseAddress(in)
	if err != nil {
		return wallet.AccountID{}, fmt.Errorf("--address %q is not a wallet in %s, wallet/hotkey or //Dev, and %w", in, f.WalletPath(), err)
	}
	return id, nil
}

func walletVerifyRun(o *walletVerifyOptions) error {
	f := o.f
	msg, err := walletReadMessage(o.Message)
	if err != nil {
		return err
	}
	if o.Signature == "" {
		return usageErrorf("give the signature with --signature HEX")
	}
	sig, scheme, err := walletParseSignature(o.Signature)
	if err != nil {
		return err
	}
	var who wallet.AccountID
	switch {
	case o.Address != "" && o.PublicKey != "":
		return usageErrorf("give only one of --address and --public-key")
	case o.Address != "":
		if who, err = walletResolveAccount(f, o.Address, scheme); err != nil {
			return err
		}
	case o.PublicKey != "" && len(strings.TrimPrefix(o.PublicKey, "0x")) == 64:
		pub, err := wallet.ParseSrPublicKey(o.PublicKey)
		if err != nil {
			return usageErrorf("--public-key: %v", err)
		}
		who = pub.AccountID()
	case o.PublicKey != "":
		pub, err := keystore.ParsePublicKey(o.PublicKey)
		if err != nil {
			return usageErrorf("--public-key: %v (an sr25519 key is 32 bytes, 64 hex digits)", err)
		}
		who = pub.AccountID()
	default:
		return usageErrorf("give the signer with --address (SS58, wallet, wallet/hotkey or //Dev) or --public-key HEX")
	}
	verr := wallet.VerifyScheme(scheme, msg, sig, who)
	if verr != nil && !errors.Is(verr, wallet.ErrBadSignature) {
		return verr // malformed input (high-S, recovery id): an error, not a verdict
	}
	out := walletVerifyJSON{Valid: verr == nil, Signer: who.SS58(), Scheme: scheme.String(), MessageHex: "0x" + hex.EncodeToString(msg), Signature: "0x" + hex.EncodeToString(sig)}
	if verr != nil {
		out.Error = verr.Error()
	}
	if f.Opts.JSON {
		if err := walletPrintJSON(f.IO.Out, out); err != nil {
			return err
		}
	} else if verr == nil {
		fmt.Fprintf(f.IO.Out, "valid: signed by %s (%s)\n", out.Signer, out.Scheme)
	}
	if verr != nil {
		if errors.Is(verr, wallet.ErrBadSignature) {
			return fmt.Errorf("the signature is not valid for this message and signer %s: %w", out.Signer, verr)
		}
		return verr
	}
	return nil
}
