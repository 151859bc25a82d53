package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Offline (air-gapped) signing: `btui tx sign --offline` and every transaction command with
// --offline. The flags that stand for what a node would give a signature (the metadata, the
// nonce, the era and its block, the genesis hash, the runtime and transaction versions) are
// defined, checked and turned into the signed extensions' values here, once, for all of them.
// A command under --offline builds its call from its own flags alone (no chain is opened:
// nothing of the Factory's chain is touched), maps it to the runtime's call with
// chainclient.EncodeSubtensorCall against the metadata file, shows the review on stderr,
// unlocks its key and prints exactly what `tx sign --offline` prints. It never submits:
// `btui tx submit` does, on a machine with a network. docs/networks.md says which inputs need
// the chain and are refused offline.

// offlineOptions are the offline signing flags.
type offlineOptions struct {
	Offline      bool
	Metadata     string
	Nonce        uint64
	Era          string
	BlockNumber  uint64
	BlockHash    string
	Tip          uint64
	Genesis      string
	SpecVersion  uint32
	TxVersion    uint32
	MetadataHash string
	Output       string

	set func(flag string) bool // whether a flag was given
	f   *Factory
	// signCmd is tx sign, which also takes these flags online (they override the node's).
	signCmd bool
}

// offlineValueFlags are the flags besides --offline, in the order help lists them.
var offlineValueFlags = []string{"metadata", "nonce", "era", "block-number", "block-hash", "tip", "genesis-hash",
	"spec-version", "tx-version", "metadata-hash", "output"}

// offlineRequired are the values --offline cannot do without (a mortal era also needs
// --block-number and --block-hash).
var offlineRequired = []string{"metadata", "nonce", "era", "genesis-hash", "spec-version", "tx-version"}

// addOfflineFlags adds --offline and the values it needs to cmd. signCmd is tx sign (online
// it reads what these flags leave out from the node); every other command takes them only
// with --offline.
func addOfflineFlags(f *Factory, cmd *cobra.Command, o *offlineOptions, signCmd bool) {
	o.f, o.signCmd, o.set = f, signCmd, cmd.Flags().Changed
	online := func(def string) string {
		if signCmd {
			return " (online default: " + def + ")"
		}
		return ""
	}
	help := "sign with no network and submit nothing: every value a node would give comes from --metadata, --nonce, --era, --genesis-hash, --spec-version, --tx-version; prints the signed extrinsic as btui tx sign --offline does (btui tx submit sends it)"
	if signCmd {
		help = "touch no network: every value a node would give comes from the flags below"
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.Offline, "offline", false, help)
	fl.StringVar(&o.Metadata, "metadata", "", "the runtime's metadata: `FILE` with a state_getMetadata result (0x hex; gzip accepted)")
	fl.Uint64Var(&o.Nonce, "nonce", 0, "the signer's next nonce `N`"+online("account_nextIndex"))
	fl.StringVar(&o.Era, "era", "", "`immortal` or a mortal period in blocks (power of two, 4…65536)"+online("128"))
	fl.Uint64Var(&o.BlockNumber, "block-number", 0, "number `B` of the block a mortal era starts at")
	fl.StringVar(&o.BlockHash, "block-hash", "", "hash `H` of that block (0x + 64 hex)")
	fl.Uint64Var(&o.Tip, "tip", 0, "tip in `RAO` for the block author")
	fl.StringVar(&o.Genesis, "genesis-hash", "", "the chain's genesis hash `H` (0x + 64 hex)")
	fl.Uint32Var(&o.SpecVersion, "spec-version", 0, "the runtime's spec version `V`")
	fl.Uint32Var(&o.TxVersion, "tx-version", 0, "the runtime's transaction version `T`")
	fl.StringVar(&o.MetadataHash, "metadata-hash", "", "enable CheckMetadataHash with this RFC-0078 metadata digest `H` (disabled without it)")
	fl.StringVarP(&o.Output, "output", "o", "", "also write the extrinsic's 0x hex to `FILE`")
}

// offlineHelp is the paragraph of a transaction command's help about --offline.
const offlineHelp = `--offline signs on a machine with no network (a cold wallet) and submits nothing: the call is
built from the command's flags alone, no chain is read, and every value a node would give comes
from --metadata FILE, --nonce N, --era immortal (or --era PERIOD --block-number B --block-hash H),
--genesis-hash H, --spec-version V and --tx-version T (--tip, --metadata-hash, --output as in
btui tx sign). The output is btui tx sign --offline's (the 0x hex, or its JSON document with
--json); btui tx submit sends it. Inputs that need the chain's state are refused (docs/networks.md).`

// given lists the offline value flags given, as "--flag".
func (o *offlineOptions) given() []string {
	var out []string
	for _, n := range offlineValueFlags {
		if o.set(n) {
			out = append(out, "--"+n)
		}
	}
	return out
}

func isImmortal(era string) bool { return strings.TrimSpace(strings.ToLower(era)) == "immortal" }

// check validates the offline flags before anything is read, resolved or unlocked: with
// --offline every value a node would give must be there (the missing ones are named) and no
// network, dry run or chain is asked for; without it a transaction command takes none of them
// (tx sign does: they override the node's values).
func (o *offlineOptions) check() error {
	f := o.f
	if !o.Offline {
		if g := o.given(); len(g) > 0 && !o.signCmd {
			return usageErrorf("%s %s for signing offline: add --offline (the command then signs without a network and submits nothing), or drop %s to submit through the network",
				strings.Join(g, ", "), plural(len(g), "is", "are"), plural(len(g), "it", "them"))
		}
	} else {
		if f.Opts.Node != "" {
			return usageErrorf("--offline touches no network: drop --network (or drop --offline to read the missing values from the node)")
		}
		if f.Opts.DryRun {
			return usageErrorf("--dry-run asks the chain to simulate the transaction and --offline touches no chain: drop one of them")
		}
		var missing []string
		for _, fl := range offlineRequired {
			if !o.set(fl) {
				missing = append(missing, "--"+fl)
			}
		}
		if o.set("era") && !isImmortal(o.Era) {
			for _, fl := range []string{"block-number", "block-hash"} {
				if !o.set(fl) {
					missing = append(missing, "--"+fl)
				}
			}
		}
		if len(missing) > 0 {
			return usageErrorf("--offline needs every value a node would give: missing %s (see btui tx sign --help)", strings.Join(missing, ", "))
		}
	}
	if (o.set("block-number") || o.set("block-hash")) && isImmortal(o.Era) {
		return usageErrorf("--block-number and --block-hash place a mortal era: drop them with --era immortal")
	}
	if o.set("block-number") != o.set("block-hash") {
		return usageErrorf("give --block-number and --block-hash together (the number and hash of the era's first block)")
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// txBuild is what the signed extensions carry, resolved.
type txBuild struct {
	p        substrate.TxParams
	at       uint64 // with a mortal era: the era's first block
	immortal bool
}

// params resolves the signed extensions' values of a transaction of metadata m signed by
// account: from the flags, and online (c != nil, tx sign only) what they leave out from the
// node netName. Offline it reads nothing.
func (o *offlineOptions) params(ctx context.Context, m *substrate.Metadata, c *substrate.Client, netName string, account wallet.AccountID) (txBuild, error) {
	var b txBuild
	rv, err := m.RuntimeVersion()
	if err != nil {
		return b, usageErrorf("--metadata: it has no System.Version constant: %v", err)
	}
	p := substrate.TxParams{Tip: o.Tip}
	// Genesis, spec and transaction versions.
	if o.set("genesis-hash") {
		if p.Genesis, err = parseHashFlag("--genesis-hash", o.Genesis); err != nil {
			return b, err
		}
		if c != nil && p.Genesis != c.Genesis {
			return b, withCode(ExitUsage, fmt.Errorf("%w: --genesis-hash %s, but %s's genesis is %s", substrate.ErrWrongChain, p.Genesis, netName, c.Genesis))
		}
	} else {
		p.Genesis = c.Genesis
	}
	p.SpecVersion, p.TxVersion = rv.SpecVersion, rv.TransactionVersion
	if o.set("spec-version") && o.SpecVersion != rv.SpecVersion {
		return b, usageErrorf("--spec-version %d, but the metadata is runtime %d's: sign with the metadata of runtime %d, or give --spec-version %d", o.SpecVersion, rv.SpecVersion, o.SpecVersion, rv.SpecVersion)
	}
	if o.set("tx-version") && o.TxVersion != rv.TransactionVersion {
		return b, usageErrorf("--tx-version %d, but runtime %d's metadata says transaction version %d", o.TxVersion, rv.SpecVersion, rv.TransactionVersion)
	}
	if c != nil && c.RuntimeVersion().TransactionVersion != rv.TransactionVersion {
		return b, fmt.Errorf("the node reports transaction version %d but its metadata %d", c.RuntimeVersion().TransactionVersion, rv.TransactionVersion)
	}
	// Nonce.
	if o.set("nonce") {
		p.Nonce = o.Nonce
	} else if p.Nonce, err = c.NextIndex(ctx, account); err != nil {
		return b, fmt.Errorf("read the nonce of %s: %w", account.SS58(), err)
	}
	// Era.
	eraText := o.Era
	if !o.set("era") {
		eraText = strconv.Itoa(txDefaultPeriod)
	}
	immortal, period, err := parseEra(eraText, m)
	if err != nil {
		return b, err
	}
	var at uint64
	if immortal {
		p.Era = substrate.Era{Immortal: true}
	} else {
		if o.set("block-number") {
			at = o.BlockNumber
			if p.BirthHash, err = parseHashFlag("--block-hash", o.BlockHash); err != nil {
				return b, err
			}
		} else {
			fin, err := c.FinalizedHead(ctx)
			if err != nil {
				return b, fmt.Errorf("read the finalized head: %w", err)
			}
			h, err := c.Header(ctx, &fin)
			if err != nil {
				return b, fmt.Errorf("read the finalized head: %w", err)
			}
			at, p.BirthHash = h.Number, fin
		}
		p.Era = substrate.MortalEra(period, at)
		if first := p.Era.Birth(at); first != at {
			if o.set("block-number") {
				return b, usageErrorf("with --era %d the era starts at block %d, not %d: give --block-number %d and that block's hash", period, first, at, first)
			}
			if p.BirthHash, err = c.BlockHash(ctx, first); err != nil {
				return b, err
			}
			at = first
		}
	}
	if o.set("metadata-hash") {
		h, err := parseHashFlag("--metadata-hash", o.MetadataHash)
		if err != nil {
			return b, err
		}
		p.MetadataHash = &h
	}
	if _, _, err := m.Extensions(p); err != nil {
		return b, usageErrorf("%v", err)
	}
	return txBuild{p: p, at: at, immortal: immortal}, nil
}

// txSignJob is one reviewed signature: the call's bytes under metadata m, who signs, the
// resolved extensions and where they came from.
type txSignJob struct {
	title     string // the command's one-line description ("" for tx sign)
	notes     []previewLine
	m         *substrate.Metadata
	callBytes []byte
	b         txBuild
	sg        txSigner
	netName   string // the node's network name online; "" offline
	pw        passwordOptions
}

// signAndPrint shows the review on stderr, unlocks the signer's key (after the review, never
// before every check passed), signs, checks the result as a node would and prints it: the 0x
// hex on stdout (and to --output), or tx sign's JSON document with --json.
func (o *offlineOptions) signAndPrint(j txSignJob) error {
	f, m, p := o.f, j.m, j.b.p
	dc, err := m.DecodeCall(j.callBytes)
	if err != nil {
		return err
	}
	cj := newTxCallJSON(m, dc, j.callBytes)
	birthHash := &p.BirthHash
	if j.b.immortal {
		birthHash = nil
	}
	era := newTxEraJSON(p.Era, j.b.at, birthHash)
	network := genesisName(p.Genesis)
	if network == "" {
		network = j.netName
	}

	// The review, before the key is unlocked.
	w := f.IO.ErrOut
	mode := "online (" + j.netName + ")"
	if o.Offline {
		mode = "offline"
	}
	if j.title != "" {
		fmt.Fprintln(w, j.title)
		printLines(w, j.notes)
	}
	fmt.Fprintf(w, "Sign, %s:\n", mode)
	fmt.Fprintf(w, "  signer     %s (%s of wallet %q)\n", j.sg.account.SS58(), j.sg.key(), j.sg.wallet)
	cj.print(w, "  ")
	fmt.Fprintf(w, "  era        %s\n", era)
	fmt.Fprintf(w, "  nonce      %d\n", p.Nonce)
	fmt.Fprintf(w, "  tip        %d rao (%s TAO)\n", p.Tip, formatDecimal(p.Tip, 9))
	chain := p.Genesis.Hex()
	if n := genesisName(p.Genesis); n != "" {
		chain += " (" + n + ")"
	} else {
		chain += " (not finney's or test's)"
	}
	fmt.Fprintf(w, "  chain      genesis %s, runtime %d, transaction version %d\n", chain, p.SpecVersion, p.TxVersion)
	if p.MetadataHash != nil {
		fmt.Fprintf(w, "  metadata   CheckMetadataHash enabled with %s\n", p.MetadataHash)
	}

	kp, err := signerKey(f, j.sg.wallet, j.sg.hotkey, j.pw)
	if err != nil {
		return err
	}
	if kp.AccountID() != j.sg.account {
		kp.Zero()
		return fmt.Errorf("the unlocked key %s is not the wallet's %s %s", kp.AccountID().SS58(), j.sg.key(), j.sg.account.SS58())
	}
	scheme := kp.Scheme().String()
	x, err := m.BuildSigned(j.callBytes, p, substrate.PairSigner(kp))
	kp.Zero()
	if err != nil {
		return err
	}
	// Check what was built as a node will, before anyone carries it away.
	if dx, err := m.DecodeExtrinsic(x.Bytes); err != nil {
		return fmt.Errorf("the signed extrinsic does not decode: %w", err)
	} else if err := m.VerifyExtrinsic(dx, p); err != nil {
		return fmt.Errorf("the signed extrinsic does not verify: %w", err)
	}
	out := txSignJSON{
		Extrinsic: x.Hex(), Hash: x.Hash.Hex(), Length: len(x.Bytes), Call: cj,
		Signer: txSignerJSON{Address: j.sg.account.SS58(), Scheme: scheme, Wallet: j.sg.wallet, Key: j.sg.key()},
		Era:    era, Nonce: p.Nonce, Tip: p.Tip, GenesisHash: p.Genesis.Hex(), Network: network,
		SpecVersion: p.SpecVersion, TxVersion: p.TxVersion, Offline: o.Offline,
	}
	if p.MetadataHash != nil {
		s := p.MetadataHash.Hex()
		out.MetadataHash = &s
	}
	if o.Output != "" {
		if err := os.WriteFile(o.Output, []byte(out.Extrinsic+"\n"), 0o644); err != nil {
			return fmt.Errorf("--output: %w", err)
		}
	}
	fmt.Fprintf(w, "signed (%s): %d bytes, hash %s\n", scheme, out.Length, out.Hash)
	if o.Output != "" {
		fmt.Fprintf(w, "written to %s: review it with btui tx decode, send it with btui tx submit\n", o.Output)
	}
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, out)
	}
	fmt.Fprintln(f.IO.Out, out.Extrinsic)
	return nil
}

// offlineTx is a transaction command's call under --offline, built from its flags alone.
type offlineTx struct {
	Title   string        // what it does, for people
	Notes   []previewLine // what the review should add (a commit's salt)
	Signer  txSigner      // the key the command signs with
	Call    protocol.Call // btui's call, mapped to the runtime's with chainclient.MapSubtensorCall
	Context chainclient.CallContext
}

// runOffline signs tx offline: the metadata file, the call mapped and encoded for it, the
// extensions from the flags, the review, the key, the output. Nothing of the Factory's chain
// is opened.
func (o *offlineOptions) runOffline(ctx context.Context, command string, pw passwordOptions, tx offlineTx) error {
	m, err := loadMetadataFile(o.Metadata)
	if err != nil {
		return err
	}
	_, callBytes, err := chainclient.EncodeSubtensorCall(m, tx.Call, tx.Context)
	if err != nil {
		if errors.Is(err, chainclient.ErrNoSubtensorCall) {
			return usageErrorf("btui %s --offline: %v", command, err)
		}
		return usageErrorf("btui %s --offline: the metadata's runtime does not take this call: %v", command, err)
	}
	b, err := o.params(ctx, m, nil, "", tx.Signer.account)
	if err != nil {
		return err
	}
	return o.signAndPrint(txSignJob{title: tx.Title + " (offline, not submitted)", notes: tx.Notes, m: m, callBytes: callBytes, b: b, sg: tx.Signer, pw: pw})
}

// offlineRefuse is the error of an input that needs the chain's state, under --offline: the
// flag, why, and the fix.
func offlineRefuse(flag, why, fix string) error {
	return usageErrorf("%s with --offline: %s, and --offline reads no chain; %s", flag, why, fix)
}

// coldkeySigner is the wallet's coldkey as a signer (without a password).
func coldkeySigner(f *Factory, walletName string) (txSigner, error) {
	id, err := coldkeyOf(f, walletName)
	return txSigner{wallet: walletName, account: id}, err
}

// coldkeySignerFor is a wallet's coldkey as a signer and the account of one of its hotkeys: the
// two a call about the wallet's own hotkey (registration, take) needs offline.
func coldkeySignerFor(f *Factory, walletName, hotkey string) (txSigner, wallet.AccountID, error) {
	sg, err := coldkeySigner(f, walletName)
	if err != nil {
		return sg, wallet.AccountID{}, err
	}
	hot, err := hotkeyOf(f, walletName, hotkey)
	return sg, hot, err
}

// hotkeySigner is a wallet's hotkey as a signer (without a password).
func hotkeySigner(f *Factory, walletName, hotkey string) (txSigner, error) {
	id, err := hotkeyOf(f, walletName, hotkey)
	return txSigner{wallet: walletName, hotkey: hotkey, account: id}, err
}
