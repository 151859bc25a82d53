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
	LimitPrice   string // with --offline: the limit price itself, TAO per alpha

	tolPPM uint64
	tolSet bool // --tolerance was given
}

func addTradeFlags(cmd *cobra.Command, o *tradeOptions) {
	fl := cmd.Flags()
	fl.StringVar(&o.Tolerance, "tolerance", "0.005", "largest price move accepted, as a fraction (0.005 = 0.5%); the chain stops the trade at that price (alias --rate-tolerance)")
	fl.BoolVar(&o.Unsafe, "unsafe", false, "trade at any price: no limit price (alias --no-safe-staking)")
	fl.BoolVar(&o.AllowPartial, "allow-partial", false, "with a limit price, fill what is possible instead of failing (alias --allow-partial-stake)")
	fl.StringVar(&o.LimitPrice, "limit-price", "", "with --offline: the limit price in TAO per alpha (up to 9 decimals), as the current price ± --tolerance would be online")
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
	if o.LimitPrice != "" && o.Unsafe {
		return usageErrorf("--limit-price and --unsafe contradict each other: give one")
	}
	o.tolPPM, o.tolSet = v, toleranceSet
	return nil
}

// offlineLimit is the limit price (rao per alpha) of a trade signed with --offline, whose call
// takes one (limited): --limit-price, or none with --unsafe. The online default, the current
// price ± --tolerance, needs the pool's price from the chain, so without either the trade is
// refused, never signed without the guard the user did not waive. A call without a limit
// (move_stake, transfer_stake) takes no --limit-price; across subnets its online guard is a
// check of the price impact before submitting, which offline needs --unsafe to skip.
func (o tradeOptions) offlineLimit(limited, crossSubnet bool) (uint64, error) {
	if o.tolSet {
		return 0, offlineRefuse("--tolerance", "the limit it sets is the current price ± the tolerance, read from the subnet's pool",
			"give the limit itself with --limit-price (TAO per alpha), or --unsafe for none")
	}
	if !limited {
		if o.LimitPrice != "" {
			return 0, usageErrorf("--limit-price: this call takes no limit price; drop it")
		}
		if crossSubnet && !o.Unsafe {
			return 0, offlineRefuse("a move across subnets", "its price guard checks the sale's impact on the origin pool before submitting",
				"add --unsafe to sign it without that check")
		}
		return 0, nil
	}
	if o.Unsafe {
		if o.AllowPartial {
			return 0, usageErrorf("--allow-partial needs a limit price: drop it with --unsafe")
		}
		return 0, nil
	}
	if o.LimitPrice == "" {
		return 0, offlineRefuse("a safe trade (the default)", "its limit is the current price ± --tolerance, read from the subnet's pool",
			"give the limit with --limit-price (TAO per alpha), or --unsafe to trade at any price")
	}
	v, err := parseDecimal(o.LimitPrice, 9)
	if err != nil {
		return 0, usageErrorf("--limit-price %q %v: give TAO per alpha with up to 9 decimals, e.g. 0.012", o.LimitPrice, err)
	}
	if v == 0 {
		return 0, usageErrorf("--limit-price must be more than zero (0 means no limit: use --unsafe)")
	}
	return v, nil
}

// checkOnline refuses --limit-price without --offline: online the limit is the current price
// ± --tolerance.
func (o tradeOptions) checkOnline() error {
	if o.LimitPrice != "" {
		return usageErrorf("--limit-price is for signing with --offline; online the limit is the current price ± --tolerance: drop it (or add --offline)")
	}
	return nil
}

// quoteJSON is the preview of one pool trade (ops.Quote).
type quoteJSON = ops.Quote

// trade is the ops form of the trade flags.
func (o tradeOptions) trade() ops.Trade {
	return ops.Trade{TolerancePPM: o.tolPPM, Unsafe: o.Unsafe, AllowPartial: o.AllowPartial}
}
