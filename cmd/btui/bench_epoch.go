package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/btui/btui/mechanism"
)

type benchEpochOptions struct {
	f          *Factory
	uids       int
	validators int
	iterations int
	rounds     int
}

func newCmdBenchEpoch(f *Factory) *cobra.Command {
	opts := &benchEpochOptions{f: f}
	cmd := &cobra.Command{
		Use:   "epoch",
		Short: "Time one Yuma epoch (classic, and Yuma3 with liquid alpha)",
		Long: `Run mechanism.Epoch on a subnet of --uids uids whose first --validators hold stake and a permit
and weight every other uid with random weights (bonds from three earlier epochs, the steady
state), classic Yuma and then Yuma3 with liquid alpha. Each round times --iterations epochs;
the report gives the median and the fastest round per epoch, in wall time and in CPU time of
this process (which stays meaningful when other processes share the machine).`,
		Example: `  btui bench epoch
  btui bench epoch --uids 4096 --validators 256 --iterations 20 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case opts.uids < 2 || opts.uids > 65535:
				return usageErrorf("--uids %d: give 2 to 65535", opts.uids)
			case opts.validators < 1 || opts.validators >= opts.uids:
				return usageErrorf("--validators %d: give 1 to --uids − 1", opts.validators)
			case opts.iterations < 1 || opts.rounds < 1:
				return usageErrorf("--iterations and --rounds must be at least 1")
			}
			return benchEpochRun(opts)
		},
	}
	cmd.Flags().IntVar(&opts.uids, "uids", 256, "uids in the subnet")
	cmd.Flags().IntVar(&opts.validators, "validators", 64, "validators (staked, permitted, weighting every miner)")
	cmd.Flags().IntVar(&opts.iterations, "iterations", 500, "epochs per round")
	cmd.Flags().IntVar(&opts.rounds, "rounds", 7, "rounds (the median is reported)")
	return cmd
}

type benchEpochMode struct {
	Mode         string  `json:"mode"`
	MedianMs     float64 `json:"median_ms"`
	FastestMs    float64 `json:"fastest_ms"`
	MedianCPUMs  float64 `json:"median_cpu_ms"`
	FastestCPUMs float64 `json:"fastest_cpu_ms"`
}

type benchEpochReport struct {
	Benchmark  string           `json:"benchmark"`
	Command    string           `json:"command"`
	Machine    *benchMachine    `json:"machine"`
	Uids       int              `json:"uids"`
	Validators int              `json:"validators"`
	Iterations int              `json:"iterations"`
	Rounds     int              `json:"rounds"`
	Modes      []benchEpochMode `json:"modes"`
}

func benchEpochRun(opts *benchEpochOptions) error {
	f := opts.f
	rep := &benchEpochReport{
		Benchmark: "epoch", Command: "btui " + strings.Join(os.Args[1:], " "), Machine: newBenchMachine(),
		Uids: opts.uids, Validators: opts.validators, Iterations: opts.iterations, Rounds: opts.rounds,
	}
	for _, yuma3 := range []bool{false, true} {
		in, err := benchEpochInput(opts.uids, opts.validators, yuma3)
		if err != nil {
			return err
		}
		var wall, cpu []float64
		for range opts.rounds {
			c0, t0 := processCPUNanos(), time.Now()
			for range opts.iterations {
				if _, err := mechanism.Epoch(in); err != nil {
					return err
				}
			}
			wall = append(wall, float64(time.Since(t0))/float64(opts.iterations)/1e6)
			cpu = append(cpu, float64(processCPUNanos()-c0)/float64(opts.iterations)/1e6)
		}
		m := benchEpochMode{Mode: "classic", MedianMs: benchMedian(wall), FastestMs: slices.Min(wall),
			MedianCPUMs: benchMedian(cpu), FastestCPUMs: slices.Min(cpu)}
		if yuma3 {
			m.Mode = "yuma3+liquid-alpha"
		}
		rep.Modes = append(rep.Modes, m)
	}
	rep.Machine.done()
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, rep)
	}
	fmt.Fprintf(f.IO.Out, "epoch of %d uids (%d validators), %d rounds of %d epochs:\n", opts.uids, opts.validators, opts.rounds, opts.iterations)
	for _, m := range rep.Modes {
		fmt.Fprintf(f.IO.Out, "  %-19s %.3f ms median (fastest %.3f); CPU %.3f ms median (fastest %.3f)\n",
			m.Mode, m.MedianMs, m.FastestMs, m.MedianCPUMs, m.FastestCPUMs)
	}
	rep.Machine.print(f.IO.Out)
	return nil
}

// benchEpochInput builds the benchmark subnet as mechanism's own benchmarks do: validators
// with random stake weight every miner with random u16 weights (max-upscaled as set_weights
// stores them), with the bonds and permits of three earlier epochs.
func benchEpochInput(n, validators int, yuma3 bool) (mechanism.EpochInput, error) {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	miners := n - validators
	hp := mechanism.DefaultHyperparameters()
	hp.Tempo = 360
	hp.MaxAllowedValidators = uint16(validators)
	if yuma3 {
		hp.Yuma3, hp.LiquidAlpha, hp.BondsPenalty, hp.BondsMovingAverage = true, true, 0, 975_000
	}
	in := mechanism.EpochInput{Block: 1000, RaoEmission: 1_000_000_000, Hyperparameters: hp}
	for i := range n {
		nr := mechanism.Neuron{UID: uint16(i), LastUpdate: 10, RegisteredAt: 1}
		if i < validators {
			nr.Stake = 1_000_000_000 + r.Uint64N(1_000_000_000_000)
			nr.ValidatorPermit = true
			vals := make([]uint16, miners)
			for k := range vals {
				vals[k] = uint16(r.IntN(65536))
			}
			up := mechanism.VecU16MaxUpscaleToU16(vals)
			for k := range miners {
				nr.Weights = append(nr.Weights, mechanism.UIDValue{UID: uint16(validators + k), Value: up[k]})
			}
		}
		in.Neurons = append(in.Neurons, nr)
	}
	for range 3 {
		out, err := mechanism.Epoch(in)
		if err != nil {
			return in, err
		}
		for i := range in.Neurons {
			in.Neurons[i].ValidatorPermit = out.Neurons[i].ValidatorPermit
			in.Neurons[i].Bonds = slices.Clone(out.Neurons[i].Bonds)
		}
	}
	return in, nil
}

// processCPUNanos is the user+system CPU time of this process.
func processCPUNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
