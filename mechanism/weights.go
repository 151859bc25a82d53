package mechanism

import (
	"encoding/binary"
	"fmt"
	"math"

	"golang.org/x/crypto/blake2b"
)

// WeightsParams are the subnet state and hyperparameters set_weights checks against.
type WeightsParams struct {
	// Netuid is the subnet; 0 (root) is refused.
	Netuid uint16
	// N is SubnetworkN, the number of uids; valid uids are 0..N−1.
	N uint16
	// Block is the current block.
	Block uint64
	// CommitReveal is CommitRevealWeightsEnabled: plain set_weights is refused when true.
	CommitReveal bool
	// StakeThreshold is the global minimum stake weight to set weights (default 0).
	StakeThreshold uint64
	// VersionKey is WeightsVersionKey (0 disables the check).
	VersionKey uint64
	// RateLimit is WeightsSetRateLimit in blocks (default 100).
	RateLimit uint64
	// MinAllowedWeights is the least number of weights (new subnets 1).
	MinAllowedWeights uint16
	// MaxWeightsLimit caps the normalised largest weight at MaxWeightsLimit/65535 (65535 = no cap).
	MaxWeightsLimit uint16
}

// WeightsCaller is the calling hotkey's state on the subnet.
type WeightsCaller struct {
	// Registered reports whether the hotkey has a uid; UID is that uid.
	Registered bool
	UID        uint16
	// IsOwner marks the subnet owner's hotkey: no stake threshold, no permit needed.
	IsOwner bool
	// StakeWeight is the hotkey's stake weight (alpha + tao_weight·root, floored to rao).
	StakeWeight uint64
	// LastUpdate is the uid's LastUpdate block (0 = never).
	LastUpdate uint64
	// Permit is the uid's ValidatorPermit from the last epoch.
	Permit bool
}

// WeightsRequest is one set_weights call (or the payload of a reveal).
type WeightsRequest struct {
	UIDs       []uint16
	Values     []uint16
	VersionKey uint64
}

// IsSelfWeight is is_self_weight: exactly one weight, on the caller's own uid.
func IsSelfWeight(uid uint16, uids []uint16, values []uint16) bool {
	return len(values) == 1 && len(uids) > 0 && uids[0] == uid
}

// CheckSetWeights runs every set_weights check of Part B §5.1 in subtensor's order and returns
// the max-upscaled values to store as Weights[netuid][uid] = zip(uids, values) (explicit zeros
// kept); the chain then sets LastUpdate = Block (commit-reveal off). The errors, each wrapping
// one sentinel of errors.go, are:
//
//  1. root network (ErrRootNetworkWeights); commit-reveal on (ErrCommitRevealEnabled) unless
//     reveal is true (a reveal runs the same checks);
//  2. len(uids) ≠ len(values) (ErrWeightVecNotEqualSize);
//  3. len(uids) > N (ErrTooManyUids);
//  4. caller not registered (ErrHotkeyNotRegistered);
//  5. stake weight < StakeThreshold, owner exempt (ErrNotEnoughStakeToSetWeights);
//  6. VersionKey ≠ 0 and request key < VersionKey (ErrIncorrectWeightVersionKey);
//  7. rate limit, only when commit-reveal is off: LastUpdate ≠ 0 and Block − LastUpdate <
//     RateLimit (ErrSettingWeightsTooFast);
//  8. no permit, unless a pure self-weight or the owner (ErrNoValidatorPermit);
//  9. a duplicate uid (ErrDuplicateUids); a uid ≥ N (ErrInvalidUid);
//  10. fewer than min(MinAllowedWeights, N) weights, unless a self-weight
//     (ErrWeightVecLengthIsLow);
//  11. normalise with VecU16MaxUpscaleToU16 (largest → 65535, ties away from zero);
//  12. max weight limit, unless a self-weight or MaxWeightsLimit = 65535 (ErrMaxWeightExceeded).
func CheckSetWeights(req WeightsRequest, c WeightsCaller, p WeightsParams, reveal bool) ([]uint16, error) {
	if p.Netuid == 0 {
		return nil, ErrRootNetworkWeights
	}
	if p.CommitReveal && !reveal {
		return nil, ErrCommitRevealEnabled
	}
	if len(req.UIDs) != len(req.Values) {
		return nil, fmt.Errorf("%d uids, %d weights: %w", len(req.UIDs), len(req.Values), ErrWeightVecNotEqualSize)
	}
	if len(req.UIDs) > int(p.N) {
		return nil, fmt.Errorf("%d uids on a subnet of %d: %w", len(req.UIDs), p.N, ErrTooManyUids)
	}
	if !c.Registered {
		return nil, ErrHotkeyNotRegistered
	}
	if !c.IsOwner && c.StakeWeight < p.StakeThreshold {
		return nil, fmt.Errorf("stake weight %d, threshold %d: %w", c.StakeWeight, p.StakeThreshold, ErrNotEnoughStakeToSetWeights)
	}
	if p.VersionKey != 0 && req.VersionKey < p.VersionKey {
		return nil, fmt.Errorf("version key %d, subnet requires %d: %w", req.VersionKey, p.VersionKey, ErrIncorrectWeightVersionKey)
	}
	if !p.CommitReveal && c.LastUpdate != 0 && satSub64(p.Block, c.LastUpdate) < p.RateLimit {
		return nil, fmt.Errorf("last update at block %d, now %d, limit %d blocks: %w", c.LastUpdate, p.Block, p.RateLimit, ErrSettingWeightsTooFast)
	}
	self := IsSelfWeight(c.UID, req.UIDs, req.Values)
	if !self && !c.IsOwner && !c.Permit {
		return nil, fmt.Errorf("uid %d: %w", c.UID, ErrNoValidatorPermit)
	}
	seen := make(map[uint16]struct{}, len(req.UIDs))
	for _, u := range req.UIDs {
		if _, dup := seen[u]; dup {
			return nil, fmt.Errorf("uid %d: %w", u, ErrDuplicateUids)
		}
		seen[u] = struct{}{}
	}
	for _, u := range req.UIDs {
		if u >= p.N {
			return nil, fmt.Errorf("uid %d on a subnet of %d: %w", u, p.N, ErrInvalidUid)
		}
	}
	if minW := min(p.MinAllowedWeights, p.N); !self && len(req.Values) < int(minW) {
		return nil, fmt.Errorf("%d weights, at least %d required: %w", len(req.Values), minW, ErrWeightVecLengthIsLow)
	}
	up := VecU16MaxUpscaleToU16(req.Values)
	if !self && p.MaxWeightsLimit != math.MaxUint16 && !CheckVecMaxLimited(up, p.MaxWeightsLimit) {
		return nil, fmt.Errorf("limit %d/65535: %w", p.MaxWeightsLimit, ErrMaxWeightExceeded)
	}
	return up, nil
}

// MaxUnrevealedCommits is the most unrevealed weight commits one hotkey may hold.
const MaxUnrevealedCommits = 10

// CommitHash is the CR-v2 weights commit hash:
//
//	BlakeTwo256(SCALE(hotkey, netuid, uids, values, salt, versionKey))
//
// with SCALE the concatenation of the 32 hotkey bytes, netuid as u16 little-endian, each vector
// as its compact-encoded length followed by its u16 little-endian items, and versionKey as u64
// little-endian; BlakeTwo256 is unkeyed BLAKE2b with a 32-byte digest. The netuid is the
// storage index (mecid·4096 + netuid), which is the netuid itself on a single-mechanism subnet.
func CommitHash(hotkey [32]byte, netuid uint16, uids, values, salt []uint16, versionKey uint64) [32]byte {
	buf := make([]byte, 0, 32+2+3*5+2*(len(uids)+len(values)+len(salt))+8)
	buf = append(buf, hotkey[:]...)
	buf = binary.LittleEndian.AppendUint16(buf, netuid)
	buf = appendU16Vec(buf, uids)
	buf = appendU16Vec(buf, values)
	buf = appendU16Vec(buf, salt)
	buf = binary.LittleEndian.AppendUint64(buf, versionKey)
	return blake2b.Sum256(buf)
}

func appendU16Vec(buf []byte, v []uint16) []byte {
	buf = appendCompact(buf, uint64(len(v)))
	for _, x := range v {
		buf = binary.LittleEndian.AppendUint16(buf, x)
	}
	return buf
}

// appendCompact appends SCALE's compact encoding of n.
func appendCompact(buf []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(buf, byte(n<<2))
	case n < 1<<14:
		return binary.LittleEndian.AppendUint16(buf, uint16(n<<2|1))
	case n < 1<<30:
		return binary.LittleEndian.AppendUint32(buf, uint32(n<<2|2))
	}
	var tmp [8]byte
	binary.LittleEndian.PutUint64(tmp[:], n)
	l := 8
	for l > 4 && tmp[l-1] == 0 {
		l--
	}
	buf = append(buf, byte((l-4)<<2|3))
	return append(buf, tmp[:l]...)
}

// WeightCommit is one unrevealed CR-v2 commit of a hotkey: its hash and the block it was made.
type WeightCommit struct {
	Hash  [32]byte
	Block uint64
}

// RevealSchedule is what decides when a commit may be revealed: the subnet's netuid and tempo
// (legacy epoch index) and RevealPeriodEpochs.
type RevealSchedule struct {
	Netuid, Tempo uint16
	RevealPeriod  uint64
}

// AddCommit is do_commit_weights on a hotkey's commit queue (oldest first): the rate limit
// (LastUpdate ≠ 0 and block − LastUpdate < rateLimit ⇒ ErrCommittingWeightsTooFast), then expired
// commits are dropped from the front, then at most MaxUnrevealedCommits may remain
// (ErrTooManyUnrevealedCommits), then the new commit is appended. The chain stores the returned
// queue and sets LastUpdate = block.
func AddCommit(queue []WeightCommit, hash [32]byte, block, lastUpdate, rateLimit uint64, s RevealSchedule) ([]WeightCommit, error) {
	if lastUpdate != 0 && satSub64(block, lastUpdate) < rateLimit {
		return queue, fmt.Errorf("last update at block %d, now %d: %w", lastUpdate, block, ErrCommittingWeightsTooFast)
	}
	live := dropExpired(queue, block, s, nil)
	if len(live) >= MaxUnrevealedCommits {
		return queue, ErrTooManyUnrevealedCommits
	}
	out := make([]WeightCommit, 0, len(live)+1)
	out = append(out, live...)
	return append(out, WeightCommit{Hash: hash, Block: block}), nil
}

// dropExpired removes expired commits from the front of the queue, reporting each to seen.
func dropExpired(queue []WeightCommit, block uint64, s RevealSchedule, seen func(WeightCommit)) []WeightCommit {
	i := 0
	for i < len(queue) && CommitExpired(s.Netuid, s.Tempo, s.RevealPeriod, queue[i].Block, block) {
		if seen != nil {
			seen(queue[i])
		}
		i++
	}
	return queue[i:]
}
