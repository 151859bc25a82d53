package localchain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// DevFaucet mints amount rao into to with a sudo.faucet transaction signed by the sudo
// account's dev key (Alice on the devnet), sealed into a block at once. It fails with
// ErrNoDevKey when the sudo account is not a dev key, and returns the included transaction
// (check its receipt).
func (c *Chain) DevFaucet(ctx context.Context, to wallet.AccountID, amount uint64) (*protocol.TxInfo, error) {
	info, err := c.Info()
	if err != nil {
		return nil, err
	}
	var kp *wallet.Keypair
	for _, name := range wallet.DevNames() {
		k, err := wallet.Dev(name)
		if err != nil {
			return nil, err
		}
		if k.AccountID() == info.Sudo {
			kp = k
			break
		}
		k.Zero()
	}
	if kp == nil {
		return nil, protocol.ErrNoDevKey
	}
	defer kp.Zero()
	nonce, err := c.NextNonce(kp.AccountID())
	if err != nil {
		return nil, err
	}
	t := protocol.NewTx(c.GenesisHash(), protocol.Faucet{To: to, Amount: amount}, kp.AccountID(), nonce, 0, 0)
	if err := t.Sign(kp); err != nil {
		return nil, err
	}
	return c.SubmitAndSeal(ctx, t.Encode())
}

func (c *Chain) snapshotPath(name string) (string, error) {
	if len(name) == 0 || len(name) > 64 || strings.Trim(name, ".") == "" {
		return "", protocol.ErrInvalidName
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return "", protocol.ErrInvalidName
		}
	}
	return filepath.Join(c.dir, snapshotDirName, name+".db"), nil
}

// Snapshot saves a consistent copy of the chain (as of the last committed block) under name,
// replacing a snapshot of the same name.
func (c *Chain) Snapshot(name string) (protocol.SnapshotInfo, error) {
	path, err := c.snapshotPath(name)
	if err != nil {
		return protocol.SnapshotInfo{}, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return protocol.SnapshotInfo{}, fmt.Errorf("create snapshot directory: %w", err)
	}
	var info protocol.SnapshotInfo
	err = c.view(func(tx *bbolt.Tx) error {
		head, err := loadHead(tx)
		if err != nil {
			return err
		}
		tmp := path + ".tmp"
		if err := tx.CopyFile(tmp, 0o600); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("write snapshot %s: %w", name, err)
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("write snapshot %s: %w", name, err)
		}
		info = protocol.SnapshotInfo{Name: name, Height: head.Height, Head: head.Hash, SizeBytes: tx.Size()}
		return nil
	})
	return info, err
}

// Snapshots lists the stored snapshots by name.
func (c *Chain) Snapshots() ([]protocol.SnapshotInfo, error) {
	dir := filepath.Join(c.dir, snapshotDirName)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return []protocol.SnapshotInfo{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	out := []protocol.SnapshotInfo{}
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".db")
		if !ok || e.IsDir() {
			continue
		}
		info, err := readSnapshotInfo(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("snapshot %s: %w", name, err)
		}
		info.Name = name
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func readSnapshotInfo(path string) (protocol.SnapshotInfo, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: DefaultLockTimeout})
	if err != nil {
		return protocol.SnapshotInfo{}, err
	}
	defer db.Close()
	var info protocol.SnapshotInfo
	err = db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return fmt.Errorf("%w: not a devnet database", protocol.ErrBadBlock)
		}
		head, err := loadHead(tx)
		if err != nil {
			return err
		}
		info = protocol.SnapshotInfo{Height: head.Height, Head: head.Hash, SizeBytes: tx.Size()}
		return nil
	})
	return info, err
}

// DeleteSnapshot removes a snapshot.
func (c *Chain) DeleteSnapshot(name string) error {
	path, err := c.snapshotPath(name)
	if err != nil {
		return err
	}
	if err := os.Remove(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("snapshot %s: %w", name, protocol.ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("delete snapshot %s: %w", name, err)
	}
	return nil
}

// Restore replaces the chain with the named snapshot. The pool is emptied (its transactions'
// waiters get CodeDropped), a running producer is stopped and restarted, and subscribers get a
// HeadEvent with the restored head (its height may be below the previous head's).
func (c *Chain) Restore(name string) error {
	path, err := c.snapshotPath(name)
	if err != nil {
		return err
	}
	if _, err := readSnapshotInfo(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("snapshot %s: %w", name, protocol.ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("snapshot %s: %w", name, err)
	}
	return c.swapFile(func() error {
		tmp := c.dbPath() + ".restore"
		if err := copyFile(path, tmp); err != nil {
			return fmt.Errorf("restore snapshot %s: %w", name, err)
		}
		return os.Rename(tmp, c.dbPath())
	}, nil)
}

// Reset discards every block and starts the chain again from genesis g (nil: the chain's
// current genesis). Snapshots are kept. Like Restore, it empties the pool and publishes the
// new head (block 0) to subscribers.
func (c *Chain) Reset(g *protocol.Genesis) error {
	if g == nil {
		g = c.Genesis()
	}
	if err := g.Validate(); err != nil {
		return err
	}
	return c.swapFile(func() error {
		if err := os.Remove(c.dbPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reset devnet: %w", err)
		}
		return nil
	}, g)
}

// swapFile closes the database, runs replace on the file, and reopens it (initialising from g
// if the file is gone).
func (c *Chain) swapFile(replace func() error, g *protocol.Genesis) error {
	if c.closed.Load() {
		return protocol.ErrClosed
	}
	c.prodMu.Lock()
	running := c.prodStop != nil
	c.prodMu.Unlock()
	c.Stop()
	c.blockMu.Lock()
	c.dbMu.Lock()
	err := func() error {
		if err := c.db.Close(); err != nil {
			return fmt.Errorf("close devnet database: %w", err)
		}
		c.idx.clear() // the old file's; openDB re-indexes the new one
		rerr := replace()
		if err := c.openDB(g); err != nil {
			return errors.Join(rerr, err)
		}
		return rerr
	}()
	c.dbMu.Unlock()
	c.blockMu.Unlock()
	dropped := c.pool.clear()
	reason := protocol.Reject(protocol.CodeDropped, "the chain was reset or restored")
	m := make(map[protocol.TxHash]error, len(dropped))
	for _, h := range dropped {
		m[h] = reason
	}
	c.notify(&blockResult{}, m)
	if err != nil {
		return err
	}
	// Subscribers learn the new head at once (its height may be below the old one).
	c.publish(&blockResult{header: *c.head.Load(), events: []protocol.Event{}})
	if running {
		return c.Start()
	}
	return nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Replay re-executes every block of this chain into a fresh database in dir (which must not
// hold a chain yet) and checks that each rebuilt header, state digest included, equals the
// stored one. It proves the chain is deterministic and the stored blocks are self-consistent.
func (c *Chain) Replay(ctx context.Context, dir string) error {
	head := c.Head()
	fresh, err := Open(dir, WithGenesis(c.Genesis()), WithNoSync(true), WithBlockTime(0))
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	defer fresh.Close()
	if fresh.GenesisHash() != c.GenesisHash() {
		return fmt.Errorf("%w: replayed genesis hash %s, stored %s", protocol.ErrBadBlock, fresh.GenesisHash(), c.GenesisHash())
	}
	if fresh.Head().Height != 0 {
		return fmt.Errorf("replay: %s already holds a chain at height %d", dir, fresh.Head().Height)
	}
	for h := uint64(1); h <= head.Height; h++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		want, txs, err := c.storedBlock(h)
		if err != nil {
			return fmt.Errorf("replay: read block %d: %w", h, err)
		}
		for i, t := range txs {
			if t.Genesis != fresh.genesisHash {
				return fmt.Errorf("%w: block %d tx %d is for chain %s", protocol.ErrBadBlock, h, i, t.Genesis)
			}
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
			return fmt.Errorf("replay block %d: %w", h, err)
		}
		fresh.head.Store(&got)
		if got != want {
			return fmt.Errorf("%w: replayed block %d differs: state digest %s vs stored %s, hash %s vs %s",
				protocol.ErrBadBlock, h, got.StateDigest, want.StateDigest, got.Hash, want.Hash)
		}
	}
	return nil
}

// storedBlock reads block h's header and transactions in one read transaction (replay and
// EpochAt re-execute them).
func (c *Chain) storedBlock(h uint64) (want protocol.BlockHeader, txs []*protocol.Tx, err error) {
	err = c.view(func(tx *bbolt.Tx) error {
		if want, err = loadHeader(tx, h); err != nil {
			return err
		}
		txs, err = loadBody(tx, h)
		return err
	})
	return want, txs, err
}
