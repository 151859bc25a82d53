package substrate

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/btui/btui/wallet"
)

// replayClient connects a Client to a replay of recordings with the given metadata. Beyond the
// recordings the replay knows only what every client asks and that does not change: the finney
// genesis hash, the metadata answer, and the runtime version the metadata itself declares.
func replayClient(t *testing.T, metaName string, recs ...Recording) (*Client, *Replay) {
	t.Helper()
	r, err := NewReplay(recs...)
	if err != nil {
		t.Fatal(err)
	}
	r.OnUnrecorded = t.Errorf
	m := parseMeta(t, metaName)
	v, err := m.RuntimeVersion()
	if err != nil {
		t.Fatal(err)
	}
	must(t, r.Add("chain_getBlockHash", []any{0}, finneyGenesis))
	must(t, r.Add("state_call", []any{"Metadata_metadata_at_version", "0x0f000000", nil}, metadataHex(t, metaName)))
	must(t, r.Add("state_getRuntimeVersion", []any{nil}, map[string]any{"specName": v.SpecName, "implName": v.ImplName,
		"specVersion": v.SpecVersion, "transactionVersion": v.TransactionVersion}))
	c, err := Connect(context.Background(), r, ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return c, r
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ss58(t testing.TB, s string) wallet.AccountID {
	t.Helper()
	id, err := wallet.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestMetagraphRecording(t *testing.T) {
	c, _ := replayClient(t, "metadata-v15-spec343", sdkSeeds(t)["metagraph"])
	ctx := context.Background()
	if c.Genesis.Hex() != finneyGenesis || c.RuntimeVersion().SpecVersion != 343 {
		t.Fatalf("genesis %s spec %d", c.Genesis, c.RuntimeVersion().SpecVersion)
	}
	neurons, err := c.NeuronsLite(ctx, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(neurons) != 1024 {
		t.Fatalf("%d neurons, want 1024", len(neurons))
	}
	var active, permits int
	var emission, stake, maxStake uint64
	maxUID := -1
	for i, n := range neurons {
		if n.UID != uint64(i) || n.NetUID != 1 {
			t.Fatalf("neuron %d has uid %d netuid %d", i, n.UID, n.NetUID)
		}
		if n.Active {
			active++
		}
		if n.ValidatorPermit {
			permits++
		}
		emission += n.Emission
		s := n.TotalStake()
		stake += s
		if s > maxStake {
			maxStake, maxUID = s, i
		}
	}
	n0 := neurons[0]
	if n0.Hotkey.SS58() != "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ" || n0.Coldkey.SS58() != "5EhQWxcFdYAk7B9tNdQnJQFzww5N3964rbsMk55SujcX3PwM" {
		t.Errorf("uid 0 keys %s %s", n0.Hotkey, n0.Coldkey)
	}
	if n0.Axon.IP.Lo != 3_235_789_677 || n0.Axon.Port != 6028 || n0.Axon.IPType != 4 || n0.Axon.Version != 9_011_001 {
		t.Errorf("uid 0 axon %+v", n0.Axon)
	}
	if active != 10 || permits != 12 || emission != 82_000_457_507 || stake != 414_026_131_830_337 {
		t.Errorf("active %d permits %d Σemission %d Σstake %d", active, permits, emission, stake)
	}
	if maxUID != 630 || maxStake != 312_460_092_414_791 || !strings.HasPrefix(neurons[630].Hotkey.SS58(), "5CGLCBnd") {
		t.Errorf("largest stake uid %d %d %s", maxUID, maxStake, neurons[maxUID].Hotkey)
	}
	if neurons[1023].Hotkey.SS58() != "5Hmr8zrn8w81rzRMznjwYgZ3VqhS2ufUpK8wEpVpexNrdMNX" {
		t.Errorf("uid 1023 hotkey %s", neurons[1023].Hotkey)
	}

	mg, err := c.Metagraph(ctx, 1, 0, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	owner := "5HCFWvRqzSHWRPecN7q8J6c7aKQnrCZTMHstPv39xL1wgDHh"
	checks := map[string][2]any{
		"netuid": {mg.NetUID, uint64(1)}, "name": {mg.Name, "Apex"}, "symbol": {mg.Symbol, "α"},
		"owner hot": {mg.OwnerHotkey.SS58(), owner}, "owner cold": {mg.OwnerColdkey.SS58(), owner},
		"registered at": {mg.RegisteredAt, uint64(1_497_824)}, "block": {mg.Block, uint64(6_852_690)},
		"tempo": {mg.Tempo, uint64(99)}, "last step": {mg.LastStep, uint64(6_852_597)}, "blocks since": {mg.BlocksSinceLastStep, uint64(93)},
		"num uids": {mg.NumUIDs, uint64(1024)}, "max uids": {mg.MaxUIDs, uint64(1024)}, "burn": {mg.Burn, uint64(500_000)},
		"kappa": {mg.Kappa, uint64(32_767)}, "rho": {mg.Rho, uint64(10)}, "immunity": {mg.ImmunityPeriod, uint64(7200)},
		"max validators": {mg.MaxValidators, uint64(128)}, "weights version": {mg.WeightsVersion, uint64(21_706)},
		"commit reveal": {mg.CommitRevealWeightsEnabled, true}, "alpha in": {mg.AlphaIn, uint64(2_316_467_425_363_654)},
		"tao in": {mg.TaoIn, uint64(22_079_400_556_774)}, "moving price bits": {mg.MovingPrice.Lo, uint64(40_869_489)},
		"validators":  {fmt.Sprint(mg.Validators), "[496 395 245 966 24 993 447 697 518 276 502 630]"},
		"commitments": {len(mg.Commitments), 2}, "hotkeys": {len(mg.Hotkeys), 1024},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("metagraph %s = %v, want %v", name, c[0], c[1])
		}
	}
	for i := range mg.Hotkeys {
		if mg.Hotkeys[i] != neurons[i].Hotkey {
			t.Fatalf("metagraph hotkey %d differs from neurons-lite", i)
		}
	}
	if p := FixedI96F32(mg.MovingPrice); p < 0.009515 || p > 0.009516 {
		t.Errorf("moving price %v", p)
	}
	h, err := c.Header(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Encode()) != 226 || h.Hash().Hex() != metagraphBlock || h.Number != 6_852_690 {
		t.Errorf("header: %d bytes, hash %s, number %d", len(h.Encode()), h.Hash(), h.Number)
	}
}

// TestRecordedRuntimeAPIAnswersDecodeExactly decodes every recorded state_call answer of the
// named recordings with the registry, generically and (where btui has one) into its view; each
// must consume exactly its bytes.
func TestRecordedRuntimeAPIAnswersDecodeExactly(t *testing.T) {
	type set struct {
		meta  string
		seeds map[string]Recording
		names []string
	}
	total := 0
	for _, s := range []set{
		{"metadata-v15-spec343", sdkSeeds(t), []string{"metagraph", "get_all_subnets_info", "get_neuron_for_pubkey_and_subnet"}},
		{"metadata-v15-spec393", spec393Seeds(t), []string{"test_get_payment_info"}},
	} {
		m := parseMeta(t, s.meta)
		for _, seed := range s.names {
			for params, resp := range s.seeds[seed]["state_call"] {
				var p []string
				if err := jsonUnmarshal([]byte(params), &p); err != nil || len(p) < 2 {
					t.Fatalf("%s: params %s", seed, params)
				}
				api, method, _ := strings.Cut(p[0], "_")
				if strings.HasSuffix(api, "Api") == false && strings.Contains(method, "_") {
					// Trait names never contain '_' in subtensor; the method may.
					t.Fatalf("cannot split %s", p[0])
				}
				me, err := m.API(api, method)
				if err != nil {
					t.Errorf("%s %s: %v", seed, p[0], err)
					continue
				}
				var env struct{ Result string }
				must(t, jsonUnmarshal(resp, &env))
				b, err := hex.DecodeString(strings.TrimPrefix(env.Result, "0x"))
				must(t, err)
				if _, err := m.Types.DecodeAll(me.Output, b); err != nil {
					t.Errorf("%s %s (%d bytes): %v", seed, p[0], len(b), err)
				}
				for _, v := range viewChecks {
					if v.api == api && (v.method == method || v.alt == method) {
						dst := newOf(v.gt)
						if err := m.Types.DecodeInto(me.Output, b, dst, p[0]); err != nil {
							t.Errorf("%s %s into %s: %v", seed, p[0], v.gt, err)
						}
					}
				}
				total++
			}
		}
	}
	if total < 8 {
		t.Errorf("only %d recorded answers decoded", total)
	}
}

func TestSubnetsInfoRecording(t *testing.T) {
	c, _ := replayClient(t, "metadata-v15-spec343", sdkSeeds(t)["get_all_subnets_info"])
	subnets, err := c.SubnetsInfo(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(subnets) != 129 {
		t.Fatalf("%d subnets, want 129", len(subnets))
	}
	s0, s1 := subnets[0], subnets[1]
	if s0.Owner.SS58() != "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM" || s0.Tempo != 100 || s0.SubnetworkN != 64 {
		t.Errorf("subnet 0: owner %s tempo %d n %d", s0.Owner, s0.Tempo, s0.SubnetworkN)
	}
	if s1.Kappa != 32_767 || s1.MaxWeightsLimit != 65_535 || s1.BlocksSinceLastStep != 30 || s1.Tempo != 99 || s1.SubnetworkN != 1024 {
		t.Errorf("subnet 1: %+v", s1)
	}
}

func TestNeuronForHotkeyRecording(t *testing.T) {
	c, r := replayClient(t, "metadata-v15-spec343", sdkSeeds(t)["get_neuron_for_pubkey_and_subnet"])
	hotkey := ss58(t, "5Cf4LPRv6tiyuFsfLRQaFYEEn3zJRGi4bAE9DwbbKmbCSHpV")
	n, err := c.NeuronForHotkey(context.Background(), 14, hotkey, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n == nil {
		t.Fatal("neuron not found")
	}
	if n.UID != 29 || n.Hotkey != hotkey || n.Coldkey.SS58() != "5CKhH8nKAhXLmqxwaXzFtVFgxqwwnyckXG8qLpmGtzVJH9Ri" || len(n.Stake) != 1 ||
		n.Stake[0].Amount != 293_397_769_457_395 || n.Rank != 65_521 || n.Emission != 184_855_361_378 || n.LastUpdate != 6_522_124 ||
		len(n.Weights) != 5 || n.Weights[0] != (UIDValue{2, 170}) {
		t.Errorf("neuron %+v", n)
	}
	calls := r.Calls()
	if !slices.ContainsFunc(calls, func(s string) bool { return strings.HasPrefix(s, "state_getStorageAt") }) {
		t.Errorf("no Uids read in %v", calls)
	}
}

func TestBalanceRecording(t *testing.T) {
	c, _ := replayClient(t, "metadata-v15-spec343", sdkSeeds(t)["get_balance"])
	at, _ := ParseHash("0x1b3f85dc8c83cada6d1782c955973a509a37c62af3d6ba29f5fd816aee37eb3b")
	a, err := c.Account(context.Background(), ss58(t, "5CUkpcUWSSMKMdNUW23sfUke6WCkoYXixR4CPBDCLpvxLmSi"), &at)
	if err != nil {
		t.Fatal(err)
	}
	if a.Nonce != 141 || a.Consumers != 1 || a.Providers != 1 || a.Data.Free != 7_450_117_072 || a.Data.Reserved != 100_000_000 ||
		a.Data.Frozen != 0 || a.Data.Flags.Hi != 1<<63 || a.Data.Flags.Lo != 0 {
		t.Errorf("account %+v", a)
	}
}

func TestQueryInfoRecording(t *testing.T) {
	c, _ := replayClient(t, "metadata-v15-spec393", spec393Seeds(t)["test_get_payment_info"])
	var fees []uint64
	for params := range spec393Seeds(t)["test_get_payment_info"]["state_call"] {
		var p []any
		must(t, jsonUnmarshal([]byte(params), &p))
		if p[0] != "TransactionPaymentApi_query_info" {
			continue
		}
		data, _ := hex.DecodeString(p[1].(string))
		ext := data[:len(data)-4]
		fi, err := c.QueryInfo(context.Background(), ext, nil)
		if err != nil {
			t.Fatal(err)
		}
		// ref_time 0x3308a2e2>>2 and partial fee 0x275df.. as the recorded bytes say.
		if fi.Weight.RefTime != 214_051_000 || fi.Weight.ProofSize != 3593 || fi.Class.Variant != "Normal" {
			t.Errorf("fee info %+v", fi)
		}
		fees = append(fees, fi.PartialFee)
	}
	slices.Sort(fees)
	if fmt.Sprint(fees) != "[161247 161248 161251]" {
		t.Errorf("partial fees %v", fees)
	}
}

func TestEventsRecording(t *testing.T) {
	m := parseMeta(t, "metadata-v15-spec393")
	for _, c := range []struct {
		seed, at    string
		n, ok, fail int
		extra       map[string]int
	}{
		{"test_get_events_proper_decoding", "0x81617dc8ede17528d8f8aab64c84285a166f73e120ff6d2acd11e3419a95abec", 182, 31, 5,
			map[string]int{"TransactionPayment.TransactionFeePaid": 26, "SubtensorModule.StakeAdded": 1, "SubtensorModule.StakeRemoved": 3}},
		{"test_same_events", "0x48795d0cb44df9867fbe9b6a7ea035e3e6406ad9b10b5b49af8b2b2f7efe6927", 166, 30, 6,
			map[string]int{"Balances.Transfer": 1, "Utility.BatchCompleted": 1}},
	} {
		cl, _ := replayClient(t, "metadata-v15-spec393", spec393Seeds(t)[c.seed])
		at, _ := ParseHash(c.at)
		evs, err := cl.Events(context.Background(), at)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		var failures []string
		for _, e := range evs {
			count[e.Pallet+"."+e.Name]++
			if f := e.Failure(m); f != "" {
				failures = append(failures, f)
			}
		}
		if len(evs) != c.n || count["System.ExtrinsicSuccess"] != c.ok || count["System.ExtrinsicFailed"] != c.fail || len(failures) != c.fail {
			t.Errorf("%s: %d events, %d ok, %d failed (%v)", c.seed, len(evs), count["System.ExtrinsicSuccess"], count["System.ExtrinsicFailed"], failures)
		}
		for k, want := range c.extra {
			if count[k] != want {
				t.Errorf("%s: %d × %s, want %d", c.seed, count[k], k, want)
			}
		}
		for _, f := range failures {
			if strings.HasPrefix(f, "Module error") || f == "" {
				t.Errorf("%s: unnamed failure %q", c.seed, f)
			}
		}
		if c.seed == "test_get_events_proper_decoding" {
			e := evs[1]
			js, _ := e.Fields.MarshalJSON()
			if e.Pallet != "SubtensorModule" || e.Name != "TimelockedWeightsRevealed" || string(js) != `{"TimelockedWeightsRevealed":[53,"5CsvRJXuR955WojnGMdok1hbhffZyB4N5ocrv82f3p5A2zVp"]}` {
				t.Errorf("event 1 = %s.%s %s", e.Pallet, e.Name, js)
			}
			t.Logf("failures at %s: %v", c.at, failures)
		}
	}
}

// TestRuntimeChangedFailsClosed removes a field btui needs from a runtime type: Connect must
// refuse with "runtime N changed X.y".
func TestRuntimeChangedFailsClosed(t *testing.T) {
	m := parseMeta(t, "metadata-v15-spec343")
	me, err := m.API("NeuronInfoRuntimeApi", "get_neurons_lite")
	must(t, err)
	seq := m.Types.Type(me.Output)
	lite := m.Types.Type(seq.Elem)
	for i := range lite.Fields {
		if lite.Fields[i].Name == "stake" {
			lite.Fields[i].Name = "stake_shares"
		}
	}
	err = CheckViews(m, 343)
	if !errors.Is(err, ErrRuntimeChanged) || !strings.HasPrefix(err.Error(), "runtime 343 changed NeuronInfoLite.stake") {
		t.Fatalf("CheckViews = %v", err)
	}
	// A wider integer is fine (as activity_cutoff u16 -> u64 was); a narrower Go field is not
	// what btui declares anywhere, and a bool where a number was is refused.
	m = parseMeta(t, "metadata-v15-spec343")
	lite = m.Types.Type(m.Types.Type(mustAPI(t, m, "NeuronInfoRuntimeApi", "get_neurons_lite").Output).Elem)
	for i := range lite.Fields {
		if lite.Fields[i].Name == "emission" {
			lite.Fields[i].Type = lite.Fields[slices.IndexFunc(lite.Fields, func(f Field) bool { return f.Name == "active" })].Type
		}
	}
	m.Types = &Registry{types: m.Types.types} // fresh plan cache key
	if err := CheckViews(m, 343); err == nil || !strings.Contains(err.Error(), "runtime 343 changed NeuronInfoLite.emission") {
		t.Fatalf("bool for emission: %v", err)
	}
}

func mustAPI(t *testing.T, m *Metadata, api, method string) *RuntimeAPIMethod {
	me, err := m.API(api, method)
	must(t, err)
	return me
}
