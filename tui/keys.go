package tui

import "charm.land/bubbles/v2/key"

// KeyMap is every key binding of the console. Pages read their own section; help is
// generated from it. No other file names raw keys.
type KeyMap struct {
	Global   GlobalKeys
	Table    TableKeys
	Dialog   DialogKeys
	Wallets  WalletKeys
	Stake    StakeKeys
	Subnets  SubnetKeys
	Register RegisterKeys
	Weights  WeightKeys
	Chain    ChainKeys
	Sim      SimKeys
	FirstRun FirstRunKeys
}

// GlobalKeys work on every page unless a text input has focus (quit on ctrl+c always works).
type GlobalKeys struct {
	Quit      key.Binding
	ForceQuit key.Binding
	Help      key.Binding
	NextPage  key.Binding
	PrevPage  key.Binding
	Pages     []key.Binding // number keys, one per page
	Dismiss   key.Binding   // dismiss the error banner
}

// TableKeys move through, filter and sort tables.
type TableKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Left, Right                             key.Binding
	Filter, ClearFilter, Sort, SortReverse  key.Binding
}

// DialogKeys answer dialogs and forms.
type DialogKeys struct {
	Confirm, Cancel, Next, Prev, Submit, DryRun key.Binding
}

// WalletKeys are the Wallets page actions.
type WalletKeys struct {
	Create, Import, NewHotkey, Transfer, Sign, Verify, Inspect, Select key.Binding
}

// StakeKeys are the Stake page actions.
type StakeKeys struct {
	Add, Remove, Move key.Binding
}

// SubnetKeys are the Subnets page actions.
type SubnetKeys struct {
	Open, Hyperparams, Edit, Back key.Binding
}

// RegisterKeys are the Register page actions.
type RegisterKeys struct {
	Burned, PoW, Cancel key.Binding
}

// WeightKeys are the Weights editor actions.
type WeightKeys struct {
	Increase, Decrease, Zero, Edit, Set, Commit, Reveal, Validator, Discard, AutoReveal key.Binding
}

// ChainKeys are the Chain explorer and devnet controls.
type ChainKeys struct {
	Open, Pause, Advance, NextEpoch, Faucet, Follow key.Binding
}

// SimKeys are the Simulation page actions.
type SimKeys struct {
	Demo, Open, Pause, Stop, NextSubnet key.Binding
}

// FirstRunKeys are the first-run screen's choices besides creating and importing a wallet.
type FirstRunKeys struct {
	Demo, Skip, Btcli key.Binding
}

func kb(keys []string, helpKey, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
}

// DefaultKeyMap returns btui's key bindings.
func DefaultKeyMap() KeyMap {
	pages := make([]key.Binding, 9)
	for i := range pages {
		n := string(rune('1' + i))
		pages[i] = kb([]string{n}, n, "go to page "+n)
	}
	return KeyMap{
		Global: GlobalKeys{
			Quit:      kb([]string{"q"}, "q", "quit"),
			ForceQuit: kb([]string{"ctrl+c"}, "ctrl+c", "quit now"),
			Help:      kb([]string{"?"}, "?", "help"),
			NextPage:  kb([]string{"tab"}, "tab", "next page"),
			PrevPage:  kb([]string{"shift+tab"}, "shift+tab", "previous page"),
			Pages:     pages,
			Dismiss:   kb([]string{"ctrl+x"}, "ctrl+x", "dismiss message"),
		},
		Table: TableKeys{
			Up:          kb([]string{"up", "k"}, "↑/k", "up"),
			Down:        kb([]string{"down", "j"}, "↓/j", "down"),
			PageUp:      kb([]string{"pgup", "ctrl+u"}, "pgup", "page up"),
			PageDown:    kb([]string{"pgdown", "ctrl+d"}, "pgdn", "page down"),
			Top:         kb([]string{"home", "g"}, "g", "top"),
			Bottom:      kb([]string{"end", "G"}, "G", "bottom"),
			Left:        kb([]string{"left", "h"}, "←/h", "scroll columns left"),
			Right:       kb([]string{"right", "l"}, "→/l", "scroll columns right"),
			Filter:      kb([]string{"/"}, "/", "filter"),
			ClearFilter: kb([]string{"esc"}, "esc", "clear filter"),
			Sort:        kb([]string{"s"}, "s", "sort by a column"),
			SortReverse: kb([]string{"S"}, "S", "reverse sort"),
		},
		Dialog: DialogKeys{
			Confirm: kb([]string{"y", "enter"}, "y/enter", "confirm"),
			Cancel:  kb([]string{"n", "esc"}, "n/esc", "cancel"),
			Next:    kb([]string{"tab", "down"}, "tab", "next field"),
			Prev:    kb([]string{"shift+tab", "up"}, "shift+tab", "previous field"),
			Submit:  kb([]string{"enter"}, "enter", "submit"),
			DryRun:  kb([]string{"d"}, "d", "dry run (nothing submitted)"),
		},
		Wallets: WalletKeys{
			Create:    kb([]string{"c"}, "c", "create wallet"),
			Import:    kb([]string{"i"}, "i", "import from mnemonic"),
			NewHotkey: kb([]string{"n"}, "n", "new hotkey"),
			Transfer:  kb([]string{"t"}, "t", "transfer"),
			Sign:      kb([]string{"x"}, "x", "sign a message"),
			Verify:    kb([]string{"v"}, "v", "verify a signature"),
			Inspect:   kb([]string{"enter"}, "enter", "inspect"),
			Select:    kb([]string{"space"}, "space", "use this wallet"),
		},
		Stake: StakeKeys{
			Add:    kb([]string{"a"}, "a", "add stake"),
			Remove: kb([]string{"r"}, "r", "remove stake"),
			Move:   kb([]string{"m"}, "m", "move stake"),
		},
		Subnets: SubnetKeys{
			Open:        kb([]string{"enter"}, "enter", "metagraph"),
			Hyperparams: kb([]string{"p"}, "p", "hyperparameters"),
			Edit:        kb([]string{"e"}, "e", "edit value"),
			Back:        kb([]string{"backspace", "esc"}, "esc", "back"),
		},
		Register: RegisterKeys{
			Burned: kb([]string{"b"}, "b", "burned register"),
			PoW:    kb([]string{"w"}, "w", "proof-of-work register"),
			Cancel: kb([]string{"esc"}, "esc", "stop proof of work"),
		},
		Weights: WeightKeys{
			Increase:   kb([]string{"+", "="}, "+", "raise weight"),
			Decrease:   kb([]string{"-"}, "-", "lower weight"),
			Zero:       kb([]string{"0"}, "0", "zero weight"),
			Edit:       kb([]string{"enter"}, "enter", "type a weight"),
			Set:        kb([]string{"W"}, "W", "set weights"),
			Commit:     kb([]string{"C"}, "C", "commit weights"),
			Reveal:     kb([]string{"R"}, "R", "reveal weights"),
			Validator:  kb([]string{"v"}, "v", "pick subnet"),
			Discard:    kb([]string{"x"}, "x", "discard draft"),
			AutoReveal: kb([]string{"A"}, "A", "auto-reveal on/off"),
		},
		Chain: ChainKeys{
			Open:      kb([]string{"enter"}, "enter", "open block"),
			Pause:     kb([]string{"p"}, "p", "pause / resume"),
			Advance:   kb([]string{"a"}, "a", "advance N blocks"),
			NextEpoch: kb([]string{"e"}, "e", "jump to next epoch"),
			Faucet:    kb([]string{"F"}, "F", "faucet"),
			Follow:    kb([]string{"f", "G", "g", "home"}, "f/G", "follow the head"),
		},
		Sim: SimKeys{
			Demo:       kb([]string{"d"}, "d", "start the demo market"),
			Open:       kb([]string{"o"}, "o", "run a scenario file"),
			Pause:      kb([]string{"p", "space"}, "p", "pause / resume"),
			Stop:       kb([]string{"x"}, "x", "stop the simulation"),
			NextSubnet: kb([]string{"n"}, "n", "next subnet"),
		},
		FirstRun: FirstRunKeys{
			Demo:  kb([]string{"d"}, "d", "start the demo market"),
			Skip:  kb([]string{"esc"}, "esc", "skip"),
			Btcli: kb([]string{"b"}, "b", "use the btcli wallets"),
		},
	}
}

// tableHelp lists the table bindings for help views.
func (k TableKeys) help() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Left, k.Right, k.Filter, k.Sort, k.SortReverse}
}
