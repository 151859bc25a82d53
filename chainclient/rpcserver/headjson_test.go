package rpcserver

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// TestMarshalHeadMatchesJSON: the direct head encoding is byte for byte json.Marshal's, for
// plain events, nil and empty attribute lists, no accounts, and strings encoding/json escapes.
func TestMarshalHeadMatchesJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "balances", "Transfer", "a b", `q"uote`, `back\slash`, "<tag>", "a&b", "tab\t", "naïve", "\xff\xfe", "ok_123", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "\u2028"}
	pick := func() string { return strs[rng.IntN(len(strs))] }
	s := &Server{}
	for round := 0; round < 300; round++ {
		ev := protocol.HeadEvent{Header: protocol.BlockHeader{Height: rng.Uint64(), TxCount: rng.Uint32(), Hash: protocol.Hash{byte(round)}}, Missed: uint64(rng.IntN(3))}
		switch round % 10 {
		case 0:
			ev.Events = nil
		case 1:
			ev.Events = []protocol.Event{}
		default:
			for i := rng.IntN(6); i > 0; i-- {
				e := protocol.Event{Height: rng.Uint64(), TxIndex: int32(rng.IntN(5)) - 1, Index: rng.Uint32(), Module: pick(), Name: pick()}
				switch rng.IntN(3) {
				case 0:
				case 1:
					e.Attrs = []protocol.Attr{}
				default:
					for j := rng.IntN(4); j >= 0; j-- {
						e.Attrs = append(e.Attrs, protocol.Attr{Key: pick(), Value: pick()})
					}
				}
				for j := rng.IntN(3); j > 0; j-- {
					var a wallet.AccountID
					for k := range a {
						a[k] = byte(rng.IntN(4)) // few distinct accounts: the memo is hit
					}
					e.Accounts = append(e.Accounts, a)
				}
				if rng.IntN(5) == 0 {
					e.Accounts = []wallet.AccountID{}
				}
				ev.Events = append(ev.Events, e)
			}
		}
		want, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.marshalHead(&ev)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("round %d:\n got %s\nwant %s", round, got, want)
		}
	}
}
