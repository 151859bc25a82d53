package chainclient

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/wallet"
)

// stakeViewAnswers are the answers no recording holds for a stake view at finney block
// 6,852,690 (spec 343), encoded by @polkadot/types (testdata/polkadotjs-extrinsics/make.mjs).
type stakeViewAnswers struct {
	BlockHash string `json:"block_hash"`
	Storage   []struct {
		Pallet, Item, Key, Hex string
	}
	Calls []struct {
		API, Method, Args, Hex string
	}
}

func loadStakeViewAnswers(t *testing.T) stakeViewAnswers {
	t.Helper()
	raw, err := os.ReadFile("../testdata/polkadotjs-extrinsics/stakeview.json")
	if err != nil {
		t.Fatal(err)
	}
	var a stakeViewAnswers
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// stakeViewReplay is the recorded metagraph seed (finney block 6,852,690: head header, the
// selective mechagraph of netuid 1) plus polkadot.js's answers; skip names storage items the
// replay answers as absent instead.
func stakeViewReplay(t *testing.T, absent ...string) (*Subtensor, *substrate.Replay, stakeViewAnswers) {
	t.Helper()
	s, r := replaySubtensorR(t, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	a := loadStakeViewAnswers(t)
	m := s.Substrate().Metadata()
	for _, st := range a.Storage {
		// polkadot.js's key is the one btui builds.
		var keys [][]byte
		switch st.Pallet + "." + st.Item {
		case "Swap.FeeRate":
			keys = [][]byte{u16key(1)}
		case "System.Account":
			id, _ := wallet.ParseAddress(alice)
			keys = [][]byte{id[:]}
		}
		key, _, err := m.StorageKey(st.Pallet, st.Item, keys...)
		if err != nil {
			t.Fatal(err)
		}
		if "0x"+hex.EncodeToString(key) != st.Key {
			t.Fatalf("%s.%s key %x, polkadot.js %s", st.Pallet, st.Item, key, st.Key)
		}
		var result any = st.Hex
		for _, x := range absent {
			if x == st.Pallet+"."+st.Item {
				result = nil
			}
		}
		if err := r.Add("state_getStorageAt", []any{st.Key, a.BlockHash}, result); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range a.Calls {
		if err := r.Add("state_call", []any{c.API + "_" + c.Method, c.Args, a.BlockHash}, c.Hex); err != nil {
			t.Fatal(err)
		}
	}
	return s, r, a
}

const alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"

// TestSubtensorStakeView: the stake view of //Alice on netuid 1 at finney block 6,852,690
// is the recorded mechagraph's row, polkadot.js's fee rate (179/65535), balance (5 TAO) and
// position (2 alpha, valued at tao_in/alpha_in = 0.025), the metadata's minimum reserve
// (1,000,000 rao) and existential deposit (500 rao), tx_fee 0 (the dry run gives the fee);
// every read after the head is made at the head's hash. A netuid without a subnet is left
// out.
func TestSubtensorStakeView(t *testing.T) {
	s, r, a := stakeViewReplay(t)
	id, _ := wallet.ParseAddress(alice)
	ctx := context.Background()
	mg, err := s.Substrate().Metagraph(ctx, 1, 0, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := SubnetFromMetagraph(mg)
	before := len(r.Calls())
	v, err := s.StakeView(ctx, id, []uint16{1})
	if err != nil {
		t.Fatal(err)
	}
	if v.Height != 6_852_690 || len(v.Markets) != 1 || v.Markets[0].FeeRate != 179 || v.MinReserve != 1_000_000 ||
		v.ExistentialDeposit != 500 || v.Free != 5_000_000_000 || v.TxFee != 0 {
		t.Fatalf("stake view %+v", v)
	}
	if got := v.Markets[0].Subnet; got.Netuid != 1 || got.TaoIn != want.TaoIn || got.AlphaIn != want.AlphaIn || got.Price != want.Price || got.TaoIn == 0 {
		t.Errorf("subnet row %+v, want %+v", got, want)
	}
	value := new(big.Int).Div(new(big.Int).Mul(big.NewInt(2_000_000_000), big.NewInt(100_000_000_000)), big.NewInt(4_000_000_000_000)).Uint64()
	if len(v.Stakes) != 1 || v.Stakes[0].Netuid != 1 || v.Stakes[0].Alpha != 2_000_000_000 || v.Stakes[0].Coldkey != id ||
		v.Stakes[0].Hotkey.SS58() != "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ" || v.Stakes[0].TaoValue != value || value != 50_000_000 {
		t.Errorf("stakes %+v, want 2 alpha worth %d", v.Stakes, value)
	}
	calls := r.Calls()[before:]
	if len(calls) < 6 || !strings.HasPrefix(calls[0], "chain_getHeader") {
		t.Fatalf("calls %v", calls)
	}
	for _, c := range calls[1:] {
		if !strings.Contains(c, strings.TrimPrefix(a.BlockHash, "0x")) {
			t.Errorf("%s: not read at the head's hash %s", c, a.BlockHash)
		}
	}

	// netuid 2 has no subnet at this block: the replay knows no mechagraph of it, so give it
	// the runtime's answer for an unknown netuid (None).
	if err := r.Add("state_call", []any{"SubnetInfoRuntimeApi_get_selective_mechagraph", mechagraphArgs(t, s, 2), a.BlockHash}, "0x00"); err != nil {
		t.Fatal(err)
	}
	v, err = s.StakeView(ctx, id, []uint16{2, 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Markets) != 1 || v.Markets[0].Subnet.Netuid != 1 {
		t.Errorf("markets %+v, want netuid 1 only", v.Markets)
	}
}

// mechagraphArgs is the argument get_selective_mechagraph(netuid, 0, every field) carries,
// taken from the recorded request for netuid 1 with the netuid replaced.
func mechagraphArgs(t *testing.T, s *Subtensor, netuid uint16) string {
	t.Helper()
	for _, c := range s.c.Transport().(*substrate.Replay).Calls() {
		if strings.HasPrefix(c, `state_call ["SubnetInfoRuntimeApi_get_selective_mechagraph"`) {
			var p []any
			if err := json.Unmarshal([]byte(strings.TrimPrefix(c, "state_call ")), &p); err != nil {
				t.Fatal(err)
			}
			arg := strings.TrimPrefix(p[1].(string), "0x")
			return "0x" + hex.EncodeToString(u16key(netuid)) + arg[4:]
		}
	}
	t.Fatal("no mechagraph request")
	return ""
}

// TestSubtensorStakeViewFeeRateDefault: a subnet without a Swap.FeeRate entry trades at the
// storage item's default from the metadata (33/65535 at spec 343).
func TestSubtensorStakeViewFeeRateDefault(t *testing.T) {
	s, _, _ := stakeViewReplay(t, "Swap.FeeRate")
	id, _ := wallet.ParseAddress(alice)
	v, err := s.StakeView(context.Background(), id, []uint16{1})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Markets) != 1 || v.Markets[0].FeeRate != 33 {
		t.Errorf("markets %+v, want fee rate 33", v.Markets)
	}
}

// TestSubtensorStakeViewMissingConstant: a runtime without the Swap pallet's MinimumReserve
// fails closed, naming the constant, before anything is read from the node.
func TestSubtensorStakeViewMissingConstant(t *testing.T) {
	s, r, _ := stakeViewReplay(t)
	m := s.Substrate().Metadata()
	p, ok := m.Pallet("Swap")
	if !ok {
		t.Fatal("no Swap pallet")
	}
	saved := p.Constants
	t.Cleanup(func() { p.Constants = saved })
	p.Constants = nil
	before := len(r.Calls())
	_, err := s.StakeView(context.Background(), wallet.AccountID{}, []uint16{1})
	if !errors.Is(err, substrate.ErrNotInMetadata) || !strings.Contains(err.Error(), "Swap.MinimumReserve") || !strings.Contains(err.Error(), "runtime 343") {
		t.Errorf("err %v", err)
	}
	if n := len(r.Calls()) - before; n != 0 {
		t.Errorf("%d requests before failing", n)
	}
}

// TestSubtensorStakeViewMarketsOnly: for the zero account (ops.TradingSubnet wants the market
// only) the view reads the head and the subnet's row and fee rate, and neither System.Account
// nor get_stake_info_for_coldkey.
func TestSubtensorStakeViewMarketsOnly(t *testing.T) {
	s, r, _ := stakeViewReplay(t)
	before := len(r.Calls())
	v, err := s.StakeView(context.Background(), wallet.AccountID{}, []uint16{1})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Markets) != 1 || v.Markets[0].FeeRate != 179 || v.Free != 0 || v.Stakes == nil || len(v.Stakes) != 0 {
		t.Errorf("markets-only view %+v", v)
	}
	calls := r.Calls()[before:]
	if len(calls) != 3 {
		t.Errorf("%d requests, want 3 (head, mechagraph, fee rate): %v", len(calls), calls)
	}
	for _, c := range calls {
		if strings.Contains(c, "StakeInfoRuntimeApi") || strings.Contains(c, "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9") {
			t.Errorf("read for the zero account: %s", c)
		}
	}
}
