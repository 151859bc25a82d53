package mechanism

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ErrInvalidEpochInput is wrapped by every error about an epoch input.
var ErrInvalidEpochInput = errors.New("invalid epoch input")

// FieldError is an invalid epoch input, located by its JSON path (e.g. `neurons[3].stake`).
type FieldError struct {
	Path string // JSON path of the offending field; empty for the document itself
	Msg  string // what is wrong and what is expected
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Unwrap makes errors.Is(err, ErrInvalidEpochInput) hold.
func (e *FieldError) Unwrap() error { return ErrInvalidEpochInput }

func fieldErr(path, format string, a ...any) *FieldError {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, a...)}
}

// MarshalJSON writes the pair as `[uid, value]`.
func (p UIDValue) MarshalJSON() ([]byte, error) {
	return []byte("[" + strconv.FormatUint(uint64(p.UID), 10) + "," + strconv.FormatUint(uint64(p.Value), 10) + "]"), nil
}

// UnmarshalJSON reads `[uid, value]` with both in [0, 65535].
func (p *UIDValue) UnmarshalJSON(b []byte) error {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	pair, err := decodePair("", v)
	if err != nil {
		return err
	}
	*p = pair
	return nil
}

// ParseEpochInput decodes Part A's input JSON strictly: unknown fields, wrong types, fractions,
// negative or out-of-range numbers, missing required fields (block, raoEmission, neurons, and
// each neuron's uid and stake) and trailing data are errors naming the field's path. Omitted
// hyperparameters take DefaultHyperparameters' values. Besides Part A's fields it reads two
// optional extensions for the commit-reveal mask: `hyperparameters.commitReveal` (boolean,
// default false) and each neuron's `commitBlock` (the block of its oldest unexpired weights
// commit; absent or null when it holds none). The result is also checked by Validate.
func ParseEpochInput(data []byte) (EpochInput, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return EpochInput{}, syntaxError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return EpochInput{}, fieldErr("", "unexpected data after the JSON document; give exactly one object")
	}
	in, err := decodeInput(doc)
	if err != nil {
		return EpochInput{}, err
	}
	if err := in.Validate(); err != nil {
		return EpochInput{}, err
	}
	return in, nil
}

// syntaxError locates a JSON syntax error by line and column.
func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:se.Offset], []byte("\n"))
		col := int(se.Offset) - bytes.LastIndexByte(data[:se.Offset], '\n') - 1
		return fieldErr("", "malformed JSON at line %d, column %d: %v", line, col, se)
	}
	if errors.Is(err, io.EOF) {
		return fieldErr("", "empty input; give one JSON object")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fieldErr("", "malformed JSON: the document ends early")
	}
	return fieldErr("", "malformed JSON: %v", err)
}

type object struct {
	path string
	m    map[string]any
	seen map[string]bool
}

func asObject(path string, v any) (*object, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fieldErr(path, "must be a JSON object, got %s", jsonKind(v))
	}
	return &object{path: path, m: m, seen: map[string]bool{}}, nil
}

func (o *object) sub(key string) string {
	if o.path == "" {
		return key
	}
	return o.path + "." + key
}

// get returns the value of key; present is false when absent or null.
func (o *object) get(key string) (any, bool) {
	o.seen[key] = true
	v, ok := o.m[key]
	return v, ok && v != nil
}

func (o *object) required(key string) (any, error) {
	v, ok := o.get(key)
	if !ok {
		return nil, fieldErr(o.sub(key), "missing; this field is required")
	}
	return v, nil
}

// unknown rejects keys that were never asked for.
func (o *object) unknown() error {
	keys := make([]string, 0, len(o.m))
	for k := range o.m {
		if !o.seen[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	return fieldErr(o.sub(keys[0]), "unknown field; check the spelling against the input schema")
}

func (o *object) uint(key string, max uint64, dst *uint64, required bool) error {
	v, ok := o.get(key)
	if !ok {
		if required {
			return fieldErr(o.sub(key), "missing; this field is required")
		}
		return nil
	}
	x, err := decodeUint(o.sub(key), v, max)
	if err != nil {
		return err
	}
	*dst = x
	return nil
}

func (o *object) bool(key string, dst *bool) error {
	v, ok := o.get(key)
	if !ok {
		return nil
	}
	b, isBool := v.(bool)
	if !isBool {
		return fieldErr(o.sub(key), "must be true or false, got %s", jsonKind(v))
	}
	*dst = b
	return nil
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "the number " + x.String()
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// decodeUint reads a non-negative integer no larger than max.
func decodeUint(path string, v any, max uint64) (uint64, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, fieldErr(path, "must be a non-negative integer, got %s", jsonKind(v))
	}
	s := num.String()
	if strings.HasPrefix(s, "-") {
		return 0, fieldErr(path, "%s is negative; give an integer in [0, %d]", s, max)
	}
	x, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		if strings.ContainsAny(s, ".eE") {
			return 0, fieldErr(path, "%s is not an integer; give an integer in [0, %d]", s, max)
		}
		return 0, fieldErr(path, "%s is out of range; give an integer in [0, %d]", s, max)
	}
	if x > max {
		return 0, fieldErr(path, "%d is out of range; give an integer in [0, %d]", x, max)
	}
	return x, nil
}

func decodeInt(path string, v any, min, max int64) (int64, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, fieldErr(path, "must be an integer, got %s", jsonKind(v))
	}
	x, err := strconv.ParseInt(num.String(), 10, 64)
	if err != nil || x < min || x > max {
		return 0, fieldErr(path, "%s is not an integer in [%d, %d]", num.String(), min, max)
	}
	return x, nil
}

func decodePair(path string, v any) (UIDValue, error) {
	arr, ok := v.([]any)
	if !ok || len(arr) != 2 {
		return UIDValue{}, fieldErr(path, "must be a pair [uid, value], got %s", jsonKind(v))
	}
	uid, err := decodeUint(path+"[0]", arr[0], math.MaxUint16)
	if err != nil {
		return UIDValue{}, err
	}
	val, err := decodeUint(path+"[1]", arr[1], math.MaxUint16)
	if err != nil {
		return UIDValue{}, err
	}
	return UIDValue{UID: uint16(uid), Value: uint16(val)}, nil
}

func decodeRow(path string, v any, present bool) ([]UIDValue, error) {
	if !present {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, fieldErr(path, "must be an array of [uid, value] pairs, got %s", jsonKind(v))
	}
	row := make([]UIDValue, len(arr))
	for k, e := range arr {
		p, err := decodePair(fmt.Sprintf("%s[%d]", path, k), e)
		if err != nil {
			return nil, err
		}
		row[k] = p
	}
	return row, nil
}

func decodeInput(doc any) (EpochInput, error) {
	var in EpochInput
	top, err := asObject("", doc)
	if err != nil {
		return in, err
	}
	if err := top.uint("block", math.MaxUint64, &in.Block, true); err != nil {
		return in, err
	}
	if err := top.uint("raoEmission", math.MaxUint64, &in.RaoEmission, true); err != nil {
		return in, err
	}
	if err := top.uint("lastMechanismStepBlock", math.MaxUint64, &in.LastMechanismStepBlock, false); err != nil {
		return in, err
	}
	if v, ok := top.get("ownerUid"); ok {
		u, err := decodeUint("ownerUid", v, math.MaxUint16)
		if err != nil {
			return in, err
		}
		owner := uint16(u)
		in.OwnerUID = &owner
	}
	in.Hyperparameters = DefaultHyperparameters()
	if v, ok := top.get("hyperparameters"); ok {
		if err := decodeHyperparameters(v, &in.Hyperparameters); err != nil {
			return in, err
		}
	}
	nv, err := top.required("neurons")
	if err != nil {
		return in, err
	}
	arr, ok := nv.([]any)
	if !ok {
		return in, fieldErr("neurons", "must be an array of neurons, got %s", jsonKind(nv))
	}
	in.Neurons = make([]Neuron, len(arr))
	for i, e := range arr {
		if err := decodeNeuron(fmt.Sprintf("neurons[%d]", i), e, &in.Neurons[i]); err != nil {
			return in, err
		}
	}
	return in, top.unknown()
}

func decodeHyperparameters(v any, hp *Hyperparameters) error {
	o, err := asObject("hyperparameters", v)
	if err != nil {
		return err
	}
	var x uint64
	u16 := func(key string, dst *uint16) error {
		x = uint64(*dst)
		if err := o.uint(key, math.MaxUint16, &x, false); err != nil {
			return err
		}
		*dst = uint16(x)
		return nil
	}
	for _, f := range []struct {
		key string
		dst *uint16
	}{
		{"tempo", &hp.Tempo}, {"kappa", &hp.Kappa}, {"bondsPenalty", &hp.BondsPenalty},
		{"alphaLow", &hp.AlphaLow}, {"alphaHigh", &hp.AlphaHigh},
		{"maxAllowedValidators", &hp.MaxAllowedValidators}, {"rho", &hp.Rho},
	} {
		if err := u16(f.key, f.dst); err != nil {
			return err
		}
	}
	if err := o.uint("bondsMovingAverage", 1_000_000, &hp.BondsMovingAverage, false); err != nil {
		return err
	}
	x = uint64(hp.ActivityCutoffFactorMilli)
	if err := o.uint("activityCutoffFactorMilli", math.MaxUint32, &x, false); err != nil {
		return err
	}
	hp.ActivityCutoffFactorMilli = uint32(x)
	if err := o.uint("stakeThreshold", math.MaxUint64, &hp.StakeThreshold, false); err != nil {
		return err
	}
	if err := o.bool("yuma3", &hp.Yuma3); err != nil {
		return err
	}
	if err := o.bool("liquidAlpha", &hp.LiquidAlpha); err != nil {
		return err
	}
	if err := o.bool("commitReveal", &hp.CommitReveal); err != nil {
		return err
	}
	if v, ok := o.get("alphaSigmoidSteepness"); ok {
		s, err := decodeInt(o.sub("alphaSigmoidSteepness"), v, math.MinInt16, math.MaxInt16)
		if err != nil {
			return err
		}
		hp.AlphaSigmoidSteepness = int16(s)
	}
	if v, ok := o.get("consensusMode"); ok {
		s, isStr := v.(string)
		if !isStr {
			return fieldErr(o.sub("consensusMode"), "must be \"yuma\" or \"whitepaper\", got %s", jsonKind(v))
		}
		hp.ConsensusMode = ConsensusMode(s)
	}
	return o.unknown()
}

func decodeNeuron(path string, v any, nr *Neuron) error {
	o, err := asObject(path, v)
	if err != nil {
		return err
	}
	var uid uint64
	if err := o.uint("uid", math.MaxUint16, &uid, true); err != nil {
		return err
	}
	nr.UID = uint16(uid)
	if err := o.uint("stake", math.MaxUint64, &nr.Stake, true); err != nil {
		return err
	}
	if err := o.uint("lastUpdate", math.MaxUint64, &nr.LastUpdate, false); err != nil {
		return err
	}
	if err := o.uint("registeredAt", math.MaxUint64, &nr.RegisteredAt, false); err != nil {
		return err
	}
	if err := o.bool("validatorPermit", &nr.ValidatorPermit); err != nil {
		return err
	}
	if v, ok := o.get("commitBlock"); ok {
		cb, err := decodeUint(o.sub("commitBlock"), v, math.MaxUint64)
		if err != nil {
			return err
		}
		nr.CommitBlock = &cb
	}
	wv, ok := o.get("weights")
	if nr.Weights, err = decodeRow(o.sub("weights"), wv, ok); err != nil {
		return err
	}
	bv, ok := o.get("bonds")
	if nr.Bonds, err = decodeRow(o.sub("bonds"), bv, ok); err != nil {
		return err
	}
	return o.unknown()
}

// Validate checks what the JSON types cannot: uids are 0..n−1 in order, every weight and bond
// names an existing uid at most once, the owner uid exists, the consensus mode is known,
// alphaLow ≤ alphaHigh, bondsMovingAverage ≤ 10^6 and the total stake fits I64F64 (< 2^63).
// (subtensor's storage silently ignores weight entries with uid ≥ n; a chain holding such rows
// must drop them before calling Epoch.)
func (in *EpochInput) Validate() error {
	n := len(in.Neurons)
	if n > math.MaxUint16+1 {
		return fieldErr("neurons", "%d neurons; a subnet holds at most 65536 uids", n)
	}
	hp := in.Hyperparameters
	switch hp.ConsensusMode {
	case ConsensusYuma, ConsensusWhitepaper:
	default:
		return fieldErr("hyperparameters.consensusMode", "%q is not a consensus mode; use \"yuma\" or \"whitepaper\"", hp.ConsensusMode)
	}
	if hp.AlphaLow > hp.AlphaHigh {
		return fieldErr("hyperparameters.alphaLow", "%d exceeds alphaHigh %d; alphaLow must not exceed alphaHigh", hp.AlphaLow, hp.AlphaHigh)
	}
	if hp.BondsMovingAverage > 1_000_000 {
		return fieldErr("hyperparameters.bondsMovingAverage", "%d is out of range; give an integer in [0, 1000000]", hp.BondsMovingAverage)
	}
	if in.OwnerUID != nil && int(*in.OwnerUID) >= n {
		return fieldErr("ownerUid", "uid %d >= n %d; the owner must be a registered uid or null", *in.OwnerUID, n)
	}
	var total uint64
	var seen []int // generation marks for duplicate detection, made for the first unsorted row
	gen := 0
	for i := range in.Neurons {
		nr := &in.Neurons[i]
		if int(nr.UID) != i {
			return fieldErr(fmt.Sprintf("neurons[%d].uid", i), "uid %d at position %d; neurons must list uids 0..n-1 in order without gaps", nr.UID, i)
		}
		if total+nr.Stake < total || total+nr.Stake > math.MaxInt64 {
			return fieldErr(fmt.Sprintf("neurons[%d].stake", i), "total stake exceeds %d rao; scale the stakes down", int64(math.MaxInt64))
		}
		total += nr.Stake
		for _, rk := range []struct {
			name string
			row  []UIDValue
		}{{"weights", nr.Weights}, {"bonds", nr.Bonds}} {
			if ascendingBelow(rk.row, n) {
				continue // in range and strictly ascending: no uid twice
			}
			if seen == nil {
				seen = make([]int, n)
			}
			gen++
			for k, p := range rk.row {
				if int(p.UID) >= n {
					return fieldErr(fmt.Sprintf("neurons[%d].%s[%d]", i, rk.name, k),
						"uid %d >= n %d; a row may only name the subnet's uids (0 to n-1)", p.UID, n)
				}
				if seen[p.UID] == gen {
					return fieldErr(fmt.Sprintf("neurons[%d].%s[%d]", i, rk.name, k),
						"uid %d appears twice in the row; list each uid once", p.UID)
				}
				seen[p.UID] = gen
			}
		}
	}
	return nil
}

// ascendingBelow reports whether row's uids are strictly ascending and all below n (the order
// set_weights stores).
func ascendingBelow(row []UIDValue, n int) bool {
	last := -1
	for _, p := range row {
		if int(p.UID) <= last {
			return false
		}
		last = int(p.UID)
	}
	return last < n
}

// UnmarshalJSON decodes with ParseEpochInput, so encoding/json callers get the same strict
// decoding, defaults and validation as the command.
func (in *EpochInput) UnmarshalJSON(b []byte) error {
	v, err := ParseEpochInput(b)
	if err != nil {
		return err
	}
	*in = v
	return nil
}
