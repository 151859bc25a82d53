package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type devnetFaucetOptions struct {
	f       *Factory
	ctx     context.Context
	address string
	amount  string
}

func newCmdDevnetFaucet(f *Factory, runF func(*devnetFaucetOptions) error) *cobra.Command {
	opts := &devnetFaucetOptions{f: f}
	cmd := &cobra.Command{
		Use:   "faucet <address> <amount>",
		Short: "Mint TAO into an account (a sudo call signed by //Alice)",
		Long: `Mint AMOUNT TAO (up to 9 decimals) into ADDRESS with a sudo.faucet transaction signed here by
the devnet's sudo dev key (//Alice) and wait until a block includes it (without a running
producer, a block is sealed for it). ADDRESS is an SS58 address, a dev name such as //Bob, a
wallet name (its coldkey) or wallet/hotkey. A call the chain refuses (over the per-call limit,
below the existential deposit) is included with a failure receipt: exit code 3.

JSON (--json): {"command": "devnet faucet", "ok", "to", "amount": rao, "tx": {"hash", "block",
"index", "nonce"}, "receipt", "events", "balance": rao} (the transaction commands' envelope).
With --dry-run: the dry-run document of docs/json.md; nothing is minted.`,
		Example: `  btui devnet faucet //Bob 100
  btui devnet faucet my-wallet 2.5
  btui devnet faucet 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY 0.000000500 --json`,
		Args: chainArgs("an address", "an amount of TAO"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.address, opts.amount = cmd.Context(), args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return devnetFaucetRun(opts)
		},
	}
	addDryRunFlag(cmd)
	return cmd
}

// devnetFaucetJSON is the stable output of `btui devnet faucet --json`: the envelope of the
// transaction commands (command, ok, tx, receipt, events) and the faucet's own fields.
type devnetFaucetJSON struct {
	Command string             `json:"command"`
	OK      bool               `json:"ok"`
	To      wallet.AccountID   `json:"to"`
	Amount  uint64             `json:"amount"`
	Tx      devnetFaucetTxJSON `json:"tx"`
	Receipt protocol.Receipt   `json:"receipt"`
	Events  []protocol.Event   `json:"events"`
	Balance uint64             `json:"balance"`
}

// devnetFaucetTxJSON locates the faucet's transaction, as tx does for the other commands.
type devnetFaucetTxJSON struct {
	Hash  protocol.TxHash `json:"hash"`
	Block uint64          `json:"block"`
	Index uint32          `json:"index"`
	Nonce uint64          `json:"nonce"`
}

func devnetFaucetRun(opts *devnetFaucetOptions) error {
	f := opts.f
	amount, err := protocol.ParseTAO(opts.amount)
	if err != nil {
		return err
	}
	to, label, err := resolveAddress(f, opts.address)
	if err != nil {
		return err
	}
	c, err := f.Client()
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := ops.PlanFaucet(opts.ctx, c, ops.FaucetInput{To: to, Amount: amount})
	if err != nil {
		return opsErrAs(err, map[string]string{"Amount": ""})
	}
	if f.Opts.DryRun {
		// The plan's simulation decides the exit code: a refused faucet is included with a
		// failure receipt by the real run (exit 3), and so is reported here.
		s := &chainSession{f: f, ctx: opts.ctx, c: c, m: c}
		return dryRun(s, fromOps(p).request("devnet faucet", nil, nil), p.Sim)
	}
	tx, err := c.Faucet(opts.ctx, to, amount)
	if err != nil {
		return err
	}
	acct, err := c.Account(opts.ctx, to)
	if err != nil {
		return err
	}
	if f.Opts.JSON {
		if err := chainPrintJSON(f.IO.Out, devnetFaucetJSON{
			Command: "devnet faucet", OK: tx.Receipt.OK(), To: to, Amount: amount,
			Tx:      devnetFaucetTxJSON{Hash: tx.Hash, Block: tx.Height, Index: tx.Index, Nonce: tx.Nonce},
			Receipt: tx.Receipt, Events: nonNilEvents(tx.Events), Balance: acct.Free,
		}); err != nil {
			return err
		}
	}
	if !tx.Receipt.OK() {
		return receiptError("faucet", tx)
	}
	if !f.Opts.JSON {
		who := to.SS58()
		if label != "" {
			who += " (" + label + ")"
		}
		fmt.Fprintf(f.IO.Out, "faucet: %s TAO to %s in block #%d (tx %s)\nbalance: %s TAO\n",
			protocol.TAODecimal(amount), who, tx.Height, tx.Hash, protocol.TAODecimal(acct.Free))
	}
	return nil
}

func nonNilEvents(ev []protocol.Event) []protocol.Event {
	if ev == nil {
		return []protocol.Event{}
	}
	return ev
}
