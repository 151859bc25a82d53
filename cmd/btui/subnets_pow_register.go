package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
)

type subnetsPowRegisterOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	Netuid         uint16
	Timeout        time.Duration
	Password       passwordOptions
}

func newCmdSubnetsPowRegister(f *Factory, runF func(*subnetsPowRegisterOptions) error) *cobra.Command {
	opts := &subnetsPowRegisterOptions{f: f}
	cmd := &cobra.Command{
		Use:   "pow-register",
		Short: "Register the wallet's hotkey on a subnet with proof of work",
		Long: `Solve the subnet's proof of work for the newest block and the wallet's hotkey, then register
(no burn; only the transaction fee). On a terminal a progress bar shows hashes, the hash rate and
the elapsed time. The work is valid for 3 blocks: when the chain moves on first, solving starts
over on the new block. --timeout bounds the search.

JSON (--json): the transaction result (docs/json.md) with preview {"netuid", "hotkey",
"coldkey", "difficulty", "block", "nonce", "hashes", "seconds", "fee"} and after {"uid"}.`,
		Example: `  btui subnets pow-register --netuid 1 --wallet-name miner --yes`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet to register on"); err != nil {
				return err
			}
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return subnetsPowRegisterRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "give up solving after this long")
	addTxFlags(cmd, &opts.Password)
	return cmd
}

type powPreviewJSON struct {
	Netuid     uint16  `json:"netuid"`
	Hotkey     string  `json:"hotkey"`
	Coldkey    string  `json:"coldkey"`
	Difficulty uint64  `json:"difficulty"`
	Block      uint64  `json:"block"`
	Nonce      uint64  `json:"nonce"`
	Hashes     uint64  `json:"hashes"`
	Seconds    float64 `json:"seconds"`
	Fee        uint64  `json:"fee"`
}

// powChunk is how many nonces are tried between progress updates and head checks.
const powChunk = 50_000

func subnetsPowRegisterRun(o *subnetsPowRegisterOptions) error {
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	showBar := o.f.IO.IsStdoutTTY() && !o.f.Opts.JSON
	var progress func(hashes, expected uint64, elapsed time.Duration, done bool)
	if showBar {
		progress = func(hashes, expected uint64, elapsed time.Duration, done bool) {
			powProgress(o.f, hashes, expected, elapsed)
			if done {
				fmt.Fprintln(o.f.IO.ErrOut)
			}
		}
	}
	p, err := planPowRegister(s, powRegisterInput{Wallet: o.Wallet, Hotkey: o.Hotkey, Netuid: o.Netuid, Timeout: o.Timeout, Progress: progress})
	if err != nil {
		return err
	}
	return runTx(s, p.request("subnets pow-register", coldkeyUnlock(o.f, o.Wallet, o.Password), uidAfter))
}

// powRegisterInput is what `btui subnets pow-register` and the console's Register page ask for.
type powRegisterInput struct {
	Wallet, Hotkey string
	Netuid         uint16
	// Timeout gives up after that long (--timeout), unless NoTimeout.
	Timeout   time.Duration
	NoTimeout bool
	// Progress, if set, is called after every chunk of nonces with the hashes tried and the
	// difficulty, and once with done and hashes == expected when the work is found.
	Progress func(hashes, expected uint64, elapsed time.Duration, done bool)
}

// planPowRegister checks a proof-of-work registration (registrationPreflight, the fee), solves
// the work (starting over on a newer head when it would go stale) and previews it: the one
// preparation of `btui subnets pow-register` and the console's Register page.
func planPowRegister(s *chainSession, in powRegisterInput) (txPlan, error) {
	r, err := registrationPreflight(s, in.Wallet, in.Hotkey, in.Netuid, true)
	if err != nil {
		return txPlan{}, err
	}
	if err := needFunds(r.cold, r.free, 0, r.fee, "the registration"); err != nil {
		return txPlan{}, err
	}
	difficulty := r.h.Difficulty
	start := time.Now()
	deadline := start.Add(in.Timeout)
	var (
		hashes uint64
		call   protocol.PowRegister
		found  bool
	)
	for !found {
		info, err := s.c.Info(s.ctx)
		if err != nil {
			return txPlan{}, chainErr(err)
		}
		block, hash := info.Height, info.Head
		nonce := uint64(time.Now().UnixNano()) // any start works; spread parallel solvers
		for !found {
			if err := s.ctx.Err(); err != nil {
				return txPlan{}, err
			}
			if !in.NoTimeout && time.Now().After(deadline) {
				return txPlan{}, fmt.Errorf("no proof of work found within --timeout %s (%d hashes at difficulty %d): try again or use btui subnets register", in.Timeout, hashes, difficulty)
			}
			n, seal, ok := mechanism.PowSolve(hash, r.hot, difficulty, nonce, powChunk)
			if ok {
				hashes += n - nonce + 1
				call = protocol.PowRegister{Netuid: in.Netuid, BlockNumber: block, Nonce: n, Work: seal, Hotkey: r.hot}
				found = true
				break
			}
			hashes += powChunk
			nonce += powChunk
			if in.Progress != nil {
				in.Progress(hashes, difficulty, time.Since(start), false)
			}
			// The work must be included within 3 blocks of its block: start over on a newer head.
			if cur, err := s.c.Info(s.ctx); err == nil && cur.Height >= block+2 {
				break
			}
		}
	}
	elapsed := time.Since(start)
	if in.Progress != nil {
		in.Progress(hashes, hashes, elapsed, true)
	}
	pv := powPreviewJSON{Netuid: in.Netuid, Hotkey: r.hot.SS58(), Coldkey: r.cold.SS58(), Difficulty: difficulty, Block: call.BlockNumber,
		Nonce: call.Nonce, Hashes: hashes, Seconds: elapsed.Seconds(), Fee: r.fee}
	return txPlan{
		Title: fmt.Sprintf("Register hotkey %s on subnet %d with proof of work", r.hot, in.Netuid), Signer: r.cold,
		Call: call,
		Preview: []previewLine{{"work", fmt.Sprintf("block %d nonce %d (%d hashes in %s)", call.BlockNumber, call.Nonce, hashes, elapsed.Round(time.Millisecond))},
			{"difficulty", fmt.Sprint(difficulty)}, {"fee", tao(r.fee)}},
		PreviewJSON: pv,
	}, nil
}

// powProgress draws one line of the PoW progress bar on stderr: the bar follows the expected
// number of hashes (the difficulty), capped below 100% until a seal is found.
func powProgress(f *Factory, hashes, expected uint64, elapsed time.Duration) {
	const width = 30
	fill := width
	if hashes < expected {
		fill = int(hashes * width / max(expected, 1))
		fill = min(fill, width-1)
	}
	rate := float64(hashes) / max(elapsed.Seconds(), 1e-9) // display only
	fmt.Fprintf(f.IO.ErrOut, "\r[%s%s] %d hashes  %.1f kH/s  %s ", strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
		hashes, rate/1000, elapsed.Round(100*time.Millisecond))
}
