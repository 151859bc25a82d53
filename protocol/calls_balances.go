package protocol

import (
	"github.com/btui/btui/wallet"
)

// Transfer moves Amount rao from the signer to To. By default it keeps the sender alive (its
// balance after fee and amount stays at least the existential deposit); AllowDeath lets the
// transfer empty the account, burning any dust below the existential deposit.
type Transfer struct {
	To         wallet.AccountID `json:"to"`
	Amount     uint64           `json:"amount"`
	AllowDeath bool             `json:"allow_death"`
}

// CallName is balances.transfer.
func (Transfer) CallName() CallName { return CallName{"balances", "transfer"} }

// EncodeArgs writes to(32) || amount u64 || allow_death bool.
func (c Transfer) EncodeArgs(e *Encoder) {
	e.Account(c.To)
	e.U64(c.Amount)
	e.Bool(c.AllowDeath)
}

// Validate rejects a zero amount, an amount above the maximum supply and a transfer to self.
func (c Transfer) Validate(signer wallet.AccountID) error {
	if err := checkAmount(c.Amount); err != nil {
		return err
	}
	if c.To == signer {
		return Reject(CodeSelfTransfer, "transfer to self (%s): pick another recipient", signer)
	}
	return nil
}

func decodeTransfer(d *Decoder) Transfer {
	return Transfer{To: d.Account(), Amount: d.U64(), AllowDeath: d.Bool()}
}

func checkAmount(a uint64) error {
	if a == 0 {
		return Reject(CodeZeroAmount, "amount is zero: send at least 1 rao")
	}
	if a > MaxSupply {
		return Reject(CodeAmountTooBig, "amount %d rao exceeds the maximum supply of %d rao", a, MaxSupply)
	}
	return nil
}

// Faucet mints Amount rao into To. Devnet only: it needs the sudo account's signature.
type Faucet struct {
	To     wallet.AccountID `json:"to"`
	Amount uint64           `json:"amount"`
}

// CallName is sudo.faucet.
func (Faucet) CallName() CallName { return CallName{"sudo", "faucet"} }

// EncodeArgs writes to(32) || amount u64.
func (c Faucet) EncodeArgs(e *Encoder) {
	e.Account(c.To)
	e.U64(c.Amount)
}

// Validate rejects a zero amount and one above the maximum supply.
func (c Faucet) Validate(wallet.AccountID) error { return checkAmount(c.Amount) }

func decodeFaucet(d *Decoder) Faucet { return Faucet{To: d.Account(), Amount: d.U64()} }
