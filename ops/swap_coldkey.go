package ops

import (
	"context"
	"fmt"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// SwapColdkeyInput is a coldkey swap to schedule: everything of Cold moves to NewColdkey.
type SwapColdkeyInput struct {
	Cold       wallet.AccountID
	NewColdkey wallet.AccountID
}

// SwapColdkeyPreview is the --json preview of a scheduled coldkey swap.
type SwapColdkeyPreview struct {
	Coldkey        string `json:"coldkey"`
	NewColdkey     string `json:"new_coldkey"`
	DelayBlocks    uint64 `json:"delay_blocks"`
	DelaySeconds   uint64 `json:"delay_seconds"` // at the chain's target block time
	ExecutionBlock uint64 `json:"execution_block"`
	Cost           uint64 `json:"cost"` // rao, recycled at the swap
	Fee            uint64 `json:"fee"`
	Balance        uint64 `json:"balance"`   // free balance now (moves, less the cost)
	Positions      int    `json:"positions"` // stake positions that move
	Hotkeys        int    `json:"hotkeys"`   // hotkeys the coldkey owns (their ownership moves)
	Subnets        []int  `json:"subnets"`   // subnets the coldkey owns
}

// PlanSwapColdkey plans subtensor.schedule_swap_coldkey. Who may schedule, the cost and a
// schedule that stands are the chain's rules (its dry run). The swap itself runs later, at the
// execution block, and fails there (locking the coldkey until it schedules again) when the new
// coldkey holds stake or is a hotkey: the plan refuses such a target now, from the chain's
// current state, since no dry run can see that block.
func PlanSwapColdkey(ctx context.Context, c chainclient.Client, in SwapColdkeyInput) (Plan, error) {
	call := protocol.ScheduleSwapColdkey{NewColdkey: in.NewColdkey}
	if err := call.Validate(in.Cold); err != nil {
		return Plan{}, inputf("NewColdkey", "is the coldkey itself (%s): name another coldkey", in.Cold)
	}
	gp, err := c.GlobalParams(ctx)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	dels, err := c.Delegates(ctx)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	pv := SwapColdkeyPreview{Coldkey: in.Cold.SS58(), NewColdkey: in.NewColdkey.SS58(), Subnets: []int{}}
	for _, d := range dels {
		if d.Hotkey == in.NewColdkey {
			return Plan{}, inputf("NewColdkey", "%s is a hotkey on the chain: the swap would fail at its block and lock this coldkey; name a key that is no hotkey", in.NewColdkey)
		}
		if d.Owner == in.Cold {
			pv.Hotkeys++
		}
	}
	theirs, err := c.StakesByColdkey(ctx, in.NewColdkey)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	for _, s := range theirs {
		if s.Alpha > 0 {
			return Plan{}, inputf("NewColdkey", "%s already holds stake (subnet %d): the swap would fail at its block and lock this coldkey; name a coldkey with no stake", in.NewColdkey, s.Netuid)
		}
	}
	mine, err := c.StakesByColdkey(ctx, in.Cold)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	for _, s := range mine {
		if s.Alpha > 0 {
			pv.Positions++
		}
	}
	nets, err := c.Subnets(ctx)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	for _, n := range nets {
		if n.Owner == in.Cold {
			pv.Subnets = append(pv.Subnets, int(n.Netuid))
		}
	}
	p := Plan{Title: fmt.Sprintf("Schedule the swap of coldkey %s to %s", in.Cold, in.NewColdkey), Signer: in.Cold, Call: call}
	if err := simulate(ctx, c, &p, "NewColdkey"); err != nil {
		return Plan{}, err
	}
	acct, err := c.Account(ctx, in.Cold)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	pv.DelayBlocks = gp["coldkey_swap_schedule_duration"]
	pv.Cost = gp["key_swap_cost"]
	pv.DelaySeconds = pv.DelayBlocks * info.TargetBlockTimeMs / 1000
	pv.ExecutionBlock = info.Height + 1 + pv.DelayBlocks
	pv.Fee = p.Sim.Receipt.Fee
	pv.Balance = acct.Free
	delay := time.Duration(pv.DelayBlocks*info.TargetBlockTimeMs) * time.Millisecond
	p.Lines = []Line{
		{"new coldkey", in.NewColdkey.SS58()},
		{"delay", fmt.Sprintf("%d blocks (~%s at %d ms a block): the swap runs at block %d if this is included in the next block", pv.DelayBlocks, delay, info.TargetBlockTimeMs, pv.ExecutionBlock)},
		{"cost", tao(pv.Cost) + " (recycled at the swap)"},
		{"fee", tao(pv.Fee)},
		{"moves", fmt.Sprintf("%s free balance (less the cost), %d stake position(s), %d hotkey(s), %d subnet(s)", tao(pv.Balance-min(pv.Balance, pv.Fee)), pv.Positions, pv.Hotkeys, len(pv.Subnets))},
		{"until then", "this coldkey can sign nothing else (transfers, stake, registrations are rejected)"},
	}
	p.JSON = pv
	return p, nil
}

// SwapStatus returns the coldkey's scheduled swap (nil when none) and the chain's head.
func SwapStatus(ctx context.Context, c chainclient.Client, cold wallet.AccountID) (*protocol.ColdkeySwapInfo, protocol.ChainInfo, error) {
	acct, err := c.Account(ctx, cold)
	if err != nil {
		return nil, protocol.ChainInfo{}, chainErr(err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return nil, protocol.ChainInfo{}, chainErr(err)
	}
	return acct.ColdkeySwap, info, nil
}
