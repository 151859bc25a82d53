package localchain

import (
	"bytes"
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// A neuron record decodes in place exactly as field by field, and a record of another length
// still fails as before.
func TestNeuronRecordFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		var n neuron
		for j := range n.Hotkey {
			n.Hotkey[j] = byte(rng.Uint32())
		}
		n.RegisteredAt, n.LastUpdate = rng.Uint64(), rng.Uint64()
		n.Axon = axon{Block: rng.Uint64(), Version: rng.Uint32(), Port: uint16(rng.Uint32()), IPType: byte(rng.Uint32()), Protocol: byte(rng.Uint32())}
		for j := range n.Axon.IP {
			n.Axon.IP[j] = byte(rng.Uint32())
		}
		b := n.encode()
		if len(b) != neuronSize {
			t.Fatalf("record of %d bytes, want %d", len(b), neuronSize)
		}
		fast, err := decodeNeuron(b)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := decodeNeuronFields(b)
		if err != nil || fast != slow || fast != n {
			t.Fatalf("in place %+v, field by field %+v (%v), encoded %+v", fast, slow, err, n)
		}
		if _, err := decodeNeuron(b[:len(b)-1]); err == nil {
			t.Fatal("a short record decoded")
		}
		if _, err := decodeNeuron(append(b, 0)); err == nil {
			t.Fatal("a record with a trailing byte decoded")
		}
	}
}

// readHotkeys finds every hotkey that has a record, in any order and with repeats, whether it
// steps or seeks to it, and reports the ones that have none.
func TestReadHotkeysWalk(t *testing.T) {
	bn := &bigNet{nets: 4, neurons: 900, validators: 2}
	c := bn.build(t, false)
	tx, err := c.db.Begin(false)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var keys []wallet.AccountID
	for k := range bn.hotkeys {
		for uid := 0; uid < len(bn.hotkeys[k]); uid += 1 + uid%3 { // gaps of every size
			keys = append(keys, bn.hotkeys[k][uid])
		}
	}
	keys = append(keys, keys[:50]...)                                   // repeats
	keys = append(keys, benchID(99, 1), benchID(99, 2), benchID(99, 3)) // no record
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	got := make([]hotkeyInfo, len(keys))
	ok := make([]bool, len(keys))
	wants := make([]hotkeyWant, len(keys))
	for i, hk := range keys {
		wants[i] = hotkeyWant{hk: hk, dst: &got[i], ok: &ok[i]}
	}
	readHotkeys(tx, wants)
	missing := 0
	for i, hk := range keys {
		want, wantOK := getHotkey(tx, hk)
		if ok[i] != wantOK || got[i] != want {
			t.Fatalf("hotkey %s: walk %+v %v, lookup %+v %v", hk, got[i], ok[i], want, wantOK)
		}
		if !wantOK {
			missing++
		}
		if wantOK && bytes.Equal(want.Owner[:], make([]byte, 32)) {
			t.Fatalf("hotkey %s has no owner", hk)
		}
	}
	if missing != 3 || len(keys) < 2048 {
		t.Fatalf("%d hotkeys without a record of %d looked up", missing, len(keys))
	}
}

// Crediting share pools through poolCache leaves the database and the write set (so the state
// digest) exactly as crediting them record by record: existing and new pools, the hotkey
// owner's and nominators' positions, deposits large enough to rescale a pool's shares, pools
// without shares, and a pool emptied again (written, then deleted).
func TestPoolCacheMatchesRecordByRecord(t *testing.T) {
	type op struct {
		hk, ck wallet.AccountID
		amount uint64
		kind   int // 0 creditStake, 1 creditHotkeyPool, 2 empty the pool
	}
	bn := &bigNet{nets: 1, neurons: 40, validators: 6}
	var ops []op
	rng := rand.New(rand.NewPCG(7, 8))
	run := func(cached bool) (protocol.Hash, map[string]string) {
		c := bn.build(t, false)
		const netuid = 2
		if ops == nil {
			for i := 0; i < 400; i++ {
				hk := bn.hotkeys[0][rng.IntN(len(bn.hotkeys[0]))]
				if rng.IntN(10) == 0 {
					hk = benchID(77, uint64(rng.IntN(3))) // no neuron, no hotkey record
				}
				ck := benchID(3, 0, uint64(rng.IntN(len(bn.hotkeys[0]))))
				amount := uint64(rng.IntN(1_000_000))
				if rng.IntN(8) == 0 {
					amount <<= 30 // rescales the pool's shares
				}
				ops = append(ops, op{hk: hk, ck: ck, amount: amount, kind: rng.IntN(5) % 3})
			}
			ops = append(ops, op{hk: benchID(78), ck: benchID(79), amount: 5}, op{hk: benchID(78), kind: 2}) // created, emptied
		}
		var digest protocol.Hash
		err := c.db.Update(func(tx *bbolt.Tx) error {
			s := newStateTx(tx)
			var pc *poolCache
			if cached {
				var err error
				if pc, err = loadPoolCache(s, netuid, 8); err != nil {
					return err
				}
			}
			for _, o := range ops {
				var err error
				switch {
				case o.kind == 0 && cached:
					err = pc.creditStake(o.hk, o.ck, o.amount)
				case o.kind == 0:
					err = creditStake(s, netuid, o.hk, o.ck, o.amount)
				case o.kind == 1 && cached:
					pc.creditHotkeyPool(o.hk, o.amount)
				case o.kind == 1:
					_, err = creditHotkeyPool(s, netuid, o.hk, o.amount)
				case cached:
					e, p := pc.load(o.hk)
					p.Value, p.Shares = 0, 0
					e.put(p)
				default:
					p := loadHotPool(tx, netuid, o.hk)
					p.Value, p.Shares = 0, 0
					err = putHotPool(s, netuid, o.hk, p)
				}
				if err != nil {
					return err
				}
			}
			if cached {
				if err := pc.flush(); err != nil {
					return err
				}
			}
			var err error
			digest, err = stateDigest(s, protocol.Hash{}, 1)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		records := map[string]string{}
		if err := c.view(func(tx *bbolt.Tx) error {
			for _, name := range [][]byte{bucketHotAlpha, bucketShares} {
				if err := tx.Bucket(name).ForEach(func(k, v []byte) error {
					records[string(name)+string(k)] = string(v)
					return nil
				}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return digest, records
	}
	d1, r1 := run(false)
	d2, r2 := run(true)
	if d1 != d2 {
		t.Fatalf("write-set digest %s record by record, %s through the cache", d1, d2)
	}
	if len(r1) != len(r2) {
		t.Fatalf("%d records record by record, %d through the cache", len(r1), len(r2))
	}
	for k, v := range r1 {
		if r2[k] != v {
			t.Fatalf("record %x differs", k)
		}
	}
}

// sortParallel sorts like slices.SortFunc for any number of pieces, including more pieces than
// elements, and keeps equal elements in a valid order.
func TestSortParallel(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	for _, n := range []int{0, 1, 2, 3, 7, 100, 1025, 5000} {
		for parts := 1; parts <= 9; parts++ {
			s := make([]int, n)
			for i := range s {
				s[i] = r.IntN(n/2 + 1) // repeats
			}
			want := slices.Clone(s)
			slices.Sort(want)
			got := sortParallel(s, parts, cmp.Compare[int])
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d parts=%d: not sorted", n, parts)
			}
		}
	}
}
