package wallet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/crypto/blake2b"
)

const crowdPhrase = "crowd swamp sniff machine grid pretty client emotion banana cricket flush soap"

func TestParseSURI(t *testing.T) {
	j := func(texts ...string) []Junction {
		var out []Junction
		for _, s := range texts {
			out = append(out, Junction{Text: s})
		}
		return out
	}
	tests := []struct {
		in   string
		want SURI
	}{
		{DevPhrase, SURI{Phrase: DevPhrase}},
		{"  " + DevPhrase + "\n", SURI{Phrase: DevPhrase}},
		{"//Alice", SURI{Phrase: DevPhrase, Junctions: j("Alice")}},
		{"//Alice///pw", SURI{Phrase: DevPhrase, Junctions: j("Alice"), Password: "pw"}},
		{"///pw", SURI{Phrase: DevPhrase, Password: "pw"}},
		{crowdPhrase + "//foo//42", SURI{Phrase: crowdPhrase, Junctions: j("foo", "42")}},
		{crowdPhrase + "//foo//42///password", SURI{Phrase: crowdPhrase, Junctions: j("foo", "42"), Password: "password"}},
		// The password runs to the end, slashes and spaces included.
		{crowdPhrase + "///pass/with//slashes ", SURI{Phrase: crowdPhrase, Password: "pass/with//slashes "}},
		{crowdPhrase + "////x", SURI{Phrase: crowdPhrase, Password: "/x"}},
		{crowdPhrase + "///", SURI{Phrase: crowdPhrase}},
		// Junction text is kept exactly, spaces included.
		{crowdPhrase + "// a b ", SURI{Phrase: crowdPhrase, Junctions: j(" a b ")}},
		{"0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60//0", SURI{Phrase: "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", Junctions: j("0")}},
	}
	for _, tt := range tests {
		got, err := ParseSURI(tt.in)
		if err != nil {
			t.Errorf("ParseSURI(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSURI(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
	s, _ := ParseSURI(crowdPhrase + "//foo//42///secret")
	if s.Path() != "//foo//42" || strings.Contains(s.Path(), "secret") {
		t.Errorf("Path() = %q, want //foo//42 without the password", s.Path())
	}
}

func TestParseSURIErrors(t *testing.T) {
	tests := []struct {
		in      string
		want    error
		mention string
	}{
		{"", ErrInvalidSURI, "empty"},
		{" \n", ErrInvalidSURI, "empty"},
		{DevPhrase + "/soft", ErrSoftJunction, "//soft"},
		{"//Alice/stash", ErrSoftJunction, "/stash"},
		{"/x", ErrSoftJunction, "hard"},
		{DevPhrase + "//", ErrInvalidSURI, "empty junction"},
		{DevPhrase + "//a//", ErrInvalidSURI, "empty junction"},
		{DevPhrase + "/", ErrInvalidSURI, "stray"},
		{"//a/", ErrInvalidSURI, "stray"},
	}
	for _, tt := range tests {
		_, err := ParseSURI(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("ParseSURI(%q) error = %v, want %v", tt.in, err, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("ParseSURI(%q) error %q should mention %q", tt.in, err, tt.mention)
		}
		if _, ferr := FromSURI(tt.in); !errors.Is(ferr, tt.want) {
			t.Errorf("FromSURI(%q) error = %v, want %v", tt.in, ferr, tt.want)
		}
	}
}

func TestFromSURIErrors(t *testing.T) {
	n := "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
	tests := []struct {
		in   string
		want error
	}{
		{"0x" + strings.Repeat("0", 64), ErrInvalidSecret},
		{"0x" + n, ErrInvalidSecret},
		{"0x" + n + "//Alice", ErrInvalidSecret}, // the root is checked before deriving
		{"0x" + strings.Repeat("f", 64), ErrInvalidSecret},
		{"0x1234", ErrInvalidSecret},
		{"0x" + strings.Repeat("g", 64), ErrInvalidSecret},
		{"0x" + strings.Repeat("1", 64) + "///pw", ErrInvalidSURI},
		{"bottom drive obey", ErrInvalidMnemonic},
		{"bottom drive obey lake curtain smoke basket hold race lonely fit fit", ErrInvalidMnemonic},
		{"bottom drive obey lake curtain smoke basket hold race lonely fit walkk//Alice", ErrInvalidMnemonic},
	}
	for _, tt := range tests {
		if _, err := FromSURI(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("FromSURI(%q) error = %v, want %v", tt.in, err, tt.want)
		}
	}
}

// TestJunctionChainCode spells out the chain-code rule byte by byte: u64 LE for decimal text,
// else compact(len)||utf8, zero-padded to 32 or blake2b-256 when longer.
func TestJunctionChainCode(t *testing.T) {
	pad := func(b ...byte) [32]byte {
		var cc [32]byte
		copy(cc[:], b)
		return cc
	}
	a31 := strings.Repeat("a", 31) // 1 + 31 = 32 bytes: padded, not hashed
	a32 := strings.Repeat("a", 32) // 1 + 32 = 33 bytes: hashed
	b64 := strings.Repeat("b", 64) // two-byte compact length
	tests := []struct {
		text string
		want [32]byte
	}{
		{"0", pad()},
		{"00", pad()},
		{"+0", pad()},
		{"42", pad(42)},
		{"+42", pad(42)},
		{"0042", pad(42)},
		{"256", pad(0, 1)},
		{"18446744073709551615", pad(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)},
		// Not a u64: SCALE strings.
		{"18446744073709551616", pad(append([]byte{20 << 2}, "18446744073709551616"...)...)},
		{"-1", pad(8, '-', '1')},
		{"+", pad(4, '+')},
		{"++1", pad(12, '+', '+', '1')},
		{"1 ", pad(8, '1', ' ')},
		{"foo", pad(12, 'f', 'o', 'o')},
		{"Alice", pad(20, 'A', 'l', 'i', 'c', 'e')},
		{"é", pad(8, 0xc3, 0xa9)}, // the length counts UTF-8 bytes
		{a31, pad(append([]byte{31 << 2}, a31...)...)},
		{a32, blake2b.Sum256(append([]byte{32 << 2}, a32...))},
		{b64, blake2b.Sum256(append([]byte{0x01, 0x01}, b64...))},
	}
	for _, tt := range tests {
		if got := (Junction{Text: tt.text}).ChainCode(); got != tt.want {
			t.Errorf("ChainCode(%q) = %x, want %x", tt.text, got, tt.want)
		}
	}
}

func TestAppendCompact(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{
		{0, "00"}, {1, "04"}, {63, "fc"}, {64, "0101"}, {16383, "fdff"}, {16384, "02000100"},
		{1<<30 - 1, "feffffff"}, {1 << 30, "0300000040"}, {1<<32 - 1, "03ffffffff"},
		{1 << 32, "070000000001"}, {1<<64 - 1, "13ffffffffffffffff"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(appendCompact(nil, tt.n)); got != tt.want {
			t.Errorf("compact(%d) = %s, want %s", tt.n, got, tt.want)
		}
	}
}

// TestDerivationVectors: keys derived by an independent implementation, @polkadot/keyring
// 14.0.3 with type "ecdsa" (addFromUri), and the derivation vector of Substrate's
// sp_core::ecdsa tests (seed_and_derive_should_work, test_vector_should_work).
func TestDerivationVectors(t *testing.T) {
	const abandon24 = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"
	const legal15 = "legal winner thank year wave sausage worth useful legal winner thank year wave sausage wise"
	const seed = "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	tests := []struct {
		suri, pub, ss58 string
	}{
		{crowdPhrase, "0x033d2d207f8d5a3269fae4609fadde7ec2ce384d36170132636739bbf05d59cf4f", "5F9UMJqrtQ2k2i4tP3qcdvCttunoQLdTtDyDSShoSgFRhFfC"},
		{crowdPhrase + "//foo", "0x038254160e975003f46afa848dccd40962a70e2fe233e6eacf1d16dcc4dfd4b26a", "5G144J3pcwW8q22RMpUEY6e9AeviTK4LLbFWzigYekPfVS4T"},
		{crowdPhrase + "//foo//42", "0x0357af8e3e095a0f348fef65b78839a8dc4b4c959f24c4a5a0125f3989cc0a90d0", "5EQjMsU88KFTjtd35oujweATPy9nPE5wvLjoMaKWho3NWJok"},
		{crowdPhrase + "///password", "0x032682ae5c64e88d008edef86313909f928feb337abe73c3279e7c0941e9f78073", "5HRRRLS5sPdMHTDUfPShrwVgqRBnaVVkDskEtShcBPdhZdSr"},
		{crowdPhrase + "//foo//42///password", "0x0220bf156d0432c5abe371b1c46b6eef730668405957ed044a64b7f926fd90c6a3", "5FRVaDUQMhpm1vBK5Y5EjdoNhv5tZRTBRgq8eoD1meRse6om"},
		{crowdPhrase + "//" + strings.Repeat("a", 30), "0x0237bc8c4d490e01000065e5aa145b6a183bb276ffd436fbc49b92e659af830ff0", "5DwQncFgshaKRxeisAF4bXwTB2WtX38pihrQ6WZ8dbdnZWXR"},
		{crowdPhrase + "//" + strings.Repeat("a", 31), "0x02d04d8fcb0772c62fd270bb2556e07376f5d2c9166c6e6f6fe4e4dc758fa4b74b", "5DBfropvFesNHLYgSXLc83bYC5KVQZYAfwQH2diYEz4xDi9d"},
		{crowdPhrase + "//" + strings.Repeat("a", 32), "0x03bc6cd015a6e558bf7596835a4809e6ed6341352722c6fb30be00c89a46b69373", "5EU6FkQ73xmYZR1CaVx48QLgHFKQodhLSeEHipjLSY4MN34L"},
		{crowdPhrase + "//" + strings.Repeat("b", 64), "0x0372a109ad34792a12eb88b4996ea18c80164cf30de6f71f8fb40d58bf191d48db", "5FWiqSVWM4xvFtZQBAKbsJaQCoxyM4JUsMkJQs914wax48MQ"},
		{crowdPhrase + "//" + strings.Repeat("c", 70), "0x03a388522a9dfc1ed4c006a3f4336f26c67677fd72629ab12643ad82efd7f0b287", "5DDLhANFaTyhjnuuWQQqzhYzqV5vCzPBLPfbEjDXPejRy2eo"},
		{crowdPhrase + "//18446744073709551615", "0x03340235b07004b519fabb6d17f188f8c46d7a89c5741603fda59d5539761e5a4a", "5DoM3cRTNnUpJkiuT5zDi2J6ZTHAd84SEmJjpDsi4d7wgnX2"},
		{crowdPhrase + "//007", "0x03b74379c0de3ff80b0208f0e509b1c27b5f1b9f9bb3be4bdb63e2661155f4c052", "5G2A9MgYoDLJYrvM7pJ9RLHkgSGRLKcXdWo41J8zJq7xt4VY"},
		{crowdPhrase + "//7", "0x03b74379c0de3ff80b0208f0e509b1c27b5f1b9f9bb3be4bdb63e2661155f4c052", "5G2A9MgYoDLJYrvM7pJ9RLHkgSGRLKcXdWo41J8zJq7xt4VY"},
		{crowdPhrase + "//héllo wörld", "0x028969901c53d8b1fd92a78d02ad36179589a7c029d5949b5ac80b69d8d8a386bc", "5EfBBncECxddfDfew2S3xjVvXj5Ggk6oDpXUfHkusuVb7aGr"},
		{crowdPhrase + "///pass/with//slashes", "0x021f4efd0c2cff9f5b92dbb3e9acd07fddce2c99dec1650274bb01437a67e66ca4", "5HCJ5keo2TstSPY2poJzWXfg1uBz35bnAhXqiMHEd4Fsva1L"},
		{abandon24, "0x035c080d535720870caab8d33acdbc59f4cede44fe599980289a1c01fcec2a4112", "5DyFsM2F6kLfdKM5XuGS5r8784cziF5w9nhdPPHks1JYWu2N"},
		{abandon24 + "//Alice", "0x032e783eff0b922e5dcfb693dd504f74f9b46bbe7052a4b0926a10dce8f932e63b", "5EVCxJUzM1ytga4XqoHyjfBitDMy3Q1bX7F1UyFc4WghkntJ"},
		{legal15 + "//1//2//3", "0x03bac11e7645c9dfbc795c9b7667b6404781b0e5924d9590d951c0207f5cb23190", "5DooN9KD1QfiEc9r3xY3gBP9oCcyqiFGtxKbfeaDjW1BYurP"},
		{seed, "0x028db55b05db86c0b1786ca49f095d76344c9e6056b2f02701a7e7f3c20aabfd91", "5HMAQTJpvQcFxCd1nW2ykQP4FYxkRkxj6gishXM45Uu4wYiD"},
		{seed + "//0", "0x03a858882f06951b9cae4601c5b203de973c900992055906c9c9eae04053926055", "5GTVmy1cwhb8TeGForDPnfF7pC8aw68pamJjDBVgXqAkx2JC"},
	}
	for _, tt := range tests {
		k, err := FromSURI(tt.suri)
		if err != nil {
			t.Errorf("FromSURI(%q): %v", tt.suri, err)
			continue
		}
		if k.PublicKey().Hex() != tt.pub || k.Address() != tt.ss58 {
			t.Errorf("FromSURI(%q) = %s %s, want %s %s", tt.suri, k.PublicKey().Hex(), k.Address(), tt.pub, tt.ss58)
		}
	}

	// sp_core::ecdsa seed_and_derive_should_work: Hard([0; 32]) (= "//0") from the seed.
	k, err := FromSURI(seed + "//0")
	if err != nil {
		t.Fatal(err)
	}
	if s := k.Seed(); hex.EncodeToString(s[:]) != "b8eefc4937200a8382d00050e050ced2d4ab72cc2ef1b061477afb51564fdd61" {
		t.Errorf("sp_core derived seed = %x", s)
	}
	// sp_core::ecdsa test_vector_should_work: signature over the empty message.
	root, _ := FromSURI(seed)
	if sig := root.Sign(nil).Hex(); sig != "0x3dde91174bd9359027be59a428b8146513df80a2a3c7eda2194f64de04a69ab97b753169e94db6ffd50921a2668a48b94ca11e3d32c1ff19cfe88890aa7e8f3c00" {
		t.Errorf("sp_core empty-message signature = %s", sig)
	}
}

// TestDerivationProperties checks the rules the vectors cannot show on their own.
func TestDerivationProperties(t *testing.T) {
	base, _ := FromSURI(crowdPhrase)
	numeric, _ := FromSURI(crowdPhrase + "//42")
	plus, _ := FromSURI(crowdPhrase + "//+42")
	zeros, _ := FromSURI(crowdPhrase + "//00042")
	if numeric.PublicKey() != plus.PublicKey() || numeric.PublicKey() != zeros.PublicKey() {
		t.Errorf("//42, //+42 and //00042 must derive the same key")
	}
	if numeric.PublicKey() == base.PublicKey() {
		t.Errorf("a junction must change the key")
	}
	// Junctions apply left to right; order matters.
	ab, _ := FromSURI(crowdPhrase + "//a//b")
	ba, _ := FromSURI(crowdPhrase + "//b//a")
	a, _ := FromSURI(crowdPhrase + "//a")
	if ab.PublicKey() == ba.PublicKey() {
		t.Errorf("//a//b and //b//a must differ")
	}
	aSeed := a.Seed()
	ab2, _ := FromSURI("0x" + hex.EncodeToString(aSeed[:]) + "//b")
	if ab2.PublicKey() != ab.PublicKey() {
		t.Errorf("deriving //b from the //a seed must equal //a//b")
	}
	// A password salts the mnemonic, so an empty password is no password.
	emptyPw, _ := FromSURI(crowdPhrase + "///")
	if emptyPw.PublicKey() != base.PublicKey() {
		t.Errorf("an empty password must equal no password")
	}
	// Extra white space between words does not change the mnemonic.
	spaced, err := FromSURI(strings.ReplaceAll(crowdPhrase, " ", " \t ") + "//42")
	if err != nil || spaced.PublicKey() != numeric.PublicKey() {
		t.Errorf("white space between words must not matter: %v", err)
	}
	// 0x seeds: both hex cases.
	upper, err := FromSURI("0x9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60")
	lower, _ := FromSURI("0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	if err != nil || upper.PublicKey() != lower.PublicKey() {
		t.Errorf("upper-case hex seed: %v", err)
	}
}

// TestDeriveHardFormula recomputes one hard step from the formula of spec/keys.md.
func TestDeriveHardFormula(t *testing.T) {
	var secret, cc [32]byte
	for i := range secret {
		secret[i] = byte(i + 1)
		cc[i] = byte(0xa0 + i)
	}
	var buf bytes.Buffer
	buf.WriteByte(0x34)
	buf.WriteString("Secp256k1HDKD")
	buf.Write(secret[:])
	buf.Write(cc[:])
	if got, want := deriveHard(&secret, &cc), blake2b.Sum256(buf.Bytes()); got != want {
		t.Errorf("deriveHard = %x, want %x", got, want)
	}
}

func TestDev(t *testing.T) {
	names := DevNames()
	if want := []string{"Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("DevNames = %v, want %v", names, want)
	}
	names[0] = "Mallory" // callers get a copy
	if DevNames()[0] != "Alice" {
		t.Fatal("DevNames returned the package's own slice")
	}
	for _, bad := range []string{"", "alice", "Mallory", "//Alice//stash", "Alice/x"} {
		if _, err := Dev(bad); !errors.Is(err, ErrInvalidSURI) {
			t.Errorf("Dev(%q) error = %v, want ErrInvalidSURI", bad, err)
		}
	}
}
