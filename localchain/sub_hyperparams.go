package localchain

import (
	"fmt"
	"sort"

	"github.com/btui/btui/mechanism"
)

// Hyperparams are one subnet's hyperparameters (Part B §4.5), as stored and as queried.
type Hyperparams struct {
	Tempo                     uint16 `json:"tempo"`
	Kappa                     uint16 `json:"kappa"`
	Rho                       uint16 `json:"rho"`
	ActivityCutoffFactorMilli uint32 `json:"activity_cutoff_factor_milli"`
	ImmunityPeriod            uint16 `json:"immunity_period"`
	MinAllowedWeights         uint16 `json:"min_allowed_weights"`
	MaxWeightsLimit           uint16 `json:"max_weights_limit"`
	MaxAllowedUids            uint16 `json:"max_allowed_uids"`
	MaxAllowedValidators      uint16 `json:"max_allowed_validators"`
	WeightsSetRateLimit       uint64 `json:"weights_set_rate_limit"`
	WeightsVersionKey         uint64 `json:"weights_version_key"`
	BondsMovingAverage        uint64 `json:"bonds_moving_average"`
	BondsPenalty              uint16 `json:"bonds_penalty"`
	Yuma3                     bool   `json:"yuma3"`
	LiquidAlpha               bool   `json:"liquid_alpha"`
	AlphaLow                  uint16 `json:"alpha_low"`
	AlphaHigh                 uint16 `json:"alpha_high"`
	AlphaSigmoidSteepness     uint16 `json:"alpha_sigmoid_steepness"`
	CommitReveal              bool   `json:"commit_reveal"`
	RevealPeriodEpochs        uint64 `json:"reveal_period_epochs"`
	OwnerCutEnabled           bool   `json:"owner_cut_enabled"`
	MinBurn                   uint64 `json:"min_burn"`
	MaxBurn                   uint64 `json:"max_burn"`
	BurnHalfLife              uint16 `json:"burn_half_life"`
	BurnIncreaseMultPPM       uint64 `json:"burn_increase_mult_ppm"` // parts per million: 1,260,000 = ×1.26
	RegistrationAllowed       bool   `json:"registration_allowed"`
	PowRegistrationAllowed    bool   `json:"pow_registration_allowed"`
	Difficulty                uint64 `json:"difficulty"`
	ServingRateLimit          uint64 `json:"serving_rate_limit"`
	ImmuneOwnerUidsLimit      uint16 `json:"immune_owner_uids_limit"`
	MinNonImmuneUids          uint16 `json:"min_non_immune_uids"`
	Whitepaper                bool   `json:"whitepaper"` // consensus mode: whitepaper sigmoid instead of Yuma
	FeeRate                   uint16 `json:"fee_rate"`
	EmissionEnabled           bool   `json:"emission_enabled"`
}

const defaultBurnMultPPM = 1_260_000

// devnetHyperparams are a new devnet subnet's values: subtensor's new-subnet values except
// tempo 10, immunity 100 blocks, weights rate limit 1 block, commit-reveal off, PoW allowed at
// a small difficulty and classic (non-Yuma3) bonds so that epochs are easy to follow.
func devnetHyperparams() Hyperparams {
	d := mechanism.DefaultHyperparameters()
	b := mechanism.DefaultBurnParams()
	return Hyperparams{
		Tempo: 10, Kappa: d.Kappa, Rho: d.Rho, ActivityCutoffFactorMilli: d.ActivityCutoffFactorMilli,
		ImmunityPeriod: 100, MinAllowedWeights: 1, MaxWeightsLimit: 65535, MaxAllowedUids: 256,
		MaxAllowedValidators: 64, WeightsSetRateLimit: 1, WeightsVersionKey: 0,
		BondsMovingAverage: d.BondsMovingAverage, BondsPenalty: d.BondsPenalty,
		Yuma3: false, LiquidAlpha: false, AlphaLow: d.AlphaLow, AlphaHigh: d.AlphaHigh,
		AlphaSigmoidSteepness: uint16(d.AlphaSigmoidSteepness), CommitReveal: false, RevealPeriodEpochs: 1,
		OwnerCutEnabled: true, MinBurn: b.MinBurn, MaxBurn: b.MaxBurn, BurnHalfLife: b.HalfLife,
		BurnIncreaseMultPPM: defaultBurnMultPPM, RegistrationAllowed: true, PowRegistrationAllowed: true,
		Difficulty: 10_000, ServingRateLimit: 0, ImmuneOwnerUidsLimit: 1, MinNonImmuneUids: 0,
		Whitepaper: false, FeeRate: mechanism.DefaultFeeRate, EmissionEnabled: true,
	}
}

// epochParams converts to the epoch's hyperparameters.
func (h *Hyperparams) epochParams(stakeThreshold uint64) mechanism.Hyperparameters {
	mode := mechanism.ConsensusYuma
	if h.Whitepaper {
		mode = mechanism.ConsensusWhitepaper
	}
	return mechanism.Hyperparameters{
		Tempo: h.Tempo, Kappa: h.Kappa, BondsPenalty: h.BondsPenalty, BondsMovingAverage: h.BondsMovingAverage,
		Yuma3: h.Yuma3, LiquidAlpha: h.LiquidAlpha, AlphaLow: h.AlphaLow, AlphaHigh: h.AlphaHigh,
		AlphaSigmoidSteepness: int16(h.AlphaSigmoidSteepness), MaxAllowedValidators: h.MaxAllowedValidators,
		ActivityCutoffFactorMilli: h.ActivityCutoffFactorMilli, StakeThreshold: stakeThreshold,
		ConsensusMode: mode, Rho: h.Rho, CommitReveal: h.CommitReveal,
	}
}

// hyperField describes one settable hyperparameter: its stored value as u64, who may set it
// (owner within [ownerMin, ownerMax]; sudo within [rootMin, rootMax]) and an optional check of
// the new value against the others.
type hyperField struct {
	name               string
	owner              bool
	ownerMin, ownerMax uint64
	rootMin, rootMax   uint64
	get                func(*Hyperparams) uint64
	set                func(*Hyperparams, uint64)
	check              func(h *Hyperparams, n *subnet, v uint64) error
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

const u16max = 65535

// hyperFields lists every hyperparameter in storage order (the subnet encoding depends on it:
// append only, and bump schemaVersion if the order changes).
var hyperFields = []hyperField{
	// Tempo: 0 would stop the subnet's epochs, so no one may set it; the owner's range starts at 1
	// (subtensor's MIN_TEMPO 360 would refuse the devnet's own default of 10; docs/emission.md).
	{name: "tempo", owner: true, ownerMin: 1, ownerMax: 50_400, rootMin: 1, rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.Tempo) }, set: func(h *Hyperparams, v uint64) { h.Tempo = uint16(v) }},
	{name: "kappa", rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.Kappa) }, set: func(h *Hyperparams, v uint64) { h.Kappa = uint16(v) }},
	{name: "rho", owner: true, ownerMax: u16max, rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.Rho) }, set: func(h *Hyperparams, v uint64) { h.Rho = uint16(v) }},
	{name: "activity_cutoff_factor_milli", owner: true, ownerMin: 1000, ownerMax: 50_000, rootMin: 1000, rootMax: 50_000,
		get: func(h *Hyperparams) uint64 { return uint64(h.ActivityCutoffFactorMilli) }, set: func(h *Hyperparams, v uint64) { h.ActivityCutoffFactorMilli = uint32(v) }},
	{name: "immunity_period", owner: true, ownerMax: u16max, rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.ImmunityPeriod) }, set: func(h *Hyperparams, v uint64) { h.ImmunityPeriod = uint16(v) }},
	{name: "min_allowed_weights", owner: true, ownerMax: u16max, rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.MinAllowedWeights) }, set: func(h *Hyperparams, v uint64) { h.MinAllowedWeights = uint16(v) }},
	{name: "max_weights_limit", rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.MaxWeightsLimit) }, set: func(h *Hyperparams, v uint64) { h.MaxWeightsLimit = uint16(v) }},
	{name: "max_allowed_uids", owner: true, ownerMin: 1, ownerMax: 256, rootMin: 1, rootMax: 256,
		get: func(h *Hyperparams) uint64 { return uint64(h.MaxAllowedUids) }, set: func(h *Hyperparams, v uint64) { h.MaxAllowedUids = uint16(v) },
		check: func(h *Hyperparams, n *subnet, v uint64) error {
			if v < uint64(n.N) {
				return fmt.Errorf("max_allowed_uids %d is below the %d registered neurons", v, n.N)
			}
			if v < uint64(h.MaxAllowedValidators) {
				return fmt.Errorf("max_allowed_uids %d is below max_allowed_validators %d", v, h.MaxAllowedValidators)
			}
			return nil
		}},
	{name: "max_allowed_validators", rootMin: 1, rootMax: 256,
		get: func(h *Hyperparams) uint64 { return uint64(h.MaxAllowedValidators) }, set: func(h *Hyperparams, v uint64) { h.MaxAllowedValidators = uint16(v) },
		check: func(h *Hyperparams, _ *subnet, v uint64) error {
			if v > uint64(h.MaxAllowedUids) {
				return fmt.Errorf("max_allowed_validators %d exceeds max_allowed_uids %d", v, h.MaxAllowedUids)
			}
			return nil
		}},
	{name: "weights_set_rate_limit", rootMax: ^uint64(0),
		get: func(h *Hyperparams) uint64 { return h.WeightsSetRateLimit }, set: func(h *Hyperparams, v uint64) { h.WeightsSetRateLimit = v }},
	{name: "weights_version_key", owner: true, ownerMax: ^uint64(0), rootMax: ^uint64(0),
		get: func(h *Hyperparams) uint64 { return h.WeightsVersionKey }, set: func(h *Hyperparams, v uint64) { h.WeightsVersionKey = v }},
	{name: "bonds_moving_average", owner: true, ownerMax: 975_000, rootMax: 1_000_000,
		get: func(h *Hyperparams) uint64 { return h.BondsMovingAverage }, set: func(h *Hyperparams, v uint64) { h.BondsMovingAverage = v }},
	{name: "bonds_penalty", owner: true, ownerMax: u16max, rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.BondsPenalty) }, set: func(h *Hyperparams, v uint64) { h.BondsPenalty = uint16(v) }},
	{name: "yuma3", owner: true, ownerMax: 1, rootMax: 1,
		get: func(h *Hyperparams) uint64 { return b2u(h.Yuma3) }, set: func(h *Hyperparams, v uint64) { h.Yuma3 = v == 1 }},
	{name: "liquid_alpha", owner: true, ownerMax: 1, rootMax: 1,
		get: func(h *Hyperparams) uint64 { return b2u(h.LiquidAlpha) }, set: func(h *Hyperparams, v uint64) { h.LiquidAlpha = v == 1 }},
	{name: "alpha_low", owner: true, ownerMin: 1638, ownerMax: u16max, rootMin: 1638, rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.AlphaLow) }, set: func(h *Hyperparams, v uint64) { h.AlphaLow = uint16(v) },
		check: func(h *Hyperparams, _ *subnet, v uint64) error {
			if !h.LiquidAlpha {
				return fmt.Errorf("alpha values need liquid_alpha enabled first")
			}
			if v > uint64(h.AlphaHigh) {
				return fmt.Errorf("alpha_low %d exceeds alpha_high %d", v, h.AlphaHigh)
			}
			return nil
		}},
	{name: "alpha_high", owner: true, ownerMin: 1638, ownerMax: u16max, rootMin: 1638, rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.AlphaHigh) }, set: func(h *Hyperparams, v uint64) { h.AlphaHigh = uint16(v) },
		check: func(h *Hyperparams, _ *subnet, v uint64) error {
			if !h.LiquidAlpha {
				return fmt.Errorf("alpha values need liquid_alpha enabled first")
			}
			if v < uint64(h.AlphaLow) {
				return fmt.Errorf("alpha_high %d is below alpha_low %d", v, h.AlphaLow)
			}
			return nil
		}},
	{name: "alpha_sigmoid_steepness", owner: true, ownerMax: 32_767, rootMax: 32_767,
		get: func(h *Hyperparams) uint64 { return uint64(h.AlphaSigmoidSteepness) }, set: func(h *Hyperparams, v uint64) { h.AlphaSigmoidSteepness = uint16(v) }},
	{name: "commit_reveal", owner: true, ownerMax: 1, rootMax: 1,
		get: func(h *Hyperparams) uint64 { return b2u(h.CommitReveal) }, set: func(h *Hyperparams, v uint64) { h.CommitReveal = v == 1 }},
	{name: "reveal_period_epochs", owner: true, ownerMin: 1, ownerMax: 100, rootMin: 1, rootMax: 100,
		get: func(h *Hyperparams) uint64 { return h.RevealPeriodEpochs }, set: func(h *Hyperparams, v uint64) { h.RevealPeriodEpochs = v }},
	{name: "owner_cut_enabled", owner: true, ownerMax: 1, rootMax: 1,
		get: func(h *Hyperparams) uint64 { return b2u(h.OwnerCutEnabled) }, set: func(h *Hyperparams, v uint64) { h.OwnerCutEnabled = v == 1 }},
	{name: "min_burn", owner: true, ownerMax: RaoPerTAO - 1, rootMax: MaxSupply,
		get: func(h *Hyperparams) uint64 { return h.MinBurn }, set: func(h *Hyperparams, v uint64) { h.MinBurn = v },
		check: func(h *Hyperparams, _ *subnet, v uint64) error {
			if v >= h.MaxBurn {
				return fmt.Errorf("min_burn %s must be below max_burn %s", FormatTAO(v), FormatTAO(h.MaxBurn))
			}
			return nil
		}},
	{name: "max_burn", owner: true, ownerMin: RaoPerTAO/10 + 1, ownerMax: MaxSupply, rootMin: 1, rootMax: MaxSupply,
		get: func(h *Hyperparams) uint64 { return h.MaxBurn }, set: func(h *Hyperparams, v uint64) { h.MaxBurn = v },
		check: func(h *Hyperparams, _ *subnet, v uint64) error {
			if v <= h.MinBurn {
				return fmt.Errorf("max_burn %s must be above min_burn %s", FormatTAO(v), FormatTAO(h.MinBurn))
			}
			return nil
		}},
	{name: "burn_half_life", owner: true, ownerMin: 1, ownerMax: 36_100, rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.BurnHalfLife) }, set: func(h *Hyperparams, v uint64) { h.BurnHalfLife = uint16(v) }},
	{name: "burn_increase_mult_ppm", owner: true, ownerMin: 1_000_000, ownerMax: 3_000_000, rootMin: 1_000_000, rootMax: 3_000_000,
		get: func(h *Hyperparams) uint64 { return h.BurnIncreaseMultPPM }, set: func(h *Hyperparams, v uint64) { h.BurnIncreaseMultPPM = v }},
	{name: "registration_allowed", rootMax: 1,
		get: func(h *Hyperparams) uint64 { return b2u(h.RegistrationAllowed) }, set: func(h *Hyperparams, v uint64) { h.RegistrationAllowed = v == 1 }},
	{name: "pow_registration_allowed", owner: true, ownerMax: 1, rootMax: 1,
		get: func(h *Hyperparams) uint64 { return b2u(h.PowRegistrationAllowed) }, set: func(h *Hyperparams, v uint64) { h.PowRegistrationAllowed = v == 1 }},
	{name: "difficulty", rootMin: 1, rootMax: ^uint64(0),
		get: func(h *Hyperparams) uint64 { return h.Difficulty }, set: func(h *Hyperparams, v uint64) { h.Difficulty = v }},
	{name: "serving_rate_limit", owner: true, ownerMax: ^uint64(0), rootMax: ^uint64(0),
		get: func(h *Hyperparams) uint64 { return h.ServingRateLimit }, set: func(h *Hyperparams, v uint64) { h.ServingRateLimit = v }},
	{name: "immune_owner_uids_limit", owner: true, ownerMin: 1, ownerMax: 10, rootMin: 0, rootMax: 10,
		get: func(h *Hyperparams) uint64 { return uint64(h.ImmuneOwnerUidsLimit) }, set: func(h *Hyperparams, v uint64) { h.ImmuneOwnerUidsLimit = uint16(v) }},
	{name: "min_non_immune_uids", rootMax: u16max,
		get: func(h *Hyperparams) uint64 { return uint64(h.MinNonImmuneUids) }, set: func(h *Hyperparams, v uint64) { h.MinNonImmuneUids = uint16(v) }},
	{name: "whitepaper", owner: true, ownerMax: 1, rootMax: 1,
		get: func(h *Hyperparams) uint64 { return b2u(h.Whitepaper) }, set: func(h *Hyperparams, v uint64) { h.Whitepaper = v == 1 }},
	{name: "fee_rate", rootMax: uint64(mechanism.MaxFeeRate),
		get: func(h *Hyperparams) uint64 { return uint64(h.FeeRate) }, set: func(h *Hyperparams, v uint64) { h.FeeRate = uint16(v) }},
	{name: "emission_enabled", rootMax: 1,
		get: func(h *Hyperparams) uint64 { return b2u(h.EmissionEnabled) }, set: func(h *Hyperparams, v uint64) { h.EmissionEnabled = v == 1 }},
}

func lookupHyperField(name string) (*hyperField, bool) {
	for i := range hyperFields {
		if hyperFields[i].name == name {
			return &hyperFields[i], true
		}
	}
	return nil, false
}

// HyperparamNames maps every name set_hyperparameter accepts to who may set it: "owner" (the
// subnet owner within owner bounds, or sudo) or "sudo" (sudo only).
func HyperparamNames() map[string]string {
	out := map[string]string{}
	for _, f := range hyperFields {
		who := "sudo"
		if f.owner {
			who = "owner"
		}
		out[f.name] = who
	}
	return out
}

// HyperparamBounds gives the static bounds set_hyperparameter applies to name: the owner's
// range, or sudo's when bySudo. ok is false for an unknown name, or when the owner may not set
// it at all. The chain also checks some values against the subnet's other hyperparameters;
// clients use this to refuse an out-of-range value before paying a fee.
func HyperparamBounds(name string, bySudo bool) (lo, hi uint64, ok bool) {
	f, found := lookupHyperField(name)
	switch {
	case !found:
		return 0, 0, false
	case bySudo:
		return f.rootMin, f.rootMax, true
	case !f.owner:
		return 0, 0, false
	}
	return f.ownerMin, f.ownerMax, true
}

// GlobalParamNames lists the names sudo_set_global accepts, sorted.
func GlobalParamNames() []string {
	var out []string
	for _, f := range subParamFields {
		out = append(out, f.name)
	}
	sort.Strings(out)
	return out
}
