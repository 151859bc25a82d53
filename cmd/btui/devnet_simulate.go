package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/sim"
)

type devnetSimulateOptions struct {
	f         *Factory
	ctx       context.Context
	scenario  string
	tempos    int
	seed      uint64
	seedSet   bool
	realtime  bool
	blockTime time.Duration
	keep      bool
	chart     bool
	control   bool
}

func newCmdDevnetSimulate(f *Factory, runF func(*devnetSimulateOptions) error) *cobra.Command {
	opts := &devnetSimulateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "simulate <scenario.json|demo>",
		Short: "Run a scenario of simulated validators and miners and report who earns what",
		Long: `Set up a scenario on a devnet and run it: subnets with their hyperparameters, validators and
miners with stake, and behaviours (honest evaluators with noise and lag, lazy weight copiers, a
cabal that weights only its own miners, a sybil registration burst, miners going offline, a
validator that stops). Every simulated neuron is a key pair derived from the scenario's name and
seed that signs real transactions, so the same scenario runs on the embedded devnet or on a
running node (--node). The format is documented in docs/simulate.md; examples/ has scenarios,
and "demo" is a built-in one.

The devnet is fresh by default: a new one in a temporary directory, removed afterwards (--keep
keeps it and prints where). --datadir or --node run the scenario on that chain instead.

Blocks come as fast as the machine allows (devnet advance), or with --realtime at the
producer's pace (the embedded devnet starts one at --block-time) so that the TUI can watch.

The report has, per subnet and epoch, each team's share of the stake and of the epoch's
emission, and the final ratios with each team's yield per unit of stake held (emission received
over what its stake share before each epoch would have paid); --json prints it as one JSON
document. With a terminal, a live chart of the emission shares is drawn on stderr.

--control also runs the scenario's control: the same neurons (same name and seed, so the same
keys, uids and stakes), miners and events on a second fresh devnet, with every validator honest
and prompt (cabals and copiers evaluate honestly with the noise of the subnet's honest group;
lagging evaluators lose their lag). It prints both reports and, per team, the emission share,
final stake share and yield in the scenario, in the control and the difference: what the
behaviour itself changed. --json prints {"scenario", "control", "subnets"}. It needs fresh
devnets (no --datadir, --node or --realtime).`,
		Example: `  btui devnet simulate demo
  btui devnet simulate examples/cabal-40.json
  btui devnet simulate examples/early-bonds.json --tempos 30 --json
  btui devnet simulate examples/cabal-40.json --control
  btui devnet simulate demo --realtime --node http://127.0.0.1:9944`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.scenario = cmd.Context(), args[0]
			opts.seedSet = cmd.Flags().Changed("seed")
			if opts.tempos < 0 || opts.tempos > sim.MaxTempos {
				return usageErrorf("--tempos %d: give 1 to %d (0 keeps the scenario's)", opts.tempos, sim.MaxTempos)
			}
			if opts.control && opts.realtime {
				return usageErrorf("--control runs the scenario and its control as fast as the machine allows: drop --realtime")
			}
			if opts.blockTime <= 0 {
				return usageErrorf("--block-time %s: give a positive duration such as 250ms", opts.blockTime)
			}
			if runF != nil {
				return runF(opts)
			}
			return devnetSimulateRun(opts)
		},
	}
	cmd.Flags().IntVar(&opts.tempos, "tempos", 0, "epochs to simulate per subnet (default: the scenario's)")
	cmd.Flags().Uint64Var(&opts.seed, "seed", 0, "override the scenario's seed (other keys, other noise)")
	cmd.Flags().BoolVar(&opts.realtime, "realtime", false, "follow the block producer instead of producing blocks at once")
	cmd.Flags().DurationVar(&opts.blockTime, "block-time", 250*time.Millisecond, "block time of the embedded producer with --realtime")
	cmd.Flags().BoolVar(&opts.keep, "keep", false, "keep the fresh devnet's directory and print where it is")
	cmd.Flags().BoolVar(&opts.chart, "chart", true, "draw the live chart on stderr when it is a terminal")
	cmd.Flags().BoolVar(&opts.control, "control", false, "also run the control (every validator honest) on a second fresh devnet and print the difference")
	return cmd
}

// attachDevnetSimulate adds `simulate` to the `devnet` group (devnet.go lists the group's
// other commands).
func attachDevnetSimulate(root *cobra.Command, f *Factory) {
	for _, c := range root.Commands() {
		if c.Name() == "devnet" {
			c.AddCommand(newCmdDevnetSimulate(f, nil))
			return
		}
	}
}

// loadScenario reads a scenario file, or the built-in demo when the name is "demo" and no
// such file exists.
func loadScenario(name string) (*sim.Scenario, error) {
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) && name == sim.DemoName {
		return sim.DemoScenario(), nil
	}
	if err != nil {
		return nil, withCode(ExitUsage, fmt.Errorf("read scenario: %w (give a scenario JSON file, or %q for the built-in demo)", err, sim.DemoName))
	}
	defer f.Close()
	return sim.Parse(f, name)
}

func devnetSimulateRun(opts *devnetSimulateOptions) error {
	f := opts.f
	sc, err := loadScenario(opts.scenario)
	if err != nil {
		return err
	}
	if opts.tempos > 0 {
		sc.Tempos = opts.tempos
	}
	if opts.seedSet {
		sc.Seed = opts.seed
	}
	if err := sc.Validate(); err != nil {
		var se *sim.ScenarioError
		if errors.As(err, &se) {
			se.Source = opts.scenario
		}
		return err
	}

	// A fresh devnet unless the user named a chain.
	fresh := f.Opts.DataDir == "" && f.getenv("BTUI_DATADIR") == "" && f.NodeURL() == ""
	if opts.control {
		if !fresh {
			return usageErrorf("--control compares two runs from the same start, so it runs on two fresh devnets: drop --datadir, --node and BTUI_DATADIR/BTUI_NODE")
		}
		return devnetSimulateControl(opts, sc)
	}
	if fresh {
		dir, err := os.MkdirTemp("", "btui-simulate-")
		if err != nil {
			return fmt.Errorf("create a temporary devnet directory: %w", err)
		}
		f.Opts.DataDir = dir
		defer func() {
			_ = f.Close()
			if opts.keep {
				fmt.Fprintf(f.IO.ErrOut, "the devnet is kept in %s (use --datadir %s)\n", dir, dir)
				return
			}
			_ = os.RemoveAll(dir)
		}()
	}
	c, err := f.Client()
	if err != nil {
		return err
	}
	defer f.Close()
	if err := prepareProducer(opts, c); err != nil {
		return err
	}

	so := sim.Options{Realtime: opts.realtime}
	so.Progress = func(msg string) { fmt.Fprintln(f.IO.ErrOut, msg) }
	s, err := sim.Start(opts.ctx, c, sc, so)
	if err != nil {
		return err
	}
	chart := opts.chart && stderrIsTerminal(f.IO) && !f.Opts.JSON
	for r := range s.Reports() {
		if chart {
			fmt.Fprintln(f.IO.ErrOut, chartLine(r, max(4, 72/max(1, len(r.Teams)))))
		}
	}
	rep, runErr := s.Wait()
	if runErr != nil && !hasEpochs(rep) {
		return runErr
	}
	if runErr != nil {
		fmt.Fprintln(f.IO.ErrOut, "the simulation stopped early; the report covers the epochs it ran")
	}
	var err2 error
	if f.Opts.JSON {
		err2 = chainPrintJSON(f.IO.Out, rep)
	} else {
		err2 = rep.WriteText(f.IO.Out)
	}
	if runErr != nil {
		return runErr
	}
	return err2
}

// devnetSimulateControl runs the scenario and its control run, each on a fresh devnet, and
// prints the comparison.
func devnetSimulateControl(opts *devnetSimulateOptions, sc *sim.Scenario) error {
	f := opts.f
	var reps [2]*sim.Report
	for i, run := range []*sim.Scenario{sc, sc.Control()} {
		dir, err := os.MkdirTemp("", "btui-simulate-")
		if err != nil {
			return fmt.Errorf("create a temporary devnet directory: %w", err)
		}
		which := "scenario"
		if i == 1 {
			which = "control"
		}
		rep, err := func() (*sim.Report, error) {
			c, err := chainclient.OpenEmbedded(dir, f.ChainOptions...)
			if err != nil {
				return nil, err
			}
			defer c.Close()
			so := sim.Options{Progress: func(msg string) { fmt.Fprintf(f.IO.ErrOut, "%s: %s\n", which, msg) }}
			s, err := sim.Start(opts.ctx, c, run, so)
			if err != nil {
				return nil, err
			}
			chart := opts.chart && stderrIsTerminal(f.IO) && !f.Opts.JSON
			for r := range s.Reports() {
				if chart {
					fmt.Fprintln(f.IO.ErrOut, which+" "+chartLine(r, max(4, 64/max(1, len(r.Teams)))))
				}
			}
			return s.Wait()
		}()
		if opts.keep {
			fmt.Fprintf(f.IO.ErrOut, "the %s devnet is kept in %s (use --datadir %s)\n", which, dir, dir)
		} else {
			_ = os.RemoveAll(dir)
		}
		if err != nil {
			return fmt.Errorf("%s run: %w", which, err)
		}
		reps[i] = rep
	}
	cmp := sim.Compare(reps[0], reps[1])
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, cmp)
	}
	return cmp.WriteText(f.IO.Out)
}

// prepareProducer makes sure blocks come in the chosen mode: --realtime on the embedded devnet
// starts its producer; on a node it needs the node's.
func prepareProducer(opts *devnetSimulateOptions, c chainclient.Client) error {
	if !opts.realtime {
		return nil
	}
	info, err := c.Info(opts.ctx)
	if err != nil {
		return err
	}
	if info.Paused {
		return usageErrorf("--realtime: the devnet is paused and produces no blocks: run btui devnet resume, or drop --realtime")
	}
	if e, ok := c.(*chainclient.Embedded); ok {
		if err := e.Chain().SetBlockTime(opts.blockTime); err != nil {
			return err
		}
		return e.Chain().Start()
	}
	if info.BlockTimeMs == 0 {
		return usageErrorf("--realtime: the node seals blocks only on demand (block time 0): start it with a block time, or drop --realtime")
	}
	return nil
}

func hasEpochs(r *sim.Report) bool {
	for _, s := range r.Subnets {
		if len(s.Epochs) > 0 {
			return true
		}
	}
	return false
}

// chartLine draws one epoch's emission shares as bars, one per team:
// "market t 3 │ honest ██████████▌ 86.7% │ cabal █▌ 13.3%".
func chartLine(r sim.EpochReport, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s t%-3d", r.Subnet, r.Tempo)
	for _, t := range r.Teams {
		fmt.Fprintf(&b, " │ %s %s %5.1f%%", t.Team, bar(t.EmissionShare, width), 100*t.EmissionShare)
	}
	return b.String()
}

// bar renders a fraction in [0, 1] as width cells of eighth blocks.
func bar(frac float64, width int) string {
	eighths := int(frac*float64(width*8) + 0.5)
	eighths = max(0, min(eighths, width*8))
	full, rest := eighths/8, eighths%8
	s := strings.Repeat("█", full)
	if rest > 0 {
		s += string([]rune("▏▎▍▌▋▊▉")[rest-1])
	}
	return s + strings.Repeat(" ", width-full-min(rest, 1))
}
