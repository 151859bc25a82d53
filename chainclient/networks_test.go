package chainclient

import (
	"encoding/hex"
	"strings"
	"testing"
)

func TestResolveNetwork(t *testing.T) {
	for in, want := range map[string]Network{
		"":                   {Name: "devnet", Kind: NetworkDevnet},
		"devnet":             {Name: "devnet", Kind: NetworkDevnet},
		"finney":             {Name: "finney", Kind: NetworkSubtensor, URL: "wss://entrypoint-finney.opentensor.ai:443", RealTAO: true},
		"Finney":             {Name: "finney", Kind: NetworkSubtensor, URL: "wss://entrypoint-finney.opentensor.ai:443", RealTAO: true},
		"test":               {Name: "test", Kind: NetworkSubtensor, URL: "wss://test.finney.opentensor.ai:443"},
		"archive":            {Name: "archive", Kind: NetworkSubtensor, URL: "wss://archive.chain.opentensor.ai:443", RealTAO: true},
		"local":              {Name: "local", Kind: NetworkSubtensor, URL: "ws://127.0.0.1:9944"},
		"ws://10.0.0.5:9944": {Name: "ws://10.0.0.5:9944", Kind: NetworkSubtensor, URL: "ws://10.0.0.5:9944"},
		"wss://entrypoint-finney.opentensor.ai:443": {Name: "finney", Kind: NetworkSubtensor, URL: "wss://entrypoint-finney.opentensor.ai:443", RealTAO: true},
		"http://127.0.0.1:8545":                     {Name: "http://127.0.0.1:8545", Kind: NetworkNode, URL: "http://127.0.0.1:8545"},
		"127.0.0.1:9955":                            {Name: "http://127.0.0.1:9955", Kind: NetworkNode, URL: "http://127.0.0.1:9955"},
		"https://node.lan:9944/":                    {Name: "https://node.lan:9944", Kind: NetworkNode, URL: "https://node.lan:9944"},
	} {
		got, err := ResolveNetwork(in)
		if err != nil || got != want {
			t.Errorf("ResolveNetwork(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"finey", "ftp://x", "ws://", "mainnet", "Finney " + "x"} {
		_, err := ResolveNetwork(bad)
		if err == nil || !strings.Contains(err.Error(), "finney") {
			t.Errorf("ResolveNetwork(%q) = %v, want an error listing the names", bad, err)
		}
	}
}

func TestIsFinney(t *testing.T) {
	var g [32]byte
	if IsFinney(g) {
		t.Error("a zero genesis is finney")
	}
	b, err := hex.DecodeString(FinneyGenesis[2:])
	if err != nil || copy(g[:], b) != 32 {
		t.Fatal(err)
	}
	if !IsFinney(g) {
		t.Error("finney's genesis is not finney")
	}
}
