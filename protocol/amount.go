package protocol

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Amounts. On the wire (transactions, node JSON) an amount is an integer number of rao; people
// write and read TAO. ParseTAO and TAODecimal/FormatTAO are the one grammar between the two,
// used by the CLI, the console and scenario files (docs/json.md, "Amounts of TAO"):
//
//	amount   = whole [ "." fraction ] [ suffix ]      surrounding spaces are ignored
//	whole    = digits, '_' allowed between two digits ("1_000"), or thousands grouped by ','
//	           ("1,000", "12,345,678.5": groups of exactly three digits after the first)
//	fraction = 1 to 9 digits ('_' allowed between two digits)
//	suffix   = "TAO" (any case) or "τ", optionally after a space
//
// No sign, no exponent, no leading or trailing '.', at most 18446744073.709551615 TAO (2^64-1
// rao). Parsing never goes through floating point.

// Token constants of the devnet (spec/chain.md).
const (
	// RaoPerTAO is the number of base units in one TAO (9 decimals).
	RaoPerTAO uint64 = 1_000_000_000
	// MaxSupply is the cap on total issuance: 21,000,000 TAO.
	MaxSupply uint64 = 21_000_000 * RaoPerTAO
	// TokenSymbol is the token's ticker.
	TokenSymbol = "TAO"
	// TokenDecimals is the number of decimals of one TAO.
	TokenDecimals = 9
)

// Amount is an amount in rao. It marshals as an integer (the wire form); String renders it as
// TAO ("1.5 TAO").
type Amount uint64

// String renders the amount as FormatTAO does.
func (a Amount) String() string { return FormatTAO(uint64(a)) }

// ErrInvalidAmount is wrapped by every ParseTAO error.
var ErrInvalidAmount = errors.New("invalid amount")

// ParseTAO parses a TAO amount (the grammar above) into rao exactly. Errors wrap
// ErrInvalidAmount and say what to write instead.
func ParseTAO(s string) (uint64, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalidAmount, s, fmt.Sprintf(format, a...))
	}
	t := strings.TrimSpace(s)
	if len(t) >= 3 && strings.EqualFold(t[len(t)-3:], "tao") {
		t = strings.TrimSpace(t[:len(t)-3])
	} else if u, ok := strings.CutSuffix(t, "τ"); ok {
		t = strings.TrimSpace(u)
	}
	if t == "" {
		return 0, bad("give a number of TAO such as 1.5")
	}
	if t[0] == '-' {
		return 0, bad("amounts cannot be negative")
	}
	if t[0] == '+' {
		return 0, bad("write the amount without a sign")
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if hasDot && frac == "" {
		return 0, bad("nothing after the decimal point")
	}
	if whole == "" {
		return 0, bad("write a digit before the decimal point (0.5, not .5)")
	}
	digits := func(part, what string) (string, error) {
		if part[0] == '_' || part[len(part)-1] == '_' || strings.Contains(part, "__") {
			return "", bad("'_' may only separate digits")
		}
		out := strings.ReplaceAll(part, "_", "")
		for _, r := range out {
			if r < '0' || r > '9' {
				return "", bad("%q is not a digit (the %s must be digits; no exponents)", r, what)
			}
		}
		return out, nil
	}
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		if len(groups[0]) < 1 || len(groups[0]) > 3 || strings.Contains(whole, "_") {
			return 0, bad("',' separates thousands (1,000 or 12,345.5); the decimal point is '.'")
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, bad("',' separates thousands (1,000 or 12,345.5); the decimal point is '.'")
			}
		}
		whole = strings.Join(groups, "")
	}
	w, err := digits(whole, "whole part")
	if err != nil {
		return 0, err
	}
	var f string
	if hasDot {
		if strings.Contains(frac, ",") {
			return 0, bad("',' cannot appear after the decimal point")
		}
		if f, err = digits(frac, "fraction"); err != nil {
			return 0, err
		}
		if len(f) > TokenDecimals {
			return 0, bad("TAO has 9 decimals; %d given", len(f))
		}
	}
	wv, err := strconv.ParseUint(w, 10, 64)
	if err != nil || wv > math.MaxUint64/RaoPerTAO {
		return 0, bad("too large")
	}
	var fv uint64
	if f != "" {
		fv, _ = strconv.ParseUint(f+strings.Repeat("0", TokenDecimals-len(f)), 10, 64) // ≤ 999,999,999
	}
	rao := wv * RaoPerTAO
	if rao > math.MaxUint64-fv {
		return 0, bad("too large")
	}
	return rao + fv, nil
}

// TAODecimal renders rao as a TAO decimal with the trailing zeros of the fraction dropped:
// "1.5", "0", "0.000000001", "21000000". ParseTAO reads it back exactly.
func TAODecimal(rao uint64) string {
	whole, frac := rao/RaoPerTAO, rao%RaoPerTAO
	if frac == 0 {
		return strconv.FormatUint(whole, 10)
	}
	f := strings.TrimRight(fmt.Sprintf("%09d", frac), "0")
	return strconv.FormatUint(whole, 10) + "." + f
}

// FormatTAO renders rao as TAO with up to 9 decimals and the unit ("1.5 TAO",
// "0.000000001 TAO").
func FormatTAO(rao uint64) string { return TAODecimal(rao) + " " + TokenSymbol }
