package localchain

import (
	"sync"

	"github.com/btui/btui/wallet"
)

// addressMemo remembers the SS58 form of recently seen accounts for event attributes: a block
// of transfers names the same accounts over and over, and each encoding costs a base58
// conversion and a blake2b-512 checksum. At most addressMemoMax entries; emptied when full.
var addressMemo struct {
	sync.Mutex
	m map[wallet.AccountID]string
}

const addressMemoMax = 1 << 15

// address returns a.SS58().
func address(a wallet.AccountID) string {
	addressMemo.Lock()
	defer addressMemo.Unlock()
	if s, ok := addressMemo.m[a]; ok {
		return s
	}
	if addressMemo.m == nil || len(addressMemo.m) >= addressMemoMax {
		addressMemo.m = make(map[wallet.AccountID]string)
	}
	s := a.SS58()
	addressMemo.m[a] = s
	return s
}
