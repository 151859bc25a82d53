package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// --dry-run: every transaction command can show what the chain would do with its transaction
// instead of submitting it. The command runs its checks and preview as always, then asks the
// chain to simulate the call (Client.Simulate: the next block, at the head, rolled back). No
// key is unlocked (no password), nothing is signed or submitted, the chain's state digest
// does not change, and the exit code is the real run's: 0, or 3 when the chain would reject
// the transaction or fail its call (2 and 5 for what the checks refuse before, as always).

const dryRunFlag = "dry-run"

// addDryRunFlag adds --dry-run to a transaction command.
func addDryRunFlag(cmd *cobra.Command) {
	cmd.Flags().Bool(dryRunFlag, false, "show what the chain would do (receipt, events, balance and stake changes) and submit nothing; no password needed")
}

// readDryRun sets the factory's DryRun from the command's --dry-run (root's PersistentPreRunE).
func readDryRun(f *Factory, cmd *cobra.Command) {
	if fl := cmd.Flags().Lookup(dryRunFlag); fl != nil && fl.Changed {
		f.Opts.DryRun = fl.Value.String() == "true"
	}
}

// dryRunJSON is the --json document of a dry run (docs/json.md).
type dryRunJSON struct {
	Command     string               `json:"command"`
	Network     string               `json:"network"`
	GenesisHash protocol.Hash        `json:"genesis_hash"`
	DryRun      bool                 `json:"dry_run"` // always true
	OK          bool                 `json:"ok"`
	Signer      wallet.AccountID     `json:"signer"`
	Call        protocol.CallInfo    `json:"call"`
	Preview     any                  `json:"preview"`
	Simulation  *protocol.Simulation `json:"simulation"`
}

// dryRun prints the chain's simulation of req and returns the real run's exit status.
func dryRun(s *chainSession, req txRequest, sim *protocol.Simulation) error {
	f := s.f
	if sim == nil {
		var err error
		if sim, err = s.c.Simulate(s.ctx, req.Call, req.Signer); err != nil {
			return chainErr(err)
		}
	}
	netw, err := s.network()
	if err != nil {
		return chainErr(err)
	}
	if f.Opts.JSON {
		doc := dryRunJSON{Command: req.Command, Network: netw.Name, GenesisHash: netw.Genesis, DryRun: true, OK: sim.OK(), Signer: req.Signer, Call: sim.Call, Preview: req.PreviewJSON, Simulation: sim}
		if err := walletPrintJSON(f.IO.Out, doc); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(f.IO.ErrOut, req.Title)
		printLines(f.IO.ErrOut, req.Preview)
		printLines(f.IO.ErrOut, []previewLine{netw.line()})
		printSimulation(f.IO.Out, sim)
	}
	return simulationExit(sim)
}

// simulationExit is the error (exit 3) a real run of sim's transaction would end with.
func simulationExit(sim *protocol.Simulation) error {
	switch {
	case sim.Rejected != nil:
		r := sim.Rejected
		return withCode(ExitRejected, fmt.Errorf("dry run: the chain would reject the transaction: %s (code %d %s); nothing was submitted", r.Message, uint32(r.Code), r.CodeName))
	case !sim.Receipt.OK():
		r := sim.Receipt
		return withCode(ExitRejected, fmt.Errorf("dry run: the chain would include the transaction but fail its call: %s (code %d %s), charging the fee of %s; nothing was submitted",
			r.Message, uint32(r.Code), r.CodeName, tao(r.Fee+r.Tip)))
	}
	return nil
}

// printSimulation is the human result of a dry run.
func printSimulation(w io.Writer, sim *protocol.Simulation) {
	fmt.Fprintln(w, "dry run: nothing was submitted")
	status := "ok"
	switch {
	case sim.Rejected != nil:
		status = fmt.Sprintf("REJECTED before any block: %s (code %d %s)", sim.Rejected.Message, uint32(sim.Rejected.Code), sim.Rejected.CodeName)
	case !sim.Receipt.OK():
		status = fmt.Sprintf("FAILED: %s (code %d %s)", sim.Receipt.Message, uint32(sim.Receipt.Code), sim.Receipt.CodeName)
	}
	lines := []previewLine{{Label: "block", Value: fmt.Sprintf("would be #%d (nonce %d)", sim.Height, sim.Nonce)}, {Label: "result", Value: status}}
	if sim.Rejected == nil {
		lines = append(lines, previewLine{Label: "fee", Value: tao(sim.Receipt.Fee + sim.Receipt.Tip)})
	}
	printLines(w, lines)
	if len(sim.Events) > 0 {
		fmt.Fprintln(w, "  events:")
		for _, e := range sim.Events {
			fmt.Fprintf(w, "    %s\n", formatEvent(e))
		}
	}
	if len(sim.Balances) > 0 {
		fmt.Fprintln(w, "  balances:")
		for _, b := range sim.Balances {
			fmt.Fprintf(w, "    %s  %s → %s\n", b.Account, tao(b.Before), tao(b.After))
		}
	}
	if len(sim.Stakes) > 0 {
		fmt.Fprintln(w, "  stake:")
		for _, st := range sim.Stakes {
			fmt.Fprintf(w, "    %s on %s, subnet %d  %s → %s\n", st.Coldkey, st.Hotkey, st.Netuid, alphaAmount(st.Before), alphaAmount(st.After))
		}
	}
}
