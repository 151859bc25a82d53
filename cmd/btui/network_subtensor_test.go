package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/chainclient/substrate/substratetest"
	"github.com/btui/btui/wallet"
)

// These tests run the real btui binary against a subtensor node made of recorded finney
// traffic (testdata/subtensor, replayed on loopback by substrate.ReplayHandler): any request
// the recordings do not hold fails the test. Besides a seed's own answers the replay knows
// only facts that do not change (substrate's fixtures README): finney's genesis hash, the
// metadata answer and the runtime version it declares, system_chain "Bittensor" and finney's
// system_properties.

const subtensorTestdata = "../../testdata/subtensor/"

func gunzipTestdata(t testing.TB, path string) []byte {
	t.Helper()
	return substratetest.Gunzip(t, path)
}

// replayNode serves one recorded seed as a subtensor node on loopback
// (substratetest.NewNode); it returns the node's ws:// URL and the replay (tests add answers
// the seed lacks, each documented where added).
func replayNode(t testing.TB, file, seed, meta string) (string, *substrate.Replay) {
	t.Helper()
	n := substratetest.NewNode(t, subtensorTestdata, file, seed, meta)
	return n.Serve(t), n.Replay
}

// sharedBtui is the package's one btui binary (buildBtui) for the subtensor tests and
// benchmarks; it skips with -short.
func sharedBtui(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	return buildBtui(t)
}

// runBtui runs the binary with a clean environment; it returns stdout, stderr and the exit code.
func runBtui(t testing.TB, bin string, args ...string) (string, string, int) {
	t.Helper()
	home := t.TempDir()
	return execBtui(t, bin, []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "XDG_STATE_HOME=" + home}, args...)
}

// execBtui runs bin with exactly env (nothing of the test process's environment) and returns
// stdout, stderr and the exit code; a binary that cannot be started fails the test.
func execBtui(t testing.TB, bin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// TestSubtensorSubnetsShow: `btui --network ws://… subnets show --netuid 1 --json` on the
// recorded finney block 6,852,690 gives the values polkadot.js decoded from the same bytes
// (testdata/polkadotjs-extrinsics/metagraph-expect.json.gz).
func TestSubtensorSubnetsShow(t *testing.T) {
	t.Parallel()
	bin := sharedBtui(t)
	url, _ := replayNode(t, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	out, errOut, code := runBtui(t, bin, "--network", url, "subnets", "show", "--netuid", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got subnetsShowJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %.300s", err, out)
	}
	var pjs struct {
		Metagraph struct {
			Netuid       int      `json:"netuid"`
			OwnerHotkey  string   `json:"owner_hotkey"`
			OwnerColdkey string   `json:"owner_coldkey"`
			RegisteredAt string   `json:"network_registered_at"`
			Block        string   `json:"block"`
			Tempo        string   `json:"tempo"`
			LastStep     string   `json:"last_step"`
			AlphaIn      string   `json:"alpha_in"`
			TaoIn        string   `json:"tao_in"`
			Burn         string   `json:"burn"`
			NumUIDs      string   `json:"num_uids"`
			MaxUIDs      string   `json:"max_uids"`
			Hotkeys      []string `json:"hotkeys"`
			Coldkeys     []string `json:"coldkeys"`
			AlphaStake   []string `json:"alpha_stake"`
			Permits      []bool   `json:"validator_permit"`
		} `json:"metagraph"`
	}
	if err := json.Unmarshal(gunzipTestdata(t, "../../testdata/polkadotjs-extrinsics/metagraph-expect.json.gz"), &pjs); err != nil {
		t.Fatal(err)
	}
	e := pjs.Metagraph
	dec := func(s string) uint64 {
		v, ok := new(big.Int).SetString(s, 10)
		if !ok || !v.IsUint64() {
			t.Fatalf("polkadot.js value %q", s)
		}
		return v.Uint64()
	}
	si, mg := got.Subnet, got.Metagraph
	if si.Netuid != 1 || si.Owner.SS58() != e.OwnerColdkey || si.OwnerHotkey.SS58() != e.OwnerHotkey || si.RegisteredAt != dec(e.RegisteredAt) ||
		uint64(si.Tempo) != dec(e.Tempo) || si.LastEpoch != dec(e.LastStep) || si.TaoIn != dec(e.TaoIn) || si.AlphaIn != dec(e.AlphaIn) ||
		si.BurnCost != dec(e.Burn) || uint64(si.Neurons) != dec(e.NumUIDs) || uint64(si.MaxNeurons) != dec(e.MaxUIDs) {
		t.Errorf("subnet row %+v\npolkadot.js %+v", si, e)
	}
	// The spot price is tao_in·1e9/alpha_in rao per alpha.
	wantPrice := new(big.Int).Div(new(big.Int).Mul(new(big.Int).SetUint64(dec(e.TaoIn)), big.NewInt(1e9)), new(big.Int).SetUint64(dec(e.AlphaIn)))
	if si.Price != wantPrice.Uint64() {
		t.Errorf("price %d, want %d", si.Price, wantPrice)
	}
	if mg == nil || mg.Netuid != 1 || mg.Block != dec(e.Block) || len(mg.Neurons) != len(e.Hotkeys) || len(e.Hotkeys) != 1024 {
		t.Fatalf("metagraph %+v", mg)
	}
	for i, n := range mg.Neurons {
		if n.Hotkey.SS58() != e.Hotkeys[i] || n.Coldkey.SS58() != e.Coldkeys[i] || n.Stake != dec(e.AlphaStake[i]) || n.Permit != e.Permits[i] {
			t.Fatalf("uid %d: %s %s stake %d permit %v; polkadot.js %s %s %s %v", i, n.Hotkey, n.Coldkey, n.Stake, n.Permit,
				e.Hotkeys[i], e.Coldkeys[i], e.AlphaStake[i], e.Permits[i])
		}
	}
}

// TestSubtensorHyperparameters: `subnets hyperparameters --netuid 1 --json` shows the
// recorded mechagraph's values (polkadot.js: kappa 32,767, rho 10, immunity 7,200, max
// validators 128, weights version 21,706, commit-reveal on) and no row the metagraph lacks.
func TestSubtensorHyperparameters(t *testing.T) {
	t.Parallel()
	bin := sharedBtui(t)
	url, _ := replayNode(t, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	out, errOut, code := runBtui(t, bin, "--network", url, "subnets", "hyperparameters", "--netuid", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got hyperparamsJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	vals := map[string]string{}
	for _, r := range got.Hyperparameters {
		b, _ := json.Marshal(r.Value)
		vals[r.Name] = string(b)
	}
	for name, want := range map[string]string{"kappa": "32767", "rho": "10", "immunity_period": "7200", "max_allowed_validators": "128",
		"weights_version_key": "21706", "commit_reveal": "true", "tempo": "99", "max_allowed_uids": "1024"} {
		if vals[name] != want {
			t.Errorf("%s = %s, want %s", name, vals[name], want)
		}
	}
	for _, name := range chainclient.HyperparamsUnknownOnSubtensor {
		if _, ok := vals[name]; ok {
			t.Errorf("%s shown, but a subtensor metagraph does not carry it", name)
		}
	}
}

// TestSubtensorWalletBalance: `wallet balance ADDRESS` reads System.Account as recorded (the
// get_balance seed: free 7,450,117,072 rao, spec §2.3 and polkadot.js). The seed did not read
// stake: the replay answers get_stake_info_for_coldkey with an empty list (0x00), so the
// staked total is 0.
func TestSubtensorWalletBalance(t *testing.T) {
	t.Parallel()
	bin := sharedBtui(t)
	url, r := replayNode(t, "finney-sdk-recordings.json.gz", "get_balance", "metadata-v15-spec343")
	const addr = "5CUkpcUWSSMKMdNUW23sfUke6WCkoYXixR4CPBDCLpvxLmSi"
	id, err := wallet.ParseAddress(addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Add("state_call", []any{"StakeInfoRuntimeApi_get_stake_info_for_coldkey", "0x" + hex.EncodeToString(id[:]), nil}, "0x00"); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runBtui(t, bin, "--network", url, "wallet", "balance", addr, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got walletBalanceJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(got.Balances) != 1 || got.Balances[0].Address.SS58() != addr || got.Balances[0].Free != 7_450_117_072 || got.Totals.Total != 7_450_117_072 {
		t.Errorf("balance %+v", got)
	}
}

// TestSubtensorDevnetOnly: devnet-only commands refuse a subtensor network (exit 2) before
// connecting: the replay sees no request.
func TestSubtensorDevnetOnly(t *testing.T) {
	t.Parallel()
	bin := sharedBtui(t)
	url, r := replayNode(t, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	for _, args := range [][]string{{"devnet", "advance", "1"}, {"devnet", "faucet", "//Alice", "1"}, {"devnet", "simulate", "demo"}, {"devnet", "pause"}} {
		_, errOut, code := runBtui(t, bin, append([]string{"--network", url}, args...)...)
		if code != ExitUsage || !strings.Contains(errOut, "devnet-only") {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
	if calls := r.Calls(); len(calls) != 0 {
		t.Errorf("a devnet-only command connected: %v", calls)
	}
}

// BenchmarkSubtensorSubnetsShowCold: a cold `btui --network ws://… subnets show --netuid 1`
// (a new process: connect, metadata V15, the recorded 1,024-uid mechagraph, the table) against
// the recordings served on loopback.
func BenchmarkSubtensorSubnetsShowCold(b *testing.B) {
	bin := sharedBtui(b)
	url, _ := replayNode(b, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	home := b.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home}
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(bin, "--network", url, "subnets", "show", "--netuid", "1")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %.500s", err, out)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	// The btui process's own CPU time (user + system), apart from the replay server's.
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "btui-cpu-ms/op")
}

// TestConsoleNetworkLabel: the console's header names the subtensor network, and says real
// TAO when the node's genesis is finney's whatever URL reached it.
func TestConsoleNetworkLabel(t *testing.T) {
	t.Parallel()
	url, _ := replayNode(t, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	n, err := chainclient.ResolveNetwork(url)
	if err != nil {
		t.Fatal(err)
	}
	c, err := dialSubtensor(n)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, want := consoleNetworkLabel(n, c), url+" (real TAO)"; got != want {
		t.Errorf("label %q, want %q", got, want)
	}
}

// TestTxNetworkFinney: a transaction's preview and confirmation name the network, and say real
// TAO on a node whose genesis is finney's, even when it was reached by a plain URL.
func TestTxNetworkFinney(t *testing.T) {
	t.Parallel()
	url, _ := replayNode(t, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	f := NewFactory(&IOStreams{})
	f.Env = cleanEnv(t)
	f.Opts.Node = url
	c, err := f.Client()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := &chainSession{f: f, ctx: t.Context(), c: c, m: c}
	n, err := s.network()
	if err != nil {
		t.Fatal(err)
	}
	if !n.RealTAO || n.Genesis.String() != chainclient.FinneyGenesis || !strings.HasPrefix(n.Name, "finney (") {
		t.Errorf("network %+v", n)
	}
	if p := n.prompt(); !strings.Contains(p, "finney") || !strings.Contains(p, "real TAO") {
		t.Errorf("prompt %q", p)
	}
	if l := n.line(); l.Label != "network" || !strings.Contains(l.Value, "real TAO") || strings.Count(l.Value, url) != 1 {
		t.Errorf("preview line %+v", l)
	}
}

// TestSubtensorStakeList: `stake list --ss58 ADDRESS --json` on a spec-393 node. No recording
// read stake, so the node answers get_stake_info_for_coldkey and get_all_dynamic_info with the
// bytes polkadot.js encoded from known values (testdata/polkadotjs-extrinsics/views.json);
// the positions and their TAO value at the spot price tao_in·1e9/alpha_in follow from those
// values.
func TestSubtensorStakeList(t *testing.T) {
	t.Parallel()
	bin := sharedBtui(t)
	url, r := replayNode(t, "finney-spec393-recordings.json.gz", "test_get_payment_info", "metadata-v15-spec393")
	raw, err := os.ReadFile("../../testdata/polkadotjs-extrinsics/views.json")
	if err != nil {
		t.Fatal(err)
	}
	var views []struct {
		API, Method, Hex string
	}
	if err := json.Unmarshal(raw, &views); err != nil {
		t.Fatal(err)
	}
	const alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	id, _ := wallet.ParseAddress(alice)
	for _, v := range views {
		switch v.Method {
		case "get_stake_info_for_coldkey":
			err = r.Add("state_call", []any{v.API + "_" + v.Method, "0x" + hex.EncodeToString(id[:]), nil}, v.Hex)
		case "get_all_dynamic_info":
			err = r.Add("state_call", []any{v.API + "_" + v.Method, "0x", nil}, v.Hex)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := runBtui(t, bin, "--network", url, "stake", "list", "--ss58", alice, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got stakeListJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// views.json: netuid 1 holds 123,456,789,012,345 alpha at tao_in 22,079,400,556,774 /
	// alpha_in 2,316,467,425,363,654; netuid 64 (u64 max alpha) has no pool in the answer.
	price := new(big.Int).Div(new(big.Int).Mul(big.NewInt(22_079_400_556_774), big.NewInt(1e9)), big.NewInt(2_316_467_425_363_654))
	value := new(big.Int).Div(new(big.Int).Mul(big.NewInt(123_456_789_012_345), price), big.NewInt(1e9)).Uint64()
	if len(got.Positions) != 2 || got.Positions[0].Netuid != 1 || got.Positions[0].Alpha != 123_456_789_012_345 ||
		got.Positions[0].Coldkey.SS58() != alice || got.Positions[0].TaoValue != value ||
		got.Positions[1].Netuid != 64 || got.Positions[1].Alpha != ^uint64(0) || got.TotalTao != value {
		t.Errorf("stake list %+v; want netuid 1 worth %d", got, value)
	}
}

const srBob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"

// transferNode is the recorded spec-393 test_get_payment_info seed (account_nextIndex of
// sr25519 //Alice: 0; the finalized head 8,176,251; the node's fee for exactly the transfer
// below) with the two balances the recording did not read: System.Account answers 1 TAO for
// //Alice and 7 rao for //Bob.
func transferNode(t *testing.T) *substratetest.Node {
	t.Helper()
	node := substratetest.NewNode(t, subtensorTestdata, "finney-spec393-recordings.json.gz", "test_get_payment_info", "metadata-v15-spec393")
	for addr, free := range map[string]uint64{srAlice: 1_000_000_000, srBob: 7} {
		id, _ := wallet.ParseAddress(addr)
		key, _, err := node.Metadata.StorageKey("System", "Account", id[:])
		if err != nil {
			t.Fatal(err)
		}
		v := make([]byte, 56) // AccountInfo: four u32, free/reserved/frozen u64, flags u128
		for i := range 8 {
			v[16+i] = byte(free >> (8 * i))
		}
		node.MustAdd(t, "state_getStorageAt", []any{"0x" + hex.EncodeToString(key), nil}, "0x"+hex.EncodeToString(v))
	}
	return node
}

// aliceSrWallet makes a wallet directory holding "dev", sr25519 //Alice without a password.
func aliceSrWallet(t *testing.T, bin string) string {
	t.Helper()
	wallets := t.TempDir()
	if _, errOut, code := runBtui(t, bin, "wallet", "regen-coldkey", "--name", "dev", "--uri", "//Alice", "--crypto-type", "sr25519",
		"--no-password", "--wallet-path", wallets); code != 0 {
		t.Fatalf("regen //Alice: exit %d: %s", code, errOut)
	}
	return wallets
}

// TestSubtensorTransferDryRun: `wallet transfer --dry-run --json` from sr25519 //Alice on a
// spec-393 node is the node's fee for exactly the extrinsic the SDK recorded
// (transfer_keep_alive(Bob, 100,000 rao), era of 64 blocks at finalized head 8,176,251, nonce
// 0 from account_nextIndex: the replay answers no other query_info): 161,248 rao. The
// recording read neither balance: the node answers System.Account with 1 TAO for Alice and
// 7 rao for Bob. The JSON names the network as finney by its genesis.
func TestSubtensorTransferDryRun(t *testing.T) {
	t.Parallel()
	bin := sharedBtui(t)
	node := transferNode(t)
	url := node.Serve(t)
	wallets := aliceSrWallet(t, bin)
	const alice, bob = srAlice, srBob
	out, errOut, code := runBtui(t, bin, "--network", url, "wallet", "transfer", "--wallet-name", "dev", "--wallet-path", wallets,
		"--dest", bob, "--amount", "0.0001", "--dry-run", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got dryRunJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	sim := got.Simulation
	if !got.DryRun || !got.OK || got.Signer.SS58() != alice || got.GenesisHash.String() != chainclient.FinneyGenesis || !strings.HasPrefix(got.Network, "finney") ||
		sim == nil || sim.Receipt.Fee != 161_248 || sim.Call.Module != "Balances" || sim.Call.Method != "transfer_keep_alive" || sim.Nonce != 0 {
		t.Fatalf("dry run %s", out)
	}
	if len(sim.Balances) != 2 || sim.Balances[0].After != 1_000_000_000-161_248-100_000 || sim.Balances[1].After != 100_007 {
		t.Errorf("balances %+v", sim.Balances)
	}
}

var serveReplay = flag.String("serve-replay", "", "FILE:META:SEED[,SEED…]: serve recorded seeds as a subtensor node until interrupted (TestServeReplay)")

// TestServeReplay serves recorded seeds as a subtensor node on loopback until interrupted, to
// try the console and the commands by hand against recorded traffic (an unrecorded request is
// printed, not failed):
//
//	go test ./cmd/btui -run TestServeReplay -timeout 0 -args \
//	    -serve-replay finney-sdk-recordings.json.gz:metadata-v15-spec343:get_all_subnets_info,metagraph
//
// then btui --network ws://127.0.0.1:PORT (the URL it prints).
func TestServeReplay(t *testing.T) {
	if *serveReplay == "" {
		t.Skip("by hand only: -args -serve-replay FILE:META:SEED[,SEED…]")
	}
	parts := strings.SplitN(*serveReplay, ":", 3)
	if len(parts) != 3 {
		t.Fatalf("-serve-replay %q: want FILE:META:SEED[,SEED…]", *serveReplay)
	}
	node := substratetest.NewNodeSeeds(t, subtensorTestdata, parts[0], parts[1], strings.Split(parts[2], ",")...)
	node.OnUnrecorded = func(format string, args ...any) { fmt.Fprintf(os.Stderr, "UNRECORDED: "+format+"\n", args...) }
	// A node announces its head to subscribers: the recorded head, once (recordings hold no
	// subscription).
	if head, err := node.Call(context.Background(), "chain_getHeader", nil); err == nil {
		node.AddSubscription("chain_subscribeNewHeads", head)
		node.AddSubscription("chain_subscribeFinalizedHeads", head)
	}
	fmt.Fprintf(os.Stderr, "serving %s on %s (interrupt to stop)\n", parts[2], node.Serve(t))
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}
