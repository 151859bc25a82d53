package substrate

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/btui/btui/wallet"
)

// Offline signing support (btui tx sign/decode/submit): reading a metadata file, checking a
// signed extrinsic against a chain, and watching a submission until its era ends.

// maxMetadataFile bounds a metadata file (today's finney metadata is ~300 KB, 600 KB as hex).
const maxMetadataFile = 64 << 20

// ParseMetadataFile reads metadata as a file holds it: the hex result of state_getMetadata or
// of state_call("Metadata_metadata_at_version") (0x optional, surrounding whitespace ignored),
// a whole JSON-RPC response holding that result ({"result": "0x…"}), or the raw SCALE bytes;
// any of them gzipped.
func ParseMetadataFile(b []byte) (*Metadata, error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		gz, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %v", ErrMetadata, err)
		}
		raw, err := io.ReadAll(io.LimitReader(gz, maxMetadataFile+1))
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %v", ErrMetadata, err)
		}
		if len(raw) > maxMetadataFile {
			return nil, fmt.Errorf("%w: larger than %d bytes", ErrMetadata, maxMetadataFile)
		}
		b = raw
	}
	if len(b) >= 4 && string(b[:4]) == "meta" {
		return DecodeMetadata(b)
	}
	t := bytes.TrimSpace(b)
	if len(t) > 0 && t[0] == '{' {
		var env struct {
			Result *string `json:"result"`
		}
		if err := json.Unmarshal(t, &env); err != nil || env.Result == nil {
			return nil, fmt.Errorf("%w: a JSON metadata file must be a JSON-RPC response with a \"result\" hex string", ErrMetadata)
		}
		return DecodeMetadataHex(*env.Result)
	}
	if len(t) > 0 && t[0] == '"' {
		var s string
		if err := json.Unmarshal(t, &s); err == nil {
			return DecodeMetadataHex(s)
		}
	}
	if isHexText(t) {
		return DecodeMetadataHex(string(t))
	}
	return DecodeMetadata(b)
}

func isHexText(t []byte) bool {
	s := strings.TrimPrefix(string(t), "0x")
	if len(s) == 0 || len(s)%2 != 0 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// AmountUnit says what a call argument's amount is counted in, from the type name the runtime
// declares for it: "TAO" (in rao: T::Balance, TaoCurrency, TaoBalance), "alpha" (in alpha rao:
// AlphaCurrency, AlphaBalance), or "" when it is not an amount.
func AmountUnit(typeName string) string {
	switch {
	case strings.Contains(typeName, "Alpha") && (strings.Contains(typeName, "Currency") || strings.Contains(typeName, "Balance")):
		return "alpha"
	case strings.Contains(typeName, "Tao") && (strings.Contains(typeName, "Currency") || strings.Contains(typeName, "Balance")),
		typeName == "T::Balance", typeName == "BalanceOf<T>", typeName == "Balance":
		return "TAO"
	}
	return ""
}

// CallArgTypeNames are the declared type names of a call's arguments, in order (for units).
func (m *Metadata) CallArgTypeNames(pallet, call string) []string {
	_, v, err := m.Call(pallet, call)
	if err != nil {
		return nil
	}
	out := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		out[i] = f.TypeName
	}
	return out
}

// MetadataHashEnabled reports whether a decoded extrinsic enables CheckMetadataHash (mode 1).
func (x *DecodedExtrinsic) MetadataHashEnabled() bool {
	for _, e := range x.Extensions {
		if e.Name == "CheckMetadataHash" {
			v := e.Value
			for v.Kind != ValVariant && len(v.Items) == 1 {
				v = v.Items[0]
			}
			return v.Kind == ValVariant && v.Index != 0 || v.Kind == ValUint && v.Uint != 0
		}
	}
	return false
}

// ErrSignatureMismatch reports a signed extrinsic whose signature does not verify for the
// chain values it was checked against (another genesis, runtime, transaction version or era
// birth block than the ones it was signed for, or altered bytes).
var ErrSignatureMismatch = errors.New("substrate: the signature does not verify for this chain")

// VerifyExtrinsic checks a decoded signed extrinsic's signature as the node will: over the
// signing payload rebuilt from its call and explicit extensions (nonce, tip, era, metadata-hash
// mode, taken from x) and the chain values in p (genesis, spec and transaction versions, the
// era's birth block hash, and the metadata hash if its mode is enabled).
func (m *Metadata) VerifyExtrinsic(x *DecodedExtrinsic, p TxParams) error {
	if !x.Signed {
		return fmt.Errorf("substrate: the extrinsic is not signed")
	}
	if x.MetadataHashEnabled() && p.MetadataHash == nil {
		return fmt.Errorf("substrate: the extrinsic enables CheckMetadataHash: its signature can only be checked with the metadata hash it was signed with")
	}
	if !x.MetadataHashEnabled() {
		p.MetadataHash = nil
	}
	p.Nonce, p.Tip, p.Era = x.Nonce, x.Tip, x.Era
	scheme, err := wallet.SchemeFromMultiSignatureIndex(byte(x.Scheme))
	if err != nil {
		return err
	}
	extra, implicit, err := m.Extensions(p)
	if err != nil {
		return err
	}
	payload := SigningPayload(x.CallBytes, extra, implicit)
	if err := wallet.VerifyScheme(scheme, payload, x.Signature, x.Signer); err != nil {
		return fmt.Errorf("%w: %v", ErrSignatureMismatch, err)
	}
	return nil
}

// ErrEraExpired reports a mortal transaction whose era ended before any block included it: it
// can never be included any more.
var ErrEraExpired = errors.New("substrate: the transaction's era ended without inclusion")
