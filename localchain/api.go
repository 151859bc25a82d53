package localchain

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Default settings.
const (
	// DefaultBlockTime is the producer interval (subtensor's fast blocks).
	DefaultBlockTime = 250 * time.Millisecond
	// DefaultLockTimeout is how long Open waits for another process to release the database.
	DefaultLockTimeout = 500 * time.Millisecond
	// advanceGroup is the most empty blocks Advance commits in one write transaction.
	advanceGroup = 256
	// maxQueryRange bounds Blocks and Events.
	maxQueryRange = 10_000
)

type options struct {
	blockTime     time.Duration
	genesis       *protocol.Genesis
	lockTimeout   time.Duration
	noSync        bool
	poolMaxTxs    int
	poolMaxBytes  int
	maxBlockTxs   int
	maxBlockBytes int
	verifyWorkers int
}

// Option configures Open.
type Option func(*options)

// WithBlockTime sets the producer interval used by Start; 0 means blocks only on demand
// (SealNow, Advance). It does not change the logical clock (Genesis.BlockTimeMs).
func WithBlockTime(d time.Duration) Option { return func(o *options) { o.blockTime = d } }

// WithGenesis sets the genesis of a new database. For an existing one it must match the stored
// genesis (ErrGenesisMismatch). Without it a new database gets DevnetGenesis.
func WithGenesis(g *protocol.Genesis) Option { return func(o *options) { o.genesis = g } }

// WithLockTimeout sets how long Open waits for the file lock.
func WithLockTimeout(d time.Duration) Option { return func(o *options) { o.lockTimeout = d } }

// WithNoSync skips fsync on commit (tests only: a power failure can corrupt the file; a killed
// process cannot).
func WithNoSync(noSync bool) Option { return func(o *options) { o.noSync = noSync } }

// WithPoolLimits bounds the transaction pool by count and total bytes.
func WithPoolLimits(maxTxs, maxBytes int) Option {
	return func(o *options) { o.poolMaxTxs, o.poolMaxBytes = maxTxs, maxBytes }
}

// WithBlockLimits bounds each block by transaction count and envelope bytes.
func WithBlockLimits(maxTxs, maxBytes int) Option {
	return func(o *options) { o.maxBlockTxs, o.maxBlockBytes = maxTxs, maxBytes }
}

// WithVerifyWorkers sets the number of goroutines SubmitBatch verifies signatures on
// (default: GOMAXPROCS).
func WithVerifyWorkers(n int) Option { return func(o *options) { o.verifyWorkers = n } }

// Chain is an open devnet: the database, the transaction pool, the producer and the
// subscribers. All methods are safe for concurrent use.
type Chain struct {
	dir  string
	opts options

	dbMu        sync.RWMutex // write-held only while the file is swapped (Restore, Reset)
	db          *bbolt.DB
	genesis     *protocol.Genesis
	genesisHash protocol.Hash
	head        atomic.Pointer[protocol.BlockHeader]
	paused      atomic.Bool
	closed      atomic.Bool
	leftovers   []Leftover // removed by Open (leftovers.go)

	pool     *mempool
	idx      *indexBuffer          // index entries of committed blocks not yet stored (txindex.go)
	verify   *verifyLimiter        // signature checks of SubmitBatch, all batches together
	blockMu  sync.Mutex            // serialises block production and file swaps
	faultErr atomic.Pointer[error] // a corrupt record: block production is stopped (records.go)

	prodMu    sync.Mutex
	prodStop  chan struct{}
	prodDone  chan struct{}
	prodErr   error
	blockTime time.Duration

	subsMu  sync.Mutex
	subs    map[uint64]*subscriber
	nextSub uint64

	waitMu  sync.Mutex
	waiters map[protocol.TxHash][]chan waitResult

	onCommit func(res *blockResult) // test hook, set before Start
}

// Open opens (creating if needed) the devnet in dir: dir/chain.db plus a pid file and a
// snapshots directory. If another process holds the database it fails after the lock timeout
// with an *InUseError ("devnet is in use by another btui (pid N); use --node URL"). The producer
// is not started; call Start.
func Open(dir string, opts ...Option) (*Chain, error) {
	o := options{
		blockTime: DefaultBlockTime, lockTimeout: DefaultLockTimeout,
		poolMaxTxs: DefaultPoolMaxTxs, poolMaxBytes: DefaultPoolMaxBytes,
		maxBlockTxs: DefaultMaxBlockTxs, maxBlockBytes: DefaultMaxBlockBytes,
		verifyWorkers: runtime.GOMAXPROCS(0),
	}
	for _, f := range opts {
		f(&o)
	}
	if o.genesis != nil {
		if err := o.genesis.Validate(); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create devnet directory: %w", err)
	}
	c := &Chain{
		dir: dir, opts: o, blockTime: o.blockTime,
		pool:    newMempool(o.poolMaxTxs, o.poolMaxBytes),
		idx:     newIndexBuffer(),
		verify:  newVerifyLimiter(max(o.verifyWorkers, 1)),
		subs:    map[uint64]*subscriber{},
		waiters: map[protocol.TxHash][]chan waitResult{},
	}
	if err := c.openDB(o.genesis); err != nil {
		return nil, err
	}
	c.leftovers = cleanLeftovers(dir) // under the lock: nobody else writes them
	return c, nil
}

func (c *Chain) dbPath() string { return filepath.Join(c.dir, dbFileName) }

// openDB opens the file, initialises or checks it and loads the head (caller holds dbMu or is
// Open).
func (c *Chain) openDB(g *protocol.Genesis) error {
	if e, held := heldByLiveHolder(c.dir, c.dbPath()); held {
		return e // at once: the holder is alive (holder.go)
	}
	// The freelist is stored with each commit (bbolt's default): every command opens the file,
	// and without a stored freelist bbolt rebuilds it on open by walking every page of the file
	// (tens of milliseconds for a few MB, growing with the devnet's history).
	db, err := bbolt.Open(c.dbPath(), 0o600, &bbolt.Options{
		Timeout: c.opts.lockTimeout, NoSync: c.opts.noSync,
		FreelistType: bbolt.FreelistMapType, PageSize: dbPageSize(),
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return inUse(c.dir)
	}
	if err != nil {
		return fmt.Errorf("open devnet database %s: %w", c.dbPath(), err)
	}
	if err := c.initOrCheck(db, g); err != nil {
		db.Close()
		return err
	}
	_ = os.WriteFile(filepath.Join(c.dir, pidFileName), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	writeHolder(c.dir)
	c.db = db
	return nil
}

func readPID(dir string) int {
	b, err := os.ReadFile(filepath.Join(dir, pidFileName))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// initOrCheck creates the genesis of a new file, checks an existing one against this btui and
// want, adds buckets introduced since the file was made and re-indexes blocks a crash left
// unindexed. A file that needs none of the writes is checked in a read transaction: opening it
// (every command does) commits nothing and waits for no fsync.
func (c *Chain) initOrCheck(db *bbolt.DB, want *protocol.Genesis) error {
	var clean bool
	if err := db.View(func(tx *bbolt.Tx) error {
		clean = openNeedsNoWrite(tx)
		if !clean {
			return nil
		}
		return c.checkOpened(tx, want)
	}); err != nil || clean {
		return err
	}
	return db.Update(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			g := want
			if g == nil {
				g = protocol.DevnetGenesis()
			}
			if _, err := initGenesis(tx, g); err != nil {
				return err
			}
			meta = tx.Bucket(bucketMeta)
		}
		v := meta.Get(metaSchemaVersion)
		if len(v) != 4 {
			return fmt.Errorf("%w: %s has no schema version; delete it or move it aside to start a new devnet", protocol.ErrSchemaVersion, c.dbPath())
		}
		if got := binary.BigEndian.Uint32(v); got != schemaVersion {
			return fmt.Errorf("%w: %s has schema version %d and this btui reads version %d; delete it or move it aside to start a new devnet",
				protocol.ErrSchemaVersion, c.dbPath(), got, schemaVersion)
		}
		// Buckets added since the database was made (the chain's indexes and the modules').
		for _, name := range allBuckets() {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		head, err := loadHead(tx)
		if err != nil {
			return err
		}
		// Index entries a crash kept from being stored (txindex.go).
		if err := reindex(tx, head.Height); err != nil {
			return fmt.Errorf("re-index blocks: %w", err)
		}
		return c.checkOpened(tx, want)
	})
}

// allBuckets are the chain's and every module's buckets.
func allBuckets() [][]byte {
	return append(append([][]byte(nil), chainBuckets...), registry().buckets...)
}

// openNeedsNoWrite reports whether an existing file of this schema version has every bucket
// and nothing to re-index, so that opening it writes nothing. Anything else (a new or foreign
// file included) goes through the write path, which also says what is wrong.
func openNeedsNoWrite(tx *bbolt.Tx) bool {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return false
	}
	if v := meta.Get(metaSchemaVersion); len(v) != 4 || binary.BigEndian.Uint32(v) != schemaVersion {
		return false
	}
	for _, name := range allBuckets() {
		if tx.Bucket(name) == nil {
			return false
		}
	}
	if meta.Get(metaIndexed) == nil {
		return false
	}
	head, err := loadHead(tx)
	if err != nil {
		return false
	}
	from, err := indexedHeight(tx)
	return err == nil && from >= head.Height
}

// checkOpened checks the stored genesis against want and loads the head and the pause flag.
func (c *Chain) checkOpened(tx *bbolt.Tx, want *protocol.Genesis) error {
	meta := tx.Bucket(bucketMeta)
	g, err := protocol.ParseGenesis(meta.Get(metaGenesisJSON))
	if err != nil {
		return fmt.Errorf("stored genesis: %w", err)
	}
	copy(c.genesisHash[:], meta.Get(metaGenesisHash))
	if want != nil {
		wc, err := want.Canonical()
		if err != nil {
			return err
		}
		if string(wc) != string(meta.Get(metaGenesisJSON)) {
			return fmt.Errorf("%w: %s was created from another genesis; use btui devnet reset to start over", protocol.ErrGenesisMismatch, c.dir)
		}
	}
	head, err := loadHead(tx)
	if err != nil {
		return err
	}
	c.genesis = g
	c.head.Store(&head)
	c.paused.Store(len(meta.Get(metaPaused)) == 1 && meta.Get(metaPaused)[0] == 1)
	return nil
}

// Close stops the producer (finishing the block in progress), ends subscriptions, fails
// pending waits and closes the database. Closing twice is a no-op.
func (c *Chain) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	c.Stop()
	c.blockMu.Lock()
	defer c.blockMu.Unlock()
	c.dbMu.Lock()
	defer c.dbMu.Unlock()
	c.subsMu.Lock()
	for id, s := range c.subs {
		close(s.ch)
		delete(c.subs, id)
	}
	c.subsMu.Unlock()
	c.failWaiters(protocol.ErrClosed)
	ferr := c.flushIndexLocked() // else the next Open re-indexes these blocks
	os.Remove(filepath.Join(c.dir, pidFileName))
	removeHolder(c.dir)
	return errors.Join(ferr, c.db.Close())
}

// Dir returns the chain directory.
func (c *Chain) Dir() string { return c.dir }

// GenesisHash returns the chain's genesis hash (the chain id transactions must carry).
func (c *Chain) GenesisHash() protocol.Hash {
	c.dbMu.RLock()
	defer c.dbMu.RUnlock()
	return c.genesisHash
}

// view runs fn in a read transaction of the open database.
func (c *Chain) view(fn func(tx *bbolt.Tx) error) error {
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	c.dbMu.RLock()
	defer c.dbMu.RUnlock()
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	return c.db.View(fn)
}

// ---- Submission (CheckTx and the pool) ----

// CheckTx decodes and checks a transaction as the pool does, without adding it: size, strict
// decoding, chain, expiry, signature, call arguments, nonce (not used, not too far ahead) and
// that the signer can pay fee and tip. Rejections are *TxError (see codes.go).
func (c *Chain) CheckTx(txBytes []byte) (*protocol.Tx, error) {
	t, err := c.checkStateless(txBytes)
	if err != nil {
		return nil, err
	}
	err = c.viewIndexed(func(v *indexView) error {
		_, err := checkAgainstState(v, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// checkStateless: decode, chain, expiry against the head, signature, arguments.
func (c *Chain) checkStateless(b []byte) (*protocol.Tx, error) {
	t, err := protocol.DecodeTx(b)
	if err != nil {
		return nil, err
	}
	if gh := c.GenesisHash(); t.Genesis != gh {
		return nil, protocol.Reject(protocol.CodeWrongChain, "transaction is for chain %s, this chain is %s", t.Genesis, gh)
	}
	if next := c.head.Load().Height + 1; t.Expiry != 0 && t.Expiry < next {
		return nil, protocol.Reject(protocol.CodeExpired, "transaction expired at block %d; the next block is %d", t.Expiry, next)
	}
	if err := t.Call.Validate(t.Signer); err != nil {
		return nil, err
	}
	if err := t.VerifySignature(); err != nil {
		return nil, err
	}
	return t, nil
}

// checkAgainstState checks nonce and fee against committed state; it returns the account nonce.
func checkAgainstState(v *indexView, t *protocol.Tx) (uint64, error) {
	tx := v.tx
	a := getAccount(tx, t.Signer)
	if t.Nonce < a.Nonce {
		return 0, protocol.Reject(protocol.CodeStaleNonce, "nonce %d already used (account nonce %d)", t.Nonce, a.Nonce)
	}
	if t.Nonce > a.Nonce+protocol.MaxFutureNonces {
		return 0, protocol.Reject(protocol.CodeNonceGap, "nonce %d is more than %d ahead of the account nonce %d", t.Nonce, protocol.MaxFutureNonces, a.Nonce)
	}
	p, err := getParams(tx)
	if err != nil {
		return 0, err
	}
	if _, _, ok := v.lookupTx(t.Hash()); ok {
		return 0, protocol.Reject(protocol.CodeDuplicate, "transaction %s is already included", t.Hash())
	}
	if err := checkColdkeySwapLock(tx, t); err != nil {
		return 0, err
	}
	return a.Nonce, checkFee(a.Free, txFee(tx, p, t), t.Tip, p.ExistentialDeposit)
}

// Submit checks a transaction and adds it to the pool; it returns its hash. Inclusion happens
// in a later block: wait with WaitTx, or call SubmitAndWait.
func (c *Chain) Submit(txBytes []byte) (protocol.TxHash, error) {
	t, err := c.checkStateless(txBytes)
	if err != nil {
		return protocol.TxHash{}, err
	}
	return t.Hash(), c.admit([]*protocol.Tx{t}, []error{nil})[0]
}

// SubmitBatch submits many transactions: decoding and signature checks run on all cores, then
// the transactions enter the pool in the given order (so one account's nonces may follow each
// other in one batch). Results are in input order. The checks of all concurrent batches
// together use at most verifyWorkers cores, one fewer while a block is produced
// (verifyLimiter).
func (c *Chain) SubmitBatch(txs [][]byte) []protocol.SubmitResult {
	out := make([]protocol.SubmitResult, len(txs))
	checked := make([]*protocol.Tx, len(txs))
	errs := make([]error, len(txs))
	workers := min(c.opts.verifyWorkers, len(txs))
	if workers < 1 {
		workers = 1
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(txs) {
					return
				}
				c.verify.acquire()
				checked[i], errs[i] = c.checkStateless(txs[i])
				c.verify.release()
			}
		}()
	}
	wg.Wait()
	errs = c.admit(checked, errs)
	for i := range out {
		if checked[i] != nil {
			out[i].Hash = checked[i].Hash()
		}
		out[i].Err = errs[i]
	}
	return out
}

// admit runs the state checks for the transactions without an error yet, in one read
// transaction, and adds them to the pool in order. A transaction whose nonce was read before a
// block the pool has since applied is checked again against the newer state (errStaleRead).
func (c *Chain) admit(txs []*protocol.Tx, errs []error) []error {
	todo := make([]int, 0, len(txs))
	for i, t := range txs {
		if errs[i] == nil && t != nil {
			todo = append(todo, i)
		}
	}
	for len(todo) > 0 {
		todo = c.admitOnce(txs, errs, todo)
	}
	return errs
}

// admitOnce checks and pools the transactions at the indexes todo; it returns the indexes to
// check again because a block was applied between the read and the pool insert.
func (c *Chain) admitOnce(txs []*protocol.Tx, errs []error, todo []int) []int {
	// The head is stored after its block commits, so a read transaction begun after this load
	// sees at least block readAt.
	readAt := c.head.Load().Height
	nonces := make([]uint64, len(txs))
	err := c.viewIndexed(func(v *indexView) error {
		for _, i := range todo {
			n, err := checkAgainstState(v, txs[i])
			if err != nil {
				var te *protocol.TxError
				// A nonce ahead of the committed one may follow a pending transaction.
				if !errors.As(err, &te) {
					return err
				}
				errs[i] = err
				continue
			}
			nonces[i] = n
		}
		return nil
	})
	if err != nil {
		for _, i := range todo {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return nil
	}
	head := c.head.Load().Height
	var again []int
	for _, i := range todo {
		if errs[i] != nil {
			continue
		}
		if err := c.pool.add(txs[i], nonces[i], readAt, head); errors.Is(err, errStaleRead) {
			again = append(again, i)
		} else {
			errs[i] = err
		}
	}
	return again
}

// SubmitAndWait submits a transaction and waits until a block includes it (or the pool drops
// it, or ctx ends). With an on-demand producer (block time 0) nothing seals a block by itself:
// call SealNow, or use SubmitAndSeal.
func (c *Chain) SubmitAndWait(ctx context.Context, txBytes []byte) (*protocol.TxInfo, error) {
	h, err := c.Submit(txBytes)
	if err != nil {
		return nil, err
	}
	return c.WaitTx(ctx, h)
}

// SubmitAndSeal submits a transaction and seals a block at once (anvil's automine), returning
// the included transaction. Other pending transactions are included too.
func (c *Chain) SubmitAndSeal(ctx context.Context, txBytes []byte) (*protocol.TxInfo, error) {
	h, err := c.Submit(txBytes)
	if err != nil {
		return nil, err
	}
	if _, err := c.SealNow(ctx); err != nil {
		return nil, err
	}
	return c.WaitTx(ctx, h)
}

type waitResult struct {
	info *protocol.TxInfo
	err  error
}

// WaitTx waits until the transaction is included and returns it. It returns at once if the
// transaction is already included, the pool's reason (a *TxError) if it was dropped, and
// ErrNotFound if it is neither pending nor included.
func (c *Chain) WaitTx(ctx context.Context, hash protocol.TxHash) (*protocol.TxInfo, error) {
	ch := make(chan waitResult, 1)
	c.waitMu.Lock()
	c.waiters[hash] = append(c.waiters[hash], ch)
	c.waitMu.Unlock()
	defer c.removeWaiter(hash, ch)
	if info, err := c.Tx(hash); err == nil {
		return info, nil
	} else if !errors.Is(err, protocol.ErrNotFound) {
		return nil, err
	}
	if !c.pool.has(hash) {
		if reason := c.pool.droppedReason(hash); reason != nil {
			return nil, reason
		}
		// It may have been included between the two checks.
		if info, err := c.Tx(hash); err == nil {
			return info, nil
		}
		return nil, fmt.Errorf("transaction %s is neither pending nor included: %w", hash, protocol.ErrNotFound)
	}
	select {
	case r := <-ch:
		return r.info, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *Chain) removeWaiter(hash protocol.TxHash, ch chan waitResult) {
	c.waitMu.Lock()
	defer c.waitMu.Unlock()
	list := c.waiters[hash]
	for i, w := range list {
		if w == ch {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(c.waiters, hash)
	} else {
		c.waiters[hash] = list
	}
}

func (c *Chain) failWaiters(err error) {
	c.waitMu.Lock()
	defer c.waitMu.Unlock()
	for _, list := range c.waiters {
		for _, ch := range list {
			select {
			case ch <- waitResult{err: err}:
			default:
			}
		}
	}
}

// notify delivers a committed block to the waiters of its transactions and of the dropped
// ones.
func (c *Chain) notify(res *blockResult, dropped map[protocol.TxHash]error) {
	c.waitMu.Lock()
	defer c.waitMu.Unlock()
	if len(c.waiters) == 0 {
		return
	}
	for i, t := range res.txs {
		list := c.waiters[t.Hash()]
		if len(list) == 0 {
			continue
		}
		info := txInfo(t, res.header.Height, uint32(i), res.receipts[i], res.events)
		for _, ch := range list {
			select {
			case ch <- waitResult{info: &info}:
			default:
			}
		}
	}
	for h, reason := range dropped {
		for _, ch := range c.waiters[h] {
			select {
			case ch <- waitResult{err: reason}:
			default:
			}
		}
	}
}

// IsPending reports whether the transaction is in the pool.
func (c *Chain) IsPending(hash protocol.TxHash) bool { return c.pool.has(hash) }

// NextNonce returns the nonce a new transaction of the account should carry: the committed
// nonce, past the account's consecutive pending transactions.
func (c *Chain) NextNonce(id wallet.AccountID) (uint64, error) {
	a, err := c.Account(id)
	if err != nil {
		return 0, err
	}
	return c.pool.pendingNonce(id, a.Nonce), nil
}

// ---- Queries ----

// Info returns a summary of the chain and its producer.
func (c *Chain) Info() (protocol.ChainInfo, error) {
	var info protocol.ChainInfo
	err := c.view(func(tx *bbolt.Tx) error {
		head, err := loadHead(tx)
		if err != nil {
			return err
		}
		p, err := getParams(tx)
		if err != nil {
			return err
		}
		info = protocol.ChainInfo{
			ChainName: c.genesis.ChainName, GenesisHash: c.genesisHash,
			Height: head.Height, Head: head.Hash, HeadTimestampMs: head.TimestampMs, StateDigest: head.StateDigest,
			TargetBlockTimeMs: c.genesis.BlockTimeMs,
			Paused:            c.paused.Load(), PendingTxs: c.pool.size(),
			TotalIssuance: getTotalIssuance(tx), ExistentialDeposit: p.ExistentialDeposit, TxFee: p.TxFee,
			Sudo: getSudo(tx), Token: protocol.TokenSymbol, Decimals: protocol.TokenDecimals, SS58Prefix: wallet.SS58Prefix,
			SchemaVersion: schemaVersion, DBSizeBytes: tx.Size(),
		}
		return nil
	})
	c.prodMu.Lock()
	info.BlockTimeMs = uint64(c.blockTime / time.Millisecond)
	info.Producing = c.prodStop != nil
	if c.prodErr != nil {
		info.ProducerError = c.prodErr.Error()
	}
	c.prodMu.Unlock()
	return info, err
}

// Head returns the newest block's header.
func (c *Chain) Head() protocol.BlockHeader { return *c.head.Load() }

// Account returns an account's free balance and nonce (zero for an unknown account).
func (c *Chain) Account(id wallet.AccountID) (protocol.AccountInfo, error) {
	var out protocol.AccountInfo
	err := c.view(func(tx *bbolt.Tx) error {
		a := getAccount(tx, id)
		out = protocol.AccountInfo{Address: id, Free: a.Free, Nonce: a.Nonce}
		var err error
		if out.Identity, err = getIdentity(tx, id); err != nil {
			return err
		}
		out.ColdkeySwap, err = getColdkeySwap(tx, id)
		return err
	})
	return out, err
}

// Block returns the block at height with its transactions, receipts and events.
func (c *Chain) Block(height uint64) (*protocol.Block, error) {
	var b *protocol.Block
	err := c.view(func(tx *bbolt.Tx) error {
		var err error
		b, err = loadBlock(tx, height)
		return err
	})
	return b, err
}

// BlockByHash returns the block with the given hash.
func (c *Chain) BlockByHash(hash protocol.Hash) (*protocol.Block, error) {
	var b *protocol.Block
	err := c.view(func(tx *bbolt.Tx) error {
		height, ok := heightOfHash(tx, hash)
		if !ok {
			return fmt.Errorf("block %s: %w", hash, protocol.ErrNotFound)
		}
		var err error
		b, err = loadBlock(tx, height)
		return err
	})
	return b, err
}

// Blocks returns up to n headers from height from upwards (n ≤ 10,000), stopping at the head.
func (c *Chain) Blocks(from uint64, n int) ([]protocol.BlockHeader, error) {
	n = min(max(n, 0), maxQueryRange)
	out := make([]protocol.BlockHeader, 0, n)
	err := c.view(func(tx *bbolt.Tx) error {
		cur := tx.Bucket(bucketHeaders).Cursor()
		for k, v := cur.Seek(u64Key(from)); k != nil && len(out) < n; k, v = cur.Next() {
			h, err := decodeStoredHeader(binary.BigEndian.Uint64(k), v)
			if err != nil {
				return err
			}
			out = append(out, h)
		}
		return nil
	})
	return out, err
}

// Tx returns an included transaction with its receipt and events, or ErrNotFound.
func (c *Chain) Tx(hash protocol.TxHash) (*protocol.TxInfo, error) {
	var info *protocol.TxInfo
	err := c.viewIndexed(func(v *indexView) error {
		height, index, ok := v.lookupTx(hash)
		if !ok {
			return fmt.Errorf("transaction %s: %w", hash, protocol.ErrNotFound)
		}
		var err error
		info, err = loadTxInfo(v.tx, hash, height, index)
		return err
	})
	return info, err
}

// Events returns the events of blocks from..to inclusive (at most 10,000 blocks), in order. An
// empty (from > to) or too long range fails with ErrBadRange.
func (c *Chain) Events(from, to uint64) ([]protocol.Event, error) {
	if to < from {
		return nil, fmt.Errorf("events: %w: %d..%d is empty (from is after to); give from ≤ to", protocol.ErrBadRange, from, to)
	}
	if to-from >= maxQueryRange {
		return nil, fmt.Errorf("events: %w: %d..%d spans more than %d blocks; ask in parts", protocol.ErrBadRange, from, to, maxQueryRange)
	}
	out := []protocol.Event{}
	err := c.view(func(tx *bbolt.Tx) error {
		cur := tx.Bucket(bucketEvents).Cursor()
		for k, _ := cur.Seek(u64Key(from)); k != nil && binary.BigEndian.Uint64(k) <= to; k, _ = cur.Next() {
			evs, err := loadEvents(tx, binary.BigEndian.Uint64(k))
			if err != nil {
				return err
			}
			out = append(out, evs...)
		}
		return nil
	})
	return out, err
}

// AccountHistory returns the newest transactions that involved the account (signed by it, or
// naming it in an event), newest first: up to limit entries strictly below height before
// (before = 0 means from the head).
func (c *Chain) AccountHistory(id wallet.AccountID, before uint64, limit int) ([]protocol.HistoryEntry, error) {
	limit = min(max(limit, 0), maxQueryRange)
	out := []protocol.HistoryEntry{}
	err := c.viewIndexed(func(iv *indexView) error {
		// The newest entries may still be buffered; all of them are above the stored ones.
		out = append(out, iv.bufferedHistory(id, before, limit)...)
		if len(out) >= limit {
			return nil
		}
		cur := iv.tx.Bucket(bucketHistory).Cursor()
		var k, v []byte
		if before == 0 {
			var end [32]byte
			copy(end[:], id[:])
			next := historyKey(end, ^uint64(0), ^uint32(0))
			k, v = cur.Seek(next)
			if k == nil {
				k, v = cur.Last()
			} else {
				k, v = cur.Prev()
			}
			// historyKey(…, max, max) is itself never written, so Seek lands past the account.
		} else {
			k, v = cur.Seek(historyKey(id, before, 0))
			k, v = cur.Prev()
		}
		for ; k != nil && len(out) < limit; k, v = cur.Prev() {
			if len(k) != 44 || string(k[:32]) != string(id[:]) {
				break
			}
			var e protocol.HistoryEntry
			if e.Height = binary.BigEndian.Uint64(k[32:]); e.Height > iv.indexed {
				continue // stored by a flush cycle under way; listed from the buffer above
			}
			e.Index = binary.BigEndian.Uint32(k[40:])
			copy(e.Hash[:], v)
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// Genesis returns the chain's genesis.
func (c *Chain) Genesis() *protocol.Genesis {
	c.dbMu.RLock()
	defer c.dbMu.RUnlock()
	g := *c.genesis
	g.Accounts = append([]protocol.GenesisAccount(nil), c.genesis.Accounts...)
	if c.genesis.Modules != nil {
		g.Modules = make(map[string]json.RawMessage, len(c.genesis.Modules))
		for k, v := range c.genesis.Modules {
			g.Modules[k] = append(json.RawMessage(nil), v...)
		}
	}
	return &g
}

// ExportGenesis returns the chain's genesis as canonical JSON (importable with ParseGenesis
// and WithGenesis or Reset).
func (c *Chain) ExportGenesis() ([]byte, error) {
	var out []byte
	err := c.view(func(tx *bbolt.Tx) error {
		out = append([]byte(nil), tx.Bucket(bucketMeta).Get(metaGenesisJSON)...)
		return nil
	})
	return out, err
}

// Check runs every invariant on the committed state and verifies the block chain: headers
// linked by parent hash with consecutive heights and logical timestamps, and every included
// transaction indexed.
func (c *Chain) Check() error {
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	c.dbMu.RLock()
	defer c.dbMu.RUnlock()
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	// The buffered index entries are copied and the buffer released at once: a check of a long
	// chain takes a while, and the producer adds to the buffer after every block.
	c.idx.mu.RLock()
	tx, err := c.db.Begin(false)
	if err != nil {
		c.idx.mu.RUnlock()
		return err
	}
	defer tx.Rollback()
	indexed, err := indexedHeight(tx)
	if err != nil {
		c.idx.mu.RUnlock()
		return err
	}
	buffered := (&indexView{tx: tx, buf: c.idx, indexed: indexed}).copyLocs()
	c.idx.mu.RUnlock()
	if err := CheckInvariants(tx); err != nil {
		return err
	}
	return verifyChain(tx, c.genesis, func(h protocol.TxHash) (uint64, uint32, bool) {
		if height, index, ok := lookupTx(tx, h); ok {
			return height, index, true
		}
		l, ok := buffered[h]
		return l.height, l.index, ok
	})
}

// ---- Subscriptions ----

type subscriber struct {
	ch     chan protocol.HeadEvent
	missed uint64
}

// Subscribe returns a channel of new heads (with their events) and a cancel function. Delivery
// never blocks the producer: when the channel's buffer (bufferSize, at least 1) is full the
// head is skipped for this subscriber and counted in the next event's Missed. The channel is
// closed by cancel or Close.
func (c *Chain) Subscribe(bufferSize int) (<-chan protocol.HeadEvent, func()) {
	s := &subscriber{ch: make(chan protocol.HeadEvent, max(bufferSize, 1))}
	c.subsMu.Lock()
	defer c.subsMu.Unlock()
	if c.closed.Load() {
		close(s.ch)
		return s.ch, func() {}
	}
	id := c.nextSub
	c.nextSub++
	c.subs[id] = s
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			c.subsMu.Lock()
			defer c.subsMu.Unlock()
			if _, ok := c.subs[id]; ok {
				delete(c.subs, id)
				close(s.ch)
			}
		})
	}
}

func (c *Chain) publish(res *blockResult) {
	c.subsMu.Lock()
	defer c.subsMu.Unlock()
	if len(c.subs) == 0 {
		return
	}
	for _, s := range c.subs {
		ev := protocol.HeadEvent{Header: res.header, Events: res.events, Missed: s.missed}
		select {
		case s.ch <- ev:
			s.missed = 0
		default:
			s.missed++
		}
	}
}

// verifyLimiter bounds the goroutines checking signatures at once, across all batches, and
// leaves one core to the block producer while it produces (when there is more than one): a
// block's execution and commit are on every included transaction's latency, a batch's checks
// only on that batch's, and with as many checkers as cores the producer would get a fraction
// of a core from Go's scheduler.
type verifyLimiter struct {
	mu     sync.Mutex
	cond   sync.Cond
	active int
	limit  int
	max    int
}

func newVerifyLimiter(n int) *verifyLimiter {
	l := &verifyLimiter{limit: n, max: n}
	l.cond.L = &l.mu
	return l
}

func (l *verifyLimiter) acquire() {
	l.mu.Lock()
	for l.active >= l.limit {
		l.cond.Wait()
	}
	l.active++
	l.mu.Unlock()
}

func (l *verifyLimiter) release() {
	l.mu.Lock()
	l.active--
	l.mu.Unlock()
	l.cond.Signal()
}

// producing lowers the limit by one (never below one) while a block is produced.
func (l *verifyLimiter) producing(on bool) {
	l.mu.Lock()
	if on {
		l.limit = max(l.max-1, 1)
	} else {
		l.limit = l.max
	}
	l.mu.Unlock()
	l.cond.Broadcast()
}
