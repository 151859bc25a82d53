package main

import (
	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
)

// Pool-trade previews: the price, expected output, fee, slippage and the --tolerance guard of
// stake add/remove/move/swap, computed with mechanism's pool quote on the subnet's reserves.

// defaultTolerancePPM is btcli's default rate tolerance, 0.005 (0.5%).
const defaultTolerancePPM = ops.DefaultTolerancePPM

// tradeOptions are the flags of a pool trade.
type tradeOptions struct {
	Tolerance    string // fraction, "0.005"
	Unsafe       bool   // no limit price
	AllowPartial bool

	tolPPM uint64
}

func addTradeFlags(cmd *cobra.Command, o *tradeOptions) {
	fl := cmd.Flags()
	fl.StringVar(&o.Tolerance, "tolerance", "0.005", "largest price move accepted, as a fraction (0.005 = 0.5%); the chain stops the trade at that price (alias --rate-tolerance)")
	fl.BoolVar(&o.Unsafe, "unsafe", false, "trade at any price: no limit price (alias --no-safe-staking)")
	fl.BoolVar(&o.AllowPartial, "allow-partial", false, "with a limit price, fill what is possible instead of failing (alias --allow-partial-stake)")
	fl.Bool("safe-staking", true, "trade with a limit price of the current price ± --tolerance (the default)")
	fl.Bool("no-safe-staking", false, "same as --unsafe")
	fl.Bool("no-allow-partial-stake", false, "fail instead of filling partially (the default)")
	fl.StringVar(&o.Tolerance, "rate-tolerance", "0.005", "same as --tolerance")
	fl.BoolVar(&o.AllowPartial, "allow-partial-stake", false, "same as --allow-partial")
	for _, n := range []string{"safe-staking", "no-safe-staking", "no-allow-partial-stake", "rate-tolerance", "allow-partial-stake"} {
		_ = fl.MarkHidden(n)
	}
}

// check validates the trade flags (after parsing).
func (o *tradeOptions) check(cmd *cobra.Command) error {
	if cmd.Flags().Changed("no-safe-staking") {
		o.Unsafe, _ = cmd.Flags().GetBool("no-safe-staking")
	}
	if cmd.Flags().Changed("safe-staking") {
		safe, _ := cmd.Flags().GetBool("safe-staking")
		o.Unsafe = !safe
	}
	if cmd.Flags().Changed("no-allow-partial-stake") {
		if v, _ := cmd.Flags().GetBool("no-allow-partial-stake"); v {
			o.AllowPartial = false
		}
	}
	return o.validate(cmd.Flags().Changed("tolerance") || cmd.Flags().Changed("rate-tolerance"))
}

// validate checks the tolerance (a fraction in (0, 1)) and that it was not given (toleranceSet)
// together with Unsafe, and sets the tolerance in ppm: the check of the stake commands' trade
// flags and of the console's price guard.
func (o *tradeOptions) validate(toleranceSet bool) error {
	v, err := ops.ParseTolerance(o.Tolerance)
	if err != nil {
		return opsErr(err)
	}
	if o.Unsafe && toleranceSet {
		return usageErrorf("--tolerance and --unsafe contradict each other: give one")
	}
	o.tolPPM = v
	return nil
}

// quoteJSON is the preview of one pool trade (ops.Quote).
type quoteJSON = ops.Quote

// trade is the ops form of the trade flags.
func (o tradeOptions) trade() ops.Trade {
	return ops.Trade{TolerancePPM: o.tolPPM, Unsafe: o.Unsafe, AllowPartial: o.AllowPartial}
}
