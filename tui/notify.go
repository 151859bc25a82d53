package tui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// The message history (`!`): every banner of this session (notices, transaction outcomes,
// warnings, errors, connection changes) with its time, newest first, in a scrollable overlay.
// A banner replaced by the next key or hidden behind an error is still here, whole (the
// banner line cuts long ones). A message repeated back to back is kept once with a count.

// maxNotifications is how many messages the history keeps.
const maxNotifications = 1000

// notification is one message of the history.
type notification struct {
	At    time.Time
	Kind  bannerKind
	Text  string
	Hint  string
	Count int // how many times in a row it was shown
}

// notifyLog is the session's messages, oldest first.
type notifyLog struct{ items []notification }

func (l *notifyLog) add(at time.Time, b banner) {
	if n := len(l.items); n > 0 {
		last := &l.items[n-1]
		if last.Kind == b.kind && last.Text == b.text && last.Hint == b.hint {
			last.Count++
			last.At = at
			return
		}
	}
	l.items = append(l.items, notification{At: at, Kind: b.kind, Text: b.text, Hint: b.hint, Count: 1})
	if len(l.items) > maxNotifications {
		l.items = append(l.items[:0], l.items[len(l.items)-maxNotifications:]...)
	}
}

// newest returns the i-th newest message.
func (l *notifyLog) newest(i int) notification { return l.items[len(l.items)-1-i] }

// Notifications returns the session's messages, oldest first (tests).
func (a *App) Notifications() []notification { return a.hab.log.items }

// notifyView is the history overlay's cursor: the selected message, newest first, and the
// first line shown.
type notifyView struct {
	cursor int
	offset int
}

// text is the message as one line: mark, text, hint and count.
func (n notification) text() string {
	s := n.Text
	if n.Hint != "" {
		s += " — " + n.Hint
	}
	if n.Count > 1 {
		s += " (×" + strconv.Itoa(n.Count) + ")"
	}
	return s
}

func (n notification) mark(st *Styles) string {
	switch n.Kind {
	case bannerError:
		return st.Error.Render("✗")
	case bannerWarn:
		return st.Warning.Render("!")
	case bannerSuccess:
		return st.Success.Render("✓")
	}
	return st.Info.Render("·")
}

// updateMessages handles a key while the history is up.
func (a *App) updateMessages(km tea.KeyPressMsg) tea.Cmd {
	v := a.hab.messages
	t := a.c.KeyMap.Table
	n := len(a.hab.log.items)
	switch {
	case km.Code == tea.KeyEscape, key.Matches(km, a.hab.keys.Messages), km.Text == "q":
		a.hab.messages = nil
	case key.Matches(km, a.hab.keys.Copy):
		if n > 0 {
			n := a.hab.log.newest(v.cursor)
			n.Count = 1 // the message, not how often it came
			return copyCmd("message", n.text())
		}
	case key.Matches(km, t.Down):
		v.cursor++
	case key.Matches(km, t.Up):
		v.cursor--
	case key.Matches(km, t.PageDown):
		v.cursor += 5
	case key.Matches(km, t.PageUp):
		v.cursor -= 5
	case key.Matches(km, t.Top):
		v.cursor = 0
	case key.Matches(km, t.Bottom):
		v.cursor = n - 1
	}
	if v != nil {
		v.cursor = min(max(v.cursor, 0), max(0, n-1))
	}
	return nil
}

// messagesView draws the history over the page body (w×h).
func (a *App) messagesView(w, h int) string {
	st := &a.c.Styles
	v := a.hab.messages
	width := min(w-2, 110)
	inner := width - st.Dialog.GetHorizontalFrameSize()
	room := max(3, h-st.Dialog.GetVerticalFrameSize()-4)
	log := &a.hab.log
	title := "Messages — " + plural(len(log.items), "message", "messages") + " this session"
	if len(log.items) == 0 {
		return renderDialog(st, width, title, st.Muted.Render("no messages yet this session"), st.Muted.Render("esc closes"))
	}
	// every message wrapped under its time; the selected one highlighted
	type line struct {
		s   string
		msg int
	}
	var lines []line
	first := make([]int, len(log.items)) // first line of each message
	textW := max(10, inner-11)
	for i := range log.items {
		n := log.newest(i)
		first[i] = len(lines)
		wrapped := strings.Split(ansi.Wrap(n.text(), textW, " "), "\n")
		for j, l := range wrapped {
			prefix := strings.Repeat(" ", 11)
			if j == 0 {
				prefix = st.Muted.Render(n.At.Format("15:04:05")) + " " + n.mark(st) + " "
			}
			text := PadRight(l, textW)
			if i == v.cursor {
				text = st.TableSelected.Render(text)
			}
			lines = append(lines, line{prefix + text, i})
		}
	}
	start, end := first[v.cursor], len(lines)
	if v.cursor+1 < len(first) {
		end = first[v.cursor+1]
	}
	if start < v.offset {
		v.offset = start
	}
	if end > v.offset+room {
		v.offset = min(start, end-room)
	}
	v.offset = min(max(v.offset, 0), max(0, len(lines)-room))
	shown := lines[v.offset:min(len(lines), v.offset+room)]
	out := make([]string, len(shown))
	for i, l := range shown {
		out[i] = l.s
	}
	footer := "j/k move • y copies the message • g/G newest/oldest • esc closes"
	if len(lines) > room {
		footer = strconv.Itoa(v.cursor+1) + "/" + strconv.Itoa(len(log.items)) + " • " + footer
	}
	return renderDialog(st, width, title, strings.Join(out, "\n"), st.Muted.Render(Truncate(footer, inner)))
}

// messagesOpen reports whether the history is up.
func (h *habits) messagesOpen() bool { return h.messages != nil }
