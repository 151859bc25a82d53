package substrate

import (
	"math/big"

	"github.com/btui/btui/chainclient/substrate/scale"
	"github.com/btui/btui/wallet"
)

// The typed views btui reads. Each field's tag names the runtime's field; the registry decides
// widths and encodings (see bind.go). Integer fields are uint64 so a runtime that widens a
// field (activity_cutoff went from Compact<u16> to Compact<u64>) still binds.

// AccountInfo is System.Account (balances are u64 on subtensor).
type AccountInfo struct {
	Nonce       uint64      `scale:"nonce"`
	Consumers   uint64      `scale:"consumers"`
	Providers   uint64      `scale:"providers"`
	Sufficients uint64      `scale:"sufficients"`
	Data        AccountData `scale:"data"`
}

// AccountData is the balance part of AccountInfo.
type AccountData struct {
	Free     uint64     `scale:"free"`
	Reserved uint64     `scale:"reserved"`
	Frozen   uint64     `scale:"frozen"`
	Flags    scale.U128 `scale:"flags,optional"`
}

// AxonInfo is a neuron's served endpoint.
type AxonInfo struct {
	Block    uint64     `scale:"block"`
	Version  uint64     `scale:"version"`
	IP       scale.U128 `scale:"ip"`
	Port     uint64     `scale:"port"`
	IPType   uint64     `scale:"ip_type"`
	Protocol uint64     `scale:"protocol,optional"`
}

// PrometheusInfo is a neuron's metrics endpoint.
type PrometheusInfo struct {
	Block   uint64     `scale:"block"`
	Version uint64     `scale:"version"`
	IP      scale.U128 `scale:"ip"`
	Port    uint64     `scale:"port"`
	IPType  uint64     `scale:"ip_type"`
}

// AccountAmount is an (account, amount) pair.
type AccountAmount struct {
	Account wallet.AccountID
	Amount  uint64
}

// UIDValue is a (uid, value) pair of a weight or bond row.
type UIDValue struct {
	UID   uint64
	Value uint64
}

// NeuronInfoLite is one entry of NeuronInfoRuntimeApi_get_neurons_lite. The u16 scores are
// fractions of 65,535.
type NeuronInfoLite struct {
	Hotkey          wallet.AccountID `scale:"hotkey"`
	Coldkey         wallet.AccountID `scale:"coldkey"`
	UID             uint64           `scale:"uid"`
	NetUID          uint64           `scale:"netuid"`
	Active          bool             `scale:"active"`
	Axon            AxonInfo         `scale:"axon_info"`
	Prometheus      PrometheusInfo   `scale:"prometheus_info,optional"`
	Stake           []AccountAmount  `scale:"stake"`
	Rank            uint64           `scale:"rank,optional"`
	Emission        uint64           `scale:"emission"`
	Incentive       uint64           `scale:"incentive"`
	Consensus       uint64           `scale:"consensus"`
	Trust           uint64           `scale:"trust,optional"`
	ValidatorTrust  uint64           `scale:"validator_trust"`
	Dividends       uint64           `scale:"dividends"`
	LastUpdate      uint64           `scale:"last_update"`
	ValidatorPermit bool             `scale:"validator_permit"`
	PruningScore    uint64           `scale:"pruning_score"`
}

// TotalStake sums the neuron's stake entries (saturating).
func (n *NeuronInfoLite) TotalStake() uint64 {
	var s uint64
	for _, e := range n.Stake {
		if s+e.Amount < s {
			return ^uint64(0)
		}
		s += e.Amount
	}
	return s
}

// NeuronInfo is NeuronInfoRuntimeApi_get_neuron: NeuronInfoLite plus weights and bonds.
type NeuronInfo struct {
	Hotkey          wallet.AccountID `scale:"hotkey"`
	Coldkey         wallet.AccountID `scale:"coldkey"`
	UID             uint64           `scale:"uid"`
	NetUID          uint64           `scale:"netuid"`
	Active          bool             `scale:"active"`
	Axon            AxonInfo         `scale:"axon_info"`
	Stake           []AccountAmount  `scale:"stake"`
	Rank            uint64           `scale:"rank,optional"`
	Emission        uint64           `scale:"emission"`
	Incentive       uint64           `scale:"incentive"`
	Consensus       uint64           `scale:"consensus"`
	Trust           uint64           `scale:"trust,optional"`
	ValidatorTrust  uint64           `scale:"validator_trust"`
	Dividends       uint64           `scale:"dividends"`
	LastUpdate      uint64           `scale:"last_update"`
	ValidatorPermit bool             `scale:"validator_permit"`
	Weights         []UIDValue       `scale:"weights"`
	Bonds           []UIDValue       `scale:"bonds"`
	PruningScore    uint64           `scale:"pruning_score"`
}

// SubnetIdentity is SubnetIdentityV3.
type SubnetIdentity struct {
	SubnetName    string `scale:"subnet_name"`
	GithubRepo    string `scale:"github_repo,optional"`
	SubnetContact string `scale:"subnet_contact,optional"`
	SubnetURL     string `scale:"subnet_url,optional"`
	Discord       string `scale:"discord,optional"`
	Description   string `scale:"description,optional"`
	LogoURL       string `scale:"logo_url,optional"`
	Additional    string `scale:"additional,optional"`
}

// Fixed is a fixed-point number as its raw bits (I96F32 moving_price: value = bits / 2^32).
type Fixed = scale.U128

// FixedI96F32 converts raw I96F32 bits to a float (for display only).
func FixedI96F32(bits scale.U128) float64 {
	b := bits.Big()
	if bits.Hi>>63 == 1 {
		b.Sub(b, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(b), new(big.Float).SetFloat64(1<<32)).Float64()
	return f
}

// DynamicInfo is one subnet of SubnetInfoRuntimeApi_get_all_dynamic_info: pool, price,
// emission and identity.
type DynamicInfo struct {
	NetUID              uint64           `scale:"netuid"`
	OwnerHotkey         wallet.AccountID `scale:"owner_hotkey"`
	OwnerColdkey        wallet.AccountID `scale:"owner_coldkey"`
	Name                string           `scale:"subnet_name"`
	Symbol              string           `scale:"token_symbol"`
	Tempo               uint64           `scale:"tempo"`
	LastStep            uint64           `scale:"last_step"`
	BlocksSinceLastStep uint64           `scale:"blocks_since_last_step"`
	Emission            uint64           `scale:"emission,optional"`
	AlphaIn             uint64           `scale:"alpha_in"`
	AlphaOut            uint64           `scale:"alpha_out"`
	TaoIn               uint64           `scale:"tao_in"`
	SubnetVolume        scale.U128       `scale:"subnet_volume,optional"`
	RegisteredAt        uint64           `scale:"network_registered_at"`
	Identity            *SubnetIdentity  `scale:"subnet_identity,optional"`
	MovingPrice         Fixed            `scale:"moving_price,optional"`
}

// SubnetInfo is one subnet of SubnetInfoRuntimeApi_get_subnets_info_v2 (hyperparameters).
type SubnetInfo struct {
	NetUID               uint64           `scale:"netuid"`
	Rho                  uint64           `scale:"rho"`
	Kappa                uint64           `scale:"kappa"`
	Difficulty           uint64           `scale:"difficulty"`
	ImmunityPeriod       uint64           `scale:"immunity_period"`
	MaxAllowedValidators uint64           `scale:"max_allowed_validators"`
	MinAllowedWeights    uint64           `scale:"min_allowed_weights"`
	MaxWeightsLimit      uint64           `scale:"max_weights_limit"`
	SubnetworkN          uint64           `scale:"subnetwork_n"`
	MaxAllowedUIDs       uint64           `scale:"max_allowed_uids"`
	BlocksSinceLastStep  uint64           `scale:"blocks_since_last_step"`
	Tempo                uint64           `scale:"tempo"`
	EmissionValue        uint64           `scale:"emission_value,optional"`
	Burn                 uint64           `scale:"burn"`
	Owner                wallet.AccountID `scale:"owner"`
	Identity             *SubnetIdentity  `scale:"identity,optional"`
}

// StakeInfo is one stake position of StakeInfoRuntimeApi_get_stake_info_for_coldkey. Stake is
// in alpha rao of the subnet (TAO on the root subnet 0).
type StakeInfo struct {
	Hotkey       wallet.AccountID `scale:"hotkey"`
	Coldkey      wallet.AccountID `scale:"coldkey"`
	NetUID       uint64           `scale:"netuid"`
	Stake        uint64           `scale:"stake"`
	Locked       uint64           `scale:"locked,optional"`
	Emission     uint64           `scale:"emission,optional"`
	TaoEmission  uint64           `scale:"tao_emission,optional"`
	Drain        uint64           `scale:"drain,optional"`
	IsRegistered bool             `scale:"is_registered"`
}

// Nomination is one nominator of a delegate: its stake per subnet.
type Nomination struct {
	Nominator wallet.AccountID
	Stakes    []UIDValue // (netuid, amount)
}

// DelegateInfo is one delegate of DelegateInfoRuntimeApi_get_delegates.
type DelegateInfo struct {
	Hotkey           wallet.AccountID `scale:"delegate_ss58"`
	Take             uint64           `scale:"take"`
	Nominators       []Nomination     `scale:"nominators"`
	Owner            wallet.AccountID `scale:"owner_ss58"`
	Registrations    []uint64         `scale:"registrations"`
	ValidatorPermits []uint64         `scale:"validator_permits"`
	ReturnPer1000    uint64           `scale:"return_per_1000,optional"`
	TotalDailyReturn uint64           `scale:"total_daily_return,optional"`
}

// Commitment is a (hotkey, commitment bytes) pair of a metagraph.
type Commitment struct {
	Hotkey wallet.AccountID
	Data   []byte
}

// Metagraph is a subnet's metagraph as SubnetInfoRuntimeApi_get_selective_mechagraph (or
// get_metagraph) returns it; per-UID vectors are indexed by uid. Fields the runtime leaves out
// of a selective answer stay zero.
type Metagraph struct {
	NetUID                     uint64             `scale:"netuid"`
	Name                       string             `scale:"name"`
	Symbol                     string             `scale:"symbol"`
	Identity                   *SubnetIdentity    `scale:"identity,optional"`
	RegisteredAt               uint64             `scale:"network_registered_at"`
	OwnerHotkey                wallet.AccountID   `scale:"owner_hotkey"`
	OwnerColdkey               wallet.AccountID   `scale:"owner_coldkey"`
	Block                      uint64             `scale:"block"`
	Tempo                      uint64             `scale:"tempo"`
	LastStep                   uint64             `scale:"last_step"`
	BlocksSinceLastStep        uint64             `scale:"blocks_since_last_step"`
	SubnetEmission             uint64             `scale:"subnet_emission,optional"`
	AlphaIn                    uint64             `scale:"alpha_in"`
	AlphaOut                   uint64             `scale:"alpha_out"`
	TaoIn                      uint64             `scale:"tao_in"`
	SubnetVolume               scale.U128         `scale:"subnet_volume,optional"`
	MovingPrice                Fixed              `scale:"moving_price,optional"`
	Rho                        uint64             `scale:"rho"`
	Kappa                      uint64             `scale:"kappa"`
	MinAllowedWeights          uint64             `scale:"min_allowed_weights"`
	MaxWeightsLimit            uint64             `scale:"max_weights_limit"`
	WeightsVersion             uint64             `scale:"weights_version"`
	WeightsRateLimit           uint64             `scale:"weights_rate_limit"`
	ActivityCutoff             uint64             `scale:"activity_cutoff"`
	MaxValidators              uint64             `scale:"max_validators"`
	NumUIDs                    uint64             `scale:"num_uids"`
	MaxUIDs                    uint64             `scale:"max_uids"`
	Burn                       uint64             `scale:"burn"`
	Difficulty                 uint64             `scale:"difficulty,optional"`
	RegistrationAllowed        bool               `scale:"registration_allowed"`
	PowRegistrationAllowed     bool               `scale:"pow_registration_allowed,optional"`
	ImmunityPeriod             uint64             `scale:"immunity_period"`
	MinBurn                    uint64             `scale:"min_burn,optional"`
	MaxBurn                    uint64             `scale:"max_burn,optional"`
	AdjustmentAlpha            uint64             `scale:"adjustment_alpha,optional"`
	AdjustmentInterval         uint64             `scale:"adjustment_interval,optional"`
	TargetRegsPerInterval      uint64             `scale:"target_regs_per_interval,optional"`
	MaxRegsPerBlock            uint64             `scale:"max_regs_per_block,optional"`
	ServingRateLimit           uint64             `scale:"serving_rate_limit,optional"`
	CommitRevealWeightsEnabled bool               `scale:"commit_reveal_weights_enabled"`
	CommitRevealPeriod         uint64             `scale:"commit_reveal_period,optional"`
	LiquidAlphaEnabled         bool               `scale:"liquid_alpha_enabled,optional"`
	AlphaHigh                  uint64             `scale:"alpha_high,optional"`
	AlphaLow                   uint64             `scale:"alpha_low,optional"`
	BondsMovingAvg             uint64             `scale:"bonds_moving_avg,optional"`
	Hotkeys                    []wallet.AccountID `scale:"hotkeys"`
	Coldkeys                   []wallet.AccountID `scale:"coldkeys"`
	Axons                      []AxonInfo         `scale:"axons"`
	Active                     []bool             `scale:"active"`
	ValidatorPermit            []bool             `scale:"validator_permit"`
	PruningScore               []uint64           `scale:"pruning_score"`
	LastUpdate                 []uint64           `scale:"last_update"`
	Emission                   []uint64           `scale:"emission"`
	Dividends                  []uint64           `scale:"dividends"`
	Incentives                 []uint64           `scale:"incentives"`
	Consensus                  []uint64           `scale:"consensus"`
	Trust                      []uint64           `scale:"trust,optional"`
	Rank                       []uint64           `scale:"rank,optional"`
	BlockAtRegistration        []uint64           `scale:"block_at_registration"`
	AlphaStake                 []uint64           `scale:"alpha_stake"`
	TaoStake                   []uint64           `scale:"tao_stake"`
	TotalStake                 []uint64           `scale:"total_stake"`
	TaoDividendsPerHotkey      []AccountAmount    `scale:"tao_dividends_per_hotkey,optional"`
	AlphaDividendsPerHotkey    []AccountAmount    `scale:"alpha_dividends_per_hotkey,optional"`
	Validators                 []uint64           `scale:"validators,optional"`
	Commitments                []Commitment       `scale:"commitments,optional"`
}

// FeeInfo is TransactionPaymentApi_query_info's answer.
type FeeInfo struct {
	Weight     Weight `scale:"weight"`
	Class      Value  `scale:"class"`
	PartialFee uint64 `scale:"partial_fee"`
}

// Weight is a dispatch weight.
type Weight struct {
	RefTime   uint64 `scale:"ref_time"`
	ProofSize uint64 `scale:"proof_size"`
}
