package localchain

import (
	"bytes"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Weights: set_weights with every check of Part B §5.1 in order, hash commit-reveal (CR-v2),
// serve_axon and swap_hotkey.

// MaxUnrevealedCommits is the most live weight commits a hotkey may hold on a subnet.
const MaxUnrevealedCommits = 10

// weightsCheck runs the checks of §5.1 (after the commit-reveal gate) for hotkey's weights and
// returns its uid and the max-upscaled values.
func weightsCheck(ctx *CallContext, p subParams, n *subnet, hk wallet.AccountID, uids, values []uint16, version uint64, rateLimit bool) (uint16, []uint16, error) {
	netuid := n.Netuid
	if len(uids) != len(values) {
		return 0, nil, protocol.Fail(protocol.CodeWeightsLengthMismatch, "%d uids but %d weights: send one weight per uid", len(uids), len(values))
	}
	// 2. not more uids than neurons.
	if len(uids) > int(n.N) {
		return 0, nil, protocol.Fail(protocol.CodeTooManyUids, "%d uids but subnet %d has %d neurons", len(uids), netuid, n.N)
	}
	// 3. registered.
	uid, ok := getUID(ctx.Tx(), netuid, hk)
	if !ok {
		return 0, nil, protocol.Fail(protocol.CodeNotRegistered, "hotkey %s is not registered on subnet %d: register it first", hk, netuid)
	}
	// 4. stake threshold (the owner hotkey is exempt).
	if hk != n.OwnerHotkey {
		if sw := stakeWeight(ctx.Tx(), netuid, hk, p.taoWeight()); sw < p.StakeThreshold {
			return 0, nil, protocol.Fail(protocol.CodeStakeBelowThreshold, "hotkey %s has stake weight %d, below the stake threshold %d: add stake", hk, sw, p.StakeThreshold)
		}
	}
	// 5. version key.
	if n.H.WeightsVersionKey != 0 && version < n.H.WeightsVersionKey {
		return 0, nil, protocol.Fail(protocol.CodeVersionKeyTooLow, "weights version key %d is below the subnet's %d: upgrade the validator", version, n.H.WeightsVersionKey)
	}
	nr, err := getNeuron(ctx.Tx(), netuid, uid)
	if err != nil {
		return 0, nil, err
	}
	// 6. rate limit.
	if rateLimit && nr.LastUpdate != 0 && ctx.Height-nr.LastUpdate < n.H.WeightsSetRateLimit {
		return 0, nil, protocol.Fail(protocol.CodeWeightsRateLimited, "weights set too fast: last update at block %d, next allowed at block %d",
			nr.LastUpdate, nr.LastUpdate+n.H.WeightsSetRateLimit)
	}
	// 7. permit.
	self := len(uids) == 1 && uids[0] == uid
	isOwner := hk == n.OwnerHotkey
	if !self && !isOwner && !nr.Permit {
		return 0, nil, protocol.Fail(protocol.CodeNoValidatorPermit, "uid %d has no validator permit: only a self-weight is allowed until it earns one", uid)
	}
	// 8. no duplicates, every uid exists.
	seen := make(map[uint16]bool, len(uids))
	for _, u := range uids {
		if seen[u] {
			return 0, nil, protocol.Fail(protocol.CodeDuplicateUids, "uid %d appears twice: list every uid once", u)
		}
		seen[u] = true
		if u >= n.N {
			return 0, nil, protocol.Fail(protocol.CodeInvalidUid, "uid %d does not exist on subnet %d (it has %d neurons)", u, netuid, n.N)
		}
	}
	// 9. enough weights.
	if need := min(n.H.MinAllowedWeights, n.N); !self && len(values) < int(need) {
		return 0, nil, protocol.Fail(protocol.CodeTooFewWeights, "%d weights, subnet %d needs at least %d", len(values), netuid, need)
	}
	// 10. max-upscale.
	up := mechanism.VecU16MaxUpscaleToU16(values)
	// 11. max weight limit.
	if !self && n.H.MaxWeightsLimit != 65535 && !mechanism.CheckVecMaxLimited(up, n.H.MaxWeightsLimit) {
		return 0, nil, protocol.Fail(protocol.CodeMaxWeightExceeded, "a weight exceeds the max weight limit %d/65535 of subnet %d: spread weight over more uids", n.H.MaxWeightsLimit, netuid)
	}
	return uid, up, nil
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

// weightCommit is one stored commit.
type weightCommit struct {
	Hash  protocol.Hash
	Block uint64
}

func getCommits(ctx *CallContext, netuid uint16, hk wallet.AccountID) ([]weightCommit, error) {
	v := ctx.Tx().Bucket(bucketCommits).Get(netHotkeyKey(netuid, hk))
	if v == nil {
		return nil, nil
	}
	out, err := decodeCommits(v)
	if err != nil {
		return nil, fmt.Errorf("weight commits %d/%s: %w", netuid, hk, err)
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
			return nil, fmt.Errorf("weight commits %d/%x: %w", n.Netuid, k[2:], err)
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
	if nr.LastUpdate != 0 && ctx.Height-nr.LastUpdate < n.H.WeightsSetRateLimit {
		return protocol.Fail(protocol.CodeWeightsRateLimited, "weights committed too fast: last update at block %d, next allowed at block %d",
			nr.LastUpdate, nr.LastUpdate+n.H.WeightsSetRateLimit)
	}
	cs, err := getCommits(ctx, c.Netuid, ctx.Signer)
	if err != nil {
		return err
	}
	live := cs[:0]
	for _, wc := range cs {
		if !mechanism.CommitExpired(c.Netuid, n.H.Tempo, n.H.RevealPeriodEpochs, wc.Block, ctx.Height) {
			live = append(live, wc)
		}
	}
	if len(live) >= MaxUnrevealedCommits {
		return protocol.Fail(protocol.CodeTooManyCommits, "hotkey %s holds %d unrevealed commits on subnet %d: reveal or let some expire", ctx.Signer, len(live), c.Netuid)
	}
	live = append(live, weightCommit{Hash: c.Hash, Block: ctx.Height})
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
