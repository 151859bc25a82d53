package tui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/btui/btui/chainclient"
)

// DemoScenario is the name Simulator.Start accepts for the built-in demo market.
const DemoScenario = "demo"

// Simulator starts scenario simulations (simulated validators and miners that sign real
// transactions) on the console's chain. cmd/btui implements it over the sim package; tui may
// not import sim, so the reports reach the console as the tui-owned types below.
type Simulator interface {
	// Start sets the scenario up on the chain and runs it in real time (at the block
	// producer's pace) until it ends or ctx is cancelled. scenario is DemoScenario or the path
	// of a scenario file. Start itself returns quickly; the work happens in the background.
	Start(ctx context.Context, scenario string) (Simulation, error)
}

// Simulation is a running scenario.
type Simulation interface {
	// Info describes the scenario.
	Info() SimInfo
	// Updates streams setup progress and one report per epoch and subnet; the last update
	// has Done set (with the error that ended the run, if any), then the channel closes.
	Updates() <-chan SimUpdate
	// Pause holds the simulation before its next step; Resume lets it go on.
	Pause()
	Resume()
	// Paused reports whether the simulation is paused.
	Paused() bool
}

// SimInfo describes a scenario.
type SimInfo struct {
	Name        string
	Description string
	Tempos      int // epochs simulated per subnet
	Subnets     int
	Neurons     int // simulated neurons, every group counted
}

// SimUpdate is one step of a running simulation: a setup progress line, an epoch report,
// or the end.
type SimUpdate struct {
	Progress string
	Epoch    *SimEpoch
	Done     bool
	Err      error // why the run ended early (with Done)
}

// SimEpoch is what one epoch of one subnet did, measured on the chain (sim.EpochReport).
type SimEpoch struct {
	Subnet        string
	Netuid        uint16
	Tempo         int // 0 is the baseline after setup; 1..Tempos the measured epochs
	Block         uint64
	TotalStake    uint64 // alpha rao
	TotalEmission uint64 // alpha rao
	Teams         []SimTeam
	WeightsSet    int
	Commits       int
	WeightsFailed int
	Failures      []string
	Registrations int
}

// SimTeam is one team's position on a subnet after an epoch. The shares are display-only
// fractions in [0, 1].
type SimTeam struct {
	Team          string
	Neurons       int
	Stake         uint64 // alpha rao
	StakeShare    float64
	Emission      uint64 // alpha rao emitted to the team by the epoch
	EmissionShare float64
}

// Simulation messages.
type (
	// simStartedMsg is the answer to startSimCmd.
	simStartedMsg struct {
		scenario string
		sim      Simulation
		info     SimInfo
		paused   bool
		cancel   context.CancelFunc
		err      error
	}
	// simUpdateMsg is one update read from the running simulation; closed reports the
	// channel closed.
	simUpdateMsg struct {
		sim    Simulation
		update SimUpdate
		closed bool
	}
	// simPausedMsg reports the simulation's state after a pause or resume.
	simPausedMsg struct {
		sim    Simulation
		paused bool
	}
	// chainFreshMsg says whether the chain is a fresh devnet, for the first-run demo offer.
	chainFreshMsg struct {
		fresh bool
		err   error
	}
)

// startSimCmd starts scenario on the chain. The simulation runs under its own context,
// derived from the console's, so stopping it leaves the console running.
func startSimCmd(c *Common, scenario string) tea.Cmd {
	cmd, _ := startSimCmdCancel(c, scenario)
	return cmd
}

// errSimDevnetOnly refuses a simulation on a subtensor node.
var errSimDevnetOnly = fmt.Errorf("the simulation is %w: it funds its keys and sets hyperparameters with sudo; run it on btui's devnet (btui without --network)", chainclient.ErrDevnetOnly)

// startSimCmdCancel is startSimCmd with the cancel function of the run's context (nil when
// nothing is started), so a start that has not answered yet can be stopped.
func startSimCmdCancel(c *Common, scenario string) (tea.Cmd, context.CancelFunc) {
	s := c.Sim
	if s == nil {
		return reportErrCmd(ErrNoSimulator), nil
	}
	if c.Client == nil {
		return reportErrCmd(ErrNoChain), nil
	}
	if _, ok := c.Client.(*chainclient.Subtensor); ok {
		return reportErrCmd(errSimDevnetOnly), nil
	}
	ctx, cancel := context.WithCancel(c.ctx())
	return func() tea.Msg {
		sim, err := s.Start(ctx, scenario)
		if err == nil && ctx.Err() != nil {
			err = ctx.Err() // stopped while it started: the run ends with its context
		}
		if err != nil {
			cancel()
			return simStartedMsg{scenario: scenario, err: err}
		}
		return simStartedMsg{scenario: scenario, sim: sim, info: sim.Info(), paused: sim.Paused(), cancel: cancel}
	}, cancel
}

// waitSimCmd blocks on the simulation's updates; the page re-issues it after each message.
func waitSimCmd(s Simulation) tea.Cmd {
	ch := s.Updates()
	return func() tea.Msg {
		u, ok := <-ch
		return simUpdateMsg{sim: s, update: u, closed: !ok}
	}
}

// pauseSimCmd pauses or resumes the simulation.
func pauseSimCmd(s Simulation, pause bool) tea.Cmd {
	return func() tea.Msg {
		if pause {
			s.Pause()
		} else {
			s.Resume()
		}
		return simPausedMsg{sim: s, paused: s.Paused()}
	}
}

// checkFreshCmd asks whether the chain is a fresh devnet: every subnet is one of genesis
// (registered at block 0) and no neuron joined them beyond the owner's (the devnet's genesis
// subnet 1 holds its owner's uid 0). The signal is read from the chain's state, so it is
// the same whatever the height, the wallets or faucet payments, and it is gone for good once
// anything (the demo itself, a user) creates a subnet or registers a neuron. A chain whose
// modules cannot be read is not fresh: nothing is offered.
func checkFreshCmd(c *Common) tea.Cmd {
	if c.Client == nil {
		return func() tea.Msg { return chainFreshMsg{err: ErrNoChain} }
	}
	return c.queryCmd(func(ctx context.Context, client chainclient.Client) tea.Msg {
		subnets, err := querySubnets(ctx, client)
		if err != nil {
			return chainFreshMsg{err: err}
		}
		return chainFreshMsg{fresh: freshSubnets(subnets)}
	})
}

// freshSubnets reports whether subnets are a fresh devnet's: genesis subnets with at most
// their owner's neuron.
func freshSubnets(subnets []subnetView) bool {
	for _, s := range subnets {
		if s.Root {
			continue
		}
		if s.RegisteredAt != 0 || s.Neurons > 1 {
			return false
		}
	}
	return true
}
