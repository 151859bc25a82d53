package substrate

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/btui/btui/chainclient/substrate/scale"
	"github.com/btui/btui/wallet"
)

// EncodeCall encodes pallet.call with arguments given by their metadata names (as JSON
// decodes them: numbers as float64 or json.Number, or decimal strings; accounts as SS58 or 0x
// hex; byte strings as 0x hex; sequences as arrays; composites as objects; enums as
// "Variant" or {"Variant": fields}; Option as null or the value). Missing or unknown
// arguments are refused by name.
func (m *Metadata) EncodeCall(pallet, call string, args map[string]any) ([]byte, error) {
	p, v, err := m.Call(pallet, call)
	if err != nil {
		return nil, err
	}
	e := scale.NewEncoder(nil).U8(p.Index).U8(v.Index)
	used := map[string]bool{}
	for _, f := range v.Fields {
		a, ok := args[f.Name]
		if !ok {
			return nil, fmt.Errorf("%s.%s: missing argument %q (arguments: %s)", pallet, call, f.Name, fieldNames(v.Fields))
		}
		used[f.Name] = true
		if err := m.Types.encodeValue(f.Type, a, e, f.Name, 0); err != nil {
			return nil, fmt.Errorf("%s.%s: %w", pallet, call, err)
		}
	}
	var extra []string
	for k := range args {
		if !used[k] {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return nil, fmt.Errorf("%s.%s: unknown argument(s) %s (arguments: %s)", pallet, call, strings.Join(extra, ", "), fieldNames(v.Fields))
	}
	return e.Bytes(), nil
}

func fieldNames(fs []Field) string {
	var n []string
	for _, f := range fs {
		n = append(n, f.Name)
	}
	return strings.Join(n, ", ")
}

// EncodeValue encodes a Go/JSON value as registry type id.
func (r *Registry) EncodeValue(id TypeID, v any) ([]byte, error) {
	e := scale.NewEncoder(nil)
	err := r.encodeValue(id, v, e, "value", 0)
	return e.Bytes(), err
}

func toBig(v any) (*big.Int, bool) {
	switch x := v.(type) {
	case int:
		return big.NewInt(int64(x)), true
	case int64:
		return big.NewInt(x), true
	case uint64:
		return new(big.Int).SetUint64(x), true
	case uint32:
		return new(big.Int).SetUint64(uint64(x)), true
	case uint16:
		return new(big.Int).SetUint64(uint64(x)), true
	case uint8:
		return new(big.Int).SetUint64(uint64(x)), true
	case float64:
		if x != float64(int64(x)) || x > 1<<53 || x < -(1<<53) {
			return nil, false // not exact: ask for a string
		}
		return big.NewInt(int64(x)), true
	case json.Number:
		return new(big.Int).SetString(string(x), 10)
	case string:
		return new(big.Int).SetString(x, 10)
	}
	return nil, false
}

func (r *Registry) encodeValue(id TypeID, v any, e *scale.Encoder, path string, depth int) error {
	if depth > maxDepth {
		return ErrDepth
	}
	t := r.Type(id)
	if t == nil {
		return fmt.Errorf("%s: unknown type %d", path, id)
	}
	bad := func(want string) error {
		return fmt.Errorf("argument %s: want %s for %s, got %v", path, want, t.Name(), v)
	}
	// Byte arrays and newtypes around them: accounts as SS58 or hex, hashes as hex.
	if n, ok := r.byteArray(t); ok {
		s, isStr := v.(string)
		if !isStr {
			return bad("a 0x hex string or SS58 address")
		}
		if n == 32 && !strings.HasPrefix(s, "0x") {
			id, err := wallet.ParseAddress(s)
			if err != nil {
				return fmt.Errorf("argument %s: %w", path, err)
			}
			e.Raw(id[:])
			return nil
		}
		b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
		if err != nil || len(b) != n {
			return bad(fmt.Sprintf("%d bytes as 0x hex", n))
		}
		e.Raw(b)
		return nil
	}
	if inner, ok := r.optionInner(t); ok {
		if v == nil {
			e.U8(0)
			return nil
		}
		e.U8(1)
		return r.encodeValue(inner, v, e, path, depth+1)
	}
	switch t.Kind {
	case KindPrimitive:
		switch t.Prim {
		case PrimBool:
			b, ok := v.(bool)
			if !ok {
				return bad("true or false")
			}
			e.Bool(b)
			return nil
		case PrimStr:
			s, ok := v.(string)
			if !ok {
				return bad("a string")
			}
			e.ByteVec([]byte(s))
			return nil
		}
		n, ok := toBig(v)
		if !ok {
			return bad("an integer (as a number or decimal string)")
		}
		size := t.Prim.size()
		signed := t.Prim >= PrimI8
		if t.Prim == PrimChar {
			signed = false
		}
		lim := new(big.Int).Lsh(big.NewInt(1), uint(8*size))
		if signed {
			half := new(big.Int).Rsh(lim, 1)
			if n.Cmp(half) >= 0 || n.Cmp(new(big.Int).Neg(half)) < 0 {
				return bad(fmt.Sprintf("a value that fits %s", t.Prim))
			}
			if n.Sign() < 0 {
				n = new(big.Int).Add(n, lim)
			}
		} else if n.Sign() < 0 || n.Cmp(lim) >= 0 {
			return bad(fmt.Sprintf("a value that fits %s", t.Prim))
		}
		le := make([]byte, size)
		be := n.Bytes()
		for i := range be {
			le[i] = be[len(be)-1-i]
		}
		e.Raw(le)
		return nil
	case KindCompact:
		n, ok := toBig(v)
		if !ok || n.Sign() < 0 {
			return bad("a non-negative integer")
		}
		u, err := scale.U128FromBig(n)
		if err != nil {
			return bad("a value below 2^128")
		}
		if inner := r.compactInner(t); inner != nil && inner.Kind == KindPrimitive && inner.Prim.size() > 0 && inner.Prim.size() < 16 {
			if n.BitLen() > 8*inner.Prim.size() {
				return bad(fmt.Sprintf("a value that fits %s", inner.Prim))
			}
		}
		e.CompactU128(u)
		return nil
	case KindSequence, KindArray:
		if r.isU8(t.Elem) {
			s, ok := v.(string)
			if !ok {
				return bad("0x hex bytes")
			}
			b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
			if err != nil {
				return bad("0x hex bytes")
			}
			if t.Kind == KindArray {
				if len(b) != int(t.Len) {
					return bad(fmt.Sprintf("%d bytes", t.Len))
				}
				e.Raw(b)
			} else {
				e.ByteVec(b)
			}
			return nil
		}
		items, ok := v.([]any)
		if !ok {
			return bad("an array")
		}
		if t.Kind == KindArray && len(items) != int(t.Len) {
			return bad(fmt.Sprintf("an array of %d", t.Len))
		}
		if t.Kind == KindSequence {
			e.Compact(uint64(len(items)))
		}
		for i, it := range items {
			if err := r.encodeValue(t.Elem, it, e, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		return nil
	case KindTuple:
		items, ok := v.([]any)
		if !ok || len(items) != len(t.Tuple) {
			return bad(fmt.Sprintf("an array of %d", len(t.Tuple)))
		}
		for i, it := range items {
			if err := r.encodeValue(t.Tuple[i], it, e, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		return nil
	case KindComposite:
		if len(t.Fields) == 1 && t.Fields[0].Name == "" {
			return r.encodeValue(t.Fields[0].Type, v, e, path, depth+1)
		}
		return r.encodeFields(t.Fields, v, e, path, t.Name(), depth)
	case KindVariant:
		// A bare address string for a MultiAddress means Id(account).
		if s, ok := v.(string); ok {
			if vr, ok := t.VariantByName(s); ok && len(vr.Fields) == 0 {
				e.U8(vr.Index)
				return nil
			}
			if vr, ok := t.VariantByName("Id"); ok && len(vr.Fields) == 1 {
				e.U8(vr.Index)
				return r.encodeValue(vr.Fields[0].Type, s, e, path, depth+1)
			}
			return bad("a variant name")
		}
		obj, ok := v.(map[string]any)
		if !ok || len(obj) != 1 {
			return bad(`"Variant" or {"Variant": fields}`)
		}
		for name, fields := range obj {
			vr, ok := t.VariantByName(name)
			if !ok {
				return bad("one of its variants")
			}
			e.U8(vr.Index)
			if len(vr.Fields) == 1 && vr.Fields[0].Name == "" {
				return r.encodeValue(vr.Fields[0].Type, fields, e, path+"."+name, depth+1)
			}
			return r.encodeFields(vr.Fields, fields, e, path+"."+name, t.Name(), depth)
		}
	}
	return bad("a value btui can encode")
}

func (r *Registry) encodeFields(fs []Field, v any, e *scale.Encoder, path, typeName string, depth int) error {
	if len(fs) == 0 {
		return nil
	}
	if fs[0].Name == "" {
		items, ok := v.([]any)
		if !ok || len(items) != len(fs) {
			return fmt.Errorf("argument %s: want an array of %d for %s", path, len(fs), typeName)
		}
		for i, f := range fs {
			if err := r.encodeValue(f.Type, items[i], e, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("argument %s: want an object with %s for %s", path, fieldNames(fs), typeName)
	}
	for _, f := range fs {
		fv, ok := obj[f.Name]
		if !ok {
			return fmt.Errorf("argument %s: missing field %q", path, f.Name)
		}
		if err := r.encodeValue(f.Type, fv, e, path+"."+f.Name, depth+1); err != nil {
			return err
		}
	}
	return nil
}
