package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

// `btui tx prepare` runs on the online machine: it reads from the node everything an offline
// `tx sign --offline` needs and prints it as that command's flags, with the metadata saved to a
// file to carry over with them.

type txPrepareOptions struct {
	Address     string
	UseHotkey   bool
	Era         string
	MetadataOut string
}

// txPrepareJSON is `btui tx prepare --json`.
type txPrepareJSON struct {
	Network      string   `json:"network"`
	Signer       string   `json:"signer"`
	MetadataFile string   `json:"metadata_file"`
	Nonce        uint64   `json:"nonce"`
	Era          string   `json:"era"` // "immortal" or the period
	BlockNumber  *uint64  `json:"block_number"`
	BlockHash    *string  `json:"block_hash"`
	ValidUntil   *uint64  `json:"valid_until"` // the last block a transaction signed with these values can be included in
	GenesisHash  string   `json:"genesis_hash"`
	SpecVersion  uint32   `json:"spec_version"`
	TxVersion    uint32   `json:"tx_version"`
	Flags        []string `json:"flags"` // the tx sign --offline flags, in order
}

func newCmdTxPrepare(f *Factory) *cobra.Command {
	o := &txPrepareOptions{}
	cmd := &cobra.Command{
		Use:   "prepare --network NETWORK --metadata-out FILE",
		Short: "Read from the node what an offline tx sign needs, as its flags",
		Long: `On the online machine: read from the node of --network the runtime's metadata (saved to
--metadata-out FILE, as 0x hex), the signer's next nonce, the finalized head for a mortal era
(--era, default 128 blocks; or immortal), the genesis hash and the runtime and transaction
versions, and print them as the flags of btui tx sign --offline. Carry the file and the flags to
the offline machine. The signer is the wallet's coldkey (--use-hotkey: its hotkey; no password is
needed), or --address.

A mortal era runs from the finalized head: the transaction must be signed, carried back and
included within that many blocks (12 s each).

JSON (--json): {"network", "signer", "metadata_file", "nonce", "era", "block_number",
"block_hash", "valid_until", "genesis_hash", "spec_version", "tx_version", "flags"}.`,
		Example: `  btui tx prepare --network finney --wallet-name cold --metadata-out finney-metadata.hex
  btui tx prepare --network finney --address 5F… --era immortal --metadata-out m.hex --json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("era") {
				o.Era = strconv.Itoa(txDefaultPeriod)
			}
			return txPrepareRun(cmd.Context(), f, o)
		},
	}
	cmd.Flags().StringVar(&o.Address, "address", "", "the signer's `SS58` address (default: the wallet's coldkey, or its hotkey with --use-hotkey)")
	cmd.Flags().BoolVar(&o.UseHotkey, "use-hotkey", false, "the signer is the wallet's hotkey (--wallet-hotkey)")
	cmd.Flags().StringVar(&o.Era, "era", "", "`immortal` or a mortal period in blocks (power of two, 4…2048; default 128)")
	cmd.Flags().StringVar(&o.MetadataOut, "metadata-out", "", "write the runtime's metadata to `FILE` (0x hex) for tx sign --metadata")
	return cmd
}

func txPrepareRun(ctx context.Context, f *Factory, o *txPrepareOptions) error {
	if o.MetadataOut == "" {
		return usageErrorf("--metadata-out FILE is required: the offline machine signs with the metadata saved there")
	}
	var (
		who wallet.AccountID
		err error
	)
	switch {
	case o.Address != "" && o.UseHotkey:
		return usageErrorf("give --address or --use-hotkey, not both")
	case o.Address != "":
		who, err = resolveAccount(f, "--address", o.Address, roleColdkey)
	case o.UseHotkey:
		who, err = hotkeyOf(f, f.WalletName(), f.HotkeyName())
	default:
		who, err = coldkeyOf(f, f.WalletName())
	}
	if err != nil {
		return err
	}
	sub, name, err := txDial(ctx, f, "tx prepare")
	if err != nil {
		return err
	}
	defer sub.Close()
	c := sub.Substrate()
	m := c.Metadata()
	immortal, period, err := parseEra(o.Era, m)
	if err != nil {
		return err
	}
	// The metadata exactly as the node serves it (V15, else V14), for the offline machine.
	var metaHex string
	raw, err := c.Transport().Call(ctx, "state_call", "Metadata_metadata_at_version", "0x0f000000", nil)
	if err == nil {
		err = json.Unmarshal(raw, &metaHex)
	}
	if err != nil || metaHex == "" {
		if raw, err = c.Transport().Call(ctx, "state_getMetadata", nil); err != nil {
			return fmt.Errorf("read the metadata: %w", err)
		}
		if err := json.Unmarshal(raw, &metaHex); err != nil {
			return fmt.Errorf("read the metadata: %w", err)
		}
	}
	saved, err := substrate.ParseMetadataFile([]byte(metaHex))
	if err != nil {
		return fmt.Errorf("the node's metadata: %w", err)
	}
	rv := c.RuntimeVersion()
	if sv, err := saved.RuntimeVersion(); err != nil || sv.SpecVersion != rv.SpecVersion {
		return fmt.Errorf("the node's metadata is not for the runtime it reports (%d): try again", rv.SpecVersion)
	}
	nonce, err := c.NextIndex(ctx, who)
	if err != nil {
		return fmt.Errorf("read the nonce of %s: %w", who.SS58(), err)
	}
	out := txPrepareJSON{Network: name, Signer: who.SS58(), MetadataFile: o.MetadataOut, Nonce: nonce, Era: "immortal",
		GenesisHash: c.Genesis.Hex(), SpecVersion: rv.SpecVersion, TxVersion: rv.TransactionVersion}
	flags := []string{"--offline", "--metadata", o.MetadataOut, "--nonce", strconv.FormatUint(nonce, 10)}
	if immortal {
		flags = append(flags, "--era", "immortal")
	} else {
		fin, err := c.FinalizedHead(ctx)
		if err != nil {
			return fmt.Errorf("read the finalized head: %w", err)
		}
		h, err := c.Header(ctx, &fin)
		if err != nil {
			return fmt.Errorf("read the finalized head: %w", err)
		}
		at, hash := h.Number, fin
		era := substrate.MortalEra(period, at)
		if b := era.Birth(at); b != at {
			if hash, err = c.BlockHash(ctx, b); err != nil {
				return err
			}
			at = b
		}
		hs, until := hash.Hex(), era.Death(at)-1
		out.Era, out.BlockNumber, out.BlockHash, out.ValidUntil = strconv.FormatUint(period, 10), &at, &hs, &until
		flags = append(flags, "--era", out.Era, "--block-number", strconv.FormatUint(at, 10), "--block-hash", hs)
	}
	flags = append(flags, "--genesis-hash", out.GenesisHash, "--spec-version", strconv.FormatUint(uint64(rv.SpecVersion), 10),
		"--tx-version", strconv.FormatUint(uint64(rv.TransactionVersion), 10))
	out.Flags = flags
	if err := os.WriteFile(o.MetadataOut, []byte(metaHex+"\n"), 0o644); err != nil {
		return fmt.Errorf("--metadata-out: %w", err)
	}
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, out)
	}
	w := f.IO.ErrOut
	fmt.Fprintf(w, "%s: runtime %d, nonce %d for %s; metadata written to %s\n", name, rv.SpecVersion, nonce, who.SS58(), o.MetadataOut)
	if out.ValidUntil != nil {
		fmt.Fprintf(w, "a transaction signed with these values can be included until block %d (head %d + %s blocks)\n", *out.ValidUntil, *out.BlockNumber, out.Era)
	}
	fmt.Fprintln(w, "sign on the offline machine with: btui tx sign --call Pallet.call_name --args JSON and")
	fmt.Fprintln(f.IO.Out, strings.Join(flags, " "))
	return nil
}
