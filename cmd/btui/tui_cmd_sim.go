package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/sim"
	"github.com/btui/btui/tui"
)

// tuiSim runs the console's simulations with the sim package, as `btui devnet simulate
// --realtime` does: the scenario is set up on the console's chain and follows its block
// producer, so the console (and everyone else looking at the chain) watches it live.
type tuiSim struct {
	client chainclient.Client
}

var _ tui.Simulator = tuiSim{}

// Start loads scenario (tui.DemoScenario, or a scenario file as `btui devnet simulate`
// reads it) and starts it in real time on the chain.
func (s tuiSim) Start(ctx context.Context, scenario string) (tui.Simulation, error) {
	sc, err := loadScenario(scenario)
	if err != nil {
		return nil, err
	}
	if err := sc.Validate(); err != nil {
		var se *sim.ScenarioError
		if errors.As(err, &se) {
			se.Source = scenario
		}
		return nil, err
	}
	info, err := s.client.Info(ctx)
	if err != nil {
		return nil, chainErr(err)
	}
	if info.Paused {
		return nil, fmt.Errorf("the devnet is paused and produces no blocks: resume it on the Chain page (p), then start the simulation")
	}
	if info.BlockTimeMs == 0 {
		return nil, fmt.Errorf("the chain seals blocks only on demand (block time 0), so a real-time simulation would never move: start the node with a block time")
	}
	r := &tuiSimRun{ctx: ctx, updates: make(chan tui.SimUpdate, 64), info: simInfo(sc)}
	run, err := sim.Start(ctx, s.client, sc, sim.Options{Realtime: true, Progress: r.progress})
	if err != nil {
		return nil, err
	}
	r.run = run
	go r.forward()
	return r, nil
}

// simInfo describes a scenario for the console.
func simInfo(sc *sim.Scenario) tui.SimInfo {
	n := 0
	for _, g := range sc.Groups {
		n += g.Count
	}
	return tui.SimInfo{Name: sc.Name, Description: sc.Description, Tempos: sc.Tempos, Subnets: len(sc.Subnets), Neurons: n}
}

// tuiSimRun is one running simulation: its progress lines and reports merged into one
// channel of tui.SimUpdate.
type tuiSimRun struct {
	ctx     context.Context
	run     *sim.Simulation
	info    tui.SimInfo
	updates chan tui.SimUpdate
}

var _ tui.Simulation = (*tuiSimRun)(nil)

func (r *tuiSimRun) Info() tui.SimInfo             { return r.info }
func (r *tuiSimRun) Updates() <-chan tui.SimUpdate { return r.updates }
func (r *tuiSimRun) Pause()                        { r.run.Pause() }
func (r *tuiSimRun) Resume()                       { r.run.Resume() }
func (r *tuiSimRun) Paused() bool                  { return r.run.Paused() }

// progress is the simulation's Progress callback (its goroutine, during setup).
func (r *tuiSimRun) progress(msg string) { r.send(tui.SimUpdate{Progress: msg}) }

// send delivers u unless the simulation was stopped and nobody reads any more.
func (r *tuiSimRun) send(u tui.SimUpdate) {
	select {
	case r.updates <- u:
	case <-r.ctx.Done():
	}
}

// forward turns each epoch report into an update, then sends the end and closes the
// channel. Progress lines are only sent during setup, before the reports channel closes, so
// nothing sends after the close.
func (r *tuiSimRun) forward() {
	defer close(r.updates)
	for e := range r.run.Reports() {
		u := simEpoch(e)
		r.send(tui.SimUpdate{Epoch: &u})
	}
	_, err := r.run.Wait()
	done := tui.SimUpdate{Done: true, Err: err}
	select {
	case r.updates <- done:
	default:
		if r.ctx.Err() == nil {
			r.updates <- done // the console reads on while the run is not stopped
		}
	}
}

// simEpoch converts an epoch report.
func simEpoch(e sim.EpochReport) tui.SimEpoch {
	out := tui.SimEpoch{
		Subnet: e.Subnet, Netuid: e.Netuid, Tempo: e.Tempo, Block: e.Block,
		TotalStake: e.TotalStake, TotalEmission: e.TotalEmission,
		WeightsSet: e.WeightsSet, Commits: e.Commits, WeightsFailed: e.WeightsFailed,
		Failures: e.Failures, Registrations: e.Registrations,
	}
	for _, t := range e.Teams {
		out.Teams = append(out.Teams, tui.SimTeam{Team: t.Team, Neurons: t.Neurons, Stake: t.Stake,
			StakeShare: t.StakeShare, Emission: t.Emission, EmissionShare: t.EmissionShare})
	}
	return out
}

// offerDemo decides whether the console's first-run screen may offer the demo market: on
// the embedded devnet, unless BTUI_DEMO=0; against --node only when asked with BTUI_DEMO=1
// (the simulation funds its keys with the dev sudo account and creates a subnet there).
func offerDemo(f *Factory) bool {
	switch f.getenv("BTUI_DEMO") {
	case "0", "false", "no":
		return false
	case "1", "true", "yes":
		return true
	}
	return f.NodeURL() == ""
}
