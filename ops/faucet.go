package ops

import (
	"context"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// FaucetInput is TAO minted into an account on the devnet (sudo.faucet, signed by the
// chain's sudo account).
type FaucetInput struct {
	To     wallet.AccountID
	Amount uint64 // rao
}

// FaucetPreview is the JSON preview of a faucet.
type FaucetPreview struct {
	To     wallet.AccountID `json:"to"`
	Amount uint64           `json:"amount"`
}

// PlanFaucet plans sudo.faucet, signed by the chain's sudo account (ChainInfo.Sudo; the
// devnet's //Alice, whose key Client.Faucet signs with). Unlike the other plans a call the
// chain would refuse (over the per-call limit, below the existential deposit) is not an
// error: the devnet faucet submits it anyway and the chain records the failure in a receipt,
// so Plan.Sim carries the refusal and the caller reports it. Only a zero amount is refused
// here (KindInput about "Amount").
func PlanFaucet(ctx context.Context, c chainclient.Client, in FaucetInput) (Plan, error) {
	if in.Amount == 0 {
		return Plan{}, inputf("Amount", "faucet amount is zero: give a positive amount of TAO")
	}
	info, err := c.Info(ctx)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	p := Plan{
		Title:  fmt.Sprintf("Faucet %s to %s (signed by the sudo account %s)", tao(in.Amount), in.To, info.Sudo),
		Signer: info.Sudo,
		Call:   protocol.Faucet{To: in.To, Amount: in.Amount},
		JSON:   FaucetPreview{To: in.To, Amount: in.Amount},
	}
	if p.Sim, err = c.Simulate(ctx, p.Call, p.Signer); err != nil {
		return Plan{}, chainErr(err)
	}
	to := change(p.Sim, in.To)
	p.Lines = []Line{{"amount", tao(in.Amount)}}
	if p.Sim.OK() {
		p.Lines = append(p.Lines, Line{"balance after", fmt.Sprintf("%s (now %s)", tao(to.After), tao(to.Before))})
	}
	return p, nil
}
