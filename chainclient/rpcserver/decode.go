package rpcserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/btui/btui/chainclient"
)

// largeParams is the size above which DecodeParams decodes in place: json.Decoder copies the
// whole value into a buffer it grows by doubling, which for a 60 MB batch costs up to 120 MB
// more than the body itself.
const largeParams = 1 << 20

// decodeLarge decodes raw into p with json.Unmarshal (no copy of raw) and refuses top-level
// fields p does not have, walking the keys with a streaming decoder that holds one token at
// a time. (Large bodies are batches, whose only field is an array of strings.)
func decodeLarge[P any](method string, raw []byte, p *P) error {
	if err := json.Unmarshal(raw, p); err != nil {
		return fmt.Errorf("%w: parameters of %s: %v", chainclient.ErrBadRequest, method, err)
	}
	known := jsonFields(reflect.TypeFor[P]())
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // '{', checked by Unmarshal
		return fmt.Errorf("%w: parameters of %s: %v", chainclient.ErrBadRequest, method, err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: parameters of %s: %v", chainclient.ErrBadRequest, method, err)
		}
		key, _ := k.(string)
		if !known[strings.ToLower(key)] {
			return fmt.Errorf("%w: parameters of %s: json: unknown field %q", chainclient.ErrBadRequest, method, key)
		}
		if err := skipValue(dec); err != nil {
			return fmt.Errorf("%w: parameters of %s: %v", chainclient.ErrBadRequest, method, err)
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return fmt.Errorf("%w: parameters of %s: %v", chainclient.ErrBadRequest, method, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: parameters of %s: data after the JSON object", chainclient.ErrBadRequest, method)
	}
	return nil
}

// skipValue consumes one JSON value token by token.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// jsonFields returns the lower-cased JSON names of a struct's fields (encoding/json matches
// names case-insensitively).
func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	if t.Kind() != reflect.Struct {
		return out
	}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[strings.ToLower(name)] = true
	}
	return out
}
