package sim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// maxPerSignerBlock keeps each signer under the pool's future-nonce window in one batch.
const maxPerSignerBlock = protocol.MaxFutureNonces - 4

// maxIncludeBlocks is how many blocks the fast mode produces while waiting for a batch.
const maxIncludeBlocks = 16

// txSender signs calls with local nonces and gets them included: by producing blocks
// (Advance) in the fast mode, by waiting for the producer in real time.
type txSender struct {
	c        chainclient.Client
	realtime bool
	genesis  protocol.Hash
	nonces   map[wallet.AccountID]uint64
	blocks   func(n uint64) // counts blocks produced for inclusion
}

// pendingCall is a call and the key that signs it.
type pendingCall struct {
	key  *wallet.Keypair
	call protocol.Call
	what string // for error messages: "register validator honest[3]"
	// included, if set, is told the call's outcome after the batch (info is nil when the
	// chain rejected the transaction).
	included func(info *protocol.TxInfo, ok bool)
}

func (t *txSender) nonce(ctx context.Context, id wallet.AccountID) (uint64, error) {
	if n, ok := t.nonces[id]; ok {
		return n, nil
	}
	n, err := t.c.NextNonce(ctx, id)
	if err != nil {
		return 0, err
	}
	t.nonces[id] = n
	return n, nil
}

// run signs, submits and includes calls, in chunks that keep each signer within the pool's
// nonce window. It returns one TxInfo per call (nil and an error entry for a call the chain
// rejected before inclusion); the error is for infrastructure faults only.
func (t *txSender) run(ctx context.Context, calls []pendingCall) ([]*protocol.TxInfo, []error, error) {
	infos := make([]*protocol.TxInfo, len(calls))
	rejects := make([]error, len(calls))
	for start := 0; start < len(calls); {
		end := start
		per := map[wallet.AccountID]int{}
		for end < len(calls) {
			id := calls[end].key.AccountID()
			if per[id] == maxPerSignerBlock {
				break
			}
			per[id]++
			end++
		}
		if err := t.runChunk(ctx, calls[start:end], infos[start:end], rejects[start:end]); err != nil {
			return infos, rejects, err
		}
		start = end
	}
	return infos, rejects, nil
}

func (t *txSender) runChunk(ctx context.Context, calls []pendingCall, infos []*protocol.TxInfo, rejects []error) error {
	head, err := t.c.Info(ctx)
	if err != nil {
		return err
	}
	raw := make([][]byte, len(calls))
	for i, pc := range calls {
		id := pc.key.AccountID()
		n, err := t.nonce(ctx, id)
		if err != nil {
			return err
		}
		tx := protocol.NewTx(t.genesis, pc.call, id, n, 0, head.Height+chainclient.DefaultMortality)
		if err := tx.Sign(pc.key); err != nil {
			return err
		}
		raw[i] = tx.Encode()
		t.nonces[id] = n + 1
	}
	res, err := t.c.SubmitBatch(ctx, raw)
	if err != nil {
		return err
	}
	if len(res) != len(raw) {
		return fmt.Errorf("submit batch: %d results for %d transactions", len(res), len(raw))
	}
	var wait []int
	for i, r := range res {
		if r.Err != nil {
			rejects[i] = fmt.Errorf("%s: %w", calls[i].what, r.Err)
			delete(t.nonces, calls[i].key.AccountID()) // ask the chain again next time
			continue
		}
		wait = append(wait, i)
	}
	if len(wait) == 0 {
		return nil
	}
	if t.realtime {
		for _, i := range wait {
			info, err := t.c.WaitTx(ctx, res[i].Hash)
			if err != nil {
				var te *protocol.TxError
				if errors.As(err, &te) {
					rejects[i] = fmt.Errorf("%s: %w", calls[i].what, err)
					delete(t.nonces, calls[i].key.AccountID())
					continue
				}
				return err
			}
			infos[i] = info
		}
		return nil
	}
	for range maxIncludeBlocks {
		if _, err := t.c.Advance(ctx, 1, nil); err != nil {
			return err
		}
		if t.blocks != nil {
			t.blocks(1)
		}
		left := wait[:0]
		for _, i := range wait {
			info, err := t.c.Tx(ctx, res[i].Hash)
			switch {
			case err == nil:
				infos[i] = info
			case errors.Is(err, protocol.ErrNotFound):
				left = append(left, i)
			default:
				return err
			}
		}
		if wait = left; len(wait) == 0 {
			return nil
		}
	}
	// Still missing: ask why (dropped from the pool, or stuck behind a paused producer).
	for _, i := range wait {
		wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		_, err := t.c.WaitTx(wctx, res[i].Hash)
		cancel()
		rejects[i] = fmt.Errorf("%s: %w after %d blocks: %v", calls[i].what, ErrNotIncluded, maxIncludeBlocks, err)
		delete(t.nonces, calls[i].key.AccountID())
	}
	return nil
}

// mustSucceed runs calls and fails with ErrSetup on the first rejection or failed receipt.
func (t *txSender) mustSucceed(ctx context.Context, calls []pendingCall) ([]*protocol.TxInfo, error) {
	infos, rejects, err := t.run(ctx, calls)
	if err != nil {
		return nil, err
	}
	for i := range calls {
		if rejects[i] != nil {
			return nil, fmt.Errorf("%w: %w", ErrSetup, rejects[i])
		}
		if rc := infos[i].Receipt; !rc.OK() {
			return nil, fmt.Errorf("%w: %s: the chain refused it (%s): %s", ErrSetup, calls[i].what, rc.CodeName, rc.Message)
		}
	}
	return infos, nil
}
