package tui

// standardPages are the console's pages in tab order (spec/cli.md "The TUI").
func standardPages(c *Common) []Page {
	return []Page{
		newOverviewPage(c),
		newWalletsPage(c),
		newStakePage(c),
		newSubnetsPage(c),
		newRegisterPage(c),
		newWeightsPage(c),
		newChainPage(c),
		newSimPage(c),
	}
}
