package substrate

import (
	"strings"
	"testing"
)

func parseMeta(t testing.TB, name string) *Metadata {
	t.Helper()
	m, err := DecodeMetadata(metadataBytes(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// TestMetadataIndices parses the three recorded finney metadata blobs and checks the pallet and
// call indices btui's transactions depend on (spec §3.5).
func TestMetadataIndices(t *testing.T) {
	for _, c := range []struct {
		name    string
		version uint8
		exts    int
	}{{"metadata-v14-spec343", 14, 11}, {"metadata-v15-spec343", 15, 11}, {"metadata-v15-spec393", 15, 13}} {
		t.Run(c.name, func(t *testing.T) {
			m := parseMeta(t, c.name)
			if m.Version != c.version || m.ExtrinsicVersion != 4 {
				t.Errorf("version %d extrinsic %d", m.Version, m.ExtrinsicVersion)
			}
			for name, idx := range map[string]uint8{"System": 0, "Balances": 5, "TransactionPayment": 6, "SubtensorModule": 7} {
				if p, ok := m.Pallet(name); !ok || p.Index != idx {
					t.Errorf("pallet %s index: %v %v, want %d", name, p, ok, idx)
				}
			}
			for call, want := range map[string][2]uint8{
				"Balances.transfer_allow_death": {5, 0}, "Balances.transfer_keep_alive": {5, 3}, "Balances.transfer_all": {5, 4},
				"SubtensorModule.set_weights": {7, 0}, "SubtensorModule.add_stake": {7, 2}, "SubtensorModule.remove_stake": {7, 3},
				"SubtensorModule.serve_axon": {7, 4}, "SubtensorModule.burned_register": {7, 7}, "SubtensorModule.root_register": {7, 62},
				"SubtensorModule.unstake_all": {7, 83}, "SubtensorModule.move_stake": {7, 85}, "SubtensorModule.transfer_stake": {7, 86},
				"SubtensorModule.swap_stake": {7, 87}, "SubtensorModule.add_stake_limit": {7, 88}, "SubtensorModule.remove_stake_limit": {7, 89},
				"SubtensorModule.commit_weights": {7, 96}, "SubtensorModule.reveal_weights": {7, 97},
			} {
				pn, cn, _ := strings.Cut(call, ".")
				p, v, err := m.Call(pn, cn)
				if err != nil || p.Index != want[0] || v.Index != want[1] {
					t.Errorf("%s: %v, want %d.%d", call, err, want[0], want[1])
				}
			}
			p, v, err := m.Call("SubtensorModule", "add_stake")
			if err != nil {
				t.Fatal(err)
			}
			var args []string
			for _, f := range v.Fields {
				args = append(args, f.Name+":"+m.Types.Type(f.Type).Name())
			}
			if got := strings.Join(args, " "); !strings.HasPrefix(got, "hotkey:sp_core::crypto::AccountId32 netuid:") || !strings.Contains(got, "amount_staked:") {
				t.Errorf("%s.add_stake args = %s", p.Name, got)
			}
			var ids []string
			for _, e := range m.SignedExtensions {
				ids = append(ids, e.Identifier)
			}
			if len(ids) != c.exts || ids[0] != "CheckNonZeroSender" || ids[len(ids)-1] != "CheckMetadataHash" {
				t.Errorf("extensions = %v, want %d from CheckNonZeroSender to CheckMetadataHash", ids, c.exts)
			}
			if _, e, err := m.Storage("System", "Account"); err != nil || len(e.Hashers) != 1 || e.Hashers[0] != HasherBlake2_128Concat {
				t.Errorf("System.Account: %v %v", e, err)
			}
			if _, err := m.Constant("System", "Version"); err != nil {
				t.Error(err)
			}
			if c.version == 15 {
				for _, api := range [][2]string{{"NeuronInfoRuntimeApi", "get_neurons_lite"}, {"SubnetInfoRuntimeApi", "get_selective_mechagraph"},
					{"StakeInfoRuntimeApi", "get_stake_info_for_coldkey"}, {"TransactionPaymentApi", "query_info"}, {"SubnetInfoRuntimeApi", "get_all_dynamic_info"}} {
					if _, err := m.API(api[0], api[1]); err != nil {
						t.Error(err)
					}
				}
			} else if _, err := m.API("NeuronInfoRuntimeApi", "get_neurons_lite"); err == nil {
				t.Error("V14 claims a runtime API")
			}
			if name, v, ok := m.ModuleError(7, 0); !ok || name != "SubtensorModule" || v.Name == "" {
				t.Errorf("module error 7/0: %s %v %v", name, v, ok)
			}
		})
	}
}

// TestMetadataSpecVersion reads System.Version from each blob.
func TestMetadataSpecVersion(t *testing.T) {
	for name, want := range map[string]uint32{"metadata-v14-spec343": 343, "metadata-v15-spec343": 343, "metadata-v15-spec393": 393} {
		m := parseMeta(t, name)
		v, err := m.RuntimeVersion()
		if err != nil || v.SpecVersion != want || v.SpecName != "node-subtensor" || v.TransactionVersion != 1 {
			t.Errorf("%s: %+v %v, want spec %d", name, v, err, want)
		}
	}
}

func TestMetadataRefusesGarbage(t *testing.T) {
	good := metadataBytes(t, "metadata-v15-spec343")
	for name, b := range map[string][]byte{
		"empty": {}, "no magic": []byte("nope\x0e"), "V13": []byte("meta\x0d"), "truncated": good[:len(good)/2],
		"trailing": append(mustUnwrap(t, good), 0),
	} {
		if _, err := DecodeMetadata(b); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func mustUnwrap(t *testing.T, b []byte) []byte {
	raw, err := unwrapMetadata(b)
	if err != nil || string(raw[:4]) != "meta" {
		t.Fatalf("unwrap: %v", err)
	}
	return append([]byte{}, raw...)
}
