package localchain

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"sync"
	"unsafe"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Typed state of the subtensor modules. Reads take the *bbolt.Tx (queries and blocks), writes
// the block's *StateTx, as in state.go.

// RootNetuid is the root network: TAO staked 1:1, no neurons, no epoch.
const RootNetuid uint16 = 0

// subParams are the chain-wide subtensor parameters (sudo-set with sudo_set_global).
type subParams struct {
	TaoWeight             uint64 // fraction of u64::MAX (TaoWeight)
	SubnetOwnerCut        uint16 // 1/65535 units
	DefaultTake           uint16 // take of a hotkey that never called set_take
	MinTake, MaxTake      uint16 // bounds of set_take
	TakeRateLimit         uint64 // blocks between take increases
	StakeThreshold        uint64 // minimum stake weight to set weights
	MinStake              uint64 // DefaultMinStake (rao)
	NominatorMinStake     uint64 // NominatorMinRequiredStake (rao of TAO value)
	MinLock               uint64 // network lock floor (rao)
	LockReductionInterval uint64
	NetworkRateLimit      uint64 // blocks between register_network calls of one coldkey
	SubnetLimit           uint16 // most subnets besides root
	NetworkImmunity       uint64 // blocks after register_network during which a subnet is not pruned
	OwnerRateLimitTempos  uint64 // owner hyperparameter rate limit in tempos (0 = devnet: none)
	AdminFreezeWindow     uint64 // blocks before an epoch in which owners may not set hyperparameters
	MinimumReserve        uint64 // pool MinimumReserve
	MovingAlphaBits       uint64 // SubnetMovingAlpha as I96F32 bits (low word)
	EMAHalvingBlocks      uint64
	// Coldkey swaps (appended: a record written before them takes the devnet default).
	ColdkeySwapScheduleDuration   uint64 // blocks from schedule_swap_coldkey to the swap
	ColdkeySwapRescheduleDuration uint64 // blocks after a failed swap's block before a new schedule
	KeySwapCost                   uint64 // rao the coldkey swap recycles (subtensor's KeySwapCost)
}

// devnetSubParams are the devnet's values: subtensor's defaults except for a 100 TAO lock floor,
// short lock decay and small rate limits, owner rate limits off, and a network immunity of
// 14,400 blocks (an hour of 250 ms blocks; mainnet 1,296,000).
func devnetSubParams() subParams {
	return subParams{
		TaoWeight:             mechanism.DefaultTaoWeightRaw,
		SubnetOwnerCut:        mechanism.DefaultSubnetOwnerCut,
		DefaultTake:           mechanism.DefaultDelegateTake,
		MinTake:               0,
		MaxTake:               mechanism.DefaultDelegateTake,
		TakeRateLimit:         100,
		StakeThreshold:        0,
		MinStake:              2_000_000,
		NominatorMinStake:     0,
		MinLock:               100 * protocol.RaoPerTAO,
		LockReductionInterval: 14_400,
		NetworkRateLimit:      10,
		SubnetLimit:           128,
		OwnerRateLimitTempos:  0,
		AdminFreezeWindow:     0,
		MinimumReserve:        mechanism.DefaultMinimumReserve,
		MovingAlphaBits:       12885,
		EMAHalvingBlocks:      201_600,
		NetworkImmunity:       14_400,

		ColdkeySwapScheduleDuration:   DevnetColdkeySwapScheduleDuration,
		ColdkeySwapRescheduleDuration: DevnetColdkeySwapRescheduleDuration,
		KeySwapCost:                   DevnetKeySwapCost,
	}
}

// subParamFields lists the global parameters in storage order; sudo_set_global names them.
var subParamFields = []struct {
	name     string
	min, max uint64
	get      func(*subParams) uint64
	set      func(*subParams, uint64)
}{
	{"tao_weight", 0, ^uint64(0), func(p *subParams) uint64 { return p.TaoWeight }, func(p *subParams, v uint64) { p.TaoWeight = v }},
	{"subnet_owner_cut", 0, 65535, func(p *subParams) uint64 { return uint64(p.SubnetOwnerCut) }, func(p *subParams, v uint64) { p.SubnetOwnerCut = uint16(v) }},
	{"default_take", 0, 11_796, func(p *subParams) uint64 { return uint64(p.DefaultTake) }, func(p *subParams, v uint64) { p.DefaultTake = uint16(v) }},
	{"min_take", 0, 11_796, func(p *subParams) uint64 { return uint64(p.MinTake) }, func(p *subParams, v uint64) { p.MinTake = uint16(v) }},
	{"max_take", 0, 11_796, func(p *subParams) uint64 { return uint64(p.MaxTake) }, func(p *subParams, v uint64) { p.MaxTake = uint16(v) }},
	{"take_rate_limit", 0, ^uint64(0), func(p *subParams) uint64 { return p.TakeRateLimit }, func(p *subParams, v uint64) { p.TakeRateLimit = v }},
	{"stake_threshold", 0, protocol.MaxSupply, func(p *subParams) uint64 { return p.StakeThreshold }, func(p *subParams, v uint64) { p.StakeThreshold = v }},
	{"min_stake", 1, protocol.MaxSupply, func(p *subParams) uint64 { return p.MinStake }, func(p *subParams, v uint64) { p.MinStake = v }},
	{"nominator_min_stake", 0, protocol.MaxSupply, func(p *subParams) uint64 { return p.NominatorMinStake }, func(p *subParams, v uint64) { p.NominatorMinStake = v }},
	{"min_lock", 1, protocol.MaxSupply, func(p *subParams) uint64 { return p.MinLock }, func(p *subParams, v uint64) { p.MinLock = v }},
	{"lock_reduction_interval", 0, ^uint64(0), func(p *subParams) uint64 { return p.LockReductionInterval }, func(p *subParams, v uint64) { p.LockReductionInterval = v }},
	{"network_rate_limit", 0, ^uint64(0), func(p *subParams) uint64 { return p.NetworkRateLimit }, func(p *subParams, v uint64) { p.NetworkRateLimit = v }},
	{"subnet_limit", 1, 4095, func(p *subParams) uint64 { return uint64(p.SubnetLimit) }, func(p *subParams, v uint64) { p.SubnetLimit = uint16(v) }},
	{"owner_rate_limit_tempos", 0, 1000, func(p *subParams) uint64 { return p.OwnerRateLimitTempos }, func(p *subParams, v uint64) { p.OwnerRateLimitTempos = v }},
	{"admin_freeze_window", 0, 1000, func(p *subParams) uint64 { return p.AdminFreezeWindow }, func(p *subParams, v uint64) { p.AdminFreezeWindow = v }},
	{"minimum_reserve", 1, protocol.MaxSupply, func(p *subParams) uint64 { return p.MinimumReserve }, func(p *subParams, v uint64) { p.MinimumReserve = v }},
	{"moving_alpha_bits", 0, 1 << 32, func(p *subParams) uint64 { return p.MovingAlphaBits }, func(p *subParams, v uint64) { p.MovingAlphaBits = v }},
	{"ema_halving_blocks", 0, ^uint64(0), func(p *subParams) uint64 { return p.EMAHalvingBlocks }, func(p *subParams, v uint64) { p.EMAHalvingBlocks = v }},
	{"network_immunity", 0, ^uint64(0), func(p *subParams) uint64 { return p.NetworkImmunity }, func(p *subParams, v uint64) { p.NetworkImmunity = v }},
	// Appended fields (records.go): a stored record without them decodes with the default.
	{"coldkey_swap_schedule_duration", 1, ^uint64(0) >> 1, func(p *subParams) uint64 { return p.ColdkeySwapScheduleDuration }, func(p *subParams, v uint64) { p.ColdkeySwapScheduleDuration = v }},
	{"coldkey_swap_reschedule_duration", 0, ^uint64(0) >> 1, func(p *subParams) uint64 { return p.ColdkeySwapRescheduleDuration }, func(p *subParams, v uint64) { p.ColdkeySwapRescheduleDuration = v }},
	{"key_swap_cost", 0, protocol.MaxSupply, func(p *subParams) uint64 { return p.KeySwapCost }, func(p *subParams, v uint64) { p.KeySwapCost = v }},
}

// subParamsAppendedFrom is the index in subParamFields of the first appended field: a stored
// record that ends there (or at a later field's start) takes devnet defaults from there on.
var subParamsAppendedFrom = func() int {
	for i, f := range subParamFields {
		if f.name == "coldkey_swap_schedule_duration" {
			return i
		}
	}
	panic("localchain: coldkey_swap_schedule_duration is not a subtensor parameter")
}()

func (p *subParams) encode() []byte {
	var e protocol.Encoder
	for _, f := range subParamFields {
		e.U64(f.get(p))
	}
	return e.Bytes()
}

func decodeSubParams(b []byte) (subParams, error) {
	var p subParams
	d := protocol.NewDecoder(b)
	defaults := devnetSubParams()
	for i, f := range subParamFields {
		if i >= subParamsAppendedFrom && d.Err() == nil && d.Remaining() == 0 {
			f.set(&p, f.get(&defaults))
			continue
		}
		f.set(&p, d.U64())
	}
	return p, d.Finish()
}

func getSubParams(tx *bbolt.Tx) (subParams, error) {
	p, err := decodeSubParams(tx.Bucket(bucketSubGlobal).Get(subKeyParams))
	if err != nil {
		return p, recordErr(bucketSubGlobal, subKeyParams, err)
	}
	return p, nil
}

func putSubParams(s *StateTx, p subParams) error {
	return s.Put(bucketSubGlobal, subKeyParams, p.encode())
}

func (p subParams) lockParams() mechanism.LockParams {
	return mechanism.LockParams{MinLock: p.MinLock, ReductionInterval: p.LockReductionInterval}
}

func (p subParams) taoWeight() mechanism.U96F32 { return mechanism.TaoWeight(p.TaoWeight) }

// subnet is one subnet's stored record.
type subnet struct {
	Netuid                                                     uint16 // the key, not encoded
	Owner                                                      wallet.AccountID
	OwnerHotkey                                                wallet.AccountID
	Stable                                                     bool   // mechanism 0: root (1:1, no fees)
	RegisteredAt                                               uint64 // block of register_network (0 for genesis subnets)
	FirstEmission                                              uint64 // FirstEmissionBlockNumber; 0 until start_call
	Lock                                                       uint64 // lock paid (rao)
	PoolTao                                                    uint64 // SubnetTAO
	PoolAlpha                                                  uint64 // SubnetAlphaIn
	QuoteWeight                                                uint64 // pool w2 (Perquintill)
	AlphaOut                                                   uint64 // SubnetAlphaOut: staked + pending + protocol alpha
	ProtocolAlpha                                              uint64 // alpha bought by the chain with excess TAO
	PendingServer, PendingValidator, PendingRoot, PendingOwner uint64
	MovingPriceHi, MovingPriceLo                               uint64 // SubnetMovingPrice (I96F32 bits)
	MinerBurnedHi, MinerBurnedLo                               uint64 // last epoch's burned share of miner incentive (U64F64 bits)
	Burn                                                       uint64 // neuron registration price (rao)
	N                                                          uint16 // SubnetworkN
	LastEpoch                                                  uint64 // LastMechanismStepBlock (0 = never)
	EpochCount                                                 uint64 // epochs run
	RegsThisBlock                                              uint16
	Volume                                                     uint64 // TAO traded through the pool
	H                                                          protocol.Hyperparams
}

func (n *subnet) encode() []byte {
	e := protocol.NewEncoder(make([]byte, 0, 512))
	e.Account(n.Owner)
	e.Account(n.OwnerHotkey)
	e.Bool(n.Stable)
	for _, v := range []uint64{
		n.RegisteredAt, n.FirstEmission, n.Lock, n.PoolTao, n.PoolAlpha, n.QuoteWeight, n.AlphaOut,
		n.ProtocolAlpha, n.PendingServer, n.PendingValidator, n.PendingRoot, n.PendingOwner,
		n.MovingPriceHi, n.MovingPriceLo, n.MinerBurnedHi, n.MinerBurnedLo, n.Burn,
	} {
		e.U64(v)
	}
	e.U16(n.N)
	e.U64(n.LastEpoch)
	e.U64(n.EpochCount)
	e.U16(n.RegsThisBlock)
	e.U64(n.Volume)
	for _, f := range protocol.HyperFields {
		e.U64(f.Get(&n.H))
	}
	return e.Bytes()
}

func decodeSubnet(netuid uint16, b []byte) (*subnet, error) {
	d := protocol.NewDecoder(b)
	n := &subnet{Netuid: netuid, Owner: d.Account(), OwnerHotkey: d.Account(), Stable: d.Bool()}
	for _, p := range []*uint64{
		&n.RegisteredAt, &n.FirstEmission, &n.Lock, &n.PoolTao, &n.PoolAlpha, &n.QuoteWeight, &n.AlphaOut,
		&n.ProtocolAlpha, &n.PendingServer, &n.PendingValidator, &n.PendingRoot, &n.PendingOwner,
		&n.MovingPriceHi, &n.MovingPriceLo, &n.MinerBurnedHi, &n.MinerBurnedLo, &n.Burn,
	} {
		*p = d.U64()
	}
	n.N = d.U16()
	n.LastEpoch = d.U64()
	n.EpochCount = d.U64()
	n.RegsThisBlock = d.U16()
	n.Volume = d.U64()
	// The hyperparameters are appendable (records.go): one appended after a record was
	// written takes its devnet default.
	defaults := devnetHyperparams()
	for _, f := range protocol.HyperFields {
		if d.Err() == nil && d.Remaining() == 0 {
			f.Set(&n.H, f.Get(&defaults))
			continue
		}
		f.Set(&n.H, d.U64())
	}
	if err := d.Finish(); err != nil {
		return nil, recordErr(bucketSubnets, netKey(netuid), err)
	}
	return n, nil
}

// pool returns the subnet's AMM state.
func (n *subnet) pool() mechanism.Pool {
	return mechanism.Pool{Tao: n.PoolTao, Alpha: n.PoolAlpha, QuoteWeight: mechanism.Perquintill(n.QuoteWeight)}
}

func (n *subnet) setPool(p mechanism.Pool) {
	n.PoolTao, n.PoolAlpha, n.QuoteWeight = p.Tao, p.Alpha, uint64(p.QuoteWeight)
}

// price is the spot price in TAO per alpha (1 for the stable root).
func (n *subnet) price() mechanism.U64F64 {
	if n.Stable {
		return mechanism.U64F64One
	}
	return n.pool().Price()
}

func (n *subnet) movingPrice() mechanism.I96F32 {
	return mechanism.I96F32FromBits(n.MovingPriceHi, n.MovingPriceLo)
}

func (n *subnet) minerBurned() mechanism.U64F64 {
	return mechanism.U64F64FromBits(n.MinerBurnedHi, n.MinerBurnedLo)
}

// started reports whether start_call ran.
func (n *subnet) started() bool { return n.FirstEmission != 0 }

// alphaIssuance is SubnetAlphaIn + SubnetAlphaOut (protocol alpha is part of AlphaOut).
func (n *subnet) alphaIssuance() uint64 { return n.PoolAlpha + n.AlphaOut }

func (n *subnet) swapParams(limit mechanism.U64F64, reserve uint64) mechanism.SwapParams {
	return mechanism.SwapParams{FeeRate: n.H.FeeRate, MinimumReserve: reserve, LimitPrice: limit}
}

func (n *subnet) burnParams() mechanism.BurnParams {
	p := mechanism.DefaultBurnParams()
	p.HalfLife = n.H.BurnHalfLife
	p.MinBurn, p.MaxBurn = n.H.MinBurn, n.H.MaxBurn
	if n.H.BurnIncreaseMultPPM != defaultBurnMultPPM {
		// ppm / 10^6 as U64F64 (the default keeps subtensor's f64-literal bits).
		p.IncreaseMult = mechanism.U64F64FromU64(n.H.BurnIncreaseMultPPM).SafeDiv(mechanism.U64F64FromU64(1_000_000))
	}
	return p
}

func getSubnet(tx *bbolt.Tx, netuid uint16) (*subnet, bool, error) {
	v := tx.Bucket(bucketSubnets).Get(netKey(netuid))
	if v == nil {
		return nil, false, nil
	}
	n, err := decodeSubnet(netuid, v)
	return n, err == nil, err
}

func putSubnet(s *StateTx, n *subnet) error {
	return s.Put(bucketSubnets, netKey(n.Netuid), n.encode())
}

// listSubnets returns every subnet in ascending netuid order.
func listSubnets(tx *bbolt.Tx) ([]*subnet, error) {
	var out []*subnet
	err := tx.Bucket(bucketSubnets).ForEach(func(k, v []byte) error {
		if len(k) != 2 {
			return fmt.Errorf("subnet key %x is not 2 bytes", k)
		}
		n, err := decodeSubnet(binary.BigEndian.Uint16(k), v)
		if err != nil {
			return err
		}
		out = append(out, n)
		return nil
	})
	return out, err
}

// axon is a neuron's served endpoint.
type axon struct {
	Block    uint64
	Version  uint32
	IP       [16]byte // IPv4 in the last 4 bytes for IPType 4
	Port     uint16
	IPType   uint8
	Protocol uint8
}

// neuron is one uid's stored record.
type neuron struct {
	Hotkey                                                                    wallet.AccountID
	RegisteredAt                                                              uint64
	LastUpdate                                                                uint64
	Permit                                                                    bool
	Active                                                                    bool
	StakeWeight, Rank, Trust, Consensus, Incentive, Dividends, ValidatorTrust uint16
	Emission                                                                  uint64
	Axon                                                                      axon
}

// encode writes the neuron's own record: hotkey, blocks and axon. The epoch outputs live in
// the subnet's outputs blob (one value per subnet, written once per epoch).
func (n *neuron) encode() []byte {
	e := protocol.NewEncoder(make([]byte, 0, 96))
	e.Account(n.Hotkey)
	e.U64(n.RegisteredAt)
	e.U64(n.LastUpdate)
	e.U64(n.Axon.Block)
	e.U32(n.Axon.Version)
	e.Fixed(n.Axon.IP[:])
	e.U16(n.Axon.Port)
	e.U8(n.Axon.IPType)
	e.U8(n.Axon.Protocol)
	return e.Bytes()
}

// neuronSize is the length of a neuron record (encode).
const neuronSize = 32 + 8 + 8 + 8 + 4 + 16 + 2 + 1 + 1

func decodeNeuron(b []byte) (neuron, error) {
	if len(b) == neuronSize { // every record: read in place, as the decoder below would
		n := neuron{Hotkey: wallet.AccountID(b[:32]), RegisteredAt: binary.BigEndian.Uint64(b[32:]), LastUpdate: binary.BigEndian.Uint64(b[40:])}
		n.Axon.Block = binary.BigEndian.Uint64(b[48:])
		n.Axon.Version = binary.BigEndian.Uint32(b[56:])
		copy(n.Axon.IP[:], b[60:76])
		n.Axon.Port = binary.BigEndian.Uint16(b[76:])
		n.Axon.IPType, n.Axon.Protocol = b[78], b[79]
		return n, nil
	}
	return decodeNeuronFields(b)
}

// decodeNeuronFields is decodeNeuron field by field, with the decoder's errors.
func decodeNeuronFields(b []byte) (neuron, error) {
	d := protocol.NewDecoder(b)
	n := neuron{Hotkey: d.Account(), RegisteredAt: d.U64(), LastUpdate: d.U64()}
	n.Axon.Block = d.U64()
	n.Axon.Version = d.U32()
	copy(n.Axon.IP[:], d.Fixed(16))
	n.Axon.Port = d.U16()
	n.Axon.IPType = d.U8()
	n.Axon.Protocol = d.U8()
	return n, d.Finish()
}

// outputSize is one uid's entry in the outputs blob: flags u8 (1 active, 2 permit), stake
// weight, rank, trust, consensus, incentive, dividends, validator trust (u16 each), emission u64.
const outputSize = 1 + 7*2 + 8

func (n *neuron) appendOutputs(b []byte) []byte {
	var flags byte
	if n.Active {
		flags |= 1
	}
	if n.Permit {
		flags |= 2
	}
	b = append(b, flags)
	for _, v := range []uint16{n.StakeWeight, n.Rank, n.Trust, n.Consensus, n.Incentive, n.Dividends, n.ValidatorTrust} {
		b = binary.BigEndian.AppendUint16(b, v)
	}
	return binary.BigEndian.AppendUint64(b, n.Emission)
}

// readOutputs fills n's outputs from a blob entry (zero when the blob ends before uid).
func (n *neuron) readOutputs(blob []byte, uid uint16) {
	off := int(uid) * outputSize
	if off+outputSize > len(blob) {
		n.Active, n.Permit = false, false
		n.StakeWeight, n.Rank, n.Trust, n.Consensus, n.Incentive, n.Dividends, n.ValidatorTrust, n.Emission = 0, 0, 0, 0, 0, 0, 0, 0
		return
	}
	e := blob[off : off+outputSize]
	n.Active, n.Permit = e[0]&1 != 0, e[0]&2 != 0
	for i, p := range []*uint16{&n.StakeWeight, &n.Rank, &n.Trust, &n.Consensus, &n.Incentive, &n.Dividends, &n.ValidatorTrust} {
		*p = binary.BigEndian.Uint16(e[1+2*i:])
	}
	n.Emission = binary.BigEndian.Uint64(e[15:])
}

// putOutputs writes the outputs blob of a subnet from its neurons (uid order).
func putOutputs(s *StateTx, netuid uint16, neurons []neuron) error {
	b := make([]byte, 0, len(neurons)*outputSize)
	for i := range neurons {
		b = neurons[i].appendOutputs(b)
	}
	return s.Put(bucketOutputs, netKey(netuid), b)
}

// clearOutputs zeroes one uid's outputs (a replaced uid).
func clearOutputs(s *StateTx, netuid, uid uint16) error {
	blob := s.tx.Bucket(bucketOutputs).Get(netKey(netuid))
	off := int(uid) * outputSize
	if off >= len(blob) {
		return nil
	}
	b := append([]byte(nil), blob...)
	clear(b[off : off+outputSize])
	return s.Put(bucketOutputs, netKey(netuid), b)
}

func getNeuron(tx *bbolt.Tx, netuid, uid uint16) (neuron, error) {
	v := tx.Bucket(bucketNeurons).Get(netUIDKey(netuid, uid))
	if v == nil {
		return neuron{}, fmt.Errorf("subnet %d has no neuron record for uid %d", netuid, uid)
	}
	n, err := decodeNeuron(v)
	if err != nil {
		return n, recordErr(bucketNeurons, netUIDKey(netuid, uid), err)
	}
	n.readOutputs(tx.Bucket(bucketOutputs).Get(netKey(netuid)), uid)
	return n, nil
}

// putNeuron writes a neuron's own record (not its outputs: see putOutputs, clearOutputs).
func putNeuron(s *StateTx, netuid, uid uint16, n *neuron) error {
	return s.Put(bucketNeurons, netUIDKey(netuid, uid), n.encode())
}

// loadNeurons returns uids 0..n-1 of a subnet.
func loadNeurons(tx *bbolt.Tx, netuid uint16, n uint16) ([]neuron, error) {
	out := make([]neuron, 0, n)
	blob := tx.Bucket(bucketOutputs).Get(netKey(netuid))
	c := tx.Bucket(bucketNeurons).Cursor()
	prefix := netKey(netuid)
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		nr, err := decodeNeuron(v)
		if err != nil {
			return nil, recordErr(bucketNeurons, k, err)
		}
		if uid := binary.BigEndian.Uint16(k[2:]); int(uid) != len(out) {
			return nil, fmt.Errorf("subnet %d: neuron uid %d found where %d was expected", netuid, uid, len(out))
		}
		nr.readOutputs(blob, uint16(len(out)))
		out = append(out, nr)
	}
	if len(out) != int(n) {
		return nil, fmt.Errorf("subnet %d counts %d neurons but stores %d", netuid, n, len(out))
	}
	return out, nil
}

func getUID(tx *bbolt.Tx, netuid uint16, hotkey wallet.AccountID) (uint16, bool) {
	v := tx.Bucket(bucketUIDs).Get(netHotkeyKey(netuid, hotkey))
	if len(v) != 2 {
		return 0, false
	}
	return binary.BigEndian.Uint16(v), true
}

func putUID(s *StateTx, netuid uint16, hotkey wallet.AccountID, uid uint16) error {
	return s.Put(bucketUIDs, netHotkeyKey(netuid, hotkey), netKey(uid))
}

// Rows of weights and bonds.

// rowBitmap marks the bitmap layout in a row's leading count (counts are at most 4096).
const rowBitmap = 0x8000

// encodeRow stores a row in one of two layouts:
//
//	sparse  n u16 || (uid u16 || value u16)*n
//	bitmap  (n | 0x8000) u16 || span u16 || bitmap [ceil(span/8)] || value u16 *n
//
// The bitmap layout, for rows with uids strictly ascending, sets bit u%8 of byte u/8 for each
// uid u < span (span = largest uid + 1) and lists the values in uid order; it is used when it
// is smaller (a validator weighting most uids, its bonds), halving the row.
func encodeRow(row []mechanism.UIDValue) []byte {
	n := len(row)
	if n > 0 {
		ascending := true
		for i := 1; i < n && ascending; i++ {
			ascending = row[i].UID > row[i-1].UID
		}
		span := int(row[n-1].UID) + 1
		if size := 4 + (span+7)/8 + 2*n; ascending && span <= 0xFFFF && size < 2+4*n {
			b := make([]byte, size)
			binary.BigEndian.PutUint16(b, uint16(n)|rowBitmap)
			binary.BigEndian.PutUint16(b[2:], uint16(span))
			bitmap, vals := b[4:4+(span+7)/8], b[4+(span+7)/8:]
			for i, p := range row {
				bitmap[p.UID/8] |= 1 << (p.UID % 8)
				binary.BigEndian.PutUint16(vals[2*i:], p.Value)
			}
			return b
		}
	}
	b := make([]byte, 2+4*n)
	binary.BigEndian.PutUint16(b, uint16(n))
	for i, p := range row {
		binary.BigEndian.PutUint16(b[2+4*i:], p.UID)
		binary.BigEndian.PutUint16(b[4+4*i:], p.Value)
	}
	return b
}

// rowEntries is the entry count an encoded row declares (0 when it has no header).
func rowEntries(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	return int(binary.BigEndian.Uint16(b) &^ rowBitmap)
}

// decodeRow reads either layout of encodeRow; a row decodes to exactly the entries encoded, in
// their order.
func decodeRow(b []byte) ([]mechanism.UIDValue, error) {
	return decodeRowInto(make([]mechanism.UIDValue, 0, rowEntries(b)), b)
}

// decodeRowInto is decodeRow into dst[:0], whose capacity holds rowEntries(b) entries.
func decodeRowInto(dst []mechanism.UIDValue, b []byte) ([]mechanism.UIDValue, error) {
	if len(b) < 2 {
		return nil, fmt.Errorf("row of %d bytes has no length", len(b))
	}
	n := int(binary.BigEndian.Uint16(b))
	if n&rowBitmap == 0 {
		if len(b) != 2+4*n {
			return nil, fmt.Errorf("row of %d entries has %d bytes", n, len(b)-2)
		}
		row := dst[:n]
		for i := range row {
			e := b[2+4*i : 6+4*i]
			row[i] = mechanism.UIDValue{UID: binary.BigEndian.Uint16(e), Value: binary.BigEndian.Uint16(e[2:])}
		}
		return row, nil
	}
	n &^= rowBitmap
	if len(b) < 4 {
		return nil, fmt.Errorf("bitmap row of %d bytes has no span", len(b))
	}
	span := int(binary.BigEndian.Uint16(b[2:]))
	bm := 4 + (span+7)/8
	if n == 0 || len(b) != bm+2*n {
		return nil, fmt.Errorf("bitmap row of %d entries over %d uids has %d bytes", n, span, len(b))
	}
	bitmap, vals := b[4:bm], b[bm:]
	// The bits past span in the last byte must be clear, the bit of span-1 set, and exactly n
	// bits set.
	tail := span % 8
	if span == 0 || tail != 0 && bitmap[len(bitmap)-1]>>tail != 0 || bitmap[(span-1)/8]&(1<<((span-1)%8)) == 0 {
		return nil, fmt.Errorf("bitmap row marks uids past or short of its span %d", span)
	}
	marked := 0
	for _, x := range bitmap {
		marked += bits.OnesCount8(x)
	}
	if marked != n {
		return nil, fmt.Errorf("bitmap row marks %d uids for %d entries over %d uids", marked, n, span)
	}
	row := dst[:n]
	if n == span { // every uid below span: the common dense row
		for i := range row {
			row[i] = mechanism.UIDValue{UID: uint16(i), Value: binary.BigEndian.Uint16(vals[2*i:])}
		}
		return row, nil
	}
	i := 0
	for byteIdx, x := range bitmap {
		for x != 0 {
			u := byteIdx*8 + bits.TrailingZeros8(x)
			x &= x - 1
			row[i] = mechanism.UIDValue{UID: uint16(u), Value: binary.BigEndian.Uint16(vals[2*i:])}
			i++
		}
	}
	return row, nil
}

func getRow(tx *bbolt.Tx, bucket []byte, netuid, uid uint16) ([]mechanism.UIDValue, error) {
	v := tx.Bucket(bucket).Get(netUIDKey(netuid, uid))
	if v == nil {
		return nil, nil
	}
	row, err := decodeRow(v)
	if err != nil {
		return nil, recordErr(bucket, netUIDKey(netuid, uid), err)
	}
	return row, nil
}

// rowSlabs keeps the arrays that a block's epochs decode their weight and bond rows into, for
// the next block's epochs: runEpochs gives each back once its epoch's results are stored (the
// mechanism copies its input; its output never shares it). A block of 64 × 256 epochs decodes
// about 8 MiB of rows, and allocating them afresh in every block makes garbage collections that
// stop and slow the epochs. At most rowSlabsKeepBytes are kept.
var rowSlabs struct {
	sync.Mutex
	free  [][]mechanism.UIDValue
	bytes int
}

const rowSlabsKeepBytes = 16 << 20

// takeRowSlab returns an array of n entries, kept or new; its contents are not cleared.
func takeRowSlab(n int) []mechanism.UIDValue {
	rowSlabs.Lock()
	for i := len(rowSlabs.free) - 1; i >= 0; i-- {
		if s := rowSlabs.free[i]; cap(s) >= n {
			last := len(rowSlabs.free) - 1
			rowSlabs.free[i], rowSlabs.free[last] = rowSlabs.free[last], nil
			rowSlabs.free = rowSlabs.free[:last]
			rowSlabs.bytes -= cap(s) * int(unsafe.Sizeof(mechanism.UIDValue{}))
			rowSlabs.Unlock()
			return s[:n]
		}
	}
	rowSlabs.Unlock()
	return make([]mechanism.UIDValue, n)
}

// keepRowSlab keeps s for takeRowSlab; nothing may use s afterwards.
func keepRowSlab(s []mechanism.UIDValue) {
	size := cap(s) * int(unsafe.Sizeof(mechanism.UIDValue{}))
	if size == 0 {
		return
	}
	rowSlabs.Lock()
	defer rowSlabs.Unlock()
	if rowSlabs.bytes+size > rowSlabsKeepBytes {
		return
	}
	rowSlabs.free = append(rowSlabs.free, s[:0])
	rowSlabs.bytes += size
}

// loadRows reads the rows of uids 0..n-1 of a subnet in one cursor pass (nil for a uid without
// a row). With slab not nil, the rows are decoded into an array from takeRowSlab, set in *slab
// for the caller to keep (keepRowSlab) when it no longer uses the rows.
func loadRows(tx *bbolt.Tx, bucket []byte, netuid, n uint16, slab *[]mechanism.UIDValue) ([][]mechanism.UIDValue, error) {
	out := make([][]mechanism.UIDValue, n)
	raw := make([][]byte, n) // the stored rows, valid until the transaction writes
	total := 0
	prefix := netKey(netuid)
	c := tx.Bucket(bucket).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != 4 {
			return nil, fmt.Errorf("%s key %x is not 4 bytes", bucket, k)
		}
		uid := binary.BigEndian.Uint16(k[2:])
		if uid >= n {
			return nil, fmt.Errorf("%s row for uid %d of subnet %d, which has %d neurons", bucket, uid, netuid, n)
		}
		raw[uid] = v
		total += rowEntries(v)
	}
	// One array for every row of the subnet; each row's capacity ends at its own entries.
	var all []mechanism.UIDValue
	if slab != nil {
		all = takeRowSlab(total)
		*slab = all
	} else {
		all = make([]mechanism.UIDValue, total)
	}
	for uid, v := range raw {
		if v == nil {
			continue
		}
		m := rowEntries(v)
		row, err := decodeRowInto(all[:0:m], v)
		if err != nil {
			return nil, recordErr(bucket, netUIDKey(netuid, uint16(uid)), err)
		}
		out[uid], all = row, all[m:]
	}
	return out, nil
}

// putRow stores a row, or deletes it when empty.
func putRow(s *StateTx, bucket []byte, netuid, uid uint16, row []mechanism.UIDValue) error {
	if len(row) == 0 {
		return s.Delete(bucket, netUIDKey(netuid, uid))
	}
	return s.Put(bucket, netUIDKey(netuid, uid), encodeRow(row))
}

// Hotkeys: owner coldkey and delegate take.

type hotkeyInfo struct {
	Owner       wallet.AccountID
	Take        uint16
	TakeChanged uint64 // block of the last take increase (0 = never)
}

func getHotkey(tx *bbolt.Tx, hk wallet.AccountID) (hotkeyInfo, bool) {
	v := tx.Bucket(bucketHotkeys).Get(hk[:])
	if len(v) != 42 {
		return hotkeyInfo{}, false
	}
	var h hotkeyInfo
	copy(h.Owner[:], v)
	h.Take = binary.BigEndian.Uint16(v[32:])
	h.TakeChanged = binary.BigEndian.Uint64(v[34:])
	return h, true
}

func putHotkey(s *StateTx, hk wallet.AccountID, h hotkeyInfo) error {
	v := make([]byte, 42)
	copy(v, h.Owner[:])
	binary.BigEndian.PutUint16(v[32:], h.Take)
	binary.BigEndian.PutUint64(v[34:], h.TakeChanged)
	return s.Put(bucketHotkeys, hk[:], v)
}

// ensureHotkey creates the hotkey account owned by coldkey if it is new (with the default
// take), and reports whether coldkey owns it.
func ensureHotkey(s *StateTx, hk, coldkey wallet.AccountID, defaultTake uint16) (bool, error) {
	h, ok := getHotkey(s.tx, hk)
	if ok {
		return h.Owner == coldkey, nil
	}
	return true, putHotkey(s, hk, hotkeyInfo{Owner: coldkey, Take: defaultTake})
}

// Share pools: per (netuid, hotkey) a total value V and share denominator D; per coldkey
// shares s; a position is worth floor(V·s/D). Deposits mint shares at the pool's rate,
// emission paid to the hotkey raises V alone, so every position earns pro rata. The position of
// the hotkey's own coldkey (miner incentive, takes) lives in the pool record itself, so paying a
// hotkey's owner touches one key; nominators' positions are separate keys.

// hotPool is one stored (netuid, hotkey) pool record.
type hotPool struct {
	Value, Shares uint64           // V, D
	Owner         wallet.AccountID // the hotkey's owner coldkey, whose shares are OwnerShares
	OwnerShares   uint64
}

const hotPoolSize = 8 + 8 + 32 + 8

func getHotPool(tx *bbolt.Tx, netuid uint16, hk wallet.AccountID) (hotPool, bool) {
	v := tx.Bucket(bucketHotAlpha).Get(netHotkeyKey(netuid, hk))
	if len(v) != hotPoolSize {
		return hotPool{}, false
	}
	return decodeHotPool(v), true
}

// loadHotPool returns the pool, or a new empty one owned by the hotkey's owner coldkey.
func loadHotPool(tx *bbolt.Tx, netuid uint16, hk wallet.AccountID) hotPool {
	if p, ok := getHotPool(tx, netuid, hk); ok {
		return p
	}
	h, _ := getHotkey(tx, hk)
	return hotPool{Owner: h.Owner}
}

// putHotPool stores the pool, or deletes it when it holds nothing.
func putHotPool(s *StateTx, netuid uint16, hk wallet.AccountID, p hotPool) error {
	if p.Value == 0 && p.Shares == 0 {
		return s.Delete(bucketHotAlpha, netHotkeyKey(netuid, hk))
	}
	return s.Put(bucketHotAlpha, netHotkeyKey(netuid, hk), appendHotPool(make([]byte, 0, hotPoolSize), p))
}

// appendHotPool appends the stored encoding of a pool record.
func appendHotPool(b []byte, p hotPool) []byte {
	b = binary.BigEndian.AppendUint64(b, p.Value)
	b = binary.BigEndian.AppendUint64(b, p.Shares)
	b = append(b, p.Owner[:]...)
	return binary.BigEndian.AppendUint64(b, p.OwnerShares)
}

// decodeHotPool reads a pool record of hotPoolSize bytes.
func decodeHotPool(v []byte) hotPool {
	p := hotPool{Value: binary.BigEndian.Uint64(v), Shares: binary.BigEndian.Uint64(v[8:])}
	copy(p.Owner[:], v[16:48])
	p.OwnerShares = binary.BigEndian.Uint64(v[48:])
	return p
}

// getHotAlpha returns a hotkey pool's value and share denominator.
func getHotAlpha(tx *bbolt.Tx, netuid uint16, hk wallet.AccountID) (value, shares uint64) {
	p, _ := getHotPool(tx, netuid, hk)
	return p.Value, p.Shares
}

// sharesOf returns ck's shares in the pool p of (netuid, hk).
func sharesOf(tx *bbolt.Tx, p *hotPool, netuid uint16, hk, ck wallet.AccountID) uint64 {
	if ck == p.Owner {
		return p.OwnerShares
	}
	return getU64(tx, bucketShares, shareKey(netuid, hk, ck))
}

// setShares sets ck's shares in p (the owner's, kept in p until putHotPool) or in the shares
// bucket (a nominator's, written at once; 0 deletes the position).
func setShares(s *StateTx, p *hotPool, netuid uint16, hk, ck wallet.AccountID, shares uint64) error {
	if ck == p.Owner {
		p.OwnerShares = shares
		return nil
	}
	if shares == 0 {
		return s.Delete(bucketShares, shareKey(netuid, hk, ck))
	}
	return putU64(s, bucketShares, shareKey(netuid, hk, ck), shares)
}

// mulDiv returns floor(a·b/c) and whether it fits in 64 bits (c > 0).
func mulDiv(a, b, c uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	if hi >= c {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, c)
	return q, true
}

// shareValue is floor(V·s/D).
func shareValue(value, total, shares uint64) uint64 {
	if total == 0 || shares == 0 {
		return 0
	}
	v, _ := mulDiv(value, shares, total) // shares ≤ total, so it fits
	return v
}

// stakeOf returns the alpha (TAO on root) a coldkey holds on a hotkey in a subnet.
func stakeOf(tx *bbolt.Tx, netuid uint16, hk, ck wallet.AccountID) uint64 {
	p, ok := getHotPool(tx, netuid, hk)
	if !ok {
		return 0
	}
	return shareValue(p.Value, p.Shares, sharesOf(tx, &p, netuid, hk, ck))
}

// Share precision. A deposit mints floor(a·D/V) shares, so it loses less than V/D rao to
// rounding. Emission raises V without shares, which lowers D/V over time; deposits much larger
// than the pool raise D with V. creditStake therefore rescales a pool's shares by a power of two
// before minting so that D after the deposit sits between 2^54 and 2^62: at least 2^54/V ≥ 2^-1
// shares per rao for any pool within the alpha supply (2^54.3), and no overflow. Scaling up is
// exact; scaling down floors each position (a loss below 2^k shares' worth, k the shift).
const (
	shareBitsMax = 62
	shareBitsMin = 54
)

// rescaleShares multiplies (shift > 0) or divides (shift < 0) every position's shares of the
// pool p of (netuid, hotkey) by 2^|shift| and sets p.Shares to their exact sum.
func rescaleShares(s *StateTx, p *hotPool, netuid uint16, hk wallet.AccountID, shift int) error {
	scale := func(sh uint64) uint64 {
		if shift > 0 {
			return sh << uint(shift)
		}
		return sh >> uint(-shift)
	}
	var pos []stakePosition
	if err := forEachNominator(s.tx, netHotkeyKey(netuid, hk), func(q stakePosition) error {
		pos = append(pos, q)
		return nil
	}); err != nil {
		return err
	}
	p.OwnerShares = scale(p.OwnerShares)
	d := p.OwnerShares
	for _, q := range pos {
		sh := scale(q.Shares)
		if err := setShares(s, p, netuid, hk, q.Coldkey, sh); err != nil {
			return err
		}
		d += sh
	}
	p.Shares = d
	return nil
}

// bitLenMulDiv is the bit length of floor(a·b/c) (c > 0), which may exceed 64.
func bitLenMulDiv(a, b, c uint64) int {
	hi, lo := bits.Mul64(a, b)
	if hi >= c {
		return 64 + bits.Len64(hi/c) // within one bit: enough to choose a shift
	}
	q, _ := bits.Div64(hi, lo, c)
	return bits.Len64(q)
}

// creditStake adds amount to (hotkey, coldkey)'s position, minting shares at the pool's rate
// (rescaling the pool's shares first to keep their precision, see above). The caller accounts
// for the alpha (AlphaOut) itself.
func creditStake(s *StateTx, netuid uint16, hk, ck wallet.AccountID, amount uint64) error {
	if amount == 0 {
		return nil
	}
	p := loadHotPool(s.tx, netuid, hk)
	if err := creditPool(s, &p, netuid, hk, ck, amount); err != nil {
		return err
	}
	return putHotPool(s, netuid, hk, p)
}

// creditPool is creditStake on the pool record p of (netuid, hk) as loaded (amount > 0); the
// caller stores p afterwards. Nominator positions are written at once.
func creditPool(s *StateTx, p *hotPool, netuid uint16, hk, ck wallet.AccountID, amount uint64) error {
	v, d := p.Value, p.Shares
	if amount > protocol.MaxSupply-v {
		return fmt.Errorf("share pool %d/%s would exceed the maximum supply", netuid, hk)
	}
	if d == 0 && v != 0 || d != 0 && v == 0 {
		return fmt.Errorf("share pool %d/%s has %d shares and value %d", netuid, hk, d, v)
	}
	if d != 0 {
		// D after the deposit is D·(V+a)/V: bring it into [2^54, 2^62].
		after := bitLenMulDiv(d, v+amount, v)
		shift := 0
		switch {
		case after > shareBitsMax:
			shift = shareBitsMax - after
		case after < shareBitsMin:
			shift = shareBitsMax - 1 - after
		}
		if shift != 0 {
			if err := rescaleShares(s, p, netuid, hk, shift); err != nil {
				return err
			}
			// A deposit so large that every older position rounds to no shares takes over the
			// pool (the older positions were worth a few rao at most).
			d = p.Shares
		}
	}
	var minted uint64
	if d == 0 {
		minted = amount << (shareBitsMax - 1 - bits.Len64(amount)) // D just below 2^61
	} else {
		m, ok := mulDiv(amount, d, v)
		if !ok || m > ^uint64(0)-d {
			return fmt.Errorf("share pool %d/%s: minting for %d overflows", netuid, hk, amount)
		}
		minted = m
	}
	if err := setShares(s, p, netuid, hk, ck, sharesOf(s.tx, p, netuid, hk, ck)+minted); err != nil {
		return err
	}
	p.Value, p.Shares = v+amount, d+minted
	return nil
}

// debitStake removes amount (≤ the position's value) from (hotkey, coldkey), burning shares
// rounded up so the other holders never lose; it returns the alpha actually removed, which is
// the whole remaining pool value when the last shares go (so no value is left unowned).
func debitStake(s *StateTx, netuid uint16, hk, ck wallet.AccountID, amount uint64) (uint64, error) {
	p := loadHotPool(s.tx, netuid, hk)
	v, d := p.Value, p.Shares
	sh := sharesOf(s.tx, &p, netuid, hk, ck)
	have := shareValue(v, d, sh)
	if amount > have {
		return 0, fmt.Errorf("debit %d from a position worth %d", amount, have)
	}
	if amount == 0 {
		return 0, nil
	}
	burn := sh
	if amount < have {
		q, _ := mulDiv(amount, d, v)
		if r, _ := mulDiv(q, v, d); r < amount { // ceil
			q++
		}
		burn = min(q, sh)
	}
	if burn == d {
		amount = v
	}
	if err := setShares(s, &p, netuid, hk, ck, sh-burn); err != nil {
		return 0, err
	}
	p.Value, p.Shares = v-amount, d-burn
	return amount, putHotPool(s, netuid, hk, p)
}

// creditHotkeyPool raises a hotkey's pool value without new shares (emission to the hotkey);
// false when the pool has no shares to receive it.
func creditHotkeyPool(s *StateTx, netuid uint16, hk wallet.AccountID, amount uint64) (bool, error) {
	p, ok := getHotPool(s.tx, netuid, hk)
	if !ok || p.Shares == 0 {
		return false, nil
	}
	if amount == 0 {
		return true, nil
	}
	p.Value += amount
	return true, putHotPool(s, netuid, hk, p)
}

// stakePosition is one stored (netuid, hotkey, coldkey) position.
type stakePosition struct {
	Netuid  uint16
	Hotkey  wallet.AccountID
	Coldkey wallet.AccountID
	Shares  uint64
}

// forEachPosition walks the positions whose pool key starts with prefix (nil, netuid, or
// netuid||hotkey): first the owners' positions kept in the pool records, then the nominators'.
func forEachPosition(tx *bbolt.Tx, prefix []byte, fn func(p stakePosition) error) error {
	c := tx.Bucket(bucketHotAlpha).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != 34 || len(v) != hotPoolSize {
			return fmt.Errorf("hotkey pool %x has a %d-byte key and %d-byte value", k, len(k), len(v))
		}
		if sh := binary.BigEndian.Uint64(v[48:]); sh > 0 {
			p := stakePosition{Netuid: binary.BigEndian.Uint16(k), Shares: sh}
			copy(p.Hotkey[:], k[2:34])
			copy(p.Coldkey[:], v[16:48])
			if err := fn(p); err != nil {
				return err
			}
		}
	}
	return forEachNominator(tx, prefix, fn)
}

// forEachNominator walks the positions of the shares bucket (coldkeys other than the hotkey's
// owner) whose key starts with prefix.
func forEachNominator(tx *bbolt.Tx, prefix []byte, fn func(p stakePosition) error) error {
	c := tx.Bucket(bucketShares).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != 66 || len(v) != 8 {
			return fmt.Errorf("stake position %x has a %d-byte key and %d-byte value", k, len(k), len(v))
		}
		p := stakePosition{Netuid: binary.BigEndian.Uint16(k), Shares: binary.BigEndian.Uint64(v)}
		copy(p.Hotkey[:], k[2:34])
		copy(p.Coldkey[:], k[34:])
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// stakeWeight is the epoch's stake of a hotkey: alpha + floor(tao_weight · root stake).
func stakeWeight(tx *bbolt.Tx, netuid uint16, hk wallet.AccountID, tw mechanism.U96F32) uint64 {
	alpha, _ := getHotAlpha(tx, netuid, hk)
	root, _ := getHotAlpha(tx, RootNetuid, hk)
	return combineStakeWeight(alpha, root, tw)
}

// combineStakeWeight is stakeWeight for a hotkey's already-read subnet and root alpha.
func combineStakeWeight(alpha, root uint64, tw mechanism.U96F32) uint64 {
	if root == 0 {
		return alpha
	}
	return alpha + tw.SaturatingMul(mechanism.U96F32FromU64(root)).SaturatingToU64()
}

// Network lock state.

func getLockState(tx *bbolt.Tx) (lastLock, lastBlock uint64) {
	v := tx.Bucket(bucketSubGlobal).Get(subKeyLock)
	if len(v) != 16 {
		return 0, 0
	}
	return binary.BigEndian.Uint64(v), binary.BigEndian.Uint64(v[8:])
}

func putLockState(s *StateTx, lastLock, lastBlock uint64) error {
	v := make([]byte, 16)
	binary.BigEndian.PutUint64(v, lastLock)
	binary.BigEndian.PutUint64(v[8:], lastBlock)
	return s.Put(bucketSubGlobal, subKeyLock, v)
}

// Balances helpers for the subtensor modules.

// withdraw takes amount from an account's free balance keeping the existential deposit; it
// returns a failure receipt error when the balance is short.
func withdraw(ctx *CallContext, who wallet.AccountID, amount uint64, what string) error {
	a := getAccount(ctx.Tx(), who)
	ed := ctx.Params.ExistentialDeposit
	if a.Free < amount || a.Free-amount < ed {
		return protocol.Fail(protocol.CodeInsufficientBalance, "insufficient balance for %s: %s has %s, needs %s plus the existential deposit %s",
			what, who, protocol.FormatTAO(a.Free), protocol.FormatTAO(amount), protocol.FormatTAO(ed))
	}
	a.Free -= amount
	return putAccount(ctx.State, who, a)
}

// deposit adds amount to an account's free balance. An amount that would create an account
// below the existential deposit is burned instead (reported by the return value).
func deposit(s *StateTx, ed uint64, who wallet.AccountID, amount uint64) (burned bool, err error) {
	if amount == 0 {
		return false, nil
	}
	a := getAccount(s.tx, who)
	if a.Free == 0 && amount < ed {
		return true, burn(s, amount)
	}
	a.Free += amount
	return false, putAccount(s, who, a)
}
