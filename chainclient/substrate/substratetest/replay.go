package substratetest

import (
	"compress/gzip"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/wallet"
)

// FinneyGenesis is finney's genesis hash, which every replay answers for block 0.
const FinneyGenesis = "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03"

// Node is a replay of one recorded seed (testdata/subtensor) plus the facts every client asks
// for and that do not change: finney's genesis hash, the metadata answer, the runtime version
// the metadata declares, system_chain "Bittensor" and finney's system_properties. Every other
// request must be in the seed, or added by the test (each addition documented where it is
// made); an unrecorded one fails the test.
type Node struct {
	*substrate.Replay
	Metadata    *substrate.Metadata
	MetadataHex string // the state_call("Metadata_metadata_at_version") answer
}

// Gunzip reads a gzipped file.
func Gunzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(gz)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// NewNode replays seed of the recordings file (both under dir, the testdata/subtensor
// directory) with the metadata meta ("metadata-v15-spec343", …).
func NewNode(t testing.TB, dir, file, seed, meta string) *Node {
	t.Helper()
	return NewNodeSeeds(t, dir, file, meta, seed)
}

// NewNodeSeeds is NewNode over several seeds of one file (a later seed's answer wins where two
// recorded the same request).
func NewNodeSeeds(t testing.TB, dir, file, meta string, seeds ...string) *Node {
	t.Helper()
	all, err := substrate.LoadRecordings(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	var recs []substrate.Recording
	for _, seed := range seeds {
		rec, ok := all[seed]
		if !ok {
			t.Fatalf("no seed %q in %s", seed, file)
		}
		recs = append(recs, rec)
	}
	r, err := substrate.NewReplay(recs...)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex // the replay server answers on its own goroutines
	r.OnUnrecorded = func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		t.Errorf("unrecorded request: "+format, args...)
	}
	metaHex := strings.TrimSpace(string(Gunzip(t, filepath.Join(dir, meta+".hex.gz"))))
	m, err := substrate.DecodeMetadataHex(metaHex)
	if err != nil {
		t.Fatal(err)
	}
	v, err := m.RuntimeVersion()
	if err != nil {
		t.Fatal(err)
	}
	n := &Node{Replay: r, Metadata: m, MetadataHex: metaHex}
	n.MustAdd(t, "chain_getBlockHash", []any{0}, FinneyGenesis)
	n.MustAdd(t, "state_call", []any{"Metadata_metadata_at_version", "0x0f000000", nil}, metaHex)
	n.MustAdd(t, "state_getRuntimeVersion", []any{nil}, map[string]any{"specName": v.SpecName, "specVersion": v.SpecVersion, "transactionVersion": v.TransactionVersion})
	n.MustAdd(t, "system_chain", []any{}, "Bittensor")
	n.MustAdd(t, "system_properties", []any{}, map[string]any{"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"})
	return n
}

// AliceTransfers is n immortal extrinsics in which //Alice (ECDSA) sends 1 rao to herself with
// Balances.transfer_keep_alive, nonces 0 to n-1, signed for spec 393 with genesis: the body of
// a scripted block (no recording holds one) whose recorded events name n extrinsics.
func AliceTransfers(t testing.TB, m *substrate.Metadata, genesis substrate.Hash, n int) []*substrate.Extrinsic {
	t.Helper()
	kp, err := wallet.Dev("Alice")
	if err != nil {
		t.Fatal(err)
	}
	call, err := m.EncodeCall("Balances", "transfer_keep_alive", map[string]any{"dest": kp.Address(), "value": 1})
	if err != nil {
		t.Fatal(err)
	}
	xs := make([]*substrate.Extrinsic, n)
	for i := range xs {
		p := substrate.TxParams{Nonce: uint64(i), Era: substrate.Era{Immortal: true}, Genesis: genesis, SpecVersion: 393, TxVersion: 1}
		if xs[i], err = m.BuildSigned(call, p, substrate.ECDSASigner(kp)); err != nil {
			t.Fatal(err)
		}
	}
	return xs
}

// MustAdd adds an answer (Replay.Add), failing the test on error.
func (n *Node) MustAdd(t testing.TB, method string, params []any, result any) {
	t.Helper()
	if err := n.Add(method, params, result); err != nil {
		t.Fatal(err)
	}
}

// Serve serves the node as a websocket JSON-RPC node on loopback (substrate.ReplayHandler)
// until the test ends, and returns its ws:// URL.
func (n *Node) Serve(t testing.TB) string { return n.ServeHook(t, nil) }

// ServeHook is Serve with a hook that answers first what the recordings cannot (what a node
// does on its own in answer to what is sent, such as a submission's watch), and passes the
// rest to the replay (substrate.ReplayHandlerHook).
func (n *Node) ServeHook(t testing.TB, hook substrate.ReplayHook) string {
	srv := httptest.NewServer(substrate.ReplayHandlerHook(n.Replay, hook))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}
