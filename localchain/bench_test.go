package localchain

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// benchKeys derives n deterministic test keys.
func benchKeys(tb testing.TB, n int) []*wallet.Keypair {
	tb.Helper()
	out := make([]*wallet.Keypair, n)
	for i := range out {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(i))
		seed := blake2b.Sum256(append([]byte("localchain-bench-key"), b[:]...))
		kp, err := wallet.FromSeed(seed[:])
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = kp
	}
	return out
}

// genesisWith returns the devnet genesis plus the given accounts holding free rao each.
func genesisWith(keys []*wallet.Keypair, free uint64) *protocol.Genesis {
	g := protocol.DevnetGenesis()
	for _, k := range keys {
		g.Accounts = append(g.Accounts, protocol.GenesisAccount{Address: k.AccountID(), Free: free})
	}
	return g
}

// signTransfers pre-signs rounds × len(keys) transfers, round-major (nonce r of every
// account, then nonce r+1), key i paying key i+1, on all cores.
func signTransfers(tb testing.TB, gh protocol.Hash, keys []*wallet.Keypair, rounds int) [][]byte {
	tb.Helper()
	n := len(keys)
	out := make([][]byte, rounds*n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j := int(next.Add(1) - 1)
				if j >= len(out) {
					return
				}
				r, i := j/n, j%n
				tx := protocol.NewTx(gh, protocol.Transfer{To: keys[(i+1)%n].AccountID(), Amount: protocol.RaoPerTAO}, keys[i].AccountID(), uint64(r), 0, 0)
				if err := tx.Sign(keys[i]); err != nil {
					panic(err)
				}
				out[j] = tx.Encode()
			}
		}()
	}
	wg.Wait()
	return out
}

// runIntake submits txs into a chain producing durable 250 ms blocks, at rate tx/s (0 = as
// fast as possible) from 4 submitters using SubmitBatch chunks of 64, and reports throughput
// (submit of the first to inclusion of the last) and the submit→inclusion latency.
// In-process: the submitters call SubmitBatch in the same process, with no HTTP, decoding of
// requests or separate load generator; `btui bench node` measures intake over HTTP to the real
// binary.
func runIntake(b *testing.B, rate float64) {
	const accounts = 1000
	keys := benchKeys(b, accounts)
	rounds := max((b.N+accounts-1)/accounts, 1)
	dir := b.TempDir()
	c, err := Open(dir, WithGenesis(genesisWith(keys, 1_000*protocol.RaoPerTAO)), WithBlockTime(DefaultBlockTime))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	txs := signTransfers(b, c.GenesisHash(), keys, rounds)
	index := make(map[protocol.TxHash]int, len(txs))
	for i, raw := range txs {
		t, _ := protocol.DecodeTx(raw)
		index[t.Hash()] = i
	}
	submitted := make([]atomic.Int64, len(txs))
	latency := make([]time.Duration, len(txs))
	var included atomic.Int64
	var blocks atomic.Int64
	allIn := make(chan struct{})
	var lastCommit, maxGap int64 // only touched by the producer goroutine until allIn
	c.onCommit = func(res *blockResult) {
		now := time.Now().UnixNano()
		if lastCommit != 0 && now-lastCommit > maxGap {
			maxGap = now - lastCommit
		}
		lastCommit = now
		if len(res.txs) > 0 {
			blocks.Add(1)
		}
		for _, t := range res.txs {
			i := index[t.Hash()]
			latency[i] = time.Duration(now - submitted[i].Load())
		}
		if len(res.txs) > 0 && included.Add(int64(len(res.txs))) == int64(len(txs)) {
			close(allIn)
		}
	}
	if err := c.Start(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var rejected atomic.Int64
	var wg sync.WaitGroup
	const chunk = 64
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(chunk) - chunk)
				if lo >= len(txs) {
					return
				}
				hi := min(lo+chunk, len(txs))
				if rate > 0 {
					due := start.Add(time.Duration(float64(hi) / rate * float64(time.Second)))
					if d := time.Until(due); d > 0 {
						time.Sleep(d)
					}
				}
				now := time.Now().UnixNano()
				for i := lo; i < hi; i++ {
					submitted[i].Store(now)
				}
				for _, r := range c.SubmitBatch(txs[lo:hi]) {
					if r.Err != nil {
						rejected.Add(1)
						b.Errorf("submit: %v", r.Err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if rejected.Load() > 0 {
		b.FailNow()
	}
	select {
	case <-allIn:
	case <-time.After(2 * time.Minute):
		b.Fatalf("only %d of %d transactions included", included.Load(), len(txs))
	}
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(latency)
	p := func(q float64) float64 {
		return float64(latency[int(q*float64(len(latency)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(len(txs))/elapsed.Seconds(), "tx/s")
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
	b.ReportMetric(p(0.99)/float64(DefaultBlockTime/time.Millisecond), "p99-blocks")
	b.ReportMetric(float64(len(txs))/float64(max(blocks.Load(), 1)), "tx/block")
	b.ReportMetric(float64(maxGap)/float64(time.Millisecond), "max-block-gap-ms")
	if err := c.Check(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkIntakeMax: 1,000 accounts submitting signed transfers as fast as possible
// (in-process, see runIntake).
// Run: go test -run '^$' -bench IntakeMax -benchtime 30000x ./localchain/
func BenchmarkIntakeMax(b *testing.B) { runIntake(b, 0) }

// BenchmarkIntake6000: the same at a steady 6,000 tx/s (in-process, see runIntake).
// Run: go test -run '^$' -bench Intake6000 -benchtime 30000x ./localchain/
func BenchmarkIntake6000(b *testing.B) { runIntake(b, 6000) }

// BenchmarkIntake7000 offers 7,000 signed transfers/s: sustained intake above the 6,000 tx/s
// target, with the p99 submit-to-inclusion time in blocks (in-process, see runIntake).
func BenchmarkIntake7000(b *testing.B) { runIntake(b, 7000) }

// BenchmarkAdvance7200 advances 7,200 empty blocks (durable) and reports the file bytes added
// per empty block.
// Run: go test -run '^$' -bench Advance7200 -benchtime 3x ./localchain/
func BenchmarkAdvance7200(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		c, err := Open(dir, WithBlockTime(0))
		if err != nil {
			b.Fatal(err)
		}
		// Warm up the file so growth reflects steady state, not the first pages.
		if _, err := c.Advance(context.Background(), 1000, nil); err != nil {
			b.Fatal(err)
		}
		st0, _ := os.Stat(filepath.Join(dir, dbFileName))
		b.StartTimer()
		if _, err := c.Advance(context.Background(), 7200, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st1, _ := os.Stat(filepath.Join(dir, dbFileName))
		if _, err := c.Advance(context.Background(), 72000, nil); err != nil {
			b.Fatal(err)
		}
		st2, _ := os.Stat(filepath.Join(dir, dbFileName))
		b.ReportMetric(float64(st1.Size()-st0.Size())/7200, "file-B/block(7200)")
		b.ReportMetric(float64(st2.Size()-st1.Size())/72000, "file-B/block(72000)")
		c.Close()
		b.StartTimer()
	}
}

// BenchmarkSealBlock1500 times sealing one durable block of 1,500 pending transfers from 1,000
// accounts (execution, indexes, commit with fsync).
// Run: go test -run '^$' -bench SealBlock1500 -benchtime 10x ./localchain/
func BenchmarkSealBlock1500(b *testing.B) {
	const accounts, perBlock = 1000, 1500
	keys := benchKeys(b, accounts)
	c, err := Open(b.TempDir(), WithGenesis(genesisWith(keys, 1_000*protocol.RaoPerTAO)), WithBlockTime(0))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	rounds := (b.N*perBlock+accounts-1)/accounts + 1
	txs := signTransfers(b, c.GenesisHash(), keys, rounds)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for _, r := range c.SubmitBatch(txs[i*perBlock : (i+1)*perBlock]) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		b.StartTimer()
		h, err := c.SealNow(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if h.TxCount != perBlock {
			b.Fatalf("block holds %d txs", h.TxCount)
		}
	}
}

// BenchmarkSealBlock1500Grown times durable blocks of 1,500 pending transfers from 1,000
// accounts on a chain that already holds 100 such blocks (150,000 transactions: the state of a
// 25 s run at 6,000 tx/s), the block that decides the p99 of `btui bench node`. It reports
// publish-ms (selection to the block committed and published, what every included
// transaction waits for) and index-ms (the tx index and history writes that follow the block,
// txindex.go); ns/op is their sum.
// Run: go test -run '^$' -bench SealBlock1500Grown -benchtime 20x ./localchain/
func BenchmarkSealBlock1500Grown(b *testing.B) {
	const accounts, perBlock, grown = 1000, 1500, 100
	keys := benchKeys(b, accounts)
	c, err := Open(b.TempDir(), WithGenesis(genesisWith(keys, 1_000*protocol.RaoPerTAO)), WithBlockTime(0))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	blocks := grown + b.N
	txs := signTransfers(b, c.GenesisHash(), keys, (blocks*perBlock+accounts-1)/accounts+1)
	var published time.Time
	c.onCommit = func(*blockResult) { published = time.Now() }
	var publish, index time.Duration
	b.ResetTimer()
	b.StopTimer()
	for i := 0; i < blocks; i++ {
		for _, r := range c.SubmitBatch(txs[i*perBlock : (i+1)*perBlock]) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		timed := i >= grown
		if timed {
			b.StartTimer()
		}
		start := time.Now()
		h, err := c.SealNow(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if timed {
			b.StopTimer()
			publish += published.Sub(start)
			index += time.Since(published)
		}
		if h.TxCount != perBlock {
			b.Fatalf("block holds %d txs", h.TxCount)
		}
	}
	b.ReportMetric(float64(publish.Microseconds())/1000/float64(b.N), "publish-ms")
	b.ReportMetric(float64(index.Microseconds())/1000/float64(b.N), "index-ms")
}

// BenchmarkCheckTxParallel measures the stateless checks (decode + signature recovery) per
// transaction on all cores: the ceiling of intake.
// Run: go test -run '^$' -bench CheckTxParallel ./localchain/
func BenchmarkCheckTxParallel(b *testing.B) {
	keys := benchKeys(b, 64)
	c, err := Open(b.TempDir(), WithGenesis(genesisWith(keys, 1_000*protocol.RaoPerTAO)), WithBlockTime(0), WithNoSync(true))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	txs := signTransfers(b, c.GenesisHash(), keys, 4)
	b.ResetTimer()
	var i atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.checkStateless(txs[int(i.Add(1))%len(txs)]); err != nil {
				b.Error(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}
