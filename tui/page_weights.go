package tui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// weightStep is how much + and - change a weight (out of 65535).
const weightStep = 655

// weightsPage edits a validator's weights over a subnet's miners: raw u16 values, with the
// normalised share each gets shown next to it, submitted directly or by commit and reveal.
//
//   - It starts from the weights the chain holds for the selected hotkey on the subnet (its
//     uid's weight row); an edit makes a draft, kept per subnet (and hotkey) until it is
//     submitted (W, or C then the reveal) or discarded (x), across page and subnet switches.
//   - Commits waiting for their reveal are listed with their window and a countdown in
//     blocks and seconds; R reveals the first whose window is open; A marks the subnet's
//     commits for auto-reveal: the console reveals each as soon as its window opens, signed
//     by the hotkey, without asking again. Commits (salt included) and the auto-reveal mark
//     are kept in the console's state file until revealed or expired, so a restart does not
//     lose them.
type weightsPage struct {
	c         *Common
	w, h      int
	table     *Table
	netuid    uint16
	uids      []uint16
	hot       []string
	raw       []uint16
	myUID     int               // the selected hotkey's uid on the subnet, -1 when not registered
	chainW    map[uint16]uint16 // the chain's weights of myUID (uid → weight)
	drafts    map[string]map[uint16]uint16
	loaded    bool
	loadedFor string // the hotkey address the weights were loaded for
	err       error
	edit      *form
	pick      *form // choose the subnet
	flow      *txFlow
	height    uint64

	pending   *savedCommit // the commit being submitted
	revealing *savedCommit // the commit being revealed
	autoBusy  bool         // the reveal under way was started automatically
}

// weightsLoadedMsg is the subnet's neurons and the chain's weights of the hotkey's uid.
type weightsLoadedMsg struct {
	netuid  uint16
	hotkey  string
	neurons []protocol.NeuronInfo
	myUID   int
	weights map[uint16]uint16
	err     error
}

// loadWeightsCmd reads the metagraph and the weight row of hotkey's uid on netuid.
func loadWeightsCmd(c *Common, netuid uint16, hotkey string) tea.Cmd {
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		ns, err := queryMetagraph(ctx, client, netuid)
		if err != nil {
			return weightsLoadedMsg{netuid: netuid, hotkey: hotkey, err: err}
		}
		out := weightsLoadedMsg{netuid: netuid, hotkey: hotkey, neurons: ns, myUID: -1, weights: map[uint16]uint16{}}
		for _, n := range ns {
			if hotkey != "" && n.Hotkey.SS58() == hotkey {
				out.myUID = int(n.UID)
			}
		}
		if out.myUID < 0 {
			return out
		}
		rows, err := client.Weights(ctx, netuid)
		if err != nil {
			out.err = fmt.Errorf("weights of subnet %d: %w", netuid, err)
			return out
		}
		for _, r := range rows {
			if int(r.UID) == out.myUID {
				for _, e := range r.Entries {
					out.weights[e.UID] = e.Value
				}
			}
		}
		return out
	})
}

func newWeightsPage(c *Common) *weightsPage {
	p := &weightsPage{c: c, netuid: 1, myUID: -1, flow: newTxFlow(c, "weights"), drafts: map[string]map[uint16]uint16{}}
	p.table = NewTable(c, []Column{
		{Title: "UID", Width: 5, Right: true, Numeric: true},
		{Title: "Miner hotkey", Width: 16},
		{Title: "Weight", Width: 7, Right: true, Numeric: true},
		{Title: "Share", Width: 8, Right: true, Numeric: true},
		{Title: "On chain", Width: 8, Right: true, Numeric: true},
		{Title: "", Width: 24},
	})
	return p
}

func (p *weightsPage) Title() string { return "Weights" }
func (p *weightsPage) Init() tea.Cmd { return nil }
func (p *weightsPage) Capturing() bool {
	return p.edit != nil || p.pick != nil || p.table.Filtering() || (p.flow.Active() && !p.autoBusy)
}
func (p *weightsPage) SetSize(w, h int) {
	p.w, p.h = w, h
	p.table.SetSize(w, max(3, h-4-p.commitLines()))
}

func (p *weightsPage) ShortHelp() []key.Binding {
	k := p.c.KeyMap.Weights
	return []key.Binding{k.Increase, k.Decrease, k.Edit, k.Set, k.Commit, k.Reveal, k.AutoReveal, k.Validator}
}

func (p *weightsPage) FullHelp() [][]key.Binding {
	k := p.c.KeyMap.Weights
	return [][]key.Binding{{k.Increase, k.Decrease, k.Zero, k.Edit, k.Discard}, {k.Set, k.Commit, k.Reveal, k.AutoReveal, k.Validator}, p.table.Help()}
}

// draftKey names a draft: the subnet and the hotkey it is for.
func (p *weightsPage) draftKey() string {
	return strconv.Itoa(int(p.netuid)) + "/" + p.c.Wallet + "/" + p.c.Hotkey
}

// SetMiners loads the subnet's neurons as the rows to weigh, all weights zero.
func (p *weightsPage) SetMiners(netuid uint16, neurons []protocol.NeuronInfo) {
	p.netuid = netuid
	p.uids = p.uids[:0]
	p.hot = p.hot[:0]
	for _, n := range neurons {
		p.uids = append(p.uids, n.UID)
		p.hot = append(p.hot, n.Hotkey.SS58())
	}
	p.raw = make([]uint16, len(p.uids))
	p.applyWeights()
}

// applyWeights fills the editor from the draft of this subnet, or else the chain's weights.
func (p *weightsPage) applyWeights() {
	src := p.chainW
	if d, ok := p.drafts[p.draftKey()]; ok {
		src = d
	}
	for i, uid := range p.uids {
		p.raw[i] = src[uid]
	}
	p.rebuild()
}

// HasDraft reports whether the subnet's weights were edited and not submitted (tests).
func (p *weightsPage) HasDraft() bool { _, ok := p.drafts[p.draftKey()]; return ok }

// saveDraft records the editor's weights as the subnet's draft.
func (p *weightsPage) saveDraft() {
	d := make(map[uint16]uint16, len(p.uids))
	for i, uid := range p.uids {
		if p.raw[i] > 0 {
			d[uid] = p.raw[i]
		}
	}
	p.drafts[p.draftKey()] = d
}

// Normalised returns each weight's share in parts per million (sum 1e6 when any is set).
func (p *weightsPage) Normalised() []uint64 {
	var sum uint64
	for _, w := range p.raw {
		sum += uint64(w)
	}
	out := make([]uint64, len(p.raw))
	if sum == 0 {
		return out
	}
	for i, w := range p.raw {
		out[i] = uint64(w) * 1_000_000 / sum
	}
	return out
}

func (p *weightsPage) rebuild() {
	norm := p.Normalised()
	rows := make([]Row, len(p.uids))
	for i, uid := range p.uids {
		bar := strings.Repeat("█", int(norm[i]*24/1_000_000))
		onChain := "–"
		if p.myUID >= 0 {
			onChain = strconv.Itoa(int(p.chainW[uid]))
		}
		rows[i] = Row{Key: strconv.Itoa(i), Cells: []string{
			strconv.Itoa(int(uid)), ShortAddress(p.hot[i], 16), strconv.Itoa(int(p.raw[i])),
			FormatRatio(norm[i], 10_000, 2) + "%", onChain, bar,
		}}
	}
	p.table.SetRows(rows)
}

func (p *weightsPage) selected() (int, bool) {
	k, ok := p.table.SelectedKey()
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(k)
	return i, err == nil && i < len(p.raw)
}

// reload reads the subnet's neurons and the chain's weights for the selected hotkey.
func (p *weightsPage) reload() tea.Cmd {
	if p.c.Client == nil {
		return nil
	}
	return loadWeightsCmd(p.c, p.netuid, p.c.HotkeyAddress())
}

// commits are the saved commits of this chain, in commit order.
func (p *weightsPage) commits() []*savedCommit {
	var out []*savedCommit
	for i := range p.c.State.Commits {
		sc := &p.c.State.Commits[i]
		if p.c.Genesis == "" || sc.Genesis == p.c.Genesis {
			out = append(out, sc)
		}
	}
	return out
}

// PendingCommits is how many commits wait for their reveal (tests).
func (p *weightsPage) PendingCommits() int { return len(p.commits()) }

// dropCommit forgets a commit (revealed or expired).
func (p *weightsPage) dropCommit(sc savedCommit) {
	p.c.State.Commits = slices.DeleteFunc(p.c.State.Commits, func(x savedCommit) bool {
		return x.Genesis == sc.Genesis && x.HotkeySS58 == sc.HotkeySS58 && x.Netuid == sc.Netuid && x.Block == sc.Block && slices.Equal(x.Salt, sc.Salt)
	})
}

func (p *weightsPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	defer p.SetSize(p.w, p.h) // the pending commits' lines change the table's height
	if cmd, ok := p.flow.Update(msg); ok {
		return p, tea.Batch(cmd, p.afterFlow(msg))
	}
	if p.pick != nil {
		if _, isKey := msg.(tea.KeyPressMsg); isKey {
			return p, p.updatePick(msg)
		}
	}
	switch msg := msg.(type) {
	case pageActivatedMsg, walletSelectedMsg:
		return p, p.reload()
	case walletsListedMsg:
		if p.loadedFor != p.c.HotkeyAddress() && p.c.Client != nil {
			return p, p.reload() // the hotkey's address is known now
		}
		return p, nil
	case chainChangedMsg:
		p.drafts = map[string]map[uint16]uint16{}
		return p, nil
	case infoMsg:
		if msg.err == nil && msg.info.Height > p.height {
			p.height = msg.info.Height
		}
		return p, nil
	case headMsg:
		p.height = msg.head.Header.Height
		return p, p.onHead()
	case weightsLoadedMsg:
		if msg.netuid != p.netuid || msg.hotkey != p.c.HotkeyAddress() {
			return p, nil
		}
		p.err, p.loaded, p.loadedFor = msg.err, msg.err == nil, msg.hotkey
		if msg.err == nil {
			p.myUID, p.chainW = msg.myUID, msg.weights
			p.SetMiners(msg.netuid, msg.neurons)
		}
		return p, nil
	}
	if p.edit != nil {
		return p, p.updateEdit(msg)
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if used, cmd := p.table.Update(km); used {
		return p, cmd
	}
	return p, p.onKey(km)
}

// afterFlow follows a finished transaction of the page: a set drops the draft, a commit is
// saved with its reveal window (and drops the draft), a reveal forgets its commit.
func (p *weightsPage) afterFlow(msg tea.Msg) tea.Cmd {
	done, ok := msg.(txDoneMsg)
	if !ok {
		return nil
	}
	auto := p.autoBusy
	p.autoBusy = false
	pending, revealing := p.pending, p.revealing
	p.pending, p.revealing = nil, nil
	if done.err != nil || !done.tx.Receipt.OK() {
		if revealing != nil && auto {
			revealing.Auto = false // do not retry a failing reveal every block
			p.setAuto(*revealing, false)
			return p.c.saveStateCmd()
		}
		return nil
	}
	switch {
	case revealing != nil:
		p.dropCommit(*revealing)
		return tea.Batch(p.c.saveStateCmd(), p.reload())
	case pending != nil && p.flow.ticket.Salt != nil:
		c := *pending
		c.Salt = slices.Clone(p.flow.ticket.Salt)
		c.Block = done.tx.Height
		for _, e := range done.tx.Events {
			if e.Name != "WeightsCommitted" {
				continue
			}
			for _, a := range e.Attrs {
				switch a.Key {
				case "reveal_from":
					c.RevealFrom, _ = strconv.ParseUint(a.Value, 10, 64)
				case "reveal_until":
					c.RevealUntil, _ = strconv.ParseUint(a.Value, 10, 64)
				}
			}
		}
		p.c.State.Commits = append(p.c.State.Commits, c)
		delete(p.drafts, strconv.Itoa(int(c.Netuid))+"/"+c.Wallet+"/"+c.Hotkey)
		return p.c.saveStateCmd()
	case pending == nil:
		delete(p.drafts, p.draftKey()) // weights set
		return p.reload()
	}
	return nil
}

// setAuto sets a saved commit's auto-reveal mark.
func (p *weightsPage) setAuto(sc savedCommit, on bool) {
	for i := range p.c.State.Commits {
		x := &p.c.State.Commits[i]
		if x.Genesis == sc.Genesis && x.HotkeySS58 == sc.HotkeySS58 && x.Netuid == sc.Netuid && x.Block == sc.Block {
			x.Auto = on
		}
	}
}

// onHead reveals an auto-reveal commit whose window opened and forgets expired commits.
func (p *weightsPage) onHead() tea.Cmd {
	var cmds []tea.Cmd
	changed := false
	for _, sc := range p.commits() {
		if sc.RevealUntil > 0 && p.height > sc.RevealUntil {
			cmds = append(cmds, reportErrCmd(fmt.Errorf("the weights commit on subnet %d (block %d) expired unrevealed at block %d: commit again (C)", sc.Netuid, sc.Block, sc.RevealUntil)))
			p.dropCommit(*sc)
			changed = true
			break // the slice changed under the loop
		}
	}
	if changed {
		cmds = append(cmds, p.c.saveStateCmd())
	}
	if !p.flow.Active() && p.c.Client != nil {
		for _, sc := range p.commits() {
			if sc.Auto && sc.RevealFrom > 0 && p.height+1 >= sc.RevealFrom && p.height < sc.RevealUntil {
				cmds = append(cmds, p.startReveal(*sc, true))
				break
			}
		}
	}
	return tea.Batch(cmds...)
}

// startReveal reveals sc; auto skips the confirmation (the operator asked with A).
func (p *weightsPage) startReveal(sc savedCommit, auto bool) tea.Cmd {
	c := sc
	p.revealing, p.autoBusy = &c, auto
	prepare := func(ctx context.Context) (Ticket, error) {
		return p.c.planWeights(ctx, "reveal", c.Wallet, c.Hotkey, c.Netuid, c.Uids, c.Values, c.Salt)
	}
	if auto {
		return tea.Batch(noticeCmd(bannerInfo, fmt.Sprintf("auto-reveal: revealing the weights committed on subnet %d in block %d", c.Netuid, c.Block)),
			p.flow.StartAuto(c.Wallet, c.Hotkey, prepare))
	}
	return p.flow.Start(c.Wallet, c.Hotkey, prepare)
}

func (p *weightsPage) onKey(km tea.KeyPressMsg) tea.Cmd {
	k := p.c.KeyMap.Weights
	i, ok := p.selected()
	switch {
	case key.Matches(km, k.Increase) && ok:
		p.raw[i] = uint16(min(65535, int(p.raw[i])+weightStep))
		p.saveDraft()
		p.rebuild()
	case key.Matches(km, k.Decrease) && ok:
		p.raw[i] = uint16(max(0, int(p.raw[i])-weightStep))
		p.saveDraft()
		p.rebuild()
	case key.Matches(km, k.Zero) && ok:
		p.raw[i] = 0
		p.saveDraft()
		p.rebuild()
	case key.Matches(km, k.Discard):
		if !p.HasDraft() {
			return noticeCmd(bannerInfo, "no draft on subnet "+strconv.Itoa(int(p.netuid))+": the editor shows the chain's weights")
		}
		delete(p.drafts, p.draftKey())
		p.applyWeights()
		return noticeCmd(bannerInfo, "draft discarded: the editor shows the chain's weights again")
	case key.Matches(km, k.Edit) && ok:
		p.edit = newForm(p.c, fmt.Sprintf("Weight of uid %d", p.uids[i]), formField{
			Label: "weight", Value: strconv.Itoa(int(p.raw[i])), Hint: "0 to 65535; shares are normalised",
			Validate: func(s string) error {
				if _, err := strconv.ParseUint(s, 10, 16); err != nil {
					return fmt.Errorf("a weight is a whole number from 0 to 65535")
				}
				return nil
			},
		})
		return p.edit.Focus()
	case key.Matches(km, k.Set), key.Matches(km, k.Commit):
		if p.err != nil {
			return reportErrCmd(fmt.Errorf("weights: %w", p.err))
		}
		var uids, values []uint16
		for i, w := range p.raw {
			if w > 0 {
				uids, values = append(uids, p.uids[i]), append(values, w)
			}
		}
		if len(uids) == 0 {
			return reportErrCmd(fmt.Errorf("every weight is zero: raise some with + first"))
		}
		wallet, hotkey, netuid := p.c.Wallet, p.c.Hotkey, p.netuid
		if key.Matches(km, k.Commit) {
			p.pending = &savedCommit{Genesis: p.c.Genesis, Wallet: wallet, Hotkey: hotkey, HotkeySS58: p.c.HotkeyAddress(), Netuid: netuid, Uids: uids, Values: values}
			return p.flow.Start(wallet, hotkey, func(ctx context.Context) (Ticket, error) {
				return p.c.planWeights(ctx, "commit", wallet, hotkey, netuid, uids, values, nil)
			})
		}
		p.pending = nil
		return p.flow.Start(wallet, hotkey, func(ctx context.Context) (Ticket, error) {
			return p.c.planWeights(ctx, "set", wallet, hotkey, netuid, uids, values, nil)
		})
	case key.Matches(km, k.Reveal):
		cs := p.commits()
		if len(cs) == 0 {
			return reportErrCmd(fmt.Errorf("no commit waiting for its reveal: commit with C first (a commit made elsewhere is revealed with btui weights reveal and its salt)"))
		}
		for _, sc := range cs {
			if p.height+1 >= sc.RevealFrom && (sc.RevealUntil == 0 || p.height < sc.RevealUntil) {
				return p.startReveal(*sc, false)
			}
		}
		sc := cs[0]
		return reportErrCmd(fmt.Errorf("the reveal window of the commit on subnet %d opens at block %d, in %s: wait, or press A to reveal it automatically",
			sc.Netuid, sc.RevealFrom, p.countdown(sc.RevealFrom)))
	case key.Matches(km, k.AutoReveal):
		cs := p.commits()
		if len(cs) == 0 {
			return reportErrCmd(fmt.Errorf("no commit waiting for its reveal: commit with C first, then A reveals it when its window opens"))
		}
		on := !cs[0].Auto
		for _, sc := range cs {
			sc.Auto = on
		}
		state := "off: reveal with R in the window"
		if on {
			state = "on: each commit is revealed as soon as its window opens"
		}
		return tea.Batch(noticeCmd(bannerInfo, "auto-reveal "+state), p.c.saveStateCmd(), p.onHead())
	case key.Matches(km, k.Validator):
		p.pick = newForm(p.c, "Weights for which subnet?", formField{Label: "netuid", Value: strconv.Itoa(int(p.netuid)), Validate: validNetuid})
		return p.pick.Focus()
	}
	return nil
}

// countdown says how far block is: "7 blocks (~1.8 s)".
func (p *weightsPage) countdown(block uint64) string {
	if block <= p.height {
		return "0 blocks"
	}
	n := block - p.height
	s := plural(int(n), "block", "blocks")
	if ms := p.c.BlockTimeMs; ms > 0 {
		s += " (~" + (time.Duration(n*ms) * time.Millisecond).Round(100*time.Millisecond).String() + ")"
	}
	return s
}

// commitLines is how many lines the pending commits take.
func (p *weightsPage) commitLines() int { return min(len(p.commits()), 3) }

// commitLine describes one pending commit with its window and countdown.
func (p *weightsPage) commitLine(sc *savedCommit) string {
	st := &p.c.Styles
	auto := st.Muted.Render("  A: auto-reveal")
	if sc.Auto {
		auto = st.Success.Render("  auto-reveal on")
	}
	head := fmt.Sprintf("commit sn%d #%s: window #%s–#%s ", sc.Netuid, FormatInt(sc.Block), FormatInt(sc.RevealFrom), FormatInt(sc.RevealUntil))
	switch {
	case sc.RevealFrom == 0:
		return st.Warning.Render(head+"unknown") + auto
	case p.height+1 < sc.RevealFrom:
		return st.Text.Render(head) + st.Info.Render("opens in "+p.countdown(sc.RevealFrom)) + auto
	default:
		return st.Text.Render(head) + st.Success.Render("open, "+p.countdown(sc.RevealUntil)+" left: R reveals") + auto
	}
}

func (p *weightsPage) updatePick(msg tea.Msg) tea.Cmd {
	res, cmd := p.pick.Update(msg)
	switch res {
	case dialogCancel:
		p.pick = nil
	case dialogSubmit:
		n, _ := strconv.ParseUint(p.pick.Values()[0], 10, 16)
		p.pick = nil
		p.netuid = uint16(n)
		p.chainW, p.myUID = nil, -1
		p.SetMiners(p.netuid, nil)
		return p.reload()
	}
	return cmd
}

func (p *weightsPage) updateEdit(msg tea.Msg) tea.Cmd {
	res, cmd := p.edit.Update(msg)
	switch res {
	case dialogCancel:
		p.edit = nil
	case dialogSubmit:
		v, _ := strconv.ParseUint(p.edit.Values()[0], 10, 16)
		if i, ok := p.selected(); ok {
			p.raw[i] = uint16(v)
			p.saveDraft()
			p.rebuild()
		}
		p.edit = nil
	}
	return cmd
}

func (p *weightsPage) View() string {
	st := &p.c.Styles
	if p.c.Client == nil {
		return st.Error.Render(ErrNoChain.Error())
	}
	who := fmt.Sprintf("  subnet %d • validator %s/%s %s", p.netuid, p.c.Wallet, p.c.Hotkey, ShortAddress(p.c.HotkeyAddress(), 15))
	if p.myUID >= 0 {
		who += " uid " + strconv.Itoa(p.myUID)
	}
	head := st.Title.Render("Weights") + st.Muted.Render(who)
	var status string
	if p.err != nil {
		status = st.Warning.Render("Weights are "+notAvailable(p.err)) + st.Muted.Render(" — this chain has no weights module yet")
	} else {
		set := 0
		for _, w := range p.raw {
			if w > 0 {
				set++
			}
		}
		source := "chain weights"
		switch {
		case p.HasDraft():
			source = st.Warning.Render("draft (x discards)")
		case p.loaded && p.myUID < 0:
			source = "hotkey not registered here"
		}
		status = st.Muted.Render(fmt.Sprintf("%d of %d miners weighted • ", set, len(p.raw))) + source + st.Muted.Render(" • W set, C commit, v subnet")
	}
	lines := []string{head, status}
	cs := p.commits()
	for i, sc := range cs {
		if i == 3 {
			break
		}
		lines = append(lines, Truncate(p.commitLine(sc), p.w))
	}
	base := FitLines(strings.Join(lines, "\n")+"\n\n"+p.table.View(), p.w, p.h)
	switch {
	case p.edit != nil:
		return OverlayCenter(base, p.edit.View(dialogWidth(p.w)), p.w, p.h)
	case p.pick != nil:
		return OverlayCenter(base, p.pick.View(dialogWidth(p.w)), p.w, p.h)
	}
	if v := p.flow.View(dialogWidth(p.w)); v != "" {
		return OverlayCenter(base, v, p.w, p.h)
	}
	return base
}
