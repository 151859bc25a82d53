package localchain

import (
	"errors"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Registration: burned_register (decaying burn, bump per registration, optional price limit),
// PoW register (legacy difficulty check), pruning of the lowest-emission non-immune uid with
// owner immortality, and the clearing of a replaced uid (Part B §1.5, §4.3).

// appendNeuron gives hotkey the next uid of n (the caller stores n).
func appendNeuron(s *StateTx, n *subnet, hotkey wallet.AccountID, block uint64) error {
	uid := n.N
	nr := neuron{Hotkey: hotkey, RegisteredAt: block, LastUpdate: block}
	if err := putNeuron(s, n.Netuid, uid, &nr); err != nil {
		return err
	}
	if err := putUID(s, n.Netuid, hotkey, uid); err != nil {
		return err
	}
	n.N++
	return nil
}

// replaceNeuron gives uid to hotkey: the old hotkey loses its uid (its stake stays with it),
// the uid is cleared (outputs, permit, axon, its weights and bonds rows, its commits) and every
// other row's weight on it is set to 0; registration and last update become block.
func replaceNeuron(s *StateTx, n *subnet, uid uint16, hotkey wallet.AccountID, block uint64) (wallet.AccountID, error) {
	old, err := getNeuron(s.tx, n.Netuid, uid)
	if err != nil {
		return wallet.AccountID{}, err
	}
	if err := s.Delete(bucketUIDs, netHotkeyKey(n.Netuid, old.Hotkey)); err != nil {
		return old.Hotkey, err
	}
	if err := s.Delete(bucketCommits, netHotkeyKey(n.Netuid, old.Hotkey)); err != nil {
		return old.Hotkey, err
	}
	nr := neuron{Hotkey: hotkey, RegisteredAt: block, LastUpdate: block}
	if err := putNeuron(s, n.Netuid, uid, &nr); err != nil {
		return old.Hotkey, err
	}
	if err := clearOutputs(s, n.Netuid, uid); err != nil {
		return old.Hotkey, err
	}
	if err := putUID(s, n.Netuid, hotkey, uid); err != nil {
		return old.Hotkey, err
	}
	for _, b := range [][]byte{bucketWeights, bucketBonds} {
		if err := s.Delete(b, netUIDKey(n.Netuid, uid)); err != nil {
			return old.Hotkey, err
		}
	}
	for i := uint16(0); i < n.N; i++ {
		row, err := getRow(s.tx, bucketWeights, n.Netuid, i)
		if err != nil {
			return old.Hotkey, err
		}
		changed := false
		for j := range row {
			if row[j].UID == uid && row[j].Value != 0 {
				row[j].Value = 0
				changed = true
			}
		}
		if changed {
			if err := putRow(s, bucketWeights, n.Netuid, i, row); err != nil {
				return old.Hotkey, err
			}
		}
	}
	return old.Hotkey, nil
}

// registrationSlot decides where a new registration goes: append while the subnet has room,
// else the uid mechanism.NeuronToPrune picks (never the owner hotkey).
func registrationSlot(ctx *CallContext, n *subnet) (uid uint16, replace bool, err error) {
	if n.H.MaxAllowedUids == 0 {
		return 0, false, protocol.Fail(protocol.CodeRegistrationDisabled, "subnet %d allows no uids", n.Netuid)
	}
	if n.N < n.H.MaxAllowedUids {
		return n.N, false, nil
	}
	neurons, err := loadNeurons(ctx.Tx(), n.Netuid, n.N)
	if err != nil {
		return 0, false, err
	}
	cands := make([]mechanism.PruneNeuron, len(neurons))
	for i, nr := range neurons {
		h, _ := getHotkey(ctx.Tx(), nr.Hotkey)
		cands[i] = mechanism.PruneNeuron{
			UID: uint16(i), Emission: nr.Emission, RegisteredAt: nr.RegisteredAt,
			OwnedBySubnetOwner: h.Owner == n.Owner, IsOwnerHotkey: nr.Hotkey == n.OwnerHotkey,
		}
	}
	pp := mechanism.PruneParams{
		Block: ctx.Height, ImmunityPeriod: uint64(n.H.ImmunityPeriod),
		ImmuneOwnerUidsLimit: n.H.ImmuneOwnerUidsLimit, MinNonImmuneUids: n.H.MinNonImmuneUids,
	}
	uid, ok := mechanism.NeuronToPrune(cands, pp)
	if !ok || neurons[uid].Hotkey == n.OwnerHotkey {
		return 0, false, protocol.Fail(protocol.CodeSubnetFull, "subnet %d is full (%d uids) and every uid is owner-immortal: nothing can be replaced", n.Netuid, n.N)
	}
	return uid, true, nil
}

// registrationPreconditions are the checks shared by both registrations, in subtensor's order.
func registrationPreconditions(ctx *CallContext, netuid uint16, hotkey wallet.AccountID, pow bool) (*subnet, error) {
	n, err := loadDynamicSubnet(ctx, netuid, "registration")
	if err != nil {
		return nil, err
	}
	if !n.H.RegistrationAllowed {
		return nil, protocol.Fail(protocol.CodeRegistrationDisabled, "registration is disabled on subnet %d", netuid)
	}
	if pow && !n.H.PowRegistrationAllowed {
		return nil, protocol.Fail(protocol.CodeRegistrationDisabled, "proof-of-work registration is disabled on subnet %d: use burned_register", netuid)
	}
	if uid, ok := getUID(ctx.Tx(), netuid, hotkey); ok {
		return nil, protocol.Fail(protocol.CodeAlreadyRegistered, "hotkey %s is already registered on subnet %d as uid %d", hotkey, netuid, uid)
	}
	return n, nil
}

// register places hotkey on n (append or replace) and emits NeuronRegistered.
func register(ctx *CallContext, p subParams, n *subnet, hotkey wallet.AccountID, how string, cost uint64) error {
	uid, replace, err := registrationSlot(ctx, n)
	if err != nil {
		return err
	}
	if owns, err := ensureHotkey(ctx.State, hotkey, ctx.Signer, p.DefaultTake); err != nil {
		return err
	} else if !owns {
		h, _ := getHotkey(ctx.Tx(), hotkey)
		return protocol.Fail(protocol.CodeHotkeyOwnedByOther, "hotkey %s belongs to coldkey %s, not %s", hotkey, h.Owner, ctx.Signer)
	}
	evAttrs := attrs("netuid", itoa(n.Netuid), "uid", itoa(uid), "hotkey", hotkey.SS58(), "coldkey", ctx.Signer.SS58(), "how", how, "cost", u64a(cost))
	if replace {
		old, err := replaceNeuron(ctx.State, n, uid, hotkey, ctx.Height)
		if err != nil {
			return err
		}
		evAttrs = append(evAttrs, protocol.Attr{Key: "replaced", Value: old.SS58()})
	} else if err := appendNeuron(ctx.State, n, hotkey, ctx.Height); err != nil {
		return err
	}
	n.RegsThisBlock++
	if err := putSubnet(ctx.State, n); err != nil {
		return err
	}
	ctx.Emit(subModule, "NeuronRegistered", evAttrs, ctx.Signer)
	return nil
}

func applyBurnedRegister(ctx *CallContext, c protocol.BurnedRegister) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	n, err := registrationPreconditions(ctx, c.Netuid, c.Hotkey, false)
	if err != nil {
		return err
	}
	cost := n.Burn
	if c.LimitPrice != 0 {
		if err := mechanism.CheckBurnLimit(cost, c.LimitPrice); err != nil {
			return protocol.Fail(protocol.CodeBurnPriceLimit, "registration on subnet %d costs %s, above your limit %s: wait for the price to decay",
				c.Netuid, protocol.FormatTAO(cost), protocol.FormatTAO(c.LimitPrice))
		}
	}
	if h, ok := getHotkey(ctx.Tx(), c.Hotkey); ok && h.Owner != ctx.Signer {
		return protocol.Fail(protocol.CodeHotkeyOwnedByOther, "hotkey %s belongs to coldkey %s, not %s", c.Hotkey, h.Owner, ctx.Signer)
	}
	if err := withdraw(ctx, ctx.Signer, cost, "the registration burn"); err != nil {
		return err
	}
	// The burn buys alpha through the pool (with its fee) and that alpha is destroyed: the TAO
	// stays in the reserve.
	r, err := n.pool().Buy(cost, n.swapParams(mechanism.U64F64{}, p.MinimumReserve))
	if err != nil {
		return protocol.Fail(protocol.CodeRegistrationSwapFails, "subnet %d pool cannot take the burn of %s: %v", c.Netuid, protocol.FormatTAO(cost), err)
	}
	if r.Taken != cost {
		return protocol.Fail(protocol.CodeRegistrationSwapFails, "subnet %d pool took %s of the %s burn", c.Netuid, protocol.FormatTAO(r.Taken), protocol.FormatTAO(cost))
	}
	n.setPool(r.Pool)
	n.Volume += cost
	if err := burn(ctx.State, r.Fee); err != nil {
		return err
	}
	n.Burn = mechanism.BumpBurn(n.Burn, n.burnParams())
	return register(ctx, p, n, c.Hotkey, "burn", cost)
}

func applyPowRegister(ctx *CallContext, c protocol.PowRegister) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	n, err := registrationPreconditions(ctx, c.Netuid, c.Hotkey, true)
	if err != nil {
		return err
	}
	if c.BlockNumber >= ctx.Height {
		return protocol.Fail(protocol.CodeInvalidWorkBlock, "work is for block %d, but only blocks before %d have a hash: solve for a sealed block", c.BlockNumber, ctx.Height)
	}
	hdr, err := loadHeader(ctx.Tx(), c.BlockNumber)
	if err != nil {
		return err
	}
	used := ctx.Tx().Bucket(bucketRateLimits).Get(workKey(c.Work)) != nil
	w := mechanism.PowWork{BlockNumber: c.BlockNumber, Nonce: c.Nonce, Work: c.Work}
	if err := mechanism.PowCheck(w, hdr.Hash, c.Hotkey, ctx.Height, n.H.Difficulty, used); err != nil {
		code := protocol.CodeInvalidSeal
		switch {
		case errors.Is(err, mechanism.ErrInvalidWorkBlock):
			code = protocol.CodeInvalidWorkBlock
		case errors.Is(err, mechanism.ErrInvalidDifficulty):
			code = protocol.CodeInvalidDifficulty
		case errors.Is(err, mechanism.ErrDuplicateWork):
			code = protocol.CodeDuplicateWork
		}
		return protocol.Fail(code, "proof of work for subnet %d: %v", c.Netuid, err)
	}
	if err := putU64(ctx.State, bucketRateLimits, workKey(c.Work), ctx.Height); err != nil {
		return err
	}
	return register(ctx, p, n, c.Hotkey, "pow", 0)
}
