package substrate

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/bits"
	"strings"

	"github.com/btui/btui/chainclient/substrate/scale"
	"github.com/btui/btui/wallet"
)

// SignatureScheme is the MultiSignature variant a signer produces.
type SignatureScheme uint8

// The MultiSignature variants (their index bytes).
const (
	SchemeEd25519 SignatureScheme = 0
	SchemeSr25519 SignatureScheme = 1
	SchemeEcdsa   SignatureScheme = 2
)

func (s SignatureScheme) String() string {
	switch s {
	case SchemeEd25519:
		return "ed25519"
	case SchemeSr25519:
		return "sr25519"
	case SchemeEcdsa:
		return "ecdsa"
	}
	return fmt.Sprintf("scheme(%d)", uint8(s))
}

func (s SignatureScheme) sigLen() int {
	if s == SchemeEcdsa {
		return 65
	}
	return 64
}

// Signer signs extrinsic payloads. Keys stay with the implementation (the wallet).
type Signer interface {
	// Scheme is the signature scheme (the MultiSignature variant).
	Scheme() SignatureScheme
	// AccountID is the signer's account: blake2-256 of the compressed key for ECDSA, the
	// public key itself for sr25519/ed25519.
	AccountID() wallet.AccountID
	// Sign signs the signing payload as the scheme defines it (ECDSA: over blake2-256 of
	// payload, 65 bytes r‖s‖v; sr25519: schnorrkel with the "substrate" context, 64 bytes).
	Sign(payload []byte) ([]byte, error)
}

// PairSigner adapts any wallet key pair (ECDSA or sr25519) to Signer: MultiSignature::Ecdsa or
// ::Sr25519 by the key's scheme.
func PairSigner(p wallet.Pair) Signer { return pairSigner{p} }

type pairSigner struct{ p wallet.Pair }

func (s pairSigner) Scheme() SignatureScheme {
	return SignatureScheme(s.p.Scheme().MultiSignatureIndex())
}
func (s pairSigner) AccountID() wallet.AccountID { return s.p.AccountID() }
func (s pairSigner) Sign(payload []byte) ([]byte, error) {
	return s.p.SignBytes(payload), nil
}

// ECDSASigner adapts a wallet ECDSA key pair (Substrate's ecdsa scheme) to Signer.
func ECDSASigner(kp *wallet.Keypair) Signer { return ecdsaSigner{kp} }

type ecdsaSigner struct{ kp *wallet.Keypair }

func (s ecdsaSigner) Scheme() SignatureScheme     { return SchemeEcdsa }
func (s ecdsaSigner) AccountID() wallet.AccountID { return s.kp.AccountID() }
func (s ecdsaSigner) Sign(payload []byte) ([]byte, error) {
	sig := s.kp.Sign(payload) // blake2b-256(payload), RFC 6979, r‖s‖v
	return sig[:], nil
}

// Era is a transaction's validity window: immortal, or mortal for Period blocks from its birth.
type Era struct {
	Immortal bool
	Period   uint64 // power of two, 4…65,536
	Phase    uint64 // birth block % Period (quantised)
}

// MortalEra is the era of period blocks (rounded up to a power of two, clamped to 4…65,536)
// for a transaction prepared at block current.
func MortalEra(period, current uint64) Era {
	p := uint64(4)
	for p < period && p < 1<<16 {
		p <<= 1
	}
	phase := current % p
	q := max(p>>12, 1)
	return Era{Period: p, Phase: phase / q * q}
}

// Encode is the era's SCALE form: 00 for immortal, 2 bytes for mortal.
func (e Era) Encode() []byte {
	if e.Immortal {
		return []byte{0}
	}
	q := max(e.Period>>12, 1)
	low := min(15, max(1, uint64(bits.TrailingZeros64(e.Period))-1))
	v := uint16(low | (e.Phase/q)<<4)
	return []byte{byte(v), byte(v >> 8)}
}

// Birth is the block the era starts at for a transaction prepared at current.
func (e Era) Birth(current uint64) uint64 {
	if e.Immortal {
		return 0
	}
	return (max(current, e.Phase)-e.Phase)/e.Period*e.Period + e.Phase
}

// Death is the first block at which the transaction is no longer valid.
func (e Era) Death(current uint64) uint64 {
	if e.Immortal {
		return ^uint64(0)
	}
	return e.Birth(current) + e.Period
}

func (e Era) String() string {
	if e.Immortal {
		return "immortal"
	}
	return fmt.Sprintf("mortal(period %d, phase %d)", e.Period, e.Phase)
}

// DecodeEra reads an era.
func DecodeEra(d *scale.Decoder) (Era, error) {
	b, err := d.U8()
	if err != nil {
		return Era{}, err
	}
	if b == 0 {
		return Era{Immortal: true}, nil
	}
	b2, err := d.U8()
	if err != nil {
		return Era{}, err
	}
	v := uint64(b) | uint64(b2)<<8
	period := uint64(2) << (v % 16)
	q := max(period>>12, 1)
	phase := (v >> 4) * q
	if period < 4 || phase >= period {
		return Era{}, fmt.Errorf("%w: era bytes %02x%02x", scale.ErrMalformed, b, b2)
	}
	return Era{Period: period, Phase: phase}, nil
}

// TxParams are the values the extensions sign besides the call.
type TxParams struct {
	Nonce       uint64
	Tip         uint64
	Era         Era
	BirthHash   Hash // hash of the era's birth block (ignored when immortal: the genesis is signed)
	Genesis     Hash
	SpecVersion uint32
	TxVersion   uint32
	// MetadataHash enables CheckMetadataHash with this RFC-0078 digest; nil disables it.
	MetadataHash *Hash
}

// anyShape skips a size check in Extensions.
const anyShape = -2

// ErrUnknownExtension reports a transaction extension btui does not know and that carries
// data, so a signature without it would be wrong.
var ErrUnknownExtension = errors.New("substrate: unknown transaction extension carries data")

// Extensions encodes the explicit ("extra", in the extrinsic) and implicit ("additional
// signed", only in the signing payload) bytes of every transaction extension the metadata
// lists, in order.
func (m *Metadata) Extensions(p TxParams) (extra, implicit []byte, err error) {
	ex, im := scale.NewEncoder(nil), scale.NewEncoder(nil)
	size := func(id TypeID) int {
		t := m.Types.Type(id)
		if t == nil {
			return -1
		}
		return t.fixed
	}
	for _, e := range m.SignedExtensions {
		es, is := size(e.Type), size(e.AdditionalSigned)
		wantSizes := func(explicit, implicit int) error {
			if (explicit != anyShape && es != explicit) || (implicit != anyShape && is != implicit) {
				return fmt.Errorf("substrate: extension %s has an unexpected shape (explicit %d bytes, implicit %d): refusing to sign", e.Identifier, es, is)
			}
			return nil
		}
		switch e.Identifier {
		case "CheckSpecVersion":
			err = wantSizes(0, 4)
			im.U32(p.SpecVersion)
		case "CheckTxVersion":
			err = wantSizes(0, 4)
			im.U32(p.TxVersion)
		case "CheckGenesis":
			err = wantSizes(0, 32)
			im.Raw(p.Genesis[:])
		case "CheckMortality", "CheckEra":
			err = wantSizes(-1, 32)
			ex.Raw(p.Era.Encode())
			if p.Era.Immortal {
				im.Raw(p.Genesis[:])
			} else {
				im.Raw(p.BirthHash[:])
			}
		case "CheckNonce":
			err = wantSizes(-1, 0)
			ex.Compact(p.Nonce)
		case "ChargeTransactionPayment":
			err = wantSizes(-1, 0)
			ex.Compact(p.Tip)
		case "CheckMetadataHash":
			// explicit: the Mode enum (Disabled 0, Enabled 1); implicit: Option<[u8; 32]>.
			err = wantSizes(anyShape, anyShape)
			t := m.Types.Type(e.Type)
			for t != nil {
				inner, ok := m.Types.newtypeInner(t)
				if !ok {
					break
				}
				t = m.Types.Type(inner)
			}
			if err == nil && (t == nil || t.Kind != KindVariant) {
				err = fmt.Errorf("substrate: extension CheckMetadataHash mode is not an enum: refusing to sign")
			}
			if p.MetadataHash == nil {
				ex.U8(0)
				im.U8(0)
			} else {
				ex.U8(1)
				im.U8(1).Raw(p.MetadataHash[:])
			}
		default:
			if es != 0 || is != 0 {
				return nil, nil, fmt.Errorf("%w: %s (explicit %s, implicit %s); this btui cannot sign for runtime %s: upgrade btui",
					ErrUnknownExtension, e.Identifier, m.Types.Type(e.Type).Name(), m.Types.Type(e.AdditionalSigned).Name(), m.specString())
			}
		}
		if err != nil {
			return nil, nil, err
		}
	}
	return ex.Bytes(), im.Bytes(), nil
}

func (m *Metadata) specString() string {
	if v, err := m.RuntimeVersion(); err == nil {
		return fmt.Sprint(v.SpecVersion)
	}
	return "?"
}

// SigningPayload is call ‖ extra ‖ implicit, replaced by its blake2-256 when longer than 256
// bytes (what the signer signs).
func SigningPayload(call, extra, implicit []byte) []byte {
	payload := make([]byte, 0, len(call)+len(extra)+len(implicit))
	payload = append(append(append(payload, call...), extra...), implicit...)
	if len(payload) > 256 {
		h := scale.Blake2_256(payload)
		return h[:]
	}
	return payload
}

// Extrinsic is a signed, encoded extrinsic.
type Extrinsic struct {
	Bytes   []byte // with its compact length prefix: what author_submitExtrinsic takes
	Hash    Hash   // blake2-256 of Bytes: the transaction hash the node reports
	Payload []byte // what was signed
}

// Hex is the extrinsic as 0x hex.
func (x *Extrinsic) Hex() string { return "0x" + hex.EncodeToString(x.Bytes) }

// BuildSigned builds a v4 signed extrinsic of call (pallet index ‖ call index ‖ args) from
// signer s: MultiAddress::Id(account) and a MultiSignature of s's scheme.
func (m *Metadata) BuildSigned(call []byte, p TxParams, s Signer) (*Extrinsic, error) {
	if len(call) < 2 {
		return nil, fmt.Errorf("substrate: a call is at least its pallet and call index")
	}
	if _, err := m.DecodeCall(call); err != nil {
		return nil, fmt.Errorf("substrate: the call does not match runtime %s: %w", m.specString(), err)
	}
	extra, implicit, err := m.Extensions(p)
	if err != nil {
		return nil, err
	}
	payload := SigningPayload(call, extra, implicit)
	sig, err := s.Sign(payload)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	if len(sig) != s.Scheme().sigLen() {
		return nil, fmt.Errorf("substrate: %s signer returned %d bytes, want %d", s.Scheme(), len(sig), s.Scheme().sigLen())
	}
	id := s.AccountID()
	body := scale.NewEncoder(make([]byte, 0, 4+1+33+1+65+len(extra)+len(call)))
	body.U8(0x84).U8(0).Raw(id[:]).U8(uint8(s.Scheme())).Raw(sig).Raw(extra).Raw(call)
	out := scale.NewEncoder(nil).Compact(uint64(body.Len())).Raw(body.Bytes()).Bytes()
	return &Extrinsic{Bytes: out, Hash: Hash(scale.Blake2_256(out)), Payload: payload}, nil
}

// DecodedCall is a call with its arguments named from the metadata.
type DecodedCall struct {
	Pallet string
	Name   string
	Args   []NamedValue
}

// NamedValue is one named argument.
type NamedValue struct {
	Name  string
	Value Value
}

func (c *DecodedCall) String() string {
	var parts []string
	for _, a := range c.Args {
		js, _ := a.Value.MarshalJSON()
		parts = append(parts, a.Name+"="+string(js))
	}
	return fmt.Sprintf("%s.%s(%s)", c.Pallet, c.Name, strings.Join(parts, ", "))
}

// DecodeCall decodes an encoded call exactly.
func (m *Metadata) DecodeCall(b []byte) (*DecodedCall, error) {
	d := scale.NewDecoder(b)
	c, err := m.decodeCall(d)
	if err == nil {
		err = d.Finish()
	}
	return c, err
}

func (m *Metadata) decodeCall(d *scale.Decoder) (*DecodedCall, error) {
	pi, err := d.U8()
	if err != nil {
		return nil, err
	}
	p, ok := m.PalletByIndex(pi)
	if !ok || p.Calls == nil {
		return nil, fmt.Errorf("%w: no pallet with calls at index %d", scale.ErrMalformed, pi)
	}
	ci, err := d.U8()
	if err != nil {
		return nil, err
	}
	v, ok := m.Types.Type(*p.Calls).VariantByIndex(ci)
	if !ok {
		return nil, fmt.Errorf("%w: pallet %s has no call %d", scale.ErrMalformed, p.Name, ci)
	}
	c := &DecodedCall{Pallet: p.Name, Name: v.Name}
	for _, f := range v.Fields {
		val, err := m.Types.DecodeValue(f.Type, d)
		if err != nil {
			return nil, fmt.Errorf("%s.%s argument %s: %w", p.Name, v.Name, f.Name, err)
		}
		c.Args = append(c.Args, NamedValue{f.Name, val})
	}
	return c, nil
}

// DecodedExtrinsic is an extrinsic taken apart for review (btui tx decode).
type DecodedExtrinsic struct {
	Version    uint8
	Signed     bool
	Signer     wallet.AccountID // for MultiAddress::Id
	Scheme     SignatureScheme
	Signature  []byte
	Era        Era
	Nonce      uint64
	Tip        uint64
	Extensions []NamedValue // explicit extension values by identifier
	Call       *DecodedCall
	CallBytes  []byte
	Hash       Hash
}

// DecodeExtrinsic decodes an extrinsic with its compact length prefix (as in a block or as
// btui tx sign prints it), refusing trailing or missing bytes.
func (m *Metadata) DecodeExtrinsic(b []byte) (*DecodedExtrinsic, error) {
	d := scale.NewDecoder(b)
	n, err := d.CompactLen(1)
	if err != nil {
		return nil, fmt.Errorf("extrinsic length: %w", err)
	}
	if n != d.Len() {
		return nil, fmt.Errorf("%w: length prefix says %d bytes, %d follow", scale.ErrMalformed, n, d.Len())
	}
	x := &DecodedExtrinsic{Hash: Hash(scale.Blake2_256(b))}
	v, err := d.U8()
	if err != nil {
		return nil, err
	}
	x.Version, x.Signed = v&0x7f, v&0x80 != 0
	if x.Version != 4 {
		return nil, fmt.Errorf("substrate: extrinsic format %d (btui reads version 4)", x.Version)
	}
	if x.Signed {
		tag, err := d.U8()
		if err != nil {
			return nil, err
		}
		if tag != 0 {
			return nil, fmt.Errorf("substrate: signer address variant %d (btui reads MultiAddress::Id)", tag)
		}
		if x.Signer, err = d.Array32(); err != nil {
			return nil, err
		}
		s, err := d.U8()
		if err != nil {
			return nil, err
		}
		if s > 2 {
			return nil, fmt.Errorf("%w: signature variant %d", scale.ErrMalformed, s)
		}
		x.Scheme = SignatureScheme(s)
		if x.Signature, err = d.Bytes(x.Scheme.sigLen()); err != nil {
			return nil, err
		}
		for _, e := range m.SignedExtensions {
			start := d.Offset()
			val, err := m.Types.DecodeValue(e.Type, d)
			if err != nil {
				return nil, fmt.Errorf("extension %s: %w", e.Identifier, err)
			}
			switch e.Identifier {
			case "CheckMortality", "CheckEra":
				if x.Era, err = DecodeEra(scale.NewDecoder(b[start:d.Offset()])); err != nil {
					return nil, err
				}
			case "CheckNonce":
				x.Nonce = firstUint(&val)
			case "ChargeTransactionPayment":
				x.Tip = firstUint(&val)
			}
			if t := m.Types.Type(e.Type); t != nil && t.fixed != 0 {
				x.Extensions = append(x.Extensions, NamedValue{e.Identifier, val})
			}
		}
	}
	start := d.Offset()
	if x.Call, err = m.decodeCall(d); err != nil {
		return nil, err
	}
	x.CallBytes = b[start:d.Offset()]
	return x, d.Finish()
}

func firstUint(v *Value) uint64 {
	for v.Kind != ValUint && len(v.Items) > 0 {
		v = &v.Items[0]
	}
	return v.Uint
}
