package protocol

import (
	"errors"
	"fmt"
)

// Infrastructure and query errors.
var (
	// ErrNotFound is returned by queries for a block, transaction or snapshot that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInUse is returned by Open when another process holds the database; the concrete error
	// is an *InUseError naming the pid.
	ErrInUse = errors.New("devnet is in use by another btui")
	// ErrSchemaVersion is returned by Open for a database written by another schema version.
	ErrSchemaVersion = errors.New("devnet database schema version mismatch")
	// ErrClosed is returned by every method of a closed Chain.
	ErrClosed = errors.New("chain is closed")
	// ErrGenesisMismatch is returned by Open when WithGenesis names a genesis other than the
	// one the existing database was created with.
	ErrGenesisMismatch = errors.New("genesis does not match the existing devnet")
	// ErrInvalidGenesis is returned for a genesis that fails validation.
	ErrInvalidGenesis = errors.New("invalid genesis")
	// ErrBadBlock is returned when a stored or replayed block does not apply cleanly (an
	// infrastructure fault: the database is corrupt or was written by other rules).
	ErrBadBlock = errors.New("bad block")
	// ErrInvariant is returned by CheckInvariants when a chain invariant does not hold.
	ErrInvariant = errors.New("invariant violated")
	// ErrInvalidName is returned for a snapshot name that is not 1..64 of [A-Za-z0-9._-].
	ErrInvalidName = errors.New("invalid snapshot name: use 1 to 64 letters, digits, '.', '_' or '-'")
	// ErrBadRange is returned by range queries (Events) for a range that is empty (from after
	// to) or spans more blocks than one query may ask for; the message says which.
	ErrBadRange = errors.New("bad block range")
	// ErrNoEpochInBlock is wrapped when a subnet runs no epoch in the block asked about.
	ErrNoEpochInBlock = errors.New("no epoch in that block")
	// ErrNoDevKey is returned by DevFaucet when the sudo account is not one of the dev keys.
	ErrNoDevKey = errors.New("the sudo account is not a dev key; sign a sudo faucet call with the sudo key instead")
)

// Rejection sentinels: each is a *TxError with only a Code, so errors.Is(err, ErrPoolFull)
// matches any rejection with that code, whatever its message.
var (
	ErrMalformed     = &TxError{Code: CodeMalformed}
	ErrTrailingBytes = &TxError{Code: CodeTrailingBytes}
	ErrOversize      = &TxError{Code: CodeOversize}
	ErrWrongChain    = &TxError{Code: CodeWrongChain}
	ErrBadSignature  = &TxError{Code: CodeBadSignature}
	ErrHighS         = &TxError{Code: CodeHighS}
	ErrRecoveryID    = &TxError{Code: CodeRecoveryID}
	ErrExpired       = &TxError{Code: CodeExpired}
	ErrStaleNonce    = &TxError{Code: CodeStaleNonce}
	ErrNonceGap      = &TxError{Code: CodeNonceGap}
	ErrUnknownCall   = &TxError{Code: CodeUnknownCall}
	ErrUnfundedFee   = &TxError{Code: CodeUnfundedFee}
	ErrDuplicate     = &TxError{Code: CodeDuplicate}
	ErrPoolFull      = &TxError{Code: CodePoolFull}
	ErrUnderpriced   = &TxError{Code: CodeUnderpriced}
	ErrInvalidArgs   = &TxError{Code: CodeInvalidArgs}
	ErrZeroAmount    = &TxError{Code: CodeZeroAmount}
	ErrAmountTooBig  = &TxError{Code: CodeAmountTooBig}
	ErrSelfTransfer  = &TxError{Code: CodeSelfTransfer}
	ErrDropped       = &TxError{Code: CodeDropped}
)

// TxError is a transaction-level failure with a stable code: a rejection (Code.IsRejection)
// from CheckTx and the pool, or a call failure that becomes a failure receipt.
type TxError struct {
	Code Code
	Msg  string
}

// Error returns the message, or the code's name if there is none.
func (e *TxError) Error() string {
	if e.Msg == "" {
		return e.Code.String()
	}
	return e.Msg
}

// Is matches another *TxError with the same code.
func (e *TxError) Is(target error) bool {
	t, ok := target.(*TxError)
	return ok && t.Code == e.Code
}

// Fail builds the *TxError a call handler returns for a user-level failure: the transaction is
// included with a failure receipt carrying code and the formatted message.
func Fail(code Code, format string, args ...any) error {
	return &TxError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// Reject builds a rejection error (same type as Fail; the name says where it is used).
func Reject(code Code, format string, args ...any) error {
	return &TxError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of a *TxError anywhere in err's chain, or false.
func CodeOf(err error) (Code, bool) {
	var te *TxError
	if errors.As(err, &te) {
		return te.Code, true
	}
	return 0, false
}

// InUseError is returned by Open when the database lock is held by another process.
type InUseError struct {
	PID     int    // 0 when the holder's pid is unknown
	Cmdline string // the holder's command line, when it recorded one and is alive
}

// Error gives the message of spec/chain.md.
func (e *InUseError) Error() string {
	if e.PID <= 0 {
		return "devnet is in use by another btui (pid unknown); use --node URL"
	}
	if e.Cmdline != "" {
		return fmt.Sprintf("devnet is in use by pid %d (%s); use --node URL if it is a btui node, or wait for it to end", e.PID, e.Cmdline)
	}
	return fmt.Sprintf("devnet is in use by another btui (pid %d); use --node URL", e.PID)
}

// Is matches ErrInUse.
func (e *InUseError) Is(target error) bool { return target == ErrInUse }
