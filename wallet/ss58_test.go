package wallet

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/mr-tron/base58"
)

var aliceAccount = AccountID{0x01, 0xe5, 0x52, 0x29, 0x8e, 0x47, 0x45, 0x40, 0x41, 0xea, 0x31, 0x27, 0x3b, 0x4b, 0x63, 0x0c, 0x64, 0xc1, 0x04, 0xe4, 0x51, 0x4a, 0xa3, 0x64, 0x34, 0x90, 0xb8, 0xaa, 0xca, 0x9c, 0xf8, 0xed}

const aliceAddress = "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X"

// TestSS58Vectors: addresses from @polkadot/util-crypto 14.0.3 encodeAddress, covering one- and
// two-byte prefixes and every payload length SS58 defines.
func TestSS58Vectors(t *testing.T) {
	alicePub, _ := hex.DecodeString("020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1")
	short, _ := hex.DecodeString("0102030405060708")
	tests := []struct {
		prefix  uint16
		payload []byte
		want    string
	}{
		{0, aliceAccount[:], "13VAtLwNPFNMpqRJ6yzU4cwe3w4eyS9pDaLVW5DFzdvFwWa"},
		{2, aliceAccount[:], "CcogsRk8xzpfweM7Ak3Ds9nw2DemLhCC6gbisMpBhptpgcr"},
		{42, aliceAccount[:], aliceAddress},
		{63, aliceAccount[:], "7He3TPTLaiMACXKeMeQVFqNiMcwb7X6whUUcFZbBRs6dzCAn"},
		{64, aliceAccount[:], "cEVcgvxv2Ns4s1z1vfqeRqMDdoSbCgLwryRFJTdDTt2LC16h9"},
		{255, aliceAccount[:], "yGCmzeKQUPLBeDXEYL1LmgrA48pdfadxNo9CH4kjwpWtkEgjf"},
		{1024, aliceAccount[:], "VCCFVDKNDiLCfunbgRDqEftxo9uRx6QN16YL2vjZRD3AtNzhz"},
		{16383, aliceAccount[:], "yNVNYvpWsbfHS4DimPYmGUcuprPeC3BdAgQ6YppFuzPMTxtAT"},
		{42, alicePub, "KW39r9CJjAVzmkf9zQ4YDb2hqfAVGdRqn53eRqyruqpxAP5YL"},
		{42, short[:1], "F7NZ"},
		{42, short[:2], "25GpW4"},
		{42, short[:4], "MvAtmUea"},
		{42, short[:8], "3MsZWNhRvzMGK9"},
		{100, short[:1], "3GwuAx"},
		{100, short[:2], "B3PKDLs"},
		{100, short[:4], "4NcmaJ3P8y"},
		{100, short[:8], "P53i98Mwh4peKnR"},
	}
	for _, tt := range tests {
		if got := EncodeSS58(tt.prefix, tt.payload); got != tt.want {
			t.Errorf("EncodeSS58(%d, %x) = %s, want %s", tt.prefix, tt.payload, got, tt.want)
		}
		prefix, payload, err := DecodeSS58(tt.want)
		if err != nil || prefix != tt.prefix || !bytes.Equal(payload, tt.payload) {
			t.Errorf("DecodeSS58(%s) = %d, %x, %v; want %d, %x", tt.want, prefix, payload, err, tt.prefix, tt.payload)
		}
	}
}

func TestEncodeSS58Panics(t *testing.T) {
	for _, tt := range []struct {
		prefix uint16
		n      int
	}{{16384, 32}, {42, 0}, {42, 3}, {42, 31}, {42, 34}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("EncodeSS58(%d, %d bytes) did not panic", tt.prefix, tt.n)
				}
			}()
			EncodeSS58(tt.prefix, make([]byte, tt.n))
		}()
	}
}

// rawSS58 base58-encodes body with a correct checksum of ck bytes, to build addresses that pass
// the checksum but break another rule.
func rawSS58(body []byte, ck int) string {
	sum := ss58Checksum(body)
	return base58.Encode(append(append([]byte{}, body...), sum[:ck]...))
}

func TestDecodeSS58Errors(t *testing.T) {
	// A typo: change one character of Alice's address.
	typo := []byte(aliceAddress)
	typo[10] = 'x'
	nonCanonical := append([]byte{0x40 | 42>>2, byte(42&3) << 6}, aliceAccount[:]...) // prefix 42 in the two-byte form
	tests := []struct {
		name    string
		in      string
		want    error
		mention string
	}{
		{"empty", "", ErrSS58Length, "empty"},
		{"not base58: 0", "0" + aliceAddress[1:], ErrSS58Encoding, "base58"},
		{"not base58: l", strings.Replace(aliceAddress, "5", "l", 1), ErrSS58Encoding, "base58"},
		{"not base58: space", aliceAddress + " ", ErrSS58Encoding, "base58"},
		{"too long", strings.Repeat("1", 65), ErrSS58Length, "longer"},
		{"too short", base58.Encode([]byte{42, 1}), ErrSS58Length, "too short"},
		{"truncated", aliceAddress[:len(aliceAddress)-3], ErrSS58Length, "not an ss58 layout"},
		{"bad payload length", rawSS58(append([]byte{42}, 1, 2, 3), 1), ErrSS58Length, "not an ss58 layout"},
		{"checksum", string(typo), ErrSS58Checksum, "mistyped"},
		{"checksum of a 2-byte sum", rawSS58(append([]byte{42}, aliceAccount[:]...), 2)[:47] + "1", ErrSS58Checksum, "checksum"},
		{"reserved prefix", rawSS58(append([]byte{0x80}, aliceAccount[:]...), 2), ErrSS58Prefix, "reserved"},
		{"reserved prefix 255", rawSS58(append([]byte{0xff}, aliceAccount[:]...), 2), ErrSS58Prefix, "reserved"},
		{"non-canonical prefix", rawSS58(nonCanonical, 2), ErrSS58Prefix, "two-byte form"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		_, _, err := DecodeSS58(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: DecodeSS58(%q) error = %v, want %v", tt.name, tt.in, err, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%s: error %q should mention %q", tt.name, err, tt.mention)
		}
		if _, perr := ParseAddress(tt.in); !errors.Is(perr, tt.want) {
			t.Errorf("%s: ParseAddress error = %v, want %v", tt.name, perr, tt.want)
		}
		seen[tt.want.Error()] = true
	}
	if len(seen) != 4 {
		t.Errorf("the four ss58 errors must have distinct messages, got %d", len(seen))
	}
}

func TestParseAddressErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
		mention  string
	}{
		{"polkadot prefix", "13VAtLwNPFNMpqRJ6yzU4cwe3w4eyS9pDaLVW5DFzdvFwWa", ErrSS58Prefix, "prefix 0"},
		{"two-byte prefix", "cEVcgvxv2Ns4s1z1vfqeRqMDdoSbCgLwryRFJTdDTt2LC16h9", ErrSS58Prefix, "prefix 64"},
		{"public key, not account", "KW39r9CJjAVzmkf9zQ4YDb2hqfAVGdRqn53eRqyruqpxAP5YL", ErrSS58Length, "public key"},
		// Substrate's own KW example (sp_core ecdsa ss58check_custom_format_works).
		{"substrate KW example", "KWAfgC2aRG5UVD6CpbPQXCx4YZZUhvWqqAJE6qcYc9Rtr6g5C", ErrSS58Length, "public key"},
		{"8-byte payload", "3MsZWNhRvzMGK9", ErrSS58Length, "8 bytes"},
	}
	for _, tt := range tests {
		_, err := ParseAddress(tt.in)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%s: ParseAddress error = %v, want %v mentioning %q", tt.name, err, tt.want, tt.mention)
		}
	}
	// The KW form still decodes as SS58: it is a valid 33-byte payload with prefix 42.
	prefix, payload, err := DecodeSS58("KWAfgC2aRG5UVD6CpbPQXCx4YZZUhvWqqAJE6qcYc9Rtr6g5C")
	if err != nil || prefix != 42 || len(payload) != 33 {
		t.Errorf("DecodeSS58(KW...) = %d, %d bytes, %v", prefix, len(payload), err)
	}
}

func TestAccountIDText(t *testing.T) {
	if aliceAccount.Hex() != "0x01e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed" {
		t.Errorf("Hex = %s", aliceAccount.Hex())
	}
	b, err := json.Marshal(map[string]AccountID{"who": aliceAccount})
	if err != nil || string(b) != `{"who":"`+aliceAddress+`"}` {
		t.Fatalf("json = %s, %v", b, err)
	}
	var back map[string]AccountID
	if err := json.Unmarshal(b, &back); err != nil || back["who"] != aliceAccount {
		t.Fatalf("round trip = %v, %v", back, err)
	}
	var id AccountID
	if err := id.UnmarshalText([]byte("KW39r9CJjAVzmkf9zQ4YDb2hqfAVGdRqn53eRqyruqpxAP5YL")); !errors.Is(err, ErrSS58Length) {
		t.Errorf("UnmarshalText(public key address) = %v, want ErrSS58Length", err)
	}
	if id != (AccountID{}) {
		t.Errorf("a failed UnmarshalText must leave the value unchanged")
	}
}
