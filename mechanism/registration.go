package mechanism

import (
	"fmt"
	"math/bits"
	"sort"
)

// Neuron registration price (Part B §4.1): the burn decays continuously every block by a Q32
// factor f with f^BurnHalfLife ≈ 1/2 and is multiplied by BurnIncreaseMult at each
// registration, always clamped to [MinBurn, MaxBurn].

// BurnParams are a subnet's registration-price hyperparameters.
type BurnParams struct {
	// HalfLife is BurnHalfLife in blocks (default 360; 0 disables the decay).
	HalfLife uint16
	// IncreaseMult is BurnIncreaseMult (U64F64, default 1.26; values below 1 count as 1).
	IncreaseMult U64F64
	// MinBurn and MaxBurn bound the price (defaults 500,000 rao and 100 TAO).
	MinBurn, MaxBurn uint64
}

// The default BurnIncreaseMult, 1.26 as U64F64 from the f64 literal (ties-to-even conversion):
// bits 0x1_428F5C28F5C29000.
const (
	defaultBurnIncreaseMultHi = 1
	defaultBurnIncreaseMultLo = 0x428F5C28F5C29000
)

// DefaultBurnParams are the new-subnet defaults: half-life 360 blocks, ×1.26 per registration,
// between 0.0005 and 100 TAO.
func DefaultBurnParams() BurnParams {
	return BurnParams{
		HalfLife:     360,
		IncreaseMult: U64F64FromBits(defaultBurnIncreaseMultHi, defaultBurnIncreaseMultLo),
		MinBurn:      500_000,
		MaxBurn:      100 * RaoPerTao,
	}
}

// DefaultBurn is a new subnet's starting registration price, 1 TAO.
const DefaultBurn uint64 = RaoPerTao

// MulQ32 is mul_by_q32: floor(v·f / 2^32), saturating at 2^64 − 1.
func MulQ32(v, f uint64) uint64 {
	hi, lo := bits.Mul64(v, f)
	if hi>>32 != 0 {
		return ^uint64(0)
	}
	return hi<<32 | lo>>32
}

// PowQ32 is pow_q32: base^exp in Q32 by square-and-multiply, each product floored with MulQ32
// (multiply into the result first, then square, as subtensor does).
func PowQ32(base uint64, exp uint64) uint64 {
	result := uint64(1) << 32
	factor := base
	for exp > 0 {
		if exp&1 == 1 {
			result = MulQ32(result, factor)
		}
		exp >>= 1
		if exp > 0 {
			factor = MulQ32(factor, factor)
		}
	}
	return result
}

// DecayFactorQ32 is decay_factor_q32: the largest Q32 factor f < 2^32 with
// PowQ32(f, halfLife) ≤ 2^31 (one half), by bisection; 1.0 (2^32) for halfLife 0.
// halfLife 360 gives 4,286,705,684 (≈ 0.99807644).
func DecayFactorQ32(halfLife uint16) uint64 {
	if halfLife == 0 {
		return 1 << 32
	}
	lo, hi := uint64(0), uint64(1)<<32
	for lo+1 < hi {
		mid := lo + (hi-lo)>>1
		if PowQ32(mid, uint64(halfLife)) > 1<<31 {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo
}

// DecayBurn is one block of update_registration_prices_for_networks for a subnet:
// burn·f (MulQ32) if HalfLife > 0 and block > 1, then clamped to [MinBurn, MaxBurn].
// decayFactor is DecayFactorQ32(p.HalfLife), passed in so a caller can compute it once.
func DecayBurn(burn uint64, block uint64, decayFactor uint64, p BurnParams) uint64 {
	next := burn
	if p.HalfLife > 0 && block > 1 {
		next = MulQ32(burn, decayFactor)
	}
	return clampBurn(next, p)
}

// BumpBurn is bump_registration_price_after_registration: floor(U64F64(burn)·max(mult, 1))
// clamped to [MinBurn, MaxBurn]. It runs right after each successful registration.
func BumpBurn(burn uint64, p BurnParams) uint64 {
	mult := p.IncreaseMult.Max(U64F64One)
	return clampBurn(U64F64FromU64(burn).SaturatingMul(mult).SaturatingToU64(), p)
}

func clampBurn(v uint64, p BurnParams) uint64 {
	if v < p.MinBurn {
		v = p.MinBurn
	}
	if v > p.MaxBurn {
		v = p.MaxBurn
	}
	return v
}

// CheckBurnLimit is register_limit's price check: the current burn must not exceed the limit.
func CheckBurnLimit(burn, limit uint64) error {
	if burn > limit {
		return fmt.Errorf("burn %d rao, limit %d rao: %w", burn, limit, ErrRegistrationPriceLimit)
	}
	return nil
}

// Network (subnet) registration (Part B §4.4).

// LockParams are the subnet-registration lock hyperparameters.
type LockParams struct {
	// MinLock is the floor of the lock cost (runtime initial 1000 TAO).
	MinLock uint64
	// ReductionInterval is the number of blocks over which the doubled price decays back
	// linearly (runtime initial 100,800; later 57,600).
	ReductionInterval uint64
}

// DefaultLockParams are the runtime's initial values: 1000 TAO floor, 100,800 blocks.
func DefaultLockParams() LockParams {
	return LockParams{MinLock: 1000 * RaoPerTao, ReductionInterval: 100_800}
}

// NetworkLockCost is get_network_lock_cost: with m = 2 if a subnet was ever registered
// (lastLockBlock ≠ 0) else 1,
//
//	lock = max(MinLock, lastLock·m − (lastLock / ReductionInterval)·(block − lastLockBlock))
//
// in saturating integer arithmetic (lastLock/0 = 0). After a registration the chain stores
// lastLock = the cost paid and lastLockBlock = block, so the price doubles and then decays.
func NetworkLockCost(lastLock, lastLockBlock, block uint64, p LockParams) uint64 {
	mult := uint64(1)
	if lastLockBlock != 0 {
		mult = 2
	}
	var perBlock uint64
	if p.ReductionInterval != 0 {
		perBlock = lastLock / p.ReductionInterval
	}
	cost := satSub64(satMul64(lastLock, mult), satMul64(perBlock, satSub64(block, lastLockBlock)))
	return max(cost, p.MinLock)
}

// MedianPrice is get_median_subnet_alpha_price over the spot prices of the other subnets:
// zero prices are skipped; the middle price of the sorted rest, or the mean of the two middle
// ones (U64F64 (a+b)/2, truncating) for an even count; 1.0 when there is none.
func MedianPrice(prices []U64F64) U64F64 {
	var ps []U64F64
	for _, p := range prices {
		if !p.IsZero() {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return U64F64One
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Less(ps[j]) })
	lo, hi := ps[(len(ps)-1)/2], ps[len(ps)/2]
	if len(ps)%2 == 1 {
		return hi
	}
	return lo.SaturatingAdd(hi).SafeDiv(U64F64FromU64(2))
}

// SeedPool returns the new subnet's pool: TAO reserve max(lockPaid, MinLock) and alpha reserve
// that TAO divided by the median price of the other subnets (U64F64, floor), at weight 0.5, so
// the new subnet starts at about the median price. SubnetAlphaOut starts at 0.
func SeedPool(lockPaid uint64, median U64F64, p LockParams) Pool {
	tao := max(lockPaid, p.MinLock)
	alpha := U64F64FromU64(tao).SafeDiv(median).SaturatingToU64()
	return NewPool(tao, alpha)
}

// Owner bounds of the registration-price parameters (Part B §4.1).
const (
	// MaxBurnHalfLife is the longest half-life an owner may set, in blocks.
	MaxBurnHalfLife uint16 = 36_100
	// MaxBurnIncreaseMult is the largest multiplier an owner may set (3.0).
	MaxBurnIncreaseMult uint64 = 3
)

// ValidateBurnParams checks the owner's bounds: HalfLife in [1, 36,100], IncreaseMult in [1, 3],
// MinBurn < 1 TAO and < MaxBurn, MaxBurn > 0.1 TAO and > MinBurn. It wraps ErrInvalidBurnParams.
func ValidateBurnParams(p BurnParams) error {
	switch {
	case p.HalfLife < 1 || p.HalfLife > MaxBurnHalfLife:
		return fmt.Errorf("half-life %d blocks outside [1, %d]: %w", p.HalfLife, MaxBurnHalfLife, ErrInvalidBurnParams)
	case p.IncreaseMult.Less(U64F64One) || U64F64FromU64(MaxBurnIncreaseMult).Less(p.IncreaseMult):
		return fmt.Errorf("increase multiplier %s outside [1, 3]: %w", p.IncreaseMult, ErrInvalidBurnParams)
	case p.MinBurn >= RaoPerTao || p.MinBurn >= p.MaxBurn:
		return fmt.Errorf("min burn %d rao must be below 1 TAO and below max burn %d: %w", p.MinBurn, p.MaxBurn, ErrInvalidBurnParams)
	case p.MaxBurn <= RaoPerTao/10:
		return fmt.Errorf("max burn %d rao must exceed 0.1 TAO: %w", p.MaxBurn, ErrInvalidBurnParams)
	}
	return nil
}
