package protocol

import "github.com/btui/btui/wallet"

// PeekSigner returns the signer an envelope names, read at its fixed offset without decoding
// or hashing the envelope; ok is false when b is too short to hold a payload header or has an
// unknown version. It checks nothing else: DecodeTx decides whether b is a transaction at all.
func PeekSigner(b []byte) (signer wallet.AccountID, ok bool) {
	if len(b) == 0 {
		return signer, false
	}
	off := 1 + 32 // version || genesis hash
	switch b[0] {
	case TxVersion:
	case TxVersionMulti:
		off++ // the scheme byte
	default:
		return signer, false
	}
	if len(b) < off+32 {
		return signer, false
	}
	copy(signer[:], b[off:off+32])
	return signer, true
}
