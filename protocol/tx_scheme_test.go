package protocol

import (
	"bytes"
	"testing"

	"github.com/btui/btui/wallet"
)

// Transactions of both schemes: an sr25519 signer writes a version 2 envelope that names the
// scheme (MultiSignature index 1) and carries a 64-byte signature; an ECDSA signer writes the
// unchanged version 1 envelope.
func TestTxSchemes(t *testing.T) {
	var genesis Hash
	genesis[0] = 7
	bob, _ := wallet.SrDev("Bob")
	for _, sc := range wallet.Schemes() {
		kp, err := wallet.DevPair(sc, "Alice")
		if err != nil {
			t.Fatal(err)
		}
		tx := NewTx(genesis, Transfer{To: bob.AccountID(), Amount: 5}, kp.AccountID(), 3, 0, 100)
		if err := tx.SignWith(kp); err != nil {
			t.Fatal(err)
		}
		enc := tx.Encode()
		wantVersion, wantSig := byte(TxVersion), SignatureSize
		if sc == wallet.Sr25519 {
			wantVersion, wantSig = TxVersionMulti, SrSignatureSize
			if enc[1] != 1 {
				t.Fatalf("sr25519 envelope names scheme index %d, want 1 (MultiSignature::Sr25519)", enc[1])
			}
		}
		if enc[0] != wantVersion || len(enc) != len(tx.Payload())+wantSig {
			t.Fatalf("%v: version %d, %d bytes for a %d-byte payload", sc, enc[0], len(enc), len(tx.Payload()))
		}
		back, err := DecodeTx(enc)
		if err != nil {
			t.Fatalf("%v: decode: %v", sc, err)
		}
		if back.Scheme != sc || back.Signer != kp.AccountID() || back.Nonce != 3 || !bytes.Equal(back.Encode(), enc) {
			t.Fatalf("%v: decoded %+v", sc, back)
		}
		if err := back.VerifySignature(); err != nil {
			t.Fatalf("%v: verify: %v", sc, err)
		}
		// A flipped bit in the call or in the signature: bad signature.
		for _, i := range []int{len(enc) - wantSig - 3, len(enc) - 5} {
			bad := bytes.Clone(enc)
			bad[i] ^= 1
			bt, err := DecodeTx(bad)
			if err != nil {
				continue // some flips make the call malformed, which is a rejection too
			}
			if err := bt.VerifySignature(); err == nil || codeOfErr(err) != CodeBadSignature && codeOfErr(err) != CodeHighS && codeOfErr(err) != CodeRecoveryID {
				t.Fatalf("%v: flipped byte %d verified: %v", sc, i, err)
			}
		}
	}
}

// TestTxSchemeConfusion: an sr25519 transaction relabelled as ecdsa (or the reverse) does not
// verify or decode, and an unknown or ed25519 scheme index is malformed.
func TestTxSchemeConfusion(t *testing.T) {
	var genesis Hash
	kp, _ := wallet.SrDev("Alice")
	tx := NewTx(genesis, Transfer{To: wallet.AccountID{1}, Amount: 5}, kp.AccountID(), 0, 0, 0)
	if err := tx.SignWith(kp); err != nil {
		t.Fatal(err)
	}
	enc := tx.Encode()
	for _, idx := range []byte{0, 2, 3, 255} {
		bad := bytes.Clone(enc)
		bad[1] = idx
		if _, err := DecodeTx(bad); err == nil || codeOfErr(err) != CodeMalformed {
			t.Fatalf("scheme index %d: %v", idx, err)
		}
	}
	relabelled := bytes.Clone(enc)
	relabelled[1] = 2 // ecdsa: one encoding per transaction, ecdsa is version 1
	if _, err := DecodeTx(relabelled); err == nil || codeOfErr(err) != CodeMalformed {
		t.Fatalf("an sr25519 transaction relabelled ecdsa: %v", err)
	}
	// An ecdsa transaction relabelled version 2 (sr25519, 64-byte signature) does not verify.
	ec, _ := wallet.Dev("Alice")
	etx := NewTx(genesis, Transfer{To: wallet.AccountID{1}, Amount: 5}, ec.AccountID(), 0, 0, 0)
	if err := etx.SignWith(ec); err != nil {
		t.Fatal(err)
	}
	eenc := etx.Encode()
	forged := append([]byte{TxVersionMulti, 1}, eenc[1:len(eenc)-1]...)
	if ft, err := DecodeTx(forged); err == nil {
		if err := ft.VerifySignature(); err == nil {
			t.Fatal("an ecdsa transaction relabelled sr25519 verified")
		}
	}
	// Signed by another key than the signer field.
	other, _ := wallet.SrDev("Bob")
	tx2 := NewTx(genesis, Transfer{To: wallet.AccountID{1}, Amount: 5}, kp.AccountID(), 0, 0, 0)
	if err := tx2.SignWith(other); err == nil {
		t.Fatal("signed with another key")
	}
}

// codeOfErr returns the rejection code of err and whether it is a rejection.
func codeOfErr(err error) Code {
	c, _ := CodeOf(err)
	return c
}
