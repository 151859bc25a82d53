package localchain

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Invariants of the subtensor modules (spec/chain.md "Invariants"), as plain functions over
// committed or in-block state. TAO conservation is the core's issuance check with subHeldTAO.

// checkSubnetAlpha: per subnet, SubnetAlphaOut = staked alpha (Σ hotkey pools) + pending
// buckets + protocol alpha; root holds its TAO 1:1 as stake with no pool alpha and no buckets;
// every stored record decodes.
func checkSubnetAlpha(tx *bbolt.Tx) error {
	if _, err := getSubParams(tx); err != nil {
		return err
	}
	nets, err := listSubnets(tx)
	if err != nil {
		return err
	}
	staked := map[uint16]uint64{}
	err = tx.Bucket(bucketHotAlpha).ForEach(func(k, v []byte) error {
		if len(k) != 34 || len(v) != hotPoolSize {
			return fmt.Errorf("hotkey pool record %x has a %d-byte key and %d-byte value", k, len(k), len(v))
		}
		netuid := binary.BigEndian.Uint16(k)
		val := binary.BigEndian.Uint64(v)
		if val > protocol.MaxSupply || staked[netuid] > protocol.MaxSupply-val {
			return fmt.Errorf("subnet %d staked alpha overflows the maximum supply", netuid)
		}
		staked[netuid] += val
		return nil
	})
	if err != nil {
		return err
	}
	seen := map[uint16]bool{}
	hasRoot := false
	for _, n := range nets {
		seen[n.Netuid] = true
		if n.Netuid == RootNetuid {
			hasRoot = true
			if !n.Stable || n.PoolAlpha != 0 || n.PendingServer+n.PendingValidator+n.PendingRoot+n.PendingOwner+n.ProtocolAlpha != 0 {
				return fmt.Errorf("root must be stable with no pool alpha, buckets or protocol alpha")
			}
			if n.PoolTao != staked[0] || n.AlphaOut != staked[0] {
				return fmt.Errorf("root holds %d rao and counts %d staked, but its stake pools hold %d", n.PoolTao, n.AlphaOut, staked[0])
			}
			continue
		}
		want := staked[n.Netuid]
		for _, x := range []uint64{n.PendingServer, n.PendingValidator, n.PendingRoot, n.PendingOwner, n.ProtocolAlpha} {
			if x > protocol.MaxSupply || want > protocol.MaxSupply-x {
				return fmt.Errorf("subnet %d alpha overflows the maximum supply", n.Netuid)
			}
			want += x
		}
		if n.AlphaOut != want {
			return fmt.Errorf("subnet %d: alpha out is %d but staked %d + pending %d/%d/%d/%d + protocol %d = %d",
				n.Netuid, n.AlphaOut, staked[n.Netuid], n.PendingServer, n.PendingValidator, n.PendingRoot, n.PendingOwner, n.ProtocolAlpha, want)
		}
		if n.PoolAlpha > protocol.MaxSupply || n.AlphaOut > protocol.MaxSupply-n.PoolAlpha {
			return fmt.Errorf("subnet %d alpha issuance exceeds the maximum supply", n.Netuid)
		}
		// (The burn itself re-enters [min, max] at the next block step, as on subtensor.)
		if n.H.MinBurn > n.H.MaxBurn {
			return fmt.Errorf("subnet %d min burn %d exceeds max burn %d", n.Netuid, n.H.MinBurn, n.H.MaxBurn)
		}
	}
	if !hasRoot {
		return fmt.Errorf("the root network is missing")
	}
	for netuid := range staked {
		if !seen[netuid] {
			return fmt.Errorf("stake pools exist on missing subnet %d", netuid)
		}
	}
	return nil
}

// checkSharePools: every hotkey pool's share denominator is the sum of its positions' shares
// (the owner's, kept in the pool record, and the nominators'), a pool has value exactly when it
// has shares, its recorded owner is the hotkey's owner, and positions exist only under pools.
func checkSharePools(tx *bbolt.Tx) error {
	sums := map[string]uint64{}
	err := forEachPosition(tx, nil, func(p stakePosition) error {
		if p.Shares == 0 {
			return fmt.Errorf("position %d/%s/%s is stored with no shares", p.Netuid, p.Hotkey, p.Coldkey)
		}
		k := string(netHotkeyKey(p.Netuid, p.Hotkey))
		if sums[k] > ^uint64(0)-p.Shares {
			return fmt.Errorf("shares of %d/%s overflow", p.Netuid, p.Hotkey)
		}
		sums[k] += p.Shares
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketHotAlpha).ForEach(func(k, v []byte) error {
		var hk wallet.AccountID
		copy(hk[:], k[2:])
		p, _ := getHotPool(tx, binary.BigEndian.Uint16(k), hk)
		if (p.Value == 0) != (p.Shares == 0) {
			return fmt.Errorf("hotkey pool %x has value %d and %d shares", k, p.Value, p.Shares)
		}
		if sums[string(k)] != p.Shares {
			return fmt.Errorf("hotkey pool %x counts %d shares, its positions hold %d", k, p.Shares, sums[string(k)])
		}
		h, ok := getHotkey(tx, hk)
		if !ok {
			return fmt.Errorf("stake on %s, which has no hotkey record", hk)
		}
		if h.Owner != p.Owner {
			return fmt.Errorf("hotkey pool %x records owner %s, the hotkey's owner is %s", k, p.Owner, h.Owner)
		}
		if getU64(tx, bucketShares, shareKey(binary.BigEndian.Uint16(k), hk, p.Owner)) != 0 {
			return fmt.Errorf("hotkey pool %x: the owner %s also holds a nominator position", k, p.Owner)
		}
		delete(sums, string(k))
		return nil
	})
	if err != nil {
		return err
	}
	for k := range sums {
		return fmt.Errorf("positions under %x have no hotkey pool", []byte(k))
	}
	return nil
}

// checkNeurons: per subnet, uids are dense 0..n−1 with n ≤ max UIDs, the hotkey→uid map is the
// exact inverse of the neurons' hotkeys, every neuron's hotkey has an owner, and weight and bond
// rows exist only for existing uids and point only at existing uids.
func checkNeurons(tx *bbolt.Tx) error {
	nets, err := listSubnets(tx)
	if err != nil {
		return err
	}
	counted := map[uint16]bool{}
	mapped := 0
	for _, n := range nets {
		counted[n.Netuid] = true
		if n.Stable {
			if n.N != 0 {
				return fmt.Errorf("root holds %d neurons", n.N)
			}
			continue
		}
		if n.N > n.H.MaxAllowedUids {
			return fmt.Errorf("subnet %d has %d neurons, above max_allowed_uids %d", n.Netuid, n.N, n.H.MaxAllowedUids)
		}
		neurons, err := loadNeurons(tx, n.Netuid, n.N)
		if err != nil {
			return err
		}
		seen := map[wallet.AccountID]bool{}
		for uid, nr := range neurons {
			if seen[nr.Hotkey] {
				return fmt.Errorf("subnet %d: hotkey %s holds two uids", n.Netuid, nr.Hotkey)
			}
			seen[nr.Hotkey] = true
			if got, ok := getUID(tx, n.Netuid, nr.Hotkey); !ok || int(got) != uid {
				return fmt.Errorf("subnet %d: uid %d hotkey %s maps to uid %d (%v)", n.Netuid, uid, nr.Hotkey, got, ok)
			}
			if _, ok := getHotkey(tx, nr.Hotkey); !ok {
				return fmt.Errorf("subnet %d: uid %d hotkey %s has no owner", n.Netuid, uid, nr.Hotkey)
			}
		}
		if _, ok := getUID(tx, n.Netuid, n.OwnerHotkey); !ok && n.N > 0 {
			// The owner hotkey is uid 0 at creation and never pruned.
			return fmt.Errorf("subnet %d: owner hotkey %s holds no uid", n.Netuid, n.OwnerHotkey)
		}
		if blob := tx.Bucket(bucketOutputs).Get(netKey(n.Netuid)); len(blob)%outputSize != 0 || len(blob) > int(n.N)*outputSize {
			return fmt.Errorf("subnet %d: outputs blob of %d bytes for %d neurons", n.Netuid, len(blob), n.N)
		}
		mapped += len(neurons)
		for _, bucket := range [][]byte{bucketWeights, bucketBonds} {
			c := tx.Bucket(bucket).Cursor()
			prefix := netKey(n.Netuid)
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				uid := binary.BigEndian.Uint16(k[2:])
				if uid >= n.N {
					return fmt.Errorf("subnet %d: %s row for missing uid %d", n.Netuid, bucket, uid)
				}
				row, err := decodeRow(v)
				if err != nil {
					return err
				}
				for _, e := range row {
					if e.UID >= n.N {
						return fmt.Errorf("subnet %d: uid %d %s entry points at missing uid %d", n.Netuid, uid, bucket, e.UID)
					}
				}
			}
		}
	}
	total := 0
	err = tx.Bucket(bucketUIDs).ForEach(func(k, _ []byte) error {
		if len(k) != 34 || !counted[binary.BigEndian.Uint16(k)] {
			return fmt.Errorf("uid map entry %x belongs to no subnet", k)
		}
		total++
		return nil
	})
	if err != nil {
		return err
	}
	if total != mapped {
		return fmt.Errorf("the uid map holds %d entries for %d neurons", total, mapped)
	}
	return nil
}
