package tui

import (
	"math/bits"
	"strconv"
	"strings"

	"github.com/btui/btui/protocol"
	"github.com/charmbracelet/x/ansi"
)

// Pure render helpers: fixed-width inputs in, strings out. Widths are terminal cells,
// measured with x/ansi so styled and wide text line up.

// FormatTAO renders an amount of rao as TAO with all 9 decimals and thousands separators,
// exactly (no floating point): 1234500000000 -> "1,234.500000000 τ".
func FormatTAO(rao uint64) string {
	return formatUnits(rao, 9) + " τ"
}

// FormatTAOShort renders rao as TAO with at most 4 decimals, truncated toward zero, for
// tables: 1234567891234 -> "1,234.5678".
func FormatTAOShort(rao uint64) string {
	whole := rao / protocol.RaoPerTAO
	frac := (rao % protocol.RaoPerTAO) / 100_000 // 4 decimals
	s := groupThousands(strconv.FormatUint(whole, 10))
	return s + "." + leftPadZeros(strconv.FormatUint(frac, 10), 4)
}

func formatUnits(v uint64, decimals int) string {
	var pow uint64 = 1
	for range decimals {
		pow *= 10
	}
	whole, frac := v/pow, v%pow
	return groupThousands(strconv.FormatUint(whole, 10)) + "." + leftPadZeros(strconv.FormatUint(frac, 10), decimals)
}

func leftPadZeros(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// groupThousands inserts commas into a string of decimal digits.
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// FormatInt renders an integer with thousands separators.
func FormatInt(v uint64) string { return groupThousands(strconv.FormatUint(v, 10)) }

// FormatRatio renders a fixed-point fraction num/den (den > 0) as a decimal with places
// digits, truncated: FormatRatio(1, 3, 4) = "0.3333". A zero denominator renders "–".
func FormatRatio(num, den uint64, places int) string {
	if den == 0 {
		return "–"
	}
	whole := num / den
	rem := num % den
	var b strings.Builder
	b.WriteString(strconv.FormatUint(whole, 10))
	if places > 0 {
		b.WriteByte('.')
		for range places {
			// rem < den, so the 128-bit rem*10 divided by den is a single digit.
			hi, lo := bits.Mul64(rem, 10)
			var d uint64
			d, rem = bits.Div64(hi, lo, den)
			b.WriteByte(byte('0' + d))
		}
	}
	return b.String()
}

// ShortAddress abbreviates an SS58 address to width cells keeping both ends:
// "5GrwvaEF…oHGKutQY". Shorter addresses are returned unchanged.
func ShortAddress(addr string, width int) string {
	if ansi.StringWidth(addr) <= width || width < 5 {
		return Truncate(addr, width)
	}
	keep := width - 1
	head := (keep + 1) / 2
	tail := keep - head
	return addr[:head] + "…" + addr[len(addr)-tail:]
}

// Truncate cuts s to at most width cells, ending with "…" when it was cut.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// PadRight truncates or pads s with spaces to exactly width cells.
func PadRight(s string, width int) string {
	s = Truncate(s, width)
	if w := ansi.StringWidth(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// PadLeft truncates or pads s on the left to exactly width cells (right-aligned).
func PadLeft(s string, width int) string {
	s = Truncate(s, width)
	if w := ansi.StringWidth(s); w < width {
		return strings.Repeat(" ", width-w) + s
	}
	return s
}

// Center pads s on both sides to width cells.
func Center(s string, width int) string {
	s = Truncate(s, width)
	w := ansi.StringWidth(s)
	if w >= width {
		return s
	}
	left := (width - w) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", width-w-left)
}

// KV renders "label  value" with the label padded to labelWidth cells and the whole line
// cut to width.
func KV(label, value string, labelWidth, width int) string {
	return Truncate(PadRight(label, labelWidth)+" "+value, width)
}

// FitLines makes s exactly height lines of exactly width cells: long lines are cut, short
// ones padded, missing lines added, extra lines dropped. Views use it so a page never
// spills out of its area.
func FitLines(s string, width, height int) string {
	if height <= 0 || width <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	var b strings.Builder
	for i := range height {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(padCut(lines[i], width))
		} else {
			b.WriteString(strings.Repeat(" ", width))
		}
	}
	return b.String()
}

// padCut cuts a possibly styled line to width cells (without an ellipsis, keeping
// styles intact) and pads it with spaces.
func padCut(line string, width int) string {
	w := ansi.StringWidth(line)
	if w > width {
		line = ansi.Truncate(line, width, "")
		w = ansi.StringWidth(line)
	}
	if w < width {
		line += strings.Repeat(" ", width-w)
	}
	return line
}

// Overlay draws top over base with its top-left corner at (x, y), cell-accurately and
// keeping the styles of both. Lines of top beyond base are dropped.
func Overlay(base, top string, x, y int) string {
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	bl := strings.Split(base, "\n")
	tl := strings.Split(top, "\n")
	for i, t := range tl {
		row := y + i
		if row >= len(bl) {
			break
		}
		line := bl[row]
		lw := ansi.StringWidth(line)
		tw := ansi.StringWidth(t)
		left := ansi.Truncate(line, x, "")
		if lw < x {
			left += strings.Repeat(" ", x-lw)
		}
		right := ""
		if lw > x+tw {
			right = ansi.TruncateLeft(line, x+tw, "")
		}
		bl[row] = left + t + right
	}
	return strings.Join(bl, "\n")
}

// OverlayCenter draws top centred over base, which is width×height cells.
func OverlayCenter(base, top string, width, height int) string {
	tw, th := blockSize(top)
	return Overlay(base, top, max(0, (width-tw)/2), max(0, (height-th)/2))
}

func blockSize(s string) (w, h int) {
	lines := strings.Split(s, "\n")
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	return w, len(lines)
}

// plural is "1 block" or "7 blocks".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
