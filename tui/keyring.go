package tui

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
	// UnlockColdkey decrypts the wallet's coldkey for signing.
	UnlockColdkey(wallet string, password []byte) (Signer, error)
	// Hotkey loads a hotkey for signing (hotkeys are usually unencrypted).
	Hotkey(wallet, hotkey string) (Signer, error)
}

// Signer signs with one unlocked key.
type Signer interface {
	// Address is the key's SS58 account address.
	Address() string
	// Sign returns the 65-byte Substrate ECDSA signature of message.
	Sign(message []byte) ([]byte, error)
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
