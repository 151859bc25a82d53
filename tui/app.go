package tui

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// Minimum supported terminal size.
const (
	MinWidth  = 80
	MinHeight = 24
)

// chrome is the number of lines the root draws around a page with a one-line banner:
// tab bar, banner line, footer. A long error banner takes up to maxBannerLines.
const (
	chrome         = 3
	maxBannerLines = 3
)

// Options configure the console.
type Options struct {
	Keys    Keys               // key store; nil disables wallet features with a clear message
	Client  chainclient.Client // the chain; nil disables chain features with a clear message
	Context context.Context    // cancelled when the console must stop (nil: background)
	// ReconnectDelay is the pause before resubscribing after a lost connection (0: one
	// second).
	ReconnectDelay time.Duration
	Network        string // shown in the banner: "devnet (embedded, …)" or the node URL
	Wallet         string // initially selected wallet ("default" when empty)
	Hotkey         string // initially selected hotkey ("default" when empty)
	NoColor        bool   // NO_COLOR: no colours at all, emphasis by bold and reverse video
	// Pages replaces the standard pages (tests).
	Pages func(c *Common) []Page
	// StatePath is the console's state file (last wallet, hotkey and page, weights commits
	// waiting for their reveal); "" keeps the state in memory only. Wallet and Hotkey, when
	// set, win over the remembered ones.
	StatePath string
	// Now is the clock of the connection indicator (nil: time.Now; tests).
	Now func() time.Time
	// NoAnimation turns off spinners and timers (tests).
	NoAnimation bool
	// PickWords picks the mnemonic positions asked back; nil uses crypto/rand.
	PickWords func(n, k int) []int
	// NoFirstRun skips the first-run screen even when no wallet exists.
	NoFirstRun bool
	// Simulator runs scenario simulations (the Simulation page, the first-run demo offer);
	// nil turns them off with a clear message.
	Simulator Simulator
	// OfferDemo offers the demo market on the first-run screen when the chain is a fresh
	// devnet: only its genesis subnets, with no neuron but their owner's (checkFreshCmd; the
	// signal is read from the chain, so it survives restarts and does not depend on the
	// height, the wallets or faucet payments). cmd/btui sets it for the embedded devnet
	// only, never for --node unless asked (BTUI_DEMO=1).
	OfferDemo bool
}

// App is the root model: it owns the Common value, routes messages to the active page
// and draws the chrome (tabs, banner, footer, help overlay). It is the only type whose
// View returns a tea.View.
type App struct {
	c          *Common
	opts       Options
	pages      []Page
	active     int
	help       help.Model
	showHelp   bool
	helpScroll int // first help line shown when the help is taller than the screen
	banner     *banner
	first      *firstRun // the first-run screen while it is up
	check      firstRunCheck
	sub        *chainclient.Subscription
	lost       bool      // the chain connection is down; reconnecting
	retries    int       // reconnection attempts since the connection was lost
	tabs       []tabSpan // x ranges of the tabs, for mouse clicks
	height     uint64    // latest block height seen
	bgKnown    bool

	// the connection indicator (conn.go)
	info      protocol.ChainInfo // the chain's latest summary
	genesis   protocol.Hash      // the genesis hash of the chain the pages show
	headHash  protocol.Hash      // the hash of the block at height
	lastHead  time.Time          // when the latest head arrived
	changedAt time.Time          // when a different chain was detected
	probing   bool               // a liveness probe is out

	hab habits // command line, copying, messages, contacts, remembered views (habits.go)
}

type tabSpan struct{ x0, x1 int }

// firstRunCheck gathers the start-up answers that decide on the first-run screen: whether
// the key store has a wallet and whether the chain is a fresh devnet.
type firstRunCheck struct {
	walletsKnown, noWallet bool
	freshKnown, fresh      bool
	decided                bool
}

// New builds the console.
func New(opts Options) *App {
	c := &Common{
		KeyMap:    DefaultKeyMap(),
		Keys:      opts.Keys,
		Client:    opts.Client,
		Sim:       opts.Simulator,
		Ctx:       opts.Context,
		Network:   opts.Network,
		Wallet:    cmpOr(opts.Wallet, "default"),
		Hotkey:    cmpOr(opts.Hotkey, "default"),
		Animate:   !opts.NoAnimation,
		PickWords: opts.PickWords,
		Width:     MinWidth,
		Height:    MinHeight,
	}
	if c.PickWords == nil {
		c.PickWords = randomPositions
	}
	c.StatePath = opts.StatePath
	c.State = loadState(opts.StatePath)
	if opts.Wallet == "" && c.State.Wallet != "" {
		c.Wallet = c.State.Wallet
		if opts.Hotkey == "" && c.State.Hotkey != "" {
			c.Hotkey = c.State.Hotkey
		}
	}
	c.Styles = stylesFor(true, opts.NoColor)
	a := &App{c: c, opts: opts, help: help.New()}
	a.help.Styles = c.Styles.Help
	if opts.Pages != nil {
		a.pages = opts.Pages(c)
	} else {
		a.pages = standardPages(c)
	}
	a.setSize(c.Width, c.Height)
	if c.State.Page != "" {
		for i, p := range a.pages {
			if p.Title() == c.State.Page {
				a.active = i
			}
		}
	}
	a.check.walletsKnown = c.Keys == nil || opts.NoFirstRun
	a.check.freshKnown = !a.offersDemo()
	a.check.decided = opts.NoFirstRun
	a.initHabits()
	return a
}

// offersDemo reports whether the first-run screen may offer the demo market.
func (a *App) offersDemo() bool {
	return a.opts.OfferDemo && !a.opts.NoFirstRun && a.c.Sim != nil && a.c.Client != nil
}

func cmpOrU(v, def uint64) uint64 {
	if v == 0 {
		return def
	}
	return v
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func stylesFor(isDark, noColor bool) Styles {
	if noColor {
		return NewPlainStyles(isDark)
	}
	return NewStyles(isDark)
}

// randomPositions picks k distinct positions out of n, sorted, with crypto/rand.
func randomPositions(n, k int) []int {
	k = min(k, n)
	seen := map[int]bool{}
	out := make([]int, 0, k)
	for len(out) < k {
		v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
		if err != nil {
			panic("crypto/rand failed: " + err.Error())
		}
		i := int(v.Int64())
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// Common returns the shared state (tests read it).
func (a *App) Common() *Common { return a.c }

// Active returns the active page.
func (a *App) Active() Page { return a.pages[a.active] }

// ActiveIndex returns the index of the active page.
func (a *App) ActiveIndex() int { return a.active }

// FirstRunDecided reports whether the start-up checks (wallets, fresh devnet) are in and
// the first-run screen was opened or not.
func (a *App) FirstRunDecided() bool { return a.check.decided }

// FirstRun reports whether the first-run screen is up.
func (a *App) FirstRun() bool { return a.first != nil }

// Init requests the background colour and the window size, checks for wallets and
// starts every page.
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, tea.RequestWindowSize}
	if a.c.Keys != nil {
		// the wallet list decides on the first-run screen, and gives every page the
		// addresses of the selected wallet and hotkey
		cmds = append(cmds, listWalletsCmd(a.c.Keys, !a.opts.NoFirstRun))
	}
	if a.offersDemo() {
		cmds = append(cmds, checkFreshCmd(a.c))
	}
	if a.c.Client != nil {
		cmds = append(cmds, subscribeCmd(a.c), loadInfoCmd(a.c))
	}
	if a.opts.Client != nil {
		cmds = append(cmds, connTickCmd())
	}
	for _, p := range a.pages {
		cmds = append(cmds, p.Init())
	}
	if a.active != 0 {
		cmds = append(cmds, func() tea.Msg { return pageActivatedMsg{} }) // the remembered page
	}
	cmds = append(cmds, a.habitInit())
	return tea.Batch(cmds...)
}

// Update routes a message: the habits' own messages, window size, global keys (unless a
// text input has focus), app-wide messages, then the active page; then the views to
// remember.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, done := a.habitMsg(msg); done {
		return a, tea.Batch(cmd, a.rememberViews())
	}
	_, cmd := a.update(msg)
	return a, tea.Batch(cmd, a.habitInputs(msg), a.rememberViews())
}

func (a *App) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.setSize(msg.Width, msg.Height)
		return a, nil
	case tea.BackgroundColorMsg:
		a.setBackground(msg.IsDark())
		return a, nil
	case tea.KeyPressMsg:
		if cmd, done := a.handleGlobalKey(msg); done {
			return a, cmd
		}
	case tea.MouseClickMsg:
		if cmd, done := a.handleClick(msg); done {
			return a, cmd
		}
	case tea.MouseWheelMsg:
		return a, a.handleWheel(msg)
	case bannerMsg:
		a.showBanner(msg.b)
		return a, nil
	case walletsListedMsg:
		if msg.err == nil {
			a.c.Wallets = msg.wallets
		}
		if msg.firstRun {
			return a, a.handleFirstRunCheck(msg)
		}
	case simStartedMsg:
		if msg.cancel != nil && a.simIndex() < 0 {
			msg.cancel() // no page would watch it
			return a, nil
		}
	case chainFreshMsg:
		a.check.freshKnown, a.check.fresh = true, msg.err == nil && msg.fresh
		return a, a.maybeFirstRun()
	case firstRunDoneMsg:
		return a, a.finishFirstRun(msg)
	case walletSelectedMsg:
		a.c.Wallet, a.c.Hotkey = msg.Wallet, cmpOr(msg.Hotkey, a.c.Hotkey)
		a.c.State.Wallet, a.c.State.Hotkey = a.c.Wallet, a.c.Hotkey
		return a, tea.Batch(a.broadcast(msg), a.c.saveStateCmd())
	case connTickMsg:
		return a, a.onConnTick()
	case probeMsg:
		return a, a.onProbe(msg)
	case chainCheckMsg:
		return a, a.onChainCheck(msg)
	case infoMsg:
		if msg.err == nil {
			if !a.genesis.IsZero() && msg.info.GenesisHash != a.genesis {
				return a, chainCheckCmd(a.c, a.genesis, a.height, a.headHash)
			}
			a.info, a.genesis = msg.info, msg.info.GenesisHash
			a.c.Genesis, a.c.BlockTimeMs = a.genesis.String(), cmpOrU(msg.info.BlockTimeMs, msg.info.TargetBlockTimeMs)
		}
	}
	if cmd, done := a.handleChainMsg(msg); done {
		return a, cmd
	}
	if isBroadcast(msg) {
		return a, a.broadcast(msg)
	}
	return a, a.forward(msg)
}

// handleGlobalKey handles quit, help, dismiss and page switching. done reports that the
// key was consumed.
func (a *App) handleGlobalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	g := a.c.KeyMap.Global
	if key.Matches(msg, g.ForceQuit) {
		return tea.Interrupt, true // Run returns tea.ErrInterrupted: exit code 130
	}
	if cmd, done := a.habitKey(msg); done {
		return cmd, true
	}
	if a.showHelp {
		// the table's movement keys scroll the help; any other key closes it
		t := a.c.KeyMap.Table
		switch {
		case key.Matches(msg, t.Down):
			a.helpScroll++
		case key.Matches(msg, t.Up):
			a.helpScroll = max(0, a.helpScroll-1)
		case key.Matches(msg, t.PageDown):
			a.helpScroll += a.bodyHeight() / 2
		case key.Matches(msg, t.PageUp):
			a.helpScroll = max(0, a.helpScroll-a.bodyHeight()/2)
		default:
			a.showHelp = false
		}
		return nil, true
	}
	if key.Matches(msg, g.Dismiss) && a.banner != nil {
		a.setBanner(nil)
		return nil, true
	}
	if a.banner != nil && a.banner.kind < bannerWarn {
		a.setBanner(nil) // notices go away on the next key
	}
	if a.first != nil || a.Active().Capturing() {
		return nil, false
	}
	switch {
	case key.Matches(msg, g.Quit):
		return tea.Quit, true
	case key.Matches(msg, g.Help):
		a.showHelp, a.helpScroll = true, 0
		return nil, true
	case key.Matches(msg, g.NextPage):
		return a.switchTo((a.active + 1) % len(a.pages)), true
	case key.Matches(msg, g.PrevPage):
		return a.switchTo((a.active - 1 + len(a.pages)) % len(a.pages)), true
	}
	for i, b := range g.Pages {
		if i < len(a.pages) && key.Matches(msg, b) {
			return a.switchTo(i), true
		}
	}
	return nil, false
}

// handleClick switches pages when a tab is clicked.
func (a *App) handleClick(msg tea.MouseClickMsg) (tea.Cmd, bool) {
	m := msg.Mouse()
	if m.Y != 0 || a.first != nil || m.Button != tea.MouseLeft {
		return nil, false
	}
	for i, t := range a.tabs {
		if m.X >= t.x0 && m.X < t.x1 {
			return a.switchTo(i), true
		}
	}
	return nil, false
}

// handleWheel scrolls the active page's table: the wheel is read as ↑/↓.
func (a *App) handleWheel(msg tea.MouseWheelMsg) tea.Cmd {
	if a.first != nil || a.showHelp || a.Active().Capturing() || a.hab.overlayOpen() {
		return nil
	}
	var k tea.KeyPressMsg
	switch msg.Mouse().Button {
	case tea.MouseWheelUp:
		k = tea.KeyPressMsg{Code: tea.KeyUp}
	case tea.MouseWheelDown:
		k = tea.KeyPressMsg{Code: tea.KeyDown}
	default:
		return nil
	}
	return a.forward(k)
}

// pageActivatedMsg tells a page it became visible (it may refresh).
type pageActivatedMsg struct{}

func (a *App) switchTo(i int) tea.Cmd {
	if i == a.active {
		return nil
	}
	a.active = i
	a.layoutTabs()
	var cmd tea.Cmd
	a.pages[i], cmd = a.pages[i].Update(pageActivatedMsg{})
	a.c.State.Page = a.pages[i].Title()
	return tea.Batch(cmd, a.c.saveStateCmd())
}

func (a *App) setBackground(isDark bool) {
	a.bgKnown = true
	a.c.Styles = stylesFor(isDark, a.opts.NoColor)
	a.help.Styles = a.c.Styles.Help
	// pages hold *Common and read styles at render time; sub-components with copied
	// styles (text inputs) are refreshed through the message.
	for i := range a.pages {
		a.pages[i], _ = a.pages[i].Update(stylesChangedMsg{})
	}
	if a.first != nil {
		a.first.restyle()
	}
}

// stylesChangedMsg tells pages the styles were rebuilt.
type stylesChangedMsg struct{}

func (a *App) setSize(w, h int) {
	a.c.Width, a.c.Height = w, h
	a.help.SetWidth(w - 4)
	bodyH := a.bodyHeight()
	for _, p := range a.pages {
		p.SetSize(w, bodyH)
	}
	if a.first != nil {
		a.first.SetSize(w, bodyH)
	}
	a.layoutTabs()
}

func (a *App) showBanner(b banner) {
	if a.banner != nil && a.banner.kind == bannerError && b.kind < bannerError && b.kind != bannerSuccess {
		a.hab.log.add(a.now(), b) // in the history, though an info notice never hides an error
		return
	}
	a.setBanner(&b)
}

// setBanner replaces the banner and resizes the pages when its height changes.
func (a *App) setBanner(b *banner) {
	before := a.bannerLines()
	if b != nil {
		a.hab.log.add(a.now(), *b)
	}
	a.banner = b
	if a.bannerLines() != before {
		a.setSize(a.c.Width, a.c.Height)
	}
}

// bannerLines is how many lines the banner takes.
func (a *App) bannerLines() int {
	if a.banner == nil {
		return 1
	}
	return len(a.banner.lines(&a.c.Styles, a.c.Width, maxBannerLines))
}

// bodyHeight is the page area's height.
func (a *App) bodyHeight() int {
	return max(1, a.c.Height-2-a.bannerLines())
}

func (a *App) handleFirstRunCheck(msg walletsListedMsg) tea.Cmd {
	a.check.walletsKnown = true
	if msg.err != nil {
		return tea.Batch(reportErrCmd(msg.err), a.maybeFirstRun())
	}
	a.check.noWallet = len(msg.wallets) == 0
	var cmd tea.Cmd
	if len(msg.wallets) > 0 {
		cmd = a.broadcast(msg)
	}
	return tea.Batch(cmd, a.maybeFirstRun())
}

// maybeFirstRun opens the first-run screen once both start-up answers are in: when there is
// no wallet, or when the chain is a fresh devnet (the demo offer).
func (a *App) maybeFirstRun() tea.Cmd {
	ch := &a.check
	if ch.decided || !ch.walletsKnown || !ch.freshKnown {
		return nil
	}
	ch.decided = true
	if !ch.noWallet && !ch.fresh {
		return nil
	}
	a.first = newFirstRun(a.c, ch.noWallet, ch.fresh)
	a.first.SetSize(a.c.Width, a.bodyHeight())
	return a.first.Init()
}

// simIndex is the Simulation page's index, or -1.
func (a *App) simIndex() int {
	for i, p := range a.pages {
		if _, ok := p.(*simPage); ok {
			return i
		}
	}
	return -1
}

func (a *App) finishFirstRun(msg firstRunDoneMsg) tea.Cmd {
	a.first = nil
	a.active = 0
	if i := a.simIndex(); msg.demo && i >= 0 {
		a.active = i // watch the demo market set itself up
	}
	a.layoutTabs()
	if msg.wallet.Name == "" {
		return nil // skipped
	}
	a.c.Wallet = msg.wallet.Name
	if len(msg.wallet.Hotkeys) > 0 {
		a.c.Hotkey = msg.wallet.Hotkeys[0].Name
	}
	return tea.Batch(
		noticeCmd(bannerSuccess, "wallet "+msg.wallet.Name+" is ready"),
		a.broadcast(walletSelectedMsg{Wallet: a.c.Wallet, Hotkey: a.c.Hotkey}),
		listWalletsCmd(a.c.Keys, false),
	)
}

// forward sends msg to the first-run screen when it is up, else to the active page.
func (a *App) forward(msg tea.Msg) tea.Cmd {
	if a.first != nil {
		var cmd tea.Cmd
		p, cmd := a.first.Update(msg)
		a.first = p.(*firstRun)
		return cmd
	}
	var cmd tea.Cmd
	a.pages[a.active], cmd = a.pages[a.active].Update(msg)
	return cmd
}

// broadcast sends msg to every page (chain events, wallet changes) and the first-run
// screen.
func (a *App) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(a.pages)+1)
	for i := range a.pages {
		var cmd tea.Cmd
		a.pages[i], cmd = a.pages[i].Update(msg)
		cmds = append(cmds, cmd)
	}
	if a.first != nil {
		p, cmd := a.first.Update(msg)
		a.first = p.(*firstRun)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// View draws the whole screen. It is the only tea.View in the console.
func (a *App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	title := "btui"
	if a.first != nil {
		title += " — first run"
	} else {
		title += " — " + a.Active().Title()
	}
	if a.c.Network != "" {
		title += " — " + a.c.Network
	}
	v.WindowTitle = title
	return v
}

// Render returns the screen content as a string (tests and benchmarks).
func (a *App) Render() string { return a.render() }

func (a *App) render() string {
	w, h := a.c.Width, a.c.Height
	st := &a.c.Styles
	if w < MinWidth || h < MinHeight {
		msg := "btui needs at least " + strconv.Itoa(MinWidth) + "×" + strconv.Itoa(MinHeight) +
			"; this terminal is " + strconv.Itoa(w) + "×" + strconv.Itoa(h) + ". Enlarge it, or press q to quit."
		return FitLines(st.Warning.Render(ansi.Wordwrap(msg, max(10, w), " ")), w, h)
	}
	bodyH := a.bodyHeight()
	var body string
	if a.first != nil {
		body = a.first.View()
	} else {
		body = a.Active().View()
	}
	body = FitLines(body, w, bodyH)
	if a.first == nil && !a.Active().Capturing() && a.Stale() {
		body = a.dim(body) // the values may be out of date
	}
	if a.showHelp {
		body = OverlayCenter(body, a.helpView(), w, bodyH)
	}
	body = a.habitOverlay(body, w, bodyH)
	bannerView := st.Axis.Render(strings.Repeat("─", w))
	if a.banner != nil {
		bannerView = strings.Join(a.banner.lines(st, w, maxBannerLines), "\n")
	}
	return a.headerView() + "\n" + bannerView + "\n" + body + "\n" + a.footerView()
}

// tabLabel is page i's label in the tab bar; compact labels keep the first letters.
func (a *App) tabLabel(i int, compact bool) string {
	t := a.pages[i].Title()
	if compact && i != a.active && len(t) > 4 {
		t = t[:4]
	}
	return strconv.Itoa(i+1) + " " + t
}

// headerRight is the network and the live height, or just the height when narrow.
func (a *App) headerRight(short bool) string {
	st := &a.c.Styles
	h := ""
	if a.height > 0 {
		h = st.Height.Render("#" + FormatInt(a.height))
		if a.Stale() {
			h = st.Muted.Render("#" + FormatInt(a.height))
		}
	}
	if c := a.connLabel(); c != "" {
		h = strings.TrimSpace(c + " " + h)
	}
	if short || a.c.Network == "" {
		return h
	}
	if h == "" {
		return st.Network.Render(a.c.Network)
	}
	return st.Network.Render(a.c.Network) + " " + h
}

// tabBar returns the tab bar, the tabs' x ranges and what is drawn on the right: full labels
// and the network when they fit, else the height only, else compact labels.
func (a *App) tabBar() (string, []tabSpan, string) {
	st := &a.c.Styles
	for _, mode := range []struct{ compact, short bool }{{false, false}, {false, true}, {true, true}} {
		var b strings.Builder
		b.WriteString(st.Brand.Render("btui"))
		b.WriteByte(' ')
		x := ansi.StringWidth(b.String())
		spans := make([]tabSpan, 0, len(a.pages))
		for i := range a.pages {
			label := a.tabLabel(i, mode.compact)
			var r string
			if i == a.active && a.first == nil {
				r = st.TabActive.Render(label)
			} else {
				r = st.Tab.Render(label)
			}
			w := ansi.StringWidth(r)
			spans = append(spans, tabSpan{x, x + w})
			x += w
			b.WriteString(r)
		}
		right := a.headerRight(mode.short)
		if x+1+ansi.StringWidth(right) <= a.c.Width || mode.compact {
			return b.String(), spans, right
		}
	}
	return "", nil, ""
}

func (a *App) layoutTabs() { _, a.tabs, _ = a.tabBar() }

func (a *App) headerView() string {
	left, _, right := a.tabBar()
	gap := a.c.Width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return padCut(left, a.c.Width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (a *App) footerView() string {
	if a.hab.cmd != nil {
		return a.commandLineView()
	}
	var bindings []key.Binding
	capturing := a.first != nil
	if a.first != nil {
		bindings = a.first.ShortHelp()
	} else {
		bindings = a.Active().ShortHelp()
		capturing = a.Active().Capturing()
	}
	g := a.c.KeyMap.Global
	global := []key.Binding{a.hab.keys.footer(), g.Help, g.Quit}
	if capturing {
		global = []key.Binding{g.ForceQuit}
	}
	right := a.help.ShortHelpView(global)
	rw := ansi.StringWidth(right)
	hm := a.help
	hm.SetWidth(max(1, a.c.Width-rw-3))
	left := hm.ShortHelpView(bindings)
	if room := a.c.Width - rw - 3; ansi.StringWidth(left) > room {
		left = ansi.Truncate(left, room, "…") // the help model can overshoot its width
	}
	gap := a.c.Width - ansi.StringWidth(left) - rw
	if gap < 1 {
		return padCut(left, a.c.Width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// helpLines lays the help out for the terminal's width: every binding as "key  meaning",
// groups one after the other, in as many columns as fit (column-major), then the pages.
func (a *App) helpLines(inner int) []string {
	st := &a.c.Styles
	g := a.c.KeyMap.Global
	global := []key.Binding{g.NextPage, g.PrevPage, g.Help, g.Dismiss, g.Quit, g.ForceQuit}
	var groups [][]key.Binding
	if a.first != nil {
		groups = [][]key.Binding{a.first.ShortHelp()}
	} else {
		groups = a.Active().FullHelp()
	}
	if a.first == nil {
		groups = append(slices.Clip(groups), a.hab.keys.help()) // not on the first-run screen
	}
	groups = append(slices.Clip(groups), global)
	type entry struct{ k, d string }
	var entries []entry
	keyW, descW := 0, 0
	for gi, grp := range groups {
		if gi > 0 && len(entries) > 0 {
			entries = append(entries, entry{})
		}
		for _, b := range grp {
			if !b.Enabled() || b.Help().Key == "" {
				continue
			}
			h := b.Help()
			entries = append(entries, entry{h.Key, h.Desc})
			keyW = max(keyW, ansi.StringWidth(h.Key))
			descW = max(descW, ansi.StringWidth(h.Desc))
		}
	}
	colW := keyW + 1 + descW
	cols := max(1, min(3, (inner+3)/(colW+3)))
	if cols == 1 {
		descW = max(8, inner-keyW-1)
		colW = inner
	}
	rows := (len(entries) + cols - 1) / cols
	out := make([]string, rows)
	for c := 0; c < cols; c++ {
		for r := 0; r < rows; r++ {
			i := c*rows + r
			cell := strings.Repeat(" ", colW)
			if i < len(entries) && entries[i].k != "" {
				cell = st.Help.FullKey.Render(PadRight(entries[i].k, keyW)) + " " + st.Help.FullDesc.Render(PadRight(Truncate(entries[i].d, descW), descW))
			}
			if c > 0 {
				out[r] += "   "
			}
			out[r] += cell
		}
	}
	pages := make([]string, len(a.pages))
	for i, p := range a.pages {
		pages[i] = strconv.Itoa(i+1) + " " + p.Title()
	}
	out = append(out, "")
	for _, l := range strings.Split(ansi.Wordwrap("pages: "+strings.Join(pages, " · "), inner, " "), "\n") {
		out = append(out, st.Muted.Render(l))
	}
	return out
}

// helpView is the help overlay: a dialog that fits the body; when the keys do not fit
// its height they scroll (j/k, ↑/↓, pgup/pgdn) and the last line says so.
func (a *App) helpView() string {
	st := &a.c.Styles
	width := min(a.c.Width-2, 100)
	inner := width - st.Dialog.GetHorizontalFrameSize()
	title := "Keys"
	if a.first == nil {
		title = "Keys — " + a.Active().Title()
	}
	lines := a.helpLines(inner)
	// the dialog's frame, title, blank lines and footer take 6 lines of the body
	room := max(3, a.bodyHeight()-st.Dialog.GetVerticalFrameSize()-4)
	footer := "press any other key to close"
	if len(lines) > room {
		a.helpScroll = min(a.helpScroll, len(lines)-room)
		end := a.helpScroll + room
		lines = lines[a.helpScroll:end]
		footer = fmt.Sprintf("j/k scroll (%d–%d of %d) • any other key closes", a.helpScroll+1, end, len(a.helpLines(inner)))
	} else {
		a.helpScroll = 0
	}
	return renderDialog(st, width, title, strings.Join(lines, "\n"), st.Muted.Render(footer))
}
