package substrate

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestLiveNode runs against a real subtensor node only when BTUI_SUBTENSOR_URL names one
// (e.g. ws://127.0.0.1:9944 for a local node); it reads and never submits anything.
func TestLiveNode(t *testing.T) {
	url := os.Getenv("BTUI_SUBTENSOR_URL")
	if url == "" {
		t.Skip("set BTUI_SUBTENSOR_URL=ws://127.0.0.1:9944 (a subtensor node) to run")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w, err := DialWS(ctx, url, WSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Connect(ctx, w, ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h, err := c.Header(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := c.BlockHash(ctx, h.Number)
	if err != nil || hash != h.Hash() {
		t.Fatalf("header %d hashes to %s, node says %s (%v)", h.Number, h.Hash(), hash, err)
	}
	subnets, err := c.AllDynamicInfo(ctx, &hash)
	if err != nil || len(subnets) == 0 {
		t.Fatalf("dynamic info: %d subnets, %v", len(subnets), err)
	}
	if _, err := c.SubnetsInfo(ctx, &hash); err != nil {
		t.Fatal(err)
	}
	netuid := uint16(subnets[len(subnets)-1].NetUID)
	neurons, err := c.NeuronsLite(ctx, netuid, &hash)
	if err != nil {
		t.Fatal(err)
	}
	mg, err := c.Metagraph(ctx, netuid, 0, nil, &hash)
	if err != nil || mg == nil || len(mg.Hotkeys) != len(neurons) {
		t.Fatalf("metagraph of %d: %v (%d neurons)", netuid, err, len(neurons))
	}
	if _, err := c.RegistrationCost(ctx, &hash); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Events(ctx, hash); err != nil {
		t.Fatal(err)
	}
	sub, err := c.SubscribeNewHeads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	select {
	case raw := <-sub.C:
		if _, err := ParseHeader(raw); err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("no new head within 60 s")
	}
	t.Logf("%s: runtime %d, block %d, %d subnets, netuid %d has %d neurons", url, c.RuntimeVersion().SpecVersion, h.Number, len(subnets), netuid, len(neurons))
}
