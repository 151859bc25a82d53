package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/substrate"
	"github.com/spf13/cobra"
)

// The `btui tx` group works on subtensor's own transactions (SCALE extrinsics, any call the
// runtime's metadata has) for air-gapped signing: `tx sign` on the offline machine, `tx
// decode` to review a hex anywhere, `tx submit` on the online one. docs/offline-signing.md.

func newCmdTx(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tx <command>",
		Short: "Sign any runtime call offline, review an extrinsic, submit it to a subtensor node",
		Long: `Air-gapped signing for a subtensor network (finney, test, a local subtensor):

  btui tx prepare reads from a node what an offline signature needs (nonce, era block, genesis,
                  versions; the metadata to a file) and prints it as tx sign's flags
  btui tx sign    signs any call of the runtime's metadata (--call Pallet.call_name --args JSON);
                  --offline signs with nothing but a metadata file and the values you give
  btui tx decode  shows what an extrinsic or a bare call will do, before anyone signs or submits it
  btui tx submit  submits a signed extrinsic and waits for its outcome

The embedded devnet and btui nodes take btui's own transactions, not these: tx commands talk to a
subtensor node (--network finney|test|archive|local|ws://…|wss://…). See docs/offline-signing.md.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCmdTxPrepare(f), newCmdTxSign(f), newCmdTxDecode(f), newCmdTxSubmit(f))
	return cmd
}

// ---- Shared: the node, the metadata, the input ----

// Genesis hashes of the public networks, to name them (and to say "real TAO" on finney).
const (
	finneyGenesisHex  = "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03"
	testnetGenesisHex = "0x8f9cf856bf558a14440e75569c9e58594757048d7b3a84b5d25f6bd978263105"
)

// genesisName names a known genesis ("finney", "test") or returns "".
func genesisName(h substrate.Hash) string {
	switch h.Hex() {
	case finneyGenesisHex:
		return "finney"
	case testnetGenesisHex:
		return "test"
	}
	return ""
}

// txEndpoint resolves the node setting (--network and its aliases, BTUI_NODE, the config) to a
// subtensor websocket endpoint and a name to show. The tx commands need a subtensor node.
func txEndpoint(f *Factory, what string) (url, name string, err error) {
	ns := f.nodeSetting()
	v := strings.TrimSpace(ns.Value)
	if v == "" {
		return "", "", usageErrorf("%s needs a subtensor node: give --network finney|test|archive|local or a ws:// or wss:// URL (or sign with --offline)", what)
	}
	n, err := chainclient.ResolveNetwork(v)
	if err == nil && n.Kind == chainclient.NetworkSubtensor {
		return n.URL, n.Name, nil
	}
	return "", "", usageErrorf("%s needs a subtensor node, and %q (from %s) is not one: give --network finney|test|archive|local or a ws:// or wss:// URL (the devnet and btui nodes take btui's own transactions)", what, ns.Value, ns.Source)
}

// txDial connects to the subtensor node of the node setting.
func txDial(ctx context.Context, f *Factory, what string) (*chainclient.Subtensor, string, error) {
	url, name, err := txEndpoint(f, what)
	if err != nil {
		return nil, "", err
	}
	s, err := chainclient.DialSubtensor(ctx, url)
	if err != nil {
		return nil, "", fmt.Errorf("connect to %s (%s): %w", name, url, err)
	}
	return s, name, nil
}

// loadMetadataFile reads --metadata.
func loadMetadataFile(path string) (*substrate.Metadata, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, usageErrorf("--metadata: %v", err)
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, 256<<20))
	if err != nil {
		return nil, usageErrorf("--metadata: %v", err)
	}
	m, err := substrate.ParseMetadataFile(b)
	if err != nil {
		return nil, usageErrorf("--metadata %s: %v (give the result of state_getMetadata as 0x hex, e.g. saved with curl from a node)", path, err)
	}
	return m, nil
}

// readTxInput reads an extrinsic or call from the argument or --file: 0x hex (whitespace
// around it ignored) or the JSON `btui tx sign --json` prints. It returns the bytes and, for
// that JSON, the chain values it was signed for.
func readTxInput(f *Factory, args []string, file string) ([]byte, *txSignJSON, error) {
	var text []byte
	switch {
	case len(args) == 1 && file != "":
		return nil, nil, usageErrorf("give the extrinsic as an argument or with --file, not both")
	case len(args) == 1:
		text = []byte(args[0])
	case file != "":
		var err error
		if file == "-" {
			text, err = io.ReadAll(io.LimitReader(f.IO.In, 64<<20))
		} else {
			var fh *os.File
			if fh, err = os.Open(file); err == nil {
				text, err = io.ReadAll(io.LimitReader(fh, 64<<20))
				fh.Close()
			}
		}
		if err != nil {
			return nil, nil, usageErrorf("--file: %v", err)
		}
	default:
		return nil, nil, usageErrorf("give the extrinsic as 0x hex: as the argument or with --file PATH")
	}
	text = bytes.TrimSpace(text)
	var signed *txSignJSON
	if len(text) > 0 && text[0] == '{' {
		signed = &txSignJSON{}
		if err := json.Unmarshal(text, signed); err != nil || signed.Extrinsic == "" {
			return nil, nil, usageErrorf("the input is JSON but not what `btui tx sign --json` prints (no \"extrinsic\")")
		}
		text = []byte(signed.Extrinsic)
	}
	b, err := hex.DecodeString(strings.TrimPrefix(string(text), "0x"))
	if err != nil || len(b) == 0 {
		return nil, nil, usageErrorf("the extrinsic is not 0x hex")
	}
	return b, signed, nil
}

// ---- Shared: rendering a call ----

// txCallJSON is a call for review: its arguments by name (as --args takes them back), each
// argument's declared type, and the amounts among them in TAO or alpha.
type txCallJSON struct {
	Pallet   string                `json:"pallet"`
	Call     string                `json:"call"`
	Args     json.RawMessage       `json:"args"`
	ArgTypes json.RawMessage       `json:"arg_types"`
	Amounts  map[string]txAmountJS `json:"amounts"`
	Hex      string                `json:"hex"`

	order []string
	vals  []string
	types []string
}

// txAmountJS is one amount argument: rao (or alpha rao) and the same in whole units.
type txAmountJS struct {
	Unit  string `json:"unit"`  // "TAO" or "alpha"
	Value string `json:"value"` // the amount in units, 9 decimals ("1.000000000")
}

func newTxCallJSON(m *substrate.Metadata, c *substrate.DecodedCall, raw []byte) *txCallJSON {
	types := m.CallArgTypeNames(c.Pallet, c.Name)
	out := &txCallJSON{Pallet: c.Pallet, Call: c.Name, Amounts: map[string]txAmountJS{}, Hex: "0x" + hex.EncodeToString(raw)}
	var args, ts bytes.Buffer
	args.WriteString("{")
	ts.WriteString("{")
	for i, a := range c.Args {
		js, _ := a.Value.MarshalJSON()
		name, _ := json.Marshal(a.Name)
		tn := ""
		if i < len(types) {
			tn = types[i]
		}
		tjs, _ := json.Marshal(tn)
		if i > 0 {
			args.WriteString(",")
			ts.WriteString(",")
		}
		args.Write(name)
		args.WriteString(":")
		args.Write(js)
		ts.Write(name)
		ts.WriteString(":")
		ts.Write(tjs)
		out.order = append(out.order, a.Name)
		out.vals = append(out.vals, string(js))
		out.types = append(out.types, tn)
		if unit := substrate.AmountUnit(tn); unit != "" {
			if v, ok := txUint(a.Value); ok {
				out.Amounts[a.Name] = txAmountJS{Unit: unit, Value: formatDecimal(v, 9)}
			}
		}
	}
	args.WriteString("}")
	ts.WriteString("}")
	out.Args, out.ArgTypes = args.Bytes(), ts.Bytes()
	return out
}

// txUint reads an integer value (through compact and newtype wrappers).
func txUint(v substrate.Value) (uint64, bool) {
	for v.Kind != substrate.ValUint && len(v.Items) == 1 && v.Kind != substrate.ValSequence {
		v = v.Items[0]
	}
	return v.Uint, v.Kind == substrate.ValUint
}

// print writes the call as a table: each argument by name; amounts in rao with TAO (or α) beside.
func (c *txCallJSON) print(w io.Writer, indent string) {
	fmt.Fprintf(w, "%scall       %s.%s\n", indent, c.Pallet, c.Call)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, name := range c.order {
		v := c.vals[i]
		if len(v) >= 2 && v[0] == '"' {
			var s string
			if json.Unmarshal([]byte(v), &s) == nil {
				v = s
			}
		}
		if a, ok := c.Amounts[name]; ok {
			if a.Unit == "alpha" {
				v = fmt.Sprintf("%s alpha rao (%s α)", v, a.Value)
			} else {
				v = fmt.Sprintf("%s rao (%s TAO)", v, a.Value)
			}
		}
		fmt.Fprintf(tw, "%s  %s\t%s\n", indent, name, v)
	}
	_ = tw.Flush()
}

// txEraJSON is a transaction's era.
type txEraJSON struct {
	Immortal  bool    `json:"immortal"`
	Period    uint64  `json:"period,omitempty"`
	Phase     uint64  `json:"phase,omitempty"`
	Birth     *uint64 `json:"birth,omitempty"` // first block it is valid in (when the block is known)
	Death     *uint64 `json:"death,omitempty"` // first block it is no longer valid in
	BirthHash string  `json:"birth_hash,omitempty"`
}

// newTxEraJSON describes era; at > 0 is a block within the era (its birth is computed from it).
func newTxEraJSON(e substrate.Era, at uint64, birthHash *substrate.Hash) txEraJSON {
	if e.Immortal {
		return txEraJSON{Immortal: true}
	}
	j := txEraJSON{Period: e.Period, Phase: e.Phase}
	if at > 0 {
		b, d := e.Birth(at), e.Death(at)
		j.Birth, j.Death = &b, &d
	}
	if birthHash != nil {
		j.BirthHash = birthHash.Hex()
	}
	return j
}

func (e txEraJSON) String() string {
	if e.Immortal {
		return "immortal (valid until its nonce is used)"
	}
	s := fmt.Sprintf("mortal, %d blocks (phase %d)", e.Period, e.Phase)
	if e.Birth != nil {
		s += fmt.Sprintf(": valid in blocks %d–%d", *e.Birth, *e.Death-1)
	}
	return s
}

// ---- tx decode ----

type txDecodeOptions struct {
	File        string
	Metadata    string
	BlockNumber uint64
}

// txDecodeJSON is `btui tx decode --json`.
type txDecodeJSON struct {
	Kind        string            `json:"kind"` // "signed", "unsigned" or "call"
	Hash        string            `json:"hash,omitempty"`
	Length      int               `json:"length"`
	Version     uint8             `json:"version,omitempty"`
	Signer      *txSignerJSON     `json:"signer"`
	Signature   string            `json:"signature,omitempty"`
	Era         *txEraJSON        `json:"era"`
	Nonce       *uint64           `json:"nonce"`
	Tip         *uint64           `json:"tip"`
	MetaHash    string            `json:"metadata_hash_mode,omitempty"` // "disabled" or "enabled"
	Call        *txCallJSON       `json:"call"`
	SpecVersion uint32            `json:"spec_version"` // of the metadata used
	Network     *txNetworkJSON    `json:"network"`      // with --network
	Check       *txSignatureCheck `json:"signature_check"`
}

type txSignerJSON struct {
	Address string `json:"address"`
	Scheme  string `json:"scheme"`
	Wallet  string `json:"wallet,omitempty"`
	Key     string `json:"key,omitempty"` // "coldkey" or the hotkey's name
}

type txNetworkJSON struct {
	Name        string `json:"name"`
	GenesisHash string `json:"genesis_hash"`
	SpecVersion uint32 `json:"spec_version"`
	Head        uint64 `json:"head"`
}

// txSignatureCheck is the signature checked against a node's chain values.
type txSignatureCheck struct {
	Valid  bool   `json:"valid"`
	Detail string `json:"detail"`
}

func newCmdTxDecode(f *Factory) *cobra.Command {
	o := &txDecodeOptions{}
	cmd := &cobra.Command{
		Use:   "decode [HEX]",
		Short: "Show what an extrinsic or a bare call will do",
		Long: `Decode a signed or unsigned extrinsic (as tx sign prints it, or as a block holds it) or a bare
call, with the runtime's metadata: the signer, the signature scheme, the era, nonce and tip, and
the call with every argument by name (amounts in rao with TAO beside).

The metadata comes from --metadata FILE (offline: a state_getMetadata result as 0x hex, raw or
gzipped) or from the node of --network. With --network the signature is also checked against that
node's genesis, runtime and era block, as the node would check it. --block-number B places a
mortal era (its first and last valid block) when no node is asked.

The input is the argument, or --file PATH (- for standard input): 0x hex, or the JSON of tx sign.

JSON (--json): {"kind", "hash", "length", "signer": {"address", "scheme"}, "signature", "era",
"nonce", "tip", "metadata_hash_mode", "call": {"pallet", "call", "args", "arg_types",
"amounts", "hex"}, "spec_version", "network", "signature_check"} (docs/json.md).`,
		Example: `  btui tx decode 0x5502840001e5… --metadata metadata.hex
  btui tx decode --file signed.hex --network finney --json`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("block-number") {
				o.BlockNumber = 0
			}
			return txDecodeRun(cmd.Context(), f, o, args)
		},
	}
	cmd.Flags().StringVar(&o.File, "file", "", "read the extrinsic from `PATH` (- for standard input)")
	cmd.Flags().StringVar(&o.Metadata, "metadata", "", "the runtime's metadata: `FILE` with a state_getMetadata result (0x hex; gzip accepted)")
	cmd.Flags().Uint64Var(&o.BlockNumber, "block-number", 0, "a block `B` in the extrinsic's era (to show its first and last valid block)")
	return cmd
}

func txDecodeRun(ctx context.Context, f *Factory, o *txDecodeOptions, args []string) error {
	raw, _, err := readTxInput(f, args, o.File)
	if err != nil {
		return err
	}
	var (
		m   *substrate.Metadata
		sub *chainclient.Subtensor
		net *txNetworkJSON
	)
	useNode := f.nodeSetting().Value != "" && o.Metadata == ""
	switch {
	case o.Metadata != "":
		if m, err = loadMetadataFile(o.Metadata); err != nil {
			return err
		}
	case useNode:
		var name string
		if sub, name, err = txDial(ctx, f, "tx decode"); err != nil {
			return err
		}
		defer sub.Close()
		c := sub.Substrate()
		m = c.Metadata()
		h, err := c.Header(ctx, nil)
		if err != nil {
			return err
		}
		net = &txNetworkJSON{Name: name, GenesisHash: c.Genesis.Hex(), SpecVersion: c.RuntimeVersion().SpecVersion, Head: h.Number}
		if o.BlockNumber == 0 {
			o.BlockNumber = h.Number
		}
	default:
		return usageErrorf("tx decode needs the runtime's metadata: give --metadata FILE (offline) or --network finney|test|ws://…")
	}
	out, err := decodeTx(m, raw, o.BlockNumber)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if rv, err := m.RuntimeVersion(); err == nil {
		out.SpecVersion = rv.SpecVersion
	}
	out.Network = net
	if sub != nil && out.Kind == "signed" {
		x, _ := m.DecodeExtrinsic(raw)
		out.Check = checkOnNode(ctx, sub.Substrate(), x, net.Head)
	}
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, out)
	}
	printDecoded(f.IO.Out, out)
	return nil
}

// decodeTx decodes an extrinsic (with its length prefix) or, failing that, a bare call.
func decodeTx(m *substrate.Metadata, raw []byte, at uint64) (*txDecodeJSON, error) {
	x, xerr := m.DecodeExtrinsic(raw)
	if xerr != nil {
		c, cerr := m.DecodeCall(raw)
		if cerr != nil {
			return nil, fmt.Errorf("neither an extrinsic (%v) nor a call (%v) of this runtime: was it made for another runtime's metadata?", xerr, cerr)
		}
		return &txDecodeJSON{Kind: "call", Length: len(raw), Call: newTxCallJSON(m, c, raw)}, nil
	}
	out := &txDecodeJSON{Kind: "unsigned", Hash: x.Hash.Hex(), Length: len(raw), Version: x.Version, Call: newTxCallJSON(m, x.Call, x.CallBytes)}
	if x.Signed {
		out.Kind = "signed"
		out.Signer = &txSignerJSON{Address: x.Signer.SS58(), Scheme: x.Scheme.String()}
		out.Signature = "0x" + hex.EncodeToString(x.Signature)
		era := newTxEraJSON(x.Era, at, nil)
		out.Era = &era
		out.Nonce, out.Tip = &x.Nonce, &x.Tip
		out.MetaHash = "disabled"
		if x.MetadataHashEnabled() {
			out.MetaHash = "enabled"
		}
	}
	return out, nil
}

// checkOnNode checks a signed extrinsic's signature against the node's chain values at head.
func checkOnNode(ctx context.Context, c *substrate.Client, x *substrate.DecodedExtrinsic, head uint64) *txSignatureCheck {
	p, err := chainParams(ctx, c, x.Era, head)
	if err != nil {
		return &txSignatureCheck{Detail: "not checked: " + err.Error()}
	}
	if err := c.Metadata().VerifyExtrinsic(x, p); err != nil {
		return &txSignatureCheck{Detail: err.Error()}
	}
	return &txSignatureCheck{Valid: true, Detail: fmt.Sprintf("valid for genesis %s, runtime %d, transaction version %d", p.Genesis, p.SpecVersion, p.TxVersion)}
}

// chainParams are the node's values an extrinsic of era e is checked against at head: genesis,
// runtime and transaction version, and the hash of the era's birth block.
func chainParams(ctx context.Context, c *substrate.Client, e substrate.Era, head uint64) (substrate.TxParams, error) {
	rv := c.RuntimeVersion()
	p := substrate.TxParams{Genesis: c.Genesis, SpecVersion: rv.SpecVersion, TxVersion: rv.TransactionVersion, Era: e}
	if !e.Immortal {
		h, err := c.BlockHash(ctx, e.Birth(head))
		if err != nil {
			return p, fmt.Errorf("read the hash of block %d: %w", e.Birth(head), err)
		}
		p.BirthHash = h
	}
	return p, nil
}

func printDecoded(w io.Writer, d *txDecodeJSON) {
	switch d.Kind {
	case "call":
		fmt.Fprintf(w, "a bare call, %d bytes (runtime %d metadata)\n", d.Length, d.SpecVersion)
	default:
		fmt.Fprintf(w, "%s extrinsic v%d, %d bytes, hash %s (runtime %d metadata)\n", d.Kind, d.Version, d.Length, d.Hash, d.SpecVersion)
	}
	if d.Signer != nil {
		fmt.Fprintf(w, "signer     %s (%s)\n", d.Signer.Address, d.Signer.Scheme)
		fmt.Fprintf(w, "era        %s\n", d.Era)
		fmt.Fprintf(w, "nonce      %d\n", *d.Nonce)
		fmt.Fprintf(w, "tip        %d rao (%s TAO)\n", *d.Tip, formatDecimal(*d.Tip, 9))
		if d.MetaHash == "enabled" {
			fmt.Fprintln(w, "metadata   CheckMetadataHash enabled")
		}
	}
	d.Call.print(w, "")
	if d.Network != nil {
		fmt.Fprintf(w, "network    %s (genesis %s, runtime %d, head %d)\n", d.Network.Name, d.Network.GenesisHash, d.Network.SpecVersion, d.Network.Head)
	}
	if d.Check != nil {
		state := "DOES NOT VERIFY"
		if d.Check.Valid {
			state = "ok"
		}
		fmt.Fprintf(w, "signature  %s: %s\n", state, d.Check.Detail)
	}
}

// txChainErr maps a node's answer to a submission onto btui's exit codes: a pool rejection
// (JSON-RPC error 1010–1014: invalid, unknown, priority too low, ...) exits 3.
func txChainErr(err error) error {
	var rpcErr *substrate.RPCError
	if errors.As(err, &rpcErr) && rpcErr.Code >= 1010 && rpcErr.Code <= 1020 {
		return withCode(ExitRejected, fmt.Errorf("the node rejected the transaction: %w; nothing was charged", err))
	}
	return err
}
