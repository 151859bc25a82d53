package tui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/x/ansi"

	tea "charm.land/bubbletea/v2"
)

// bannerKind orders banners by severity.
type bannerKind int

const (
	bannerInfo bannerKind = iota
	bannerSuccess
	bannerWarn
	bannerError
)

// banner is the one-line message under the tab bar.
type banner struct {
	kind bannerKind
	text string
	hint string // what to do about it
}

// bannerMsg puts a banner up. Pages send it through noticeCmd and reportErrCmd.
type bannerMsg struct{ b banner }

// Hinter is implemented by errors that know what the user should do about them.
type Hinter interface{ Hint() string }

// hintFor returns the advice shown next to err.
func hintFor(err error) string {
	var h Hinter
	if errors.As(err, &h) {
		return h.Hint()
	}
	return chainHint(err)
}

// reportErrCmd shows err in the error banner with advice on what to do.
func reportErrCmd(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	b := banner{kind: bannerError, text: err.Error(), hint: hintFor(err)}
	return func() tea.Msg { return bannerMsg{b} }
}

// noticeCmd shows an informational or success banner.
func noticeCmd(kind bannerKind, text string) tea.Cmd {
	return func() tea.Msg { return bannerMsg{banner{kind: kind, text: text}} }
}

// lines draws the banner in at most maxLines lines of exactly width cells, wrapping
// long messages.
func (b banner) lines(st *Styles, width, maxLines int) []string {
	text := b.text
	if b.hint != "" {
		text += " — " + b.hint
	}
	style := st.InfoBanner
	switch b.kind {
	case bannerError:
		text = "✗ " + text + " (ctrl+x dismisses)"
		style = st.ErrorBanner
	case bannerWarn:
		text = "! " + text
		style = st.WarnBanner
	case bannerSuccess:
		text = "✓ " + text
		style = st.Success
	}
	inner := max(1, width-style.GetHorizontalFrameSize())
	wrapped := strings.Split(ansi.Wrap(text, inner, " "), "\n")
	if len(wrapped) > maxLines {
		wrapped = wrapped[:maxLines]
		wrapped[maxLines-1] = Truncate(wrapped[maxLines-1]+"…", inner)
	}
	out := make([]string, len(wrapped))
	for i, l := range wrapped {
		out[i] = padCut(style.Render(PadRight(l, inner)), width)
	}
	return out
}
