package protocol

import "github.com/btui/btui/wallet"

// Coldkey swaps: subtensor's schedule_swap_coldkey. The signer schedules the move of
// everything it holds (free balance, every stake position, the hotkeys it owns, the subnets it
// owns, its identity) to NewColdkey; the chain executes the swap by itself at the block
// ColdkeySwapScheduleDuration after the one that included the call, charging the key swap cost
// (recycled: it leaves the total issuance). Until then the old coldkey may sign nothing but
// another schedule_swap_coldkey (refused while the schedule stands, see CodeSwapAlreadyScheduled),
// as subtensor's transaction extension rejects every other call (CodeColdkeyInSwapSchedule).

// ScheduleSwapColdkey schedules the swap of the signer's coldkey to NewColdkey.
type ScheduleSwapColdkey struct {
	NewColdkey wallet.AccountID `json:"new_coldkey"`
}

// CallName is subtensor.schedule_swap_coldkey.
func (ScheduleSwapColdkey) CallName() CallName { return CallName{subModule, "schedule_swap_coldkey"} }

// EncodeArgs writes new_coldkey(32).
func (c ScheduleSwapColdkey) EncodeArgs(e *Encoder) { e.Account(c.NewColdkey) }

// decodeScheduleSwapColdkey reads the arguments in EncodeArgs' order.
func decodeScheduleSwapColdkey(d *Decoder) ScheduleSwapColdkey {
	return ScheduleSwapColdkey{NewColdkey: d.Account()}
}

// Validate rejects a swap to the signer itself.
func (c ScheduleSwapColdkey) Validate(signer wallet.AccountID) error {
	if c.NewColdkey == signer {
		return Reject(CodeInvalidArgs, "schedule_swap_coldkey to the signing coldkey itself does nothing: name another coldkey")
	}
	return nil
}

// ColdkeySwapInfo is a coldkey's scheduled swap (AccountInfo.ColdkeySwap), subtensor's
// ColdkeySwapScheduled entry with the cost bound at scheduling.
type ColdkeySwapInfo struct {
	NewColdkey wallet.AccountID `json:"new_coldkey"`
	// ExecutionBlock is the block whose start executes the swap.
	ExecutionBlock uint64 `json:"execution_block"`
	// Cost is the key swap cost (rao) the swap takes from the old coldkey and recycles.
	Cost uint64 `json:"cost"`
	// RescheduleFrom is the first block at which the coldkey may schedule again (after a swap
	// that failed at its execution block: ExecutionBlock + ColdkeySwapRescheduleDuration).
	RescheduleFrom uint64 `json:"reschedule_from"`
	// Failed is set once the execution block has passed and the swap did not happen (the new
	// coldkey gained stake or became a hotkey, or the cost could not be paid): the old coldkey
	// stays locked until RescheduleFrom, as on subtensor.
	Failed bool `json:"failed,omitempty"`
}
