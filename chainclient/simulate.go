package chainclient

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// MethodSimulate is the node API method of Simulate (POST /v1/simulate, no state change).
const MethodSimulate = "simulate"

// SimulateParams are simulate's parameters: the signer's address and the call as
// protocol.EncodeCall's bytes in 0x-prefixed hex. The result is a protocol.Simulation.
type SimulateParams struct {
	Signer wallet.AccountID `json:"signer"`
	Call   string           `json:"call"`
}

// NewSimulateParams encodes a call for the simulate method.
func NewSimulateParams(call protocol.Call, signer wallet.AccountID) SimulateParams {
	return SimulateParams{Signer: signer, Call: "0x" + hex.EncodeToString(protocol.EncodeCall(call))}
}

// DecodeCall decodes Call (protocol.ParseCall of the hex); errors wrap protocol's rejection
// codes (CodeMalformed, CodeUnknownCall, ...).
func (p SimulateParams) DecodeCall() (protocol.Call, error) {
	raw, err := hex.DecodeString(strings.TrimPrefix(p.Call, "0x"))
	if err != nil {
		return nil, protocol.Reject(protocol.CodeMalformed, "call is not hex: %v", err)
	}
	return protocol.ParseCall(raw)
}

// Simulate implements Client.
func (e *Embedded) Simulate(ctx context.Context, call protocol.Call, signer wallet.AccountID) (*protocol.Simulation, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Simulate(call, signer)
}

// Simulate implements Client.
func (r *Remote) Simulate(ctx context.Context, call protocol.Call, signer wallet.AccountID) (*protocol.Simulation, error) {
	if call == nil {
		return nil, fmt.Errorf("simulate: no call")
	}
	var out protocol.Simulation
	if err := r.call(ctx, MethodSimulate, NewSimulateParams(call, signer), &out); err != nil {
		return nil, err
	}
	return &out, nil
}
