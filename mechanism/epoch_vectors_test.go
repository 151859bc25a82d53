package mechanism

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// chainSim drives the epoch the way subtensor's tests drive the chain: set_weights stores
// max-upscaled rows and sets LastUpdate, each epoch's new permits and bonds are stored for the
// next one, and replacing a uid clears it as clear_neuron does.
type chainSim struct {
	t  *testing.T
	in EpochInput
}

func newChainSim(t *testing.T, hp Hyperparameters, stakes []uint64, reg uint64) *chainSim {
	t.Helper()
	s := &chainSim{t: t, in: EpochInput{RaoEmission: 1_000_000_000, Hyperparameters: hp}}
	for i, st := range stakes {
		s.in.Neurons = append(s.in.Neurons, Neuron{UID: uint16(i), Stake: st, LastUpdate: reg, RegisteredAt: reg})
	}
	return s
}

// setWeights is set_weights(uid, uids, values) at block: values are max-upscaled and stored
// with explicit zeros kept; LastUpdate = block.
func (s *chainSim) setWeights(uid int, block uint64, uids []uint16, values []uint16) {
	up := VecU16MaxUpscaleToU16(values)
	row := make([]UIDValue, len(uids))
	for k := range uids {
		row[k] = UIDValue{UID: uids[k], Value: up[k]}
	}
	s.in.Neurons[uid].Weights = row
	s.in.Neurons[uid].LastUpdate = block
}

// replace re-registers uid at block with a fresh hotkey of the given stake (clear_neuron): its
// weights and bonds go, every weight pointing at it becomes an explicit 0, its permit is
// cleared and LastUpdate = BlockAtRegistration = block.
func (s *chainSim) replace(uid int, block uint64, stake uint64) {
	for i := range s.in.Neurons {
		for k := range s.in.Neurons[i].Weights {
			if int(s.in.Neurons[i].Weights[k].UID) == uid {
				s.in.Neurons[i].Weights[k].Value = 0
			}
		}
	}
	s.in.Neurons[uid] = Neuron{UID: uint16(uid), Stake: stake, LastUpdate: block, RegisteredAt: block}
}

// resetBonds is do_reset_bonds for uid: every validator's bond entry on uid is deleted.
func (s *chainSim) resetBonds(uid int) {
	for i := range s.in.Neurons {
		s.in.Neurons[i].Bonds = slices.DeleteFunc(s.in.Neurons[i].Bonds, func(p UIDValue) bool { return int(p.UID) == uid })
	}
}

func (s *chainSim) epoch(block uint64) EpochOutput {
	s.t.Helper()
	s.in.Block = block
	out, err := Epoch(s.in)
	if err != nil {
		s.t.Fatalf("epoch at block %d: %v", block, err)
	}
	for i := range s.in.Neurons {
		s.in.Neurons[i].ValidatorPermit = out.Neurons[i].ValidatorPermit
		s.in.Neurons[i].Bonds = slices.Clone(out.Neurons[i].Bonds)
	}
	return out
}

func column(out EpochOutput, f func(NeuronOutput) uint64) []uint64 {
	v := make([]uint64, len(out.Neurons))
	for i, n := range out.Neurons {
		v[i] = f(n)
	}
	return v
}

func emissions(out EpochOutput) []uint64 {
	return column(out, func(n NeuronOutput) uint64 { return n.Emission })
}
func dividends(out EpochOutput) []uint64 {
	return column(out, func(n NeuronOutput) uint64 { return uint64(n.Dividends) })
}
func incentives(out EpochOutput) []uint64 {
	return column(out, func(n NeuronOutput) uint64 { return uint64(n.Incentive) })
}

// bondCol returns the stored bond of validators 0..k−1 on uid j (0 when absent).
func bondCol(out EpochOutput, k, j int) []uint64 {
	v := make([]uint64, k)
	for i := range k {
		for _, p := range out.Neurons[i].Bonds {
			if int(p.UID) == j {
				v[i] = uint64(p.Value)
			}
		}
	}
	return v
}

func wantEq(t *testing.T, what string, got, want []uint64) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestEpochEdgeCases covers zero stake, a single validator and all-zero weights first.
func TestEpochEdgeCases(t *testing.T) {
	t.Parallel()
	hp := DefaultHyperparameters()
	hp.Tempo = 1
	// Empty subnet: nothing to do.
	if out, err := Epoch(EpochInput{Hyperparameters: hp}); err != nil || len(out.Neurons) != 0 {
		t.Fatalf("empty subnet: %v %v", out, err)
	}
	// Zero stake everywhere: S = 0, no permits, no emission at all (fallback to S = 0).
	s := newChainSim(t, hp, []uint64{0, 0, 0}, 1)
	out := s.epoch(1)
	wantEq(t, "zero stake emission", emissions(out), []uint64{0, 0, 0})
	for _, n := range out.Neurons {
		if n.ValidatorPermit || n.StakeWeight != 0 {
			t.Errorf("zero stake uid %d: permit %v stakeWeight %d", n.UID, n.ValidatorPermit, n.StakeWeight)
		}
	}
	// Single validator weighting one miner: E = I + D split 50/50, consensus = its weight.
	s = newChainSim(t, hp, []uint64{100, 0}, 1)
	s.epoch(1)
	s.setWeights(0, 2, []uint16{1}, []uint16{7})
	out = s.epoch(2)
	wantEq(t, "single validator emission", emissions(out), []uint64{500000000, 500000000})
	if out.Neurons[1].Consensus != 65535 || out.Neurons[0].ValidatorTrust != 65535 || out.Neurons[0].Dividends != 65535 {
		t.Errorf("single validator outputs: %+v", out.Neurons)
	}
	wantEq(t, "single validator bonds", bondCol(out, 1, 1), []uint64{65535})
	// All-zero weights: explicit zeros are kept, incentive is 0, emission falls back to active stake.
	s = newChainSim(t, hp, []uint64{1, 3, 0}, 1)
	s.epoch(1)
	s.setWeights(0, 2, []uint16{2}, []uint16{0})
	s.setWeights(1, 2, []uint16{2}, []uint16{0})
	out = s.epoch(2)
	wantEq(t, "all-zero weights emission", emissions(out), []uint64{250000000, 750000000, 0})
	wantEq(t, "all-zero weights server emission", column(out, func(n NeuronOutput) uint64 { return n.ServerEmission }), []uint64{0, 0, 0})
	// Owner exemption: below the stake threshold the owner keeps its stake weight and permit, and
	// its self-weight survives the diagonal mask, so it earns as its own miner and validator.
	hp2 := hp
	hp2.StakeThreshold = 1000
	owner := uint16(0)
	s = newChainSim(t, hp2, []uint64{10, 0, 0}, 1)
	s.in.OwnerUID = &owner
	s.epoch(1)
	s.setWeights(0, 2, []uint16{0}, []uint16{1})
	out = s.epoch(2)
	if n := out.Neurons[0]; !n.ValidatorPermit || n.StakeWeight != 65535 || n.Incentive != 65535 || n.Dividends != 65535 || n.Emission != 1_000_000_000 {
		t.Errorf("owner not exempt: %+v", n)
	}
	// Without an owner the same uid is below the threshold: no stake weight, no permit, no emission.
	s = newChainSim(t, hp2, []uint64{10, 0, 0}, 1)
	s.epoch(1)
	s.setWeights(0, 2, []uint16{0}, []uint16{1})
	out = s.epoch(2)
	if n := out.Neurons[0]; n.ValidatorPermit || n.StakeWeight != 0 || n.Emission != 0 {
		t.Errorf("threshold not applied: %+v", n)
	}
}

// TestEpochTestBonds replays tests/epoch.rs::test_bonds (§6.1) from its actions.
func TestEpochTestBonds(t *testing.T) {
	t.Parallel()
	hp := DefaultHyperparameters()
	hp.Tempo, hp.MaxAllowedValidators = 1, 8
	s := newChainSim(t, hp, []uint64{1, 2, 3, 4, 0, 0, 0, 0}, 1)
	miners := []uint16{4, 5, 6, 7}
	out := s.epoch(1)
	wantEq(t, "block 1 E", emissions(out), []uint64{99999999, 199999999, 299999999, 399999999, 0, 0, 0, 0})
	for v := range 4 {
		s.setWeights(v, 2, miners, []uint16{16383, 32767, 49149, 65535})
	}
	out = s.epoch(2)
	wantEq(t, "block 2 bonds col 4", bondCol(out, 4, 4), []uint64{16383, 32767, 49151, 65535})
	wantEq(t, "block 2 I", incentives(out), []uint64{0, 0, 0, 0, 6553, 13107, 19660, 26214})
	wantEq(t, "block 2 D", dividends(out), []uint64{6553, 13106, 19660, 26214, 0, 0, 0, 0})
	wantEq(t, "block 2 C", column(out, func(n NeuronOutput) uint64 { return uint64(n.Consensus) }), incentives(out))
	wantEq(t, "block 2 VT", column(out, func(n NeuronOutput) uint64 { return uint64(n.ValidatorTrust) }), []uint64{65534, 65534, 65534, 65534, 0, 0, 0, 0})
	wantEq(t, "block 2 E", emissions(out), []uint64{49999998, 99999999, 150000000, 200000001, 49998779, 100000610, 149996337, 200004272})
	s.setWeights(0, 2, []uint16{0}, []uint16{65535})
	out = s.epoch(3)
	wantEq(t, "block 3 bonds col 4", bondCol(out, 4, 4), []uint64{14582, 32767, 49151, 65535})
	wantEq(t, "block 3 D", dividends(out)[:4], []uint64{5897, 13252, 19879, 26505})
	wantEq(t, "block 3 E", emissions(out), []uint64{44998351, 101110561, 151667215, 202223870, 49998779, 100000610, 149996337, 200004272})
	s.setWeights(1, 3, []uint16{1}, []uint16{65535})
	out = s.epoch(4)
	wantEq(t, "block 4 bonds col 4", bondCol(out, 4, 4), []uint64{12603, 28321, 49151, 65535})
	wantEq(t, "block 4 E", emissions(out), []uint64{40496805, 90999783, 157929636, 210573773, 49998779, 100000610, 149996337, 200004272})
	s.setWeights(2, 4, []uint16{2}, []uint16{65535})
	out = s.epoch(5)
	wantEq(t, "block 5 bonds col 7", bondCol(out, 4, 7), []uint64{12602, 28320, 49150, 65535})
	// Only uid 3 (stake 0.4 < κ) votes: consensus 0 everywhere, Σ(I+D) = 0, fallback to stake.
	wantEq(t, "block 5 E", emissions(out), []uint64{99999999, 199999999, 299999999, 399999999, 0, 0, 0, 0})
	s.setWeights(2, 5, []uint16{7}, []uint16{65535})
	out = s.epoch(6)
	wantEq(t, "block 6 bonds col 7", bondCol(out, 4, 7), []uint64{10951, 24609, 49150, 65535})
	wantEq(t, "block 6 I", incentives(out), []uint64{0, 0, 0, 0, 0, 0, 0, 65535})
	wantEq(t, "block 6 D", dividends(out)[:4], []uint64{4776, 10734, 21438, 28585})
	wantEq(t, "block 6 E", emissions(out), []uint64{36443733, 81898628, 163565493, 218092144, 0, 0, 0, 500000000})
	wantRows := [][]UIDValue{
		{{4, 12601}, {5, 12601}, {6, 12601}, {7, 10951}},
		{{4, 28319}, {5, 28319}, {6, 28319}, {7, 24609}},
		{{4, 49149}, {5, 49149}, {6, 49149}, {7, 49150}},
		{{4, 65535}, {5, 65535}, {6, 65535}, {7, 65535}},
	}
	for v, want := range wantRows {
		if !slices.Equal(out.Neurons[v].Bonds, want) {
			t.Errorf("block 6 stored bonds uid %d = %v, want %v", v, out.Neurons[v].Bonds, want)
		}
	}
	out = s.epoch(7)
	wantEq(t, "block 7 bonds col 7", bondCol(out, 4, 7), []uint64{9559, 21482, 49150, 65535})
	wantEq(t, "block 7 E", emissions(out), []uint64{32799427, 73706612, 168638129, 224855830, 0, 0, 0, 500000000})
	out = s.epoch(8)
	wantEq(t, "block 8 bonds col 7", bondCol(out, 4, 7), []uint64{8376, 18824, 49150, 65535})
	wantEq(t, "block 8 E", emissions(out), []uint64{29518068, 66336137, 173203134, 230942659, 0, 0, 0, 500000000})
	wantEq(t, "block 8 D", dividends(out)[:4], []uint64{3868, 8694, 22701, 30269})
}

// TestEpochTestBondsIntermediates checks the block-6 intermediate values of §6.1, step by step
// (decimals of I32F32 to ten places).
func TestEpochTestBondsIntermediates(t *testing.T) {
	t.Parallel()
	hp := DefaultHyperparameters()
	hp.Tempo, hp.MaxAllowedValidators = 1, 8
	in := EpochInput{Block: 6, RaoEmission: 1_000_000_000, Hyperparameters: hp}
	stakes := []uint64{1, 2, 3, 4, 0, 0, 0, 0}
	bondVals := []uint16{12602, 28320, 49150, 65535}
	for i, st := range stakes {
		nr := Neuron{UID: uint16(i), Stake: st, LastUpdate: 1, RegisteredAt: 1, ValidatorPermit: i < 4}
		if i < 4 {
			for j := uint16(4); j < 8; j++ {
				nr.Bonds = append(nr.Bonds, UIDValue{j, bondVals[i]})
			}
		}
		in.Neurons = append(in.Neurons, nr)
	}
	in.Neurons[0].Weights, in.Neurons[0].LastUpdate = []UIDValue{{0, 65535}}, 2
	in.Neurons[1].Weights, in.Neurons[1].LastUpdate = []UIDValue{{1, 65535}}, 3
	in.Neurons[2].Weights, in.Neurons[2].LastUpdate = []UIDValue{{7, 65535}}, 5
	in.Neurons[3].Weights, in.Neurons[3].LastUpdate = []UIDValue{{4, 16383}, {5, 32767}, {6, 49149}, {7, 65535}}, 2
	st := prepare(&in)
	str := func(v []I32F32) []string {
		out := make([]string, len(v))
		for i, x := range v {
			out[i] = x.String()
		}
		return out
	}
	if got := str(st.activeStk[:4]); !slices.Equal(got, []string{"0.0999999999", "0.2000000000", "0.2999999998", "0.3999999999"}) {
		t.Errorf("A = %v", got)
	}
	if len(st.weights[0]) != 0 || len(st.weights[1]) != 0 {
		t.Errorf("self-weights survived: %v %v", st.weights[0], st.weights[1])
	}
	var w3 []string
	for _, e := range st.weights[3] {
		w3 = append(w3, e.Value.String())
	}
	if !slices.Equal(w3, []string{"0.0999975584", "0.2000012207", "0.2999926754", "0.4000085450"}) {
		t.Errorf("W row 3 = %v", w3)
	}
	res := st.yuma()
	if got := res.consensus[7].String(); got != "0.4000085450" {
		t.Errorf("C_7 = %s, want 0.400008545", got)
	}
	for j := range 7 {
		if !res.consensus[j].IsZero() {
			t.Errorf("C_%d = %v, want 0", j, res.consensus[j])
		}
	}
	if got := str(res.validatorTrust[:4]); !slices.Equal(got, []string{"0.0000000000", "0.0000000000", "0.4000085450", "0.4000085450"}) {
		t.Errorf("VT = %v", got)
	}
	// EMA after column normalisation (recomputed with the same steps as classicBonds).
	bonds := st.maskedBonds(I32F32FromU16)
	InplaceColNormalizeSparse(bonds, 8)
	clipped := ColClipSparse(st.weights, res.consensus)
	delta := RowHadamardSparse(InterpolateSparse(st.weights, clipped, 8, I32F32One), st.activeStk)
	InplaceColNormalizeSparse(delta, 8)
	ema := MatEmaSparse(delta, bonds, BondsEMAAlpha(900_000), 8)
	InplaceColNormalizeSparse(ema, 8)
	col := func(j uint16) []string {
		var v []string
		for i := range 4 {
			for _, e := range ema[i] {
				if e.Col == j {
					v = append(v, e.Value.String())
				}
			}
		}
		return v
	}
	for j := uint16(4); j < 7; j++ {
		if got := col(j); !slices.Equal(got, []string{"0.0809860737", "0.1819969537", "0.3158598263", "0.4211571461"}) {
			t.Errorf("EMA col %d = %v", j, got)
		}
	}
	if got := col(7); !slices.Equal(got, []string{"0.0728874663", "0.1637972582", "0.3271309866", "0.4361842885"}) {
		t.Errorf("EMA col 7 = %v", got)
	}
}

// TestEpochActiveStake replays test_active_stake (§6.2).
func TestEpochActiveStake(t *testing.T) {
	t.Parallel()
	hp := DefaultHyperparameters()
	hp.Tempo, hp.MaxAllowedValidators = 1, 4
	s := newChainSim(t, hp, []uint64{1, 1, 1, 1}, 0)
	s.epoch(0)
	s.setWeights(0, 1, []uint16{2, 3}, []uint16{32767, 32767})
	s.setWeights(1, 1, []uint16{2, 3}, []uint16{32767, 32767})
	out := s.epoch(1)
	wantEq(t, "block 1 D", dividends(out)[:2], []uint64{32767, 32767})
	wantEq(t, "block 1 E", emissions(out), []uint64{250000000, 250000000, 250000000, 250000000})
	for v := range 2 {
		if !slices.Equal(out.Neurons[v].Bonds, []UIDValue{{2, 65535}, {3, 65535}}) {
			t.Errorf("block 1 bonds uid %d = %v", v, out.Neurons[v].Bonds)
		}
	}
	s.setWeights(0, 5002, []uint16{2, 3}, []uint16{32767, 32767})
	out = s.epoch(5002) // uid 1 inactive: 1 + 13 < 5002
	wantEq(t, "block 5002 D", dividends(out)[:2], []uint64{36044, 29490})
	wantEq(t, "block 5002 E", emissions(out), []uint64{274999999, 224999999, 250000000, 250000000})
	wantEq(t, "block 5002 bonds", append(bondCol(out, 2, 2), bondCol(out, 2, 3)...), []uint64{65535, 53619, 65535, 53619})
	s.setWeights(1, 5002, []uint16{2, 3}, []uint16{32767, 32767})
	out = s.epoch(5003)
	wantEq(t, "block 5003 D", dividends(out)[:2], []uint64{35716, 29818})
	wantEq(t, "block 5003 E", emissions(out), []uint64{272501132, 227498866, 250000000, 250000000})
	wantEq(t, "block 5003 bonds", append(bondCol(out, 2, 2), bondCol(out, 2, 3)...), []uint64{65535, 54712, 65535, 54712})
}

// TestEpochOutdatedWeights replays test_outdated_weights (§6.3): tempo 0 ⇒ cutoff 1 block and
// last_tempo = b.
func TestEpochOutdatedWeights(t *testing.T) {
	t.Parallel()
	hp := DefaultHyperparameters()
	hp.Tempo, hp.MaxAllowedValidators = 0, 4
	s := newChainSim(t, hp, []uint64{1, 1, 1, 1}, 1)
	s.epoch(1)
	s.setWeights(0, 2, []uint16{2, 3}, []uint16{43690, 21845})
	s.setWeights(1, 2, []uint16{2, 3}, []uint16{43690, 21845})
	s.setWeights(2, 2, []uint16{2}, []uint16{65535})
	s.setWeights(3, 2, []uint16{3}, []uint16{65535})
	if w := s.in.Neurons[0].Weights; w[0].Value != 65535 || w[1].Value != 32768 {
		t.Fatalf("stored weights %v, want [65535, 32768]", w)
	}
	out := s.epoch(2)
	wantEq(t, "block 2 I", incentives(out), []uint64{0, 0, 43689, 21845})
	wantEq(t, "block 2 D", dividends(out), []uint64{32767, 32767, 0, 0})
	wantEq(t, "block 2 E", emissions(out), []uint64{250000000, 250000000, 333331637, 166668361})
	s.replace(3, 2, 0) // the lowest-emission uid is replaced by a new hotkey at block 2
	s.setWeights(0, 3, []uint16{2, 3}, []uint16{43690, 21845})
	out = s.epoch(3)
	wantEq(t, "block 3 D0", dividends(out)[:1], []uint64{32767})
	wantEq(t, "block 3 E", emissions(out), []uint64{250000000, 250000000, 500000000, 0})
	wantEq(t, "block 3 bonds[0]", []uint64{bondCol(out, 1, 2)[0], bondCol(out, 1, 3)[0]}, []uint64{65535, 65535})
}

// TestEpochZeroWeights replays test_zero_weights (§6.4).
func TestEpochZeroWeights(t *testing.T) {
	t.Parallel()
	hp := DefaultHyperparameters()
	hp.Tempo = 65534
	s := newChainSim(t, hp, []uint64{1, 0}, 1)
	wantEq(t, "no weights", emissions(s.epoch(1)), []uint64{1_000_000_000, 0})
	s.setWeights(1, 1, []uint16{1}, []uint16{65535}) // server self-weight
	wantEq(t, "self-weight", emissions(s.epoch(1)), []uint64{1_000_000_000, 0})
	s.setWeights(0, 2, []uint16{1}, []uint16{65535})
	s.replace(1, 2, 0) // re-registered at block 2: the weight set at block 2 is outdated (2 ≤ 2)
	wantEq(t, "outdated", emissions(s.epoch(2)), []uint64{1_000_000_000, 0})
	s.setWeights(0, 3, []uint16{1}, []uint16{65535})
	wantEq(t, "fresh weight", emissions(s.epoch(3)), []uint64{500_000_000, 500_000_000})
}

// TestEpoch10Graph is test_10_graph (§6.5): everyone self-weights, no permits yet.
func TestEpoch10Graph(t *testing.T) {
	t.Parallel()
	hp := DefaultHyperparameters()
	hp.Tempo = 65534
	stakes := make([]uint64, 10)
	for i := range stakes {
		stakes[i] = 1
	}
	s := newChainSim(t, hp, stakes, 0)
	for i := range 10 {
		s.setWeights(i, 1, []uint16{uint16(i)}, []uint16{65535})
	}
	out := s.epoch(1)
	for _, n := range out.Neurons {
		if n.Emission != 99_999_999 || n.Consensus != 0 || n.Incentive != 0 || n.Dividends != 0 {
			t.Errorf("uid %d: %+v", n.UID, n)
		}
	}
}

// TestEpoch512Graph is test_512_graph (§6.6) with and without server self-weights.
func TestEpoch512Graph(t *testing.T) {
	t.Parallel()
	for _, selfWeights := range []bool{false, true} {
		t.Run(fmt.Sprintf("self-weights=%v", selfWeights), func(t *testing.T) {
			t.Parallel()
			const n, validators = 512, 64
			hp := DefaultHyperparameters()
			hp.Tempo, hp.MaxAllowedValidators = 65534, validators
			stakes := make([]uint64, n)
			for i := range validators {
				stakes[i] = 328_125_000_000_000
			}
			s := newChainSim(t, hp, stakes, 0)
			s.epoch(1)
			servers := make([]uint16, 0, n-validators)
			vals := make([]uint16, 0, n-validators)
			for j := validators; j < n; j++ {
				servers = append(servers, uint16(j))
				vals = append(vals, 127) // 65535/512, stored as 65535
			}
			for v := range validators {
				s.setWeights(v, 1, servers, vals)
			}
			if selfWeights {
				for j := validators; j < n; j++ {
					s.setWeights(j, 1, []uint16{uint16(j)}, []uint16{65535})
				}
			}
			var out EpochOutput
			for range 3 {
				out = s.epoch(1)
			}
			for i, nr := range out.Neurons {
				if i < validators {
					if nr.Consensus != 0 || nr.Incentive != 0 || nr.Dividends != 1023 || nr.Emission != 7_812_500 {
						t.Fatalf("validator %d: %+v", i, nr)
					}
					for _, b := range nr.Bonds {
						if (int(b.UID) < validators && b.Value != 0) || (int(b.UID) >= validators && b.Value != 65535) {
							t.Fatalf("validator %d bond %v", i, b)
						}
					}
					if len(nr.Bonds) != n-validators {
						t.Fatalf("validator %d has %d bonds", i, len(nr.Bonds))
					}
				} else if nr.Consensus != 146 || nr.Incentive != 146 || nr.Dividends != 0 || nr.Emission != 1_116_071 || len(nr.Bonds) != 0 {
					t.Fatalf("server %d: %+v", i, nr)
				}
			}
		})
	}
}

// yuma3Case is one test_yuma_3_* scenario (§6.7): validators 0..2 set weights on the servers
// at block t and the epoch runs at t+1; the first epoch (block 2) has no weights.
type yuma3Case struct {
	name          string
	stakes        []uint64
	servers       []uint16
	liquidAlpha   bool
	weights       func(e, v int) []uint16 // weights of validator v in epoch e
	epochs        int
	resetAt       int // epoch after whose weights uid 3's bonds are reset (−1: never)
	wantDiv       map[int][3]float64
	wantBonds     map[int][3][2]float64 // (V0..V2 × first two servers) as proportions
	wantStoredU16 map[int][3][]UIDValue
	// floorDrift lists the bonds (epoch, validator, server index) whose §6.7 value no exact
	// model reaches within 1e-4, with the exact stored u16 instead; see yuma3FloorDrift.
	floorDrift map[[3]int]uint16
}

// yuma3FloorDrift is the largest distance between a floorDrift bond and its §6.7 value.
//
// §6.7 quotes bonds to four decimals as test_yuma_3_*'s intended values; subtensor asserts
// none of them (its bond loop zips each two-entry target row with .skip(3), an empty
// iterator). Those decimals are the *unquantised* trajectory (TestYuma3BondTargetsUnquantised
// reproduces every one of them within 1e-4 with float64 and no u16 storage), while the chain
// stores each epoch's bond as floor(x·65535) (fixed_proportion_to_u16) and reads it back as
// u16/65535. The floor loses up to one u16 step per epoch and the EMA keeps ≈ 1/α ≈ 10 epochs of
// those losses, so after many epochs the stored bond sits ≈ 5e-5 to 7.5e-5 below the
// unquantised one, and with the spec's rounding of that value to four decimals up to ≈ 1.1e-4
// below the printed number. Concretely, in bonds_reset V0 weights S4 with w = c = 1 from e2 to
// e20, so its S4 bond follows b ← floor(65535·((1 − α)·b/65535 + α)) from 0 with
// α = 0.1013309 (liquid alpha at diff 0): 6640, 12607, 17970, 22789, 27120, … — the very
// recurrence the golden testdata/epoch-scenarios.json pins in kappa_moves_first (V0's S4 bond,
// blocks 4 to 8) — and its 19th step is 56923 = 0.868589, while the unquantised
// 1 − (1 − α)^19 = 0.868660 prints as ".8687". Neither the reset (it deletes only S3 bonds,
// after e20's weights and before its epoch, as do_reset_bonds runs between set_weights and
// the epoch), nor the order of clipping and consensus, nor I32F32 vs I64F64 intermediates
// (the EMA and its α are I32F32 in subtensor) touch this recurrence. Storing with round-to-nearest would reach .8687 but contradicts subtensor's code and
// the golden file (6641, 12609, … instead). So these five cells are asserted exactly, and
// within this bound of the spec's decimals.
const yuma3FloorDrift = 1.2e-4

func (c yuma3Case) run(t *testing.T) {
	hp := DefaultHyperparameters()
	hp.Tempo, hp.BondsPenalty, hp.BondsMovingAverage, hp.MaxAllowedValidators = 1, 0, 975_000, 3
	hp.Yuma3, hp.LiquidAlpha = true, c.liquidAlpha
	hp.AlphaLow, hp.AlphaHigh = 6553, 19660
	s := newChainSim(t, hp, c.stakes, 1)
	s.epoch(2)
	for e := range c.epochs {
		block := uint64(e) + 2
		for v := range 3 {
			s.setWeights(v, block, c.servers, c.weights(e, v))
		}
		if e == c.resetAt {
			s.resetBonds(int(c.servers[0]))
		}
		out := s.epoch(block + 1)
		if want, ok := c.wantDiv[e]; ok {
			for v := range 3 {
				got := float64(out.Neurons[v].Dividends) / 65535
				if math.Abs(got-want[v]) > 1e-3 { // the tolerance subtensor's test asserts
					t.Errorf("e%d dividends V%d = %.4f, want %.4f ± 1e-3", e, v, got, want[v])
				}
			}
		}
		if want, ok := c.wantBonds[e]; ok {
			for v := range 3 {
				for k := range 2 {
					u := bondCol(out, 3, int(c.servers[k]))[v]
					got := float64(u) / 65535
					if exact, ok := c.floorDrift[[3]int{e, v, k}]; ok {
						if u != uint64(exact) || math.Abs(got-want[v][k]) > yuma3FloorDrift {
							t.Errorf("e%d bond V%d S%d = %d, want exactly %d (≈ %.4f ± %g)", e, v, c.servers[k], u, exact,
								want[v][k], yuma3FloorDrift)
						}
						continue
					}
					if math.Abs(got-want[v][k]) > 1e-4 {
						t.Errorf("e%d bond V%d S%d = %.6f (u16 %d), want %.4f ± 1e-4", e, v, c.servers[k], got, u, want[v][k])
					}
				}
			}
		}
		if want, ok := c.wantStoredU16[e]; ok {
			for v := range 3 {
				if !slices.Equal(out.Neurons[v].Bonds, want[v]) {
					t.Errorf("e%d stored bonds V%d = %v, want %v", e, v, out.Neurons[v].Bonds, want[v])
				}
			}
		}
	}
}

func TestEpochYuma3(t *testing.T) {
	t.Parallel()
	for _, c := range yuma3Cases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t)
		})
	}
}

// yuma3Cases are §6.7's scenarios with their expected values.
func yuma3Cases() []yuma3Case {
	const M = 65535
	const H = 32767
	pick := func(table map[int][3][2]uint16, last [3][2]uint16) func(e, v int) []uint16 {
		return func(e, v int) []uint16 {
			w, ok := table[e]
			if !ok {
				w = last
			}
			return []uint16{w[v][0], w[v][1]}
		}
	}
	a, b := [2]uint16{M, 0}, [2]uint16{0, M}
	cases := []yuma3Case{
		{
			name: "kappa_moves_first", stakes: []uint64{8, 1, 1, 0, 0}, servers: []uint16{3, 4}, liquidAlpha: true, epochs: 6, resetAt: -1,
			weights: pick(map[int][3][2]uint16{0: {a, a, a}, 1: {b, a, a}, 2: {b, b, a}}, [3][2]uint16{b, b, b}),
			wantDiv: map[int][3]float64{0: {0.8, 0.1, 0.1}, 1: {1, 0, 0}, 2: {0.9382, 0.0618, 0}, 3: {0.8819, 0.0773, 0.0407},
				4: {0.8564, 0.0844, 0.0592}, 5: {0.8418, 0.0884, 0.0697}},
			wantBonds: map[int][3][2]float64{
				0: {{.1013, 0}, {.1013, 0}, {.1013, 0}}, 1: {{.0908, .1013}, {.3697, 0}, {.3697, 0}},
				2: {{.0815, .1924}, {.3170, .1013}, {.5580, 0}}, 3: {{.0731, .2742}, {.2765, .1924}, {.4306, .1013}},
				4: {{.0656, .3478}, {.2435, .2742}, {.3589, .1924}}, 5: {{.0588, .4139}, {.2157, .3478}, {.3089, .2742}}},
			wantStoredU16: map[int][3][]UIDValue{
				0: {{{3, 6640}}, {{3, 6640}}, {{3, 6640}}},
				1: {{{3, 5951}, {4, 6640}}, {{3, 24229}}, {{3, 24229}}},
				2: {{{3, 5336}, {4, 12607}}, {{3, 20770}, {4, 6640}}, {{3, 36565}}}},
		},
		{
			name: "kappa_moves_second", stakes: []uint64{8, 1, 1, 0, 0}, servers: []uint16{3, 4}, liquidAlpha: true, epochs: 6, resetAt: -1,
			weights: pick(map[int][3][2]uint16{0: {a, a, a}, 1: {a, b, a}, 2: {b, b, a}}, [3][2]uint16{b, b, b}),
			wantDiv: map[int][3]float64{0: {0.8, 0.1, 0.1}, 1: {0.8446, 0.0498, 0.1056}, 2: {0.6868, 0.3132, 0},
				3: {0.7421, 0.2090, 0.0489}, 4: {0.7625, 0.1706, 0.0669}, 5: {0.7730, 0.1508, 0.0762}},
		},
		{
			name: "kappa_moves_last", stakes: []uint64{8, 1, 1, 0, 0}, servers: []uint16{3, 4}, liquidAlpha: true, epochs: 6, resetAt: -1,
			weights: pick(map[int][3][2]uint16{0: {a, a, a}, 1: {a, b, a}, 2: {a, b, b}}, [3][2]uint16{b, b, b}),
			wantDiv: map[int][3]float64{0: {0.8, 0.1, 0.1}, 1: {0.8446, 0.0498, 0.1056}, 2: {0.8966, 0.0333, 0.0701},
				3: {0.4663, 0.3210, 0.2127}, 4: {0.5976, 0.2340, 0.1683}, 5: {0.6592, 0.1932, 0.1475}},
		},
		{
			name: "one_epoch_switch", stakes: []uint64{33, 33, 34, 0, 0}, servers: []uint16{3, 4}, liquidAlpha: true, epochs: 6, resetAt: -1,
			weights: pick(map[int][3][2]uint16{2: {a, a, b}}, [3][2]uint16{a, a, a}),
			wantDiv: map[int][3]float64{0: {0.33, 0.33, 0.34}, 1: {0.33, 0.33, 0.34}, 2: {0.3782, 0.3782, 0.2436},
				3: {0.3628, 0.3628, 0.2745}, 4: {0.3541, 0.3541, 0.2917}, 5: {0.3487, 0.3487, 0.3026}},
			wantBonds: map[int][3][2]float64{5: {{.4733, 0}, {.4733, 0}, {.3987, .2051}}},
		},
		{
			name: "liquid_alpha_disabled", stakes: []uint64{33, 33, 34, 0, 0}, servers: []uint16{3, 4}, liquidAlpha: false, epochs: 6, resetAt: -1,
			weights: pick(map[int][3][2]uint16{2: {a, a, b}}, [3][2]uint16{a, a, a}),
			wantDiv: map[int][3]float64{0: {0.33, 0.33, 0.34}, 1: {0.33, 0.33, 0.34}, 2: {0.3734, 0.3734, 0.2532},
				3: {0.3611, 0.3611, 0.2779}, 4: {0.3541, 0.3541, 0.2919}, 5: {0.3495, 0.3495, 0.3009}},
			wantBonds: map[int][3][2]float64{
				0: {{.0250, 0}, {.0250, 0}, {.0250, 0}}, 1: {{.0494, 0}, {.0494, 0}, {.0494, 0}},
				2: {{.0731, 0}, {.0731, 0}, {.0481, .0250}}, 3: {{.0963, 0}, {.0963, 0}, {.0719, .0244}},
				4: {{.1189, 0}, {.1189, 0}, {.0951, .0238}}, 5: {{.1409, 0}, {.1409, 0}, {.1178, .0232}}},
		},
		{
			name: "stable_miner", stakes: []uint64{8, 1, 1, 0, 0, 0}, servers: []uint16{3, 4, 5}, liquidAlpha: true, epochs: 6, resetAt: -1,
			weights: func(e, v int) []uint16 {
				x, y := []uint16{H, 0, H}, []uint16{0, H, H}
				switch {
				case e == 0, e == 1 && v != 1, e == 2 && v == 2:
					return x
				}
				return y
			},
			wantDiv: map[int][3]float64{0: {0.8, 0.1, 0.1}, 1: {0.8226, 0.0745, 0.1028}, 2: {0.7750, 0.1685, 0.0565},
				3: {0.7864, 0.1372, 0.0764}, 4: {0.7912, 0.1241, 0.0847}, 5: {0.7937, 0.1173, 0.0890}},
		},
		{
			name: "bonds_reset", stakes: []uint64{8, 1, 1, 0, 0}, servers: []uint16{3, 4}, liquidAlpha: true, epochs: 41, resetAt: 20,
			weights: func(e, v int) []uint16 {
				switch {
				case e == 0, e == 1 && v == 0, e == 21 && v != 0, e >= 22:
					return []uint16{M, 0}
				}
				return []uint16{0, M}
			},
			wantDiv: map[int][3]float64{0: {0.8, 0.1, 0.1}, 1: {0.8944, 0.0528, 0.0528}, 2: {0.5230, 0.2385, 0.2385},
				19: {0.7919, 0.1040, 0.1040}, 20: {0.7928, 0.1036, 0.1036}, 21: {0.8467, 0.0766, 0.0766}, 40: {0.7928, 0.1036, 0.1036}},
			wantBonds: map[int][3][2]float64{
				20: {{0, .8687}, {0, .9079}, {0, .9079}}, 21: {{0, .8820}, {.2987, .6386}, {.2987, .6386}},
				40: {{.8687, .0578}, {.9079, .0523}, {.9079, .0523}}},
			floorDrift: map[[3]int]uint16{{20, 0, 1}: 56923, {21, 0, 1}: 57795, {21, 1, 1}: 41844, {21, 2, 1}: 41844,
				{40, 0, 0}: 56923},
		},
	}
	return cases
}
