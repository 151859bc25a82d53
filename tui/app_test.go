package tui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// notePage is a minimal page for routing tests: it records what it receives.
type notePage struct {
	c       *Common
	title   string
	w, h    int
	keys    []string
	typing  bool
	actives int
}

func (p *notePage) Init() tea.Cmd { return nil }
func (p *notePage) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch m := msg.(type) {
	case tea.KeyPressMsg:
		p.keys = append(p.keys, m.String())
		if m.String() == "i" {
			p.typing = true
		}
		if m.Code == tea.KeyEscape {
			p.typing = false
		}
	case pageActivatedMsg:
		p.actives++
	}
	return p, nil
}
func (p *notePage) View() string {
	return p.title + " page " + strings.Join(p.keys, ",")
}
func (p *notePage) SetSize(w, h int)          { p.w, p.h = w, h }
func (p *notePage) Title() string             { return p.title }
func (p *notePage) ShortHelp() []key.Binding  { return nil }
func (p *notePage) FullHelp() [][]key.Binding { return nil }
func (p *notePage) Capturing() bool           { return p.typing }

func noteApp(t *testing.T, w, h int) (*driver, []*notePage) {
	t.Helper()
	var pages []*notePage
	d := newDriver(t, Options{Network: "devnet (test)", Pages: func(c *Common) []Page {
		for _, n := range []string{"Alpha", "Beta", "Gamma"} {
			pages = append(pages, &notePage{c: c, title: n})
		}
		out := make([]Page, len(pages))
		for i, p := range pages {
			out[i] = p
		}
		return out
	}}, w, h)
	return d, pages
}

func TestAppPageSwitching(t *testing.T) {
	d, pages := noteApp(t, 80, 24)
	d.mustSee("1 Alpha", "2 Beta", "3 Gamma", "devnet (test)", "Alpha page")
	d.keys("tab")
	if d.app.ActiveIndex() != 1 || pages[1].actives != 1 {
		t.Fatalf("tab: active %d, activations %d", d.app.ActiveIndex(), pages[1].actives)
	}
	d.keys("3")
	d.mustSee("Gamma page")
	d.keys("shift+tab")
	if d.app.ActiveIndex() != 1 {
		t.Fatalf("shift+tab: active %d, want 1", d.app.ActiveIndex())
	}
	d.keys("9") // no page 9: goes to the page as a key
	if d.app.ActiveIndex() != 1 || !strings.Contains(strings.Join(pages[1].keys, ","), "9") {
		t.Fatalf("9 should reach the page: %v", pages[1].keys)
	}
	if got := d.app.View().WindowTitle; got != "btui — Beta — devnet (test)" {
		t.Fatalf("window title %q", got)
	}
	v := d.app.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion {
		t.Fatal("the view must use the alt screen and cell-motion mouse")
	}
}

func TestAppMouseClickOnTab(t *testing.T) {
	d, _ := noteApp(t, 80, 24)
	line := ansi.Strip(strings.Split(d.app.Render(), "\n")[0])
	x := strings.Index(line, "3 Gamma")
	d.send(tea.MouseClickMsg{X: x + 1, Y: 0, Button: tea.MouseLeft})
	if d.app.ActiveIndex() != 2 {
		t.Fatalf("click on tab at x=%d: active %d", x, d.app.ActiveIndex())
	}
}

func TestAppMouseWheelScrolls(t *testing.T) {
	d, pages := noteApp(t, 80, 24)
	d.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown}, tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if got := strings.Join(pages[0].keys, ","); got != "down,up" {
		t.Fatalf("wheel reached the page as %q, want down,up", got)
	}
}

func TestAppGlobalKeysYieldToTextInput(t *testing.T) {
	d, pages := noteApp(t, 80, 24)
	d.keys("i") // page starts typing
	d.keys("q", "2", "?", "tab")
	if d.quit || d.app.ActiveIndex() != 0 {
		t.Fatal("global keys fired while the page had a text input focused")
	}
	if got := strings.Join(pages[0].keys, ","); got != "i,q,2,?,tab" {
		t.Fatalf("page got %q", got)
	}
	d.keys("esc", "q")
	if !d.quit {
		t.Fatal("q did not quit once the input lost focus")
	}
}

func TestAppCtrlCAlwaysQuits(t *testing.T) {
	d, _ := noteApp(t, 80, 24)
	d.keys("i", "ctrl+c")
	if !d.quit {
		t.Fatal("ctrl+c did not quit while typing")
	}
}

func TestAppHelpOverlay(t *testing.T) {
	d, pages := noteApp(t, 100, 30)
	d.keys("?")
	d.mustSee("Keys — Alpha", "next page", "quit", "press any other key to close")
	d.keys("x")
	d.mustNotSee("press any other key to close")
	if len(pages[0].keys) != 0 {
		t.Fatal("the key closing help reached the page")
	}
}

func TestAppBanner(t *testing.T) {
	d, _ := noteApp(t, 80, 24)
	d.run(reportErrCmd(ErrNoChain))
	d.mustSee("no chain connection", "ctrl+x")
	d.keys("j") // errors stay
	d.mustSee("no chain connection")
	d.keys("ctrl+x")
	d.mustNotSee("no chain connection")
	d.run(noticeCmd(bannerSuccess, "done it"))
	d.mustSee("✓ done it")
	d.keys("j") // notices go on the next key
	d.mustNotSee("done it")
}

func TestAppResize(t *testing.T) {
	d, pages := noteApp(t, 120, 40)
	if pages[0].w != 120 || pages[0].h != 40-chrome {
		t.Fatalf("page size %dx%d", pages[0].w, pages[0].h)
	}
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		d.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		lines := strings.Split(d.app.Render(), "\n")
		if len(lines) != sz[1] {
			t.Fatalf("%v: %d lines", sz, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != sz[0] {
				t.Fatalf("%v: line %d is %d cells wide: %q", sz, i, w, ansi.Strip(l))
			}
		}
	}
	d.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	d.mustSee("needs at least 80×24")
}

func TestAppBackgroundAndNoColor(t *testing.T) {
	d, _ := noteApp(t, 80, 24)
	dark := d.app.Render()
	d.send(tea.BackgroundColorMsg{Color: lightBG{}})
	if d.app.Common().Styles.IsDark {
		t.Fatal("light background not applied")
	}
	if light := d.app.Render(); light == dark {
		t.Fatal("light and dark renders are identical")
	}

	nc := New(Options{NoColor: true, NoAnimation: true, Pages: func(c *Common) []Page { return []Page{&notePage{c: c, title: "A"}} }})
	nc.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	nc.Update(reportErrCmd(ErrNoChain)())
	out := nc.Render()
	if strings.Contains(out, "38;2;") || strings.Contains(out, "48;2;") || strings.Contains(out, "38;5;") {
		t.Fatalf("NO_COLOR output has colour sequences: %q", out)
	}
	if !strings.Contains(out, "\x1b[") {
		t.Fatal("NO_COLOR output lost all emphasis (bold/reverse)")
	}
}

type lightBG struct{}

func (lightBG) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

func lightMsg() tea.BackgroundColorMsg { return tea.BackgroundColorMsg{Color: lightBG{}} }
