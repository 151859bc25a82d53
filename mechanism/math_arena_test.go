package mechanism

import (
	"encoding/json"
	"testing"
)

// An epoch computed in memory given back by ReleaseOutput (another subnet's output, bigger or
// smaller) equals the same epoch computed in fresh memory; releasing an output decoded from
// JSON, or an empty one, keeps no bond array that Epoch did not make.
func TestReleaseOutputReuse(t *testing.T) {
	small := benchInput(t, 64, 16, 48, false, 2)
	big := benchInput(t, 256, 64, 192, true, 2)
	fresh := func(in EpochInput) string {
		t.Helper()
		out, err := Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	wantSmall, wantBig := fresh(small), fresh(big)
	for round := range 3 {
		for _, tc := range []struct {
			in   EpochInput
			want string
		}{{big, wantBig}, {small, wantSmall}, {small, wantSmall}, {big, wantBig}} {
			out, err := Epoch(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(out)
			if string(b) != tc.want {
				t.Fatalf("round %d: an epoch in reused memory differs from one in fresh memory", round)
			}
			ReleaseOutput(out)
		}
	}
	keptOutputs.Lock()
	reused := len(keptOutputs.bonds) > 0
	keptOutputs.Unlock()
	if !reused {
		t.Fatal("no bond array was kept for reuse")
	}

	var decoded EpochOutput
	if err := json.Unmarshal([]byte(wantBig), &decoded); err != nil {
		t.Fatal(err)
	}
	keptOutputs.Lock()
	before := len(keptOutputs.bonds)
	keptOutputs.Unlock()
	ReleaseOutput(decoded)
	ReleaseOutput(EpochOutput{})
	keptOutputs.Lock()
	after := len(keptOutputs.bonds)
	keptOutputs.Unlock()
	if after != before {
		t.Fatalf("releasing a decoded output kept %d bond arrays", after-before)
	}
}
