package localchain

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
)

// CheckInvariants checks the state invariants of spec/chain.md in tx (committed state in a
// View, or a block's state before commit): TAO conservation (total issuance = free balances +
// TAO held by modules, never above MaxSupply), the balances invariants and every module's
// own invariants, and that the head header is present and indexed. Errors wrap ErrInvariant.
func CheckInvariants(tx *bbolt.Tx) error {
	bad := func(name string, err error) error { return fmt.Errorf("%w: %s: %v", protocol.ErrInvariant, name, err) }
	ti := getTotalIssuance(tx)
	if ti > protocol.MaxSupply {
		return bad("issuance", fmt.Errorf("total issuance %d exceeds the maximum supply %d", ti, protocol.MaxSupply))
	}
	var sum uint64
	err := tx.Bucket(bucketAccounts).ForEach(func(_, v []byte) error {
		if len(v) != 16 {
			return fmt.Errorf("account value of %d bytes", len(v))
		}
		f := binary.BigEndian.Uint64(v)
		if f > protocol.MaxSupply-sum {
			return fmt.Errorf("free balances overflow the maximum supply")
		}
		sum += f
		return nil
	})
	if err != nil {
		return bad("issuance", err)
	}
	for _, m := range registry().mods {
		if m.HeldTAO == nil {
			continue
		}
		held, err := m.HeldTAO(tx)
		if err != nil {
			return bad("issuance", fmt.Errorf("module %s: %v", m.Name, err))
		}
		if held > protocol.MaxSupply-sum {
			return bad("issuance", fmt.Errorf("module %s holds %d rao, overflowing the maximum supply", m.Name, held))
		}
		sum += held
	}
	if sum != ti {
		return bad("issuance", fmt.Errorf("total issuance is %d rao but free balances and module holdings add up to %d", ti, sum))
	}
	for _, m := range registry().mods {
		for _, inv := range m.Invariants {
			if err := inv.Check(tx); err != nil {
				return bad(m.Name+"."+inv.Name, err)
			}
		}
	}
	head, err := loadHead(tx)
	if err != nil {
		return bad("head", err)
	}
	if !hasHashKey(tx, head.Hash, head.Height) {
		return bad("head", fmt.Errorf("head block %d is not in the hash index", head.Height))
	}
	return nil
}

// verifyChain walks every header: consecutive heights from 0, parent links, logical
// timestamps, hash index, genesis hash; and checks each body against its header's counts, tx
// root and the tx index.
func verifyChain(tx *bbolt.Tx, g *protocol.Genesis, lookup func(protocol.TxHash) (uint64, uint32, bool)) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: chain: %s", protocol.ErrInvariant, fmt.Sprintf(format, args...))
	}
	head, err := loadHead(tx)
	if err != nil {
		return bad("%v", err)
	}
	var prev protocol.BlockHeader
	cur := tx.Bucket(bucketHeaders).Cursor()
	n := uint64(0)
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		h, err := decodeStoredHeader(binary.BigEndian.Uint64(k), v)
		if err != nil {
			return bad("%v", err)
		}
		if h.Height != n || binary.BigEndian.Uint64(k) != n {
			return bad("header %d found where %d was expected", h.Height, n)
		}
		if n == 0 {
			if gh := tx.Bucket(bucketMeta).Get(metaGenesisHash); !bytes.Equal(gh, h.Hash[:]) {
				return bad("genesis header hash %s differs from the stored genesis hash", h.Hash)
			}
		} else if h.ParentHash != prev.Hash {
			return bad("block %d parent %s is not block %d's hash %s", n, h.ParentHash, n-1, prev.Hash)
		}
		if want := g.TimestampMs + n*g.BlockTimeMs; h.TimestampMs != want {
			return bad("block %d timestamp %d, want %d", n, h.TimestampMs, want)
		}
		if !hasHashKey(tx, h.Hash, n) {
			return bad("block %d is missing from the hash index", n)
		}
		if h.TxCount > 0 {
			txs, err := loadBody(tx, n)
			if err != nil {
				return bad("%v", err)
			}
			if len(txs) != int(h.TxCount) {
				return bad("block %d header counts %d txs, the body holds %d", n, h.TxCount, len(txs))
			}
			hashes := make([]protocol.Hash, len(txs))
			for i, t := range txs {
				hashes[i] = t.Hash()
				hh, idx, ok := lookup(hashes[i])
				if !ok || hh != n || idx != uint32(i) {
					return bad("tx %s of block %d is not indexed at its position", hashes[i], n)
				}
			}
			if txRoot(hashes) != h.TxRoot {
				return bad("block %d tx root does not match its body", n)
			}
		}
		prev = h
		n++
	}
	if n == 0 || prev.Hash != head.Hash {
		return bad("the last header is not the recorded head %d", head.Height)
	}
	return nil
}
