package tui

import (
	"math"
	"strings"

	"charm.land/lipgloss/v2"
)

// Plots for the places where a person would rather look than read: emission or
// incentive over the last epochs (sparkline, column chart) and the distribution of stake
// or incentive across neurons (bar chart). Values are display-only float64s.

var sparkRunes = []rune("▁▂▃▄▅▆▇█")

// Sparkline renders the last width values as a one-line chart scaled between the
// minimum (or zero, whichever is lower) and the maximum. Fewer values than width are
// right-aligned; an empty or all-zero series renders a flat baseline.
func Sparkline(values []float64, width int) string {
	if width <= 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	lo, hi := 0.0, 0.0
	for _, v := range values {
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	return SparklineScaled(values, width, lo, hi)
}

// SparklineScaled is Sparkline on a given scale [lo, hi], so that several series drawn one
// under the other compare: the same height means the same value.
func SparklineScaled(values []float64, width int, lo, hi float64) string {
	if width <= 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	var b strings.Builder
	b.Grow(width * 3)
	for range width - len(values) {
		b.WriteByte(' ')
	}
	for _, v := range values {
		idx := 0
		if hi > lo {
			idx = int((v - lo) / (hi - lo) * float64(len(sparkRunes)-1))
		}
		idx = min(max(idx, 0), len(sparkRunes)-1)
		b.WriteRune(sparkRunes[idx])
	}
	return b.String()
}

// Stretch repeats each value k times, so that a short series (a few epochs) fills a wider
// chart with one k-cell column per value.
func Stretch(values []float64, k int) []float64 {
	if k <= 1 {
		return values
	}
	out := make([]float64, 0, len(values)*k)
	for _, v := range values {
		for range k {
			out = append(out, v)
		}
	}
	return out
}

// Bar is one labelled value of a bar chart.
type Bar struct {
	Label string
	Value float64
	Text  string // the value as shown; empty means no value text
}

var eighths = []rune(" ▏▎▍▌▋▊▉")

// BarChart renders one horizontal bar per item, scaled so the largest fills the space
// left after the labels and value texts, with eighth-cell resolution. The result is
// exactly len(bars) lines of width cells.
func BarChart(bars []Bar, width int, bar lipgloss.Style) string {
	if width <= 0 || len(bars) == 0 {
		return ""
	}
	labelW, textW := 0, 0
	maxV := 0.0
	for _, b := range bars {
		labelW = max(labelW, lipgloss.Width(b.Label))
		textW = max(textW, lipgloss.Width(b.Text))
		maxV = math.Max(maxV, b.Value)
	}
	labelW = min(labelW, width/3)
	barW := width - labelW - 1
	if textW > 0 {
		barW -= textW + 1
	}
	if barW < 1 {
		barW = 1
	}
	lines := make([]string, len(bars))
	for i, b := range bars {
		cells := 0.0
		if maxV > 0 && b.Value > 0 {
			cells = b.Value / maxV * float64(barW)
		}
		line := PadRight(b.Label, labelW) + " " + bar.Render(barString(cells, barW))
		if textW > 0 {
			line += " " + PadLeft(b.Text, textW)
		}
		lines[i] = padCut(line, width)
	}
	return strings.Join(lines, "\n")
}

// barString draws cells (fractional) of a bar in exactly width cells.
func barString(cells float64, width int) string {
	full := int(cells)
	full = min(full, width)
	rest := int((cells - float64(full)) * 8)
	var b strings.Builder
	b.WriteString(strings.Repeat("█", full))
	n := full
	if n < width && rest > 0 {
		b.WriteRune(eighths[rest])
		n++
	}
	b.WriteString(strings.Repeat(" ", width-n))
	return b.String()
}

var columnRunes = []rune(" ▁▂▃▄▅▆▇█")

// ColumnChart renders values as vertical columns, height rows tall, one column per value
// (the last width values), with a baseline axis and the max value's label. Used for
// emission or incentive over epochs.
func ColumnChart(values []float64, width, height int, bar, axis lipgloss.Style, maxLabel string) string {
	if len(values) > width && width > 0 {
		values = values[len(values)-width:]
	}
	maxV := 0.0
	for _, v := range values {
		maxV = math.Max(maxV, v)
	}
	return ColumnChartScaled(values, width, height, maxV, bar, axis, maxLabel)
}

// ColumnChartScaled is ColumnChart with the full height standing for maxV, so that several
// charts drawn one under the other compare (small multiples).
func ColumnChartScaled(values []float64, width, height int, maxV float64, bar, axis lipgloss.Style, maxLabel string) string {
	if width <= 0 || height < 2 {
		return ""
	}
	plotH := height - 1
	if len(values) > width {
		values = values[len(values)-width:]
	}
	rows := make([]string, plotH)
	for r := range plotH {
		var b strings.Builder
		// level of the bottom of this row, in eighths
		rowFromBottom := plotH - 1 - r
		for range width - len(values) {
			b.WriteByte(' ')
		}
		for _, v := range values {
			eighthsTall := 0
			if maxV > 0 && v > 0 {
				eighthsTall = int(math.Round(v / maxV * float64(plotH*8)))
			}
			level := eighthsTall - rowFromBottom*8
			level = min(max(level, 0), 8)
			b.WriteRune(columnRunes[level])
		}
		rows[r] = bar.Render(b.String())
	}
	if maxLabel != "" {
		rows[0] = Overlay(rows[0], axis.Render(Truncate(maxLabel, width)), 0, 0)
	}
	base := axis.Render(strings.Repeat("─", width))
	return strings.Join(append(rows, base), "\n")
}

// Resample shrinks values to at most n points, each the mean of its bucket, so a long
// series (4,096 neurons) fits a short sparkline without dropping its tail.
func Resample(values []float64, n int) []float64 {
	if n <= 0 || len(values) <= n {
		return values
	}
	out := make([]float64, n)
	for i := range n {
		lo := i * len(values) / n
		hi := (i + 1) * len(values) / n
		sum := 0.0
		for _, v := range values[lo:hi] {
			sum += v
		}
		out[i] = sum / float64(hi-lo)
	}
	return out
}
