package localchain

import (
	"errors"
	"testing"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// TestPoolRefusesANonceReadBeforeAnAppliedBlock replays the interleaving that left a
// transaction stuck behind a nonce already used: a submitter reads the account nonce (11) at
// block 10; block 11 then includes nonce 11, which empties the account's queue (and with it
// the pool's newer nonce); the submitter's nonce 12 arrives with the stale 11. The pool must
// send it back for a fresh read instead of queueing it behind nonce 11 until eviction.
func TestPoolRefusesANonceReadBeforeAnAppliedBlock(t *testing.T) {
	seed := [32]byte{1}
	kp, err := wallet.FromSeed(seed[:])
	if err != nil {
		t.Fatal(err)
	}
	var gh protocol.Hash
	mk := func(nonce uint64) *protocol.Tx {
		tx := protocol.NewTx(gh, protocol.Transfer{To: kp.AccountID(), Amount: 1}, kp.AccountID(), nonce, 0, 0)
		if err := tx.Sign(kp); err != nil {
			t.Fatal(err)
		}
		return tx
	}
	p := newMempool(100, 1<<20)
	t11, t12 := mk(11), mk(12)
	if err := p.add(t11, 11, 10, 10); err != nil {
		t.Fatal(err)
	}
	res := &blockResult{
		header: protocol.BlockHeader{Height: 11},
		txs:    []*protocol.Tx{t11},
		nonces: map[wallet.AccountID]uint64{kp.AccountID(): 12},
	}
	p.update(res)
	if err := p.add(t12, 11, 10, 11); !errors.Is(err, errStaleRead) {
		t.Fatalf("add with a nonce read at block 10 after block 11 applied: %v, want errStaleRead", err)
	}
	// Read again at block 11: nonce 12 is ready at once.
	if err := p.add(t12, 12, 11, 11); err != nil {
		t.Fatal(err)
	}
	if got := p.selectReady(10, 1<<20); len(got) != 1 || got[0].Nonce != 12 {
		t.Fatalf("ready after a fresh read: %v", got)
	}
	// While the pool still tracks the account, its own base covers a stale read.
	t13 := mk(13)
	if err := p.add(t13, 11, 10, 11); err != nil {
		t.Fatalf("stale read for a tracked account: %v", err)
	}
}
