package chainclient

import (
	"context"

	"github.com/btui/btui/protocol"
)

// PriceHistory is unsupported on a subtensor node: a price per block means a runtime call at
// every block's hash, which only an archive node answers and which is too many calls to make
// per chart; an indexer keeps this history.
func (s *Subtensor) PriceHistory(context.Context, uint16, uint64, uint64) ([]protocol.PricePoint, error) {
	return nil, unsupported("a subnet's price history", "a node answers the price at one block per call; use an indexer such as taostats")
}
