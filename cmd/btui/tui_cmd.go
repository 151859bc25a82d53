package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// runTUI opens the full-screen console over the embedded devnet (running its block producer
// while the console is open) or over a `btui node` (--node, BTUI_NODE).
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
		Keys:    tuiKeys{store: store},
		Client:  client,
		Tx:      tuiTx{client: client},
		Context: ctx,
		Network: network,
		Wallet:  f.WalletName(),
		Hotkey:  f.HotkeyName(),
		NoColor: noColor,
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

// openTUIChain connects to the node named by --node/BTUI_NODE, or opens the embedded devnet
// and starts its producer (the console is a long-running process, spec/chain.md).
func openTUIChain(f *Factory) (chainclient.Client, string, error) {
	if url := f.NodeURL(); url != "" {
		c, err := chainclient.NewRemote(url)
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

// tuiTx builds the console's transactions with the same calls and signing as the commands.
type tuiTx struct{ client chainclient.Client }

// Transfer signs balances.transfer.
func (t tuiTx) Transfer(ctx context.Context, from *wallet.Keypair, to wallet.AccountID, amount uint64, allowDeath bool) ([]byte, error) {
	return chainclient.Sign(ctx, t.client, from, localchain.Transfer{To: to, Amount: amount, AllowDeath: allowDeath}, chainclient.SignOptions{})
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
	return key.Keypair, nil
}
