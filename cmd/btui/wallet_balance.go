package main

import (
	"context"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type walletBalanceOptions struct {
	f   *Factory
	ctx context.Context

	Wallet    string
	Addresses []string
	All       bool
}

func newCmdWalletBalance(f *Factory, runF func(*walletBalanceOptions) error) *cobra.Command {
	opts := &walletBalanceOptions{f: f}
	cmd := &cobra.Command{
		Use:   "balance [ADDRESS...]",
		Short: "Show free, staked and total TAO of wallets or addresses",
		Long: `Show the free balance, the value of all stake and the total of the selected wallet's coldkey,
of every wallet (--all), or of the addresses given (SS58, wallet name, wallet/hotkey or a dev
name such as //Alice).

Stake has two values. SPOT is the alpha at the pools' spot prices: what it would be worth if the
pools were infinitely deep. SELL NOW is what it would fetch if sold now: for each subnet, the
pool's quote for selling all of the account's alpha there in one trade, after the pool fee and
with its price impact (0 on a subnet that has not started, where nothing can be sold; root 1:1).
On a thin pool SELL NOW is far below SPOT; totals add SELL NOW values.

JSON (--json): {"balances": [{"name", "address", "free", "staked", "total", "staked_realisable",
"total_realisable"}], "totals": {"free", "staked", "total", "staked_realisable",
"total_realisable"}}; amounts in rao; "staked" and "total" are at spot prices, the
"_realisable" ones after selling now (docs/json.md).`,
		Example: `  btui wallet balance --wallet-name alice
  btui wallet balance --all --json
  btui wallet balance //Bob 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.Wallet, opts.Addresses = cmd.Context(), f.WalletName(), args
			if opts.All && len(args) > 0 {
				return usageErrorf("give addresses or --all, not both")
			}
			if runF != nil {
				return runF(opts)
			}
			return walletBalanceRun(opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "every wallet under the wallet path")
	cmd.Flags().StringSliceVar(&opts.Addresses, "ss58", nil, "addresses to show (same as positional arguments)")
	return cmd
}

// balanceJSON is one account's balances (rao).
type balanceJSON struct {
	Name    string           `json:"name"`
	Address wallet.AccountID `json:"address"`
	Free    uint64           `json:"free"`
	Staked  uint64           `json:"staked"` // at spot prices
	Total   uint64           `json:"total"`  // free + staked (spot)
	// StakedRealisable is what the stake would fetch if sold now (per subnet, all of the
	// account's alpha there in one trade, after the pool fee); TotalRealisable adds the free balance.
	StakedRealisable uint64 `json:"staked_realisable"`
	TotalRealisable  uint64 `json:"total_realisable"`
}

type balanceTotalsJSON struct {
	Free             uint64 `json:"free"`
	Staked           uint64 `json:"staked"`
	Total            uint64 `json:"total"`
	StakedRealisable uint64 `json:"staked_realisable"`
	TotalRealisable  uint64 `json:"total_realisable"`
}

type walletBalanceJSON struct {
	Balances []balanceJSON     `json:"balances"`
	Totals   balanceTotalsJSON `json:"totals"`
}

// accountBalance reads one account's free balance and the value of its stake, at spot prices
// and sold now.
func (s *chainSession) accountBalance(name string, id wallet.AccountID) (balanceJSON, error) {
	free, err := s.free(id)
	if err != nil {
		return balanceJSON{}, err
	}
	stakes, err := s.m.StakesByColdkey(s.ctx, id)
	if err != nil {
		return balanceJSON{}, chainErr(err)
	}
	b := balanceJSON{Name: name, Address: id, Free: free}
	for _, st := range stakes {
		b.Staked += st.TaoValue
	}
	b.Total = b.Free + b.Staked
	if _, b.StakedRealisable, err = s.realisable(stakes); err != nil {
		return balanceJSON{}, err
	}
	b.TotalRealisable = b.Free + b.StakedRealisable
	return b, nil
}

// realisable returns what each position would fetch if sold now (alone, against the current
// pool) and what the account's stake would fetch: per subnet, all of its alpha there sold in
// one trade. Both are the pool's quote after its fee, with no price limit; root sells 1:1; a
// subnet that has not started sells nothing (0).
func (s *chainSession) realisable(stakes []protocol.StakeInfo) (each []uint64, total uint64, err error) {
	markets := map[uint16]*ops.Market{}
	sell := func(netuid uint16, alpha uint64) (uint64, error) {
		if alpha == 0 {
			return 0, nil
		}
		m, seen := markets[netuid]
		if !seen {
			mk, err := ops.TradingSubnet(s.ctx, s.m, netuid)
			var oe *ops.Error
			switch {
			case err == nil:
				m = &mk
			case errors.As(err, &oe) && oe.Kind == ops.KindInput: // not started: no sale
			default:
				return 0, opsErr(err)
			}
			markets[netuid] = m
		}
		if m == nil {
			return 0, nil
		}
		q, err := ops.QuoteTrade(m.Subnet, m.FeeRate, m.MinReserve, alpha, false, ops.Trade{Unsafe: true})
		if err != nil {
			// More than the pool can pay out in one trade: at most its TAO above the minimum reserve.
			return m.Subnet.TaoIn - min(m.Subnet.TaoIn, m.MinReserve), nil
		}
		return q.ExpectedOut, nil
	}
	perNet := map[uint16]uint64{}
	var nets []uint16
	each = make([]uint64, len(stakes))
	for i, st := range stakes {
		if each[i], err = sell(st.Netuid, st.Alpha); err != nil {
			return nil, 0, err
		}
		if _, ok := perNet[st.Netuid]; !ok {
			nets = append(nets, st.Netuid)
		}
		perNet[st.Netuid] += st.Alpha
	}
	for _, n := range nets {
		v, err := sell(n, perNet[n])
		if err != nil {
			return nil, 0, err
		}
		total += v
	}
	return each, total, nil
}

func walletBalanceRun(o *walletBalanceOptions) error {
	f := o.f
	type target struct {
		name string
		id   wallet.AccountID
	}
	var targets []target
	switch {
	case o.All:
		ks, err := f.Keystore()
		if err != nil {
			return err
		}
		list, err := ks.List()
		if err != nil {
			return err
		}
		for _, w := range list {
			walletWarnMismatch(f, w)
			if p, ok := w.ColdkeyAddress(); ok {
				targets = append(targets, target{w.Name, p.AccountID})
			}
		}
	case len(o.Addresses) > 0:
		for _, a := range o.Addresses {
			id, err := resolveAccount(f, "address", a, roleColdkey)
			if err != nil {
				return err
			}
			targets = append(targets, target{a, id})
		}
	default:
		id, err := coldkeyOf(f, o.Wallet)
		if err != nil {
			return err
		}
		if !isDevName(o.Wallet) {
			if ks, err := f.Keystore(); err == nil {
				if info, err := ks.Wallet(o.Wallet); err == nil {
					walletWarnMismatch(f, info)
				}
			}
		}
		targets = append(targets, target{o.Wallet, id})
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	out := walletBalanceJSON{Balances: []balanceJSON{}}
	for _, t := range targets {
		b, err := s.accountBalance(t.name, t.id)
		if err != nil {
			return err
		}
		out.Balances = append(out.Balances, b)
		out.Totals.Free += b.Free
		out.Totals.Staked += b.Staked
		out.Totals.Total += b.Total
		out.Totals.StakedRealisable += b.StakedRealisable
		out.Totals.TotalRealisable += b.TotalRealisable
	}
	return printJSONOr(f, out, func(w io.Writer) {
		t := textTable{Head: []string{"NAME", "ADDRESS", "FREE", "STAKED (SPOT)", "STAKED (SELL NOW)", "TOTAL (SELL NOW)"},
			Right: []bool{false, false, true, true, true, true}, Shrink: 1, Drop: []int{3, 5, 4}}
		for _, b := range out.Balances {
			t.add(b.Name, b.Address.SS58(), tao(b.Free), tao(b.Staked), tao(b.StakedRealisable), tao(b.TotalRealisable))
		}
		if len(out.Balances) > 1 {
			t.add("total", "", tao(out.Totals.Free), tao(out.Totals.Staked), tao(out.Totals.StakedRealisable), tao(out.Totals.TotalRealisable))
		}
		t.render(w, f.IO.Width)
	})
}
