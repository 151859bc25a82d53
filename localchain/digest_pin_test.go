package localchain

import (
	"os"
	"testing"
)

// The state digests of blocks that run epochs, pinned: storage and speed work on the epoch path
// (how records are read, cached, batched and written) must leave every digest as it was.
// The values were produced by the code before that work; a change here is a change of
// consensus and needs a reason far better than speed.

// TestEpochBlockDigestsPinned runs the benchmark network's shape at a small size: every subnet's
// epoch in block 1 (no bonds yet), again in block 3 (bonds from block 1), and the tempo-driven
// blocks between.
func TestEpochBlockDigestsPinned(t *testing.T) {
	want := []string{
		"0x8c1621b0db7473a3a1e1a717372e81517a652c93a3a7e3aa5d0fa201d1ba59b2",
		"0x4d9d8a45d1b60a4b99350e5ef2d77ed592e61ae7f5810db59627f0ed3599d702",
		"0xbca912e6d61e6da83bd236693dae034674f07284a942a06910139e817d3944f7",
		"0xd1b1a7fd249ffb9749d2e7ff10973cc9d35b033eae1260b309d6e1f82a961f88",
	}
	bn := &bigNet{nets: 12, neurons: 48, validators: 8}
	c := bn.build(t, false)
	bn.alignEpochs(t, c, c.Head().Height+1)
	var got []string
	for i := 0; i < len(want); i++ {
		h, err := c.SealNow(bg())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, h.StateDigest.String())
		if i == 1 {
			bn.alignEpochs(t, c, c.Head().Height+1)
		}
	}
	checkPinned(t, got, want)
}

// TestOldDevnetDigestsPinned advances the database of testdata/chaindb (a simulated network
// with registrations, stake, weights and emission) by 25 blocks, two epochs of its tempo-10
// subnets.
func TestOldDevnetDigestsPinned(t *testing.T) {
	want := []string{"0x340bee7d72744979151ece33e7f7b9b98a7c100ce58f474db0cf165a84aa2814"}
	c, err := Open(oldDevnet(t), WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h, err := c.Advance(bg(), 25, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPinned(t, []string{h.StateDigest.String()}, want)
}

func checkPinned(t *testing.T, got, want []string) {
	t.Helper()
	if os.Getenv("PRINT_PINNED") != "" {
		t.Logf("%q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("block %d: state digest %s, want %s", i, got[i], want[i])
		}
	}
}

// A new chain.db has dbPageSize pages; a devnet made before (4 KiB pages) keeps its page size,
// opens, and extends with the digests pinned above (TestOldDevnetDigestsPinned).
func TestPageSizeNewAndOld(t *testing.T) {
	fresh, err := Open(t.TempDir(), WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if got := fresh.db.Info().PageSize; got != dbPageSize() || got < 16<<10 {
		t.Errorf("a new devnet has %d-byte pages, want %d", got, dbPageSize())
	}
	old, err := Open(oldDevnet(t), WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if got := old.db.Info().PageSize; got != 4096 {
		t.Errorf("the schema-2 devnet has %d-byte pages after opening, want its 4096", got)
	}
}
