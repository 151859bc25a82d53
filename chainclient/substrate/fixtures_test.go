package substrate

import (
	"compress/gzip"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
)

const (
	fixtureDir     = "../../testdata/subtensor/"
	metagraphBlock = "0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0"
	finneyGenesis  = "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03"
)

var fixtureCache sync.Map

func readGz(t testing.TB, name string) []byte {
	if v, ok := fixtureCache.Load(name); ok {
		return v.([]byte)
	}
	f, err := os.Open(fixtureDir + name)
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
	fixtureCache.Store(name, b)
	return b
}

// metadataHex returns one of the recorded metadata answers as its RPC result string.
func metadataHex(t testing.TB, name string) string {
	return strings.TrimSpace(string(readGz(t, name+".hex.gz")))
}

func metadataBytes(t testing.TB, name string) []byte {
	b, err := hex.DecodeString(strings.TrimPrefix(metadataHex(t, name), "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sdkSeeds(t testing.TB) map[string]Recording {
	if v, ok := fixtureCache.Load("sdk"); ok {
		return v.(map[string]Recording)
	}
	s, err := LoadRecordings(fixtureDir + "finney-sdk-recordings.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	fixtureCache.Store("sdk", s)
	return s
}

func spec393Seeds(t testing.TB) map[string]Recording {
	if v, ok := fixtureCache.Load("393"); ok {
		return v.(map[string]Recording)
	}
	s, err := LoadRecordings(fixtureDir + "finney-spec393-recordings.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	fixtureCache.Store("393", s)
	return s
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// newOf returns a pointer to a new zero value of gt.
func newOf(gt reflect.Type) any { return reflect.New(gt).Interface() }
