package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/spf13/cobra"
)

type txSubmitOptions struct {
	File string
}

// txSubmitJSON is `btui tx submit --json`.
type txSubmitJSON struct {
	Network     string        `json:"network"` // the --network given (a name or the URL)
	Chain       string        `json:"chain"`   // "finney" or "test" by the node's genesis, else ""
	GenesisHash string        `json:"genesis_hash"`
	Hash        string        `json:"hash"`
	Signer      txSignerJSON  `json:"signer"`
	Call        *txCallJSON   `json:"call"`
	Nonce       uint64        `json:"nonce"`
	Included    bool          `json:"included"`
	BlockHash   string        `json:"block_hash,omitempty"`
	Block       uint64        `json:"block,omitempty"`
	Index       int           `json:"index"`
	Success     bool          `json:"success"`
	Error       string        `json:"error,omitempty"` // the module error's name and docs
	Fee         uint64        `json:"fee"`
	Tip         uint64        `json:"tip"`
	Events      []txEventJSON `json:"events"`
	Statuses    []string      `json:"statuses"`
	// DryRun is set by --dry-run: nothing was submitted and "fee" is the node's estimate
	// (TransactionPaymentApi_query_info for these bytes).
	DryRun bool `json:"dry_run,omitempty"`
}

type txEventJSON struct {
	Pallet string          `json:"pallet"`
	Name   string          `json:"name"`
	Fields json.RawMessage `json:"fields"`
}

func newCmdTxSubmit(f *Factory) *cobra.Command {
	o := &txSubmitOptions{}
	cmd := &cobra.Command{
		Use:   "submit [HEX] --network NETWORK",
		Short: "Submit a signed extrinsic to a subtensor node and wait for its outcome",
		Long: `Submit a signed extrinsic (as tx sign made it, online or offline) to the node of --network and
wait until a block includes it; the outcome comes from that block's events: success, or
ExtrinsicFailed with the module error's name and docs from the metadata (exit 3).

Before anything is sent, the extrinsic is decoded with the node's metadata and its signature is
checked against the node's genesis, runtime, transaction version and era block, exactly as the
node will: an extrinsic signed for another chain (a different genesis hash) or another runtime,
one whose era has already ended, or altered bytes are refused (nothing is sent). The review names
the network (and says "real TAO" on finney) and asks for confirmation unless --yes.

With --dry-run nothing is sent: after the same checks, the node's fee estimate for these bytes
(TransactionPaymentApi_query_info) is printed, and "dry_run": true in the JSON.

A pool rejection (invalid, stale nonce, too low priority) exits 3. A mortal transaction that no
block includes before its era ends is reported as such (exit 1): it can never be included any
more, and btui never resubmits anything.

The input is the argument, or --file PATH (- for standard input): 0x hex, or the JSON of tx sign.

JSON (--json): {"network", "genesis_hash", "hash", "signer", "call", "nonce", "included",
"block_hash", "block", "index", "success", "error", "fee", "tip", "events", "statuses"}
(docs/json.md).`,
		Example: `  btui tx submit --file add_stake.hex --network finney
  btui tx submit 0x5502840001e5… --network ws://127.0.0.1:9944 --yes --json`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return txSubmitRun(cmd.Context(), f, o, args)
		},
	}
	cmd.Flags().StringVar(&o.File, "file", "", "read the extrinsic from `PATH` (- for standard input)")
	addDryRunFlag(cmd)
	return cmd
}

func txSubmitRun(ctx context.Context, f *Factory, o *txSubmitOptions, args []string) error {
	raw, signed, err := readTxInput(f, args, o.File)
	if err != nil {
		return err
	}
	if _, _, err := txEndpoint(f, "tx submit"); err != nil {
		return err
	}
	sub, name, err := txDial(ctx, f, "tx submit")
	if err != nil {
		return err
	}
	defer sub.Close()
	c := sub.Substrate()
	m := c.Metadata()
	spec := c.RuntimeVersion().SpecVersion
	network := name
	if g := genesisName(c.Genesis); g != "" && !strings.EqualFold(g, name) {
		network = fmt.Sprintf("%s (%s)", name, g)
	}
	if signed != nil {
		if signed.GenesisHash != "" && !strings.EqualFold(signed.GenesisHash, c.Genesis.Hex()) {
			return withCode(ExitUsage, fmt.Errorf("%w: the extrinsic was signed for genesis %s%s, but %s's genesis is %s: not submitted (submit it to the network it was signed for)",
				substrate.ErrWrongChain, signed.GenesisHash, nameSuffix(signed.GenesisHash), network, c.Genesis))
		}
		if signed.SpecVersion != 0 && signed.SpecVersion != spec {
			return usageErrorf("the extrinsic was signed for runtime %d but %s runs %d: the node would reject it; sign it again with the current metadata (not submitted)", signed.SpecVersion, network, spec)
		}
	}
	x, err := m.DecodeExtrinsic(raw)
	if err != nil {
		return usageErrorf("the extrinsic does not decode with %s's metadata (runtime %d): %v; it was made for another runtime or is not an extrinsic (not submitted)", network, spec, err)
	}
	if !x.Signed {
		return usageErrorf("the extrinsic is not signed: sign the call with btui tx sign first (not submitted)")
	}
	head, err := c.Header(ctx, nil)
	if err != nil {
		return fmt.Errorf("read the head of %s: %w", network, err)
	}
	// The signature, checked as the node will check it: a different genesis, runtime or era
	// block, or altered bytes, make it fail.
	if x.MetadataHashEnabled() {
		fmt.Fprintln(f.IO.ErrOut, "warning: the extrinsic enables CheckMetadataHash: its signature cannot be checked here (the node will)")
	} else if err := verifyOnNode(ctx, c, x, head.Number, network); err != nil {
		return err
	}

	cj := newTxCallJSON(m, x.Call, x.CallBytes)
	era := newTxEraJSON(x.Era, head.Number, nil)
	w := f.IO.ErrOut
	realTAO := c.Genesis.Hex() == finneyGenesisHex
	title := "Submit to " + network
	if realTAO {
		title += ": real TAO"
	}
	fmt.Fprintln(w, title)
	fmt.Fprintf(w, "  node       %s, genesis %s, runtime %d, head %d\n", name, c.Genesis, spec, head.Number)
	fmt.Fprintf(w, "  signer     %s (%s)\n", x.Signer.SS58(), x.Scheme)
	cj.print(w, "  ")
	fmt.Fprintf(w, "  era        %s\n", era)
	fmt.Fprintf(w, "  nonce      %d\n", x.Nonce)
	fmt.Fprintf(w, "  tip        %d rao (%s TAO)\n", x.Tip, formatDecimal(x.Tip, 9))
	fmt.Fprintf(w, "  hash       %s\n", x.Hash)
	if f.Opts.DryRun {
		return txSubmitDryRun(ctx, f, c, raw, txSubmitJSON{
			Network: name, Chain: genesisName(c.Genesis), GenesisHash: c.Genesis.Hex(), Hash: x.Hash.Hex(),
			Signer: txSignerJSON{Address: x.Signer.SS58(), Scheme: x.Scheme.String()},
			Call:   cj, Nonce: x.Nonce, Tip: x.Tip, Index: -1, Events: []txEventJSON{}, Statuses: []string{}, DryRun: true,
		})
	}
	if !f.Opts.Yes {
		if err := canPrompt(f, "confirmation of the submission above", "add --yes to submit it without asking"); err != nil {
			return err
		}
		q := "Submit to " + network + "?"
		if realTAO {
			q = "Submit to " + network + " (real TAO)?"
		}
		ok, err := f.IO.Confirm(q)
		if err != nil {
			return err
		}
		if !ok {
			return errDeclined
		}
	}
	var death uint64
	if !x.Era.Immortal {
		death = x.Era.Death(head.Number)
	}
	out := txSubmitJSON{
		Network: name, Chain: genesisName(c.Genesis), GenesisHash: c.Genesis.Hex(), Hash: x.Hash.Hex(),
		Signer: txSignerJSON{Address: x.Signer.SS58(), Scheme: x.Scheme.String()},
		Call:   cj, Nonce: x.Nonce, Index: -1, Events: []txEventJSON{}, Statuses: []string{},
	}
	fmt.Fprintln(w, "submitted; waiting for a block to include it...")
	o2, err := c.SubmitAndWatchUntil(ctx, raw, death, func(s substrate.TxStatus) {
		out.Statuses = append(out.Statuses, s.Kind)
		if s.Kind != "inBlock" && s.Kind != "finalized" {
			fmt.Fprintf(w, "  %s\n", s.Kind)
		}
	})
	switch {
	case errors.Is(err, substrate.ErrEraExpired):
		return fmt.Errorf("not included: %w; it was not resubmitted", err)
	case errors.Is(err, substrate.ErrTxNotIncluded) && strings.Contains(err.Error(), " invalid"):
		return withCode(ExitRejected, fmt.Errorf("rejected: %w", err))
	case err != nil:
		return txChainErr(err)
	}
	out.Included = true
	out.BlockHash, out.Block, out.Index = o2.Block.Hex(), o2.Number, o2.Index
	out.Success, out.Error, out.Fee, out.Tip = o2.Success, o2.Error, o2.Fee, o2.Tip
	for _, e := range o2.Events {
		fv := substrate.Value{Kind: substrate.ValComposite, Names: e.Fields.Names, Items: e.Fields.Items}
		js, _ := fv.MarshalJSON()
		if len(e.Fields.Items) == 0 {
			js = []byte("{}")
		}
		out.Events = append(out.Events, txEventJSON{Pallet: e.Pallet, Name: e.Name, Fields: js})
	}
	if f.Opts.JSON {
		if err := walletPrintJSON(f.IO.Out, out); err != nil {
			return err
		}
	} else {
		status := "ok"
		if !out.Success {
			status = "FAILED: " + out.Error
		}
		fmt.Fprintf(f.IO.Out, "included in block %d (%s) at index %d: %s\n", out.Block, out.BlockHash, out.Index, status)
		fmt.Fprintf(f.IO.Out, "  hash    %s\n  fee     %d rao (%s TAO), tip %d rao\n", out.Hash, out.Fee, formatDecimal(out.Fee, 9), out.Tip)
		for _, e := range out.Events {
			fmt.Fprintf(f.IO.Out, "  event   %s.%s %s\n", e.Pallet, e.Name, e.Fields)
		}
	}
	if !out.Success {
		return withCode(ExitRejected, fmt.Errorf("the call failed in block %d: %s; the fee was charged", out.Block, out.Error))
	}
	return nil
}

// txSubmitDryRun is tx submit --dry-run: the node's fee estimate for the checked bytes, and
// nothing sent.
func txSubmitDryRun(ctx context.Context, f *Factory, c *substrate.Client, raw []byte, out txSubmitJSON) error {
	fi, err := c.QueryInfo(ctx, raw, nil)
	if err != nil {
		return txChainErr(err)
	}
	out.Fee = fi.PartialFee
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, out)
	}
	fmt.Fprintf(f.IO.Out, "dry run: the node would charge about %d rao (%s TAO) for %s; nothing was submitted\n", out.Fee, formatDecimal(out.Fee, 9), out.Hash)
	return nil
}

func nameSuffix(genesis string) string {
	h, err := substrate.ParseHash(genesis)
	if err != nil {
		return ""
	}
	if n := genesisName(h); n != "" {
		return " (" + n + ")"
	}
	return ""
}

// verifyOnNode refuses an extrinsic whose signature does not verify with the node's chain
// values. For a mortal era it also tries the two previous eras of the same phase, to say "its
// era ended" instead of "wrong chain" when that is what happened.
func verifyOnNode(ctx context.Context, c *substrate.Client, x *substrate.DecodedExtrinsic, head uint64, network string) error {
	p, err := chainParams(ctx, c, x.Era, head)
	if err != nil {
		return err
	}
	m := c.Metadata()
	err = m.VerifyExtrinsic(x, p)
	if err == nil {
		return nil
	}
	if !errors.Is(err, substrate.ErrSignatureMismatch) {
		return usageErrorf("%v (not submitted)", err)
	}
	if !x.Era.Immortal {
		birth := x.Era.Birth(head)
		for k := uint64(1); k <= 2 && birth >= k*x.Era.Period; k++ {
			b := birth - k*x.Era.Period
			h, herr := c.BlockHash(ctx, b)
			if herr != nil {
				break
			}
			q := p
			q.BirthHash = h
			if m.VerifyExtrinsic(x, q) == nil {
				return fmt.Errorf("%w: it was signed for the era starting at block %d, valid until block %d, and %s is at %d: it can never be included now; sign it again with a fresh era (not submitted)",
					substrate.ErrEraExpired, b, b+x.Era.Period-1, network, head)
			}
		}
	}
	return withCode(ExitUsage, fmt.Errorf("%w: %s (genesis %s, runtime %d, transaction version %d, %s) does not accept this signature: the extrinsic was signed for another chain or runtime, its era has ended, or it was altered (not submitted)",
		substrate.ErrSignatureMismatch, network, p.Genesis, p.SpecVersion, p.TxVersion, eraBlockText(x.Era, head)))
}

func eraBlockText(e substrate.Era, head uint64) string {
	if e.Immortal {
		return "immortal era"
	}
	return fmt.Sprintf("era from block %d", e.Birth(head))
}
