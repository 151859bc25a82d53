package localchain

import (
	"errors"
	"fmt"
	"github.com/btui/btui/protocol"
	"reflect"
	"testing"

	"github.com/btui/btui/mechanism"
)

// TestEpochAt exports the epoch input of a past epoch, of the head's epoch and of the next one,
// and checks each against what the chain recorded: the EpochRun event's emission, the stored
// metagraph and bonds, and mechanism.Epoch run on the exported input.
func TestEpochAt(t *testing.T) {
	t.Parallel()
	h := newStakingNet(t)
	v1 := h.id("//Charlie//v1")
	h.ok("Charlie", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 50 * protocol.RaoPerTAO})
	h.ok("Alice", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 20 * protocol.RaoPerTAO})
	h.untilEpoch(2)
	h.seal()
	mg, err := h.c.Metagraph(2)
	if err != nil {
		t.Fatal(err)
	}
	var v2uid uint16
	for _, n := range mg.Neurons {
		if n.Hotkey == h.id("//Dave//v2") {
			v2uid = n.UID
		}
	}
	h.ok("//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: []uint16{v2uid}, Values: []uint16{65535}})
	first := h.untilEpoch(2)
	h.seal()
	last := h.untilEpoch(2)
	h.seal()

	check := func(rec EpochRecord, block uint64) {
		t.Helper()
		if rec.Block != block || rec.Input.Block != block {
			t.Fatalf("record for block %d, input block %d, want %d", rec.Block, rec.Input.Block, block)
		}
		if got := attrU64(t, h.stepEvent(block, "EpochRun", 2), "rao_emission"); got != rec.Input.RaoEmission || got == 0 {
			t.Fatalf("block %d: exported emission %d, the chain's EpochRun says %d", block, rec.Input.RaoEmission, got)
		}
		out, err := mechanism.Epoch(rec.Input)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(out, rec.Output) {
			t.Fatalf("block %d: mechanism.Epoch on the exported input differs from the chain's output", block)
		}
	}
	ctx := bg()
	// A past epoch: replayed into a scratch directory.
	rec, err := h.c.EpochAt(ctx, 2, first, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Ran {
		t.Fatal("a sealed epoch is reported as not run")
	}
	check(rec, first)
	// The head's epoch: its output is the stored metagraph.
	rec, err = h.c.EpochAt(ctx, 2, last, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	check(rec, last)
	stored := func(out mechanism.EpochOutput) {
		t.Helper()
		mg, err := h.c.Metagraph(2)
		if err != nil {
			t.Fatal(err)
		}
		bonds, _ := h.c.Bonds(2)
		for i, o := range out.Neurons {
			g := mg.Neurons[i]
			if g.Incentive != o.Incentive || g.Dividends != o.Dividends || g.Emission != o.Emission || g.Consensus != o.Consensus ||
				g.Trust != o.Trust || g.Rank != o.Rank || g.ValidatorTrust != o.ValidatorTrust || g.Permit != o.ValidatorPermit {
				t.Fatalf("uid %d: stored %+v, exported output %+v", i, g, o)
			}
			if fmt.Sprint(bonds[i].Entries) != fmt.Sprint(o.Bonds) && (len(bonds[i].Entries) != 0 || len(o.Bonds) != 0) {
				t.Fatalf("uid %d: stored bonds %v, exported %v", i, bonds[i].Entries, o.Bonds)
			}
		}
		if out.Neurons[v2uid].Incentive == 0 {
			t.Fatal("the weighted miner earned no incentive")
		}
	}
	stored(rec.Output)
	// The next epoch: computed on empty blocks from the head, nothing stored; then the chain
	// runs it.
	head := h.c.Head()
	next, err := h.c.EpochAt(ctx, 2, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if next.Ran || next.Block <= head.Height || h.c.Head() != head {
		t.Fatalf("next epoch %+v at head %d (head now %d)", next.Block, head.Height, h.c.Head().Height)
	}
	if e := h.untilEpoch(2); e != next.Block {
		t.Fatalf("next epoch reported at %d, the chain runs it at %d", next.Block, e)
	}
	h.seal()
	check(next, next.Block)
	stored(next.Output)
	// A block without an epoch of the subnet.
	if _, err := h.c.EpochAt(ctx, 2, next.Block-1, t.TempDir()); !errors.Is(err, ErrNoEpochInBlock) {
		t.Fatalf("block without an epoch: %v", err)
	}
	if _, err := h.c.EpochAt(ctx, 0, 0, ""); err == nil {
		t.Fatal("the root network has no epoch")
	}
}
