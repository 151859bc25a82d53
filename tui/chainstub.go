package tui

import tea "charm.land/bubbletea/v2"

// isChainBroadcast reports whether msg is a chain-wide event every page sees.
func isChainBroadcast(msg tea.Msg) bool { return false }

// chainHint gives advice for chain errors.
func chainHint(err error) string { return "" }

func standardPages(c *Common) []Page { return []Page{newWalletsPage(c)} }
