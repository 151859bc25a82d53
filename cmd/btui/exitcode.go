package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/sim"
	"github.com/btui/btui/wallet"
)

// Exit codes, documented in `btui --help`. They are the only codes btui returns.
const (
	ExitOK          = 0   // success
	ExitFailed      = 1   // any other failure
	ExitUsage       = 2   // bad flags, arguments or input
	ExitRejected    = 3   // the chain rejected the transaction (the receipt's code is printed)
	ExitAuth        = 4   // wrong password or locked key
	ExitNotFound    = 5   // wallet, hotkey, block, transaction or subnet not found
	ExitInterrupted = 130 // interrupted (Ctrl-C)
)

const exitCodeHelp = `Exit codes:
  0    ok
  1    error
  2    usage: bad flags, arguments or input
  3    the chain rejected the transaction (receipt code and message are printed)
  4    wrong password or locked key
  5    not found (wallet, hotkey, block, transaction, subnet)
  130  interrupted`

// ErrNoTerminal is returned when a command would have to prompt but has no terminal.
var ErrNoTerminal = errors.New("no terminal to prompt on")

// ExitError carries an exit code with an error.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// withCode wraps err so that it exits with code.
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// usageErrorf is a bad-input error: exit code 2.
func usageErrorf(format string, a ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}

// interrupted reports whether err ends a command the user interrupted (Ctrl-C cancelled ctx, or
// the error is a cancellation): it is reported as "interrupted" with ExitInterrupted, never as
// the error text ("context canceled") or another code.
func interrupted(ctx context.Context, err error) bool {
	return err != nil && (ctx.Err() != nil || errors.Is(err, context.Canceled))
}

// exitCode maps an error to the process exit code. It is the one place where this happens.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, context.Canceled) {
		return ExitInterrupted
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	switch {
	// Each package's sentinel errors map here, one line each.
	case errors.Is(err, ErrNoTerminal):
		return ExitUsage
	case errors.Is(err, keystore.ErrDecrypt), errors.Is(err, keystore.ErrPasswordRequired), errors.Is(err, chainclient.ErrUnauthorized):
		return ExitAuth
	case errors.Is(err, keystore.ErrNotFound):
		return ExitNotFound
	case errors.Is(err, keystore.ErrEmptyPassword), errors.Is(err, keystore.ErrExists), errors.Is(err, keystore.ErrInvalidName):
		return ExitUsage
	case errors.Is(err, keystore.ErrWatchOnly), errors.Is(err, keystore.ErrLegacyKeyfile), errors.Is(err, keystore.ErrUnknownFormat),
		errors.Is(err, keystore.ErrKDFTooCostly), errors.Is(err, keystore.ErrUnsupportedContent), errors.Is(err, wallet.ErrInvalidScheme):
		return ExitUsage
	case errors.Is(err, wallet.ErrInvalidMnemonic), errors.Is(err, wallet.ErrSoftJunction), errors.Is(err, wallet.ErrInvalidSecret),
		errors.Is(err, wallet.ErrInvalidSURI), errors.Is(err, wallet.ErrHighS), errors.Is(err, wallet.ErrRecoveryID):
		return ExitUsage
	case errors.Is(err, wallet.ErrSS58Encoding), errors.Is(err, wallet.ErrSS58Length), errors.Is(err, wallet.ErrSS58Checksum),
		errors.Is(err, wallet.ErrSS58Prefix):
		return ExitUsage
	case errors.Is(err, sim.ErrInvalidScenario):
		return ExitUsage
	case errors.As(err, new(*protocol.TxError)):
		return ExitRejected
	case errors.Is(err, protocol.ErrNotFound):
		return ExitNotFound
	case errors.Is(err, chainclient.ErrInvalidURL), errors.Is(err, protocol.ErrInvalidName),
		errors.Is(err, protocol.ErrInvalidGenesis), errors.Is(err, protocol.ErrInvalidAmount):
		return ExitUsage
	}
	return ExitFailed
}
