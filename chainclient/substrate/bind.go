package substrate

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/btui/btui/chainclient/substrate/scale"
)

// Binding Go views to registry types by field name.
//
// A view is a Go struct whose fields carry `scale:"name"` tags naming the runtime's field
// ("hotkey", "stake", …); `scale:"name,optional"` marks a field btui can live without. Binding
// walks the registry type, not the Go struct: fields the runtime has and the view does not are
// skipped, so a runtime upgrade that adds fields changes nothing; integer widths and compact
// or plain encodings come from the registry, so widening a u16 to a u64 changes nothing
// either. A view field whose runtime field is missing or has an incompatible shape fails the
// bind with ErrRuntimeChanged naming the field, before any data is read.
//
// Go shapes and the registry shapes they accept (after unwrapping one-field newtypes):
//
//	bool                     bool
//	uint8…uint64             unsigned primitive no wider than the Go type, or Compact<…>
//	int64                    signed primitive of at most 64 bits
//	scale.U128               u128, i128 (raw bits, e.g. I96F32/U64F64), any narrower unsigned, Compact<…>
//	[N]byte                  [u8; N]
//	[]byte, string           Vec<u8>, Vec<Compact<u8>>, str, [u8; N]
//	[]T                      Vec<T'> or [T'; N] with T bound to T'
//	*T                       Option<T'> (nil for None)
//	T (not a pointer)        T' or Option<T'> (zero for None)
//	struct with tags         composite with named fields
//	struct without tags      tuple or composite with unnamed fields, positionally
//	Value                    anything (generic decode)

// ErrRuntimeChanged reports a runtime whose types no longer fit what btui reads: a field btui
// needs is gone or has a shape btui cannot read. The message names the runtime's spec
// version and the field ("runtime 400 changed NeuronInfoLite.stake").
var ErrRuntimeChanged = errors.New("substrate: runtime changed a type btui reads")

type plan func(d *scale.Decoder, v reflect.Value) error

type planKey struct {
	id TypeID
	gt reflect.Type
}

var (
	u128Type  = reflect.TypeFor[scale.U128]()
	valueType = reflect.TypeFor[Value]()
)

// Bind compiles the decoder of registry type id into Go type gt; path names the view in
// errors ("NeuronInfoLite").
func (r *Registry) bind(id TypeID, gt reflect.Type, path string) (plan, error) {
	key := planKey{id, gt}
	if p, ok := r.plans.Load(key); ok {
		return p.(plan), nil
	}
	p, err := r.compile(id, gt, path, 0)
	if err != nil {
		return nil, err
	}
	r.plans.Store(key, p)
	return p, nil
}

// DecodeInto decodes b (exactly, no bytes left over) as registry type id into *dst.
func (r *Registry) DecodeInto(id TypeID, b []byte, dst any, path string) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("substrate: DecodeInto needs a non-nil pointer, got %T", dst)
	}
	p, err := r.bind(id, rv.Elem().Type(), path)
	if err != nil {
		return err
	}
	d := scale.NewDecoder(b)
	if err := p(d, rv.Elem()); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	if err := d.Finish(); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}

// RuntimeChangedError is the error ErrRuntimeChanged wraps: which field, why, and (once the
// client knows it) the runtime's spec version.
type RuntimeChangedError struct {
	Spec   uint32
	Path   string // "NeuronInfoLite.stake"
	Reason string
}

func (e *RuntimeChangedError) Error() string {
	rt := "the runtime"
	if e.Spec != 0 {
		rt = fmt.Sprintf("runtime %d", e.Spec)
	}
	return fmt.Sprintf("%s changed %s (%s); this btui cannot read it safely: upgrade btui", rt, e.Path, e.Reason)
}

// Is makes errors.Is(err, ErrRuntimeChanged) true.
func (e *RuntimeChangedError) Is(target error) bool { return target == ErrRuntimeChanged }

func changed(path, format string, args ...any) error {
	return &RuntimeChangedError{Path: path, Reason: fmt.Sprintf(format, args...)}
}

// optionInner reports whether t is Option<T> and returns T.
func (r *Registry) optionInner(t *Type) (TypeID, bool) {
	if t.Kind != KindVariant || len(t.Path) == 0 || t.Path[len(t.Path)-1] != "Option" || len(t.Variants) != 2 {
		return 0, false
	}
	none, ok1 := t.VariantByIndex(0)
	some, ok2 := t.VariantByIndex(1)
	if !ok1 || !ok2 || none.Name != "None" || some.Name != "Some" || len(none.Fields) != 0 || len(some.Fields) != 1 {
		return 0, false
	}
	return some.Fields[0].Type, true
}

// newtypeInner unwraps a composite with exactly one field, or a 1-tuple.
func (r *Registry) newtypeInner(t *Type) (TypeID, bool) {
	switch {
	case t.Kind == KindComposite && len(t.Fields) == 1:
		return t.Fields[0].Type, true
	case t.Kind == KindTuple && len(t.Tuple) == 1:
		return t.Tuple[0], true
	}
	return 0, false
}

func hasTags(gt reflect.Type) bool {
	for i := range gt.NumField() {
		if _, ok := gt.Field(i).Tag.Lookup("scale"); ok {
			return true
		}
	}
	return false
}

func (r *Registry) compile(id TypeID, gt reflect.Type, path string, depth int) (plan, error) {
	if depth > maxDepth {
		return nil, changed(path, "type nesting too deep")
	}
	t := r.Type(id)
	if t == nil {
		return nil, changed(path, "type %d missing", id)
	}
	if gt == valueType {
		return func(d *scale.Decoder, v reflect.Value) error {
			val, err := r.decode(id, d, 0)
			v.Set(reflect.ValueOf(val))
			return err
		}, nil
	}
	// Option<T>.
	if inner, ok := r.optionInner(t); ok {
		if gt.Kind() == reflect.Pointer {
			elem, err := r.compile(inner, gt.Elem(), path, depth+1)
			if err != nil {
				return nil, err
			}
			return func(d *scale.Decoder, v reflect.Value) error {
				some, err := d.Option()
				if err != nil || !some {
					v.SetZero()
					return err
				}
				p := reflect.New(gt.Elem())
				if err := elem(d, p.Elem()); err != nil {
					return err
				}
				v.Set(p)
				return nil
			}, nil
		}
		elem, err := r.compile(inner, gt, path, depth+1)
		if err != nil {
			return nil, err
		}
		return func(d *scale.Decoder, v reflect.Value) error {
			some, err := d.Option()
			if err != nil || !some {
				v.SetZero()
				return err
			}
			return elem(d, v)
		}, nil
	}
	if gt.Kind() == reflect.Pointer {
		return nil, changed(path, "expected an Option, the runtime has %s", t.Name())
	}
	// Structs bind composites by name (or tuples positionally) before newtypes unwrap.
	if gt.Kind() == reflect.Struct && gt != u128Type {
		if hasTags(gt) {
			if t.Kind == KindComposite && len(t.Fields) > 0 && t.Fields[0].Name != "" {
				return r.compileStruct(t, gt, path, depth)
			}
			if inner, ok := r.newtypeInner(t); ok {
				return r.compile(inner, gt, path, depth+1)
			}
			return nil, changed(path, "expected a struct, the runtime has %s", t.Name())
		}
		if t.Kind == KindTuple || (t.Kind == KindComposite && (len(t.Fields) == 0 || t.Fields[0].Name == "")) {
			return r.compileTuple(t, gt, path, depth)
		}
		if inner, ok := r.newtypeInner(t); ok {
			return r.compile(inner, gt, path, depth+1)
		}
		return nil, changed(path, "expected a tuple, the runtime has %s", t.Name())
	}
	// Everything else sees through newtypes (AccountId32([u8;32]), NetUid(u16), I96F32{bits}).
	if inner, ok := r.newtypeInner(t); ok {
		return r.compile(inner, gt, path, depth+1)
	}
	switch gt.Kind() {
	case reflect.Bool:
		if t.Kind == KindPrimitive && t.Prim == PrimBool {
			return func(d *scale.Decoder, v reflect.Value) error {
				b, err := d.Bool()
				v.SetBool(b)
				return err
			}, nil
		}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return r.compileUint(t, gt, path)
	case reflect.Int64:
		if t.Kind == KindPrimitive && t.Prim >= PrimI8 && t.Prim <= PrimI64 {
			prim := t.Prim
			return func(d *scale.Decoder, v reflect.Value) error {
				var val Value
				err := decodePrim(prim, d, &val)
				v.SetInt(val.Int)
				return err
			}, nil
		}
	case reflect.String:
		if p := r.bytesPlan(t); p != nil {
			return func(d *scale.Decoder, v reflect.Value) error {
				b, err := p(d)
				v.SetString(string(b))
				return err
			}, nil
		}
	case reflect.Array:
		if gt.Elem().Kind() == reflect.Uint8 && t.Kind == KindArray && r.isU8(t.Elem) && int(t.Len) == gt.Len() {
			n := gt.Len()
			return func(d *scale.Decoder, v reflect.Value) error {
				b, err := d.Bytes(n)
				if err == nil {
					reflect.Copy(v, reflect.ValueOf(b))
				}
				return err
			}, nil
		}
	case reflect.Slice:
		if gt.Elem().Kind() == reflect.Uint8 {
			if p := r.bytesPlan(t); p != nil {
				return func(d *scale.Decoder, v reflect.Value) error {
					b, err := p(d)
					v.SetBytes(append([]byte(nil), b...))
					return err
				}, nil
			}
		}
		if t.Kind == KindSequence || t.Kind == KindArray {
			elem, err := r.compile(t.Elem, gt.Elem(), path, depth+1)
			if err != nil {
				return nil, err
			}
			minSize := r.minSize(t.Elem)
			fixedLen, isArray := int(t.Len), t.Kind == KindArray
			return func(d *scale.Decoder, v reflect.Value) error {
				n := fixedLen
				if !isArray {
					var err error
					if n, err = d.CompactLen(minSize); err != nil {
						return err
					}
				} else if minSize*n > d.Len() {
					return fmt.Errorf("%w: array of %d at offset %d", scale.ErrTruncated, n, d.Offset())
				}
				s := reflect.MakeSlice(gt, n, n)
				for i := range n {
					if err := elem(d, s.Index(i)); err != nil {
						return fmt.Errorf("[%d]: %w", i, err)
					}
				}
				v.Set(s)
				return nil
			}, nil
		}
	case reflect.Struct: // scale.U128
		return r.compileU128(t, path)
	}
	return nil, changed(path, "a %s cannot be read as %s", t.Name(), gt)
}

// bytesPlan reads Vec<u8>, Vec<Compact<u8>>, str or [u8; N] as bytes.
func (r *Registry) bytesPlan(t *Type) func(d *scale.Decoder) ([]byte, error) {
	switch {
	case t.Kind == KindPrimitive && t.Prim == PrimStr, t.Kind == KindSequence && r.isU8(t.Elem):
		return (*scale.Decoder).ByteVec
	case t.Kind == KindArray && r.isU8(t.Elem):
		n := int(t.Len)
		return func(d *scale.Decoder) ([]byte, error) { return d.Bytes(n) }
	case t.Kind == KindSequence:
		et := r.Type(t.Elem)
		if et != nil && et.Kind == KindCompact && r.isU8(et.Elem) {
			return func(d *scale.Decoder) ([]byte, error) {
				n, err := d.CompactLen(1)
				if err != nil {
					return nil, err
				}
				out := make([]byte, n)
				for i := range out {
					c, err := d.Compact()
					if err != nil {
						return nil, err
					}
					if c > 255 {
						return nil, fmt.Errorf("%w: Compact<u8> holds %d", scale.ErrMalformed, c)
					}
					out[i] = byte(c)
				}
				return out, nil
			}
		}
	}
	return nil
}

// compactInner sees through Compact<Newtype(u16)>.
func (r *Registry) compactInner(t *Type) *Type {
	inner := r.Type(t.Elem)
	for range 4 {
		if inner == nil {
			return nil
		}
		n, ok := r.newtypeInner(inner)
		if !ok {
			return inner
		}
		inner = r.Type(n)
	}
	return inner
}

func (r *Registry) compileUint(t *Type, gt reflect.Type, path string) (plan, error) {
	bits := gt.Bits()
	limit := uint64(1)<<bits - 1
	if bits == 64 {
		limit = ^uint64(0)
	}
	if t.Kind == KindCompact {
		inner := r.compactInner(t)
		if inner == nil || inner.Kind != KindPrimitive || inner.Prim < PrimU8 || inner.Prim > PrimU128 {
			return nil, changed(path, "a compact of %v cannot be read as %s", inner, gt)
		}
		return func(d *scale.Decoder, v reflect.Value) error {
			c, err := d.Compact()
			if err != nil {
				return err
			}
			if c > limit {
				return fmt.Errorf("%w: %s value %d exceeds %s", scale.ErrMalformed, path, c, gt)
			}
			v.SetUint(c)
			return nil
		}, nil
	}
	if t.Kind == KindPrimitive && t.Prim >= PrimU8 && t.Prim <= PrimU64 && t.Prim.size()*8 <= bits {
		size := t.Prim.size()
		return func(d *scale.Decoder, v reflect.Value) error {
			b, err := d.Bytes(size)
			if err != nil {
				return err
			}
			var u uint64
			for i := size - 1; i >= 0; i-- {
				u = u<<8 | uint64(b[i])
			}
			v.SetUint(u)
			return nil
		}, nil
	}
	return nil, changed(path, "a %s cannot be read as %s", t.Name(), gt)
}

func (r *Registry) compileU128(t *Type, path string) (plan, error) {
	set := func(v reflect.Value, u scale.U128) { v.Set(reflect.ValueOf(u)) }
	switch {
	case t.Kind == KindCompact:
		return func(d *scale.Decoder, v reflect.Value) error {
			u, err := d.CompactU128()
			set(v, u)
			return err
		}, nil
	case t.Kind == KindPrimitive && (t.Prim == PrimU128 || t.Prim == PrimI128):
		return func(d *scale.Decoder, v reflect.Value) error {
			u, err := d.U128()
			set(v, u)
			return err
		}, nil
	case t.Kind == KindPrimitive && t.Prim >= PrimU8 && t.Prim <= PrimU64:
		size := t.Prim.size()
		return func(d *scale.Decoder, v reflect.Value) error {
			b, err := d.Bytes(size)
			var u uint64
			for i := len(b) - 1; i >= 0; i-- {
				u = u<<8 | uint64(b[i])
			}
			set(v, scale.U128{Lo: u})
			return err
		}, nil
	}
	return nil, changed(path, "a %s cannot be read as a 128-bit integer", t.Name())
}

func (r *Registry) compileStruct(t *Type, gt reflect.Type, path string, depth int) (plan, error) {
	type want struct {
		index    int
		optional bool
	}
	wants := map[string]want{}
	for i := range gt.NumField() {
		tag, ok := gt.Field(i).Tag.Lookup("scale")
		if !ok || tag == "-" {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		wants[name] = want{i, opt == "optional"}
	}
	type step struct {
		field int // -1: skip
		typ   TypeID
		p     plan
	}
	steps := make([]step, len(t.Fields))
	found := map[string]bool{}
	for i, f := range t.Fields {
		w, ok := wants[f.Name]
		if !ok {
			steps[i] = step{field: -1, typ: f.Type}
			continue
		}
		p, err := r.compile(f.Type, gt.Field(w.index).Type, path+"."+f.Name, depth+1)
		if err != nil {
			if w.optional {
				steps[i] = step{field: -1, typ: f.Type}
				continue
			}
			return nil, err
		}
		found[f.Name] = true
		steps[i] = step{field: w.index, typ: f.Type, p: p}
	}
	for name, w := range wants {
		if !found[name] && !w.optional {
			return nil, changed(path+"."+name, "the runtime's %s has no such field", t.Name())
		}
	}
	return func(d *scale.Decoder, v reflect.Value) error {
		for i := range steps {
			s := &steps[i]
			if s.field < 0 {
				if err := r.skip(s.typ, d, 0); err != nil {
					return fmt.Errorf("%s.%s: %w", path, t.Fields[i].Name, err)
				}
				continue
			}
			if err := s.p(d, v.Field(s.field)); err != nil {
				return fmt.Errorf("%s.%s: %w", path, t.Fields[i].Name, err)
			}
		}
		return nil
	}, nil
}

func (r *Registry) compileTuple(t *Type, gt reflect.Type, path string, depth int) (plan, error) {
	var items []TypeID
	if t.Kind == KindTuple {
		items = t.Tuple
	} else {
		for _, f := range t.Fields {
			items = append(items, f.Type)
		}
	}
	var fields []int
	for i := range gt.NumField() {
		if gt.Field(i).IsExported() {
			fields = append(fields, i)
		}
	}
	if len(fields) != len(items) {
		return nil, changed(path, "expected a tuple of %d, the runtime has %d items (%s)", len(fields), len(items), t.Name())
	}
	plans := make([]plan, len(items))
	for i, id := range items {
		p, err := r.compile(id, gt.Field(fields[i]).Type, fmt.Sprintf("%s.%d", path, i), depth+1)
		if err != nil {
			return nil, err
		}
		plans[i] = p
	}
	return func(d *scale.Decoder, v reflect.Value) error {
		for i, p := range plans {
			if err := p(d, v.Field(fields[i])); err != nil {
				return err
			}
		}
		return nil
	}, nil
}
