package localchain

import (
	"context"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
)

// EpochRecord is one subnet's epoch as the chain ran it (or will run it): the exact input fed
// to mechanism.Epoch and its output.
type EpochRecord struct {
	Netuid uint16
	Block  uint64
	// Ran is true for an epoch of a sealed block (at or below the head); false for an epoch
	// the chain will run, computed on empty blocks from the head (no transactions between).
	Ran    bool
	Input  mechanism.EpochInput
	Output mechanism.EpochOutput
}

// ErrNoEpochInBlock is wrapped when the subnet runs no epoch in the asked block (protocol's
// sentinel, so clients match it without this package).
var ErrNoEpochInBlock = protocol.ErrNoEpochInBlock

// EpochAt returns the epoch subnet netuid runs in block (0: its next epoch after the head).
//
// For a sealed block the chain's blocks up to block-1 are re-executed into a scratch database
// in scratchDir (which must not hold a chain; each rebuilt header is checked against the
// stored one), and block's step is run there: the input is the one the chain used, read after
// that block's coinbase. For a later block the block steps of empty blocks are run from the head
// in a write transaction that is rolled back, so nothing is stored: the input is what the chain
// will use if no transaction lands before it. Either way the output is computed by the chain's
// own block step, so feeding Input to mechanism.Epoch gives Output.
func (c *Chain) EpochAt(ctx context.Context, netuid uint16, block uint64, scratchDir string) (EpochRecord, error) {
	rec := EpochRecord{Netuid: netuid, Block: block}
	head := c.Head()
	if block == 0 {
		si, err := c.Subnet(netuid)
		if err != nil {
			return rec, err
		}
		if si.NextEpochBlock == 0 {
			return rec, fmt.Errorf("subnet %d has no next epoch (tempo 0): %w", netuid, ErrNoEpochInBlock)
		}
		block = si.NextEpochBlock
		rec.Block = block
	}
	if _, err := c.Subnet(netuid); err != nil {
		return rec, err
	}
	if block > head.Height {
		if block-head.Height > 1_000_000 {
			return rec, fmt.Errorf("block %d is more than 1,000,000 blocks after the head %d", block, head.Height)
		}
		err := c.scratchUpdate(func(tx *bbolt.Tx) error {
			return runStepsUntil(ctx, tx, c.genesis, head, block, netuid, &rec)
		})
		return rec, err
	}
	rec.Ran = true
	fresh, err := Open(scratchDir, WithGenesis(c.Genesis()), WithNoSync(true), WithBlockTime(0))
	if err != nil {
		return rec, fmt.Errorf("scratch chain: %w", err)
	}
	defer fresh.Close()
	if fresh.Head().Height != 0 {
		return rec, fmt.Errorf("scratch directory %s already holds a chain at height %d", scratchDir, fresh.Head().Height)
	}
	for h := uint64(1); h < block; h++ {
		if err := ctx.Err(); err != nil {
			return rec, err
		}
		want, txs, err := c.storedBlock(h)
		if err != nil {
			return rec, fmt.Errorf("read block %d: %w", h, err)
		}
		var got protocol.BlockHeader
		err = fresh.db.Update(func(tx *bbolt.Tx) error {
			res, err := execBlock(tx, fresh.genesis, *fresh.head.Load(), txs, replay)
			if err != nil {
				return err
			}
			got = res.header
			return nil
		})
		if err != nil {
			return rec, fmt.Errorf("re-execute block %d: %w", h, err)
		}
		if got != want {
			return rec, fmt.Errorf("%w: re-executed block %d differs (state digest %s vs stored %s)", protocol.ErrBadBlock, h, got.StateDigest, want.StateDigest)
		}
		fresh.head.Store(&got)
	}
	err = fresh.scratchUpdate(func(tx *bbolt.Tx) error {
		return runStepsUntil(ctx, tx, fresh.genesis, *fresh.head.Load(), block, netuid, &rec)
	})
	return rec, err
}

// errScratch rolls a scratch write transaction back.
var errScratch = errors.New("scratch transaction")

// scratchUpdate runs fn in a write transaction that is always rolled back.
func (c *Chain) scratchUpdate(fn func(tx *bbolt.Tx) error) error {
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	c.dbMu.RLock()
	defer c.dbMu.RUnlock()
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	err := c.db.Update(func(tx *bbolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errScratch
	})
	if errors.Is(err, errScratch) {
		return nil
	}
	return err
}

// runStepsUntil runs the block steps of empty blocks parent+1 .. block on tx and records
// netuid's epoch of block in rec.
func runStepsUntil(ctx context.Context, tx *bbolt.Tx, g *protocol.Genesis, parent protocol.BlockHeader, block uint64, netuid uint16, rec *EpochRecord) error {
	params, err := getParams(tx)
	if err != nil {
		return err
	}
	found := false
	for h := parent.Height + 1; h <= block; h++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		bctx := &BlockContext{
			Height: h, TimestampMs: g.TimestampMs + h*g.BlockTimeMs,
			State: newStateTx(tx), Params: params, txIndex: -1,
		}
		var capture func(*epochJob)
		if h == block {
			capture = func(j *epochJob) {
				if j.n.Netuid == netuid {
					rec.Input, rec.Output, found = j.in, j.out, true
				}
			}
		}
		for _, m := range registry().mods {
			switch {
			case m.Name == subModule:
				err = subBlockStepWith(bctx, capture)
			case m.BlockStep != nil:
				err = m.BlockStep(bctx)
			}
			if err != nil {
				return fmt.Errorf("block %d: %s block step: %w", h, m.Name, err)
			}
		}
	}
	if !found {
		n, err := viewSubnet(tx, netuid)
		if err != nil {
			return err
		}
		return fmt.Errorf("subnet %d (tempo %d) runs no epoch in block %d; its next epoch after block %d is block %d: %w",
			netuid, n.H.Tempo, block, block, nextEpochAfter(netuid, n.H.Tempo, block), ErrNoEpochInBlock)
	}
	return nil
}

// nextEpochAfter is the first block after b in which the epoch of netuid with tempo runs.
func nextEpochAfter(netuid, tempo uint16, b uint64) uint64 {
	if tempo == 0 {
		return 0
	}
	for h := b + 1; h <= b+uint64(tempo)+1; h++ {
		if mechanism.ShouldRunEpoch(netuid, tempo, h) {
			return h
		}
	}
	return 0
}
