package tui

import "github.com/btui/btui/wallet"

// Keys is what the console needs from the key store. The tui package defines it (the
// consumer owns the interface); cmd/btui passes an adapter over the keystore. Passwords
// are byte slices so callers can zero them; implementations must not keep them.
type Keys interface {
	// ListWallets returns every wallet with its hotkeys, sorted by name.
	ListWallets() ([]WalletInfo, error)
	// CreateWallet makes a new coldkey from a fresh mnemonic, encrypted with password, and
	// returns the mnemonic: the only time it is ever available.
	CreateWallet(name string, password []byte) (mnemonic string, w WalletInfo, err error)
	// ImportWallet restores a coldkey from a mnemonic (or SURI), encrypted with password.
	ImportWallet(name, mnemonic string, password []byte) (WalletInfo, error)
	// NewHotkey creates hotkey under wallet and returns its mnemonic (shown once).
	NewHotkey(wallet, hotkey string) (mnemonic string, h HotkeyInfo, err error)
	// UnlockColdkey decrypts the wallet's coldkey for signing. The caller signs what it
	// must and then calls Zero on the key.
	UnlockColdkey(wallet string, password []byte) (*wallet.Keypair, error)
	// Hotkey loads a hotkey for signing (hotkeys are usually unencrypted); the caller
	// zeroes it after use.
	Hotkey(wallet, hotkey string) (*wallet.Keypair, error)
}

// WalletInfo describes a wallet without any secret.
type WalletInfo struct {
	Name      string
	Address   string // coldkey SS58 address
	Encrypted bool   // false for dev wallets made with --no-password
	Hotkeys   []HotkeyInfo
}

// HotkeyInfo describes one hotkey.
type HotkeyInfo struct {
	Name    string
	Address string
}
