package tui

import (
	"encoding/json"
	"fmt"
	"strings"
)

// View structs of the chain's wire types. The tui package may not import localchain, so
// it reads the wire values through their JSON shape, which is the node API's stable
// contract (fields are added, never renamed): asView turns any wire value into the
// matching view.

type infoView struct {
	ChainName          string `json:"chain_name"`
	GenesisHash        string `json:"genesis_hash"`
	Height             uint64 `json:"height"`
	Head               string `json:"head"`
	TargetBlockTimeMs  uint64 `json:"target_block_time_ms"`
	BlockTimeMs        uint64 `json:"block_time_ms"`
	Producing          bool   `json:"producing"`
	Paused             bool   `json:"paused"`
	PendingTxs         int    `json:"pending_txs"`
	TotalIssuance      uint64 `json:"total_issuance"`
	ExistentialDeposit uint64 `json:"existential_deposit"`
	TxFee              uint64 `json:"tx_fee"`
	Sudo               string `json:"sudo"`
	Token              string `json:"token"`
	Decimals           int    `json:"decimals"`
}

type headerView struct {
	Height      uint64 `json:"height"`
	Hash        string `json:"hash"`
	ParentHash  string `json:"parent_hash"`
	TimestampMs uint64 `json:"timestamp_ms"`
	TxCount     uint32 `json:"tx_count"`
	EventCount  uint32 `json:"event_count"`
}

type attrView struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type eventView struct {
	Height   uint64     `json:"height"`
	TxIndex  int32      `json:"tx_index"`
	Index    uint32     `json:"index"`
	Module   string     `json:"module"`
	Name     string     `json:"name"`
	Attrs    []attrView `json:"attrs"`
	Accounts []string   `json:"accounts"`
}

type headEventView struct {
	Header headerView  `json:"header"`
	Events []eventView `json:"events"`
	Missed uint64      `json:"missed"`
}

type receiptView struct {
	Code     uint32 `json:"code"`
	CodeName string `json:"code_name"`
	Message  string `json:"message"`
	Fee      uint64 `json:"fee"`
	Tip      uint64 `json:"tip"`
}

type callView struct {
	Module string          `json:"module"`
	Method string          `json:"method"`
	Args   json.RawMessage `json:"args"`
}

type txView struct {
	Hash    string      `json:"hash"`
	Height  uint64      `json:"height"`
	Index   uint32      `json:"index"`
	Signer  string      `json:"signer"`
	Nonce   uint64      `json:"nonce"`
	Tip     uint64      `json:"tip"`
	Expiry  uint64      `json:"expiry"`
	Call    callView    `json:"call"`
	Size    int         `json:"size"`
	Receipt receiptView `json:"receipt"`
	Events  []eventView `json:"events"`
}

type blockView struct {
	Header     headerView  `json:"header"`
	Txs        []txView    `json:"txs"`
	StepEvents []eventView `json:"step_events"`
	SizeBytes  int         `json:"size_bytes"`
}

type accountView struct {
	Address string `json:"address"`
	Free    uint64 `json:"free"`
	Nonce   uint64 `json:"nonce"`
}

// asView converts a wire value into its view through the JSON shape.
func asView[T any](v any) (T, error) {
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		return out, fmt.Errorf("encode %T: %w", v, err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, fmt.Errorf("decode %T as %T: %w", v, out, err)
	}
	return out, nil
}

// OK reports whether the receipt is a success.
func (r receiptView) OK() bool { return r.Code == 0 }

// callName is "module.method".
func (t txView) callName() string { return t.Call.Module + "." + t.Call.Method }

// String renders an event on one line: "balances.Transfer from=5F… amount=1.0 τ".
func (e eventView) line(addrW int) string {
	s := e.Module + "." + e.Name
	for _, a := range e.Attrs {
		s += " " + a.Key + "=" + attrValue(a, addrW)
	}
	return s
}

// attrValue shortens addresses and shows amounts in TAO.
func attrValue(a attrView, addrW int) string {
	v := a.Value
	if len(v) == 48 && v[0] == '5' {
		return ShortAddress(v, addrW)
	}
	if n, ok := parseUint(v); ok {
		switch amountKind(a.Key) {
		case "tao":
			return FormatTAOShort(n) + " τ"
		case "units":
			return FormatTAOShort(n) // alpha or TAO: 9 decimals either way
		}
	}
	return v
}

// amountKind says whether an event attribute is a TAO amount, another 9-decimal amount
// (alpha, or an emission split), or not an amount.
func amountKind(k string) string {
	switch k {
	case "amount", "fee", "tip", "free", "balance", "burn", "cost", "lock", "tao", "rao_emission", "tao_in":
		return "tao"
	}
	for _, part := range []string{"stake", "emission", "alpha", "server", "validator", "root", "owner_cut", "credited", "burned", "recycled", "dividend", "incentive"} {
		if strings.Contains(k, part) {
			return "units"
		}
	}
	return ""
}

func parseUint(s string) (uint64, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (^uint64(0)-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}
