package mechanism

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

// crInput is a small subnet for the commit-reveal mask: validators 0 and 1 (equal stake, both
// permitted, weights set at block 100) weight miners 2 (registered at block 1) and 3
// (registered at block 50), the epoch runs at block 101. Validator 0 weights 3 heavily, so
// whether its weight to 3 counts changes 3's consensus and incentive.
func crInput(flag bool, commit0 *uint64) EpochInput {
	hp := DefaultHyperparameters()
	hp.Tempo = 100
	hp.CommitReveal = flag
	in := EpochInput{Block: 101, RaoEmission: 1_000_000_000, Hyperparameters: hp}
	in.Neurons = []Neuron{
		{UID: 0, Stake: 600, LastUpdate: 100, RegisteredAt: 1, ValidatorPermit: true,
			Weights: []UIDValue{{2, 20000}, {3, 65535}}, CommitBlock: commit0},
		{UID: 1, Stake: 400, LastUpdate: 100, RegisteredAt: 1, ValidatorPermit: true,
			Weights: []UIDValue{{2, 65535}, {3, 30000}}},
		{UID: 2, LastUpdate: 1, RegisteredAt: 1},
		{UID: 3, LastUpdate: 50, RegisteredAt: 50},
	}
	return in
}

// withoutWeight returns in with validator i's weight to uid j deleted and the flag off: what
// the masked epoch must equal when the mask drops (i, j).
func withoutWeight(in EpochInput, i int, j uint16) EpochInput {
	in.Hyperparameters.CommitReveal = false
	nr := in.Neurons
	in.Neurons = append([]Neuron(nil), nr...)
	var row []UIDValue
	for _, w := range nr[i].Weights {
		if w.UID != j {
			row = append(row, w)
		}
	}
	in.Neurons[i].Weights = row
	return in
}

func u64p(x uint64) *uint64 { return &x }

// TestCommitRevealMask checks §1.2 step 5's commit-reveal mask: with CommitRevealWeightsEnabled,
// weight (i, j) is dropped exactly when commit_block[i] < registered_at[j], where commit_block[i]
// is the block of i's oldest unexpired commit (u64::MAX, i.e. nothing dropped, when it has
// none). A dropped entry behaves exactly as if the row never held it: the row is normalised
// without it. With the flag off commit blocks are ignored.
func TestCommitRevealMask(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		flag    bool
		commit0 *uint64
		dropped []uint16 // validator 0's targets the mask must drop
	}{
		// Edge cases first.
		{"no commits: u64::MAX masks nothing", true, nil, nil},
		{"commit after the miner's registration: kept", true, u64p(60), nil},
		{"commit in the miner's registration block: kept (the comparison is strict)", true, u64p(50), nil},
		{"flag off: an old commit is ignored", false, u64p(10), nil},
		{"commit at u64 max: kept", true, u64p(math.MaxUint64), nil},
		// The mask.
		{"commit one block before the miner registered: weight to it dropped", true, u64p(49), []uint16{3}},
		{"commit between the two registrations: only the later miner dropped", true, u64p(10), []uint16{3}},
		{"commit at block 0: every uid registered later dropped", true, u64p(0), []uint16{2, 3}},
	}
	unmasked, err := Epoch(crInput(false, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := crInput(tc.flag, tc.commit0)
			got, err := Epoch(in)
			if err != nil {
				t.Fatal(err)
			}
			want := unmasked
			if len(tc.dropped) > 0 {
				ref := in
				for _, j := range tc.dropped {
					ref = withoutWeight(ref, 0, j)
				}
				if want, err = Epoch(ref); err != nil {
					t.Fatal(err)
				}
				if reflect.DeepEqual(want, unmasked) {
					t.Fatal("test subnet too weak: dropping the weight does not change the epoch")
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("epoch differs from the expected masking of %v:\n got  %+v\n want %+v", tc.dropped, got.Neurons, want.Neurons)
			}
		})
	}
	// The miner the mask hides loses incentive to the one it cannot hide.
	masked, _ := Epoch(crInput(true, u64p(49)))
	if masked.Neurons[3].Incentive >= unmasked.Neurons[3].Incentive {
		t.Fatalf("masked incentive of uid 3 = %d, want below the unmasked %d", masked.Neurons[3].Incentive, unmasked.Neurons[3].Incentive)
	}
}

// TestCommitRevealMaskOtherRows checks that the mask is per validator: only rows whose own
// commit predates the target's registration lose the entry, and the outdated mask
// (last_update <= registered_at) still applies independently.
func TestCommitRevealMaskOtherRows(t *testing.T) {
	t.Parallel()
	in := crInput(true, nil)
	in.Neurons[1].CommitBlock = u64p(49) // validator 1's commit predates miner 3
	got, err := Epoch(in)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Epoch(withoutWeight(in, 1, 3))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("validator 1's commit masked the wrong entries:\n got  %+v\n want %+v", got.Neurons, want.Neurons)
	}
	// An outdated weight stays dropped whatever the commit says.
	in = crInput(true, u64p(60))
	in.Neurons[0].LastUpdate = 50 // set in miner 3's registration block: outdated
	got, _ = Epoch(in)
	want, _ = Epoch(withoutWeight(in, 0, 3))
	if !reflect.DeepEqual(got, want) {
		t.Fatal("a later commit revived an outdated weight")
	}
}

// TestCommitRevealJSON checks the two input extensions: hyperparameters.commitReveal (boolean,
// default false) and neurons[i].commitBlock (u64, absent or null = no commit), decoded strictly
// with field-path errors, and that an input round-trips through JSON.
func TestCommitRevealJSON(t *testing.T) {
	t.Parallel()
	base := `{"block":101,"raoEmission":1,"hyperparameters":{%s},"neurons":[{"uid":0,"stake":1%s}]}`
	doc := func(hp, nr string) []byte {
		return []byte(strings.Replace(strings.Replace(base, "%s", hp, 1), "%s", nr, 1))
	}
	in, err := ParseEpochInput(doc(``, ``))
	if err != nil {
		t.Fatal(err)
	}
	if in.Hyperparameters.CommitReveal || in.Neurons[0].CommitBlock != nil {
		t.Fatalf("defaults: commitReveal %v, commitBlock %v; want false and none", in.Hyperparameters.CommitReveal, in.Neurons[0].CommitBlock)
	}
	if in, err = ParseEpochInput(doc(`"commitReveal":true`, `,"commitBlock":null`)); err != nil {
		t.Fatal(err)
	}
	if !in.Hyperparameters.CommitReveal || in.Neurons[0].CommitBlock != nil {
		t.Fatal("commitReveal true / commitBlock null not read as flag on, no commit")
	}
	if in, err = ParseEpochInput(doc(``, `,"commitBlock":18446744073709551615`)); err != nil {
		t.Fatal(err)
	}
	if in.Neurons[0].CommitBlock == nil || *in.Neurons[0].CommitBlock != math.MaxUint64 {
		t.Fatalf("commitBlock u64 max read as %v", in.Neurons[0].CommitBlock)
	}
	for _, tc := range []struct{ hp, nr, path string }{
		{`"commitReveal":1`, ``, "hyperparameters.commitReveal"},
		{``, `,"commitBlock":-1`, "neurons[0].commitBlock"},
		{``, `,"commitBlock":1.5`, "neurons[0].commitBlock"},
		{``, `,"commitBlock":"7"`, "neurons[0].commitBlock"},
		{``, `,"commitBlock":18446744073709551616`, "neurons[0].commitBlock"},
		{``, `,"commitblock":7`, "neurons[0].commitblock"},
	} {
		_, err := ParseEpochInput(doc(tc.hp, tc.nr))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Path != tc.path || !errors.Is(err, ErrInvalidEpochInput) {
			t.Errorf("%s%s: error %v, want a field error at %s", tc.hp, tc.nr, err, tc.path)
		}
	}
	orig := crInput(true, u64p(49))
	b, err := json.Marshal(orig)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseEpochInput(b)
	if err != nil {
		t.Fatalf("round trip of %s: %v", b, err)
	}
	if !reflect.DeepEqual(back, orig) {
		t.Fatalf("round trip changed the input:\n%+v\n%+v", back, orig)
	}
	if strings.Count(string(b), "commitBlock") != 1 {
		t.Fatalf("only uid 0 has a commit, got %s", b)
	}
}
