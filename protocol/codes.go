package protocol

import (
	"fmt"
)

// Code is the stable numeric result code of a transaction. Codes never change meaning once
// released; new ones are added in the owning module's range.
//
// Ranges:
//
//	0            success
//	1..99        rejections: the transaction failed CheckTx or the pool and never enters a block
//	100..199     dispatch failures common to every call (origin, sudo)
//	200..299     balances
//	300..399     devnet (faucet)
//	1000..1099   subnets (register_network, start_call, hyperparameters, dissolve)
//	1100..1199   registration (burned_register, register, pruning)
//	1200..1299   staking (add/remove/move/transfer/swap stake, takes)
//	1300..1399   weights (set/commit/reveal)
//	1400..1499   serving (serve_axon)
//	1500..1599   keys (swap_hotkey, schedule_swap_coldkey)
//	1600..1699   outcomes reported by a subtensor node
//	9000..9999   reserved for tests and future core use
//
// A module registers its codes with their names in this file, in its own range.
type Code uint32

// Success.
const CodeOK Code = 0

// Rejections (CheckTx, pool). A rejected transaction never enters a block, pays no fee and
// leaves the nonce unchanged.
const (
	CodeMalformed     Code = 1  // the bytes do not decode as a transaction
	CodeTrailingBytes Code = 2  // bytes left over after the call arguments
	CodeOversize      Code = 3  // the envelope is larger than MaxTxSize
	CodeWrongChain    Code = 4  // the genesis hash is another chain's
	CodeBadSignature  Code = 5  // the signature does not recover the signer
	CodeHighS         Code = 6  // the signature is not in low-S form
	CodeRecoveryID    Code = 7  // the signature's v is not 0 or 1
	CodeExpired       Code = 8  // the expiry block has passed
	CodeStaleNonce    Code = 9  // the nonce was already used
	CodeNonceGap      Code = 10 // the nonce is too far ahead of the account's nonce
	CodeUnknownCall   Code = 11 // no such module or method
	CodeUnfundedFee   Code = 12 // the signer cannot pay fee + tip and keep the existential deposit
	CodeDuplicate     Code = 13 // the same transaction is already pending
	CodePoolFull      Code = 14 // the transaction pool is at its count or byte limit
	CodeUnderpriced   Code = 15 // a pending transaction with the same nonce has an equal or higher tip
	CodeInvalidArgs   Code = 16 // the call's arguments fail their stateless checks
	CodeZeroAmount    Code = 17 // an amount that must be positive is zero
	CodeAmountTooBig  Code = 18 // an amount exceeds the maximum supply or overflows with the fee
	CodeSelfTransfer  Code = 19 // a transfer to the signer itself
	CodeDropped       Code = 20 // the pool dropped a pending transaction (expired, stale, unfunded)
)

// Dispatch failures (in blocks: the fee is paid, the nonce bumped, nothing else changes).
const (
	CodeNotSudo Code = 100 // the call needs the sudo account's signature
)

// Balances failures.
const (
	CodeInsufficientBalance Code = 200 // free balance below amount + fee
	CodeKeepAlive           Code = 201 // the transfer would leave the sender below the existential deposit
	CodeBelowExistential    Code = 202 // the amount would create an account below the existential deposit
	CodeBalanceOverflow     Code = 203 // the recipient's balance would overflow the maximum supply
)

// Devnet failures.
const (
	CodeFaucetLimit Code = 300 // the faucet amount exceeds the per-call limit
)

var codeNames = map[Code]string{
	CodeOK:                  "ok",
	CodeMalformed:           "malformed",
	CodeTrailingBytes:       "trailing_bytes",
	CodeOversize:            "oversize",
	CodeWrongChain:          "wrong_chain",
	CodeBadSignature:        "bad_signature",
	CodeHighS:               "high_s",
	CodeRecoveryID:          "bad_recovery_id",
	CodeExpired:             "expired",
	CodeStaleNonce:          "stale_nonce",
	CodeNonceGap:            "nonce_gap",
	CodeUnknownCall:         "unknown_call",
	CodeUnfundedFee:         "unfunded_fee",
	CodeDuplicate:           "duplicate",
	CodePoolFull:            "pool_full",
	CodeUnderpriced:         "underpriced",
	CodeInvalidArgs:         "invalid_args",
	CodeZeroAmount:          "zero_amount",
	CodeAmountTooBig:        "amount_too_big",
	CodeSelfTransfer:        "self_transfer",
	CodeDropped:             "dropped",
	CodeNotSudo:             "not_sudo",
	CodeInsufficientBalance: "insufficient_balance",
	CodeKeepAlive:           "keep_alive",
	CodeBelowExistential:    "below_existential_deposit",
	CodeBalanceOverflow:     "balance_overflow",
	CodeFaucetLimit:         "faucet_limit",
}

// Outcomes reported by a subtensor node (chainclient.Subtensor): the runtime's own errors are
// named from its metadata in the receipt's message.
const (
	CodeExtrinsicFailed Code = 1600 // System.ExtrinsicFailed: the call failed in its block (fee paid); the message names the module error
	CodeNodeRejected    Code = 1601 // the node's pool refused the extrinsic (RPC 1010–1014: invalid, banned, already imported, priority too low)
	CodeNotIncluded     Code = 1602 // the extrinsic never landed: dropped, usurped, or its era ended before a block took it
)

func init() {
	codeNames[CodeExtrinsicFailed] = "extrinsic_failed"
	codeNames[CodeNodeRejected] = "node_rejected"
	codeNames[CodeNotIncluded] = "not_included"
}

// String returns the code's stable snake_case name, or "code_N" for an unregistered code.
func (c Code) String() string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return fmt.Sprintf("code_%d", uint32(c))
}

// IsRejection reports whether c is a CheckTx/pool rejection (the transaction never enters a
// block) rather than a failure receipt of an included transaction.
func (c Code) IsRejection() bool { return c >= 1 && c <= 99 }
