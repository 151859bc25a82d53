package tui

import tea "charm.land/bubbletea/v2"

// walletsChain is the chain side of the Wallets page (balances, transfer).
type walletsChain struct{}

func (walletsChain) loadBalances(*walletsPage) tea.Cmd               { return nil }
func (walletsChain) update(*walletsPage, tea.Msg) (tea.Cmd, bool)    { return nil, false }
func (walletsChain) handleKey(*walletsPage, tea.KeyPressMsg) tea.Cmd { return nil }
func (walletsChain) balanceCells(string) (string, string)            { return "", "" }
func (walletsChain) hotkeyStakeCell(string) string                   { return "" }
func (walletsChain) hotkeyNote(string) string                        { return "" }
func (walletsChain) inspectLines(*walletsPage, WalletInfo) []string  { return nil }
func (walletsChain) summaryLine(*walletsPage) string                 { return "" }
func (walletsChain) overlay(*walletsPage, int) string                { return "" }
