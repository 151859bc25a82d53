package localchain

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// devKeys returns the six dev keypairs by name.
func devKeys(t testing.TB) map[string]*wallet.Keypair {
	t.Helper()
	out := map[string]*wallet.Keypair{}
	for _, n := range wallet.DevNames() {
		kp, err := wallet.Dev(n)
		if err != nil {
			t.Fatal(err)
		}
		out[n] = kp
	}
	return out
}

// openTest opens a fresh on-demand chain in a temp dir, closed at cleanup.
func openTest(t testing.TB, opts ...Option) *Chain {
	t.Helper()
	c, err := Open(t.TempDir(), append([]Option{WithNoSync(true), WithBlockTime(0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// signTx builds and signs a transaction.
func signTx(t testing.TB, c *Chain, kp *wallet.Keypair, nonce, tip, expiry uint64, call protocol.Call) []byte {
	t.Helper()
	tx := protocol.NewTx(c.GenesisHash(), call, kp.AccountID(), nonce, tip, expiry)
	if err := tx.Sign(kp); err != nil {
		t.Fatal(err)
	}
	return tx.Encode()
}

// seal seals one block and checks the invariants.
func seal(t testing.TB, c *Chain) protocol.BlockHeader {
	t.Helper()
	h, err := c.SealNow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, c)
	return h
}

func mustCheck(t testing.TB, c *Chain) {
	t.Helper()
	if err := c.view(func(tx *bbolt.Tx) error { return CheckInvariants(tx) }); err != nil {
		t.Fatalf("invariants after block %d: %v", c.Head().Height, err)
	}
}

func balance(t testing.TB, c *Chain, id wallet.AccountID) protocol.AccountInfo {
	t.Helper()
	a, err := c.Account(id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func wantCode(t testing.TB, err error, code protocol.Code) {
	t.Helper()
	got, ok := protocol.CodeOf(err)
	if !ok || got != code {
		t.Fatalf("error %v: want code %s, got %v (%v)", err, code, got, ok)
	}
}

func waitCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

type bboltTx = bbolt.Tx

func (c *Chain) waiterCount() int {
	c.waitMu.Lock()
	defer c.waitMu.Unlock()
	return len(c.waiters)
}

// sumFree returns Σ free balances: the part of total issuance the core modules account for
// (modules such as subtensor hold and mint the rest, e.g. block emission into pools).
func sumFree(t testing.TB, c *Chain) uint64 {
	t.Helper()
	var sum uint64
	err := c.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketAccounts).ForEach(func(_, v []byte) error {
			sum += binary.BigEndian.Uint64(v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}
