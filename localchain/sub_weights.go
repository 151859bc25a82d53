package localchain

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Weights: set_weights with every check of Part B §5.1 in order, hash commit-reveal (CR-v2),
// serve_axon and swap_hotkey.

// MaxUnrevealedCommits is the most live weight commits a hotkey may hold on a subnet.
const MaxUnrevealedCommits = mechanism.MaxUnrevealedCommits

// weightsCheck runs the checks of §5.1 (after the commit-reveal gate) for hotkey's weights and
// returns its uid and the max-upscaled values. The rule is mechanism.CheckSetWeights; this
// reads its inputs from state and gives each of its errors the chain's code and message.
// rateLimit is false for a reveal (commit-reveal on: no weights rate limit).
func weightsCheck(ctx *CallContext, p subParams, n *subnet, hk wallet.AccountID, uids, values []uint16, version uint64, rateLimit bool) (uint16, []uint16, error) {
	netuid := n.Netuid
	caller := mechanism.WeightsCaller{IsOwner: hk == n.OwnerHotkey}
	caller.UID, caller.Registered = getUID(ctx.Tx(), netuid, hk)
	if caller.Registered {
		nr, err := getNeuron(ctx.Tx(), netuid, caller.UID)
		if err != nil {
			return 0, nil, err
		}
		caller.LastUpdate, caller.Permit = nr.LastUpdate, nr.Permit
	}
	if caller.Registered && !caller.IsOwner && p.StakeThreshold > 0 {
		caller.StakeWeight = stakeWeight(ctx.Tx(), netuid, hk, p.taoWeight())
	}
	params := mechanism.WeightsParams{
		Netuid: netuid, N: n.N, Block: ctx.Height, CommitReveal: !rateLimit, StakeThreshold: p.StakeThreshold,
		VersionKey: n.H.WeightsVersionKey, RateLimit: n.H.WeightsSetRateLimit,
		MinAllowedWeights: n.H.MinAllowedWeights, MaxWeightsLimit: n.H.MaxWeightsLimit,
	}
	req := mechanism.WeightsRequest{UIDs: uids, Values: values, VersionKey: version}
	up, err := mechanism.CheckSetWeights(req, caller, params, true) // the commit-reveal gate is the caller's
	if err == nil {
		return caller.UID, up, nil
	}
	uid := caller.UID
	var dupOrInvalid uint16
	for i, u := range uids {
		if u >= n.N || slices.Contains(uids[:i], u) {
			dupOrInvalid = u
			break
		}
	}
	switch {
	case errors.Is(err, mechanism.ErrWeightVecNotEqualSize):
		return 0, nil, protocol.Fail(protocol.CodeWeightsLengthMismatch, "%d uids but %d weights: send one weight per uid", len(uids), len(values))
	case errors.Is(err, mechanism.ErrTooManyUids):
		return 0, nil, protocol.Fail(protocol.CodeTooManyUids, "%d uids but subnet %d has %d neurons", len(uids), netuid, n.N)
	case errors.Is(err, mechanism.ErrHotkeyNotRegistered):
		return 0, nil, protocol.Fail(protocol.CodeNotRegistered, "hotkey %s is not registered on subnet %d: register it first", hk, netuid)
	case errors.Is(err, mechanism.ErrNotEnoughStakeToSetWeights):
		return 0, nil, protocol.Fail(protocol.CodeStakeBelowThreshold, "hotkey %s has stake weight %d, below the stake threshold %d: add stake", hk, caller.StakeWeight, p.StakeThreshold)
	case errors.Is(err, mechanism.ErrIncorrectWeightVersionKey):
		return 0, nil, protocol.Fail(protocol.CodeVersionKeyTooLow, "weights version key %d is below the subnet's %d: upgrade the validator", version, n.H.WeightsVersionKey)
	case errors.Is(err, mechanism.ErrSettingWeightsTooFast):
		return 0, nil, protocol.Fail(protocol.CodeWeightsRateLimited, "weights set too fast: last update at block %d, next allowed at block %d",
			caller.LastUpdate, caller.LastUpdate+n.H.WeightsSetRateLimit)
	case errors.Is(err, mechanism.ErrNoValidatorPermit):
		return 0, nil, protocol.Fail(protocol.CodeNoValidatorPermit, "uid %d has no validator permit: only a self-weight is allowed until it earns one", uid)
	case errors.Is(err, mechanism.ErrDuplicateUids):
		return 0, nil, protocol.Fail(protocol.CodeDuplicateUids, "uid %d appears twice: list every uid once", dupOrInvalid)
	case errors.Is(err, mechanism.ErrInvalidUid):
		return 0, nil, protocol.Fail(protocol.CodeInvalidUid, "uid %d does not exist on subnet %d (it has %d neurons)", dupOrInvalid, netuid, n.N)
	case errors.Is(err, mechanism.ErrWeightVecLengthIsLow):
		return 0, nil, protocol.Fail(protocol.CodeTooFewWeights, "%d weights, subnet %d needs at least %d", len(values), netuid, min(n.H.MinAllowedWeights, n.N))
	case errors.Is(err, mechanism.ErrMaxWeightExceeded):
		return 0, nil, protocol.Fail(protocol.CodeMaxWeightExceeded, "a weight exceeds the max weight limit %d/65535 of subnet %d: spread weight over more uids", n.H.MaxWeightsLimit, netuid)
	case errors.Is(err, mechanism.ErrRootNetworkWeights):
		return 0, nil, protocol.Fail(protocol.CodeInvalidArgs, "the root network takes no weights")
	}
	return 0, nil, fmt.Errorf("weights check: %w", err)
}

// storeWeights writes the row (zeros kept) and, for set_weights, the last update.
func storeWeights(ctx *CallContext, netuid, uid uint16, uids, up []uint16, touch bool) error {
	row := make([]mechanism.UIDValue, len(uids))
	for i := range uids {
		row[i] = mechanism.UIDValue{UID: uids[i], Value: up[i]}
	}
	if err := putRow(ctx.State, bucketWeights, netuid, uid, row); err != nil {
		return err
	}
	if !touch {
		return nil
	}
	nr, err := getNeuron(ctx.Tx(), netuid, uid)
	if err != nil {
		return err
	}
	nr.LastUpdate = ctx.Height
	return putNeuron(ctx.State, netuid, uid, &nr)
}

func applySetWeights(ctx *CallContext, c protocol.SetWeights) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	n, err := loadDynamicSubnet(ctx, c.Netuid, "set_weights")
	if err != nil {
		return err
	}
	if n.H.CommitReveal {
		return protocol.Fail(protocol.CodeCommitRevealEnabled, "commit-reveal is enabled on subnet %d: commit and reveal weights instead", c.Netuid)
	}
	uid, up, err := weightsCheck(ctx, p, n, ctx.Signer, c.Uids, c.Values, c.VersionKey, true)
	if err != nil {
		return err
	}
	if err := storeWeights(ctx, c.Netuid, uid, c.Uids, up, true); err != nil {
		return err
	}
	ctx.Emit(subModule, "WeightsSet", attrs("netuid", itoa(c.Netuid), "uid", itoa(uid), "count", itoa(uint16(len(c.Uids)))), ctx.Signer)
	return nil
}

// weightCommit is one stored commit (mechanism's: AddCommit runs on the stored queue).
type weightCommit = mechanism.WeightCommit

func getCommits(ctx *CallContext, netuid uint16, hk wallet.AccountID) ([]weightCommit, error) {
	v := ctx.Tx().Bucket(bucketCommits).Get(netHotkeyKey(netuid, hk))
	if v == nil {
		return nil, nil
	}
	out, err := decodeCommits(v)
	if err != nil {
		return nil, recordErr(bucketCommits, netHotkeyKey(netuid, hk), err)
	}
	return out, nil
}

// decodeCommits reads a stored commit list: u8 count || (hash [32] || block u64)*.
func decodeCommits(v []byte) ([]weightCommit, error) {
	d := protocol.NewDecoder(v)
	out := make([]weightCommit, d.U8())
	for i := range out {
		copy(out[i].Hash[:], d.Fixed(32))
		out[i].Block = d.U64()
	}
	return out, d.Finish()
}

// commitBlocks returns, per uid of a commit-reveal subnet, the block of its oldest weights
// commit still unexpired at block (nil when it holds none): the commit_block vector of the
// epoch's commit-reveal mask (§1.2 step 5). Commits of hotkeys that hold no uid are ignored,
// as subtensor's uid lookup skips them.
func commitBlocks(tx *bbolt.Tx, n *subnet, neurons []neuron, block uint64) ([]*uint64, error) {
	uidOf := make(map[wallet.AccountID]int, len(neurons))
	for i := range neurons {
		uidOf[neurons[i].Hotkey] = i
	}
	out := make([]*uint64, len(neurons))
	prefix := netKey(n.Netuid)
	c := tx.Bucket(bucketCommits).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != 34 {
			return nil, fmt.Errorf("weight commit key %x has %d bytes, want 34", k, len(k))
		}
		uid, ok := uidOf[wallet.AccountID(k[2:])]
		if !ok {
			continue
		}
		cs, err := decodeCommits(v)
		if err != nil {
			return nil, recordErr(bucketCommits, k, err)
		}
		for _, wc := range cs {
			if mechanism.CommitExpired(n.Netuid, n.H.Tempo, n.H.RevealPeriodEpochs, wc.Block, block) {
				continue
			}
			if out[uid] == nil || wc.Block < *out[uid] {
				b := wc.Block
				out[uid] = &b
			}
		}
	}
	return out, nil
}

func putCommits(ctx *CallContext, netuid uint16, hk wallet.AccountID, cs []weightCommit) error {
	if len(cs) == 0 {
		return ctx.State.Delete(bucketCommits, netHotkeyKey(netuid, hk))
	}
	e := protocol.Encoder{}
	e.U8(uint8(len(cs)))
	for _, c := range cs {
		e.Fixed(c.Hash[:])
		e.U64(c.Block)
	}
	return ctx.State.Put(bucketCommits, netHotkeyKey(netuid, hk), e.Bytes())
}

func applyCommitWeights(ctx *CallContext, c protocol.CommitWeights) error {
	n, err := loadDynamicSubnet(ctx, c.Netuid, "commit_weights")
	if err != nil {
		return err
	}
	if !n.H.CommitReveal {
		return protocol.Fail(protocol.CodeCommitRevealDisabled, "commit-reveal is disabled on subnet %d: use set_weights", c.Netuid)
	}
	uid, ok := getUID(ctx.Tx(), c.Netuid, ctx.Signer)
	if !ok {
		return protocol.Fail(protocol.CodeNotRegistered, "hotkey %s is not registered on subnet %d: register it first", ctx.Signer, c.Netuid)
	}
	nr, err := getNeuron(ctx.Tx(), c.Netuid, uid)
	if err != nil {
		return err
	}
	cs, err := getCommits(ctx, c.Netuid, ctx.Signer)
	if err != nil {
		return err
	}
	// The rate limit, the expired commits dropped, at most MaxUnrevealedCommits live, the new
	// commit appended: mechanism's do_commit_weights. A refused queue holds exactly
	// MaxUnrevealedCommits live commits (every stored queue was at most that when stored).
	sched := mechanism.RevealSchedule{Netuid: c.Netuid, Tempo: n.H.Tempo, RevealPeriod: n.H.RevealPeriodEpochs}
	live, err := mechanism.AddCommit(cs, c.Hash, ctx.Height, nr.LastUpdate, n.H.WeightsSetRateLimit, sched)
	switch {
	case errors.Is(err, mechanism.ErrCommittingWeightsTooFast):
		return protocol.Fail(protocol.CodeWeightsRateLimited, "weights committed too fast: last update at block %d, next allowed at block %d",
			nr.LastUpdate, nr.LastUpdate+n.H.WeightsSetRateLimit)
	case errors.Is(err, mechanism.ErrTooManyUnrevealedCommits):
		return protocol.Fail(protocol.CodeTooManyCommits, "hotkey %s holds %d unrevealed commits on subnet %d: reveal or let some expire", ctx.Signer, MaxUnrevealedCommits, c.Netuid)
	case err != nil:
		return err
	}
	if err := putCommits(ctx, c.Netuid, ctx.Signer, live); err != nil {
		return err
	}
	nr.LastUpdate = ctx.Height
	if err := putNeuron(ctx.State, c.Netuid, uid, &nr); err != nil {
		return err
	}
	first, last := mechanism.RevealBlocks(c.Netuid, n.H.Tempo, n.H.RevealPeriodEpochs, ctx.Height)
	ctx.Emit(subModule, "WeightsCommitted", attrs("netuid", itoa(c.Netuid), "uid", itoa(uid), "hash", c.Hash.String(), "reveal_from", u64a(first), "reveal_until", u64a(last)), ctx.Signer)
	return nil
}

func applyRevealWeights(ctx *CallContext, c protocol.RevealWeights) error {
	p, err := loadSubParams(ctx)
	if err != nil {
		return err
	}
	n, err := loadDynamicSubnet(ctx, c.Netuid, "reveal_weights")
	if err != nil {
		return err
	}
	if !n.H.CommitReveal {
		return protocol.Fail(protocol.CodeCommitRevealDisabled, "commit-reveal is disabled on subnet %d: use set_weights", c.Netuid)
	}
	if _, ok := getUID(ctx.Tx(), c.Netuid, ctx.Signer); !ok {
		return protocol.Fail(protocol.CodeNotRegistered, "hotkey %s is not registered on subnet %d: register it first", ctx.Signer, c.Netuid)
	}
	cs, err := getCommits(ctx, c.Netuid, ctx.Signer)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return protocol.Fail(protocol.CodeNoCommit, "hotkey %s has no weights commit on subnet %d: commit the hash first", ctx.Signer, c.Netuid)
	}
	want := protocol.WeightsCommitHash(ctx.Signer, c.Netuid, c.Uids, c.Values, c.Salt, c.VersionKey)
	at := -1
	for i, wc := range cs {
		if wc.Hash == want {
			at = i
			break
		}
	}
	if at < 0 {
		return protocol.Fail(protocol.CodeHashMismatch, "the revealed weights hash to %s, which matches none of the %d commits: reveal the exact uids, values, salt and version key", want, len(cs))
	}
	if err := mechanism.CheckRevealWindow(c.Netuid, n.H.Tempo, n.H.RevealPeriodEpochs, cs[at].Block, ctx.Height); err != nil {
		first, last := mechanism.RevealBlocks(c.Netuid, n.H.Tempo, n.H.RevealPeriodEpochs, cs[at].Block)
		if ctx.Height < first {
			return protocol.Fail(protocol.CodeRevealTooEarly, "reveal too early: the commit of block %d can be revealed in blocks %d to %d", cs[at].Block, first, last)
		}
		return protocol.Fail(protocol.CodeRevealExpired, "reveal too late: the commit of block %d could be revealed in blocks %d to %d; commit again", cs[at].Block, first, last)
	}
	uid, up, err := weightsCheck(ctx, p, n, ctx.Signer, c.Uids, c.Values, c.VersionKey, false)
	if err != nil {
		return err
	}
	if err := storeWeights(ctx, c.Netuid, uid, c.Uids, up, false); err != nil {
		return err
	}
	if err := putCommits(ctx, c.Netuid, ctx.Signer, cs[at+1:]); err != nil {
		return err
	}
	ctx.Emit(subModule, "WeightsRevealed", attrs("netuid", itoa(c.Netuid), "uid", itoa(uid), "hash", want.String()), ctx.Signer)
	return nil
}

func applyServeAxon(ctx *CallContext, c protocol.ServeAxon) error {
	n, err := loadDynamicSubnet(ctx, c.Netuid, "serve_axon")
	if err != nil {
		return err
	}
	uid, ok := getUID(ctx.Tx(), c.Netuid, ctx.Signer)
	if !ok {
		return protocol.Fail(protocol.CodeNotRegistered, "hotkey %s is not registered on subnet %d: register it before serving", ctx.Signer, c.Netuid)
	}
	nr, err := getNeuron(ctx.Tx(), c.Netuid, uid)
	if err != nil {
		return err
	}
	if nr.Axon.Block != 0 && ctx.Height-nr.Axon.Block < n.H.ServingRateLimit {
		return protocol.Fail(protocol.CodeServingRateLimited, "serve_axon rate limited: last served at block %d, next allowed at block %d",
			nr.Axon.Block, nr.Axon.Block+n.H.ServingRateLimit)
	}
	nr.Axon = axon{Block: ctx.Height, Version: c.Version, IP: c.IP, Port: c.Port, IPType: c.IPType, Protocol: c.Protocol}
	if err := putNeuron(ctx.State, c.Netuid, uid, &nr); err != nil {
		return err
	}
	if nr.Axon.cleared() {
		ctx.Emit(subModule, "AxonReset", attrs("netuid", itoa(c.Netuid), "uid", itoa(uid)), ctx.Signer)
		return nil
	}
	ctx.Emit(subModule, "AxonServed", attrs("netuid", itoa(c.Netuid), "uid", itoa(uid), "endpoint", axonEndpoint(nr.Axon)), ctx.Signer)
	return nil
}

// applySwapHotkey moves every trace of a hotkey to a new one: the hotkey account and take, its
// uids and neuron records, its stake pools and positions, its commits and owner-hotkey roles.
func applySwapHotkey(ctx *CallContext, c protocol.SwapHotkey) error {
	h, err := requireHotkey(ctx, c.Hotkey)
	if err != nil {
		return err
	}
	if h.Owner != ctx.Signer {
		return protocol.Fail(protocol.CodeNotHotkeyOwner, "hotkey %s belongs to %s: only its owner may swap it", c.Hotkey, h.Owner)
	}
	if _, ok := getHotkey(ctx.Tx(), c.NewHotkey); ok {
		return protocol.Fail(protocol.CodeNewHotkeyInUse, "new hotkey %s already exists: pick an unused key", c.NewHotkey)
	}
	nets, err := listSubnets(ctx.Tx())
	if err != nil {
		return err
	}
	s := ctx.State
	for _, n := range nets {
		if uid, ok := getUID(ctx.Tx(), n.Netuid, c.Hotkey); ok {
			nr, err := getNeuron(ctx.Tx(), n.Netuid, uid)
			if err != nil {
				return err
			}
			nr.Hotkey = c.NewHotkey
			if err := putNeuron(s, n.Netuid, uid, &nr); err != nil {
				return err
			}
			if err := s.Delete(bucketUIDs, netHotkeyKey(n.Netuid, c.Hotkey)); err != nil {
				return err
			}
			if err := putUID(s, n.Netuid, c.NewHotkey, uid); err != nil {
				return err
			}
		}
		if v := ctx.Tx().Bucket(bucketCommits).Get(netHotkeyKey(n.Netuid, c.Hotkey)); v != nil {
			if err := s.Put(bucketCommits, netHotkeyKey(n.Netuid, c.NewHotkey), append([]byte(nil), v...)); err != nil {
				return err
			}
			if err := s.Delete(bucketCommits, netHotkeyKey(n.Netuid, c.Hotkey)); err != nil {
				return err
			}
		}
		if pool, ok := getHotPool(ctx.Tx(), n.Netuid, c.Hotkey); ok {
			var pos []stakePosition
			if err := forEachNominator(ctx.Tx(), netHotkeyKey(n.Netuid, c.Hotkey), func(p stakePosition) error {
				pos = append(pos, p)
				return nil
			}); err != nil {
				return err
			}
			for _, p := range pos {
				if err := s.Delete(bucketShares, shareKey(n.Netuid, c.Hotkey, p.Coldkey)); err != nil {
					return err
				}
				if err := putU64(s, bucketShares, shareKey(n.Netuid, c.NewHotkey, p.Coldkey), p.Shares); err != nil {
					return err
				}
			}
			if err := s.Delete(bucketHotAlpha, netHotkeyKey(n.Netuid, c.Hotkey)); err != nil {
				return err
			}
			if err := putHotPool(s, n.Netuid, c.NewHotkey, pool); err != nil {
				return err
			}
		}
		if n.OwnerHotkey == c.Hotkey {
			n.OwnerHotkey = c.NewHotkey
			if err := putSubnet(s, n); err != nil {
				return err
			}
		}
	}
	if err := s.Delete(bucketHotkeys, c.Hotkey[:]); err != nil {
		return err
	}
	if err := putHotkey(s, c.NewHotkey, h); err != nil {
		return err
	}
	ctx.Emit(subModule, "HotkeySwapped", attrs("coldkey", ctx.Signer.SS58(), "old", c.Hotkey.SS58(), "new", c.NewHotkey.SS58()), ctx.Signer)
	return nil
}
