package wallet

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzDecodeSS58 checks that DecodeSS58 and ParseAddress never panic, that every error wraps
// one of the four ss58 sentinels, and that whatever decodes re-encodes to the same string.
func FuzzDecodeSS58(f *testing.F) {
	for _, s := range []string{
		"", "1", "11111", aliceAddress, "13VAtLwNPFNMpqRJ6yzU4cwe3w4eyS9pDaLVW5DFzdvFwWa",
		"cEVcgvxv2Ns4s1z1vfqeRqMDdoSbCgLwryRFJTdDTt2LC16h9", "yNVNYvpWsbfHS4DimPYmGUcuprPeC3BdAgQ6YppFuzPMTxtAT",
		"KW39r9CJjAVzmkf9zQ4YDb2hqfAVGdRqn53eRqyruqpxAP5YL", "F7NZ", "3GwuAx", "P53i98Mwh4peKnR",
		"5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9x", "0OIl", aliceAddress + aliceAddress,
		strings.Repeat("z", 64), "\x00\xff", "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9Xé",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prefix, payload, err := DecodeSS58(s)
		if err != nil {
			if !errors.Is(err, ErrSS58Encoding) && !errors.Is(err, ErrSS58Length) &&
				!errors.Is(err, ErrSS58Checksum) && !errors.Is(err, ErrSS58Prefix) {
				t.Fatalf("DecodeSS58(%q) error %v wraps no ss58 sentinel", s, err)
			}
		} else {
			if prefix > maxSS58Prefix || ss58ChecksumLen(len(payload)) == 0 {
				t.Fatalf("DecodeSS58(%q) returned prefix %d and a %d-byte payload", s, prefix, len(payload))
			}
			if again := EncodeSS58(prefix, payload); again != s {
				t.Fatalf("DecodeSS58(%q) then EncodeSS58 = %q", s, again)
			}
		}
		id, perr := ParseAddress(s)
		if perr == nil {
			if err != nil || prefix != SS58Prefix || !bytes.Equal(payload, id[:]) {
				t.Fatalf("ParseAddress(%q) accepted what DecodeSS58 gives as %d, %x, %v", s, prefix, payload, err)
			}
		}
	})
}

// FuzzParseSURI checks that ParseSURI never panics, that its result is consistent (no '/' in a
// junction, a non-empty phrase) and that phrase + Path() + ///password parses back to the same
// SURI. For 0x seeds it also runs the cheap part of FromSURI.
func FuzzParseSURI(f *testing.F) {
	for _, s := range []string{
		"", "/", "//", "///", "////", "/a", "//a", "///a", "//a/b", "//a//b///c/d//e",
		DevPhrase, "//Alice", "//Alice///pw", crowdPhrase + "//foo//42///password",
		"0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60//0",
		"0x" + strings.Repeat("0", 64), "0x12//3", "  \t//x", "x// y //+1//18446744073709551616",
		"//" + strings.Repeat("é", 40), "a\x00b//\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseSURI(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidSURI) && !errors.Is(err, ErrSoftJunction) {
				t.Fatalf("ParseSURI(%q) error %v wraps neither ErrInvalidSURI nor ErrSoftJunction", s, err)
			}
			return
		}
		if p.Phrase == "" || strings.Contains(p.Phrase, "/") {
			t.Fatalf("ParseSURI(%q) phrase %q", s, p.Phrase)
		}
		for _, j := range p.Junctions {
			if j.Text == "" || strings.Contains(j.Text, "/") {
				t.Fatalf("ParseSURI(%q) junction %q", s, j.Text)
			}
			_ = j.ChainCode()
		}
		rebuilt := p.Phrase + p.Path()
		if p.Password != "" {
			rebuilt += "///" + p.Password
		}
		q, err := ParseSURI(rebuilt)
		if err != nil || q.Phrase != p.Phrase || q.Password != p.Password || q.Path() != p.Path() || len(q.Junctions) != len(p.Junctions) {
			t.Fatalf("ParseSURI(%q) = %+v, but its rebuilt form %q parses to %+v, %v", s, p, rebuilt, q, err)
		}
		if p.IsSeed() {
			if k, err := FromSURI(s); err == nil {
				k.Zero()
			} else if !errors.Is(err, ErrInvalidSecret) && !errors.Is(err, ErrInvalidSURI) {
				t.Fatalf("FromSURI(%q) = %v", s, err)
			}
		}
	})
}
