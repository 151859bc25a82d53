package localchain

import (
	"github.com/btui/btui/protocol"
	"go.etcd.io/bbolt"
)

// txFee is the fee t pays against state tx.
func txFee(tx *bbolt.Tx, p protocol.Params, t *protocol.Tx) uint64 {
	name := t.Call.CallName()
	sudo := false
	if protocol.CallPays(name) == protocol.PaysNoForSudo {
		sudo = getSudo(tx) == t.Signer
	}
	return protocol.FeeFor(name, sudo, p.TxFee)
}
