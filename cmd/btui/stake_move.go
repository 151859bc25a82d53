package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
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
	Offline      offlineOptions
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
			if err := checkStakeTrade(cmd, opts.Amount, opts.All, &opts.Trade, opts.Offline.Offline); err != nil {
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
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

func stakeMoveRun(o *stakeMoveOptions) error {
	f := o.f
	if o.Offline.Offline {
		return stakeMoveOffline(o)
	}
	cold, hot, err := stakeAccounts(f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	destHot := hot
	if o.DestHotkey != "" {
		if destHot, err = resolveAccount(f, "--dest-hotkey", o.DestHotkey, roleHotkey); err != nil {
			return err
		}
	}
	dest := o.OriginNetuid
	if o.destSet {
		dest = o.DestNetuid
	}
	return stakeMoveOps(o, ops.StakeMoveInput{Cold: cold, Hot: hot, DestHot: destHot, Origin: o.OriginNetuid, DestNetuid: dest, All: o.All, Trade: o.Trade.trade()})
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

// stakeMoveOffline is `btui stake move`, `stake transfer` and `stake swap` with --offline:
// move_stake, transfer_stake, swap_stake or swap_stake_limit from the flags alone.
func stakeMoveOffline(o *stakeMoveOptions) error {
	f := o.f
	amount, err := offlineAmount(o.Amount, o.All, "the position")
	if err != nil {
		return err
	}
	dest := o.OriginNetuid
	if o.destSet {
		dest = o.DestNetuid
	}
	limit, err := o.Trade.offlineLimit(o.kind == kindSwap, dest != o.OriginNetuid)
	if err != nil {
		return err
	}
	sg, err := coldkeySigner(f, o.Wallet)
	if err != nil {
		return err
	}
	hot, err := stakeHotkey(f, o.Hotkey)
	if err != nil {
		return err
	}
	tx := offlineTx{Signer: sg}
	var command string
	switch o.kind {
	case kindMove:
		command = "stake move"
		destHot := hot
		if o.DestHotkey != "" {
			if destHot, err = resolveAccount(f, "--dest-hotkey", o.DestHotkey, roleHotkey); err != nil {
				return err
			}
		}
		tx.Title = fmt.Sprintf("Move %s from %s in subnet %d to %s in subnet %d", alphaAmount(amount), hot, o.OriginNetuid, destHot, dest)
		tx.Call = protocol.MoveStake{OriginHotkey: hot, DestinationHotkey: destHot, OriginNetuid: o.OriginNetuid, DestinationNetuid: dest, Amount: amount}
	case kindTransfer:
		command = "stake transfer"
		destCold, err := resolveAccount(f, "--dest", o.DestColdkey, roleColdkey)
		if err != nil {
			return err
		}
		tx.Title = fmt.Sprintf("Give %s on %s in subnet %d to coldkey %s in subnet %d", alphaAmount(amount), hot, o.OriginNetuid, destCold, dest)
		tx.Call = protocol.TransferStake{DestinationColdkey: destCold, Hotkey: hot, OriginNetuid: o.OriginNetuid, DestinationNetuid: dest, Amount: amount}
	case kindSwap:
		command = "stake swap"
		tx.Title = fmt.Sprintf("Swap %s on %s from subnet %d to subnet %d", alphaAmount(amount), hot, o.OriginNetuid, dest)
		tx.Call = protocol.SwapStake{Hotkey: hot, OriginNetuid: o.OriginNetuid, DestinationNetuid: dest, Amount: amount, LimitPrice: limit, AllowPartial: o.Trade.AllowPartial}
	}
	return o.Offline.runOffline(o.ctx, command, o.Password, tx)
}
