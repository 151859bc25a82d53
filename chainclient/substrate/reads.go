package substrate

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/btui/btui/chainclient/substrate/scale"
	"github.com/btui/btui/wallet"
)

// Account reads System.Account of id (the zero AccountInfo when the account does not exist).
func (c *Client) Account(ctx context.Context, id wallet.AccountID, at *Hash) (AccountInfo, error) {
	var a AccountInfo
	_, err := c.ReadStorage(ctx, "System", "Account", at, &a, id[:])
	return a, err
}

// NeuronsLite is NeuronInfoRuntimeApi_get_neurons_lite(netuid): one entry per uid.
func (c *Client) NeuronsLite(ctx context.Context, netuid uint16, at *Hash) ([]NeuronInfoLite, error) {
	var out []NeuronInfoLite
	err := c.CallAPI(ctx, "NeuronInfoRuntimeApi", "get_neurons_lite", u16le(netuid), at, &out)
	return out, err
}

// Neuron is NeuronInfoRuntimeApi_get_neuron(netuid, uid) (nil when the uid is empty).
func (c *Client) Neuron(ctx context.Context, netuid, uid uint16, at *Hash) (*NeuronInfo, error) {
	var out *NeuronInfo
	err := c.CallAPI(ctx, "NeuronInfoRuntimeApi", "get_neuron", append(u16le(netuid), u16le(uid)...), at, &out)
	return out, err
}

// UID reads SubtensorModule.Uids(netuid, hotkey): the hotkey's uid on the subnet, if registered.
func (c *Client) UID(ctx context.Context, netuid uint16, hotkey wallet.AccountID, at *Hash) (uint16, bool, error) {
	var uid uint16
	ok, err := c.ReadStorage(ctx, "SubtensorModule", "Uids", at, &uid, u16le(netuid), hotkey[:])
	return uid, ok, err
}

// NeuronForHotkey finds the hotkey's neuron on a subnet (Uids, then get_neuron), as the SDK's
// get_neuron_for_pubkey_and_subnet does; nil when it is not registered there.
func (c *Client) NeuronForHotkey(ctx context.Context, netuid uint16, hotkey wallet.AccountID, at *Hash) (*NeuronInfo, error) {
	uid, ok, err := c.UID(ctx, netuid, hotkey, at)
	if err != nil || !ok {
		return nil, err
	}
	return c.Neuron(ctx, netuid, uid, at)
}

// AllMetagraphFields selects every field of a selective metagraph (what the SDK sends).
func AllMetagraphFields(m *Metadata) []uint16 {
	me, err := m.API("SubnetInfoRuntimeApi", "get_selective_mechagraph")
	if err != nil {
		if me, err = m.API("SubnetInfoRuntimeApi", "get_selective_metagraph"); err != nil {
			return nil
		}
	}
	t := m.Types.Type(me.Output)
	if inner, ok := m.Types.optionInner(t); ok {
		t = m.Types.Type(inner)
	}
	// Field i of the answer is selected by index i (netuid, index 0, is always sent).
	n := len(t.Fields)
	out := make([]uint16, n)
	for i := range out {
		out[i] = uint16(i)
	}
	return out
}

// Metagraph is SubnetInfoRuntimeApi_get_selective_mechagraph(netuid, mechanism, fields) (or
// get_selective_metagraph on a runtime without mechanisms); fields nil selects all. nil when the
// subnet does not exist.
func (c *Client) Metagraph(ctx context.Context, netuid uint16, mechanism uint8, fields []uint16, at *Hash) (*Metagraph, error) {
	m := c.Metadata()
	if fields == nil {
		fields = AllMetagraphFields(m)
	}
	e := scale.NewEncoder(nil).U16(netuid)
	method := "get_selective_mechagraph"
	if _, err := m.API("SubnetInfoRuntimeApi", method); err != nil {
		if mechanism != 0 {
			return nil, fmt.Errorf("runtime %d has no mechanisms (get_selective_mechagraph): only mechanism 0 can be read", c.RuntimeVersion().SpecVersion)
		}
		method = "get_selective_metagraph"
	} else {
		e.U8(mechanism)
	}
	e.Compact(uint64(len(fields)))
	for _, f := range fields {
		e.U16(f)
	}
	var out *Metagraph
	err := c.CallAPI(ctx, "SubnetInfoRuntimeApi", method, e.Bytes(), at, &out)
	return out, err
}

// AllDynamicInfo is SubnetInfoRuntimeApi_get_all_dynamic_info: every subnet with its pool
// and price (absent netuids are skipped).
func (c *Client) AllDynamicInfo(ctx context.Context, at *Hash) ([]DynamicInfo, error) {
	var raw []*DynamicInfo
	if err := c.CallAPI(ctx, "SubnetInfoRuntimeApi", "get_all_dynamic_info", nil, at, &raw); err != nil {
		return nil, err
	}
	out := make([]DynamicInfo, 0, len(raw))
	for _, d := range raw {
		if d != nil {
			out = append(out, *d)
		}
	}
	return out, nil
}

// DynamicInfo is SubnetInfoRuntimeApi_get_dynamic_info(netuid) (nil when absent).
func (c *Client) DynamicInfo(ctx context.Context, netuid uint16, at *Hash) (*DynamicInfo, error) {
	var out *DynamicInfo
	err := c.CallAPI(ctx, "SubnetInfoRuntimeApi", "get_dynamic_info", u16le(netuid), at, &out)
	return out, err
}

// SubnetsInfo is SubnetInfoRuntimeApi_get_subnets_info_v2: hyperparameters of every subnet.
func (c *Client) SubnetsInfo(ctx context.Context, at *Hash) ([]SubnetInfo, error) {
	var raw []*SubnetInfo
	if err := c.CallAPI(ctx, "SubnetInfoRuntimeApi", "get_subnets_info_v2", nil, at, &raw); err != nil {
		return nil, err
	}
	out := make([]SubnetInfo, 0, len(raw))
	for _, s := range raw {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out, nil
}

// StakeInfoForColdkey is StakeInfoRuntimeApi_get_stake_info_for_coldkey: one entry per
// (hotkey, subnet) the coldkey has stake on.
func (c *Client) StakeInfoForColdkey(ctx context.Context, coldkey wallet.AccountID, at *Hash) ([]StakeInfo, error) {
	var out []StakeInfo
	err := c.CallAPI(ctx, "StakeInfoRuntimeApi", "get_stake_info_for_coldkey", coldkey[:], at, &out)
	return out, err
}

// Delegates is DelegateInfoRuntimeApi_get_delegates.
func (c *Client) Delegates(ctx context.Context, at *Hash) ([]DelegateInfo, error) {
	var out []DelegateInfo
	err := c.CallAPI(ctx, "DelegateInfoRuntimeApi", "get_delegates", nil, at, &out)
	return out, err
}

// RegistrationCost is SubnetRegistrationRuntimeApi_get_network_registration_cost (rao).
func (c *Client) RegistrationCost(ctx context.Context, at *Hash) (uint64, error) {
	var out uint64
	err := c.CallAPI(ctx, "SubnetRegistrationRuntimeApi", "get_network_registration_cost", nil, at, &out)
	return out, err
}

// BurnCost reads SubtensorModule.Burn(netuid): the burn to register a neuron on a subnet.
func (c *Client) BurnCost(ctx context.Context, netuid uint16, at *Hash) (uint64, error) {
	var out uint64
	_, err := c.ReadStorage(ctx, "SubtensorModule", "Burn", at, &out, u16le(netuid))
	return out, err
}

// QueryInfo is TransactionPaymentApi_query_info for a complete extrinsic (with its length
// prefix): the fee the node would charge, without the tip.
func (c *Client) QueryInfo(ctx context.Context, extrinsic []byte, at *Hash) (FeeInfo, error) {
	args := scale.NewEncoder(append([]byte(nil), extrinsic...)).U32(uint32(len(extrinsic))).Bytes()
	var out FeeInfo
	err := c.CallAPI(ctx, "TransactionPaymentApi", "query_info", args, at, &out)
	return out, err
}

// Header is a block header.
type Header struct {
	ParentHash     Hash
	Number         uint64
	StateRoot      Hash
	ExtrinsicsRoot Hash
	Logs           [][]byte // encoded DigestItems
}

type jsonHeader struct {
	ParentHash     Hash   `json:"parentHash"`
	Number         string `json:"number"`
	StateRoot      Hash   `json:"stateRoot"`
	ExtrinsicsRoot Hash   `json:"extrinsicsRoot"`
	Digest         struct {
		Logs []string `json:"logs"`
	} `json:"digest"`
}

func (j *jsonHeader) header() (*Header, error) {
	n, err := parseHexNumber(j.Number)
	if err != nil {
		return nil, fmt.Errorf("header number %q: %w", j.Number, err)
	}
	h := &Header{ParentHash: j.ParentHash, Number: n, StateRoot: j.StateRoot, ExtrinsicsRoot: j.ExtrinsicsRoot}
	for _, l := range j.Digest.Logs {
		b, err := hex.DecodeString(strings.TrimPrefix(l, "0x"))
		if err != nil {
			return nil, fmt.Errorf("header digest log is not hex")
		}
		h.Logs = append(h.Logs, b)
	}
	return h, nil
}

// Encode is the header's SCALE encoding (block number compact).
func (h *Header) Encode() []byte {
	e := scale.NewEncoder(nil).Raw(h.ParentHash[:]).Compact(h.Number).Raw(h.StateRoot[:]).Raw(h.ExtrinsicsRoot[:]).Compact(uint64(len(h.Logs)))
	for _, l := range h.Logs {
		e.Raw(l)
	}
	return e.Bytes()
}

// Hash is the block hash: blake2-256 of the encoded header.
func (h *Header) Hash() Hash { return Hash(scale.Blake2_256(h.Encode())) }

// Header reads a header (nil = best block).
func (c *Client) Header(ctx context.Context, at *Hash) (*Header, error) {
	var j jsonHeader
	if err := c.call(ctx, &j, "chain_getHeader", atParam(at)); err != nil {
		return nil, err
	}
	return j.header()
}

// Head reads the best block's header as the bittensor SDK's get_current_block does:
// chain_getHead, then chain_getHeader at that hash (so the hash and the header are one block's).
func (c *Client) Head(ctx context.Context) (Hash, *Header, error) {
	at, err := c.BestHash(ctx)
	if err != nil {
		return Hash{}, nil, err
	}
	h, err := c.Header(ctx, &at)
	if err != nil {
		return Hash{}, nil, err
	}
	return at, h, nil
}

// BlockHash reads the hash of block number n.
func (c *Client) BlockHash(ctx context.Context, n uint64) (Hash, error) {
	var s *string
	if err := c.call(ctx, &s, "chain_getBlockHash", n); err != nil {
		return Hash{}, err
	}
	if s == nil {
		return Hash{}, fmt.Errorf("substrate: block %d does not exist yet", n)
	}
	return ParseHash(*s)
}

// FinalizedHead reads the hash of the latest finalized block.
func (c *Client) FinalizedHead(ctx context.Context) (Hash, error) {
	var s string
	if err := c.call(ctx, &s, "chain_getFinalizedHead"); err != nil {
		return Hash{}, err
	}
	return ParseHash(s)
}

// Block is a block with its extrinsics (encoded, with their length prefix).
type Block struct {
	Header     *Header
	Extrinsics [][]byte
}

// Block reads a block.
func (c *Client) Block(ctx context.Context, at Hash) (*Block, error) {
	var j struct {
		Block struct {
			Header     jsonHeader `json:"header"`
			Extrinsics []string   `json:"extrinsics"`
		} `json:"block"`
	}
	if err := c.call(ctx, &j, "chain_getBlock", at.Hex()); err != nil {
		return nil, err
	}
	h, err := j.Block.Header.header()
	if err != nil {
		return nil, err
	}
	b := &Block{Header: h}
	for _, x := range j.Block.Extrinsics {
		raw, err := hex.DecodeString(strings.TrimPrefix(x, "0x"))
		if err != nil {
			return nil, fmt.Errorf("block %s: extrinsic is not hex", at)
		}
		b.Extrinsics = append(b.Extrinsics, raw)
	}
	return b, nil
}

// Event is one System.Events record.
type Event struct {
	// Phase is "ApplyExtrinsic", "Finalization" or "Initialization"; Extrinsic is the
	// extrinsic's index in its block for ApplyExtrinsic, else -1.
	Phase     string
	Extrinsic int
	Pallet    string
	Name      string
	Fields    Value // the event's fields (a variant value; Names holds the field names)
}

// DecodeEvents decodes a System.Events value.
func DecodeEvents(m *Metadata, b []byte) ([]Event, error) {
	_, e, err := m.Storage("System", "Events")
	if err != nil {
		return nil, err
	}
	v, err := m.Types.DecodeAll(e.Value, b)
	if err != nil {
		return nil, fmt.Errorf("decode System.Events: %w", err)
	}
	out := make([]Event, 0, len(v.Items))
	for i := range v.Items {
		rec := &v.Items[i]
		phase, ok1 := rec.Field("phase")
		ev, ok2 := rec.Field("event")
		if !ok1 || !ok2 || phase.Kind != ValVariant || ev.Kind != ValVariant || len(ev.Items) != 1 || ev.Items[0].Kind != ValVariant {
			return nil, changed("EventRecord", "not {phase, event: RuntimeEvent::Pallet(event)}")
		}
		x := Event{Phase: phase.Variant, Extrinsic: -1, Pallet: ev.Variant, Name: ev.Items[0].Variant, Fields: ev.Items[0]}
		if phase.Variant == "ApplyExtrinsic" && len(phase.Items) == 1 {
			x.Extrinsic = int(phase.Items[0].Uint)
		}
		out = append(out, x)
	}
	return out, nil
}

// Events reads System.Events at a block.
func (c *Client) Events(ctx context.Context, at Hash) ([]Event, error) {
	m := c.Metadata()
	key, _, err := m.StorageKey("System", "Events")
	if err != nil {
		return nil, err
	}
	b, ok, err := c.Storage(ctx, key, &at)
	if err != nil || !ok {
		return nil, err
	}
	return DecodeEvents(m, b)
}

// DispatchError explains a DispatchError value: a module error by its pallet and error name
// and first doc line ("SubtensorModule.NotEnoughBalanceToStake: …"), other variants by name.
func (m *Metadata) DispatchError(v *Value) string {
	if v.Kind != ValVariant {
		return "unknown dispatch error"
	}
	if v.Variant != "Module" || len(v.Items) != 1 {
		s := v.Variant
		if len(v.Items) == 1 && v.Items[0].Kind == ValVariant {
			s += "." + v.Items[0].Variant
		}
		return s
	}
	me := &v.Items[0]
	idx, ok1 := me.Field("index")
	code, ok2 := me.Field("error")
	if !ok1 || !ok2 {
		return "Module error"
	}
	var e uint8
	if code.Kind == ValBytes && len(code.Bytes) > 0 {
		e = code.Bytes[0]
	} else {
		e = uint8(code.Uint)
	}
	pallet, vr, ok := m.ModuleError(uint8(idx.Uint), e)
	if !ok {
		return fmt.Sprintf("Module error %d/%d (not in this runtime's metadata)", idx.Uint, e)
	}
	s := pallet + "." + vr.Name
	if len(vr.Docs) > 0 && strings.TrimSpace(vr.Docs[0]) != "" {
		s += ": " + strings.TrimSpace(strings.Join(vr.Docs, " "))
	}
	return s
}

// Failure returns the explained dispatch error of an ExtrinsicFailed event ("" for any other
// event).
func (e *Event) Failure(m *Metadata) string {
	if e.Pallet != "System" || e.Name != "ExtrinsicFailed" {
		return ""
	}
	if de, ok := e.Fields.Field("dispatch_error"); ok {
		return m.DispatchError(de)
	}
	if len(e.Fields.Items) > 0 {
		return m.DispatchError(&e.Fields.Items[0])
	}
	return "ExtrinsicFailed"
}
