package main

import (
	"context"
	"fmt"
	"math/bits"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// stakeMoveKind says which of move, transfer and swap a command is.
type stakeMoveKind int

const (
	kindMove     stakeMoveKind = iota // origin hotkey/netuid → destination hotkey/netuid, same coldkey
	kindTransfer                      // same hotkey, to another coldkey (optionally another netuid)
	kindSwap                          // same hotkey and coldkey, another netuid
)

type stakeMoveOptions struct {
	f    *Factory
	ctx  context.Context
	kind stakeMoveKind

	Wallet       string
	Hotkey       string // origin hotkey
	DestHotkey   string // move
	DestColdkey  string // transfer
	OriginNetuid uint16
	DestNetuid   uint16
	destSet      bool
	Amount       string
	All          bool
	Trade        tradeOptions
	Password     passwordOptions
}

func newCmdStakeMove(f *Factory, runF func(*stakeMoveOptions) error) *cobra.Command {
	return newStakeMoveCmd(f, runF, kindMove, "move", "Move stake to another hotkey and/or subnet",
		`Move --amount alpha (or --all) of the wallet's stake on a hotkey (--hotkey-ss58, default the
wallet's hotkey) in --origin-netuid to --dest-hotkey in --dest-netuid (default: the origin
subnet). Within one subnet it is a share transfer at no price; across subnets the alpha is sold
on the origin pool and the TAO staked on the destination pool (preview of both legs).`,
		`  btui stake move --origin-netuid 1 --dest-netuid 2 --dest-hotkey //Bob --amount 1 --yes`)
}

func newCmdStakeTransfer(f *Factory, runF func(*stakeMoveOptions) error) *cobra.Command {
	if runF == nil {
		runF = stakeXferRun // ops.PlanStakeTransfer (stake_xfer.go)
	}
	return newStakeMoveCmd(f, runF, kindTransfer, "transfer", "Give stake to another coldkey (same hotkey)",
		`Give --amount alpha (or --all) of the wallet's stake on a hotkey in --origin-netuid to the
coldkey --dest (any address form), on the same hotkey, optionally converting it to --dest-netuid.`,
		`  btui stake transfer --origin-netuid 1 --dest //Bob --amount 1 --yes`)
}

func newCmdStakeSwap(f *Factory, runF func(*stakeMoveOptions) error) *cobra.Command {
	if runF == nil {
		runF = stakeXferRun // ops.PlanStakeSwap (stake_xfer.go)
	}
	return newStakeMoveCmd(f, runF, kindSwap, "swap", "Convert stake on a hotkey from one subnet to another",
		`Convert --amount alpha (or --all) of the wallet's stake on a hotkey from --origin-netuid to
--dest-netuid (sold on the origin pool, bought on the destination pool), with the --tolerance guard.`,
		`  btui stake swap --origin-netuid 1 --dest-netuid 2 --amount 1 --tolerance 0.01 --yes`)
}

func newStakeMoveCmd(f *Factory, runF func(*stakeMoveOptions) error, kind stakeMoveKind, use, short, long, example string) *cobra.Command {
	opts := &stakeMoveOptions{f: f, kind: kind}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long: long + `

JSON (--json): the transaction result (docs/json.md) with preview {"coldkey", "origin_hotkey",
"dest_hotkey", "dest_coldkey", "origin_netuid", "dest_netuid", "amount", "stake", "fee",
"sell": Quote|null, "buy": Quote|null} and after {"stake", "free"} (the origin position).`,
		Example: example,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := requireFlag(cmd.Flags().Changed("origin-netuid"), "--origin-netuid", "the subnet the stake is in"); err != nil {
				return err
			}
			opts.destSet = cmd.Flags().Changed("dest-netuid")
			switch kind {
			case kindMove:
				if opts.DestHotkey == "" && !opts.destSet {
					return usageErrorf("give --dest-hotkey and/or --dest-netuid: where the stake goes")
				}
			case kindTransfer:
				if opts.DestColdkey == "" {
					return usageErrorf("--dest is required: the coldkey that receives the stake")
				}
			case kindSwap:
				if !opts.destSet {
					return usageErrorf("--dest-netuid is required: the subnet to swap into")
				}
			}
			if err := checkStakeTrade(cmd, opts.Amount, opts.All, &opts.Trade); err != nil {
				return err
			}
			opts.ctx, opts.Wallet = cmd.Context(), f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return stakeMoveRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.Uint16Var(&opts.OriginNetuid, "origin-netuid", 0, "the subnet the stake is in")
	fl.Uint16Var(&opts.DestNetuid, "dest-netuid", 0, "the subnet it goes to (default: the origin)")
	switch kind {
	case kindMove:
		fl.StringVar(&opts.DestHotkey, "dest-hotkey", "", "the hotkey it goes to (any address form; default: the origin hotkey; alias --dest-ss58)")
		fl.StringVar(&opts.DestHotkey, "dest-ss58", "", "same as --dest-hotkey")
		_ = fl.MarkHidden("dest-ss58")
	case kindTransfer:
		fl.StringVar(&opts.DestColdkey, "dest", "", "the coldkey that receives the stake (any address form; alias --dest-ss58)")
		fl.StringVar(&opts.DestColdkey, "dest-ss58", "", "same as --dest")
		_ = fl.MarkHidden("dest-ss58")
	}
	fl.StringVar(&opts.Amount, "amount", "", "alpha to move, up to 9 decimals")
	fl.BoolVarP(&opts.All, "all", "a", false, "the whole position")
	stakeHotkeyFlag(cmd, &opts.Hotkey)
	addTradeFlags(cmd, &opts.Trade)
	addTxFlags(cmd, &opts.Password)
	return cmd
}

type stakeMovePreviewJSON struct {
	Coldkey      string     `json:"coldkey"`
	OriginHotkey string     `json:"origin_hotkey"`
	DestHotkey   string     `json:"dest_hotkey"`
	DestColdkey  string     `json:"dest_coldkey"`
	OriginNetuid uint16     `json:"origin_netuid"`
	DestNetuid   uint16     `json:"dest_netuid"`
	Amount       uint64     `json:"amount"`
	Stake        uint64     `json:"stake"`
	Fee          uint64     `json:"fee"`
	Sell         *quoteJSON `json:"sell"`
	Buy          *quoteJSON `json:"buy"`
}

func stakeMoveRun(o *stakeMoveOptions) error {
	f := o.f
	cold, hot, err := stakeAccounts(f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	destHot, destCold := hot, cold
	if o.DestHotkey != "" {
		if destHot, err = resolveAccount(f, "--dest-hotkey", o.DestHotkey, roleHotkey); err != nil {
			return err
		}
	}
	if o.DestColdkey != "" {
		if destCold, err = resolveAccount(f, "--dest", o.DestColdkey, roleColdkey); err != nil {
			return err
		}
	}
	dest := o.OriginNetuid
	if o.destSet {
		dest = o.DestNetuid
	}
	if o.kind == kindMove {
		return stakeMoveOps(o, ops.StakeMoveInput{Cold: cold, Hot: hot, DestHot: destHot, Origin: o.OriginNetuid, DestNetuid: dest, All: o.All, Trade: o.Trade.trade()})
	}
	in := stakeMoveInput{Kind: o.kind, Cold: cold, Hot: hot, DestCold: destCold, DestHot: destHot, Origin: o.OriginNetuid, Dest: dest, All: o.All, Trade: o.Trade}
	if err := in.checkDest(); err != nil {
		return err
	}
	if in.Amount, err = amountOrAll(o.Amount, o.All); err != nil {
		return err
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := planStakeMove(s, in)
	if err != nil {
		return err
	}
	return runTx(s, p.request("stake "+[]string{"move", "transfer", "swap"}[o.kind], coldkeyUnlock(f, o.Wallet, o.Password),
		func(*protocol.TxInfo) (any, []previewLine, error) {
			return s.positionAfter(cold, hot, o.OriginNetuid)
		}))
}

// stakeMoveOps is `btui stake move`: ops.PlanStakeMove in the command's words, then the one
// confirm → sign → submit flow.
func stakeMoveOps(o *stakeMoveOptions, in ops.StakeMoveInput) error {
	var err error
	if in.Amount, err = amountOrAll(o.Amount, o.All); err != nil {
		return err
	}
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := ops.PlanStakeMove(s.ctx, s.c, in)
	if err != nil {
		return opsErr(err)
	}
	return runTx(s, fromOps(p).request("stake move", coldkeyUnlock(o.f, o.Wallet, o.Password),
		func(*protocol.TxInfo) (any, []previewLine, error) {
			return s.positionAfter(in.Cold, in.Hot, in.Origin)
		}))
}

// stakeMoveInput is what `btui stake move`, `stake transfer` and `stake swap` (and the
// console's move form, a move) ask for.
type stakeMoveInput struct {
	Kind              stakeMoveKind
	Cold, Hot         wallet.AccountID // the origin position's owner and hotkey
	DestCold, DestHot wallet.AccountID
	Origin, Dest      uint16
	Amount            uint64 // alpha; ignored with All
	All               bool   // the whole position
	Trade             tradeOptions
}

// checkDest refuses a move to the very position it starts from.
func (in stakeMoveInput) checkDest() error {
	if in.DestHot == in.Hot && in.DestCold == in.Cold && in.Dest == in.Origin {
		return usageErrorf("the destination is the very same position (hotkey %s, subnet %d): nothing to do", in.Hot, in.Dest)
	}
	return nil
}

// planStakeMove checks a move, transfer or swap of stake (both subnets started, the
// destination hotkey on chain, the position, the fee, the sell leg's price impact, the
// minimum stake) and quotes its legs: the one preparation of the three commands and the
// console's move form.
func planStakeMove(s *chainSession, in stakeMoveInput) (txPlan, error) {
	cold, hot, destHot, destCold, dest, amount := in.Cold, in.Hot, in.DestHot, in.DestCold, in.Dest, in.Amount
	if err := in.checkDest(); err != nil {
		return txPlan{}, err
	}
	osi, ofee, reserve, err := s.tradingSubnet(in.Origin)
	if err != nil {
		return txPlan{}, err
	}
	dsi, dfee, _, err := s.tradingSubnet(dest)
	if err != nil {
		return txPlan{}, err
	}
	if destHot != hot {
		if _, err := s.requireHotkeyOnChain(destHot); err != nil {
			return txPlan{}, err
		}
	}
	have, err := s.stakePosition(cold, hot, in.Origin)
	if err != nil {
		return txPlan{}, err
	}
	if in.All {
		amount = have
	}
	if amount > have {
		return txPlan{}, usageErrorf("--amount %s is more than the %s staked on %s in subnet %d; nothing was submitted", alphaAmount(amount), alphaAmount(have), hot, in.Origin)
	}
	fee, _, err := s.payFee(cold, "the move")
	if err != nil {
		return txPlan{}, err
	}
	pv := stakeMovePreviewJSON{Coldkey: cold.SS58(), OriginHotkey: hot.SS58(), DestHotkey: destHot.SS58(), DestColdkey: destCold.SS58(),
		OriginNetuid: in.Origin, DestNetuid: dest, Amount: amount, Stake: have, Fee: fee}
	lines := []previewLine{{"from", fmt.Sprintf("hotkey %s, subnet %d (holds %s)", hot, in.Origin, alphaAmount(have))},
		{"to", fmt.Sprintf("hotkey %s, subnet %d, coldkey %s", destHot, dest, destCold)}, {"amount", alphaAmount(amount)}}
	var limit uint64
	if dest != in.Origin {
		// Two legs: sell on the origin pool, buy on the destination pool. swap_stake takes a
		// limit price for the sell leg; move_stake and transfer_stake take none, so for them
		// the tolerance is checked here, against the quote, before submitting.
		sellOpts := in.Trade
		if in.Kind != kindSwap {
			sellOpts.Unsafe = true
		}
		sell, err := quoteTrade(osi, ofee, reserve, amount, false, sellOpts)
		if err != nil {
			return txPlan{}, err
		}
		if in.Kind != kindSwap && !in.Trade.Unsafe && sell.ImpactPPM > in.Trade.tolPPM {
			return txPlan{}, usageErrorf("selling %s moves subnet %d's price by %s%%, beyond --tolerance %s: move less, raise --tolerance or pass --unsafe (nothing was submitted)",
				alphaAmount(amount), in.Origin, formatDecimal(sell.ImpactPPM, 4), in.Trade.Tolerance)
		}
		buyOpts := in.Trade
		buyOpts.Unsafe = true
		buy, err := quoteTrade(dsi, dfee, reserve, max(sell.ExpectedOut, 1), true, buyOpts)
		if err != nil {
			return txPlan{}, err
		}
		pv.Sell, pv.Buy = &sell, &buy
		lines = append(lines, previewLine{"sell leg", fmt.Sprintf("subnet %d", in.Origin)})
		for _, l := range quoteLines(sell) {
			if in.Kind == kindSwap || l.Label != "tolerance" || in.Trade.Unsafe {
				lines = append(lines, l)
			}
		}
		if in.Kind != kindSwap && !in.Trade.Unsafe {
			lines = append(lines, previewLine{"tolerance", fmt.Sprintf("%s%%: price impact checked before submitting (the call takes no limit price)", formatDecimal(in.Trade.tolPPM, 4))})
		}
		lines = append(lines, previewLine{"buy leg", fmt.Sprintf("subnet %d", dest)})
		lines = append(lines, quoteLines(buy)[:5]...)
		limit = sell.LimitPrice
	} else {
		lines = append(lines, previewLine{"price", "none: a share transfer within the subnet"})
	}
	ms, err := s.minStake()
	if err != nil {
		return txPlan{}, err
	}
	worth := mulDivU64(amount, osi.Price, protocol.RaoPerTAO)
	if pv.Sell != nil {
		worth = pv.Sell.ExpectedOut
	}
	if worth < ms {
		return txPlan{}, usageErrorf("%s is worth about %s, below the minimum stake of %s: move more; nothing was submitted", alphaAmount(amount), tao(worth), tao(ms))
	}
	lines = append(lines, previewLine{"fee", tao(fee)})
	var call protocol.Call
	title := ""
	switch in.Kind {
	case kindMove:
		call = protocol.MoveStake{OriginHotkey: hot, DestinationHotkey: destHot, OriginNetuid: in.Origin, DestinationNetuid: dest, Amount: amount}
		title = fmt.Sprintf("Move %s of stake", alphaAmount(amount))
	case kindTransfer:
		call = protocol.TransferStake{DestinationColdkey: destCold, Hotkey: hot, OriginNetuid: in.Origin, DestinationNetuid: dest, Amount: amount}
		title = fmt.Sprintf("Transfer %s of stake to %s", alphaAmount(amount), destCold)
	case kindSwap:
		call = protocol.SwapStake{Hotkey: hot, OriginNetuid: in.Origin, DestinationNetuid: dest, Amount: amount, LimitPrice: limit, AllowPartial: in.Trade.AllowPartial}
		title = fmt.Sprintf("Swap %s of stake from subnet %d to %d", alphaAmount(amount), in.Origin, dest)
	}
	return txPlan{Title: title, Signer: cold, Call: call, Preview: lines, PreviewJSON: pv}, nil
}

// mulDivU64 is floor(a·b/c), saturating.
func mulDivU64(a, b, c uint64) uint64 {
	if c == 0 {
		return 0
	}
	hi, lo := bits.Mul64(a, b)
	if hi >= c {
		return ^uint64(0)
	}
	q, _ := bits.Div64(hi, lo, c)
	return q
}
