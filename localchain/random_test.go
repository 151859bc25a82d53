package localchain

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// model is an independent re-statement of the balances rules, applied to each block's
// included transactions to predict receipts and balances. issuance is the free-balance side
// of total issuance (what the core mints and burns); modules' holdings are not modelled.
type model struct {
	free     map[wallet.AccountID]uint64
	nonce    map[wallet.AccountID]uint64
	issuance uint64
	sudo     wallet.AccountID
	p        protocol.Params
}

func (m *model) apply(t *testing.T, tx protocol.TxInfo, call protocol.Call) protocol.Code {
	t.Helper()
	s := tx.Signer
	if m.nonce[s] != tx.Nonce {
		t.Fatalf("included tx %s has nonce %d, model expects %d", tx.Hash, tx.Nonce, m.nonce[s])
	}
	cost := protocol.FeeFor(call.CallName(), s == m.sudo, m.p.TxFee) + tx.Tip
	if cost > 0 && m.free[s] < cost+m.p.ExistentialDeposit {
		t.Fatalf("included tx %s cannot pay its fee in the model", tx.Hash)
	}
	m.free[s] -= cost
	m.issuance -= cost
	m.nonce[s]++
	switch c := call.(type) {
	case protocol.Transfer:
		switch {
		case m.free[s] < c.Amount:
			return protocol.CodeInsufficientBalance
		case !c.AllowDeath && m.free[s]-c.Amount < m.p.ExistentialDeposit:
			return protocol.CodeKeepAlive
		case m.free[c.To] == 0 && c.Amount < m.p.ExistentialDeposit:
			return protocol.CodeBelowExistential
		}
		m.free[s] -= c.Amount
		m.free[c.To] += c.Amount
		if m.free[s] < m.p.ExistentialDeposit {
			m.issuance -= m.free[s]
			m.free[s] = 0
		}
	case protocol.Faucet:
		switch {
		case s != m.sudo:
			return protocol.CodeNotSudo
		case c.Amount > m.p.MaxFaucet:
			return protocol.CodeFaucetLimit
		case m.free[c.To] == 0 && c.Amount < m.p.ExistentialDeposit:
			return protocol.CodeBelowExistential
		case c.Amount > protocol.MaxSupply-m.issuance:
			return protocol.CodeBalanceOverflow
		}
		m.free[c.To] += c.Amount
		m.issuance += c.Amount
	default:
		t.Fatalf("model has no rule for %T", call)
	}
	return protocol.CodeOK
}

// TestRandomTransactions submits at least 10,000 random transactions (valid and invalid:
// bad signatures, stale and future nonces, zero/huge/self/sub-ED amounts, expired, non-sudo
// faucets...), seals a block after each batch, checks the invariants after every block and
// compares every receipt and balance with the model; finally it replays the chain into a fresh
// database and compares every state digest.
func TestRandomTransactions(t *testing.T) {
	t.Parallel()
	target := 10_000
	if testing.Short() {
		target = 2_000
	}
	rng := rand.New(rand.NewPCG(1, 2))
	dev := devKeys(t)
	keys := []*wallet.Keypair{dev["Alice"], dev["Bob"], dev["Dave"], dev["Eve"], dev["Ferdie"]}
	extra := benchKeys(t, 12)
	g := protocol.DevnetGenesis()
	g.Params.MaxFaucet = 1_000 * protocol.RaoPerTAO // keeps total issuance far from the cap
	for i, k := range extra {
		free := uint64(1+i) * protocol.RaoPerTAO / 1000 // 0.001 .. 0.012 TAO: fees and ED matter
		if i%3 == 0 {
			free = uint64(i+1) * 50 * protocol.RaoPerTAO
		}
		g.Accounts = append(g.Accounts, protocol.GenesisAccount{Address: k.AccountID(), Free: free})
	}
	keys = append(keys, extra...)
	c := openTest(t, WithGenesis(g))
	m := &model{free: map[wallet.AccountID]uint64{}, nonce: map[wallet.AccountID]uint64{}, sudo: g.Sudo, p: g.Params}
	for _, a := range g.Accounts {
		m.free[a.Address] = a.Free
		m.issuance += a.Free
	}
	// Recipients include accounts nobody holds keys for.
	var targets []wallet.AccountID
	for _, k := range keys {
		targets = append(targets, k.AccountID())
	}
	for i := 0; i < 6; i++ {
		targets = append(targets, wallet.AccountID{0xA0, byte(i)})
	}
	next := map[wallet.AccountID]uint64{}
	amount := func(free uint64) uint64 {
		switch rng.IntN(10) {
		case 0:
			return 0
		case 1:
			return uint64(rng.IntN(600)) // around the existential deposit
		case 2:
			return math.MaxUint64 - uint64(rng.IntN(3))
		case 3:
			if free > m.p.TxFee {
				return free - m.p.TxFee - uint64(rng.IntN(600)) // (almost) everything: keep-alive or allow-death
			}
			return free
		case 4:
			return free + uint64(rng.IntN(1000)) // a bit too much
		default:
			if free == 0 {
				return 1 + uint64(rng.IntN(1000))
			}
			return 1 + rng.Uint64N(free)
		}
	}
	submitted, accepted, included := 0, 0, 0
	codes := map[protocol.Code]int{}
	for submitted < target {
		n := 20 + rng.IntN(150)
		type pending struct {
			kp      *wallet.Keypair
			tx      *protocol.Tx
			corrupt bool
		}
		batch := make([]pending, 0, n)
		for i := 0; i < n; i++ {
			kp := keys[rng.IntN(len(keys))]
			id := kp.AccountID()
			nonce := next[id]
			switch rng.IntN(20) {
			case 0:
				nonce += 1 + uint64(rng.IntN(3)) // gap (queued until it expires)
			case 1:
				if nonce > 0 {
					nonce -= 1 + uint64(rng.IntN(int(min(nonce, 3)))) // stale
				}
			case 2:
				nonce += protocol.MaxFutureNonces + 1 // beyond the queue
			}
			var call protocol.Call
			if rng.IntN(15) == 0 {
				call = protocol.Faucet{To: targets[rng.IntN(len(targets))], Amount: amount(2 * g.Params.MaxFaucet)}
			} else {
				to := targets[rng.IntN(len(targets))]
				call = protocol.Transfer{To: to, Amount: amount(m.free[id]), AllowDeath: rng.IntN(3) == 0}
			}
			var tip, expiry uint64
			if rng.IntN(5) == 0 {
				tip = uint64(rng.IntN(100_000))
			}
			if rng.IntN(6) == 0 {
				expiry = c.Head().Height + uint64(rng.IntN(3)) // some expire before inclusion
			}
			if nonce == next[id] {
				next[id]++ // optimistic; resynchronised after the block
			}
			batch = append(batch, pending{kp, protocol.NewTx(c.GenesisHash(), call, id, nonce, tip, expiry), rng.IntN(25) == 0})
		}
		// Sign on all cores, submit as one batch (admitted in order).
		raws := make([][]byte, len(batch))
		var wg sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(batch); i += runtime.GOMAXPROCS(0) {
					batch[i].tx.Sign(batch[i].kp)
					raws[i] = batch[i].tx.Encode()
					if batch[i].corrupt {
						raws[i][len(raws[i])-10] ^= 0x40 // corrupt the signature
					}
				}
			}()
		}
		wg.Wait()
		for _, r := range c.SubmitBatch(raws) {
			submitted++
			if r.Err != nil {
				code, ok := protocol.CodeOf(r.Err)
				if !ok || !code.IsRejection() {
					t.Fatalf("submit: %v is not a coded rejection", r.Err)
				}
				codes[code]++
				continue
			}
			accepted++
		}
		h := seal(t, c)
		blk, err := c.Block(h.Height)
		if err != nil {
			t.Fatal(err)
		}
		body, err := loadRawBody(c, h.Height)
		if err != nil {
			t.Fatal(err)
		}
		for i, ti := range blk.Txs {
			call := body[i].Call
			want := m.apply(t, ti, call)
			if ti.Receipt.Code != want {
				t.Fatalf("block %d tx %d (%s %+v): receipt %s %q, model expects %s",
					h.Height, ti.Index, ti.Call.Method, call, ti.Receipt.Code, ti.Receipt.Message, want)
			}
			codes[ti.Receipt.Code]++
			included++
		}
		for id, want := range m.free {
			if got := balance(t, c, id); got.Free != want {
				t.Fatalf("block %d: %s holds %d, model %d", h.Height, id, got.Free, want)
			}
		}
		if got := sumFree(t, c); got != m.issuance {
			t.Fatalf("block %d: free balances add up to %d, model %d", h.Height, got, m.issuance)
		}
		// Resynchronise the local nonces with the chain (dropped and stuck transactions).
		for _, k := range keys {
			n, _ := c.NextNonce(k.AccountID())
			next[k.AccountID()] = n
		}
	}
	t.Logf("%d submitted, %d accepted, %d included over %d blocks; codes %v", submitted, accepted, included, c.Head().Height, codes)
	if included < target/4 || codes[protocol.CodeOK] < target/10 {
		t.Fatalf("too few included or successful transactions: %d / %d", included, codes[protocol.CodeOK])
	}
	for _, want := range []protocol.Code{protocol.CodeKeepAlive, protocol.CodeInsufficientBalance, protocol.CodeBadSignature, protocol.CodeZeroAmount, protocol.CodeStaleNonce, protocol.CodeNonceGap} {
		if codes[want] == 0 {
			t.Errorf("the random mix never produced %s", want)
		}
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	if err := c.Replay(context.Background(), t.TempDir()); err != nil {
		t.Fatal(err)
	}
}

func loadRawBody(c *Chain, height uint64) ([]*protocol.Tx, error) {
	var out []*protocol.Tx
	err := c.view(func(tx *bboltTx) error {
		var err error
		out, err = loadBody(tx, height)
		return err
	})
	return out, err
}
