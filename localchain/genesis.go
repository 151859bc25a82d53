package localchain

import (
	"github.com/btui/btui/protocol"
)

// encodeParams is the stored layout of the chain parameters.
func encodeParams(p protocol.Params) []byte {
	e := protocol.NewEncoder(nil)
	e.U64(p.ExistentialDeposit)
	e.U64(p.TxFee)
	e.U64(p.MaxFaucet)
	return e.Bytes()
}

func decodeParams(b []byte) (protocol.Params, error) {
	d := protocol.NewDecoder(b)
	p := protocol.Params{ExistentialDeposit: d.U64(), TxFee: d.U64(), MaxFaucet: d.U64()}
	return p, d.Finish()
}
