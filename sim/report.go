package sim

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/btui/btui/protocol"
)

// TeamShare is one team's position on a subnet after an epoch. Stake is the alpha staked on
// the team's hotkeys (the metagraph's stake column, which already holds what past epochs
// paid); Emission is the alpha the epoch emitted to the team's uids (incentive and dividends,
// the metagraph's emission column).
type TeamShare struct {
	Team          string  `json:"team"`
	Neurons       int     `json:"neurons"` // uids the team holds after the epoch
	Stake         uint64  `json:"stake"`
	StakeShare    float64 `json:"stake_share"`
	Emission      uint64  `json:"emission"`
	EmissionShare float64 `json:"emission_share"`
}

// EpochReport is what one epoch of one subnet did, measured on the chain.
type EpochReport struct {
	Subnet string `json:"subnet"`
	Netuid uint16 `json:"netuid"`
	// Tempo counts the simulated epochs: 0 is the baseline epoch after setup (no weights yet,
	// permits assigned), 1..Tempos are the measured ones.
	Tempo         int         `json:"tempo"`
	Block         uint64      `json:"block"`
	TotalStake    uint64      `json:"total_stake"`
	TotalEmission uint64      `json:"total_emission"`
	Teams         []TeamShare `json:"teams"`
	// WeightsSet counts the weight rows stored for this epoch (set_weights, or reveals on a
	// commit-reveal subnet), Commits the commits made for a later epoch, WeightsFailed the
	// weight transactions that failed; Failures holds the first few failure messages.
	WeightsSet    int      `json:"weights_set"`
	Commits       int      `json:"commits,omitempty"`
	WeightsFailed int      `json:"weights_failed"`
	Failures      []string `json:"failures,omitempty"`
	Registrations int      `json:"registrations,omitempty"` // late registrations sent for this epoch
}

// Team returns the share of team, or a zero share.
func (e EpochReport) Team(team string) TeamShare {
	for _, t := range e.Teams {
		if t.Team == team {
			return t
		}
	}
	return TeamShare{Team: team}
}

// TeamSummary is a team's outcome over a whole run on one subnet.
type TeamSummary struct {
	Team string `json:"team"`
	// StakeShareStart is the share after setup (the baseline epoch), StakeShareEnd after the
	// last epoch.
	StakeShareStart float64 `json:"stake_share_start"`
	StakeShareEnd   float64 `json:"stake_share_end"`
	// Emission is the alpha emitted to the team over tempos 1..N; EmissionShare its share of
	// everything those epochs emitted.
	Emission      uint64  `json:"emission"`
	EmissionShare float64 `json:"emission_share"`
	// Yield is the emission per unit of stake actually held over tempos 1..N: what the team
	// received divided by what a share of each epoch's emission equal to its stake share
	// before that epoch would have paid (1: paid in proportion to the stake it held; the
	// validators of a subnet, holding nearly all stake and earning the validators' half, sit
	// near 0.5). Unlike EmissionShare / StakeShareStart it follows the stake as it changes.
	Yield float64 `json:"yield"`
}

// YieldOver is a team's Yield over tempos from..to (inclusive) of epochs (a subnet's reports,
// baseline first).
func YieldOver(epochs []EpochReport, team string, from, to int) float64 {
	var got, fair float64
	for i := 1; i < len(epochs); i++ {
		e := epochs[i]
		if e.Tempo < from || e.Tempo > to {
			continue
		}
		got += float64(e.Team(team).Emission)
		fair += epochs[i-1].Team(team).StakeShare * float64(e.TotalEmission)
	}
	if fair == 0 {
		return 0
	}
	return got / fair
}

// YieldOver is YieldOver on this subnet's epochs.
func (s *SubnetReport) YieldOver(team string, from, to int) float64 {
	return YieldOver(s.Epochs, team, from, to)
}

// SubnetReport is one subnet's run.
type SubnetReport struct {
	Name   string `json:"name"`
	Netuid uint16 `json:"netuid"`
	// StakeScale is the factor the scenario's stakes were scaled by to fit the subnet's pool
	// (1: as written; below 1 on a chain whose prices left a new pool little alpha).
	StakeScale float64       `json:"stake_scale"`
	Epochs     []EpochReport `json:"epochs"`
	Final      []TeamSummary `json:"final"`
}

// Team returns the final summary of team, or a zero summary.
func (s *SubnetReport) Team(team string) TeamSummary {
	for _, t := range s.Final {
		if t.Team == team {
			return t
		}
	}
	return TeamSummary{Team: team}
}

// Report is a whole simulation.
type Report struct {
	Scenario    string         `json:"scenario"`
	Seed        uint64         `json:"seed"`
	Tempos      int            `json:"tempos"`
	Endpoint    string         `json:"endpoint"`
	Realtime    bool           `json:"realtime"`
	SetupBlocks uint64         `json:"setup_blocks"`
	FirstBlock  uint64         `json:"first_block"`
	LastBlock   uint64         `json:"last_block"`
	ElapsedMs   int64          `json:"elapsed_ms"`
	Subnets     []SubnetReport `json:"subnets"`
}

// Subnet returns the report of the subnet named name (nil if none).
func (r *Report) Subnet(name string) *SubnetReport {
	for i := range r.Subnets {
		if r.Subnets[i].Name == name {
			return &r.Subnets[i]
		}
	}
	return nil
}

// summarize computes the final ratios of a subnet's epochs.
func summarize(epochs []EpochReport, teams []string) []TeamSummary {
	out := make([]TeamSummary, len(teams))
	var total uint64
	for i, t := range teams {
		out[i].Team = t
		for _, e := range epochs {
			if e.Tempo == 0 {
				out[i].StakeShareStart = e.Team(t).StakeShare
				continue
			}
			out[i].Emission += e.Team(t).Emission
		}
		if n := len(epochs); n > 0 {
			out[i].StakeShareEnd = epochs[n-1].Team(t).StakeShare
		}
	}
	for _, e := range epochs {
		if e.Tempo > 0 {
			total += e.TotalEmission
		}
	}
	for i := range out {
		out[i].EmissionShare = share(out[i].Emission, total)
		out[i].Yield = YieldOver(epochs, out[i].Team, 1, len(epochs))
	}
	return out
}

func share(part, total uint64) float64 {
	if total == 0 {
		return 0
	}
	return float64(part) / float64(total)
}

func pct(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) }

// WriteText writes the report as tables: per subnet, one row per epoch with each team's stake
// and emission shares, then the final ratios.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario %s (seed %d): %d tempos on %s, blocks #%d–#%d (%d setup blocks), %s\n",
		r.Scenario, r.Seed, r.Tempos, r.Endpoint, r.FirstBlock, r.LastBlock, r.SetupBlocks,
		(time.Duration(r.ElapsedMs) * time.Millisecond).String())
	for _, s := range r.Subnets {
		var teams []string
		for _, t := range s.Final {
			teams = append(teams, t.Team)
		}
		fmt.Fprintf(&b, "\nsubnet %s (netuid %d): stake share / emission share per epoch\n", s.Name, s.Netuid)
		if s.StakeScale > 0 && s.StakeScale < 1 {
			fmt.Fprintf(&b, "(stakes scaled to %.4g%% of the scenario's TAO to fit the pool's alpha reserve at the chain's prices)\n", 100*s.StakeScale)
		}
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "tempo\tblock\t")
		for _, t := range teams {
			fmt.Fprintf(tw, "%s stake\t%s emission\t", t, t)
		}
		fmt.Fprint(tw, "weights ok/failed\t\n")
		for _, e := range s.Epochs {
			fmt.Fprintf(tw, "%d\t%d\t", e.Tempo, e.Block)
			for _, t := range teams {
				ts := e.Team(t)
				fmt.Fprintf(tw, "%s\t%s\t", pct(ts.StakeShare), pct(ts.EmissionShare))
			}
			commits := ""
			if e.Commits > 0 {
				commits = fmt.Sprintf(" +%d commits", e.Commits)
			}
			fmt.Fprintf(tw, "%d/%d%s\t\n", e.WeightsSet, e.WeightsFailed, commits)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(&b, "\nfinal ratios (emission over tempos 1..%d):\n", r.Tempos)
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "team\tstake start\tstake end\temission share\temission (alpha)\tyield per stake held\t\n")
		for _, t := range s.Final {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.4f\t\n", t.Team, pct(t.StakeShareStart), pct(t.StakeShareEnd),
				pct(t.EmissionShare), formatAlpha(t.Emission), t.Yield)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, e := range s.Epochs {
			for _, f := range e.Failures {
				fmt.Fprintf(&b, "tempo %d: %s\n", e.Tempo, f)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// formatAlpha writes alpha rao as a decimal with 4 places.
func formatAlpha(rao uint64) string {
	return fmt.Sprintf("%d.%04d", rao/protocol.RaoPerTAO, rao%protocol.RaoPerTAO/(protocol.RaoPerTAO/10_000))
}
