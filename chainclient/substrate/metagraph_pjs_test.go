package substrate

import (
	"compress/gzip"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// TestMetagraphAgainstPolkadotJS compares every neuron of the recorded metagraph, and the
// selective mechagraph's fields, with what @polkadot/types decoded from the same recorded
// bytes and metadata (testdata/polkadotjs-extrinsics/make.mjs wrote metagraph-expect.json.gz).
func TestMetagraphAgainstPolkadotJS(t *testing.T) {
	f, err := os.Open("../../testdata/polkadotjs-extrinsics/metagraph-expect.json.gz")
	must(t, err)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	must(t, err)
	var want struct {
		Neurons []struct {
			UID     int    `json:"uid"`
			Hotkey  string `json:"hotkey"`
			Coldkey string `json:"coldkey"`
			Active  bool   `json:"active"`
			Axon    struct {
				IP      string `json:"ip"`
				Port    uint64 `json:"port"`
				IPType  uint64 `json:"ip_type"`
				Version uint64 `json:"version"`
			} `json:"axon"`
			Stake           [][2]string `json:"stake"`
			Rank            uint64      `json:"rank"`
			Emission        string      `json:"emission"`
			Incentive       uint64      `json:"incentive"`
			Consensus       uint64      `json:"consensus"`
			Trust           uint64      `json:"trust"`
			ValidatorTrust  uint64      `json:"validator_trust"`
			Dividends       uint64      `json:"dividends"`
			LastUpdate      string      `json:"last_update"`
			ValidatorPermit bool        `json:"validator_permit"`
			PruningScore    uint64      `json:"pruning_score"`
		} `json:"neurons_lite"`
		Metagraph map[string]any `json:"metagraph"`
	}
	must(t, json.NewDecoder(gz).Decode(&want))

	c, _ := replayClient(t, "metadata-v15-spec343", sdkSeeds(t)["metagraph"])
	ctx := context.Background()
	neurons, err := c.NeuronsLite(ctx, 1, nil)
	must(t, err)
	if len(neurons) != len(want.Neurons) {
		t.Fatalf("%d neurons, polkadot.js %d", len(neurons), len(want.Neurons))
	}
	for i, n := range neurons {
		w := want.Neurons[i]
		var stake [][2]string
		for _, s := range n.Stake {
			stake = append(stake, [2]string{s.Account.SS58(), fmt.Sprint(s.Amount)})
		}
		got := []any{int(n.UID), n.Hotkey.SS58(), n.Coldkey.SS58(), n.Active, n.Axon.IP.String(), n.Axon.Port, n.Axon.IPType, n.Axon.Version,
			fmt.Sprint(stake), n.Rank, fmt.Sprint(n.Emission), n.Incentive, n.Consensus, n.Trust, n.ValidatorTrust, n.Dividends,
			fmt.Sprint(n.LastUpdate), n.ValidatorPermit, n.PruningScore}
		exp := []any{w.UID, w.Hotkey, w.Coldkey, w.Active, w.Axon.IP, w.Axon.Port, w.Axon.IPType, w.Axon.Version,
			fmt.Sprint(w.Stake), w.Rank, w.Emission, w.Incentive, w.Consensus, w.Trust, w.ValidatorTrust, w.Dividends,
			w.LastUpdate, w.ValidatorPermit, w.PruningScore}
		if fmt.Sprint(got) != fmt.Sprint(exp) {
			t.Fatalf("neuron %d\n btui       %v\n polkadot.js %v", i, got, exp)
		}
	}

	mg, err := c.Metagraph(ctx, 1, 0, nil, nil)
	must(t, err)
	u := func(v uint64) string { return fmt.Sprint(v) }
	us := func(vs []uint64) []any {
		out := make([]any, len(vs))
		for i, v := range vs {
			out[i] = fmt.Sprint(v)
		}
		return out
	}
	var hot, cold []any
	for i := range mg.Hotkeys {
		hot = append(hot, mg.Hotkeys[i].SS58())
		cold = append(cold, mg.Coldkeys[i].SS58())
	}
	bools := func(bs []bool) []any {
		out := make([]any, len(bs))
		for i, b := range bs {
			out[i] = b
		}
		return out
	}
	var commits []any
	for _, cm := range mg.Commitments {
		commits = append(commits, []any{cm.Hotkey.SS58(), "0x" + hex.EncodeToString(cm.Data)})
	}
	got := map[string]any{
		"netuid": float64(mg.NetUID), "name": mg.Name, "symbol": mg.Symbol, "owner_hotkey": mg.OwnerHotkey.SS58(), "owner_coldkey": mg.OwnerColdkey.SS58(),
		"network_registered_at": u(mg.RegisteredAt), "block": u(mg.Block), "tempo": u(mg.Tempo), "last_step": u(mg.LastStep),
		"blocks_since_last_step": u(mg.BlocksSinceLastStep), "alpha_in": u(mg.AlphaIn), "alpha_out": u(mg.AlphaOut), "tao_in": u(mg.TaoIn),
		"subnet_volume": mg.SubnetVolume.String(), "moving_price_bits": mg.MovingPrice.String(), "rho": u(mg.Rho), "kappa": u(mg.Kappa),
		"activity_cutoff": u(mg.ActivityCutoff), "num_uids": u(mg.NumUIDs), "max_uids": u(mg.MaxUIDs), "burn": u(mg.Burn),
		"immunity_period": u(mg.ImmunityPeriod), "max_validators": u(mg.MaxValidators), "weights_version": u(mg.WeightsVersion),
		"registration_allowed": mg.RegistrationAllowed, "commit_reveal_weights_enabled": mg.CommitRevealWeightsEnabled,
		"hotkeys": hot, "coldkeys": cold, "active": bools(mg.Active), "validator_permit": bools(mg.ValidatorPermit),
		"emission": us(mg.Emission), "dividends": us(mg.Dividends), "incentives": us(mg.Incentives), "last_update": us(mg.LastUpdate),
		"block_at_registration": us(mg.BlockAtRegistration), "alpha_stake": us(mg.AlphaStake), "tao_stake": us(mg.TaoStake),
		"total_stake": us(mg.TotalStake), "validators": us(mg.Validators), "commitments": commits,
	}
	for k, w := range want.Metagraph {
		g, ok := got[k]
		if !ok {
			t.Errorf("metagraph field %s not compared", k)
			continue
		}
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(w)
		if string(gj) != string(wj) {
			t.Errorf("metagraph %s\n btui        %.300s\n polkadot.js %.300s", k, gj, wj)
		}
	}
	if len(want.Metagraph) != len(got) {
		t.Errorf("compared %d fields, polkadot.js saved %d", len(got), len(want.Metagraph))
	}
}
