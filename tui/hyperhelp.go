package tui

import (
	"strconv"
	"strings"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
)

// Hyperparameters with units and meanings on the Subnets page (p): each row shows the raw
// value (what e edits), how it reads in its unit, and a one-line meaning; the line above the
// table gives the selected one's meaning whole and btcli's name. The names, units and
// meanings come from ops' one table (ops.LookupHyperparam), which the CLI's `subnets
// hyperparameters` and `sudo set` use too; TestHyperDocsCoverChain checks that every unit of
// that table reads here.

// hyperUnit is how a hyperparameter's raw value reads.
type hyperUnit int

const (
	unitUnknown    hyperUnit = iota
	unitCount                // a count
	unitInteger              // a plain number
	unitBlocks               // blocks
	unitEpochs               // epochs
	unitFraction16           // x/65535
	unitMillionths           // x/1,000,000
	unitPPMMult              // a multiplier in millionths
	unitMilliTempo           // thousandths of tempo
	unitRao                  // rao
	unitBool                 // true/false
)

// hyperDoc is one hyperparameter's unit and meaning.
type hyperDoc struct {
	unit  hyperUnit
	about string
	btcli string
}

// lookupHyperDoc reads ops' table entry of name.
func lookupHyperDoc(name string) (hyperDoc, bool) {
	d, ok := ops.LookupHyperparam(name)
	if !ok {
		return hyperDoc{}, false
	}
	return hyperDoc{unit: unitOf(d.Unit), about: d.About, btcli: d.Btcli}, true
}

// unitOf maps ops' unit wording to how the console reads a value.
func unitOf(u string) hyperUnit {
	switch {
	case u == "blocks":
		return unitBlocks
	case u == "epochs":
		return unitEpochs
	case u == "count":
		return unitCount
	case u == "integer":
		return unitInteger
	case u == "bool":
		return unitBool
	case u == "rao":
		return unitRao
	case u == "thousandths of tempo":
		return unitMilliTempo
	case strings.HasPrefix(u, "u16 fraction"):
		return unitFraction16
	case strings.HasPrefix(u, "millionths") && strings.Contains(u, "= x"):
		return unitPPMMult
	case strings.HasPrefix(u, "millionths"):
		return unitMillionths
	}
	return unitUnknown
}

// hyperColumns are the hyperparameter table's columns for a page width w: the meaning takes
// what is left (at least 20 cells; narrower, it scrolls in with →).
func hyperColumns(w int) []Column {
	return []Column{
		{Title: "Hyperparameter", Width: 28},
		{Title: "Value", Width: 12, Right: true},
		{Title: "Reads as", Width: 16},
		{Title: "Meaning", Width: max(20, w-28-12-16-3)},
	}
}

// hyperRow is one hyperparameter's row: name, raw value, its reading and meaning.
func hyperRow(hp hyperparamView) Row {
	d, _ := lookupHyperDoc(hp.Name)
	return Row{Key: hp.Name, Cells: []string{hp.Name, hp.Value, hyperReading(hp.Name, hp.Value), d.about}}
}

// hyperReading is how a raw value reads in its unit: "360 blocks", "0.500 (x/65535)",
// "×1.26", "1.0000 τ", "yes".
func hyperReading(name, raw string) string {
	d, ok := lookupHyperDoc(name)
	if !ok {
		return ""
	}
	if d.unit == unitBool {
		switch raw {
		case "true":
			return "yes"
		case "false":
			return "no"
		}
		return raw
	}
	v, err := strconv.ParseUint(strings.Trim(raw, `"`), 10, 64)
	if err != nil {
		return ""
	}
	ratio := func(den uint64, places int) string { return FormatRatio(v, den, places) }
	switch d.unit {
	case unitBlocks:
		return plural(int(v), "block", "blocks")
	case unitEpochs:
		return plural(int(v), "epoch", "epochs")
	case unitFraction16:
		return ratio(65535, 3) + " (x/65535)"
	case unitMillionths:
		return ratio(1_000_000, 4) + " (x/10⁶)"
	case unitPPMMult:
		return "×" + ratio(1_000_000, 3)
	case unitMilliTempo:
		return ratio(1000, 3) + " × tempo"
	case unitRao:
		return FormatTAOShort(v) + " τ"
	case unitCount:
		return FormatInt(v)
	}
	return ""
}

// hyperStatus is the line above the hyperparameter table: the selected one's meaning whole,
// and who may set it.
func (p *subnetsPage) hyperStatus() string {
	st := &p.c.Styles
	keys := " • e edits a value (owner or sudo) • esc back"
	r, ok := p.hyper.Selected()
	if !ok {
		return st.Muted.Render(strings.TrimPrefix(keys, " • "))
	}
	d, _ := lookupHyperDoc(r.Key)
	about := d.about
	if d.btcli != "" && d.btcli != r.Key {
		about += " (btcli: " + d.btcli + ")"
	}
	switch protocol.HyperparamNames()[r.Key] {
	case "owner":
		about += " (owner or sudo)"
	case "sudo":
		about += " (sudo only)"
	}
	if len([]rune(about+keys)) > p.w {
		return st.Text.Render(about) // the footer has the keys
	}
	return st.Text.Render(about) + st.Muted.Render(keys)
}
