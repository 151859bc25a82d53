package substrate

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/btui/btui/chainclient/substrate/scale"
)

// StorageKV is one entry of a storage map: its full key and its raw value.
type StorageKV struct {
	Key   []byte
	Value []byte
}

// keysPage is the page size of state_getKeysPaged (what the bittensor SDK asks for).
const keysPage = 100

// maxMapEntries bounds one map read (a subnet's rows are at most its max uids).
const maxMapEntries = 1 << 16

// BestHash is the hash of the best block (chain_getHead).
func (c *Client) BestHash(ctx context.Context) (Hash, error) {
	var s string
	if err := c.call(ctx, &s, "chain_getHead"); err != nil {
		return Hash{}, err
	}
	return ParseHash(s)
}

// StorageEntries reads every entry of pallet.item under the given leading keys (e.g. one
// netuid of a double map) at block at, as the SDK does: state_getKeysPaged pages of 100 from
// the prefix, then state_queryStorageAt for each page's values. Pass a block hash: a map read
// across blocks would mix states.
func (c *Client) StorageEntries(ctx context.Context, pallet, item string, at Hash, keys ...[]byte) ([]StorageKV, error) {
	return c.storageEntries(ctx, pallet, item, keysPage, at, keys...)
}

func (c *Client) storageEntries(ctx context.Context, pallet, item string, pageSize int, at Hash, keys ...[]byte) ([]StorageKV, error) {
	m := c.Metadata()
	prefix, e, err := m.StorageKey(pallet, item, keys...)
	if err != nil {
		return nil, err
	}
	if !e.IsMap {
		return nil, fmt.Errorf("substrate: %s.%s is not a map", pallet, item)
	}
	var out []StorageKV
	start := prefix
	for {
		var page []string
		if err := c.call(ctx, &page, "state_getKeysPaged", hexParam(prefix), pageSize, hexParam(start), at.Hex()); err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		var res []struct {
			Block   Hash         `json:"block"`
			Changes [][2]*string `json:"changes"`
		}
		if err := c.call(ctx, &res, "state_queryStorageAt", page, at.Hex()); err != nil {
			return nil, err
		}
		for _, set := range res {
			for _, ch := range set.Changes {
				if ch[0] == nil || ch[1] == nil {
					continue // removed or empty value
				}
				k, err1 := hex.DecodeString(strings.TrimPrefix(*ch[0], "0x"))
				v, err2 := hex.DecodeString(strings.TrimPrefix(*ch[1], "0x"))
				if err1 != nil || err2 != nil {
					return nil, fmt.Errorf("state_queryStorageAt: answer is not hex")
				}
				if !strings.HasPrefix(string(k), string(prefix)) {
					return nil, fmt.Errorf("state_queryStorageAt: key %x is outside %s.%s", k, pallet, item)
				}
				out = append(out, StorageKV{Key: k, Value: v})
			}
		}
		if len(out) > maxMapEntries {
			return nil, fmt.Errorf("substrate: %s.%s has more than %d entries under that key", pallet, item, maxMapEntries)
		}
		if len(page) < pageSize {
			break
		}
		last, err := hex.DecodeString(strings.TrimPrefix(page[len(page)-1], "0x"))
		if err != nil {
			return nil, fmt.Errorf("state_getKeysPaged: key is not hex")
		}
		start = last
	}
	return out, nil
}

// MatrixRow is one uid's row of a subnet's Weights or Bonds map.
type MatrixRow struct {
	UID     uint16
	Entries []UIDValue
}

// SubnetMatrix reads SubtensorModule.Weights or .Bonds of a subnet at block at: one row per uid
// that has one, in key order.
func (c *Client) SubnetMatrix(ctx context.Context, item string, netuid uint16, at Hash) ([]MatrixRow, error) {
	if item != "Weights" && item != "Bonds" {
		return nil, fmt.Errorf("substrate: %q is neither Weights nor Bonds", item)
	}
	m := c.Metadata()
	_, e, err := m.Storage("SubtensorModule", item)
	if err != nil {
		return nil, err
	}
	if len(e.Hashers) != 2 || e.Hashers[0] != HasherIdentity || e.Hashers[1] != HasherIdentity {
		return nil, changed("SubtensorModule."+item, "keys are no longer Identity(netuid), Identity(uid)")
	}
	kvs, err := c.StorageEntries(ctx, "SubtensorModule", item, at, u16le(netuid))
	if err != nil {
		return nil, err
	}
	out := make([]MatrixRow, 0, len(kvs))
	for _, kv := range kvs {
		if len(kv.Key) < 2 {
			continue
		}
		uid := uint16(kv.Key[len(kv.Key)-2]) | uint16(kv.Key[len(kv.Key)-1])<<8
		row := MatrixRow{UID: uid}
		if err := m.Types.DecodeInto(e.Value, kv.Value, &row.Entries, "SubtensorModule."+item); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}

// pricesPage is the page size the bittensor SDK reads Swap.AlphaSqrtPrice with (get_subnet_prices:
// every subnet in one page).
const pricesPage = 129

// SubnetSqrtPrices reads Swap.AlphaSqrtPrice at block at, as the SDK's get_subnet_prices does
// (one state_getKeysPaged page of 129, then state_queryStorageAt): each subnet's pool price's
// square root, a U64F64 (bits / 2^64). Netuids without an entry are absent from the map (their
// value is the storage item's default, DefaultSqrtPrice).
func (c *Client) SubnetSqrtPrices(ctx context.Context, at Hash) (map[uint16]scale.U128, error) {
	m := c.Metadata()
	_, e, err := m.Storage("Swap", "AlphaSqrtPrice")
	if err != nil {
		return nil, err
	}
	if len(e.Hashers) != 1 || e.Hashers[0] != HasherTwox64Concat {
		return nil, changed("Swap.AlphaSqrtPrice", "the key is no longer Twox64Concat(netuid)")
	}
	kvs, err := c.storageEntries(ctx, "Swap", "AlphaSqrtPrice", pricesPage, at)
	if err != nil {
		return nil, err
	}
	out := make(map[uint16]scale.U128, len(kvs))
	for _, kv := range kvs {
		if len(kv.Key) != 32+8+2 {
			return nil, fmt.Errorf("Swap.AlphaSqrtPrice: key %x is not prefix + Twox64Concat(u16)", kv.Key)
		}
		netuid := uint16(kv.Key[40]) | uint16(kv.Key[41])<<8
		var v scale.U128
		if err := m.Types.DecodeInto(e.Value, kv.Value, &v, "Swap.AlphaSqrtPrice"); err != nil {
			return nil, err
		}
		out[netuid] = v
	}
	return out, nil
}

// DefaultSqrtPrice is Swap.AlphaSqrtPrice's default from the metadata (the value of a netuid
// without an entry).
func (m *Metadata) DefaultSqrtPrice() (scale.U128, error) {
	_, e, err := m.Storage("Swap", "AlphaSqrtPrice")
	if err != nil {
		return scale.U128{}, err
	}
	var v scale.U128
	err = m.Types.DecodeInto(e.Value, e.Default, &v, "Swap.AlphaSqrtPrice default")
	return v, err
}
