// Package mechanism is the pure mathematics of the market: fixed-point types with subtensor's
// rounding rules, the Yuma Consensus epoch, emission, the subnet pools and registration pricing.
// It does no I/O, reads no clock, uses no randomness and no float64 in consensus paths.
package mechanism
