package mechanism

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestWhitepaperMode checks §7.2 on two validators (stake 0.6 and 0.4) that each weight one
// miner: T = [.., 0.6, 0.4]; C = σ(ρ(T − κ)) with ρ = 10, κ ≈ ½ gives ≈ [0.7311, 0.2689];
// I = normalize(R ⊙ C) = 0.6·0.7311 / (0.6·0.7311 + 0.4·0.2689) ≈ 0.8030 and ≈ 0.1970.
func TestWhitepaperMode(t *testing.T) {
	t.Parallel()
	hp := DefaultHyperparameters()
	hp.Tempo, hp.ConsensusMode = 1, ConsensusWhitepaper
	s := newChainSim(t, hp, []uint64{600, 400, 0, 0}, 1)
	s.epoch(1)
	s.setWeights(0, 2, []uint16{2}, []uint16{1})
	s.setWeights(1, 2, []uint16{3}, []uint16{1})
	out := s.epoch(2)
	near := func(what string, got uint16, want float64) {
		t.Helper()
		if math.Abs(float64(got)/65535-want) > 2e-4 {
			t.Errorf("%s = %d (%.4f), want ≈ %.4f", what, got, float64(got)/65535, want)
		}
	}
	sig := func(x float64) float64 { return 1 / (1 + math.Exp(-10*(x-32767.0/65535))) }
	c2, c3 := sig(0.6), sig(0.4)
	near("C_2", out.Neurons[2].Consensus, c2)
	near("C_3", out.Neurons[3].Consensus, c3)
	near("T_2", out.Neurons[2].Trust, 0.6)
	near("R_2", out.Neurons[2].Rank, 0.6)
	i2 := 0.6 * c2 / (0.6*c2 + 0.4*c3)
	near("I_2", out.Neurons[2].Incentive, i2)
	near("I_3", out.Neurons[3].Incentive, 1-i2)
	// Each validator's bonds sit on its own miner, so dividends follow incentive.
	near("D_0", out.Neurons[0].Dividends, i2)
	near("D_1", out.Neurons[1].Dividends, 1-i2)
	var total uint64
	for _, n := range out.Neurons {
		total += n.Emission
	}
	if total > 1_000_000_000 || total < 1_000_000_000-4 {
		t.Errorf("Σ emission = %d", total)
	}
	if out.Neurons[0].ValidatorTrust != 65535 || len(out.Neurons[0].Bonds) != 1 || out.Neurons[0].Bonds[0] != (UIDValue{2, 65535}) {
		t.Errorf("validator 0: %+v", out.Neurons[0])
	}
	// A weight below 0.1/(n+1) makes no trust edge: the miner's consensus drops to σ(−ρκ) ≈ 0.
	s = newChainSim(t, hp, []uint64{600, 400, 0, 0}, 1)
	s.epoch(1)
	s.setWeights(0, 2, []uint16{2, 3}, []uint16{65535, 100}) // 100/65635 < 0.1/5
	out = s.epoch(2)
	near("C_3 without edge", out.Neurons[3].Consensus, 1/(1+math.Exp(10*32767.0/65535)))
	// Yuma on the first input clips the 40 % validator's weight instead: its miner gets nothing.
	hp.ConsensusMode = ConsensusYuma
	s = newChainSim(t, hp, []uint64{600, 400, 0, 0}, 1)
	s.epoch(1)
	s.setWeights(0, 2, []uint16{2}, []uint16{1})
	s.setWeights(1, 2, []uint16{3}, []uint16{1})
	if out := s.epoch(2); out.Neurons[3].Incentive != 0 || out.Neurons[2].Incentive != 65535 {
		t.Errorf("yuma incentives %d, %d; want 65535, 0", out.Neurons[2].Incentive, out.Neurons[3].Incentive)
	}
}

// TestLiquidAlphaRowOrder checks that the direct α of ascending rows equals subtensor's merge
// walk over columns, and that rows in any other order follow the merge walk (whose α then
// differs from the pairwise one).
func TestLiquidAlphaRowOrder(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	const n = 12
	consensus := make([]I32F32, n)
	for j := range consensus {
		consensus[j] = I32F32FromBits(int64(r.Uint64N(1 << 32)))
	}
	hp := DefaultHyperparameters()
	hp.Yuma3, hp.LiquidAlpha, hp.AlphaLow, hp.AlphaHigh = true, true, 6553, 19660
	st := &epochState{hp: hp, n: n}
	low, high := U16ProportionToFixed(6553), U16ProportionToFixed(19660)
	k := I32F32FromInt(1000).SaturatingDiv(I32F32FromInt(-100))
	// The reference runs the exact series (no bracketed fast path).
	alphaOf := func(j int, w, b I32F32) I32F32 {
		return alphaOfExp(SafeExp(alphaExpArg(alphaDiff(consensus[j], w, b), k)), low, high)
	}
	for iter := range 200 {
		var w, b SparseMatrix
		for range 3 {
			var wr, br []SparseEntry
			for _, j := range r.Perm(n)[:r.IntN(n)] {
				wr = append(wr, SparseEntry{uint16(j), I32F32FromBits(int64(r.Uint64N(1 << 32)))})
			}
			for _, j := range r.Perm(n)[:r.IntN(n)] {
				br = append(br, SparseEntry{uint16(j), I32F32FromBits(int64(r.Uint64N(1 << 32)))})
			}
			sorted := iter%2 == 0
			if sorted {
				slices.SortFunc(wr, func(a, b SparseEntry) int { return int(a.Col) - int(b.Col) })
				slices.SortFunc(br, func(a, b SparseEntry) int { return int(a.Col) - int(b.Col) })
			}
			w, b = append(w, wr), append(b, br)
		}
		got := st.liquidAlphaEMA(w, b, consensus)
		// Reference: the literal α matrix of compute_liquid_alpha_values_sparse.
		alphas := make([][]I32F32, len(w))
		for i := range w {
			alphas[i] = mergedAlphaRow(w[i], b[i], n, alphaOf, nil)
		}
		want := MatEmaAlphaSparse(w, b, func(i, j int) I32F32 { return alphas[i][j] }, n)
		for i := range want {
			if !slices.Equal(got[i], want[i]) {
				t.Fatalf("iter %d row %d: %v, want %v", iter, i, got[i], want[i])
			}
		}
	}
}

func TestParseEpochInputDefaultsAndJSON(t *testing.T) {
	t.Parallel()
	in, err := ParseEpochInput([]byte(`{"block":5,"raoEmission":7,"neurons":[{"uid":0,"stake":3,"weights":[[0,9]]}],
		"hyperparameters":{"tempo":10,"yuma3":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultHyperparameters()
	want.Tempo, want.Yuma3 = 10, true
	if in.Hyperparameters != want {
		t.Errorf("hyperparameters %+v, want defaults with tempo 10 and yuma3", in.Hyperparameters)
	}
	if in.OwnerUID != nil || in.Neurons[0].Weights[0] != (UIDValue{0, 9}) || in.Neurons[0].Bonds != nil {
		t.Errorf("decoded %+v", in)
	}
	// encoding/json goes through the same strict decoder.
	var viaJSON EpochInput
	if err := json.Unmarshal([]byte(`{"block":5,"raoEmission":7,"neurons":[]}`), &viaJSON); err != nil || viaJSON.Hyperparameters != DefaultHyperparameters() {
		t.Errorf("json.Unmarshal: %+v %v", viaJSON, err)
	}
	err = json.Unmarshal([]byte(`{"block":5,"raoEmission":7,"neurons":[],"x":1}`), &viaJSON)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Path != "x" || !errors.Is(err, ErrInvalidEpochInput) {
		t.Errorf("json.Unmarshal unknown field: %v", err)
	}
	// Output JSON: pairs as [uid, value], empty bond rows as [].
	out, err := Epoch(in)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	if !strings.Contains(string(b), `"bonds":[]`) || !strings.Contains(string(b), `"validatorPermit":true`) {
		t.Errorf("output JSON %s", b)
	}
	var p UIDValue
	if err := json.Unmarshal([]byte(`[3, 65535]`), &p); err != nil || p != (UIDValue{3, 65535}) {
		t.Errorf("UIDValue %v %v", p, err)
	}
	if err := json.Unmarshal([]byte(`[3, 65536]`), &p); err == nil {
		t.Error("UIDValue accepted 65536")
	}
	// Go callers get the same validation from Epoch.
	bad := in
	bad.Neurons = []Neuron{{UID: 1}}
	if _, err := Epoch(bad); !errors.As(err, &fe) || fe.Path != "neurons[0].uid" {
		t.Errorf("Epoch on bad uid: %v", err)
	}
}

// TestActivityCutoff: cutoff = max(1, floor(factor·tempo / 1000)).
func TestActivityCutoff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		factor uint32
		tempo  uint16
		want   uint64
	}{
		{13_889, 0, 1},      // tempo 0 still leaves one block
		{13_889, 1, 13},     // the epoch tests' tempo
		{13_889, 360, 5000}, // mainnet: 5000 blocks
		{13_889, 65534, 910_201},
		{1000, 10, 10},
		{0, 360, 1},
	} {
		hp := DefaultHyperparameters()
		hp.ActivityCutoffFactorMilli, hp.Tempo = tc.factor, tc.tempo
		if got := hp.ActivityCutoff(); got != tc.want {
			t.Errorf("cutoff(%d, %d) = %d, want %d", tc.factor, tc.tempo, got, tc.want)
		}
	}
	// Inactivity is strict: active while last_update + cutoff ≥ block.
	hp := DefaultHyperparameters()
	hp.Tempo = 1 // cutoff 13
	in := EpochInput{Block: 14, Hyperparameters: hp, Neurons: []Neuron{{UID: 0, Stake: 1, LastUpdate: 1}, {UID: 1, Stake: 1, LastUpdate: 0}}}
	out, err := Epoch(in)
	if err != nil || !out.Neurons[0].Active || out.Neurons[1].Active {
		t.Errorf("activity at the boundary: %+v %v", out.Neurons, err)
	}
}

// TestBondsMaskSinceLastEpoch: bonds on a uid registered at or after last_tempo are dropped;
// last_tempo is LastMechanismStepBlock + 1, or block − tempo when it is 0.
func TestBondsMaskSinceLastEpoch(t *testing.T) {
	t.Parallel()
	hp := DefaultHyperparameters()
	hp.Tempo, hp.MaxAllowedValidators = 10, 1
	mk := func(lms, reg uint64) EpochInput {
		return EpochInput{Block: 100, RaoEmission: 1000, LastMechanismStepBlock: lms, Hyperparameters: hp, Neurons: []Neuron{
			{UID: 0, Stake: 1, LastUpdate: 99, RegisteredAt: 1, ValidatorPermit: true, Bonds: []UIDValue{{1, 65535}}},
			{UID: 1, LastUpdate: reg, RegisteredAt: reg},
		}}
	}
	for _, tc := range []struct {
		name     string
		lms, reg uint64
		kept     bool
	}{
		{"registered before block − tempo", 0, 89, true},
		{"registered at block − tempo", 0, 90, false},
		{"registered before the last epoch", 95, 95, true},
		{"registered right after the last epoch", 95, 96, false},
	} {
		out, err := Epoch(mk(tc.lms, tc.reg))
		if err != nil {
			t.Fatal(err)
		}
		// With no weights the EMA is (1−α)·B: a kept bond survives, a masked one is gone.
		kept := len(out.Neurons[0].Bonds) == 1
		if kept != tc.kept {
			t.Errorf("%s: bonds %v, kept = %v, want %v", tc.name, out.Neurons[0].Bonds, kept, tc.kept)
		}
	}
}

// TestEpochArenaReuse: the pooled scratch memory never leaks between calls — an epoch's output
// is the same whether it runs first or after epochs of other sizes, and an earlier output is
// not changed by later calls.
func TestEpochArenaReuse(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(77, 78))
	inputs := make([]EpochInput, 40)
	for i := range inputs {
		inputs[i] = randomInput(r)
	}
	first := make([][]byte, len(inputs))
	outs := make([]EpochOutput, len(inputs))
	for i, in := range inputs {
		out, err := Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		outs[i] = out
		first[i], _ = json.Marshal(out)
	}
	for round := range 3 {
		for _, i := range r.Perm(len(inputs)) {
			out, err := Epoch(inputs[i])
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := json.Marshal(out); string(b) != string(first[i]) {
				t.Fatalf("round %d: input %d gave a different output on reuse", round, i)
			}
		}
	}
	for i := range outs {
		if b, _ := json.Marshal(outs[i]); string(b) != string(first[i]) {
			t.Fatalf("output %d changed after later epochs", i)
		}
	}
}
