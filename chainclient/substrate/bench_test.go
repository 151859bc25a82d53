package substrate

import (
	"context"
	"encoding/hex"
	"net/http/httptest"
	"strings"
	"testing"
)

func recordedAnswer(b *testing.B, seed, method string) []byte {
	for params, resp := range sdkSeeds(b)[seed]["state_call"] {
		if strings.Contains(params, method+`"`) {
			var env struct{ Result string }
			must(b, jsonUnmarshal(resp, &env))
			raw, err := hex.DecodeString(strings.TrimPrefix(env.Result, "0x"))
			must(b, err)
			return raw
		}
	}
	b.Fatalf("no recorded %s", method)
	return nil
}

// BenchmarkDecodeMetagraph1024 decodes the recorded 1,024-neuron metagraph of netuid 1: the
// neurons-lite answer (186 KB) and the selective mechagraph (196 KB), into btui's views.
func BenchmarkDecodeMetagraph1024(b *testing.B) {
	m := parseMeta(b, "metadata-v15-spec343")
	lite := recordedAnswer(b, "metagraph", "NeuronInfoRuntimeApi_get_neurons_lite")
	mech := recordedAnswer(b, "metagraph", "SubnetInfoRuntimeApi_get_selective_mechagraph")
	liteAPI, _ := m.API("NeuronInfoRuntimeApi", "get_neurons_lite")
	mechAPI, _ := m.API("SubnetInfoRuntimeApi", "get_selective_mechagraph")
	b.SetBytes(int64(len(lite) + len(mech)))
	b.ReportAllocs()
	for b.Loop() {
		var neurons []NeuronInfoLite
		var mg *Metagraph
		if err := m.Types.DecodeInto(liteAPI.Output, lite, &neurons, "neurons"); err != nil || len(neurons) != 1024 {
			b.Fatal(err)
		}
		if err := m.Types.DecodeInto(mechAPI.Output, mech, &mg, "metagraph"); err != nil || len(mg.Hotkeys) != 1024 {
			b.Fatal(err)
		}
	}
}

// BenchmarkMetadataParseV15 parses the spec-393 V15 metadata (311 KB).
func BenchmarkMetadataParseV15(b *testing.B) {
	raw := metadataBytes(b, "metadata-v15-spec393")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeMetadata(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMetadataParseAndCheck is what Connect does with fetched metadata: parse it and bind
// every view (connect-time check).
func BenchmarkMetadataParseAndCheck(b *testing.B) {
	raw := metadataBytes(b, "metadata-v15-spec393")
	b.ReportAllocs()
	for b.Loop() {
		m, err := DecodeMetadata(raw)
		if err != nil {
			b.Fatal(err)
		}
		if err := CheckViews(m, 393); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildSignECDSA encodes SubtensorModule.add_stake from named args, walks the
// extensions, signs with the wallet's ECDSA key and assembles the extrinsic.
func BenchmarkBuildSignECDSA(b *testing.B) {
	m := parseMeta(b, "metadata-v15-spec393")
	alice := devSigner(b, "Alice")
	bob := devSigner(b, "Bob").AccountID().SS58()
	p := TxParams{Nonce: 5, Era: MortalEra(128, 6_852_690), BirthHash: mustHash(b, metagraphBlock), Genesis: mustHash(b, finneyGenesis), SpecVersion: 393, TxVersion: 1}
	b.ReportAllocs()
	for b.Loop() {
		call, err := m.EncodeCall("SubtensorModule", "add_stake", map[string]any{"hotkey": bob, "netuid": 1, "amount_staked": 1_000_000_000})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.BuildSigned(call, p, alice); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdConnectMetagraphLoopback is a cold start against a node on loopback (a
// replay of the recorded finney traffic served over a real websocket): dial, genesis, runtime
// version, V15 metadata (592 KB of hex) with the view check, then the 1,024-neuron metagraph of
// netuid 1 — what `btui --network ws://… subnets show 1` does before printing.
func BenchmarkColdConnectMetagraphLoopback(b *testing.B) {
	r, err := NewReplay(sdkSeeds(b)["metagraph"])
	must(b, err)
	r.OnUnrecorded = b.Errorf
	m := parseMeta(b, "metadata-v15-spec343")
	v, _ := m.RuntimeVersion()
	must(b, r.Add("chain_getBlockHash", []any{0}, finneyGenesis))
	must(b, r.Add("state_call", []any{"Metadata_metadata_at_version", "0x0f000000", nil}, metadataHex(b, "metadata-v15-spec343")))
	must(b, r.Add("state_getRuntimeVersion", []any{nil}, map[string]any{"specName": v.SpecName, "specVersion": v.SpecVersion, "transactionVersion": v.TransactionVersion}))
	srv := httptest.NewServer(ReplayHandler(r))
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		w, err := DialWS(ctx, url, WSOptions{})
		must(b, err)
		c, err := Connect(ctx, w, ConnectOptions{})
		must(b, err)
		mg, err := c.Metagraph(ctx, 1, 0, nil, nil)
		if err != nil || len(mg.Hotkeys) != 1024 {
			b.Fatal(err)
		}
		_ = c.Close()
	}
}
