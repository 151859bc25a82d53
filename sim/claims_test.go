package sim

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
)

// The seed's claims, each reproduced on a fresh embedded devnet by the shipped scenario. The
// numbers these tests see are the ones docs/simulate.md reports ("Mechanism lab").

func loadExample(t testing.TB, name string) *Scenario {
	t.Helper()
	path := filepath.Join("..", "examples", name+".json")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc, err := Parse(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func freshChain(t testing.TB, opts ...chainclient.Option) *chainclient.Embedded {
	t.Helper()
	c, err := chainclient.OpenEmbedded(t.TempDir(), append([]chainclient.Option{chainclient.WithNoSync(true)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// runScenario runs sc to the end on c, checking that the reports stream in order.
func runScenario(t testing.TB, c chainclient.Client, sc *Scenario, opts Options) *Report {
	t.Helper()
	s, err := Start(context.Background(), c, sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for r := range s.Reports() {
		if r.Tempo != want {
			t.Fatalf("report for tempo %d, want %d", r.Tempo, want)
		}
		want++
	}
	rep, err := s.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if want != sc.Tempos+1 {
		t.Fatalf("%d reports, want baseline + %d tempos", want, sc.Tempos)
	}
	return rep
}

func logFinal(t *testing.T, s *SubnetReport) {
	t.Helper()
	for _, f := range s.Final {
		t.Logf("%-8s stake %6.2f%% → %6.2f%%  emission share %6.2f%%", f.Team, 100*f.StakeShareStart, 100*f.StakeShareEnd, 100*f.EmissionShare)
	}
}

func TestClaimCabal40LosesShare(t *testing.T) {
	t.Parallel()
	rep := runScenario(t, freshChain(t), loadExample(t, "cabal-40"), Options{})
	s := rep.Subnet("market")
	logFinal(t, s)
	cabal := s.Team("cabal")
	if cabal.StakeShareStart < 0.38 || cabal.StakeShareStart > 0.42 {
		t.Fatalf("cabal starts with %.2f%% of the stake, the scenario gives it 40%%", 100*cabal.StakeShareStart)
	}
	// Well below its stake: under half of what a proportional share would pay.
	if cabal.EmissionShare >= 0.20 {
		t.Fatalf("cabal with 40%% of the stake earned %.2f%% of the emission", 100*cabal.EmissionShare)
	}
	// And it loses share over the epochs, every epoch.
	prev := cabal.StakeShareStart
	for _, e := range s.Epochs[1:] {
		now := e.Team("cabal").StakeShare
		if now >= prev {
			t.Fatalf("tempo %d: cabal stake share %.4f did not fall from %.4f", e.Tempo, now, prev)
		}
		prev = now
	}
	if h := s.Team("honest"); h.EmissionShare < 0.8 {
		t.Fatalf("honest side earned only %.2f%%", 100*h.EmissionShare)
	}
}

func TestClaimCabal60Wins(t *testing.T) {
	t.Parallel()
	rep := runScenario(t, freshChain(t), loadExample(t, "cabal-60"), Options{})
	s := rep.Subnet("market")
	logFinal(t, s)
	cabal := s.Team("cabal")
	if cabal.StakeShareStart < 0.58 || cabal.StakeShareStart > 0.62 {
		t.Fatalf("cabal starts with %.2f%% of the stake, the scenario gives it 60%%", 100*cabal.StakeShareStart)
	}
	if cabal.EmissionShare <= 0.9 {
		t.Fatalf("cabal with 60%% of the stake earned only %.2f%% of the emission", 100*cabal.EmissionShare)
	}
	if cabal.StakeShareEnd <= cabal.StakeShareStart {
		t.Fatalf("cabal stake share went from %.4f to %.4f", cabal.StakeShareStart, cabal.StakeShareEnd)
	}
}

func TestClaimEarlyBondsEarnMore(t *testing.T) {
	t.Parallel()
	rep := runScenario(t, freshChain(t), loadExample(t, "early-bonds"), Options{})
	s := rep.Subnet("market")
	logFinal(t, s)
	early, late, others := s.Team("early"), s.Team("late"), s.Team("others")
	if early.StakeShareStart != late.StakeShareStart && absDiff(early.StakeShareStart, late.StakeShareStart) > 0.001 {
		t.Fatalf("early and late start with different stake: %.4f vs %.4f", early.StakeShareStart, late.StakeShareStart)
	}
	// Same stake; the early validators' dividends are higher by a clear margin (≥ 5 %).
	if float64(early.Emission) < 1.05*float64(late.Emission) {
		t.Fatalf("early validators earned %d, late %d: early bonding did not pay", early.Emission, late.Emission)
	}
	// The early group is not special otherwise: it earns what the other prompt group earns.
	if absDiff(early.EmissionShare, others.EmissionShare) > 0.005 {
		t.Fatalf("early %.4f vs others %.4f: groups with the same behaviour should earn the same", early.EmissionShare, others.EmissionShare)
	}
	// Before the miner rises, nobody is ahead (tempos 1–3 are within 0.1 %).
	for _, e := range s.Epochs[1:4] {
		if d := absDiff(e.Team("early").EmissionShare, e.Team("late").EmissionShare); d > 0.001 {
			t.Fatalf("tempo %d: early and late differ by %.4f before the miner rises", e.Tempo, d)
		}
	}
}

func TestClaimLazyCopiersEarnLess(t *testing.T) {
	t.Parallel()
	rep := runScenario(t, freshChain(t), loadExample(t, "lazy-copiers"), Options{})
	s := rep.Subnet("market")
	logFinal(t, s)
	honest, lazy := s.Team("honest"), s.Team("lazy")
	// Dividends per unit of starting stake: the copiers' yield is lower, by a clear margin.
	hy := honest.EmissionShare / honest.StakeShareStart
	ly := lazy.EmissionShare / lazy.StakeShareStart
	t.Logf("yield per unit of stake: honest %.3f, lazy %.3f", hy, ly)
	if ly >= 0.9*hy {
		t.Fatalf("lazy copiers' yield %.3f is not clearly below the honest %.3f", ly, hy)
	}
	// Even in the steady state (the last 8 tempos), not only in the first epoch they skip.
	var he, le uint64
	for _, e := range s.Epochs[len(s.Epochs)-8:] {
		he += e.Team("honest").Emission
		le += e.Team("lazy").Emission
	}
	if float64(le)/lazy.StakeShareStart >= 0.9*float64(he)/honest.StakeShareStart {
		t.Fatalf("steady state: lazy %d vs honest %d per stake share", le, he)
	}
}

func TestDemoRunsEveryBehaviour(t *testing.T) {
	t.Parallel()
	sc := DemoScenario()
	rep := runScenario(t, freshChain(t), sc, Options{})
	s := rep.Subnet("demo")
	logFinal(t, s)
	byTempo := func(n int) EpochReport { return s.Epochs[n] }
	// 7 validators set weights; the copier skips tempo 1 (no consensus yet); one honest
	// validator stops at tempo 12.
	if got := byTempo(1).WeightsSet; got != 6 {
		t.Fatalf("tempo 1: %d weights set, want 6 (the copier has nothing to copy)", got)
	}
	if got := byTempo(5).WeightsSet; got != 7 {
		t.Fatalf("tempo 5: %d weights set, want 7", got)
	}
	if byTempo(8).Registrations != 12 {
		t.Fatalf("tempo 8: %d late registrations, want the 12 sybils", byTempo(8).Registrations)
	}
	if byTempo(8).Team("sybils").Neurons == 0 {
		t.Fatal("no sybil holds a uid after the burst")
	}
	if byTempo(7).Team("sybils").Neurons != 0 {
		t.Fatal("sybils hold uids before their burst")
	}
	// The subnet is full (40 uids): the burst replaced 8 neurons.
	n := 0
	for _, ts := range byTempo(8).Teams {
		n += ts.Neurons
	}
	if n != 40 {
		t.Fatalf("%d uids after the burst, want the 40 of max_allowed_uids", n)
	}
	if got := byTempo(12).WeightsSet + byTempo(12).WeightsFailed; got >= byTempo(11).WeightsSet+byTempo(11).WeightsFailed {
		t.Fatalf("tempo 12 sent %d weights: the stopping validator did not stop", got)
	}
}

// The same scenario on two fresh devnets gives the same reports and the same chain state.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	sc := loadExample(t, "cabal-40")
	sc.Tempos = 4
	a, b := freshChain(t), freshChain(t)
	ra := runScenario(t, a, sc, Options{})
	rb := runScenario(t, b, sc, Options{})
	if !reflect.DeepEqual(ra.Subnets, rb.Subnets) {
		t.Fatal("two runs of one scenario gave different reports")
	}
	ia, _ := a.Info(context.Background())
	ib, _ := b.Info(context.Background())
	if ia.Height != ib.Height || ia.StateDigest != ib.StateDigest {
		t.Fatalf("chains differ: #%d %s vs #%d %s", ia.Height, ia.StateDigest, ib.Height, ib.StateDigest)
	}
	if err := a.Check(context.Background()); err != nil {
		t.Fatalf("chain invariants after the run: %v", err)
	}
	// Another seed draws other noise (and other keys): another chain.
	sc.Seed++
	c := freshChain(t)
	runScenario(t, c, sc, Options{})
	ic, _ := c.Info(context.Background())
	if ic.StateDigest == ia.StateDigest {
		t.Fatal("another seed gave the same chain")
	}
}

// The simulation signs everything locally, so it runs unchanged against `btui node`.
func TestRunsThroughANode(t *testing.T) {
	t.Parallel()
	node, err := chainclient.OpenEmbedded(t.TempDir(), chainclient.WithNoSync(true), chainclient.WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { node.Close() })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := rpcserver.New(node, rpcserver.Options{})
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	r, err := chainclient.NewRemote("http://" + l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	sc := loadExample(t, "cabal-40")
	sc.Tempos = 3
	rep := runScenario(t, r, sc, Options{})
	// The same run embedded gives the same numbers.
	local := runScenario(t, freshChain(t), sc, Options{})
	if !reflect.DeepEqual(rep.Subnets, local.Subnets) {
		t.Fatal("the run through the node differs from the embedded run")
	}
}

// In real time the simulation follows a running producer instead of producing blocks.
func TestRealtimeFollowsTheProducer(t *testing.T) {
	t.Parallel()
	c := freshChain(t, chainclient.WithBlockTime(4*time.Millisecond))
	if err := c.Chain().Start(); err != nil {
		t.Fatal(err)
	}
	sc := loadExample(t, "cabal-40")
	sc.Tempos = 2
	rep := runScenario(t, c, sc, Options{Realtime: true})
	s := rep.Subnet("market")
	if got := s.Epochs[2].WeightsSet; got != 10 {
		t.Fatalf("tempo 2: %d weights set, want 10 (failures %v)", got, s.Epochs[2].Failures)
	}
	if s.Team("cabal").EmissionShare >= 0.2 {
		t.Fatalf("cabal earned %.2f%% in real time", 100*s.Team("cabal").EmissionShare)
	}
	if rep.SetupBlocks != 0 {
		t.Fatalf("real time produced %d blocks itself", rep.SetupBlocks)
	}
}

func TestPauseResumeAndCancel(t *testing.T) {
	t.Parallel()
	c := freshChain(t)
	sc := loadExample(t, "cabal-40")
	sc.Tempos = 3
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := Start(ctx, c, sc, Options{Buffer: 1})
	if err != nil {
		t.Fatal(err)
	}
	first := <-s.Reports()
	s.Pause()
	if !s.Paused() {
		t.Fatal("not paused")
	}
	// While paused the chain stops where the simulation left it: at most the epoch already
	// in the buffer goes on.
	s.Resume()
	n := 1
	for range s.Reports() {
		n++
	}
	if _, err := s.Wait(); err != nil || n != 4 || first.Tempo != 0 {
		t.Fatalf("after resume: %d reports, err %v", n, err)
	}

	// Cancelled while paused: the run ends with the context's error and a partial report.
	c2 := freshChain(t)
	ctx2, cancel2 := context.WithCancel(context.Background())
	s2, err := Start(ctx2, c2, sc, Options{Buffer: 1})
	if err != nil {
		t.Fatal(err)
	}
	<-s2.Reports()
	s2.Pause()
	cancel2()
	for range s2.Reports() {
	}
	rep, err := s2.Wait()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %v", err)
	}
	if len(rep.Subnets) != 1 || len(rep.Subnets[0].Epochs) == 0 {
		t.Fatalf("no partial report: %+v", rep)
	}
}

func TestSetupFailureSaysWhy(t *testing.T) {
	t.Parallel()
	sc := loadExample(t, "cabal-40")
	// Within the scenario's checks but refused by the chain: tempo above its bound is fine,
	// an alpha_low above alpha_high is not.
	sc.Subnets[0].Hyperparameters["alpha_low"] = 60000
	sc.Subnets[0].Hyperparameters["alpha_high"] = 50000
	s, err := Start(context.Background(), freshChain(t), sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range s.Reports() {
	}
	_, err = s.Wait()
	if !errors.Is(err, ErrSetup) {
		t.Fatalf("error %v, want ErrSetup", err)
	}
	t.Log(err)
}

func absDiff(a, b float64) float64 {
	if a > b {
		return a - b
	}
	return b - a
}

// Two subnets with different tempos run side by side; each gets its own epochs and report.
func TestTwoSubnets(t *testing.T) {
	t.Parallel()
	doc := `{"name": "two", "seed": 2, "tempos": 3,
	  "subnets": [
	    {"name": "fast", "hyperparameters": {"tempo": 5, "max_allowed_validators": 3, "burn_increase_mult_ppm": 1000000}},
	    {"name": "slow", "hyperparameters": {"tempo": 12, "max_allowed_validators": 3, "burn_increase_mult_ppm": 1000000}}],
	  "groups": [
	    {"name": "fv", "subnet": "fast", "role": "validator", "count": 2, "stake": 50, "behaviour": {"kind": "honest"}},
	    {"name": "fm", "subnet": "fast", "role": "miner", "count": 4, "quality": 0.5},
	    {"name": "sv", "subnet": "slow", "role": "validator", "count": 2, "stake": 50, "behaviour": {"kind": "honest"}},
	    {"name": "sm", "subnet": "slow", "role": "miner", "count": 4, "quality": [{"tempo": 0, "value": 0.1}, {"tempo": 3, "value": 0.9}]}]}`
	sc, err := Parse(strings.NewReader(doc), "two")
	if err != nil {
		t.Fatal(err)
	}
	c := freshChain(t)
	s, err := Start(context.Background(), c, sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range s.Reports() {
	}
	rep, err := s.Wait()
	if err != nil {
		t.Fatal(err)
	}
	fast, slow := rep.Subnet("fast"), rep.Subnet("slow")
	if fast.Netuid == slow.Netuid || len(fast.Epochs) != 4 || len(slow.Epochs) != 4 {
		t.Fatalf("fast %d epochs on %d, slow %d on %d", len(fast.Epochs), fast.Netuid, len(slow.Epochs), slow.Netuid)
	}
	for i := 1; i < 4; i++ {
		if d := fast.Epochs[i].Block - fast.Epochs[i-1].Block; d != 6 {
			t.Fatalf("fast epochs %d blocks apart, want tempo+1 = 6", d)
		}
		if d := slow.Epochs[i].Block - slow.Epochs[i-1].Block; d != 13 {
			t.Fatalf("slow epochs %d blocks apart, want 13", d)
		}
		for _, sr := range []*SubnetReport{fast, slow} {
			if sr.Epochs[i].WeightsSet != 2 || sr.Epochs[i].WeightsFailed != 0 {
				t.Fatalf("%s tempo %d: weights %d/%d %v", sr.Name, i, sr.Epochs[i].WeightsSet, sr.Epochs[i].WeightsFailed, sr.Epochs[i].Failures)
			}
		}
	}
	// Each subnet's teams are its own.
	if fast.Team("sv").StakeShareStart != 0 || slow.Team("fv").StakeShareStart != 0 {
		t.Fatal("a subnet reports another subnet's team")
	}
	if m := fast.Team("fm"); m.EmissionShare < 0.49 || m.EmissionShare > 0.51 {
		t.Fatalf("fast miners earned %.4f, want half", m.EmissionShare)
	}
}

// Real time through a node: the node's producer makes the blocks, the simulation follows its
// head subscription.
func TestRealtimeThroughANode(t *testing.T) {
	t.Parallel()
	node, err := chainclient.OpenEmbedded(t.TempDir(), chainclient.WithNoSync(true), chainclient.WithBlockTime(4*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { node.Close() })
	if err := node.Chain().Start(); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := rpcserver.New(node, rpcserver.Options{})
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	r, err := chainclient.NewRemote("http://" + l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	sc := loadExample(t, "cabal-40")
	sc.Tempos = 2
	rep := runScenario(t, r, sc, Options{Realtime: true})
	if s := rep.Subnet("market"); s.Epochs[2].WeightsSet != 10 {
		t.Fatalf("tempo 2: %d weights set (%v)", s.Epochs[2].WeightsSet, s.Epochs[2].Failures)
	}
}

// Wait alone finishes a run whose reports nobody reads (it drains them).
func TestWaitWithoutReadingReports(t *testing.T) {
	t.Parallel()
	sc := loadExample(t, "cabal-40")
	sc.Tempos = 3
	s, err := Start(context.Background(), freshChain(t), sc, Options{Buffer: 1})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rep.Subnet("market").Epochs); n != 4 {
		t.Fatalf("%d epochs in the report, want 4", n)
	}
}

// On a commit-reveal subnet validators commit each row's hash and reveal it in the next epoch;
// every reveal lands and the copiers, now two epochs behind, still earn less.
func TestCommitReveal(t *testing.T) {
	t.Parallel()
	sc := loadExample(t, "lazy-copiers")
	sc.Subnets[0].Hyperparameters["commit_reveal"] = 1
	sc.Tempos = 8
	rep := runScenario(t, freshChain(t), sc, Options{})
	s := rep.Subnet("market")
	logFinal(t, s)
	for _, e := range s.Epochs[1:] {
		t.Logf("tempo %d: %d revealed, %d committed, %d failed %v", e.Tempo, e.WeightsSet, e.Commits, e.WeightsFailed, e.Failures)
		if e.WeightsFailed != 0 {
			t.Fatalf("tempo %d: %d weight transactions failed: %v", e.Tempo, e.WeightsFailed, e.Failures)
		}
	}
	// Tempo 1: only the 6 honest commits; tempo 2 reveals them, so epoch 2 is the first with a
	// consensus; the copiers commit from tempo 3 and are revealed from tempo 4 on.
	want := [][2]int{1: {0, 6}, 2: {6, 6}, 3: {6, 9}, 4: {9, 9}, 8: {9, 9}}
	for tempo, w := range want {
		if w == ([2]int{}) {
			continue
		}
		if e := s.Epochs[tempo]; e.WeightsSet != w[0] || e.Commits != w[1] {
			t.Fatalf("tempo %d: %d reveals and %d commits, want %d and %d", tempo, e.WeightsSet, e.Commits, w[0], w[1])
		}
	}
	honest, lazy := s.Team("honest"), s.Team("lazy")
	if hy, ly := honest.EmissionShare/honest.StakeShareStart, lazy.EmissionShare/lazy.StakeShareStart; ly >= hy {
		t.Fatalf("with commit-reveal the copiers' yield %.3f is not below the honest %.3f", ly, hy)
	}
}
