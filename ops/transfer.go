package ops

import (
	"context"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// TransferInput is a transfer of TAO, resolved: accounts, not names.
type TransferInput struct {
	From, To   wallet.AccountID
	Amount     uint64 // rao; ignored with All
	All        bool   // everything but the fee (implies AllowDeath)
	AllowDeath bool   // the sender may go below the existential deposit (its dust is burned)
}

// TransferPreview is the JSON preview of a transfer.
type TransferPreview struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Amount      uint64 `json:"amount"`
	Fee         uint64 `json:"fee"`
	FromBalance uint64 `json:"from_balance"`
	FromAfter   uint64 `json:"from_after"`
	ToBalance   uint64 `json:"to_balance"`
	ToAfter     uint64 `json:"to_after"`
	AllowDeath  bool   `json:"allow_death"`
}

// PlanTransfer plans balances.transfer. The amount for All is quoted from the sender's
// balance and the fee; every other rule (the balance, the sender's and an empty recipient's
// existential deposit) is the chain's, checked by its dry run.
func PlanTransfer(ctx context.Context, c chainclient.Client, in TransferInput) (Plan, error) {
	if in.To == in.From {
		return Plan{}, inputf("To", "the recipient is the sender itself (%s): pick another recipient", in.From)
	}
	amount, allowDeath := in.Amount, in.AllowDeath || in.All
	if in.All {
		info, err := c.Info(ctx)
		if err != nil {
			return Plan{}, chainErr(err)
		}
		a, err := c.Account(ctx, in.From)
		if err != nil {
			return Plan{}, chainErr(err)
		}
		if a.Free <= info.TxFee {
			return Plan{}, inputf("Amount", "insufficient balance: %s has %s, not more than the %s fee; nothing was submitted", in.From, tao(a.Free), tao(info.TxFee))
		}
		amount = a.Free - info.TxFee
	}
	if amount == 0 {
		return Plan{}, inputf("Amount", "must be more than zero")
	}
	p := Plan{
		Title:  fmt.Sprintf("Transfer %s from %s to %s", tao(amount), in.From, in.To),
		Signer: in.From,
		Call:   protocol.Transfer{To: in.To, Amount: amount, AllowDeath: allowDeath},
	}
	if err := simulate(ctx, c, &p, "Amount"); err != nil {
		return Plan{}, err
	}
	from, to := change(p.Sim, in.From), change(p.Sim, in.To)
	pv := TransferPreview{From: in.From.SS58(), To: in.To.SS58(), Amount: amount, Fee: p.Sim.Receipt.Fee,
		FromBalance: from.Before, FromAfter: from.After, ToBalance: to.Before, ToAfter: to.After, AllowDeath: allowDeath}
	p.JSON = pv
	p.Lines = []Line{
		{"amount", tao(amount)},
		{"fee", tao(pv.Fee)},
		{"sender after", fmt.Sprintf("%s (now %s)", tao(pv.FromAfter), tao(pv.FromBalance))},
		{"recipient after", fmt.Sprintf("%s (now %s)", tao(pv.ToAfter), tao(pv.ToBalance))},
	}
	return p, nil
}

// change returns the simulated balance of id before and after (both read in the chain's one
// rolled-back transaction); the zero change when the call does not touch id.
func change(sim *protocol.Simulation, id wallet.AccountID) protocol.BalanceChange {
	for _, b := range sim.Balances {
		if b.Account == id {
			return b
		}
	}
	return protocol.BalanceChange{Account: id}
}
