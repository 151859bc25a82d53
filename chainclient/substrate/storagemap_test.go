package substrate

import (
	"context"
	"fmt"
	"testing"
)

// TestWeightsAndBondsRecording reads SubtensorModule.Weights and .Bonds of netuid 23 the way
// the SDK did in the recordings (keys paged from the prefix, then values per page).
func TestWeightsAndBondsRecording(t *testing.T) {
	ctx := context.Background()
	c, _ := replayClient(t, "metadata-v15-spec343", sdkSeeds(t)["weights"])
	at, err := c.BestHash(ctx)
	must(t, err)
	rows, err := c.SubnetMatrix(ctx, "Weights", 23, at)
	must(t, err)
	if fmt.Sprint(rows) != "[{10 [{10 65535}]}]" {
		t.Errorf("weights of netuid 23 = %v", rows)
	}
	c, _ = replayClient(t, "metadata-v15-spec343", sdkSeeds(t)["bonds"])
	at, err = c.BestHash(ctx)
	must(t, err)
	rows, err = c.SubnetMatrix(ctx, "Bonds", 23, at)
	must(t, err)
	if len(rows) < 10 || rows[0].UID != 0 || rows[1].UID != 1 {
		t.Fatalf("bonds rows %v", rows)
	}
	for _, r := range rows {
		if len(r.Entries) != 0 {
			t.Errorf("uid %d has bonds %v, the recording has none", r.UID, r.Entries)
		}
	}
	if _, err := c.SubnetMatrix(ctx, "Alpha", 23, at); err == nil {
		t.Error("SubnetMatrix accepted another item")
	}
}
