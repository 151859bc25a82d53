package tui

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
	"github.com/charmbracelet/x/ansi"
)

func testCommon() *Common {
	return &Common{Styles: NewStyles(true), KeyMap: DefaultKeyMap(), Width: 80, Height: 24, PickWords: randomPositions}
}

func metagraphColumns() []Column {
	return []Column{
		{Title: "UID", Width: 5, Right: true, Numeric: true},
		{Title: "Hotkey", Width: 14},
		{Title: "Stake", Width: 14, Right: true, Numeric: true},
		{Title: "Rank", Width: 7, Right: true, Numeric: true},
		{Title: "Trust", Width: 7, Right: true, Numeric: true},
		{Title: "Consensus", Width: 9, Right: true, Numeric: true},
		{Title: "Incentive", Width: 9, Right: true, Numeric: true},
		{Title: "Dividends", Width: 9, Right: true, Numeric: true},
		{Title: "Emission", Width: 12, Right: true, Numeric: true},
		{Title: "VTrust", Width: 7, Right: true, Numeric: true},
		{Title: "Permit", Width: 6},
		{Title: "Updated", Width: 8, Right: true, Numeric: true},
		{Title: "Active", Width: 6},
	}
}

func metagraphRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		stake := uint64((i*7919)%100000) * protocol.RaoPerTAO / 7
		rows[i] = Row{Key: strconv.Itoa(i), Cells: []string{
			strconv.Itoa(i), ShortAddress(pseudoAddress(strconv.Itoa(i)), 14), FormatTAOShort(stake),
			fmt.Sprintf("0.%04d", (i*37)%10000), fmt.Sprintf("0.%04d", (i*53)%10000), fmt.Sprintf("0.%04d", (i*71)%10000),
			fmt.Sprintf("0.%04d", (i*13)%10000), fmt.Sprintf("0.%04d", (i*17)%10000), FormatTAOShort(uint64(i) * 1000),
			"0.5000", map[bool]string{true: "yes", false: "no"}[i%8 == 0], strconv.Itoa(1000 - i%1000), "yes",
		}}
	}
	return rows
}

func press(t *Table, keys ...string) {
	for _, k := range keys {
		if rest, ok := strings.CutPrefix(k, "text:"); ok {
			for _, r := range rest {
				t.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		t.Update(keyMsg(k))
	}
}

func TestTableRendersOnlyVisibleRows(t *testing.T) {
	c := testCommon()
	tb := NewTable(c, metagraphColumns())
	tb.SetRows(metagraphRows(4096))
	tb.SetSize(120, 20)
	out := ansi.Strip(tb.View())
	lines := strings.Split(out, "\n")
	if len(lines) != 20 {
		t.Fatalf("%d lines, want 20", len(lines))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != 120 {
			t.Fatalf("line %d width %d", i, w)
		}
	}
	if !strings.Contains(lines[1], "    0 ") || !strings.Contains(lines[18], "   17 ") {
		t.Fatalf("unexpected rows:\n%s", out)
	}
	if !strings.Contains(lines[19], "1/4096") {
		t.Fatalf("status line %q", lines[19])
	}
	press(tb, "G")
	out = ansi.Strip(tb.View())
	if !strings.Contains(out, " 4095 ") || strings.Contains(out, "\n    0 ") {
		t.Fatalf("after G the last rows must show:\n%s", out)
	}
	press(tb, "g", "down", "down", "j")
	if tb.Cursor() != 3 {
		t.Fatalf("cursor %d, want 3", tb.Cursor())
	}
	press(tb, "pgdown")
	if tb.Cursor() != 3+18 {
		t.Fatalf("pgdown: cursor %d, want 21", tb.Cursor())
	}
}

func TestTableFilterAndSort(t *testing.T) {
	c := testCommon()
	tb := NewTable(c, metagraphColumns())
	tb.SetRows(metagraphRows(300))
	tb.SetSize(120, 12)

	press(tb, "/")
	if !tb.Filtering() {
		t.Fatal("/ did not open the filter")
	}
	press(tb, "text:29")
	// every row still shown contains "29" in some cell
	for i := 0; i < tb.Len(); i++ {
		tb.cursor = i
		r, _ := tb.Selected()
		if !rowMatches(r, "29") {
			t.Fatalf("row %v does not match the filter", r.Cells)
		}
	}
	if tb.Len() == 0 || tb.Len() == 300 {
		t.Fatalf("filter kept %d rows", tb.Len())
	}
	press(tb, "enter")
	if tb.Filtering() || tb.Query() != "29" {
		t.Fatal("enter should keep the filter and leave the input")
	}
	if out := ansi.Strip(tb.View()); !strings.Contains(out, "of 300") || !strings.Contains(out, "filter: 29") {
		t.Fatalf("status does not show the filter:\n%s", out)
	}
	press(tb, "esc")
	if tb.Len() != 300 {
		t.Fatal("esc did not clear the filter")
	}

	// sort by the numeric Stake column, descending: values must not increase
	press(tb, "s", "s", "S") // the picker, Stake's letter (ascending), then S reverses
	col, desc := tb.SortState()
	if col != 2 || !desc {
		t.Fatalf("sort state %d %v, want 2 desc", col, desc)
	}
	prev := 1e308
	for _, vi := range tb.view {
		v := parseSortNumber(tb.rows[vi].Cells[2])
		if v > prev {
			t.Fatalf("not sorted descending: %v after %v", v, prev)
		}
		prev = v
	}
	if out := ansi.Strip(tb.View()); !strings.Contains(out, "Stake↓") {
		t.Fatalf("no sort mark in header:\n%s", out)
	}
	// numeric, not lexical: UID ascending puts 2 before 10
	tb.Sort(0, false)
	if tb.rows[tb.view[2]].Key != "2" || tb.rows[tb.view[10]].Key != "10" {
		t.Fatal("numeric sort of UID is wrong")
	}
}

func TestTableKeepsSelectionAcrossUpdates(t *testing.T) {
	c := testCommon()
	tb := NewTable(c, metagraphColumns())
	tb.SetRows(metagraphRows(100))
	tb.SetSize(120, 12)
	tb.SelectKey("42")
	rows := metagraphRows(100)
	rows = append(rows[:10], rows[11:]...) // uid 10 leaves; 42 moves up one place
	tb.SetRows(rows)
	if k, _ := tb.SelectedKey(); k != "42" {
		t.Fatalf("selection moved to %s", k)
	}
	tb.SetRows(nil)
	if _, ok := tb.Selected(); ok {
		t.Fatal("selection on an empty table")
	}
	if out := ansi.Strip(tb.View()); !strings.Contains(out, "no rows") {
		t.Fatalf("empty table view:\n%s", out)
	}
}

func TestTableHorizontalScroll(t *testing.T) {
	c := testCommon()
	tb := NewTable(c, metagraphColumns())
	tb.SetRows(metagraphRows(10))
	tb.SetSize(80, 8)
	out := ansi.Strip(tb.View())
	if strings.Contains(out, "Active") || !strings.Contains(out, "cols ") {
		t.Fatalf("at 80 columns not everything fits:\n%s", out)
	}
	for range 12 {
		press(tb, "l")
	}
	out = ansi.Strip(tb.View())
	if !strings.Contains(out, "Active") || !strings.Contains(out, "UID") {
		t.Fatalf("scrolled right: the last column and the pinned UID must show:\n%s", out)
	}
	if strings.Contains(out, "Hotkey") {
		t.Fatalf("scrolled right but the first scrolling column still shows:\n%s", out)
	}
}

func TestParseSortNumber(t *testing.T) {
	for in, want := range map[string]float64{"1,234.5 τ": 1234.5, " 7 ": 7, "-0.25": -0.25, "0.0001": 0.0001} {
		if got := parseSortNumber(in); got != want {
			t.Errorf("parseSortNumber(%q) = %v, want %v", in, got, want)
		}
	}
	if parseSortNumber("n/a") >= parseSortNumber("0") {
		t.Error("cells without a number must sort first")
	}
}

// BenchmarkMetagraphFrame renders one frame of a 4,096-row metagraph table at 120×40.
// Target: ≤ 5 ms per frame.
func BenchmarkMetagraphFrame(b *testing.B) {
	c := testCommon()
	tb := NewTable(c, metagraphColumns())
	tb.SetRows(metagraphRows(4096))
	tb.SetSize(120, 36)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		tb.MoveCursor(7) // scroll so each frame shows different rows
		if tb.Cursor() == tb.Len()-1 {
			tb.cursor = 0
		}
		_ = tb.View()
	}
}

// pseudoAddress is a cheap SS58-looking string for bulk table rows (deriving 4,096 real
// keys would dominate the test's time).
func pseudoAddress(seed string) string {
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	h := uint64(1469598103934665603)
	var b strings.Builder
	b.WriteByte('5')
	for i := 0; b.Len() < 48; i++ {
		for _, c := range []byte(seed) {
			h ^= uint64(c) + uint64(i)
			h *= 1099511628211
		}
		b.WriteByte(alphabet[h%uint64(len(alphabet))])
	}
	return b.String()
}

// pseudoAccount is a deterministic account for seed (render tests).
func pseudoAccount(seed string) wallet.AccountID {
	var id wallet.AccountID
	h := uint64(1469598103934665603)
	for i := range id {
		for _, c := range []byte(seed) {
			h = (h ^ uint64(c)) * 1099511628211
		}
		h = (h ^ uint64(i)) * 1099511628211
		id[i] = byte(h >> 32)
	}
	return id
}

// pseudoHash is a deterministic hash for n (render tests).
func pseudoHash(n uint64) protocol.Hash {
	var h protocol.Hash
	x := n*0x9e3779b97f4a7c15 + 1
	for i := range h {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		h[i] = byte(x)
	}
	return h
}
