package localchain

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// subtensorModule is the subtensor pallet of the devnet: subnets and their pools, staking,
// registration, weights, serving, hotkey swaps, and the block step (burn decay, coinbase,
// epochs, distribution). All mechanism arithmetic is the mechanism package's.
func subtensorModule() Module {
	return Module{
		Name:    subModule,
		Buckets: subBuckets,
		Calls: []CallSpec{
			NewCallSpec("register_network", decodeRegisterNetwork, applyRegisterNetwork),
			NewCallSpec("start_call", decodeStartCall, applyStartCall),
			NewCallSpec("set_hyperparameter", decodeSetHyperparameter, applySetHyperparameter),
			NewCallSpec("sudo_set_global", decodeSudoSetGlobal, applySudoSetGlobal),
			NewCallSpec("dissolve_network", decodeDissolveNetwork, applyDissolveNetwork),
			NewCallSpec("add_stake", decodeAddStake, applyAddStake),
			NewCallSpec("remove_stake", decodeRemoveStake, applyRemoveStake),
			NewCallSpec("move_stake", decodeMoveStake, applyMoveStake),
			NewCallSpec("transfer_stake", decodeTransferStake, applyTransferStake),
			NewCallSpec("swap_stake", decodeSwapStake, applySwapStake),
			NewCallSpec("set_take", decodeSetTake, applySetTake),
			NewCallSpec("burned_register", decodeBurnedRegister, applyBurnedRegister),
			NewCallSpec("register", decodePowRegister, applyPowRegister),
			NewCallSpec("set_weights", decodeSetWeights, applySetWeights),
			NewCallSpec("commit_weights", decodeCommitWeights, applyCommitWeights),
			NewCallSpec("reveal_weights", decodeRevealWeights, applyRevealWeights),
			NewCallSpec("serve_axon", decodeServeAxon, applyServeAxon),
			NewCallSpec("swap_hotkey", decodeSwapHotkey, applySwapHotkey),
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
		if n.PoolTao > MaxSupply-sum {
			return 0, fmt.Errorf("subnet pools hold more than the maximum supply")
		}
		sum += n.PoolTao
	}
	return sum, nil
}
