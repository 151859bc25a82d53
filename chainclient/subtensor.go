package chainclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"sync"
	"time"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/chainclient/substrate/scale"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
	"golang.org/x/crypto/blake2b"
)

// CodeExtrinsicFailed is the receipt code of a subtensor extrinsic whose call failed
// (System.ExtrinsicFailed); the receipt's Message names the module error from the metadata.
const CodeExtrinsicFailed = protocol.CodeExtrinsicFailed

// ErrDevnetOnly is returned by Subtensor for what only btui's own devnet can do: clock control,
// the faucet, snapshots, resets and chain checks.
var ErrDevnetOnly = errors.New("devnet-only: a subtensor node has no such control")

// Subtensor is a Client (and ModuleClient) over a real subtensor node: finney, testnet, an
// archive node or a local one. Reads go through the runtime APIs and storage the bittensor SDK
// uses; Submit takes signed SCALE extrinsics (built with substrate.Metadata.BuildSigned), not
// btui devnet transactions. Methods that need btui's devnet return ErrDevnetOnly; those a
// node cannot answer without an indexer (a transaction by hash, an account's history) return
// ErrUnsupported with the reason.
type Subtensor struct {
	c        *substrate.Client
	endpoint string

	mu      sync.Mutex
	chain   string
	decimal int
	symbol  string
	mg      *substrate.Metagraph // the last metagraph read (mechagraph)
	mgAt    time.Time
}

var _ Client = (*Subtensor)(nil)

// DialSubtensor connects to a subtensor node at a ws:// or wss:// URL (see ResolveNetwork),
// reads its genesis, runtime version and metadata, and checks that every runtime type btui
// reads still fits (failing with "runtime N changed X.y" otherwise).
func DialSubtensor(ctx context.Context, url string) (*Subtensor, error) {
	t, err := substrate.DialWS(ctx, url, substrate.WSOptions{})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNodeUnreachable, err)
	}
	c, err := substrate.Connect(ctx, t, substrate.ConnectOptions{})
	if err != nil {
		_ = t.Close()
		return nil, err
	}
	return NewSubtensor(c, url), nil
}

// NewSubtensor wraps a connected substrate client (tests pass one over a replay).
func NewSubtensor(c *substrate.Client, endpoint string) *Subtensor {
	return &Subtensor{c: c, endpoint: endpoint}
}

// Substrate is the underlying client, for what Client has no method for (fees, signing
// metadata, runtime API calls).
func (s *Subtensor) Substrate() *substrate.Client { return s.c }

// Endpoint is the node's URL.
func (s *Subtensor) Endpoint() string { return s.endpoint }

// Close closes the connection.
func (s *Subtensor) Close() error { return s.c.Close() }

func unsupported(what, why string) error {
	return fmt.Errorf("%s on a subtensor node: %w (%s)", what, ErrUnsupported, why)
}

func devnetOnly(what string) error { return fmt.Errorf("%s: %w", what, ErrDevnetOnly) }

// ChainInfoUnreadOnSubtensor names the protocol.ChainInfo fields (by JSON name) Info does not
// read from a subtensor node: zero in its answer, not the chain's value. A node has no pause
// flag or btui producer; the pool size, the head's timestamp and the issuance would each be one
// more read that no recording of the bittensor SDK holds (so btui's replayed tests could not
// check them), and a subtensor fee depends on each extrinsic (a transaction's preview shows the
// node's fee for it).
var ChainInfoUnreadOnSubtensor = []string{"head_timestamp_ms", "paused", "pending_txs", "total_issuance", "tx_fee", "sudo", "db_size_bytes"}

// Info summarises the chain as the bittensor SDK reads it: the head (chain_getHead, then its
// header: get_current_block), the chain's name and token (system_chain, system_properties), the
// runtime version read at connect, and from the metadata the existential deposit and the block
// time (Aura.SlotDuration). ChainInfoUnreadOnSubtensor lists what it leaves zero.
func (s *Subtensor) Info(ctx context.Context) (protocol.ChainInfo, error) {
	at, h, err := s.c.Head(ctx)
	if err != nil {
		return protocol.ChainInfo{}, err
	}
	if err := s.props(ctx); err != nil {
		return protocol.ChainInfo{}, err
	}
	m := s.c.Metadata()
	info := protocol.ChainInfo{
		ChainName:     s.chain,
		GenesisHash:   protocol.Hash(s.c.Genesis),
		Height:        h.Number,
		Head:          protocol.Hash(at),
		StateDigest:   protocol.Hash(h.StateRoot),
		Token:         s.symbol,
		Decimals:      s.decimal,
		SS58Prefix:    wallet.SS58Prefix,
		Producing:     true, // a subtensor node produces its own blocks; nothing here controls them
		SchemaVersion: s.c.RuntimeVersion().SpecVersion,
	}
	var ed uint64
	if c, err := m.Constant("Balances", "ExistentialDeposit"); err == nil && m.Types.DecodeInto(c.Type, c.Value, &ed, "Balances.ExistentialDeposit") == nil {
		info.ExistentialDeposit = ed
	}
	var slot uint64
	if c, err := m.Constant("Aura", "SlotDuration"); err == nil && m.Types.DecodeInto(c.Type, c.Value, &slot, "Aura.SlotDuration") == nil {
		info.TargetBlockTimeMs, info.BlockTimeMs = slot, slot
	}
	return info, nil
}

// TotalNetworks reads SubtensorModule.TotalNetworks at block at (the SDK's get_total_subnets);
// ok is false on a runtime without it.
func (s *Subtensor) TotalNetworks(ctx context.Context, at protocol.Hash) (n uint64, ok bool, err error) {
	if _, _, err := s.c.Metadata().Storage("SubtensorModule", "TotalNetworks"); err != nil {
		return 0, false, nil
	}
	h := substrate.Hash(at)
	var v uint16
	if _, err := s.c.ReadStorage(ctx, "SubtensorModule", "TotalNetworks", &h, &v); err != nil {
		return 0, false, err
	}
	return uint64(v), true, nil
}

func (s *Subtensor) props(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.chain != "" {
		return nil
	}
	name, err := s.c.SystemChain(ctx)
	if err != nil {
		return err
	}
	p, err := s.c.SystemProperties(ctx)
	if err != nil {
		p = substrate.Properties{TokenDecimals: 9, TokenSymbol: "TAO"}
	}
	s.chain, s.decimal, s.symbol = name, p.TokenDecimals, p.TokenSymbol
	return nil
}

// Account reads System.Account: the free balance and the nonce the next transaction carries.
func (s *Subtensor) Account(ctx context.Context, id wallet.AccountID) (protocol.AccountInfo, error) {
	a, err := s.c.Account(ctx, id, nil)
	if err != nil {
		return protocol.AccountInfo{}, err
	}
	return protocol.AccountInfo{Address: id, Free: a.Data.Free, Nonce: a.Nonce}, nil
}

// NextNonce is account_nextIndex (counts the account's transactions in the pool).
func (s *Subtensor) NextNonce(ctx context.Context, id wallet.AccountID) (uint64, error) {
	return s.c.NextIndex(ctx, id)
}

// Block reads the block at height with its extrinsics (decoded) and events.
func (s *Subtensor) Block(ctx context.Context, height uint64) (*protocol.Block, error) {
	h, err := s.c.BlockHash(ctx, height)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", protocol.ErrNotFound, err)
	}
	return s.BlockByHash(ctx, protocol.Hash(h))
}

// BlockByHash reads a block by hash.
func (s *Subtensor) BlockByHash(ctx context.Context, hash protocol.Hash) (*protocol.Block, error) {
	b, _, err := s.blockAndEvents(ctx, hash)
	return b, err
}

// blockAndEvents reads a block and all its events, converted, in the chain's order.
func (s *Subtensor) blockAndEvents(ctx context.Context, hash protocol.Hash) (*protocol.Block, []protocol.Event, error) {
	at := substrate.Hash(hash)
	b, err := s.c.Block(ctx, at)
	if err != nil {
		return nil, nil, err
	}
	evs, err := s.c.Events(ctx, at)
	if err != nil {
		return nil, nil, err
	}
	all := make([]protocol.Event, len(evs))
	for i, e := range evs {
		all[i] = convertEventNamed(s.c.Metadata(), b.Header.Number, i, e)
	}
	return ConvertBlock(s.c.Metadata(), s.c.Genesis, at, b, evs), all, nil
}

// ConvertBlock maps a subtensor block and its events to btui's block type: extrinsics become
// TxInfo (signer, nonce, tip, pallet.call with named args, receipt from ExtrinsicSuccess /
// ExtrinsicFailed and TransactionFeePaid), events of other phases become StepEvents, and the
// timestamp comes from the Timestamp.set inherent.
func ConvertBlock(m *substrate.Metadata, genesis substrate.Hash, at substrate.Hash, b *substrate.Block, evs []substrate.Event) *protocol.Block {
	out := &protocol.Block{
		Header: protocol.BlockHeader{Height: b.Header.Number, Hash: protocol.Hash(at), ParentHash: protocol.Hash(b.Header.ParentHash),
			TxRoot: protocol.Hash(b.Header.ExtrinsicsRoot), StateDigest: protocol.Hash(b.Header.StateRoot),
			TxCount: uint32(len(b.Extrinsics)), EventCount: uint32(len(evs))},
		GenesisHash: protocol.Hash(genesis),
	}
	converted := make([]protocol.Event, len(evs))
	for i, e := range evs {
		converted[i] = convertEventNamed(m, b.Header.Number, i, e)
	}
	for i, raw := range b.Extrinsics {
		tx := protocol.TxInfo{Height: b.Header.Number, Index: uint32(i), Size: len(raw)}
		tx.Hash = protocol.Hash(blake256(raw))
		if d, err := m.DecodeExtrinsic(raw); err == nil {
			tx.Signer, tx.Nonce, tx.Tip = d.Signer, d.Nonce, d.Tip
			if d.Signed && !d.Era.Immortal {
				tx.Expiry = d.Era.Death(b.Header.Number)
			}
			args := map[string]substrate.Value{}
			for _, a := range d.Call.Args {
				args[a.Name] = a.Value
			}
			js, _ := json.Marshal(args)
			tx.Call = protocol.CallInfo{Module: d.Call.Pallet, Method: d.Call.Name, Args: js}
			if d.Call.Pallet == "Timestamp" && d.Call.Name == "set" && len(d.Call.Args) == 1 {
				out.Header.TimestampMs = d.Call.Args[0].Value.Uint
			}
		} else {
			tx.Call = protocol.CallInfo{Module: "?", Method: "undecodable", Args: json.RawMessage(strconv.Quote(err.Error()))}
		}
		for j, e := range evs {
			if e.Extrinsic != i {
				continue
			}
			tx.Events = append(tx.Events, converted[j])
			switch {
			case e.Pallet == "System" && e.Name == "ExtrinsicFailed":
				tx.Receipt.Code = CodeExtrinsicFailed
				tx.Receipt.CodeName = CodeExtrinsicFailed.String()
				tx.Receipt.Message = e.Failure(m)
			case e.Pallet == "TransactionPayment" && e.Name == "TransactionFeePaid":
				if v, ok := e.Fields.Field("actual_fee"); ok {
					tx.Receipt.Fee = v.Uint
				}
				if v, ok := e.Fields.Field("tip"); ok {
					tx.Receipt.Tip = v.Uint
				}
			}
		}
		if tx.Receipt.Code == protocol.CodeOK {
			tx.Receipt.CodeName = "OK"
		}
		out.Txs = append(out.Txs, tx)
		out.SizeBytes += len(raw)
	}
	for j, e := range evs {
		if e.Extrinsic < 0 {
			out.StepEvents = append(out.StepEvents, converted[j])
		}
	}
	return out
}

// ConvertEvent maps a subtensor event to btui's event: module = pallet, attrs = the event's
// fields rendered as JSON values (accounts as SS58, amounts as decimals).
func ConvertEvent(height uint64, index int, e substrate.Event) protocol.Event {
	out := protocol.Event{Height: height, TxIndex: int32(e.Extrinsic), Index: uint32(index), Module: e.Pallet, Name: e.Name}
	for i, v := range e.Fields.Items {
		key := strconv.Itoa(i)
		if e.Fields.Names != nil && e.Fields.Names[i] != "" {
			key = e.Fields.Names[i]
		}
		js, _ := v.MarshalJSON()
		val := string(js)
		if u, err := strconv.Unquote(val); err == nil {
			val = u
		}
		out.Attrs = append(out.Attrs, protocol.Attr{Key: key, Value: val})
		if v.Kind == substrate.ValBytes && len(v.Bytes) == 32 && v.Path == "sp_core::crypto::AccountId32" {
			var id wallet.AccountID
			copy(id[:], v.Bytes)
			out.Accounts = append(out.Accounts, id)
		}
	}
	return out
}

// HeaderUnreadOnSubtensor names the protocol.BlockHeader fields (by JSON name) Blocks does
// not fill on a subtensor node: a header alone carries no counts or time (those need the
// block's body and events: Block), and no btui result root.
var HeaderUnreadOnSubtensor = []string{"timestamp_ms", "result_root", "tx_count", "event_count"}

// Blocks reads up to n headers from height from (n ≤ 1,000 on a subtensor node: each is two
// round trips, chain_getBlockHash and chain_getHeader); the head is read as the SDK reads it
// (chain_getHead, then its header). HeaderUnreadOnSubtensor lists what the headers leave zero.
func (s *Subtensor) Blocks(ctx context.Context, from uint64, n int) ([]protocol.BlockHeader, error) {
	if n > 1000 {
		return nil, fmt.Errorf("%w: at most 1,000 headers per call on a subtensor node", ErrBadRequest)
	}
	_, head, err := s.c.Head(ctx)
	if err != nil {
		return nil, err
	}
	var out []protocol.BlockHeader
	for h := from; h <= head.Number && len(out) < n; h++ {
		hash, err := s.c.BlockHash(ctx, h)
		if err != nil {
			return nil, err
		}
		hd, err := s.c.Header(ctx, &hash)
		if err != nil {
			return nil, err
		}
		out = append(out, protocol.BlockHeader{Height: hd.Number, Hash: protocol.Hash(hash), ParentHash: protocol.Hash(hd.ParentHash),
			TxRoot: protocol.Hash(hd.ExtrinsicsRoot), StateDigest: protocol.Hash(hd.StateRoot)})
	}
	return out, nil
}

// Tx is unsupported: a node keeps no index of transactions by hash.
func (s *Subtensor) Tx(context.Context, protocol.TxHash) (*protocol.TxInfo, error) {
	return nil, unsupported("looking a transaction up by hash", "a node keeps no index by transaction hash; read its block")
}

// IsPending looks for the hash in the node's pool (author_pendingExtrinsics).
func (s *Subtensor) IsPending(ctx context.Context, hash protocol.TxHash) (bool, error) {
	xs, err := s.c.PendingExtrinsics(ctx)
	if err != nil {
		return false, err
	}
	for _, x := range xs {
		if blake256(x) == hash {
			return true, nil
		}
	}
	return false, nil
}

// Events reads the events of blocks from..to (at most 100 blocks per call on a subtensor node).
func (s *Subtensor) Events(ctx context.Context, from, to uint64) ([]protocol.Event, error) {
	if to < from || to-from >= 100 {
		return nil, fmt.Errorf("%w: from %d to %d: at most 100 blocks per call on a subtensor node", ErrBadRequest, from, to)
	}
	var out []protocol.Event
	for h := from; h <= to; h++ {
		hash, err := s.c.BlockHash(ctx, h)
		if err != nil {
			return nil, err
		}
		evs, err := s.c.Events(ctx, hash)
		if err != nil {
			return nil, err
		}
		for i, e := range evs {
			out = append(out, convertEventNamed(s.c.Metadata(), h, i, e))
		}
	}
	return out, nil
}

// convertEventNamed is ConvertEvent with, for System.ExtrinsicFailed, an "error" attribute
// naming the dispatch error from the metadata (Pallet.Error: docs, as the receipt names it).
func convertEventNamed(m *substrate.Metadata, height uint64, index int, e substrate.Event) protocol.Event {
	out := ConvertEvent(height, index, e)
	if e.Pallet == "System" && e.Name == "ExtrinsicFailed" {
		out.Attrs = append(out.Attrs, protocol.Attr{Key: "error", Value: e.Failure(m)})
	}
	return out
}

// AccountHistory is unsupported: it needs an indexer.
func (s *Subtensor) AccountHistory(context.Context, wallet.AccountID, uint64, int) ([]protocol.HistoryEntry, error) {
	return nil, unsupported("account history", "a node keeps no per-account index; use an indexer such as taostats")
}

// Genesis is devnet-only (a subtensor chain spec is not a btui genesis).
func (s *Subtensor) Genesis(context.Context) (*protocol.Genesis, error) {
	return nil, devnetOnly("reading the devnet genesis")
}

// Check is devnet-only.
func (s *Subtensor) Check(context.Context) error { return devnetOnly("checking chain invariants") }

// Submit sends a signed SCALE extrinsic (as substrate.Metadata.BuildSigned makes it). Bytes
// that are not an extrinsic of the node's runtime (a btui devnet transaction) are refused
// before anything is sent.
func (s *Subtensor) Submit(ctx context.Context, tx []byte) (protocol.TxHash, error) {
	if _, err := s.c.Metadata().DecodeExtrinsic(tx); err != nil {
		return protocol.TxHash{}, fmt.Errorf("%w: not a signed extrinsic of runtime %d (a subtensor node takes SCALE extrinsics, not devnet transactions): %v",
			ErrBadRequest, s.c.RuntimeVersion().SpecVersion, err)
	}
	h, err := s.c.Submit(ctx, tx)
	return protocol.TxHash(h), err
}

// SubmitBatch submits in order.
func (s *Subtensor) SubmitBatch(ctx context.Context, txs [][]byte) ([]protocol.SubmitResult, error) {
	out := make([]protocol.SubmitResult, len(txs))
	for i, tx := range txs {
		h, err := s.Submit(ctx, tx)
		out[i] = protocol.SubmitResult{Hash: h, Err: err}
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

// WaitTx follows new heads until a block contains the transaction, then returns it with its
// receipt; a transaction that leaves the pool without landing is an error wrapping
// protocol.ErrNotFound.
func (s *Subtensor) WaitTx(ctx context.Context, hash protocol.TxHash) (*protocol.TxInfo, error) {
	sub, err := s.c.SubscribeNewHeads(ctx)
	if err != nil {
		return nil, err
	}
	defer sub.Unsubscribe()
	for {
		select {
		case raw, ok := <-sub.C:
			if !ok {
				return nil, fmt.Errorf("waiting for %x: %w", hash, sub.Err())
			}
			hd, err := substrate.ParseHeader(raw)
			if err != nil {
				return nil, err
			}
			b, err := s.BlockByHash(ctx, protocol.Hash(hd.Hash()))
			if err != nil {
				return nil, err
			}
			for i := range b.Txs {
				if b.Txs[i].Hash == hash {
					return &b.Txs[i], nil
				}
			}
			if pending, err := s.IsPending(ctx, hash); err == nil && !pending {
				return nil, fmt.Errorf("%w: %x is neither in block %d nor in the pool", protocol.ErrNotFound, hash, hd.Number)
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// SubmitAndWait submits with author_submitAndWatchExtrinsic and returns the transaction once
// it is in a block, with its receipt (an ExtrinsicFailed call comes back as a failure receipt
// naming the module error, and a nil error). A pool refusal is a *protocol.TxError
// (CodeNodeRejected); an extrinsic the pool drops, or that is still not in a block two blocks
// after its era ended, is a *protocol.TxError with CodeNotIncluded. It never resubmits.
func (s *Subtensor) SubmitAndWait(ctx context.Context, tx []byte) (*protocol.TxInfo, error) {
	m := s.c.Metadata()
	d, err := m.DecodeExtrinsic(tx)
	if err != nil {
		return nil, fmt.Errorf("%w: not a signed extrinsic of runtime %d: %v", ErrBadRequest, s.c.RuntimeVersion().SpecVersion, err)
	}
	wctx := ctx
	var death uint64
	if d.Signed && !d.Era.Immortal {
		head, err := s.c.Header(ctx, nil)
		if err != nil {
			return nil, err
		}
		// The era's phase names its latest birth block at or below the head; an extrinsic
		// signed before that birth carries another block's hash and the node refuses it.
		death = d.Era.Death(head.Number)
		var cancel context.CancelFunc
		wctx, cancel = context.WithTimeout(ctx, time.Duration(death-head.Number+2)*blockTime)
		defer cancel()
	}
	o, err := s.c.SubmitAndWatch(wctx, tx, false, nil)
	if err != nil {
		var re *substrate.RPCError
		switch {
		case errors.As(err, &re) && re.Code >= 1010 && re.Code <= 1014:
			return nil, protocol.Reject(protocol.CodeNodeRejected, "%s", re.Error())
		case errors.Is(err, substrate.ErrTxNotIncluded):
			return nil, protocol.Reject(protocol.CodeNotIncluded, "%v; btui did not resubmit it", err)
		case ctx.Err() == nil && wctx.Err() != nil:
			return nil, protocol.Reject(protocol.CodeNotIncluded, "%x was not included before its era ended at block %d: it can no longer land; btui did not resubmit it", d.Hash, death)
		}
		return nil, err
	}
	b, err := s.BlockByHash(ctx, protocol.Hash(o.Block))
	if err != nil {
		return nil, err
	}
	if o.Index >= len(b.Txs) {
		return nil, fmt.Errorf("%w: block %s has no extrinsic %d", ErrBadResponse, o.Block, o.Index)
	}
	return &b.Txs[o.Index], nil
}

// Subscribe delivers one HeadEvent per new best head (backfilled from opts.From), with its
// events. After a dropped connection the transport resubscribes; a head it re-sends is not
// delivered twice, and heads produced while it was down are read back (Missed counts the
// ones beyond MaxBackfill).
func (s *Subtensor) Subscribe(ctx context.Context, opts SubscribeOptions) (*Subscription, error) {
	buf := opts.Buffer
	if buf <= 0 {
		buf = DefaultSubscribeBuffer
	}
	sub, err := s.c.SubscribeNewHeads(ctx)
	if err != nil {
		return nil, err
	}
	ch := make(chan protocol.HeadEvent, buf)
	cctx, cancel := context.WithCancel(ctx)
	out := newSubscription(ch, cancel)
	go func() {
		var ferr error
		defer func() {
			sub.Unsubscribe()
			cancel()
			close(ch)
			out.finish(ferr)
		}()
		next := opts.From
		// emit delivers height h (hd is the head just announced). A block the node answers
		// with an error for (a pruned state, a replay without it) is delivered header only
		// when it is the announced head, skipped otherwise, and named in TakeWarning; a
		// transport failure ends the subscription.
		emit := func(h uint64, hd *substrate.Header) bool {
			hash, err := s.c.BlockHash(cctx, h)
			var ev protocol.HeadEvent
			if err == nil {
				var b *protocol.Block
				if b, ev.Events, err = s.blockAndEvents(cctx, protocol.Hash(hash)); err == nil {
					ev.Header = b.Header
				}
			}
			if err != nil {
				if !NodeAnswered(err) {
					ferr = err
					return false
				}
				out.warnf("block #%d: its body and events were not read: %v", h, err)
				if h != hd.Number {
					return true
				}
				ev = protocol.HeadEvent{Header: protocol.BlockHeader{Height: hd.Number, Hash: protocol.Hash(hd.Hash()), ParentHash: protocol.Hash(hd.ParentHash),
					TxRoot: protocol.Hash(hd.ExtrinsicsRoot), StateDigest: protocol.Hash(hd.StateRoot)}}
			}
			select {
			case ch <- ev:
				return true
			case <-cctx.Done():
				return false
			}
		}
		for {
			select {
			case raw, ok := <-sub.C:
				if !ok {
					ferr = sub.Err()
					return
				}
				hd, err := substrate.ParseHeader(raw)
				if err != nil {
					ferr = err
					return
				}
				if next == 0 {
					next = hd.Number
				}
				if hd.Number+1 <= next {
					continue // a head already delivered (reorg or resubscription)
				}
				if hd.Number-next > MaxBackfill {
					next = hd.Number - MaxBackfill
				}
				for ; next <= hd.Number; next++ {
					if !emit(next, hd) {
						return
					}
				}
			case <-cctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// NodeAnswered reports whether err is a subtensor node's answer (a JSON-RPC error, or a
// request a replay never recorded) rather than a failed connection: a value the node would not
// give, which a summary can show as not read while the connection is fine.
func NodeAnswered(err error) bool {
	var re *substrate.RPCError
	return errors.As(err, &re) || errors.Is(err, substrate.ErrUnrecorded)
}

// Pause is devnet-only.
func (s *Subtensor) Pause(context.Context) error { return devnetOnly("pausing block production") }

// Resume is devnet-only.
func (s *Subtensor) Resume(context.Context) error { return devnetOnly("resuming block production") }

// Advance is devnet-only.
func (s *Subtensor) Advance(context.Context, uint64, func(done, total uint64)) (protocol.BlockHeader, error) {
	return protocol.BlockHeader{}, devnetOnly("advancing the clock")
}

// Faucet is devnet-only.
func (s *Subtensor) Faucet(context.Context, wallet.AccountID, uint64) (*protocol.TxInfo, error) {
	return nil, devnetOnly("the faucet")
}

// Snapshot is devnet-only.
func (s *Subtensor) Snapshot(context.Context, string) (protocol.SnapshotInfo, error) {
	return protocol.SnapshotInfo{}, devnetOnly("snapshots")
}

// Snapshots is devnet-only.
func (s *Subtensor) Snapshots(context.Context) ([]protocol.SnapshotInfo, error) {
	return nil, devnetOnly("snapshots")
}

// Restore is devnet-only.
func (s *Subtensor) Restore(context.Context, string) (protocol.SnapshotInfo, error) {
	return protocol.SnapshotInfo{}, devnetOnly("restoring a snapshot")
}

// Reset is devnet-only.
func (s *Subtensor) Reset(context.Context, *protocol.Genesis) (protocol.BlockHeader, error) {
	return protocol.BlockHeader{}, devnetOnly("resetting the chain")
}

// price is the spot price in rao per alpha (tao_in·1e9/alpha_in; 1e9 on root and for an
// empty pool).
func price(netuid, taoIn, alphaIn uint64) uint64 {
	if netuid == 0 || alphaIn == 0 {
		return 1_000_000_000
	}
	p := new(big.Int).Mul(new(big.Int).SetUint64(taoIn), big.NewInt(1_000_000_000))
	p.Quo(p, new(big.Int).SetUint64(alphaIn))
	if !p.IsUint64() {
		return ^uint64(0)
	}
	return p.Uint64()
}

// SubnetsUnreadOnSubtensor names the protocol.SubnetInfo fields (by JSON name) Subnets does
// not read from a subtensor node: zero in its rows, not the chain's values. The listing reads
// what the bittensor SDK's get_all_subnets_info reads (get_subnets_info_v2 and the Swap
// pallet's prices); a subnet's pool, emission and owner hotkey are in its metagraph, which
// Subnet (subnets show) reads.
var SubnetsUnreadOnSubtensor = []string{"owner_hotkey", "registered_at", "started", "first_emission_block", "lock", "moving_price",
	"tao_in", "alpha_in", "quote_weight", "alpha_out", "protocol_alpha", "emission_share_ppb", "tao_emission", "alpha_emission",
	"pending_server", "pending_validator", "pending_root", "pending_owner_cut", "volume"}

// Subnets reads every subnet at the best block, as the bittensor SDK's get_all_subnets_info
// does: SubnetInfoRuntimeApi_get_subnets_info_v2 (owner, tempo, blocks since the last epoch,
// burn, difficulty, size, identity) and Swap.AlphaSqrtPrice (get_subnet_prices: the price is
// the square of the U64F64 square root, computed exactly; root's is 1 TAO per alpha).
// SubnetsUnreadOnSubtensor lists what it leaves zero.
func (s *Subtensor) Subnets(ctx context.Context) ([]protocol.SubnetInfo, error) {
	_, nets, err := s.SubnetsAt(ctx)
	return nets, err
}

// SubnetsAt is Subnets with the head it was read at.
func (s *Subtensor) SubnetsAt(ctx context.Context) (protocol.BlockHeader, []protocol.SubnetInfo, error) {
	at, h, err := s.c.Head(ctx)
	if err != nil {
		return protocol.BlockHeader{}, nil, err
	}
	head := protocol.BlockHeader{Height: h.Number, Hash: protocol.Hash(at), ParentHash: protocol.Hash(h.ParentHash),
		TxRoot: protocol.Hash(h.ExtrinsicsRoot), StateDigest: protocol.Hash(h.StateRoot)}
	info, err := s.c.SubnetsInfo(ctx, &at)
	if err != nil {
		return head, nil, err
	}
	sqrt, err := s.c.SubnetSqrtPrices(ctx, at)
	if err != nil {
		return head, nil, fmt.Errorf("reading the subnets' prices (Swap.AlphaSqrtPrice): %w", err)
	}
	def, err := s.c.Metadata().DefaultSqrtPrice()
	if err != nil {
		return head, nil, err
	}
	out := make([]protocol.SubnetInfo, 0, len(info))
	for _, si := range info {
		root := si.NetUID == 0
		p := uint64(1_000_000_000)
		if !root {
			r, ok := sqrt[uint16(si.NetUID)]
			if !ok {
				r = def
			}
			p = PriceFromSqrt(r)
		}
		row := protocol.SubnetInfo{Netuid: uint16(si.NetUID), Owner: si.Owner, Root: root, Price: p, Tempo: uint16(si.Tempo),
			BurnCost: si.Burn, Difficulty: si.Difficulty, Neurons: uint16(si.SubnetworkN), MaxNeurons: uint16(si.MaxAllowedUIDs)}
		if si.BlocksSinceLastStep <= h.Number {
			row.LastEpoch = h.Number - si.BlocksSinceLastStep
			row.NextEpochBlock = row.LastEpoch + si.Tempo + 1
		}
		if id := si.Identity; id != nil {
			row.Identity = &protocol.SubnetIdentity{SubnetName: id.SubnetName, GithubRepo: id.GithubRepo, SubnetContact: id.SubnetContact,
				SubnetURL: id.SubnetURL, Discord: id.Discord, Description: id.Description, LogoURL: id.LogoURL, Additional: id.Additional}
		}
		out = append(out, row)
	}
	return head, out, nil
}

// PriceFromSqrt is the price in rao per alpha of a pool whose price's square root is the
// U64F64 sqrt (bits / 2^64): floor(bits² · 1e9 / 2^128), saturating at the largest uint64.
func PriceFromSqrt(sqrt scale.U128) uint64 {
	b := sqrt.Big()
	p := new(big.Int).Mul(b, b)
	p.Mul(p, big.NewInt(1_000_000_000))
	p.Rsh(p, 128)
	if !p.IsUint64() {
		return ^uint64(0)
	}
	return p.Uint64()
}

// Subnet reads one subnet (protocol.ErrNotFound for an unknown netuid) from its metagraph
// (get_selective_mechagraph): one call carries the pool, price, owner, schedule, burn and
// size, where get_dynamic_info would need get_subnets_info_v2 (every subnet) besides.
func (s *Subtensor) Subnet(ctx context.Context, netuid uint16) (protocol.SubnetInfo, error) {
	mg, err := s.mechagraph(ctx, netuid)
	if err != nil {
		return protocol.SubnetInfo{}, err
	}
	return SubnetFromMetagraph(mg), nil
}

// metagraphReuse is how long a read metagraph answers the next read of the same subnet (a
// command that shows a subnet's row and its neurons reads the large answer once).
const metagraphReuse = 2 * time.Second

// mechagraph reads a subnet's full selective mechagraph (mechanism 0), reusing one read
// within metagraphReuse; protocol.ErrNotFound for an unknown netuid.
func (s *Subtensor) mechagraph(ctx context.Context, netuid uint16) (*substrate.Metagraph, error) {
	s.mu.Lock()
	if s.mg != nil && s.mg.NetUID == uint64(netuid) && time.Since(s.mgAt) < metagraphReuse {
		mg := s.mg
		s.mu.Unlock()
		return mg, nil
	}
	s.mu.Unlock()
	mg, err := s.c.Metagraph(ctx, netuid, 0, nil, nil)
	if err != nil {
		return nil, err
	}
	if mg == nil {
		return nil, fmt.Errorf("subnet %d: %w", netuid, protocol.ErrNotFound)
	}
	s.mu.Lock()
	s.mg, s.mgAt = mg, time.Now()
	s.mu.Unlock()
	return mg, nil
}

// SubnetFromMetagraph is a subnet's row from its metagraph.
func SubnetFromMetagraph(mg *substrate.Metagraph) protocol.SubnetInfo {
	mp := substrate.FixedI96F32(mg.MovingPrice) * 1e9
	si := protocol.SubnetInfo{
		Netuid: uint16(mg.NetUID), Owner: mg.OwnerColdkey, OwnerHotkey: mg.OwnerHotkey, Root: mg.NetUID == 0,
		RegisteredAt: mg.RegisteredAt, Started: true, Price: price(mg.NetUID, mg.TaoIn, mg.AlphaIn), MovingPrice: uint64(max(mp, 0)),
		TaoIn: mg.TaoIn, AlphaIn: mg.AlphaIn, AlphaOut: mg.AlphaOut, Tempo: uint16(mg.Tempo), LastEpoch: mg.LastStep,
		NextEpochBlock: mg.LastStep + mg.Tempo + 1, BurnCost: mg.Burn, Difficulty: mg.Difficulty,
		Neurons: uint16(mg.NumUIDs), MaxNeurons: uint16(mg.MaxUIDs), Volume: mg.SubnetVolume.Lo,
	}
	if id := mg.Identity; id != nil {
		si.Identity = &protocol.SubnetIdentity{SubnetName: id.SubnetName, GithubRepo: id.GithubRepo, SubnetContact: id.SubnetContact,
			SubnetURL: id.SubnetURL, Discord: id.Discord, Description: id.Description, LogoURL: id.LogoURL, Additional: id.Additional}
	}
	return si
}

// Metagraph reads a subnet's metagraph (get_selective_mechagraph, mechanism 0, all fields).
func (s *Subtensor) Metagraph(ctx context.Context, netuid uint16) (*protocol.Metagraph, error) {
	mg, err := s.mechagraph(ctx, netuid)
	if err != nil {
		return nil, err
	}
	return ConvertMetagraph(mg), nil
}

// ConvertMetagraph maps a subtensor metagraph to btui's.
func ConvertMetagraph(mg *substrate.Metagraph) *protocol.Metagraph {
	n := len(mg.Hotkeys)
	at := func(v []uint64, i int) uint64 {
		if i < len(v) {
			return v[i]
		}
		return 0
	}
	bat := func(v []bool, i int) bool { return i < len(v) && v[i] }
	out := &protocol.Metagraph{Netuid: uint16(mg.NetUID), Block: mg.Block, N: uint16(n)}
	for i := 0; i < n; i++ {
		ni := protocol.NeuronInfo{
			UID: uint16(i), Hotkey: mg.Hotkeys[i], Stake: at(mg.AlphaStake, i), RootStake: at(mg.TaoStake, i),
			StakeWeight: at(mg.TotalStake, i), Rank: uint16(at(mg.Rank, i)), Trust: uint16(at(mg.Trust, i)),
			Consensus: uint16(at(mg.Consensus, i)), Incentive: uint16(at(mg.Incentives, i)), Dividends: uint16(at(mg.Dividends, i)),
			Emission: at(mg.Emission, i), Permit: bat(mg.ValidatorPermit, i), LastUpdate: at(mg.LastUpdate, i),
			Active: bat(mg.Active, i), RegisteredAt: at(mg.BlockAtRegistration, i),
			Immune: mg.Block < at(mg.BlockAtRegistration, i)+mg.ImmunityPeriod,
		}
		if i < len(mg.Coldkeys) {
			ni.Coldkey = mg.Coldkeys[i]
		}
		if i < len(mg.Axons) && mg.Axons[i].IP != (substrate.AxonInfo{}).IP {
			a := mg.Axons[i]
			ni.Axon = &protocol.AxonInfo{Block: a.Block, Version: uint32(a.Version), IP: formatIP(a), Port: uint16(a.Port),
				IPType: uint8(a.IPType), Protocol: uint8(a.Protocol)}
		}
		out.Neurons = append(out.Neurons, ni)
	}
	return out
}

func formatIP(a substrate.AxonInfo) string {
	if a.IPType == 4 {
		v := a.IP.Lo
		return fmt.Sprintf("%d.%d.%d.%d", byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return a.IP.String()
}

// Weights reads a subnet's SubtensorModule.Weights rows at the best block.
func (s *Subtensor) Weights(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error) {
	return s.matrix(ctx, "Weights", netuid)
}

// Bonds reads a subnet's SubtensorModule.Bonds rows at the best block.
func (s *Subtensor) Bonds(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error) {
	return s.matrix(ctx, "Bonds", netuid)
}

func (s *Subtensor) matrix(ctx context.Context, item string, netuid uint16) ([]protocol.MatrixRow, error) {
	at, err := s.c.BestHash(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.c.SubnetMatrix(ctx, item, netuid, at)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.MatrixRow, 0, len(rows))
	for _, r := range rows {
		row := protocol.MatrixRow{UID: r.UID, Entries: make([]protocol.UIDValue, 0, len(r.Entries))}
		for _, e := range r.Entries {
			row.Entries = append(row.Entries, protocol.UIDValue{UID: uint16(e.UID), Value: uint16(e.Value)})
		}
		out = append(out, row)
	}
	return out, nil
}

// Hyperparameters reads a subnet's hyperparameters from its metagraph. protocol.Hyperparams is
// the devnet's set: the fields a subtensor metagraph carries are filled, and Unknown lists
// the ones it does not carry (zero here, not the chain's value).
func (s *Subtensor) Hyperparameters(ctx context.Context, netuid uint16) (protocol.Hyperparams, error) {
	mg, err := s.mechagraph(ctx, netuid)
	if err != nil {
		return protocol.Hyperparams{}, err
	}
	return HyperparamsFromMetagraph(mg), nil
}

// HyperparamsUnknownOnSubtensor names the protocol.Hyperparams fields (by JSON name) a
// subtensor metagraph does not carry: HyperparamsFromMetagraph leaves them zero, and the
// commands show them as not available.
var HyperparamsUnknownOnSubtensor = []string{"activity_cutoff_factor_milli", "bonds_penalty", "yuma3", "alpha_sigmoid_steepness",
	"owner_cut_enabled", "burn_half_life", "burn_increase_mult_ppm", "immune_owner_uids_limit", "min_non_immune_uids",
	"whitepaper", "fee_rate", "emission_enabled"}

// HyperparamsFromMetagraph maps the hyperparameters a subtensor metagraph carries.
func HyperparamsFromMetagraph(mg *substrate.Metagraph) protocol.Hyperparams {
	return protocol.Hyperparams{
		Tempo: uint16(mg.Tempo), Kappa: uint16(mg.Kappa), Rho: uint16(mg.Rho), ImmunityPeriod: uint16(mg.ImmunityPeriod),
		MinAllowedWeights: uint16(mg.MinAllowedWeights), MaxWeightsLimit: uint16(mg.MaxWeightsLimit), MaxAllowedUids: uint16(mg.MaxUIDs),
		MaxAllowedValidators: uint16(mg.MaxValidators), WeightsSetRateLimit: mg.WeightsRateLimit, WeightsVersionKey: mg.WeightsVersion,
		BondsMovingAverage: mg.BondsMovingAvg, LiquidAlpha: mg.LiquidAlphaEnabled, AlphaLow: uint16(mg.AlphaLow), AlphaHigh: uint16(mg.AlphaHigh),
		CommitReveal: mg.CommitRevealWeightsEnabled, RevealPeriodEpochs: mg.CommitRevealPeriod, MinBurn: mg.MinBurn, MaxBurn: mg.MaxBurn,
		RegistrationAllowed: mg.RegistrationAllowed, PowRegistrationAllowed: mg.PowRegistrationAllowed, Difficulty: mg.Difficulty,
		ServingRateLimit: mg.ServingRateLimit,
	}
}

// GlobalParams is empty on a subtensor node: the devnet's chain-wide parameters (minimum
// pool reserve, ...) are btui's names, which a subtensor runtime does not have. Stake plans
// read the minimum reserve from StakeView (the Swap pallet's MinimumReserve constant).
func (s *Subtensor) GlobalParams(context.Context) (protocol.GlobalParams, error) {
	return protocol.GlobalParams{}, nil
}

// NetworkLockCost is get_network_registration_cost.
func (s *Subtensor) NetworkLockCost(ctx context.Context) (uint64, error) {
	return s.c.RegistrationCost(ctx, nil)
}

// StakesByColdkey is get_stake_info_for_coldkey with each position valued at its subnet's
// spot price.
func (s *Subtensor) StakesByColdkey(ctx context.Context, coldkey wallet.AccountID) ([]protocol.StakeInfo, error) {
	return s.stakesByColdkey(ctx, coldkey, nil)
}

// StakesByHotkey is not available on a subtensor node in this btui (the node answers stake by
// coldkey; a hotkey's nominators would need get_delegate, which no recording holds to test).
func (s *Subtensor) StakesByHotkey(context.Context, wallet.AccountID) ([]protocol.StakeInfo, error) {
	return nil, unsupported("listing the stake on a hotkey", "btui reads a subtensor node's stake by coldkey only: use stake list --ss58 COLDKEY")
}

// Delegates is get_delegates.
func (s *Subtensor) Delegates(ctx context.Context) ([]protocol.DelegateInfo, error) {
	ds, err := s.c.Delegates(ctx, nil)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.DelegateInfo, 0, len(ds))
	for _, d := range ds {
		di := protocol.DelegateInfo{Hotkey: d.Hotkey, Owner: d.Owner, Take: uint16(d.Take), Nominators: len(d.Nominators), StakeByNet: map[string]uint64{}}
		for _, r := range d.Registrations {
			di.Registered = append(di.Registered, uint16(r))
		}
		for _, n := range d.Nominators {
			for _, st := range n.Stakes {
				di.StakeByNet[strconv.FormatUint(st.UID, 10)] += st.Value
			}
		}
		out = append(out, di)
	}
	return out, nil
}

func blake256(b []byte) [32]byte { return blake2b.Sum256(b) }
