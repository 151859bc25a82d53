package protocol

// Pays says who pays the flat fee of a call, after subtensor's dispatch annotations
// (pallets/subtensor/src/macros/dispatches.rs: `Pays::No` on set_weights, commit_weights,
// reveal_weights, increase_take, decrease_take, serve_axon and the other weight calls) and
// pallet_sudo (a call the sudo key makes through `sudo` pays nothing). The tip is paid in
// every case. docs/transactions.md has the table.
type Pays uint8

const (
	// PaysYes: the signer pays the chain's tx_fee (subtensor's default, Pays::Yes).
	PaysYes Pays = iota
	// PaysNo: no fee (Pays::No). Like subtensor's CheckNonce, such a call needs no balance at
	// all when it carries no tip: a validator hotkey holding 0 TAO sets weights.
	PaysNo
	// PaysNoForSudo: no fee when the sudo key signs (pallet_sudo's sudo returns Pays::No),
	// the full fee for anyone else.
	PaysNoForSudo
)

// paysTable lists the calls that do not pay PaysYes. Calls not listed pay the fee.
var paysTable = map[CallName]Pays{
	{subModule, "set_weights"}:        PaysNo, // call_index 0
	{subModule, "commit_weights"}:     PaysNo, // 96
	{subModule, "reveal_weights"}:     PaysNo, // 97
	{subModule, "serve_axon"}:         PaysNo, // 4
	{subModule, "set_take"}:           PaysNo, // increase_take 66 / decrease_take 65
	{subModule, "sudo_set_global"}:    PaysNoForSudo,
	{subModule, "set_hyperparameter"}: PaysNoForSudo, // admin-utils: the owner pays, sudo does not
	{"sudo", "faucet"}:                PaysNoForSudo,
}

// CallPays returns who pays the fee of the call named name.
func CallPays(name CallName) Pays { return paysTable[name] }

// FeeFor is the fee a call pays on a chain whose flat fee is txFee, signed by the sudo key or
// not.
func FeeFor(name CallName, signerIsSudo bool, txFee uint64) uint64 {
	switch CallPays(name) {
	case PaysNo:
		return 0
	case PaysNoForSudo:
		if signerIsSudo {
			return 0
		}
	}
	return txFee
}
