package localchain

import (
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
)

// Price history. Every block records each dynamic subnet's spot price after its transactions
// (emission injections, the chain's buys and every trade included), so `subnets price` can
// chart the pool block by block. The record is an index like txindex, not state: it is not in
// the state digest, and a block replayed from its body writes it again.
//
//	prices     height u64 -> (netuid u16 || price u64 rao per alpha)*   (dynamic subnets only)
//
// A database made before this bucket existed has no record for its older blocks; the query
// returns the blocks it has.

var bucketPrices = []byte("prices")

// maxPriceRange bounds one PriceHistory query.
const maxPriceRange = 100_000

// recordPrices writes block height's price record from the state in tx.
func recordPrices(tx *bbolt.Tx, height uint64) error {
	nets, err := listSubnets(tx)
	if err != nil {
		return err
	}
	v := make([]byte, 0, 10*len(nets))
	for _, n := range nets {
		if n.Stable {
			continue
		}
		v = binary.BigEndian.AppendUint16(v, n.Netuid)
		v = binary.BigEndian.AppendUint64(v, raoPerAlpha(n.price()))
	}
	if len(v) == 0 {
		return nil
	}
	return tx.Bucket(bucketPrices).Put(u64Key(height), v)
}

// priceHistory reads netuid's recorded prices of blocks from..to inclusive, oldest first.
func priceHistory(tx *bbolt.Tx, netuid uint16, from, to uint64) ([]protocol.PricePoint, error) {
	b := tx.Bucket(bucketPrices)
	if b == nil {
		return []protocol.PricePoint{}, nil
	}
	out := []protocol.PricePoint{}
	c := b.Cursor()
	for k, v := c.Seek(u64Key(from)); k != nil; k, v = c.Next() {
		if len(k) != 8 || len(v)%10 != 0 {
			return nil, fmt.Errorf("%w: %s record %x is malformed", protocol.ErrInvariant, bucketPrices, k)
		}
		h := binary.BigEndian.Uint64(k)
		if h > to {
			break
		}
		for i := 0; i < len(v); i += 10 {
			if binary.BigEndian.Uint16(v[i:]) == netuid {
				out = append(out, protocol.PricePoint{Block: h, Price: binary.BigEndian.Uint64(v[i+2:])})
				break
			}
		}
	}
	return out, nil
}

// PriceHistory returns the recorded spot prices (rao per alpha) of a dynamic subnet for blocks
// from..to inclusive (at most 100,000 blocks), oldest first. An unknown netuid is an error
// wrapping protocol.ErrNotFound; the root network (a fixed price of 1) has no points.
func (c *Chain) PriceHistory(netuid uint16, from, to uint64) ([]protocol.PricePoint, error) {
	if to < from || to-from >= maxPriceRange {
		return nil, fmt.Errorf("%w: blocks %d..%d: a price history spans 1 to %d blocks", protocol.ErrBadRange, from, to, maxPriceRange)
	}
	var out []protocol.PricePoint
	err := c.view(func(tx *bbolt.Tx) error {
		n, ok, err := getSubnet(tx, netuid)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: %d", ErrNoSubnet, netuid)
		}
		if n.Stable {
			out = []protocol.PricePoint{} // the root network's price is fixed at 1
			return nil
		}
		out, err = priceHistory(tx, netuid, from, to)
		return err
	})
	return out, err
}
