package chainclient

import (
	"context"
	"fmt"
	"math/big"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// StakeView reads what a stake trade is planned from, all at one block: the head's hash is
// read once and every storage read and runtime API call below is made "at" it, so the rows,
// the fee rates, the balance and the positions come from the same state even while the node
// produces blocks.
//
//   - markets: each asked subnet's row (get_selective_mechagraph, as Subnet) with its pool fee
//     rate (Swap.FeeRate, parts of 65,535; an absent entry is the storage item's default from
//     the metadata); a netuid without a subnet is left out, as on the devnet;
//   - minimum_reserve: the Swap pallet's MinimumReserve constant;
//   - free: System.Account's free balance; stakes: get_stake_info_for_coldkey valued at each
//     subnet's spot price (get_all_dynamic_info), as StakesByColdkey. For the zero account
//     (a caller that wants only the markets, as ops.TradingSubnet) neither is read: free is 0
//     and stakes is empty, two round trips saved;
//   - existential_deposit: the Balances pallet's ExistentialDeposit constant;
//   - tx_fee: 0. A subtensor fee depends on the exact signed extrinsic (its length and weight),
//     which is not built yet when the view is read; the plan's dry run (Simulate, the node's
//     TransactionPaymentApi_query_info) gives the real fee, which the preview shows.
//
// A runtime without the Swap pallet's FeeRate or MinimumReserve, or without Balances'
// ExistentialDeposit, is an error naming the missing item: btui does not guess a market.
func (s *Subtensor) StakeView(ctx context.Context, coldkey wallet.AccountID, netuids []uint16) (protocol.StakeView, error) {
	m := s.c.Metadata()
	minReserve, err := s.constantU64(m, "Swap", "MinimumReserve")
	if err != nil {
		return protocol.StakeView{}, err
	}
	ed, err := s.constantU64(m, "Balances", "ExistentialDeposit")
	if err != nil {
		return protocol.StakeView{}, err
	}
	if _, _, err := m.Storage("Swap", "FeeRate"); err != nil {
		return protocol.StakeView{}, stakeViewMissing(s, "the pools' fee rates (storage Swap.FeeRate)", err)
	}
	head, err := s.c.Header(ctx, nil)
	if err != nil {
		return protocol.StakeView{}, err
	}
	at := head.Hash()
	out := protocol.StakeView{Height: head.Number, Markets: []protocol.SubnetMarket{}, MinReserve: minReserve, ExistentialDeposit: ed}
	for _, netuid := range netuids {
		mg, err := s.c.Metagraph(ctx, netuid, 0, nil, &at)
		if err != nil {
			return protocol.StakeView{}, err
		}
		if mg == nil {
			continue // no such subnet at this block
		}
		var rate uint16
		if _, err := s.c.ReadStorage(ctx, "Swap", "FeeRate", &at, &rate, u16key(netuid)); err != nil {
			return protocol.StakeView{}, fmt.Errorf("reading Swap.FeeRate of subnet %d: %w", netuid, err)
		}
		out.Markets = append(out.Markets, protocol.SubnetMarket{Subnet: SubnetFromMetagraph(mg), FeeRate: rate})
	}
	out.Stakes = []protocol.StakeInfo{}
	if coldkey == (wallet.AccountID{}) {
		return out, nil // markets only: no balance, no positions
	}
	acct, err := s.c.Account(ctx, coldkey, &at)
	if err != nil {
		return protocol.StakeView{}, err
	}
	out.Free = acct.Data.Free
	if out.Stakes, err = s.stakesByColdkey(ctx, coldkey, &at); err != nil {
		return protocol.StakeView{}, err
	}
	return out, nil
}

// stakesByColdkey is get_stake_info_for_coldkey at a block (nil: the best block), each
// position valued at its subnet's spot price from get_all_dynamic_info at the same block.
func (s *Subtensor) stakesByColdkey(ctx context.Context, coldkey wallet.AccountID, at *substrate.Hash) ([]protocol.StakeInfo, error) {
	st, err := s.c.StakeInfoForColdkey(ctx, coldkey, at)
	if err != nil {
		return nil, err
	}
	prices := map[uint64]uint64{}
	if len(st) > 0 {
		dyn, err := s.c.AllDynamicInfo(ctx, at)
		if err != nil {
			return nil, err
		}
		for _, d := range dyn {
			prices[d.NetUID] = price(d.NetUID, d.TaoIn, d.AlphaIn)
		}
	}
	out := make([]protocol.StakeInfo, 0, len(st))
	for _, x := range st {
		v := new(big.Int).Mul(new(big.Int).SetUint64(x.Stake), new(big.Int).SetUint64(prices[x.NetUID]))
		v.Quo(v, big.NewInt(1_000_000_000))
		out = append(out, protocol.StakeInfo{Netuid: uint16(x.NetUID), Hotkey: x.Hotkey, Coldkey: x.Coldkey, Alpha: x.Stake, TaoValue: v.Uint64()})
	}
	return out, nil
}

// constantU64 decodes a pallet constant that is an unsigned integer (or a newtype of one).
func (s *Subtensor) constantU64(m *substrate.Metadata, pallet, name string) (uint64, error) {
	c, err := m.Constant(pallet, name)
	if err != nil {
		return 0, fmt.Errorf("the stake view needs the constant %s.%s, which runtime %d does not have: %w", pallet, name, s.c.RuntimeVersion().SpecVersion, err)
	}
	var v uint64
	if err := m.Types.DecodeInto(c.Type, c.Value, &v, pallet+"."+name); err != nil {
		return 0, fmt.Errorf("the stake view reads the constant %s.%s as an unsigned integer: %w", pallet, name, err)
	}
	return v, nil
}

func stakeViewMissing(s *Subtensor, what string, err error) error {
	return fmt.Errorf("the stake view needs %s, which runtime %d does not have: %w", what, s.c.RuntimeVersion().SpecVersion, err)
}

// u16key is a u16 storage-map key (a netuid), SCALE-encoded.
func u16key(v uint16) []byte { return []byte{byte(v), byte(v >> 8)} }
