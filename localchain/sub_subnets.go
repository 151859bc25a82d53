package localchain

import (
	"bytes"
	"strconv"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Subnet calls: register_network, start_call, set_hyperparameter, sudo_set_global,
// dissolve_network.

// loadSubnet loads a subnet or fails with CodeSubnetNotFound.
func loadSubnet(ctx *CallContext, netuid uint16) (*subnet, error) {
	n, ok, err := getSubnet(ctx.Tx(), netuid)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, protocol.Fail(protocol.CodeSubnetNotFound, "subnet %d does not exist: list subnets with btui subnets list", netuid)
	}
	return n, nil
}

// loadDynamicSubnet is loadSubnet refusing the root network.
func loadDynamicSubnet(ctx *CallContext, netuid uint16, what string) (*subnet, error) {
	if netuid == RootNetuid {
		return nil, protocol.Fail(protocol.CodeRootNetwork, "%s is not allowed on the root network (netuid 0): pick a subnet", what)
	}
	return loadSubnet(ctx, netuid)
}

func loadSubParams(ctx *CallContext) (subParams, error) { return getSubParams(ctx.Tx()) }

// medianOtherPrice is the median spot price of the existing dynamic subnets.
func medianOtherPrice(tx *bbolt.Tx) (mechanism.U64F64, int, error) {
	nets, err := listSubnets(tx)
	if err != nil {
		return mechanism.U64F64{}, 0, err
	}
	var prices []mechanism.U64F64
	count := 0
	for _, n := range nets {
		if n.Stable {
			continue
		}
		count++
		prices = append(prices, n.price())
	}
	return mechanism.MedianPrice(prices), count, nil
}

// freeNetuid returns the lowest unused netuid above root.
func freeNetuid(tx *bbolt.Tx) (uint16, bool) {
	b := tx.Bucket(bucketSubnets)
	for id := uint32(1); id <= 0xFFFF; id++ {
		if b.Get(netKey(uint16(id))) == nil {
			return uint16(id), true
		}
	}
	return 0, false
}

// networkToPrune reports whether the subnet limit is reached and, if so, which subnet a new
// register_network replaces (mechanism.NetworkToPrune); at the limit with every subnet immune
// it fails with CodeSubnetLimit.
func networkToPrune(tx *bbolt.Tx, p subParams, block uint64) (uint16, bool, error) {
	nets, err := listSubnets(tx)
	if err != nil {
		return 0, false, err
	}
	var cands []mechanism.NetworkPruneCandidate
	for _, n := range nets {
		if n.Stable {
			continue
		}
		cands = append(cands, mechanism.NetworkPruneCandidate{Netuid: n.Netuid, RegisteredAt: n.RegisteredAt, MovingPrice: n.movingPrice()})
	}
	if len(cands) < int(p.SubnetLimit) {
		return 0, false, nil
	}
	if netuid, ok := mechanism.NetworkToPrune(cands, block, p.NetworkImmunity); ok {
		return netuid, true, nil
	}
	if from, ok := mechanism.NetworkPruneableFrom(cands, block, p.NetworkImmunity); ok {
		return 0, false, protocol.Fail(protocol.CodeSubnetLimit, "the subnet limit of %d is reached and every subnet is immune for %d blocks after its registration; "+
			"the first can be replaced from block %d (or raise subnet_limit)", p.SubnetLimit, p.NetworkImmunity, from)
	}
	return 0, false, protocol.Fail(protocol.CodeSubnetLimit, "the subnet limit of %d is reached and no subnet can be replaced; raise subnet_limit or dissolve a subnet", p.SubnetLimit)
}

// networkLockCost is the lock cost of a register_network at block.
func networkLockCost(tx *bbolt.Tx, p subParams, block uint64) uint64 {
	last, lastBlock := getLockState(tx)
	return mechanism.NetworkLockCost(last, lastBlock, block, p.lockParams())
}

func applyRegisterNetwork(ctx *CallContext, c protocol.RegisterNetwork) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	tx := ctx.Tx()
	// Preconditions.
	if last := getU64(tx, bucketRateLimits, networkLimitKey(ctx.Signer)); last != 0 && p.NetworkRateLimit > 0 && ctx.Height-last < p.NetworkRateLimit {
		return protocol.Fail(protocol.CodeNetworkRateLimited, "register_network rate limited: %s registered a subnet at block %d; wait until block %d",
			ctx.Signer, last, last+p.NetworkRateLimit)
	}
	// At the subnet limit the new subnet replaces the non-immune one with the lowest moving
	// price (§4.4); it is dissolved only once every other check has passed.
	prune, full, err := networkToPrune(tx, p, ctx.Height)
	if err != nil {
		return err
	}
	netuid, ok := prune, full
	if !full {
		if netuid, ok = freeNetuid(tx); !ok {
			return protocol.Fail(protocol.CodeSubnetLimit, "no free netuid left")
		}
	}
	cost := networkLockCost(tx, p, ctx.Height)
	if c.LimitLock != 0 && cost > c.LimitLock {
		return protocol.Fail(protocol.CodeLockPriceLimit, "lock cost %s exceeds your limit %s", protocol.FormatTAO(cost), protocol.FormatTAO(c.LimitLock))
	}
	if h, ok := getHotkey(tx, c.Hotkey); ok && h.Owner != ctx.Signer {
		return protocol.Fail(protocol.CodeHotkeyOwnedByOther, "hotkey %s belongs to coldkey %s, not %s", c.Hotkey, h.Owner, ctx.Signer)
	}
	if err := withdraw(ctx, ctx.Signer, cost, "the subnet lock"); err != nil {
		return err
	}
	// Mutate.
	if full {
		old, err := loadSubnet(ctx, prune)
		if err != nil {
			return err
		}
		ctx.Emit(subModule, "NetworkPruned", attrs("netuid", itoa(prune), "registered_at", u64a(old.RegisteredAt), "moving_price", old.movingPrice().String(), "subnet_limit", itoa(p.SubnetLimit)), old.Owner)
		if err := dissolveSubnet(ctx, old); err != nil {
			return err
		}
	}
	median, _, err := medianOtherPrice(tx)
	if err != nil {
		return err
	}
	pool := mechanism.SeedPool(cost, median, p.lockParams())
	if pool.Tao != cost {
		// SeedPool puts max(lock, MinLock) in the pool and the cost is never below MinLock.
		return protocol.Fail(protocol.CodeSwapFailed, "seeded pool of %s does not match the lock %s", protocol.FormatTAO(pool.Tao), protocol.FormatTAO(cost))
	}
	n := newSubnet(netuid, ctx.Signer, c.Hotkey, ctx.Height, cost, pool)
	if _, err := ensureHotkey(ctx.State, c.Hotkey, ctx.Signer, p.DefaultTake); err != nil {
		return err
	}
	if err := appendNeuron(ctx.State, n, c.Hotkey, ctx.Height); err != nil {
		return err
	}
	if err := putSubnet(ctx.State, n); err != nil {
		return err
	}
	if err := putLockState(ctx.State, cost, ctx.Height); err != nil {
		return err
	}
	if err := putU64(ctx.State, bucketRateLimits, networkLimitKey(ctx.Signer), ctx.Height); err != nil {
		return err
	}
	// Emit.
	ctx.Emit(subModule, "NetworkAdded", attrs("netuid", itoa(netuid), "owner", ctx.Signer.SS58(), "owner_hotkey", c.Hotkey.SS58(), "lock", u64a(cost), "pool_alpha", u64a(pool.Alpha)), ctx.Signer)
	return nil
}

func applyStartCall(ctx *CallContext, c protocol.StartCall) error {
	n, err := loadDynamicSubnet(ctx, c.Netuid, "start_call")
	if err != nil {
		return err
	}
	if ctx.Signer != n.Owner {
		return protocol.Fail(protocol.CodeNotSubnetOwner, "only the owner %s of subnet %d may call start_call", n.Owner, c.Netuid)
	}
	if n.started() {
		return protocol.Fail(protocol.CodeAlreadyStarted, "subnet %d already started emission at block %d", c.Netuid, n.FirstEmission)
	}
	n.FirstEmission = ctx.Height + 1
	if err := putSubnet(ctx.State, n); err != nil {
		return err
	}
	ctx.Emit(subModule, "FirstEmissionBlockNumberSet", attrs("netuid", itoa(c.Netuid), "block", u64a(n.FirstEmission)), ctx.Signer)
	return nil
}

func applySetHyperparameter(ctx *CallContext, c protocol.SetHyperparameter) error {
	n, err := loadSubnet(ctx, c.Netuid)
	if err != nil {
		return err
	}
	f, ok := protocol.LookupHyperField(c.Name)
	if !ok {
		return protocol.Fail(protocol.CodeUnknownHyperparam, "unknown hyperparameter %q: see btui subnets hyperparameters for the names", c.Name)
	}
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	sudo := ctx.Signer == getSudo(ctx.Tx())
	r := hyperRules[c.Name]
	lo, hi, who := r.rootMin, r.rootMax, "sudo"
	switch {
	case sudo:
	case ctx.Signer != n.Owner || c.Netuid == RootNetuid:
		return protocol.Fail(protocol.CodeNotSubnetOwner, "only the owner %s of subnet %d or sudo may set %s", n.Owner, c.Netuid, c.Name)
	case !f.Owner:
		return protocol.Fail(protocol.CodeNotSettable, "%s is set by sudo only, not by the subnet owner", c.Name)
	default:
		lo, hi, who = r.ownerMin, r.ownerMax, "owner"
		if p.OwnerRateLimitTempos > 0 {
			last := getU64(ctx.Tx(), bucketRateLimits, hyperLimitKey(c.Netuid, c.Name))
			if wait := p.OwnerRateLimitTempos * uint64(n.H.Tempo); last != 0 && ctx.Height-last < wait {
				return protocol.Fail(protocol.CodeHyperparamRate, "%s was set at block %d; the owner may set it again from block %d", c.Name, last, last+wait)
			}
		}
		if p.AdminFreezeWindow > 0 && n.H.Tempo > 0 &&
			mechanism.BlocksUntilNextEpoch(c.Netuid, n.H.Tempo, ctx.Height) < p.AdminFreezeWindow {
			return protocol.Fail(protocol.CodeHyperparamRate, "hyperparameters are frozen in the %d blocks before an epoch; try after the epoch", p.AdminFreezeWindow)
		}
	}
	if c.Value < lo || c.Value > hi {
		return protocol.Fail(protocol.CodeHyperparamBounds, "%s = %d is out of bounds: the %s may set %d to %d", c.Name, c.Value, who, lo, hi)
	}
	if r.check != nil {
		if err := r.check(&n.H, n.N, c.Value); err != nil {
			return protocol.Fail(protocol.CodeHyperparamBounds, "%s = %d: %v", c.Name, c.Value, err)
		}
	}
	f.Set(&n.H, c.Value)
	if err := putSubnet(ctx.State, n); err != nil {
		return err
	}
	if !sudo {
		if err := putU64(ctx.State, bucketRateLimits, hyperLimitKey(c.Netuid, c.Name), ctx.Height); err != nil {
			return err
		}
	}
	ctx.Emit(subModule, "HyperparameterSet", attrs("netuid", itoa(c.Netuid), "name", c.Name, "value", u64a(c.Value)), ctx.Signer)
	return nil
}

func applySudoSetGlobal(ctx *CallContext, c protocol.SudoSetGlobal) error {
	if err := ctx.RequireSudo("subtensor.sudo_set_global"); err != nil {
		return err
	}
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	for _, f := range subParamFields {
		if f.name != c.Name {
			continue
		}
		if c.Value < f.min || c.Value > f.max {
			return protocol.Fail(protocol.CodeHyperparamBounds, "%s = %d is out of bounds: allowed %d to %d", c.Name, c.Value, f.min, f.max)
		}
		f.set(&p, c.Value)
		if p.MinTake > p.MaxTake {
			return protocol.Fail(protocol.CodeHyperparamBounds, "min_take %d would exceed max_take %d", p.MinTake, p.MaxTake)
		}
		if err := putSubParams(ctx.State, p); err != nil {
			return err
		}
		ctx.Emit(subModule, "GlobalParameterSet", attrs("name", c.Name, "value", u64a(c.Value)), ctx.Signer)
		return nil
	}
	return protocol.Fail(protocol.CodeUnknownHyperparam, "unknown global parameter %q", c.Name)
}

// applyDissolveNetwork removes a subnet: the pool's TAO is paid to its stakers pro rata to
// their alpha (SplitProRata), the flooring dust and anything unclaimed to the owner; all its
// alpha, neurons, weights, bonds, commits and positions are deleted.
func applyDissolveNetwork(ctx *CallContext, c protocol.DissolveNetwork) error {
	if err := ctx.RequireSudo("subtensor.dissolve_network"); err != nil {
		return err
	}
	n, err := loadDynamicSubnet(ctx, c.Netuid, "dissolve_network")
	if err != nil {
		return err
	}
	return dissolveSubnet(ctx, n)
}

// dissolveSubnet removes subnet n (dissolve_network, or the subnet a register_network prunes at
// the subnet limit); see applyDissolveNetwork.
func dissolveSubnet(ctx *CallContext, n *subnet) error {
	tx := ctx.Tx()
	prefix := netKey(n.Netuid)
	var holders []wallet.AccountID
	var values []uint64
	err := forEachPosition(tx, prefix, func(pos stakePosition) error {
		v, d := getHotAlpha(tx, n.Netuid, pos.Hotkey)
		holders = append(holders, pos.Coldkey)
		values = append(values, shareValue(v, d, pos.Shares))
		return nil
	})
	if err != nil {
		return err
	}
	parts, dust := mechanism.SplitProRata(n.PoolTao, values)
	ed := ctx.Params.ExistentialDeposit
	for i, ck := range holders {
		// A payout too small to open an empty account is burned (deposit's rule).
		if _, err := deposit(ctx.State, ed, ck, parts[i]); err != nil {
			return err
		}
	}
	if _, err := deposit(ctx.State, ed, n.Owner, dust); err != nil {
		return err
	}
	for _, b := range [][]byte{bucketNeurons, bucketOutputs, bucketUIDs, bucketWeights, bucketBonds, bucketHotAlpha, bucketShares, bucketCommits} {
		if err := deletePrefix(ctx.State, b, prefix); err != nil {
			return err
		}
	}
	if err := deletePrefix(ctx.State, bucketRateLimits, hyperLimitKey(n.Netuid, "")); err != nil {
		return err
	}
	if err := ctx.State.Delete(bucketSubnets, prefix); err != nil {
		return err
	}
	ctx.Emit(subModule, "NetworkRemoved", attrs("netuid", itoa(n.Netuid), "pool_tao", u64a(n.PoolTao), "stakers", itoa(uint16(min(len(holders), 0xFFFF)))), n.Owner)
	return nil
}

// deletePrefix deletes every key of bucket that starts with prefix.
func deletePrefix(s *StateTx, bucket, prefix []byte) error {
	var keys [][]byte
	c := s.tx.Bucket(bucket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys {
		if err := s.Delete(bucket, k); err != nil {
			return err
		}
	}
	return nil
}

func itoa(v uint16) string { return strconv.FormatUint(uint64(v), 10) }
func u64a(v uint64) string { return strconv.FormatUint(v, 10) }
