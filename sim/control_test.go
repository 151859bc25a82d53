package sim

import (
	"strings"
	"testing"
)

func TestControlScenario(t *testing.T) {
	t.Parallel()
	sc := DemoScenario()
	ctl := sc.Control()
	if ctl.Name != sc.Name || ctl.Seed != sc.Seed || ctl.Tempos != sc.Tempos || len(ctl.Groups) != len(sc.Groups) {
		t.Fatalf("control changed the scenario's identity: %+v", ctl)
	}
	if err := ctl.Validate(); err != nil {
		t.Fatalf("control run does not validate: %v", err)
	}
	kinds := map[string]bool{}
	for i, g := range ctl.Groups {
		orig := sc.Groups[i]
		if g.Name != orig.Name || g.Count != orig.Count || g.Stake != orig.Stake || g.Role != orig.Role ||
			g.RegisterAtTempo != orig.RegisterAtTempo || g.StopAtTempo != orig.StopAtTempo || g.OfflineAtTempo != orig.OfflineAtTempo {
			t.Fatalf("group %s changed beyond its behaviour: %+v vs %+v", g.Name, g, orig)
		}
		if g.Behaviour != nil {
			if g.Behaviour.Kind != KindHonest || g.Behaviour.Lag != 0 {
				t.Fatalf("group %s in the control: %+v", g.Name, *g.Behaviour)
			}
			kinds[orig.Behaviour.Kind] = true
		}
	}
	if !kinds[KindCabal] || !kinds[KindCopier] {
		t.Fatalf("the demo should hold a cabal and a copier to test this: %v", kinds)
	}
	// The original is untouched.
	for _, g := range sc.Groups {
		if g.Behaviour != nil && g.Behaviour.Kind == KindCabal && len(g.Behaviour.Targets) == 0 {
			t.Fatal("Control modified the scenario it was called on")
		}
	}
	var b strings.Builder
	rep := &Report{Scenario: "x", Subnets: []SubnetReport{{Name: "s", Epochs: []EpochReport{{}, {}}, Final: []TeamSummary{{Team: "a", EmissionShare: 0.3, Yield: 0.5}}}}}
	ctlRep := &Report{Scenario: "x", Subnets: []SubnetReport{{Name: "s", Epochs: []EpochReport{{}, {}}, Final: []TeamSummary{{Team: "a", EmissionShare: 0.4, Yield: 0.7}}}}}
	cmp := Compare(rep, ctlRep)
	if d := cmp.Subnet("s").Team("a"); absDiff(d.EmissionShareDiff, -0.1) > 1e-12 || absDiff(d.YieldDiff, -0.2) > 1e-12 {
		t.Fatalf("comparison %+v", d)
	}
	if err := cmp.WriteText(&b); err != nil || !strings.Contains(b.String(), "-10.00") || !strings.Contains(b.String(), "control run") {
		t.Fatalf("comparison text (%v):\n%s", err, b.String())
	}
}
