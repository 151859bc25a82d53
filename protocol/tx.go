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
//	envelope = payload || signature(65 ecdsa | 64 sr25519)
//	payload  = version u8 || [scheme u8, version 2 only] || genesis hash [32] || signer [32] ||
//	           nonce u64 || tip u64 || expiry u64 || module (u8 len, ascii) ||
//	           method (u8 len, ascii) || call args
//	version 1: the signature is Substrate ECDSA (65 bytes); every ECDSA signer writes this
//	version 2: the payload names the scheme with Substrate's MultiSignature index, which the
//	           signature covers; sr25519 signers write this (index 1). Index 2 (ecdsa) is
//	           refused here, so that every transaction has one encoding; 0 (ed25519) too.
//	signed   = payload, or blake2b-256(payload) when the payload is longer than 256 bytes
//	tx hash  = blake2b-256(envelope)
const (
	// TxVersion is the payload format version of ECDSA-signed transactions (no scheme byte).
	TxVersion = 1
	// TxVersionMulti is the payload format version that names the signature scheme (a
	// MultiSignature index byte after the version), used by sr25519 signers.
	TxVersionMulti = 2
	// MaxTxSize is the largest accepted envelope in bytes.
	MaxTxSize = 16 << 10
	// SignatureSize is the size of the trailing Substrate ECDSA signature (an sr25519
	// signature, in a version 2 envelope, is SrSignatureSize).
	SignatureSize = 65
	// SrSignatureSize is the size of a trailing sr25519 signature.
	SrSignatureSize = 64
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
	Genesis Hash
	Signer  wallet.AccountID
	Nonce   uint64
	Tip     uint64 // rao on top of the fee, burned like the fee; orders the pool
	Expiry  uint64 // the last block height that may include the transaction; 0 = immortal
	Call    Call
	// Scheme is the signer's signature scheme: Ecdsa (Signature, a version 1 envelope) or
	// Sr25519 (SrSignature, a version 2 envelope).
	Scheme      wallet.Scheme
	Signature   wallet.Signature
	SrSignature wallet.SrSignature

	raw  []byte // the envelope, when decoded
	hash TxHash // valid when raw != nil
}

// version is the payload version the transaction is written with.
func (t *Tx) version() uint8 {
	if t.Scheme == wallet.Sr25519 {
		return TxVersionMulti
	}
	return TxVersion
}

// sigSize is the length of the trailing signature.
func (t *Tx) sigSize() int { return t.Scheme.SignatureLen() }

// sigBytes returns the signature of the transaction's scheme.
func (t *Tx) sigBytes() []byte {
	if t.Scheme == wallet.Sr25519 {
		return t.SrSignature[:]
	}
	return t.Signature[:]
}

// NewTx returns an unsigned transaction for the chain with genesis hash genesis.
func NewTx(genesis Hash, call Call, signer wallet.AccountID, nonce, tip, expiry uint64) *Tx {
	return &Tx{Genesis: genesis, Call: call, Signer: signer, Nonce: nonce, Tip: tip, Expiry: expiry}
}

// Payload returns the signed bytes' source: the transaction without its signature.
func (t *Tx) Payload() []byte {
	if t.raw != nil {
		return t.raw[:len(t.raw)-t.sigSize()]
	}
	e := Encoder{buf: make([]byte, 0, 160)}
	e.U8(t.version())
	if t.version() == TxVersionMulti {
		e.U8(t.Scheme.MultiSignatureIndex())
	}
	e.Fixed(t.Genesis[:])
	e.Account(t.Signer)
	e.U64(t.Nonce)
	e.U64(t.Tip)
	e.U64(t.Expiry)
	encodeCall(&e, t.Call)
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
func (t *Tx) Sign(kp *wallet.Keypair) error { return t.SignWith(kp) }

// SignWith signs the payload with a key of either scheme, which must be the signer's key. An
// sr25519 key makes a version 2 envelope (the scheme is part of what is signed).
func (t *Tx) SignWith(kp wallet.Pair) error {
	if kp.AccountID() != t.Signer {
		return fmt.Errorf("sign transaction: key %s is not the signer %s", kp.AccountID(), t.Signer)
	}
	t.raw = nil
	t.Scheme = kp.Scheme()
	sig := kp.SignBytes(SigningMessage(t.Payload()))
	if t.Scheme == wallet.Sr25519 {
		copy(t.SrSignature[:], sig)
	} else {
		copy(t.Signature[:], sig)
	}
	return nil
}

// Encode returns the envelope: payload || signature.
func (t *Tx) Encode() []byte {
	if t.raw != nil {
		return append([]byte(nil), t.raw...)
	}
	p := t.Payload()
	return append(p, t.sigBytes()...)
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
	if t.Scheme == wallet.Sr25519 {
		if err := wallet.SrVerify(SigningMessage(t.Payload()), t.SrSignature, wallet.SrPublicKey(t.Signer)); err != nil {
			return Reject(CodeBadSignature, "bad sr25519 signature: it was not made by signer %s over this transaction", t.Signer)
		}
		return nil
	}
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
	t := &Tx{}
	header := payloadHeaderSize
	if len(b) > 1 && b[0] == TxVersionMulti {
		scheme, err := wallet.SchemeFromMultiSignatureIndex(b[1])
		if err != nil {
			return nil, Reject(CodeMalformed, "transaction signature scheme: %v", err)
		}
		if scheme != wallet.Sr25519 {
			// One encoding per transaction: ECDSA signers write version 1.
			return nil, Reject(CodeMalformed, "a version %d transaction names scheme %s: ecdsa transactions are version %d", TxVersionMulti, scheme, TxVersion)
		}
		t.Scheme, header = scheme, payloadHeaderSize+1
	}
	if len(b) < header+2+t.sigSize() {
		return nil, Reject(CodeMalformed, "transaction is %d bytes, too short to hold a payload and a signature", len(b))
	}
	payload := b[:len(b)-t.sigSize()]
	d := NewDecoder(payload)
	if v := d.U8(); v != TxVersion && v != TxVersionMulti {
		return nil, Reject(CodeMalformed, "transaction version %d, want %d or %d", v, TxVersion, TxVersionMulti)
	}
	if t.Scheme == wallet.Sr25519 {
		d.U8() // the scheme, read above
	}
	copy(t.Genesis[:], d.Fixed(32))
	t.Signer = d.Account()
	t.Nonce = d.U64()
	t.Tip = d.U64()
	t.Expiry = d.U64()
	call, err := decodeCall(d)
	if err != nil {
		return nil, err
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	t.Call = call
	if t.Scheme == wallet.Sr25519 {
		copy(t.SrSignature[:], b[len(b)-SrSignatureSize:])
	} else {
		copy(t.Signature[:], b[len(b)-SignatureSize:])
	}
	t.raw = append([]byte(nil), b...)
	t.hash = blake2b.Sum256(t.raw)
	return t, nil
}

// encodeCall appends module (u8 length, ascii) || method (u8 length, ascii) || arguments.
func encodeCall(e *Encoder, c Call) {
	name := c.CallName()
	e.U8(uint8(len(name.Module)))
	e.Fixed([]byte(name.Module))
	e.U8(uint8(len(name.Method)))
	e.Fixed([]byte(name.Method))
	c.EncodeArgs(e)
}

// decodeCall reads encodeCall's layout (errors stick in d and are returned).
func decodeCall(d *Decoder) (Call, error) {
	module := decodeName(d, "module")
	method := decodeName(d, "method")
	if err := d.Err(); err != nil {
		return nil, err
	}
	call, ok := DecodeCall(CallName{module, method}, d)
	if !ok {
		return nil, Reject(CodeUnknownCall, "unknown call %s.%s", module, method)
	}
	return call, d.Err()
}

// EncodeCall returns a call alone, as it stands at the end of a transaction payload: module
// (u8 length, ascii) || method (u8 length, ascii) || arguments. The node's simulate method
// takes it.
func EncodeCall(c Call) []byte {
	e := Encoder{buf: make([]byte, 0, 96)}
	encodeCall(&e, c)
	return e.buf
}

// ParseCall decodes EncodeCall's bytes strictly (every byte consumed).
func ParseCall(b []byte) (Call, error) {
	d := NewDecoder(b)
	c, err := decodeCall(d)
	if err != nil {
		return nil, err
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return c, nil
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
