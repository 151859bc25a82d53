package localchain

import (
	"reflect"
	"testing"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
)

// checkStoredEpoch seals the epoch block e (the head must be e−1), runs mechanism.Epoch on in
// (rebuilt from queries before the seal, completed with the epoch's rao) and checks that the
// stored metagraph and bonds are its output, which it returns.
func (h *subHarness) checkStoredEpoch(netuid uint16, e uint64, in mechanism.EpochInput) mechanism.EpochOutput {
	h.t.Helper()
	if chainIn, err := h.c.EpochInputAt(netuid, e, 0); err != nil || !reflect.DeepEqual(normInput(chainIn), normInput(in)) {
		h.t.Fatalf("epoch %d: the chain's epoch input differs from the one rebuilt from queries (%v):\n chain   %+v\n queries %+v", e, err, chainIn, in)
	}
	h.seal()
	in.RaoEmission = attrU64(h.t, h.stepEvent(e, "EpochRun", netuid), "rao_emission")
	want, err := mechanism.Epoch(in)
	if err != nil {
		h.t.Fatal(err)
	}
	mg, err := h.c.Metagraph(netuid)
	if err != nil {
		h.t.Fatal(err)
	}
	bonds, _ := h.c.Bonds(netuid)
	for i, o := range want.Neurons {
		got := mg.Neurons[i]
		if got.Rank != o.Rank || got.Trust != o.Trust || got.Consensus != o.Consensus || got.Incentive != o.Incentive ||
			got.Dividends != o.Dividends || got.ValidatorTrust != o.ValidatorTrust || got.StakeShare != o.StakeWeight ||
			got.Emission != o.Emission || got.Permit != o.ValidatorPermit || got.Active != o.Active {
			h.t.Fatalf("epoch %d uid %d: stored %+v, mechanism %+v", e, i, got, o)
		}
		wantBonds := o.Bonds
		if wantBonds == nil {
			wantBonds = []mechanism.UIDValue{}
		}
		if !reflect.DeepEqual(mechRow(bonds[i].Entries), wantBonds) {
			h.t.Fatalf("epoch %d uid %d bonds %v, mechanism %v", e, i, bonds[i].Entries, o.Bonds)
		}
	}
	return want
}

// TestCommitRevealEpochMask is the chain side of §1.2 step 5's commit-reveal mask: on a
// commit-reveal subnet, a validator's weight to a miner does not count while the validator
// holds an unexpired commit made before the miner registered, and counts again once that
// commit has expired.
//
// Validator v1 commits X1 (weights to miner uid 2 and the future uid 3) in epoch E0 and X2 at
// the start of E1; miner m registers as uid 3; v1 commits Y (so its last update is after m's
// registration and the outdated mask passes) and reveals X1 in E1, its reveal epoch. At the
// epoch starting E2, X2 (reveal epoch E2) is still pending with a block before m's
// registration, so v1's weight to m is dropped; at the epoch starting E3 X2 and Y have
// expired and it counts.
func TestCommitRevealEpochMask(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	const net = 2
	v1 := h.id("//Charlie//v1")
	h.ok("Charlie", protocol.AddStake{Hotkey: v1, Netuid: net, Amount: 100 * protocol.RaoPerTAO})
	h.ok("Bob", protocol.SetHyperparameter{Netuid: net, Name: "commit_reveal", Value: 1})
	h.untilEpoch(net)
	h.seal() // the epoch gives v1 its permit; the head is the first block of E0
	hp, _ := h.c.Hyperparameters(net)
	epochOf := func(b uint64) uint64 { return mechanism.EpochIndex(net, hp.Tempo, b) }

	uids, vals, salt := []uint16{2, 3}, []uint16{20000, 65535}, []uint16{7}
	x1 := h.ok("//Charlie//v1", protocol.CommitWeights{Netuid: net, Hash: protocol.WeightsCommitHash(v1, net, uids, vals, salt, 0)})
	h.untilEpoch(net)
	x2 := h.ok("//Charlie//v1", protocol.CommitWeights{Netuid: net, Hash: protocol.WeightsCommitHash(v1, net, uids, vals, []uint16{8}, 0)})
	reg := h.ok("Eve", protocol.BurnedRegister{Netuid: net, Hotkey: h.id("//Eve//m")})
	y := h.ok("//Charlie//v1", protocol.CommitWeights{Netuid: net, Hash: protocol.WeightsCommitHash(v1, net, uids, vals, []uint16{9}, 0)})
	h.ok("//Charlie//v1", protocol.RevealWeights{Netuid: net, Uids: uids, Values: vals, Salt: salt})
	e1 := epochOf(x2.Height)
	if epochOf(x1.Height) != e1-1 || epochOf(h.c.Head().Height) != e1 || x2.Height >= reg.Height || reg.Height >= y.Height {
		t.Fatalf("timeline: X1 at %d, X2 at %d, m at %d, Y at %d, reveal at %d (epochs %d, %d, …, %d)",
			x1.Height, x2.Height, reg.Height, y.Height, h.c.Head().Height, epochOf(x1.Height), e1, epochOf(h.c.Head().Height))
	}
	mg, _ := h.c.Metagraph(net)
	if len(mg.Neurons) != 4 || mg.Neurons[3].Hotkey != h.id("//Eve//m") || mg.Neurons[3].RegisteredAt != reg.Height ||
		mg.Neurons[1].LastUpdate != y.Height {
		t.Fatalf("metagraph before the epoch: %+v", mg.Neurons)
	}

	// Epoch at the start of E2: X2 (block before m's registration) is pending, so v1 → m is masked.
	e := h.untilEpoch(net)
	in := h.epochInputFromQueries(net, e)
	if !in.Hyperparameters.CommitReveal || in.Neurons[1].CommitBlock == nil || *in.Neurons[1].CommitBlock != x2.Height {
		t.Fatalf("epoch %d input: commitReveal %v, v1's commit block %v, want X2's block %d",
			e, in.Hyperparameters.CommitReveal, in.Neurons[1].CommitBlock, x2.Height)
	}
	for _, u := range []int{0, 2, 3} {
		if in.Neurons[u].CommitBlock != nil {
			t.Fatalf("uid %d has no commits but the input says %d", u, *in.Neurons[u].CommitBlock)
		}
	}
	masked := h.checkStoredEpoch(net, e, in)
	unmaskedIn := in
	unmaskedIn.Hyperparameters.CommitReveal = false
	unmasked, err := mechanism.Epoch(unmaskedIn)
	if err != nil {
		t.Fatal(err)
	}
	if masked.Neurons[3].Incentive != 0 || unmasked.Neurons[3].Incentive == 0 || masked.Neurons[2].Incentive <= unmasked.Neurons[2].Incentive {
		t.Fatalf("epoch %d: miner incentives masked (uid 2 %d, uid 3 %d), without the mask (uid 2 %d, uid 3 %d); want uid 3 hidden only by the mask",
			e, masked.Neurons[2].Incentive, masked.Neurons[3].Incentive, unmasked.Neurons[2].Incentive, unmasked.Neurons[3].Incentive)
	}

	// Epoch at the start of E3: X2 and Y have expired, v1 → m counts again.
	e = h.untilEpoch(net)
	if epochOf(e) != e1+2 {
		t.Fatalf("epoch block %d is in epoch %d, want %d", e, epochOf(e), e1+2)
	}
	in = h.epochInputFromQueries(net, e)
	if in.Neurons[1].CommitBlock != nil {
		t.Fatalf("epoch %d: v1's commits expired but the input says %d", e, *in.Neurons[1].CommitBlock)
	}
	if out := h.checkStoredEpoch(net, e, in); out.Neurons[3].Incentive == 0 {
		t.Fatalf("epoch %d: miner m earned no incentive once v1's old commit expired", e)
	}
}
