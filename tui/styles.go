package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// palette is the semantic colour set. Only this file names concrete colours.
type palette struct {
	Text, Muted, Subtle, Border         color.Color
	Accent, AccentText, Highlight, OnHi color.Color
	Success, Warning, Error, Info       color.Color
	OnBanner                            color.Color
	Plot, PlotAlt                       color.Color
}

func newPalette(isDark bool) palette {
	ld := lipgloss.LightDark(isDark)
	c := lipgloss.Color
	return palette{
		Text:       ld(c("#1F1F24"), c("#E4E4EA")),
		Muted:      ld(c("#5F5F6B"), c("#9A9AA8")),
		Subtle:     ld(c("#9A9AA6"), c("#5C5C68")),
		Border:     ld(c("#B8B8C4"), c("#44444F")),
		Accent:     ld(c("#5B3FD1"), c("#A58BFF")),
		AccentText: ld(c("#FFFFFF"), c("#15121F")),
		Highlight:  ld(c("#E3DDFB"), c("#35305A")),
		OnHi:       ld(c("#15121F"), c("#FFFFFF")),
		Success:    ld(c("#1B7F3B"), c("#5FD68A")),
		Warning:    ld(c("#9A6400"), c("#F2C14E")),
		Error:      ld(c("#B3261E"), c("#FF6B6B")),
		Info:       ld(c("#0B6BCB"), c("#6CB6FF")),
		OnBanner:   ld(c("#FFFFFF"), c("#111111")),
		Plot:       ld(c("#5B3FD1"), c("#A58BFF")),
		PlotAlt:    ld(c("#0B6BCB"), c("#6CB6FF")),
	}
}

// plainPalette has no colours at all: NO_COLOR terminals get text decoration only.
func plainPalette() palette {
	n := lipgloss.NoColor{}
	return palette{n, n, n, n, n, n, n, n, n, n, n, n, n, n, n}
}

// Styles is every style the console uses, derived from one palette.
type Styles struct {
	IsDark  bool
	NoColor bool

	App        lipgloss.Style
	Header     lipgloss.Style
	Brand      lipgloss.Style
	Tab        lipgloss.Style
	TabActive  lipgloss.Style
	Network    lipgloss.Style
	Height     lipgloss.Style
	Footer     lipgloss.Style
	Title      lipgloss.Style
	Subtitle   lipgloss.Style
	Text       lipgloss.Style
	Muted      lipgloss.Style
	Label      lipgloss.Style
	Value      lipgloss.Style
	Bold       lipgloss.Style
	Success    lipgloss.Style
	Warning    lipgloss.Style
	Error      lipgloss.Style
	Info       lipgloss.Style
	Box        lipgloss.Style
	BoxTitle   lipgloss.Style
	Selected   lipgloss.Style
	Cursorline lipgloss.Style

	ErrorBanner lipgloss.Style
	WarnBanner  lipgloss.Style
	InfoBanner  lipgloss.Style

	TableHeader   lipgloss.Style
	TableRow      lipgloss.Style
	TableSelected lipgloss.Style
	TableSortMark lipgloss.Style
	TableStatus   lipgloss.Style

	Dialog       lipgloss.Style
	DialogTitle  lipgloss.Style
	Button       lipgloss.Style
	ButtonActive lipgloss.Style

	Plot    lipgloss.Style
	PlotAlt lipgloss.Style
	Axis    lipgloss.Style

	Spinner  lipgloss.Style
	Progress [2]color.Color // gradient endpoints for bubbles/progress

	Help  help.Styles
	Input textinput.Styles
}

// NewStyles builds the styles for a dark or light terminal background.
func NewStyles(isDark bool) Styles {
	s := buildStyles(newPalette(isDark), false)
	s.IsDark = isDark
	return s
}

// NewPlainStyles builds colourless styles (NO_COLOR): emphasis by bold, underline and
// reverse video only.
func NewPlainStyles(isDark bool) Styles {
	s := buildStyles(plainPalette(), true)
	s.IsDark = isDark
	return s
}

func buildStyles(p palette, plain bool) Styles {
	ns := lipgloss.NewStyle
	s := Styles{NoColor: plain}
	s.App = ns().Foreground(p.Text)
	s.Header = ns().Foreground(p.Text)
	s.Brand = ns().Bold(true).Foreground(p.Accent)
	s.Tab = ns().Foreground(p.Muted).Padding(0, 1)
	s.TabActive = ns().Bold(true).Foreground(p.AccentText).Background(p.Accent).Padding(0, 1)
	s.Network = ns().Foreground(p.Info)
	s.Height = ns().Bold(true).Foreground(p.Success)
	s.Footer = ns().Foreground(p.Muted)
	s.Title = ns().Bold(true).Foreground(p.Accent)
	s.Subtitle = ns().Bold(true).Foreground(p.Text)
	s.Text = ns().Foreground(p.Text)
	s.Muted = ns().Foreground(p.Muted)
	s.Label = ns().Foreground(p.Muted)
	s.Value = ns().Foreground(p.Text).Bold(true)
	s.Bold = ns().Bold(true)
	s.Success = ns().Foreground(p.Success)
	s.Warning = ns().Foreground(p.Warning)
	s.Error = ns().Foreground(p.Error).Bold(true)
	s.Info = ns().Foreground(p.Info)
	s.Box = ns().Border(lipgloss.RoundedBorder()).BorderForeground(p.Border).Padding(0, 1)
	s.BoxTitle = ns().Bold(true).Foreground(p.Accent)
	s.Selected = ns().Foreground(p.OnHi).Background(p.Highlight).Bold(true)
	s.Cursorline = s.Selected
	s.ErrorBanner = ns().Bold(true).Foreground(p.OnBanner).Background(p.Error).Padding(0, 1)
	s.WarnBanner = ns().Bold(true).Foreground(p.OnBanner).Background(p.Warning).Padding(0, 1)
	s.InfoBanner = ns().Foreground(p.OnBanner).Background(p.Info).Padding(0, 1)
	s.TableHeader = ns().Bold(true).Foreground(p.Accent)
	s.TableRow = ns().Foreground(p.Text)
	s.TableSelected = ns().Foreground(p.OnHi).Background(p.Highlight).Bold(true)
	s.TableSortMark = ns().Foreground(p.Warning)
	s.TableStatus = ns().Foreground(p.Muted)
	s.Dialog = ns().Border(lipgloss.RoundedBorder()).BorderForeground(p.Accent).Padding(1, 2)
	s.DialogTitle = ns().Bold(true).Foreground(p.Accent)
	s.Button = ns().Foreground(p.Muted).Padding(0, 2)
	s.ButtonActive = ns().Bold(true).Foreground(p.AccentText).Background(p.Accent).Padding(0, 2)
	s.Plot = ns().Foreground(p.Plot)
	s.PlotAlt = ns().Foreground(p.PlotAlt)
	s.Axis = ns().Foreground(p.Subtle)
	s.Spinner = ns().Foreground(p.Accent)
	s.Progress = [2]color.Color{p.PlotAlt, p.Plot}

	s.Help = help.Styles{
		Ellipsis:       ns().Foreground(p.Subtle),
		ShortKey:       ns().Foreground(p.Accent),
		ShortDesc:      ns().Foreground(p.Muted),
		ShortSeparator: ns().Foreground(p.Subtle),
		FullKey:        ns().Foreground(p.Accent).Bold(true),
		FullDesc:       ns().Foreground(p.Text),
		FullSeparator:  ns().Foreground(p.Subtle),
	}
	in := textinput.DefaultStyles(true)
	in.Focused.Prompt = ns().Foreground(p.Accent).Bold(true)
	in.Focused.Text = ns().Foreground(p.Text)
	in.Focused.Placeholder = ns().Foreground(p.Subtle)
	in.Blurred.Prompt = ns().Foreground(p.Muted)
	in.Blurred.Text = ns().Foreground(p.Muted)
	in.Blurred.Placeholder = ns().Foreground(p.Subtle)
	in.Cursor.Color = p.Accent
	s.Input = in

	if plain {
		// Without colour, selection and active elements must still stand out.
		s.TabActive = ns().Bold(true).Reverse(true).Padding(0, 1)
		s.Selected = ns().Reverse(true)
		s.Cursorline = s.Selected
		s.TableSelected = ns().Reverse(true)
		s.TableHeader = ns().Bold(true).Underline(true)
		s.ErrorBanner = ns().Bold(true).Reverse(true).Padding(0, 1)
		s.WarnBanner = ns().Bold(true).Reverse(true).Padding(0, 1)
		s.InfoBanner = ns().Reverse(true).Padding(0, 1)
		s.ButtonActive = ns().Bold(true).Reverse(true).Padding(0, 2)
	}
	return s
}
