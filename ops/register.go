package ops

import (
	"context"
	"errors"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// RegisterInput is a burned registration of a hotkey, paid by its coldkey.
type RegisterInput struct {
	Cold, Hot wallet.AccountID
	Netuid    uint16
	MaxBurn   uint64 // rao; 0 = no limit (the call's limit price)
}

// RegisterPreview is the JSON preview of a registration.
type RegisterPreview struct {
	Netuid       uint16 `json:"netuid"`
	Hotkey       string `json:"hotkey"`
	Coldkey      string `json:"coldkey"`
	Burn         uint64 `json:"burn"`
	Fee          uint64 `json:"fee"`
	Balance      uint64 `json:"balance"`
	BalanceAfter uint64 `json:"balance_after"`
	SlotsLeft    int    `json:"slots_left"`
	MaxBurn      uint64 `json:"max_burn"`
}

// PlanBurnedRegister plans subtensor.burned_register: the burn quoted from the subnet's row.
// Root, registration switched off, a hotkey already registered or owned by another coldkey,
// the balance and MaxBurn are the chain's rules, checked by its dry run.
func PlanBurnedRegister(ctx context.Context, c chainclient.Client, in RegisterInput) (Plan, error) {
	si, err := c.Subnet(ctx, in.Netuid)
	if errors.Is(err, protocol.ErrNotFound) {
		return Plan{}, notFoundf("Netuid", "subnet %d does not exist (it was never created or has been dissolved): the subnet list shows the live ones", in.Netuid)
	}
	if err != nil {
		return Plan{}, chainErr(err)
	}
	p := Plan{
		Title: fmt.Sprintf("Register hotkey %s on subnet %d", in.Hot, in.Netuid), Signer: in.Cold,
		Call: protocol.BurnedRegister{Netuid: in.Netuid, Hotkey: in.Hot, LimitPrice: in.MaxBurn},
	}
	if err := simulate(ctx, c, &p, "Netuid"); err != nil {
		return Plan{}, err
	}
	bal := change(p.Sim, in.Cold)
	fee := p.Sim.Receipt.Fee
	pv := RegisterPreview{Netuid: in.Netuid, Hotkey: in.Hot.SS58(), Coldkey: in.Cold.SS58(), Burn: bal.Before - bal.After - fee, Fee: fee,
		Balance: bal.Before, BalanceAfter: bal.After, SlotsLeft: int(si.MaxNeurons) - int(si.Neurons), MaxBurn: in.MaxBurn}
	slots := fmt.Sprintf("%d of %d", pv.SlotsLeft, si.MaxNeurons)
	if pv.SlotsLeft <= 0 {
		slots = "none: the lowest-emission non-immune uid will be replaced"
	}
	p.JSON = pv
	limit := "no limit set"
	if in.MaxBurn != 0 {
		limit = "at most " + tao(in.MaxBurn)
	}
	p.Lines = []Line{
		{"burn", fmt.Sprintf("%s in the next block (it falls a little every block and rises with each registration: the including block's burn is charged, %s)", tao(pv.Burn), limit)},
		{"fee", tao(fee)}, {"slots left", slots},
		{"balance after", fmt.Sprintf("%s or a little more (now %s)", tao(pv.BalanceAfter), tao(pv.Balance))},
	}
	return p, nil
}
