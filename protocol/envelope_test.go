package protocol

import (
	"testing"

	"github.com/btui/btui/wallet"
)

// TestPeekSigner: the signer read at its offset is DecodeTx's, for both envelope versions; a
// short or unknown-version envelope names none.
func TestPeekSigner(t *testing.T) {
	ec, err := wallet.Dev("Alice")
	if err != nil {
		t.Fatal(err)
	}
	sr, err := wallet.SrDev("Bob")
	if err != nil {
		t.Fatal(err)
	}
	for _, kp := range []wallet.Pair{ec, sr} {
		tx := NewTx(Hash{1}, Transfer{To: wallet.AccountID{2}, Amount: 5}, kp.AccountID(), 3, 0, 0)
		if err := tx.SignWith(kp); err != nil {
			t.Fatal(err)
		}
		raw := tx.Encode()
		dec, err := DecodeTx(raw)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := PeekSigner(raw)
		if !ok || got != dec.Signer || got != kp.AccountID() {
			t.Fatalf("%s: peeked %s (%v), decoded %s", kp.Scheme(), got, ok, dec.Signer)
		}
		if _, ok := PeekSigner(raw[:40]); ok {
			t.Fatalf("%s: a 40-byte prefix names a signer", kp.Scheme())
		}
	}
	if _, ok := PeekSigner(append([]byte{9}, make([]byte, 100)...)); ok {
		t.Fatal("version 9 names a signer")
	}
	if _, ok := PeekSigner(nil); ok {
		t.Fatal("an empty envelope names a signer")
	}
}
