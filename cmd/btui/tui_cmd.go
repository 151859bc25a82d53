package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// runTUI opens the full-screen console over the embedded devnet (running its block producer
// while the console is open) or over a `btui node` (--node, BTUI_NODE). Its Simulation page
// runs scenarios in real time (tuiSim); on a fresh embedded devnet the first-run screen
// offers the demo market (BTUI_DEMO=0 never offers it, BTUI_DEMO=1 offers it against a node
// too).
func runTUI(ctx context.Context, f *Factory) error {
	store, err := f.Keystore()
	if err != nil {
		return err
	}
	client, network, err := openTUIChain(f)
	if err != nil {
		return err
	}
	defer client.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	noColor := f.getenv("NO_COLOR") != ""
	app := tui.New(tui.Options{
		Keys:      tuiKeys{store: store},
		Client:    client,
		Simulator: tuiSim{client: client},
		OfferDemo: offerDemo(f),
		Context:   ctx,
		Network:   network,
		Wallet:    explicitWallet(f),
		Hotkey:    explicitHotkey(f),
		StatePath: consoleStatePath(f),
		NoColor:   noColor,
	})
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if noColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	_, err = tea.NewProgram(app, opts...).Run()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tea.ErrInterrupted), ctx.Err() != nil:
		return context.Canceled // exit code 130
	}
	return fmt.Errorf("the console stopped: %w", err)
}

// consoleStatePath is the console's state file beside the config file (the last wallet,
// hotkey and page, weights commits waiting for their reveal); "" when there is no config
// directory (the state then lives in memory).
func consoleStatePath(f *Factory) string {
	p := f.ConfigPath()
	if p == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(p), "console-state.json")
}

// explicitWallet is the wallet named by --wallet-name, BTUI_WALLET_NAME or the config file;
// "" lets the console take the one remembered from the last session.
func explicitWallet(f *Factory) string {
	if f.Opts.WalletName != "" || f.getenv("BTUI_WALLET_NAME") != "" || f.configValue("wallet-name") != "" {
		return f.WalletName()
	}
	return ""
}

// explicitHotkey is explicitWallet for the hotkey.
func explicitHotkey(f *Factory) string {
	if f.Opts.Hotkey != "" || f.getenv("BTUI_WALLET_HOTKEY") != "" || f.configValue("wallet-hotkey") != "" {
		return f.HotkeyName()
	}
	return ""
}

// openTUIChain connects to the node named by --node/BTUI_NODE, or opens the embedded devnet
// and starts its producer (the console is a long-running process, spec/chain.md).
func openTUIChain(f *Factory) (chainclient.Client, string, error) {
	if url := f.NodeURL(); url != "" {
		c, err := chainclient.NewRemote(url, chainclient.WithToken(f.getenv("BTUI_NODE_TOKEN")))
		if err != nil {
			return nil, "", err
		}
		return c, c.Endpoint(), nil
	}
	e, err := chainclient.OpenEmbedded(f.DataDir())
	if err != nil {
		return nil, "", err
	}
	if err := e.Chain().Start(); err != nil {
		e.Close()
		return nil, "", fmt.Errorf("start the devnet's block producer: %w", err)
	}
	return e, "embedded devnet", nil
}

// tuiKeys adapts the keystore to the console's Keys interface, with the same key generation
// and derivation as the wallet commands.
type tuiKeys struct{ store *keystore.Store }

var _ tui.Keys = tuiKeys{}

// ListWallets lists the wallets with their coldkey and hotkey addresses.
func (k tuiKeys) ListWallets() ([]tui.WalletInfo, error) {
	ws, err := k.store.List()
	if err != nil {
		return nil, err
	}
	out := make([]tui.WalletInfo, 0, len(ws))
	for _, w := range ws {
		wi := tui.WalletInfo{Name: w.Name}
		switch {
		case w.ColdkeyPub != nil && w.ColdkeyPub.Err == nil:
			wi.Address = w.ColdkeyPub.Info.AccountID.SS58()
		case w.Coldkey != nil && w.Coldkey.Err == nil:
			wi.Address = w.Coldkey.Info.AccountID.SS58()
		}
		if w.Coldkey != nil && w.Coldkey.Err == nil {
			wi.Encrypted = w.Coldkey.Info.Encrypted
		}
		for _, h := range w.Hotkeys {
			if h.Err != nil {
				continue
			}
			wi.Hotkeys = append(wi.Hotkeys, tui.HotkeyInfo{Name: h.Name, Address: h.Info.AccountID.SS58()})
		}
		out = append(out, wi)
	}
	return out, nil
}

func walletInfoOf(name string, kp *wallet.Keypair) tui.WalletInfo {
	return tui.WalletInfo{Name: name, Address: kp.Address(), Encrypted: true}
}

// CreateWallet writes a new encrypted coldkey from a fresh 12-word mnemonic.
func (k tuiKeys) CreateWallet(name string, password []byte) (string, tui.WalletInfo, error) {
	sec, err := walletGenerate(12, "")
	if err != nil {
		return "", tui.WalletInfo{}, err
	}
	defer sec.Keypair.Zero()
	nk := sec.newKey(true, bytes.Clone(password))
	defer clear(nk.Password)
	if err := k.store.WriteColdkey(name, nk, false); err != nil {
		return "", tui.WalletInfo{}, err
	}
	return sec.Mnemonic, walletInfoOf(name, sec.Keypair), nil
}

// ImportWallet restores an encrypted coldkey from a mnemonic or SURI.
func (k tuiKeys) ImportWallet(name, mnemonic string, password []byte) (tui.WalletInfo, error) {
	nk, err := walletFromSURI([]byte(mnemonic))
	if err != nil {
		return tui.WalletInfo{}, err
	}
	defer walletZeroNewKey(nk)
	nk.Encrypt, nk.Password = true, bytes.Clone(password)
	if err := k.store.WriteColdkey(name, *nk, false); err != nil {
		return tui.WalletInfo{}, err
	}
	return walletInfoOf(name, nk.Keypair), nil
}

// NewHotkey writes a new plaintext hotkey (as btcli does) from a fresh mnemonic.
func (k tuiKeys) NewHotkey(walletName, hotkey string) (string, tui.HotkeyInfo, error) {
	sec, err := walletGenerate(12, "")
	if err != nil {
		return "", tui.HotkeyInfo{}, err
	}
	defer sec.Keypair.Zero()
	if err := k.store.WriteHotkey(walletName, hotkey, sec.newKey(false, nil), false); err != nil {
		return "", tui.HotkeyInfo{}, err
	}
	return sec.Mnemonic, tui.HotkeyInfo{Name: hotkey, Address: sec.Keypair.Address()}, nil
}

// UnlockColdkey decrypts the coldkey; the caller zeroes the key.
func (k tuiKeys) UnlockColdkey(walletName string, password []byte) (*wallet.Keypair, error) {
	key, err := k.store.LoadColdkey(walletName, func() ([]byte, error) { return bytes.Clone(password), nil })
	if err != nil {
		return nil, err
	}
	clear(key.Mnemonic)
	clear(key.Path)
	if key.Keypair == nil {
		return nil, tuiNotEcdsa(key)
	}
	return key.Keypair, nil
}

// Hotkey loads a hotkey; an encrypted one is refused with what to do.
func (k tuiKeys) Hotkey(walletName, hotkey string) (*wallet.Keypair, error) {
	key, err := k.store.LoadHotkey(walletName, hotkey, func() ([]byte, error) {
		return nil, fmt.Errorf("hotkey %q of wallet %q is encrypted: the console signs with plaintext hotkeys only; use the command line", hotkey, walletName)
	})
	if err != nil {
		return nil, err
	}
	clear(key.Mnemonic)
	clear(key.Path)
	if key.Keypair == nil {
		return nil, tuiNotEcdsa(key)
	}
	return key.Keypair, nil
}

// tuiNotEcdsa refuses an sr25519 key in the console, whose Keys interface still hands out ECDSA
// key pairs (wipes the key).
func tuiNotEcdsa(key *keystore.Key) error {
	addr, scheme := key.Pair.Address(), key.Pair.Scheme()
	key.Zero()
	return fmt.Errorf("%s is an %s key: the console signs with ecdsa keys for now; the command line signs with it (btui wallet sign, wallet transfer, stake ...)", addr, scheme)
}
