package tui

import (
	"strings"

	"github.com/btui/btui/protocol"
)

// The console reads the chain's wire types (protocol) directly: chain info, blocks, heads,
// transactions, receipts, events, subnets, metagraphs, stake positions. The helpers below
// render them.

// txCallName is "module.method".
func txCallName(t protocol.TxInfo) string { return t.Call.Module + "." + t.Call.Method }

// eventLine renders an event on one line: "balances.Transfer from=5F… amount=1.0 τ".
func eventLine(e protocol.Event, addrW int) string {
	s := e.Module + "." + e.Name
	for _, a := range e.Attrs {
		s += " " + a.Key + "=" + attrValue(a, addrW)
	}
	return s
}

// eventMentions reports whether the event involves the account at SS58 address addr.
func eventMentions(e protocol.Event, addr string) bool {
	for _, a := range e.Accounts {
		if a.SS58() == addr {
			return true
		}
	}
	return false
}

// attrValue shortens addresses and shows amounts in TAO.
func attrValue(a protocol.Attr, addrW int) string {
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
