package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Control returns the scenario's control run: the same scenario (name, seed, subnets, groups,
// stakes, miners' quality, registrations, outages and stops), with every validator acting
// honestly and promptly. A cabal or copier group becomes an honest evaluator with the noise of
// the first honest group of its subnet (0 when there is none); an honest group with a lag
// evaluates without it. The keys derive from the unchanged name and seed, so run on an equal
// starting chain, the control has the same neurons with the same uids and stakes, and every
// difference between the two reports is the behaviour's doing.
func (sc *Scenario) Control() *Scenario {
	b, err := json.Marshal(sc)
	if err != nil {
		panic("sim: a scenario must marshal: " + err.Error())
	}
	var c Scenario
	if err := json.Unmarshal(b, &c); err != nil {
		panic("sim: a marshalled scenario must unmarshal: " + err.Error())
	}
	noise := map[string]Fraction{}
	for _, g := range c.Groups {
		if g.Role == RoleValidator && g.Behaviour != nil && g.Behaviour.Kind == KindHonest {
			if _, ok := noise[g.Subnet]; !ok {
				noise[g.Subnet] = g.Behaviour.Noise
			}
		}
	}
	for i := range c.Groups {
		g := &c.Groups[i]
		if g.Role != RoleValidator || g.Behaviour == nil {
			continue
		}
		switch g.Behaviour.Kind {
		case KindHonest:
			g.Behaviour.Lag = 0
		default:
			g.Behaviour = &Behaviour{Kind: KindHonest, Noise: noise[g.Subnet]}
		}
	}
	c.Description = "control run of " + sc.Name + ": every validator honest and prompt"
	return &c
}

// TeamComparison is one team's outcome in the scenario and in its control run, over the same
// tempos (1..N), and the difference (scenario − control).
type TeamComparison struct {
	Team string `json:"team"`
	// EmissionShare: the team's share of all the alpha emitted over tempos 1..N.
	EmissionShare        float64 `json:"emission_share"`
	ControlEmissionShare float64 `json:"control_emission_share"`
	EmissionShareDiff    float64 `json:"emission_share_diff"`
	// StakeShareEnd: the team's share of the stake after the last epoch (both runs start
	// from the same stake).
	StakeShareStart      float64 `json:"stake_share_start"`
	StakeShareEnd        float64 `json:"stake_share_end"`
	ControlStakeShareEnd float64 `json:"control_stake_share_end"`
	StakeShareEndDiff    float64 `json:"stake_share_end_diff"`
	// Yield: alpha earned per alpha of stake actually held (TeamSummary.Yield).
	Yield        float64 `json:"yield"`
	ControlYield float64 `json:"control_yield"`
	YieldDiff    float64 `json:"yield_diff"`
}

// SubnetComparison is one subnet's comparison.
type SubnetComparison struct {
	Name   string           `json:"name"`
	Tempos int              `json:"tempos"`
	Teams  []TeamComparison `json:"teams"`
}

// Comparison is a scenario run next to its control run.
type Comparison struct {
	Scenario *Report            `json:"scenario"`
	Control  *Report            `json:"control"`
	Subnets  []SubnetComparison `json:"subnets"`
}

// Compare pairs a scenario's report with its control run's, subnet by subnet and team by team.
func Compare(scenario, control *Report) *Comparison {
	c := &Comparison{Scenario: scenario, Control: control}
	for _, s := range scenario.Subnets {
		ctl := control.Subnet(s.Name)
		if ctl == nil {
			continue
		}
		sc := SubnetComparison{Name: s.Name, Tempos: len(s.Epochs) - 1}
		for _, t := range s.Final {
			k := ctl.Team(t.Team)
			sc.Teams = append(sc.Teams, TeamComparison{
				Team:          t.Team,
				EmissionShare: t.EmissionShare, ControlEmissionShare: k.EmissionShare, EmissionShareDiff: t.EmissionShare - k.EmissionShare,
				StakeShareStart: t.StakeShareStart,
				StakeShareEnd:   t.StakeShareEnd, ControlStakeShareEnd: k.StakeShareEnd, StakeShareEndDiff: t.StakeShareEnd - k.StakeShareEnd,
				Yield: t.Yield, ControlYield: k.Yield, YieldDiff: t.Yield - k.Yield,
			})
		}
		c.Subnets = append(c.Subnets, sc)
	}
	return c
}

// Subnet returns the comparison of the subnet named name (nil if none).
func (c *Comparison) Subnet(name string) *SubnetComparison {
	for i := range c.Subnets {
		if c.Subnets[i].Name == name {
			return &c.Subnets[i]
		}
	}
	return nil
}

// Team returns a team's comparison (zero if absent).
func (s *SubnetComparison) Team(team string) TeamComparison {
	for _, t := range s.Teams {
		if t.Team == team {
			return t
		}
	}
	return TeamComparison{Team: team}
}

// WriteText writes both reports and then, per subnet, each team's emission share, final stake
// share and yield per unit of stake held, in the scenario, in the control and the difference.
func (c *Comparison) WriteText(w io.Writer) error {
	if err := c.Scenario.WriteText(w); err != nil {
		return err
	}
	fmt.Fprintln(w, "\ncontrol run (every validator honest and prompt; same keys, stakes, miners and seed):")
	if err := c.Control.WriteText(w); err != nil {
		return err
	}
	var b strings.Builder
	for _, s := range c.Subnets {
		fmt.Fprintf(&b, "\nsubnet %s, tempos 1–%d: scenario vs control (differences in points; yield = emission received over what the stake held before each epoch would have paid, 1 = in proportion)\n", s.Name, s.Tempos)
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "team\temission\tcontrol\tdiff\tstake start\tstake end\tcontrol\tdiff\tyield\tcontrol\tdiff\t\n")
		for _, t := range s.Teams {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.4f\t%.4f\t%+.4f\t\n", t.Team,
				pct(t.EmissionShare), pct(t.ControlEmissionShare), points(t.EmissionShareDiff),
				pct(t.StakeShareStart), pct(t.StakeShareEnd), pct(t.ControlStakeShareEnd), points(t.StakeShareEndDiff),
				t.Yield, t.ControlYield, t.YieldDiff)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// points formats a difference of shares in percentage points.
func points(d float64) string { return fmt.Sprintf("%+.2f", 100*d) }
