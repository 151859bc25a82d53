package tui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/chainclient"
)

// Common is what every page shares: styles, key map, the screen size, the chain client
// and the key store. The root model owns it and changes it only in its Update, in
// response to messages; pages read it.
type Common struct {
	Styles Styles
	KeyMap KeyMap
	Width  int
	Height int

	Keys    Keys               // the key store (may be nil: pages then say so)
	Client  chainclient.Client // the chain (may be nil: pages then say so)
	Sim     Simulator          // runs scenario simulations (may be nil: the Simulation page says so)
	Ctx     context.Context    // ends when the console quits
	Network string             // what the banner shows: "devnet (embedded)" or the node URL

	Wallet  string       // selected wallet name
	Hotkey  string       // selected hotkey name
	Wallets []WalletInfo // the key store's wallets, as last listed

	// Animate enables spinners and other timer-driven redraws. Tests turn it off so
	// that every command they run returns at once.
	Animate bool
	// PickWords chooses k distinct word positions out of n for the mnemonic check.
	PickWords func(n, k int) []int

	// State is the persistent state (state.go); StatePath its file ("" keeps it in memory).
	State     consoleState
	StatePath string
	// Genesis is the genesis hash of the chain the pages show ("" until known).
	Genesis string
	// BlockTimeMs is the chain's block time, for countdowns (0 until known).
	BlockTimeMs uint64
}

// Page is one screen of the console (soft-serve's Component). Pages are not tea.Models:
// Update returns the page itself and View returns a string; only App returns a tea.View.
type Page interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (Page, tea.Cmd)
	View() string
	// SetSize gives the page its area; sizes are computed here, never in View.
	SetSize(width, height int)
	// Title names the page in the tab bar.
	Title() string
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// Capturing reports whether a text input or dialog has focus, so the root must pass
	// every key (including q, ?, tab and digits) to the page.
	Capturing() bool
}

// inputStyles are the text input styles; the cursor blinks only when animation is on.
func (c *Common) inputStyles() textinput.Styles {
	s := c.Styles.Input
	s.Cursor.Blink = c.Animate
	return s
}

// ColdkeyAddress is the selected wallet's coldkey address, or "" when it is unknown.
func (c *Common) ColdkeyAddress() string {
	for _, w := range c.Wallets {
		if w.Name == c.Wallet {
			return w.Address
		}
	}
	return ""
}

// HotkeyAddress is the selected hotkey's address, or "".
func (c *Common) HotkeyAddress() string {
	for _, w := range c.Wallets {
		if w.Name != c.Wallet {
			continue
		}
		for _, h := range w.Hotkeys {
			if h.Name == c.Hotkey {
				return h.Address
			}
		}
	}
	return ""
}
