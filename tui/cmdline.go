package tui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// The command line (`:`, k9s' habit): one line in place of the footer where the operator
// types where to go or what to do, with tab completion of the command words, wallet names,
// subnets and contacts; enter runs it, esc cancels. An unknown command or a bad argument
// puts a message in the status line (the banner) naming the valid ones; the line stays
// open with what was typed, to be fixed.

// command is one command of the line.
type command struct {
	name    string
	aliases []string
	arg     string // the argument's name in the help ("" when it takes none)
	about   string
}

// commands are the command line's commands (the pages' names are commands too).
var commands = []command{
	{"block", nil, "N", "open block N in the Chain explorer"},
	{"tx", []string{"transaction"}, "HASH", "open the block of transaction HASH"},
	{"subnet", []string{"sn", "metagraph"}, "N", "open subnet N's metagraph"},
	{"hp", []string{"hyperparameters", "hyperparams"}, "N", "open subnet N's hyperparameters"},
	{"wallet", []string{"w"}, "NAME", "act for wallet NAME (as space on the Wallets page)"},
	{"contact", nil, "NAME ADDRESS", "save an address in the address book"},
	{"contacts", []string{"addressbook"}, "", "open the address book"},
	{"messages", []string{"notifications", "log"}, "", "this session's messages"},
	{"help", nil, "", "the keys of this page"},
	{"q", []string{"quit", "q!"}, "", "quit"},
}

// cmdLine is the command line while it is open.
type cmdLine struct {
	input textinput.Model
	cands []string // the completions last offered
	cycle int      // index of the candidate tab put in (cycling), -1 when not cycling
	stem  string   // the line before cycling began
	err   *banner  // the message about the last line run, while the line is open
}

// closeCommandLine cancels the line and takes its message down.
func (a *App) closeCommandLine() {
	if cl := a.hab.cmd; cl != nil && cl.err != nil && a.banner == cl.err {
		a.setBanner(nil)
	}
	a.hab.cmd = nil
}

// cmdSubnetsMsg lists the chain's subnets, for completion and checks.
type cmdSubnetsMsg struct {
	netuids []uint16
	err     error
}

// txFoundMsg is what :tx found: the transaction and its block.
type txFoundMsg struct {
	tx    protocol.TxInfo
	block protocol.Block
	err   error
}

func (a *App) openCommandLine() tea.Cmd {
	ti := textinput.New()
	ti.Prompt = ":"
	ti.Placeholder = "block N • subnet N • wallet NAME • tx HASH • q (tab completes)"
	ti.SetStyles(a.c.inputStyles())
	ti.SetWidth(max(10, a.c.Width-4))
	a.hab.cmd = &cmdLine{input: ti, cycle: -1}
	cmds := []tea.Cmd{a.hab.cmd.input.Focus()}
	if a.c.Client != nil && a.hab.netuids == nil {
		cmds = append(cmds, a.c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
			s, err := client.Subnets(ctx)
			m := cmdSubnetsMsg{err: err}
			for _, n := range s {
				m.netuids = append(m.netuids, n.Netuid)
			}
			return m
		}))
	}
	return tea.Batch(cmds...)
}

// CommandLine reports whether the command line is open, and its text (tests).
func (a *App) CommandLine() (string, bool) {
	if a.hab.cmd == nil {
		return "", false
	}
	return a.hab.cmd.input.Value(), true
}

// updateCommandLine handles a key while the command line is open.
func (a *App) updateCommandLine(km tea.KeyPressMsg) tea.Cmd {
	cl := a.hab.cmd
	switch {
	case km.Code == tea.KeyEscape:
		a.closeCommandLine()
		return nil
	case km.Code == tea.KeyEnter:
		line := strings.TrimSpace(cl.input.Value())
		if line == "" {
			a.hab.cmd = nil
			return nil
		}
		cmd, err := a.runCommand(line)
		if err != nil {
			// the line stays open to be fixed; the message replaces any banner, even an error
			cl.err = &banner{kind: bannerWarn, text: err.Error()}
			a.setBanner(cl.err)
			return nil
		}
		a.closeCommandLine() // and the message about an earlier attempt
		return cmd
	case km.Code == tea.KeyTab && km.Mod == 0:
		a.complete()
		return nil
	case km.Code == tea.KeyBackspace && cl.input.Value() == "":
		a.closeCommandLine() // backspace on an empty line leaves it, as in vim
		return nil
	}
	var cmd tea.Cmd
	cl.input, cmd = cl.input.Update(km)
	cl.cycle, cl.cands = -1, a.completions(cl.input.Value())
	return cmd
}

// completions are the candidates for the last word of line.
func (a *App) completions(line string) []string {
	fields := strings.Fields(line)
	word := ""
	if len(fields) > 0 && !strings.HasSuffix(line, " ") {
		word = fields[len(fields)-1]
		fields = fields[:len(fields)-1]
	}
	var pool []string
	switch {
	case len(fields) == 0:
		for _, c := range commands { // the names, not every alias: a short list
			pool = append(pool, c.name)
		}
		for _, p := range a.pages { // (aliases are accepted, not offered)
			pool = append(pool, strings.ToLower(p.Title()))
		}
	case len(fields) == 1:
		switch a.canonical(fields[0]) {
		case "wallet":
			for _, w := range a.c.Wallets {
				pool = append(pool, w.Name)
			}
		case "subnet", "hp":
			for _, n := range a.hab.netuids {
				pool = append(pool, strconv.Itoa(int(n)))
			}
		case "block":
			if head := max(a.height, a.info.Height); head > 0 {
				pool = append(pool, strconv.FormatUint(head, 10))
			}
		}
	case len(fields) == 2 && a.canonical(fields[0]) == "contact":
		pool = a.c.addressNames("")
	}
	var out []string
	for _, p := range pool {
		if strings.HasPrefix(strings.ToLower(p), strings.ToLower(word)) && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// complete is tab: the one candidate, else the candidates' longest common prefix, else the
// next candidate in turn.
func (a *App) complete() {
	cl := a.hab.cmd
	line := cl.input.Value()
	if cl.cycle >= 0 && len(cl.cands) > 0 {
		cl.cycle = (cl.cycle + 1) % len(cl.cands)
		cl.input.SetValue(replaceLastWord(cl.stem, cl.cands[cl.cycle]))
		cl.input.CursorEnd()
		return
	}
	cands := a.completions(line)
	cl.cands = cands
	if len(cands) == 0 {
		return
	}
	word := ""
	if f := strings.Fields(line); len(f) > 0 && !strings.HasSuffix(line, " ") {
		word = f[len(f)-1]
	}
	if len(cands) == 1 {
		v := replaceLastWord(line, cands[0])
		if c := a.lookup(cands[0]); c != nil && c.arg != "" && len(strings.Fields(v)) == 1 {
			v += " "
		}
		cl.input.SetValue(v)
		cl.input.CursorEnd()
		cl.cands = a.completions(v)
		return
	}
	common := cands[0]
	for _, c := range cands[1:] {
		for !strings.HasPrefix(strings.ToLower(c), strings.ToLower(common)) {
			common = common[:len(common)-1]
		}
	}
	if len(common) > len(word) {
		cl.input.SetValue(replaceLastWord(line, common))
		cl.input.CursorEnd()
		return
	}
	cl.stem, cl.cycle = line, 0
	cl.input.SetValue(replaceLastWord(line, cands[0]))
	cl.input.CursorEnd()
}

// replaceLastWord puts w in place of line's last word (after it, when line ends in a space).
func replaceLastWord(line, w string) string {
	if line == "" || strings.HasSuffix(line, " ") {
		return line + w
	}
	i := strings.LastIndex(line, " ")
	return line[:i+1] + w
}

// lookup finds a command by name or alias.
func (a *App) lookup(word string) *command {
	w := strings.ToLower(word)
	for i, c := range commands {
		if c.name == w || slices.Contains(c.aliases, w) {
			return &commands[i]
		}
	}
	return nil
}

// canonical is a command word's command name, or the word lowered.
func (a *App) canonical(word string) string {
	if c := a.lookup(word); c != nil {
		return c.name
	}
	return strings.ToLower(word)
}

// pageIndex is the index of the page with that title (case-insensitive, a prefix of three
// letters or more is enough), or -1.
func (a *App) pageIndex(name string) int {
	name = strings.ToLower(name)
	for i, p := range a.pages {
		t := strings.ToLower(p.Title())
		if t == name || len(name) >= 3 && strings.HasPrefix(t, name) {
			return i
		}
	}
	return -1
}

// commandList is the valid commands, for the unknown-command message.
func (a *App) commandList() string {
	var parts []string
	for _, c := range commands {
		s := c.name
		if c.arg != "" {
			s += " " + c.arg
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ") + ", or a page's name (tab completes)"
}

// runCommand runs one line; an error is the message for the status line (the line stays
// open).
func (a *App) runCommand(line string) (tea.Cmd, error) {
	f := strings.Fields(line)
	name, args := strings.ToLower(f[0]), f[1:]
	c := a.lookup(name)
	if c == nil {
		if i := a.pageIndex(name); i >= 0 && len(args) == 0 {
			return a.switchTo(i), nil
		}
		return nil, fmt.Errorf("unknown command %q: use %s", ":"+name, a.commandList())
	}
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	switch c.name {
	case "q":
		return tea.Quit, nil
	case "help":
		a.showHelp, a.helpScroll = true, 0
		return nil, nil
	case "messages":
		a.hab.messages = &notifyView{}
		return nil, nil
	case "contacts":
		return a.openContacts(), nil
	case "contact":
		if len(args) != 2 {
			return nil, errors.New(":contact wants a name and an address: :contact bob 5F… (or //Bob, a wallet name)")
		}
		return a.saveContact(args[0], args[1])
	case "block":
		return a.gotoBlock(arg)
	case "tx":
		return a.gotoTx(arg)
	case "subnet", "hp":
		return a.gotoSubnet(arg, c.name == "hp")
	case "wallet":
		return a.useWallet(arg)
	}
	return nil, fmt.Errorf("unknown command %q: use %s", ":"+name, a.commandList())
}

// pageOf returns the index of the first page of type T, or -1.
func pageOf[T Page](a *App) (int, T) {
	for i, p := range a.pages {
		if t, ok := p.(T); ok {
			return i, t
		}
	}
	var zero T
	return -1, zero
}

func (a *App) gotoBlock(arg string) (tea.Cmd, error) {
	i, _ := pageOf[*chainPage](a)
	if i < 0 || a.c.Client == nil {
		return nil, errors.New(":block needs the Chain explorer and a chain")
	}
	if arg == "" {
		return a.switchTo(i), nil
	}
	h, err := strconv.ParseUint(strings.ReplaceAll(strings.TrimPrefix(arg, "#"), ",", ""), 10, 64)
	if err != nil {
		return nil, fmt.Errorf(":block wants a block height, a whole number: :block 373 (not %q)", arg)
	}
	if head := max(a.height, a.info.Height); head > 0 && h > head {
		return nil, fmt.Errorf("block %d is not made yet: the head is #%d", h, head)
	}
	return tea.Batch(a.switchTo(i), loadBlockCmd(a.c, h)), nil
}

func (a *App) gotoTx(arg string) (tea.Cmd, error) {
	i, _ := pageOf[*chainPage](a)
	if i < 0 || a.c.Client == nil {
		return nil, errors.New(":tx needs the Chain explorer and a chain")
	}
	h, err := protocol.ParseHash(arg)
	if err != nil {
		return nil, fmt.Errorf(":tx wants a transaction hash, 0x and 64 hex digits (%v)", err)
	}
	return tea.Batch(a.switchTo(i), a.c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		tx, err := client.Tx(ctx, h)
		if err != nil {
			if errors.Is(err, protocol.ErrNotFound) {
				err = fmt.Errorf("transaction %s is not in a block of this chain (still pending, or from another chain)", ShortAddress(h.String(), 20))
			}
			return txFoundMsg{err: err}
		}
		b, err := client.Block(ctx, tx.Height)
		if err != nil {
			return txFoundMsg{err: err}
		}
		return txFoundMsg{tx: *tx, block: *b}
	})), nil
}

// onTxFound opens the transaction's block in the explorer, scrolled to the transaction.
func (a *App) onTxFound(msg txFoundMsg) tea.Cmd {
	if msg.err != nil {
		return reportErrCmd(msg.err)
	}
	i, p := pageOf[*chainPage](a)
	if i < 0 {
		return nil
	}
	cmd := a.switchTo(i)
	var cmd2 tea.Cmd
	a.pages[i], cmd2 = p.Update(blockMsg{block: msg.block})
	short := ShortAddress(msg.tx.Hash.String(), 15)
	for n, l := range blockLines(&a.c.Styles, msg.block, max(p.w, 120)) {
		if strings.Contains(l, short) {
			p.scroll = 0
			if n >= p.h-4 { // below the fold: scroll it to the top
				p.scroll = n - 1
			}
			break
		}
	}
	outcome := "✓ ok"
	if !msg.tx.Receipt.OK() {
		outcome = "✗ " + msg.tx.Receipt.CodeName
	}
	return tea.Batch(cmd, cmd2, noticeCmd(bannerInfo, fmt.Sprintf("transaction %s: block #%s, index %d, %s %s",
		ShortAddress(msg.tx.Hash.String(), 20), FormatInt(msg.tx.Height), msg.tx.Index, txCallName(msg.tx), outcome)))
}

func (a *App) gotoSubnet(arg string, hyper bool) (tea.Cmd, error) {
	i, p := pageOf[*subnetsPage](a)
	if i < 0 || a.c.Client == nil {
		return nil, errors.New(":subnet needs the Subnets page and a chain")
	}
	if arg == "" {
		p.mode = subnetsList
		return a.switchTo(i), nil
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(arg), "sn"), 10, 16)
	if err != nil {
		return nil, fmt.Errorf(":subnet wants a netuid, a whole number: :subnet 2 (not %q)", arg)
	}
	if a.hab.netuids != nil && !slices.Contains(a.hab.netuids, uint16(n)) {
		return nil, fmt.Errorf("there is no subnet %d on this chain: the subnets are %s", n, joinNetuids(a.hab.netuids))
	}
	return tea.Batch(a.switchTo(i), p.show(uint16(n), hyper)), nil
}

// show opens subnet n's metagraph (or hyperparameters) on the Subnets page.
func (p *subnetsPage) show(n uint16, hyper bool) tea.Cmd {
	p.netuid = n
	if hyper {
		p.mode = subnetsHyper
		p.hyper.SetRows(nil)
		return loadHyperparamsCmd(p.c, n)
	}
	p.SetMetagraph(n, nil, nil) // not the previous subnet's neurons under this title
	return loadMetagraphCmd(p.c, n)
}

func joinNetuids(ns []uint16) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(int(n))
	}
	return strings.Join(s, ", ")
}

func (a *App) useWallet(name string) (tea.Cmd, error) {
	if name == "" {
		i, _ := pageOf[*walletsPage](a)
		if i < 0 {
			return nil, errors.New(":wallet wants a name: :wallet alice")
		}
		return a.switchTo(i), nil
	}
	var names []string
	for _, w := range a.c.Wallets {
		names = append(names, w.Name)
		if w.Name != name {
			continue
		}
		hot := "default"
		for _, want := range []string{a.c.Hotkey, "default"} {
			if slices.ContainsFunc(w.Hotkeys, func(h HotkeyInfo) bool { return h.Name == want }) {
				hot = want
				break
			}
		}
		if hot == "default" && len(w.Hotkeys) > 0 && !slices.ContainsFunc(w.Hotkeys, func(h HotkeyInfo) bool { return h.Name == "default" }) {
			hot = w.Hotkeys[0].Name
		}
		sel := walletSelectedMsg{Wallet: name, Hotkey: hot}
		return tea.Batch(func() tea.Msg { return sel }, noticeCmd(bannerSuccess, "acting for wallet "+name+"/"+hot)), nil
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("there is no wallet %q: there are no wallets yet (c on the Wallets page creates one)", name)
	}
	return nil, fmt.Errorf("there is no wallet %q: the wallets are %s", name, strings.Join(names, ", "))
}

// commandLineView is the footer while the command line is open: the input and the
// completions.
func (a *App) commandLineView() string {
	st := &a.c.Styles
	cl := a.hab.cmd
	in := cl.input
	right := ""
	if len(cl.cands) > 0 && !(len(cl.cands) == 1 && strings.HasSuffix(in.Value(), cl.cands[0])) {
		right = "tab: " + strings.Join(cl.cands[:min(len(cl.cands), 8)], " ")
	} else {
		right = "enter runs • esc cancels"
	}
	inW := max(20, a.c.Width-len([]rune(right))-3)
	in.SetWidth(inW)
	left := in.View()
	gap := a.c.Width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return padCut(left, a.c.Width)
	}
	return left + strings.Repeat(" ", gap) + st.Muted.Render(right)
}
