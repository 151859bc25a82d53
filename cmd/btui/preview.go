package main

import (
	"fmt"
	"math/bits"

	"github.com/spf13/cobra"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
)

// Pool-trade previews: the price, expected output, fee, slippage and the --tolerance guard of
// stake add/remove/move/swap, computed with mechanism's pool quote on the subnet's reserves.

// defaultTolerancePPM is btcli's default rate tolerance, 0.005 (0.5%).
const defaultTolerancePPM = 5_000

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
	v, err := parseDecimal(o.Tolerance, 6)
	if err != nil {
		return usageErrorf("--tolerance %q %v: give a fraction such as 0.005 (0.5%%)", o.Tolerance, err)
	}
	if v == 0 || v >= 1_000_000 {
		return usageErrorf("--tolerance %s is out of range: it must be more than 0 and less than 1 (0.005 = 0.5%%); use --unsafe for no limit", o.Tolerance)
	}
	if o.Unsafe && toleranceSet {
		return usageErrorf("--tolerance and --unsafe contradict each other: give one")
	}
	o.tolPPM = v
	return nil
}

// quoteJSON is the preview of one pool trade.
type quoteJSON struct {
	Netuid       uint16 `json:"netuid"`
	Side         string `json:"side"`         // "buy" (TAO in, alpha out) or "sell" (alpha in, TAO out)
	Price        uint64 `json:"price"`        // spot price before, rao per alpha
	AmountIn     uint64 `json:"amount_in"`    // TAO rao for a buy, alpha rao for a sell
	SwapFee      uint64 `json:"swap_fee"`     // pool fee, in the input asset
	ExpectedOut  uint64 `json:"expected_out"` // alpha rao for a buy, TAO rao for a sell
	IdealOut     uint64 `json:"ideal_out"`    // at the spot price with no price impact
	SlippagePPM  uint64 `json:"slippage_ppm"`
	PriceAfter   uint64 `json:"price_after"`
	ImpactPPM    uint64 `json:"price_impact_ppm"`
	Safe         bool   `json:"safe"`
	TolerancePPM uint64 `json:"tolerance_ppm"` // 0 when not safe
	LimitPrice   uint64 `json:"limit_price"`   // rao per alpha passed to the chain, 0 = none
	AllowPartial bool   `json:"allow_partial"`
	Refund       uint64 `json:"refund"` // input the limit would leave unused
	Exact        bool   `json:"exact"`  // false when the pool weight had to be derived from the price
}

func raoPerAlpha(p mechanism.U64F64) uint64 {
	return p.SaturatingMul(mechanism.U64F64FromU64(protocol.RaoPerTAO)).SaturatingToU64()
}

// mulPPM returns v·(1e6 ± ppm)/1e6, saturating.
func mulPPM(v, ppm uint64, up bool) uint64 {
	f := uint64(1_000_000) - ppm
	if up {
		f = 1_000_000 + ppm
	}
	hi, lo := bits.Mul64(v, f)
	if hi >= 1_000_000 {
		return ^uint64(0)
	}
	q, _ := bits.Div64(hi, lo, 1_000_000)
	return q
}

// subnetPool returns a subnet's pool as the chain holds it: reserves and quote weight. A chain
// that does not report the weight (quote_weight 0) gets it rebuilt from the price,
// w2 = y/(p·x + y): exact for the 0.5 weight of a fresh pool, otherwise exact to the price's
// 1e-9 TAO rounding, and reported as inexact.
func subnetPool(si protocol.SubnetInfo) (mechanism.Pool, bool) {
	if si.QuoteWeight != 0 {
		return mechanism.Pool{Tao: si.TaoIn, Alpha: si.AlphaIn, QuoteWeight: mechanism.Perquintill(si.QuoteWeight)}, true
	}
	p, err := mechanism.NewPoolAtPrice(si.TaoIn, si.AlphaIn, mechanism.PriceFromRaoPerAlpha(si.Price))
	if err != nil {
		return mechanism.NewPool(si.TaoIn, si.AlphaIn), false
	}
	half := mechanism.NewPool(si.TaoIn, si.AlphaIn)
	if raoPerAlpha(half.Price()) == si.Price {
		return half, true
	}
	return p, false
}

// quoteTrade previews a buy (TAO → alpha) or a sell (alpha → TAO) on subnet si.
func quoteTrade(si protocol.SubnetInfo, feeRate uint16, minReserve, amount uint64, buy bool, o tradeOptions) (quoteJSON, error) {
	q := quoteJSON{Netuid: si.Netuid, Side: "sell", Price: si.Price, AmountIn: amount, Safe: !o.Unsafe, AllowPartial: o.AllowPartial}
	if buy {
		q.Side = "buy"
	}
	if si.Root {
		// Root stakes TAO 1:1 with no pool and no fee.
		q.Price, q.ExpectedOut, q.IdealOut, q.PriceAfter, q.Exact = protocol.RaoPerTAO, amount, amount, protocol.RaoPerTAO, true
		q.Safe = false
		return q, nil
	}
	if !o.Unsafe {
		q.TolerancePPM = o.tolPPM
		q.LimitPrice = mulPPM(si.Price, o.tolPPM, buy)
		if q.LimitPrice == 0 {
			q.LimitPrice = 1
		}
	}
	pool, exact := subnetPool(si)
	q.Exact = exact
	sp := mechanism.SwapParams{FeeRate: feeRate, MinimumReserve: minReserve}
	if q.LimitPrice != 0 {
		sp.LimitPrice = mechanism.PriceFromRaoPerAlpha(q.LimitPrice)
	}
	var (
		r   mechanism.SwapQuote
		err error
	)
	if buy {
		r, err = pool.QuoteBuy(amount, sp)
	} else {
		r, err = pool.QuoteSell(amount, sp)
	}
	if err != nil {
		return q, usageErrorf("subnet %d's pool cannot take this trade: %v", si.Netuid, err)
	}
	q.SwapFee, q.ExpectedOut, q.IdealOut, q.SlippagePPM = r.Fee, r.Out, r.Ideal, r.SlippagePPM
	q.PriceAfter, q.ImpactPPM, q.Refund = raoPerAlpha(r.PriceAfter), r.ImpactPPM, r.Refund
	if r.Refund > 0 && !o.AllowPartial {
		return q, withCode(ExitUsage, fmt.Errorf("only part of the trade fits within --tolerance %s: the price would pass the limit of %s per α with %s left over; raise --tolerance, pass --allow-partial, or trade less (nothing was submitted)",
			o.Tolerance, tao(q.LimitPrice), amountIn(q, r.Refund)))
	}
	return q, nil
}

func amountIn(q quoteJSON, v uint64) string {
	if q.Side == "buy" {
		return tao(v)
	}
	return alphaAmount(v)
}

func amountOut(q quoteJSON, v uint64) string {
	if q.Side == "buy" {
		return alphaAmount(v)
	}
	return tao(v)
}

// quoteLines renders a quote for people.
func quoteLines(q quoteJSON) []previewLine {
	lines := []previewLine{
		{"price", tao(q.Price) + " per α"},
		{"you pay", amountIn(q, q.AmountIn)},
		{"swap fee", amountIn(q, q.SwapFee)},
		{"expected", amountOut(q, q.ExpectedOut)},
		{"slippage", fmt.Sprintf("%s%% (ideal %s)", formatDecimal(q.SlippagePPM, 4), amountOut(q, q.IdealOut))},
		{"price after", fmt.Sprintf("%s per α (impact %s%%)", tao(q.PriceAfter), formatDecimal(q.ImpactPPM, 4))},
	}
	switch {
	case q.Safe:
		partial := "fails if the price would pass it"
		if q.AllowPartial {
			partial = "fills partially up to it"
		}
		lines = append(lines, previewLine{"tolerance", fmt.Sprintf("%s%%: limit %s per α, %s", formatDecimal(q.TolerancePPM, 4), tao(q.LimitPrice), partial)})
	case q.Price == protocol.RaoPerTAO && q.SwapFee == 0 && q.ExpectedOut == q.AmountIn:
		lines = append(lines, previewLine{"tolerance", "none needed (root stakes TAO 1:1)"})
	default:
		lines = append(lines, previewLine{"tolerance", "NONE (--unsafe): the trade fills at any price"})
	}
	if q.Refund > 0 {
		lines = append(lines, previewLine{"unfilled", amountIn(q, q.Refund) + " stays with you"})
	}
	if !q.Exact {
		lines = append(lines, previewLine{"note", "the pool weight is derived from the rounded price: the expected amount is approximate"})
	}
	return lines
}

func mulFull(a, b uint64) (hi, lo uint64)    { return bits.Mul64(a, b) }
func divFull(hi, lo, c uint64) (q, r uint64) { return bits.Div64(hi, lo, c) }
