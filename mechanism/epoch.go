package mechanism

import (
	"math"
	"math/bits"
)

// ConsensusMode selects how an epoch turns weights into incentive.
type ConsensusMode string

// Consensus modes.
const (
	// ConsensusYuma is today's subtensor epoch: κ-stake weighted median, clipping, bonds.
	ConsensusYuma ConsensusMode = "yuma"
	// ConsensusWhitepaper is the sigmoid consensus of the whitepaper era (I = R·C), §7.2. It
	// uses classic bonds on the unclipped weights; yuma3, liquidAlpha and bondsPenalty are
	// ignored, kappa and rho are used.
	ConsensusWhitepaper ConsensusMode = "whitepaper"
)

// Hyperparameters are the per-subnet parameters the epoch reads (JSON names as in
// spec/mechanism.md Part A). Omitted JSON fields take DefaultHyperparameters' values.
type Hyperparameters struct {
	Tempo                     uint16        `json:"tempo"`
	Kappa                     uint16        `json:"kappa"`
	BondsPenalty              uint16        `json:"bondsPenalty"`
	BondsMovingAverage        uint64        `json:"bondsMovingAverage"`
	Yuma3                     bool          `json:"yuma3"`
	LiquidAlpha               bool          `json:"liquidAlpha"`
	AlphaLow                  uint16        `json:"alphaLow"`
	AlphaHigh                 uint16        `json:"alphaHigh"`
	AlphaSigmoidSteepness     int16         `json:"alphaSigmoidSteepness"`
	MaxAllowedValidators      uint16        `json:"maxAllowedValidators"`
	ActivityCutoffFactorMilli uint32        `json:"activityCutoffFactorMilli"`
	StakeThreshold            uint64        `json:"stakeThreshold"`
	ConsensusMode             ConsensusMode `json:"consensusMode"`
	Rho                       uint16        `json:"rho"`
	// CommitReveal is CommitRevealWeightsEnabled: when set, the epoch drops weight (i, j) if
	// validator i holds an unexpired weights commit made before uid j's registration
	// (Neuron.CommitBlock < j's RegisteredAt). It masks the weights of both consensus modes.
	// Default false. An extension of Part A's schema (`"commitReveal"`).
	CommitReveal bool `json:"commitReveal"`
}

// DefaultHyperparameters returns subtensor's runtime defaults (Part B §4.5): tempo 360,
// κ = 32767, β = 65535, bonds moving average 900,000 (α = 0.1), Yuma3 and liquid alpha off,
// alpha (45875, 58982), steepness 1000, 128 validators, activity factor 13,889 (5000 blocks at
// tempo 360), stake threshold 0, Yuma consensus, ρ = 10.
func DefaultHyperparameters() Hyperparameters {
	return Hyperparameters{
		Tempo:                     360,
		Kappa:                     32767,
		BondsPenalty:              65535,
		BondsMovingAverage:        900_000,
		AlphaLow:                  45875,
		AlphaHigh:                 58982,
		AlphaSigmoidSteepness:     1000,
		MaxAllowedValidators:      128,
		ActivityCutoffFactorMilli: 13_889,
		ConsensusMode:             ConsensusYuma,
		Rho:                       10,
	}
}

// ActivityCutoff is the number of blocks after its last update that a uid stays active:
// max(1, floor(factor·tempo / 1000)).
func (h Hyperparameters) ActivityCutoff() uint64 {
	c := uint64(h.ActivityCutoffFactorMilli) * uint64(h.Tempo) / 1000
	return max(c, 1)
}

// UIDValue is one (uid, value) pair of a stored u16 row; JSON `[uid, value]`.
type UIDValue struct {
	UID   uint16
	Value uint16
}

// Neuron is one uid's state as the epoch reads it.
type Neuron struct {
	UID uint16 `json:"uid"`
	// Stake is the raw stake weight in rao: alpha + tao_weight·root, already combined.
	Stake           uint64 `json:"stake"`
	LastUpdate      uint64 `json:"lastUpdate"`
	RegisteredAt    uint64 `json:"registeredAt"`
	ValidatorPermit bool   `json:"validatorPermit"` // from the previous epoch
	// Weights is the stored u16 row (already max-upscaled), in storage order.
	Weights []UIDValue `json:"weights"`
	// Bonds is the stored u16 bond row, in storage order.
	Bonds []UIDValue `json:"bonds"`
	// CommitBlock is the block of this uid's oldest unexpired weights commit, nil when it holds
	// none (subtensor's u64::MAX). Read only when Hyperparameters.CommitReveal is set.
	CommitBlock *uint64 `json:"commitBlock,omitempty"`
}

// EpochInput is one subnet's state at the block its epoch runs (Part A's input schema).
type EpochInput struct {
	Block       uint64 `json:"block"`
	RaoEmission uint64 `json:"raoEmission"`
	// LastMechanismStepBlock is the block of the last epoch; 0 means last_tempo = block − tempo.
	LastMechanismStepBlock uint64          `json:"lastMechanismStepBlock"`
	OwnerUID               *uint16         `json:"ownerUid"`
	Hyperparameters        Hyperparameters `json:"hyperparameters"`
	Neurons                []Neuron        `json:"neurons"`
}

// NeuronOutput is one uid's epoch result; proportions are u16 as stored (floor(x·65535)).
type NeuronOutput struct {
	UID               uint16     `json:"uid"`
	Active            bool       `json:"active"`
	StakeWeight       uint16     `json:"stakeWeight"`
	Rank              uint16     `json:"rank"`
	Trust             uint16     `json:"trust"`
	Consensus         uint16     `json:"consensus"`
	Incentive         uint16     `json:"incentive"`
	Dividends         uint16     `json:"dividends"`
	ValidatorTrust    uint16     `json:"validatorTrust"`
	ServerEmission    uint64     `json:"serverEmission"`
	ValidatorEmission uint64     `json:"validatorEmission"`
	Emission          uint64     `json:"emission"`
	ValidatorPermit   bool       `json:"validatorPermit"` // the new permit, for the next epoch
	Bonds             []UIDValue `json:"bonds"`           // the new stored bond row
}

// EpochOutput is the result of one epoch, per uid in order.
type EpochOutput struct {
	Neurons []NeuronOutput `json:"neurons"`

	bondBacking []UIDValue // the one array Neurons' bond rows are cut from (ReleaseOutput)
}

// Epoch runs one epoch of the subnet described by in, exactly as subtensor's sparse
// epoch_mechanism (Part B §1) or, with consensusMode "whitepaper", the sigmoid epoch of §7.2.
// It is a pure function; invalid input returns a *FieldError naming the JSON path.
func Epoch(in EpochInput) (EpochOutput, error) {
	if err := in.Validate(); err != nil {
		return EpochOutput{}, err
	}
	return runEpoch(&in), nil
}

// epochState carries the vectors shared by every mode.
type epochState struct {
	in        *EpochInput
	hp        Hyperparameters
	n         int
	owner     int // −1 when there is no owner uid
	active    []bool
	inactive  []bool
	reg       []uint64
	stake     []I32F32 // S: normalised stake (I64F64 → I32F32)
	permitOld []bool
	permitNew []bool
	activeStk []I32F32 // A
	weights   SparseMatrix
	// weightsSorted: every row of weights is in strictly ascending column order.
	weightsSorted bool
	lastTempo     uint64
	arena         *arena // scratch for intermediate matrices; nil allocates
}

// prepare runs steps 1–5 of §1.2: activity, stake, permits, active stake and masked,
// row-normalised weights.
func prepare(in *EpochInput) *epochState { return prepareIn(in, nil) }

// prepareIn is prepare with the intermediate matrices taken from a (nil allocates).
func prepareIn(in *EpochInput, a *arena) *epochState {
	n := len(in.Neurons)
	hp := in.Hyperparameters
	st := &epochState{in: in, hp: hp, n: n, owner: -1, arena: a}
	if in.OwnerUID != nil {
		st.owner = int(*in.OwnerUID)
	}
	// 1. Activity: inactive when last_update + cutoff < block (strict).
	cutoff := hp.ActivityCutoff()
	st.active = make([]bool, n)
	st.inactive = make([]bool, n)
	st.reg = make([]uint64, n)
	for i := range in.Neurons {
		nr := &in.Neurons[i]
		st.inactive[i] = satAddU64(nr.LastUpdate, cutoff) < in.Block
		st.active[i] = !st.inactive[i]
		st.reg[i] = nr.RegisteredAt
	}
	// 2. Stake: I64F64 totals, threshold (owner exempt), normalise, narrow to I32F32 (floor).
	total := make([]I64F64, n)
	for i := range in.Neurons {
		nr := &in.Neurons[i]
		t := I64F64FromU64(nr.Stake)
		if i != st.owner && t.SaturatingToU64() < hp.StakeThreshold {
			t = I64F64Zero
		}
		total[i] = t
	}
	InplaceNormalize64(total)
	st.stake = a.takeVals(n)
	for i := range total {
		st.stake[i] = total[i].ToI32F32()
	}
	// 3. Permits: old ones mask this epoch, new ones (top-k non-zero stake) are stored. The owner
	// always holds one.
	st.permitOld = make([]bool, n)
	for i := range in.Neurons {
		nr := &in.Neurons[i]
		st.permitOld[i] = nr.ValidatorPermit
	}
	st.permitNew = IsTopKNonzero(st.stake, int(hp.MaxAllowedValidators))
	if st.owner >= 0 {
		st.permitOld[st.owner] = true
		st.permitNew[st.owner] = true
	}
	// 4. Active stake: S with inactive and non-permitted uids zeroed, normalised.
	st.activeStk = a.takeVals(n)
	for i := range st.stake {
		if !st.inactive[i] && st.permitOld[i] {
			st.activeStk[i] = st.stake[i]
		}
	}
	InplaceNormalize(st.activeStk)
	// 5. Weights: rows of permitted validators only, no self-weight (except the owner's), no
	// weight set at or before the target's registration (outdated mask), with commit-reveal on
	// no weight from a validator holding an unexpired commit older than the target's
	// registration (commit-reveal mask), then row-normalised.
	st.weights = allocRows(st.arena, n, func(i int) int {
		if !st.permitOld[i] {
			return 0
		}
		return len(in.Neurons[i].Weights)
	})
	st.weightsSorted = true
	for i := range in.Neurons {
		nr := &in.Neurons[i]
		if !st.permitOld[i] || len(nr.Weights) == 0 {
			continue
		}
		row := st.weights[i][:len(nr.Weights)]
		k, last := 0, -1
		var sum int64
		commitBlock := uint64(math.MaxUint64) // no unexpired commit: nothing is masked
		if hp.CommitReveal && nr.CommitBlock != nil {
			commitBlock = *nr.CommitBlock
		}
		for _, w := range nr.Weights {
			j := int(w.UID)
			if j == i && i != st.owner {
				continue
			}
			if nr.LastUpdate <= st.reg[j] {
				continue
			}
			if commitBlock < st.reg[j] {
				continue
			}
			if j <= last {
				st.weightsSorted = false
			}
			last = j
			row[k] = SparseEntry{Col: w.UID, Value: I32F32FromU16(w.Value)}
			k++
			sum += int64(w.Value) << i32f32Frac
		}
		st.weights[i] = row[:k]
		// InplaceRowNormalizeSparse with the exact row sum made above.
		if sum > 0 {
			s := I32F32{sum}
			for c := range row[:k] {
				if d, ok := quoPos(row[c].Value, s); ok {
					row[c].Value = d
				} else {
					row[c].Value = row[c].Value.SafeDiv(s)
				}
			}
		}
	}
	// Bond masking horizon: the block after the last epoch, or block − tempo.
	if in.LastMechanismStepBlock != 0 {
		st.lastTempo = satAddU64(in.LastMechanismStepBlock, 1)
	} else if in.Block > uint64(hp.Tempo) {
		st.lastTempo = in.Block - uint64(hp.Tempo)
	}
	return st
}

// maskedBondsRead reads the stored bond rows, dropping bonds on uids registered at or after
// last_tempo (their old bonds are forgotten). With integer (the classic reading) each u16 is an
// I32F32 integer and colSum is ColSumSparse of the result, summed in the same order; otherwise
// (Yuma3's reading) each u16 is a proportion of 65535 and colSum is nil. sorted reports whether
// every row is in strictly ascending column order (sortedRows). The reading is chosen per cell
// by a branch the CPU predicts, not a call through a function value.
func (st *epochState) maskedBondsRead(integer bool) (b SparseMatrix, colSum []I32F32, sorted bool) {
	b = allocRows(st.arena, st.n, func(i int) int { return len(st.in.Neurons[i].Bonds) })
	if integer {
		colSum = st.arena.takeVals(st.n)
	}
	sorted = true
	reg := st.reg
	for i := range st.in.Neurons {
		nr := &st.in.Neurons[i]
		if len(nr.Bonds) == 0 {
			continue
		}
		row := b[i][:len(nr.Bonds)]
		k, last := 0, -1
		for _, e := range nr.Bonds {
			if st.lastTempo <= reg[e.UID] {
				continue
			}
			if int(e.UID) <= last {
				sorted = false
			}
			last = int(e.UID)
			var v I32F32
			if integer {
				v = I32F32FromU16(e.Value)
				colSum[e.UID] = colSum[e.UID].SaturatingAdd(v)
			} else {
				v = U16ProportionToFixed(e.Value)
			}
			row[k] = SparseEntry{Col: e.UID, Value: v}
			k++
		}
		b[i] = row[:k]
	}
	return b, colSum, sorted
}

// epochResult collects the I32F32 outputs before conversion.
type epochResult struct {
	rank, trust, consensus, incentive, dividends, validatorTrust []I32F32
	bonds                                                        SparseMatrix // rows to store
	// bondScale, when not nil, divides each stored bond cell by bondScale[column] first
	// (SafeDiv; columns whose scale is 0 unchanged): the classic column max-upscale.
	bondScale []I32F32
}

func runEpoch(in *EpochInput) EpochOutput {
	a := getArena()
	defer putArena(a)
	st := prepareIn(in, a)
	var res epochResult
	if st.hp.ConsensusMode == ConsensusWhitepaper {
		res = st.whitepaper()
	} else {
		res = st.yuma()
	}
	return st.finish(res)
}

// yuma runs steps 6–11 of §1.2.
func (st *epochState) yuma() epochResult {
	n := st.n
	// 6. Consensus: κ-stake weighted median of each column.
	kappa := U16ProportionToFixed(st.hp.Kappa)
	consensus := weightedMedianColSparse(st.arena, st.activeStk, st.weights, n, kappa)
	// 10's β, read first: with β = 1 (the default) the weights for bonds are W̄ itself, and
	// classic Yuma's ΔB_ij = W̄_ij·A_i is exactly the product step 9 adds into rank j (the
	// floored product is symmetric), summed per column in the same order: clipAndRank then
	// stores those products instead of W̄ and the ranks before normalisation are ΔB's column
	// sums.
	// With β = 0 the weights for bonds are W and W̄ itself is not needed.
	beta := U16ProportionToFixed(st.hp.BondsPenalty)
	fusedDelta := !st.hp.Yuma3 && beta == I32F32One
	keep := clipValues
	switch {
	case fusedDelta:
		keep = clipProducts
	case beta.bits == 0:
		keep = clipNone
	}
	// 7. Clip at consensus. 8. Validator trust = row sums of the clipped weights.
	// 9. Ranks of clipped weights; legacy trust = clipped / unclipped rank; incentive = normalised rank.
	clipped, vtrust, ranks, preranks := st.clipAndRank(consensus, keep)
	var deltaSum []I32F32
	if fusedDelta {
		deltaSum = st.arena.takeVals(n)
		copy(deltaSum, ranks)
	}
	trust := VecDiv(ranks, preranks)
	InplaceNormalize(ranks)
	incentive := ranks
	// 11. Bonds and dividends.
	var dividends, bondScale []I32F32
	var bonds SparseMatrix
	switch {
	case fusedDelta:
		dividends, bonds, bondScale = st.classicBondsDelta(clipped, deltaSum, st.weightsSorted, incentive)
	default:
		// 10. Weights for bonds: W + β·(W̄ − W) (W itself for β = 0, W̄ for β = 1).
		wb := st.weights
		if beta.bits != 0 {
			wb = interpolateSparse(st.arena, st.weights, clipped, n, beta)
		}
		if st.hp.Yuma3 {
			// W and W̄ keep W's row order; an interpolated row is checked where it is read.
			wbSorted := st.weightsSorted && (beta.bits == 0 || beta == I32F32One)
			dividends, bonds = st.yuma3Bonds(wb, wbSorted, consensus, incentive)
		} else {
			dividends, bonds, bondScale = st.classicBonds(wb, incentive)
		}
	}
	return epochResult{
		rank: incentive, trust: trust, consensus: consensus, incentive: incentive,
		dividends: dividends, validatorTrust: vtrust, bonds: bonds, bondScale: bondScale,
	}
}

// clipOutput selects the matrix clipAndRank returns.
type clipOutput int

const (
	clipValues   clipOutput = iota // W̄
	clipProducts                   // A_i·W̄_ij, classic ΔB for β = 1
	clipNone                       // nothing (β = 0: the bonds read W)
)

// clipAndRank is steps 7–9's matrix work in one pass over W: W̄ = ColClipSparse(W, C), the
// validator trust RowSumSparse(W̄), ranks MatmulSparse(W̄, A) and pre-ranks MatmulSparse(W, A).
// Each output is accumulated in the order its own helper uses (rows in order, cells in
// order), so every saturating sum is the same. keep says what clipped holds: W̄ (clipValues),
// each cell's rank product A_i·W̄_ij instead (clipProducts: the same cells, in the same
// order), or nothing (clipNone: clipped is nil).
func (st *epochState) clipAndRank(consensus []I32F32, keep clipOutput) (clipped SparseMatrix, vtrust, ranks, preranks []I32F32) {
	n, w := st.n, st.weights
	if keep != clipNone {
		clipped = allocRows(st.arena, len(w), func(i int) int { return len(w[i]) })
	}
	vtrust = st.arena.takeVals(len(w))
	ranks, preranks = st.arena.takeVals(n), st.arena.takeVals(n)
	consensus = consensus[:n]
	ranks, preranks = ranks[:n], preranks[:n]
	for i, r := range w {
		var s I32F32
		if i < len(st.activeStk) {
			s = st.activeStk[i]
		}
		var row []SparseEntry
		if keep != clipNone {
			row = clipped[i][:len(r)]
		}
		k := 0
		var sum int64
		for _, e := range r {
			c := int(e.Col)
			preranks[c] = preranks[c].SaturatingAdd(s.SaturatingMul(e.Value))
			// W̄_ij = min(W_ij, C_j), dropped when that is C_j <= 0 (a conditional move: whether
			// a cell is clipped is a coin toss the branch predictor would lose).
			th := consensus[c]
			if th.bits <= 0 && th.Less(e.Value) {
				continue
			}
			e.Value.bits = min(e.Value.bits, th.bits)
			sum += e.Value.bits
			p := s.SaturatingMul(e.Value)
			ranks[c] = ranks[c].SaturatingAdd(p)
			switch keep {
			case clipValues:
				row[k] = e
				k++
			case clipProducts:
				row[k] = SparseEntry{Col: e.Col, Value: p}
				k++
			}
		}
		if keep != clipNone {
			clipped[i] = row[:k]
		}
		vtrust[i] = I32F32{sum}
	}
	return clipped, vtrust, ranks, preranks
}

// finish runs steps 12–13: the emission split (with its fallbacks) and the u16 outputs.
func (st *epochState) finish(res epochResult) EpochOutput {
	n := st.n
	combined := st.arena.takeVals(n)
	for i := range combined {
		combined[i] = res.incentive[i].SaturatingAdd(res.dividends[i])
	}
	sumE := Sum(combined)
	server, validator := st.arena.takeVals(len(res.incentive)), st.arena.takeVals(len(res.dividends))
	copy(server, res.incentive)
	copy(validator, res.dividends)
	InplaceNormalizeUsingSum(server, sumE)
	InplaceNormalizeUsingSum(validator, sumE)
	InplaceNormalize(combined)
	if sumE.IsZero() {
		// No valid weights: emission follows active stake, or stake when none is active.
		fallback := st.activeStk
		if IsZeroVec(st.activeStk) {
			fallback = st.stake
		}
		copy(validator, fallback)
		copy(combined, fallback)
	}
	rao := st.in.RaoEmission
	toRao := func(x I32F32) uint64 { return raoShare(x, rao) }
	total := 0
	for i := range n {
		if st.permitNew[i] && i < len(res.bonds) {
			total += len(res.bonds[i])
		}
	}
	neurons, bondBacking := takeOutput(n, total) // every cell is written below
	out := EpochOutput{Neurons: neurons, bondBacking: bondBacking}
	for i := range out.Neurons {
		o := NeuronOutput{
			UID:               uint16(i),
			Active:            st.active[i],
			StakeWeight:       FixedProportionToU16(st.stake[i]),
			Rank:              FixedProportionToU16(res.rank[i]),
			Trust:             FixedProportionToU16(res.trust[i]),
			Consensus:         FixedProportionToU16(res.consensus[i]),
			Incentive:         FixedProportionToU16(res.incentive[i]),
			Dividends:         FixedProportionToU16(res.dividends[i]),
			ValidatorTrust:    FixedProportionToU16(res.validatorTrust[i]),
			ServerEmission:    toRao(server[i]),
			ValidatorEmission: toRao(validator[i]),
			Emission:          toRao(combined[i]),
			ValidatorPermit:   st.permitNew[i],
			Bonds:             []UIDValue{},
		}
		// Stored bonds: the new row for uids holding the new permit, otherwise empty.
		if st.permitNew[i] && i < len(res.bonds) {
			row := bondBacking[:len(res.bonds[i]):len(res.bonds[i])]
			bondBacking = bondBacking[len(res.bonds[i]):]
			storedBondRow(row, res.bonds[i], res.bondScale)
			o.Bonds = row
		}
		out.Neurons[i] = o
	}
	return out
}

func satAddU64(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}

// raoShare is x.ToI96F32().SaturatingMul(I96F32FromU64(rao)).SaturatingToU64(), subtensor's
// emission of a share x of rao: the I96F32 product of x's bits and rao·2^32 is x.bits·rao
// exactly (|x.bits·rao| < 2^127, no saturation, nothing to floor), and its integer part is
// that >> 32, 0 when negative, clamped to u64. TestRaoShareMatchesI96F32 checks it against the
// I96F32 arithmetic.
func raoShare(x I32F32, rao uint64) uint64 {
	if x.bits < 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(x.bits), rao)
	if hi >= 1<<32 {
		return math.MaxUint64
	}
	return hi<<32 | lo>>32
}
