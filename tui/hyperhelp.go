package tui

import (
	"strconv"
	"strings"

	"github.com/btui/btui/protocol"
)

// Hyperparameters with units and meanings on the Subnets page (p): each row shows the raw
// value (what e edits), how it reads in its unit, and a one-line meaning; the line above the
// table gives the selected one's meaning whole. Keyed by the chain's names
// (protocol.HyperparamNames; TestHyperDocsCoverChain checks that none is missing). The
// command line's table of btcli names, units and descriptions says the same things for
// `btui subnets hyperparameters`; the two should become one table in ops.

// hyperUnit is how a hyperparameter's raw value reads.
type hyperUnit int

const (
	unitCount      hyperUnit = iota // a count
	unitInteger                     // a plain number
	unitBlocks                      // blocks
	unitEpochs                      // epochs
	unitFraction16                  // x/65535
	unitMillionths                  // x/1,000,000
	unitPPMMult                     // a multiplier in millionths
	unitMilliTempo                  // thousandths of tempo
	unitRao                         // rao
	unitBool                        // true/false
)

// hyperDoc is one hyperparameter's unit and meaning.
type hyperDoc struct {
	unit  hyperUnit
	about string
}

var hyperDocs = map[string]hyperDoc{
	"tempo":                        {unitBlocks, "blocks between epochs (an epoch runs every tempo+1 blocks)"},
	"kappa":                        {unitFraction16, "stake share a weight needs to reach consensus"},
	"rho":                          {unitInteger, "steepness of the consensus sigmoid"},
	"activity_cutoff_factor_milli": {unitMilliTempo, "a validator that set no weights for this long loses its permit"},
	"immunity_period":              {unitBlocks, "how long a new neuron cannot be pruned"},
	"min_allowed_weights":          {unitCount, "fewest non-zero weights a validator must set"},
	"max_weights_limit":            {unitFraction16, "largest share one weight may take"},
	"max_allowed_uids":             {unitCount, "neuron slots of the subnet"},
	"max_allowed_validators":       {unitCount, "validator permits per epoch"},
	"weights_set_rate_limit":       {unitBlocks, "blocks between two weight settings of a hotkey"},
	"weights_version_key":          {unitInteger, "weights with an older version key are refused"},
	"bonds_moving_average":         {unitMillionths, "how slowly bonds follow the weights"},
	"bonds_penalty":                {unitFraction16, "bond cut for weights above consensus"},
	"yuma3":                        {unitBool, "Yuma 3 bonds"},
	"liquid_alpha":                 {unitBool, "per-pair bond EMA between alpha_low and alpha_high"},
	"alpha_low":                    {unitFraction16, "lowest liquid-alpha bond EMA"},
	"alpha_high":                   {unitFraction16, "highest liquid-alpha bond EMA"},
	"alpha_sigmoid_steepness":      {unitInteger, "steepness of the liquid-alpha sigmoid"},
	"commit_reveal":                {unitBool, "weights are committed as hashes and revealed later"},
	"reveal_period_epochs":         {unitEpochs, "epochs between a commit and its reveal"},
	"owner_cut_enabled":            {unitBool, "the owner takes its cut of the subnet's emission"},
	"min_burn":                     {unitRao, "lowest registration burn"},
	"max_burn":                     {unitRao, "highest registration burn"},
	"burn_half_life":               {unitBlocks, "the registration burn halves toward min_burn over this many blocks"},
	"burn_increase_mult_ppm":       {unitPPMMult, "burn multiplier after each registration"},
	"registration_allowed":         {unitBool, "burned registration is open"},
	"pow_registration_allowed":     {unitBool, "proof-of-work registration is open"},
	"difficulty":                   {unitInteger, "proof-of-work registration difficulty"},
	"serving_rate_limit":           {unitBlocks, "blocks between two axon updates of a hotkey"},
	"immune_owner_uids_limit":      {unitCount, "owner hotkeys that are never pruned"},
	"min_non_immune_uids":          {unitCount, "neurons that must stay prunable"},
	"whitepaper":                   {unitBool, "whitepaper consensus instead of Yuma"},
	"fee_rate":                     {unitFraction16, "swap fee of the subnet's pool"},
	"emission_enabled":             {unitBool, "the subnet receives emission"},
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
	return Row{Key: hp.Name, Cells: []string{hp.Name, hp.Value, hyperReading(hp.Name, hp.Value), hyperDocs[hp.Name].about}}
}

// hyperReading is how a raw value reads in its unit: "360 blocks", "0.500 (x/65535)",
// "×1.26", "1.0000 τ", "yes".
func hyperReading(name, raw string) string {
	d, ok := hyperDocs[name]
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
	about := hyperDocs[r.Key].about
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
