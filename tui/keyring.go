package tui

import (
	"fmt"
	"math"
	"time"

	"github.com/btui/btui/wallet"
)

// Keys is what the console needs from the key store. The tui package defines it (the
// consumer owns the interface); cmd/btui passes an adapter over the keystore. Passwords
// are byte slices so callers can zero them; implementations must not keep them.
type Keys interface {
	// ListWallets returns every wallet with its hotkeys, sorted by name.
	ListWallets() ([]WalletInfo, error)
	// CreateWallet makes a new coldkey from a fresh mnemonic, encrypted with password, and
	// returns the mnemonic: the only time it is ever available.
	CreateWallet(name string, password []byte) (mnemonic string, w WalletInfo, err error)
	// RestoreChoices derives, without writing anything, the account a mnemonic (or SURI)
	// gives under each scheme it is valid for: sr25519 first (the btcli/SDK address), then
	// ecdsa. A SURI with a soft junction gives sr25519 only (ecdsa has no soft junctions).
	// The error says what is wrong with the phrase.
	RestoreChoices(mnemonic string) ([]RestoreChoice, error)
	// ImportWallet restores a coldkey of the scheme from a mnemonic (or SURI), encrypted
	// with password, as `btui wallet regen-coldkey --crypto-type` writes it.
	ImportWallet(name, mnemonic string, scheme wallet.Scheme, password []byte) (WalletInfo, error)
	// NewHotkey creates hotkey under wallet and returns its mnemonic (shown once).
	NewHotkey(wallet, hotkey string) (mnemonic string, h HotkeyInfo, err error)
	// UnlockColdkey decrypts the wallet's coldkey, of either scheme, for signing. The caller
	// signs what it must and then calls Zero on the key. A watch-only wallet's error says
	// "watch-only". It may take seconds (WalletInfo.UnlockTime): call it off the Update loop.
	UnlockColdkey(wallet string, password []byte) (wallet.Pair, error)
	// Hotkey loads a hotkey, of either scheme, for signing (hotkeys are usually
	// unencrypted); the caller zeroes it after use.
	Hotkey(wallet, hotkey string) (wallet.Pair, error)
	// BtcliWallets reports btcli's wallet directory (~/.bittensor/wallets) and how many
	// wallets it holds, when the console's wallet directory is the default one; "" and 0
	// otherwise. The first-run screen offers it when the console has no wallet.
	BtcliWallets() (dir string, count int)
	// UseWalletPath points the key store at dir for the rest of the session (the wallets
	// are used in place: nothing is copied or rewritten).
	UseWalletPath(dir string) error
}

// RestoreChoice is one account a mnemonic gives: its scheme and address.
type RestoreChoice struct {
	Scheme  wallet.Scheme
	Address string
}

// Wallet formats, as WalletInfo.Format names them.
const (
	FormatBtui  = "btui"
	FormatBtcli = "btcli"
)

// WalletInfo describes a wallet without any secret.
type WalletInfo struct {
	Name      string
	Address   string // coldkey SS58 address
	Encrypted bool   // false for dev wallets made with --no-password
	// Scheme is the coldkey's signature scheme (ecdsa, btui's default; sr25519, btcli's).
	Scheme wallet.Scheme
	// Format is the wallet's file format: FormatBtui, or FormatBtcli for a btcli wallet
	// used in place.
	Format string
	// WatchOnly is set for a wallet with a coldkeypub.txt and no coldkey: it shows
	// balances and stake but cannot sign.
	WatchOnly bool
	// UnlockTime is about how long unlocking the coldkey takes on this machine: 0 when it
	// is quick, seconds for a btcli $NACL coldkey (argon2i, 512 MiB).
	UnlockTime time.Duration
	Hotkeys    []HotkeyInfo
}

// HotkeyInfo describes one hotkey.
type HotkeyInfo struct {
	Name    string
	Address string
	Scheme  wallet.Scheme
}

// walletInfo is the listed wallet name (ok false when the list does not have it).
func (c *Common) walletInfo(name string) (WalletInfo, bool) {
	for _, w := range c.Wallets {
		if w.Name == name {
			return w, true
		}
	}
	return WalletInfo{}, false
}

// watchOnlyErr refuses to sign with a watch-only wallet, before any password is asked.
func watchOnlyErr(name string) error {
	return fmt.Errorf("wallet %s is watch-only (a coldkeypub.txt, no coldkey): it cannot sign, nothing was changed; "+
		"add its coldkey with `btui wallet regen-coldkey --wallet-name %s` to sign with it", name, name)
}

// aboutSeconds says how long d is, in whole seconds ("about 4 s").
func aboutSeconds(d time.Duration) string {
	return fmt.Sprintf("about %d s", max(1, int(math.Ceil(d.Seconds()))))
}

// unlockNote is what the password prompt adds for a coldkey that is slow to open.
func unlockNote(w WalletInfo) string {
	if w.UnlockTime <= 0 {
		return ""
	}
	return "\nThis btcli coldkey takes " + aboutSeconds(w.UnlockTime) + " to open."
}

// schemeLabel is the scheme as the console shows it beside an address.
func schemeLabel(s wallet.Scheme) string { return s.String() }
