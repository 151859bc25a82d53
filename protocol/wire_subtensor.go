package protocol

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/btui/btui/wallet"
)

// Wire types of the subtensor queries (JSON names are node API: add fields, never rename).
// Amounts are rao (TAO) or alpha rao; prices are rao per alpha; u16 proportions are as stored
// (x/65535).

// SubnetInfo is one row of the subnet list.
type SubnetInfo struct {
	Netuid        uint16           `json:"netuid"`
	Owner         wallet.AccountID `json:"owner"`
	OwnerHotkey   wallet.AccountID `json:"owner_hotkey"`
	Root          bool             `json:"root"`
	RegisteredAt  uint64           `json:"registered_at"`
	Started       bool             `json:"started"`
	FirstEmission uint64           `json:"first_emission_block"`
	Lock          uint64           `json:"lock"`
	// Price is the spot price in rao per alpha (1e9 = 1 TAO per alpha).
	Price       uint64 `json:"price"`
	MovingPrice uint64 `json:"moving_price"` // the moving price EMA, rao per alpha
	TaoIn       uint64 `json:"tao_in"`       // pool TAO reserve
	AlphaIn     uint64 `json:"alpha_in"`     // pool alpha reserve
	// QuoteWeight is the pool's TAO-side weight as a perquintill (1e18 = 1; 5e17 is the constant
	// product), so a client can quote a trade exactly with mechanism.Pool.
	QuoteWeight    uint64 `json:"quote_weight"`
	AlphaOut       uint64 `json:"alpha_out"` // staked + pending + protocol alpha
	ProtocolAlpha  uint64 `json:"protocol_alpha"`
	EmissionShare  uint64 `json:"emission_share_ppb"` // share of the block emission, parts per billion
	TaoEmission    uint64 `json:"tao_emission"`       // TAO per block at the current issuance (rao)
	AlphaEmission  uint64 `json:"alpha_emission"`     // alpha minted per block (alpha_out)
	Tempo          uint16 `json:"tempo"`
	NextEpochBlock uint64 `json:"next_epoch_block"` // 0 when tempo is 0
	LastEpoch      uint64 `json:"last_epoch_block"`
	BurnCost       uint64 `json:"burn_cost"`
	Difficulty     uint64 `json:"difficulty"`
	Neurons        uint16 `json:"neurons"`
	MaxNeurons     uint16 `json:"max_neurons"`
	PendingServer  uint64 `json:"pending_server"`
	PendingValid   uint64 `json:"pending_validator"`
	PendingRoot    uint64 `json:"pending_root"`
	PendingOwner   uint64 `json:"pending_owner_cut"`
	Volume         uint64 `json:"volume"`
	// Identity is the subnet's identity (set_subnet_identity), if its owner set one.
	Identity *SubnetIdentity `json:"identity,omitempty"`
}

// AxonInfo is a served endpoint.
type AxonInfo struct {
	Block    uint64 `json:"block"`
	Version  uint32 `json:"version"`
	IP       string `json:"ip"`
	Port     uint16 `json:"port"`
	IPType   uint8  `json:"ip_type"`
	Protocol uint8  `json:"protocol"`
}

// NeuronInfo is one uid of a metagraph.
type NeuronInfo struct {
	UID            uint16           `json:"uid"`
	Hotkey         wallet.AccountID `json:"hotkey"`
	Coldkey        wallet.AccountID `json:"coldkey"`
	Stake          uint64           `json:"stake"`        // alpha staked on the hotkey in this subnet
	RootStake      uint64           `json:"root_stake"`   // TAO staked on the hotkey on root
	StakeWeight    uint64           `json:"stake_weight"` // alpha + tao_weight·root, what the epoch reads
	Rank           uint16           `json:"rank"`
	Trust          uint16           `json:"trust"`
	Consensus      uint16           `json:"consensus"`
	Incentive      uint16           `json:"incentive"`
	Dividends      uint16           `json:"dividends"`
	ValidatorTrust uint16           `json:"validator_trust"`
	StakeShare     uint16           `json:"stake_share"` // normalised stake of the last epoch
	Emission       uint64           `json:"emission"`    // alpha of the last epoch
	Permit         bool             `json:"validator_permit"`
	LastUpdate     uint64           `json:"last_update"`
	Active         bool             `json:"active"`
	RegisteredAt   uint64           `json:"registered_at"`
	Immune         bool             `json:"immune"`
	Take           uint16           `json:"take"`
	Axon           *AxonInfo        `json:"axon,omitempty"`
}

// Metagraph is a subnet's neurons at a block.
type Metagraph struct {
	Netuid  uint16       `json:"netuid"`
	Block   uint64       `json:"block"`
	N       uint16       `json:"n"`
	Neurons []NeuronInfo `json:"neurons"`
}

// MatrixRow is one uid's stored weights or bonds.
type MatrixRow struct {
	UID     uint16     `json:"uid"`
	Entries []UIDValue `json:"entries"`
}

// StakeInfo is one stake position.
type StakeInfo struct {
	Netuid   uint16           `json:"netuid"`
	Hotkey   wallet.AccountID `json:"hotkey"`
	Coldkey  wallet.AccountID `json:"coldkey"`
	Alpha    uint64           `json:"alpha"`     // TAO on root
	TaoValue uint64           `json:"tao_value"` // at the spot price, rao
}

// DelegateInfo is a hotkey account: owner, take and the stake it holds.
type DelegateInfo struct {
	Hotkey     wallet.AccountID  `json:"hotkey"`
	Owner      wallet.AccountID  `json:"owner"`
	Take       uint16            `json:"take"`
	Nominators int               `json:"nominators"`
	TotalTao   uint64            `json:"total_tao_value"` // all its positions at spot prices
	Registered []uint16          `json:"registered"`      // netuids where it holds a uid
	StakeByNet map[string]uint64 `json:"stake_by_netuid"` // netuid -> alpha
}

// CommitInfo is one stored weights commit and the blocks in which it can be revealed.
type CommitInfo struct {
	Hash        Hash   `json:"hash"`
	Block       uint64 `json:"block"`
	RevealFrom  uint64 `json:"reveal_from"`
	RevealUntil uint64 `json:"reveal_until"`
	Expired     bool   `json:"expired"` // no longer revealable from the next block
}

// UIDValue is one entry of a weight or bond row: a uid and its u16 value. It marshals as the
// pair [uid, value] (as mechanism.UIDValue does).
type UIDValue struct {
	UID   uint16
	Value uint16
}

// MarshalJSON writes the pair as [uid, value].
func (p UIDValue) MarshalJSON() ([]byte, error) {
	return []byte("[" + strconv.FormatUint(uint64(p.UID), 10) + "," + strconv.FormatUint(uint64(p.Value), 10) + "]"), nil
}

// UnmarshalJSON reads [uid, value] with both in 0..65535.
func (p *UIDValue) UnmarshalJSON(b []byte) error {
	var pair []uint16
	if err := json.Unmarshal(b, &pair); err != nil {
		return fmt.Errorf("weight entry: want [uid, value] with both in 0..65535: %w", err)
	}
	if len(pair) != 2 {
		return fmt.Errorf("weight entry: want [uid, value], got %d numbers", len(pair))
	}
	p.UID, p.Value = pair[0], pair[1]
	return nil
}

// GlobalParams are the chain-wide subtensor parameters by name (sudo_set_global's names).
type GlobalParams map[string]uint64

// StakeView is what a stake trade is planned from, read in one transaction at one head (the
// stake_view query): the asked subnets' rows with their pool fee rates, the chain's minimum
// pool reserve, and a coldkey's free balance and stake positions. A preview quoted from it
// comes from one consistent state.
type StakeView struct {
	Height     uint64         `json:"height"`          // the head it was read at
	Markets    []SubnetMarket `json:"markets"`         // the asked subnets that exist, in the order asked
	MinReserve uint64         `json:"minimum_reserve"` // rao
	Free       uint64         `json:"free"`            // the coldkey's free balance, rao
	Stakes     []StakeInfo    `json:"stakes"`          // the coldkey's positions (StakesByColdkey)
	TxFee      uint64         `json:"tx_fee"`          // the chain's transaction fee, rao
	// ExistentialDeposit is the smallest balance an account may hold, rao.
	ExistentialDeposit uint64 `json:"existential_deposit"`
}

// SubnetMarket is a subnet's row with its pool fee rate (x/65535).
type SubnetMarket struct {
	Subnet  SubnetInfo `json:"subnet"`
	FeeRate uint16     `json:"fee_rate"`
}
