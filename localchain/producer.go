package localchain

import (
	"context"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
)

// Start runs the block producer in the background: a block every block time (WithBlockTime,
// SetBlockTime) unless the chain is paused. With block time 0 it does nothing (blocks come only
// from SealNow and Advance). Starting a running producer is a no-op.
func (c *Chain) Start() error {
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	c.prodMu.Lock()
	defer c.prodMu.Unlock()
	if c.prodStop != nil || c.blockTime <= 0 {
		return nil
	}
	c.prodErr = nil
	stop, done := make(chan struct{}), make(chan struct{})
	c.prodStop, c.prodDone = stop, done
	go c.runProducer(c.blockTime, stop, done)
	return nil
}

// Stop stops the producer after the block in progress; it is a no-op when none runs.
func (c *Chain) Stop() {
	c.prodMu.Lock()
	stop, done := c.prodStop, c.prodDone
	c.prodStop, c.prodDone = nil, nil
	c.prodMu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
}

// Producing reports whether the automatic block producer runs (it may be paused).
func (c *Chain) Producing() bool {
	c.prodMu.Lock()
	defer c.prodMu.Unlock()
	return c.prodStop != nil
}

// ProducerErr returns the infrastructure fault that stopped the producer, if any.
func (c *Chain) ProducerErr() error {
	if err := c.faulted(); err != nil {
		return err
	}
	c.prodMu.Lock()
	defer c.prodMu.Unlock()
	return c.prodErr
}

// SetBlockTime changes the producer interval (0 = on demand), restarting a running producer.
func (c *Chain) SetBlockTime(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("block time %v is negative; use 0 for on-demand blocks", d)
	}
	c.prodMu.Lock()
	running := c.prodStop != nil
	c.prodMu.Unlock()
	c.Stop()
	c.prodMu.Lock()
	c.blockTime = d
	c.prodMu.Unlock()
	if running {
		return c.Start()
	}
	return nil
}

func (c *Chain) runProducer(interval time.Duration, stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		if err := c.produceUnlessPaused(); err != nil {
			if c.closed.Load() {
				return
			}
			c.prodMu.Lock()
			c.prodErr = fmt.Errorf("block producer stopped: %w", err)
			if c.prodStop == stop {
				c.prodStop, c.prodDone = nil, nil
			}
			c.prodMu.Unlock()
			return
		}
	}
}

// Pause sets the stored pause flag: this process's producer and any later one seal no blocks
// on their own until Resume. SealNow and Advance still work (they are explicit).
func (c *Chain) Pause() error { return c.setPaused(true) }

// Resume clears the stored pause flag.
func (c *Chain) Resume() error { return c.setPaused(false) }

// Paused reports the stored pause flag.
func (c *Chain) Paused() bool { return c.paused.Load() }

func (c *Chain) setPaused(p bool) error {
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	// Under blockMu: a block in progress commits first, and the producer decides whether to
	// seal under the same lock, so no automatic block follows a Pause that has returned.
	c.blockMu.Lock()
	defer c.blockMu.Unlock()
	c.dbMu.RLock()
	defer c.dbMu.RUnlock()
	v := byte(0)
	if p {
		v = 1
	}
	err := c.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(metaPaused, []byte{v}) })
	if err != nil {
		return fmt.Errorf("store pause flag: %w", err)
	}
	c.paused.Store(p)
	return nil
}

// SealNow seals one block at once with the pending transactions (anvil's automine) and
// returns its header. It works while paused and with any block time.
func (c *Chain) SealNow(ctx context.Context) (protocol.BlockHeader, error) {
	return c.produce(ctx, 1, nil)
}

// Advance produces n blocks as fast as the machine allows, running every block step and
// including pending transactions, and calls progress(done, n) after each commit. Consecutive
// blocks without transactions are committed together (up to 256 per write transaction); a
// crash loses whole blocks only. It stops early, returning ctx's error, when ctx ends.
func (c *Chain) Advance(ctx context.Context, n uint64, progress func(done, total uint64)) (protocol.BlockHeader, error) {
	return c.produce(ctx, n, progress)
}

// produce executes and commits n blocks. It holds blockMu throughout (one producer at a time;
// Restore and Reset wait for it) and the database read lock per commit group, so callbacks
// may run queries. progress must not call Restore, Reset or Close.
func (c *Chain) produce(ctx context.Context, n uint64, progress func(done, total uint64)) (protocol.BlockHeader, error) {
	if c.closed.Load() {
		return protocol.BlockHeader{}, protocol.ErrClosed
	}
	c.blockMu.Lock()
	defer c.blockMu.Unlock()
	return c.produceLocked(ctx, n, progress)
}

// produceUnlessPaused is the producer's tick: one block, unless the chain is paused. The flag
// is read under blockMu, which Pause also takes.
func (c *Chain) produceUnlessPaused() error {
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	c.blockMu.Lock()
	defer c.blockMu.Unlock()
	if c.paused.Load() {
		return nil
	}
	_, err := c.produceLocked(context.Background(), 1, nil)
	return err
}

// produceLocked is produce with blockMu held.
func (c *Chain) produceLocked(ctx context.Context, n uint64, progress func(done, total uint64)) (protocol.BlockHeader, error) {
	var done uint64
	for done < n {
		if err := ctx.Err(); err != nil {
			return *c.head.Load(), err
		}
		results, err := c.produceGroup(ctx, n-done)
		if err != nil {
			return *c.head.Load(), err
		}
		for _, res := range results {
			dropped := c.pool.update(res)
			c.notify(res, dropped)
			c.publish(res)
			if c.onCommit != nil {
				c.onCommit(res)
			}
		}
		done += uint64(len(results))
		// The index entries of the blocks just published, several blocks at once (txindex.go).
		if err := c.maybeFlushIndex(len(results[len(results)-1].txs) == 0); err != nil {
			return *c.head.Load(), c.fault(err)
		}
		if progress != nil {
			progress(done, n)
		}
	}
	return *c.head.Load(), nil
}

// produceGroup executes up to max blocks in one write transaction and commits them: one block
// if it has transactions, else consecutive empty blocks up to advanceGroup.
func (c *Chain) produceGroup(ctx context.Context, max uint64) ([]*blockResult, error) {
	c.dbMu.RLock()
	defer c.dbMu.RUnlock()
	if c.closed.Load() {
		return nil, protocol.ErrClosed
	}
	if err := c.faulted(); err != nil {
		return nil, err
	}
	var results []*blockResult
	head := *c.head.Load()
	// Execution and commit are on every included transaction's latency: signature checks leave
	// them a core meanwhile (verifyLimiter).
	c.verify.producing(true)
	defer c.verify.producing(false)
	err := c.db.Update(func(tx *bbolt.Tx) error {
		results = results[:0]
		h := head
		for uint64(len(results)) < max {
			cands := c.pool.selectReady(c.opts.maxBlockTxs, c.opts.maxBlockBytes)
			res, err := execBlock(tx, c.genesis, h, cands, fromPool)
			if err != nil {
				return err
			}
			results = append(results, res)
			h = res.header
			if len(cands) > 0 || len(results) >= advanceGroup || ctx.Err() != nil {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, c.fault(fmt.Errorf("produce block %d: %w", head.Height+1, err))
	}
	for _, res := range results {
		c.idx.add(res.index) // committed: lookups may find it now (txindex.go)
	}
	last := results[len(results)-1].header
	c.head.Store(&last)
	return results, nil
}
