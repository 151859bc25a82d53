package chainclient_test

import (
	"errors"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// Every block records each dynamic subnet's spot price: the history has one point per block,
// moves with a trade in the block that holds it, and ends at the subnet's current price.
func TestContractPriceHistory(t *testing.T) {
	both(t, func(t *testing.T, im *impl) {
		ctx, c := ctxT(t), im.client
		if _, err := c.Advance(ctx, 3, nil); err != nil {
			t.Fatal(err)
		}
		sn, err := c.Subnet(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		tx := signed(t, c, dev(t, "Alice"), protocol.AddStake{Hotkey: sn.OwnerHotkey, Netuid: 1, Amount: 20 * protocol.RaoPerTAO}, chainclient.SignOptions{})
		info, err := c.SubmitAndWait(ctx, tx)
		if err != nil || !info.Receipt.OK() {
			t.Fatalf("stake: %+v %v", info, err)
		}
		if _, err := c.Advance(ctx, 2, nil); err != nil {
			t.Fatal(err)
		}
		head, _ := c.Info(ctx)
		pts, err := c.PriceHistory(ctx, 1, 1, head.Height)
		if err != nil {
			t.Fatal(err)
		}
		if uint64(len(pts)) != head.Height {
			t.Fatalf("%d points for blocks 1..%d: %+v", len(pts), head.Height, pts)
		}
		for i, p := range pts {
			if p.Block != uint64(i+1) || p.Price == 0 {
				t.Fatalf("point %d = %+v", i, p)
			}
		}
		before, at := pts[info.Height-2].Price, pts[info.Height-1].Price
		if at <= before {
			t.Fatalf("a 20 TAO stake in block %d left the price at %d (was %d)", info.Height, at, before)
		}
		now, _ := c.Subnet(ctx, 1)
		if last := pts[len(pts)-1]; last.Price != now.Price {
			t.Fatalf("last point %+v, current price %d", last, now.Price)
		}
		// A sub-range, the root network, an unknown subnet and a bad range.
		if sub, err := c.PriceHistory(ctx, 1, info.Height, info.Height); err != nil || len(sub) != 1 || sub[0].Price != at {
			t.Fatalf("one block: %+v %v", sub, err)
		}
		if root, err := c.PriceHistory(ctx, 0, 1, head.Height); err != nil || len(root) != 0 {
			t.Fatalf("root: %+v %v", root, err)
		}
		if _, err := c.PriceHistory(ctx, 77, 1, head.Height); !errors.Is(err, protocol.ErrNotFound) {
			t.Fatalf("unknown subnet: %v", err)
		}
		if _, err := c.PriceHistory(ctx, 1, 5, 4); !errors.Is(err, protocol.ErrBadRange) {
			t.Fatalf("from after to: %v", err)
		}
	})
}
