package protocol

// Codes of schedule_swap_coldkey (subtensor's coldkey swap). Like every code they never change
// meaning once released.

// CodeColdkeyInSwapSchedule is a rejection (CheckTx, pool, block inclusion): the signer has a
// scheduled coldkey swap and may sign nothing but schedule_swap_coldkey until the swap
// executes (subtensor's ColdkeyInSwapSchedule transaction error).
const CodeColdkeyInSwapSchedule Code = 21

// Keys: 1500..1599.
const (
	CodeSwapAlreadyScheduled     Code = 1501 // schedule_swap_coldkey while a swap is scheduled (before its reschedule block)
	CodeColdkeyAlreadyAssociated Code = 1502 // the new coldkey already holds stake (subtensor's ColdKeyAlreadyAssociated)
	CodeNewColdkeyIsHotkey       Code = 1503 // the new coldkey is a hotkey on the chain (subtensor's NewColdKeyIsHotkey)
)

var swapColdkeyCodeNames = map[Code]string{
	CodeSwapAlreadyScheduled:     "swap_already_scheduled",
	CodeColdkeyAlreadyAssociated: "coldkey_already_associated",
	CodeNewColdkeyIsHotkey:       "new_coldkey_is_hotkey",
}

// The names join the code table at start-up (after codes_subtensor.go's, file order), the
// subtensor ones also subCodeNames (whose test checks their range).
func init() {
	register := func(c Code, n string) {
		if _, dup := codeNames[c]; dup {
			panic("protocol: receipt code registered twice: " + n)
		}
		codeNames[c] = n
	}
	register(CodeColdkeyInSwapSchedule, "coldkey_in_swap_schedule")
	for c, n := range swapColdkeyCodeNames {
		register(c, n)
		subCodeNames[c] = n
	}
}
