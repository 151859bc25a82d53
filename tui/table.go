package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Column describes one table column.
type Column struct {
	Title string
	Width int  // cells; the column is cut or padded to it
	Right bool // right-align (numbers)
	// Numeric sorts by the cell's number (commas, spaces and a trailing unit are ignored)
	// instead of by text.
	Numeric bool
}

// Row is one table row: its cells in column order, and an optional key the page uses to
// find the underlying item (uid, netuid, hotkey...).
type Row struct {
	Key   string
	Cells []string
}

// Table is a virtualised, filterable, sortable table: it keeps every row but renders
// only the visible ones, so a frame costs the same for 40 rows as for 4,096. Column 0 is
// pinned; the others scroll horizontally when they do not fit.
type Table struct {
	c       *Common
	cols    []Column
	rows    []Row
	view    []int // indexes into rows after filter and sort
	cursor  int   // index into view
	offset  int   // first visible index into view
	colOff  int   // first scrolled (non-pinned) column
	width   int
	height  int // total lines including header and status
	sortCol int // -1: insertion order
	desc    bool

	filtering bool
	filter    textinput.Model
	query     string

	sortKeys []float64 // numeric sort keys of sortCol, per row (valid when sortNum)
	sortNum  bool

	// picking is true while the sort picker is up (s): the header shows each column's
	// sort letter and the next letter picks the column (sort.go).
	picking bool
	letters []rune // each column's sort letter
	// parentOf groups rows into a tree (a wallet's hotkeys under its coldkey): a row
	// whose parent key is not "" stays under that parent, sorted among its siblings.
	parentOf func(Row) string
	// persistID names the table in the state file's sort choices ("" until registered).
	persistID string
}

// NewTable builds an empty table.
func NewTable(c *Common, cols []Column) *Table {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.Placeholder = "filter"
	ti.SetStyles(c.inputStyles())
	return &Table{c: c, cols: cols, sortCol: -1, filter: ti, letters: sortLetters(cols)}
}

// SetColumns replaces the columns (keeping rows, which must match).
func (t *Table) SetColumns(cols []Column) {
	t.cols = cols
	t.colOff = 0
	t.letters = sortLetters(cols)
	t.refresh()
}

// SetRows replaces the rows, keeping the filter, sort and the selected row's key when it
// still exists.
func (t *Table) SetRows(rows []Row) {
	sel, hadSel := t.SelectedKey()
	t.rows = rows
	t.view = t.view[:0]
	t.refreshKeeping(sel, hadSel)
}

// Len is the number of rows after filtering; Total is the number of rows.
func (t *Table) Len() int   { return len(t.view) }
func (t *Table) Total() int { return len(t.rows) }

// SetSize sets the table's area: width cells by height lines (header and status line
// included).
func (t *Table) SetSize(w, h int) {
	t.width, t.height = w, max(h, 3)
	t.filter.SetWidth(max(10, w-12))
	t.clamp()
}

// Selected returns the selected row.
func (t *Table) Selected() (Row, bool) {
	if t.cursor < 0 || t.cursor >= len(t.view) {
		return Row{}, false
	}
	return t.rows[t.view[t.cursor]], true
}

// SelectedKey returns the selected row's key.
func (t *Table) SelectedKey() (string, bool) {
	r, ok := t.Selected()
	return r.Key, ok
}

// SelectKey moves the cursor to the row with key k, if it is visible.
func (t *Table) SelectKey(k string) bool {
	for i, ri := range t.view {
		if t.rows[ri].Key == k {
			t.cursor = i
			t.clamp()
			return true
		}
	}
	return false
}

// Cursor is the selected position in the filtered, sorted view.
func (t *Table) Cursor() int { return t.cursor }

// Filtering reports whether the filter input or the sort picker has focus (the table then
// takes all keys).
func (t *Table) Filtering() bool { return t.filtering || t.picking }

// Query is the active filter text.
func (t *Table) Query() string { return t.query }

// Sort sorts by column col (descending when desc); col -1 restores insertion order.
func (t *Table) Sort(col int, desc bool) {
	if col >= len(t.cols) {
		col = -1
	}
	t.sortCol, t.desc = col, desc
	t.refresh()
}

// SortState returns the sort column (-1 for none) and direction.
func (t *Table) SortState() (int, bool) { return t.sortCol, t.desc }

// SetFilter applies a filter (case-insensitive substring over all cells).
func (t *Table) SetFilter(q string) {
	t.query = q
	t.filter.SetValue(q)
	t.refresh()
}

func (t *Table) bodyHeight() int {
	return max(1, t.height-2) // header + status line
}

// refresh recomputes the view: filter, then stable sort.
func (t *Table) refresh() {
	sel, hadSel := t.SelectedKey()
	t.refreshKeeping(sel, hadSel)
}

// refreshKeeping recomputes the view and reselects the row with key sel if hadSel.
func (t *Table) refreshKeeping(sel string, hadSel bool) {
	t.view = t.view[:0]
	q := strings.ToLower(t.query)
	for i, r := range t.rows {
		if q == "" || rowMatches(r, q) {
			t.view = append(t.view, i)
		}
	}
	if t.sortCol >= 0 {
		t.prepareSortKeys()
		col := t.sortCol
		slices.SortStableFunc(t.view, func(a, b int) int {
			var c int
			if t.sortNum {
				c = cmp.Compare(t.sortKeys[a], t.sortKeys[b])
			} else {
				c = strings.Compare(cell(t.rows[a], col), cell(t.rows[b], col))
			}
			if t.desc {
				c = -c
			}
			return c
		})
		if t.parentOf != nil {
			t.regroup()
		}
	}
	if hadSel && t.SelectKey(sel) {
		return
	}
	t.clamp()
}

func (t *Table) prepareSortKeys() {
	col := t.sortCol
	t.sortNum = t.cols[col].Numeric
	if !t.sortNum {
		return
	}
	if cap(t.sortKeys) < len(t.rows) {
		t.sortKeys = make([]float64, len(t.rows))
	}
	t.sortKeys = t.sortKeys[:len(t.rows)]
	for _, i := range t.view {
		t.sortKeys[i] = parseSortNumber(cell(t.rows[i], col))
	}
}

// parseSortNumber reads the leading number of a cell like "1,234.5 τ" or "-0.25";
// cells without a number sort first.
func parseSortNumber(s string) float64 {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9', ch == '.', ch == '-' && b.Len() == 0, ch == 'e', ch == '+':
			b.WriteByte(ch)
		case ch == ',':
		default:
			i = len(s)
		}
	}
	f, err := strconv.ParseFloat(b.String(), 64)
	if err != nil {
		return -1e308
	}
	return f
}

func cell(r Row, i int) string {
	if i < len(r.Cells) {
		return r.Cells[i]
	}
	return ""
}

func rowMatches(r Row, lowerQ string) bool {
	for _, c := range r.Cells {
		if strings.Contains(strings.ToLower(c), lowerQ) {
			return true
		}
	}
	return false
}

func (t *Table) clamp() {
	n := len(t.view)
	if n == 0 {
		t.cursor, t.offset = 0, 0
		return
	}
	t.cursor = min(max(t.cursor, 0), n-1)
	h := t.bodyHeight()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+h {
		t.offset = t.cursor - h + 1
	}
	t.offset = min(max(t.offset, 0), max(0, n-h))
}

// MoveCursor moves the selection by delta rows.
func (t *Table) MoveCursor(delta int) { t.cursor += delta; t.clamp() }

// Update handles table keys; it reports whether it consumed the message.
func (t *Table) Update(msg tea.Msg) (bool, tea.Cmd) {
	k := t.c.KeyMap.Table
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if t.filtering {
			var cmd tea.Cmd
			t.filter, cmd = t.filter.Update(msg)
			return false, cmd
		}
		return false, nil
	}
	if t.picking {
		t.pick(km)
		return true, nil
	}
	if t.filtering {
		switch {
		case km.Code == tea.KeyEnter:
			t.filtering = false
			t.filter.Blur()
			return true, nil
		case km.Code == tea.KeyEscape:
			t.filtering = false
			t.filter.Blur()
			t.SetFilter("")
			return true, nil
		}
		var cmd tea.Cmd
		t.filter, cmd = t.filter.Update(msg)
		if v := t.filter.Value(); v != t.query {
			t.query = v
			t.refresh()
		}
		return true, cmd
	}
	switch {
	case key.Matches(km, k.Up):
		t.MoveCursor(-1)
	case key.Matches(km, k.Down):
		t.MoveCursor(1)
	case key.Matches(km, k.PageUp):
		t.MoveCursor(-t.bodyHeight())
	case key.Matches(km, k.PageDown):
		t.MoveCursor(t.bodyHeight())
	case key.Matches(km, k.Top):
		t.cursor = 0
		t.clamp()
	case key.Matches(km, k.Bottom):
		t.cursor = len(t.view) - 1
		t.clamp()
	case key.Matches(km, k.Left):
		t.colOff = max(0, t.colOff-1)
	case key.Matches(km, k.Right):
		if t.colOff < len(t.cols)-2 && !t.lastColumnVisible() {
			t.colOff++
		}
	case key.Matches(km, k.Filter):
		t.filtering = true
		return true, t.filter.Focus()
	case key.Matches(km, k.ClearFilter) && t.query != "":
		t.SetFilter("")
	case key.Matches(km, k.Sort):
		t.picking = true
	case key.Matches(km, k.SortReverse):
		if t.sortCol < 0 {
			t.Sort(0, true)
		} else {
			t.Sort(t.sortCol, !t.desc)
		}
	default:
		return false, nil
	}
	return true, nil
}

// visibleColumns returns the column indexes that fit in the width: column 0 pinned, then
// from colOff+1 on.
func (t *Table) visibleColumns() []int {
	if len(t.cols) == 0 {
		return nil
	}
	out := []int{0}
	used := t.cols[0].Width
	for i := 1 + t.colOff; i < len(t.cols); i++ {
		if used+1+t.cols[i].Width > t.width {
			break
		}
		used += 1 + t.cols[i].Width
		out = append(out, i)
	}
	return out
}

func (t *Table) lastColumnVisible() bool {
	v := t.visibleColumns()
	return len(v) > 0 && v[len(v)-1] == len(t.cols)-1
}

// View renders exactly height lines of width cells: header, visible rows, status line.
func (t *Table) View() string {
	st := &t.c.Styles
	cols := t.visibleColumns()
	var b strings.Builder
	b.Grow((t.width + 16) * t.height)

	// header
	var hb strings.Builder
	for n, ci := range cols {
		if n > 0 {
			hb.WriteByte(' ')
		}
		if t.picking {
			hb.WriteString(t.pickerCell(ci))
			continue
		}
		title := t.cols[ci].Title
		if ci == t.sortCol {
			if t.desc {
				title += "↓"
			} else {
				title += "↑"
			}
		}
		hb.WriteString(alignCell(title, t.cols[ci]))
	}
	if t.picking {
		b.WriteString(padCut(hb.String(), t.width))
	} else {
		b.WriteString(st.TableHeader.Render(padCut(hb.String(), t.width)))
	}

	h := t.bodyHeight()
	end := min(t.offset+h, len(t.view))
	var line strings.Builder
	for vi := t.offset; vi < end; vi++ {
		r := t.rows[t.view[vi]]
		line.Reset()
		for n, ci := range cols {
			if n > 0 {
				line.WriteByte(' ')
			}
			line.WriteString(alignCell(cell(r, ci), t.cols[ci]))
		}
		b.WriteByte('\n')
		text := padCut(line.String(), t.width)
		if vi == t.cursor {
			b.WriteString(st.TableSelected.Render(text))
		} else {
			b.WriteString(text)
		}
	}
	for i := end - t.offset; i < h; i++ {
		b.WriteByte('\n')
		if i == 0 && len(t.view) == 0 {
			msg := "no rows"
			if t.query != "" {
				msg = "no rows match \"" + t.query + "\" (esc clears the filter)"
			}
			b.WriteString(st.Muted.Render(padCut("  "+msg, t.width)))
			continue
		}
		b.WriteString(strings.Repeat(" ", t.width))
	}
	b.WriteByte('\n')
	b.WriteString(t.statusLine())
	return b.String()
}

func (t *Table) statusLine() string {
	st := &t.c.Styles
	if t.filtering {
		return padCut(t.filter.View(), t.width)
	}
	if t.picking {
		return st.Warning.Render(padCut("sort by the highlighted letter • capital: descending • 0: unsorted • esc: cancel", t.width))
	}
	pos := 0
	if len(t.view) > 0 {
		pos = t.cursor + 1
	}
	s := strconv.Itoa(pos) + "/" + strconv.Itoa(len(t.view))
	if len(t.view) != len(t.rows) {
		s += " of " + strconv.Itoa(len(t.rows))
	}
	if t.query != "" {
		s += "  filter: " + t.query
	}
	if t.sortCol >= 0 {
		dir := "asc"
		if t.desc {
			dir = "desc"
		}
		s += "  sort: " + t.cols[t.sortCol].Title + " " + dir
	}
	if cols := t.visibleColumns(); len(cols) < len(t.cols) {
		s += "  cols " + strconv.Itoa(len(cols)) + "/" + strconv.Itoa(len(t.cols)) + " (←/→)"
	}
	return st.TableStatus.Render(padCut(s, t.width))
}

func alignCell(s string, c Column) string {
	if ansi.StringWidth(s) > c.Width {
		s = Truncate(s, c.Width)
	}
	if c.Right {
		return PadLeft(s, c.Width)
	}
	return PadRight(s, c.Width)
}

// Help lists the table's key bindings.
func (t *Table) Help() []key.Binding { return t.c.KeyMap.Table.help() }
