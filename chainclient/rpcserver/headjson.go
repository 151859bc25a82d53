package rpcserver

import (
	"encoding/json"
	"strconv"
	"sync"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// marshalHead returns json.Marshal(ev)'s bytes, written directly for the common case: a busy
// block's head carries thousands of events, and encoding/json spends most of its time there
// in reflection and in encoding every account as SS58 again (the addresses of a block repeat:
// senders, the recipient). A string that encoding/json would escape (anything but printable
// ASCII without '"', '\\', '<', '>', '&') sends the whole event to json.Marshal.
// TestMarshalHeadMatchesJSON holds the two to the same bytes.
func (s *Server) marshalHead(ev *protocol.HeadEvent) ([]byte, error) {
	hdr, err := json.Marshal(ev.Header)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 0, len(hdr)+48+len(ev.Events)*320)
	buf = append(buf, `{"header":`...)
	buf = append(buf, hdr...)
	buf = append(buf, `,"events":`...)
	if ev.Events == nil {
		buf = append(buf, "null"...)
	} else {
		buf = append(buf, '[')
		for i := range ev.Events {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = s.appendEvent(buf, &ev.Events[i]); err != nil {
				return nil, err
			}
		}
		buf = append(buf, ']')
	}
	buf = append(buf, `,"missed":`...)
	buf = strconv.AppendUint(buf, ev.Missed, 10)
	return append(buf, '}'), nil
}

func (s *Server) appendEvent(buf []byte, e *protocol.Event) ([]byte, error) {
	plain := plainJSON(e.Module) && plainJSON(e.Name)
	for _, a := range e.Attrs {
		plain = plain && plainJSON(a.Key) && plainJSON(a.Value)
	}
	if !plain {
		b, err := json.Marshal(e)
		return append(buf, b...), err
	}
	buf = append(buf, `{"height":`...)
	buf = strconv.AppendUint(buf, e.Height, 10)
	buf = append(buf, `,"tx_index":`...)
	buf = strconv.AppendInt(buf, int64(e.TxIndex), 10)
	buf = append(buf, `,"index":`...)
	buf = strconv.AppendUint(buf, uint64(e.Index), 10)
	buf = append(buf, `,"module":"`...)
	buf = append(buf, e.Module...)
	buf = append(buf, `","name":"`...)
	buf = append(buf, e.Name...)
	buf = append(buf, `","attrs":`...)
	if e.Attrs == nil {
		buf = append(buf, "null"...)
	} else {
		buf = append(buf, '[')
		for i, a := range e.Attrs {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, `{"key":"`...)
			buf = append(buf, a.Key...)
			buf = append(buf, `","value":"`...)
			buf = append(buf, a.Value...)
			buf = append(buf, `"}`...)
		}
		buf = append(buf, ']')
	}
	if len(e.Accounts) > 0 {
		buf = append(buf, `,"accounts":[`...)
		for i, a := range e.Accounts {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '"')
			buf = append(buf, s.ss58.of(a)...)
			buf = append(buf, '"')
		}
		buf = append(buf, ']')
	}
	return append(buf, '}'), nil
}

// plainJSON reports whether encoding/json writes s as itself between quotes.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// ss58Memo remembers the SS58 form of recently encoded accounts (at most ss58MemoMax; emptied
// when full).
type ss58Memo struct {
	mu sync.Mutex
	m  map[wallet.AccountID]string
}

const ss58MemoMax = 1 << 14

func (m *ss58Memo) of(a wallet.AccountID) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.m[a]; ok {
		return s
	}
	if m.m == nil || len(m.m) >= ss58MemoMax {
		m.m = make(map[wallet.AccountID]string)
	}
	s := a.SS58()
	m.m[a] = s
	return s
}
