package tui

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadAmount: an amount is not a TAO number with at most 9 decimals.
var ErrBadAmount = errors.New("amounts are TAO with up to 9 decimals, like 1.5 or 0.000000001")

// ParseTAO parses a TAO amount exactly (never through float64) into rao. Thousands
// separators (commas, underscores) and a trailing τ or TAO are allowed; negative, empty,
// too many decimals or overflowing amounts are errors.
func ParseTAO(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(t, "τ"), "TAO"))
	t = strings.NewReplacer(",", "", "_", "").Replace(t)
	if t == "" {
		return 0, fmt.Errorf("the amount is empty: %w", ErrBadAmount)
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("%q is not an amount: %w", s, ErrBadAmount)
	}
	if len(frac) > 9 {
		return 0, fmt.Errorf("%q has %d decimals: %w", s, len(frac), ErrBadAmount)
	}
	if whole == "" {
		whole = "0"
	}
	w, ok := parseUint(whole)
	if !ok {
		return 0, fmt.Errorf("%q is not an amount (or is too large): %w", s, ErrBadAmount)
	}
	f := uint64(0)
	if frac != "" {
		v, ok := parseUint(frac + strings.Repeat("0", 9-len(frac)))
		if !ok {
			return 0, fmt.Errorf("%q is not an amount: %w", s, ErrBadAmount)
		}
		f = v
	}
	if w > (^uint64(0)-f)/raoPerTAO {
		return 0, fmt.Errorf("%q is too large: %w", s, ErrBadAmount)
	}
	return w*raoPerTAO + f, nil
}
