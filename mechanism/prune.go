package mechanism

import "sort"

// PruneNeuron is what the pruning choice needs to know about one uid of a full subnet.
type PruneNeuron struct {
	UID uint16
	// Emission is the uid's last epoch emission (Emission[netuid][uid], rao of alpha).
	Emission uint64
	// RegisteredAt is BlockAtRegistration.
	RegisteredAt uint64
	// OwnedBySubnetOwner marks hotkeys owned by the subnet owner's coldkey.
	OwnedBySubnetOwner bool
	// IsOwnerHotkey marks the subnet's SubnetOwnerHotkey.
	IsOwnerHotkey bool
}

// PruneParams are the subnet hyperparameters of the pruning choice.
type PruneParams struct {
	// Block is the current block.
	Block uint64
	// ImmunityPeriod: a uid registered fewer than this many blocks ago is immune (default 5000).
	ImmunityPeriod uint64
	// ImmuneOwnerUidsLimit caps how many owner hotkeys are immortal (default 1, max 10).
	ImmuneOwnerUidsLimit uint16
	// MinNonImmuneUids: non-immune uids are pruned only while more than this many exist (default 10).
	MinNonImmuneUids uint16
}

// DefaultPruneParams returns the new-subnet defaults (immunity 5000 blocks, one immortal owner
// hotkey, at least 10 non-immune uids kept) at block.
func DefaultPruneParams(block uint64) PruneParams {
	return PruneParams{Block: block, ImmunityPeriod: 5000, ImmuneOwnerUidsLimit: 1, MinNonImmuneUids: 10}
}

// IsImmune reports whether a uid registered at registeredAt is still in its immunity period:
// block − registeredAt < immunityPeriod (saturating).
func IsImmune(block, registeredAt, immunityPeriod uint64) bool {
	return satSub64(block, registeredAt) < immunityPeriod
}

// ImmortalOwnerUIDs returns the owner-immortal uids (subtensor get_immune_owner_hotkeys): the
// owner coldkey's hotkeys sorted by (RegisteredAt, UID) ascending, truncated to limit, then the
// owner hotkey moved to the front if missing and the list truncated to limit again. A limit of 0
// makes nobody immortal, not even the owner hotkey.
func ImmortalOwnerUIDs(neurons []PruneNeuron, limit uint16) []uint16 {
	var owned []PruneNeuron
	ownerIdx := -1
	for i, n := range neurons {
		if n.OwnedBySubnetOwner {
			owned = append(owned, n)
		}
		if n.IsOwnerHotkey && ownerIdx < 0 {
			ownerIdx = i
		}
	}
	sort.Slice(owned, func(a, b int) bool {
		if owned[a].RegisteredAt != owned[b].RegisteredAt {
			return owned[a].RegisteredAt < owned[b].RegisteredAt
		}
		return owned[a].UID < owned[b].UID
	})
	if len(owned) > int(limit) {
		owned = owned[:limit]
	}
	uids := make([]uint16, 0, len(owned)+1)
	for _, n := range owned {
		uids = append(uids, n.UID)
	}
	if ownerIdx >= 0 {
		owner := neurons[ownerIdx].UID
		present := false
		for _, u := range uids {
			present = present || u == owner
		}
		if !present {
			uids = append([]uint16{owner}, uids...)
			if len(uids) > int(limit) {
				uids = uids[:limit]
			}
		}
	}
	return uids
}

// NeuronToPrune picks the uid a new registration replaces on a full subnet (subtensor
// get_neuron_to_prune): owner-immortal uids are skipped; among the rest the lowest
// (Emission, RegisteredAt, UID) wins, taken from the non-immune uids when more than
// MinNonImmuneUids of them exist, otherwise from the immune ones. ok is false when every uid is
// immortal (or there are none): the registration must then fail with ErrNoNeuronToPrune.
func NeuronToPrune(neurons []PruneNeuron, p PruneParams) (uid uint16, ok bool) {
	immortal := ImmortalOwnerUIDs(neurons, p.ImmuneOwnerUidsLimit)
	isImmortal := func(u uint16) bool {
		for _, m := range immortal {
			if m == u {
				return true
			}
		}
		return false
	}
	better := func(a, b PruneNeuron) bool {
		if a.Emission != b.Emission {
			return a.Emission < b.Emission
		}
		if a.RegisteredAt != b.RegisteredAt {
			return a.RegisteredAt < b.RegisteredAt
		}
		return a.UID < b.UID
	}
	var bestFree, bestImmune *PruneNeuron
	free := 0
	for i := range neurons {
		n := &neurons[i]
		if isImmortal(n.UID) {
			continue
		}
		if IsImmune(p.Block, n.RegisteredAt, p.ImmunityPeriod) {
			if bestImmune == nil || better(*n, *bestImmune) {
				bestImmune = n
			}
			continue
		}
		free++
		if bestFree == nil || better(*n, *bestFree) {
			bestFree = n
		}
	}
	if bestFree != nil && free > int(p.MinNonImmuneUids) {
		return bestFree.UID, true
	}
	if bestImmune != nil {
		return bestImmune.UID, true
	}
	return 0, false
}
