package substrate

import (
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/btui/btui/chainclient/substrate/scale"
)

var fuzzMeta = sync.OnceValue(func() *Metadata {
	m, err := DecodeMetadata(metadataBytes(&testing.T{}, "metadata-v15-spec343"))
	if err != nil {
		panic(err)
	}
	return m
})

// fuzzTargets are the runtime types fuzzed: each is decoded both generically and into its view.
var fuzzTargets = []struct {
	api, method string
	gt          reflect.Type
}{
	{"NeuronInfoRuntimeApi", "get_neurons_lite", reflect.TypeFor[[]NeuronInfoLite]()},
	{"NeuronInfoRuntimeApi", "get_neuron", reflect.TypeFor[*NeuronInfo]()},
	{"SubnetInfoRuntimeApi", "get_selective_mechagraph", reflect.TypeFor[*Metagraph]()},
	{"SubnetInfoRuntimeApi", "get_subnets_info_v2", reflect.TypeFor[[]*SubnetInfo]()},
	{"SubnetInfoRuntimeApi", "get_all_dynamic_info", reflect.TypeFor[[]*DynamicInfo]()},
	{"StakeInfoRuntimeApi", "get_stake_info_for_coldkey", reflect.TypeFor[[]StakeInfo]()},
	{"TransactionPaymentApi", "query_info", reflect.TypeFor[FeeInfo]()},
}

// FuzzRuntimeAnswers feeds arbitrary bytes (seeded with truncated and corrupted real answers)
// to the registry-driven decoders: they must return an error, never panic or run away.
func FuzzRuntimeAnswers(f *testing.F) {
	for _, seed := range []string{"metagraph", "get_neuron_for_pubkey_and_subnet", "get_all_subnets_info"} {
		for params, resp := range sdkSeeds(f)[seed]["state_call"] {
			var env struct{ Result string }
			_ = jsonUnmarshal(resp, &env)
			b, _ := hex.DecodeString(strings.TrimPrefix(env.Result, "0x"))
			for i, t := range fuzzTargets {
				if strings.Contains(params, t.method+`"`) {
					n := min(len(b), 600)
					f.Add(uint8(i), b[:n])
					f.Add(uint8(i), b[:n/2])
					c := append([]byte{}, b[:n]...)
					c[n/3] ^= 0xff
					f.Add(uint8(i), c)
				}
			}
		}
	}
	f.Add(uint8(0), []byte{0xff, 0xff, 0xff, 0xff, 0x03})
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		m := fuzzMeta()
		target := fuzzTargets[int(which)%len(fuzzTargets)]
		me, err := m.API(target.api, target.method)
		if err != nil {
			t.Fatal(err)
		}
		_, gerr := m.Types.DecodeAll(me.Output, b)
		verr := m.Types.DecodeInto(me.Output, b, reflect.New(target.gt).Interface(), target.method)
		if (gerr == nil) != (verr == nil) {
			// The view skips what it does not read but must agree on validity of the bytes
			// it reads; the generic decoder reads strictly more (it checks every bool and
			// option), so only "view fails, generic succeeds" is a bug.
			if gerr == nil {
				t.Fatalf("view refused bytes the generic decoder accepts: %v", verr)
			}
		}
		for _, err := range []error{gerr, verr} {
			if err != nil && !errors.Is(err, scale.ErrTruncated) && !errors.Is(err, scale.ErrMalformed) && !errors.Is(err, scale.ErrTrailing) && !errors.Is(err, ErrDepth) {
				t.Fatalf("unexpected error kind: %v", err)
			}
		}
	})
}

// FuzzDecodeExtrinsic: arbitrary bytes (seeded with the polkadot.js vectors' prefixes) never
// panic the extrinsic decoder used by tx decode.
func FuzzDecodeExtrinsic(f *testing.F) {
	f.Add(unhex(f, "5502840001e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed0292df56f7e1282b035c13a8cf93d2e7e41f7245a9166802d1823372897b13bf2d0f0a7ea4627e6700f1072ab95eacc9325a0227f45053192fa2d85536578c9e0c01260514000007023f6eaf1be5add88d84ca8b02d350074935dbf04f53f4287cb6abfd6b33413f8f010000ca9a3b00000000"))
	f.Add([]byte{0x08, 0x04, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = fuzzMeta().DecodeExtrinsic(b)
	})
}

// FuzzMetadata: truncated or corrupted metadata is refused, never a panic.
func FuzzMetadata(f *testing.F) {
	good := metadataBytes(f, "metadata-v15-spec343")
	f.Add(good[:2000], uint16(100), uint8(1))
	f.Add(good[:300], uint16(7), uint8(0x80))
	f.Fuzz(func(t *testing.T, prefix []byte, at uint16, flip uint8) {
		b := append([]byte{}, prefix...)
		if len(b) > 0 {
			b[int(at)%len(b)] ^= flip
		}
		_, _ = DecodeMetadata(b)
	})
}
