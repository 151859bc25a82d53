package localchain

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type posKey struct{ hk, ck wallet.AccountID }

// positions returns every position's value and every hotkey pool's value on a subnet.
func (h *subHarness) positions(netuid uint16) (map[posKey]uint64, map[wallet.AccountID]uint64) {
	h.t.Helper()
	pos := map[posKey]uint64{}
	pools := map[wallet.AccountID]uint64{}
	err := h.c.view(func(tx *bbolt.Tx) error {
		return forEachPosition(tx, netKey(netuid), func(p stakePosition) error {
			v, d := getHotAlpha(tx, netuid, p.Hotkey)
			pos[posKey{p.Hotkey, p.Coldkey}] = shareValue(v, d, p.Shares)
			pools[p.Hotkey] = v
			return nil
		})
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return pos, pools
}

// stepEvent returns the block step event name for netuid in block height.
func (h *subHarness) stepEvent(height uint64, name string, netuid uint16) protocol.Event {
	h.t.Helper()
	b, err := h.c.Block(height)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, ev := range b.StepEvents {
		if ev.Name == name && (netuid == 0xFFFF || ev.Attr("netuid") == strconv.Itoa(int(netuid))) {
			return ev
		}
	}
	h.t.Fatalf("block %d has no %s event for subnet %d: %+v", height, name, netuid, b.StepEvents)
	return protocol.Event{}
}

func attrU64(t testing.TB, ev protocol.Event, key string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(ev.Attr(key), 10, 64)
	if err != nil {
		t.Fatalf("event %s attr %s: %v", ev.Name, key, err)
	}
	return v
}

// TestEndToEndEpochs is issue 5's proof that the chain computes what the mechanism says: on
// the devnet genesis a subnet is created, 2 validators and 8 miners register, the validators
// (one with a nominator) stake and set weights, and 3 tempos pass. At each epoch the input is
// rebuilt from the public queries alone (and must equal the chain's own), and the stored
// metagraph and bonds equal mechanism.Epoch run on it; incentive follows the
// weights, and the owner cut, takes and nominator shares add up to the rao of the drained
// buckets. The harness checks every invariant after every block.
func TestEndToEndEpochs(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	owner := "//Bob//owner"
	h.ok("Bob", protocol.RegisterNetwork{Hotkey: h.id(owner)})
	const net = 2
	h.ok("Bob", protocol.StartCall{Netuid: net})

	validators := []string{"//Charlie//v1", "//Charlie//v2"}
	miners := []string{"//Dave//m1", "//Dave//m2", "//Dave//m3", "//Eve//m4", "//Eve//m5", "//Eve//m6", "//Ferdie//m7", "//Ferdie//m8"}
	coldOf := map[string]string{}
	for _, v := range validators {
		coldOf[v] = "Charlie"
	}
	for _, m := range miners {
		coldOf[m] = strings.Split(m, "/")[2]
	}
	h.fund(protocol.RaoPerTAO, append(append([]string{}, validators...), miners...)...)
	var regs []protocol.TxHash
	for _, hk := range append(append([]string{}, validators...), miners...) {
		regs = append(regs, h.submit(coldOf[hk], protocol.BurnedRegister{Netuid: net, Hotkey: h.id(hk)}))
	}
	h.seal()
	for _, r := range regs {
		if rc := h.receipt(r).Receipt; !rc.OK() {
			t.Fatalf("registration: %s", rc.Message)
		}
	}
	mg, err := h.c.Metagraph(net)
	if err != nil {
		t.Fatal(err)
	}
	if mg.N != 11 {
		t.Fatalf("subnet has %d neurons, want owner + 10", mg.N)
	}
	uidOf := map[wallet.AccountID]uint16{}
	for _, n := range mg.Neurons {
		uidOf[n.Hotkey] = n.UID
	}

	// Stakes: Charlie on both validators, Alice nominates v1; v2 lowers its take.
	h.submit("Charlie", protocol.AddStake{Hotkey: h.id("//Charlie//v1"), Netuid: net, Amount: 1000 * protocol.RaoPerTAO})
	h.submit("Charlie", protocol.AddStake{Hotkey: h.id("//Charlie//v2"), Netuid: net, Amount: 400 * protocol.RaoPerTAO})
	h.submit("Alice", protocol.AddStake{Hotkey: h.id("//Charlie//v1"), Netuid: net, Amount: 300 * protocol.RaoPerTAO})
	h.submit("Charlie", protocol.SetTake{Hotkey: h.id("//Charlie//v2"), Take: 6000})
	h.seal()
	if st, _ := h.c.StakesByHotkey(h.id("//Charlie//v1")); len(st) != 2 {
		t.Fatalf("v1 positions %+v", st)
	}
	// One epoch gives the staked validators their permits.
	h.untilEpoch(net)
	h.seal()
	mg, _ = h.c.Metagraph(net)
	for _, v := range validators {
		if !mg.Neurons[uidOf[h.id(v)]].Permit {
			t.Fatalf("%s has no permit after an epoch", v)
		}
	}
	// Weights: both validators rank the miners m1 < m2 < … < m8.
	for vi, v := range validators {
		var uids, vals []uint16
		for mi, m := range miners {
			uids = append(uids, uidOf[h.id(m)])
			vals = append(vals, uint16((mi+1)*1000+vi*100))
		}
		h.ok(v, protocol.SetWeights{Netuid: net, Uids: uids, Values: vals})
	}

	for tempo := 0; tempo < 3; tempo++ {
		e := h.untilEpoch(net)
		in := h.epochInputFromQueries(net, e)
		if chainIn, err := h.c.EpochInputAt(net, e, 0); err != nil || !reflect.DeepEqual(normInput(chainIn), normInput(in)) {
			t.Fatalf("epoch %d: the chain's epoch input differs from the one rebuilt from queries (%v)", e, err)
		}
		posBefore, poolBefore := h.positions(net)
		h.seal()
		ev := h.stepEvent(e, "EpochRun", net)
		in.RaoEmission = attrU64(t, ev, "rao_emission")
		want, err := mechanism.Epoch(in)
		if err != nil {
			t.Fatal(err)
		}

		// The stored metagraph and bonds are the mechanism's output.
		mg, err := h.c.Metagraph(net)
		if err != nil {
			t.Fatal(err)
		}
		bonds, _ := h.c.Bonds(net)
		for i, o := range want.Neurons {
			got := mg.Neurons[i]
			if got.Rank != o.Rank || got.Trust != o.Trust || got.Consensus != o.Consensus || got.Incentive != o.Incentive ||
				got.Dividends != o.Dividends || got.ValidatorTrust != o.ValidatorTrust || got.StakeShare != o.StakeWeight ||
				got.Emission != o.Emission || got.Permit != o.ValidatorPermit || got.Active != o.Active {
				t.Fatalf("epoch %d uid %d: stored %+v, mechanism %+v", e, i, got, o)
			}
			wantBonds := o.Bonds
			if wantBonds == nil {
				wantBonds = []mechanism.UIDValue{}
			}
			if !reflect.DeepEqual(mechRow(bonds[i].Entries), wantBonds) {
				t.Fatalf("epoch %d uid %d bonds %v, mechanism %v", e, i, bonds[i].Entries, o.Bonds)
			}
		}

		// Incentive follows the weights: strictly increasing along the miners' ranking.
		for mi := 1; mi < len(miners); mi++ {
			lo, hi := mg.Neurons[uidOf[h.id(miners[mi-1])]], mg.Neurons[uidOf[h.id(miners[mi])]]
			if lo.Incentive == 0 || hi.Incentive <= lo.Incentive {
				t.Fatalf("epoch %d: incentive of %s (%d) not above %s (%d)", e, miners[mi], hi.Incentive, miners[mi-1], lo.Incentive)
			}
		}
		if mg.Neurons[uidOf[h.id(validators[0])]].Dividends == 0 {
			t.Fatalf("epoch %d: validator v1 earned no dividends", e)
		}

		// Distribution: what mechanism.DistributeEmission says, to the rao.
		srv, val, root, cut := attrU64(t, ev, "server"), attrU64(t, ev, "validator"), attrU64(t, ev, "root"), attrU64(t, ev, "owner_cut")
		hks := make([]mechanism.HotkeyEmission, len(want.Neurons))
		var hkIDs []wallet.AccountID
		for i, o := range want.Neurons {
			n := mg.Neurons[i]
			hkIDs = append(hkIDs, n.Hotkey)
			hks[i] = mechanism.HotkeyEmission{
				Incentive: o.ServerEmission, Dividend: o.ValidatorEmission, AlphaStake: poolBefore[n.Hotkey],
				Take: n.Take, OwnedBySubnetOwner: n.Coldkey == h.id("Bob"),
			}
		}
		p, _ := h.c.GlobalParams()
		dist := mechanism.DistributeEmission(mechanism.DistributionInput{
			PendingServer: srv, PendingValidator: val, PendingRoot: root, PendingOwnerCut: cut,
			TaoWeight: mechanism.TaoWeight(p["tao_weight"]), Hotkeys: hks,
		})
		posAfter, poolAfter := h.positions(net)
		var credited, burned uint64
		for i, pay := range dist.Hotkeys {
			hk := hkIDs[i]
			wantDelta := pay.Incentive + pay.AlphaTake + pay.AlphaPool + pay.RootTake + pay.RootDivs
			if hk == h.id(owner) {
				wantDelta += dist.OwnerCut
			}
			if got := poolAfter[hk] - poolBefore[hk]; got != wantDelta {
				t.Fatalf("epoch %d uid %d: hotkey stake grew %d, distribution says %d (%+v)", e, i, got, wantDelta, pay)
			}
			credited += wantDelta
			burned += pay.IncentiveBurned
		}
		if got := attrU64(t, ev, "credited"); got != credited {
			t.Fatalf("epoch %d: chain credited %d, distribution %d", e, got, credited)
		}
		recycled := attrU64(t, ev, "recycled")
		if credited+burned+recycled != srv+val+root+cut {
			t.Fatalf("epoch %d: credited %d + burned %d + recycled %d != buckets %d", e, credited, burned, recycled, srv+val+root+cut)
		}
		if recycled > uint64(len(want.Neurons))*4 {
			t.Fatalf("epoch %d: %d rao recycled by flooring, more than a few per uid", e, recycled)
		}
		// Owner cut ≈ 18% of what was minted for participants.
		if share := cut * 1000 / (srv + val + root + cut); share < 175 || share > 185 {
			t.Fatalf("epoch %d: owner cut %d is %d‰ of the buckets", e, cut, share)
		}
		// Takes and nominators: v1's owner gets take + its pro-rata part of the rest, Alice
		// her pro-rata part; v2 (take 6000) keeps a smaller take than v1 (11796).
		v1 := h.id("//Charlie//v1")
		pay := dist.Hotkeys[uidOf[v1]]
		alice, charlie := posKey{v1, h.id("Alice")}, posKey{v1, h.id("Charlie")}
		dA := posAfter[alice] - posBefore[alice]
		dC := posAfter[charlie] - posBefore[charlie]
		if dA+dC != poolAfter[v1]-poolBefore[v1] {
			t.Fatalf("epoch %d: v1 positions grew %d + %d, the pool %d", e, dA, dC, poolAfter[v1]-poolBefore[v1])
		}
		// The take is staked before the rest joins the pool (subtensor's order), so the pro-rata
		// base includes it.
		wantA := pay.AlphaPool * posBefore[alice] / (poolBefore[v1] + pay.Incentive + pay.AlphaTake)
		if dA+1 < wantA || dA > wantA+1 {
			t.Fatalf("epoch %d: nominator Alice earned %d, pro rata %d", e, dA, wantA)
		}
		if pay.AlphaTake == 0 || dC < pay.AlphaTake {
			t.Fatalf("epoch %d: v1 owner earned %d, take alone is %d", e, dC, pay.AlphaTake)
		}
		p2 := dist.Hotkeys[uidOf[h.id("//Charlie//v2")]]
		if p2.AlphaTake*(pay.AlphaTake+pay.AlphaPool) >= pay.AlphaTake*(p2.AlphaTake+p2.AlphaPool) {
			t.Fatalf("epoch %d: v2's take (6000) is not a smaller fraction than v1's (11796): %+v vs %+v", e, p2, pay)
		}
	}
}

// epochInputFromQueries rebuilds a subnet's epoch input at block from the public queries only
// (metagraph, weights, bonds, hyperparameters, global parameters and, with commit-reveal on,
// weight commits), independently of the chain's own input builder.
func (h *subHarness) epochInputFromQueries(netuid uint16, block uint64) mechanism.EpochInput {
	h.t.Helper()
	mg, err := h.c.Metagraph(netuid)
	if err != nil {
		h.t.Fatal(err)
	}
	w, _ := h.c.Weights(netuid)
	b, _ := h.c.Bonds(netuid)
	hp, _ := h.c.Hyperparameters(netuid)
	gp, _ := h.c.GlobalParams()
	si, _ := h.c.Subnet(netuid)
	mode := mechanism.ConsensusYuma
	if hp.Whitepaper {
		mode = mechanism.ConsensusWhitepaper
	}
	in := mechanism.EpochInput{
		Block: block, LastMechanismStepBlock: si.LastEpoch,
		Hyperparameters: mechanism.Hyperparameters{
			Tempo: hp.Tempo, Kappa: hp.Kappa, BondsPenalty: hp.BondsPenalty, BondsMovingAverage: hp.BondsMovingAverage,
			Yuma3: hp.Yuma3, LiquidAlpha: hp.LiquidAlpha, AlphaLow: hp.AlphaLow, AlphaHigh: hp.AlphaHigh,
			AlphaSigmoidSteepness: int16(hp.AlphaSigmoidSteepness), MaxAllowedValidators: hp.MaxAllowedValidators,
			ActivityCutoffFactorMilli: hp.ActivityCutoffFactorMilli, StakeThreshold: gp["stake_threshold"],
			ConsensusMode: mode, Rho: hp.Rho, CommitReveal: hp.CommitReveal,
		},
	}
	for _, n := range mg.Neurons {
		if n.Hotkey == si.OwnerHotkey {
			uid := n.UID
			in.OwnerUID = &uid
		}
		nr := mechanism.Neuron{
			UID: n.UID, Stake: n.StakeWeight, LastUpdate: n.LastUpdate, RegisteredAt: n.RegisteredAt,
			ValidatorPermit: n.Permit, Weights: mechRow(w[n.UID].Entries), Bonds: mechRow(b[n.UID].Entries),
		}
		if hp.CommitReveal { // the oldest commit still unexpired at block
			cs, err := h.c.WeightCommits(netuid, n.Hotkey)
			if err != nil {
				h.t.Fatal(err)
			}
			for _, c := range cs {
				if !mechanism.CommitExpired(netuid, hp.Tempo, hp.RevealPeriodEpochs, c.Block, block) &&
					(nr.CommitBlock == nil || c.Block < *nr.CommitBlock) {
					cb := c.Block
					nr.CommitBlock = &cb
				}
			}
		}
		in.Neurons = append(in.Neurons, nr)
	}
	return in
}

// normInput makes empty rows nil so that two inputs compare by content.
func normInput(in mechanism.EpochInput) mechanism.EpochInput {
	out := in
	out.Neurons = append([]mechanism.Neuron(nil), in.Neurons...)
	for i := range out.Neurons {
		if len(out.Neurons[i].Weights) == 0 {
			out.Neurons[i].Weights = nil
		}
		if len(out.Neurons[i].Bonds) == 0 {
			out.Neurons[i].Bonds = nil
		}
	}
	return out
}

func mechRow(r []protocol.UIDValue) []mechanism.UIDValue {
	out := make([]mechanism.UIDValue, len(r))
	for i, e := range r {
		out[i] = mechanism.UIDValue(e)
	}
	return out
}
