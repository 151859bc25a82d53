package tui

import (
	"strings"
	"testing"

	"github.com/btui/btui/protocol"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

func TestFormatTAO(t *testing.T) {
	tests := []struct {
		rao         uint64
		full, short string
	}{
		{0, "0.000000000 τ", "0.0000"},
		{1, "0.000000001 τ", "0.0000"},
		{protocol.RaoPerTAO, "1.000000000 τ", "1.0000"},
		{1_234_500_000_000, "1,234.500000000 τ", "1,234.5000"},
		{1_234_567_891_234, "1,234.567891234 τ", "1,234.5678"},
		{^uint64(0), "18,446,744,073.709551615 τ", "18,446,744,073.7095"},
	}
	for _, tt := range tests {
		if got := FormatTAO(tt.rao); got != tt.full {
			t.Errorf("FormatTAO(%d) = %q, want %q", tt.rao, got, tt.full)
		}
		if got := FormatTAOShort(tt.rao); got != tt.short {
			t.Errorf("FormatTAOShort(%d) = %q, want %q", tt.rao, got, tt.short)
		}
	}
}

func TestFormatRatio(t *testing.T) {
	tests := []struct {
		n, d   uint64
		places int
		want   string
	}{
		{1, 3, 4, "0.3333"},
		{2, 3, 4, "0.6666"}, // truncated, not rounded
		{5, 1, 2, "5.00"},
		{0, 7, 3, "0.000"},
		{1, 0, 3, "–"},
		{^uint64(0) - 1, ^uint64(0), 4, "0.9999"},
	}
	for _, tt := range tests {
		if got := FormatRatio(tt.n, tt.d, tt.places); got != tt.want {
			t.Errorf("FormatRatio(%d,%d,%d) = %q, want %q", tt.n, tt.d, tt.places, got, tt.want)
		}
	}
}

func TestWidthHelpers(t *testing.T) {
	addr := "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	if got := ShortAddress(addr, 13); got != "5Grwva…GKutQY" || ansi.StringWidth(got) != 13 {
		t.Errorf("ShortAddress = %q", got)
	}
	if got := ShortAddress(addr, 60); got != addr {
		t.Errorf("ShortAddress long width changed the address: %q", got)
	}
	if got := PadRight("日本語", 5); got != "日本…" || ansi.StringWidth(got) != 5 {
		t.Errorf("PadRight wide = %q (%d cells)", got, ansi.StringWidth(got))
	}
	if got := PadLeft("7", 3); got != "  7" {
		t.Errorf("PadLeft = %q", got)
	}
	if got := Center("ab", 6); got != "  ab  " {
		t.Errorf("Center = %q", got)
	}
	styled := NewStyles(true).Error.Render("abcdef")
	if w := ansi.StringWidth(PadRight(styled, 4)); w != 4 {
		t.Errorf("PadRight of a styled string is %d cells", w)
	}
	fit := FitLines("a\nbb\nccc", 2, 4)
	if fit != "a \nbb\ncc\n  " {
		t.Errorf("FitLines = %q", fit)
	}
}

func TestOverlay(t *testing.T) {
	base := "..........\n..........\n.........."
	got := Overlay(base, "AB\nCD", 3, 1)
	want := "..........\n...AB.....\n...CD....."
	if got != want {
		t.Fatalf("Overlay =\n%s\nwant\n%s", got, want)
	}
	st := NewStyles(true)
	styledBase := st.Success.Render("0123456789")
	out := Overlay(styledBase, st.Error.Render("X"), 4, 0)
	if ansi.Strip(out) != "0123X56789" {
		t.Fatalf("Overlay on styled text = %q", ansi.Strip(out))
	}
	if got := OverlayCenter(base, "##", 10, 3); strings.Split(got, "\n")[1] != "....##...." {
		t.Fatalf("OverlayCenter =\n%s", got)
	}
}

func TestSparkline(t *testing.T) {
	if got := Sparkline([]float64{0, 1, 2, 3, 4, 5, 6, 7}, 8); got != "▁▂▃▄▅▆▇█" {
		t.Errorf("Sparkline ramp = %q", got)
	}
	if got := Sparkline([]float64{0, 0}, 4); got != "  ▁▁" {
		t.Errorf("Sparkline zero = %q", got)
	}
	if got := Sparkline([]float64{3, 3}, 4); got != "  ██" {
		t.Errorf("Sparkline flat = %q", got)
	}
	if got := Sparkline([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 3); ansi.StringWidth(got) != 3 || !strings.HasSuffix(got, "█") {
		t.Errorf("Sparkline keeps the last values: %q", got)
	}
	if Sparkline(nil, 0) != "" {
		t.Error("zero width must render nothing")
	}
}

func TestBarChartScales(t *testing.T) {
	st := NewPlainStyles(true)
	bars := []Bar{{Label: "uid 0", Value: 100, Text: "100"}, {Label: "uid 1", Value: 50, Text: "50"}, {Label: "uid 2", Value: 0, Text: "0"}}
	out := ansi.Strip(BarChart(bars, bars2width, st.Plot))
	lines := strings.Split(out, "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	full := strings.Count(lines[0], "█")
	half := strings.Count(lines[1], "█")
	if full == 0 || half*2 < full-1 || half*2 > full+1 || strings.Count(lines[2], "█") != 0 {
		t.Fatalf("bars not proportional: %d %d\n%s", full, half, out)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) != bars2width {
			t.Fatalf("line width %d: %q", ansi.StringWidth(l), l)
		}
	}
}

const bars2width = 40

// Golden renders of the plots and a table frame at fixed widths in dark and light.
func TestGoldenWidgets(t *testing.T) {
	emission := []float64{0, 1.5, 3, 2.2, 4.1, 5, 4.8, 6.2, 7.5, 7.1, 8.3, 9.9, 9.1, 10.4, 12, 11.2}
	bars := []Bar{
		{Label: "5Grwva…GKutQY", Value: 1200, Text: "1,200.0000 τ"},
		{Label: "5FHneW…94ty", Value: 830.5, Text: "830.5000 τ"},
		{Label: "5FLSig…2Fso", Value: 402.25, Text: "402.2500 τ"},
		{Label: "5DAAnr…Rbr", Value: 12, Text: "12.0000 τ"},
	}
	for _, theme := range []struct {
		name string
		st   Styles
	}{{"dark", NewStyles(true)}, {"light", NewStyles(false)}} {
		for _, w := range []int{80, 120} {
			t.Run(theme.name+"_"+itoa(w), func(t *testing.T) {
				st := theme.st
				c := testCommon()
				c.Styles = st
				tb := NewTable(c, metagraphColumns())
				tb.SetRows(metagraphRows(64))
				tb.SetSize(w, 10)
				tb.Sort(2, true)
				out := strings.Join([]string{
					Sparkline(emission, w/4),
					ColumnChart(emission, w/2, 6, st.Plot, st.Axis, "12.0 τ"),
					BarChart(bars, w, st.Plot),
					tb.View(),
				}, "\n")
				golden.RequireEqual(t, out)
			})
		}
	}
}

func itoa(i int) string { return FormatInt(uint64(i)) }
