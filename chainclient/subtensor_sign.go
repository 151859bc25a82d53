package chainclient

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// SubtensorMortality is the default era of a transaction signed for a subtensor node: valid
// for 64 blocks (about 13 minutes) from the finalized head it was prepared at.
const SubtensorMortality = 64

// ErrTimelockedWeights refuses weights calls on a subnet whose commit-reveal is timelocked
// (drand): its commits must be encrypted to a drand round, which btui does not do.
var ErrTimelockedWeights = errors.New("timelocked (drand) commit-reveal is not supported by btui")

// BuildSubtensorExtrinsic maps call to its runtime call (MapSubtensorCall), encodes it with m
// and builds the v4 extrinsic signed by kp (ECDSA → MultiSignature::Ecdsa, sr25519 →
// ::Sr25519) with the extension values in p.
func BuildSubtensorExtrinsic(m *substrate.Metadata, call protocol.Call, cc CallContext, kp wallet.Pair, p substrate.TxParams) (*substrate.Extrinsic, SubtensorCall, error) {
	sc, b, err := EncodeSubtensorCall(m, call, cc)
	if err != nil {
		return nil, sc, err
	}
	x, err := m.BuildSigned(b, p, substrate.PairSigner(kp))
	return x, sc, err
}

// callContext reads what call mapping needs from the node.
func (s *Subtensor) callContext(ctx context.Context) CallContext {
	return CallContext{CurrentTake: func(hot wallet.AccountID) (uint16, error) {
		var take uint16
		_, err := s.c.ReadStorage(ctx, "SubtensorModule", "Delegates", nil, &take, hot[:])
		return take, err
	}}
}

// checkCall runs the checks a node can answer before anything is signed: weights calls on a
// subnet with timelocked commit-reveal are refused (ErrTimelockedWeights), set_weights on a
// subnet with commit-reveal on too, and a burned registration whose burn is above its limit.
func (s *Subtensor) checkCall(ctx context.Context, call protocol.Call) error {
	var netuid uint16
	switch c := call.(type) {
	case protocol.SetWeights:
		netuid = c.Netuid
	case protocol.CommitWeights:
		netuid = c.Netuid
	case protocol.RevealWeights:
		netuid = c.Netuid
	case protocol.BurnedRegister:
		if c.LimitPrice == 0 {
			return nil
		}
		if _, _, err := s.c.Metadata().Call("SubtensorModule", "register_limit"); err == nil {
			return nil // the chain enforces the limit
		}
		var burn uint64
		if _, err := s.c.ReadStorage(ctx, "SubtensorModule", "Burn", nil, &burn, u16le(c.Netuid)); err != nil {
			return err
		}
		if burn > c.LimitPrice {
			return protocol.Reject(protocol.CodeBurnPriceLimit, "the burn of subnet %d is %s, above the limit of %s", c.Netuid, protocol.FormatTAO(burn), protocol.FormatTAO(c.LimitPrice))
		}
		return nil
	default:
		return nil
	}
	var enabled bool
	if _, err := s.c.ReadStorage(ctx, "SubtensorModule", "CommitRevealWeightsEnabled", nil, &enabled, u16le(netuid)); err != nil {
		return err
	}
	if !enabled {
		return nil
	}
	if _, _, err := s.c.Metadata().Storage("SubtensorModule", "CommitRevealWeightsVersion"); err == nil {
		var v uint16
		if _, err := s.c.ReadStorage(ctx, "SubtensorModule", "CommitRevealWeightsVersion", nil, &v); err != nil {
			return err
		}
		if v >= 3 {
			return fmt.Errorf("%s on subnet %d: %w: the subnet has commit-reveal on (version %d), whose commits are encrypted to a drand round (commit_timelocked_weights); use btcli or the bittensor SDK for this subnet's weights; nothing was signed",
				call.CallName(), netuid, ErrTimelockedWeights, v)
		}
	}
	if _, ok := call.(protocol.SetWeights); ok {
		return protocol.Reject(protocol.CodeInvalidArgs, "subnet %d has commit-reveal on: set_weights would fail with CommitRevealEnabled; commit then reveal the weights", netuid)
	}
	return nil
}

func u16le(v uint16) []byte { return []byte{byte(v), byte(v >> 8)} }

// subtensorParams reads the extension values a transaction of signer needs: the runtime
// version (metadata re-read after a runtime upgrade), the nonce (account_nextIndex, counting
// the pool) unless given, and the era from the finalized head.
func (s *Subtensor) subtensorParams(ctx context.Context, signer wallet.AccountID, opts SignOptions) (substrate.TxParams, uint64, error) {
	if _, err := s.c.Refresh(ctx); err != nil {
		return substrate.TxParams{}, 0, fmt.Errorf("re-read the runtime before signing: %w", err)
	}
	v := s.c.RuntimeVersion()
	p := substrate.TxParams{Tip: opts.Tip, Genesis: s.c.Genesis, SpecVersion: v.SpecVersion, TxVersion: v.TransactionVersion}
	if opts.Nonce != nil {
		p.Nonce = *opts.Nonce
	} else {
		n, err := s.c.NextIndex(ctx, signer)
		if err != nil {
			return p, 0, err
		}
		p.Nonce = n
	}
	fin, err := s.c.FinalizedHead(ctx)
	if err != nil {
		return p, 0, err
	}
	h, err := s.c.Header(ctx, &fin)
	if err != nil {
		return p, 0, err
	}
	if opts.Immortal {
		p.Era = substrate.Era{Immortal: true}
		return p, h.Number, nil
	}
	period := opts.Mortality
	if period == 0 {
		period = SubtensorMortality
	}
	p.Era = substrate.MortalEra(period, h.Number)
	if birth := p.Era.Birth(h.Number); birth == h.Number {
		p.BirthHash = fin
	} else if p.BirthHash, err = s.c.BlockHash(ctx, birth); err != nil {
		return p, 0, err
	}
	return p, h.Number, nil
}

// SignCall builds call as a v4 extrinsic signed by kp for this node (what Sign does for a
// Subtensor): the checks of checkCall, the runtime call by metadata names, the nonce, a
// mortal era of SubtensorMortality blocks (or opts'), CheckMetadataHash disabled.
func (s *Subtensor) SignCall(ctx context.Context, kp wallet.Pair, call protocol.Call, opts SignOptions) (*substrate.Extrinsic, error) {
	if err := s.checkCall(ctx, call); err != nil {
		return nil, err
	}
	p, _, err := s.subtensorParams(ctx, kp.AccountID(), opts)
	if err != nil {
		return nil, err
	}
	x, _, err := BuildSubtensorExtrinsic(s.c.Metadata(), call, s.callContext(ctx), kp, p)
	return x, err
}

// zeroSigner stands in for a key when only the size of a signed extrinsic matters (fee
// estimates): an sr25519 signature of zeros, as the bittensor SDK's get_payment_info uses.
type zeroSigner struct{ id wallet.AccountID }

func (z zeroSigner) Scheme() substrate.SignatureScheme { return substrate.SchemeSr25519 }
func (z zeroSigner) AccountID() wallet.AccountID       { return z.id }
func (z zeroSigner) Sign([]byte) ([]byte, error)       { return make([]byte, 64), nil }

// EstimateFee is TransactionPaymentApi_query_info's partial fee for call from signer with the
// extension values p, on an extrinsic signed with a zero sr25519 signature (the fee depends on
// the length, not on the signature's validity). It returns the runtime call too.
func (s *Subtensor) EstimateFee(ctx context.Context, call protocol.Call, signer wallet.AccountID, p substrate.TxParams) (uint64, SubtensorCall, error) {
	m := s.c.Metadata()
	sc, b, err := EncodeSubtensorCall(m, call, s.callContext(ctx))
	if err != nil {
		return 0, sc, err
	}
	x, err := m.BuildSigned(b, p, zeroSigner{signer})
	if err != nil {
		return 0, sc, err
	}
	fi, err := s.c.QueryInfo(ctx, x.Bytes, nil)
	if err != nil {
		return 0, sc, fmt.Errorf("fee of %s: %w", sc, err)
	}
	return fi.PartialFee, sc, nil
}

// spend is the TAO a call takes from the signer's free balance besides the fee, as far as the
// node can tell before the block: a transfer's amount, a stake's amount, a registration's
// current burn.
func (s *Subtensor) spend(ctx context.Context, call protocol.Call) (uint64, error) {
	switch c := call.(type) {
	case protocol.Transfer:
		return c.Amount, nil
	case protocol.AddStake:
		return c.Amount, nil
	case protocol.BurnedRegister:
		var burn uint64
		_, err := s.c.ReadStorage(ctx, "SubtensorModule", "Burn", nil, &burn, u16le(c.Netuid))
		return burn, err
	}
	return 0, nil
}

// Simulate is a subtensor node's dry run: what a node can answer without a block. The call is
// mapped (a call with no subtensor equivalent is a rejection naming it), checked (checkCall),
// its fee quoted by TransactionPaymentApi_query_info, and the signer's free balance must cover
// the fee and what the call spends. The receipt then carries the fee, and Balances the
// signer's free balance before and after fee and spend (and a transfer's recipient's); no events (the node runs a call only
// inside a block). Nothing is signed or submitted.
func (s *Subtensor) Simulate(ctx context.Context, call protocol.Call, signer wallet.AccountID) (*protocol.Simulation, error) {
	reject := func(sim *protocol.Simulation, err error) (*protocol.Simulation, error) {
		var te *protocol.TxError
		switch {
		case errors.As(err, &te):
			sim.Rejected = &protocol.Rejection{Code: te.Code, CodeName: te.Code.String(), Message: te.Msg}
		case errors.Is(err, ErrNoSubtensorCall), errors.Is(err, ErrTimelockedWeights):
			sim.Rejected = &protocol.Rejection{Code: protocol.CodeUnknownCall, CodeName: protocol.CodeUnknownCall.String(), Message: err.Error()}
		default:
			return nil, err
		}
		return sim, nil
	}
	sim := &protocol.Simulation{Signer: signer, Call: protocol.CallInfo{Module: call.CallName().Module, Method: call.CallName().Method}, Events: []protocol.Event{}}
	if err := s.checkCall(ctx, call); err != nil {
		return reject(sim, err)
	}
	p, head, err := s.subtensorParams(ctx, signer, SignOptions{})
	if err != nil {
		return nil, err
	}
	sim.Height, sim.Nonce = head+1, p.Nonce
	fee, sc, err := s.EstimateFee(ctx, call, signer, p)
	if err != nil {
		return reject(sim, err)
	}
	sim.Call = protocol.CallInfo{Module: sc.Pallet, Method: sc.Name}
	spend, err := s.spend(ctx, call)
	if err != nil {
		return nil, err
	}
	a, err := s.c.Account(ctx, signer, nil)
	if err != nil {
		return nil, err
	}
	free := a.Data.Free
	if free < fee || free-fee < spend {
		sim.Rejected = &protocol.Rejection{Code: protocol.CodeUnfundedFee, CodeName: protocol.CodeUnfundedFee.String(),
			Message: fmt.Sprintf("%s has %s free, the transaction needs %s plus the %s fee", signer, protocol.FormatTAO(free), protocol.FormatTAO(spend), protocol.FormatTAO(fee))}
		return sim, nil
	}
	sim.Receipt = protocol.Receipt{Code: protocol.CodeOK, CodeName: "OK", Fee: fee}
	sim.Balances = []protocol.BalanceChange{{Account: signer, Before: free, After: free - fee - spend}}
	if t, ok := call.(protocol.Transfer); ok && t.To != signer {
		to, err := s.c.Account(ctx, t.To, nil)
		if err != nil {
			return nil, err
		}
		sim.Balances = append(sim.Balances, protocol.BalanceChange{Account: t.To, Before: to.Data.Free, After: to.Data.Free + t.Amount})
	}
	return sim, nil
}

// blockTime is subtensor's target block time.
const blockTime = 12 * time.Second
