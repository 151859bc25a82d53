package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
	_, keys := firstFrameDevnet(b, dir)

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

// BenchmarkTUIFirstFrameBinary is BenchmarkTUIFirstFrame on the real binary: each iteration
// starts `btui --datadir D --wallet-path W --wallet-name alice` in a new 120×40 tmux window (a
// real pty, a clean environment) and stops the clock when the pane shows the same first frame
// (the chain summary, the wallet and its 1,234 τ). It includes the process start, tmux creating
// the window and polling the pane every 2 ms (each capture is one tmux command, ~1–3 ms): the
// tmux-only sub-benchmark measures that part alone, with echo in place of btui. Target ≤ 150 ms
// for console minus tmux-only.
//
//	go test ./cmd/btui -run '^$' -bench TUIFirstFrameBinary -benchtime 20x
func BenchmarkTUIFirstFrameBinary(b *testing.B) {
	if _, err := exec.LookPath("tmux"); err != nil {
		b.Skip("tmux is not installed: the real-binary first frame needs a pty (apt-get install tmux)")
	}
	bin := buildBtui(b)
	dir := b.TempDir()
	datadir := filepath.Join(dir, "chain")
	f, _ := firstFrameDevnet(b, datadir)

	// One private tmux server for every iteration; each iteration is one new window.
	s := startTmux(b, dir, "true")
	env := fmt.Sprintf("env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME=%[1]s XDG_DATA_HOME=%[1]s/data XDG_CONFIG_HOME=%[1]s/config XDG_STATE_HOME=%[1]s/state", dir)
	firstFrame := []string{"btui-devnet", "Portfolio — alice", "1,234.0000"}
	i := 0
	measure := func(b *testing.B, cmdline string) {
		for b.Loop() {
			i++
			name := fmt.Sprintf("ff%d", i)
			if out, err := s.tmux("new-window", "-d", "-t", s.name+":", "-n", name, cmdline).CombinedOutput(); err != nil {
				b.Fatalf("tmux new-window: %v %s", err, out)
			}
			win := s.name + ":" + name
			deadline := time.Now().Add(20 * time.Second)
			for {
				out, _ := s.tmux("capture-pane", "-p", "-t", win).Output()
				if showsAll(string(out), firstFrame) {
					break
				}
				if time.Now().After(deadline) {
					b.Fatalf("the first frame never showed %q:\n%s", firstFrame, out)
				}
				time.Sleep(2 * time.Millisecond)
			}
			b.StopTimer()
			_ = s.tmux("kill-window", "-t", win).Run()
			time.Sleep(100 * time.Millisecond) // the killed console releases the devnet's lock
			b.StartTimer()
		}
	}
	// console: the real binary. tmux-only: the same window printing the same words with echo,
	// what tmux, the shell and the polling cost by themselves (subtract it from console).
	b.Run("console", func(b *testing.B) {
		measure(b, fmt.Sprintf("%s %s --datadir %s --wallet-path %s --wallet-name alice; sleep 30", env, bin, datadir, f.Opts.WalletPath))
	})
	b.Run("tmux-only", func(b *testing.B) {
		measure(b, fmt.Sprintf("%s echo %s; sleep 30", env, strings.Join(firstFrame, " ")))
	})
}

// firstFrameDevnet builds the first-frame devnet in datadir: 4 subnets of 256 neurons made by
// the simulator's real transactions, and a light key store with wallet alice holding 1,234 τ.
func firstFrameDevnet(b *testing.B, datadir string) (*Factory, tuiKeys) {
	b.Helper()
	seed, err := chainclient.OpenEmbedded(datadir, localchain.WithNoSync(true))
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

	f, keys := lightKeystore(b)
	_, w, err := keys.CreateWallet("alice", []byte("pw"))
	if err != nil {
		b.Fatal(err)
	}
	addr, _ := wallet.ParseAddress(w.Address)
	if _, err := seed.Faucet(context.Background(), addr, 1234*protocol.RaoPerTAO); err != nil {
		b.Fatal(err)
	}
	seed.Close()
	return f, keys
}

func showsAll(screen string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(screen, sub) {
			return false
		}
	}
	return true
}
