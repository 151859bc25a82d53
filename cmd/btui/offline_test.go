package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Every transaction command signs offline (--offline) exactly as btui tx sign --offline signs
// the same runtime call: the tests run the commands with their own flags and tx sign with the
// call and arguments spelled out, and compare the outputs byte for byte (ECDSA signatures are
// deterministic); with sr25519 keys the bytes around the randomised signature are compared and
// the signature verified. Where polkadot.js made an extrinsic of the same call
// (testdata/polkadotjs-extrinsics), the command reproduces it. No network is touched: the
// environment points BTUI_NODE at a closed port and BTUI_DATADIR at a directory that must
// never be created, so a command that opened its chain would fail or leave the devnet behind.

const (
	offGenesis = finneyGenesisHex
	offClosed  = "ws://127.0.0.1:1" // nothing listens on port 1
)

// offlineCase is one transaction command signed offline and the tx sign call it must equal.
type offlineCase struct {
	name    string   // a unique name; the command path is args up to the first flag
	args    []string // the command and its own flags (the offline flags are added)
	call    string   // Pallet.call_name of the same call for tx sign
	callArg string   // its --args JSON ({alice}, {bob}, {charlie}: the dev accounts as 0x hex; {commit}: the commit hash)
	hotkey  bool     // the command signs with the hotkey (tx sign --use-hotkey)
}

// offlineCases covers every transaction command that signs offline (the coverage test fails
// for a command with --offline that is neither here nor in offlineRefusals).
var offlineCases = []offlineCase{
	{"transfer", []string{"wallet", "transfer", "--dest", "//Bob", "--amount", "1.5"},
		"Balances.transfer_keep_alive", `{"dest":{"Id":"{bob}"},"value":1500000000}`, false},
	{"transfer allow death", []string{"wallet", "transfer", "//Bob", "0.000000001", "--allow-death"},
		"Balances.transfer_allow_death", `{"dest":{"Id":"{bob}"},"value":1}`, false},
	{"stake add unsafe", []string{"stake", "add", "--netuid", "1", "--hotkey-ss58", "//Bob", "--amount", "1", "--unsafe"},
		"SubtensorModule.add_stake", `{"hotkey":"{bob}","netuid":1,"amount_staked":1000000000}`, false},
	{"stake add limit", []string{"stake", "add", "--netuid", "64", "--hotkey-ss58", "//Bob", "--amount", "2.5", "--limit-price", "0.012", "--allow-partial"},
		"SubtensorModule.add_stake_limit", `{"hotkey":"{bob}","netuid":64,"amount_staked":2500000000,"limit_price":12000000,"allow_partial":true}`, false},
	{"stake remove unsafe", []string{"stake", "remove", "--netuid", "3", "--amount", "0.5", "--unsafe"},
		"SubtensorModule.remove_stake", `{"hotkey":"{alice}","netuid":3,"amount_unstaked":500000000}`, false},
	{"stake remove limit", []string{"stake", "remove", "--netuid", "5", "--hotkey-ss58", "//Bob", "--amount", "0.000000077", "--limit-price", "0.000000001"},
		"SubtensorModule.remove_stake_limit", `{"hotkey":"{bob}","netuid":5,"amount_unstaked":77,"limit_price":1,"allow_partial":false}`, false},
	{"stake move same subnet", []string{"stake", "move", "--origin-netuid", "1", "--dest-hotkey", "//Charlie", "--hotkey-ss58", "//Bob", "--amount", "2"},
		"SubtensorModule.move_stake", `{"origin_hotkey":"{bob}","destination_hotkey":"{charlie}","origin_netuid":1,"destination_netuid":1,"alpha_amount":2000000000}`, false},
	{"stake move across", []string{"stake", "move", "--origin-netuid", "1", "--dest-netuid", "2", "--amount", "0.000000999", "--unsafe"},
		"SubtensorModule.move_stake", `{"origin_hotkey":"{alice}","destination_hotkey":"{alice}","origin_netuid":1,"destination_netuid":2,"alpha_amount":999}`, false},
	{"stake transfer", []string{"stake", "transfer", "--origin-netuid", "0", "--dest-netuid", "19", "--dest", "//Charlie", "--hotkey-ss58", "//Bob", "--amount", "0.001", "--unsafe"},
		"SubtensorModule.transfer_stake", `{"destination_coldkey":"{charlie}","hotkey":"{bob}","origin_netuid":0,"destination_netuid":19,"alpha_amount":1000000}`, false},
	{"stake swap unsafe", []string{"stake", "swap", "--origin-netuid", "7", "--dest-netuid", "8", "--hotkey-ss58", "//Bob", "--amount", "0.000031337", "--unsafe"},
		"SubtensorModule.swap_stake", `{"hotkey":"{bob}","origin_netuid":7,"destination_netuid":8,"alpha_amount":31337}`, false},
	{"stake swap limit", []string{"stake", "swap", "--origin-netuid", "7", "--dest-netuid", "8", "--amount", "3", "--limit-price", "1.5", "--allow-partial"},
		"SubtensorModule.swap_stake_limit", `{"hotkey":"{alice}","origin_netuid":7,"destination_netuid":8,"alpha_amount":3000000000,"limit_price":1500000000,"allow_partial":true}`, false},
	{"register", []string{"subnets", "register", "--netuid", "12"},
		"SubtensorModule.burned_register", `{"netuid":12,"hotkey":"{alice}"}`, false},
	{"start", []string{"subnets", "start", "--netuid", "5"},
		"SubtensorModule.start_call", `{"netuid":5}`, false},
	{"weights set", []string{"weights", "set", "--netuid", "1", "--uids", "0,1,2", "--weights", "1,0.5,0", "--version-key", "7"},
		"SubtensorModule.set_weights", `{"netuid":1,"dests":[0,1,2],"weights":[65535,32767,0],"version_key":7}`, true},
	{"weights commit", []string{"weights", "commit", "--netuid", "3", "--uids", "1,2", "--weights", "3,4", "--salt", "5,6,7", "--version-key", "0"},
		"SubtensorModule.commit_weights", `{"netuid":3,"commit_hash":"{commit}"}`, true},
	{"weights reveal", []string{"weights", "reveal", "--netuid", "3", "--uids", "1,2", "--weights", "3,4", "--salt", "5,6,7", "--version-key", "0"},
		"SubtensorModule.reveal_weights", `{"netuid":3,"uids":[1,2],"values":[49151,65535],"salt":[5,6,7],"version_key":0}`, true},
	{"axon set", []string{"axon", "set", "--netuid", "1", "--ip", "192.222.59.109", "--port", "6028", "--version", "9011001"},
		"SubtensorModule.serve_axon", `{"netuid":1,"version":9011001,"ip":"3235789677","port":6028,"ip_type":4,"protocol":4,"placeholder1":0,"placeholder2":0}`, true},
	{"axon set v6", []string{"axon", "set", "--netuid", "2", "--ip", "2001:db8::1", "--port", "8091"},
		"SubtensorModule.serve_axon", `{"netuid":2,"version":1,"ip":"42540766411282592856903984951653826561","port":8091,"ip_type":6,"protocol":4,"placeholder1":0,"placeholder2":0}`, true},
	{"axon reset", []string{"axon", "reset", "--netuid", "1"},
		"SubtensorModule.serve_axon", `{"netuid":1,"version":1,"ip":"0","port":1,"ip_type":4,"protocol":4,"placeholder1":0,"placeholder2":0}`, true},
	{"take increase", []string{"sudo", "set-take", "--take", "0.09", "--direction", "increase"},
		"SubtensorModule.increase_take", `{"hotkey":"{alice}","take":5898}`, false},
	{"take decrease", []string{"sudo", "set-take", "--take", "0.05", "--direction", "decrease"},
		"SubtensorModule.decrease_take", `{"hotkey":"{alice}","take":3276}`, false},
	{"identity", []string{"wallet", "set-identity", "--id-name", "Open Lab", "--web-url", "https://example.org", "--discord", "lab#1"},
		"SubtensorModule.set_identity", `{"name":"` + hx("Open Lab") + `","url":"` + hx("https://example.org") + `","github_repo":"0x","image":"0x","discord":"` + hx("lab#1") + `","description":"0x","additional":"0x"}`, false},
	{"subnet identity", []string{"subnets", "set-identity", "--netuid", "2", "--subnet-name", "Open Lab", "--logo-url", "https://example.org/l.png"},
		"SubtensorModule.set_subnet_identity", `{"netuid":2,"subnet_name":"` + hx("Open Lab") + `","github_repo":"0x","subnet_contact":"0x","subnet_url":"0x","discord":"0x","description":"0x","logo_url":"` + hx("https://example.org/l.png") + `","additional":"0x"}`, false},
	{"swap hotkey", []string{"wallet", "swap-hotkey", "//Bob"},
		"SubtensorModule.swap_hotkey", `{"hotkey":"{alice}","new_hotkey":"{bob}","netuid":null}`, false},
	{"swap coldkey", []string{"wallet", "swap-coldkey", "--new-coldkey", "//Charlie"},
		"SubtensorModule.schedule_swap_coldkey", `{"new_coldkey":"{charlie}"}`, false},
}

// offlineRefusals are the transaction commands that refuse --offline, with what the refusal
// says (exit 2, nothing written).
var offlineRefusals = map[string]struct {
	args []string
	want string
}{
	"subnets create":       {[]string{"subnets", "create"}, "register_network takes no lock-cost limit"},
	"subnets pow-register": {[]string{"subnets", "pow-register", "--netuid", "1"}, "proof of work seals the hash of a block"},
	"sudo set":             {[]string{"sudo", "set", "--netuid", "1", "--param", "tempo", "--value", "360"}, "AdminUtils"},
}

func hx(s string) string { return "0x" + hex.EncodeToString([]byte(s)) }

// commandPath is the command of args: the words before the first flag or positional value.
func (c offlineCase) commandPath() string {
	var words []string
	for _, a := range c.args {
		if strings.HasPrefix(a, "-") || strings.HasPrefix(a, "//") || len(words) == 2 {
			break
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}

// offlineFlags are the offline values of a signature: metadata spec 393, nonce, era, tip.
func offlineFlags(meta string, nonce uint64, mortal bool, tip string) []string {
	a := []string{"--offline", "--metadata", meta, "--nonce", strconv.FormatUint(nonce, 10), "--tip", tip,
		"--genesis-hash", offGenesis, "--spec-version", map[string]string{txMeta343: "343", txMeta393: "393"}[meta], "--tx-version", "1"}
	if mortal {
		return append(a, "--era", "64", "--block-number", "6852672", "--block-hash", txBlock)
	}
	return append(a, "--era", "immortal")
}

// offEnv is a clean environment whose node is a closed port and whose devnet directory must
// stay absent.
type offEnv struct {
	dir, datadir string
	vars         map[string]string
}

func newOffEnv(t *testing.T) *offEnv {
	dir := t.TempDir()
	e := &offEnv{dir: dir, datadir: filepath.Join(dir, "devnet")}
	e.vars = map[string]string{
		"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "config"), "XDG_DATA_HOME": filepath.Join(dir, "data"),
		"BTUI_WALLET_PATH": filepath.Join(dir, "wallets"), "BTUI_NODE": offClosed, "BTUI_DATADIR": e.datadir,
	}
	return e
}

// run runs the real binary with exactly e's environment.
func (e *offEnv) run(t *testing.T, bin string, args ...string) txCmdResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return txCmdResult{code, out.String(), errOut.String()}
}

func (e *offEnv) ok(t *testing.T, bin string, args ...string) txCmdResult {
	t.Helper()
	r := e.run(t, bin, args...)
	if r.code != 0 {
		t.Fatalf("btui %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.errOut)
	}
	return r
}

// devHex is a dev account as 0x hex under scheme.
func devHex(t *testing.T, scheme wallet.Scheme, name string) string {
	t.Helper()
	kp, err := wallet.DevPair(scheme, name)
	if err != nil {
		t.Fatal(err)
	}
	defer kp.Zero()
	id := kp.AccountID()
	return "0x" + hex.EncodeToString(id[:])
}

// callArgs fills a case's --args for tx sign with the accounts of scheme.
func (c offlineCase) callArgs(t *testing.T, scheme wallet.Scheme) string {
	alice := devHex(t, scheme, "//Alice")
	var aliceID wallet.AccountID
	copy(aliceID[:], mustHex(t, alice))
	commit := protocol.WeightsCommitHash(aliceID, 3, []uint16{1, 2}, []uint16{49151, 65535}, []uint16{5, 6, 7}, 0)
	return strings.NewReplacer("{alice}", alice, "{bob}", devHex(t, scheme, "//Bob"), "{charlie}", devHex(t, scheme, "//Charlie"),
		"{commit}", "0x"+hex.EncodeToString(commit[:])).Replace(c.callArg)
}

// TestOfflineCommandsEqualTxSign signs every case with its command and with tx sign, ECDSA,
// through the real binary: both outputs (the hex and the --json document) byte for byte.
func TestOfflineCommandsEqualTxSign(t *testing.T) {
	t.Parallel()
	bin := buildBtui(t)
	e := newOffEnv(t)
	for i, c := range offlineCases {
		meta := []string{txMeta343, txMeta393}[i%2]
		off := offlineFlags(meta, uint64(1000+i), i%3 != 0, strconv.Itoa(i*1000))
		signer := []string{"--wallet-name", "//Alice"}
		for _, json := range []bool{false, true} {
			cmdArgs := append(append(append([]string{}, c.args...), off...), signer...)
			signArgs := append(append([]string{"tx", "sign", "--call", c.call, "--args", c.callArgs(t, wallet.Ecdsa)}, off...), signer...)
			if c.hotkey {
				signArgs = append(signArgs, "--use-hotkey")
			}
			if json {
				cmdArgs, signArgs = append(cmdArgs, "--json"), append(signArgs, "--json")
			}
			got := e.ok(t, bin, cmdArgs...)
			want := e.ok(t, bin, signArgs...)
			if got.out != want.out {
				t.Errorf("%s (json %v): the command's output differs from tx sign's\ncommand: %s\ntx sign: %s", c.name, json, got.out, want.out)
			}
			if !json && (!strings.HasPrefix(got.out, "0x") || strings.Count(got.out, "\n") != 1) {
				t.Errorf("%s: stdout %q is not one 0x line", c.name, got.out)
			}
			// The review names the signer, the call with its arguments, the era, the nonce and
			// the network of the genesis hash, before signing.
			for _, w := range []string{"(offline, not submitted)", "signer", c.call, "era", "nonce      " + strconv.Itoa(1000+i), "(finney)"} {
				if !strings.Contains(got.errOut, w) {
					t.Errorf("%s: the review lacks %q:\n%s", c.name, w, got.errOut)
				}
			}
		}
	}
	if _, err := os.Stat(e.datadir); !os.IsNotExist(err) {
		t.Errorf("the devnet directory %s was created (err %v): an offline command opened the chain", e.datadir, err)
	}
}

// TestOfflineCommandsSr25519 signs every case with sr25519 dev keys: the signature is
// randomised, so the extrinsics must be equal but for the 64 signature bytes, and both
// signatures must verify over the same payload.
func TestOfflineCommandsSr25519(t *testing.T) {
	t.Parallel()
	c := newTxCLI(t)
	c.env["BTUI_NODE"], c.env["BTUI_DATADIR"] = offClosed, filepath.Join(c.dir, "devnet")
	m := txMetadata(t, txMeta393)
	genesis, _ := substrate.ParseHash(offGenesis)
	birth, _ := substrate.ParseHash(txBlock)
	for i, tc := range offlineCases {
		off := append(offlineFlags(txMeta393, uint64(i), true, "0"), "--wallet-name", "//Alice", "--crypto-type", "sr25519", "--json")
		got := c.ok(append(append([]string{}, tc.args...), off...)...)
		signArgs := append([]string{"tx", "sign", "--call", tc.call, "--args", tc.callArgs(t, wallet.Sr25519)}, off...)
		if tc.hotkey {
			signArgs = append(signArgs, "--use-hotkey")
		}
		want := c.ok(signArgs...)
		var a, b txSignJSON
		if err := json.Unmarshal([]byte(got.out), &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(want.out), &b); err != nil {
			t.Fatal(err)
		}
		if a.Signer.Scheme != "sr25519" || a.Signer != b.Signer || a.Call.Hex != b.Call.Hex || a.Length != b.Length {
			t.Errorf("%s: signer %+v call %s, tx sign's %+v %s", tc.name, a.Signer, a.Call.Hex, b.Signer, b.Call.Hex)
			continue
		}
		p := substrate.TxParams{Genesis: genesis, SpecVersion: 393, TxVersion: 1, BirthHash: birth}
		var sigs [2][]byte
		for k, x := range []string{a.Extrinsic, b.Extrinsic} {
			dx, err := m.DecodeExtrinsic(mustHex(t, x))
			if err != nil {
				t.Fatal(err)
			}
			if err := m.VerifyExtrinsic(dx, p); err != nil {
				t.Errorf("%s: extrinsic %d does not verify: %v", tc.name, k, err)
			}
			sigs[k] = dx.Signature
		}
		ab, bb := mustHex(t, a.Extrinsic), mustHex(t, b.Extrinsic)
		at := bytes.Index(ab, sigs[0])
		bt := bytes.Index(bb, sigs[1])
		if at != bt || string(ab[:at]) != string(bb[:bt]) || string(ab[at+64:]) != string(bb[bt+64:]) {
			t.Errorf("%s: the unsigned parts differ\ncommand: %s\ntx sign: %s", tc.name, a.Extrinsic, b.Extrinsic)
		}
	}
}

// TestOfflineCoverage walks the command tree: every command with --offline (a transaction
// command) is signed by a case of offlineCases or refused in offlineRefusals, and every
// entry names a real command.
func TestOfflineCoverage(t *testing.T) {
	io, _, _ := NewTestIO("", false)
	root := NewRootCmd(NewFactory(io))
	covered := map[string]bool{}
	for _, c := range offlineCases {
		covered[c.commandPath()] = true
	}
	for p := range offlineRefusals {
		covered[p] = true
	}
	var withOffline []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Flags().Lookup("offline") != nil {
			p := strings.TrimPrefix(c.CommandPath(), "btui ")
			withOffline = append(withOffline, p)
			if p != "tx sign" && !covered[p] {
				t.Errorf("btui %s takes --offline but no offline case signs with it nor refusal covers it: add it to offlineCases or offlineRefusals", p)
			}
			for _, fl := range append([]string{"offline"}, offlineValueFlags...) {
				if c.Flags().Lookup(fl) == nil {
					t.Errorf("btui %s lacks --%s", p, fl)
				}
			}
		} else if c.Flags().Lookup("password-file") != nil && c.Flags().Lookup("dry-run") != nil {
			t.Errorf("btui %s is a transaction command without --offline", c.CommandPath())
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	sort.Strings(withOffline)
	for p := range covered {
		if !strings.Contains(","+strings.Join(withOffline, ",")+",", ","+p+",") {
			t.Errorf("%q is covered but is not a command with --offline (commands with it: %v)", p, withOffline)
		}
	}
	if len(withOffline) < 22 {
		t.Errorf("%d commands take --offline, want tx sign and the 21 transaction commands: %v", len(withOffline), withOffline)
	}
}

// vectorCommands are the polkadot.js vectors a transaction command can express, by the
// vector's call and signer: the command's own flags (the hotkey 0x3f6e… is ECDSA //Bob's;
// 5FLSig… an address of the vectors). The others are calls no command makes (root_register,
// unstake_all, transfer_all), arguments a command cannot give (an arbitrary commit hash, a
// u64::MAX unstake, weights that are not max-normalised) or signers of those.
var vectorCommands = map[string][]string{
	"SubtensorModule.add_stake ecdsa//Alice":          {"stake", "add", "--netuid", "1", "--hotkey-ss58", "//Bob", "--amount", "1", "--unsafe"},
	"Balances.transfer_keep_alive ecdsa//Bob":         {"wallet", "transfer", "--dest", "//Bob", "--amount", "0.5"},
	"SubtensorModule.add_stake_limit ecdsa//Alice":    {"stake", "add", "--netuid", "64", "--hotkey-ss58", "//Bob", "--amount", "2.5", "--limit-price", "0.012", "--allow-partial"},
	"SubtensorModule.remove_stake_limit ecdsa//Bob":   {"stake", "remove", "--netuid", "5", "--amount", "0.000000077", "--limit-price", "0.000000001"},
	"SubtensorModule.swap_stake ecdsa//Alice":         {"stake", "swap", "--origin-netuid", "7", "--dest-netuid", "8", "--hotkey-ss58", "//Bob", "--amount", "0.000031337", "--unsafe"},
	"SubtensorModule.burned_register ecdsa//Bob":      {"subnets", "register", "--netuid", "12"},
	"Balances.transfer_allow_death sr25519//Alice":    {"wallet", "transfer", "--dest", "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y", "--amount", "123.456789012", "--allow-death"},
	"SubtensorModule.move_stake sr25519//Alice":       {"stake", "move", "--origin-netuid", "1", "--dest-netuid", "2", "--hotkey-ss58", "{bob}", "--dest-hotkey", "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y", "--amount", "0.000000999", "--unsafe"},
	"SubtensorModule.transfer_stake sr25519//Charlie": {"stake", "transfer", "--origin-netuid", "0", "--dest-netuid", "19", "--hotkey-ss58", "{bob}", "--dest", "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y", "--amount", "0.001", "--unsafe"},
	"SubtensorModule.serve_axon sr25519//Alice":       {"axon", "set", "--netuid", "1", "--ip", "192.222.59.109", "--port", "6028", "--version", "9011001"},
	"SubtensorModule.set_weights sr25519//Charlie":    {"weights", "set", "--netuid", "1", "--uids", "0,1,2,1023", "--weights", "65535,1,0,7", "--version-key", "21706"},
}

// TestOfflineCommandsPolkadotJSVectors makes the polkadot.js extrinsics with the commands:
// ECDSA byte for byte; sr25519 equal but for the signature, which verifies over polkadot.js's
// payload.
func TestOfflineCommandsPolkadotJSVectors(t *testing.T) {
	t.Parallel()
	c := newTxCLI(t)
	c.env["BTUI_NODE"], c.env["BTUI_DATADIR"] = offClosed, filepath.Join(c.dir, "devnet")
	bob := wallet.AccountID{}
	copy(bob[:], mustHex(t, devHex(t, wallet.Ecdsa, "//Bob")))
	seen := map[string]int{}
	for _, v := range txVectors(t) {
		key := v.Pallet + "." + v.Call + " " + v.Signer
		args, ok := vectorCommands[key]
		if !ok {
			continue
		}
		seen[key]++
		scheme, dev, _ := strings.Cut(v.Signer, "//")
		a := append([]string{}, args...)
		for i := range a {
			a[i] = strings.ReplaceAll(a[i], "{bob}", bob.SS58())
		}
		a = append(a, "--offline", "--metadata", v.metaFile(), "--wallet-name", "//"+dev, "--crypto-type", scheme,
			"--nonce", strconv.FormatUint(v.Nonce, 10), "--tip", v.Tip, "--genesis-hash", v.Genesis,
			"--spec-version", strconv.Itoa(int(v.SpecVersion)), "--tx-version", strconv.Itoa(int(v.TransactionVersion)), "--json")
		if v.Era.Immortal {
			a = append(a, "--era", "immortal")
		} else {
			a = append(a, "--era", strconv.FormatUint(v.Era.Period, 10), "--block-number", strconv.FormatUint(v.Era.Current, 10), "--block-hash", v.Era.BlockHash)
		}
		r := c.ok(a...)
		var got txSignJSON
		if err := json.Unmarshal([]byte(r.out), &got); err != nil {
			t.Fatal(err)
		}
		if got.Call.Hex != v.CallHex {
			t.Errorf("%s: call %s, want polkadot.js's %s", v.Name, got.Call.Hex, v.CallHex)
			continue
		}
		if scheme == "ecdsa" {
			if got.Extrinsic != v.ExtrinsicHex || got.Hash != v.Hash {
				t.Errorf("%s: extrinsic\n got %s\nwant %s", v.Name, got.Extrinsic, v.ExtrinsicHex)
			}
			continue
		}
		m := txMetadata(t, v.metaFile())
		ours, err := m.DecodeExtrinsic(mustHex(t, got.Extrinsic))
		if err != nil {
			t.Fatal(err)
		}
		x, y := mustHex(t, got.Extrinsic), mustHex(t, v.ExtrinsicHex)
		at := bytes.Index(x, ours.Signature)
		if len(x) != len(y) || string(x[:at]) != string(y[:at]) || string(x[at+64:]) != string(y[at+64:]) {
			t.Errorf("%s: bytes around the signature differ\n got %s\nwant %s", v.Name, got.Extrinsic, v.ExtrinsicHex)
		}
		payload := substrate.SigningPayload(mustHex(t, v.PayloadHex), nil, nil)
		if err := wallet.VerifyScheme(wallet.Sr25519, payload, ours.Signature, ours.Signer); err != nil {
			t.Errorf("%s: the command's signature does not verify over polkadot.js's payload: %v", v.Name, err)
		}
	}
	for key := range vectorCommands {
		if seen[key] != 2 {
			t.Errorf("vector %s seen %d times, want 2 (spec 343 and 393)", key, seen[key])
		}
	}
}

// TestOfflineBadInput: a missing offline value is named, an input that needs the chain's
// state is refused by name, offline flags without --offline and --offline with a network or a
// dry run are refused, each with exit 2, before the key is unlocked (the password given is
// wrong: an unlock would exit 4) and with nothing written.
func TestOfflineBadInput(t *testing.T) {
	t.Parallel()
	c := newTxCLI(t)
	datadir := filepath.Join(c.dir, "devnet")
	c.env["BTUI_NODE"], c.env["BTUI_DATADIR"] = offClosed, datadir
	pw := c.file("pw.txt", "offline-test-password\n")
	wrong := c.file("wrong.txt", "not-the-password\n")
	c.ok("wallet", "regen-coldkey", "--wallet-name", "cold", "--uri", "//Alice", "--crypto-type", "ecdsa", "--password-file", pw, "--json")
	c.ok("wallet", "regen-hotkey", "--wallet-name", "cold", "--wallet-hotkey", "default", "--uri", "//Charlie", "--crypto-type", "ecdsa", "--password-file", pw, "--json")
	out := filepath.Join(c.dir, "out.hex")
	off := func(drop ...string) []string {
		a := offlineFlags(txMeta393, 0, false, "0")
		for _, d := range drop {
			for i := 0; i < len(a); i++ {
				if a[i] == d {
					a = append(a[:i], a[i+2:]...)
				}
			}
		}
		return append(a, "--wallet-name", "cold", "--password-file", wrong, "--output", out)
	}
	stake := []string{"stake", "add", "--netuid", "1", "--amount", "1", "--unsafe"}
	with := func(cmd []string, rest ...string) []string { return append(append([]string{}, cmd...), rest...) }
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing nonce", with(stake, off("--nonce")...), "missing --nonce"},
		{"missing metadata and genesis", with(stake, off("--metadata", "--genesis-hash")...), "missing --metadata, --genesis-hash"},
		{"mortal without its block", with(stake, append(off("--era"), "--era", "64")...), "missing --block-number, --block-hash"},
		{"block with immortal", with(stake, append(off(), "--block-number", "5", "--block-hash", txBlock)...), "drop them with --era immortal"},
		{"spec mismatch", with(stake, append(off("--spec-version"), "--spec-version", "343")...), "--spec-version 343"},
		{"bad genesis", with(stake, append(off("--genesis-hash"), "--genesis-hash", "0x12")...), "--genesis-hash"},
		{"transfer all", with([]string{"wallet", "transfer", "--dest", "//Bob", "--all"}, off()...), "--all with --offline"},
		{"stake remove all", with([]string{"stake", "remove", "--netuid", "1", "--all", "--unsafe"}, off()...), "--all with --offline"},
		{"safe trade", with([]string{"stake", "add", "--netuid", "1", "--amount", "1"}, off()...), "--limit-price"},
		{"tolerance", with([]string{"stake", "remove", "--netuid", "1", "--amount", "1", "--tolerance", "0.01"}, off()...), "--tolerance with --offline"},
		{"swap safe", with([]string{"stake", "swap", "--origin-netuid", "1", "--dest-netuid", "2", "--amount", "1"}, off()...), "--limit-price"},
		{"move across guarded", with([]string{"stake", "move", "--origin-netuid", "1", "--dest-netuid", "2", "--amount", "1"}, off()...), "--unsafe"},
		{"move limit", with([]string{"stake", "move", "--origin-netuid", "1", "--dest-hotkey", "//Bob", "--amount", "1", "--limit-price", "1"}, off()...), "--limit-price: this call takes no limit price"},
		{"weights version", with([]string{"weights", "set", "--netuid", "1", "--uids", "1", "--weights", "1"}, off()...), "--version-key"},
		{"commit salt", with([]string{"weights", "commit", "--netuid", "1", "--uids", "1", "--weights", "1", "--version-key", "0"}, off()...), "--salt is required with --offline"},
		{"auto reveal", with([]string{"weights", "commit", "--netuid", "1", "--uids", "1", "--weights", "1", "--version-key", "0", "--salt", "1", "--auto-reveal"}, off()...), "--auto-reveal with --offline"},
		{"take direction", with([]string{"sudo", "set-take", "--take", "0.1"}, off()...), "--direction"},
		{"max burn", with([]string{"subnets", "register", "--netuid", "1", "--max-burn", "1"}, off()...), "--max-burn with --offline"},
		{"swap status", with([]string{"wallet", "swap-coldkey", "--status"}, off()...), "--status with --offline"},
		{"nonce online", with(stake, "--nonce", "3", "--wallet-name", "cold"), "--nonce is for signing offline: add --offline"},
		{"metadata online", with([]string{"axon", "reset", "--netuid", "1"}, "--metadata", txMeta393, "--era", "immortal"), "--metadata, --era are for signing offline"},
		{"limit online", with([]string{"stake", "add", "--netuid", "1", "--amount", "1", "--limit-price", "1"}, "--wallet-name", "cold"), "--limit-price is for signing with --offline"},
		{"fan out", with([]string{"stake", "add", "--netuids", "1,2", "--amount", "1", "--unsafe"}, off()...), "several positions"},
		{"all hotkeys", with([]string{"stake", "remove", "--netuid", "1", "--all-hotkeys", "--amount", "1", "--unsafe"}, off()...), "several positions"},
		{"devnet-only", with([]string{"devnet", "faucet"}, off()...), "`btui devnet faucet` signs nothing for a subtensor network"},
		{"swap to itself", with([]string{"wallet", "swap-hotkey", "default"}, off()...), "NEW_HOTKEY is the hotkey being swapped"},
		{"network", with(stake, append(off(), "--network", "finney")...), "drop --network"},
		{"dry run", with(stake, append(off(), "--dry-run")...), "--dry-run"},
		{"password on argv", with(stake, append(off(), "--password", "x")...), "never takes a password on the command line"},
		{"identity password on argv", with([]string{"wallet", "set-identity", "--id-name", "x"}, append(off(), "--password", "x")...), "never takes a password on the command line"},
	}
	for name, r := range offlineRefusals {
		cases = append(cases, struct {
			name string
			args []string
			want string
		}{name, with(r.args, off()...), r.want})
	}
	for _, tc := range cases {
		r := c.run(tc.args...)
		if r.code != ExitUsage || !strings.Contains(r.errOut, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 naming %q", tc.name, r.code, r.errOut, tc.want)
		}
		if strings.Contains(r.errOut, "Sign, offline") || r.out != "" {
			t.Errorf("%s: got as far as the review or output:\n%s%s", tc.name, r.errOut, r.out)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("%s: %s was written", tc.name, out)
		}
	}
	// sudo is devnet-only online, so without a node: the devnet is not opened either.
	delete(c.env, "BTUI_NODE")
	if r := c.run("sudo", "set-take", "--take", "0.1", "--direction", "increase", "--wallet-name", "cold"); r.code != ExitUsage || !strings.Contains(r.errOut, "--direction is for signing with --offline") {
		t.Errorf("--direction online: exit %d, stderr %q", r.code, r.errOut)
	}
	c.env["BTUI_NODE"] = offClosed

	// The same inputs, valid: the wrong password is refused (exit 4) after the review, with
	// nothing written; the right one signs what tx sign signs with that wallet, byte for byte.
	r := c.run(with(stake, off()...)...)
	if r.code != ExitAuth || !strings.Contains(r.errOut, "Sign, offline") {
		t.Errorf("wrong password: exit %d, stderr %q; want 4 after the review", r.code, r.errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("wrong password: %s was written", out)
	}
	good := func(a []string) []string {
		for i := range a {
			if a[i] == wrong {
				a[i] = pw
			}
		}
		return a
	}
	got := c.ok(good(with([]string{"stake", "add", "--netuid", "1", "--hotkey-ss58", "//Bob", "--amount", "1", "--unsafe"}, off()...))...)
	file, err := os.ReadFile(out)
	if err != nil || string(file) != got.out {
		t.Errorf("--output %q (%v), stdout %q", file, err, got.out)
	}
	want := c.ok(good(with([]string{"tx", "sign", "--call", "SubtensorModule.add_stake", "--args",
		`{"hotkey":"` + devHex(t, wallet.Ecdsa, "//Bob") + `","netuid":1,"amount_staked":1000000000}`}, off()...))...)
	if got.out != want.out || !strings.HasPrefix(got.out, "0x") {
		t.Errorf("keystore wallet: the command signed %q, tx sign %q", got.out, want.out)
	}
	if _, err := os.Stat(datadir); !os.IsNotExist(err) {
		t.Errorf("the devnet directory was created: an offline command opened the chain")
	}
}
