package localchain

import (
	"encoding/binary"

	"github.com/btui/btui/wallet"
)

// Buckets and key layouts of the subtensor modules (subnets, staking, registration, weights,
// emission). Integer keys are big-endian, so a cursor walks them in numeric order; every value
// is written with Encoder and read back strictly with Decoder.
//
//	s.sub.global    "params"                       -> subParams encoding (chain-wide, sudo-set)
//	                "lock"                         -> last lock u64 || last lock block u64
//	s.sub.subnets   netuid u16                     -> subnet encoding (owner, pool, pending
//	                                                  buckets, burn, moving price, hyperparameters)
//	s.sub.neurons   netuid u16 || uid u16          -> neuron encoding (hotkey, blocks, axon)
//	s.sub.outputs   netuid u16                     -> last epoch's outputs, outputSize bytes per uid
//	                                                  (a uid past the end has zero outputs)
//	s.sub.uids      netuid u16 || hotkey [32]      -> uid u16
//	s.sub.weights   netuid u16 || uid u16          -> row: n u16 || (uid u16 || value u16)*n, or
//	                                                  for ascending uids when smaller: (n|0x8000) u16
//	                                                  || span u16 || uid bitmap || value u16 *n
//	s.sub.bonds     netuid u16 || uid u16          -> row, same layouts
//	s.sub.hotkeys   hotkey [32]                    -> owner coldkey [32] || take u16 || take changed at u64
//	s.sub.halpha    netuid u16 || hotkey [32]      -> total alpha u64 || total shares u64 (share pool)
//	s.sub.shares    netuid u16 || hotkey [32] || coldkey [32] -> shares u64
//	s.sub.commits   netuid u16 || hotkey [32]      -> n u8 || (hash [32] || block u64)*n
//	s.sub.limits    'n' || coldkey [32]            -> block u64 of the coldkey's last register_network
//	                'h' || netuid u16 || name      -> block u64 of the owner's last set of that hyperparameter
//	                'w' || seal [32]               -> block u64 at which that PoW seal was used
var (
	bucketSubGlobal  = []byte("s.sub.global")
	bucketSubnets    = []byte("s.sub.subnets")
	bucketNeurons    = []byte("s.sub.neurons")
	bucketOutputs    = []byte("s.sub.outputs")
	bucketUIDs       = []byte("s.sub.uids")
	bucketWeights    = []byte("s.sub.weights")
	bucketBonds      = []byte("s.sub.bonds")
	bucketHotkeys    = []byte("s.sub.hotkeys")
	bucketHotAlpha   = []byte("s.sub.halpha")
	bucketShares     = []byte("s.sub.shares")
	bucketCommits    = []byte("s.sub.commits")
	bucketRateLimits = []byte("s.sub.limits")
)

// subBuckets are every state bucket of the subtensor modules.
var subBuckets = [][]byte{
	bucketSubGlobal, bucketSubnets, bucketNeurons, bucketOutputs, bucketUIDs, bucketWeights, bucketBonds,
	bucketHotkeys, bucketHotAlpha, bucketShares, bucketCommits, bucketRateLimits,
}

// Keys of s.sub.global.
var (
	subKeyParams = []byte("params")
	subKeyLock   = []byte("lock")
)

// Prefixes of s.sub.limits.
const (
	limitNetwork    byte = 'n'
	limitHyperparam byte = 'h'
	limitWork       byte = 'w'
)

func netKey(netuid uint16) []byte { return binary.BigEndian.AppendUint16(make([]byte, 0, 2), netuid) }

func netUIDKey(netuid, uid uint16) []byte {
	k := make([]byte, 4)
	binary.BigEndian.PutUint16(k, netuid)
	binary.BigEndian.PutUint16(k[2:], uid)
	return k
}

func netHotkeyKey(netuid uint16, hotkey wallet.AccountID) []byte {
	k := make([]byte, 34)
	binary.BigEndian.PutUint16(k, netuid)
	copy(k[2:], hotkey[:])
	return k
}

func shareKey(netuid uint16, hotkey, coldkey wallet.AccountID) []byte {
	k := make([]byte, 66)
	binary.BigEndian.PutUint16(k, netuid)
	copy(k[2:], hotkey[:])
	copy(k[34:], coldkey[:])
	return k
}

func networkLimitKey(coldkey wallet.AccountID) []byte {
	return append([]byte{limitNetwork}, coldkey[:]...)
}

func hyperLimitKey(netuid uint16, name string) []byte {
	k := binary.BigEndian.AppendUint16([]byte{limitHyperparam}, netuid)
	return append(k, name...)
}

func workKey(seal [32]byte) []byte { return append([]byte{limitWork}, seal[:]...) }
