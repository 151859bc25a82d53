package localchain

import (
	"bytes"
	"testing"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// FuzzDecodeTx: DecodeTx never panics, and whatever it accepts is canonical: re-encoding the
// decoded transaction gives the input bytes back (one encoding per transaction), and the hash
// is blake2b-256 of those bytes.
func FuzzDecodeTx(f *testing.F) {
	k := devKeys(f)
	gh := protocol.Hash{1}
	for i, call := range []protocol.Call{
		protocol.Transfer{To: k["Bob"].AccountID(), Amount: 12345, AllowDeath: true},
		protocol.Transfer{To: wallet.AccountID{}, Amount: 1},
		protocol.Faucet{To: k["Eve"].AccountID(), Amount: protocol.RaoPerTAO},
	} {
		tx := protocol.NewTx(gh, call, k["Alice"].AccountID(), uint64(i), uint64(i*7), uint64(i*100))
		if err := tx.Sign(k["Alice"]); err != nil {
			f.Fatal(err)
		}
		f.Add(tx.Encode())
	}
	// An sr25519 signer's version 2 envelope.
	sr, _ := wallet.SrDev("Alice")
	srTx := protocol.NewTx(gh, protocol.Transfer{To: k["Bob"].AccountID(), Amount: 5}, sr.AccountID(), 0, 0, 0)
	if err := srTx.SignWith(sr); err != nil {
		f.Fatal(err)
	}
	f.Add(srTx.Encode())
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{1}, 200))
	f.Fuzz(func(t *testing.T, b []byte) {
		tx, err := protocol.DecodeTx(b)
		if err != nil {
			if _, ok := protocol.CodeOf(err); !ok {
				t.Fatalf("decode error without a code: %v", err)
			}
			return
		}
		// The built (not raw) encoding of the same fields must equal the input.
		rebuilt := protocol.NewTx(tx.Genesis, tx.Call, tx.Signer, tx.Nonce, tx.Tip, tx.Expiry)
		rebuilt.Scheme, rebuilt.Signature, rebuilt.SrSignature = tx.Scheme, tx.Signature, tx.SrSignature
		if enc := rebuilt.Encode(); !bytes.Equal(enc, b) {
			t.Fatalf("non-canonical encoding accepted:\n in  %x\n out %x", b, enc)
		}
		if rebuilt.Hash() != tx.Hash() {
			t.Fatal("hash differs between decoded and rebuilt transaction")
		}
		_ = tx.Call.Validate(tx.Signer)
		_ = tx.VerifySignature()
	})
}

func TestEncodingRoundTrip(t *testing.T) {
	t.Parallel()
	k := devKeys(t)
	for _, payloadPad := range []bool{false, true} {
		call := protocol.Call(protocol.Transfer{To: k["Bob"].AccountID(), Amount: 99})
		if payloadPad {
			// A payload over 256 bytes is signed through its hash.
			call = rawCall{protocol.CallName{Module: "balances", Method: "transfer"}, bytes.Repeat([]byte{0}, 300)}
		}
		tx := protocol.NewTx(protocol.Hash{5}, call, k["Alice"].AccountID(), 3, 4, 5)
		if err := tx.Sign(k["Alice"]); err != nil {
			t.Fatal(err)
		}
		if err := tx.VerifySignature(); err != nil {
			t.Fatal(err)
		}
		if payloadPad {
			if len(tx.Payload()) <= 256 || len(protocol.SigningMessage(tx.Payload())) != 32 {
				t.Fatal("long payload not hashed before signing")
			}
			continue
		}
		got, err := protocol.DecodeTx(tx.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if got.Hash() != tx.Hash() || got.Call != tx.Call || got.Nonce != 3 || got.Tip != 4 || got.Expiry != 5 {
			t.Fatalf("round trip %+v", got)
		}
		if err := got.VerifySignature(); err != nil {
			t.Fatal(err)
		}
	}
	// Signing with the wrong key is refused.
	tx := protocol.NewTx(protocol.Hash{}, protocol.Transfer{To: k["Bob"].AccountID(), Amount: 1}, k["Alice"].AccountID(), 0, 0, 0)
	if err := tx.Sign(k["Bob"]); err == nil {
		t.Fatal("signed with a key that is not the signer")
	}
}
