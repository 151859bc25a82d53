package localchain

import (
	"context"
	"encoding/binary"
	"os"
	"runtime"
	"testing"

	"go.etcd.io/bbolt"
	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// bigNet describes a benchmark network written straight into state: nets subnets (netuids
// 2..) of neurons uids each, whose first validators uids (after the owner, uid 0) are staked,
// permitted and weight every uid of their subnet.
type bigNet struct {
	nets, neurons, validators int
	hotkeys                   [][]wallet.AccountID // per subnet, per uid
	signers                   []*wallet.Keypair    // validator key pairs when keyed
	durable                   bool                 // commit with fsync, as a node does
	dir                       string               // datadir; a temporary one when empty
}

func benchID(parts ...uint64) wallet.AccountID {
	var b []byte
	for _, p := range parts {
		b = binary.BigEndian.AppendUint64(b, p)
	}
	return blake2b.Sum256(append([]byte("sub-bench"), b...))
}

// build opens a chain and writes the network; with keyed, validators are real key pairs (funded
// for fees) so they can sign set_weights.
func (bn *bigNet) build(tb testing.TB, keyed bool) *Chain {
	tb.Helper()
	dir := bn.dir
	if dir == "" {
		dir = tb.TempDir()
	}
	c, err := Open(dir, WithNoSync(!bn.durable), WithBlockTime(0))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	if keyed {
		bn.signers = benchKeys(tb, bn.nets*bn.validators)
	}
	err = c.db.Update(func(tx *bbolt.Tx) error {
		s := newStateTx(tx)
		p, err := getSubParams(tx)
		if err != nil {
			return err
		}
		bn.hotkeys = make([][]wallet.AccountID, bn.nets)
		for k := 0; k < bn.nets; k++ {
			netuid := uint16(2 + k)
			owner := benchID(1, uint64(k))
			const seed = 1000 * protocol.RaoPerTAO
			n := newSubnet(netuid, owner, benchID(2, uint64(k), 0), 0, seed, mechanism.NewPool(seed, seed))
			n.FirstEmission = 1
			n.H.ActivityCutoffFactorMilli = 50_000
			n.H.MaxAllowedUids = uint16(bn.neurons)
			if err := mint(s, seed); err != nil {
				return err
			}
			for uid := 0; uid < bn.neurons; uid++ {
				hk := benchID(2, uint64(k), uint64(uid))
				if keyed && uid >= 1 && uid <= bn.validators {
					kp := bn.signers[k*bn.validators+uid-1]
					hk = kp.AccountID()
					if err := putAccount(s, hk, account{Free: 10 * protocol.RaoPerTAO}); err != nil {
						return err
					}
					if err := mint(s, 10*protocol.RaoPerTAO); err != nil {
						return err
					}
				}
				if uid == 0 {
					n.OwnerHotkey = hk
				}
				bn.hotkeys[k] = append(bn.hotkeys[k], hk)
				coldkey := benchID(3, uint64(k), uint64(uid))
				if uid == 0 {
					coldkey = owner
				}
				if _, err := ensureHotkey(s, hk, coldkey, p.DefaultTake); err != nil {
					return err
				}
				if err := appendNeuron(s, n, hk, 0); err != nil {
					return err
				}
			}
			for v := 1; v <= bn.validators; v++ {
				hk := bn.hotkeys[k][v]
				h, _ := getHotkey(tx, hk)
				amt := uint64(10_000+v) * protocol.RaoPerTAO // far above what miners earn, so permits stay
				if err := creditStake(s, netuid, hk, h.Owner, amt); err != nil {
					return err
				}
				n.AlphaOut += amt
				nr, err := getNeuron(tx, netuid, uint16(v))
				if err != nil {
					return err
				}
				nr.Permit, nr.LastUpdate = true, 1
				if err := putNeuron(s, netuid, uint16(v), &nr); err != nil {
					return err
				}
				if err := putRow(s, bucketWeights, netuid, uint16(v), bn.weights(k, v)); err != nil {
					return err
				}
			}
			if err := putSubnet(s, n); err != nil {
				return err
			}
		}
		return CheckInvariants(tx)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// weights is validator v's row: every uid, values by a fixed pseudo-random pattern.
func (bn *bigNet) weights(k, v int) []mechanism.UIDValue {
	vals := make([]uint16, bn.neurons)
	for j := range vals {
		vals[j] = uint16((j*7919 + v*104729 + k*31) % 65536)
	}
	up := mechanism.VecU16MaxUpscaleToU16(vals)
	row := make([]mechanism.UIDValue, bn.neurons)
	for j := range row {
		row[j] = mechanism.UIDValue{UID: uint16(j), Value: up[j]}
	}
	return row
}

// alignEpochs sets each subnet's tempo so that all of them run their epoch in block b.
func (bn *bigNet) alignEpochs(tb testing.TB, c *Chain, b uint64) {
	tb.Helper()
	err := c.db.Update(func(tx *bbolt.Tx) error {
		s := newStateTx(tx)
		for k := 0; k < bn.nets; k++ {
			n, _, err := getSubnet(tx, uint16(2+k))
			if err != nil {
				return err
			}
			n.H.Tempo = uint16(b + uint64(n.Netuid)) // (b + netuid + 1) % (tempo + 1) == 0
			if err := putSubnet(s, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkEpochBlock64x256 seals durable blocks (fsync on, as `btui node` commits) in which 64
// subnets of 256 neurons (64 staked validators weighting all 256 uids each) all run their epoch
// and distribution; the epochs run in parallel (runEpochs). In-process: the chain runs inside
// the test binary. It reports the Go heap with that network loaded; a node's memory with it is
// measured on the real binary by `btui bench advance --from DIR` (the node process's peak RSS,
// the README's node-memory row).
// Run: go test -run '^$' -bench 'EpochBlock64x256$' -benchtime 20x ./localchain/
func BenchmarkEpochBlock64x256(b *testing.B) {
	bn := &bigNet{nets: 64, neurons: 256, validators: 64, durable: true}
	c := bn.build(b, false)
	// Three warm-up epoch blocks: the first makes the bonds exist, and the next two rewrite the
	// freshly built state for the first time, splitting its pages and growing the file and the
	// freelist until freed pages are reused. A node running such a network is past them after
	// its first three epochs (whose commits take 20–30 ms more); the timed blocks are its steady state.
	for range 3 {
		bn.alignEpochs(b, c, c.Head().Height+1)
		if _, err := c.SealNow(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		next := c.Head().Height + 1
		bn.alignEpochs(b, c, next)
		b.StartTimer()
		if _, err := c.SealNow(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n, _, err := func() (*subnet, bool, error) {
		var n *subnet
		var ok bool
		err := c.view(func(tx *bbolt.Tx) error {
			var err error
			n, ok, err = getSubnet(tx, 2+63)
			return err
		})
		return n, ok, err
	}()
	if err != nil || n.EpochCount < uint64(b.N) {
		b.Fatalf("subnet 65 ran %d epochs in %d blocks (%v)", n.EpochCount, b.N, err)
	}
	if err := c.Check(); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MiB")
}

// BenchmarkAdvance7200x4x256 advances 7,200 durable blocks (fsync on) on 4 subnets of 256
// neurons (tempo 10: about 650 epochs per subnet) whose 64 validators each re-set their weights
// every 400 blocks with signed set_weights transactions (18 rounds × 256 transactions).
// In-process (the chain inside the test binary); `btui bench advance` runs the same workload.
// Run: go test -run '^$' -bench Advance7200x4x256 -benchtime 1x ./localchain/
func BenchmarkAdvance7200x4x256(b *testing.B) {
	if testing.Short() {
		b.Skip("long benchmark")
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		bn := &bigNet{nets: 4, neurons: 256, validators: 64, durable: true}
		c := bn.build(b, true)
		const rounds, every = 18, 400
		signed := make([][][]byte, rounds)
		for r := 0; r < rounds; r++ {
			for k := 0; k < bn.nets; k++ {
				for v := 1; v <= bn.validators; v++ {
					row := bn.weights(k, v+r)
					uids, vals := make([]uint16, len(row)), make([]uint16, len(row))
					for j, e := range row {
						uids[j], vals[j] = e.UID, e.Value
					}
					kp := bn.signers[k*bn.validators+v-1]
					signed[r] = append(signed[r], signTx(b, c, kp, uint64(r), 0, 0, protocol.SetWeights{Netuid: uint16(2 + k), Uids: uids, Values: vals}))
				}
			}
		}
		b.StartTimer()
		for r := 0; r < rounds; r++ {
			for _, res := range c.SubmitBatch(signed[r]) {
				if res.Err != nil {
					b.Fatal(res.Err)
				}
			}
			if _, err := c.Advance(context.Background(), every, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if h := c.Head().Height; h != rounds*every {
			b.Fatalf("head %d", h)
		}
		mg, err := c.Metagraph(2)
		if err != nil {
			b.Fatal(err)
		}
		if mg.Neurons[1].LastUpdate < (rounds-1)*every || mg.Neurons[100].Incentive == 0 {
			b.Fatalf("validators did not keep weights set: %+v", mg.Neurons[1])
		}
		if err := c.Check(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkEpochBlock64x256Exec is BenchmarkEpochBlock64x256 without the commit: the block is
// executed (block step with 64 epochs, state digest) in a write transaction that is rolled back.
// Run: go test -run '^$' -bench EpochBlock64x256Exec -benchtime 5x ./localchain/
func BenchmarkEpochBlock64x256Exec(b *testing.B) {
	bn := &bigNet{nets: 64, neurons: 256, validators: 64}
	c := bn.build(b, false)
	bn.alignEpochs(b, c, c.Head().Height+1)
	if _, err := c.SealNow(context.Background()); err != nil {
		b.Fatal(err)
	}
	bn.alignEpochs(b, c, c.Head().Height+1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tx, err := c.db.Begin(true)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := execBlock(tx, c.genesis, c.Head(), nil, fromPool); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		tx.Rollback()
		b.StartTimer()
	}
}

// BenchmarkEpoch64x256Mechanism times the 64 mechanism.Epoch calls of such a block alone, one
// after the other on one core, with inputs read from the chain's state.
// Run: go test -run '^$' -bench Epoch64x256Mechanism -benchtime 5x ./localchain/
func BenchmarkEpoch64x256Mechanism(b *testing.B) {
	bn := &bigNet{nets: 64, neurons: 256, validators: 64}
	c := bn.build(b, false)
	bn.alignEpochs(b, c, c.Head().Height+1)
	if _, err := c.SealNow(context.Background()); err != nil {
		b.Fatal(err)
	}
	var ins []mechanism.EpochInput
	for k := 0; k < bn.nets; k++ {
		in, err := c.EpochInputAt(uint16(2+k), c.Head().Height+1, 1_000_000_000)
		if err != nil {
			b.Fatal(err)
		}
		ins = append(ins, in)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, in := range ins {
			if _, err := mechanism.Epoch(in); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestBigNetDatadirFixture builds a small network the benchmarks' way and checks the chain's
// invariants and that a block with all its epochs seals. With BENCH_BIGNET_DIR set it also
// writes the 64 subnets × 256 neurons network into that (new) directory as a durable datadir,
// for measuring a real node on it (`btui bench advance --from DIR`, docs in the README's
// Benchmarks table).
func TestBigNetDatadirFixture(t *testing.T) {
	bn := &bigNet{nets: 2, neurons: 16, validators: 4}
	c := bn.build(t, false)
	bn.alignEpochs(t, c, c.Head().Height+1)
	if _, err := c.SealNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("BENCH_BIGNET_DIR")
	if dir == "" {
		return
	}
	big := &bigNet{nets: 64, neurons: 256, validators: 64, durable: true, dir: dir}
	bc := big.build(t, false)
	if err := bc.Check(); err != nil {
		t.Fatal(err)
	}
}
