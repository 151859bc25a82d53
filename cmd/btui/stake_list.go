package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type stakeListOptions struct {
	f   *Factory
	ctx context.Context

	Wallet  string
	Address string
	Hotkey  string
}

func newCmdStakeList(f *Factory, runF func(*stakeListOptions) error) *cobra.Command {
	opts := &stakeListOptions{f: f}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List stake positions of a coldkey, or the nominators of a hotkey",
		Long: `List the stake positions of the wallet's coldkey (or of --ss58, any address form): per hotkey
and subnet the alpha held and its TAO value at the current price. With --hotkey-ss58, list every
position staked on that hotkey instead (its owner's and its nominators').

JSON (--json): {"coldkey" or "hotkey", "positions": [StakeInfo], "total_tao_value"}; StakeInfo is
{"netuid", "hotkey", "coldkey", "alpha", "tao_value"} in rao.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx, opts.Wallet = cmd.Context(), f.WalletName()
			if opts.Address != "" && opts.Hotkey != "" {
				return usageErrorf("give --ss58 or --hotkey-ss58, not both")
			}
			if runF != nil {
				return runF(opts)
			}
			return stakeListRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Address, "ss58", "", "list this coldkey's positions instead of the wallet's")
	cmd.Flags().StringVar(&opts.Hotkey, "hotkey-ss58", "", "list every position on this hotkey")
	return cmd
}

type stakeListJSON struct {
	Coldkey   *wallet.AccountID    `json:"coldkey,omitempty"`
	Hotkey    *wallet.AccountID    `json:"hotkey,omitempty"`
	Positions []protocol.StakeInfo `json:"positions"`
	TotalTao  uint64               `json:"total_tao_value"`
}

func stakeListRun(o *stakeListOptions) error {
	f := o.f
	var (
		id    wallet.AccountID
		err   error
		byHot = o.Hotkey != ""
	)
	switch {
	case byHot:
		id, err = resolveAccount(f, "--hotkey-ss58", o.Hotkey, roleHotkey)
	case o.Address != "":
		id, err = resolveAccount(f, "--ss58", o.Address, roleColdkey)
	default:
		id, err = coldkeyOf(f, o.Wallet)
	}
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	var pos []protocol.StakeInfo
	if byHot {
		pos, err = s.m.StakesByHotkey(s.ctx, id)
	} else {
		pos, err = s.m.StakesByColdkey(s.ctx, id)
	}
	if err != nil {
		return chainErr(err)
	}
	out := stakeListJSON{Positions: []protocol.StakeInfo{}}
	if byHot {
		out.Hotkey = &id
	} else {
		out.Coldkey = &id
	}
	for _, p := range pos {
		out.Positions = append(out.Positions, p)
		out.TotalTao += p.TaoValue
	}
	return printJSONOr(f, out, func(w io.Writer) {
		if len(out.Positions) == 0 {
			fmt.Fprintf(w, "no stake positions for %s\n", id)
			return
		}
		fmt.Fprintf(w, "%-6s %-48s %-48s %22s %20s\n", "NETUID", "HOTKEY", "COLDKEY", "ALPHA", "VALUE")
		for _, p := range out.Positions {
			fmt.Fprintf(w, "%-6d %-48s %-48s %22s %20s\n", p.Netuid, p.Hotkey, p.Coldkey, alphaAmount(p.Alpha), tao(p.TaoValue))
		}
		fmt.Fprintf(w, "total value %s\n", tao(out.TotalTao))
	})
}
