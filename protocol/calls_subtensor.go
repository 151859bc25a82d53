package protocol

import (
	"encoding/binary"

	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/wallet"
)

// The calls of the subtensor module, all under module name "subtensor". Each struct's
// EncodeArgs documents its argument layout (Encoder: big-endian integers, bool as 0/1, account
// ids as 32 raw bytes, strings and u16 vectors with a u16 length prefix). Validate holds the
// stateless checks (CheckTx); every stateful failure is a receipt code of sub_codes.go.

// SubtensorModule is the module name of every subtensor call.
const SubtensorModule = "subtensor"

const subModule = SubtensorModule

// maxVecLen bounds the uids/values/salt vectors of weight calls.
const maxVecLen = 4096

func encodeU16s(e *Encoder, v []uint16) {
	e.U16(uint16(len(v)))
	for _, x := range v {
		e.U16(x)
	}
}

func decodeU16s(d *Decoder) []uint16 {
	n := int(d.U16())
	if d.Err() != nil {
		return nil
	}
	if n > maxVecLen {
		d.Failf("vector of %d entries exceeds the limit of %d", n, maxVecLen)
		return nil
	}
	if d.Remaining() < 2*n {
		d.Failf("truncated: vector of %d u16 needs %d bytes, %d left", n, 2*n, d.Remaining())
		return nil
	}
	out := make([]uint16, n)
	for i := range out {
		out[i] = d.U16()
	}
	return out
}

func nonZero(amount uint64) error { return checkAmount(amount) }

// RegisterNetwork creates a subnet owned by the signing coldkey, with Hotkey as its owner
// hotkey (uid 0). LimitLock, if non-zero, fails the call when the lock cost is higher. When
// subnet_limit subnets (besides root) exist, the subnet past its network_immunity with the
// lowest moving price (ties: earliest registered, then lowest netuid) is dissolved as by
// dissolve_network (its pool's TAO paid to its stakers) and its netuid reused; with every
// subnet immune the call fails with CodeSubnetLimit.
type RegisterNetwork struct {
	Hotkey    wallet.AccountID `json:"hotkey"`
	LimitLock uint64           `json:"limit_lock"`
}

// CallName is subtensor.register_network.
func (RegisterNetwork) CallName() CallName { return CallName{subModule, "register_network"} }

// EncodeArgs writes hotkey(32) || limit_lock u64.
func (c RegisterNetwork) EncodeArgs(e *Encoder) { e.Account(c.Hotkey); e.U64(c.LimitLock) }

// decodeRegisterNetwork reads the arguments in EncodeArgs' order.
func decodeRegisterNetwork(d *Decoder) RegisterNetwork {
	return RegisterNetwork{Hotkey: d.Account(), LimitLock: d.U64()}
}

// Validate has no stateless checks.
func (RegisterNetwork) Validate(wallet.AccountID) error { return nil }

// StartCall starts a subnet's emission (owner only).
type StartCall struct {
	Netuid uint16 `json:"netuid"`
}

// CallName is subtensor.start_call.
func (StartCall) CallName() CallName { return CallName{subModule, "start_call"} }

// EncodeArgs writes netuid u16.
func (c StartCall) EncodeArgs(e *Encoder) { e.U16(c.Netuid) }

// decodeStartCall reads the arguments in EncodeArgs' order.
func decodeStartCall(d *Decoder) StartCall { return StartCall{Netuid: d.U16()} }
func decodeSetHyperparameter(d *Decoder) SetHyperparameter {
	return SetHyperparameter{Netuid: d.U16(), Name: d.String(64), Value: d.U64()}
}

// Validate has no stateless checks.
func (StartCall) Validate(wallet.AccountID) error { return nil }

// SetHyperparameter sets one subnet hyperparameter by name (HyperparamNames): the subnet owner
// within the owner bounds and rate limit, or sudo within the root bounds. Booleans are 0/1.
type SetHyperparameter struct {
	Netuid uint16 `json:"netuid"`
	Name   string `json:"name"`
	Value  uint64 `json:"value"`
}

// CallName is subtensor.set_hyperparameter.
func (SetHyperparameter) CallName() CallName { return CallName{subModule, "set_hyperparameter"} }

// EncodeArgs writes netuid u16 || name string || value u64.
func (c SetHyperparameter) EncodeArgs(e *Encoder) { e.U16(c.Netuid); e.String(c.Name); e.U64(c.Value) }

// Validate requires a non-empty name of at most 64 bytes.
func (c SetHyperparameter) Validate(wallet.AccountID) error {
	if c.Name == "" || len(c.Name) > 64 {
		return Reject(CodeInvalidArgs, "hyperparameter name must be 1 to 64 bytes")
	}
	return nil
}

// SudoSetGlobal sets a chain-wide subtensor parameter (GlobalParamNames); sudo only.
type SudoSetGlobal struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"`
}

// CallName is subtensor.sudo_set_global.
func (SudoSetGlobal) CallName() CallName { return CallName{subModule, "sudo_set_global"} }

// EncodeArgs writes name string || value u64.
func (c SudoSetGlobal) EncodeArgs(e *Encoder) { e.String(c.Name); e.U64(c.Value) }

// decodeSudoSetGlobal reads the arguments in EncodeArgs' order.
func decodeSudoSetGlobal(d *Decoder) SudoSetGlobal {
	return SudoSetGlobal{Name: d.String(64), Value: d.U64()}
}

// Validate requires a non-empty name of at most 64 bytes.
func (c SudoSetGlobal) Validate(wallet.AccountID) error {
	if c.Name == "" || len(c.Name) > 64 {
		return Reject(CodeInvalidArgs, "parameter name must be 1 to 64 bytes")
	}
	return nil
}

// DissolveNetwork removes a subnet (sudo only): stakers are paid the pool's TAO pro rata to
// their alpha, the rest goes to the owner.
type DissolveNetwork struct {
	Netuid uint16 `json:"netuid"`
}

// CallName is subtensor.dissolve_network.
func (DissolveNetwork) CallName() CallName { return CallName{subModule, "dissolve_network"} }

// EncodeArgs writes netuid u16.
func (c DissolveNetwork) EncodeArgs(e *Encoder) { e.U16(c.Netuid) }

// decodeDissolveNetwork reads the arguments in EncodeArgs' order.
func decodeDissolveNetwork(d *Decoder) DissolveNetwork { return DissolveNetwork{Netuid: d.U16()} }
func decodeAddStake(d *Decoder) AddStake {
	return AddStake{Hotkey: d.Account(), Netuid: d.U16(), Amount: d.U64(), LimitPrice: d.U64(), AllowPartial: d.Bool()}
}

// Validate has no stateless checks.
func (DissolveNetwork) Validate(wallet.AccountID) error { return nil }

// AddStake stakes Amount rao of the signer's TAO on Hotkey in Netuid through the subnet pool.
// LimitPrice (rao per alpha, 0 = none) stops the buy at that price; with AllowPartial false a
// limited order that cannot fill completely fails instead.
type AddStake struct {
	Hotkey       wallet.AccountID `json:"hotkey"`
	Netuid       uint16           `json:"netuid"`
	Amount       uint64           `json:"amount"`
	LimitPrice   uint64           `json:"limit_price"`
	AllowPartial bool             `json:"allow_partial"`
}

// CallName is subtensor.add_stake.
func (AddStake) CallName() CallName { return CallName{subModule, "add_stake"} }

// EncodeArgs writes hotkey(32) || netuid u16 || amount u64 || limit_price u64 || allow_partial bool.
func (c AddStake) EncodeArgs(e *Encoder) {
	e.Account(c.Hotkey)
	e.U16(c.Netuid)
	e.U64(c.Amount)
	e.U64(c.LimitPrice)
	e.Bool(c.AllowPartial)
}

// Validate rejects a zero or oversize amount.
func (c AddStake) Validate(wallet.AccountID) error { return nonZero(c.Amount) }

// RemoveStake unstakes Amount alpha from (Hotkey, signer) in Netuid, selling it for TAO.
// LimitPrice (rao per alpha, 0 = none) stops the sale at that price. A nominator (not the
// hotkey's owner) left with less than the nominator minimum is unstaked completely.
type RemoveStake struct {
	Hotkey       wallet.AccountID `json:"hotkey"`
	Netuid       uint16           `json:"netuid"`
	Amount       uint64           `json:"amount"`
	LimitPrice   uint64           `json:"limit_price"`
	AllowPartial bool             `json:"allow_partial"`
}

// CallName is subtensor.remove_stake.
func (RemoveStake) CallName() CallName { return CallName{subModule, "remove_stake"} }

// EncodeArgs writes hotkey(32) || netuid u16 || amount u64 || limit_price u64 || allow_partial bool.
func (c RemoveStake) EncodeArgs(e *Encoder) {
	e.Account(c.Hotkey)
	e.U16(c.Netuid)
	e.U64(c.Amount)
	e.U64(c.LimitPrice)
	e.Bool(c.AllowPartial)
}

// decodeRemoveStake reads the arguments in EncodeArgs' order.
func decodeRemoveStake(d *Decoder) RemoveStake {
	return RemoveStake{Hotkey: d.Account(), Netuid: d.U16(), Amount: d.U64(), LimitPrice: d.U64(), AllowPartial: d.Bool()}
}

// Validate rejects a zero or oversize amount.
func (c RemoveStake) Validate(wallet.AccountID) error { return nonZero(c.Amount) }

// MoveStake moves Amount alpha of the signer from (OriginHotkey, OriginNetuid) to
// (DestinationHotkey, DestinationNetuid): a share transfer within one subnet, unstake and stake
// across subnets.
type MoveStake struct {
	OriginHotkey      wallet.AccountID `json:"origin_hotkey"`
	DestinationHotkey wallet.AccountID `json:"destination_hotkey"`
	OriginNetuid      uint16           `json:"origin_netuid"`
	DestinationNetuid uint16           `json:"destination_netuid"`
	Amount            uint64           `json:"amount"`
}

// CallName is subtensor.move_stake.
func (MoveStake) CallName() CallName { return CallName{subModule, "move_stake"} }

// EncodeArgs writes origin_hotkey(32) || destination_hotkey(32) || origin_netuid u16 ||
// destination_netuid u16 || amount u64.
func (c MoveStake) EncodeArgs(e *Encoder) {
	e.Account(c.OriginHotkey)
	e.Account(c.DestinationHotkey)
	e.U16(c.OriginNetuid)
	e.U16(c.DestinationNetuid)
	e.U64(c.Amount)
}

// decodeMoveStake reads the arguments in EncodeArgs' order.
func decodeMoveStake(d *Decoder) MoveStake {
	return MoveStake{OriginHotkey: d.Account(), DestinationHotkey: d.Account(), OriginNetuid: d.U16(), DestinationNetuid: d.U16(), Amount: d.U64()}
}

// Validate rejects a zero amount and a move onto the same position.
func (c MoveStake) Validate(wallet.AccountID) error {
	if c.OriginHotkey == c.DestinationHotkey && c.OriginNetuid == c.DestinationNetuid {
		return Reject(CodeInvalidArgs, "move_stake to the same hotkey and subnet does nothing")
	}
	return nonZero(c.Amount)
}

// TransferStake gives Amount alpha of the signer's stake on Hotkey to DestinationColdkey
// (same hotkey), optionally converting it to DestinationNetuid.
type TransferStake struct {
	DestinationColdkey wallet.AccountID `json:"destination_coldkey"`
	Hotkey             wallet.AccountID `json:"hotkey"`
	OriginNetuid       uint16           `json:"origin_netuid"`
	DestinationNetuid  uint16           `json:"destination_netuid"`
	Amount             uint64           `json:"amount"`
}

// CallName is subtensor.transfer_stake.
func (TransferStake) CallName() CallName { return CallName{subModule, "transfer_stake"} }

// EncodeArgs writes destination_coldkey(32) || hotkey(32) || origin_netuid u16 ||
// destination_netuid u16 || amount u64.
func (c TransferStake) EncodeArgs(e *Encoder) {
	e.Account(c.DestinationColdkey)
	e.Account(c.Hotkey)
	e.U16(c.OriginNetuid)
	e.U16(c.DestinationNetuid)
	e.U64(c.Amount)
}

// decodeTransferStake reads the arguments in EncodeArgs' order.
func decodeTransferStake(d *Decoder) TransferStake {
	return TransferStake{DestinationColdkey: d.Account(), Hotkey: d.Account(), OriginNetuid: d.U16(), DestinationNetuid: d.U16(), Amount: d.U64()}
}

// Validate rejects a zero amount and a transfer to self on the same subnet.
func (c TransferStake) Validate(signer wallet.AccountID) error {
	if c.DestinationColdkey == signer && c.OriginNetuid == c.DestinationNetuid {
		return Reject(CodeInvalidArgs, "transfer_stake to yourself on the same subnet does nothing")
	}
	return nonZero(c.Amount)
}

// SwapStake converts Amount alpha of (Hotkey, signer) from OriginNetuid to DestinationNetuid.
// LimitPrice (0 = none) bounds the ratio of origin price to destination price, in rao per alpha.
type SwapStake struct {
	Hotkey            wallet.AccountID `json:"hotkey"`
	OriginNetuid      uint16           `json:"origin_netuid"`
	DestinationNetuid uint16           `json:"destination_netuid"`
	Amount            uint64           `json:"amount"`
	LimitPrice        uint64           `json:"limit_price"`
	AllowPartial      bool             `json:"allow_partial"`
}

// CallName is subtensor.swap_stake.
func (SwapStake) CallName() CallName { return CallName{subModule, "swap_stake"} }

// EncodeArgs writes hotkey(32) || origin_netuid u16 || destination_netuid u16 || amount u64 ||
// limit_price u64 || allow_partial bool.
func (c SwapStake) EncodeArgs(e *Encoder) {
	e.Account(c.Hotkey)
	e.U16(c.OriginNetuid)
	e.U16(c.DestinationNetuid)
	e.U64(c.Amount)
	e.U64(c.LimitPrice)
	e.Bool(c.AllowPartial)
}

// decodeSwapStake reads the arguments in EncodeArgs' order.
func decodeSwapStake(d *Decoder) SwapStake {
	return SwapStake{Hotkey: d.Account(), OriginNetuid: d.U16(), DestinationNetuid: d.U16(), Amount: d.U64(), LimitPrice: d.U64(), AllowPartial: d.Bool()}
}

// Validate rejects a zero amount and a swap to the same subnet.
func (c SwapStake) Validate(wallet.AccountID) error {
	if c.OriginNetuid == c.DestinationNetuid {
		return Reject(CodeInvalidArgs, "swap_stake between the same subnet does nothing: use move_stake")
	}
	return nonZero(c.Amount)
}

// SetTake sets the delegate take of a hotkey the signer owns (1/65535 units): a decrease at
// once, an increase at most once per take rate limit.
type SetTake struct {
	Hotkey wallet.AccountID `json:"hotkey"`
	Take   uint16           `json:"take"`
}

// CallName is subtensor.set_take.
func (SetTake) CallName() CallName { return CallName{subModule, "set_take"} }

// EncodeArgs writes hotkey(32) || take u16.
func (c SetTake) EncodeArgs(e *Encoder) { e.Account(c.Hotkey); e.U16(c.Take) }

// decodeSetTake reads the arguments in EncodeArgs' order.
func decodeSetTake(d *Decoder) SetTake { return SetTake{Hotkey: d.Account(), Take: d.U16()} }
func decodeBurnedRegister(d *Decoder) BurnedRegister {
	return BurnedRegister{Netuid: d.U16(), Hotkey: d.Account(), LimitPrice: d.U64()}
}

// Validate has no stateless checks.
func (SetTake) Validate(wallet.AccountID) error { return nil }

// BurnedRegister registers Hotkey on Netuid for the signing coldkey, paying the current burn
// (swapped for alpha and destroyed). LimitPrice, if non-zero, fails the call when the burn is
// higher (subtensor's register_limit).
type BurnedRegister struct {
	Netuid     uint16           `json:"netuid"`
	Hotkey     wallet.AccountID `json:"hotkey"`
	LimitPrice uint64           `json:"limit_price"`
}

// CallName is subtensor.burned_register.
func (BurnedRegister) CallName() CallName { return CallName{subModule, "burned_register"} }

// EncodeArgs writes netuid u16 || hotkey(32) || limit_price u64.
func (c BurnedRegister) EncodeArgs(e *Encoder) {
	e.U16(c.Netuid)
	e.Account(c.Hotkey)
	e.U64(c.LimitPrice)
}

// Validate has no stateless checks.
func (BurnedRegister) Validate(wallet.AccountID) error { return nil }

// PowRegister registers Hotkey on Netuid with proof of work: Work must be the seal of (hash of
// block BlockNumber, hotkey, nonce) and meet the subnet's difficulty (see mechanism.PowSolve).
type PowRegister struct {
	Netuid      uint16           `json:"netuid"`
	BlockNumber uint64           `json:"block_number"`
	Nonce       uint64           `json:"nonce"`
	Work        Hash             `json:"work"`
	Hotkey      wallet.AccountID `json:"hotkey"`
}

// CallName is subtensor.register.
func (PowRegister) CallName() CallName { return CallName{subModule, "register"} }

// EncodeArgs writes netuid u16 || block_number u64 || nonce u64 || work(32) || hotkey(32).
func (c PowRegister) EncodeArgs(e *Encoder) {
	e.U16(c.Netuid)
	e.U64(c.BlockNumber)
	e.U64(c.Nonce)
	e.Fixed(c.Work[:])
	e.Account(c.Hotkey)
}

// decodePowRegister reads the arguments in EncodeArgs' order.
func decodePowRegister(d *Decoder) PowRegister {
	c := PowRegister{Netuid: d.U16(), BlockNumber: d.U64(), Nonce: d.U64()}
	copy(c.Work[:], d.Fixed(32))
	c.Hotkey = d.Account()
	return c
}

// Validate has no stateless checks.
func (PowRegister) Validate(wallet.AccountID) error { return nil }

// SetWeights sets the signing hotkey's weights on Netuid: Values[i] for uid Uids[i].
type SetWeights struct {
	Netuid     uint16   `json:"netuid"`
	Uids       []uint16 `json:"uids"`
	Values     []uint16 `json:"values"`
	VersionKey uint64   `json:"version_key"`
}

// CallName is subtensor.set_weights.
func (SetWeights) CallName() CallName { return CallName{subModule, "set_weights"} }

// EncodeArgs writes netuid u16 || uids (u16 n || u16*n) || values (u16 n || u16*n) || version_key u64.
func (c SetWeights) EncodeArgs(e *Encoder) {
	e.U16(c.Netuid)
	encodeU16s(e, c.Uids)
	encodeU16s(e, c.Values)
	e.U64(c.VersionKey)
}

// decodeSetWeights reads the arguments in EncodeArgs' order.
func decodeSetWeights(d *Decoder) SetWeights {
	return SetWeights{Netuid: d.U16(), Uids: decodeU16s(d), Values: decodeU16s(d), VersionKey: d.U64()}
}

// Validate has no stateless checks (the checks of Part B §5.1 run in order in the block).
func (SetWeights) Validate(wallet.AccountID) error { return nil }

// CommitWeights stores the hash of weights to reveal later (WeightsCommitHash).
type CommitWeights struct {
	Netuid uint16 `json:"netuid"`
	Hash   Hash   `json:"hash"`
}

// CallName is subtensor.commit_weights.
func (CommitWeights) CallName() CallName { return CallName{subModule, "commit_weights"} }

// EncodeArgs writes netuid u16 || hash(32).
func (c CommitWeights) EncodeArgs(e *Encoder) { e.U16(c.Netuid); e.Fixed(c.Hash[:]) }

// decodeCommitWeights reads the arguments in EncodeArgs' order.
func decodeCommitWeights(d *Decoder) CommitWeights {
	c := CommitWeights{Netuid: d.U16()}
	copy(c.Hash[:], d.Fixed(32))
	return c
}

// Validate has no stateless checks.
func (CommitWeights) Validate(wallet.AccountID) error { return nil }

// RevealWeights reveals committed weights in the commit's reveal epoch.
type RevealWeights struct {
	Netuid     uint16   `json:"netuid"`
	Uids       []uint16 `json:"uids"`
	Values     []uint16 `json:"values"`
	Salt       []uint16 `json:"salt"`
	VersionKey uint64   `json:"version_key"`
}

// CallName is subtensor.reveal_weights.
func (RevealWeights) CallName() CallName { return CallName{subModule, "reveal_weights"} }

// EncodeArgs writes netuid u16 || uids || values || salt (each u16 n || u16*n) || version_key u64.
func (c RevealWeights) EncodeArgs(e *Encoder) {
	e.U16(c.Netuid)
	encodeU16s(e, c.Uids)
	encodeU16s(e, c.Values)
	encodeU16s(e, c.Salt)
	e.U64(c.VersionKey)
}

// decodeRevealWeights reads the arguments in EncodeArgs' order.
func decodeRevealWeights(d *Decoder) RevealWeights {
	return RevealWeights{Netuid: d.U16(), Uids: decodeU16s(d), Values: decodeU16s(d), Salt: decodeU16s(d), VersionKey: d.U64()}
}

// Validate has no stateless checks.
func (RevealWeights) Validate(wallet.AccountID) error { return nil }

// ServeAxon publishes the signing hotkey's endpoint on Netuid. IP holds 16 bytes: an IPv6
// address, or an IPv4 address in the last 4 bytes with IPType 4. The zero address (0.0.0.0,
// what btcli's `axon reset` publishes) clears the endpoint: the neuron is then not serving.
type ServeAxon struct {
	Netuid   uint16   `json:"netuid"`
	Version  uint32   `json:"version"`
	IP       [16]byte `json:"ip"`
	Port     uint16   `json:"port"`
	IPType   uint8    `json:"ip_type"`
	Protocol uint8    `json:"protocol"`
}

// CallName is subtensor.serve_axon.
func (ServeAxon) CallName() CallName { return CallName{subModule, "serve_axon"} }

// EncodeArgs writes netuid u16 || version u32 || ip(16) || port u16 || ip_type u8 || protocol u8.
func (c ServeAxon) EncodeArgs(e *Encoder) {
	e.U16(c.Netuid)
	e.U32(c.Version)
	e.Fixed(c.IP[:])
	e.U16(c.Port)
	e.U8(c.IPType)
	e.U8(c.Protocol)
}

// decodeServeAxon reads the arguments in EncodeArgs' order.
func decodeServeAxon(d *Decoder) ServeAxon {
	c := ServeAxon{Netuid: d.U16(), Version: d.U32()}
	copy(c.IP[:], d.Fixed(16))
	c.Port = d.U16()
	c.IPType = d.U8()
	c.Protocol = d.U8()
	return c
}

// Validate requires ip type 4 or 6 and a non-zero port; a zero address is the reset.
func (c ServeAxon) Validate(wallet.AccountID) error {
	if c.IPType != 4 && c.IPType != 6 {
		return Reject(CodeInvalidArgs, "ip_type must be 4 or 6, got %d", c.IPType)
	}
	if c.Port == 0 {
		return Reject(CodeInvalidArgs, "port must not be 0")
	}
	if c.IPType == 4 && [12]byte(c.IP[:12]) != ([12]byte{}) {
		return Reject(CodeInvalidArgs, "an ipv4 address goes in the last 4 of the 16 ip bytes")
	}
	return nil
}

// SwapHotkey moves everything of Hotkey (uids, stake, take, axons) to NewHotkey; signed by the
// owning coldkey.
type SwapHotkey struct {
	Hotkey    wallet.AccountID `json:"hotkey"`
	NewHotkey wallet.AccountID `json:"new_hotkey"`
}

// CallName is subtensor.swap_hotkey.
func (SwapHotkey) CallName() CallName { return CallName{subModule, "swap_hotkey"} }

// EncodeArgs writes hotkey(32) || new_hotkey(32).
func (c SwapHotkey) EncodeArgs(e *Encoder) { e.Account(c.Hotkey); e.Account(c.NewHotkey) }

// decodeSwapHotkey reads the arguments in EncodeArgs' order.
func decodeSwapHotkey(d *Decoder) SwapHotkey {
	return SwapHotkey{Hotkey: d.Account(), NewHotkey: d.Account()}
}

// Validate rejects a swap to the same hotkey.
func (c SwapHotkey) Validate(wallet.AccountID) error {
	if c.Hotkey == c.NewHotkey {
		return Reject(CodeInvalidArgs, "swap_hotkey to the same hotkey does nothing")
	}
	return nil
}

// WeightsCommitHash is the commit of commit_weights: blake2b-256 of the SCALE encoding of
// (hotkey, netuid, uids, values, salt, version_key), as subtensor's BlakeTwo256 commit hash.
func WeightsCommitHash(hotkey wallet.AccountID, netuid uint16, uids, values, salt []uint16, versionKey uint64) Hash {
	b := make([]byte, 0, 64+2*(len(uids)+len(values)+len(salt))+32)
	b = append(b, hotkey[:]...)
	b = binary.LittleEndian.AppendUint16(b, netuid)
	for _, v := range [][]uint16{uids, values, salt} {
		b = scaleCompact(b, uint64(len(v)))
		for _, x := range v {
			b = binary.LittleEndian.AppendUint16(b, x)
		}
	}
	b = binary.LittleEndian.AppendUint64(b, versionKey)
	return blake2b.Sum256(b)
}

// scaleCompact appends SCALE's compact encoding of a length.
func scaleCompact(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n<<2))
	case n < 1<<14:
		return binary.LittleEndian.AppendUint16(b, uint16(n<<2|1))
	default:
		return binary.LittleEndian.AppendUint32(b, uint32(n<<2|2))
	}
}
