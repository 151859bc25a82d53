package localchain

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Coldkey swaps: subtensor's schedule_swap_coldkey, its scheduled swap_coldkey and the
// transaction extension that locks a coldkey while its swap is scheduled (subtensor before the
// announcement scheme: schedule_swap_coldkey → pallet_scheduler → swap_coldkey).
//
//   - schedule_swap_coldkey (signed by the old coldkey): refused while a schedule stands, until
//     its execution block + coldkey_swap_reschedule_duration (SwapAlreadyScheduled); the signer
//     must hold the key swap cost (NotEnoughBalanceToPaySwapColdKey). It stores the pending
//     swap (ColdkeySwapScheduled) with the cost bound at scheduling and the execution block
//     (the including block + coldkey_swap_schedule_duration).
//   - While the swap is pending the old coldkey may sign nothing but schedule_swap_coldkey:
//     every other transaction is rejected at CheckTx, in the pool and at block inclusion
//     (CodeColdkeyInSwapSchedule), as subtensor's extension rejects every call but the schedule.
//   - The scheduler's block step runs the swap at the start of the execution block, after the
//     subtensor block step (pallet order: SubtensorModule before Scheduler). The swap fails,
//     leaving the schedule in place (and the coldkey locked until it schedules again), when the
//     new coldkey holds stake (ColdKeyAlreadyAssociated), is a hotkey (NewColdKeyIsHotkey) or
//     the old one cannot pay the cost. Otherwise it recycles the cost (it leaves the total
//     issuance) and moves everything to the new coldkey: its identity, the ownership of its
//     subnets and hotkeys (with the owner positions of their pools), every nominator position
//     (merged with the new coldkey's), its register_network rate limit, and the free balance.
//
// Devnet scale: subtensor's 36,000-block (5 days of 12 s blocks) schedule and 7,200-block
// reschedule durations are divided by 100: 360 and 72 blocks (90 s and 18 s of 250 ms blocks).
// The cost is subtensor's, 0.1 TAO. All three are subtensor parameters (sudo_set_global:
// coldkey_swap_schedule_duration, coldkey_swap_reschedule_duration, key_swap_cost).
const (
	DevnetColdkeySwapScheduleDuration   uint64 = 360
	DevnetColdkeySwapRescheduleDuration uint64 = 72
	DevnetKeySwapCost                   uint64 = protocol.RaoPerTAO / 10
)

// The pending swaps.
//
//	s.sub.cswap  'p' || old coldkey [32]                  -> pending swap: execution block u64 ||
//	                                                         new coldkey [32] || cost u64 || failed u8
//	             'h' || execution block u64 || old [32]   -> empty (the scheduler's agenda)
//
// (registered with the scheduler module; the bucket is created in older databases when they
// are opened)
var bucketColdkeySwap = []byte("s.sub.cswap")

const (
	cswapPending byte = 'p'
	cswapAgenda  byte = 'h'
)

func cswapPendingKey(ck wallet.AccountID) []byte { return append([]byte{cswapPending}, ck[:]...) }

func cswapAgendaKey(when uint64, ck wallet.AccountID) []byte {
	k := binary.BigEndian.AppendUint64([]byte{cswapAgenda}, when)
	return append(k, ck[:]...)
}

// pendingSwap is one stored ColdkeySwapScheduled entry.
type pendingSwap struct {
	When   uint64
	New    wallet.AccountID
	Cost   uint64
	Failed bool
}

const pendingSwapSize = 8 + 32 + 8 + 1

func (p pendingSwap) encode() []byte {
	v := make([]byte, pendingSwapSize)
	binary.BigEndian.PutUint64(v, p.When)
	copy(v[8:40], p.New[:])
	binary.BigEndian.PutUint64(v[40:], p.Cost)
	if p.Failed {
		v[48] = 1
	}
	return v
}

// getPendingSwap returns ck's pending swap.
func getPendingSwap(tx *bbolt.Tx, ck wallet.AccountID) (pendingSwap, bool, error) {
	b := tx.Bucket(bucketColdkeySwap)
	if b == nil {
		return pendingSwap{}, false, nil
	}
	v := b.Get(cswapPendingKey(ck))
	if v == nil {
		return pendingSwap{}, false, nil
	}
	if len(v) != pendingSwapSize || v[48] > 1 {
		return pendingSwap{}, false, recordErr(bucketColdkeySwap, cswapPendingKey(ck), fmt.Errorf("pending swap record of %d bytes", len(v)))
	}
	p := pendingSwap{When: binary.BigEndian.Uint64(v), Cost: binary.BigEndian.Uint64(v[40:]), Failed: v[48] == 1}
	copy(p.New[:], v[8:40])
	return p, true, nil
}

// getColdkeySwap is ck's pending swap as the node API shows it (nil when none).
func getColdkeySwap(tx *bbolt.Tx, ck wallet.AccountID) (*protocol.ColdkeySwapInfo, error) {
	p, ok, err := getPendingSwap(tx, ck)
	if err != nil || !ok {
		return nil, err
	}
	sp, err := getSubParams(tx)
	if err != nil {
		return nil, err
	}
	return &protocol.ColdkeySwapInfo{NewColdkey: p.New, ExecutionBlock: p.When, Cost: p.Cost,
		RescheduleFrom: p.When + sp.ColdkeySwapRescheduleDuration, Failed: p.Failed}, nil
}

// checkColdkeySwapLock is subtensor's transaction extension for coldkey swaps: a signer with a
// pending swap may sign only schedule_swap_coldkey. It runs wherever a transaction is checked
// against state (CheckTx, the pool, block inclusion and the dry run), so a rejected transaction
// pays no fee and keeps its nonce.
func checkColdkeySwapLock(tx *bbolt.Tx, t *protocol.Tx) error {
	if _, ok := t.Call.(protocol.ScheduleSwapColdkey); ok {
		return nil
	}
	p, ok, err := getPendingSwap(tx, t.Signer)
	if err != nil || !ok {
		return err
	}
	if p.Failed {
		return protocol.Reject(protocol.CodeColdkeyInSwapSchedule, "coldkey %s is locked by its coldkey swap to %s, which failed at block %d: it may sign only a new schedule_swap_coldkey",
			t.Signer, p.New, p.When)
	}
	return protocol.Reject(protocol.CodeColdkeyInSwapSchedule, "coldkey %s has a swap to %s scheduled for block %d: it may sign nothing else until the swap executes",
		t.Signer, p.New, p.When)
}

// applyScheduleSwapColdkey: subtensor's schedule_swap_coldkey.
func applyScheduleSwapColdkey(ctx *CallContext, c protocol.ScheduleSwapColdkey) error {
	tx := ctx.Tx()
	p, err := getSubParams(tx)
	if err != nil {
		return err
	}
	// Preconditions.
	if old, ok, err := getPendingSwap(tx, ctx.Signer); err != nil {
		return err
	} else if ok {
		if redo := old.When + p.ColdkeySwapRescheduleDuration; ctx.Height < redo {
			return protocol.Fail(protocol.CodeSwapAlreadyScheduled, "coldkey %s already has a swap to %s scheduled for block %d: a new schedule is accepted from block %d",
				ctx.Signer, old.New, old.When, redo)
		}
	}
	cost := p.KeySwapCost
	if a := getAccount(tx, ctx.Signer); a.Free < cost {
		return protocol.Fail(protocol.CodeInsufficientBalance, "insufficient balance for the coldkey swap cost: %s has %s after the fee, the swap costs %s",
			ctx.Signer, protocol.FormatTAO(a.Free), protocol.FormatTAO(cost))
	}
	when := ctx.Height + p.ColdkeySwapScheduleDuration
	// Mutate.
	s := ctx.State
	if err := s.Put(bucketColdkeySwap, cswapPendingKey(ctx.Signer), pendingSwap{When: when, New: c.NewColdkey, Cost: cost}.encode()); err != nil {
		return err
	}
	if err := s.Put(bucketColdkeySwap, cswapAgendaKey(when, ctx.Signer), []byte{}); err != nil {
		return err
	}
	// Emit.
	ctx.Emit(subModule, "ColdkeySwapScheduled", attrs("old_coldkey", ctx.Signer.SS58(), "new_coldkey", c.NewColdkey.SS58(),
		"execution_block", strconv.FormatUint(when, 10), "swap_cost", strconv.FormatUint(cost, 10)), ctx.Signer, c.NewColdkey)
	return nil
}

// schedulerModule is pallet_scheduler's part of the devnet: it runs the scheduled coldkey
// swaps at the start of their execution block, after the subtensor block step.
func schedulerModule() Module {
	return Module{
		Name:      "scheduler",
		Buckets:   [][]byte{bucketColdkeySwap},
		BlockStep: schedulerBlockStep,
	}
}

// schedulerBlockStep executes every swap due at or before this block (one is due exactly at
// its block; an older one can only be left by a database written mid-way).
func schedulerBlockStep(b *BlockContext) error {
	tx := b.State.tx
	bk := tx.Bucket(bucketColdkeySwap)
	if bk == nil {
		return nil
	}
	var due [][]byte
	c := bk.Cursor()
	end := binary.BigEndian.AppendUint64([]byte{cswapAgenda}, b.Height)
	for k, _ := c.Seek([]byte{cswapAgenda}); k != nil && k[0] == cswapAgenda; k, _ = c.Next() {
		if len(k) != 1+8+32 {
			return recordErr(bucketColdkeySwap, k, fmt.Errorf("agenda key of %d bytes", len(k)))
		}
		if bytes.Compare(k[:9], end) > 0 {
			break
		}
		due = append(due, append([]byte(nil), k...))
	}
	for _, k := range due {
		if err := b.State.Delete(bucketColdkeySwap, k); err != nil {
			return err
		}
		old := wallet.AccountID(k[9:])
		p, ok, err := getPendingSwap(tx, old)
		if err != nil {
			return err
		}
		if !ok || p.When != binary.BigEndian.Uint64(k[1:9]) || p.Failed {
			continue
		}
		err = swapColdkey(b, old, p)
		var te *protocol.TxError
		if errors.As(err, &te) {
			p.Failed = true
			if err := b.State.Put(bucketColdkeySwap, cswapPendingKey(old), p.encode()); err != nil {
				return err
			}
			b.Emit("scheduler", "Dispatched", attrs("call", "subtensor.swap_coldkey", "ok", "false",
				"code", strconv.FormatUint(uint64(te.Code), 10), "message", te.Error()), old, p.New)
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// swapColdkey is subtensor's do_swap_coldkey at the execution block. Every check comes before
// the first write, so a failure (a *TxError) leaves nothing changed.
func swapColdkey(b *BlockContext, old wallet.AccountID, p pendingSwap) error {
	tx, s := b.State.tx, b.State
	nw := p.New
	// Preconditions.
	held := false
	if err := forEachPosition(tx, nil, func(pos stakePosition) error {
		if pos.Coldkey == nw {
			held = true
		}
		return nil
	}); err != nil {
		return err
	}
	if held {
		return protocol.Fail(protocol.CodeColdkeyAlreadyAssociated, "the new coldkey %s holds stake: the swap to it is refused", nw)
	}
	if _, ok := getHotkey(tx, nw); ok {
		return protocol.Fail(protocol.CodeNewColdkeyIsHotkey, "the new coldkey %s is a hotkey on the chain: the swap to it is refused", nw)
	}
	oldAcct := getAccount(tx, old)
	if oldAcct.Free < p.Cost {
		return protocol.Fail(protocol.CodeInsufficientBalance, "coldkey %s holds %s, less than the swap cost %s",
			old, protocol.FormatTAO(oldAcct.Free), protocol.FormatTAO(p.Cost))
	}
	// The cost: withdrawn best effort keeping the existential deposit, then recycled.
	ed := b.Params.ExistentialDeposit
	burned := p.Cost
	if oldAcct.Free < ed {
		burned = 0
	} else if room := oldAcct.Free - ed; burned > room {
		burned = room
	}
	if p.Cost > 0 && burned == 0 {
		return protocol.Fail(protocol.CodeInsufficientBalance, "coldkey %s cannot pay the swap cost %s and keep the existential deposit", old, protocol.FormatTAO(p.Cost))
	}

	// Identity.
	if v := tx.Bucket(bucketIdentity).Get(coldIdentityKey(old)); v != nil {
		if err := s.Put(bucketIdentity, coldIdentityKey(nw), append([]byte(nil), v...)); err != nil {
			return err
		}
		if err := s.Delete(bucketIdentity, coldIdentityKey(old)); err != nil {
			return err
		}
	}
	if burned > 0 {
		oldAcct.Free -= burned
		if err := putAccount(s, old, oldAcct); err != nil {
			return err
		}
		if err := burn(s, burned); err != nil {
			return err
		}
	}
	// Subnet ownership.
	nets, err := listSubnets(tx)
	if err != nil {
		return err
	}
	for _, n := range nets {
		if n.Owner == old {
			n.Owner = nw
			if err := putSubnet(s, n); err != nil {
				return err
			}
		}
	}
	// Owned hotkeys, with their pools' owner positions.
	var owned []wallet.AccountID
	hc := tx.Bucket(bucketHotkeys).Cursor()
	for k, _ := hc.First(); k != nil; k, _ = hc.Next() {
		if h, ok := getHotkey(tx, wallet.AccountID(k)); ok && h.Owner == old {
			owned = append(owned, wallet.AccountID(k))
		}
	}
	for _, hk := range owned {
		h, _ := getHotkey(tx, hk)
		h.Owner = nw
		if err := putHotkey(s, hk, h); err != nil {
			return err
		}
		for _, n := range nets {
			pool, ok := getHotPool(tx, n.Netuid, hk)
			if !ok || pool.Owner != old {
				continue
			}
			pool.Owner = nw
			if sh := getU64(tx, bucketShares, shareKey(n.Netuid, hk, nw)); sh > 0 {
				pool.OwnerShares += sh // the new coldkey's nominator shares join its owner position
				if err := s.Delete(bucketShares, shareKey(n.Netuid, hk, nw)); err != nil {
					return err
				}
			}
			if err := putHotPool(s, n.Netuid, hk, pool); err != nil {
				return err
			}
		}
	}
	// Nominator positions (StakingHotkeys' alpha on every subnet).
	var moved []stakePosition
	if err := forEachNominator(tx, nil, func(pos stakePosition) error {
		if pos.Coldkey == old {
			moved = append(moved, pos)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, pos := range moved {
		if err := s.Delete(bucketShares, shareKey(pos.Netuid, pos.Hotkey, old)); err != nil {
			return err
		}
		pool, ok := getHotPool(tx, pos.Netuid, pos.Hotkey)
		if !ok {
			return fmt.Errorf("stake position of %s on %s in subnet %d has no pool", old, pos.Hotkey, pos.Netuid)
		}
		if err := setShares(s, &pool, pos.Netuid, pos.Hotkey, nw, sharesOf(tx, &pool, pos.Netuid, pos.Hotkey, nw)+pos.Shares); err != nil {
			return err
		}
		if err := putHotPool(s, pos.Netuid, pos.Hotkey, pool); err != nil {
			return err
		}
	}
	// The register_network rate limit follows the coldkey.
	if last := getU64(tx, bucketRateLimits, networkLimitKey(old)); last > 0 {
		if last > getU64(tx, bucketRateLimits, networkLimitKey(nw)) {
			if err := putU64(s, bucketRateLimits, networkLimitKey(nw), last); err != nil {
				return err
			}
		}
		if err := s.Delete(bucketRateLimits, networkLimitKey(old)); err != nil {
			return err
		}
	}
	// The free balance (the old account keeps its nonce).
	rest := oldAcct.Free
	if rest > 0 {
		oldAcct.Free = 0
		if err := putAccount(s, old, oldAcct); err != nil {
			return err
		}
		if _, err := deposit(s, ed, nw, rest); err != nil { // below the existential deposit on an empty account: burned, as dust
			return err
		}
	}
	if err := s.Delete(bucketColdkeySwap, cswapPendingKey(old)); err != nil {
		return err
	}
	b.Emit(subModule, "ColdkeySwapped", attrs("old_coldkey", old.SS58(), "new_coldkey", nw.SS58(),
		"swap_cost", strconv.FormatUint(burned, 10), "balance", strconv.FormatUint(rest, 10)), old, nw)
	return nil
}
