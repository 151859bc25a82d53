package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"time"

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
		Keys:      newTUIKeys(f, store),
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
	if n := f.Network(); n.Kind == chainclient.NetworkSubtensor {
		c, err := dialSubtensor(n)
		if err != nil {
			return nil, "", err
		}
		return c, consoleNetworkLabel(n, c), nil
	}
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

// tuiKeys adapts the keystore to the console's Keys interface, with the same key generation,
// derivation and restore (walletFromSURIScheme) as the wallet commands. Keys of both schemes
// sign; btcli wallets are listed and opened in place. f (nil in tests over a bare store) finds
// btcli's wallet directory for the first-run screen; use, when set, holds the store
// UseWalletPath switched to.
type tuiKeys struct {
	store *keystore.Store
	f     *Factory
	use   *atomic.Pointer[keystore.Store]
}

var _ tui.Keys = tuiKeys{}

// newTUIKeys is the adapter runTUI gives the console.
func newTUIKeys(f *Factory, store *keystore.Store) tuiKeys {
	return tuiKeys{store: store, f: f, use: new(atomic.Pointer[keystore.Store])}
}

// ks is the store in use.
func (k tuiKeys) ks() *keystore.Store {
	if k.use != nil {
		if s := k.use.Load(); s != nil {
			return s
		}
	}
	return k.store
}

// ListWallets lists the wallets with their coldkey and hotkey addresses, each key's scheme,
// the wallet's format and whether it is watch-only. A btcli $NACL coldkey carries how long
// it takes to open here (keystore.EstimateBtcliOpen, measured once per listing).
func (k tuiKeys) ListWallets() ([]tui.WalletInfo, error) {
	ws, err := k.ks().List()
	if err != nil {
		return nil, err
	}
	var estimate time.Duration
	out := make([]tui.WalletInfo, 0, len(ws))
	for _, w := range ws {
		wi := tui.WalletInfo{Name: w.Name, Format: w.Format().String(), WatchOnly: w.WatchOnly()}
		if info, ok := w.ColdkeyAddress(); ok {
			wi.Address, wi.Scheme = info.Address(), info.Scheme()
		}
		if c := w.Coldkey; c != nil && c.Err == nil {
			wi.Encrypted = c.Info.Encrypted
			if c.Info.Format == keystore.FormatBtcli && c.Info.Encrypted {
				if estimate == 0 {
					estimate = keystore.EstimateBtcliOpen()
				}
				wi.UnlockTime = estimate
			}
		}
		for _, h := range w.Hotkeys {
			if h.Err != nil {
				continue
			}
			wi.Hotkeys = append(wi.Hotkeys, tui.HotkeyInfo{Name: h.Name, Address: h.Info.Address(), Scheme: h.Info.Scheme()})
		}
		out = append(out, wi)
	}
	return out, nil
}

func walletInfoOf(name string, kp wallet.Pair) tui.WalletInfo {
	return tui.WalletInfo{Name: name, Address: kp.Address(), Encrypted: true, Scheme: kp.Scheme(), Format: keystore.FormatBtui.String()}
}

// CreateWallet writes a new encrypted ecdsa coldkey (btui's default) from a fresh 12-word
// mnemonic.
func (k tuiKeys) CreateWallet(name string, password []byte) (string, tui.WalletInfo, error) {
	sec, err := walletGenerate(12, "")
	if err != nil {
		return "", tui.WalletInfo{}, err
	}
	defer sec.Pair.Zero()
	nk := sec.newKey(true, bytes.Clone(password))
	defer clear(nk.Password)
	if err := k.ks().WriteColdkey(name, nk, false); err != nil {
		return "", tui.WalletInfo{}, err
	}
	return sec.Mnemonic, walletInfoOf(name, sec.Pair), nil
}

// RestoreChoices derives the accounts of a mnemonic under both schemes with the restore
// commands' derivation (walletFromSURIScheme), sr25519 first; a SURI only one scheme can hold
// (a soft junction: sr25519) gives one. Nothing is written.
func (k tuiKeys) RestoreChoices(mnemonic string) ([]tui.RestoreChoice, error) {
	var out []tui.RestoreChoice
	var firstErr error
	for _, scheme := range wallet.Schemes() {
		nk, err := walletFromSURIScheme([]byte(mnemonic), scheme)
		if err != nil {
			if firstErr == nil || scheme == wallet.Ecdsa && !errors.Is(err, wallet.ErrSoftJunction) {
				firstErr = err
			}
			continue
		}
		out = append(out, tui.RestoreChoice{Scheme: scheme, Address: nk.Pair.Address()})
		walletZeroNewKey(nk)
	}
	if len(out) == 0 {
		return nil, firstErr
	}
	return out, nil
}

// ImportWallet restores an encrypted coldkey of the scheme from a mnemonic or SURI, as
// `btui wallet regen-coldkey --crypto-type` does.
func (k tuiKeys) ImportWallet(name, mnemonic string, scheme wallet.Scheme, password []byte) (tui.WalletInfo, error) {
	nk, err := walletFromSURIScheme([]byte(mnemonic), scheme)
	if err != nil {
		return tui.WalletInfo{}, err
	}
	defer walletZeroNewKey(nk)
	nk.Encrypt, nk.Password = true, bytes.Clone(password)
	if err := k.ks().WriteColdkey(name, *nk, false); err != nil {
		return tui.WalletInfo{}, err
	}
	return walletInfoOf(name, nk.Pair), nil
}

// NewHotkey writes a new plaintext ecdsa hotkey (as btcli does, unencrypted) from a fresh
// mnemonic.
func (k tuiKeys) NewHotkey(walletName, hotkey string) (string, tui.HotkeyInfo, error) {
	sec, err := walletGenerate(12, "")
	if err != nil {
		return "", tui.HotkeyInfo{}, err
	}
	defer sec.Pair.Zero()
	if err := k.ks().WriteHotkey(walletName, hotkey, sec.newKey(false, nil), false); err != nil {
		return "", tui.HotkeyInfo{}, err
	}
	return sec.Mnemonic, tui.HotkeyInfo{Name: hotkey, Address: sec.Pair.Address(), Scheme: sec.Pair.Scheme()}, nil
}

// UnlockColdkey decrypts the coldkey, of either scheme and format; a watch-only wallet is
// keystore.ErrWatchOnly. The caller zeroes the key.
func (k tuiKeys) UnlockColdkey(walletName string, password []byte) (wallet.Pair, error) {
	key, err := k.ks().LoadColdkey(walletName, func() ([]byte, error) { return bytes.Clone(password), nil })
	if err != nil {
		return nil, err
	}
	clear(key.Mnemonic)
	clear(key.Path)
	return key.Pair, nil
}

// Hotkey loads a hotkey of either scheme; an encrypted one is refused with what to do.
func (k tuiKeys) Hotkey(walletName, hotkey string) (wallet.Pair, error) {
	key, err := k.ks().LoadHotkey(walletName, hotkey, func() ([]byte, error) {
		return nil, fmt.Errorf("hotkey %q of wallet %q is encrypted: the console signs with plaintext hotkeys only; use the command line", hotkey, walletName)
	})
	if err != nil {
		return nil, err
	}
	clear(key.Mnemonic)
	clear(key.Path)
	return key.Pair, nil
}

// BtcliWallets is `wallet list`'s btcliWalletsNearby: btcli's ~/.bittensor/wallets (under the
// HOME the console was given) when the wallet path is the default one.
func (k tuiKeys) BtcliWallets() (string, int) {
	if k.f == nil {
		return "", 0
	}
	return btcliWalletsNearby(k.f)
}

// UseWalletPath points the console's key store at dir for the rest of the session (with the
// store options the factory's store has).
func (k tuiKeys) UseWalletPath(dir string) error {
	if k.use == nil {
		return errors.New("this console's key store cannot change its wallet path: restart with --wallet-path")
	}
	var opts []keystore.Option
	if k.f != nil {
		opts = k.f.KeystoreOptions
	}
	s, err := keystore.New(dir, opts...)
	if err != nil {
		return err
	}
	k.use.Store(s)
	return nil
}
