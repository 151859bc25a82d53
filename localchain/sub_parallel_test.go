package localchain

import (
	"context"
	"github.com/btui/btui/protocol"
	"testing"
)

// TestParallelEpochsMatchSerial runs the same network twice: once with every due subnet's epoch
// read, run and applied one after the other (runEpochsSerial), once with the epochs of a block
// running in parallel and their results applied in netuid order (runEpochs). Every block header,
// state digest included, must be the same.
func TestParallelEpochsMatchSerial(t *testing.T) {
	const blocks = 4
	run := func(serial bool) []protocol.BlockHeader {
		bn := &bigNet{nets: 12, neurons: 48, validators: 8}
		c := bn.build(t, false)
		bn.alignEpochs(t, c, c.Head().Height+1) // all 12 in the first block, then by their tempos
		serialEpochs.Store(serial)
		defer serialEpochs.Store(false)
		var hs []protocol.BlockHeader
		for i := 0; i < blocks; i++ {
			h, err := c.SealNow(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			hs = append(hs, h)
			if i == 1 { // a second block where every subnet is due, with bonds from the first
				bn.alignEpochs(t, c, c.Head().Height+1)
			}
		}
		for _, i := range []int{0, 2} {
			b, err := c.Block(hs[i].Height)
			if err != nil {
				t.Fatal(err)
			}
			epochs := 0
			for _, ev := range b.StepEvents {
				if ev.Name == "EpochRun" {
					epochs++
				}
			}
			if epochs != bn.nets {
				t.Fatalf("block %d ran %d epochs, want all %d subnets", hs[i].Height, epochs, bn.nets)
			}
		}
		if err := c.Check(); err != nil {
			t.Fatal(err)
		}
		return hs
	}
	serial := run(true)
	parallel := run(false)
	for i := range serial {
		if serial[i].StateDigest != parallel[i].StateDigest {
			t.Fatalf("block %d: serial digest %s, parallel %s", serial[i].Height, serial[i].StateDigest, parallel[i].StateDigest)
		}
		if serial[i] != parallel[i] {
			t.Fatalf("block %d headers differ: %+v vs %+v", serial[i].Height, serial[i], parallel[i])
		}
	}
}
