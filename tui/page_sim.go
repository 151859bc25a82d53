package tui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/btui/btui/chainclient"
)

// simProgressLines is how many setup lines the Simulation page keeps.
const simProgressLines = 40

// simState is where a simulation stands.
type simState int

const (
	simIdle     simState = iota // nothing started yet
	simStarting                 // Start was called
	simSetup                    // setting the scenario up (progress lines)
	simRunning                  // epochs are coming
	simStopping                 // stop asked, waiting for the end
	simEnded                    // finished, stopped or failed
)

// simSubnet is the epochs seen for one subnet of the scenario.
type simSubnet struct {
	name   string
	netuid uint16
	teams  []string
	epochs []SimEpoch
}

// simPage starts the demo market (or a scenario file), pauses and resumes it, and shows it
// live: per-team stake and emission shares of the latest epoch as a table, the selected
// team's emission share per epoch and every team's stake share as charts, and a status line
// (tempo, block, weights set and failed).
type simPage struct {
	c    *Common
	w, h int

	table *Table
	form  *form

	scenario string // what was asked for
	sim      Simulation
	cancel   context.CancelFunc
	// startCancel stops a start that has not answered yet.
	startCancel context.CancelFunc
	info        SimInfo
	state       simState
	paused      bool
	err         error // why the run ended early (context.Canceled when stopped)
	progress    []string
	subnets     []simSubnet
	sel         int // the subnet shown

	tableH, chartH int
}

func newSimPage(c *Common) *simPage {
	p := &simPage{c: c}
	p.table = NewTable(c, simColumns(nil))
	return p
}

// simColumns are the epoch table's columns: tempo and block (pinned tempo), then each
// team's stake share and emission share, then the weights set and failed.
func simColumns(teams []string) []Column {
	cols := []Column{
		{Title: "Tempo", Width: 5, Right: true, Numeric: true},
		{Title: "Block", Width: 7, Right: true, Numeric: true},
	}
	for _, t := range teams {
		short := Truncate(t, 7)
		cols = append(cols,
			Column{Title: short + " S", Width: max(7, len([]rune(short))+2), Right: true, Numeric: true},
			Column{Title: short + " E", Width: max(7, len([]rune(short))+2), Right: true, Numeric: true})
	}
	return append(cols, Column{Title: "Weights", Width: 7, Right: true})
}

func (p *simPage) Title() string { return "Simulation" }
func (p *simPage) Init() tea.Cmd { return nil }

func (p *simPage) Capturing() bool { return p.form != nil || p.table.Filtering() }

func (p *simPage) SetSize(w, h int) {
	p.w, p.h = w, h
	p.layout()
}

// layout splits the height between the epoch table (as tall as its epochs, up to what
// leaves the charts a line per team and a title) and the charts (the rest).
func (p *simPage) layout() {
	const head = 3 // title, status, blank
	teams := len(p.teams())
	epochs := 0
	if p.sel < len(p.subnets) {
		epochs = len(p.subnets[p.sel].epochs)
	}
	avail := max(8, p.h-head)
	minChart := min(max(6, teams+2), avail/2)
	p.tableH = max(3, min(epochs+2, avail-minChart-1))
	p.chartH = max(3, avail-p.tableH-1)
	p.table.SetSize(p.w, p.tableH)
}

// teams lists the selected subnet's teams in the order they were first reported.
func (p *simPage) teams() []string {
	if p.sel >= len(p.subnets) {
		return nil
	}
	return p.subnets[p.sel].teams
}

func (p *simPage) ShortHelp() []key.Binding {
	k := p.c.KeyMap.Sim
	if p.active() {
		return []key.Binding{k.Pause, k.Stop, k.NextSubnet, p.c.KeyMap.Table.Down}
	}
	return []key.Binding{k.Demo, k.Open}
}

func (p *simPage) FullHelp() [][]key.Binding {
	k := p.c.KeyMap.Sim
	return [][]key.Binding{{k.Demo, k.Open, k.Pause, k.Stop, k.NextSubnet}, p.table.Help()}
}

// active reports whether a simulation is starting or running.
func (p *simPage) active() bool {
	return p.state != simIdle && p.state != simEnded
}

// Running reports whether a simulation is under way (tests).
func (p *simPage) Running() bool { return p.active() }

// latest is the selected subnet's last epoch.
func (p *simPage) latest() (SimEpoch, bool) {
	if p.sel >= len(p.subnets) || len(p.subnets[p.sel].epochs) == 0 {
		return SimEpoch{}, false
	}
	ep := p.subnets[p.sel].epochs
	return ep[len(ep)-1], true
}

func (p *simPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case simStartedMsg:
		return p, p.onStarted(msg)
	case simUpdateMsg:
		return p, p.onUpdate(msg)
	case simPausedMsg:
		if msg.sim == p.sim && p.sim != nil {
			p.paused = msg.paused
		}
		return p, nil
	case tea.KeyPressMsg:
		if p.form != nil {
			return p, p.updateForm(msg)
		}
		return p, p.onKey(msg)
	}
	if p.form != nil {
		return p, p.updateForm(msg) // cursor blinks and the like
	}
	return p, nil
}

func (p *simPage) onKey(km tea.KeyPressMsg) tea.Cmd {
	k := p.c.KeyMap.Sim
	if p.table.Filtering() { // the filter or the sort picker takes the letters
		_, cmd := p.table.Update(km)
		return cmd
	}
	switch {
	case key.Matches(km, k.Demo):
		return p.start(DemoScenario)
	case key.Matches(km, k.Open):
		if p.active() {
			return reportErrCmd(p.runningErr())
		}
		p.form = newForm(p.c, "Run a scenario",
			formField{Label: "scenario", Placeholder: "examples/cabal-40.json", Value: p.lastFile(),
				Hint: "a scenario JSON file (docs/simulate.md), or " + DemoScenario + " for the built-in demo", Validate: validScenario})
		return p.form.Focus()
	case key.Matches(km, k.Pause):
		if p.sim == nil || !p.active() || p.state == simStopping {
			return reportErrCmd(p.notRunningErr())
		}
		return pauseSimCmd(p.sim, !p.paused)
	case key.Matches(km, k.Stop):
		if p.state == simStarting && p.startCancel != nil {
			// stop a start that has not answered yet: its answer then ends it
			p.startCancel()
			p.startCancel = nil
			p.state = simIdle
			if p.sim != nil {
				p.state = simEnded
			}
			return noticeCmd(bannerInfo, "simulation "+p.scenario+" stopped before it started")
		}
		if p.cancel == nil || !p.active() {
			return reportErrCmd(p.notRunningErr())
		}
		p.cancel()
		p.state = simStopping
		return nil
	case key.Matches(km, k.NextSubnet):
		if len(p.subnets) > 1 {
			p.sel = (p.sel + 1) % len(p.subnets)
			p.refreshTable()
		}
		return nil
	}
	_, cmd := p.table.Update(km)
	return cmd
}

// runningErr says that a simulation runs, and the key that stops it.
func (p *simPage) runningErr() error {
	return fmt.Errorf("%w (%s)", ErrSimRunning, p.c.KeyMap.Sim.Stop.Help().Key+" stops it")
}

// notRunningErr says that nothing runs, and the key that starts the demo.
func (p *simPage) notRunningErr() error {
	return fmt.Errorf("%w (%s)", ErrNoSimulation, p.c.KeyMap.Sim.Demo.Help().Key+" starts it")
}

func validScenario(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("type the path of a scenario file, or " + DemoScenario)
	}
	return nil
}

// lastFile proposes the last scenario file run, if any.
func (p *simPage) lastFile() string {
	if p.scenario == DemoScenario {
		return ""
	}
	return p.scenario
}

func (p *simPage) updateForm(msg tea.Msg) tea.Cmd {
	res, cmd := p.form.Update(msg)
	switch res {
	case dialogCancel:
		p.form = nil
	case dialogSubmit:
		v := p.form.Values()
		p.form = nil
		return p.start(v[0])
	}
	return cmd
}

// start asks the simulator for scenario.
func (p *simPage) start(scenario string) tea.Cmd {
	if p.active() {
		return reportErrCmd(p.runningErr())
	}
	cmd, cancel := startSimCmdCancel(p.c, scenario)
	if cancel == nil {
		return cmd // nothing started (no simulator or no chain): the page stays as it was
	}
	p.scenario, p.state, p.startCancel = scenario, simStarting, cancel
	return cmd
}

func (p *simPage) onStarted(msg simStartedMsg) tea.Cmd {
	if msg.err != nil {
		if p.state == simStarting {
			p.state = simEnded
			if p.sim == nil {
				p.state = simIdle
			}
		}
		p.startCancel = nil
		if errors.Is(msg.err, context.Canceled) {
			return nil // stopped before it started (x), already said
		}
		return reportErrCmd(fmt.Errorf("start the simulation %s: %w", msg.scenario, msg.err))
	}
	if p.sim != nil && p.active() && p.state != simStarting {
		// a second start raced a run already under way (the first-run offer and the page):
		// keep the running one, stop the newcomer. A run that ended earlier is no race: its
		// Simulation stays in p.sim only for its last words, and the new run replaces it.
		msg.cancel()
		return nil
	}
	p.startCancel = nil
	p.scenario, p.sim, p.cancel, p.info = msg.scenario, msg.sim, msg.cancel, msg.info
	p.state, p.paused, p.err = simSetup, msg.paused, nil
	p.progress, p.subnets, p.sel = nil, nil, 0
	p.table.SetRows(nil)
	p.layout()
	return tea.Batch(waitSimCmd(msg.sim),
		noticeCmd(bannerInfo, "simulation "+p.info.Name+" started: "+strconv.Itoa(p.info.Neurons)+" simulated neurons are setting up"))
}

func (p *simPage) onUpdate(msg simUpdateMsg) tea.Cmd {
	if msg.sim != p.sim {
		return nil // a stopped simulation's last words
	}
	if msg.closed {
		if p.state != simEnded {
			p.end(nil)
		}
		return nil
	}
	u := msg.update
	switch {
	case u.Done:
		return p.end(u.Err)
	case u.Epoch != nil:
		p.addEpoch(*u.Epoch)
	case u.Progress != "":
		p.progress = append(p.progress, u.Progress)
		if len(p.progress) > simProgressLines {
			p.progress = p.progress[len(p.progress)-simProgressLines:]
		}
	}
	return waitSimCmd(p.sim)
}

// end records how the run ended and says so.
func (p *simPage) end(err error) tea.Cmd {
	stopped := p.state == simStopping
	p.state, p.err, p.paused = simEnded, err, false
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	switch {
	case stopped || errors.Is(err, context.Canceled):
		return noticeCmd(bannerInfo, "simulation "+p.info.Name+" stopped")
	case err != nil:
		return reportErrCmd(fmt.Errorf("simulation %s failed: %w", p.info.Name, err))
	}
	return noticeCmd(bannerSuccess, "simulation "+p.info.Name+" finished "+strconv.Itoa(p.info.Tempos)+" tempos")
}

func (p *simPage) addEpoch(e SimEpoch) {
	if p.state == simSetup {
		p.state = simRunning
	}
	i := 0
	for i < len(p.subnets) && p.subnets[i].netuid != e.Netuid {
		i++
	}
	if i == len(p.subnets) {
		p.subnets = append(p.subnets, simSubnet{name: e.Subnet, netuid: e.Netuid})
	}
	sn := &p.subnets[i]
	sn.epochs = append(sn.epochs, e)
	for _, t := range e.Teams {
		if !slices.Contains(sn.teams, t.Team) {
			sn.teams = append(sn.teams, t.Team)
		}
	}
	if i == p.sel {
		p.refreshTable()
	}
}

// refreshTable lists the selected subnet's epochs, newest first: each team's stake share
// and emission share, and the weights set and failed.
func (p *simPage) refreshTable() {
	teams := p.teams()
	p.table.SetColumns(simColumns(teams))
	var rows []Row
	if p.sel < len(p.subnets) {
		ep := p.subnets[p.sel].epochs
		rows = make([]Row, 0, len(ep))
		for i := len(ep) - 1; i >= 0; i-- {
			e := ep[i]
			cells := []string{strconv.Itoa(e.Tempo), FormatInt(e.Block)}
			for _, t := range teams {
				s := e.Team(t)
				em := percent(s.EmissionShare)
				if e.Tempo == 0 {
					em = "—" // the baseline epoch pays before any weights
				}
				cells = append(cells, percent(s.StakeShare), em)
			}
			cells = append(cells, strconv.Itoa(e.WeightsSet)+"/"+strconv.Itoa(e.WeightsFailed))
			rows = append(rows, Row{Key: strconv.Itoa(e.Tempo), Cells: cells})
		}
	}
	p.table.SetRows(rows)
	p.layout()
}

// series is a team's value per measured epoch (tempo ≥ 1) of the selected subnet.
func (p *simPage) series(team string, f func(SimTeam) float64) []float64 {
	var out []float64
	for _, e := range p.subnets[p.sel].epochs {
		if e.Tempo < 1 {
			continue
		}
		v := 0.0
		for _, t := range e.Teams {
			if t.Team == team {
				v = f(t)
			}
		}
		out = append(out, v)
	}
	return out
}

// percent renders a display-only fraction as a percentage with two decimals.
func percent(f float64) string { return strconv.FormatFloat(f*100, 'f', 2, 64) + "%" }

func (p *simPage) View() string {
	st := &p.c.Styles
	if p.c.Sim == nil {
		return st.Title.Render("Simulation") + "\n\n" + st.Muted.Render(ErrNoSimulator.Error())
	}
	if _, ok := p.c.Client.(*chainclient.Subtensor); ok && p.state == simIdle {
		return st.Title.Render("Simulation") + "\n\n" + st.Muted.Render("The simulation is devnet-only: it funds its keys and sets hyperparameters with sudo,\n"+
			"which a subtensor node does not give btui. Run it on btui's devnet: btui without --network.")
	}
	head := p.headLine()
	status := p.statusLine()
	var body string
	switch {
	case p.state == simIdle:
		body = p.idleView()
	case len(p.subnets) == 0:
		body = p.setupView()
	default:
		body = p.table.View() + "\n" + p.chartsView()
	}
	base := FitLines(head+"\n"+status+"\n\n"+body, p.w, p.h)
	if p.form != nil {
		return OverlayCenter(base, p.form.View(dialogWidth(p.w)), p.w, p.h)
	}
	return base
}

func (p *simPage) headLine() string {
	st := &p.c.Styles
	title := "Simulation"
	if p.info.Name != "" {
		title += " — " + p.info.Name
	}
	var state string
	switch p.state {
	case simIdle:
		state = st.Muted.Render("nothing running")
	case simStarting:
		state = st.Info.Render("starting " + p.scenario)
	case simSetup:
		state = st.Info.Render("setting up")
	case simRunning:
		state = st.Success.Render("running in real time")
	case simStopping:
		state = st.Warning.Render("stopping")
	case simEnded:
		switch {
		case p.err == nil:
			state = st.Success.Render("finished")
		case errors.Is(p.err, context.Canceled):
			state = st.Muted.Render("stopped")
		default:
			state = st.Error.Render("failed")
		}
	}
	if p.paused && p.active() {
		state = st.Warning.Render("paused") + st.Muted.Render(" ("+p.c.KeyMap.Sim.Pause.Help().Key+" resumes)")
	}
	line := st.Title.Render(title) + "  " + state
	if p.info.Name != "" {
		line += st.Muted.Render(fmt.Sprintf("  · %d subnet(s) · %d neurons · %d tempos", p.info.Subnets, p.info.Neurons, p.info.Tempos))
	}
	return padCut(line, p.w)
}

// statusLine is the selected subnet's tempo, block and weights, or the run's error.
func (p *simPage) statusLine() string {
	st := &p.c.Styles
	if p.err != nil && !errors.Is(p.err, context.Canceled) {
		return padCut(st.Error.Render(p.err.Error()), p.w)
	}
	e, ok := p.latest()
	if !ok {
		if p.info.Description != "" {
			return padCut(st.Muted.Render(p.info.Description), p.w)
		}
		return ""
	}
	sn := p.subnets[p.sel]
	parts := []string{
		fmt.Sprintf("subnet %s (netuid %d)", sn.name, sn.netuid),
		fmt.Sprintf("tempo %d/%d", e.Tempo, p.info.Tempos),
		"block #" + FormatInt(e.Block),
		fmt.Sprintf("weights %d ok", e.WeightsSet),
	}
	failed := fmt.Sprintf("%d failed", e.WeightsFailed)
	if e.Commits > 0 {
		parts = append(parts, fmt.Sprintf("%d commits", e.Commits))
	}
	if e.Registrations > 0 {
		parts = append(parts, fmt.Sprintf("%d registrations", e.Registrations))
	}
	if len(p.subnets) > 1 {
		parts = append(parts, fmt.Sprintf("subnet %d of %d (%s: next)", p.sel+1, len(p.subnets), p.c.KeyMap.Sim.NextSubnet.Help().Key))
	}
	f := st.Muted.Render(failed)
	if e.WeightsFailed > 0 {
		f = st.Warning.Render(failed)
		if len(e.Failures) > 0 {
			f += st.Muted.Render(" (" + e.Failures[0] + ")")
		}
	}
	line := st.Text.Render(strings.Join(parts[:4], " · ")) + st.Muted.Render(" / ") + f
	if len(parts) > 4 {
		line += st.Muted.Render(" · " + strings.Join(parts[4:], " · "))
	}
	return padCut(line, p.w)
}

func (p *simPage) idleView() string {
	st := &p.c.Styles
	k := p.c.KeyMap.Sim
	lines := []string{
		st.Text.Render("Simulated validators and miners keep a devnet's market alive: each is a real wallet that"),
		st.Text.Render("signs real transactions (registrations, stake, weights), so the metagraph moves."),
		"",
		st.Title.Render(k.Demo.Help().Key) + "  " + st.Text.Render("start the demo market: honest validators, a lazy copier, a small cabal,"),
		"   " + st.Text.Render("rising and fading miners, a sybil burst (one subnet, 20 tempos)"),
		st.Title.Render(k.Open.Help().Key) + "  " + st.Text.Render("run a scenario file, e.g. examples/cabal-40.json (docs/simulate.md)"),
		"",
		st.Muted.Render("The run follows the block producer in real time; " + k.Pause.Help().Key + " pauses it between steps, " + k.Stop.Help().Key + " stops it."),
	}
	if p.err != nil && !errors.Is(p.err, context.Canceled) {
		lines = append(lines, "", st.Error.Render(p.err.Error()))
	}
	return strings.Join(lines, "\n")
}

func (p *simPage) setupView() string {
	st := &p.c.Styles
	lines := []string{st.Subtitle.Render("Setting up " + cmpOr(p.info.Name, p.scenario))}
	if len(p.progress) == 0 {
		lines = append(lines, st.Muted.Render("waiting for the first step…"))
	}
	room := max(1, p.h-5)
	pr := p.progress
	if len(pr) > room {
		pr = pr[len(pr)-room:]
	}
	for i, l := range pr {
		mark := st.Success.Render("✓ ")
		if i == len(pr)-1 && p.active() {
			mark = st.Info.Render("… ")
		}
		lines = append(lines, mark+st.Text.Render(l))
	}
	return strings.Join(lines, "\n")
}

// chartsView draws every team's emission share per epoch as sparklines on one scale (one
// column per epoch, stretched to fill the width) beside every team's stake share now (bars).
func (p *simPage) chartsView() string {
	st := &p.c.Styles
	e, _ := p.latest()
	teams := p.teams()
	leftW := p.w * 3 / 5
	rightW := p.w - leftW - 2
	rows := max(0, p.chartH-1)

	labelW, valueW := 0, 7
	for _, t := range teams {
		labelW = max(labelW, min(10, len([]rune(t))))
	}
	sparkW := max(4, leftW-labelW-valueW-2)
	hi := 0.0
	series := make([][]float64, len(teams))
	measured := 0
	for i, t := range teams {
		series[i] = p.series(t, func(s SimTeam) float64 { return s.EmissionShare })
		measured = max(measured, len(series[i]))
		for _, v := range series[i] {
			hi = max(hi, v)
		}
	}
	k := max(1, sparkW/max(1, p.info.Tempos, measured))
	left := []string{st.Subtitle.Render(Truncate("emission share per epoch (tempo 1 on)", leftW))}
	perTeam := 0 // lines per team for small multiples; 0 draws one sparkline each
	if len(teams) > 0 {
		perTeam = rows / len(teams)
	}
	switch {
	case measured == 0:
		left = append(left, st.Muted.Render(Truncate("no measured epoch yet: tempo 0 is the baseline", leftW)))
	case perTeam >= 3:
		w := max(4, leftW-labelW-valueW-2)
		k := max(1, w/max(1, p.info.Tempos, measured))
		for i, t := range teams {
			last := 0.0
			if n := len(series[i]); n > 0 {
				last = series[i][n-1]
			}
			vals := Stretch(series[i], k)
			chart := strings.Split(ColumnChartScaled(vals, min(w, len(vals)), perTeam, hi, st.Plot, st.Axis, ""), "\n")
			for j, line := range chart {
				lbl, val := strings.Repeat(" ", labelW), strings.Repeat(" ", valueW)
				if j == len(chart)-1 {
					lbl, val = PadRight(Truncate(t, labelW), labelW), PadLeft(percent(last), valueW)
				}
				left = append(left, lbl+" "+PadRight(line, w)+" "+val)
			}
		}
	default:
		for i, t := range teams {
			if i >= rows {
				break
			}
			last := 0.0
			if n := len(series[i]); n > 0 {
				last = series[i][n-1]
			}
			spark := SparklineScaled(Stretch(series[i], k), sparkW, 0, hi)
			left = append(left, PadRight(Truncate(t, labelW), labelW)+" "+st.Plot.Render(PadRight(strings.TrimLeft(spark, " "), sparkW))+" "+PadLeft(percent(last), valueW))
		}
	}
	bars := make([]Bar, 0, len(e.Teams))
	for _, t := range teams {
		s := e.Team(t)
		bars = append(bars, Bar{Label: t, Value: s.StakeShare, Text: percent(s.StakeShare)})
	}
	if len(bars) > rows {
		bars = bars[:rows]
	}
	right := st.Subtitle.Render(Truncate(fmt.Sprintf("stake share at tempo %d", e.Tempo), rightW))
	if len(bars) > 0 {
		right += "\n" + BarChart(bars, rightW, st.PlotAlt)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, FitLines(strings.Join(left, "\n"), leftW, p.chartH), "  ", FitLines(right, rightW, p.chartH))
}

// Team returns the share of team, or a zero share.
func (e SimEpoch) Team(team string) SimTeam {
	for _, t := range e.Teams {
		if t.Team == team {
			return t
		}
	}
	return SimTeam{Team: team}
}
