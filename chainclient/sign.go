package chainclient

import (
	"context"
	"fmt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// DefaultMortality is how many blocks after the current head a transaction built by Sign stays
// valid (10 minutes of 250 ms blocks).
const DefaultMortality = 2400

// SignOptions tune Sign.
type SignOptions struct {
	// Nonce, when set, is used instead of asking the chain for the signer's next nonce.
	Nonce *uint64
	// Tip is paid on top of the fee and orders the pool.
	Tip uint64
	// Mortality is how many blocks past the head the transaction may be included; 0 means
	// DefaultMortality. Immortal makes it valid forever.
	Mortality uint64
	Immortal  bool
}

// Sign builds the transaction for call signed by kp (ECDSA or sr25519), taking the chain id, the signer's next
// nonce and the head from q. Signing happens here, in the caller's process: only the signed
// bytes ever go to a chain. For a subtensor node (q is a *Subtensor) it is a v4 extrinsic of
// the runtime call the call maps to (Subtensor.SignCall; Mortality is then the era's period,
// default SubtensorMortality); otherwise a btui devnet transaction.
func Sign(ctx context.Context, q Querier, kp wallet.Pair, call protocol.Call, opts SignOptions) ([]byte, error) {
	if st, ok := q.(*Subtensor); ok {
		x, err := st.SignCall(ctx, kp, call, opts)
		if err != nil {
			return nil, err
		}
		return x.Bytes, nil
	}
	info, err := q.Info(ctx)
	if err != nil {
		return nil, err
	}
	var nonce uint64
	if opts.Nonce != nil {
		nonce = *opts.Nonce
	} else if nonce, err = q.NextNonce(ctx, kp.AccountID()); err != nil {
		return nil, err
	}
	var expiry uint64
	if !opts.Immortal {
		m := opts.Mortality
		if m == 0 {
			m = DefaultMortality
		}
		expiry = info.Height + m
	}
	t := protocol.NewTx(info.GenesisHash, call, kp.AccountID(), nonce, opts.Tip, expiry)
	if err := t.SignWith(kp); err != nil {
		return nil, err
	}
	return t.Encode(), nil
}

// DevKeyFor returns the dev key (//Alice, //Bob, ...) whose account is id. The caller must Zero
// it. It fails with ErrNoDevKey when id is no dev account.
func DevKeyFor(id wallet.AccountID) (*wallet.Keypair, error) {
	for _, name := range wallet.DevNames() {
		kp, err := wallet.Dev(name)
		if err != nil {
			return nil, err
		}
		if kp.AccountID() == id {
			return kp, nil
		}
		kp.Zero()
	}
	return nil, fmt.Errorf("%w (sudo is %s)", ErrNoDevKey, id)
}

// faucet signs a sudo.faucet call with the sudo dev key and waits for its inclusion.
func faucet(ctx context.Context, c Client, to wallet.AccountID, amount uint64) (*protocol.TxInfo, error) {
	info, err := c.Info(ctx)
	if err != nil {
		return nil, err
	}
	kp, err := DevKeyFor(info.Sudo)
	if err != nil {
		return nil, err
	}
	defer kp.Zero()
	tx, err := Sign(ctx, c, kp, protocol.Faucet{To: to, Amount: amount}, SignOptions{})
	if err != nil {
		return nil, err
	}
	return c.SubmitAndWait(ctx, tx)
}
