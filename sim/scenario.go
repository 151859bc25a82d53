package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/btui/btui/protocol"
)

// Scenario is a simulation: subnets with hyperparameters and groups of simulated neurons with
// their behaviours. docs/simulate.md documents the format; examples/*.json are scenarios.
type Scenario struct {
	// Name identifies the scenario; with Seed it derives every key of the simulation.
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Seed drives the keys and every random draw (the honest validators' noise): the same
	// scenario and seed on a fresh devnet give the same chain, block for block.
	Seed uint64 `json:"seed"`
	// Tempos is how many epochs per subnet are simulated after setup.
	Tempos  int          `json:"tempos"`
	Subnets []SubnetSpec `json:"subnets"`
	Groups  []GroupSpec  `json:"groups"`
}

// SubnetSpec is one subnet the scenario creates with register_network.
type SubnetSpec struct {
	Name string `json:"name"`
	// Hyperparameters are set by sudo after creation, by set_hyperparameter name (see
	// `btui subnets hyperparameters`); booleans may be written true/false.
	Hyperparameters map[string]HyperValue `json:"hyperparameters,omitempty"`
	// OwnerGroup names a validator group whose first neuron is the subnet owner (coldkey and
	// owner hotkey, uid 0). Empty: a separate owner key that is reported as team "owner".
	OwnerGroup string `json:"ownerGroup,omitempty"`
}

// Roles of a group.
const (
	RoleValidator = "validator"
	RoleMiner     = "miner"
)

// Behaviour kinds of a validator group.
const (
	KindHonest = "honest" // weights track the miners' hidden quality, with noise and an optional lag
	KindCopier = "copier" // copies the previous epoch's consensus
	KindCabal  = "cabal"  // weights only the miners of its target groups
)

// GroupSpec is a group of identical neurons.
type GroupSpec struct {
	Name string `json:"name"`
	// Team is what the report aggregates over (default: the group name). A cabal's validators
	// and miners share a team.
	Team string `json:"team,omitempty"`
	// Subnet names the subnet (optional when the scenario has one).
	Subnet string `json:"subnet,omitempty"`
	Role   string `json:"role"`
	Count  int    `json:"count"`
	// Stake is TAO staked on each neuron's hotkey by its coldkey at setup (see docs: the
	// engine spends the total so that alpha stakes come out proportional to these amounts).
	Stake TAO `json:"stake,omitempty"`
	// Behaviour is how a validator group sets weights (validators only).
	Behaviour *Behaviour `json:"behaviour,omitempty"`
	// Quality is a miner group's hidden quality in [0, 1]: a number, or points
	// [{"tempo": t, "value": q}, ...] interpolated linearly (miners only).
	Quality *Quality `json:"quality,omitempty"`
	// RegisterAtTempo registers the group in one burst in the block after epoch
	// RegisterAtTempo-1 instead of at setup (0 = at setup; past the run: never).
	RegisterAtTempo int `json:"registerAtTempo,omitempty"`
	// OfflineAtTempo takes OfflineCount miners (default all) offline from that tempo on:
	// honest validators measure them as 0.
	OfflineAtTempo int `json:"offlineAtTempo,omitempty"`
	OfflineCount   int `json:"offlineCount,omitempty"`
	// StopAtTempo makes StopCount validators (default all) stop setting weights from that tempo.
	StopAtTempo int `json:"stopAtTempo,omitempty"`
	StopCount   int `json:"stopCount,omitempty"`
}

// Behaviour is a validator group's weight-setting rule.
type Behaviour struct {
	Kind string `json:"kind"`
	// Noise (honest): each measurement is the quality plus a triangular error in [-Noise, +Noise].
	Noise Fraction `json:"noise,omitempty"`
	// Lag (honest): the validator measures the quality of Lag tempos ago (a slow evaluator).
	Lag int `json:"lag,omitempty"`
	// Targets (cabal): the miner groups the cabal weights, equally.
	Targets []string `json:"targets,omitempty"`
}

// QualityPoint is the quality at the start of a tempo.
type QualityPoint struct {
	Tempo int      `json:"tempo"`
	Value Fraction `json:"value"`
}

// Quality is a miner's hidden quality over time: constant, or piecewise linear through Points
// (constant before the first and after the last point).
type Quality struct {
	Points []QualityPoint
}

// UnmarshalJSON accepts a number or a list of {"tempo", "value"} points.
func (q *Quality) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var pts []QualityPoint
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&pts); err != nil {
			return fmt.Errorf("quality points: %w", err)
		}
		q.Points = pts
		return nil
	}
	var f Fraction
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	q.Points = []QualityPoint{{Tempo: 0, Value: f}}
	return nil
}

// MarshalJSON writes a number for a constant quality, else the points.
func (q Quality) MarshalJSON() ([]byte, error) {
	if len(q.Points) == 1 && q.Points[0].Tempo == 0 {
		return q.Points[0].Value.MarshalJSON()
	}
	return json.Marshal(q.Points)
}

// At returns the quality (parts per million) at tempo t.
func (q *Quality) At(t int) uint32 {
	if q == nil || len(q.Points) == 0 {
		return 0
	}
	p := q.Points
	if t <= p[0].Tempo {
		return uint32(p[0].Value)
	}
	for i := 1; i < len(p); i++ {
		if t <= p[i].Tempo {
			a, b := p[i-1], p[i]
			span := int64(b.Tempo - a.Tempo)
			d := int64(b.Value) - int64(a.Value)
			return uint32(int64(a.Value) + d*int64(t-a.Tempo)/span)
		}
	}
	return uint32(p[len(p)-1].Value)
}

// Fraction is a number in [0, 1] kept as parts per million (at most 6 decimals), parsed from
// its decimal text so that no float rounding enters the simulation.
type Fraction uint32

// FractionOne is 1 as a Fraction.
const FractionOne Fraction = 1_000_000

// UnmarshalJSON parses a JSON number in [0, 1].
func (f *Fraction) UnmarshalJSON(b []byte) error {
	v, err := parseDecimal(string(bytes.TrimSpace(b)), 6)
	if err != nil {
		return fmt.Errorf("want a number from 0 to 1 with at most 6 decimals: %w", err)
	}
	if v > uint64(FractionOne) {
		return fmt.Errorf("%s is above 1", b)
	}
	*f = Fraction(v)
	return nil
}

// MarshalJSON writes the decimal.
func (f Fraction) MarshalJSON() ([]byte, error) { return []byte(formatDecimal(uint64(f), 6)), nil }

// TAO is an amount in rao, written in JSON as a number of TAO (at most 9 decimals).
type TAO uint64

// UnmarshalJSON parses a JSON number of TAO.
func (t *TAO) UnmarshalJSON(b []byte) error {
	n := string(bytes.TrimSpace(b))
	if strings.HasPrefix(n, "\"") {
		return fmt.Errorf("%s is a string, not a number", n)
	}
	v, err := protocol.ParseTAO(n)
	if err != nil {
		return fmt.Errorf("want an amount of TAO with at most 9 decimals: %w", err)
	}
	*t = TAO(v)
	return nil
}

// MarshalJSON writes the TAO decimal.
func (t TAO) MarshalJSON() ([]byte, error) { return []byte(protocol.TAODecimal(uint64(t))), nil }

// HyperValue is a hyperparameter value: a non-negative integer, or a boolean (1/0).
type HyperValue uint64

// UnmarshalJSON accepts true, false or a non-negative integer.
func (h *HyperValue) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	switch s {
	case "true":
		*h = 1
		return nil
	case "false":
		*h = 0
		return nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("want true, false or a whole number, got %s", s)
	}
	*h = HyperValue(v)
	return nil
}

// parseDecimal parses a non-negative decimal (no exponent) into an integer scaled by 10^dec.
func parseDecimal(s string, dec int) (uint64, error) {
	if s == "" || s == "null" {
		return 0, errors.New("empty number")
	}
	if strings.HasPrefix(s, "\"") {
		return 0, fmt.Errorf("%s is a string, not a number", s)
	}
	if strings.ContainsAny(s, "eE") {
		return 0, fmt.Errorf("%s: write the number without an exponent", s)
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("%s is negative", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > dec {
		return 0, fmt.Errorf("%s has more than %d decimals", s, dec)
	}
	frac += strings.Repeat("0", dec-len(frac))
	w, err := strconv.ParseUint(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a number", s)
	}
	f := uint64(0)
	if dec > 0 {
		if f, err = strconv.ParseUint(frac, 10, 64); err != nil {
			return 0, fmt.Errorf("%s is not a number", s)
		}
	}
	scale := uint64(1)
	for range dec {
		scale *= 10
	}
	if w > (^uint64(0)-f)/scale {
		return 0, fmt.Errorf("%s is too large", s)
	}
	return w*scale + f, nil
}

func formatDecimal(v uint64, dec int) string {
	scale := uint64(1)
	for range dec {
		scale *= 10
	}
	s := strconv.FormatUint(v/scale, 10)
	if r := v % scale; r != 0 {
		fs := fmt.Sprintf("%0*d", dec, r)
		s += "." + strings.TrimRight(fs, "0")
	}
	return s
}

// Limits of a scenario.
const (
	MaxTempos        = 10_000
	MaxGroupNeurons  = 256
	maxNameLen       = 32
	defaultOwnerTeam = "owner"
)

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Parse decodes a scenario strictly (unknown fields are errors) and validates it. source names
// the file in errors. Every problem is reported with its JSON path in a *ScenarioError.
func Parse(r io.Reader, source string) (*Scenario, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var sc Scenario
	if err := dec.Decode(&sc); err != nil {
		return nil, &ScenarioError{Source: source, Errs: []FieldError{decodeFieldError(err)}}
	}
	if dec.More() {
		return nil, &ScenarioError{Source: source, Errs: []FieldError{{Msg: "trailing data after the scenario object"}}}
	}
	if err := sc.Validate(); err != nil {
		var se *ScenarioError
		if errors.As(err, &se) {
			se.Source = source
		}
		return nil, err
	}
	return &sc, nil
}

// decodeFieldError turns a JSON decoding error into a FieldError with the best path it has.
func decodeFieldError(err error) FieldError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return FieldError{Path: te.Field, Msg: fmt.Sprintf("want %s, got a JSON %s", te.Type, te.Value)}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return FieldError{Msg: fmt.Sprintf("not valid JSON at byte %d: %v", se.Offset, se)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return FieldError{Msg: "not valid JSON: the document ends early"}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return FieldError{Msg: msg}
}

// Validate checks the scenario and reports every problem with its JSON path. It fills in the
// one default that depends on the rest: a group's subnet when the scenario has a single one.
func (sc *Scenario) Validate() error {
	var errs []FieldError
	add := func(path, format string, a ...any) {
		errs = append(errs, FieldError{Path: path, Msg: fmt.Sprintf(format, a...)})
	}
	checkName := func(path, n string) {
		switch {
		case n == "":
			add(path, "required")
		case len(n) > maxNameLen || !nameRE.MatchString(n):
			add(path, "%q: use 1 to %d characters of a-z, 0-9 and -, starting with a letter or digit", n, maxNameLen)
		}
	}
	checkName("name", sc.Name)
	if sc.Tempos < 1 || sc.Tempos > MaxTempos {
		add("tempos", "%d: give 1 to %d epochs to simulate", sc.Tempos, MaxTempos)
	}
	if len(sc.Subnets) == 0 {
		add("subnets", "at least one subnet is required")
	}
	hyperNames := protocol.HyperparamNames()
	subnets := map[string]int{}
	for i, s := range sc.Subnets {
		p := fmt.Sprintf("subnets[%d]", i)
		checkName(p+".name", s.Name)
		if _, dup := subnets[s.Name]; dup && s.Name != "" {
			add(p+".name", "%q is used by another subnet", s.Name)
		}
		subnets[s.Name] = i
		for _, k := range sortedKeys(s.Hyperparameters) {
			if _, ok := hyperNames[k]; !ok {
				add(p+".hyperparameters."+k, "unknown hyperparameter: known are %s", strings.Join(sortedKeys(hyperNames), ", "))
			}
		}
	}
	groups := map[string]int{}
	neurons := map[string]int{}
	for i := range sc.Groups {
		g := &sc.Groups[i]
		p := fmt.Sprintf("groups[%d]", i)
		checkName(p+".name", g.Name)
		if _, dup := groups[g.Name]; dup && g.Name != "" {
			add(p+".name", "%q is used by another group", g.Name)
		}
		groups[g.Name] = i
		if g.Team != "" {
			checkName(p+".team", g.Team)
		}
		if g.Subnet == "" && len(sc.Subnets) == 1 {
			g.Subnet = sc.Subnets[0].Name
		}
		if _, ok := subnets[g.Subnet]; !ok {
			if g.Subnet == "" {
				add(p+".subnet", "required when the scenario has several subnets")
			} else {
				add(p+".subnet", "no subnet is named %q", g.Subnet)
			}
		}
		if g.Count < 1 || g.Count > MaxGroupNeurons {
			add(p+".count", "%d: give 1 to %d neurons", g.Count, MaxGroupNeurons)
		}
		if g.RegisterAtTempo == 0 {
			neurons[g.Subnet] += g.Count
		} else if _, ok := neurons[g.Subnet]; !ok {
			neurons[g.Subnet] = 0
		}
		if g.RegisterAtTempo < 0 || g.RegisterAtTempo > MaxTempos {
			add(p+".registerAtTempo", "%d: give a tempo from 0 (setup) to %d", g.RegisterAtTempo, MaxTempos)
		}
		switch g.Role {
		case RoleValidator:
			if g.Quality != nil {
				add(p+".quality", "only miners have a quality")
			}
			if g.OfflineAtTempo != 0 || g.OfflineCount != 0 {
				add(p+".offlineAtTempo", "only miners go offline; a validator stops with stopAtTempo")
			}
			if g.Stake == 0 {
				add(p+".stake", "a validator needs stake to earn a validator permit")
			}
			if g.RegisterAtTempo != 0 {
				add(p+".registerAtTempo", "only miner groups register late (a sybil burst)")
			}
			validateBehaviour(p+".behaviour", g.Behaviour, add)
			validateSchedule(p, "stop", g.StopAtTempo, g.StopCount, g.Count, add)
		case RoleMiner:
			if g.Behaviour != nil {
				add(p+".behaviour", "only validators have a behaviour")
			}
			if g.StopAtTempo != 0 || g.StopCount != 0 {
				add(p+".stopAtTempo", "only validators stop setting weights; a miner goes offline with offlineAtTempo")
			}
			if g.Stake != 0 && g.RegisterAtTempo != 0 {
				add(p+".stake", "a group registered late is not staked")
			}
			validateQuality(p+".quality", g.Quality, add)
			validateSchedule(p, "offline", g.OfflineAtTempo, g.OfflineCount, g.Count, add)
		case "":
			add(p+".role", "required: validator or miner")
		default:
			add(p+".role", "%q: want validator or miner", g.Role)
		}
	}
	for i, g := range sc.Groups {
		if g.Behaviour == nil {
			continue
		}
		for j, t := range g.Behaviour.Targets {
			gi, ok := groups[t]
			p := fmt.Sprintf("groups[%d].behaviour.targets[%d]", i, j)
			switch {
			case !ok:
				add(p, "no group is named %q", t)
			case sc.Groups[gi].Role != RoleMiner:
				add(p, "%q is not a miner group", t)
			case sc.Groups[gi].Subnet != g.Subnet:
				add(p, "%q is on another subnet", t)
			}
		}
	}
	for i, s := range sc.Subnets {
		if s.OwnerGroup != "" {
			gi, ok := groups[s.OwnerGroup]
			switch {
			case !ok:
				add(fmt.Sprintf("subnets[%d].ownerGroup", i), "no group is named %q", s.OwnerGroup)
			case sc.Groups[gi].Role != RoleValidator || sc.Groups[gi].Subnet != s.Name:
				add(fmt.Sprintf("subnets[%d].ownerGroup", i), "%q must be a validator group of this subnet", s.OwnerGroup)
			}
		}
		n := neurons[s.Name]
		if s.OwnerGroup == "" {
			n++
		}
		if limit := s.maxUids(); n > limit {
			add(fmt.Sprintf("subnets[%d]", i), "%d neurons registered at setup (with the owner) exceed max_allowed_uids %d; only late registrations (registerAtTempo) may replace others", n, limit)
		}
		if _, ok := neurons[s.Name]; !ok && s.Name != "" {
			add(fmt.Sprintf("subnets[%d]", i), "no group is on subnet %q", s.Name)
		}
	}
	if len(sc.Groups) == 0 {
		add("groups", "at least one group is required")
	}
	if len(errs) > 0 {
		return &ScenarioError{Errs: errs}
	}
	return nil
}

// maxUids is the subnet's max_allowed_uids as the scenario sets it (the devnet default is 256).
func (s SubnetSpec) maxUids() int {
	if v, ok := s.Hyperparameters["max_allowed_uids"]; ok {
		return int(min(v, 4096))
	}
	return 256
}

func validateBehaviour(p string, b *Behaviour, add func(string, string, ...any)) {
	if b == nil {
		add(p, "required for a validator: {\"kind\": \"honest\"|\"copier\"|\"cabal\"}")
		return
	}
	switch b.Kind {
	case KindHonest:
		if len(b.Targets) > 0 {
			add(p+".targets", "only a cabal has targets")
		}
		if b.Lag < 0 || b.Lag > 1000 {
			add(p+".lag", "%d: give 0 to 1000 tempos", b.Lag)
		}
	case KindCopier:
		if len(b.Targets) > 0 || b.Lag != 0 || b.Noise != 0 {
			add(p, "a copier takes no noise, lag or targets: it copies the last consensus")
		}
	case KindCabal:
		if len(b.Targets) == 0 {
			add(p+".targets", "a cabal needs the miner groups it weights")
		}
		if b.Lag != 0 || b.Noise != 0 {
			add(p, "a cabal takes no noise or lag")
		}
	case "":
		add(p+".kind", "required: honest, copier or cabal")
	default:
		add(p+".kind", "%q: want honest, copier or cabal", b.Kind)
	}
}

func validateQuality(p string, q *Quality, add func(string, string, ...any)) {
	if q == nil {
		return // quality 0: a miner nobody should weight (sybils, idle keys)
	}
	if len(q.Points) == 0 {
		add(p, "give a number or at least one {\"tempo\", \"value\"} point")
	}
	for i := 1; i < len(q.Points); i++ {
		if q.Points[i].Tempo <= q.Points[i-1].Tempo {
			add(fmt.Sprintf("%s[%d].tempo", p, i), "tempos must increase (%d after %d)", q.Points[i].Tempo, q.Points[i-1].Tempo)
		}
	}
	for i, pt := range q.Points {
		if pt.Tempo < 0 {
			add(fmt.Sprintf("%s[%d].tempo", p, i), "%d is negative", pt.Tempo)
		}
	}
}

// validateSchedule checks an event's tempo and count. A tempo past the run is allowed (the event
// does not happen), so that a shorter --tempos keeps a scenario valid.
func validateSchedule(p, what string, at, count, n int, add func(string, string, ...any)) {
	if at < 0 || at > MaxTempos {
		add(p+"."+what+"AtTempo", "%d: give a tempo from 1 to %d (0 = never)", at, MaxTempos)
	}
	if count < 0 || count > n {
		add(p+"."+what+"Count", "%d: give 0 (all) to the group's count %d", count, n)
	}
	if count != 0 && at == 0 {
		add(p+"."+what+"Count", "set %sAtTempo too", what)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// team returns the group's report team.
func (g *GroupSpec) team() string {
	if g.Team != "" {
		return g.Team
	}
	return g.Name
}

// Teams returns the scenario's report teams in first-appearance order.
func (sc *Scenario) Teams() []string {
	var out []string
	seen := map[string]bool{}
	for i := range sc.Groups {
		t := sc.Groups[i].team()
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
