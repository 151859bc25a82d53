package protocol

import (
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/wallet"
)

// Transaction format (docs/transactions.md has the full layout):
//
//	envelope = payload || signature(65)
//	payload  = version u8 (=1) || genesis hash [32] || signer [32] || nonce u64 || tip u64 ||
//	           expiry u64 || module (u8 len, ascii) || method (u8 len, ascii) || call args
//	signed   = payload, or blake2b-256(payload) when the payload is longer than 256 bytes
//	tx hash  = blake2b-256(envelope)
const (
	// TxVersion is the payload format version.
	TxVersion = 1
	// MaxTxSize is the largest accepted envelope in bytes.
	MaxTxSize = 16 << 10
	// SignatureSize is the size of the trailing Substrate ECDSA signature.
	SignatureSize = 65
	// maxSignedInline is the payload size above which the payload's hash is signed instead.
	maxSignedInline = 256
	// payloadHeaderSize is version + genesis + signer + nonce + tip + expiry.
	payloadHeaderSize = 1 + 32 + 32 + 8 + 8 + 8
	maxNameLen        = 32
	// MaxFutureNonces is how far ahead of an account's nonce a transaction may be and still be
	// admitted to the pool (it waits there for the nonces before it).
	MaxFutureNonces = 64
)

// CallName identifies a call: a module (pallet) and one of its methods.
type CallName struct {
	Module string `json:"module"`
	Method string `json:"method"`
}

// String returns "module.method".
func (n CallName) String() string { return n.Module + "." + n.Method }

// Call is a typed call. Each call type is a struct with JSON tags (how it is shown) that
// encodes its arguments in a fixed order and checks them statelessly.
type Call interface {
	// CallName returns the module and method the call dispatches to.
	CallName() CallName
	// EncodeArgs appends the arguments in the call's fixed layout.
	EncodeArgs(e *Encoder)
	// Validate checks the arguments without state (cosmos' ValidateBasic), given the signer,
	// and returns a rejection *TxError; it runs in CheckTx and again before execution.
	Validate(signer wallet.AccountID) error
}

// Tx is a transaction: who signs, replay protection, and the call. Build one with NewTx, sign it
// with Sign, send Encode's bytes. A Tx returned by DecodeTx keeps its exact bytes; do not
// modify its fields.
type Tx struct {
	Genesis   Hash
	Signer    wallet.AccountID
	Nonce     uint64
	Tip       uint64 // rao on top of the fee, burned like the fee; orders the pool
	Expiry    uint64 // the last block height that may include the transaction; 0 = immortal
	Call      Call
	Signature wallet.Signature

	raw  []byte // the envelope, when decoded
	hash TxHash // valid when raw != nil
}

// NewTx returns an unsigned transaction for the chain with genesis hash genesis.
func NewTx(genesis Hash, call Call, signer wallet.AccountID, nonce, tip, expiry uint64) *Tx {
	return &Tx{Genesis: genesis, Call: call, Signer: signer, Nonce: nonce, Tip: tip, Expiry: expiry}
}

// Payload returns the signed bytes' source: the transaction without its signature.
func (t *Tx) Payload() []byte {
	if t.raw != nil {
		return t.raw[:len(t.raw)-SignatureSize]
	}
	name := t.Call.CallName()
	e := Encoder{buf: make([]byte, 0, 160)}
	e.U8(TxVersion)
	e.Fixed(t.Genesis[:])
	e.Account(t.Signer)
	e.U64(t.Nonce)
	e.U64(t.Tip)
	e.U64(t.Expiry)
	e.U8(uint8(len(name.Module)))
	e.Fixed([]byte(name.Module))
	e.U8(uint8(len(name.Method)))
	e.Fixed([]byte(name.Method))
	t.Call.EncodeArgs(&e)
	return e.buf
}

// SigningMessage returns the bytes the signature covers: the payload, or blake2b-256 of it
// when it is longer than 256 bytes (as Substrate does).
func SigningMessage(payload []byte) []byte {
	if len(payload) > maxSignedInline {
		h := blake2b.Sum256(payload)
		return h[:]
	}
	return payload
}

// Sign signs the payload with kp, which must be the signer's key.
func (t *Tx) Sign(kp *wallet.Keypair) error {
	if kp.AccountID() != t.Signer {
		return fmt.Errorf("sign transaction: key %s is not the signer %s", kp.AccountID(), t.Signer)
	}
	t.raw = nil
	t.Signature = kp.Sign(SigningMessage(t.Payload()))
	return nil
}

// Encode returns the envelope: payload || signature.
func (t *Tx) Encode() []byte {
	if t.raw != nil {
		return append([]byte(nil), t.raw...)
	}
	p := t.Payload()
	return append(p, t.Signature[:]...)
}

// Hash returns blake2b-256 of the envelope.
func (t *Tx) Hash() TxHash {
	if t.raw != nil {
		return t.hash
	}
	return blake2b.Sum256(t.Encode())
}

// VerifySignature checks the signature against the signer: canonical (low-S, v in 0..1) and
// recovering a public key whose account id is the signer.
func (t *Tx) VerifySignature() error {
	err := wallet.Verify(SigningMessage(t.Payload()), t.Signature, t.Signer)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, wallet.ErrHighS):
		return Reject(CodeHighS, "signature is not in low-s form: re-sign with a canonical signer")
	case errors.Is(err, wallet.ErrRecoveryID):
		return Reject(CodeRecoveryID, "signature recovery id is %d, want 0 or 1", t.Signature[64])
	default:
		return Reject(CodeBadSignature, "bad signature: it does not recover signer %s", t.Signer)
	}
}

// DecodeTx decodes an envelope strictly: exact sizes, a known version and call, arguments that
// consume the payload exactly. It does not check the signature or the arguments' values (see
// CheckTx and Call.Validate).
func DecodeTx(b []byte) (*Tx, error) {
	if len(b) > MaxTxSize {
		return nil, Reject(CodeOversize, "transaction is %d bytes, the limit is %d", len(b), MaxTxSize)
	}
	if len(b) < payloadHeaderSize+2+SignatureSize {
		return nil, Reject(CodeMalformed, "transaction is %d bytes, too short to hold a payload and a signature", len(b))
	}
	payload := b[:len(b)-SignatureSize]
	d := NewDecoder(payload)
	if v := d.U8(); v != TxVersion {
		return nil, Reject(CodeMalformed, "transaction version %d, want %d", v, TxVersion)
	}
	t := &Tx{}
	copy(t.Genesis[:], d.Fixed(32))
	t.Signer = d.Account()
	t.Nonce = d.U64()
	t.Tip = d.U64()
	t.Expiry = d.U64()
	module := decodeName(d, "module")
	method := decodeName(d, "method")
	if err := d.Err(); err != nil {
		return nil, err
	}
	call, ok := DecodeCall(CallName{module, method}, d)
	if !ok {
		return nil, Reject(CodeUnknownCall, "unknown call %s.%s", module, method)
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	t.Call = call
	copy(t.Signature[:], b[len(b)-SignatureSize:])
	t.raw = append([]byte(nil), b...)
	t.hash = blake2b.Sum256(t.raw)
	return t, nil
}

func decodeName(d *Decoder, what string) string {
	n := int(d.U8())
	if d.Err() == nil && (n == 0 || n > maxNameLen) {
		d.Failf("%s name length %d is not 1..%d", what, n, maxNameLen)
		return ""
	}
	s := d.Fixed(n)
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			d.Failf("%s name %q has a character other than a-z, 0-9, _", what, s)
			return ""
		}
	}
	return string(s)
}

// Raw returns the envelope of a decoded transaction without copying it (nil for one built
// with NewTx). Callers must not modify it.
func (t *Tx) Raw() []byte { return t.raw }

// Size returns the envelope's length in bytes.
func (t *Tx) Size() int {
	if t.raw != nil {
		return len(t.raw)
	}
	return len(t.Encode())
}

// CallInfoOf renders a call for TxInfo: its name and its arguments as JSON.
func CallInfoOf(c Call) CallInfo {
	args, err := json.Marshal(c)
	if err != nil {
		args = []byte("null")
	}
	n := c.CallName()
	return CallInfo{Module: n.Module, Method: n.Method, Args: args}
}
