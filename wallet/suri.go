package wallet

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/blake2b"
)

// SURI is a parsed secret URI: <phrase or 0xseed>[//hard...][///password].
type SURI struct {
	// Phrase is the mnemonic, or "0x" followed by 64 hex digits for a raw secret seed. An empty
	// phrase in the input (a SURI starting with "//" or "///") is returned as DevPhrase.
	Phrase string
	// Junctions are the hard derivation steps, applied left to right.
	Junctions []Junction
	// Password is the text after "///" (everything up to the end), which salts the mnemonic.
	// Empty means none.
	Password string
}

// Junction is one derivation step: hard ("//Text") or, for sr25519 only, soft ("/Text").
type Junction struct {
	// Text is the junction as written, without the leading "//" or "/".
	Text string
	// Soft marks a soft junction ("/Text"). ParseSURI never returns one (ECDSA has no soft
	// derivation); ParseSURIScheme does for sr25519.
	Soft bool
}

// Path returns the derivation path as written ("//foo//42"), without phrase or password, so it
// is safe to show or store next to an address.
func (s SURI) Path() string {
	var b strings.Builder
	for _, j := range s.Junctions {
		if j.Soft {
			b.WriteString("/")
		} else {
			b.WriteString("//")
		}
		b.WriteString(j.Text)
	}
	return b.String()
}

// IsSeed reports whether the phrase is a 0x secret seed rather than a mnemonic.
func (s SURI) IsSeed() bool { return strings.HasPrefix(s.Phrase, "0x") }

// ParseSURI splits a secret URI into phrase, hard junctions and password, following Substrate's
// SecretUri grammar: the phrase runs to the first '/', "//x" is a hard junction, "/x" a soft one
// (rejected with ErrSoftJunction: not defined for ECDSA), and "///" starts the password, which
// runs to the end of the string. White space around the phrase is ignored; junction text and
// the password are used exactly as written. An empty phrase means DevPhrase, but an empty or
// blank SURI is rejected (ErrInvalidSURI) so that missing input never silently selects the dev
// key. ParseSURI does not check the mnemonic words or the seed hex; FromSURI does.
func ParseSURI(suri string) (SURI, error) { return parseSURI(suri, false) }

// ParseSURIScheme is ParseSURI for a key of the given scheme: sr25519 accepts soft junctions
// ("/x", returned with Soft set); ECDSA rejects them with ErrSoftJunction.
func ParseSURIScheme(scheme Scheme, suri string) (SURI, error) {
	return parseSURI(suri, scheme == Sr25519)
}

func parseSURI(suri string, allowSoft bool) (SURI, error) {
	var out SURI
	phrase, rest := suri, ""
	if i := strings.IndexByte(suri, '/'); i >= 0 {
		phrase, rest = suri[:i], suri[i:]
	}
	phrase = strings.TrimSpace(phrase)
	if phrase == "" && rest == "" {
		return SURI{}, fmt.Errorf("%w: it is empty: give a mnemonic, a 0x seed, or a //path for a dev key (such as //Alice)", ErrInvalidSURI)
	}
	if phrase == "" {
		phrase = DevPhrase
	}
	out.Phrase = phrase
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "///"):
			out.Password = rest[3:]
			return out, nil
		case strings.HasPrefix(rest, "//"):
			text, _, _ := strings.Cut(rest[2:], "/")
			if text == "" {
				return SURI{}, fmt.Errorf("%w: empty junction after \"%s\": write //name, or /// to start the password", ErrInvalidSURI, out.Path())
			}
			out.Junctions = append(out.Junctions, Junction{Text: text})
			rest = rest[2+len(text):]
		default: // a single '/'
			text, _, _ := strings.Cut(rest[1:], "/")
			if text == "" {
				return SURI{}, fmt.Errorf("%w: stray '/' after \"%s\": junctions are written //name", ErrInvalidSURI, out.Path())
			}
			if !allowSoft {
				return SURI{}, fmt.Errorf("%w: \"/%s\" (write \"//%s\" for a hard junction, or use an sr25519 key)", ErrSoftJunction, text, text)
			}
			out.Junctions = append(out.Junctions, Junction{Text: text, Soft: true})
			rest = rest[1+len(text):]
		}
	}
	return out, nil
}

// ChainCode returns the junction's 32-byte chain code as Substrate computes it: the 8-byte
// little-endian u64 if Text is a decimal u64 (a leading '+' and leading zeros allowed, as Rust's
// u64 parser does), otherwise the SCALE encoding of the string (compact length, then the UTF-8
// bytes); zero-padded to 32 bytes, or blake2b-256 of it when longer than 32 bytes.
func (j Junction) ChainCode() [32]byte {
	var enc []byte
	if n, ok := parseU64(j.Text); ok {
		enc = binary.LittleEndian.AppendUint64(make([]byte, 0, 8), n)
	} else {
		enc = appendCompact(make([]byte, 0, 5+len(j.Text)), uint64(len(j.Text)))
		enc = append(enc, j.Text...)
	}
	var cc [32]byte
	if len(enc) > 32 {
		return blake2b.Sum256(enc)
	}
	copy(cc[:], enc)
	return cc
}

// parseU64 parses s the way Rust's str::parse::<u64> does: ASCII decimal digits, optionally one
// leading '+', no other signs, spaces or separators, at most u64::MAX.
func parseU64(s string) (uint64, bool) {
	s = strings.TrimPrefix(s, "+")
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// appendCompact appends the SCALE compact encoding of n.
func appendCompact(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n<<2))
	case n < 1<<14:
		return binary.LittleEndian.AppendUint16(b, uint16(n<<2|1))
	case n < 1<<30:
		return binary.LittleEndian.AppendUint32(b, uint32(n<<2|2))
	}
	var le [8]byte
	binary.LittleEndian.PutUint64(le[:], n)
	size := 8
	for size > 4 && le[size-1] == 0 {
		size--
	}
	b = append(b, byte((size-4)<<2|3))
	return append(b, le[:size]...)
}

// hdkdPrefix is SCALE("Secp256k1HDKD"): compact length 13 (0x34) then the ASCII bytes.
var hdkdPrefix = append([]byte{13 << 2}, "Secp256k1HDKD"...)

// deriveHard is Substrate's ECDSA hard derivation:
// blake2b-256(SCALE(("Secp256k1HDKD", secret, chainCode))).
func deriveHard(secret, chainCode *[32]byte) [32]byte {
	var buf [14 + 32 + 32]byte
	copy(buf[:], hdkdPrefix)
	copy(buf[14:], secret[:])
	copy(buf[46:], chainCode[:])
	out := blake2b.Sum256(buf[:])
	clear(buf[:])
	return out
}
