package protocol

import (
	"github.com/btui/btui/wallet"
)

// Simulation is what the chain would do with a call signed by Signer if it were included in
// the next block: the chain runs its checks and the call at the head, in a transaction it
// rolls back. Nothing is signed, stored or submitted. The signer's pending transactions are
// not applied first (the simulation uses the committed nonce).
type Simulation struct {
	Height uint64           `json:"height"` // the block it was simulated in (head + 1)
	Signer wallet.AccountID `json:"signer"`
	Nonce  uint64           `json:"nonce"`
	Call   CallInfo         `json:"call"`
	// Rejected is set when the chain would refuse the transaction before any block (bad
	// arguments, unpayable fee): it would pay nothing and change nothing. Receipt, Events and
	// the changes are then empty.
	Rejected *Rejection      `json:"rejected,omitempty"`
	Receipt  Receipt         `json:"receipt"`
	Events   []Event         `json:"events"`
	Balances []BalanceChange `json:"balances"` // every account the transaction touched
	Stakes   []StakeChange   `json:"stakes"`   // every stake position whose alpha the transaction changed
}

// Rejection is a refusal before inclusion: a rejection code (1..99) and its message.
type Rejection struct {
	Code     Code   `json:"code"`
	CodeName string `json:"code_name"`
	Message  string `json:"message"`
}

// BalanceChange is an account's free balance before and after, in rao.
type BalanceChange struct {
	Account wallet.AccountID `json:"account"`
	Before  uint64           `json:"before"`
	After   uint64           `json:"after"`
}

// StakeChange is a stake position's alpha before and after (alpha rao; TAO on root).
type StakeChange struct {
	Netuid  uint16           `json:"netuid"`
	Hotkey  wallet.AccountID `json:"hotkey"`
	Coldkey wallet.AccountID `json:"coldkey"`
	Before  uint64           `json:"before"`
	After   uint64           `json:"after"`
}

// OK reports whether the transaction would be included and its call succeed.
func (s *Simulation) OK() bool { return s.Rejected == nil && s.Receipt.OK() }

// Err returns nil when OK, else the *TxError the real run would end with: the rejection, or
// the failure receipt's code and message.
func (s *Simulation) Err() error {
	switch {
	case s.Rejected != nil:
		return &TxError{Code: s.Rejected.Code, Msg: s.Rejected.Message}
	case !s.Receipt.OK():
		return &TxError{Code: s.Receipt.Code, Msg: s.Receipt.Message}
	}
	return nil
}
