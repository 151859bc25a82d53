package chainclient_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
)

// BenchmarkRPCIntake measures signed transfers per second through the node's submit_batch
// over loopback (2 client connections, batches of 1,000, from 1,000 accounts), with the
// producer sealing durable blocks every 250 ms as `btui node` does. tx/s counts transactions
// accepted by the server; included-tx/s counts them until the last one is in a block.
// In-process: the server, the chain and the clients share the test binary, the transactions
// go out as one burst and no inclusion latency is measured. `btui bench node` measures intake
// into the real binary at a fixed offered rate.
//
//	go test -run XXX -bench RPCIntake -benchtime 1x ./chainclient/
func BenchmarkRPCIntake(b *testing.B) {
	const accounts, perAccount, batch, conns = 1000, 20, 1000, 2
	keys := loadKeys(b, "bench-senders", accounts)
	sink := loadKeys(b, "bench-sink", 1)[0]
	for b.Loop() {
		b.StopTimer()
		chain, err := localchain.Open(b.TempDir(), localchain.WithGenesis(loadGenesis(keys, 1_000*protocol.RaoPerTAO)))
		if err != nil {
			b.Fatal(err)
		}
		if err := chain.Start(); err != nil {
			b.Fatal(err)
		}
		srv, url := serveNode(b, chain, rpcserver.Options{})
		_ = srv
		gh := chain.GenesisHash()
		// Round-robin over accounts so each batch holds one nonce per account.
		txs := make([][]byte, 0, accounts*perAccount)
		hashes := make([]protocol.TxHash, 0, accounts*perAccount)
		for n := range uint64(perAccount) {
			for _, kp := range keys {
				tx := protocol.NewTx(gh, protocol.Transfer{To: sink.AccountID(), Amount: 1_000_000}, kp.AccountID(), n, 0, 0)
				if err := tx.Sign(kp); err != nil {
					b.Fatal(err)
				}
				txs = append(txs, tx.Encode())
				hashes = append(hashes, tx.Hash())
			}
		}
		clients := make([]*chainclient.Remote, conns)
		for i := range clients {
			clients[i] = newRemote(b, url)
		}
		ctx := context.Background()
		b.StartTimer()
		start := time.Now()
		// Batches go out in order per connection pair: batch k holds nonce k/… of every account,
		// so two connections work on consecutive batches.
		var wg sync.WaitGroup
		var mu sync.Mutex
		next := 0
		for i := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					mu.Lock()
					off := next
					next += batch
					mu.Unlock()
					if off >= len(txs) {
						return
					}
					res, err := clients[i].SubmitBatch(ctx, txs[off:min(off+batch, len(txs))])
					if err != nil {
						b.Error(err)
						return
					}
					for _, r := range res {
						if r.Err != nil {
							b.Error(r.Err)
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		accepted := time.Since(start)
		if _, err := clients[0].WaitTx(ctx, hashes[len(hashes)-1]); err != nil {
			b.Fatal(err)
		}
		included := time.Since(start)
		b.StopTimer()
		b.ReportMetric(float64(len(txs))/accepted.Seconds(), "tx/s")
		b.ReportMetric(float64(len(txs))/included.Seconds(), "included-tx/s")
		chain.Stop()
		if a, _ := chain.Account(sink.AccountID()); a.Free != uint64(len(txs))*1_000_000 {
			b.Fatalf("sink holds %d", a.Free)
		}
		b.StartTimer()
	}
}

// BenchmarkHeadLatency measures the time from sealing a durable block (fsync on, as `btui node`
// commits) to its head arriving at a remote subscriber over loopback (server-sent events), and
// reports p50 and p99. The clock starts before SealNow, so it includes executing and committing
// the (empty) block: an upper bound of commit→client. In-process: server, chain and
// subscriber share the test binary.
//
//	go test -run '^$' -bench HeadLatency -benchtime 1000x ./chainclient/
func BenchmarkHeadLatency(b *testing.B) {
	chain, err := localchain.Open(b.TempDir(), localchain.WithBlockTime(0))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { chain.Close() })
	_, url := serveNode(b, chain, rpcserver.Options{})
	r := newRemote(b, url)
	ctx := context.Background()
	sub, err := r.Subscribe(ctx, chainclient.SubscribeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Cancel()
	lat := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		hdr, err := chain.SealNow(ctx)
		if err != nil {
			b.Fatal(err)
		}
		ev := <-sub.C
		if ev.Header.Height != hdr.Height {
			b.Fatalf("got head %d, sealed %d", ev.Header.Height, hdr.Height)
		}
		lat = append(lat, time.Since(start))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
	}
}
