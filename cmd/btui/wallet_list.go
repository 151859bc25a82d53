package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/btui/btui/keystore"
	"github.com/spf13/cobra"
)

type walletListOptions struct {
	f *Factory
}

func newCmdWalletList(f *Factory, runF func(*walletListOptions) error) *cobra.Command {
	opts := &walletListOptions{f: f}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List wallets and their hotkeys with addresses",
		Long: `Show every wallet under the wallet path as a tree: the coldkey address (marked UNENCRYPTED
for --no-password dev wallets, watch-only when there is only a coldkeypub.txt) and each hotkey
with its address. No password is needed: only public fields are read. Permission problems are
reported on stderr.

JSON (--json): {"wallet_path": "...", "wallets": [{"name", "path", "coldkey": key or null,
"hotkeys": [key...], "problems": ["..."], "warnings": ["..."]}], "btcli_wallets": {"path",
"count"} (only when the wallet path is empty and ~/.bittensor/wallets holds btcli wallets)},
where a key is {"name", "address", "account_id", "public_key", "encrypted", "keyfile", "file",
"kdf", "error", "scheme" ("ecdsa" or "sr25519"), "format" ("btui" or "btcli")}.

btcli wallets (--wallet-path ~/.bittensor/wallets) are listed in place: sr25519 keys in btcli's
format are tagged so. When the default wallet path is empty and ~/.bittensor/wallets holds
wallets, list says so.`,
		Example: `  btui wallet list
  btui wallet list --wallet-path ./wallets --json`,
		Args: walletNoArgs("choose the directory with --wallet-path"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return walletExplain(walletListRun(opts))
		},
	}
	return cmd
}

// walletListJSON is the stable output of `btui wallet list --json`.
type walletListJSON struct {
	WalletPath string            `json:"wallet_path"`
	Wallets    []walletEntryJSON `json:"wallets"`
	// BtcliWallets is set when the wallet path is empty and btcli's ~/.bittensor/wallets
	// holds wallets.
	BtcliWallets *btcliNearbyJSON `json:"btcli_wallets,omitempty"`
}

type btcliNearbyJSON struct {
	Path  string `json:"path"`
	Count int    `json:"count"`
}

// btcliWalletsNearby returns btcli's wallet directory (~/.bittensor/wallets) and how many
// wallets it holds, when the wallet path is btui's default (a chosen path is not second-guessed).
func btcliWalletsNearby(f *Factory) (string, int) {
	if f.WalletPath() != f.DefaultWalletPath() {
		return "", 0
	}
	home := f.getenv("HOME")
	if home == "" {
		return "", 0
	}
	dir := filepath.Join(home, ".bittensor", "wallets")
	s, err := keystore.New(dir)
	if err != nil {
		return "", 0
	}
	names, err := s.Wallets()
	if err != nil {
		return "", 0
	}
	return dir, len(names)
}

// walletEntryJSON is one wallet in `list` and the output of `inspect`.
type walletEntryJSON struct {
	Name string `json:"name"`
	Path string `json:"path"`
	// Coldkey is null when the wallet has neither a coldkey nor a coldkeypub.txt.
	Coldkey  *walletKeyJSON  `json:"coldkey"`
	Hotkeys  []walletKeyJSON `json:"hotkeys"`
	Problems []string        `json:"problems"`
	Warnings []string        `json:"warnings"`
}

func walletEntry(w keystore.WalletInfo) walletEntryJSON {
	e := walletEntryJSON{Name: w.Name, Path: w.Path, Hotkeys: []walletKeyJSON{}, Problems: []string{}, Warnings: []string{}}
	hasKeyfile := w.Coldkey != nil && w.Coldkey.Err == nil
	if info, ok := w.ColdkeyAddress(); ok {
		file := filepath.Join(w.Path, keystore.ColdkeyPubFile)
		var kdf *keystore.KDFParams
		if hasKeyfile {
			file, kdf = w.Coldkey.Path, w.Coldkey.KDF
		}
		k := walletKeyFromInfo("coldkey", file, info, hasKeyfile, kdf)
		if w.Coldkey != nil && w.Coldkey.Err != nil {
			k.Error = w.Coldkey.Err.Error()
			k.Keyfile = true
			k.File = w.Coldkey.Path
		}
		e.Coldkey = &k
	} else if w.Coldkey != nil {
		e.Coldkey = &walletKeyJSON{Name: "coldkey", Keyfile: true, File: w.Coldkey.Path, Error: w.Coldkey.Err.Error()}
	}
	if w.Coldkey != nil && w.Coldkey.Err != nil {
		e.Problems = append(e.Problems, "coldkey: "+w.Coldkey.Err.Error())
	}
	if w.ColdkeyPub != nil && w.ColdkeyPub.Err != nil {
		e.Problems = append(e.Problems, "coldkeypub.txt: "+w.ColdkeyPub.Err.Error())
	}
	if w.Mismatch != nil {
		e.Problems = append(e.Problems, w.Mismatch.Error())
	}
	for _, h := range w.Hotkeys {
		if h.Err != nil {
			e.Hotkeys = append(e.Hotkeys, walletKeyJSON{Name: h.Name, Keyfile: true, File: h.Path, Error: h.Err.Error()})
			e.Problems = append(e.Problems, fmt.Sprintf("hotkey %s: %v", h.Name, h.Err))
			continue
		}
		e.Hotkeys = append(e.Hotkeys, walletKeyFromInfo(h.Name, h.Path, h.Info, true, h.KDF))
	}
	for _, warn := range w.Warnings {
		e.Warnings = append(e.Warnings, warn.String())
	}
	return e
}

func walletListRun(o *walletListOptions) error {
	f := o.f
	s, err := f.Keystore()
	if err != nil {
		return err
	}
	infos, err := s.List()
	if err != nil {
		return err
	}
	walletCleanupNotice(f)
	doc := walletListJSON{WalletPath: s.Root(), Wallets: make([]walletEntryJSON, 0, len(infos))}
	if len(infos) == 0 {
		if dir, n := btcliWalletsNearby(f); n > 0 {
			doc.BtcliWallets = &btcliNearbyJSON{Path: dir, Count: n}
		}
	}
	for _, w := range infos {
		doc.Wallets = append(doc.Wallets, walletEntry(w))
		walletWarn(f, w.Warnings)
	}
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, doc)
	}
	walletPrintTree(f.IO.Out, doc)
	return nil
}

// walletPrintTree draws the wallets as a tree.
func walletPrintTree(w io.Writer, doc walletListJSON) {
	if len(doc.Wallets) == 0 {
		fmt.Fprintf(w, "No wallets in %s. Create one with: btui wallet create --wallet-name NAME\n", doc.WalletPath)
		if b := doc.BtcliWallets; b != nil {
			fmt.Fprintf(w, "btcli wallets found in %s (%d): use them in place with --wallet-path %s,\n"+
				"or copy one into btui's format with: btui --wallet-path %s wallet convert NAME --to btui\n",
				b.Path, b.Count, b.Path, b.Path)
		}
		return
	}
	fmt.Fprintln(w, doc.WalletPath)
	nameWidth := 0
	for _, e := range doc.Wallets {
		nameWidth = max(nameWidth, len(e.Name))
	}
	for i, e := range doc.Wallets {
		last := i == len(doc.Wallets)-1
		branch, indent := "├── ", "│   "
		if last {
			branch, indent = "└── ", "    "
		}
		fmt.Fprintf(w, "%s%-*s  %s\n", branch, nameWidth, e.Name, walletColdkeyCell(e.Coldkey))
		hw := 0
		for _, h := range e.Hotkeys {
			hw = max(hw, len(h.Name))
		}
		lines := make([]string, 0, len(e.Hotkeys)+len(e.Problems))
		for _, h := range e.Hotkeys {
			if h.Error != "" {
				lines = append(lines, fmt.Sprintf("%-*s  unreadable: %s", hw, h.Name, h.Error))
				continue
			}
			lines = append(lines, fmt.Sprintf("%-*s  %s  %s%s", hw, h.Name, h.Address, walletHotkeyLabel(h.Encrypted), walletSchemeTag(h)))
		}
		for _, p := range e.Problems {
			if !strings.HasPrefix(p, "hotkey ") {
				lines = append(lines, "problem: "+p)
			}
		}
		if len(e.Hotkeys) == 0 {
			lines = append(lines, "(no hotkeys)")
		}
		for j, l := range lines {
			b := "├── "
			if j == len(lines)-1 {
				b = "└── "
			}
			fmt.Fprintf(w, "%s%s%s\n", indent, b, l)
		}
	}
}

func walletColdkeyCell(k *walletKeyJSON) string {
	switch {
	case k == nil:
		return "(no coldkey)"
	case k.Address == "":
		return "coldkey unreadable"
	}
	return k.Address + "  " + walletColdkeyLabel(*k) + walletSchemeTag(*k)
}

// walletSchemeTag marks keys that are not btui's default (ecdsa in btui's format): "  sr25519",
// "  sr25519, btcli format".
func walletSchemeTag(k walletKeyJSON) string {
	var tags []string
	if k.Scheme != "" && k.Scheme != "ecdsa" {
		tags = append(tags, k.Scheme)
	}
	if k.Format == "btcli" {
		tags = append(tags, "btcli format")
	}
	if len(tags) == 0 {
		return ""
	}
	return "  " + strings.Join(tags, ", ")
}
