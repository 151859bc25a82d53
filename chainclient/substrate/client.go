package substrate

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/btui/btui/chainclient/substrate/scale"
	"github.com/btui/btui/wallet"
)

// Hash is a 32-byte block or extrinsic hash.
type Hash [32]byte

// Hex is the hash as 0x-prefixed lower-case hex.
func (h Hash) Hex() string { return "0x" + hex.EncodeToString(h[:]) }

// String is Hex.
func (h Hash) String() string { return h.Hex() }

// MarshalText encodes the hash as 0x hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.Hex()), nil }

// UnmarshalText parses 0x hex.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	*h = v
	return err
}

// ParseHash parses a 0x-prefixed 64-digit hex hash.
func ParseHash(s string) (Hash, error) {
	var h Hash
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		return h, fmt.Errorf("substrate: %q is not a 32-byte 0x hex hash", s)
	}
	copy(h[:], b)
	return h, nil
}

// Client reads a subtensor node through a Transport. Create it with Connect. It is safe for
// concurrent use.
type Client struct {
	t       Transport
	Genesis Hash
	Chain   string

	mu      sync.RWMutex
	meta    *Metadata
	version RuntimeVersion
}

// ConnectOptions tunes Connect.
type ConnectOptions struct {
	// Metadata, if set, is used instead of fetching it (it must match the node's spec version).
	Metadata *Metadata
}

// Connect reads the genesis hash, runtime version and metadata (V15 through
// Metadata_metadata_at_version, V14 from state_getMetadata if the node has no V15), then
// checks that every runtime type btui reads still has the fields btui needs, failing closed
// with "runtime N changed X.y" otherwise.
func Connect(ctx context.Context, t Transport, opts ConnectOptions) (*Client, error) {
	c := &Client{t: t}
	var g string
	if err := c.call(ctx, &g, "chain_getBlockHash", 0); err != nil {
		return nil, fmt.Errorf("read genesis hash: %w", err)
	}
	var err error
	if c.Genesis, err = ParseHash(g); err != nil {
		return nil, fmt.Errorf("read genesis hash: %w", err)
	}
	if err := c.call(ctx, &c.version, "state_getRuntimeVersion", nil); err != nil {
		return nil, fmt.Errorf("read runtime version: %w", err)
	}
	meta := opts.Metadata
	if meta == nil {
		if meta, err = c.fetchMetadata(ctx, nil); err != nil {
			return nil, err
		}
	}
	if err := c.setMetadata(meta, c.version); err != nil {
		return nil, err
	}
	return c, nil
}

// fetchMetadata reads V15, falling back to V14.
func (c *Client) fetchMetadata(ctx context.Context, at *Hash) (*Metadata, error) {
	var res string
	err := c.call(ctx, &res, "state_call", "Metadata_metadata_at_version", "0x0f000000", atParam(at))
	if err == nil {
		m, err := DecodeMetadataHex(res)
		if err == nil {
			return m, nil
		}
	}
	if err := c.call(ctx, &res, "state_getMetadata", atParam(at)); err != nil {
		return nil, fmt.Errorf("read metadata: %w", err)
	}
	return DecodeMetadataHex(res)
}

// setMetadata installs metadata after checking it matches the runtime version and binds
// every view.
func (c *Client) setMetadata(m *Metadata, v RuntimeVersion) error {
	mv, err := m.RuntimeVersion()
	if err != nil {
		return fmt.Errorf("metadata has no System.Version: %w", err)
	}
	if mv.SpecVersion != v.SpecVersion {
		return fmt.Errorf("substrate: the metadata is for runtime %d but the node runs %d: refusing to mix them", mv.SpecVersion, v.SpecVersion)
	}
	if err := CheckViews(m, v.SpecVersion); err != nil {
		return err
	}
	c.mu.Lock()
	c.meta, c.version = m, v
	c.mu.Unlock()
	return nil
}

// Metadata is the metadata in use.
func (c *Client) Metadata() *Metadata {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.meta
}

// RuntimeVersion is the runtime version in use.
func (c *Client) RuntimeVersion() RuntimeVersion {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.version
}

// Transport is the client's transport.
func (c *Client) Transport() Transport { return c.t }

// Close closes the transport.
func (c *Client) Close() error { return c.t.Close() }

// Refresh re-reads the runtime version and, when the spec changed (a runtime upgrade), the
// metadata, re-running the view checks. Call it before signing.
func (c *Client) Refresh(ctx context.Context) (upgraded bool, err error) {
	var v RuntimeVersion
	if err := c.call(ctx, &v, "state_getRuntimeVersion", nil); err != nil {
		return false, err
	}
	if v.SpecVersion == c.RuntimeVersion().SpecVersion {
		return false, nil
	}
	m, err := c.fetchMetadata(ctx, nil)
	if err != nil {
		return true, err
	}
	return true, c.setMetadata(m, v)
}

func atParam(at *Hash) any {
	if at == nil {
		return nil
	}
	return at.Hex()
}

// call runs one RPC and unmarshals its result into dst.
func (c *Client) call(ctx context.Context, dst any, method string, params ...any) error {
	raw, err := c.t.Call(ctx, method, params...)
	if err != nil {
		return err
	}
	if dst == nil {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("%s: unexpected answer %.80s: %w", method, raw, err)
	}
	return nil
}

// viewCheck is one runtime type btui reads and the Go view it binds to.
type viewCheck struct {
	api, method string
	gt          reflect.Type
	// alt names another method that can serve instead when this one is absent.
	alt string
}

var viewChecks = []viewCheck{
	{"NeuronInfoRuntimeApi", "get_neurons_lite", reflect.TypeFor[[]NeuronInfoLite](), ""},
	{"NeuronInfoRuntimeApi", "get_neuron", reflect.TypeFor[*NeuronInfo](), ""},
	{"SubnetInfoRuntimeApi", "get_selective_mechagraph", reflect.TypeFor[*Metagraph](), "get_selective_metagraph"},
	{"SubnetInfoRuntimeApi", "get_all_dynamic_info", reflect.TypeFor[[]*DynamicInfo](), ""},
	{"SubnetInfoRuntimeApi", "get_subnets_info_v2", reflect.TypeFor[[]*SubnetInfo](), ""},
	{"StakeInfoRuntimeApi", "get_stake_info_for_coldkey", reflect.TypeFor[[]StakeInfo](), ""},
	{"DelegateInfoRuntimeApi", "get_delegates", reflect.TypeFor[[]DelegateInfo](), ""},
	{"SubnetRegistrationRuntimeApi", "get_network_registration_cost", reflect.TypeFor[uint64](), ""},
	{"TransactionPaymentApi", "query_info", reflect.TypeFor[FeeInfo](), ""},
}

// viewName is the name a view is reported by ("NeuronInfoLite").
func viewName(gt reflect.Type) string {
	for gt.Kind() == reflect.Slice || gt.Kind() == reflect.Pointer {
		gt = gt.Elem()
	}
	return gt.Name()
}

// CheckViews binds every view btui reads to the metadata's types and reports the first field
// that no longer fits, as "runtime N changed X.y". Metadata V14 has no runtime-API types:
// only the storage views are checked then.
func CheckViews(m *Metadata, spec uint32) error {
	fail := func(err error) error {
		var rc *RuntimeChangedError
		if errors.As(err, &rc) {
			rc.Spec = spec
		}
		return err
	}
	_, acct, err := m.Storage("System", "Account")
	if err != nil {
		return fail(changed("System.Account", "the storage item is gone"))
	}
	if _, err := m.Types.bind(acct.Value, reflect.TypeFor[AccountInfo](), "AccountInfo"); err != nil {
		return fail(err)
	}
	if m.Version < 15 {
		return nil
	}
	for _, v := range viewChecks {
		me, err := m.API(v.api, v.method)
		if err != nil && v.alt != "" {
			me, err = m.API(v.api, v.alt)
		}
		if err != nil {
			return fail(changed(v.api+"_"+v.method, "the runtime API is gone"))
		}
		if _, err := m.Types.bind(me.Output, v.gt, viewName(v.gt)); err != nil {
			return fail(err)
		}
	}
	return nil
}

// StateCall runs a runtime API method ("NeuronInfoRuntimeApi", "get_neurons_lite") with
// SCALE-encoded args at a block (nil = best) and returns the raw answer.
func (c *Client) StateCall(ctx context.Context, api, method string, args []byte, at *Hash) ([]byte, error) {
	var res string
	if err := c.call(ctx, &res, "state_call", api+"_"+method, hexParam(args), atParam(at)); err != nil {
		return nil, err
	}
	b, err := hex.DecodeString(strings.TrimPrefix(res, "0x"))
	if err != nil {
		return nil, fmt.Errorf("state_call %s_%s: answer is not hex", api, method)
	}
	return b, nil
}

// CallAPI runs a runtime API method and decodes its answer, which must be consumed exactly,
// into dst (a pointer to a view, a slice of views, …).
func (c *Client) CallAPI(ctx context.Context, api, method string, args []byte, at *Hash, dst any) error {
	m := c.Metadata()
	me, err := m.API(api, method)
	if err != nil {
		return err
	}
	b, err := c.StateCall(ctx, api, method, args, at)
	if err != nil {
		return err
	}
	if err := m.Types.DecodeInto(me.Output, b, dst, api+"_"+method); err != nil {
		var rc *RuntimeChangedError
		if errors.As(err, &rc) {
			rc.Spec = c.RuntimeVersion().SpecVersion
		}
		return err
	}
	return nil
}

// StorageKey builds the key of a storage item from already SCALE-encoded key parts, one per
// hasher of the item.
func (m *Metadata) StorageKey(pallet, item string, keys ...[]byte) ([]byte, *StorageEntry, error) {
	p, e, err := m.Storage(pallet, item)
	if err != nil {
		return nil, nil, err
	}
	if len(keys) > len(e.Hashers) {
		return nil, nil, fmt.Errorf("substrate: %s.%s takes %d keys, got %d", pallet, item, len(e.Hashers), len(keys))
	}
	key := scale.StoragePrefix(p.StoragePrefix, item)
	for i, k := range keys {
		switch e.Hashers[i] {
		case HasherBlake2_128Concat:
			key = append(key, scale.Blake2_128Concat(k)...)
		case HasherTwox64Concat:
			key = append(key, scale.Twox64Concat(k)...)
		case HasherIdentity:
			key = append(key, k...)
		case HasherBlake2_128:
			h := scale.Blake2_128(k)
			key = append(key, h[:]...)
		case HasherBlake2_256:
			h := scale.Blake2_256(k)
			key = append(key, h[:]...)
		case HasherTwox128:
			h := scale.Twox128(k)
			key = append(key, h[:]...)
		default:
			return nil, nil, fmt.Errorf("substrate: %s.%s uses hasher %s, which btui does not build keys with", pallet, item, e.Hashers[i])
		}
	}
	return key, e, nil
}

// Storage reads a storage value's raw bytes (nil, false when the key is absent).
func (c *Client) Storage(ctx context.Context, key []byte, at *Hash) ([]byte, bool, error) {
	var res *string
	if err := c.call(ctx, &res, "state_getStorageAt", hexParam(key), atParam(at)); err != nil {
		return nil, false, err
	}
	if res == nil {
		return nil, false, nil
	}
	b, err := hex.DecodeString(strings.TrimPrefix(*res, "0x"))
	if err != nil {
		return nil, false, fmt.Errorf("state_getStorageAt: answer is not hex")
	}
	return b, true, nil
}

// ReadStorage reads pallet.item at keys into dst (a pointer to a view); an absent key decodes
// the item's default. It reports whether the key was present.
func (c *Client) ReadStorage(ctx context.Context, pallet, item string, at *Hash, dst any, keys ...[]byte) (bool, error) {
	m := c.Metadata()
	key, e, err := m.StorageKey(pallet, item, keys...)
	if err != nil {
		return false, err
	}
	b, ok, err := c.Storage(ctx, key, at)
	if err != nil {
		return false, err
	}
	if !ok {
		if e.Optional {
			return false, nil
		}
		b = e.Default
	}
	return ok, m.Types.DecodeInto(e.Value, b, dst, pallet+"."+item)
}

// u16le encodes a netuid or uid argument.
func u16le(v uint16) []byte { return []byte{byte(v), byte(v >> 8)} }

// parseHexNumber reads a header's "0x…" number.
func parseHexNumber(s string) (uint64, error) {
	return strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
}

var _ = wallet.AccountID{}

// ErrWrongChain reports a node on another chain than the one a transaction was prepared for.
var ErrWrongChain = errors.New("substrate: the node is on a different chain")

// CheckPrepared verifies that a transaction prepared offline (or before a reconnect) for
// genesis and spec still fits this node: the same chain, and the runtime it was signed for
// (CheckSpecVersion would make the node reject it otherwise). It re-reads the runtime version
// first, so an upgrade since Connect is noticed.
func (c *Client) CheckPrepared(ctx context.Context, genesis Hash, spec uint32) error {
	if genesis != c.Genesis {
		return fmt.Errorf("%w: prepared for genesis %s, the node's genesis is %s: use the network it was prepared for", ErrWrongChain, genesis, c.Genesis)
	}
	if _, err := c.Refresh(ctx); err != nil {
		return err
	}
	if now := c.RuntimeVersion().SpecVersion; now != spec {
		return fmt.Errorf("substrate: signed for runtime %d but the node now runs %d: sign it again (a runtime upgrade happened)", spec, now)
	}
	return nil
}
