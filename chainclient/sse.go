package chainclient

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Server-sent events (the subset the node uses): each event is "id:", "event:" and one or more
// "data:" lines, ended by a blank line; lines starting with ':' are comments (keep-alives).

// SSE event names the node sends.
const (
	EventHead     = "head"     // data: a protocol.HeadEvent; id: its height
	EventProgress = "progress" // data: a Progress (advance)
	EventResult   = "result"   // data: the call's result (advance)
	EventError    = "error"    // data: an APIError; the stream ends
	EventClose    = "close"    // data: an APIError saying why the node ends the stream
)

// MaxSSEEvent bounds one event's data (a block with thousands of transactions and their
// events stays well below it).
const MaxSSEEvent = 64 << 20

// SSEEvent is one parsed event.
type SSEEvent struct {
	ID    string
	Event string
	Data  []byte
}

// WriteSSE writes one event. data must not contain a newline (JSON from encoding/json does not).
func WriteSSE(w io.Writer, id, event string, data []byte) error {
	var b bytes.Buffer
	b.Grow(len(data) + len(id) + len(event) + 24)
	if id != "" {
		b.WriteString("id: ")
		b.WriteString(id)
		b.WriteByte('\n')
	}
	b.WriteString("event: ")
	b.WriteString(event)
	b.WriteString("\ndata: ")
	b.Write(data)
	b.WriteString("\n\n")
	_, err := w.Write(b.Bytes())
	return err
}

// SSEReader parses a server-sent event stream.
type SSEReader struct {
	r *bufio.Reader
}

// NewSSEReader reads events from r.
func NewSSEReader(r io.Reader) *SSEReader { return &SSEReader{r: bufio.NewReaderSize(r, 64<<10)} }

// Next returns the next event; io.EOF at the end of the stream.
func (s *SSEReader) Next() (SSEEvent, error) {
	var ev SSEEvent
	var data []byte
	haveData := false
	for {
		line, err := s.readLine()
		if err != nil {
			if errors.Is(err, io.EOF) && (haveData || ev.Event != "") {
				return ev, io.ErrUnexpectedEOF
			}
			return ev, err
		}
		if len(line) == 0 {
			if !haveData && ev.Event == "" && ev.ID == "" {
				continue
			}
			ev.Data = data
			return ev, nil
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := strings.Cut(string(line), ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			ev.ID = value
		case "event":
			ev.Event = value
		case "data":
			if haveData {
				data = append(data, '\n')
			}
			if len(data)+len(value) > MaxSSEEvent {
				return ev, fmt.Errorf("%w: event data over %d bytes", ErrBadResponse, MaxSSEEvent)
			}
			data = append(data, value...)
			haveData = true
		}
	}
}

// readLine reads one line without its ending, up to MaxSSEEvent bytes.
func (s *SSEReader) readLine() ([]byte, error) {
	var line []byte
	for {
		frag, err := s.r.ReadSlice('\n')
		if len(line)+len(frag) > MaxSSEEvent+64 {
			return nil, fmt.Errorf("%w: line over %d bytes", ErrBadResponse, MaxSSEEvent)
		}
		if err == bufio.ErrBufferFull {
			line = append(line, frag...)
			continue
		}
		if err != nil {
			if len(frag) > 0 || len(line) > 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if line == nil {
			line = frag
		} else {
			line = append(line, frag...)
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		return bytes.TrimSuffix(line, []byte("\r")), nil
	}
}
