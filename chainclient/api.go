package chainclient

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The node's HTTP API (docs/rpc.md). Requests and responses below are the API's envelopes;
// the values they carry are localchain's wire types. Field names are part of the API: add
// fields, never rename them.

// API paths.
const (
	PathHealth    = "/health"
	PathReady     = "/ready"
	PathMethods   = "/v1/"          // POST /v1/<method> with a JSON object of parameters
	PathSubscribe = "/v1/subscribe" // GET, server-sent events
)

// API method names (the <method> of POST /v1/<method>).
const (
	MethodInfo           = "info"
	MethodAccount        = "account"
	MethodNextNonce      = "next_nonce"
	MethodBlock          = "block"
	MethodBlockByHash    = "block_by_hash"
	MethodBlocks         = "blocks"
	MethodTx             = "tx"
	MethodIsPending      = "is_pending"
	MethodEvents         = "events"
	MethodAccountHistory = "account_history"
	MethodGenesis        = "genesis"
	MethodCheck          = "check"
	MethodSubmit         = "submit"
	MethodSubmitBatch    = "submit_batch"
	MethodWaitTx         = "wait_tx"
	MethodSubmitAndWait  = "submit_and_wait"
	MethodPause          = "pause"
	MethodResume         = "resume"
	MethodAdvance        = "advance"
	MethodSnapshot       = "snapshot"
	MethodSnapshots      = "snapshots"
	MethodRestore        = "restore"
	MethodReset          = "reset"
)

// TxBytes is a signed transaction envelope, in JSON a 0x-prefixed hex string.
type TxBytes []byte

// MarshalText encodes the bytes as 0x-prefixed hex.
func (b TxBytes) MarshalText() ([]byte, error) {
	out := make([]byte, 2+hex.EncodedLen(len(b)))
	copy(out, "0x")
	hex.Encode(out[2:], b)
	return out, nil
}

// UnmarshalText decodes 0x-prefixed hex of at most protocol.MaxTxSize bytes.
func (b *TxBytes) UnmarshalText(text []byte) error {
	if len(text) < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X') {
		return errors.New("transaction must be 0x-prefixed hex")
	}
	text = text[2:]
	if n := hex.DecodedLen(len(text)); n > protocol.MaxTxSize {
		return fmt.Errorf("transaction is %d bytes, the limit is %d", n, protocol.MaxTxSize)
	}
	out := make([]byte, hex.DecodedLen(len(text)))
	if _, err := hex.Decode(out, text); err != nil {
		return fmt.Errorf("transaction hex: %v", err)
	}
	*b = out
	return nil
}

// Request parameters.
type (
	// AccountParams names an account (account, next_nonce).
	AccountParams struct {
		Address wallet.AccountID `json:"address"`
	}
	// HeightParams names a block by height (block).
	HeightParams struct {
		Height uint64 `json:"height"`
	}
	// HashParams names a block or transaction by hash (block_by_hash, tx, wait_tx).
	HashParams struct {
		Hash protocol.Hash `json:"hash"`
		// TimeoutMs bounds wait_tx on the node (capped by the node); 0 = the node's maximum.
		TimeoutMs uint64 `json:"timeout_ms,omitempty"`
	}
	// BlocksParams asks for Count headers from height From (blocks).
	BlocksParams struct {
		From  uint64 `json:"from"`
		Count int    `json:"count"`
	}
	// EventsParams asks for the events of blocks From..To inclusive (events).
	EventsParams struct {
		From uint64 `json:"from"`
		To   uint64 `json:"to"`
	}
	// HistoryParams asks for an account's history (account_history).
	HistoryParams struct {
		Address wallet.AccountID `json:"address"`
		Before  uint64           `json:"before"`
		Limit   int              `json:"limit"`
	}
	// SubmitParams carries one signed transaction (submit, submit_and_wait).
	SubmitParams struct {
		Tx TxBytes `json:"tx"`
		// TimeoutMs bounds submit_and_wait's wait on the node; 0 = the node's maximum.
		TimeoutMs uint64 `json:"timeout_ms,omitempty"`
	}
	// SubmitBatchParams carries signed transactions in order (submit_batch).
	SubmitBatchParams struct {
		Txs []TxBytes `json:"txs"`
	}
	// AdvanceParams asks for N blocks now (advance).
	AdvanceParams struct {
		N uint64 `json:"n"`
	}
	// NameParams names a snapshot (snapshot, restore).
	NameParams struct {
		Name string `json:"name"`
	}
	// ResetParams carries the genesis to reset to; null keeps the current one (reset).
	ResetParams struct {
		Genesis *protocol.Genesis `json:"genesis"`
	}
)

// Results that are not a localchain type.
type (
	// HashResult is submit's result.
	HashResult struct {
		Hash protocol.TxHash `json:"hash"`
	}
	// PendingResult is is_pending's result.
	PendingResult struct {
		Pending bool `json:"pending"`
	}
	// NonceResult is next_nonce's result.
	NonceResult struct {
		Nonce uint64 `json:"nonce"`
	}
	// BatchResult is one entry of submit_batch's results: the hash, or (also) the rejection.
	BatchResult struct {
		Hash  protocol.TxHash `json:"hash"`
		Error *APIError       `json:"error,omitempty"`
	}
	// SubmitBatchResult is submit_batch's result, in input order.
	SubmitBatchResult struct {
		Results []BatchResult `json:"results"`
	}
	// OKResult is the result of a call with nothing to return (pause, resume, check).
	OKResult struct {
		OK bool `json:"ok"`
	}
	// Progress is an advance progress event.
	Progress struct {
		Done  uint64 `json:"done"`
		Total uint64 `json:"total"`
	}
	// ReadyResult is the body of /ready.
	ReadyResult struct {
		Ready     bool   `json:"ready"`
		Height    uint64 `json:"height"`
		Producing bool   `json:"producing"`
		Paused    bool   `json:"paused"`
		Reason    string `json:"reason,omitempty"`
	}
)

// API error kinds.
const (
	KindRejected         = "rejected"           // a transaction-level error with a code
	KindNotFound         = "not_found"          // no such block, transaction or snapshot
	KindBadRequest       = "bad_request"        // malformed JSON or parameters
	KindUnknownMethod    = "unknown_method"     // no such API method
	KindMethodNotAllowed = "method_not_allowed" // wrong HTTP method
	KindTooLarge         = "too_large"          // the body is over the limit
	KindUnsupported      = "unsupported"        // the chain does not offer this
	KindUnavailable      = "unavailable"        // the chain is closed or the node shutting down
	KindTimeout          = "timeout"            // the node's wait ended before the result
	KindInvariant        = "invariant"          // check found a violated invariant or bad block
	KindInvalid          = "invalid"            // an invalid name or genesis
	KindNoDevKey         = "no_dev_key"         // faucet needs a dev sudo key
	KindError            = "error"              // any other failure; the message says what
)

// APIError is the body of every error response: {"error": APIError}.
type APIError struct {
	Kind     string `json:"kind"`
	Message  string `json:"message"`
	Code     uint32 `json:"code,omitempty"` // the localchain code, for kind "rejected"
	CodeName string `json:"code_name,omitempty"`
}

// ErrorResponse is the JSON body of an error response.
type ErrorResponse struct {
	Error APIError `json:"error"`
}

// ErrorToAPI maps an error of a Client method to the API's HTTP status and error body.
func ErrorToAPI(err error) (int, APIError) {
	msg := err.Error()
	var te *protocol.TxError
	switch {
	case errors.As(err, &te):
		return http.StatusUnprocessableEntity, APIError{Kind: KindRejected, Message: msg, Code: uint32(te.Code), CodeName: te.Code.String()}
	case errors.Is(err, protocol.ErrNotFound):
		return http.StatusNotFound, APIError{Kind: KindNotFound, Message: msg}
	case errors.Is(err, protocol.ErrClosed):
		return http.StatusServiceUnavailable, APIError{Kind: KindUnavailable, Message: msg}
	case errors.Is(err, ErrUnsupported):
		return http.StatusNotImplemented, APIError{Kind: KindUnsupported, Message: msg}
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, APIError{Kind: KindTimeout, Message: msg}
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, APIError{Kind: KindUnavailable, Message: msg}
	case errors.Is(err, protocol.ErrInvariant), errors.Is(err, protocol.ErrBadBlock):
		return http.StatusInternalServerError, APIError{Kind: KindInvariant, Message: msg}
	case errors.Is(err, protocol.ErrInvalidName), errors.Is(err, protocol.ErrInvalidGenesis),
		errors.Is(err, protocol.ErrGenesisMismatch):
		return http.StatusBadRequest, APIError{Kind: KindInvalid, Message: msg}
	case errors.Is(err, ErrNoDevKey), errors.Is(err, protocol.ErrNoDevKey):
		return http.StatusBadRequest, APIError{Kind: KindNoDevKey, Message: msg}
	case errors.Is(err, ErrBadRequest), errors.Is(err, protocol.ErrBadRange):
		return http.StatusBadRequest, APIError{Kind: KindBadRequest, Message: msg}
	}
	return http.StatusInternalServerError, APIError{Kind: KindError, Message: msg}
}

// remoteError is an error returned by a node: its message as the node gave it, matching the
// sentinel of its kind with errors.Is.
type remoteError struct {
	msg      string
	sentinel error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.sentinel }

// Err turns an API error body back into the error the embedded client would have returned:
// a *protocol.TxError for rejections, and the message wrapping the kind's sentinel
// (protocol.ErrNotFound, ErrClosed, ErrInvariant, ...) otherwise.
func (e APIError) Err(status int) error {
	var sentinel error
	switch e.Kind {
	case KindRejected:
		return &protocol.TxError{Code: protocol.Code(e.Code), Msg: e.Message}
	case KindNotFound:
		sentinel = protocol.ErrNotFound
	case KindUnavailable:
		sentinel = protocol.ErrClosed
	case KindUnsupported:
		sentinel = ErrUnsupported
	case KindTimeout:
		sentinel = context.DeadlineExceeded
	case KindInvariant:
		sentinel = protocol.ErrInvariant
	case KindInvalid:
		sentinel = errInvalid(e.Message)
	case KindNoDevKey:
		sentinel = ErrNoDevKey
	case KindBadRequest, KindUnknownMethod, KindMethodNotAllowed, KindTooLarge:
		sentinel = ErrBadRequest
		if strings.Contains(e.Message, protocol.ErrBadRange.Error()) {
			sentinel = errors.Join(ErrBadRequest, protocol.ErrBadRange)
		}
	case KindError:
		return &remoteError{msg: e.Message}
	default:
		return &NodeError{Status: status, Kind: e.Kind, Message: e.Message}
	}
	return &remoteError{msg: e.Message, sentinel: sentinel}
}

// errInvalid picks the localchain sentinel an "invalid" message came from.
func errInvalid(msg string) error {
	switch {
	case strings.Contains(msg, protocol.ErrGenesisMismatch.Error()):
		return protocol.ErrGenesisMismatch
	case strings.Contains(msg, protocol.ErrInvalidGenesis.Error()):
		return protocol.ErrInvalidGenesis
	}
	return protocol.ErrInvalidName
}
