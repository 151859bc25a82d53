package localchain

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/wallet"
)

// The block step of the subtensor module (Part B §2.2, Part A's choices), every block before
// the transactions:
//
//  1. registration price decay of every subnet (mechanism.DecayBurn), registrations counter reset;
//  2. block emission at the current issuance (mechanism.TaoBlockEmission), split over the
//     emitting subnets by moving price (mechanism.SubnetTaoEmissions);
//  3. per emitting subnet: injection and chain buy (mechanism.SubnetCoinbase): only the TAO that
//     enters the pool is minted (the rest is recycled, i.e. never minted); alpha_out goes to the
//     pending buckets;
//  4. epochs on the modulo schedule (mechanism.ShouldRunEpoch): the stored state is fed to
//     mechanism.Epoch, its outputs stored, then the drained buckets distributed
//     (mechanism.DistributeEmission);
//  5. moving price update of the emitting subnets (mechanism.UpdateMovingPrice).
//
// Every subnet whose epoch falls due runs it in this block (no MaxEpochsPerBlock deferral).
func subBlockStep(b *BlockContext) error { return subBlockStepWith(b, nil) }

// subBlockStepWith is the block step; capture, when not nil, sees every epoch run in the block
// once its results are applied (Chain.EpochAt).
func subBlockStepWith(b *BlockContext, capture func(*epochJob)) error {
	tx := b.State.tx
	p, err := getSubParams(tx)
	if err != nil {
		return err
	}
	nets, err := listSubnets(tx)
	if err != nil {
		return err
	}
	var root *subnet
	var emit []*subnet
	for _, n := range nets {
		if n.Stable {
			if n.Netuid == RootNetuid {
				root = n
			}
			continue
		}
		bp := n.burnParams()
		n.Burn = mechanism.DecayBurn(n.Burn, b.Height, mechanism.DecayFactorQ32(bp.HalfLife), bp)
		n.RegsThisBlock = 0
		if mechanism.SubnetEmitting(n.Netuid, n.started(), n.started(), n.H.RegistrationAllowed) {
			emit = append(emit, n)
		}
	}
	if root == nil {
		return fmt.Errorf("the root network is missing")
	}
	if err := coinbase(b, p, root, emit); err != nil {
		return err
	}
	var due []*subnet
	for _, n := range nets {
		if !n.Stable && mechanism.ShouldRunEpoch(n.Netuid, n.H.Tempo, b.Height) {
			due = append(due, n)
		}
	}
	if err := runEpochs(b, p, due, capture); err != nil {
		return err
	}
	mp := mechanism.MovingPriceParams{MovingAlpha: mechanism.I96F32FromBits(0, p.MovingAlphaBits), HalvingBlocks: p.EMAHalvingBlocks}
	for _, n := range emit {
		old := mechanism.SharePrice(n.Netuid, false, n.movingPrice())
		n.MovingPriceHi, n.MovingPriceLo = mechanism.UpdateMovingPrice(old, n.price(), b.Height, n.FirstEmission, mp).Bits()
	}
	for _, n := range nets {
		if n.Stable {
			continue
		}
		if err := putSubnet(b.State, n); err != nil {
			return err
		}
	}
	return nil
}

// shareInputs are the emission-share inputs of the emitting subnets.
func shareInputs(emit []*subnet) ([]mechanism.ShareInput, []mechanism.U64F64) {
	in := make([]mechanism.ShareInput, len(emit))
	prices := make([]mechanism.U64F64, len(emit))
	for i, n := range emit {
		prices[i] = mechanism.SharePrice(n.Netuid, false, n.movingPrice())
		in[i] = mechanism.ShareInput{Price: prices[i], MinerBurned: n.minerBurned(), EmissionDisabled: !n.H.EmissionEnabled}
	}
	return in, prices
}

// coinbase mints this block's TAO into the emitting subnets' pools and fills their pending
// buckets.
func coinbase(b *BlockContext, p subParams, root *subnet, emit []*subnet) error {
	if len(emit) == 0 {
		return nil
	}
	in, prices := shareInputs(emit)
	emission := mechanism.TaoBlockEmission(getTotalIssuance(b.State.tx))
	taoEm := mechanism.SubnetTaoEmissions(emission, in)
	rootSell := mechanism.RootSellFlag(prices)
	tw := p.taoWeight()
	var minted uint64
	for i, n := range emit {
		cut := mechanism.U96F32{}
		if n.H.OwnerCutEnabled {
			cut = mechanism.OwnerCutFraction(p.SubnetOwnerCut)
		}
		r := mechanism.SubnetCoinbase(mechanism.SubnetBlockInput{
			Pool: n.pool(), AlphaIssuance: n.alphaIssuance(), TaoEmission: taoEm[i],
			RootProp: mechanism.RootProportion(root.PoolTao, n.alphaIssuance(), tw),
			OwnerCut: cut, RootSell: rootSell, MinimumReserve: p.MinimumReserve,
		})
		if r.Pool.Tao < n.PoolTao || r.Pool.Tao-n.PoolTao != r.TaoInjected+r.ExcessTao {
			return fmt.Errorf("subnet %d coinbase moved the TAO reserve from %d to %d for %d injected and %d spent",
				n.Netuid, n.PoolTao, r.Pool.Tao, r.TaoInjected, r.ExcessTao)
		}
		minted += r.Pool.Tao - n.PoolTao
		n.setPool(r.Pool)
		n.ProtocolAlpha += r.BoughtAlpha
		sp := r.Split
		n.PendingOwner += sp.OwnerCut
		n.PendingServer += sp.Server
		n.PendingValidator += sp.Validator
		n.PendingRoot += sp.RootDivs
		n.AlphaOut += r.BoughtAlpha + sp.OwnerCut + sp.Server + sp.Validator + sp.RootDivs
	}
	if minted > emission {
		return fmt.Errorf("coinbase placed %d rao, more than the block emission %d", minted, emission)
	}
	if minted == 0 {
		return nil
	}
	b.Emit(subModule, "Coinbase", attrs("block_emission", u64a(emission), "minted", u64a(minted)))
	return mint(b.State, minted)
}

// uidStake is what the epoch and the distribution read about a uid's hotkey.
type uidStake struct {
	alpha, root uint64
	hk          hotkeyInfo
}

// epochInput reads a subnet's epoch input from state at block, with each uid's stake and
// hotkey record for the distribution. On a commit-reveal subnet each uid's oldest commit still
// unexpired at block is passed for the epoch's commit-reveal mask.
func epochInput(tx *bbolt.Tx, p subParams, n *subnet, block, rao uint64) (mechanism.EpochInput, []neuron, []uidStake, error) {
	neurons, err := loadNeurons(tx, n.Netuid, n.N)
	if err != nil {
		return mechanism.EpochInput{}, nil, nil, err
	}
	stakes := make([]uidStake, len(neurons))
	for i := range neurons {
		var ok bool
		if stakes[i].hk, ok = getHotkey(tx, neurons[i].Hotkey); !ok {
			return mechanism.EpochInput{}, nil, nil, fmt.Errorf("uid %d hotkey %s has no hotkey record", i, neurons[i].Hotkey)
		}
	}
	in, err := epochInputWith(tx, p, n, block, rao, neurons, stakes, nil, nil)
	return in, neurons, stakes, err
}

// epochInputWith is epochInput for the subnet's neurons and their hotkey records (stakes[i].hk)
// already read; it fills the rest of stakes. The hotkeys' alpha comes from pools when given (the
// subnet's pool records, loaded for the distribution), else from a walk of the pool records.
// With slabs not nil, the weight and bond rows are decoded into kept arrays, set in slabs for the
// caller to give back (keepRowSlab) when the input is no longer used.
func epochInputWith(tx *bbolt.Tx, p subParams, n *subnet, block, rao uint64, neurons []neuron, stakes []uidStake, pools *poolCache, slabs *[2][]mechanism.UIDValue) (mechanism.EpochInput, error) {
	in := mechanism.EpochInput{
		Block: block, RaoEmission: rao, LastMechanismStepBlock: n.LastEpoch,
		Hyperparameters: epochParams(&n.H, p.StakeThreshold),
		Neurons:         make([]mechanism.Neuron, len(neurons)),
	}
	if uid, ok := getUID(tx, n.Netuid, n.OwnerHotkey); ok {
		in.OwnerUID = &uid
	}
	// Root stake is read only when anyone stakes on root.
	root, _, err := getSubnet(tx, RootNetuid)
	if err != nil {
		return in, err
	}
	anyRoot := root != nil && root.PoolTao > 0
	tw := p.taoWeight()
	var wSlab, bSlab *[]mechanism.UIDValue
	if slabs != nil {
		wSlab, bSlab = &slabs[0], &slabs[1]
	}
	weights, err := loadRows(tx, bucketWeights, n.Netuid, n.N, wSlab)
	if err != nil {
		return in, err
	}
	bonds, err := loadRows(tx, bucketBonds, n.Netuid, n.N, bSlab)
	if err != nil {
		return in, err
	}
	alphaOf := func(hk wallet.AccountID) uint64 { return pools.value(hk) }
	if pools == nil {
		alpha, err := subnetHotAlpha(tx, n.Netuid)
		if err != nil {
			return in, err
		}
		alphaOf = func(hk wallet.AccountID) uint64 { return alpha[hk] }
	}
	var commits []*uint64 // nil unless commit-reveal is on
	if n.H.CommitReveal {
		if commits, err = commitBlocks(tx, n, neurons, block); err != nil {
			return in, err
		}
	}
	for i, nr := range neurons {
		w, bd := weights[i], bonds[i]
		st := &stakes[i]
		st.alpha = alphaOf(nr.Hotkey)
		weight := st.alpha
		if anyRoot {
			st.root, _ = getHotAlpha(tx, RootNetuid, nr.Hotkey)
			weight += tw.SaturatingMul(mechanism.U96F32FromU64(st.root)).SaturatingToU64()
		}
		in.Neurons[i] = mechanism.Neuron{
			UID: uint16(i), Stake: weight, LastUpdate: nr.LastUpdate,
			RegisteredAt: nr.RegisteredAt, ValidatorPermit: nr.Permit, Weights: w, Bonds: bd,
		}
		if commits != nil {
			in.Neurons[i].CommitBlock = commits[i]
		}
	}
	return in, nil
}

// subnetHotAlpha returns the value of every hotkey pool of a subnet, read in one cursor pass
// (cheaper than a lookup per uid).
func subnetHotAlpha(tx *bbolt.Tx, netuid uint16) (map[wallet.AccountID]uint64, error) {
	out := map[wallet.AccountID]uint64{}
	prefix := netKey(netuid)
	c := tx.Bucket(bucketHotAlpha).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != 34 || len(v) != hotPoolSize {
			return nil, fmt.Errorf("hotkey pool %x has a %d-byte key and %d-byte value", k, len(k), len(v))
		}
		out[wallet.AccountID(k[2:])] = binary.BigEndian.Uint64(v)
	}
	return out, nil
}

// epochJob is one subnet's epoch in a block: its drained buckets, its input read from state and
// the mechanism's output.
type epochJob struct {
	n                         *subnet
	srv, val, rootDivs, owner uint64
	in                        mechanism.EpochInput
	neurons                   []neuron
	stakes                    []uidStake
	pools                     *poolCache              // the subnet's share pools when read with the input (runEpochs)
	slabs                     [2][]mechanism.UIDValue // the arrays in.Neurons' weights and bonds use (runEpochs)
	out                       mechanism.EpochOutput
	err                       error
	done                      chan struct{} // closed when out and err are set
}

// runEpochs runs the due subnets' epochs: every input is read from state first (readEpochInputs,
// in parallel), then the pure mechanism.Epoch calls run in parallel on all cores (they share
// nothing), and the results are stored and distributed in netuid order, each as soon as its
// epoch is done. Every read precedes every write, so the block is the same on any machine and
// whatever the timing.
//
// The goroutine that stores the results is one of the cores' workers: while the next result
// to store is not ready, it runs a waiting epoch itself. With a worker per core besides it, the
// workers took most of the CPU and the storing fell behind, to finish alone on one core after
// the last epoch (10–17 ms of a 64 × 256 block).
func runEpochs(b *BlockContext, p subParams, due []*subnet, capture func(*epochJob)) error {
	if len(due) == 0 {
		return nil
	}
	if serialEpochs.Load() {
		return runEpochsSerial(b, p, due, capture)
	}
	jobs := make([]*epochJob, len(due))
	for k, n := range due {
		jobs[k] = &epochJob{n: n, srv: n.PendingServer, val: n.PendingValidator, rootDivs: n.PendingRoot, owner: n.PendingOwner, done: make(chan struct{})}
		n.PendingServer, n.PendingValidator, n.PendingRoot, n.PendingOwner = 0, 0, 0, 0
	}
	if err := readEpochInputs(b, p, jobs); err != nil {
		return err
	}
	work := make(chan *epochJob, len(jobs))
	for _, j := range jobs {
		work <- j
	}
	close(work)
	run := func(j *epochJob) {
		j.out, j.err = mechanism.Epoch(j.in)
		close(j.done)
	}
	var wg sync.WaitGroup
	for w := min(runtime.GOMAXPROCS(0), len(jobs)) - 1; w > 0; w-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				run(j)
			}
		}()
	}
	defer wg.Wait() // on every path: no worker outlives the block step
	queue := work   // this goroutine's view: nil once every epoch has started (the workers keep theirs)
	for _, j := range jobs {
		for waiting := true; waiting; {
			select {
			case <-j.done:
				waiting = false
			default:
				select { // not ready: run a waiting epoch meanwhile, or wait
				case <-j.done:
					waiting = false
				case other, ok := <-queue:
					if !ok {
						queue = nil // every epoch has started: only wait
						continue
					}
					run(other)
				}
			}
		}
		if j.err != nil {
			return fmt.Errorf("subnet %d epoch: %w", j.n.Netuid, j.err)
		}
		err := finishEpoch(b, p, j)
		if err != nil {
			return fmt.Errorf("subnet %d epoch: %w", j.n.Netuid, err)
		}
		if capture != nil {
			capture(j)
			continue // the capture may keep the input
		}
		j.in = mechanism.EpochInput{}
		keepRowSlab(j.slabs[0])
		keepRowSlab(j.slabs[1])
		mechanism.ReleaseOutput(j.out) // finishEpoch copied what it stores
		j.out = mechanism.EpochOutput{}
	}
	return nil
}

// epochReadBuckets are the buckets readEpochInputs reads.
var epochReadBuckets = [][]byte{bucketNeurons, bucketOutputs, bucketHotkeys, bucketUIDs, bucketSubnets, bucketWeights, bucketBonds, bucketHotAlpha, bucketCommits}

// readEpochInputs reads the input of every job: the neurons of every subnet, then all their
// hotkey records in key order (readHotkeys), then each subnet's pool records (kept for its
// distribution: no other subnet's epoch writes them) and the rest of its input. Each step runs
// on all cores. The reads share the block's write transaction, which bbolt allows as long as
// nothing writes it meanwhile: every write of the block step waits for them, and the buckets are
// opened first so that the readers only look up bbolt's bucket cache. The first error in netuid
// order is returned.
func readEpochInputs(b *BlockContext, p subParams, jobs []*epochJob) error {
	tx := b.State.tx
	for _, name := range epochReadBuckets {
		if tx.Bucket(name) == nil {
			return fmt.Errorf("state bucket %s is missing", name)
		}
	}
	errs := make([]error, len(jobs))
	firstErr := func() error {
		for k, err := range errs {
			if err != nil {
				return fmt.Errorf("subnet %d epoch input: %w", jobs[k].n.Netuid, err)
			}
		}
		return nil
	}
	parallel(len(jobs), func(k int) {
		j := jobs[k]
		j.neurons, errs[k] = loadNeurons(tx, j.n.Netuid, j.n.N)
		j.stakes = make([]uidStake, len(j.neurons))
	})
	if err := firstErr(); err != nil {
		return err
	}
	size := 0
	for _, j := range jobs {
		size += len(j.neurons)
	}
	wants := make([]hotkeyWant, 0, size)
	found := make([]bool, size)
	for _, j := range jobs {
		for i := range j.neurons {
			wants = append(wants, hotkeyWant{hk: j.neurons[i].Hotkey, dst: &j.stakes[i].hk, ok: &found[len(wants)]})
		}
	}
	readHotkeys(tx, wants)
	at := 0
	for k, j := range jobs {
		if i := slices.Index(found[at:at+len(j.neurons)], false); i >= 0 {
			errs[k] = fmt.Errorf("uid %d hotkey %s has no hotkey record", i, j.neurons[i].Hotkey)
		}
		at += len(j.neurons)
	}
	if err := firstErr(); err != nil {
		return err
	}
	parallel(len(jobs), func(k int) {
		j := jobs[k]
		if j.pools, errs[k] = loadPoolCache(b.State, j.n.Netuid, len(j.neurons)); errs[k] != nil {
			return
		}
		j.in, errs[k] = epochInputWith(tx, p, j.n, b.Height, mechanism.EpochEmission(j.srv, j.val, j.rootDivs), j.neurons, j.stakes, j.pools, &j.slabs)
	})
	return firstErr()
}

// serialEpochs switches runEpochs to runEpochsSerial: the reference the parallel path must
// match state digest for state digest (TestParallelEpochsMatchSerial).
var serialEpochs atomic.Bool

// runEpochsSerial reads, runs and applies one due subnet's epoch after the other, in netuid
// order, each input read after the previous subnet's results were written.
func runEpochsSerial(b *BlockContext, p subParams, due []*subnet, capture func(*epochJob)) error {
	for _, n := range due {
		j := &epochJob{n: n, srv: n.PendingServer, val: n.PendingValidator, rootDivs: n.PendingRoot, owner: n.PendingOwner}
		n.PendingServer, n.PendingValidator, n.PendingRoot, n.PendingOwner = 0, 0, 0, 0
		var err error
		j.in, j.neurons, j.stakes, err = epochInput(b.State.tx, p, n, b.Height, mechanism.EpochEmission(j.srv, j.val, j.rootDivs))
		if err != nil {
			return fmt.Errorf("subnet %d epoch input: %w", n.Netuid, err)
		}
		if j.out, err = mechanism.Epoch(j.in); err != nil {
			return fmt.Errorf("subnet %d epoch: %w", n.Netuid, err)
		}
		if err := finishEpoch(b, p, j); err != nil {
			return fmt.Errorf("subnet %d epoch: %w", n.Netuid, err)
		}
		if capture != nil {
			capture(j)
		}
	}
	return nil
}

// finishEpoch stores an epoch's outputs and bonds and distributes the drained buckets. With
// j.pools (runEpochs), the subnet's share pools are credited in memory and each written once;
// without (runEpochsSerial, the reference), record by record.
func finishEpoch(b *BlockContext, p subParams, j *epochJob) error {
	s, n, neurons, out := b.State, j.n, j.neurons, j.out
	srv, val, rootDivs, owner, rao := j.srv, j.val, j.rootDivs, j.owner, j.in.RaoEmission
	if len(out.Neurons) != len(neurons) {
		return fmt.Errorf("epoch returned %d neurons for %d", len(out.Neurons), len(neurons))
	}
	hks := make([]mechanism.HotkeyEmission, len(neurons))
	owners := make([]wallet.AccountID, len(neurons))
	for i, o := range out.Neurons {
		nr := &neurons[i]
		nr.Active, nr.StakeWeight, nr.Rank, nr.Trust = o.Active, o.StakeWeight, o.Rank, o.Trust
		nr.Consensus, nr.Incentive, nr.Dividends, nr.ValidatorTrust = o.Consensus, o.Incentive, o.Dividends, o.ValidatorTrust
		nr.Emission, nr.Permit = o.Emission, o.ValidatorPermit
		// A row that was and stays empty needs no write (most miners hold no bonds).
		if len(o.Bonds) > 0 || len(j.in.Neurons[i].Bonds) > 0 {
			if err := putRow(s, bucketBonds, n.Netuid, uint16(i), o.Bonds); err != nil {
				return err
			}
		}
		st := j.stakes[i]
		h := st.hk
		owners[i] = h.Owner
		hks[i] = mechanism.HotkeyEmission{
			Incentive: o.ServerEmission, Dividend: o.ValidatorEmission, AlphaStake: st.alpha, RootStake: st.root,
			Take: h.Take, OwnedBySubnetOwner: h.Owner == n.Owner || nr.Hotkey == n.OwnerHotkey,
		}
	}
	if err := putOutputs(s, n.Netuid, neurons); err != nil {
		return err
	}
	dist := mechanism.DistributeEmission(mechanism.DistributionInput{
		PendingServer: srv, PendingValidator: val, PendingRoot: rootDivs, PendingOwnerCut: owner,
		TaoWeight: p.taoWeight(), Hotkeys: hks,
	})
	// Pay out. Every credit lands in a share pool; AlphaOut keeps only what was credited, so
	// whatever the buckets held beyond the payouts (flooring, burned incentive, no receiver)
	// leaves the subnet's alpha.
	budget := srv + val + rootDivs + owner
	var credited, burned, incentive uint64
	pools := j.pools
	credit := func(hk, ck wallet.AccountID, amount uint64) error {
		credited += amount
		if pools != nil {
			return pools.creditStake(hk, ck, amount)
		}
		return creditStake(s, n.Netuid, hk, ck, amount)
	}
	creditPool := func(hk wallet.AccountID, amount uint64) (bool, error) {
		if pools != nil {
			return pools.creditHotkeyPool(hk, amount), nil
		}
		return creditHotkeyPool(s, n.Netuid, hk, amount)
	}
	if dist.OwnerCut > 0 {
		if err := credit(n.OwnerHotkey, n.Owner, dist.OwnerCut); err != nil {
			return err
		}
	}
	for i, pay := range dist.Hotkeys {
		hk, ck := neurons[i].Hotkey, owners[i]
		incentive += pay.Incentive + pay.IncentiveBurned
		burned += pay.IncentiveBurned
		// Subtensor's order (distribute_dividends_and_incentives): incentive, then alpha
		// dividends (the take, then the nominator pool), then root dividends (the take, then the
		// root stakers). The root take is credited after the pool grew, so it buys no slice of
		// this epoch's alpha dividends.
		if err := credit(hk, ck, pay.Incentive+pay.AlphaTake); err != nil {
			return err
		}
		if pay.AlphaPool > 0 {
			ok, err := creditPool(hk, pay.AlphaPool)
			if err != nil {
				return err
			}
			if ok {
				credited += pay.AlphaPool
			} else if err := credit(hk, ck, pay.AlphaPool); err != nil {
				return err
			}
		}
		if err := credit(hk, ck, pay.RootTake); err != nil {
			return err
		}
		if pay.RootDivs > 0 {
			if err := payRootDividends(s, n.Netuid, hk, pay.RootDivs, credit); err != nil {
				return err
			}
		}
	}
	if pools != nil {
		if err := pools.flush(); err != nil {
			return err
		}
	}
	if credited > budget {
		return fmt.Errorf("distribution credited %d alpha from buckets of %d", credited, budget)
	}
	n.AlphaOut -= budget - credited
	n.MinerBurnedHi, n.MinerBurnedLo = 0, 0
	if incentive > 0 {
		n.MinerBurnedHi, n.MinerBurnedLo = mechanism.U64F64FromU64(burned).SafeDiv(mechanism.U64F64FromU64(incentive)).Bits()
	}
	n.LastEpoch = b.Height
	n.EpochCount++
	b.Emit(subModule, "EpochRun", attrs("netuid", itoa(n.Netuid), "rao_emission", u64a(rao), "server", u64a(srv), "validator", u64a(val), "root", u64a(rootDivs), "owner_cut", u64a(owner), "credited", u64a(credited), "incentive_burned", u64a(burned), "recycled", u64a(budget-credited-burned)))
	return nil
}

// payRootDividends pays a hotkey's root dividends (alpha on netuid) to its root stakers pro rata
// to their root stake, as alpha stake on (hotkey, staker) — the devnet's auto-claim with the
// Keep claim type. Flooring dust is not credited.
func payRootDividends(s *StateTx, netuid uint16, hk wallet.AccountID, amount uint64, credit func(hk, ck wallet.AccountID, a uint64) error) error {
	v, d := getHotAlpha(s.tx, RootNetuid, hk)
	var cks []wallet.AccountID
	var weights []uint64
	if err := forEachPosition(s.tx, netHotkeyKey(RootNetuid, hk), func(p stakePosition) error {
		cks = append(cks, p.Coldkey)
		weights = append(weights, shareValue(v, d, p.Shares))
		return nil
	}); err != nil {
		return err
	}
	parts, _ := mechanism.SplitProRata(amount, weights)
	for i, ck := range cks {
		if err := credit(hk, ck, parts[i]); err != nil {
			return err
		}
	}
	return nil
}
