package substrate

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/btui/btui/chainclient/substrate/scale"
	"github.com/btui/btui/wallet"
)

// ValueKind is the shape of a decoded Value.
type ValueKind uint8

// The value kinds.
const (
	ValBool ValueKind = iota
	ValUint
	ValInt
	ValBig // integers wider than 64 bits
	ValString
	ValBytes // [u8; N], Vec<u8>
	ValComposite
	ValTuple
	ValSequence
	ValVariant
	ValBits
)

// Value is a SCALE value decoded by its registry type: the generic form used for events,
// dispatch errors, extrinsic review and diagnostics.
type Value struct {
	Type    TypeID
	Kind    ValueKind
	Path    string // the type's path ("sp_core::crypto::AccountId32"), if it has one
	Bool    bool
	Uint    uint64
	Int     int64
	Big     *big.Int
	Str     string
	Bytes   []byte
	Names   []string // field names of a composite or variant (nil when unnamed)
	Items   []Value  // fields, tuple items, sequence elements, variant fields
	Variant string   // variant name
	Index   uint8    // variant index
}

// Field returns a named field of a composite or variant value.
func (v *Value) Field(name string) (*Value, bool) {
	for i, n := range v.Names {
		if n == name {
			return &v.Items[i], true
		}
	}
	return nil, false
}

// maxDepth bounds nesting (recursive types such as a batch of calls).
const maxDepth = 96

// ErrDepth reports a value nested deeper than a runtime would produce.
var ErrDepth = errors.New("substrate: value nested too deeply")

// DecodeValue decodes one value of type id.
func (r *Registry) DecodeValue(id TypeID, d *scale.Decoder) (Value, error) {
	return r.decode(id, d, 0)
}

// DecodeAll decodes one value of type id from b, refusing bytes left over.
func (r *Registry) DecodeAll(id TypeID, b []byte) (Value, error) {
	d := scale.NewDecoder(b)
	v, err := r.decode(id, d, 0)
	if err == nil {
		err = d.Finish()
	}
	return v, err
}

func (r *Registry) decode(id TypeID, d *scale.Decoder, depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, ErrDepth
	}
	t := r.Type(id)
	if t == nil {
		return Value{}, fmt.Errorf("%w: unknown type %d", ErrMetadata, id)
	}
	v := Value{Type: id}
	if len(t.Path) > 0 {
		v.Path = strings.Join(t.Path, "::")
	}
	var err error
	switch t.Kind {
	case KindPrimitive:
		err = decodePrim(t.Prim, d, &v)
	case KindCompact:
		v.Kind = ValUint
		var u scale.U128
		if u, err = d.CompactU128(); err == nil {
			if u.Hi == 0 {
				v.Uint = u.Lo
			} else {
				v.Kind, v.Big = ValBig, u.Big()
			}
		}
	case KindComposite:
		if b, ok := r.byteArray(t); ok {
			v.Kind = ValBytes
			v.Bytes, err = d.Bytes(b)
			break
		}
		v.Kind = ValComposite
		v.Items = make([]Value, len(t.Fields))
		for i, f := range t.Fields {
			if f.Name != "" {
				if v.Names == nil {
					v.Names = make([]string, len(t.Fields))
				}
				v.Names[i] = f.Name
			}
			if v.Items[i], err = r.decode(f.Type, d, depth+1); err != nil {
				return v, fieldErr(t, f.Name, i, err)
			}
		}
	case KindVariant:
		var idx uint8
		if idx, err = d.U8(); err != nil {
			break
		}
		vr, ok := t.VariantByIndex(idx)
		if !ok {
			return v, fmt.Errorf("%w: %s has no variant %d", scale.ErrMalformed, t.Name(), idx)
		}
		v.Kind, v.Variant, v.Index = ValVariant, vr.Name, idx
		v.Items = make([]Value, len(vr.Fields))
		for i, f := range vr.Fields {
			if f.Name != "" {
				if v.Names == nil {
					v.Names = make([]string, len(vr.Fields))
				}
				v.Names[i] = f.Name
			}
			if v.Items[i], err = r.decode(f.Type, d, depth+1); err != nil {
				return v, fmt.Errorf("%s::%s: %w", t.Name(), vr.Name, err)
			}
		}
	case KindSequence:
		if r.isU8(t.Elem) {
			v.Kind = ValBytes
			v.Bytes, err = d.ByteVec()
			break
		}
		var n int
		if n, err = d.CompactLen(r.minSize(t.Elem)); err != nil {
			break
		}
		v.Kind = ValSequence
		v.Items = make([]Value, n)
		for i := range n {
			if v.Items[i], err = r.decode(t.Elem, d, depth+1); err != nil {
				return v, fmt.Errorf("[%d]: %w", i, err)
			}
		}
	case KindArray:
		if r.isU8(t.Elem) {
			v.Kind = ValBytes
			v.Bytes, err = d.Bytes(int(t.Len))
			break
		}
		if min := r.minSize(t.Elem); uint64(min)*uint64(t.Len) > uint64(d.Len()) {
			return v, fmt.Errorf("%w: array of %d at offset %d", scale.ErrTruncated, t.Len, d.Offset())
		}
		v.Kind = ValSequence
		v.Items = make([]Value, t.Len)
		for i := range v.Items {
			if v.Items[i], err = r.decode(t.Elem, d, depth+1); err != nil {
				return v, err
			}
		}
	case KindTuple:
		v.Kind = ValTuple
		v.Items = make([]Value, len(t.Tuple))
		for i, e := range t.Tuple {
			if v.Items[i], err = r.decode(e, d, depth+1); err != nil {
				return v, err
			}
		}
	case KindBitSequence:
		v.Kind = ValBits
		var n uint64
		if n, err = d.Compact(); err != nil {
			break
		}
		storeBytes := 1
		if st := r.Type(t.Elem); st != nil && st.Kind == KindPrimitive && st.Prim.size() > 0 {
			storeBytes = st.Prim.size()
		}
		words := (n + uint64(storeBytes*8) - 1) / uint64(storeBytes*8)
		if words > uint64(d.Len()) {
			return v, fmt.Errorf("%w: bit sequence of %d bits", scale.ErrTruncated, n)
		}
		v.Uint = n
		v.Bytes, err = d.Bytes(int(words) * storeBytes)
	}
	return v, err
}

func fieldErr(t *Type, name string, i int, err error) error {
	if name == "" {
		name = strconv.Itoa(i)
	}
	return fmt.Errorf("%s.%s: %w", t.Name(), name, err)
}

func decodePrim(p Primitive, d *scale.Decoder, v *Value) error {
	var err error
	switch p {
	case PrimBool:
		v.Kind = ValBool
		v.Bool, err = d.Bool()
	case PrimStr:
		v.Kind = ValString
		v.Str, err = d.String()
	case PrimU8, PrimU16, PrimU32, PrimU64, PrimChar:
		v.Kind = ValUint
		var b []byte
		if b, err = d.Bytes(p.size()); err == nil {
			for i := len(b) - 1; i >= 0; i-- {
				v.Uint = v.Uint<<8 | uint64(b[i])
			}
		}
	case PrimI8, PrimI16, PrimI32, PrimI64:
		v.Kind = ValInt
		var b []byte
		if b, err = d.Bytes(p.size()); err == nil {
			var u uint64
			for i := len(b) - 1; i >= 0; i-- {
				u = u<<8 | uint64(b[i])
			}
			shift := 64 - 8*len(b)
			v.Int = int64(u<<shift) >> shift
		}
	default: // 128 and 256 bits
		v.Kind = ValBig
		var b []byte
		if b, err = d.Bytes(p.size()); err == nil {
			be := make([]byte, len(b))
			for i := range b {
				be[len(b)-1-i] = b[i]
			}
			v.Big = new(big.Int).SetBytes(be)
			if p >= PrimI8 && b[len(b)-1]&0x80 != 0 {
				v.Big.Sub(v.Big, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
			}
		}
	}
	return err
}

func (r *Registry) isU8(id TypeID) bool {
	t := r.Type(id)
	return t != nil && t.Kind == KindPrimitive && t.Prim == PrimU8
}

// byteArray reports a newtype around [u8; N] (AccountId32, H256) and its N.
func (r *Registry) byteArray(t *Type) (int, bool) {
	for range 4 {
		switch {
		case t.Kind == KindArray && r.isU8(t.Elem):
			return int(t.Len), true
		case t.Kind == KindComposite && len(t.Fields) == 1:
			t = r.Type(t.Fields[0].Type)
		default:
			return 0, false
		}
	}
	return 0, false
}

// minSize is the smallest encoded size of a value of the type (used to bound lengths).
func (r *Registry) minSize(id TypeID) int {
	t := r.Type(id)
	if t == nil {
		return 1
	}
	if t.fixed >= 0 {
		return t.fixed
	}
	switch t.Kind {
	case KindCompact, KindSequence, KindVariant, KindBitSequence:
		return 1
	case KindPrimitive: // str
		return 1
	}
	return 0
}

// Skip consumes one value of type id without building it.
func (r *Registry) Skip(id TypeID, d *scale.Decoder) error { return r.skip(id, d, 0) }

func (r *Registry) skip(id TypeID, d *scale.Decoder, depth int) error {
	if depth > maxDepth {
		return ErrDepth
	}
	t := r.Type(id)
	if t == nil {
		return fmt.Errorf("%w: unknown type %d", ErrMetadata, id)
	}
	if t.fixed >= 0 {
		return d.Skip(t.fixed)
	}
	switch t.Kind {
	case KindPrimitive: // str
		_, err := d.ByteVec()
		return err
	case KindCompact:
		_, err := d.CompactU128()
		return err
	case KindComposite:
		for _, f := range t.Fields {
			if err := r.skip(f.Type, d, depth+1); err != nil {
				return err
			}
		}
	case KindTuple:
		for _, e := range t.Tuple {
			if err := r.skip(e, d, depth+1); err != nil {
				return err
			}
		}
	case KindVariant:
		idx, err := d.U8()
		if err != nil {
			return err
		}
		vr, ok := t.VariantByIndex(idx)
		if !ok {
			return fmt.Errorf("%w: %s has no variant %d", scale.ErrMalformed, t.Name(), idx)
		}
		for _, f := range vr.Fields {
			if err := r.skip(f.Type, d, depth+1); err != nil {
				return err
			}
		}
	case KindSequence:
		es := r.Type(t.Elem).fixed
		n, err := d.CompactLen(max(es, 1))
		if err != nil {
			return err
		}
		if es >= 0 {
			return d.Skip(n * es)
		}
		for range n {
			if err := r.skip(t.Elem, d, depth+1); err != nil {
				return err
			}
		}
	case KindArray:
		for range t.Len {
			if err := r.skip(t.Elem, d, depth+1); err != nil {
				return err
			}
		}
	case KindBitSequence:
		_, err := r.decode(id, d, depth)
		return err
	}
	return nil
}

// MarshalJSON renders the value for people and scripts: named fields as objects (in declared
// order), variants as {"Name": fields} (or "Name" alone), byte strings as 0x hex, 32-byte
// account ids as SS58, wide integers as decimal strings.
func (v Value) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	v.writeJSON(&buf)
	return buf.Bytes(), nil
}

func (v *Value) writeJSON(b *bytes.Buffer) {
	switch v.Kind {
	case ValBool:
		b.WriteString(strconv.FormatBool(v.Bool))
	case ValUint:
		b.WriteString(strconv.FormatUint(v.Uint, 10))
	case ValInt:
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case ValBig:
		b.WriteString(`"` + v.Big.String() + `"`)
	case ValString:
		s, _ := json.Marshal(v.Str)
		b.Write(s)
	case ValBytes:
		if len(v.Bytes) == 32 && strings.HasSuffix(v.Path, "AccountId32") {
			b.WriteString(`"` + wallet.EncodeSS58(wallet.SS58Prefix, v.Bytes) + `"`)
		} else {
			b.WriteString(`"0x` + hex.EncodeToString(v.Bytes) + `"`)
		}
	case ValBits:
		fmt.Fprintf(b, `{"bits":%d,"data":"0x%s"}`, v.Uint, hex.EncodeToString(v.Bytes))
	case ValVariant:
		if len(v.Items) == 0 {
			s, _ := json.Marshal(v.Variant)
			b.Write(s)
			return
		}
		s, _ := json.Marshal(v.Variant)
		b.WriteString("{")
		b.Write(s)
		b.WriteString(":")
		v.writeItems(b)
		b.WriteString("}")
	default:
		v.writeItems(b)
	}
}

func (v *Value) writeItems(b *bytes.Buffer) {
	// A newtype (one unnamed field) renders as its content.
	if v.Kind != ValSequence && len(v.Items) == 1 && v.Names == nil {
		v.Items[0].writeJSON(b)
		return
	}
	if v.Names != nil {
		b.WriteString("{")
		for i := range v.Items {
			if i > 0 {
				b.WriteString(",")
			}
			s, _ := json.Marshal(v.Names[i])
			b.Write(s)
			b.WriteString(":")
			v.Items[i].writeJSON(b)
		}
		b.WriteString("}")
		return
	}
	b.WriteString("[")
	for i := range v.Items {
		if i > 0 {
			b.WriteString(",")
		}
		v.Items[i].writeJSON(b)
	}
	b.WriteString("]")
}
