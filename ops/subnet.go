package ops

import (
	"context"
	"fmt"
	"strconv"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The subnet family: subtensor.register_network (create a subnet) and start_call (start its
// emission).

// SubnetCreateInput is a new subnet: its owner pays the lock, its owner hotkey takes uid 0.
type SubnetCreateInput struct {
	Owner, Hot wallet.AccountID
	MaxLock    uint64 // rao; 0 = no limit (the call's limit_lock)
}

// SubnetCreatePreview is the JSON preview of a subnet creation.
type SubnetCreatePreview struct {
	Owner        string `json:"owner"`
	OwnerHotkey  string `json:"owner_hotkey"`
	LockCost     uint64 `json:"lock_cost"`
	Fee          uint64 `json:"fee"`
	Balance      uint64 `json:"balance"`
	BalanceAfter uint64 `json:"balance_after"`
	MaxLock      uint64 `json:"max_lock"`
}

// SubnetStartInput is the start of a subnet's emission by its owner.
type SubnetStartInput struct {
	Owner  wallet.AccountID
	Netuid uint16
}

// SubnetStartPreview is the JSON preview of a start.
type SubnetStartPreview struct {
	Netuid uint16 `json:"netuid"`
	Owner  string `json:"owner"`
	Fee    uint64 `json:"fee"`
}

// PlanCreateSubnet plans subtensor.register_network. The lock cost is the one the dry run
// charged (its NetworkAdded event: the next block's cost, what NetworkLockCost quotes); the
// limit, the balance, the rate limit and a hotkey owned by another coldkey are the chain's
// rules, checked by its dry run.
func PlanCreateSubnet(ctx context.Context, c chainclient.Client, in SubnetCreateInput) (Plan, error) {
	p := Plan{
		Title:  "Create a subnet owned by " + in.Owner.SS58(),
		Signer: in.Owner,
		Call:   protocol.RegisterNetwork{Hotkey: in.Hot, LimitLock: in.MaxLock},
	}
	field := ""
	if in.MaxLock != 0 {
		field = "MaxLock"
	}
	if err := simulate(ctx, c, &p, field); err != nil {
		if sim, ok := Refused(err); ok {
			switch simCode(sim) {
			case protocol.CodeHotkeyOwnedByOther:
				return Plan{}, retarget(err, field, "Hot")
			case protocol.CodeInsufficientBalance:
				return Plan{}, retarget(err, field, "")
			}
		}
		return Plan{}, err
	}
	bal := change(p.Sim, in.Owner)
	fee := p.Sim.Receipt.Fee
	var lock uint64
	for _, e := range p.Sim.Events {
		if e.Name == "NetworkAdded" {
			lock, _ = strconv.ParseUint(e.Attr("lock"), 10, 64)
		}
	}
	pv := SubnetCreatePreview{Owner: in.Owner.SS58(), OwnerHotkey: in.Hot.SS58(), LockCost: lock, Fee: fee, Balance: bal.Before,
		BalanceAfter: bal.After, MaxLock: in.MaxLock}
	p.JSON = pv
	p.Lines = []Line{{"owner hotkey", in.Hot.SS58()}, {"lock cost", tao(lock)}, {"fee", tao(fee)}, balanceAfter(pv.BalanceAfter, pv.Balance)}
	return p, nil
}

// PlanStartSubnet plans subtensor.start_call. Root, an unknown subnet, the owner and a
// subnet already started are the chain's rules, checked by its dry run.
func PlanStartSubnet(ctx context.Context, c chainclient.Client, in SubnetStartInput) (Plan, error) {
	p := Plan{
		Title:  fmt.Sprintf("Start the emission of subnet %d", in.Netuid),
		Signer: in.Owner,
		Call:   protocol.StartCall{Netuid: in.Netuid},
	}
	if err := simulate(ctx, c, &p, "Netuid"); err != nil {
		return Plan{}, err
	}
	fee := p.Sim.Receipt.Fee
	p.JSON = SubnetStartPreview{Netuid: in.Netuid, Owner: in.Owner.SS58(), Fee: fee}
	p.Lines = []Line{{"fee", tao(fee)}}
	return p, nil
}
