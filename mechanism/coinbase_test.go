package mechanism

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestSplitAlphaOutSpecExample(t *testing.T) {
	t.Parallel()
	// Part B §2.5 (U96F32 exact): alpha_out 1e9, root_prop 0.3, owner cut 11796/65535 ⇒ owner
	// 179,995,422; root 123,000,686; server 410,002,288; validator 287,001,602 (sum 999,999,998).
	s := SplitAlphaOut(U96F32FromU64(1e9), OwnerCutFraction(DefaultSubnetOwnerCut), U96F32FromFloat64(0.3), true)
	want := PendingSplit{Minted: 1e9, OwnerCut: 179_995_422, Server: 410_002_288, Validator: 287_001_602, RootDivs: 123_000_686, Dust: 2}
	if s != want {
		t.Fatalf("split = %+v, want %+v", s, want)
	}
	// The remainder after the cut, 820,004,577 (floor), is what server, validator and root share.
	a := U96F32FromU64(1e9).SaturatingSub(U96F32FromU64(1e9).SaturatingMul(OwnerCutFraction(DefaultSubnetOwnerCut)))
	if a.SaturatingToU64() != 820_004_577 {
		t.Fatalf("remainder = %d, want 820004577", a.SaturatingToU64())
	}
	// Root sell off: the root share is recycled, the other buckets are unchanged.
	off := SplitAlphaOut(U96F32FromU64(1e9), OwnerCutFraction(DefaultSubnetOwnerCut), U96F32FromFloat64(0.3), false)
	if off.RootDivs != 0 || off.RootRecycled != 123_000_686 || off.Validator != s.Validator || off.Server != s.Server {
		t.Fatalf("root sell off: %+v", off)
	}
}

func TestPendingEmissionVector(t *testing.T) {
	t.Parallel()
	// tests/coinbase.rs test_pending_emission: owner cut 0, TaoWeight 1.0, root TAO 1e9, alpha
	// issuance 3e9 ⇒ root_prop 0.25; alpha_out 1e9 ⇒ server 5e8, validator 375e6, root 125e6.
	tw := TaoWeight(math.MaxUint64)
	if tw != U96F32FromU64(1) {
		t.Fatalf("TaoWeight(u64::MAX) = %s, want 1", tw)
	}
	rp := RootProportion(1e9, 3e9, tw)
	if rp != U96F32FromBits(0, 1<<30) {
		t.Fatalf("root_prop = %s, want 0.25", rp)
	}
	s := SplitAlphaOut(U96F32FromU64(1e9), OwnerCutFraction(0), rp, true)
	want := PendingSplit{Minted: 1e9, Server: 500_000_000, Validator: 375_000_000, RootDivs: 125_000_000}
	if s != want {
		t.Fatalf("split = %+v, want %+v", s, want)
	}
}

func TestOwnerCutBase(t *testing.T) {
	t.Parallel()
	// test_owner_cut_base: SubnetOwnerCut 0 ⇒ PendingOwnerCut 0; 65535 ⇒ the whole 1e9.
	if s := SplitAlphaOut(U96F32FromU64(1e9), OwnerCutFraction(0), U96F32{}, true); s.OwnerCut != 0 || s.Server != 5e8 {
		t.Fatalf("cut 0: %+v", s)
	}
	s := SplitAlphaOut(U96F32FromU64(1e9), OwnerCutFraction(math.MaxUint16), U96F32{}, true)
	if s.OwnerCut != 1e9 || s.Server != 0 || s.Validator != 0 || s.Dust != 0 {
		t.Fatalf("cut 65535: %+v", s)
	}
	// Nominal split with root_prop 0: 18 % owner, 41 % miners, 41 % validators.
	s = SplitAlphaOut(U96F32FromU64(1e9), OwnerCutFraction(DefaultSubnetOwnerCut), U96F32{}, true)
	if s.OwnerCut != 179_995_422 || s.Server != 410_002_288 || s.Validator != 410_002_288 {
		t.Fatalf("root_prop 0: %+v", s)
	}
}

// fullRootProp is a root proportion ≈ 1 so the injection cap does not bind (the tests'
// set_full_injection_root_stake).
func fullRootProp(issuance uint64) U96F32 {
	return RootProportion(1<<62, issuance, TaoWeight(math.MaxUint64))
}

func TestCoinbaseAlphaIssuanceBase(t *testing.T) {
	t.Parallel()
	// test_coinbase_alpha_issuance_base: two subnets at price 1, reserves 1e6/1e6, emission 1e6
	// ⇒ tao_in 500,000 and alpha_in 500,000 each: SubnetAlphaIn = 1,500,000.
	in := []ShareInput{{Price: U64F64One}, {Price: U64F64One}}
	em := SubnetTaoEmissions(1_000_000, in)
	for i, e := range em {
		r := SubnetCoinbase(SubnetBlockInput{
			Pool: NewPool(1e6, 1e6), AlphaIssuance: 1e6, TaoEmission: e,
			RootProp: fullRootProp(1e6), MinimumReserve: 100,
		})
		if r.Pool.Alpha != 1_500_000 || r.Pool.Tao != 1_500_000 || r.ExcessTao != 0 {
			t.Fatalf("subnet %d: %+v", i, r)
		}
		if r.Pool.QuoteWeight != PerquintillOne/2 {
			t.Fatalf("subnet %d: weight moved to %d", i, r.Pool.QuoteWeight)
		}
	}
}

func TestCoinbaseAlphaIssuanceDifferent(t *testing.T) {
	t.Parallel()
	// test_coinbase_alpha_issuance_different: reserves (1e6 TAO, 1e6 α) and (2e6, 1e6), moving
	// prices 1 and 2, emission 1e6 ⇒ TAO 333,333 / 666,666; both SubnetAlphaIn 1,333,333.
	in := []ShareInput{{Price: U64F64One}, {Price: U64F64FromU64(2)}}
	em := SubnetTaoEmissions(1_000_000, in)
	pools := []Pool{NewPool(1e6, 1e6), NewPool(2e6, 1e6)}
	wantTao := []uint64{333_333, 666_666}
	for i := range pools {
		r := SubnetCoinbase(SubnetBlockInput{Pool: pools[i], AlphaIssuance: 1e6, TaoEmission: em[i], RootProp: fullRootProp(1e6)})
		if r.TaoInjected != wantTao[i] || r.Pool.Alpha != 1_333_333 {
			t.Fatalf("subnet %d: tao %d alpha %d, want %d and 1333333", i, r.TaoInjected, r.Pool.Alpha, wantTao[i])
		}
	}
}

func TestInjectionCapBuysAlpha(t *testing.T) {
	t.Parallel()
	// Part B §2.8: tao_emission 125,000,000 at spot 0.02, root_prop 0.3, alpha_out 1e9 ⇒
	// alpha_in would be 6.25e9 but the cap is 0.3·1e9 = 3e8 ⇒ tao_in = 3e8·0.02 = 6e6 and the
	// excess 1.19e8 buys alpha. Edge cases first: no root stake ⇒ cap 0 ⇒ all TAO buys alpha.
	price := U64F64FromBits(0, 0).SaturatingAdd(U64F64FromU64(2).SafeDiv(U64F64FromU64(100)))
	zero := ComputeSubnetTerms(U96F32FromU64(125e6), 1_500_000*RaoPerTao, price, U96F32{})
	if !zero.TaoIn.IsZero() || !zero.AlphaIn.IsZero() || zero.ExcessTao != U96F32FromU64(125e6) {
		t.Fatalf("root_prop 0: %+v", zero)
	}
	noPrice := ComputeSubnetTerms(U96F32FromU64(125e6), 0, U64F64Zero, U96F32FromU64(1))
	if !noPrice.AlphaIn.IsZero() || noPrice.TaoIn != U96F32FromU64(125e6) {
		t.Fatalf("price 0: %+v", noPrice)
	}
	// Exactly, in U96F32 bits (32 fraction bits): rp = floor(0.3·2^32) = 1,288,490,188 and the
	// spot 0.02 is floor(0.02·2^32) = 85,899,345; cap = rp·1e9 ⇒ 299,999,999.81…;
	// tao_in = cap·p = floor(1,288,490,188e9 · 85,899,345 / 2^32) bits ⇒ 5,999,999.93…
	rp := U96F32FromU64(3).SafeDiv(U96F32FromU64(10))
	terms := ComputeSubnetTerms(U96F32FromU64(125e6), 1_500_000*RaoPerTao, price, rp)
	if terms.AlphaIn != U96F32FromBits(0, 1_288_490_188*1_000_000_000) || terms.AlphaIn.SaturatingToU64() != 299_999_999 {
		t.Fatalf("alpha_in = %s, want the cap 299,999,999.81…", terms.AlphaIn)
	}
	if terms.TaoIn != U96F32FromBits(0, 25_769_803_484_000_000) || terms.TaoIn.SaturatingToU64() != 5_999_999 {
		t.Fatalf("tao_in = %s, want 5,999,999.93…", terms.TaoIn)
	}
	if terms.ExcessTao.SaturatingToU64() != 119_000_000 || terms.AlphaOut != U96F32FromU64(1e9) {
		t.Fatalf("excess %s alpha_out %s", terms.ExcessTao, terms.AlphaOut)
	}
	sum := terms.TaoIn.SaturatingAdd(terms.ExcessTao)
	if sum != U96F32FromU64(125e6) {
		t.Fatalf("tao_in + excess = %s, want exactly the emission", sum)
	}
	// The whole step: the pool gains tao_in + excess TAO, loses the bought alpha, gains alpha_in.
	p := NewPool(2e16, 1e18) // spot 0.02
	r := SubnetCoinbase(SubnetBlockInput{Pool: p, AlphaIssuance: 1_500_000 * RaoPerTao, TaoEmission: U96F32FromU64(125e6), RootProp: rp})
	if r.Pool.Tao != p.Tao+r.TaoInjected+r.ExcessTao {
		t.Fatalf("pool TAO %d, want %d", r.Pool.Tao, p.Tao+r.TaoInjected+r.ExcessTao)
	}
	if r.Pool.Alpha != p.Alpha+r.AlphaInjected-r.BoughtAlpha {
		t.Fatalf("pool alpha %d, want %d", r.Pool.Alpha, p.Alpha+r.AlphaInjected-r.BoughtAlpha)
	}
	if r.TaoInjected+r.ExcessTao > 125e6 || 125e6-(r.TaoInjected+r.ExcessTao) > 2 {
		t.Fatalf("placed %d of 125e6 TAO", r.TaoInjected+r.ExcessTao)
	}
}

func TestSubnetShares(t *testing.T) {
	t.Parallel()
	// share_i = p_i/Σp; disabled subnets get 0 and the rest is renormalised; miner burn
	// weights by (1 − burned). Edge cases first.
	if s := SubnetShares(nil); len(s) != 0 {
		t.Fatal("no subnets, no shares")
	}
	zero := SubnetShares([]ShareInput{{}, {}})
	if !zero[0].IsZero() || !zero[1].IsZero() {
		t.Fatal("all prices 0 ⇒ all shares 0")
	}
	// §2.8: moving prices 0.02 and 0.06 ⇒ 0.25 / 0.75 ⇒ 125,000,000 and 375,000,000 at 5e8.
	in := []ShareInput{{Price: U64F64FromU64(2).SafeDiv(U64F64FromU64(100))}, {Price: U64F64FromU64(6).SafeDiv(U64F64FromU64(100))}}
	em := SubnetTaoEmissions(500_000_000, in)
	if a, b := em[0].SaturatingToU64(), em[1].SaturatingToU64(); a != 125_000_000 || b != 375_000_000 {
		t.Fatalf("emissions %d, %d, want 125,000,000 and 375,000,000", a, b)
	}
	// Three equal prices, the middle one disabled: exactly 0.5, 0, 0.5.
	dis := SubnetShares([]ShareInput{{Price: U64F64One}, {Price: U64F64One, EmissionDisabled: true}, {Price: U64F64One}})
	half := U64F64FromBits(0, 1<<63)
	if !dis[1].IsZero() || dis[0] != half || dis[2] != half {
		t.Fatalf("disabled: %v", dis)
	}
	// A subnet whose miners' incentive all went to the owner gets nothing; the other gets 1.
	burn := SubnetShares([]ShareInput{{Price: U64F64One, MinerBurned: U64F64One}, {Price: U64F64One}})
	if !burn[0].IsZero() || burn[1] != U64F64One {
		t.Fatalf("fully burned subnet keeps a share: %v", burn)
	}
}

func diffU64F64(a, b U64F64) uint64 {
	d := a.SaturatingSub(b)
	if a.Less(b) {
		d = b.SaturatingSub(a)
	}
	hi, lo := d.Bits()
	if hi != 0 {
		return math.MaxUint64
	}
	return lo
}

func TestRootSellFlag(t *testing.T) {
	t.Parallel()
	// Σ moving prices > 1 ⇒ sell; exactly 1 ⇒ no.
	if RootSellFlag(nil) || RootSellFlag([]U64F64{U64F64One}) {
		t.Fatal("Σ ≤ 1 must not sell")
	}
	if !RootSellFlag([]U64F64{U64F64One, U64F64FromBits(0, 1)}) {
		t.Fatal("Σ > 1 must sell")
	}
}

func TestUpdateMovingPrice(t *testing.T) {
	t.Parallel()
	// test_coinbase_moving_prices: α0 = 0.1, t = 201,600 = h ⇒ α = 0.05; 14 updates from 0 with
	// spot 1.0 ⇒ 0.512325 (the test's tolerance 0.001); exactly the U64F64 recurrence.
	p := MovingPriceParams{MovingAlpha: I96F32FromFloat64(0.1), HalvingBlocks: 201_600}
	spot := U64F64FromU64(1)
	// Edge cases first: a price at 1 stays at 1; spot above 1 is capped at 1.
	if got := UpdateMovingPrice(U64F64One, U64F64FromU64(5), 7_200_000, 1, p); got != I96F32FromU64(1) {
		t.Fatalf("capped spot moved the price to %s", got)
	}
	// t = 0 (block before the first emission block) ⇒ α = 0 ⇒ unchanged.
	if got := UpdateMovingPrice(U64F64Zero, spot, 9, 10, p); !got.IsZero() {
		t.Fatalf("t = 0 moved the price to %s", got)
	}
	old := U64F64Zero
	var got I96F32
	for i := 0; i < 14; i++ {
		got = UpdateMovingPrice(old, spot, 201_600, 1, p)
		old = got.ToU64F64()
	}
	// Independent model with exact rationals and the same floors.
	a0 := p.MovingAlpha.ToU64F64()
	alpha := a0.SaturatingMul(U64F64FromU64(201_600).SafeDiv(U64F64FromU64(403_200)))
	m := new(big.Int)
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	ah, al := alpha.Bits()
	ab := new(big.Int).Or(new(big.Int).Lsh(new(big.Int).SetUint64(ah), 64), new(big.Int).SetUint64(al))
	oneMinus := new(big.Int).Sub(two64, ab)
	for i := 0; i < 14; i++ {
		cur := new(big.Int).Set(ab) // α·1 exactly
		mov := new(big.Int).Mul(oneMinus, m)
		mov.Rsh(mov, 64)
		m = cur.Add(cur, mov)
		m.Rsh(m, 32).Lsh(m, 32) // stored as I96F32: the low 32 fraction bits are dropped
	}
	hi, lo := got.ToU64F64().Bits()
	gb := new(big.Int).Or(new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64), new(big.Int).SetUint64(lo))
	if gb.Cmp(m) != 0 {
		t.Fatalf("moving price bits %s, model %s", gb, m)
	}
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(gb), new(big.Float).SetInt(two64)).Float64()
	if math.Abs(f-0.512325) > 0.001 {
		t.Fatalf("moving price %v, want ≈ 0.512325", f)
	}
}

func TestDefaultMovingPriceParams(t *testing.T) {
	t.Parallel()
	if d := DefaultMovingPriceParams(); d.MovingAlpha != I96F32FromFloat64(0.000003) || d.HalvingBlocks != 201_600 {
		t.Fatalf("defaults %+v", d)
	}
}

func TestDistributeEmissionDrainVectors(t *testing.T) {
	t.Parallel()
	// test_drain_base_with_subnet_with_single_staker_registered: one hotkey with 1e9 alpha, no
	// weights (no incentive): distribute(srv 5e8, val 5e8) ⇒ the validator gets all 1e9.
	one := DistributeEmission(DistributionInput{
		PendingServer: 5e8, PendingValidator: 5e8, TaoWeight: U96F32{},
		Hotkeys: []HotkeyEmission{{Dividend: 1e9, AlphaStake: 1e9, Take: 0}},
	})
	if h := one.Hotkeys[0]; h.AlphaTake+h.AlphaPool != 1e9 || one.Undistributed != 0 {
		t.Fatalf("single staker: %+v", one)
	}
	// Two stakers of 1e9 each (the test allows ±10; here it is exact) ⇒ each +5e8; also with
	// 1e9 root stake each and TaoWeight 1.0 or 0.5 (equal root proportions, no root bucket).
	for _, tw := range []U96F32{{}, U96F32FromU64(1), U96F32FromBits(0, 1<<31)} {
		r := DistributeEmission(DistributionInput{
			PendingServer: 5e8, PendingValidator: 5e8, TaoWeight: tw,
			Hotkeys: []HotkeyEmission{{Dividend: 5e8, AlphaStake: 1e9, RootStake: 1e9}, {Dividend: 5e8, AlphaStake: 1e9, RootStake: 1e9}},
		})
		for i, h := range r.Hotkeys {
			if got := h.AlphaTake + h.AlphaPool; got != 5e8 || h.RootDivs+h.RootTake != 0 {
				t.Fatalf("tw %s hotkey %d got %d", tw, i, got)
			}
		}
		if r.Undistributed != 0 {
			t.Fatalf("tw %s: %d undistributed", tw, r.Undistributed)
		}
	}
	// Delegate take 11796/65535 of the dividends is staked to the owner, the rest to the pool.
	r := DistributeEmission(DistributionInput{
		PendingValidator: 1e9, PendingServer: 1e9,
		Hotkeys: []HotkeyEmission{{Incentive: 999_999_999}, {Dividend: 1e9, AlphaStake: 1, Take: DefaultDelegateTake}},
	})
	h := r.Hotkeys[1]
	if h.AlphaTake != 179_995_422 || h.AlphaPool != 820_004_577 {
		t.Fatalf("take split %+v", h)
	}
	if r.Hotkeys[0].Incentive != 999_999_999 || r.Undistributed != 2 {
		t.Fatalf("incentive or remainder: %+v", r)
	}
}

func TestDistributeEmissionEdgeCases(t *testing.T) {
	t.Parallel()
	// No hotkeys at all: everything is undistributed, the owner cut is still paid.
	r := DistributeEmission(DistributionInput{PendingServer: 7, PendingValidator: 5, PendingRoot: 3, PendingOwnerCut: 2})
	if r.Undistributed != 15 || r.OwnerCut != 2 {
		t.Fatalf("empty: %+v", r)
	}
	// Zero stake and zero dividends: the validator pot cannot be shared.
	r = DistributeEmission(DistributionInput{PendingValidator: 10, Hotkeys: []HotkeyEmission{{}}})
	if r.Undistributed != 10 {
		t.Fatalf("zero dividends: %+v", r)
	}
	// The owner's miner incentive is burned, not paid.
	r = DistributeEmission(DistributionInput{PendingServer: 100, Hotkeys: []HotkeyEmission{{Incentive: 100, OwnedBySubnetOwner: true}}})
	if r.Hotkeys[0].Incentive != 0 || r.Hotkeys[0].IncentiveBurned != 100 || r.Undistributed != 0 {
		t.Fatalf("owner incentive: %+v", r)
	}
	// Root dividends follow root stake weighted by TaoWeight.
	r = DistributeEmission(DistributionInput{
		PendingValidator: 1000, PendingRoot: 1000, TaoWeight: U96F32FromU64(1),
		Hotkeys: []HotkeyEmission{{Dividend: 10, AlphaStake: 100}, {Dividend: 10, RootStake: 100}},
	})
	if r.Hotkeys[0].AlphaPool != 1000 || r.Hotkeys[0].RootDivs != 0 || r.Hotkeys[1].RootDivs != 1000 || r.Hotkeys[1].AlphaPool != 0 {
		t.Fatalf("root split: %+v", r.Hotkeys)
	}
}

func TestEmissionPartsSumToTotalProperty(t *testing.T) {
	t.Parallel()
	// Property (fixed seed): for any alpha_out, cut and root_prop the five buckets plus the dust
	// are exactly alpha_out, the dust is at most 3 rao; for any distribution input, Σ paid +
	// undistributed is exactly the buckets, and the dividends never exceed their pot and lose at
	// most n·(pot/2^32 + 2) rao: each share is a U96F32 with 32 fraction bits, then floored
	// (calculate_dividend_distribution's ±1000 at the tests' sizes).
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		out := rng.Uint64N(2e9)
		cut := uint16(rng.UintN(65536))
		rp := U96F32FromU64(rng.Uint64N(1e6)).SafeDiv(U96F32FromU64(1e6))
		s := SplitAlphaOut(U96F32FromU64(out), OwnerCutFraction(cut), rp, rng.IntN(2) == 0)
		if s.OwnerCut+s.Server+s.Validator+s.RootDivs+s.RootRecycled+s.Dust != out || s.Dust > 3 {
			t.Fatalf("split of %d: %+v", out, s)
		}
	}
	for i := 0; i < 500; i++ {
		n := 1 + rng.IntN(20)
		in := DistributionInput{
			PendingServer: rng.Uint64N(1e12), PendingValidator: rng.Uint64N(1e12), PendingRoot: rng.Uint64N(1e11),
			TaoWeight: U96F32FromU64(rng.Uint64N(1000)).SafeDiv(U96F32FromU64(1000)),
		}
		var inc uint64
		for j := 0; j < n; j++ {
			h := HotkeyEmission{
				Dividend: rng.Uint64N(1e11), AlphaStake: rng.Uint64N(1e13), RootStake: rng.Uint64N(1e13),
				Take: uint16(rng.UintN(11797)), OwnedBySubnetOwner: rng.IntN(10) == 0,
			}
			if inc < in.PendingServer {
				h.Incentive = rng.Uint64N(in.PendingServer - inc + 1)
				inc += h.Incentive
			}
			in.Hotkeys = append(in.Hotkeys, h)
		}
		r := DistributeEmission(in)
		var paid, alphaDivs, rootDivs uint64
		for _, h := range r.Hotkeys {
			paid += h.Incentive + h.IncentiveBurned + h.AlphaTake + h.AlphaPool + h.RootTake + h.RootDivs
			alphaDivs += h.AlphaTake + h.AlphaPool
			rootDivs += h.RootTake + h.RootDivs
		}
		total := in.PendingServer + in.PendingValidator + in.PendingRoot
		if paid+r.Undistributed != total {
			t.Fatalf("paid %d + undistributed %d ≠ %d", paid, r.Undistributed, total)
		}
		pot := in.PendingValidator
		if inc == 0 {
			pot += in.PendingServer
		}
		if alphaDivs > pot || pot-alphaDivs > uint64(n)*(pot>>32+2) {
			t.Fatalf("alpha dividends %d of pot %d", alphaDivs, pot)
		}
		if rootDivs > in.PendingRoot || (rootDivs > 0 && in.PendingRoot-rootDivs > uint64(n)*(in.PendingRoot>>32+2)) {
			t.Fatalf("root dividends %d of %d", rootDivs, in.PendingRoot)
		}
	}
}

func TestSplitProRata(t *testing.T) {
	t.Parallel()
	// floor(amount·w_i/Σw); dust = the rest; Σw = 0 ⇒ everything is dust.
	parts, dust := SplitProRata(100, nil)
	if len(parts) != 0 || dust != 100 {
		t.Fatal("no weights")
	}
	parts, dust = SplitProRata(100, []uint64{0, 0})
	if parts[0] != 0 || dust != 100 {
		t.Fatal("zero weights")
	}
	parts, dust = SplitProRata(10, []uint64{1, 1, 1})
	if parts[0] != 3 || parts[1] != 3 || parts[2] != 3 || dust != 1 {
		t.Fatalf("thirds: %v %d", parts, dust)
	}
	parts, dust = SplitProRata(math.MaxUint64, []uint64{math.MaxUint64, math.MaxUint64})
	if parts[0] != math.MaxUint64/2 || dust != 1 {
		t.Fatalf("huge: %v %d", parts, dust)
	}
}

func TestStakeWeight(t *testing.T) {
	t.Parallel()
	// alpha + tw·root (I64F64): tw 0 ignores root stake; tw 1 adds it in full; tw 0.5 halves it.
	if got := StakeWeight(100, 1000, U96F32{}); got != I64F64FromU64(100) {
		t.Fatalf("tw 0: %s", got)
	}
	if got := StakeWeight(100, 1000, TaoWeight(math.MaxUint64)); got != I64F64FromU64(1100) {
		t.Fatalf("tw 1: %s", got)
	}
	if got := StakeWeight(0, 1001, U96F32FromBits(0, 1<<31)).SaturatingToU64(); got != 500 {
		t.Fatalf("tw 0.5 floors 500.5 to %d", got)
	}
}

func TestCoinbaseSimulationInvariants(t *testing.T) {
	t.Parallel()
	// Property (fixed seed): 1,000 blocks of three subnets with random root stake and random
	// trades. Every block the TAO placed never exceeds E, the pools' TAO grows by exactly what was
	// placed or traded in, the weights stay in [0.01, 0.99], the moving prices stay in [0, 1], and
	// the pending split of each subnet adds up to its alpha_out.
	rng := rand.New(rand.NewPCG(13, 14))
	pools := []Pool{NewPool(1000*RaoPerTao, 1000*RaoPerTao), NewPool(1000*RaoPerTao, 4000*RaoPerTao), NewPool(1000*RaoPerTao, 250*RaoPerTao)}
	moving := []I96F32{{}, {}, {}}
	alphaOut := []uint64{0, 0, 0}
	issuance := uint64(5_000_000 * RaoPerTao)
	mp := MovingPriceParams{MovingAlpha: I96F32FromFloat64(0.01), HalvingBlocks: 100}
	tw := TaoWeight(DefaultTaoWeightRaw)
	for b := uint64(1); b <= 1000; b++ {
		e := TaoBlockEmission(issuance)
		in := make([]ShareInput, len(pools))
		prices := make([]U64F64, len(pools))
		for i := range pools {
			prices[i] = SharePrice(uint16(i+1), false, moving[i])
			in[i] = ShareInput{Price: prices[i]}
		}
		em := SubnetTaoEmissions(e, in)
		sell := RootSellFlag(prices)
		var placed uint64
		for i := range pools {
			ai := pools[i].Alpha + alphaOut[i]
			r := SubnetCoinbase(SubnetBlockInput{
				Pool: pools[i], AlphaIssuance: ai, TaoEmission: em[i],
				RootProp: RootProportion(rng.Uint64N(1e7)*RaoPerTao, ai, tw),
				OwnerCut: OwnerCutFraction(DefaultSubnetOwnerCut), RootSell: sell, MinimumReserve: DefaultMinimumReserve,
			})
			if r.Pool.Tao != pools[i].Tao+r.TaoInjected+r.ExcessTao {
				t.Fatalf("block %d subnet %d: pool TAO %d, want %d", b, i, r.Pool.Tao, pools[i].Tao+r.TaoInjected+r.ExcessTao)
			}
			s := r.Split
			if s.OwnerCut+s.Server+s.Validator+s.RootDivs+s.RootRecycled+s.Dust != s.Minted {
				t.Fatalf("block %d subnet %d: split %+v", b, i, s)
			}
			placed += r.TaoInjected + r.ExcessTao
			alphaOut[i] += s.Minted - s.RootRecycled + r.BoughtAlpha
			pools[i] = r.Pool
			moving[i] = UpdateMovingPrice(prices[i], pools[i].Price(), b, 1, mp)
			if moving[i].ToU64F64().Cmp(U64F64One) > 0 {
				t.Fatalf("block %d subnet %d: moving price %s above 1", b, i, moving[i])
			}
			if !validQuoteWeight(pools[i].QuoteWeight) {
				t.Fatalf("block %d subnet %d: weight %d", b, i, pools[i].QuoteWeight)
			}
			// A random trade: buy or sell up to 1 % of the input reserve.
			if rng.IntN(2) == 0 {
				if x, err := pools[i].Buy(1+rng.Uint64N(pools[i].Tao/100), DefaultSwapParams()); err == nil {
					pools[i] = x.Pool
				}
			} else if x, err := pools[i].Sell(1+rng.Uint64N(pools[i].Alpha/100), DefaultSwapParams()); err == nil {
				pools[i] = x.Pool
			}
		}
		if placed > e {
			t.Fatalf("block %d: placed %d of %d", b, placed, e)
		}
		issuance += placed
	}
}

func TestMinerBurned(t *testing.T) {
	t.Parallel()
	// burned / (paid + burned); no incentive ⇒ 0.
	if got := (DistributionResult{}).MinerBurned(); !got.IsZero() {
		t.Fatalf("no incentive: %s", got)
	}
	r := DistributeEmission(DistributionInput{PendingServer: 400, Hotkeys: []HotkeyEmission{
		{Incentive: 100, OwnedBySubnetOwner: true}, {Incentive: 300},
	}})
	if got := r.MinerBurned(); got != U64F64FromBits(0, 1<<62) {
		t.Fatalf("MinerBurned = %s, want 0.25", got)
	}
}

func TestSubnetEmittingAndSharePrice(t *testing.T) {
	t.Parallel()
	// Root never emits; a subnet needs start_call, its subtoken and registration allowed.
	if SubnetEmitting(0, true, true, true) || !SubnetEmitting(1, true, true, true) {
		t.Fatal("root never emits; a started subnet does")
	}
	for _, c := range [][3]bool{{false, true, true}, {true, false, true}, {true, true, false}} {
		if SubnetEmitting(3, c[0], c[1], c[2]) {
			t.Fatalf("flags %v must not emit", c)
		}
	}
	// Root and stable subnets price at 1; dynamic ones at their stored moving price.
	m := I96F32FromBits(0, 1<<31)
	if SharePrice(0, false, m) != U64F64One || SharePrice(2, true, m) != U64F64One || SharePrice(2, false, m) != U64F64FromBits(0, 1<<63) {
		t.Fatal("share prices")
	}
	// No root stake or no weight ⇒ root proportion 0; nothing at all ⇒ 0 (checked division).
	if !RootProportion(0, 1e9, TaoWeight(DefaultTaoWeightRaw)).IsZero() || !RootProportion(0, 0, U96F32{}).IsZero() {
		t.Fatal("root proportion without root stake")
	}
	if EpochEmission(1, 2, 3) != 6 || EpochEmission(math.MaxUint64, 1, 0) != math.MaxUint64 {
		t.Fatal("EpochEmission adds saturating")
	}
}
