package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// textTable prints rows in columns as wide as their content (two spaces apart), numbers
// right-aligned. On a terminal narrower than the table, the shrink column (an address) is
// cut in the middle ("5DRej4…8JQ8") until the table fits; piped output is never cut, so
// scripts always see whole values. If the table still does not fit, the Drop columns are left
// out, in that order (--json always has everything).
type textTable struct {
	Head   []string
	Right  []bool // right-align column i
	Shrink int    // the column that may be cut to fit; -1 for none
	Drop   []int  // columns left out, in this order, when the table is still too wide
	rows   [][]string
}

func (t *textTable) add(cells ...string) { t.rows = append(t.rows, cells) }

func cellWidth(s string) int { return utf8.RuneCountInString(s) }

// middleCut shortens s to n runes by replacing its middle with "…".
func middleCut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 5 {
		return s
	}
	head := (n - 1) / 2
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// render writes the table; width is the terminal's width, 0 when there is no limit.
func (t *textTable) render(w io.Writer, width int) {
	widths := make([]int, len(t.Head))
	for _, row := range append([][]string{t.Head}, t.rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], cellWidth(c))
		}
	}
	hidden := make([]bool, len(widths))
	total := func() int {
		n := -2
		for i, x := range widths {
			if !hidden[i] {
				n += x + 2
			}
		}
		return n
	}
	cut := -1
	if width > 0 && total() > width && t.Shrink >= 0 {
		// Keep at least 13 runes of an address (6 + … + 6).
		cut = max(13, widths[t.Shrink]-(total()-width), cellWidth(t.Head[t.Shrink]))
		widths[t.Shrink] = min(widths[t.Shrink], cut)
	}
	for _, d := range t.Drop {
		if width == 0 || total() <= width {
			break
		}
		hidden[d] = true
	}
	for _, row := range append([][]string{t.Head}, t.rows...) {
		var b strings.Builder
		for i, c := range row {
			if hidden[i] {
				continue
			}
			if i == t.Shrink && cut > 0 {
				c = middleCut(c, cut)
			}
			pad := strings.Repeat(" ", widths[i]-cellWidth(c))
			if b.Len() > 0 {
				b.WriteString("  ")
			}
			if i < len(t.Right) && t.Right[i] {
				b.WriteString(pad + c)
			} else if i < len(row)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
