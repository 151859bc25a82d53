package localchain

import (
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Typed state helpers of the core modules. Reads take the *bbolt.Tx first (they work in a
// query's View and inside a block); writes take the block's *StateTx.

// account is the stored record of s.accounts: free balance and next nonce.
type account struct {
	Free  uint64
	Nonce uint64
}

func getAccount(tx *bbolt.Tx, id wallet.AccountID) account {
	v := tx.Bucket(bucketAccounts).Get(id[:])
	if len(v) != 16 {
		return account{}
	}
	return account{Free: binary.BigEndian.Uint64(v), Nonce: binary.BigEndian.Uint64(v[8:])}
}

// putAccount stores a, or deletes the record of an account with nothing left (no balance and
// no nonce), so empty accounts cost nothing.
func putAccount(s *StateTx, id wallet.AccountID, a account) error {
	if a.Free == 0 && a.Nonce == 0 {
		return s.Delete(bucketAccounts, id[:])
	}
	v := make([]byte, 16)
	binary.BigEndian.PutUint64(v, a.Free)
	binary.BigEndian.PutUint64(v[8:], a.Nonce)
	return s.Put(bucketAccounts, id[:], v)
}

func getU64(tx *bbolt.Tx, bucket, key []byte) uint64 {
	v := tx.Bucket(bucket).Get(key)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func putU64(s *StateTx, bucket, key []byte, v uint64) error {
	return s.Put(bucket, key, binary.BigEndian.AppendUint64(make([]byte, 0, 8), v))
}

// getTotalIssuance returns the rao in existence.
func getTotalIssuance(tx *bbolt.Tx) uint64 { return getU64(tx, bucketSystem, sysTotalIssuance) }

// mint adds amount to total issuance; it fails (infrastructure fault) past MaxSupply, so
// callers check the cap first and turn it into a receipt.
func mint(s *StateTx, amount uint64) error {
	ti := getTotalIssuance(s.tx)
	if amount > protocol.MaxSupply-ti {
		return fmt.Errorf("mint %d rao: total issuance %d would exceed the maximum supply", amount, ti)
	}
	return putU64(s, bucketSystem, sysTotalIssuance, ti+amount)
}

// burn removes amount from total issuance (fees, tips, dust).
func burn(s *StateTx, amount uint64) error {
	ti := getTotalIssuance(s.tx)
	if amount > ti {
		return fmt.Errorf("burn %d rao: total issuance is only %d", amount, ti)
	}
	return putU64(s, bucketSystem, sysTotalIssuance, ti-amount)
}

func getSudo(tx *bbolt.Tx) wallet.AccountID {
	var id wallet.AccountID
	copy(id[:], tx.Bucket(bucketSystem).Get(sysSudo))
	return id
}

func getParams(tx *bbolt.Tx) (protocol.Params, error) {
	p, err := decodeParams(tx.Bucket(bucketSystem).Get(sysParams))
	if err != nil {
		return protocol.Params{}, recordErr(bucketSystem, sysParams, err)
	}
	return p, nil
}
