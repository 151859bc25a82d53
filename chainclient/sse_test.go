package chainclient_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
)

func TestSSEReader(t *testing.T) {
	t.Parallel()
	in := ": ping\n\n" +
		"id: 7\nevent: head\ndata: {\"a\":1}\n\n" +
		"event: progress\r\ndata:{\"done\":1}\r\n\r\n" +
		"data: line one\ndata: line two\n\n" +
		"retry: 100\nunknown: x\n\n" +
		"event: close\ndata: {}\n" // no blank line: the stream ended mid-event
	r := chainclient.NewSSEReader(strings.NewReader(in))
	want := []chainclient.SSEEvent{
		{ID: "7", Event: "head", Data: []byte(`{"a":1}`)},
		{Event: "progress", Data: []byte(`{"done":1}`)},
		{Data: []byte("line one\nline two")},
	}
	for i, w := range want {
		ev, err := r.Next()
		if err != nil || ev.ID != w.ID || ev.Event != w.Event || !bytes.Equal(ev.Data, w.Data) {
			t.Fatalf("event %d = %+v %q, %v; want %+v", i, ev, ev.Data, err, w)
		}
	}
	if _, err := r.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated event: %v", err)
	}
	if _, err := chainclient.NewSSEReader(strings.NewReader("")).Next(); err != io.EOF {
		t.Fatalf("empty stream: %v", err)
	}
}

func TestSSEWriteReadRoundTrip(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	big := bytes.Repeat([]byte("x"), 200_000) // longer than the reader's buffer
	if err := chainclient.WriteSSE(&b, "42", "head", big); err != nil {
		t.Fatal(err)
	}
	if err := chainclient.WriteSSE(&b, "", "result", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	r := chainclient.NewSSEReader(&b)
	ev, err := r.Next()
	if err != nil || ev.ID != "42" || ev.Event != "head" || !bytes.Equal(ev.Data, big) {
		t.Fatalf("big event: %v (%d bytes)", err, len(ev.Data))
	}
	ev, err = r.Next()
	if err != nil || ev.Event != "result" || string(ev.Data) != "{}" {
		t.Fatalf("second event: %+v %v", ev, err)
	}
}
