package mechanism

// NetworkPruneCandidate is what the subnet-pruning choice needs to know about one subnet.
type NetworkPruneCandidate struct {
	Netuid uint16
	// RegisteredAt is NetworkRegisteredAt: the block of the subnet's register_network (0 for
	// subnets created at genesis).
	RegisteredAt uint64
	// MovingPrice is SubnetMovingPrice, the subnet's moving price EMA.
	MovingPrice I96F32
}

// NetworkToPrune picks the subnet that a register_network replaces when SubnetLimit subnets
// exist (subtensor get_network_to_prune, Part B §4.4): among the subnets other than root that
// are past their immunity (block − RegisteredAt ≥ immunity, saturating), the one with the lowest
// moving price; a tie goes to the earliest registered, then to the lowest netuid. ok is false
// when no subnet is past its immunity: the registration must then fail.
func NetworkToPrune(subnets []NetworkPruneCandidate, block, immunity uint64) (netuid uint16, ok bool) {
	var best *NetworkPruneCandidate
	for i := range subnets {
		c := &subnets[i]
		if c.Netuid == 0 || IsImmune(block, c.RegisteredAt, immunity) {
			continue
		}
		if best == nil || betterNetworkToPrune(c, best) {
			best = c
		}
	}
	if best == nil {
		return 0, false
	}
	return best.Netuid, true
}

func betterNetworkToPrune(a, b *NetworkPruneCandidate) bool {
	if c := a.MovingPrice.Cmp(b.MovingPrice); c != 0 {
		return c < 0
	}
	if a.RegisteredAt != b.RegisteredAt {
		return a.RegisteredAt < b.RegisteredAt
	}
	return a.Netuid < b.Netuid
}

// NetworkPruneableFrom returns the first block at or after block at which some subnet other
// than root is past its immunity, so that NetworkToPrune finds a candidate; false when no
// subnet besides root ever will be.
func NetworkPruneableFrom(subnets []NetworkPruneCandidate, block, immunity uint64) (uint64, bool) {
	var first uint64
	found := false
	for _, c := range subnets {
		if c.Netuid == 0 {
			continue
		}
		at := block
		if IsImmune(block, c.RegisteredAt, immunity) {
			at = c.RegisteredAt + immunity
			if at < immunity {
				continue // immune for longer than blocks can count
			}
		}
		if !found || at < first {
			first, found = at, true
		}
	}
	return first, found
}
