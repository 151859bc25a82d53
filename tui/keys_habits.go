package tui

import "charm.land/bubbles/v2/key"

// HabitKeys are the keys operators bring from k9s and lazygit, on every page unless a text
// input has focus: the command line, copying, the message history and the address book.
// (The sort picker's keys are the table's Sort and SortReverse.)
type HabitKeys struct {
	Command, Copy, Messages, Contacts key.Binding
}

// DefaultHabitKeys returns the habit keys.
func DefaultHabitKeys() HabitKeys {
	return HabitKeys{
		Command:  kb([]string{":"}, ":", "command line"),
		Copy:     kb([]string{"y"}, "y", "copy address/hash"),
		Messages: kb([]string{"!"}, "!", "message history"),
		Contacts: kb([]string{"@"}, "@", "address book"),
	}
}

// help lists the habit keys for the help overlay.
func (k HabitKeys) help() []key.Binding {
	return []key.Binding{k.Command, k.Copy, k.Messages, k.Contacts}
}

// footer is the command line's entry in the footer, beside help and quit.
func (k HabitKeys) footer() key.Binding {
	return key.NewBinding(key.WithKeys(k.Command.Keys()...), key.WithHelp(k.Command.Help().Key, "cmd"))
}
