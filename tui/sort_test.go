package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Each column gets its own letter, the first letter of a word of its title when free.
func TestSortLetters(t *testing.T) {
	got := string(sortLetters(metagraphCols()))
	// UID Hotkey Coldkey Stake Rank Trust Consens Incent Divid Emission VTrust Permit Updated Active
	if want := "uhcsrtoidevpa"; !strings.HasPrefix(got, want[:12]) {
		t.Fatalf("metagraph letters %q, want them to start %q", got, want[:12])
	}
	seen := map[rune]bool{}
	for _, r := range got {
		if seen[r] || r == '0' || r == 0 {
			t.Fatalf("letter %q given twice or not at all in %q", r, got)
		}
		seen[r] = true
	}
}

// The picker: letters in the header, a letter sorts, the same again reverses, a capital is
// descending, 0 restores the order, esc leaves; ← and → scroll to the columns off screen.
func TestSortPicker(t *testing.T) {
	c := testCommon()
	tb := NewTable(c, metagraphColumns())
	tb.SetRows(metagraphRows(50))
	tb.SetSize(60, 12)
	press(tb, "s")
	if !tb.Picking() || !tb.Filtering() {
		t.Fatal("s did not open the picker (or the page would not give it the keys)")
	}
	if out := ansi.Strip(tb.View()); !strings.Contains(out, "sort by the highlighted letter") {
		t.Fatalf("no picker status line:\n%s", out)
	}
	press(tb, "x") // no column's letter: the picker stays
	if !tb.Picking() {
		t.Fatal("a key that is no column's letter closed the picker")
	}
	press(tb, "r") // Rank
	if col, desc := tb.SortState(); col != 3 || desc || tb.Picking() {
		t.Fatalf("r: sort %d %v picking=%v, want Rank ascending", col, desc, tb.Picking())
	}
	press(tb, "s", "r")
	if col, desc := tb.SortState(); col != 3 || !desc {
		t.Fatalf("r again: sort %d %v, want Rank descending", col, desc)
	}
	press(tb, "s", "U")
	if col, desc := tb.SortState(); col != 0 || !desc {
		t.Fatalf("U: sort %d %v, want UID descending", col, desc)
	}
	if k, _ := tb.SelectedKey(); k != "0" { // the selection follows its row
		t.Fatalf("selection moved to %s", k)
	}
	press(tb, "s", "0")
	if col, _ := tb.SortState(); col != -1 {
		t.Fatal("0 did not restore the order")
	}
	press(tb, "s", "right", "right", "esc")
	if tb.Picking() || tb.colOff != 2 {
		t.Fatalf("picking=%v colOff=%d after →→esc", tb.Picking(), tb.colOff)
	}
}

// Rows grouped under a parent stay under it when sorted (the Wallets tree).
func TestSortKeepsTree(t *testing.T) {
	c := testCommon()
	tb := NewTable(c, []Column{{Title: "Name", Width: 10}, {Title: "Free", Width: 8, Right: true, Numeric: true}})
	tb.parentOf = walletParent
	tb.SetRows([]Row{
		{Key: "a", Cells: []string{"a", "5"}}, {Key: "a/h1", Cells: []string{"h1", "9"}}, {Key: "a/h2", Cells: []string{"h2", "1"}},
		{Key: "b", Cells: []string{"b", "7"}}, {Key: "b/h1", Cells: []string{"h1", "0"}},
	})
	tb.Sort(1, true)
	var order []string
	for _, vi := range tb.view {
		order = append(order, tb.rows[vi].Key)
	}
	if got := strings.Join(order, " "); got != "b b/h1 a a/h1 a/h2" {
		t.Fatalf("sorted tree %s", got)
	}
}

// The Simulation page gives the filter and the sort picker its letters (d would otherwise
// start the demo).
func TestSimPageFilterTakesLetters(t *testing.T) {
	d := newDriver(t, Options{Pages: func(c *Common) []Page { return []Page{newSimPage(c)} }}, 100, 30)
	d.keys("/", "text:dox", "enter")
	p := d.app.Active().(*simPage)
	if p.table.Query() != "dox" {
		t.Fatalf("filter %q, want dox", p.table.Query())
	}
	if d.app.banner != nil { // d (start the demo) would have said the console has no simulator
		t.Fatalf("typing in the filter acted on the page: %q", d.app.banner.text)
	}
	d.keys("s", "d")
	if !p.table.Picking() {
		t.Fatal("d in the sort picker left it")
	}
}
