package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/sim"
	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// fourSubnets is a scenario of 4 subnets of 256 neurons each (64 validators, one of them the
// owner, and 192 miners), run for one tempo: the devnet of the first-frame measure.
func fourSubnets() string {
	var subnets, groups []string
	for i := range 4 {
		subnets = append(subnets, fmt.Sprintf(`{"name": "sn-%d", "ownerGroup": "v%d", "hyperparameters":
			{"tempo": 10, "max_allowed_uids": 256, "max_allowed_validators": 64, "burn_increase_mult_ppm": 1000000}}`, i, i))
		groups = append(groups,
			fmt.Sprintf(`{"name": "v%d", "subnet": "sn-%d", "role": "validator", "count": 64, "stake": 100, "behaviour": {"kind": "honest", "noise": 0.05}}`, i, i),
			fmt.Sprintf(`{"name": "m%d", "subnet": "sn-%d", "role": "miner", "count": 192, "quality": 0.5}`, i, i))
	}
	return `{"name": "tui-bench", "seed": 4, "tempos": 1, "subnets": [` + strings.Join(subnets, ",") +
		`], "groups": [` + strings.Join(groups, ",") + `]}`
}

// BenchmarkTUIFirstFrame measures the console's start on a devnet with 4 subnets of 256
// neurons, built in the setup by the simulator's real transactions: open the embedded devnet,
// build the console as runTUI does (demo offer included: it reads the subnet list), run the
// start-up commands until the chain summary, the wallet list and the wallet's balance (1,234 τ) have
// arrived and the first-run decision is made, and render the frame at 120×40. Target ≤ 150 ms.
//
//	go test ./cmd/btui -run '^$' -bench TUIFirstFrame -benchtime 20x
func BenchmarkTUIFirstFrame(b *testing.B) {
	dir := b.TempDir()
	seed, err := chainclient.OpenEmbedded(dir, localchain.WithNoSync(true))
	if err != nil {
		b.Fatal(err)
	}
	sc, err := sim.Parse(strings.NewReader(fourSubnets()), "tui-bench")
	if err != nil {
		b.Fatal(err)
	}
	run, err := sim.Start(context.Background(), seed, sc, sim.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := run.Wait(); err != nil {
		b.Fatal(err)
	}
	subnets, err := seed.Subnets(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	full := 0
	for _, s := range subnets {
		if s.Neurons == 256 {
			full++
		}
	}
	if full != 4 {
		b.Fatalf("the setup made %d subnets of 256 neurons, want 4: %+v", full, subnets)
	}

	_, keys := lightKeystore(b)
	_, w, err := keys.CreateWallet("alice", []byte("pw"))
	if err != nil {
		b.Fatal(err)
	}
	addr, _ := wallet.ParseAddress(w.Address)
	if _, err := seed.Faucet(context.Background(), addr, 1234*protocol.RaoPerTAO); err != nil {
		b.Fatal(err)
	}
	seed.Close()

	b.ReportAllocs()
	for b.Loop() {
		client, err := chainclient.OpenEmbedded(dir)
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		app := tui.New(tui.Options{Keys: keys, Client: client, Simulator: tuiSim{client: client},
			OfferDemo: true, Context: ctx, Network: "embedded devnet", Wallet: "alice", NoAnimation: true})
		app.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		d := newLiveDriver(b, app)
		d.launch(app.Init())
		firstFrame := []string{"btui-devnet", "Portfolio — alice", "1,234.0000"}
		if !d.handleUntil(func() bool { return app.FirstRunDecided() && d.shows(firstFrame) }) {
			b.Fatalf("the first frame never showed %q:\n%s", firstFrame, d.screen())
		}
		_ = app.View()
		if app.FirstRun() {
			b.Fatal("the demo market is offered on a devnet with 4 subnets")
		}
		cancel()
		client.Close()
	}
}
