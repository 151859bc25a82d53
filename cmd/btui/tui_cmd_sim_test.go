package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/sim"
	"github.com/btui/btui/tui"
)

// simConsole opens the console over a fresh embedded devnet whose producer runs (fast
// blocks: the simulation follows the producer as it does in `btui`), with an empty key store
// and the real simulator.
func simConsole(t *testing.T, offer bool) (*liveDriver, *chainclient.Embedded) {
	t.Helper()
	e := newConsoleEnv(t)
	if err := e.client.Chain().SetBlockTime(40 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Chain().Start(); err != nil {
		t.Fatal(err)
	}
	o := e.options()
	o.Simulator, o.OfferDemo = tuiSim{client: e.client}, offer
	d := newLiveDriver(t, tui.New(o))
	d.start(120, 40)
	return d, e.client
}

// The default first run on a fresh devnet offers the demo market beside the wallet; taking
// it starts the demo in real time, and the metagraph of its subnet fills and earns within
// the first minute. The run is paused, resumed and stopped from the Simulation page.
func TestTUIFirstRunDemoMarket(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo market in real time for a few seconds")
	}
	d, client := simConsole(t, true)
	d.waitFor("Welcome to btui", "There is no wallet yet", "This devnet is fresh", "start the demo market", "create a new wallet")
	start := time.Now()
	d.keys("d")
	d.waitFor("The demo market is starting", "create a new wallet")
	if strings.Contains(d.screen(), "d   start the demo market") {
		t.Fatal("the demo offer is still there after taking it")
	}
	d.keys("esc") // skip the wallet for now
	d.waitUntil("esc skips the first-run screen", func() bool { return !d.app.FirstRun() })
	if d.app.Active().Title() != "Simulation" {
		t.Fatalf("after starting the demo the console shows %q, want the Simulation page", d.app.Active().Title())
	}
	d.waitFor("Simulation — demo", "tempo 1/20", "honest", "miners", "weights", "emission share per epoch", "stake share")

	// the demo subnet's metagraph on the chain: filled, and paying its neurons
	mods := client
	subnets, err := mods.Subnets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	netuid := uint16(0)
	for _, s := range subnets {
		if s.RegisteredAt > 0 {
			netuid = s.Netuid
		}
	}
	mg, err := mods.Metagraph(context.Background(), netuid)
	if err != nil {
		t.Fatal(err)
	}
	var paid int
	for _, n := range mg.Neurons {
		if n.Emission > 0 {
			paid++
		}
	}
	if len(mg.Neurons) < 30 || paid == 0 {
		t.Fatalf("demo subnet %d: %d neurons, %d with emission; want a living metagraph", netuid, len(mg.Neurons), paid)
	}
	if el := time.Since(start); el > time.Minute {
		t.Fatalf("the metagraph moved after %s, want within the first minute", el)
	}

	// the console's metagraph of the demo subnet
	d.keys("4")
	d.waitFor("sn" + strconv.Itoa(int(netuid)))
	d.keys("G", "enter")
	d.waitFor("Subnet "+strconv.Itoa(int(netuid))+" — metagraph", "neurons")
	d.keys("8")
	d.waitFor("Simulation — demo")

	// pause: no epoch is reported while paused, however many blocks pass; resume: it goes on
	d.keys("p")
	d.waitFor("paused", "p resumes")
	blocks := func(n uint64) {
		info, err := client.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		d.waitUntil("the chain moves on", func() bool {
			now, err := client.Info(context.Background())
			return err == nil && now.Height >= info.Height+n
		})
	}
	blocks(25) // a report already on its way may still arrive
	tempo := tempoShown(d.screen())
	blocks(25) // more than two tempos of the demo subnet
	if got := tempoShown(d.screen()); got != tempo {
		t.Fatalf("paused at tempo %d, but tempo %d was reported", tempo, got)
	}
	d.keys("p")
	d.waitFor("running in real time", "tempo "+strconv.Itoa(tempo+1)+"/20")

	// stop
	d.keys("x")
	d.waitFor("stopped")
	if d.app.Active().Title() != "Simulation" {
		t.Fatal("stopping left the Simulation page")
	}
}

// tempoShown reads "tempo N/" from the status line.
func tempoShown(screen string) int {
	i := strings.Index(screen, "tempo ")
	if i < 0 {
		return -1
	}
	n := 0
	for _, r := range screen[i+len("tempo "):] {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// A scenario file runs from the Simulation page by path; a bad path says what to give.
func TestTUISimulationScenarioFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a scenario in real time")
	}
	d, _ := simConsole(t, false)
	d.waitFor("Welcome to btui", "There is no wallet yet")
	if strings.Contains(d.screen(), "start the demo market") {
		t.Fatal("the demo market is offered although the console was told not to")
	}
	d.keys("esc")
	d.waitUntil("the first-run screen closes", func() bool { return !d.app.FirstRun() })
	d.keys("8")
	d.waitFor("Simulation", "nothing running", "start the demo market")
	d.keys("o", "no-such-scenario.json", "enter")
	d.waitFor("start the simulation no-such-scenario.json", "give a scenario JSON file")
	d.keys("o")
	d.waitFor("Run a scenario")
	d.backspace(len("no-such-scenario.json"))
	d.keys("../../examples/lazy-copiers.json", "enter")
	d.waitFor("Simulation — lazy-copiers", "tempo 1/")
	d.keys("x")
	d.waitFor("stopped")

	// a second run after the first ended: the page starts it (it used to stay at
	// "starting …" with d saying "already running" and x "nothing is running")
	d.keys("o")
	d.waitFor("Run a scenario", "lazy-copiers.json")
	d.keys("enter")
	d.waitFor("Simulation — lazy-copiers", "running in real time")
	d.waitUntil("the second run reports an epoch", func() bool {
		return strings.Contains(d.screen(), "tempo 1/") && !strings.Contains(d.screen(), "stopped")
	})
	d.keys("x")
	d.waitFor("stopped")
	// and after a failed start the page takes the next one
	d.keys("o")
	d.waitFor("Run a scenario")
	d.handle(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	d.keys("no-such.json", "enter")
	d.waitFor("start the simulation no-such.json")
	d.keys("d")
	d.waitFor("Simulation — demo", "setting up")
	d.keys("x")
	d.waitFor("stopped")
}

// The demo offer: on the embedded devnet unless BTUI_DEMO=0, against --node only with
// BTUI_DEMO=1; the built-in demo is what the console asks for by name.
func TestTUIOfferDemo(t *testing.T) {
	if tui.DemoScenario != sim.DemoName {
		t.Fatalf("tui.DemoScenario %q != sim.DemoName %q", tui.DemoScenario, sim.DemoName)
	}
	for _, tc := range []struct {
		name string
		node string
		env  string
		want bool
	}{
		{"embedded", "", "", true},
		{"embedded, declined", "", "0", false},
		{"node", "http://127.0.0.1:9944", "", false},
		{"node, asked", "http://127.0.0.1:9944", "1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			io, _, _ := NewTestIO("", false)
			f := NewFactory(io)
			f.Opts.Node = tc.node
			f.Env = func(k string) (string, bool) {
				if k == "BTUI_DEMO" && tc.env != "" {
					return tc.env, true
				}
				return "", false
			}
			if got := offerDemo(f); got != tc.want {
				t.Fatalf("offerDemo = %v, want %v", got, tc.want)
			}
		})
	}
}
