package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/chainclient/substrate/substratetest"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
)

// The tx commands run through the whole command tree (RunFactory) with buffer IO, a clean
// environment of the test's own (HOME, XDG_* in a temporary directory, nothing else), light
// KDF parameters for the wallets the test creates, and the recorded finney metadata copies of
// testdata/subtensor. Nothing here touches a network: offline signing needs none, and submit
// talks to a websocket server on loopback inside the test (tx_submit_test.go).

const (
	txMeta343     = "../../testdata/subtensor/metadata-v14-spec343.hex.gz"
	txMeta393     = "../../testdata/subtensor/metadata-v15-spec393.hex.gz"
	txVectorsPath = "../../testdata/polkadotjs-extrinsics/vectors.json"
	txBlock       = "0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0"
)

type txCLI struct {
	t   *testing.T
	dir string // the test's directory: wallets/, files
	env map[string]string
}

func newTxCLI(t *testing.T) *txCLI {
	t.Helper()
	dir := t.TempDir()
	return &txCLI{t: t, dir: dir, env: map[string]string{
		"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "config"), "XDG_DATA_HOME": filepath.Join(dir, "data"),
		"BTUI_WALLET_PATH": filepath.Join(dir, "wallets"),
	}}
}

type txCmdResult struct {
	code        int
	out, errOut string
}

func (c *txCLI) runIO(stdin string, tty bool, args ...string) txCmdResult {
	c.t.Helper()
	io, out, errOut := NewTestIO(stdin, tty)
	f := NewFactory(io)
	f.Env = func(k string) (string, bool) { v, ok := c.env[k]; return v, ok }
	f.KeystoreOptions = []keystore.Option{keystore.WithKDFParams(keystore.LightKDFParams())}
	code := RunFactory(context.Background(), f, args)
	return txCmdResult{code, out.String(), errOut.String()}
}

func (c *txCLI) run(args ...string) txCmdResult { c.t.Helper(); return c.runIO("", false, args...) }

func (c *txCLI) ok(args ...string) txCmdResult {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("btui %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.errOut)
	}
	return r
}

func (c *txCLI) file(name, content string) string {
	c.t.Helper()
	p := filepath.Join(c.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return p
}

// txVector is one polkadot.js extrinsic of testdata/polkadotjs-extrinsics/vectors.json.
type txVector struct{ substratetest.Vector }

func txVectors(t *testing.T) []txVector {
	t.Helper()
	loaded, err := substratetest.LoadVectors(txVectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	vs := make([]txVector, len(loaded))
	for i, v := range loaded {
		vs[i] = txVector{v}
	}
	if len(vs) != 36 {
		t.Fatalf("%d vectors, want 36", len(vs))
	}
	return vs
}

func (v txVector) metaFile() string {
	return "../../testdata/subtensor/" + v.Metadata + ".hex.gz"
}

// signArgs are the flags of an offline `tx sign` reproducing the vector, signed by wallet.
func (v txVector) signArgs(t *testing.T, walletName string) []string {
	t.Helper()
	args, err := json.Marshal(v.Args)
	if err != nil {
		t.Fatal(err)
	}
	a := []string{"tx", "sign", "--offline", "--metadata", v.metaFile(), "--wallet-name", walletName,
		"--call", v.Pallet + "." + v.Call, "--args", string(args),
		"--nonce", strconv.FormatUint(v.Nonce, 10), "--tip", v.Tip,
		"--genesis-hash", v.Genesis, "--spec-version", strconv.Itoa(int(v.SpecVersion)), "--tx-version", strconv.Itoa(int(v.TransactionVersion)), "--json"}
	if v.Era.Immortal {
		a = append(a, "--era", "immortal")
	} else {
		a = append(a, "--era", strconv.FormatUint(v.Era.Period, 10), "--block-number", strconv.FormatUint(v.Era.Current, 10), "--block-hash", v.Era.BlockHash)
	}
	return a
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func txMetadata(t *testing.T, path string) *substrate.Metadata {
	t.Helper()
	m, err := loadMetadataFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTxSignPolkadotJSVectors signs every polkadot.js vector offline with the command: the
// ECDSA ones (RFC 6979, deterministic) must come out byte for byte; sr25519 signatures are
// randomised, so for those everything but the 64 signature bytes must match and both btui's
// signature and polkadot.js's must verify over polkadot.js's signing payload.
func TestTxSignPolkadotJSVectors(t *testing.T) {
	t.Parallel()
	c := newTxCLI(t)
	pw := c.file("pw.txt", "tx-test-password\n")
	for _, name := range []string{"Alice", "Charlie"} {
		c.ok("wallet", "regen-coldkey", "--wallet-name", "sr"+name, "--uri", "//"+name, "--crypto-type", "sr25519", "--password-file", pw, "--json")
	}
	metas := map[string]*substrate.Metadata{}
	ecdsa, sr := 0, 0
	for _, v := range txVectors(t) {
		scheme, dev, _ := strings.Cut(v.Signer, "//")
		walletName := "//" + dev
		if scheme == "sr25519" {
			walletName = "sr" + dev
		}
		args := append(v.signArgs(t, walletName), "--password-file", pw)
		r := c.ok(args...)
		var got txSignJSON
		if err := json.Unmarshal([]byte(r.out), &got); err != nil {
			t.Fatalf("%s: %v\n%s", v.Name, err, r.out)
		}
		if got.Call.Hex != v.CallHex {
			t.Errorf("%s: call %s, want %s", v.Name, got.Call.Hex, v.CallHex)
		}
		if got.Nonce != v.Nonce || strconv.FormatUint(got.Tip, 10) != v.Tip || got.GenesisHash != v.Genesis || got.SpecVersion != v.SpecVersion || !got.Offline {
			t.Errorf("%s: JSON %+v", v.Name, got)
		}
		switch scheme {
		case "ecdsa":
			ecdsa++
			if got.Extrinsic != v.ExtrinsicHex || got.Hash != v.Hash {
				t.Errorf("%s: extrinsic\n got %s\nwant %s", v.Name, got.Extrinsic, v.ExtrinsicHex)
			}
			if got.Signer.Scheme != "ecdsa" {
				t.Errorf("%s: scheme %s", v.Name, got.Signer.Scheme)
			}
		case "sr25519":
			sr++
			m := metas[v.Metadata]
			if m == nil {
				m = txMetadata(t, v.metaFile())
				metas[v.Metadata] = m
			}
			ours, err := m.DecodeExtrinsic(mustHex(t, got.Extrinsic))
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := m.DecodeExtrinsic(mustHex(t, v.ExtrinsicHex))
			if err != nil {
				t.Fatal(err)
			}
			if ours.Scheme != substrate.SchemeSr25519 || ours.Signer != theirs.Signer {
				t.Errorf("%s: signer %s %s, want %s", v.Name, ours.Scheme, ours.Signer.SS58(), theirs.Signer.SS58())
			}
			// Everything but the signature is the same bytes.
			a, b := mustHex(t, got.Extrinsic), mustHex(t, v.ExtrinsicHex)
			sigAt := bytes.Index(a, ours.Signature)
			if len(a) != len(b) || string(a[:sigAt]) != string(b[:sigAt]) || string(a[sigAt+64:]) != string(b[sigAt+64:]) {
				t.Errorf("%s: bytes around the signature differ\n got %s\nwant %s", v.Name, got.Extrinsic, v.ExtrinsicHex)
			}
			payload := substrate.SigningPayload(mustHex(t, v.PayloadHex), nil, nil) // hashed when over 256 bytes
			for who, sig := range map[string][]byte{"btui": ours.Signature, "polkadot.js": theirs.Signature} {
				if err := wallet.VerifyScheme(wallet.Sr25519, payload, sig, ours.Signer); err != nil {
					t.Errorf("%s: %s's signature does not verify over polkadot.js's payload: %v", v.Name, who, err)
				}
			}
		}
	}
	if ecdsa != 20 || sr != 16 {
		t.Fatalf("%d ecdsa and %d sr25519 vectors, want 20 and 16 (the file's split)", ecdsa, sr)
	}
}

// TestTxDecodeVectors decodes every polkadot.js extrinsic and its bare call: the signer, scheme,
// era, nonce, tip and the call with its arguments by name, which --args takes back to the same
// call bytes.
func TestTxDecodeVectors(t *testing.T) {
	t.Parallel()
	c := newTxCLI(t)
	alice := map[string]string{}
	for _, s := range []wallet.Scheme{wallet.Ecdsa, wallet.Sr25519} {
		for _, dev := range []string{"Alice", "Bob", "Charlie"} {
			p, err := wallet.PairFromSURI(s, "//"+dev)
			if err != nil {
				t.Fatal(err)
			}
			alice[s.String()+"//"+dev] = p.Address()
		}
	}
	metas := map[string]*substrate.Metadata{}
	for _, v := range txVectors(t) {
		r := c.ok("tx", "decode", v.ExtrinsicHex, "--metadata", v.metaFile(), "--json")
		var d struct {
			Kind   string `json:"kind"`
			Hash   string `json:"hash"`
			Signer struct {
				Address, Scheme string
			} `json:"signer"`
			Era struct {
				Immortal bool   `json:"immortal"`
				Period   uint64 `json:"period"`
			} `json:"era"`
			Nonce       uint64 `json:"nonce"`
			Tip         uint64 `json:"tip"`
			MetaHash    string `json:"metadata_hash_mode"`
			SpecVersion uint32 `json:"spec_version"`
			Call        struct {
				Pallet  string                     `json:"pallet"`
				Call    string                     `json:"call"`
				Args    map[string]json.RawMessage `json:"args"`
				Amounts map[string]txAmountJS      `json:"amounts"`
				Hex     string                     `json:"hex"`
			} `json:"call"`
		}
		if err := json.Unmarshal([]byte(r.out), &d); err != nil {
			t.Fatalf("%s: %v\n%s", v.Name, err, r.out)
		}
		scheme, _, _ := strings.Cut(v.Signer, "//")
		if d.Kind != "signed" || d.Hash != v.Hash || d.Signer.Address != alice[v.Signer] || d.Signer.Scheme != scheme ||
			d.Nonce != v.Nonce || strconv.FormatUint(d.Tip, 10) != v.Tip || d.Era.Immortal != v.Era.Immortal || d.Era.Period != v.Era.Period ||
			d.MetaHash != "disabled" || d.SpecVersion != v.SpecVersion {
			t.Errorf("%s: decoded %+v", v.Name, d)
		}
		if d.Call.Pallet != v.Pallet || d.Call.Call != v.Call || d.Call.Hex != v.CallHex || len(d.Call.Args) != len(v.Args) {
			t.Errorf("%s: call %+v", v.Name, d.Call)
		}
		// The decoded arguments are valid --args: they encode back to the same call.
		m := metas[v.Metadata]
		if m == nil {
			m = txMetadata(t, v.metaFile())
			metas[v.Metadata] = m
		}
		var back map[string]any
		dec := json.NewDecoder(strings.NewReader(strings.TrimSpace(string(mustJSON(t, d.Call.Args)))))
		dec.UseNumber()
		if err := dec.Decode(&back); err != nil {
			t.Fatal(err)
		}
		call, err := m.EncodeCall(d.Call.Pallet, d.Call.Call, back)
		if err != nil || "0x"+hex.EncodeToString(call) != v.CallHex {
			t.Errorf("%s: decoded args do not encode back: %v", v.Name, err)
		}
		// Amounts are named with their unit.
		for _, name := range []string{"amount_staked", "value", "amount_unstaked", "alpha_amount"} {
			raw, ok := d.Call.Args[name]
			if !ok {
				continue
			}
			a, ok := d.Call.Amounts[name]
			want := "TAO"
			if strings.Contains(name, "alpha") || name == "amount_unstaked" {
				want = "alpha"
			}
			n, _ := strconv.ParseUint(strings.Trim(string(raw), `"`), 10, 64)
			if !ok || a.Unit != want || a.Value != formatDecimal(n, 9) {
				t.Errorf("%s: amount %s = %+v, want %s %s", v.Name, name, a, formatDecimal(n, 9), want)
			}
		}
		// The bare call decodes too.
		rc := c.ok("tx", "decode", v.CallHex, "--metadata", v.metaFile(), "--json")
		if !strings.Contains(rc.out, `"kind": "call"`) || !strings.Contains(rc.out, `"call": "`+v.Call+`"`) {
			t.Errorf("%s: bare call decode:\n%s", v.Name, rc.out)
		}
	}
	// The text form: each argument by name, amounts in rao with TAO beside.
	v := txVectors(t)[0]
	r := c.ok("tx", "decode", v.ExtrinsicHex, "--metadata", v.metaFile())
	for _, want := range []string{"signed extrinsic v4, 151 bytes", "signer     " + alice["ecdsa//Alice"] + " (ecdsa)", "SubtensorModule.add_stake",
		"hotkey", "netuid", "amount_staked  1000000000 rao (1 TAO)", "mortal, 128 blocks", "nonce      0"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("decode text lacks %q:\n%s", want, r.out)
		}
	}
	// With the block known, the era's first and last valid block.
	r = c.ok("tx", "decode", v.ExtrinsicHex, "--metadata", v.metaFile(), "--block-number", "6852700")
	if !strings.Contains(r.out, "valid in blocks 6852690–6852817") {
		t.Errorf("decode with --block-number:\n%s", r.out)
	}
	// From standard input, and garbage refused.
	if r := c.runIO(v.ExtrinsicHex+"\n", false, "tx", "decode", "--file", "-", "--metadata", v.metaFile()); r.code != 0 || !strings.Contains(r.out, "SubtensorModule.add_stake") {
		t.Errorf("--file -: exit %d\n%s%s", r.code, r.out, r.errOut)
	}
	for _, bad := range []string{"0x00", "0x0102030405", "hello"} {
		if r := c.run("tx", "decode", bad, "--metadata", v.metaFile()); r.code != ExitUsage {
			t.Errorf("decode %s: exit %d\n%s", bad, r.code, r.errOut)
		}
	}
	if r := c.run("tx", "decode", v.ExtrinsicHex); r.code != ExitUsage || !strings.Contains(r.errOut, "--metadata") {
		t.Errorf("decode without metadata: exit %d\n%s", r.code, r.errOut)
	}
}

// TestTxSignBadInput: every missing offline value is named (exit 2) and nothing is written;
// bad JSON, an unknown pallet, call or argument, and values that contradict the metadata are
// refused by name before any key is unlocked.
func TestTxSignBadInput(t *testing.T) {
	t.Parallel()
	c := newTxCLI(t)
	out := filepath.Join(c.dir, "signed.hex")
	base := []string{"tx", "sign", "--offline", "--wallet-name", "//Alice", "--output", out}
	full := []string{"--metadata", txMeta343, "--nonce", "0", "--era", "immortal", "--genesis-hash", finneyGenesisHex, "--spec-version", "343", "--tx-version", "1"}
	stake := []string{"--call", "SubtensorModule.add_stake", "--args", `{"hotkey":"5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y","netuid":1,"amount_staked":1000000000}`}
	without := func(args []string, flags ...string) []string {
		var out []string
		for i := 0; i < len(args); i++ {
			drop := false
			for _, f := range flags {
				if args[i] == f {
					drop = true
				}
			}
			if drop {
				i++ // and its value
				continue
			}
			out = append(out, args[i])
		}
		return out
	}
	cases := []struct {
		name  string
		args  []string
		wants []string
	}{
		{"no nonce or genesis", append(append(append([]string{}, base...), stake...), without(full, "--nonce", "--genesis-hash")...), []string{"--offline needs", "--nonce", "--genesis-hash"}},
		{"nothing", append(append([]string{}, base...), stake...), []string{"--metadata", "--nonce", "--era", "--genesis-hash", "--spec-version", "--tx-version"}},
		{"mortal without its block", append(append(append([]string{}, base...), stake...), append(without(full, "--era"), "--era", "64")...), []string{"--block-number", "--block-hash"}},
		{"bad JSON", append(append(append([]string{}, base...), full...), "--call", "SubtensorModule.add_stake", "--args", `{"netuid":1,`), []string{"--args is not valid JSON"}},
		{"args not an object", append(append(append([]string{}, base...), full...), "--call", "SubtensorModule.add_stake", "--args", `[1,2]`), []string{"--args must be a JSON object"}},
		{"unknown pallet", append(append(append([]string{}, base...), full...), "--call", "Subtensor.add_stake", "--args", `{}`), []string{"no pallet Subtensor", "SubtensorModule"}},
		{"unknown call", append(append(append([]string{}, base...), full...), "--call", "SubtensorModule.add_stak", "--args", `{}`), []string{"no call SubtensorModule.add_stak", "add_stake"}},
		{"call not Pallet.call", append(append(append([]string{}, base...), full...), "--call", "add_stake"), []string{"Pallet.call_name"}},
		{"wrong argument name", append(append(append([]string{}, base...), full...), "--call", "SubtensorModule.add_stake", "--args", `{"hotkey":"5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y","netuid":1,"amount":1}`), []string{"missing argument \"amount_staked\""}},
		{"extra argument", append(append(append([]string{}, base...), full...), "--call", "SubtensorModule.add_stake", "--args", `{"hotkey":"5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y","netuid":1,"amount_staked":1,"tolerance":2}`), []string{"unknown argument(s) tolerance"}},
		{"argument out of range", append(append(append([]string{}, base...), full...), "--call", "SubtensorModule.add_stake", "--args", `{"hotkey":"5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y","netuid":70000,"amount_staked":1}`), []string{"netuid", "u16"}},
		{"polkadot address", append(append(append([]string{}, base...), full...), "--call", "SubtensorModule.add_stake", "--args", `{"hotkey":"15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5","netuid":1,"amount_staked":1}`), []string{"prefix 0"}},
		{"spec version of another runtime", append(append(append([]string{}, base...), stake...), append(without(full, "--spec-version"), "--spec-version", "393")...), []string{"--spec-version 393", "runtime 343"}},
		{"tx version", append(append(append([]string{}, base...), stake...), append(without(full, "--tx-version"), "--tx-version", "2")...), []string{"--tx-version 2"}},
		{"era not a power of two", append(append(append([]string{}, base...), stake...), append(without(full, "--era"), "--era", "100", "--block-number", "1", "--block-hash", txBlock)...), []string{"--era \"100\"", "power of two"}},
		{"era longer than BlockHashCount", append(append(append([]string{}, base...), stake...), append(without(full, "--era"), "--era", "4096", "--block-number", "4096", "--block-hash", txBlock)...), []string{"BlockHashCount"}},
		{"bad genesis", append(append(append([]string{}, base...), stake...), append(without(full, "--genesis-hash"), "--genesis-hash", "0x2f05")...), []string{"--genesis-hash", "64 hex"}},
		{"metadata not metadata", append(append(append([]string{}, base...), stake...), append(without(full, "--metadata"), "--metadata", txVectorsPath)...), []string{"--metadata"}},
		{"offline with a network", append(append(append(append([]string{}, base...), stake...), full...), "--network", "finney"), []string{"--offline touches no network"}},
		{"online without a network", append(append([]string{"tx", "sign", "--wallet-name", "//Alice", "--output", out}, stake...), without(full, "--nonce")...), []string{"needs a subtensor node", "--offline"}},
		{"online on a btui node", append(append([]string{"tx", "sign", "--wallet-name", "//Alice", "--output", out, "--network", "http://127.0.0.1:1"}, stake...), without(full, "--nonce")...), []string{"is not one", "ws://"}},
	}
	for _, tc := range cases {
		r := c.run(tc.args...)
		if r.code != ExitUsage {
			t.Errorf("%s: exit %d, want 2\nstdout: %s\nstderr: %s", tc.name, r.code, r.out, r.errOut)
			continue
		}
		for _, w := range tc.wants {
			if !strings.Contains(r.errOut, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", tc.name, w, r.errOut)
			}
		}
		if r.out != "" {
			t.Errorf("%s: stdout %q", tc.name, r.out)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("%s: %s was written", tc.name, out)
		}
	}
	// A wallet that does not exist: 5, nothing written.
	r := c.run(append(append([]string{"tx", "sign", "--offline", "--wallet-name", "nobody", "--output", out}, stake...), full...)...)
	if r.code != ExitNotFound {
		t.Errorf("unknown wallet: exit %d\n%s", r.code, r.errOut)
	}
	// A password is never taken on the command line.
	r = c.run(append(append(append(append([]string{}, base...), stake...), full...), "--password", "x")...)
	if r.code != ExitUsage || !strings.Contains(r.errOut, "never takes a password on the command line") {
		t.Errorf("--password: exit %d\n%s", r.code, r.errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("%s was written", out)
	}
	// And the good one writes it: the hex on stdout and in the file, the review on stderr.
	r = c.ok(append(append(append([]string{}, base...), stake...), full...)...)
	b, err := os.ReadFile(out)
	if err != nil || strings.TrimSpace(string(b)) != strings.TrimSpace(r.out) || !strings.HasPrefix(r.out, "0x") {
		t.Fatalf("output file %q (%v), stdout %q", b, err, r.out)
	}
	for _, want := range []string{"Sign, offline:", "amount_staked  1000000000 rao (1 TAO)", "immortal", "(finney)", "signed (ecdsa)"} {
		if !strings.Contains(r.errOut, want) {
			t.Errorf("review lacks %q:\n%s", want, r.errOut)
		}
	}
}

// TestTxSignPasswordRules: an encrypted coldkey asks for its password after the review, on a
// terminal only; without one the error names the non-interactive sources; a wrong password
// exits 4 and writes nothing.
func TestTxSignPasswordRules(t *testing.T) {
	t.Parallel()
	c := newTxCLI(t)
	pw := c.file("pw.txt", "right-password\n")
	bad := c.file("bad.txt", "wrong-password\n")
	c.ok("wallet", "regen-coldkey", "--wallet-name", "cold", "--uri", "//Alice", "--crypto-type", "ecdsa", "--password-file", pw, "--json")
	out := filepath.Join(c.dir, "signed.hex")
	args := []string{"tx", "sign", "--offline", "--wallet-name", "cold", "--output", out, "--metadata", txMeta343, "--nonce", "0", "--era", "immortal",
		"--genesis-hash", finneyGenesisHex, "--spec-version", "343", "--tx-version", "1", "--call", "Balances.transfer_keep_alive",
		"--args", `{"dest":"5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y","value":500000000}`}
	r := c.run(args...)
	if r.code != ExitUsage || !strings.Contains(r.errOut, "--password-file") {
		t.Errorf("no terminal, no password: exit %d\n%s", r.code, r.errOut)
	}
	r = c.run(append(args, "--password-file", bad)...)
	if r.code != ExitAuth {
		t.Errorf("wrong password: exit %d\n%s", r.code, r.errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("written without the key")
	}
	// On a terminal: the review first, then the prompt.
	r = c.runIO("right-password\n", true, args...)
	if r.code != 0 {
		t.Fatalf("terminal: exit %d\n%s", r.code, r.errOut)
	}
	review, prompt := strings.Index(r.errOut, "Balances.transfer_keep_alive"), strings.Index(strings.ToLower(r.errOut), "password")
	if review < 0 || prompt < 0 || prompt < review {
		t.Errorf("the review must come before the password prompt:\n%s", r.errOut)
	}
	if strings.Contains(r.out+r.errOut, "right-password") {
		t.Error("the password was echoed")
	}
	// The same extrinsic as the dev key (the same ECDSA key, deterministic signature).
	dev := c.ok(append(args[:4:4], append([]string{"//Alice"}, args[5:]...)...)...)
	if strings.TrimSpace(dev.out) != strings.TrimSpace(r.out) {
		t.Errorf("keystore wallet and dev key signed differently:\n%s\n%s", r.out, dev.out)
	}
}

// TestTxSignHotkeyAndMetadataHash: --use-hotkey signs with the wallet's hotkey; --metadata-hash
// enables CheckMetadataHash, which decode reports.
func TestTxSignHotkeyAndMetadataHash(t *testing.T) {
	t.Parallel()
	c := newTxCLI(t)
	pw := c.file("pw.txt", "hot-test-password\n")
	created := c.ok("wallet", "create", "--wallet-name", "w", "--password-file", pw, "--json")
	var w struct {
		Hotkey struct {
			Address string `json:"address"`
		} `json:"hotkey"`
		Coldkey struct {
			Address string `json:"address"`
		} `json:"coldkey"`
	}
	if err := json.Unmarshal([]byte(created.out), &w); err != nil || w.Hotkey.Address == "" {
		t.Fatalf("wallet create: %v\n%s", err, created.out)
	}
	mh := "0x" + strings.Repeat("11", 32)
	args := []string{"tx", "sign", "--offline", "--wallet-name", "w", "--password-file", pw, "--metadata", txMeta393,
		"--call", "SubtensorModule.set_weights", "--args", `{"netuid":1,"dests":[0,1],"weights":[65535,1],"version_key":0}`,
		"--nonce", "0", "--era", "immortal", "--genesis-hash", finneyGenesisHex, "--spec-version", "393", "--tx-version", "1", "--json"}
	for _, tc := range []struct {
		extra []string
		who   string
		key   string
	}{
		{nil, w.Coldkey.Address, "coldkey"},
		{[]string{"--use-hotkey"}, w.Hotkey.Address, "default"},
		{[]string{"--use-hotkey", "--metadata-hash", mh}, w.Hotkey.Address, "default"},
	} {
		r := c.ok(append(append([]string{}, args...), tc.extra...)...)
		var s txSignJSON
		if err := json.Unmarshal([]byte(r.out), &s); err != nil {
			t.Fatal(err)
		}
		if s.Signer.Address != tc.who || s.Signer.Key != tc.key {
			t.Errorf("%v: signer %+v, want %s (%s)", tc.extra, s.Signer, tc.who, tc.key)
		}
		d := c.ok("tx", "decode", s.Extrinsic, "--metadata", txMeta393, "--json")
		wantMode := `"metadata_hash_mode": "disabled"`
		if len(tc.extra) > 1 {
			wantMode = `"metadata_hash_mode": "enabled"`
			if s.MetadataHash == nil || *s.MetadataHash != mh {
				t.Errorf("metadata_hash %v", s.MetadataHash)
			}
		} else if s.MetadataHash != nil {
			t.Errorf("metadata_hash %v without --metadata-hash", *s.MetadataHash)
		}
		if !strings.Contains(d.out, wantMode) || !strings.Contains(d.out, `"address": "`+tc.who+`"`) {
			t.Errorf("%v: decode:\n%s", tc.extra, d.out)
		}
	}
}
