package ops

import (
	"context"
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
)

// Pool-trade previews: the price, expected output, fee, slippage and the tolerance guard of
// stake add/remove/move/swap, computed with mechanism's pool quote on the subnet's reserves.

// DefaultTolerancePPM is btcli's default rate tolerance, 0.005 (0.5%).
const DefaultTolerancePPM = 5_000

// Trade is how a pool trade is guarded.
type Trade struct {
	TolerancePPM uint64 // the largest price move accepted, parts per million (ParseTolerance)
	Unsafe       bool   // no limit price: the trade fills at any price
	AllowPartial bool   // with a limit price, fill what is possible instead of failing
}

// ParseTolerance reads a tolerance fraction ("0.005" = 0.5%) into parts per million: more
// than 0 and less than 1, at most 6 decimals. Errors are about the field "Tolerance".
func ParseTolerance(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	bad := func(why string) error {
		return inputf("Tolerance", "%q %s: give a fraction such as 0.005 (0.5%%)", s, why)
	}
	switch {
	case t == "":
		return 0, bad("is empty")
	case strings.HasPrefix(t, "-"):
		return 0, bad("is negative")
	}
	whole, frac, _ := strings.Cut(t, ".")
	if len(frac) > 6 {
		return 0, bad("has more than 6 decimals")
	}
	w, err := strconv.ParseUint(whole, 10, 64)
	if whole == "" {
		w, err = 0, nil
	}
	if err != nil {
		return 0, bad("is not a decimal number")
	}
	var f uint64
	if frac != "" {
		if f, err = strconv.ParseUint(frac+strings.Repeat("0", 6-len(frac)), 10, 64); err != nil {
			return 0, bad("is not a decimal number")
		}
	}
	if w >= 1 || w*1_000_000+f == 0 {
		return 0, inputf("Tolerance", "%s is out of range: it must be more than 0 and less than 1 (0.005 = 0.5%%); trade unsafe for no limit", s)
	}
	return f, nil
}

// Quote is the preview of one pool trade.
type Quote struct {
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

// SubnetPool returns a subnet's pool as the chain holds it: reserves and quote weight. A chain
// that does not report the weight (quote_weight 0) gets it rebuilt from the price,
// w2 = y/(p·x + y): exact for the 0.5 weight of a fresh pool, otherwise exact to the price's
// 1e-9 TAO rounding, and reported as inexact.
func SubnetPool(si protocol.SubnetInfo) (mechanism.Pool, bool) {
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

// QuoteTrade previews a buy (TAO → alpha) or a sell (alpha → TAO) on subnet si with the pool
// fee rate feeRate and minimum reserve minReserve. A trade the tolerance cuts short is not an
// error here (see PartialErr): the plans let the chain's own checks speak first.
func QuoteTrade(si protocol.SubnetInfo, feeRate uint16, minReserve, amount uint64, buy bool, o Trade) (Quote, error) {
	q := Quote{Netuid: si.Netuid, Side: "sell", Price: si.Price, AmountIn: amount, Safe: !o.Unsafe, AllowPartial: o.AllowPartial}
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
		q.TolerancePPM = o.TolerancePPM
		q.LimitPrice = mulPPM(si.Price, o.TolerancePPM, buy)
		if q.LimitPrice == 0 {
			q.LimitPrice = 1
		}
	}
	pool, exact := SubnetPool(si)
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
		return q, inputf("Amount", "subnet %d's pool cannot take this trade: %v", si.Netuid, err)
	}
	q.SwapFee, q.ExpectedOut, q.IdealOut, q.SlippagePPM = r.Fee, r.Out, r.Ideal, r.SlippagePPM
	q.PriceAfter, q.ImpactPPM, q.Refund = raoPerAlpha(r.PriceAfter), r.ImpactPPM, r.Refund
	return q, nil
}

// PartialErr is the KindInput error (about "Tolerance") of a quote that the limit price cuts
// short when partial fills are not allowed, or nil.
func (q Quote) PartialErr() error {
	if q.Refund == 0 || q.AllowPartial || !q.Safe {
		return nil
	}
	return inputf("Tolerance", "only part of the trade fits within a tolerance of %s%%: the price would pass the limit of %s per α with %s left over; raise the tolerance, allow a partial fill, or trade less (nothing was submitted)",
		ppmPercent(q.TolerancePPM), tao(q.LimitPrice), q.amountIn(q.Refund))
}

// simulateTrade is simulate for a pool trade: the chain's checks come first (hotkey, balance,
// minimum stake, ...); a trade the limit price cuts short then gets the quote's explanation.
func simulateTrade(ctx context.Context, c chainclient.Client, p *Plan, q Quote) error {
	if err := simulate(ctx, c, p, "Amount"); err != nil {
		if sim, ok := Refused(err); ok && q.PartialErr() != nil {
			if code, _ := protocol.CodeOf(sim.Err()); code == protocol.CodeSlippageUnfulfilled || code == protocol.CodePriceLimitExceeded {
				return q.PartialErr()
			}
		}
		return err
	}
	return q.PartialErr()
}

func (q Quote) amountIn(v uint64) string {
	if q.Side == "buy" {
		return tao(v)
	}
	return alpha(v)
}

func (q Quote) amountOut(v uint64) string {
	if q.Side == "buy" {
		return alpha(v)
	}
	return tao(v)
}

// ppmPercent renders parts per million as a percentage without trailing zeros (5000 → "0.5").
func ppmPercent(v uint64) string {
	s := strconv.FormatUint(v, 10)
	for len(s) <= 4 {
		s = "0" + s
	}
	w, f := s[:len(s)-4], strings.TrimRight(s[len(s)-4:], "0")
	if f == "" {
		return w
	}
	return w + "." + f
}

// Lines renders a quote for people.
func (q Quote) Lines() []Line {
	lines := []Line{
		{"price", tao(q.Price) + " per α"},
		{"you pay", q.amountIn(q.AmountIn)},
		{"swap fee", q.amountIn(q.SwapFee)},
		{"expected", q.amountOut(q.ExpectedOut)},
		{"slippage", fmt.Sprintf("%s%% (ideal %s)", ppmPercent(q.SlippagePPM), q.amountOut(q.IdealOut))},
		{"price after", fmt.Sprintf("%s per α (impact %s%%)", tao(q.PriceAfter), ppmPercent(q.ImpactPPM))},
	}
	switch {
	case q.Safe:
		partial := "fails if the price would pass it"
		if q.AllowPartial {
			partial = "fills partially up to it"
		}
		lines = append(lines, Line{"tolerance", fmt.Sprintf("%s%%: limit %s per α, %s", ppmPercent(q.TolerancePPM), tao(q.LimitPrice), partial)})
	case q.Price == protocol.RaoPerTAO && q.SwapFee == 0 && q.ExpectedOut == q.AmountIn:
		lines = append(lines, Line{"tolerance", "none needed (root stakes TAO 1:1)"})
	default:
		lines = append(lines, Line{"tolerance", "NONE (unsafe): the trade fills at any price"})
	}
	if q.Refund > 0 {
		lines = append(lines, Line{"unfilled", q.amountIn(q.Refund) + " stays with you"})
	}
	if !q.Exact {
		lines = append(lines, Line{"note", "the pool weight is derived from the rounded price: the expected amount is approximate"})
	}
	return lines
}
