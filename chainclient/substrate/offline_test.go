package substrate

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"

	"github.com/btui/btui/wallet"
)

// TestParseMetadataFile: every form a metadata file comes in parses to the same metadata, and
// anything else is refused with ErrMetadata.
func TestParseMetadataFile(t *testing.T) {
	h := metadataHex(t, "metadata-v14-spec343")
	raw := metadataBytes(t, "metadata-v14-spec343")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(h + "\n"))
	zw.Close()
	forms := map[string][]byte{
		"0x hex":          []byte(h),
		"hex with spaces": []byte("\n  " + h + "\r\n"),
		"bare hex":        []byte(strings.TrimPrefix(h, "0x")),
		"JSON-RPC":        []byte(`{"jsonrpc":"2.0","id":1,"result":"` + h + `"}`),
		"JSON string":     []byte(`"` + h + `"`),
		"raw":             raw,
		"gzip hex":        gz.Bytes(),
		"V15 Option":      []byte(metadataHex(t, "metadata-v15-spec343")),
	}
	for name, b := range forms {
		m, err := ParseMetadataFile(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if v, err := m.RuntimeVersion(); err != nil || v.SpecVersion != 343 {
			t.Errorf("%s: spec %d %v", name, v.SpecVersion, err)
		}
	}
	for name, b := range map[string][]byte{
		"empty": nil, "not hex": []byte("0xzz"), "JSON without result": []byte(`{"error":{"code":1}}`),
		"truncated": []byte(h[:len(h)/2]), "gzip garbage": {0x1f, 0x8b, 1, 2, 3},
	} {
		if _, err := ParseMetadataFile(b); !errors.Is(err, ErrMetadata) {
			t.Errorf("%s: %v, want ErrMetadata", name, err)
		}
	}
}

func TestAmountUnit(t *testing.T) {
	for tn, want := range map[string]string{
		"T::Balance": "TAO", "TaoCurrency": "TAO", "TaoBalance": "TAO", "BalanceOf<T>": "TAO",
		"AlphaCurrency": "alpha", "AlphaBalance": "alpha", "NetUid": "", "u64": "", "T::AccountId": "",
	} {
		if got := AmountUnit(tn); got != want {
			t.Errorf("AmountUnit(%q) = %q, want %q", tn, got, want)
		}
	}
}

// TestVerifyExtrinsic: a signed extrinsic verifies for the values it was signed with, and not
// for another genesis, runtime, era block or metadata-hash mode; both schemes.
func TestVerifyExtrinsic(t *testing.T) {
	m := parseMeta(t, "metadata-v15-spec393")
	genesis, _ := ParseHash(finneyGenesis)
	block, _ := ParseHash(metagraphBlock)
	ec, err := wallet.Dev("Alice")
	must(t, err)
	sr, err := wallet.SrDev("Bob")
	must(t, err)
	call, err := m.EncodeCall("Balances", "transfer_keep_alive", map[string]any{"dest": ec.Address(), "value": 7})
	must(t, err)
	mh := Hash{1, 2, 3}
	for _, s := range []Signer{PairSigner(ec), PairSigner(sr)} {
		for _, withHash := range []bool{false, true} {
			p := TxParams{Nonce: 3, Tip: 9, Era: MortalEra(64, 6_852_690), BirthHash: block, Genesis: genesis, SpecVersion: 393, TxVersion: 1}
			if withHash {
				p.MetadataHash = &mh
			}
			x, err := m.BuildSigned(call, p, s)
			must(t, err)
			d, err := m.DecodeExtrinsic(x.Bytes)
			must(t, err)
			if d.MetadataHashEnabled() != withHash {
				t.Fatalf("%s: metadata hash mode %v", s.Scheme(), d.MetadataHashEnabled())
			}
			chain := TxParams{BirthHash: block, Genesis: genesis, SpecVersion: 393, TxVersion: 1, MetadataHash: p.MetadataHash}
			if err := m.VerifyExtrinsic(d, chain); err != nil {
				t.Fatalf("%s: %v", s.Scheme(), err)
			}
			for name, mut := range map[string]func(*TxParams){
				"genesis":    func(q *TxParams) { q.Genesis[0] ^= 1 },
				"spec":       func(q *TxParams) { q.SpecVersion = 394 },
				"tx version": func(q *TxParams) { q.TxVersion = 2 },
				"era block":  func(q *TxParams) { q.BirthHash[31] ^= 1 },
			} {
				q := chain
				mut(&q)
				if err := m.VerifyExtrinsic(d, q); !errors.Is(err, ErrSignatureMismatch) {
					t.Errorf("%s, other %s: %v", s.Scheme(), name, err)
				}
			}
			if withHash {
				q := chain
				q.MetadataHash = nil
				if err := m.VerifyExtrinsic(d, q); err == nil {
					t.Errorf("%s: verified without the metadata hash it was signed with", s.Scheme())
				}
			}
			// Altered call bytes.
			b := append([]byte(nil), x.Bytes...)
			b[len(b)-1] ^= 1
			if d2, err := m.DecodeExtrinsic(b); err == nil {
				if err := m.VerifyExtrinsic(d2, chain); !errors.Is(err, ErrSignatureMismatch) {
					t.Errorf("%s: altered: %v", s.Scheme(), err)
				}
			}
		}
	}
	// An unsigned extrinsic has nothing to verify.
	unsigned := append([]byte{byte((len(call) + 1) << 2), 0x04}, call...)
	d, err := m.DecodeExtrinsic(unsigned)
	must(t, err)
	if err := m.VerifyExtrinsic(d, TxParams{}); err == nil {
		t.Error("an unsigned extrinsic verified")
	}
}
