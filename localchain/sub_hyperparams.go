package localchain

import (
	"fmt"
	"sort"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
)

const defaultBurnMultPPM = 1_260_000

// devnetHyperparams are a new devnet subnet's values: subtensor's new-subnet values except
// tempo 10, immunity 100 blocks, weights rate limit 1 block, commit-reveal off, PoW allowed at
// a small difficulty and classic (non-Yuma3) bonds so that epochs are easy to follow.
func devnetHyperparams() protocol.Hyperparams {
	d := mechanism.DefaultHyperparameters()
	b := mechanism.DefaultBurnParams()
	return protocol.Hyperparams{
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

// GlobalParamNames lists the names sudo_set_global accepts, sorted.
func GlobalParamNames() []string {
	var out []string
	for _, f := range subParamFields {
		out = append(out, f.name)
	}
	sort.Strings(out)
	return out
}

// epochParams converts to the epoch's hyperparameters.
func epochParams(h *protocol.Hyperparams, stakeThreshold uint64) mechanism.Hyperparameters {
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

// hyperRule is the chain's rule for one hyperparameter (protocol.HyperFields names them):
// the owner's bounds, sudo's bounds, and an optional check of a new value against the other
// hyperparameters and the number of registered neurons.
type hyperRule struct {
	ownerMin, ownerMax uint64
	rootMin, rootMax   uint64
	check              func(h *protocol.Hyperparams, registered uint16, v uint64) error
}

const u16max = 65535

var hyperRules = map[string]hyperRule{
	// tempo: 0 would stop the subnet's epochs, so no one may set it; the owner's range starts at 1
	// (subtensor's MIN_TEMPO 360 would refuse the devnet's own default of 10; docs/emission.md).
	"tempo":                        {ownerMin: 1, ownerMax: 50_400, rootMin: 1, rootMax: u16max},
	"kappa":                        {rootMax: u16max},
	"rho":                          {ownerMax: u16max, rootMax: u16max},
	"activity_cutoff_factor_milli": {ownerMin: 1000, ownerMax: 50_000, rootMin: 1000, rootMax: 50_000},
	"immunity_period":              {ownerMax: u16max, rootMax: u16max},
	"min_allowed_weights":          {ownerMax: u16max, rootMax: u16max},
	"max_weights_limit":            {rootMax: u16max},
	"max_allowed_uids": {ownerMin: 1, ownerMax: 256, rootMin: 1, rootMax: 256,
		check: func(h *protocol.Hyperparams, registered uint16, v uint64) error {
			if v < uint64(registered) {
				return fmt.Errorf("max_allowed_uids %d is below the %d registered neurons", v, registered)
			}
			if v < uint64(h.MaxAllowedValidators) {
				return fmt.Errorf("max_allowed_uids %d is below max_allowed_validators %d", v, h.MaxAllowedValidators)
			}
			return nil
		}},
	"max_allowed_validators": {rootMin: 1, rootMax: 256,
		check: func(h *protocol.Hyperparams, _ uint16, v uint64) error {
			if v > uint64(h.MaxAllowedUids) {
				return fmt.Errorf("max_allowed_validators %d exceeds max_allowed_uids %d", v, h.MaxAllowedUids)
			}
			return nil
		}},
	"weights_set_rate_limit": {rootMax: ^uint64(0)},
	"weights_version_key":    {ownerMax: ^uint64(0), rootMax: ^uint64(0)},
	"bonds_moving_average":   {ownerMax: 975_000, rootMax: 1_000_000},
	"bonds_penalty":          {ownerMax: u16max, rootMax: u16max},
	"yuma3":                  {ownerMax: 1, rootMax: 1},
	"liquid_alpha":           {ownerMax: 1, rootMax: 1},
	"alpha_low": {ownerMin: 1638, ownerMax: u16max, rootMin: 1638, rootMax: u16max,
		check: func(h *protocol.Hyperparams, _ uint16, v uint64) error {
			if !h.LiquidAlpha {
				return fmt.Errorf("alpha values need liquid_alpha enabled first")
			}
			if v > uint64(h.AlphaHigh) {
				return fmt.Errorf("alpha_low %d exceeds alpha_high %d", v, h.AlphaHigh)
			}
			return nil
		}},
	"alpha_high": {ownerMin: 1638, ownerMax: u16max, rootMin: 1638, rootMax: u16max,
		check: func(h *protocol.Hyperparams, _ uint16, v uint64) error {
			if !h.LiquidAlpha {
				return fmt.Errorf("alpha values need liquid_alpha enabled first")
			}
			if v < uint64(h.AlphaLow) {
				return fmt.Errorf("alpha_high %d is below alpha_low %d", v, h.AlphaLow)
			}
			return nil
		}},
	"alpha_sigmoid_steepness": {ownerMax: 32_767, rootMax: 32_767},
	"commit_reveal":           {ownerMax: 1, rootMax: 1},
	"reveal_period_epochs":    {ownerMin: 1, ownerMax: 100, rootMin: 1, rootMax: 100},
	"owner_cut_enabled":       {ownerMax: 1, rootMax: 1},
	"min_burn": {ownerMax: protocol.RaoPerTAO - 1, rootMax: protocol.MaxSupply,
		check: func(h *protocol.Hyperparams, _ uint16, v uint64) error {
			if v >= h.MaxBurn {
				return fmt.Errorf("min_burn %s must be below max_burn %s", protocol.FormatTAO(v), protocol.FormatTAO(h.MaxBurn))
			}
			return nil
		}},
	"max_burn": {ownerMin: protocol.RaoPerTAO/10 + 1, ownerMax: protocol.MaxSupply, rootMin: 1, rootMax: protocol.MaxSupply,
		check: func(h *protocol.Hyperparams, _ uint16, v uint64) error {
			if v <= h.MinBurn {
				return fmt.Errorf("max_burn %s must be above min_burn %s", protocol.FormatTAO(v), protocol.FormatTAO(h.MinBurn))
			}
			return nil
		}},
	"burn_half_life":           {ownerMin: 1, ownerMax: 36_100, rootMax: u16max},
	"burn_increase_mult_ppm":   {ownerMin: 1_000_000, ownerMax: 3_000_000, rootMin: 1_000_000, rootMax: 3_000_000},
	"registration_allowed":     {rootMax: 1},
	"pow_registration_allowed": {ownerMax: 1, rootMax: 1},
	"difficulty":               {rootMin: 1, rootMax: ^uint64(0)},
	"serving_rate_limit":       {ownerMax: ^uint64(0), rootMax: ^uint64(0)},
	"immune_owner_uids_limit":  {ownerMin: 1, ownerMax: 10, rootMin: 0, rootMax: 10},
	"min_non_immune_uids":      {rootMax: u16max},
	"whitepaper":               {ownerMax: 1, rootMax: 1},
	"fee_rate":                 {rootMax: uint64(mechanism.MaxFeeRate)},
	"emission_enabled":         {rootMax: 1},
}

// HyperparamBounds gives the static bounds set_hyperparameter applies to name: the owner's
// range, or sudo's when bySudo. ok is false for an unknown name, or when the owner may not set
// it at all. The chain also checks some values against the subnet's other hyperparameters;
// clients use this to refuse an out-of-range value before paying a fee.
func HyperparamBounds(name string, bySudo bool) (lo, hi uint64, ok bool) {
	f, found := protocol.LookupHyperField(name)
	r := hyperRules[name]
	switch {
	case !found:
		return 0, 0, false
	case bySudo:
		return r.rootMin, r.rootMax, true
	case !f.Owner:
		return 0, 0, false
	}
	return r.ownerMin, r.ownerMax, true
}
