package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/btui/btui/chainclient"
)

// Copying (`y`, lazygit's habit): the selected row's address, hash or signature goes to the
// clipboard with OSC 52, written through bubbletea's output (tea.SetClipboard), so it works
// over SSH and inside tmux (with set-clipboard on); the status line says what was copied.
// What is copied depends on the page: a wallet's or hotkey's address (a just-made signature
// or hotkey address in its result box), a stake position's hotkey, a subnet's owner, a
// neuron's hotkey, a hyperparameter's value, a block's hash, a miner's hotkey on the Weights
// page, the selected wallet's address on the Overview, a message of the history, a contact.

// copiedMsg carries what an asynchronous look-up found to copy (a block's full hash).
type copiedMsg struct {
	what, value string
	err         error
}

// copyCmd copies value to the clipboard and says so.
func copyCmd(what, value string) tea.Cmd {
	if value == "" {
		return noticeCmd(bannerInfo, "nothing to copy: the "+what+" is not known yet")
	}
	shown := value
	if ansi.StringWidth(shown) > 24 {
		shown = ShortAddress(shown, 24)
	}
	return tea.Batch(tea.SetClipboard(value), noticeCmd(bannerSuccess, "copied the "+what+" "+shown+" to the clipboard (OSC 52)"))
}

// copySelected copies what the active page has selected.
func (a *App) copySelected() tea.Cmd {
	what, value, cmd := a.copyTarget()
	if cmd != nil {
		return cmd
	}
	if what == "" {
		return noticeCmd(bannerInfo, "nothing to copy here: y copies the selected row's address, hash or signature")
	}
	return copyCmd(what, value)
}

// copyTarget is what y copies on the active page: a label and the value, or a command that
// looks the value up (a block's full hash).
func (a *App) copyTarget() (what, value string, cmd tea.Cmd) {
	switch p := a.Active().(type) {
	case *walletsPage:
		return walletsCopyTarget(p)
	case *stakePage:
		if r, ok := p.table.Selected(); ok {
			return "hotkey address", p.positionOf(r.Key).Hotkey.SS58(), nil
		}
	case *subnetsPage:
		switch p.mode {
		case subnetsList:
			if r, ok := p.list.Selected(); ok {
				for _, s := range p.subnets {
					if strconv.Itoa(int(s.Netuid)) == r.Key {
						return "owner coldkey of subnet " + r.Key, s.Owner.SS58(), nil
					}
				}
			}
		case subnetsMetagraph:
			if r, ok := p.meta.Selected(); ok {
				for _, n := range p.neurons {
					if strconv.Itoa(int(n.UID)) == r.Key {
						return "hotkey of uid " + r.Key, n.Hotkey.SS58(), nil
					}
				}
			}
		case subnetsHyper:
			if r, ok := p.hyper.Selected(); ok {
				return "value of " + r.Key, strings.Trim(cell(r, 1), `"`), nil
			}
		}
	case *chainPage:
		if p.mode == chainBlock {
			return "hash of block #" + FormatInt(p.block.Header.Height), p.block.Header.Hash.String(), nil
		}
		if r, ok := p.table.Selected(); ok {
			h, _ := strconv.ParseUint(r.Key, 10, 64)
			return "", "", blockHashCmd(a.c, h)
		}
	case *weightsPage:
		if i, ok := p.selected(); ok && i < len(p.hot) {
			return "hotkey of uid " + strconv.Itoa(int(p.uids[i])), p.hot[i], nil
		}
	case *overviewPage:
		return "coldkey address of " + a.c.Wallet, a.c.ColdkeyAddress(), nil
	}
	return "", "", nil
}

// walletsCopyTarget: in a result box, the signature or the new hotkey's address; else the
// selected row's address.
func walletsCopyTarget(p *walletsPage) (string, string, tea.Cmd) {
	if p.mode == walletsResult {
		for _, l := range p.result {
			f := strings.Fields(ansi.Strip(l))
			if len(f) < 2 {
				continue
			}
			switch {
			case f[0] == "signature" && p.resultT == "Signature":
				return "signature", f[1], nil
			case f[0] == "address" && strings.HasPrefix(p.resultT, "Hotkey "):
				return "hotkey address", f[1], nil
			case f[0] == "coldkey" && strings.HasPrefix(p.resultT, "Wallet "):
				return "coldkey address", f[1], nil
			}
		}
		return "", "", nil
	}
	w, h, ok := p.selectedWallet()
	if !ok {
		return "", "", nil
	}
	if h == "" {
		return "coldkey address of " + w, p.addressOf(w, ""), nil
	}
	return "hotkey address of " + w + "/" + h, p.addressOf(w, h), nil
}

// copyInCapture reports whether y copies although the page captures keys: a wallet result
// box (a signature, a new hotkey), which takes no typing.
func (a *App) copyInCapture() bool {
	p, ok := a.Active().(*walletsPage)
	return ok && p.mode == walletsResult && !p.extra.capturing()
}

// blockHashCmd looks up the full hash of block h (the explorer shows it shortened).
func blockHashCmd(c *Common, h uint64) tea.Cmd {
	what := "hash of block #" + FormatInt(h)
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		hs, err := client.Blocks(ctx, h, 1)
		if err != nil {
			return copiedMsg{what: what, err: err}
		}
		if len(hs) == 0 || hs[0].Height != h {
			return copiedMsg{what: what, err: fmt.Errorf("block %d is not on this chain any more", h)}
		}
		return copiedMsg{what: what, value: hs[0].Hash.String()}
	})
}
