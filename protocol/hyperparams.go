package protocol

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

// HyperField names one settable hyperparameter: its set_hyperparameter name, whether the
// subnet owner may set it, and how to read and write it as a u64 (booleans 0/1). The bounds
// and cross-field checks are the chain's rules (localchain).
type HyperField struct {
	Name  string
	Owner bool // the subnet owner may set it (within the chain's owner bounds); sudo always may
	Get   func(*Hyperparams) uint64
	Set   func(*Hyperparams, uint64)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// HyperFields lists every hyperparameter in storage order: the chain's subnet record stores
// them in this order, and its decoder gives a field missing from an older record its default
// (localchain/records.go). Append new hyperparameters at the end only; reordering or removing
// one needs a schema version bump and a migration.
var HyperFields = []HyperField{
	{Name: "tempo", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.Tempo) }, Set: func(h *Hyperparams, v uint64) { h.Tempo = uint16(v) }},
	{Name: "kappa",
		Get: func(h *Hyperparams) uint64 { return uint64(h.Kappa) }, Set: func(h *Hyperparams, v uint64) { h.Kappa = uint16(v) }},
	{Name: "rho", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.Rho) }, Set: func(h *Hyperparams, v uint64) { h.Rho = uint16(v) }},
	{Name: "activity_cutoff_factor_milli", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.ActivityCutoffFactorMilli) }, Set: func(h *Hyperparams, v uint64) { h.ActivityCutoffFactorMilli = uint32(v) }},
	{Name: "immunity_period", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.ImmunityPeriod) }, Set: func(h *Hyperparams, v uint64) { h.ImmunityPeriod = uint16(v) }},
	{Name: "min_allowed_weights", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.MinAllowedWeights) }, Set: func(h *Hyperparams, v uint64) { h.MinAllowedWeights = uint16(v) }},
	{Name: "max_weights_limit",
		Get: func(h *Hyperparams) uint64 { return uint64(h.MaxWeightsLimit) }, Set: func(h *Hyperparams, v uint64) { h.MaxWeightsLimit = uint16(v) }},
	{Name: "max_allowed_uids", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.MaxAllowedUids) }, Set: func(h *Hyperparams, v uint64) { h.MaxAllowedUids = uint16(v) }},
	{Name: "max_allowed_validators",
		Get: func(h *Hyperparams) uint64 { return uint64(h.MaxAllowedValidators) }, Set: func(h *Hyperparams, v uint64) { h.MaxAllowedValidators = uint16(v) }},
	{Name: "weights_set_rate_limit",
		Get: func(h *Hyperparams) uint64 { return h.WeightsSetRateLimit }, Set: func(h *Hyperparams, v uint64) { h.WeightsSetRateLimit = v }},
	{Name: "weights_version_key", Owner: true,
		Get: func(h *Hyperparams) uint64 { return h.WeightsVersionKey }, Set: func(h *Hyperparams, v uint64) { h.WeightsVersionKey = v }},
	{Name: "bonds_moving_average", Owner: true,
		Get: func(h *Hyperparams) uint64 { return h.BondsMovingAverage }, Set: func(h *Hyperparams, v uint64) { h.BondsMovingAverage = v }},
	{Name: "bonds_penalty", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.BondsPenalty) }, Set: func(h *Hyperparams, v uint64) { h.BondsPenalty = uint16(v) }},
	{Name: "yuma3", Owner: true,
		Get: func(h *Hyperparams) uint64 { return b2u(h.Yuma3) }, Set: func(h *Hyperparams, v uint64) { h.Yuma3 = v == 1 }},
	{Name: "liquid_alpha", Owner: true,
		Get: func(h *Hyperparams) uint64 { return b2u(h.LiquidAlpha) }, Set: func(h *Hyperparams, v uint64) { h.LiquidAlpha = v == 1 }},
	{Name: "alpha_low", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.AlphaLow) }, Set: func(h *Hyperparams, v uint64) { h.AlphaLow = uint16(v) }},
	{Name: "alpha_high", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.AlphaHigh) }, Set: func(h *Hyperparams, v uint64) { h.AlphaHigh = uint16(v) }},
	{Name: "alpha_sigmoid_steepness", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.AlphaSigmoidSteepness) }, Set: func(h *Hyperparams, v uint64) { h.AlphaSigmoidSteepness = uint16(v) }},
	{Name: "commit_reveal", Owner: true,
		Get: func(h *Hyperparams) uint64 { return b2u(h.CommitReveal) }, Set: func(h *Hyperparams, v uint64) { h.CommitReveal = v == 1 }},
	{Name: "reveal_period_epochs", Owner: true,
		Get: func(h *Hyperparams) uint64 { return h.RevealPeriodEpochs }, Set: func(h *Hyperparams, v uint64) { h.RevealPeriodEpochs = v }},
	{Name: "owner_cut_enabled", Owner: true,
		Get: func(h *Hyperparams) uint64 { return b2u(h.OwnerCutEnabled) }, Set: func(h *Hyperparams, v uint64) { h.OwnerCutEnabled = v == 1 }},
	{Name: "min_burn", Owner: true,
		Get: func(h *Hyperparams) uint64 { return h.MinBurn }, Set: func(h *Hyperparams, v uint64) { h.MinBurn = v }},
	{Name: "max_burn", Owner: true,
		Get: func(h *Hyperparams) uint64 { return h.MaxBurn }, Set: func(h *Hyperparams, v uint64) { h.MaxBurn = v }},
	{Name: "burn_half_life", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.BurnHalfLife) }, Set: func(h *Hyperparams, v uint64) { h.BurnHalfLife = uint16(v) }},
	{Name: "burn_increase_mult_ppm", Owner: true,
		Get: func(h *Hyperparams) uint64 { return h.BurnIncreaseMultPPM }, Set: func(h *Hyperparams, v uint64) { h.BurnIncreaseMultPPM = v }},
	{Name: "registration_allowed",
		Get: func(h *Hyperparams) uint64 { return b2u(h.RegistrationAllowed) }, Set: func(h *Hyperparams, v uint64) { h.RegistrationAllowed = v == 1 }},
	{Name: "pow_registration_allowed", Owner: true,
		Get: func(h *Hyperparams) uint64 { return b2u(h.PowRegistrationAllowed) }, Set: func(h *Hyperparams, v uint64) { h.PowRegistrationAllowed = v == 1 }},
	{Name: "difficulty",
		Get: func(h *Hyperparams) uint64 { return h.Difficulty }, Set: func(h *Hyperparams, v uint64) { h.Difficulty = v }},
	{Name: "serving_rate_limit", Owner: true,
		Get: func(h *Hyperparams) uint64 { return h.ServingRateLimit }, Set: func(h *Hyperparams, v uint64) { h.ServingRateLimit = v }},
	{Name: "immune_owner_uids_limit", Owner: true,
		Get: func(h *Hyperparams) uint64 { return uint64(h.ImmuneOwnerUidsLimit) }, Set: func(h *Hyperparams, v uint64) { h.ImmuneOwnerUidsLimit = uint16(v) }},
	{Name: "min_non_immune_uids",
		Get: func(h *Hyperparams) uint64 { return uint64(h.MinNonImmuneUids) }, Set: func(h *Hyperparams, v uint64) { h.MinNonImmuneUids = uint16(v) }},
	{Name: "whitepaper", Owner: true,
		Get: func(h *Hyperparams) uint64 { return b2u(h.Whitepaper) }, Set: func(h *Hyperparams, v uint64) { h.Whitepaper = v == 1 }},
	{Name: "fee_rate",
		Get: func(h *Hyperparams) uint64 { return uint64(h.FeeRate) }, Set: func(h *Hyperparams, v uint64) { h.FeeRate = uint16(v) }},
	{Name: "emission_enabled",
		Get: func(h *Hyperparams) uint64 { return b2u(h.EmissionEnabled) }, Set: func(h *Hyperparams, v uint64) { h.EmissionEnabled = v == 1 }},
}

// LookupHyperField finds a hyperparameter by its set_hyperparameter name.
func LookupHyperField(name string) (*HyperField, bool) {
	for i := range HyperFields {
		if HyperFields[i].Name == name {
			return &HyperFields[i], true
		}
	}
	return nil, false
}

// HyperparamNames maps every name set_hyperparameter accepts to who may set it: "owner" (the
// subnet owner within owner bounds, or sudo) or "sudo" (sudo only).
func HyperparamNames() map[string]string {
	out := map[string]string{}
	for _, f := range HyperFields {
		who := "sudo"
		if f.Owner {
			who = "owner"
		}
		out[f.Name] = who
	}
	return out
}
