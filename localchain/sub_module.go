package localchain

import (
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
)

// subtensorModule is the subtensor pallet of the devnet: subnets and their pools, staking,
// registration, weights, serving, hotkey swaps, and the block step (burn decay, coinbase,
// epochs, distribution). All mechanism arithmetic is the mechanism package's.
func subtensorModule() Module {
	return Module{
		Name:    subModule,
		Buckets: append(append([][]byte{}, subBuckets...), bucketIdentity),
		Calls: []CallSpec{
			Handle(applyRegisterNetwork),
			Handle(applyStartCall),
			Handle(applySetHyperparameter),
			Handle(applySudoSetGlobal),
			Handle(applyDissolveNetwork),
			Handle(applyAddStake),
			Handle(applyRemoveStake),
			Handle(applyMoveStake),
			Handle(applyTransferStake),
			Handle(applySwapStake),
			Handle(applySetTake),
			Handle(applyBurnedRegister),
			Handle(applyPowRegister),
			Handle(applySetWeights),
			Handle(applyCommitWeights),
			Handle(applyRevealWeights),
			Handle(applyServeAxon),
			Handle(applySwapHotkey),
			Handle(applySetIdentity),
			Handle(applySetSubnetIdentity),
			Handle(applyScheduleSwapColdkey),
		},
		BlockStep:   subBlockStep,
		InitGenesis: initSubtensorGenesis,
		HeldTAO:     subHeldTAO,
		Invariants: []Invariant{
			{Name: "subnet_alpha", Check: checkSubnetAlpha},
			{Name: "share_pools", Check: checkSharePools},
			{Name: "neurons", Check: checkNeurons},
		},
	}
}

// subHeldTAO is the TAO the subtensor module holds: every subnet pool's TAO reserve, root's
// being the TAO staked on root.
func subHeldTAO(tx *bbolt.Tx) (uint64, error) {
	var sum uint64
	nets, err := listSubnets(tx)
	if err != nil {
		return 0, err
	}
	for _, n := range nets {
		if n.PoolTao > protocol.MaxSupply-sum {
			return 0, fmt.Errorf("subnet pools hold more than the maximum supply")
		}
		sum += n.PoolTao
	}
	return sum, nil
}

// subModule is the subtensor module's name (its calls' module, its events' module).
const subModule = protocol.SubtensorModule
