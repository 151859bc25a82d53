package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// raoPerTAO is 10^9: TAO has 9 decimals.
const raoPerTAO = 1_000_000_000

// errInvalidAmount is wrapped by every parseTAO error (exit code 2).
var errInvalidAmount = errors.New("invalid amount")

// parseTAO parses a TAO amount into rao exactly, never through floating point: digits with an
// optional fraction of up to 9 digits ("1", "0.5", "1000.000000001"), '_' allowed between
// digits ("1_000"), and an optional "TAO" or "τ" suffix. Signs, exponents, more than 9
// decimals and amounts over 2^64-1 rao are errors wrapping errInvalidAmount.
func parseTAO(s string) (uint64, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %q: %s", errInvalidAmount, s, fmt.Sprintf(format, a...))
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
				return "", bad("%q is not a digit (the %s must be digits; no exponents, no commas)", r, what)
			}
		}
		return out, nil
	}
	w, err := digits(whole, "whole part")
	if err != nil {
		return 0, err
	}
	var f string
	if hasDot {
		if f, err = digits(frac, "fraction"); err != nil {
			return 0, err
		}
		if len(f) > 9 {
			return 0, bad("TAO has 9 decimals; %d given", len(f))
		}
	}
	wv, err := strconv.ParseUint(w, 10, 64)
	if err != nil || wv > math.MaxUint64/raoPerTAO {
		return 0, bad("too large")
	}
	var fv uint64
	if f != "" {
		fv, _ = strconv.ParseUint(f+strings.Repeat("0", 9-len(f)), 10, 64) // ≤ 999,999,999
	}
	rao := wv * raoPerTAO
	if rao > math.MaxUint64-fv {
		return 0, bad("too large")
	}
	return rao + fv, nil
}

// formatTAO renders rao as TAO with the trailing zeros of the fraction dropped: "1.5", "0",
// "0.000000001", "21000000". Human output appends " TAO"; JSON carries integer rao.
func formatTAO(rao uint64) string {
	whole, frac := rao/raoPerTAO, rao%raoPerTAO
	if frac == 0 {
		return strconv.FormatUint(whole, 10)
	}
	f := strings.TrimRight(fmt.Sprintf("%09d", frac), "0")
	return strconv.FormatUint(whole, 10) + "." + f
}
