package main

import (
	"context"
	"encoding/json"
	"errors"
	"math/bits"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

// txDefaultPeriod is the era of an online `tx sign` without --era: 128 blocks (about 25
// minutes), the bittensor SDK's default.
const txDefaultPeriod = 128

type txSignOptions struct {
	offlineOptions
	Call      string
	Args      string
	ArgsFile  string
	UseHotkey bool
	Password  passwordOptions
}

// txSignJSON is `btui tx sign --json` (and what tx decode/submit read back with --file).
type txSignJSON struct {
	Extrinsic    string       `json:"extrinsic"`
	Hash         string       `json:"hash"`
	Length       int          `json:"length"`
	Call         *txCallJSON  `json:"call"`
	Signer       txSignerJSON `json:"signer"`
	Era          txEraJSON    `json:"era"`
	Nonce        uint64       `json:"nonce"`
	Tip          uint64       `json:"tip"`
	GenesisHash  string       `json:"genesis_hash"`
	Network      string       `json:"network"` // "finney" or "test" when the genesis is theirs, else the --network given, else ""
	SpecVersion  uint32       `json:"spec_version"`
	TxVersion    uint32       `json:"tx_version"`
	MetadataHash *string      `json:"metadata_hash"` // null: CheckMetadataHash disabled
	Offline      bool         `json:"offline"`
}

func newCmdTxSign(f *Factory) *cobra.Command {
	o := &txSignOptions{}
	cmd := &cobra.Command{
		Use:   "sign --call Pallet.call_name --args JSON",
		Short: "Sign any call of the runtime (offline with --offline)",
		Long: `Sign one call of the runtime's metadata as a v4 extrinsic with the wallet's coldkey (or its
hotkey with --use-hotkey): ECDSA keys sign MultiSignature::Ecdsa, sr25519 keys ::Sr25519.

--call names the call as Pallet.call_name, --args gives its arguments as a JSON object by their
metadata names: amounts as integers in rao (or alpha rao; a decimal string for any size),
accounts as SS58 or 0x hex, byte strings as 0x hex, a MultiAddress as an SS58 string or
{"Id": "5…"}, enums as "Variant" or {"Variant": fields}, Option as null or the value.

Online (the default) the node of --network gives what is not on the command line: the metadata,
the nonce (account_nextIndex), the era's block (the finalized head; --era defaults to 128 blocks),
the genesis hash and the runtime and transaction versions. The result is printed, not submitted:
btui tx submit sends it.

--offline touches no network. Every value a node would give must then be on the command line
(a missing one is named, exit 2):
  --metadata FILE         the runtime's metadata (a state_getMetadata result as 0x hex; gzip ok)
  --nonce N               the signer's next nonce
  --era immortal          or --era PERIOD (a power of two, 4…65536) with --block-number B and
                          --block-hash H of the era's first block (a recent finalized block)
  --genesis-hash H        the chain (finney: 0x2f0555cc…5ab36c03)
  --spec-version V        the runtime version (must be the metadata's)
  --tx-version T          the transaction version (must be the metadata's)
--tip RAO (default 0) and --metadata-hash H (enables CheckMetadataHash with that RFC-0078
digest; disabled otherwise) are never read from a node. Every transaction command takes
--offline and these flags too, and prints what this command prints for its call (btui stake add
--netuid 1 --amount 1 --unsafe --offline ...; docs/networks.md).

The review (signer, call with each argument by name, era, nonce) goes to stderr before the key is
unlocked; the extrinsic's 0x hex to stdout, and to --output FILE if given.

JSON (--json): {"extrinsic", "hash", "length", "call", "signer", "era", "nonce", "tip",
"genesis_hash", "network", "spec_version", "tx_version", "metadata_hash", "offline"} (docs/json.md).`,
		Example: `  btui tx sign --offline --metadata metadata.hex --wallet-name cold \
      --call SubtensorModule.add_stake --args '{"hotkey":"5F…","netuid":1,"amount_staked":1000000000}' \
      --nonce 0 --era immortal --genesis-hash 0x2f05…6c03 --spec-version 343 --tx-version 1 \
      --password-file pw.txt --output add_stake.hex
  btui tx sign --network finney --wallet-name cold --call Balances.transfer_keep_alive \
      --args '{"dest":"5F…","value":500000000}' --json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			return txSignRun(cmd.Context(), f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Call, "call", "", "the call as `Pallet.call_name` (e.g. SubtensorModule.add_stake)")
	fl.StringVar(&o.Args, "args", "", "the call's arguments as a `JSON` object by their metadata names")
	fl.StringVar(&o.ArgsFile, "args-file", "", "read the arguments' JSON object from `PATH`")
	addOfflineFlags(f, cmd, &o.offlineOptions, true)
	fl.BoolVar(&o.UseHotkey, "use-hotkey", false, "sign with the hotkey (--wallet-hotkey) instead of the coldkey")
	addPasswordFlags(cmd, &o.Password)
	secretFlagTraps(cmd)
	return cmd
}

// parseCallName splits Pallet.call_name.
func parseCallName(s string) (pallet, call string, err error) {
	p, c, ok := strings.Cut(strings.TrimSpace(s), ".")
	if !ok || p == "" || c == "" || strings.Contains(c, ".") {
		return "", "", usageErrorf("--call %q: give the call as Pallet.call_name, e.g. SubtensorModule.add_stake or Balances.transfer_keep_alive", s)
	}
	return p, c, nil
}

// parseCallArgs reads --args or --args-file as a JSON object (numbers kept exact).
func parseCallArgs(o *txSignOptions) (map[string]any, error) {
	text, flag := o.Args, "--args"
	switch {
	case o.Args != "" && o.ArgsFile != "":
		return nil, usageErrorf("give --args or --args-file, not both")
	case o.ArgsFile != "":
		b, err := os.ReadFile(o.ArgsFile)
		if err != nil {
			return nil, usageErrorf("--args-file: %v", err)
		}
		text, flag = string(b), "--args-file"
	case !o.set("args"):
		text = "{}"
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, usageErrorf("%s is not valid JSON: %v (give an object such as '{\"netuid\": 1}')", flag, err)
	}
	if dec.More() {
		return nil, usageErrorf("%s: text after the JSON object", flag)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, usageErrorf("%s must be a JSON object of the call's arguments by name, e.g. '{\"netuid\": 1}'", flag)
	}
	return obj, nil
}

// explainCallErr adds what the runtime has to an unknown pallet or call.
func explainCallErr(m *substrate.Metadata, pallet, call string, err error) error {
	if !errors.Is(err, substrate.ErrNotInMetadata) {
		return usageErrorf("%v", err)
	}
	var names []string
	if p, ok := m.Pallet(pallet); ok && p.Calls != nil {
		for _, v := range m.Types.Type(*p.Calls).Variants {
			names = append(names, v.Name)
		}
		return usageErrorf("--call: %v; closest calls of %s: %s", err, pallet, strings.Join(closest(call, names, 5), ", "))
	}
	for _, p := range m.Pallets {
		if p.Calls != nil {
			names = append(names, p.Name)
		}
	}
	return usageErrorf("--call: %v; pallets with calls: %s", err, strings.Join(names, ", "))
}

// closest returns up to n names nearest to s (edit distance, then name).
func closest(s string, names []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	var all []scored
	for _, name := range names {
		all = append(all, scored{name, editDistance(strings.ToLower(s), strings.ToLower(name))})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].d != all[j].d {
			return all[i].d < all[j].d
		}
		return all[i].name < all[j].name
	})
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].name)
	}
	return out
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// parseEra reads --era: "immortal" or a power-of-two period.
func parseEra(s string, m *substrate.Metadata) (immortal bool, period uint64, err error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "immortal" {
		return true, 0, nil
	}
	p, perr := strconv.ParseUint(s, 10, 64)
	if perr != nil || p < 4 || p > 1<<16 || bits.OnesCount64(p) != 1 {
		return false, 0, usageErrorf("--era %q: give immortal or a mortal period in blocks, a power of two from 4 to 65536 (e.g. 64 or 128)", s)
	}
	if c, err := m.Constant("System", "BlockHashCount"); err == nil && len(c.Value) <= 8 {
		var n uint64
		for i := len(c.Value) - 1; i >= 0; i-- {
			n = n<<8 | uint64(c.Value[i])
		}
		if n > 0 && p > n {
			return false, 0, usageErrorf("--era %d: longer than the runtime's BlockHashCount (%d): the node could not check the era's block; give at most %d", p, n, 1<<(bits.Len64(n)-1))
		}
	}
	return false, p, nil
}

func parseHashFlag(flag, s string) (substrate.Hash, error) {
	h, err := substrate.ParseHash(strings.TrimSpace(s))
	if err != nil {
		return h, usageErrorf("%s %q: give a 32-byte hash as 0x + 64 hex digits", flag, s)
	}
	return h, nil
}

// txSigner is who signs: the wallet's coldkey, or its hotkey with --use-hotkey.
type txSigner struct {
	wallet, hotkey string // hotkey "" for the coldkey
	account        wallet.AccountID
}

func (s txSigner) key() string {
	if s.hotkey == "" {
		return "coldkey"
	}
	return s.hotkey
}

func txSignRun(ctx context.Context, f *Factory, o *txSignOptions) error {
	pallet, call, err := parseCallName(o.Call)
	if err != nil {
		return err
	}
	if !o.set("call") {
		return usageErrorf("--call is required: the call as Pallet.call_name")
	}
	args, err := parseCallArgs(o)
	if err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}

	sg := txSigner{wallet: f.WalletName()}
	if o.UseHotkey {
		sg.hotkey = f.HotkeyName()
		sg.account, err = hotkeyOf(f, sg.wallet, sg.hotkey)
	} else {
		sg.account, err = coldkeyOf(f, sg.wallet)
	}
	if err != nil {
		return err
	}

	// The metadata, then every value the extensions sign.
	var (
		m       *substrate.Metadata
		c       *substrate.Client
		netName string
	)
	if o.set("metadata") {
		if m, err = loadMetadataFile(o.Metadata); err != nil {
			return err
		}
	}
	if !o.Offline {
		// Check the call before connecting: bad input fails fast, offline or not.
		if m != nil {
			if _, err := m.EncodeCall(pallet, call, args); err != nil {
				return explainCallErr(m, pallet, call, err)
			}
		}
		sub, name, err := txDial(ctx, f, "tx sign (without --offline)")
		if err != nil {
			return err
		}
		defer sub.Close()
		c, netName = sub.Substrate(), name
		node := c.Metadata()
		if m != nil {
			mv, _ := m.RuntimeVersion()
			if mv.SpecVersion != c.RuntimeVersion().SpecVersion {
				return usageErrorf("--metadata is for runtime %d but %s runs %d: drop --metadata to use the node's", mv.SpecVersion, name, c.RuntimeVersion().SpecVersion)
			}
		}
		m = node
	}
	callBytes, err := m.EncodeCall(pallet, call, args)
	if err != nil {
		return explainCallErr(m, pallet, call, err)
	}
	b, err := o.params(ctx, m, c, netName, sg.account)
	if err != nil {
		return err
	}
	return o.signAndPrint(txSignJob{m: m, callBytes: callBytes, b: b, sg: sg, netName: netName, pw: o.Password})
}
