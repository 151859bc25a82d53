package chainclient

import (
	"errors"
	"fmt"
)

// Sentinel errors of chainclient. Errors about the chain itself keep localchain's sentinels
// (protocol.ErrNotFound, protocol.ErrClosed, *protocol.TxError with its Code) on both
// implementations, so callers test them the same way whichever client they hold.
var (
	// ErrUnsupported is returned by a method the chain behind the client does not offer (an
	// older node, or a test double embedding Unimplemented).
	ErrUnsupported = errors.New("not supported by this chain")
	// ErrNodeUnreachable means the node could not be reached: it is not running, or the URL is
	// wrong.
	ErrNodeUnreachable = errors.New("node unreachable")
	// ErrBadResponse means the node answered with something that is not the API's JSON.
	ErrBadResponse = errors.New("bad response from node")
	// ErrBadRequest means the node refused a request as malformed (a client bug or a version
	// mismatch between btui and the node).
	ErrBadRequest = errors.New("bad request")
	// ErrInvalidURL means a node URL is not an http(s) URL.
	ErrInvalidURL = errors.New("invalid node url")
	// ErrUnauthorized means the node refused a control call for want of its token (the client
	// found none, or a wrong one).
	ErrUnauthorized = errors.New("the node's token is required")
	// ErrNoDevKey means the sudo account is not one of the dev keys, so Faucet cannot sign.
	ErrNoDevKey = errors.New("the chain's sudo account is not a dev key: sign a sudo.faucet call with the sudo key instead")
)

// NodeError is an error response of a node that carries no localchain error: the API's error
// kind (see docs/rpc.md) and the node's message.
type NodeError struct {
	Status  int    // HTTP status
	Kind    string // API error kind ("internal", "unavailable", ...)
	Message string
}

// Error returns the node's message with its kind.
func (e *NodeError) Error() string {
	return fmt.Sprintf("node: %s (%s)", e.Message, e.Kind)
}

// Is makes a 401 refusal match ErrUnauthorized.
func (e *NodeError) Is(target error) bool {
	return target == ErrUnauthorized && e.Kind == KindUnauthorized
}
