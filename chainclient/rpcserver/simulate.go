package rpcserver

import (
	"context"

	"github.com/btui/btui/chainclient"
)

// simulateMethod serves Client.Simulate: the call runs at the head in a rolled-back
// transaction; nothing is signed or stored. A call that does not decode is a bad request.
func (s *Server) simulateMethod() method {
	return query(chainclient.MethodSimulate, false, func(ctx context.Context, p chainclient.SimulateParams) (any, error) {
		call, err := p.DecodeCall()
		if err != nil {
			return nil, err // a *protocol.TxError: the client sees the rejection code
		}
		return s.backend.Simulate(ctx, call, p.Signer)
	})
}
