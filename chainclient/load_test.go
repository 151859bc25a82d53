package chainclient_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// loadKeys derives n deterministic test keys (from seeds, not mnemonics: fast).
func loadKeys(t testing.TB, tag string, n int) []*wallet.Keypair {
	t.Helper()
	out := make([]*wallet.Keypair, n)
	for i := range out {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(i))
		seed := blake2b.Sum256(append([]byte(tag), b[:]...))
		kp, err := wallet.FromSeed(seed[:])
		if err != nil {
			t.Fatal(err)
		}
		out[i] = kp
	}
	return out
}

// loadGenesis is the devnet genesis plus the given accounts, each holding free rao.
func loadGenesis(keys []*wallet.Keypair, free uint64) *protocol.Genesis {
	g := protocol.DevnetGenesis()
	for i, kp := range keys {
		g.Accounts = append(g.Accounts, protocol.GenesisAccount{Name: fmt.Sprintf("load%d", i), Address: kp.AccountID(), Free: free})
	}
	return g
}

// TestLoadEightClientsThroughNode: 8 clients each submit 1,000 signed transfers (in batches,
// from their own accounts) to a node on loopback whose producer runs; every transaction must
// be included exactly once, with a success receipt, and the balances and issuance must add up.
func TestLoadEightClientsThroughNode(t *testing.T) {
	const clients = 8
	perClient := 1000
	switch {
	case testing.Short():
		perClient = 100
	case raceEnabled && os.Getenv("BTUI_LONG") == "":
		// The race detector slows signature checks about tenfold; BTUI_LONG=1 runs the full
		// size under -race too.
		perClient = 250
	}
	const accountsPerClient = 16 // each account's nonces stay within the pool's future window
	const amount = 1_000_000     // rao
	keys := loadKeys(t, "load-senders", clients*accountsPerClient)
	sinks := loadKeys(t, "load-sinks", clients)
	const initial = 1_000 * protocol.RaoPerTAO
	chain := openChain(t, localchain.WithGenesis(loadGenesis(keys, initial)))
	if err := chain.SetBlockTime(50 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := chain.Start(); err != nil {
		t.Fatal(err)
	}
	_, url := serveNode(t, chain, rpcserver.Options{})
	info0, _ := chain.Info()
	gh := chain.GenesisHash()

	// Sign everything up front (clients sign locally; only bytes reach the node).
	type job struct {
		txs    [][]byte
		hashes []protocol.TxHash
	}
	jobs := make([]job, clients)
	for c := range clients {
		for i := range perClient {
			kp := keys[c*accountsPerClient+i%accountsPerClient]
			tx := protocol.NewTx(gh, protocol.Transfer{To: sinks[c].AccountID(), Amount: amount}, kp.AccountID(), uint64(i/accountsPerClient), 0, 0)
			if err := tx.Sign(kp); err != nil {
				t.Fatal(err)
			}
			jobs[c].txs = append(jobs[c].txs, tx.Encode())
			jobs[c].hashes = append(jobs[c].hashes, tx.Hash())
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := chainclient.NewRemote(url)
			if err != nil {
				errs <- err
				return
			}
			defer r.Close()
			const batch = 100
			for off := 0; off < perClient; off += batch {
				end := min(off+batch, perClient)
				res, err := r.SubmitBatch(ctx, jobs[c].txs[off:end])
				if err != nil {
					errs <- fmt.Errorf("client %d: %w", c, err)
					return
				}
				for i, sr := range res {
					if sr.Err != nil || sr.Hash != jobs[c].hashes[off+i] {
						errs <- fmt.Errorf("client %d tx %d: %v (hash %s)", c, off+i, sr.Err, sr.Hash)
						return
					}
				}
			}
			for i, h := range jobs[c].hashes {
				info, err := r.WaitTx(ctx, h)
				if err != nil {
					errs <- fmt.Errorf("client %d wait tx %d: %w", c, i, err)
					return
				}
				if !info.Receipt.OK() {
					errs <- fmt.Errorf("client %d tx %d failed: %s", c, i, info.Receipt.Message)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	chain.Stop()

	// Every transaction included exactly once, nothing else included.
	want := map[protocol.TxHash]bool{}
	for _, j := range jobs {
		for _, h := range j.hashes {
			want[h] = true
		}
	}
	seen := map[protocol.TxHash]int{}
	head := chain.Head().Height
	for h := uint64(1); h <= head; h++ {
		b, err := chain.Block(h)
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range b.Txs {
			seen[tx.Hash]++
			if !want[tx.Hash] {
				t.Fatalf("block %d holds unexpected tx %s", h, tx.Hash)
			}
		}
	}
	if len(seen) != clients*perClient {
		t.Fatalf("%d distinct transactions included, want %d", len(seen), clients*perClient)
	}
	for h, n := range seen {
		if n != 1 {
			t.Fatalf("tx %s included %d times", h, n)
		}
	}
	// Invariants and balances.
	if err := chain.Check(); err != nil {
		t.Fatal(err)
	}
	perAccount := uint64(perClient / accountsPerClient)
	for c := range clients {
		for a := range accountsPerClient {
			n := perAccount
			if a < perClient%accountsPerClient {
				n++
			}
			acct, _ := chain.Account(keys[c*accountsPerClient+a].AccountID())
			if acct.Nonce != n || acct.Free != initial-n*(amount+info0.TxFee) {
				t.Fatalf("client %d account %d: %+v after %d transfers", c, a, acct, n)
			}
		}
		sink, _ := chain.Account(sinks[c].AccountID())
		if sink.Free != uint64(perClient)*amount {
			t.Fatalf("sink %d holds %d", c, sink.Free)
		}
	}
	// Fees are burned: the receipts account for exactly one fee per transfer (the issuance
	// invariant checked above accounts for the burn and for block emission).
	var fees uint64
	for h := uint64(1); h <= head; h++ {
		b, _ := chain.Block(h)
		for _, tx := range b.Txs {
			fees += tx.Receipt.Fee + tx.Receipt.Tip
		}
	}
	if fees != uint64(clients*perClient)*info0.TxFee {
		t.Fatalf("receipts burned %d rao in fees, want %d", fees, uint64(clients*perClient)*info0.TxFee)
	}
}
