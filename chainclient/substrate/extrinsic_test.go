package substrate

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient/substrate/scale"
	"github.com/btui/btui/wallet"
)

func devSigner(t testing.TB, name string) Signer {
	kp, err := wallet.Dev(name)
	if err != nil {
		t.Fatal(err)
	}
	return ECDSASigner(kp)
}

func mustHash(t testing.TB, s string) Hash {
	h, err := ParseHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestWorkedECDSAVector rebuilds the worked vector of the subtensor-client spec (§3.7, made by
// polkadot.js from the spec-343 V14 metadata) byte for byte.
func TestWorkedECDSAVector(t *testing.T) {
	m := parseMeta(t, "metadata-v14-spec343")
	alice, bob := devSigner(t, "Alice"), devSigner(t, "Bob")
	if aliceID := alice.AccountID(); hex.EncodeToString(aliceID[:]) != "01e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed" {
		t.Fatalf("alice account %x", alice.AccountID())
	}
	bobID := bob.AccountID()
	call, err := m.EncodeCall("SubtensorModule", "add_stake", map[string]any{"hotkey": bobID.SS58(), "netuid": 1, "amount_staked": 1_000_000_000})
	must(t, err)
	if got := hex.EncodeToString(call); got != "0702"+"3f6eaf1be5add88d84ca8b02d350074935dbf04f53f4287cb6abfd6b33413f8f"+"0100"+"00ca9a3b00000000" {
		t.Fatalf("call %s", got)
	}
	p := TxParams{Nonce: 5, Era: MortalEra(128, 6_852_690), BirthHash: mustHash(t, metagraphBlock), Genesis: mustHash(t, finneyGenesis), SpecVersion: 343, TxVersion: 1}
	if hex.EncodeToString(p.Era.Encode()) != "2605" || p.Era.Birth(6_852_690) != 6_852_690 || p.Era.Death(6_852_690) != 6_852_818 {
		t.Fatalf("era %x birth %d", p.Era.Encode(), p.Era.Birth(6_852_690))
	}
	x, err := m.BuildSigned(call, p, alice)
	must(t, err)
	if len(x.Payload) != 122 {
		t.Errorf("payload %d bytes", len(x.Payload))
	}
	if h := scale.Blake2_256(x.Payload); hex.EncodeToString(h[:]) != "330b2c1e96c7619982fb95c8ac0e33f56fcc9bf13b090247f750825f5005c19c" {
		t.Errorf("payload hash %x", h)
	}
	sig := "92df56f7e1282b035c13a8cf93d2e7e41f7245a9166802d1823372897b13bf2d0f0a7ea4627e6700f1072ab95eacc9325a0227f45053192fa2d85536578c9e0c01"
	want := "5502" + "84" + "00" + "01e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed" + "02" + sig + "2605" + "14" + "00" + "00" + hex.EncodeToString(call)
	if got := hex.EncodeToString(x.Bytes); got != want {
		t.Errorf("extrinsic\n got %s\nwant %s", got, want)
	}
	if x.Hash.Hex() != "0xf5d0c151c5cd643bae47000a58f2861aa007db1eca108a12e43335a4b51581aa" {
		t.Errorf("tx hash %s", x.Hash)
	}

	// The other two of the same run: sizes and prefixes.
	call2, err := m.EncodeCall("Balances", "transfer_keep_alive", map[string]any{"dest": bobID.SS58(), "value": 500_000_000})
	must(t, err)
	if hex.EncodeToString(call2) != "050300"+hex.EncodeToString(bobID[:])+"02943577" {
		t.Errorf("transfer call %x", call2)
	}
	x2, err := m.BuildSigned(call2, p, alice)
	must(t, err)
	if len(x2.Payload) != 117 || len(x2.Bytes) != 146 || hex.EncodeToString(x2.Bytes[:2]) != "4102" {
		t.Errorf("transfer: payload %d extrinsic %d prefix %x", len(x2.Payload), len(x2.Bytes), x2.Bytes[:2])
	}
	uids, weights := make([]any, 64), make([]any, 64)
	for i := range uids {
		uids[i], weights[i] = i, 1000+i
	}
	call3, err := m.EncodeCall("SubtensorModule", "set_weights", map[string]any{"netuid": 1, "dests": uids, "weights": weights, "version_key": 0})
	must(t, err)
	x3, err := m.BuildSigned(call3, p, alice)
	must(t, err)
	if len(x3.Payload) != 32 || len(x3.Bytes) != 379 || hex.EncodeToString(x3.Bytes[:2]) != "e505" {
		t.Errorf("set_weights: payload %d extrinsic %d prefix %x", len(x3.Payload), len(x3.Bytes), x3.Bytes[:2])
	}
	// The runtime recovers the signer from blake2-256 of the (hashed) payload.
	var s wallet.Signature
	copy(s[:], x3.Bytes[2+1+33+1:][:65])
	if err := wallet.Verify(x3.Payload, s, alice.AccountID()); err != nil {
		t.Errorf("set_weights signature: %v", err)
	}

	d, err := m.DecodeExtrinsic(x.Bytes)
	must(t, err)
	if !d.Signed || d.Signer != alice.AccountID() || d.Scheme != SchemeEcdsa || d.Nonce != 5 || d.Tip != 0 || d.Era != p.Era ||
		d.Call.String() != `SubtensorModule.add_stake(hotkey="`+bobID.SS58()+`", netuid=1, amount_staked=1000000000)` || d.Hash != x.Hash {
		t.Errorf("decoded %+v %s", d, d.Call)
	}
}

func TestEra(t *testing.T) {
	for _, c := range []struct {
		period, at uint64
		hex        string
	}{{128, 6_852_690, "2605"}, {64, 6_852_690, "2501"}, {64, 62, "e503"}, {4, 5, "1100"}, {65536, 100000, "af86"}} {
		e := MortalEra(c.period, c.at)
		if got := hex.EncodeToString(e.Encode()); got != c.hex {
			t.Errorf("era(%d, %d) = %s, want %s", c.period, c.at, got, c.hex)
		}
		raw, _ := hex.DecodeString(c.hex)
		back, err := DecodeEra(scale.NewDecoder(raw))
		if err != nil || back != e {
			t.Errorf("decode %s = %+v %v, want %+v", c.hex, back, err, e)
		}
	}
}

func TestUnknownExtensionRefused(t *testing.T) {
	m := parseMeta(t, "metadata-v15-spec393")
	p := TxParams{Era: Era{Immortal: true}}
	if _, _, err := m.Extensions(p); err != nil {
		t.Fatalf("spec 393 extensions: %v", err)
	}
	// An unknown extension with empty types is accepted; one that carries data is refused.
	m.SignedExtensions = append(m.SignedExtensions, SignedExtension{Identifier: "FutureEmpty", Type: m.SignedExtensions[0].Type, AdditionalSigned: m.SignedExtensions[0].AdditionalSigned})
	if _, _, err := m.Extensions(p); err != nil {
		t.Fatalf("empty unknown extension: %v", err)
	}
	var nonce SignedExtension
	for _, e := range m.SignedExtensions {
		if e.Identifier == "CheckNonce" {
			nonce = e
		}
	}
	m.SignedExtensions = append(m.SignedExtensions, SignedExtension{Identifier: "FutureWithData", Type: nonce.Type, AdditionalSigned: m.SignedExtensions[0].AdditionalSigned})
	_, _, err := m.Extensions(p)
	if !errors.Is(err, ErrUnknownExtension) || !strings.Contains(err.Error(), "FutureWithData") {
		t.Fatalf("extension carrying data: %v", err)
	}
}

func TestEncodeCallRefusals(t *testing.T) {
	m := parseMeta(t, "metadata-v15-spec393")
	for name, args := range map[string]map[string]any{
		"missing":       {"hotkey": "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ", "netuid": 1},
		"unknown":       {"hotkey": "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ", "netuid": 1, "amount_staked": 1, "amount": 2},
		"overflow u16":  {"hotkey": "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ", "netuid": 70000, "amount_staked": 1},
		"bad address":   {"hotkey": "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AX", "netuid": 1, "amount_staked": 1},
		"negative":      {"hotkey": "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ", "netuid": 1, "amount_staked": -1},
		"inexact float": {"hotkey": "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ", "netuid": 1, "amount_staked": 1.5},
	} {
		if _, err := m.EncodeCall("SubtensorModule", "add_stake", args); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
	if _, err := m.EncodeCall("SubtensorModule", "no_such_call", nil); !errors.Is(err, ErrNotInMetadata) {
		t.Errorf("unknown call: %v", err)
	}
}
