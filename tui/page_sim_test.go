package tui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/btui/btui/protocol"
)

// fakeSimulator stands in for cmd/btui's simulator (the tui package may not import sim):
// the test feeds each run's updates itself. The chain is not faked: the first-run tests run
// over a real embedded devnet.
type fakeSimulator struct {
	mu      sync.Mutex
	started []string
	runs    []*fakeRun
	fail    error
}

type fakeRun struct {
	ctx     context.Context
	info    SimInfo
	updates chan SimUpdate
	mu      sync.Mutex
	paused  bool
}

func (f *fakeSimulator) Start(ctx context.Context, scenario string) (Simulation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.started = append(f.started, scenario)
	if f.fail != nil {
		return nil, f.fail
	}
	r := &fakeRun{ctx: ctx, updates: make(chan SimUpdate, 64),
		info: SimInfo{Name: scenario, Description: "a test market", Tempos: 20, Subnets: 1, Neurons: 47}}
	f.runs = append(f.runs, r)
	return r, nil
}

func (f *fakeSimulator) last() *fakeRun {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.runs[len(f.runs)-1]
}

func (r *fakeRun) Info() SimInfo             { return r.info }
func (r *fakeRun) Updates() <-chan SimUpdate { return r.updates }
func (r *fakeRun) Pause()                    { r.mu.Lock(); r.paused = true; r.mu.Unlock() }
func (r *fakeRun) Resume()                   { r.mu.Lock(); r.paused = false; r.mu.Unlock() }
func (r *fakeRun) Paused() bool              { r.mu.Lock(); defer r.mu.Unlock(); return r.paused }

// sampleEpoch is tempo t of a demo-like subnet: the cabal's share of the emission falls
// while the miners' rises.
func sampleEpoch(t int) SimEpoch {
	f := float64(t)
	teams := []SimTeam{
		{Team: "honest", Neurons: 4, Stake: uint64(2000+30*t) * protocol.RaoPerTAO, StakeShare: 0.70 - 0.01*f, Emission: 4 * protocol.RaoPerTAO, EmissionShare: 0.45},
		{Team: "copier", Neurons: 1, Stake: 250 * protocol.RaoPerTAO, StakeShare: 0.08, Emission: protocol.RaoPerTAO / 4, EmissionShare: 0.03 + 0.002*f},
		{Team: "cabal", Neurons: 6, Stake: 500 * protocol.RaoPerTAO, StakeShare: 0.17 - 0.004*f, Emission: protocol.RaoPerTAO / 3, EmissionShare: 0.10 / (1 + f/4)},
		{Team: "miners", Neurons: 24, Stake: uint64(10*t) * protocol.RaoPerTAO, StakeShare: 0.05 + 0.014*f, Emission: 4 * protocol.RaoPerTAO, EmissionShare: 0.42 + 0.01*f},
		{Team: "owner", Neurons: 1, Stake: protocol.RaoPerTAO, StakeShare: 0.002, Emission: 0, EmissionShare: 0},
	}
	e := SimEpoch{Subnet: "demo", Netuid: 2, Tempo: t, Block: uint64(8 + 11*t), Teams: teams,
		TotalStake: 3000 * protocol.RaoPerTAO, TotalEmission: 9 * protocol.RaoPerTAO}
	if t > 0 {
		e.WeightsSet = 7
	}
	if t == 6 {
		e.WeightsSet, e.WeightsFailed, e.Failures = 6, 1, []string{"honest[3]: rate limited"}
	}
	return e
}

func simDriver(t *testing.T, fs *fakeSimulator, w, h int) *driver {
	t.Helper()
	d := newDriver(t, Options{Simulator: fs, Network: "devnet (test)", Pages: func(c *Common) []Page {
		c.Client = goldenClient{}
		return []Page{newSimPage(c)}
	}}, w, h)
	d.syncWait = 100 * time.Millisecond // the updates command blocks until the test feeds it
	return d
}

func TestSimPageStartPauseStop(t *testing.T) {
	fs := &fakeSimulator{}
	d := simDriver(t, fs, 100, 30)
	d.mustSee("Simulation", "nothing running", "start the demo market", "run a scenario file")
	d.keys("p")
	d.mustSee("no simulation is running")

	d.keys("d")
	if len(fs.started) != 1 || fs.started[0] != DemoScenario {
		t.Fatalf("started %v, want the demo", fs.started)
	}
	d.mustSee("Simulation — demo", "setting up", "47 neurons", "waiting for the first step")
	run := fs.last()
	run.updates <- SimUpdate{Progress: "funding 1 subnet owner(s)"}
	run.updates <- SimUpdate{Progress: "registering 35 neuron(s)"}
	d.waitFor("✓ funding 1 subnet owner(s)", "… registering 35 neuron(s)")

	// a second start while it runs is refused
	d.keys("d")
	d.mustSee(ErrSimRunning.Error(), "x stops it")
	if len(fs.started) != 1 {
		t.Fatalf("a second start reached the simulator: %v", fs.started)
	}

	for tempo := 0; tempo <= 6; tempo++ {
		e := sampleEpoch(tempo)
		run.updates <- SimUpdate{Epoch: &e}
	}
	d.waitFor("tempo 6/20", "running in real time", "block #74", "weights 6 ok", "1 failed", "rate limited")
	d.mustSee("honest S", "honest E", "copier S", "emission share per epoch", "stake share at tempo 6")
	p := d.app.Active().(*simPage)
	if got := len(p.subnets[0].epochs); got != 7 {
		t.Fatalf("kept %d epochs, want 7", got)
	}
	// the baseline row shows no emission share (nothing was weighted yet), the others do
	d.keys("G")
	if r, ok := p.table.Selected(); !ok || r.Key != "0" || r.Cells[3] != "—" || r.Cells[5] != "—" {
		t.Fatalf("baseline row = %+v", r)
	}
	d.keys("g")
	if r, _ := p.table.Selected(); r.Key != "6" || r.Cells[3] != "45.00%" || r.Cells[len(r.Cells)-1] != "6/1" {
		t.Fatalf("latest row = %+v", r)
	}

	d.keys("p")
	d.mustSee("paused", "p resumes")
	if !run.Paused() {
		t.Fatal("p did not pause the simulation")
	}
	d.keys("space")
	d.mustSee("running in real time")
	if run.Paused() {
		t.Fatal("space did not resume the simulation")
	}

	d.keys("x")
	d.mustSee("stopping")
	select {
	case <-run.ctx.Done():
	default:
		t.Fatal("x did not cancel the simulation's context")
	}
	run.updates <- SimUpdate{Done: true, Err: run.ctx.Err()}
	close(run.updates)
	d.waitFor("stopped")
	if p.Running() {
		t.Fatal("the page still counts the stopped run as running")
	}
	d.keys("x")
	d.mustSee("no simulation is running")
}

func TestSimPageScenarioFileAndErrors(t *testing.T) {
	fs := &fakeSimulator{fail: errors.New(`read scenario: open nope.json: no such file or directory`)}
	d := simDriver(t, fs, 100, 30)
	d.keys("o")
	d.mustSee("Run a scenario", "scenario JSON file")
	d.keys("enter")
	d.mustSee("type the path of a scenario file")
	d.keys("text:nope.json", "enter")
	d.mustSee("start the simulation nope.json", "no such file")
	d.mustSee("nothing running")

	fs.fail = nil
	d.keys("o")
	d.mustSee("nope.json") // the last file is proposed again
	for range len("nope.json") {
		d.keys("backspace")
	}
	d.keys("text:examples/cabal-40.json", "enter")
	d.mustSee("Simulation — examples/cabal-40.json", "setting up")
	run := fs.last()
	run.updates <- SimUpdate{Done: true, Err: errors.New("setup: fund the owner of subnet cabal: the sudo account is not a dev key")}
	d.waitFor("failed", "the sudo account is not a dev key")
	if d.app.Active().(*simPage).Running() {
		t.Fatal("a failed run still counts as running")
	}
}

func TestSimPageWithoutSimulator(t *testing.T) {
	d := newDriver(t, Options{Pages: func(c *Common) []Page { return []Page{newSimPage(c)} }}, 80, 24)
	d.mustSee(ErrNoSimulator.Error())
	d.keys("d")
	d.mustSee("no simulator")
}

// The demo offer on the first-run screen, over a real fresh embedded devnet: beside the
// wallet when there is none; alone (and skippable) when wallets exist; never when not asked.
func TestFirstRunDemoOffer(t *testing.T) {
	for _, tc := range []struct {
		name    string
		wallet  bool
		offer   bool
		welcome bool
	}{
		{"no wallet, fresh devnet", false, true, true},
		{"wallet, fresh devnet", true, true, true},
		{"wallet, not offered", true, false, false},
		{"no wallet, not offered", false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, fs := firstRunApp(t, tc.wallet, tc.offer)
			if d.app.FirstRun() != tc.welcome {
				t.Fatalf("first-run screen up = %v, want %v:\n%s", d.app.FirstRun(), tc.welcome, d.screen())
			}
			if !tc.welcome {
				return
			}
			if tc.offer {
				d.mustSee("This devnet is fresh", "d   start the demo market", "esc skip")
			} else {
				d.mustNotSee("demo market")
			}
			if tc.wallet {
				d.mustNotSee("create a new wallet")
			} else {
				d.mustSee("create a new wallet", "import a wallet")
			}
			if !tc.offer {
				d.keys("d")
				if len(fs.started) != 0 {
					t.Fatal("d started a demo that was not offered")
				}
				return
			}
			d.keys("d")
			if len(fs.started) != 1 || fs.started[0] != DemoScenario {
				t.Fatalf("started %v, want the demo", fs.started)
			}
			if !tc.wallet {
				// the wallet is still asked for; the demo runs meanwhile
				d.mustSee("The demo market is starting", "create a new wallet")
				d.mustNotSee("d   start the demo market")
				d.keys("esc")
			}
			if d.app.FirstRun() {
				t.Fatalf("the first-run screen is still up:\n%s", d.screen())
			}
			if d.app.Active().Title() != "Simulation" {
				t.Fatalf("the console opened on %q, want the Simulation page", d.app.Active().Title())
			}
			d.mustSee("Simulation — demo", "setting up")
		})
	}
}

// firstRunApp opens the whole console over a fresh embedded devnet, with or without a
// wallet, with the fake simulator and the demo offer on or off.
func firstRunApp(t *testing.T, withWallet, offer bool) (*driver, *fakeSimulator) {
	t.Helper()
	client := freshDevnet(t)
	keys := newMemKeys()
	if withWallet {
		keys = aliceKeys(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	fs := &fakeSimulator{}
	d := newDriver(t, Options{Keys: keys, Client: client, Context: ctx, Network: "devnet (test)", Wallet: "alice",
		Simulator: fs, OfferDemo: offer}, 120, 40)
	return d, fs
}

func TestFirstRunSkip(t *testing.T) {
	d, fs := firstRunApp(t, true, true)
	d.keys("esc")
	if d.app.FirstRun() || len(fs.started) != 0 {
		t.Fatalf("esc: first run %v, started %v", d.app.FirstRun(), fs.started)
	}
	if d.app.ActiveIndex() != 0 {
		t.Fatalf("skipping opened page %d, want the Overview", d.app.ActiveIndex())
	}
}

func TestFreshSubnets(t *testing.T) {
	root := subnetView{SubnetInfo: protocol.SubnetInfo{Netuid: 0, Root: true, Neurons: 0}}
	genesis := subnetView{SubnetInfo: protocol.SubnetInfo{Netuid: 1, Neurons: 1}}
	for _, tc := range []struct {
		name    string
		subnets []subnetView
		want    bool
	}{
		{"root only", []subnetView{root}, true},
		{"genesis subnet with its owner", []subnetView{root, genesis}, true},
		{"someone registered on the genesis subnet", []subnetView{root, {SubnetInfo: protocol.SubnetInfo{Netuid: 1, Neurons: 2}}}, false},
		{"a subnet created later", []subnetView{root, genesis, {SubnetInfo: protocol.SubnetInfo{Netuid: 2, RegisteredAt: 40, Neurons: 1}}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := freshSubnets(tc.subnets); got != tc.want {
				t.Fatalf("freshSubnets = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestGoldenSimulation renders the Simulation page mid-run (tempo 6 of the demo) at 80×24 and
// 120×40 in dark and light.
func TestGoldenSimulation(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		for _, dark := range []bool{true, false} {
			name := itoa(sz[0]) + "x" + itoa(sz[1])
			if dark {
				name += "_dark"
			} else {
				name += "_light"
			}
			t.Run(name, func(t *testing.T) {
				fs := &fakeSimulator{}
				d := simDriver(t, fs, sz[0], sz[1])
				if !dark {
					d.send(lightMsg())
				}
				d.keys("d")
				run := fs.last()
				for tempo := 0; tempo <= 6; tempo++ {
					e := sampleEpoch(tempo)
					run.updates <- SimUpdate{Epoch: &e}
				}
				d.waitFor("tempo 6/20")
				d.keys("ctrl+x") // dismiss the start notice
				golden.RequireEqual(t, d.app.Render())
				if s := d.screen(); !strings.Contains(s, "miners") {
					t.Fatalf("no miners on screen:\n%s", s)
				}
			})
		}
	}
}

// A scenario of several subnets: n cycles the subnet the table and charts show.
func TestSimPageSubnets(t *testing.T) {
	fs := &fakeSimulator{}
	d := simDriver(t, fs, 120, 40)
	d.keys("d")
	run := fs.last()
	for tempo := 0; tempo <= 2; tempo++ {
		for _, n := range []uint16{3, 4} {
			e := sampleEpoch(tempo)
			e.Netuid, e.Subnet = n, "sn-"+itoa(int(n))
			if n == 4 {
				e.Teams = e.Teams[:2]
			}
			run.updates <- SimUpdate{Epoch: &e}
		}
	}
	d.waitFor("subnet sn-3 (netuid 3) · tempo 2/20", "subnet 1 of 2 (n: next)", "miners S")
	d.keys("n")
	d.mustSee("subnet sn-4 (netuid 4) · tempo 2/20", "subnet 2 of 2", "copier S")
	d.mustNotSee("miners S")
	d.keys("n")
	d.mustSee("subnet sn-3 (netuid 3)", "miners S")
}

// The first-run offer and the page may both start a simulation; the second to answer is
// stopped at once and the first one is kept.
func TestSimPageSecondStartIsStopped(t *testing.T) {
	fs := &fakeSimulator{}
	d := simDriver(t, fs, 100, 30)
	d.keys("d")
	first := fs.last()
	ctx, cancel := context.WithCancel(context.Background())
	second, _ := fs.Start(ctx, DemoScenario)
	d.send(simStartedMsg{scenario: DemoScenario, sim: second, info: second.Info(), cancel: cancel})
	if ctx.Err() == nil {
		t.Fatal("the second simulation was not stopped")
	}
	if first.ctx.Err() != nil {
		t.Fatal("the first simulation was stopped")
	}
	if d.app.Active().(*simPage).sim != first {
		t.Fatal("the page follows the second simulation")
	}
}
