package tui

import (
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
)

// Messages shared by several pages. Each carries data or an error, never both.

// walletsListedMsg is the key store's wallet list.
type walletsListedMsg struct {
	wallets  []WalletInfo
	err      error
	firstRun bool // asked at start-up to decide on the first-run screen
}

// walletSelectedMsg changes the wallet (and hotkey) the pages act for.
type walletSelectedMsg struct {
	Wallet string
	Hotkey string
}

// firstRunDoneMsg ends the first-run screen: with the wallet made there (an empty one when
// skipped); demo reports that the demo market was started from it.
type firstRunDoneMsg struct {
	wallet WalletInfo
	demo   bool
}

// listWalletsCmd reads the wallet list.
func listWalletsCmd(k Keys, firstRun bool) tea.Cmd {
	return func() tea.Msg {
		if k == nil {
			return walletsListedMsg{err: ErrNoKeys, firstRun: firstRun}
		}
		ws, err := k.ListWallets()
		return walletsListedMsg{wallets: ws, err: err, firstRun: firstRun}
	}
}

// isBroadcast reports whether msg concerns every page rather than the active one.
func isBroadcast(msg tea.Msg) bool {
	switch msg.(type) {
	case walletsListedMsg, stylesChangedMsg, simStartedMsg, simUpdateMsg, simPausedMsg, ticketMsg, txSignedMsg, txDoneMsg, txChanMsg, txProgressMsg:
		return true
	case spinner.TickMsg:
		return true // each spinner keeps its own ticks (by id), on hidden pages too
	}
	return isChainBroadcast(msg)
}
