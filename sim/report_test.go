package sim

import (
	"strings"
	"testing"
)

func sampleEpochs() []EpochReport {
	mk := func(tempo int, block uint64, aStake, bStake, aEm, bEm uint64) EpochReport {
		e := EpochReport{Subnet: "s", Netuid: 2, Tempo: tempo, Block: block, TotalStake: aStake + bStake, TotalEmission: aEm + bEm,
			Teams: []TeamShare{{Team: "a", Neurons: 2, Stake: aStake, Emission: aEm}, {Team: "b", Neurons: 1, Stake: bStake, Emission: bEm}}}
		for i := range e.Teams {
			e.Teams[i].StakeShare = share(e.Teams[i].Stake, e.TotalStake)
			e.Teams[i].EmissionShare = share(e.Teams[i].Emission, e.TotalEmission)
		}
		return e
	}
	return []EpochReport{
		mk(0, 8, 600, 400, 60, 40), // the baseline's emission is not part of the final ratios
		mk(1, 19, 690, 410, 90, 10),
		mk(2, 30, 770, 430, 80, 20),
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	got := summarize(sampleEpochs(), []string{"a", "b", "c"})
	// a: stake 600/1000 → 770/1200; emission (90+80)/(100+100) over tempos 1..2; yield: what it
	// got over what its stake share before each epoch would have paid (0.6·100 + 690/1100·100).
	want := []TeamSummary{
		{Team: "a", StakeShareStart: 0.6, StakeShareEnd: 770.0 / 1200, Emission: 170, EmissionShare: 0.85,
			Yield: 170 / (0.6*100 + 690.0/1100*100)},
		{Team: "b", StakeShareStart: 0.4, StakeShareEnd: 430.0 / 1200, Emission: 30, EmissionShare: 0.15,
			Yield: 30 / (0.4*100 + 410.0/1100*100)},
		{Team: "c"}, // a team that never held a uid
	}
	for i := range want {
		g := got[i]
		if absDiff(g.Yield, want[i].Yield) < 1e-12 {
			g.Yield = want[i].Yield
		}
		if g != want[i] {
			t.Errorf("team %s: %+v, want %+v", want[i].Team, got[i], want[i])
		}
	}
	if s := summarize(nil, []string{"a"}); s[0] != (TeamSummary{Team: "a"}) {
		t.Fatalf("no epochs: %+v", s[0])
	}
}

func TestWriteText(t *testing.T) {
	t.Parallel()
	ep := sampleEpochs()
	ep[2].WeightsSet, ep[2].WeightsFailed, ep[2].Commits = 3, 1, 4
	ep[2].Failures = []string{"weights of a[1]: no_validator_permit: uid 1 has no validator permit"}
	r := &Report{Scenario: "x", Seed: 5, Tempos: 2, Endpoint: "embedded:/d", FirstBlock: 0, LastBlock: 30, SetupBlocks: 7, ElapsedMs: 1500,
		Subnets: []SubnetReport{{Name: "s", Netuid: 2, Epochs: ep, Final: summarize(ep, []string{"a", "b"})}}}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	flat := norm(out)
	for _, want := range []string{
		"scenario x (seed 5): 2 tempos on embedded:/d, blocks #0–#30 (7 setup blocks), 1.5s",
		"subnet s (netuid 2): stake share / emission share per epoch",
		"a stake  a emission  b stake  b emission  weights ok/failed",
		"2     30   64.17%      80.00%   35.83%      20.00%   3/1 +4 commits",
		"final ratios (emission over tempos 1..2):",
		"   a       60.00%     64.17%          85.00%           0.0000",
		"tempo 2: weights of a[1]: no_validator_permit",
	} {
		if !strings.Contains(flat, norm(want)) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if r.Subnet("s") == nil || r.Subnet("t") != nil {
		t.Fatal("Subnet lookup")
	}
	if got := formatAlpha(1_234_567_890); got != "1.2345" {
		t.Fatalf("formatAlpha = %s", got)
	}
}
