package substrate

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/btui/btui/chainclient/substrate/scale"
	"github.com/btui/btui/wallet"
)

// SystemChain is system_chain ("Bittensor").
func (c *Client) SystemChain(ctx context.Context) (string, error) {
	var s string
	err := c.call(ctx, &s, "system_chain")
	return s, err
}

// Properties is system_properties: token symbol, decimals and SS58 format.
type Properties struct {
	SS58Format    uint16 `json:"ss58Format"`
	TokenDecimals int    `json:"tokenDecimals"`
	TokenSymbol   string `json:"tokenSymbol"`
}

// SystemProperties reads system_properties.
func (c *Client) SystemProperties(ctx context.Context) (Properties, error) {
	var p Properties
	err := c.call(ctx, &p, "system_properties")
	return p, err
}

// NextIndex is account_nextIndex (alias of system_accountNextIndex, the name the bittensor SDK sends): the nonce of the account's next transaction, past its
// transactions waiting in the pool.
func (c *Client) NextIndex(ctx context.Context, id wallet.AccountID) (uint64, error) {
	var n uint64
	err := c.call(ctx, &n, "account_nextIndex", id.SS58())
	return n, err
}

// Submit sends a signed extrinsic (author_submitExtrinsic) and returns its hash.
func (c *Client) Submit(ctx context.Context, ext []byte) (Hash, error) {
	var s string
	if err := c.call(ctx, &s, "author_submitExtrinsic", hexParam(ext)); err != nil {
		return Hash{}, err
	}
	return ParseHash(s)
}

// PendingExtrinsics is author_pendingExtrinsics: the node's pool.
func (c *Client) PendingExtrinsics(ctx context.Context) ([][]byte, error) {
	var xs []string
	if err := c.call(ctx, &xs, "author_pendingExtrinsics"); err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(xs))
	for _, x := range xs {
		b, err := hex.DecodeString(strings.TrimPrefix(x, "0x"))
		if err != nil {
			return nil, fmt.Errorf("author_pendingExtrinsics: not hex")
		}
		out = append(out, b)
	}
	return out, nil
}

// TxStatus is one author_extrinsicUpdate.
type TxStatus struct {
	Kind  string // future, ready, broadcast, inBlock, retracted, finalityTimeout, finalized, usurped, dropped, invalid
	Block Hash   // for inBlock, retracted, finalityTimeout, finalized; the replacing tx for usurped
}

// Final reports whether no further update follows.
func (s TxStatus) Final() bool {
	switch s.Kind {
	case "finalized", "usurped", "dropped", "invalid", "finalityTimeout":
		return true
	}
	return false
}

func parseTxStatus(raw json.RawMessage) (TxStatus, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return TxStatus{Kind: s}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || len(m) != 1 {
		return TxStatus{}, fmt.Errorf("unexpected extrinsic status %s", raw)
	}
	for k, v := range m {
		st := TxStatus{Kind: k}
		var h string
		if json.Unmarshal(v, &h) == nil && strings.HasPrefix(h, "0x") && len(h) == 66 {
			st.Block, _ = ParseHash(h)
		}
		return st, nil
	}
	return TxStatus{}, nil
}

// ErrTxNotIncluded reports a transaction the pool gave up on (invalid, dropped, usurped by
// another with the same nonce) or that never landed.
var ErrTxNotIncluded = errors.New("substrate: the transaction was not included")

// Outcome is what an included extrinsic did.
type Outcome struct {
	Block   Hash
	Number  uint64
	Index   int // position in the block
	Success bool
	Error   string // the dispatch error, named from metadata, when !Success
	Fee     uint64 // TransactionFeePaid.actual_fee
	Tip     uint64
	Events  []Event
}

// SubmitAndWatch submits ext with author_submitAndWatchExtrinsic and waits until it is in a
// block (or finalized, if finalized is set), then reads the block's events for its outcome. A
// pool rejection is an *RPCError (1010 invalid, 1014 priority too low, …); a transaction the
// pool later drops or replaces is ErrTxNotIncluded. It never resubmits.
func (c *Client) SubmitAndWatch(ctx context.Context, ext []byte, finalized bool, status func(TxStatus)) (*Outcome, error) {
	return c.watch(ctx, ext, finalized, 0, status)
}

// SubmitAndWatchUntil is SubmitAndWatch (in a block is enough) that also follows the chain's
// new heads: when a head one block past death (the first block at which the transaction is no
// longer valid) arrives and no block has included it, the watch ends with ErrEraExpired (the
// extra block lets an inclusion in the last valid block be reported first). death 0 means
// immortal: no such check. It never resubmits.
func (c *Client) SubmitAndWatchUntil(ctx context.Context, ext []byte, death uint64, status func(TxStatus)) (*Outcome, error) {
	return c.watch(ctx, ext, false, death, status)
}

// watch is SubmitAndWatch and SubmitAndWatchUntil: the one watch of a submitted extrinsic.
func (c *Client) watch(ctx context.Context, ext []byte, finalized bool, death uint64, status func(TxStatus)) (*Outcome, error) {
	var heads <-chan json.RawMessage
	if death > 0 {
		hs, err := c.SubscribeNewHeads(ctx)
		if err != nil {
			return nil, fmt.Errorf("follow new heads: %w", err)
		}
		defer hs.Unsubscribe()
		heads = hs.C
	}
	sub, err := c.t.Subscribe(ctx, "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", hexParam(ext))
	if err != nil {
		return nil, err
	}
	defer sub.Unsubscribe()
	hash := Hash(scale.Blake2_256(ext))
	for {
		select {
		case raw, ok := <-sub.C:
			if !ok {
				if err := sub.Err(); err != nil {
					return nil, fmt.Errorf("watching %s: %w", hash, err)
				}
				return nil, fmt.Errorf("%w: the node ended the watch of %s", ErrTxNotIncluded, hash)
			}
			st, err := parseTxStatus(raw)
			if err != nil {
				return nil, err
			}
			if status != nil {
				status(st)
			}
			switch st.Kind {
			case "inBlock":
				if !finalized {
					return c.OutcomeIn(ctx, st.Block, hash)
				}
			case "finalized":
				return c.OutcomeIn(ctx, st.Block, hash)
			case "invalid", "dropped", "usurped":
				return nil, fmt.Errorf("%w: the pool reports %s %s; nothing was charged", ErrTxNotIncluded, hash, st.Kind)
			case "finalityTimeout":
				return nil, fmt.Errorf("%w: %s was in block %s but finality timed out: check that block before resubmitting", ErrTxNotIncluded, hash, st.Block)
			}
		case raw, ok := <-heads:
			if !ok {
				heads = nil // the watch itself still ends the wait
				continue
			}
			h, err := ParseHeader(raw)
			if err != nil {
				continue
			}
			if h.Number > death {
				return nil, fmt.Errorf("%w: %s was valid until block %d and the chain is at %d; it can never be included now (sign it again with a fresh era to retry)", ErrEraExpired, hash, death-1, h.Number)
			}
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s: %w (it may still be included: look for it before resubmitting)", hash, ctx.Err())
		}
	}
}

// OutcomeIn finds extrinsic hash in block at and reads its events.
func (c *Client) OutcomeIn(ctx context.Context, at Hash, hash Hash) (*Outcome, error) {
	b, err := c.Block(ctx, at)
	if err != nil {
		return nil, err
	}
	idx := -1
	for i, x := range b.Extrinsics {
		if Hash(scale.Blake2_256(x)) == hash {
			idx = i
			break
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("substrate: block %s does not contain %s", at, hash)
	}
	evs, err := c.Events(ctx, at)
	if err != nil {
		return nil, err
	}
	return outcomeOf(c.Metadata(), at, b.Header.Number, idx, evs), nil
}

func outcomeOf(m *Metadata, at Hash, number uint64, idx int, evs []Event) *Outcome {
	o := &Outcome{Block: at, Number: number, Index: idx}
	for _, e := range evs {
		if e.Extrinsic != idx {
			continue
		}
		o.Events = append(o.Events, e)
		switch {
		case e.Pallet == "System" && e.Name == "ExtrinsicSuccess":
			o.Success = true
		case e.Pallet == "System" && e.Name == "ExtrinsicFailed":
			o.Error = e.Failure(m)
		case e.Pallet == "TransactionPayment" && e.Name == "TransactionFeePaid":
			if v, ok := e.Fields.Field("actual_fee"); ok {
				o.Fee = v.Uint
			}
			if v, ok := e.Fields.Field("tip"); ok {
				o.Tip = v.Uint
			}
		}
	}
	return o
}

// SubscribeNewHeads follows new best heads (resubscribed after a reconnect without
// duplicates).
func (c *Client) SubscribeNewHeads(ctx context.Context) (*Subscription, error) {
	return c.t.Subscribe(ctx, "chain_subscribeNewHeads", "chain_unsubscribeNewHeads")
}

// ParseHeader decodes a header notification.
func ParseHeader(raw json.RawMessage) (*Header, error) {
	var j jsonHeader
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	return j.header()
}
