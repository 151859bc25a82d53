package main

import (
	"context"
	"io"

	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
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
		Long: `Show the free balance, the TAO value of all stake (at current pool prices) and the total of
the selected wallet's coldkey, of every wallet (--all), or of the addresses given (SS58, wallet
name, wallet/hotkey or a dev name such as //Alice).

JSON (--json): {"balances": [{"name", "address", "free", "staked", "total"}], "totals": {"free",
"staked", "total"}}; amounts in rao.`,
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
	Staked  uint64           `json:"staked"`
	Total   uint64           `json:"total"`
}

type balanceTotalsJSON struct {
	Free   uint64 `json:"free"`
	Staked uint64 `json:"staked"`
	Total  uint64 `json:"total"`
}

type walletBalanceJSON struct {
	Balances []balanceJSON     `json:"balances"`
	Totals   balanceTotalsJSON `json:"totals"`
}

// accountBalance reads one account's free balance and the TAO value of its stake.
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
	return b, nil
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
	}
	return printJSONOr(f, out, func(w io.Writer) {
		t := textTable{Head: []string{"NAME", "ADDRESS", "FREE", "STAKED", "TOTAL"}, Right: []bool{false, false, true, true, true}, Shrink: 1, Drop: []int{4, 3}}
		for _, b := range out.Balances {
			t.add(b.Name, b.Address.SS58(), tao(b.Free), tao(b.Staked), tao(b.Total))
		}
		if len(out.Balances) > 1 {
			t.add("total", "", tao(out.Totals.Free), tao(out.Totals.Staked), tao(out.Totals.Total))
		}
		t.render(w, f.IO.Width)
	})
}
