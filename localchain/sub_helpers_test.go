package localchain

import (
	"context"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// subHarness drives a chain for the subtensor tests: it signs with named keys (the dev keys and
// any "//Name//path" derivation), seals blocks on demand and checks every invariant after each
// block.
type subHarness struct {
	t    testing.TB
	c    *Chain
	keys map[string]*wallet.Keypair
}

func newSubHarness(t testing.TB, opts ...Option) *subHarness {
	t.Helper()
	return &subHarness{t: t, c: openTest(t, opts...), keys: map[string]*wallet.Keypair{}}
}

// key returns the key pair of a dev name ("Alice") or a secret URI path ("//Alice//v1").
func (h *subHarness) key(name string) *wallet.Keypair {
	h.t.Helper()
	if kp, ok := h.keys[name]; ok {
		return kp
	}
	suri := name
	if name[0] != '/' {
		suri = "//" + name
	}
	kp, err := wallet.FromSURI(suri)
	if err != nil {
		h.t.Fatal(err)
	}
	h.keys[name] = kp
	return kp
}

func (h *subHarness) id(name string) wallet.AccountID { return h.key(name).AccountID() }

// submit signs call with the named key at its next nonce and adds it to the pool.
func (h *subHarness) submit(signer string, call protocol.Call) protocol.TxHash {
	h.t.Helper()
	kp := h.key(signer)
	nonce, err := h.c.NextNonce(kp.AccountID())
	if err != nil {
		h.t.Fatal(err)
	}
	hash, err := h.c.Submit(signTx(h.t, h.c, kp, nonce, 0, 0, call))
	if err != nil {
		h.t.Fatalf("submit %s by %s: %v", call.CallName(), signer, err)
	}
	return hash
}

// seal seals one block and checks the invariants.
func (h *subHarness) seal() protocol.BlockHeader {
	h.t.Helper()
	return seal(h.t, h.c)
}

// advance seals n blocks, checking the invariants after each.
func (h *subHarness) advance(n int) {
	h.t.Helper()
	for i := 0; i < n; i++ {
		h.seal()
	}
}

// receipt returns an included transaction's receipt.
func (h *subHarness) receipt(hash protocol.TxHash) *protocol.TxInfo {
	h.t.Helper()
	info, err := h.c.Tx(hash)
	if err != nil {
		h.t.Fatal(err)
	}
	return info
}

// do submits one call, seals it and returns the included transaction.
func (h *subHarness) do(signer string, call protocol.Call) *protocol.TxInfo {
	h.t.Helper()
	hash := h.submit(signer, call)
	h.seal()
	return h.receipt(hash)
}

// ok runs a call that must succeed.
func (h *subHarness) ok(signer string, call protocol.Call) *protocol.TxInfo {
	h.t.Helper()
	info := h.do(signer, call)
	if !info.Receipt.OK() {
		h.t.Fatalf("%s by %s failed: %s (%s)", call.CallName(), signer, info.Receipt.CodeName, info.Receipt.Message)
	}
	return info
}

// fund transfers amount rao from Alice to each named account, in one block.
func (h *subHarness) fund(amount uint64, names ...string) {
	h.t.Helper()
	var hashes []protocol.TxHash
	for _, n := range names {
		hashes = append(hashes, h.submit("Alice", protocol.Transfer{To: h.id(n), Amount: amount}))
	}
	h.seal()
	for _, hash := range hashes {
		if r := h.receipt(hash).Receipt; !r.OK() {
			h.t.Fatalf("fund: %s", r.Message)
		}
	}
}

// stake returns the alpha a coldkey holds on a hotkey in a subnet.
func (h *subHarness) stake(netuid uint16, hotkey, coldkey string) uint64 {
	h.t.Helper()
	var v uint64
	if err := h.c.view(func(tx *bbolt.Tx) error {
		v = stakeOf(tx, netuid, h.id(hotkey), h.id(coldkey))
		return nil
	}); err != nil {
		h.t.Fatal(err)
	}
	return v
}

// subnet returns the stored subnet record.
func (h *subHarness) subnet(netuid uint16) *subnet {
	h.t.Helper()
	var n *subnet
	if err := h.c.view(func(tx *bbolt.Tx) error {
		var err error
		n, err = viewSubnet(tx, netuid)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// untilEpoch seals blocks until the block before netuid's next epoch is the head, so the next
// seal runs the epoch; it returns that epoch block.
func (h *subHarness) untilEpoch(netuid uint16) uint64 {
	h.t.Helper()
	si, err := h.c.Subnet(netuid)
	if err != nil {
		h.t.Fatal(err)
	}
	for h.c.Head().Height+1 < si.NextEpochBlock {
		h.seal()
	}
	return si.NextEpochBlock
}

// stateDump returns every key and value of the state buckets.
func (h *subHarness) stateDump() map[string]string {
	h.t.Helper()
	out := map[string]string{}
	err := h.c.view(func(tx *bbolt.Tx) error {
		for _, b := range registry().buckets {
			if err := tx.Bucket(b).ForEach(func(k, v []byte) error {
				out[string(b)+"/"+string(k)] = string(v)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

func bg() context.Context { return context.Background() }
