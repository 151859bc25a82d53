package sim

// Behaviours are pure functions from what a validator observes to the weight row it sends with
// set_weights: uids ascending, u16 values (the chain max-upscales the row). A nil row means
// "send nothing this tempo".

// Measurement is what an evaluating validator learns of one uid.
type Measurement struct {
	// Serving is false for uids that answer no queries: validators, offline miners, keys the
	// scenario does not know.
	Serving bool
	// Quality is the hidden quality in parts per million (as the validator's lag sees it).
	Quality uint32
}

// fractionToU16 maps parts per million onto 0..65535.
func fractionToU16(ppm uint32) uint16 {
	if ppm >= uint32(FractionOne) {
		return 65535
	}
	return uint16(uint64(ppm) * 65535 / uint64(FractionOne))
}

// triangular draws an integer in [-n, n] with a triangular distribution (the mean of two
// uniform draws), peaked at 0.
func triangular(r *splitMix64, n uint32) int64 {
	if n == 0 {
		return 0
	}
	span := 2*uint64(n) + 1
	a := int64(r.intn(span)) - int64(n)
	b := int64(r.intn(span)) - int64(n)
	return (a + b) / 2
}

// HonestWeights is an honest validator's row: every uid but self, weighted by its measured
// quality plus a triangular error in [-noise, +noise] (parts per million, clamped to [0, 1]).
// Uids that do not serve get an explicit 0, as validators that score the whole metagraph send.
// The draws happen in uid order, one pair per serving uid, so a run is reproducible.
func HonestWeights(self uint16, m []Measurement, noise Fraction, r *splitMix64) (uids, values []uint16) {
	nonzero := false
	for uid, x := range m {
		if uint16(uid) == self {
			continue
		}
		v := uint16(0)
		if x.Serving {
			q := int64(x.Quality) + triangular(r, uint32(noise))
			q = max(0, min(q, int64(FractionOne)))
			v = fractionToU16(uint32(q))
		}
		uids = append(uids, uint16(uid))
		values = append(values, v)
		nonzero = nonzero || v > 0
	}
	if !nonzero {
		return nil, nil
	}
	return uids, values
}

// CopierWeights is a lazy validator's row: the consensus of the last epoch (as stored, u16) on
// every uid but self. With no consensus yet (all zero) it sends nothing.
func CopierWeights(self uint16, consensus []uint16) (uids, values []uint16) {
	nonzero := false
	for uid, c := range consensus {
		if uint16(uid) == self {
			continue
		}
		uids = append(uids, uint16(uid))
		values = append(values, c)
		nonzero = nonzero || c > 0
	}
	if !nonzero {
		return nil, nil
	}
	return uids, values
}

// CabalWeights is a cabal validator's row: the same full weight on each of its own miners
// (targets, any order) and nothing on anyone else.
func CabalWeights(self uint16, targets []uint16, n int) (uids, values []uint16) {
	in := make([]bool, n)
	for _, t := range targets {
		if int(t) < n && t != self {
			in[t] = true
		}
	}
	for uid, ok := range in {
		if ok {
			uids = append(uids, uint16(uid))
			values = append(values, 65535)
		}
	}
	return uids, values
}
