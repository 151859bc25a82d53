package ops_test

import (
	"context"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// countingClient is the real devnet, counting the reads a plan makes (each one a round trip
// over --node).
type countingClient struct {
	chainclient.Client
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingClient) hit(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[name]++
}

func (c *countingClient) reads() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for name, n := range c.calls {
		for range n {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	c.calls = map[string]int{}
	return strings.Join(out, " ")
}

func (c *countingClient) Info(ctx context.Context) (protocol.ChainInfo, error) {
	c.hit("Info")
	return c.Client.Info(ctx)
}

func (c *countingClient) Account(ctx context.Context, id wallet.AccountID) (protocol.AccountInfo, error) {
	c.hit("Account")
	return c.Client.Account(ctx, id)
}

func (c *countingClient) Subnets(ctx context.Context) ([]protocol.SubnetInfo, error) {
	c.hit("Subnets")
	return c.Client.Subnets(ctx)
}

func (c *countingClient) Subnet(ctx context.Context, netuid uint16) (protocol.SubnetInfo, error) {
	c.hit("Subnet")
	return c.Client.Subnet(ctx, netuid)
}

func (c *countingClient) Metagraph(ctx context.Context, netuid uint16) (*protocol.Metagraph, error) {
	c.hit("Metagraph")
	return c.Client.Metagraph(ctx, netuid)
}

func (c *countingClient) Hyperparameters(ctx context.Context, netuid uint16) (protocol.Hyperparams, error) {
	c.hit("Hyperparameters")
	return c.Client.Hyperparameters(ctx, netuid)
}

func (c *countingClient) GlobalParams(ctx context.Context) (protocol.GlobalParams, error) {
	c.hit("GlobalParams")
	return c.Client.GlobalParams(ctx)
}

func (c *countingClient) NetworkLockCost(ctx context.Context) (uint64, error) {
	c.hit("NetworkLockCost")
	return c.Client.NetworkLockCost(ctx)
}

func (c *countingClient) StakesByColdkey(ctx context.Context, id wallet.AccountID) ([]protocol.StakeInfo, error) {
	c.hit("StakesByColdkey")
	return c.Client.StakesByColdkey(ctx, id)
}

func (c *countingClient) StakesByHotkey(ctx context.Context, id wallet.AccountID) ([]protocol.StakeInfo, error) {
	c.hit("StakesByHotkey")
	return c.Client.StakesByHotkey(ctx, id)
}

func (c *countingClient) Delegates(ctx context.Context) ([]protocol.DelegateInfo, error) {
	c.hit("Delegates")
	return c.Client.Delegates(ctx)
}

func (c *countingClient) StakeView(ctx context.Context, id wallet.AccountID, netuids []uint16) (protocol.StakeView, error) {
	c.hit("StakeView")
	return c.Client.StakeView(ctx, id, netuids)
}

func (c *countingClient) Simulate(ctx context.Context, call protocol.Call, signer wallet.AccountID) (*protocol.Simulation, error) {
	c.hit("Simulate")
	return c.Client.Simulate(ctx, call, signer)
}

// TestPlanReads pins the reads of each plan's preview: one snapshot (a StakeView, or
// nothing) and the chain's dry run on top of it, instead of a read per fact.
func TestPlanReads(t *testing.T) {
	t.Parallel()
	d := newDevnet(t)
	n2 := d.subnet2()
	bob, charlie, alice, hot := d.id("//Bob"), d.id("//Charlie"), d.id("//Alice"), d.id("//Bob//hot")
	d.submit("//Bob", d.must(ops.PlanStakeAdd(d.ctx, d.c, ops.StakeInput{Cold: bob, Hot: alice, Netuid: 1, Amount: 100 * protocol.RaoPerTAO, Trade: ops.Trade{Unsafe: true}})))
	c := &countingClient{Client: d.c, calls: map[string]int{}}
	unsafe := ops.Trade{Unsafe: true}
	for _, tc := range []struct {
		name, want string
		plan       func() (ops.Plan, error)
	}{
		{"stake add --all", "Simulate StakeView", func() (ops.Plan, error) {
			return ops.PlanStakeAdd(d.ctx, c, ops.StakeInput{Cold: d.id("//Eve"), Hot: alice, Netuid: 1, All: true, Trade: unsafe})
		}},
		{"stake remove", "Simulate StakeView", func() (ops.Plan, error) {
			return ops.PlanStakeRemove(d.ctx, c, ops.StakeInput{Cold: bob, Hot: alice, Netuid: 1, Amount: protocol.RaoPerTAO, Trade: unsafe})
		}},
		{"stake transfer", "Simulate StakeView", func() (ops.Plan, error) {
			return ops.PlanStakeTransfer(d.ctx, c, ops.StakeTransferInput{Cold: bob, Hot: alice, DestCold: charlie, Origin: 1, DestNetuid: n2, Amount: protocol.RaoPerTAO, Trade: unsafe})
		}},
		{"stake swap", "Simulate StakeView", func() (ops.Plan, error) {
			return ops.PlanStakeSwap(d.ctx, c, ops.StakeSwapInput{Cold: bob, Hot: alice, Origin: 1, DestNetuid: n2, Amount: protocol.RaoPerTAO, Trade: ops.Trade{TolerancePPM: 500_000}})
		}},
		{"set take", "Simulate", func() (ops.Plan, error) {
			return ops.PlanSetTake(d.ctx, c, ops.TakeInput{Cold: bob, Hot: hot, Take: 0})
		}},
		{"subnet create", "Simulate", func() (ops.Plan, error) {
			return ops.PlanCreateSubnet(d.ctx, c, ops.SubnetCreateInput{Owner: charlie, Hot: d.id("//Charlie//hot")})
		}},
		{"axon set", "Simulate", func() (ops.Plan, error) {
			return ops.PlanServeAxon(d.ctx, c, ops.AxonInput{Hot: alice, Netuid: 1, IP: "10.0.0.1", Port: 80, Protocol: 4, Version: 1})
		}},
		{"swap hotkey", "Delegates Simulate", func() (ops.Plan, error) {
			return ops.PlanSwapHotkey(d.ctx, c, ops.SwapHotkeyInput{Cold: bob, Hot: hot, NewHotkey: d.id("//Bob//new")})
		}},
		{"faucet", "Info Simulate", func() (ops.Plan, error) {
			return ops.PlanFaucet(d.ctx, c, ops.FaucetInput{To: charlie, Amount: protocol.RaoPerTAO})
		}},
	} {
		if _, err := tc.plan(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := c.reads(); got != tc.want {
			t.Errorf("%s reads %q, want %q", tc.name, got, tc.want)
		}
	}
}

// BenchmarkPlanStakeAddOverNode is one stake preview (quote and dry run) through a node on
// loopback: every read is an HTTP round trip.
func BenchmarkPlanStakeAddOverNode(b *testing.B) {
	c, err := chainclient.OpenEmbedded(b.TempDir(), chainclient.WithNoSync(true))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ts := httptest.NewServer(rpcserver.New(c, rpcserver.Options{}).Handler())
	defer ts.Close()
	r, err := chainclient.NewRemote(ts.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	id := func(name string) wallet.AccountID {
		kp, err := wallet.Dev(name)
		if err != nil {
			b.Fatal(err)
		}
		defer kp.Zero()
		return kp.AccountID()
	}
	ctx := context.Background()
	in := ops.StakeInput{Cold: id("Bob"), Hot: id("Alice"), Netuid: 1, Amount: protocol.RaoPerTAO, Trade: ops.Trade{TolerancePPM: 500_000}}
	for b.Loop() {
		if _, err := ops.PlanStakeAdd(ctx, r, in); err != nil {
			b.Fatal(err)
		}
	}
}
