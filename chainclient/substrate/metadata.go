package substrate

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/btui/btui/chainclient/substrate/scale"
)

// TypeID indexes the portable type registry of a runtime's metadata.
type TypeID uint32

// TypeDefKind is the shape of a registry type.
type TypeDefKind uint8

// The shapes of scale-info's TypeDef, in its encoding order.
const (
	KindComposite TypeDefKind = iota
	KindVariant
	KindSequence
	KindArray
	KindTuple
	KindPrimitive
	KindCompact
	KindBitSequence
)

// Primitive is scale-info's TypeDefPrimitive, in its encoding order.
type Primitive uint8

// The primitives.
const (
	PrimBool Primitive = iota
	PrimChar
	PrimStr
	PrimU8
	PrimU16
	PrimU32
	PrimU64
	PrimU128
	PrimU256
	PrimI8
	PrimI16
	PrimI32
	PrimI64
	PrimI128
	PrimI256
)

var primNames = [...]string{"bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "u256", "i8", "i16", "i32", "i64", "i128", "i256"}

func (p Primitive) String() string {
	if int(p) < len(primNames) {
		return primNames[p]
	}
	return fmt.Sprintf("primitive(%d)", p)
}

// size is the fixed encoded size of a primitive (0 for str).
func (p Primitive) size() int {
	switch p {
	case PrimBool, PrimU8, PrimI8:
		return 1
	case PrimU16, PrimI16:
		return 2
	case PrimChar, PrimU32, PrimI32:
		return 4
	case PrimU64, PrimI64:
		return 8
	case PrimU128, PrimI128:
		return 16
	case PrimU256, PrimI256:
		return 32
	}
	return 0
}

// Field is a field of a composite or variant.
type Field struct {
	Name     string // "" for tuple-like fields
	Type     TypeID
	TypeName string
}

// Variant is one variant of an enum type.
type Variant struct {
	Name   string
	Fields []Field
	Index  uint8
	Docs   []string
}

// Type is one entry of the portable registry.
type Type struct {
	ID       TypeID
	Path     []string
	Params   []string
	Kind     TypeDefKind
	Fields   []Field   // composite
	Variants []Variant // variant
	Elem     TypeID    // sequence, array, compact; bit-sequence store type
	Len      uint32    // array
	Tuple    []TypeID  // tuple
	Prim     Primitive // primitive
	BitOrder TypeID    // bit-sequence
	// fixed is the encoded size when every value of the type has the same size, else -1.
	fixed int
	// variantByIndex maps an enum's index byte to its position in Variants (-1 if absent);
	// allocated for variants only.
	variantByIndex []int16
}

// Name is the type's path joined with "::" (e.g. "sp_core::crypto::AccountId32"), or its shape.
func (t *Type) Name() string {
	if len(t.Path) > 0 {
		return strings.Join(t.Path, "::")
	}
	switch t.Kind {
	case KindPrimitive:
		return t.Prim.String()
	case KindSequence:
		return "Vec"
	case KindArray:
		return fmt.Sprintf("[_; %d]", t.Len)
	case KindTuple:
		return "tuple"
	case KindCompact:
		return "Compact"
	case KindBitSequence:
		return "BitVec"
	}
	return fmt.Sprintf("type %d", t.ID)
}

// VariantByIndex returns the variant with the given index byte.
func (t *Type) VariantByIndex(i uint8) (*Variant, bool) {
	if t.Kind != KindVariant || len(t.variantByIndex) != 256 {
		return nil, false
	}
	p := t.variantByIndex[i]
	if p < 0 {
		return nil, false
	}
	return &t.Variants[p], true
}

// VariantByName returns the variant with the given name.
func (t *Type) VariantByName(name string) (*Variant, bool) {
	for i := range t.Variants {
		if t.Variants[i].Name == name {
			return &t.Variants[i], true
		}
	}
	return nil, false
}

// Registry is the portable type registry.
type Registry struct {
	types []Type   // index = TypeID
	plans sync.Map // planKey -> plan: compiled view decoders (bind.go)
}

// Type returns the type with id, or nil.
func (r *Registry) Type(id TypeID) *Type {
	if int(id) >= len(r.types) {
		return nil
	}
	return &r.types[id]
}

// Len is the number of types.
func (r *Registry) Len() int { return len(r.types) }

// StorageHasher is how a storage map hashes a key.
type StorageHasher uint8

// The hashers, in their encoding order.
const (
	HasherBlake2_128 StorageHasher = iota
	HasherBlake2_256
	HasherBlake2_128Concat
	HasherTwox128
	HasherTwox256
	HasherTwox64Concat
	HasherIdentity
)

var hasherNames = [...]string{"Blake2_128", "Blake2_256", "Blake2_128Concat", "Twox128", "Twox256", "Twox64Concat", "Identity"}

func (h StorageHasher) String() string {
	if int(h) < len(hasherNames) {
		return hasherNames[h]
	}
	return fmt.Sprintf("hasher(%d)", h)
}

// StorageEntry describes one storage item.
type StorageEntry struct {
	Name     string
	Optional bool // modifier Optional: an absent key is None rather than the default
	IsMap    bool
	Hashers  []StorageHasher
	Key      TypeID // map key type (a tuple when there are several hashers)
	Value    TypeID
	Default  []byte
}

// Constant is a pallet constant.
type Constant struct {
	Name  string
	Type  TypeID
	Value []byte
}

// Pallet is one pallet of the runtime.
type Pallet struct {
	Name          string
	Index         uint8
	StoragePrefix string
	Storage       []StorageEntry
	Calls         *TypeID
	Events        *TypeID
	Errors        *TypeID
	Constants     []Constant
}

// SignedExtension is one transaction extension, in the order the runtime applies them.
type SignedExtension struct {
	Identifier       string
	Type             TypeID // explicit part, carried in the extrinsic
	AdditionalSigned TypeID // implicit part, only in the signing payload
}

// RuntimeAPIMethod is one method of a runtime API (V15).
type RuntimeAPIMethod struct {
	Name   string
	Inputs []Field
	Output TypeID
}

// RuntimeAPI is one runtime API trait (V15).
type RuntimeAPI struct {
	Name    string
	Methods []RuntimeAPIMethod
}

// Metadata is a parsed runtime metadata (V14 or V15).
type Metadata struct {
	Version          uint8
	Types            *Registry
	Pallets          []Pallet
	ExtrinsicVersion uint8
	ExtrinsicType    TypeID // V14: the UncheckedExtrinsic type
	AddressType      TypeID // V15 (V14: from the extrinsic type's params, if present)
	CallType         TypeID
	SignatureType    TypeID
	SignedExtensions []SignedExtension
	RuntimeType      TypeID
	APIs             []RuntimeAPI // V15 only
	EventType        TypeID       // V15 outer event enum
	ErrorType        TypeID       // V15 outer error enum

	palletByName  map[string]*Pallet
	palletByIndex map[uint8]*Pallet
}

// ErrMetadata reports metadata this package cannot read.
var ErrMetadata = errors.New("substrate: unsupported or malformed metadata")

// Pallet returns the pallet with the given name.
func (m *Metadata) Pallet(name string) (*Pallet, bool) {
	p, ok := m.palletByName[name]
	return p, ok
}

// PalletByIndex returns the pallet with the given index.
func (m *Metadata) PalletByIndex(i uint8) (*Pallet, bool) {
	p, ok := m.palletByIndex[i]
	return p, ok
}

// Storage returns a pallet's storage entry.
func (m *Metadata) Storage(pallet, item string) (*Pallet, *StorageEntry, error) {
	p, ok := m.palletByName[pallet]
	if !ok {
		return nil, nil, fmt.Errorf("%w: no pallet %s", ErrNotInMetadata, pallet)
	}
	for i := range p.Storage {
		if p.Storage[i].Name == item {
			return p, &p.Storage[i], nil
		}
	}
	return nil, nil, fmt.Errorf("%w: no storage item %s.%s", ErrNotInMetadata, pallet, item)
}

// Call returns a pallet's index and the call variant with the given name.
func (m *Metadata) Call(pallet, call string) (*Pallet, *Variant, error) {
	p, ok := m.palletByName[pallet]
	if !ok {
		return nil, nil, fmt.Errorf("%w: no pallet %s", ErrNotInMetadata, pallet)
	}
	if p.Calls == nil {
		return nil, nil, fmt.Errorf("%w: pallet %s has no calls", ErrNotInMetadata, pallet)
	}
	v, ok := m.Types.Type(*p.Calls).VariantByName(call)
	if !ok {
		return nil, nil, fmt.Errorf("%w: no call %s.%s", ErrNotInMetadata, pallet, call)
	}
	return p, v, nil
}

// Constant returns a pallet constant.
func (m *Metadata) Constant(pallet, name string) (*Constant, error) {
	p, ok := m.palletByName[pallet]
	if !ok {
		return nil, fmt.Errorf("%w: no pallet %s", ErrNotInMetadata, pallet)
	}
	for i := range p.Constants {
		if p.Constants[i].Name == name {
			return &p.Constants[i], nil
		}
	}
	return nil, fmt.Errorf("%w: no constant %s.%s", ErrNotInMetadata, pallet, name)
}

// API returns a runtime API method (V15 only).
func (m *Metadata) API(api, method string) (*RuntimeAPIMethod, error) {
	if m.Version < 15 {
		return nil, fmt.Errorf("%w: runtime API %s_%s needs metadata V15, this is V%d", ErrNotInMetadata, api, method, m.Version)
	}
	for i := range m.APIs {
		if m.APIs[i].Name != api {
			continue
		}
		for j := range m.APIs[i].Methods {
			if m.APIs[i].Methods[j].Name == method {
				return &m.APIs[i].Methods[j], nil
			}
		}
	}
	return nil, fmt.Errorf("%w: no runtime API %s_%s", ErrNotInMetadata, api, method)
}

// ModuleError names a DispatchError::Module{index, error} from the metadata.
func (m *Metadata) ModuleError(pallet uint8, errIndex uint8) (palletName string, v *Variant, ok bool) {
	p, ok := m.palletByIndex[pallet]
	if !ok || p.Errors == nil {
		return "", nil, false
	}
	v, ok = m.Types.Type(*p.Errors).VariantByIndex(errIndex)
	return p.Name, v, ok
}

// ErrNotInMetadata reports a pallet, call, storage item or API the runtime does not have.
var ErrNotInMetadata = errors.New("substrate: not in the runtime's metadata")

// DecodeMetadataHex parses the result of state_getMetadata (raw "meta" bytes) or of
// state_call("Metadata_metadata_at_version") (Option<Vec<u8>> around them), as hex.
func DecodeMetadataHex(s string) (*Metadata, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(s), "0x"))
	if err != nil {
		return nil, fmt.Errorf("%w: not hex: %v", ErrMetadata, err)
	}
	return DecodeMetadata(b)
}

// DecodeMetadata parses metadata bytes, either raw ("meta" magic, version byte, body) or
// wrapped as Metadata_metadata_at_version returns them (Option<Vec<u8>>) or as a Vec<u8>.
func DecodeMetadata(b []byte) (*Metadata, error) {
	b, err := unwrapMetadata(b)
	if err != nil {
		return nil, err
	}
	d := scale.NewDecoder(b[5:])
	m := &Metadata{Version: b[4]}
	switch m.Version {
	case 14, 15:
	default:
		return nil, fmt.Errorf("%w: metadata V%d (this client reads V14 and V15)", ErrMetadata, m.Version)
	}
	p := &mparser{d: d, v: m.Version}
	if err := p.parse(m); err != nil {
		return nil, fmt.Errorf("%w: V%d at byte %d: %v", ErrMetadata, m.Version, d.Offset()+5, err)
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMetadata, err)
	}
	if err := m.index(); err != nil {
		return nil, err
	}
	return m, nil
}

func unwrapMetadata(b []byte) ([]byte, error) {
	isMagic := func(b []byte) bool { return len(b) >= 5 && string(b[:4]) == "meta" }
	if isMagic(b) {
		return b, nil
	}
	d := scale.NewDecoder(b)
	if len(b) > 0 && b[0] == 1 { // Option::Some
		_, _ = d.U8()
		if inner, err := d.ByteVec(); err == nil && d.Len() == 0 && isMagic(inner) {
			return inner, nil
		}
		d = scale.NewDecoder(b)
	}
	if len(b) > 0 && b[0] == 0 {
		return nil, fmt.Errorf("%w: the node has no metadata at that version (None)", ErrMetadata)
	}
	if inner, err := d.ByteVec(); err == nil && d.Len() == 0 && isMagic(inner) {
		return inner, nil
	}
	return nil, fmt.Errorf("%w: no \"meta\" magic", ErrMetadata)
}

type mparser struct {
	d *scale.Decoder
	v uint8
}

func (p *mparser) str() (string, error) { return p.d.String() }

func (p *mparser) strs() ([]string, error) {
	n, err := p.d.CompactLen(1)
	if err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		if out[i], err = p.str(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// skipStrs skips a Vec<String> (docs) without allocating.
func (p *mparser) skipStrs() error {
	n, err := p.d.CompactLen(1)
	if err != nil {
		return err
	}
	for range n {
		if _, err := p.d.ByteVec(); err != nil {
			return err
		}
	}
	return nil
}

func (p *mparser) typeID() (TypeID, error) {
	v, err := p.d.Compact()
	if err != nil {
		return 0, err
	}
	if v > 1<<31 {
		return 0, fmt.Errorf("type id %d out of range", v)
	}
	return TypeID(v), nil
}

func (p *mparser) optTypeID() (*TypeID, error) {
	some, err := p.d.Option()
	if err != nil || !some {
		return nil, err
	}
	id, err := p.typeID()
	return &id, err
}

func (p *mparser) optStr() (string, error) {
	some, err := p.d.Option()
	if err != nil || !some {
		return "", err
	}
	return p.str()
}

func (p *mparser) fields() ([]Field, error) {
	n, err := p.d.CompactLen(3)
	if err != nil {
		return nil, err
	}
	out := make([]Field, n)
	for i := range out {
		f := &out[i]
		if f.Name, err = p.optStr(); err != nil {
			return nil, err
		}
		if f.Type, err = p.typeID(); err != nil {
			return nil, err
		}
		if f.TypeName, err = p.optStr(); err != nil {
			return nil, err
		}
		if err = p.skipStrs(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (p *mparser) registry() (*Registry, error) {
	n, err := p.d.CompactLen(4)
	if err != nil {
		return nil, err
	}
	r := &Registry{types: make([]Type, n)}
	for i := range n {
		id, err := p.typeID()
		if err != nil {
			return nil, err
		}
		if int(id) != i {
			return nil, fmt.Errorf("type %d listed at position %d (ids must be dense)", id, i)
		}
		t := &r.types[i]
		t.ID = id
		if t.Path, err = p.strs(); err != nil {
			return nil, err
		}
		np, err := p.d.CompactLen(2)
		if err != nil {
			return nil, err
		}
		for range np {
			name, err := p.str()
			if err != nil {
				return nil, err
			}
			if _, err := p.optTypeID(); err != nil {
				return nil, err
			}
			t.Params = append(t.Params, name)
		}
		kind, err := p.d.U8()
		if err != nil {
			return nil, err
		}
		t.Kind = TypeDefKind(kind)
		switch t.Kind {
		case KindComposite:
			t.Fields, err = p.fields()
		case KindVariant:
			var nv int
			if nv, err = p.d.CompactLen(4); err != nil {
				return nil, err
			}
			t.Variants = make([]Variant, nv)
			t.variantByIndex = make([]int16, 256)
			for j := range t.variantByIndex {
				t.variantByIndex[j] = -1
			}
			for j := range t.Variants {
				v := &t.Variants[j]
				if v.Name, err = p.str(); err != nil {
					return nil, err
				}
				if v.Fields, err = p.fields(); err != nil {
					return nil, err
				}
				if v.Index, err = p.d.U8(); err != nil {
					return nil, err
				}
				if v.Docs, err = p.strs(); err != nil {
					return nil, err
				}
				if t.variantByIndex[v.Index] >= 0 {
					return nil, fmt.Errorf("type %d: two variants with index %d", i, v.Index)
				}
				t.variantByIndex[v.Index] = int16(j)
			}
		case KindSequence, KindCompact:
			t.Elem, err = p.typeID()
		case KindArray:
			if t.Len, err = p.d.U32(); err != nil {
				return nil, err
			}
			t.Elem, err = p.typeID()
		case KindTuple:
			var nt int
			if nt, err = p.d.CompactLen(1); err != nil {
				return nil, err
			}
			t.Tuple = make([]TypeID, nt)
			for j := range t.Tuple {
				if t.Tuple[j], err = p.typeID(); err != nil {
					return nil, err
				}
			}
		case KindPrimitive:
			var prim uint8
			prim, err = p.d.U8()
			t.Prim = Primitive(prim)
			if err == nil && prim > uint8(PrimI256) {
				err = fmt.Errorf("type %d: unknown primitive %d", i, prim)
			}
		case KindBitSequence:
			if t.Elem, err = p.typeID(); err != nil {
				return nil, err
			}
			t.BitOrder, err = p.typeID()
		default:
			err = fmt.Errorf("type %d: unknown type kind %d", i, kind)
		}
		if err != nil {
			return nil, err
		}
		if err = p.skipStrs(); err != nil { // docs
			return nil, err
		}
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

// check verifies that every reference resolves and computes fixed sizes.
func (r *Registry) check() error {
	ok := func(id TypeID) bool { return int(id) < len(r.types) }
	for i := range r.types {
		t := &r.types[i]
		t.fixed = -2 // unknown yet
		refs := t.Tuple
		switch t.Kind {
		case KindComposite:
			for _, f := range t.Fields {
				refs = append(refs, f.Type)
			}
		case KindVariant:
			for _, v := range t.Variants {
				for _, f := range v.Fields {
					refs = append(refs, f.Type)
				}
			}
		case KindSequence, KindCompact:
			refs = append(refs, t.Elem)
		case KindArray:
			refs = append(refs, t.Elem)
			if t.Len > 1<<24 {
				return fmt.Errorf("type %d: array of %d elements is not plausible", i, t.Len)
			}
		case KindBitSequence:
			refs = append(refs, t.Elem, t.BitOrder)
		}
		for _, id := range refs {
			if !ok(id) {
				return fmt.Errorf("type %d refers to missing type %d", i, id)
			}
		}
	}
	for i := range r.types {
		r.fixedSize(TypeID(i), 0)
	}
	return nil
}

// fixedSize memoises the constant encoded size of a type (-1 when it varies).
func (r *Registry) fixedSize(id TypeID, depth int) int {
	t := &r.types[id]
	if t.fixed != -2 {
		return t.fixed
	}
	if depth > 64 {
		return -1
	}
	t.fixed = -1 // guards recursion
	size := 0
	switch t.Kind {
	case KindPrimitive:
		size = t.Prim.size()
		if size == 0 {
			size = -1
		}
	case KindComposite:
		for _, f := range t.Fields {
			s := r.fixedSize(f.Type, depth+1)
			if s < 0 {
				size = -1
				break
			}
			size += s
		}
	case KindTuple:
		for _, e := range t.Tuple {
			s := r.fixedSize(e, depth+1)
			if s < 0 {
				size = -1
				break
			}
			size += s
		}
	case KindArray:
		s := r.fixedSize(t.Elem, depth+1)
		if s < 0 || uint64(s)*uint64(t.Len) > 1<<30 {
			size = -1
		} else {
			size = s * int(t.Len)
		}
	default:
		size = -1
	}
	t.fixed = size
	return size
}

func (p *mparser) parse(m *Metadata) error {
	var err error
	if m.Types, err = p.registry(); err != nil {
		return err
	}
	np, err := p.d.CompactLen(5)
	if err != nil {
		return err
	}
	m.Pallets = make([]Pallet, np)
	for i := range m.Pallets {
		if err := p.pallet(&m.Pallets[i]); err != nil {
			return fmt.Errorf("pallet %d: %w", i, err)
		}
	}
	if p.v == 14 {
		if m.ExtrinsicType, err = p.typeID(); err != nil {
			return err
		}
		if m.ExtrinsicVersion, err = p.d.U8(); err != nil {
			return err
		}
	} else {
		if m.ExtrinsicVersion, err = p.d.U8(); err != nil {
			return err
		}
		for _, dst := range []*TypeID{&m.AddressType, &m.CallType, &m.SignatureType, new(TypeID)} {
			if *dst, err = p.typeID(); err != nil {
				return err
			}
		}
	}
	ne, err := p.d.CompactLen(3)
	if err != nil {
		return err
	}
	m.SignedExtensions = make([]SignedExtension, ne)
	for i := range m.SignedExtensions {
		e := &m.SignedExtensions[i]
		if e.Identifier, err = p.str(); err != nil {
			return err
		}
		if e.Type, err = p.typeID(); err != nil {
			return err
		}
		if e.AdditionalSigned, err = p.typeID(); err != nil {
			return err
		}
	}
	if m.RuntimeType, err = p.typeID(); err != nil {
		return err
	}
	if p.v == 14 {
		m.fillV14ExtrinsicTypes()
		return nil
	}
	na, err := p.d.CompactLen(3)
	if err != nil {
		return err
	}
	m.APIs = make([]RuntimeAPI, na)
	for i := range m.APIs {
		a := &m.APIs[i]
		if a.Name, err = p.str(); err != nil {
			return err
		}
		nm, err := p.d.CompactLen(3)
		if err != nil {
			return err
		}
		a.Methods = make([]RuntimeAPIMethod, nm)
		for j := range a.Methods {
			me := &a.Methods[j]
			if me.Name, err = p.str(); err != nil {
				return err
			}
			ni, err := p.d.CompactLen(2)
			if err != nil {
				return err
			}
			me.Inputs = make([]Field, ni)
			for k := range me.Inputs {
				if me.Inputs[k].Name, err = p.str(); err != nil {
					return err
				}
				if me.Inputs[k].Type, err = p.typeID(); err != nil {
					return err
				}
			}
			if me.Output, err = p.typeID(); err != nil {
				return err
			}
			if err := p.skipStrs(); err != nil {
				return err
			}
		}
		if err := p.skipStrs(); err != nil {
			return err
		}
	}
	// outer enums: call, event, error
	var callEnum TypeID
	for _, dst := range []*TypeID{&callEnum, &m.EventType, &m.ErrorType} {
		if *dst, err = p.typeID(); err != nil {
			return err
		}
	}
	// custom: BTreeMap<String, {type, value}>
	nc, err := p.d.CompactLen(3)
	if err != nil {
		return err
	}
	for range nc {
		if _, err := p.str(); err != nil {
			return err
		}
		if _, err := p.typeID(); err != nil {
			return err
		}
		if _, err := p.d.ByteVec(); err != nil {
			return err
		}
	}
	return nil
}

// fillV14ExtrinsicTypes reads address, call and signature types from the UncheckedExtrinsic
// type's generic parameters (V14 lists only the extrinsic type).
func (m *Metadata) fillV14ExtrinsicTypes() {
	t := m.Types.Type(m.ExtrinsicType)
	if t == nil {
		return
	}
	// The params' types were skipped while parsing; find them by the runtime's call enum
	// instead: the pallets' call types are variants of RuntimeCall.
	for i := range m.Types.types {
		tt := &m.Types.types[i]
		if tt.Kind == KindVariant && len(tt.Path) > 0 && tt.Path[len(tt.Path)-1] == "RuntimeCall" {
			m.CallType = tt.ID
		}
		if tt.Kind == KindVariant && len(tt.Path) > 0 && strings.Join(tt.Path, "::") == "sp_runtime::multiaddress::MultiAddress" {
			m.AddressType = tt.ID
		}
		if tt.Kind == KindVariant && len(tt.Path) > 0 && strings.Join(tt.Path, "::") == "sp_runtime::MultiSignature" {
			m.SignatureType = tt.ID
		}
		if tt.Kind == KindVariant && len(tt.Path) > 0 && tt.Path[len(tt.Path)-1] == "RuntimeEvent" {
			m.EventType = tt.ID
		}
	}
}

func (p *mparser) pallet(pl *Pallet) error {
	var err error
	if pl.Name, err = p.str(); err != nil {
		return err
	}
	some, err := p.d.Option()
	if err != nil {
		return err
	}
	if some {
		if pl.StoragePrefix, err = p.str(); err != nil {
			return err
		}
		n, err := p.d.CompactLen(4)
		if err != nil {
			return err
		}
		pl.Storage = make([]StorageEntry, n)
		for i := range pl.Storage {
			e := &pl.Storage[i]
			if e.Name, err = p.str(); err != nil {
				return err
			}
			mod, err := p.d.U8()
			if err != nil {
				return err
			}
			e.Optional = mod == 0
			kind, err := p.d.U8()
			if err != nil {
				return err
			}
			switch kind {
			case 0:
				if e.Value, err = p.typeID(); err != nil {
					return err
				}
			case 1:
				e.IsMap = true
				nh, err := p.d.CompactLen(1)
				if err != nil {
					return err
				}
				for range nh {
					h, err := p.d.U8()
					if err != nil {
						return err
					}
					if h > uint8(HasherIdentity) {
						return fmt.Errorf("storage %s: unknown hasher %d", e.Name, h)
					}
					e.Hashers = append(e.Hashers, StorageHasher(h))
				}
				if e.Key, err = p.typeID(); err != nil {
					return err
				}
				if e.Value, err = p.typeID(); err != nil {
					return err
				}
			default:
				return fmt.Errorf("storage %s: unknown entry kind %d", e.Name, kind)
			}
			if e.Default, err = p.d.ByteVec(); err != nil {
				return err
			}
			if err := p.skipStrs(); err != nil {
				return err
			}
		}
	}
	if pl.Calls, err = p.optTypeID(); err != nil {
		return err
	}
	if pl.Events, err = p.optTypeID(); err != nil {
		return err
	}
	nc, err := p.d.CompactLen(3)
	if err != nil {
		return err
	}
	pl.Constants = make([]Constant, nc)
	for i := range pl.Constants {
		c := &pl.Constants[i]
		if c.Name, err = p.str(); err != nil {
			return err
		}
		if c.Type, err = p.typeID(); err != nil {
			return err
		}
		if c.Value, err = p.d.ByteVec(); err != nil {
			return err
		}
		if err := p.skipStrs(); err != nil {
			return err
		}
	}
	if pl.Errors, err = p.optTypeID(); err != nil {
		return err
	}
	if pl.Index, err = p.d.U8(); err != nil {
		return err
	}
	if p.v >= 15 {
		return p.skipStrs()
	}
	return nil
}

func (m *Metadata) index() error {
	m.palletByName = make(map[string]*Pallet, len(m.Pallets))
	m.palletByIndex = make(map[uint8]*Pallet, len(m.Pallets))
	for i := range m.Pallets {
		p := &m.Pallets[i]
		if _, dup := m.palletByIndex[p.Index]; dup {
			return fmt.Errorf("%w: two pallets with index %d", ErrMetadata, p.Index)
		}
		m.palletByName[p.Name] = p
		m.palletByIndex[p.Index] = p
		for _, id := range []*TypeID{p.Calls, p.Events, p.Errors} {
			if id != nil && (m.Types.Type(*id) == nil || m.Types.Type(*id).Kind != KindVariant) {
				return fmt.Errorf("%w: pallet %s: call/event/error type %d is not an enum", ErrMetadata, p.Name, *id)
			}
		}
	}
	return nil
}

// RuntimeVersion is the runtime's version as state_getRuntimeVersion reports it (and as the
// System.Version constant holds it).
type RuntimeVersion struct {
	SpecName           string `json:"specName"`
	ImplName           string `json:"implName"`
	AuthoringVersion   uint32 `json:"authoringVersion"`
	SpecVersion        uint32 `json:"specVersion"`
	ImplVersion        uint32 `json:"implVersion"`
	TransactionVersion uint32 `json:"transactionVersion"`
}

// RuntimeVersion decodes the System.Version constant.
func (m *Metadata) RuntimeVersion() (RuntimeVersion, error) {
	c, err := m.Constant("System", "Version")
	if err != nil {
		return RuntimeVersion{}, err
	}
	var v RuntimeVersion
	d := scale.NewDecoder(c.Value)
	if v.SpecName, err = d.String(); err != nil {
		return v, err
	}
	if v.ImplName, err = d.String(); err != nil {
		return v, err
	}
	for _, dst := range []*uint32{&v.AuthoringVersion, &v.SpecVersion, &v.ImplVersion} {
		if *dst, err = d.U32(); err != nil {
			return v, err
		}
	}
	// apis: Vec<([u8; 8], u32)>
	n, err := d.CompactLen(12)
	if err != nil {
		return v, err
	}
	if err := d.Skip(12 * n); err != nil {
		return v, err
	}
	v.TransactionVersion, err = d.U32()
	return v, err
}
