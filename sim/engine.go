package sim

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Options tune a simulation.
type Options struct {
	// Realtime waits for the chain's own producer instead of producing blocks with Advance:
	// the simulation moves at the producer's pace so that a TUI can watch it. The caller
	// makes sure a producer runs.
	Realtime bool
	// Progress, if set, receives one line per setup step, from the simulation's goroutine.
	Progress func(msg string)
	// Buffer is the capacity of the reports channel (default 64). A consumer that falls behind
	// slows the simulation down; it never loses reports (Wait drains what is left).
	Buffer int
}

// Simulation is a running scenario. Start returns one; Reports streams each epoch, Pause and
// Resume hold it between epochs, Wait returns the full report.
type Simulation struct {
	c    chainclient.Client
	mods chainclient.Client
	sc   *Scenario
	opts Options
	tx   *txSender

	reports chan EpochReport
	done    chan struct{}
	report  Report
	err     error

	mu      sync.Mutex
	paused  bool
	resume  chan struct{}
	subnets []*subnetState
	start   time.Time
}

// subnetState is the simulation's view of one subnet.
type subnetState struct {
	spec      *SubnetSpec
	netuid    uint16
	owner     keyPair
	ownerTeam string // "" when the owner is a group neuron
	neurons   []*neuron
	tempo     int    // epochs observed; -1 before the baseline
	nextEpoch uint64 // block of the next epoch to observe
	lastEpoch uint64
	consensus []uint16
	uidOf     map[wallet.AccountID]uint16
	pending   EpochReport // weights counters for the epoch to come
	rep       *SubnetReport
	done      bool
	// Commit-reveal (read after setup): validators commit their row's hash and reveal it in
	// the commit's reveal epoch instead of calling set_weights.
	commitReveal bool
	tempoLen     uint16
	revealPeriod uint64
}

// neuron is one simulated key pair.
type neuron struct {
	g       *GroupSpec
	index   int
	keys    keyPair
	rng     *splitMix64
	commits []weightsCommit // unrevealed, oldest first
}

// weightsCommit is a committed row waiting for its reveal epoch.
type weightsCommit struct {
	block              uint64 // the block that included the commit (0 until known)
	uids, values, salt []uint16
}

func (n *neuron) label() string { return n.g.Name + "[" + strconv.Itoa(n.index) + "]" }

// Run starts the scenario and returns its reports; the channel closes when the simulation
// ends (Tempos epochs per subnet, ctx cancelled, or a failure). Use Start for the final
// report, pausing and the error.
func Run(ctx context.Context, c chainclient.Client, sc *Scenario, opts Options) (<-chan EpochReport, error) {
	s, err := Start(ctx, c, sc, opts)
	if err != nil {
		return nil, err
	}
	return s.Reports(), nil
}

// Start validates the scenario, derives its keys and runs it in the background on c: setup
// (subnets, hyperparameters, funding, registration, stake) then Tempos epochs per subnet.
func Start(ctx context.Context, c chainclient.Client, sc *Scenario, opts Options) (*Simulation, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	if opts.Buffer <= 0 {
		opts.Buffer = 64
	}
	info, err := c.Info(ctx)
	if err != nil {
		return nil, err
	}
	s := &Simulation{
		c: c, mods: c, sc: sc, opts: opts,
		reports: make(chan EpochReport, opts.Buffer), done: make(chan struct{}),
		resume: make(chan struct{}), start: time.Now(),
	}
	s.tx = &txSender{c: c, realtime: opts.Realtime, genesis: info.GenesisHash, nonces: map[wallet.AccountID]uint64{}}
	s.report = Report{Scenario: sc.Name, Seed: sc.Seed, Tempos: sc.Tempos, Endpoint: c.Endpoint(), Realtime: opts.Realtime, FirstBlock: info.Height}
	if err := s.deriveKeys(); err != nil {
		s.zero()
		return nil, err
	}
	go s.run(ctx)
	return s, nil
}

// Reports streams one EpochReport per observed epoch (the baseline included); it closes when
// the simulation ends.
func (s *Simulation) Reports() <-chan EpochReport { return s.reports }

// Done is closed when the simulation has ended.
func (s *Simulation) Done() <-chan struct{} { return s.done }

// Wait blocks until the simulation ends and returns its report (partial on error). It
// consumes the reports nobody has read, so a caller that only wants the final report need not
// read Reports; a caller that does should finish reading before calling Wait.
func (s *Simulation) Wait() (*Report, error) {
	for range s.reports {
	}
	<-s.done
	return &s.report, s.err
}

// Pause holds the simulation before its next step (the chain itself keeps its producer).
func (s *Simulation) Pause() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.paused {
		s.paused = true
		s.resume = make(chan struct{})
	}
}

// Resume lets a paused simulation go on.
func (s *Simulation) Resume() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.paused {
		s.paused = false
		close(s.resume)
	}
}

// Paused reports whether the simulation is paused.
func (s *Simulation) Paused() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused
}

func (s *Simulation) waitIfPaused(ctx context.Context) error {
	s.mu.Lock()
	paused, ch := s.paused, s.resume
	s.mu.Unlock()
	if !paused {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Simulation) progress(format string, a ...any) {
	if s.opts.Progress != nil {
		s.opts.Progress(fmt.Sprintf(format, a...))
	}
}

func (s *Simulation) deriveKeys() error {
	byName := map[string]*subnetState{}
	for i := range s.sc.Subnets {
		sp := &s.sc.Subnets[i]
		st := &subnetState{spec: sp, tempo: -1, uidOf: map[wallet.AccountID]uint16{}}
		st.rep = &SubnetReport{Name: sp.Name, StakeScale: 1}
		s.subnets = append(s.subnets, st)
		byName[sp.Name] = st
		if sp.OwnerGroup == "" {
			k, err := deriveKeys(OwnerSURI(s.sc, sp.Name, "coldkey"), OwnerSURI(s.sc, sp.Name, "hotkey"))
			if err != nil {
				return fmt.Errorf("derive the owner key of subnet %s: %w", sp.Name, err)
			}
			st.owner, st.ownerTeam = k, defaultOwnerTeam
		}
	}
	for gi := range s.sc.Groups {
		g := &s.sc.Groups[gi]
		st := byName[g.Subnet]
		for i := range g.Count {
			k, err := deriveKeys(NeuronSURI(s.sc, g.Name, i, "coldkey"), NeuronSURI(s.sc, g.Name, i, "hotkey"))
			if err != nil {
				return fmt.Errorf("derive the keys of %s[%d]: %w", g.Name, i, err)
			}
			n := &neuron{g: g, index: i, keys: k, rng: newRand(s.sc.Seed, g.Name+"/"+strconv.Itoa(i))}
			st.neurons = append(st.neurons, n)
			if st.spec.OwnerGroup == g.Name && i == 0 {
				st.owner = k
			}
		}
	}
	return nil
}

// zero wipes every derived secret.
func (s *Simulation) zero() {
	for _, st := range s.subnets {
		if st.ownerTeam != "" {
			st.owner.zero()
		}
		for _, n := range st.neurons {
			n.keys.zero()
		}
	}
}

func (s *Simulation) run(ctx context.Context) {
	defer close(s.done)
	defer close(s.reports)
	defer s.zero()
	err := s.setup(ctx)
	if err == nil {
		err = s.loop(ctx)
	}
	s.report.ElapsedMs = time.Since(s.start).Milliseconds()
	if info, ierr := s.c.Info(context.WithoutCancel(ctx)); ierr == nil {
		s.report.LastBlock = info.Height
	}
	for _, st := range s.subnets {
		st.rep.Netuid = st.netuid
		st.rep.Final = summarize(st.rep.Epochs, s.teams(st))
		s.report.Subnets = append(s.report.Subnets, *st.rep)
	}
	s.err = err
}

// teams lists the report teams of a subnet: the scenario's, then "owner" for a separate
// owner key, then "other" if foreign uids were seen.
func (s *Simulation) teams(st *subnetState) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range st.neurons {
		if t := n.g.team(); !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	if st.ownerTeam != "" && !seen[st.ownerTeam] {
		out = append(out, st.ownerTeam)
	}
	return out
}

// ---- setup ----

const (
	feeMarginTxs  = 16           // fees every coldkey can pay besides its registration and stake
	ownerMargin   = 10 * 1e9     // rao on top of the lock cost for the owner
	regCostMargin = 105          // percent of the predicted worst registration burn funded
	maxFaucet     = 1_000_000e9  // rao: one faucet call's cap
	maxRegFunding = 10_000_000e9 // rao: never fund more than this for a registration
)

func (s *Simulation) setup(ctx context.Context) error {
	info, err := s.c.Info(ctx)
	if err != nil {
		return err
	}
	sudo, err := chainclient.DevKeyFor(info.Sudo)
	if err != nil {
		return fmt.Errorf("%w: the simulation funds its keys and sets hyperparameters with sudo: %w", ErrSetup, err)
	}
	defer sudo.Zero()
	s.tx.blocks = func(n uint64) { s.report.SetupBlocks += n }
	defer func() { s.tx.blocks = nil }()
	fee := info.TxFee

	// 1. Owners: fund the lock and create the subnets.
	lock, err := s.mods.NetworkLockCost(ctx)
	if err != nil {
		return fmt.Errorf("%w: read the subnet lock cost: %w", ErrSetup, err)
	}
	var fund []pendingCall
	for i, st := range s.subnets {
		amount := satMul(lock, 1<<min(i+1, 20)) + ownerMargin
		fund = append(fund, faucetCalls(sudo, st.owner.cold.AccountID(), amount, "fund the owner of subnet "+st.spec.Name)...)
	}
	s.progress("funding %d subnet owner(s) (lock cost %s)", len(s.subnets), protocol.FormatTAO(lock))
	if _, err := s.tx.mustSucceed(ctx, fund); err != nil {
		return err
	}
	var create []pendingCall
	for _, st := range s.subnets {
		create = append(create, pendingCall{key: st.owner.cold, call: protocol.RegisterNetwork{Hotkey: st.owner.hot.AccountID()},
			what: "register subnet " + st.spec.Name})
	}
	infos, err := s.tx.mustSucceed(ctx, create)
	if err != nil {
		return err
	}
	for i, st := range s.subnets {
		netuid, ok := eventNetuid(infos[i], "NetworkAdded")
		if !ok {
			return fmt.Errorf("%w: register subnet %s: no NetworkAdded event in its receipt", ErrSetup, st.spec.Name)
		}
		st.netuid = netuid
		s.progress("subnet %s is netuid %d", st.spec.Name, netuid)
	}

	// 2. Hyperparameters (sudo: no owner bounds or rate limits).
	var hyper []pendingCall
	for i, st := range s.subnets {
		cur, err := s.mods.Hyperparameters(ctx, st.netuid)
		if err != nil {
			return err
		}
		for _, name := range hyperOrder(st.spec.Hyperparameters, cur) {
			v := uint64(st.spec.Hyperparameters[name])
			hyper = append(hyper, pendingCall{key: sudo, call: protocol.SetHyperparameter{Netuid: st.netuid, Name: name, Value: v},
				what: fmt.Sprintf("subnets[%d].hyperparameters.%s = %d", i, name, v)})
		}
	}
	if len(hyper) > 0 {
		s.progress("setting %d hyperparameter(s)", len(hyper))
		if _, err := s.tx.mustSucceed(ctx, hyper); err != nil {
			return err
		}
	}

	// 3. Fund every neuron: its worst-case registration burn, its stake and fees; validators'
	// hotkeys pay the fees of their weights.
	fund = fund[:0]
	for _, st := range s.subnets {
		reg, err := s.registrationBudget(ctx, st)
		if err != nil {
			return err
		}
		for _, n := range st.neurons {
			amount := fee*feeMarginTxs + info.ExistentialDeposit // keep-alive after staking everything
			if !s.isOwnerNeuron(st, n) {
				amount += reg
			}
			fund = append(fund, faucetCalls(sudo, n.keys.cold.AccountID(), amount, "fund "+n.label())...)
			if n.g.Role == RoleValidator {
				hot := fee * uint64(2*s.sc.Tempos+feeMarginTxs) // a commit and a reveal per tempo
				fund = append(fund, faucetCalls(sudo, n.keys.hot.AccountID(), hot, "fund the hotkey of "+n.label())...)
			}
		}
	}
	s.progress("funding %d neuron key(s)", len(fund))
	if _, err := s.tx.mustSucceed(ctx, fund); err != nil {
		return err
	}

	// 4. Register the setup groups, group by group (uids follow the scenario's order).
	var regs []pendingCall
	for _, st := range s.subnets {
		for _, n := range st.neurons {
			if n.g.RegisterAtTempo == 0 && !s.isOwnerNeuron(st, n) {
				regs = append(regs, registerCall(st, n))
			}
		}
	}
	s.progress("registering %d neuron(s)", len(regs))
	if _, err := s.tx.mustSucceed(ctx, regs); err != nil {
		return err
	}

	// 5. Start emission and stake in the same block (staking needs a started subnet; until the
	// stake lands, the owner would be the only neuron with stake and take every epoch), at a
	// fair price per TAO (see stakeCalls): fund each staker with its amount first.
	var stakes []pendingCall
	fund = fund[:0]
	starts := 0
	for _, st := range s.subnets {
		sn, err := s.mods.Subnet(ctx, st.netuid)
		if err != nil {
			return err
		}
		if !sn.Started {
			stakes = append(stakes, pendingCall{key: st.owner.cold, call: protocol.StartCall{Netuid: st.netuid}, what: "start subnet " + st.spec.Name})
			starts++
		}
	}
	for _, st := range s.subnets {
		calls, err := s.stakeCalls(ctx, st)
		if err != nil {
			return err
		}
		for _, c := range calls {
			fund = append(fund, faucetCalls(sudo, c.key.AccountID(), c.call.(protocol.AddStake).Amount, "fund the "+c.what)...)
		}
		stakes = append(stakes, calls...)
	}
	if len(fund) > 0 {
		s.progress("funding the stake of %d hotkey(s)", len(stakes)-starts)
		if _, err := s.tx.mustSucceed(ctx, fund); err != nil {
			return err
		}
	}
	s.progress("starting emission and staking on %d hotkey(s)", len(stakes)-starts)
	if _, err := s.tx.mustSucceed(ctx, stakes); err != nil {
		return err
	}
	for _, st := range s.subnets {
		sn, err := s.mods.Subnet(ctx, st.netuid)
		if err != nil {
			return err
		}
		if sn.NextEpochBlock == 0 {
			return fmt.Errorf("%w: subnet %s has tempo 0 and never runs an epoch: set a tempo", ErrSetup, st.spec.Name)
		}
		st.nextEpoch = sn.NextEpochBlock
		h, err := s.mods.Hyperparameters(ctx, st.netuid)
		if err != nil {
			return err
		}
		st.commitReveal, st.tempoLen, st.revealPeriod = h.CommitReveal, h.Tempo, h.RevealPeriodEpochs
	}
	return nil
}

func (s *Simulation) isOwnerNeuron(st *subnetState, n *neuron) bool {
	return st.spec.OwnerGroup == n.g.Name && n.index == 0
}

func registerCall(st *subnetState, n *neuron) pendingCall {
	return pendingCall{key: n.keys.cold, call: protocol.BurnedRegister{Netuid: st.netuid, Hotkey: n.keys.hot.AccountID()},
		what: "register " + n.label()}
}

// registrationBudget predicts the highest burn any registration of the scenario can meet on
// st: the current burn bumped once per planned registration, capped by max_burn.
func (s *Simulation) registrationBudget(ctx context.Context, st *subnetState) (uint64, error) {
	sn, err := s.mods.Subnet(ctx, st.netuid)
	if err != nil {
		return 0, err
	}
	h, err := s.mods.Hyperparameters(ctx, st.netuid)
	if err != nil {
		return 0, err
	}
	cost := max(sn.BurnCost, h.MinBurn)
	for range len(st.neurons) {
		next := new(big.Int).Mul(new(big.Int).SetUint64(cost), new(big.Int).SetUint64(h.BurnIncreaseMultPPM))
		next.Quo(next, big.NewInt(1_000_000))
		if !next.IsUint64() || next.Uint64() >= h.MaxBurn {
			cost = h.MaxBurn
			break
		}
		cost = next.Uint64()
	}
	cost = min(cost, h.MaxBurn, maxRegFunding)
	return satMul(cost, regCostMargin) / 100, nil
}

// stakeCalls stakes the neurons' Stake on their own hotkeys. Buying through the pool one after
// the other would give the first buyers more alpha per TAO; instead the scenario's total TAO is
// split so that each neuron's alpha is proportional to its Stake, as if all had bought at the
// average price (constant-product arithmetic on the pool's reserves; the fee is added back).
func (s *Simulation) stakeCalls(ctx context.Context, st *subnetState) ([]pendingCall, error) {
	var stakers []*neuron
	var want []uint64
	for _, n := range interleave(st.neurons) {
		if n.g.Stake > 0 && n.g.RegisterAtTempo == 0 {
			stakers = append(stakers, n)
			want = append(want, uint64(n.g.Stake))
		}
	}
	if len(stakers) == 0 {
		return nil, nil
	}
	sn, err := s.mods.Subnet(ctx, st.netuid)
	if err != nil {
		return nil, err
	}
	h, err := s.mods.Hyperparameters(ctx, st.netuid)
	if err != nil {
		return nil, err
	}
	gp, err := s.mods.GlobalParams(ctx)
	if err != nil {
		return nil, err
	}
	scale, err := FitStakes(sn.TaoIn, sn.AlphaIn, h.FeeRate, gp["minimum_reserve"], gp["min_stake"], want)
	if err != nil {
		return nil, fmt.Errorf("%w: subnet %s (netuid %d, price %s TAO per alpha): %w", ErrSetup, st.spec.Name, st.netuid,
			protocol.FormatTAO(priceRao(sn.TaoIn, sn.AlphaIn)), err)
	}
	st.rep.StakeScale = scale
	if scale < 1 {
		for i := range want {
			want[i] = uint64(float64(want[i]) * scale)
		}
		s.progress("subnet %s: its pool (%s TAO, %s alpha) cannot sell the scenario's stake without going below the minimum reserve: every stake is scaled to %.4g%% of the scenario's TAO",
			st.spec.Name, protocol.FormatTAO(sn.TaoIn), protocol.FormatTAO(sn.AlphaIn), 100*scale)
	}
	amounts := StakeAmounts(sn.TaoIn, sn.AlphaIn, h.FeeRate, want)
	calls := make([]pendingCall, 0, len(stakers))
	for i, n := range stakers {
		if amounts[i] == 0 {
			continue
		}
		calls = append(calls, pendingCall{key: n.keys.cold,
			call: protocol.AddStake{Hotkey: n.keys.hot.AccountID(), Netuid: st.netuid, Amount: amounts[i]},
			what: "stake on " + n.label()})
	}
	return calls, nil
}

// priceRao is the pool's spot price in rao of TAO per alpha.
func priceRao(taoIn, alphaIn uint64) uint64 {
	if alphaIn == 0 {
		return 0
	}
	p := new(big.Int).Mul(new(big.Int).SetUint64(taoIn), big.NewInt(1e9))
	p.Quo(p, new(big.Int).SetUint64(alphaIn))
	if !p.IsUint64() {
		return ^uint64(0)
	}
	return p.Uint64()
}

// ErrStakeDoesNotFit is wrapped when a scenario's stakes cannot be bought from a subnet's pool
// at its current reserves, even scaled down.
var ErrStakeDoesNotFit = errors.New("the scenario's stake cannot fit this pool")

// FitStakes returns the factor (in (0, 1]) by which the stakes want (TAO) must be scaled so
// that buying all of them through a pool with reserves taoIn and alphaIn (fee feeRate/65535)
// leaves at least twice the chain's minimum alpha reserve in the pool (the chain refuses a
// swap below it; the margin covers the buys' order and rounding). Scaling keeps every ratio
// between the stakes. It fails, saying why, when even the smallest stake scaled that way
// would fall below min stake, or when the pool holds less than twice the minimum reserve.
// On a fresh devnet the shipped scenarios fit (factor 1); on a chain where earlier activity
// drove prices up, a new subnet's pool is seeded with little alpha (lock / median price).
func FitStakes(taoIn, alphaIn uint64, feeRate uint16, minReserve, minStake uint64, want []uint64) (float64, error) {
	var total, smallest uint64
	for _, w := range want {
		total += w
		if w > 0 && (smallest == 0 || w < smallest) {
			smallest = w
		}
	}
	if total == 0 || taoIn == 0 || alphaIn == 0 {
		return 1, nil
	}
	floor := 2 * minReserve
	if alphaIn <= floor {
		return 0, fmt.Errorf("%w: the pool holds %s alpha, not above twice the minimum reserve %s; nothing can be bought (run the scenario on a fresh devnet)",
			ErrStakeDoesNotFit, protocol.FormatTAO(alphaIn), protocol.FormatTAO(minReserve))
	}
	// Reserve after buying with net TAO X: A·T/(T+X) ≥ floor ⇔ X ≤ T·(A−floor)/floor.
	T, A := new(big.Float).SetUint64(taoIn), new(big.Float).SetUint64(alphaIn)
	maxNet := new(big.Float).Quo(new(big.Float).Mul(T, new(big.Float).Sub(A, new(big.Float).SetUint64(floor))), new(big.Float).SetUint64(floor))
	maxGross, _ := new(big.Float).Quo(new(big.Float).Mul(maxNet, big.NewFloat(65535)), big.NewFloat(float64(65535-int(feeRate)))).Float64()
	if float64(total) <= maxGross {
		return 1, nil
	}
	scale := maxGross / float64(total) * 0.999 // stay clear of the bound
	if float64(smallest)*scale < float64(minStake) {
		return 0, fmt.Errorf("%w: at most %s TAO can be staked before the pool's alpha falls to the minimum reserve, the scenario stakes %s TAO, and scaled down its smallest stake would be %s TAO, below the minimum stake %s (lower the groups' stake or run on a fresh devnet)",
			ErrStakeDoesNotFit, protocol.FormatTAO(uint64(maxGross)), protocol.FormatTAO(total), protocol.FormatTAO(uint64(float64(smallest)*scale)), protocol.FormatTAO(minStake))
	}
	return scale, nil
}

// StakeAmounts returns the TAO each buyer should send, in order, through a constant-product
// pool with reserves taoIn and alphaIn and a fee of feeRate/65535 on the input, so that the
// alpha each receives is proportional to want[i] and the total spent is Σ want (later buyers pay
// more TAO, as the price rises under them).
func StakeAmounts(taoIn, alphaIn uint64, feeRate uint16, want []uint64) []uint64 {
	out := make([]uint64, len(want))
	T, A := new(big.Int).SetUint64(taoIn), new(big.Int).SetUint64(alphaIn)
	if T.Sign() == 0 || A.Sign() == 0 {
		copy(out, want)
		return out
	}
	total := new(big.Int)
	for _, w := range want {
		total.Add(total, new(big.Int).SetUint64(w))
	}
	keep := big.NewInt(int64(65535 - int(feeRate)))
	full := big.NewInt(65535)
	net := new(big.Int).Quo(new(big.Int).Mul(total, keep), full) // TAO that reaches the pool
	// Total alpha out: Y = A·X/(T+X).
	Y := new(big.Int).Quo(new(big.Int).Mul(A, net), new(big.Int).Add(T, net))
	cum := new(big.Int)
	prevGross := new(big.Int)
	for i, w := range want {
		cum.Add(cum, new(big.Int).SetUint64(w))
		// Alpha owed to buyers 0..i: Y·cum/total; the net TAO that buys it: T·y/(A−y).
		y := new(big.Int).Quo(new(big.Int).Mul(Y, cum), total)
		den := new(big.Int).Sub(A, y)
		if den.Sign() <= 0 {
			den.SetInt64(1)
		}
		x := new(big.Int).Quo(new(big.Int).Mul(T, y), den)
		gross := new(big.Int).Quo(new(big.Int).Mul(x, full), keep)
		d := new(big.Int).Sub(gross, prevGross)
		if d.Sign() > 0 && d.IsUint64() {
			out[i] = d.Uint64()
		}
		prevGross = gross
	}
	return out
}

// interleave orders neurons round-robin across their groups (g0[0], g1[0], g0[1], ...).
func interleave(ns []*neuron) []*neuron {
	var groups [][]*neuron
	idx := map[*GroupSpec]int{}
	for _, n := range ns {
		i, ok := idx[n.g]
		if !ok {
			i = len(groups)
			idx[n.g] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], n)
	}
	out := make([]*neuron, 0, len(ns))
	for k := 0; len(out) < len(ns); k++ {
		for _, g := range groups {
			if k < len(g) {
				out = append(out, g[k])
			}
		}
	}
	return out
}

// hyperOrder orders hyperparameter names so that each value passes the chain's checks against
// the others when they are applied in order: switches first (liquid_alpha before the alpha
// values), then each pair with a bound between them (max_allowed_uids ≥ max_allowed_validators,
// max_burn > min_burn, alpha_high ≥ alpha_low) in the order that never crosses cur's value, then
// the rest by name.
func hyperOrder(h map[string]HyperValue, cur protocol.Hyperparams) []string {
	rank := map[string]int{"liquid_alpha": 0, "yuma3": 1}
	if v, ok := h["max_allowed_validators"]; ok && uint64(v) <= uint64(cur.MaxAllowedUids) {
		rank["max_allowed_validators"], rank["max_allowed_uids"] = 2, 3
	} else {
		rank["max_allowed_uids"], rank["max_allowed_validators"] = 2, 3
	}
	if v, ok := h["min_burn"]; ok && uint64(v) < cur.MaxBurn {
		rank["min_burn"], rank["max_burn"] = 4, 5
	} else {
		rank["max_burn"], rank["min_burn"] = 4, 5
	}
	if v, ok := h["alpha_low"]; ok && uint64(v) <= uint64(cur.AlphaHigh) {
		rank["alpha_low"], rank["alpha_high"] = 6, 7
	} else {
		rank["alpha_high"], rank["alpha_low"] = 6, 7
	}
	names := sortedKeys(h)
	sort.SliceStable(names, func(i, j int) bool {
		a, aok := rank[names[i]]
		b, bok := rank[names[j]]
		switch {
		case aok && bok:
			return a < b
		case aok != bok:
			return aok
		}
		return false
	})
	return names
}

func faucetCalls(sudo *wallet.Keypair, to wallet.AccountID, amount uint64, what string) []pendingCall {
	var out []pendingCall
	for amount > 0 {
		a := min(amount, maxFaucet)
		out = append(out, pendingCall{key: sudo, call: protocol.Faucet{To: to, Amount: a}, what: what})
		amount -= a
	}
	return out
}

func eventNetuid(info *protocol.TxInfo, name string) (uint16, bool) {
	for _, ev := range info.Events {
		if ev.Name == name {
			v, err := strconv.ParseUint(ev.Attr("netuid"), 10, 16)
			return uint16(v), err == nil
		}
	}
	return 0, false
}

func satMul(a, b uint64) uint64 {
	if a != 0 && b > ^uint64(0)/a {
		return ^uint64(0)
	}
	return a * b
}

// ---- the epoch loop ----

func (s *Simulation) loop(ctx context.Context) error {
	for {
		if err := s.waitIfPaused(ctx); err != nil {
			return err
		}
		var target uint64
		for _, st := range s.subnets {
			if !st.done && (target == 0 || st.nextEpoch < target) {
				target = st.nextEpoch
			}
		}
		if target == 0 {
			return nil
		}
		if err := s.advanceTo(ctx, target); err != nil {
			return err
		}
		head, err := s.c.Info(ctx)
		if err != nil {
			return err
		}
		var calls []pendingCall
		var owners []*subnetState
		for _, st := range s.subnets {
			if st.done || st.nextEpoch > target {
				continue
			}
			if err := s.observe(ctx, st); err != nil {
				return err
			}
			if st.done {
				continue
			}
			c := s.act(st, head.Height+1)
			for range c {
				owners = append(owners, st)
			}
			calls = append(calls, c...)
		}
		if len(calls) > 0 {
			infos, rejects, err := s.tx.run(ctx, calls)
			if err != nil {
				return err
			}
			for i, pc := range calls {
				st := owners[i]
				isWeights, isCommit := false, false
				switch pc.call.(type) {
				case protocol.SetWeights, protocol.RevealWeights:
					isWeights = true
				case protocol.CommitWeights:
					isCommit = true
				}
				var fail string
				switch {
				case rejects[i] != nil:
					fail = rejects[i].Error()
				case !infos[i].Receipt.OK():
					fail = fmt.Sprintf("%s: %s: %s", pc.what, infos[i].Receipt.CodeName, infos[i].Receipt.Message)
				}
				switch {
				case fail == "" && isWeights:
					st.pending.WeightsSet++
				case fail != "" && (isWeights || isCommit):
					st.pending.WeightsFailed++
				case fail == "" && isCommit:
					st.pending.Commits++
				}
				if pc.included != nil {
					pc.included(infos[i], fail == "")
				}
				if fail != "" && len(st.pending.Failures) < 5 {
					st.pending.Failures = append(st.pending.Failures, fail)
				}
			}
		}
		for _, st := range s.subnets {
			if st.done || st.nextEpoch > target {
				continue
			}
			sn, err := s.mods.Subnet(ctx, st.netuid)
			if err != nil {
				return err
			}
			st.nextEpoch = sn.NextEpochBlock
			if st.nextEpoch <= target {
				return fmt.Errorf("subnet %s: next epoch block %d is not after %d", st.spec.Name, st.nextEpoch, target)
			}
		}
	}
}

// advanceTo brings the chain to height (no-op if it is there already).
func (s *Simulation) advanceTo(ctx context.Context, height uint64) error {
	info, err := s.c.Info(ctx)
	if err != nil {
		return err
	}
	if info.Height >= height {
		return nil
	}
	if !s.opts.Realtime {
		_, err := s.c.Advance(ctx, height-info.Height, nil)
		return err
	}
	sub, err := s.c.Subscribe(ctx, chainclient.SubscribeOptions{})
	if err != nil {
		return err
	}
	defer sub.Cancel()
	// A head may have landed between Info and Subscribe.
	if info, err = s.c.Info(ctx); err != nil || info.Height >= height {
		return err
	}
	for {
		select {
		case ev, ok := <-sub.C:
			if !ok {
				if err := sub.Err(); err != nil {
					return err
				}
				return errors.New("the chain's head subscription ended")
			}
			if ev.Header.Height >= height {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// observe reads the subnet after an epoch and emits its report.
func (s *Simulation) observe(ctx context.Context, st *subnetState) error {
	mg, err := s.mods.Metagraph(ctx, st.netuid)
	if err != nil {
		return err
	}
	sn, err := s.mods.Subnet(ctx, st.netuid)
	if err != nil {
		return err
	}
	st.tempo++
	st.lastEpoch = sn.LastEpoch
	clear(st.uidOf)
	st.consensus = make([]uint16, len(mg.Neurons))
	for _, n := range mg.Neurons {
		st.uidOf[n.Hotkey] = n.UID
		st.consensus[n.UID] = n.Consensus
	}
	teamOf := map[wallet.AccountID]string{}
	for _, n := range st.neurons {
		teamOf[n.keys.hot.AccountID()] = n.g.team()
	}
	if st.ownerTeam != "" {
		teamOf[st.owner.hot.AccountID()] = st.ownerTeam
	}
	rep := st.pending
	st.pending = EpochReport{}
	rep.Subnet, rep.Netuid, rep.Tempo, rep.Block = st.spec.Name, st.netuid, st.tempo, sn.LastEpoch
	idx := map[string]int{}
	for _, t := range s.teams(st) {
		idx[t] = len(rep.Teams)
		rep.Teams = append(rep.Teams, TeamShare{Team: t})
	}
	for _, n := range mg.Neurons {
		rep.TotalStake += n.Stake
		rep.TotalEmission += n.Emission
		t, ok := teamOf[n.Hotkey]
		if !ok {
			t = "other"
		}
		i, ok := idx[t]
		if !ok {
			i = len(rep.Teams)
			idx[t] = i
			rep.Teams = append(rep.Teams, TeamShare{Team: t})
		}
		rep.Teams[i].Neurons++
		rep.Teams[i].Stake += n.Stake
		rep.Teams[i].Emission += n.Emission
	}
	for i := range rep.Teams {
		rep.Teams[i].StakeShare = share(rep.Teams[i].Stake, rep.TotalStake)
		rep.Teams[i].EmissionShare = share(rep.Teams[i].Emission, rep.TotalEmission)
	}
	st.rep.Epochs = append(st.rep.Epochs, rep)
	if st.tempo >= s.sc.Tempos {
		st.done = true
	}
	select {
	case s.reports <- rep:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// act returns the transactions of the tempo to come (tempo st.tempo+1), for inclusion in block
// next: late registrations and every validator's weights (set, or revealed and committed).
func (s *Simulation) act(st *subnetState, next uint64) []pendingCall {
	t := st.tempo + 1
	var calls []pendingCall
	for _, n := range st.neurons {
		if n.g.RegisterAtTempo == t {
			calls = append(calls, registerCall(st, n))
			st.pending.Registrations++
		}
	}
	// What the validators measure: the quality of each serving miner.
	nUIDs := len(st.consensus)
	for _, n := range st.neurons {
		if n.g.Role != RoleValidator {
			continue
		}
		self, ok := st.uidOf[n.keys.hot.AccountID()]
		if !ok || stopped(n.g.StopAtTempo, n.g.StopCount, n.index, t) {
			continue
		}
		if st.commitReveal {
			calls = append(calls, s.reveals(st, n, next)...)
		}
		var uids, values []uint16
		switch n.g.Behaviour.Kind {
		case KindHonest:
			uids, values = HonestWeights(self, s.measure(st, t-n.g.Behaviour.Lag, t), n.g.Behaviour.Noise, n.rng)
		case KindCopier:
			uids, values = CopierWeights(self, st.consensus)
		case KindCabal:
			uids, values = CabalWeights(self, s.targetUIDs(st, n.g.Behaviour.Targets), nUIDs)
		}
		if uids == nil {
			continue
		}
		if st.commitReveal {
			calls = append(calls, s.commit(st, n, uids, values))
			continue
		}
		calls = append(calls, pendingCall{key: n.keys.hot, call: protocol.SetWeights{Netuid: st.netuid, Uids: uids, Values: values},
			what: "weights of " + n.label()})
	}
	return calls
}

// commit returns the commit of a row with a fresh salt; the row waits in n.commits for its
// reveal epoch once the commit is included.
func (s *Simulation) commit(st *subnetState, n *neuron, uids, values []uint16) pendingCall {
	salt := make([]uint16, 4)
	for i := range salt {
		salt[i] = uint16(n.rng.next())
	}
	hash := protocol.WeightsCommitHash(n.keys.hot.AccountID(), st.netuid, uids, values, salt, 0)
	wc := weightsCommit{uids: uids, values: values, salt: salt}
	return pendingCall{key: n.keys.hot, call: protocol.CommitWeights{Netuid: st.netuid, Hash: hash},
		what: "weights commit of " + n.label(),
		included: func(info *protocol.TxInfo, ok bool) {
			if ok {
				wc.block = info.Height
				n.commits = append(n.commits, wc)
			}
		}}
}

// reveals returns the reveals of n's commits whose reveal window holds block next, and drops
// the commits whose window has passed.
func (s *Simulation) reveals(st *subnetState, n *neuron, next uint64) []pendingCall {
	var out []pendingCall
	keep := n.commits[:0]
	for _, c := range n.commits {
		first, last := mechanism.RevealBlocks(st.netuid, st.tempoLen, st.revealPeriod, c.block)
		switch {
		case next < first:
			keep = append(keep, c)
		case next <= last:
			out = append(out, pendingCall{key: n.keys.hot,
				call: protocol.RevealWeights{Netuid: st.netuid, Uids: c.uids, Values: c.values, Salt: c.salt},
				what: "weights reveal of " + n.label()})
		}
	}
	n.commits = keep
	return out
}

// stopped reports whether neuron index of a group that stops at tempo `at` (count 0 = all) is
// stopped at tempo t.
func stopped(at, count, index, t int) bool {
	return at > 0 && t >= at && (count == 0 || index < count)
}

// measure returns, per uid, what an evaluator at tempo now sees with its view of quality at
// tempo qualityTempo (a lagging evaluator sees old quality; offline is seen at once).
func (s *Simulation) measure(st *subnetState, qualityTempo, now int) []Measurement {
	m := make([]Measurement, len(st.consensus))
	for _, n := range st.neurons {
		if n.g.Role != RoleMiner {
			continue
		}
		uid, ok := st.uidOf[n.keys.hot.AccountID()]
		if !ok || stopped(n.g.OfflineAtTempo, n.g.OfflineCount, n.index, now) {
			continue
		}
		m[uid] = Measurement{Serving: true, Quality: n.g.Quality.At(max(qualityTempo, 0))}
	}
	return m
}

func (s *Simulation) targetUIDs(st *subnetState, groups []string) []uint16 {
	var out []uint16
	for _, n := range st.neurons {
		for _, g := range groups {
			if n.g.Name == g {
				if uid, ok := st.uidOf[n.keys.hot.AccountID()]; ok {
					out = append(out, uid)
				}
			}
		}
	}
	return out
}
