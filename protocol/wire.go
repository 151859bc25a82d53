package protocol

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/btui/btui/wallet"
)

// The wire types below are what queries return and what `btui node` serves as JSON. Their JSON
// field names are part of the node API: add fields, never rename them. Account ids marshal as
// SS58 strings, hashes as 0x-prefixed hex, amounts as integers in rao (1 TAO = 1e9 rao).

// Hash is a 32-byte blake2b-256 digest: block hash, transaction hash, roots, state digest.
type Hash [32]byte

// TxHash is the hash of a transaction envelope: blake2b-256(payload || signature).
type TxHash = Hash

// String returns the 0x-prefixed hex form.
func (h Hash) String() string { return "0x" + hex.EncodeToString(h[:]) }

// IsZero reports whether h is all zeros.
func (h Hash) IsZero() bool { return h == Hash{} }

// MarshalText encodes the hash as 0x-prefixed hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText decodes 0x-prefixed (or bare) hex of exactly 32 bytes.
func (h *Hash) UnmarshalText(b []byte) error {
	p, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = p
	return nil
}

// ParseHash parses a 32-byte hash written as 64 hex digits, with or without 0x.
func ParseHash(s string) (Hash, error) {
	var h Hash
	t := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if len(t) != 64 {
		return h, fmt.Errorf("invalid hash %q: want 64 hex digits, got %d", s, len(t))
	}
	if _, err := hex.Decode(h[:], []byte(t)); err != nil {
		return h, fmt.Errorf("invalid hash %q: %v", s, err)
	}
	return h, nil
}

// BlockHeader is a block's header. Hash is blake2b-256 of the header's binary encoding (all the
// other fields); it is carried alongside for convenience and is not itself encoded.
type BlockHeader struct {
	Height      uint64 `json:"height"`
	Hash        Hash   `json:"hash"`
	ParentHash  Hash   `json:"parent_hash"`
	TimestampMs uint64 `json:"timestamp_ms"` // logical: genesis time + height × target block time
	TxRoot      Hash   `json:"tx_root"`      // binary merkle root of the tx hashes (zero when empty)
	ResultRoot  Hash   `json:"result_root"`  // blake2b-256 of the block's encoded receipts and events
	StateDigest Hash   `json:"state_digest"` // running hash over every block's sorted write set
	TxCount     uint32 `json:"tx_count"`
	EventCount  uint32 `json:"event_count"`
}

// Block is a header with its transactions (in block order, each with receipt and events) and
// the events of the block step (emitted before the transactions, TxIndex = -1).
type Block struct {
	Header      BlockHeader `json:"header"`
	Txs         []TxInfo    `json:"txs"`
	StepEvents  []Event     `json:"step_events"`
	SizeBytes   int         `json:"size_bytes"` // sum of the transaction envelopes' sizes
	GenesisHash Hash        `json:"genesis_hash"`
}

// Receipt is the outcome of an included transaction. Code 0 is success; any other code is a
// failure whose fee was still paid and nonce still bumped, with no other state change.
type Receipt struct {
	Code     Code   `json:"code"`
	CodeName string `json:"code_name"`
	Message  string `json:"message,omitempty"`
	Fee      uint64 `json:"fee"` // burned, as is the tip (see docs/transactions.md)
	Tip      uint64 `json:"tip"`
}

// OK reports whether the call succeeded.
func (r Receipt) OK() bool { return r.Code == CodeOK }

// Attr is one named event attribute; values are strings (amounts in decimal rao, accounts in
// SS58) so every event has one JSON shape.
type Attr struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Event is something a block step or transaction did. Accounts lists the accounts involved;
// they index the account history.
type Event struct {
	Height   uint64             `json:"height"`
	TxIndex  int32              `json:"tx_index"` // -1 for the block step
	Index    uint32             `json:"index"`    // position among the block's events
	Module   string             `json:"module"`
	Name     string             `json:"name"`
	Attrs    []Attr             `json:"attrs"`
	Accounts []wallet.AccountID `json:"accounts,omitempty"`
}

// Attr returns the value of the attribute named key, or "".
func (e Event) Attr(key string) string {
	for _, a := range e.Attrs {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// CallInfo is a decoded call: module, method and the arguments as JSON.
type CallInfo struct {
	Module string          `json:"module"`
	Method string          `json:"method"`
	Args   json.RawMessage `json:"args"`
}

// TxInfo is an included transaction with its position, receipt and events.
type TxInfo struct {
	Hash    TxHash           `json:"hash"`
	Height  uint64           `json:"height"`
	Index   uint32           `json:"index"`
	Signer  wallet.AccountID `json:"signer"`
	Nonce   uint64           `json:"nonce"`
	Tip     uint64           `json:"tip"`
	Expiry  uint64           `json:"expiry"` // 0 = immortal
	Call    CallInfo         `json:"call"`
	Size    int              `json:"size"`
	Receipt Receipt          `json:"receipt"`
	Events  []Event          `json:"events"`
}

// AccountInfo is an account's balance and nonce.
type AccountInfo struct {
	Address wallet.AccountID `json:"address"`
	Free    uint64           `json:"free"`
	Nonce   uint64           `json:"nonce"` // the nonce the account's next transaction must carry
	// Identity is the account's on-chain identity (set_identity), if it set one.
	Identity *Identity `json:"identity,omitempty"`
	// ColdkeySwap is the account's scheduled coldkey swap (schedule_swap_coldkey), if any.
	ColdkeySwap *ColdkeySwapInfo `json:"coldkey_swap,omitempty"`
}

// HistoryEntry is one transaction that involved an account (signed it or moved its funds).
type HistoryEntry struct {
	Height uint64 `json:"height"`
	Index  uint32 `json:"index"`
	Hash   TxHash `json:"hash"`
}

// PricePoint is a subnet's spot price after one block (rao per alpha: 1e9 = 1 TAO per alpha).
type PricePoint struct {
	Block uint64 `json:"block"`
	Price uint64 `json:"price"`
}

// ChainInfo summarises the chain and its producer.
type ChainInfo struct {
	ChainName          string           `json:"chain_name"`
	GenesisHash        Hash             `json:"genesis_hash"`
	Height             uint64           `json:"height"`
	Head               Hash             `json:"head"`
	HeadTimestampMs    uint64           `json:"head_timestamp_ms"`
	StateDigest        Hash             `json:"state_digest"`
	TargetBlockTimeMs  uint64           `json:"target_block_time_ms"` // the logical clock step
	BlockTimeMs        uint64           `json:"block_time_ms"`        // the producer interval; 0 = on demand
	Producing          bool             `json:"producing"`            // a producer is running in this process
	Paused             bool             `json:"paused"`               // the stored pause flag
	ProducerError      string           `json:"producer_error,omitempty"`
	PendingTxs         int              `json:"pending_txs"`
	TotalIssuance      uint64           `json:"total_issuance"`
	ExistentialDeposit uint64           `json:"existential_deposit"`
	TxFee              uint64           `json:"tx_fee"`
	Sudo               wallet.AccountID `json:"sudo"`
	Token              string           `json:"token"`
	Decimals           int              `json:"decimals"`
	SS58Prefix         uint16           `json:"ss58_prefix"`
	SchemaVersion      uint32           `json:"schema_version"`
	DBSizeBytes        int64            `json:"db_size_bytes"`
}

// HeadEvent is delivered to subscribers after each committed block. Missed counts the heads
// this subscriber did not receive since its previous event because its buffer was full.
// Events is shared between subscribers: treat it as read-only.
type HeadEvent struct {
	Header BlockHeader `json:"header"`
	Events []Event     `json:"events"`
	Missed uint64      `json:"missed"`
}

// SubmitResult is the outcome of one transaction of SubmitBatch.
type SubmitResult struct {
	Hash TxHash `json:"hash"`
	Err  error  `json:"-"`
}

// SnapshotInfo describes a stored snapshot.
type SnapshotInfo struct {
	Name      string `json:"name"`
	Height    uint64 `json:"height"`
	Head      Hash   `json:"head"`
	SizeBytes int64  `json:"size_bytes"`
}

// Leftover is a temporary file a killed process left in a devnet directory (an interrupted
// snapshot or restore), removed when the devnet is next opened.
type Leftover struct {
	Path string `json:"path"`
	Size int64  `json:"size_bytes"`
}
