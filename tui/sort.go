package tui

import (
	"slices"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Per-column sorting (k9s' habit). `s` opens the sort picker: the table's header shows
// each column's sort letter highlighted in its title (before it when the title lacks the
// letter) and the status line says what to press; the letter sorts by that column ascending, the letter of the current sort column
// reverses it, a capital letter sorts descending, 0 restores the table's own order and esc
// leaves the picker. `S` reverses the current sort at any time. The header marks the sort
// column with ↑ or ↓, and the choice of the Wallets, Stake, Subnets and metagraph tables is
// remembered in the state file (rememberViews).

// sortLetters gives each column a letter: the first letter of a word of its title that no
// earlier column took, else any other letter or digit of it, else the first free letter.
func sortLetters(cols []Column) []rune {
	taken := map[rune]bool{'0': true} // 0 restores the table's order
	out := make([]rune, len(cols))
	for i, c := range cols {
		var cands []rune
		for _, w := range strings.FieldsFunc(c.Title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			cands = append(cands, []rune(strings.ToLower(w))[0])
		}
		for _, r := range strings.ToLower(c.Title) {
			cands = append(cands, r)
		}
		for r := 'a'; r <= 'z'; r++ {
			cands = append(cands, r)
		}
		for _, r := range cands {
			if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) || taken[r] {
				continue
			}
			out[i], taken[r] = r, true
			break
		}
	}
	return out
}

// SortLetter is the key that sorts by column i in the picker (tests, help).
func (t *Table) SortLetter(i int) rune {
	if i < 0 || i >= len(t.letters) {
		return 0
	}
	return t.letters[i]
}

// Picking reports whether the sort picker is up.
func (t *Table) Picking() bool { return t.picking }

// pick handles a key while the sort picker is up.
func (t *Table) pick(km tea.KeyPressMsg) {
	k := t.c.KeyMap.Table
	switch {
	case km.Code == tea.KeyEscape:
		t.picking = false
		return
	case km.Code == tea.KeyLeft:
		t.colOff = max(0, t.colOff-1)
		return
	case km.Code == tea.KeyRight:
		if t.colOff < len(t.cols)-2 && !t.lastColumnVisible() {
			t.colOff++
		}
		return
	}
	r := []rune(km.Text)
	if len(r) != 1 {
		return
	}
	if r[0] == '0' {
		t.picking = false
		t.Sort(-1, false)
		return
	}
	lower := unicode.ToLower(r[0])
	col := slices.Index(t.letters, lower)
	if col < 0 {
		if key.Matches(km, k.SortReverse) && t.sortCol >= 0 {
			t.picking = false
			t.Sort(t.sortCol, !t.desc)
		}
		return // not a column's letter: the picker stays up
	}
	t.picking = false
	desc := unicode.IsUpper(r[0])
	if col == t.sortCol && !desc {
		desc = !t.desc
	}
	t.Sort(col, desc)
}

// pickerCell is column ci's header cell in the picker: its title with the sort letter
// highlighted (reverse video, so it shows without colour too), or the letter before the title
// when the title does not contain it.
func (t *Table) pickerCell(ci int) string {
	st := &t.c.Styles
	c := t.cols[ci]
	mark := st.TableSortMark.Bold(true).Reverse(true)
	title := t.cols[ci].Title
	if ci == t.sortCol {
		title += map[bool]string{false: "↑", true: "↓"}[t.desc]
	}
	rs := []rune(title)
	var cell string
	if i := slices.IndexFunc(rs, func(r rune) bool { return unicode.ToLower(r) == t.letters[ci] }); i >= 0 && i < c.Width {
		rs = []rune(Truncate(title, c.Width))
		cell = st.TableHeader.Render(string(rs[:i])) + mark.Render(string(rs[i])) + st.TableHeader.Render(string(rs[i+1:]))
	} else {
		rs = []rune(Truncate(title, max(0, c.Width-2)))
		cell = mark.Render(string(t.letters[ci])) + " " + st.TableHeader.Render(string(rs))
		rs = append([]rune{t.letters[ci], ' '}, rs...)
	}
	pad := max(0, c.Width-ansi.StringWidth(string(rs)))
	if c.Right {
		return strings.Repeat(" ", pad) + cell
	}
	return cell + strings.Repeat(" ", pad)
}

// regroup keeps a tree's children under their parents after a sort: the top rows in sorted
// order, each followed by its children in sorted order. A child whose parent is filtered
// out stays where the sort put it.
func (t *Table) regroup() {
	in := map[string]bool{}
	for _, ri := range t.view {
		if t.parentOf(t.rows[ri]) == "" {
			in[t.rows[ri].Key] = true
		}
	}
	children := map[string][]int{}
	top := make([]int, 0, len(t.view))
	for _, ri := range t.view {
		if p := t.parentOf(t.rows[ri]); p != "" && in[p] {
			children[p] = append(children[p], ri)
			continue
		}
		top = append(top, ri)
	}
	out := t.view[:0]
	for _, ri := range top {
		out = append(out, ri)
		out = append(out, children[t.rows[ri].Key]...)
	}
	t.view = out
}

// walletParent is the Wallets tree's parent of a row: the wallet of a "wallet/hotkey" row.
func walletParent(r Row) string {
	w, _, ok := strings.Cut(r.Key, "/")
	if !ok {
		return ""
	}
	return w
}

// savedSort is a table's sort choice in the state file: the column by its title.
type savedSort struct {
	Column string `json:"column"`
	Desc   bool   `json:"desc,omitempty"`
}

// eachSortTable calls fn with each table whose sort choice is remembered, by its name in
// the state file.
func (a *App) eachSortTable(fn func(id string, t *Table)) {
	for _, p := range a.pages {
		switch p := p.(type) {
		case *walletsPage:
			fn("wallets", p.table)
		case *stakePage:
			fn("stake", p.table)
		case *subnetsPage:
			fn("subnets", p.list)
			fn("metagraph", p.meta)
		}
	}
}

// rememberSorts restores the saved sort of a table seen for the first time (a new page)
// and records the sort of the others; it reports whether the state changed.
func (a *App) rememberSorts() bool {
	changed := false
	a.eachSortTable(func(id string, t *Table) {
		if t.persistID == "" {
			t.persistID = id
			if id == "wallets" {
				t.parentOf = walletParent
			}
			if s, ok := a.c.State.Sorts[id]; ok {
				for i, c := range t.cols {
					if c.Title == s.Column {
						t.Sort(i, s.Desc)
					}
				}
			}
			return
		}
		col, desc := t.SortState()
		s, had := a.c.State.Sorts[id]
		if col < 0 {
			if had {
				delete(a.c.State.Sorts, id)
				changed = true
			}
			return
		}
		want := savedSort{Column: t.cols[col].Title, Desc: desc}
		if !had || s != want {
			if a.c.State.Sorts == nil {
				a.c.State.Sorts = map[string]savedSort{}
			}
			a.c.State.Sorts[id] = want
			changed = true
		}
	})
	return changed
}
