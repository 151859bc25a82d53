package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/btui/btui/wallet"
)

// The address book: wherever an address is typed, the console also takes a wallet name (its
// coldkey), "wallet/hotkey" (that hotkey), a dev name (//Alice … //Ferdie, as the CLI does)
// or a saved contact (the state file's "contacts", name → address), and tab completes the
// names.

// resolveAddress turns what was typed into an SS58 address.
func (c *Common) resolveAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("type an address, a wallet name or a dev name such as //Bob")
	}
	if id, err := wallet.ParseAddress(s); err == nil {
		return id.SS58(), nil
	}
	if strings.HasPrefix(s, "//") {
		kp, err := wallet.Dev(s)
		if err != nil {
			return "", fmt.Errorf("%q is not a dev account: use //%s", s, strings.Join(wallet.DevNames(), ", //"))
		}
		defer kp.Zero()
		return kp.Address(), nil
	}
	name, hot, isHot := strings.Cut(s, "/")
	for _, w := range c.Wallets {
		if w.Name != name {
			continue
		}
		if !isHot {
			if w.Address == "" {
				return "", fmt.Errorf("wallet %s has no readable coldkey address", name)
			}
			return w.Address, nil
		}
		for _, h := range w.Hotkeys {
			if h.Name == hot {
				return h.Address, nil
			}
		}
		return "", fmt.Errorf("wallet %s has no hotkey %s", name, hot)
	}
	if a, ok := c.State.Contacts[s]; ok {
		return a, nil
	}
	return "", fmt.Errorf("%q is not an SS58 address, a wallet, a dev name (//Bob) or a saved contact", s)
}

// addressNames are the names the address book completes, for a prefix.
func (c *Common) addressNames(prefix string) []string {
	var names []string
	for _, w := range c.Wallets {
		names = append(names, w.Name)
		for _, h := range w.Hotkeys {
			names = append(names, w.Name+"/"+h.Name)
		}
	}
	for _, d := range wallet.DevNames() {
		names = append(names, "//"+d)
	}
	for n := range c.State.Contacts {
		names = append(names, n)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	out := names[:0]
	for _, n := range names {
		if strings.HasPrefix(strings.ToLower(n), strings.ToLower(prefix)) {
			out = append(out, n)
		}
	}
	return out
}
