package tui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
)

type subnetsMode int

const (
	subnetsList subnetsMode = iota
	subnetsMetagraph
	subnetsHyper
)

// subnetsPage lists subnets (sortable, filterable) and drills down to a subnet's metagraph
// and hyperparameters.
type subnetsPage struct {
	c     *Common
	w, h  int
	mode  subnetsMode
	retry formRetry
	list  *Table
	meta  *Table
	hyper *Table

	subnets   []subnetView
	listErr   error
	netuid    uint16
	neurons   []protocol.NeuronInfo
	metaErr   error
	params    []hyperparamView
	hyperErr  error
	loading   bool
	chartRows int // rows of the distribution chart under the metagraph
	topStake  []Bar
	incentive []float64 // sorted high to low
	// epochs holds each subnet's emission per epoch (TAO), oldest first, from EpochRun
	// events: read back once from recent blocks, then live from the subscription.
	epochs      map[uint16][]float64
	epochsAsked bool

	edit     *form // a hyperparameter's new value
	editName string
	flow     *txFlow
}

// maxEpochHistory is how many epochs per subnet the plots keep.
const maxEpochHistory = 200

// epochHistoryBlocks is how far back the first activation reads EpochRun events.
const epochHistoryBlocks = 5000

// epochHistoryMsg carries EpochRun events read back from recent blocks.
type epochHistoryMsg struct {
	events []protocol.Event
	err    error
}

func loadEpochHistoryCmd(c *Common) tea.Cmd {
	if c.Client == nil {
		return nil
	}
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		info, err := client.Info(ctx)
		if err != nil || info.Height == 0 {
			return epochHistoryMsg{err: err}
		}
		from := uint64(1)
		if info.Height > epochHistoryBlocks {
			from = info.Height - epochHistoryBlocks + 1
		}
		evs, err := client.Events(ctx, from, info.Height)
		if err != nil {
			return epochHistoryMsg{err: err}
		}
		return epochHistoryMsg{events: evs}
	})
}

// addEpochs records the EpochRun events of evs; it reports the subnets they touched.
func (p *subnetsPage) addEpochs(evs []protocol.Event) map[uint16]bool {
	touched := map[uint16]bool{}
	for _, e := range evs {
		if e.Name != "EpochRun" {
			continue
		}
		n, ok1 := parseUint(e.Attr("netuid"))
		rao, ok2 := parseUint(e.Attr("rao_emission"))
		if !ok1 || !ok2 || n > 65535 {
			continue
		}
		if p.epochs == nil {
			p.epochs = map[uint16][]float64{}
		}
		h := append(p.epochs[uint16(n)], float64(rao)/float64(protocol.RaoPerTAO))
		if len(h) > maxEpochHistory {
			h = h[len(h)-maxEpochHistory:]
		}
		p.epochs[uint16(n)] = h
		touched[uint16(n)] = true
	}
	return touched
}

// Subnets page messages.
type (
	subnetsMsg struct {
		subnets []subnetView
		err     error
	}
	metagraphMsg struct {
		netuid  uint16
		neurons []protocol.NeuronInfo
		err     error
	}
	hyperparamsMsg struct {
		netuid uint16
		params []hyperparamView
		err    error
	}
)

func newSubnetsPage(c *Common) *subnetsPage {
	p := &subnetsPage{c: c, flow: newTxFlow(c, "subnets")}
	p.list = NewTable(c, []Column{
		{Title: "Net", Width: 4, Right: true, Numeric: true},
		{Title: "Name", Width: 12},
		{Title: "Price τ/α", Width: 11, Right: true, Numeric: true},
		{Title: "TAO in", Width: 14, Right: true, Numeric: true},
		{Title: "Emission", Width: 9, Right: true, Numeric: true},
		{Title: "Tempo", Width: 5, Right: true, Numeric: true},
		{Title: "Next epoch", Width: 10, Right: true, Numeric: true},
		{Title: "Burn cost", Width: 12, Right: true, Numeric: true},
		{Title: "Neurons", Width: 9, Right: true, Numeric: true},
	})
	p.meta = NewTable(c, metagraphCols())
	p.hyper = NewTable(c, hyperColumns(0)) // with units and meanings (hyperhelp.go)
	return p
}

func metagraphCols() []Column {
	return []Column{
		{Title: "UID", Width: 5, Right: true, Numeric: true},
		{Title: "Hotkey", Width: 13},
		{Title: "Coldkey", Width: 13},
		{Title: "Stake α", Width: 13, Right: true, Numeric: true},
		{Title: "Rank", Width: 6, Right: true, Numeric: true},
		{Title: "Trust", Width: 6, Right: true, Numeric: true},
		{Title: "Consens", Width: 7, Right: true, Numeric: true},
		{Title: "Incent", Width: 6, Right: true, Numeric: true},
		{Title: "Divid", Width: 6, Right: true, Numeric: true},
		{Title: "Emission α", Width: 12, Right: true, Numeric: true},
		{Title: "VTrust", Width: 6, Right: true, Numeric: true},
		{Title: "Permit", Width: 6},
		{Title: "Updated", Width: 8, Right: true, Numeric: true},
		{Title: "Active", Width: 6},
	}
}

// neuronRow renders one metagraph row (pure).
func neuronRow(n protocol.NeuronInfo) Row {
	return Row{Key: strconv.Itoa(int(n.UID)), Cells: []string{
		strconv.Itoa(int(n.UID)), ShortAddress(n.Hotkey.SS58(), 13), ShortAddress(n.Coldkey.SS58(), 13),
		FormatTAOShort(n.Stake), u16(n.Rank), u16(n.Trust), u16(n.Consensus), u16(n.Incentive),
		u16(n.Dividends), FormatTAOShort(n.Emission), u16(n.ValidatorTrust), yesNo(n.Permit),
		strconv.FormatUint(n.LastUpdate, 10), yesNo(n.Active),
	}}
}

// subnetRow renders one subnet row (pure).
func subnetRow(s subnetView) Row {
	taoIn, emission := FormatTAOShort(s.TaoIn), FormatRatio(s.EmissionShare, 10_000_000, 2)+"%"
	if s.notRead("tao_in") {
		taoIn = "–" // not in a subtensor node's listing (enter reads the subnet's metagraph)
	}
	if s.notRead("emission_share_ppb") {
		emission = "–"
	}
	return Row{Key: strconv.Itoa(int(s.Netuid)), Cells: []string{
		strconv.Itoa(int(s.Netuid)), s.Name, alphaPrice(s), taoIn,
		emission, strconv.Itoa(int(s.Tempo)),
		FormatInt(s.NextEpochBlock), FormatTAOShort(s.BurnCost), fmt.Sprintf("%d/%d", s.Neurons, s.MaxNeurons),
	}}
}

func (p *subnetsPage) Title() string { return "Subnets" }

func (p *subnetsPage) Init() tea.Cmd { return nil }

func (p *subnetsPage) SetSize(w, h int) {
	p.w, p.h = w, h
	p.list.SetSize(w, max(3, h-3))
	p.chartRows = 0
	if h >= 30 {
		p.chartRows = 6
	}
	p.meta.SetSize(w, max(3, h-3-p.chartRows))
	p.hyper.SetColumns(hyperColumns(w))
	p.hyper.SetSize(w, max(3, h-3))
}

func (p *subnetsPage) table() *Table {
	switch p.mode {
	case subnetsMetagraph:
		return p.meta
	case subnetsHyper:
		return p.hyper
	}
	return p.list
}

func (p *subnetsPage) Capturing() bool {
	return p.table().Filtering() || p.edit != nil || p.flow.Active()
}

func (p *subnetsPage) ShortHelp() []key.Binding {
	k := p.c.KeyMap.Subnets
	t := p.c.KeyMap.Table
	switch p.mode {
	case subnetsMetagraph:
		return []key.Binding{t.Filter, t.Sort, k.Hyperparams, k.Back}
	case subnetsHyper:
		return []key.Binding{k.Edit, k.Back}
	}
	return []key.Binding{k.Open, k.Hyperparams, t.Filter, t.Sort, t.SortReverse}
}

func (p *subnetsPage) FullHelp() [][]key.Binding {
	k := p.c.KeyMap.Subnets
	return [][]key.Binding{{k.Open, k.Hyperparams, k.Edit, k.Back}, p.list.Help()}
}

func loadSubnetsCmd(c *Common) tea.Cmd {
	if c.Client == nil {
		return nil
	}
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		s, err := querySubnets(ctx, client)
		return subnetsMsg{subnets: s, err: err}
	})
}

func loadMetagraphCmd(c *Common, netuid uint16) tea.Cmd {
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		n, err := queryMetagraph(ctx, client, netuid)
		return metagraphMsg{netuid: netuid, neurons: n, err: err}
	})
}

func loadHyperparamsCmd(c *Common, netuid uint16) tea.Cmd {
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		hp, err := queryHyperparams(ctx, client, netuid)
		return hyperparamsMsg{netuid: netuid, params: hp, err: err}
	})
}

func (p *subnetsPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	if f := p.retry.check(msg, p.flow.id); f != nil {
		cmd, _ := p.flow.Update(msg)
		if _, prep := msg.(ticketMsg); prep {
			cmd = nil // the form shows the error
		}
		p.edit = f
		return p, tea.Batch(cmd, f.refocus())
	}
	if cmd, ok := p.flow.Update(msg); ok {
		if _, done := msg.(txDoneMsg); done {
			cmd = tea.Batch(cmd, loadHyperparamsCmd(p.c, p.netuid))
		}
		return p, cmd
	}
	if p.edit != nil {
		return p, p.updateEdit(msg)
	}
	switch msg := msg.(type) {
	case pageActivatedMsg:
		if !p.epochsAsked {
			p.epochsAsked = true
			return p, tea.Batch(loadSubnetsCmd(p.c), loadEpochHistoryCmd(p.c))
		}
		return p, loadSubnetsCmd(p.c)
	case epochHistoryMsg:
		if msg.err == nil {
			p.epochs = nil
			p.addEpochs(msg.events)
		}
		return p, nil
	case subnetsMsg:
		p.listErr = msg.err
		if msg.err == nil {
			p.subnets = msg.subnets
			rows := make([]Row, len(msg.subnets))
			for i, s := range msg.subnets {
				rows[i] = subnetRow(s)
			}
			p.list.SetRows(rows)
		}
		return p, nil
	case metagraphMsg:
		p.SetMetagraph(msg.netuid, msg.neurons, msg.err)
		return p, nil
	case hyperparamsMsg:
		p.hyperErr = msg.err
		if msg.err == nil && msg.netuid == p.netuid {
			p.params = msg.params
			rows := make([]Row, len(msg.params))
			for i, hp := range msg.params {
				rows[i] = hyperRow(hp)
			}
			p.hyper.SetRows(rows)
		}
		return p, nil
	case headMsg:
		// the metagraph changes at epochs: reload it when this subnet's epoch has run
		touched := p.addEpochs(msg.head.Events)
		if p.mode == subnetsMetagraph && touched[p.netuid] {
			return p, loadMetagraphCmd(p.c, p.netuid)
		}
		// an epoch moves "next epoch", prices and emission shares: refresh the list then
		if p.mode == subnetsList && len(touched) > 0 {
			return p, loadSubnetsCmd(p.c)
		}
		return p, nil
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if used, cmd := p.table().Update(km); used {
		return p, cmd
	}
	return p, p.handleKey(km)
}

func (p *subnetsPage) updateEdit(msg tea.Msg) tea.Cmd {
	res, cmd := p.edit.Update(msg)
	switch res {
	case dialogCancel:
		p.edit = nil
	case dialogSubmit:
		value := p.edit.Values()[0]
		p.retry.keep(p.edit)
		p.edit = nil
		wallet, netuid, name := p.c.Wallet, p.netuid, p.editName
		return p.flow.Start(wallet, "", func(ctx context.Context) (Ticket, error) {
			return p.c.planHyperparam(ctx, wallet, netuid, name, value)
		})
	}
	return cmd
}

// SetMetagraph shows the metagraph of netuid (from a query, or tests and benchmarks).
func (p *subnetsPage) SetMetagraph(netuid uint16, neurons []protocol.NeuronInfo, err error) {
	p.netuid, p.metaErr, p.mode = netuid, err, subnetsMetagraph
	if err != nil {
		p.neurons = nil
		p.meta.SetRows(nil)
		return
	}
	p.neurons = neurons
	rows := make([]Row, len(neurons))
	for i, n := range neurons {
		rows[i] = neuronRow(n)
	}
	p.meta.SetRows(rows)
	p.prepareDistribution()
}

func (p *subnetsPage) handleKey(km tea.KeyPressMsg) tea.Cmd {
	k := p.c.KeyMap.Subnets
	if p.c.Client == nil {
		return reportErrCmd(ErrNoChain)
	}
	switch p.mode {
	case subnetsList:
		switch {
		case key.Matches(km, k.Open), key.Matches(km, k.Hyperparams):
			r, ok := p.list.Selected()
			if !ok {
				return nil
			}
			n, _ := strconv.Atoi(r.Key)
			p.netuid = uint16(n)
			if key.Matches(km, k.Open) {
				p.mode = subnetsMetagraph
				return loadMetagraphCmd(p.c, p.netuid)
			}
			p.mode = subnetsHyper
			return loadHyperparamsCmd(p.c, p.netuid)
		}
	case subnetsMetagraph:
		switch {
		case key.Matches(km, k.Back):
			p.mode = subnetsList
		case key.Matches(km, k.Hyperparams):
			p.mode = subnetsHyper
			return loadHyperparamsCmd(p.c, p.netuid)
		}
	case subnetsHyper:
		switch {
		case key.Matches(km, k.Back):
			p.mode = subnetsList
		case key.Matches(km, k.Edit):
			r, ok := p.hyper.Selected()
			if !ok {
				return nil
			}
			hint := "a whole number"
			if d, ok := ops.LookupHyperparam(r.Key); ok && d.Type == "bool" {
				hint = "true or false"
			} else if ok {
				hint = "a whole number, in " + d.Unit
			}
			p.edit = newForm(p.c, fmt.Sprintf("Set %s of subnet %d (owner or sudo)", r.Key, p.netuid),
				formField{Label: "value", Value: strings.Trim(cell(r, 2), `"`), Hint: hint})
			p.editName = r.Key
			return p.edit.Focus()
		}
	}
	return nil
}

func (p *subnetsPage) View() string {
	st := &p.c.Styles
	if p.c.Client == nil {
		return st.Error.Render(ErrNoChain.Error())
	}
	var title, status string
	var body string
	switch p.mode {
	case subnetsList:
		title = "Subnets"
		if p.listErr != nil {
			status = st.Warning.Render("Subnets are "+notAvailable(p.listErr)) + st.Muted.Render(" — this chain has no subnet module ("+p.listErr.Error()+")")
		} else {
			status = st.Muted.Render(fmt.Sprintf("%d subnets • enter metagraph • p hyperparameters", len(p.subnets)))
			if r, ok := p.list.Selected(); ok {
				n, _ := strconv.Atoi(r.Key)
				if hist := p.epochs[uint16(n)]; len(hist) > 0 {
					status += st.Label.Render("  emission per epoch of sn"+r.Key+" ") + st.Plot.Render(Sparkline(hist, 30))
				}
			}
		}
		body = p.list.View()
	case subnetsMetagraph:
		title = "Subnet " + strconv.Itoa(int(p.netuid)) + " — metagraph"
		if p.metaErr != nil {
			status = st.Warning.Render("The metagraph is " + notAvailable(p.metaErr))
		} else {
			status = st.Muted.Render(fmt.Sprintf("%d neurons • esc back • p hyperparameters", len(p.neurons)))
		}
		body = p.meta.View()
		if p.chartRows > 0 && len(p.neurons) > 0 {
			body += "\n" + p.distribution(p.chartRows)
		}
	case subnetsHyper:
		title = "Subnet " + strconv.Itoa(int(p.netuid)) + " — hyperparameters"
		if p.hyperErr != nil {
			status = st.Warning.Render("Hyperparameters are " + notAvailable(p.hyperErr))
		} else {
			status = p.hyperStatus()
		}
		body = p.hyper.View()
	}
	base := FitLines(st.Title.Render(title)+"\n"+status+"\n"+body, p.w, p.h)
	if p.edit != nil {
		return OverlayCenter(base, p.edit.View(dialogWidth(p.w)), p.w, p.h)
	}
	if v := p.flow.View(dialogWidth(p.w)); v != "" {
		return OverlayCenter(base, v, p.w, p.h)
	}
	return base
}

// prepareDistribution computes, once per metagraph, what the distribution chart draws:
// the top neurons by stake and the incentive spread sorted high to low.
func (p *subnetsPage) prepareDistribution() {
	top := slices.Clone(p.neurons)
	slices.SortFunc(top, func(a, b protocol.NeuronInfo) int {
		if a.Stake != b.Stake {
			if a.Stake > b.Stake {
				return -1
			}
			return 1
		}
		return int(a.UID) - int(b.UID)
	})
	p.topStake = make([]Bar, 0, 8)
	for _, n := range top[:min(8, len(top))] {
		p.topStake = append(p.topStake, Bar{Label: "uid " + strconv.Itoa(int(n.UID)), Value: float64(n.Stake), Text: FormatTAOShort(n.Stake) + " α"})
	}
	inc := make([]float64, len(p.neurons))
	for i, n := range p.neurons {
		inc[i] = float64(n.Incentive)
	}
	slices.Sort(inc)
	slices.Reverse(inc)
	p.incentive = inc
}

// distribution draws the stake distribution of the top neurons as a bar chart, with the
// incentive spread as a sparkline (neurons sorted by incentive).
func (p *subnetsPage) distribution(rows int) string {
	st := &p.c.Styles
	bars := p.topStake[:min(rows-1, len(p.topStake))]
	half := p.w / 2
	sw := p.w - half - 2
	left := st.Label.Render("stake, top "+strconv.Itoa(len(bars))) + "\n" + BarChart(bars, half-2, st.Plot)
	right := st.Label.Render("incentive by neuron, sorted") + "\n" + st.PlotAlt.Render(Sparkline(Resample(p.incentive, sw), sw))
	if hist := p.epochs[p.netuid]; len(hist) > 0 && rows >= 4 {
		right += "\n" + st.Label.Render(fmt.Sprintf("emission per epoch, last %d (max %s τ)", len(hist), trimFloat(slices.Max(hist)))) +
			"\n" + st.Plot.Render(Sparkline(hist, sw))
	}
	return joinColumns(left, right, half)
}

// joinColumns puts b to the right of a, with a padded to width cells.
func joinColumns(a, b string, width int) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	n := max(len(al), len(bl))
	out := make([]string, n)
	for i := range n {
		l, r := "", ""
		if i < len(al) {
			l = al[i]
		}
		if i < len(bl) {
			r = bl[i]
		}
		out[i] = padCut(l, width) + r
	}
	return strings.Join(out, "\n")
}

// trimFloat renders a display-only number with up to 4 decimals.
func trimFloat(v float64) string {
	return strconv.FormatFloat(v, 'f', 4, 64)
}
