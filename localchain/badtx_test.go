package localchain

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// rawCall is a call with arbitrary name and argument bytes, for building transactions the
// registry does not know.
type rawCall struct {
	name protocol.CallName
	args []byte
}

func (c rawCall) CallName() protocol.CallName     { return c.name }
func (c rawCall) EncodeArgs(e *protocol.Encoder)  { e.Fixed(c.args) }
func (c rawCall) Validate(wallet.AccountID) error { return nil }

// signPayload signs arbitrary payload bytes as a transaction would be.
func signPayload(kp *wallet.Keypair, payload []byte) []byte {
	sig := kp.Sign(protocol.SigningMessage(payload))
	return append(append([]byte(nil), payload...), sig[:]...)
}

// highS rewrites a canonical signature into its high-S twin (s → n−s, v flipped), which is
// mathematically valid but not canonical.
func highS(env []byte) []byte {
	out := append([]byte(nil), env...)
	sig := out[len(out)-protocol.SignatureSize:]
	var s secp256k1.ModNScalar
	s.SetByteSlice(sig[32:64])
	s.Negate()
	b := s.Bytes()
	copy(sig[32:64], b[:])
	sig[64] ^= 1
	return out
}

func TestBadTransactions(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	alice, bob := k["Alice"], k["Bob"]
	// Give Alice nonce 1 and advance to height 3 so "replayed" and "expired" exist.
	first := signTx(t, c, alice, 0, 0, 0, protocol.Transfer{To: bob.AccountID(), Amount: protocol.RaoPerTAO})
	if _, err := c.SubmitAndSeal(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Advance(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	gh := c.GenesisHash()
	good := func(nonce uint64, call protocol.Call) []byte { return signTx(t, c, alice, nonce, 0, 0, call) }
	transfer := protocol.Transfer{To: bob.AccountID(), Amount: protocol.RaoPerTAO}
	nobody, err := wallet.FromSeed(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	withPayload := func(f func(p []byte) []byte) []byte {
		tx := protocol.NewTx(gh, transfer, alice.AccountID(), 1, 0, 0)
		return signPayload(alice, f(tx.Payload()))
	}

	cases := []struct {
		name string
		raw  []byte
		want protocol.Code
	}{
		{"bad signature", func() []byte { b := good(1, transfer); b[len(b)-40] ^= 1; return b }(), protocol.CodeBadSignature},
		{"signature by another key", func() []byte {
			tx := protocol.NewTx(gh, transfer, alice.AccountID(), 1, 0, 0)
			return signPayload(bob, tx.Payload())
		}(), protocol.CodeBadSignature},
		{"wrong chain", func() []byte {
			tx := protocol.NewTx(protocol.Hash{1, 2, 3}, transfer, alice.AccountID(), 1, 0, 0)
			tx.Sign(alice)
			return tx.Encode()
		}(), protocol.CodeWrongChain},
		{"high-S", highS(good(1, transfer)), protocol.CodeHighS},
		{"v out of range", func() []byte { b := good(1, transfer); b[len(b)-1] = 2; return b }(), protocol.CodeRecoveryID},
		{"expired", signTx(t, c, alice, 1, 0, 3, transfer), protocol.CodeExpired},
		{"replayed nonce", good(0, protocol.Transfer{To: bob.AccountID(), Amount: 2 * protocol.RaoPerTAO}), protocol.CodeStaleNonce},
		{"replayed transaction", first, protocol.CodeStaleNonce},
		{"nonce gap beyond queue", good(1+protocol.MaxFutureNonces+1, transfer), protocol.CodeNonceGap},
		{"unknown call", good(1, rawCall{protocol.CallName{Module: "balances", Method: "steal"}, nil}), protocol.CodeUnknownCall},
		{"unknown module", good(1, rawCall{protocol.CallName{Module: "nope", Method: "transfer"}, nil}), protocol.CodeUnknownCall},
		{"trailing bytes", withPayload(func(p []byte) []byte { return append(p, 0) }), protocol.CodeTrailingBytes},
		{"truncated args", withPayload(func(p []byte) []byte { return p[:len(p)-1] }), protocol.CodeMalformed},
		{"bool not 0/1", withPayload(func(p []byte) []byte { p[len(p)-1] = 2; return p }), protocol.CodeMalformed},
		{"bad version", withPayload(func(p []byte) []byte { p[0] = 9; return p }), protocol.CodeMalformed},
		{"upper-case module", withPayload(func(p []byte) []byte { p[1+32+32+8+8+8+1] = 'B'; return p }), protocol.CodeMalformed},
		{"oversize", withPayload(func(p []byte) []byte { return append(p, make([]byte, protocol.MaxTxSize)...) }), protocol.CodeOversize},
		{"too short", []byte{1, 2, 3}, protocol.CodeMalformed},
		{"zero amount", good(1, protocol.Transfer{To: bob.AccountID()}), protocol.CodeZeroAmount},
		{"amount above max supply", good(1, protocol.Transfer{To: bob.AccountID(), Amount: protocol.MaxSupply + 1}), protocol.CodeAmountTooBig},
		{"overflowing amount", good(1, protocol.Transfer{To: bob.AccountID(), Amount: math.MaxUint64}), protocol.CodeAmountTooBig},
		{"overflowing tip", signTx(t, c, alice, 1, math.MaxUint64, 0, transfer), protocol.CodeAmountTooBig},
		{"unfunded fee", signTx(t, c, nobody, 0, 0, 0, transfer), protocol.CodeUnfundedFee},
		{"tip beyond balance", signTx(t, c, k["Dave"], 0, 2_000*protocol.RaoPerTAO, 0, transfer), protocol.CodeUnfundedFee},
		{"transfer to self", good(1, protocol.Transfer{To: alice.AccountID(), Amount: protocol.RaoPerTAO}), protocol.CodeSelfTransfer},
		{"faucet of zero", good(1, protocol.Faucet{To: bob.AccountID()}), protocol.CodeZeroAmount},
	}
	freeBefore := sumFree(t, c)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Submit(tc.raw)
			wantCode(t, err, tc.want)
			if !tc.want.IsRejection() {
				t.Fatalf("%s is not a rejection code", tc.want)
			}
			if err.Error() == "" || err.Error() == tc.want.String() {
				t.Errorf("rejection without a reason: %q", err)
			}
			if _, cerr := c.CheckTx(tc.raw); cerr == nil {
				t.Error("CheckTx accepted what Submit rejected")
			}
		})
	}
	// Nothing entered the pool; a new block carries no transaction.
	if n := c.pool.size(); n != 0 {
		t.Fatalf("pool holds %d transactions", n)
	}
	h := seal(t, c)
	if h.TxCount != 0 {
		t.Fatalf("a rejected transaction was included: %+v", h)
	}
	if sumFree(t, c) != freeBefore || balance(t, c, alice.AccountID()).Nonce != 1 {
		t.Fatal("rejections changed state")
	}
}

// TestFailedCallsChargeOnlyFeeAndNonce: state-dependent failures are included with a failure
// receipt; the signer pays the fee and bumps the nonce, and nothing else changes.
func TestFailedCallsChargeOnlyFeeAndNonce(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	dave, eve := k["Dave"], k["Eve"]
	fee := protocol.DefaultParams().TxFee
	empty := wallet.AccountID{0xEE}
	cases := []struct {
		name string
		call protocol.Call
		want protocol.Code
	}{
		{"keep-alive violation", protocol.Transfer{To: eve.AccountID(), Amount: 2_000*protocol.RaoPerTAO - fee - 100}, protocol.CodeKeepAlive},
		{"insufficient balance", protocol.Transfer{To: eve.AccountID(), Amount: 5_000 * protocol.RaoPerTAO}, protocol.CodeInsufficientBalance},
		{"below existential deposit", protocol.Transfer{To: empty, Amount: 10}, protocol.CodeBelowExistential},
		{"faucet without sudo", protocol.Faucet{To: eve.AccountID(), Amount: protocol.RaoPerTAO}, protocol.CodeNotSudo},
	}
	for i, tc := range cases {
		d0, e0 := balance(t, c, dave.AccountID()), balance(t, c, eve.AccountID())
		i0 := sumFree(t, c)
		info, err := c.SubmitAndSeal(context.Background(), signTx(t, c, dave, uint64(i), 0, 0, tc.call))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if info.Receipt.Code != tc.want || info.Receipt.Message == "" || info.Receipt.CodeName != tc.want.String() {
			t.Fatalf("%s: receipt %+v, want %s", tc.name, info.Receipt, tc.want)
		}
		d1, e1 := balance(t, c, dave.AccountID()), balance(t, c, eve.AccountID())
		i1 := sumFree(t, c)
		if d1.Free != d0.Free-fee || d1.Nonce != d0.Nonce+1 || e1 != e0 || i1 != i0-fee {
			t.Fatalf("%s: dave %+v→%+v eve %+v→%+v free total %d→%d", tc.name, d0, d1, e0, e1, i0, i1)
		}
		if balance(t, c, empty).Free != 0 {
			t.Fatalf("%s: empty account funded", tc.name)
		}
	}
}
