package mechanism

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// f32 converts an f32 literal exactly as subtensor's tests do (`fixed(x)`: saturating_from_num(f32)).
func f32(x float32) I32F32 { return I32F32FromFloat32(x) }

func f32s(xs ...float32) []I32F32 {
	out := make([]I32F32, len(xs))
	for i, x := range xs {
		out[i] = f32(x)
	}
	return out
}

func TestExp(t *testing.T) {
	t.Parallel()
	// exp(0) = 1 and exp(1) = E as I9F23 (floor(e·2^23) = 22802600, widened by 9 bits).
	if got, ok := Exp(I32F32Zero); !ok || got != I32F32One {
		t.Errorf("exp(0) = %v", got)
	}
	if got, _ := Exp(I32F32One); got.Bits() != 22802600<<9 {
		t.Errorf("exp(1) = %d bits", got.Bits())
	}
	// exp(−x) = 1 / exp(x) (truncating), so exp(x)·exp(−x) ≤ 1.
	for _, x := range []float32{0.25, 2, 5, 10} {
		p, _ := Exp(f32(x))
		n, _ := Exp(f32(-x))
		if want := I32F32One.SafeDiv(p); n != want {
			t.Errorf("exp(-%v) = %v, want 1/exp(%v) = %v", x, n, x, want)
		}
	}
	// exp(20) does not overflow I32F32 (the largest Taylor term stays below 2^31).
	if _, ok := Exp(I32F32FromInt(20)); !ok {
		t.Error("exp(20) overflowed")
	}
	// exp(30) overflows; SafeExp gives 0 then and ExpSafe clamps to exp(20).
	if _, ok := Exp(I32F32FromInt(30)); ok {
		t.Error("exp(30) should overflow")
	}
	if got := SafeExp(I32F32FromInt(30)); !got.IsZero() {
		t.Errorf("SafeExp(30) = %v, want 0", got)
	}
	e20, _ := Exp(I32F32FromInt(20))
	if got := ExpSafe(I32F32FromInt(30)); got != e20 {
		t.Errorf("ExpSafe(30) = %v, want exp(20) = %v", got, e20)
	}
}

// TestSigmoidSafe uses the published vectors of tests/math.rs (§6.8), bit for bit: inputs of
// the ρ = 30 case are f64 literals, those of the ρ = 40 case f32 literals, and every target is
// I32F32::from_num(f64 decimal).
func TestSigmoidSafe(t *testing.T) {
	t.Parallel()
	in := []I32F32{I32F32Min, I32F32Zero, I32F32FromFloat64(0.4), I32F32FromFloat64(0.5),
		I32F32FromFloat64(0.6), I32F32One, I32F32Max}
	// Edge case first: ρ = κ = max saturates −ρ·(x − κ); only x = max gives exactly 0.5.
	for i, x := range in {
		want := f32(0.0000000019)
		if i == len(in)-1 {
			want = I32F32Half
		}
		if got := SigmoidSafe(x, I32F32Max, I32F32Max); got != want {
			t.Errorf("sigmoid_safe(%v, max, max) = %v, want %v", x, got, want)
		}
	}
	want := []int64{8, 1313, 203692573, 2147483648, 4091274722, 4294965983, 4294967288}
	for i, x := range in {
		if got := SigmoidSafe(x, I32F32FromInt(30), I32F32FromFloat64(0.5)); got.Bits() != want[i] {
			t.Errorf("sigmoid_safe(%v, ρ=30) = %d bits, want %d", x, got.Bits(), want[i])
		}
	}
	wantDec := []float64{0.0000000019, 0.0000001125, 0.0000061442, 0.0003353502, 0.017986214,
		0.5, 0.9820138067, 0.9996646498, 0.9999938558, 0.9999998875, 0.9999999981}
	xs := f32s(0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1)
	for i, x := range xs {
		if got := SigmoidSafe(x, I32F32FromInt(40), I32F32FromFloat64(0.5)); got != I32F32FromFloat64(wantDec[i]) {
			t.Errorf("sigmoid_safe(%v, ρ=40) = %v, want %v", x, got, wantDec[i])
		}
	}
}

func TestAlphaSigmoid(t *testing.T) {
	t.Parallel()
	low, high := U16ProportionToFixed(6553), U16ProportionToFixed(19660)
	k := I32F32FromInt(1000)
	// Weight 1 equals consensus 1, bond 0: diff 0 ⇒ α = low + (high − low)/(1 + e^5) ≈ 0.10133.
	a := AlphaSigmoid(I32F32One, I32F32One, I32F32Zero, low, high, k)
	if got := FixedProportionToU16(a); got != 6640 {
		t.Errorf("alpha(c=1,w=1,b=0) as u16 = %d, want 6640 (the stored bond of §6.7 e0)", got)
	}
	// Large steepness makes SafeExp overflow to 0 ⇒ sigmoid 1 ⇒ α = high.
	if got := AlphaSigmoid(I32F32Zero, I32F32Zero, I32F32Zero, low, high, I32F32FromInt(32767)); got != high {
		t.Errorf("alpha with steepness 32767 = %v, want high %v", got, high)
	}
	// Always within [low, high].
	for _, w := range f32s(0, 0.3, 0.7, 1) {
		for _, b := range f32s(0, 0.5, 1) {
			a := AlphaSigmoid(f32(0.5), w, b, low, high, k)
			if a.Less(low) || high.Less(a) {
				t.Errorf("alpha(%v,%v) = %v outside [low, high]", w, b, a)
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	// Edge case first: an all-zero vector stays all zero.
	if got := Normalize(f32s(0, 0, 0)); !IsZeroVec(got) {
		t.Errorf("normalize(0) = %v", got)
	}
	// Stakes [1,2,3,4] normalise to truncated quotients floor(i·2^32/10) in bits.
	got := Normalize([]I32F32{I32F32FromInt(1), I32F32FromInt(2), I32F32FromInt(3), I32F32FromInt(4)})
	want := []int64{429496729, 858993459, 1288490188, 1717986918}
	for i := range got {
		if got[i].Bits() != want[i] {
			t.Errorf("normalize[%d] = %d bits, want %d", i, got[i].Bits(), want[i])
		}
	}
	// I64F64 normalisation then narrowing (floor) gives the same bits, printed as the spec's S = [0.0999999999, 0.2, 0.2999999998, 0.3999999999].
	s64 := []I64F64{I64F64FromU64(1), I64F64FromU64(2), I64F64FromU64(3), I64F64FromU64(4)}
	InplaceNormalize64(s64)
	want64 := []string{"0.0999999999", "0.2000000000", "0.2999999998", "0.3999999999"}
	for i := range s64 {
		if got := s64[i].ToI32F32().String(); got != want64[i] {
			t.Errorf("normalize64[%d] = %s, want %s", i, got, want64[i])
		}
	}
	if got := VecDiv(f32s(1, 1), f32s(2, 0)); got[0] != I32F32Half || !got[1].IsZero() {
		t.Errorf("vecdiv = %v", got)
	}
}

func TestIsTopK(t *testing.T) {
	t.Parallel()
	// n < k: everything (IsTopK) or every non-zero (IsTopKNonzero) is kept.
	if got := IsTopK(f32s(0, 1), 5); !slices.Equal(got, []bool{true, true}) {
		t.Errorf("is_topk n<k = %v", got)
	}
	if got := IsTopKNonzero(f32s(0, 1), 5); !slices.Equal(got, []bool{false, true}) {
		t.Errorf("is_topk_nonzero n<k = %v", got)
	}
	v := make([]I32F32, 10)
	for i := range v {
		v[i] = I32F32FromInt(int64(i))
	}
	if got := IsTopK(v, 5); !slices.Equal(got, []bool{false, false, false, false, false, true, true, true, true, true}) {
		t.Errorf("is_topk(0..9, 5) = %v", got)
	}
	// Ties: among equal values the lower uids lose first.
	v = []I32F32{I32F32FromInt(0), I32F32FromInt(1), I32F32FromInt(2), I32F32FromInt(3), I32F32FromInt(4),
		I32F32FromInt(5), I32F32FromInt(5), I32F32FromInt(5), I32F32FromInt(5), I32F32FromInt(6)}
	if got := IsTopK(v, 5); !slices.Equal(got, []bool{false, false, false, false, false, true, true, true, true, true}) {
		t.Errorf("is_topk ties = %v", got)
	}
	tie := []I32F32{I32F32One, I32F32One, I32F32One}
	if got := IsTopK(tie, 2); !slices.Equal(got, []bool{false, true, true}) {
		t.Errorf("is_topk equal values = %v, want lowest uid dropped", got)
	}
}

// TestWeightedMedian uses tests/math.rs vectors (§6.8): minority = 1 − majority.
func TestWeightedMedian(t *testing.T) {
	t.Parallel()
	med := func(stake, score []I32F32, majority float32) I32F32 {
		idx := make([]int, len(stake))
		for i := range idx {
			idx[i] = i
		}
		minority := I32F32One.SaturatingSub(f32(majority))
		return WeightedMedian(stake, score, idx, minority, I32F32Zero, Sum(stake))
	}
	for _, tc := range []struct {
		name         string
		stake, score []I32F32
		majority     float32
		want         I32F32
	}{
		{"empty", nil, nil, 0.51, I32F32Zero},
		{"single", f32s(1), f32s(0.3), 0.51, f32(0.3)},
		{"majority on top", f32s(0.49, 0.51), f32s(0.5, 1), 0.51, I32F32One},
		{"majority on bottom", f32s(0.51, 0.49), f32s(0.5, 1), 0.51, f32(0.5)},
		{"zero stake ignored", f32s(0.49, 0, 0.51), f32s(0.5, 0.7, 1), 0.51, I32F32One},
		{"small stake tips", f32s(0.49, 0.01, 0.5), f32s(0.5, 0.7, 1), 0.51, f32(0.7)},
		{"middle", f32s(0.49, 0.51, 0), f32s(0.5, 0.7, 1), 0.51, f32(0.7)},
		{"leading zero stake", f32s(0, 0.49, 0.51), f32s(0.5, 0.7, 1), 0.51, I32F32One},
		{"equal scores", f32s(0, 0.49, 0, 0.51), f32s(0.5, 0.5, 1, 1), 0.51, I32F32One},
		{"five equal stakes", f32s(0.2, 0.2, 0.2, 0.2, 0.2), f32s(0.8, 0.2, 1, 0.6, 0.4), 0.51, f32(0.6)},
		{"ten equal stakes", f32s(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1),
			f32s(0.8, 0.8, 0.2, 0.2, 1, 1, 0.6, 0.6, 0.4, 0.4), 0.51, f32(0.6)},
	} {
		if got := med(tc.stake, tc.score, tc.majority); got != tc.want {
			t.Errorf("%s: median = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestWeightedMedianCol(t *testing.T) {
	t.Parallel()
	rows := func(rs ...[]float32) [][]I32F32 {
		out := make([][]I32F32, len(rs))
		for i, r := range rs {
			out[i] = f32s(r...)
		}
		return out
	}
	w := rows([]float32{0, 0.1, 0}, []float32{0, 0.2, 0.4}, []float32{0, 0.3, 0.1}, []float32{0, 0.4, 0.5})
	stake := f32s(0, 0.75, 0.25, 0)
	for _, tc := range []struct {
		majority float32
		want     []I32F32
	}{
		{0.24, f32s(0, 0.3, 0.4)},
		{0.26, f32s(0, 0.2, 0.4)},
		{0.76, f32s(0, 0.2, 0.1)},
	} {
		if got := WeightedMedianCol(stake, w, f32(tc.majority)); !slices.Equal(got, tc.want) {
			t.Errorf("majority %v: %v, want %v", tc.majority, got, tc.want)
		}
	}
	w = rows([]float32{0, 0.1, 0}, []float32{0, 0.2, 0.4}, []float32{0, 0.3, 0.1}, []float32{0, 0, 0.5})
	if got := WeightedMedianCol(f32s(0, 0.3, 0.2, 0.5), w, f32(0.51)); !slices.Equal(got, f32s(0, 0, 0.4)) {
		t.Errorf("sparse-style case: %v", got)
	}
	// No positive stake: every median is 0.
	if got := WeightedMedianCol(f32s(0, 0), rows([]float32{1}, []float32{1}), f32(0.5)); !got[0].IsZero() {
		t.Errorf("zero stake median = %v", got)
	}
}

func TestColClipAndEma(t *testing.T) {
	t.Parallel()
	// col_clip: thresholds [0,5,12] clip each column to min(x, t_j).
	x := [][]I32F32{
		{I32F32FromInt(0), I32F32FromInt(2), I32F32FromInt(3)},
		{I32F32FromInt(4), I32F32FromInt(5), I32F32FromInt(6)},
		{I32F32FromInt(7), I32F32FromInt(8), I32F32FromInt(9)},
		{I32F32FromInt(10), I32F32FromInt(11), I32F32FromInt(12)},
	}
	InplaceColClip(x, []I32F32{I32F32FromInt(0), I32F32FromInt(5), I32F32FromInt(12)})
	want := [][]int64{{0, 2, 3}, {0, 5, 6}, {0, 5, 9}, {0, 5, 12}}
	for i := range x {
		for j := range x[i] {
			if x[i][j].ToInt() != want[i][j] {
				t.Errorf("col_clip[%d][%d] = %v, want %d", i, j, x[i][j], want[i][j])
			}
		}
	}
	// Sparse clip drops a cell above a zero threshold and keeps cells at or below it.
	sp := SparseMatrix{{{0, I32F32FromInt(1)}, {1, I32F32FromInt(2)}, {2, I32F32Zero}}}
	got := ColClipSparse(sp, []I32F32{I32F32Zero, I32F32One, I32F32Zero})
	if len(got[0]) != 2 || got[0][0] != (SparseEntry{1, I32F32One}) || got[0][1] != (SparseEntry{2, I32F32Zero}) {
		t.Errorf("col_clip_sparse = %v", got)
	}
	// mat_ema_alpha dense: 0.5·new + 0.5·old, clamped to 1.
	ema := MatEmaAlpha(
		[][]I32F32{f32s(1, 2, 3), f32s(4, 5, 6)},
		[][]I32F32{f32s(0.5, 1.5, 2.5), f32s(3.5, 4.5, 5.5)},
		[][]I32F32{f32s(0.5, 0.5, 0.5), f32s(0.5, 0.5, 0.5)})
	wantEma := [][]I32F32{f32s(0.75, 1, 1), f32s(1, 1, 1)}
	for i := range ema {
		if !slices.Equal(ema[i], wantEma[i]) {
			t.Errorf("mat_ema_alpha row %d = %v, want %v", i, ema[i], wantEma[i])
		}
	}
	// mat_ema_alpha sparse: W [[0.1,0.2],[0.3,0.4]], B [[0.5,0.6],[0.7,0.8]], α [[0.9,0.8],[0.5,0.7]]
	// → [[0.14,0.28],[0.5,0.52]] within the flooring of each product.
	w := SparseMatrix{{{0, f32(0.1)}, {1, f32(0.2)}}, {{0, f32(0.3)}, {1, f32(0.4)}}}
	b := SparseMatrix{{{0, f32(0.5)}, {1, f32(0.6)}}, {{0, f32(0.7)}, {1, f32(0.8)}}}
	alpha := [][]I32F32{f32s(0.9, 0.8), f32s(0.5, 0.7)}
	res := MatEmaAlphaSparse(w, b, func(i, j int) I32F32 { return alpha[i][j] }, 2)
	wantS := [][]float32{{0.14, 0.28}, {0.5, 0.52}}
	for i := range res {
		for k, e := range res[i] {
			d := e.Value.Sub(f32(wantS[i][k])).Bits() // the Rust test's epsilon is 1e-6
			if d < -4295 || d > 4295 {
				t.Errorf("mat_ema_alpha_sparse[%d][%d] = %v, want ≈ %v", i, k, e.Value, wantS[i][k])
			}
		}
	}
	// mat_ema_sparse keeps ascending columns and lets absent weights decay.
	e := MatEmaSparse(SparseMatrix{{{2, I32F32One}}}, SparseMatrix{{{0, I32F32One}}}, I32F32Half, 3)
	if len(e[0]) != 2 || e[0][0] != (SparseEntry{0, I32F32Half}) || e[0][1] != (SparseEntry{2, I32F32Half}) {
		t.Errorf("mat_ema_sparse = %v", e)
	}
}

func TestMaxUpscaleAndLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want []uint16
	}{
		{[]uint16{}, []uint16{}},
		{[]uint16{0, 0}, []uint16{0, 0}},
		{[]uint16{16383, 32767, 49149, 65535}, []uint16{16383, 32767, 49149, 65535}},
		{[]uint16{32767, 32767}, []uint16{65535, 65535}},
		{[]uint16{43690, 21845}, []uint16{65535, 32768}},
		{[]uint16{0, 1, 2, 3, 4, 65533, 65535}, []uint16{0, 1, 2, 3, 4, 65533, 65535}},
	} {
		if got := VecU16MaxUpscaleToU16(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("max_upscale(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	w127 := make([]uint16, 448)
	for i := range w127 {
		w127[i] = 127
	}
	for _, v := range VecU16MaxUpscaleToU16(w127) {
		if v != 65535 {
			t.Fatalf("127×448 upscaled to %d", v)
		}
	}
	// f32 inputs (§5.1 vectors).
	in := f32s(1e-6, 6e-6, 7e-6, 1e-4, 1e-3, 0.01, 0.1, 0.2, 0.3, 0.4)
	want := []uint16{0, 1, 1, 16, 164, 1638, 16384, 32768, 49151, 65535}
	if got := VecMaxUpscaleToU16(in); !slices.Equal(got, want) {
		t.Errorf("f32 upscale = %v, want %v", got, want)
	}
	in = f32s(0, 0.5, 1, 1.5, 2, 32768, 32769)
	want = []uint16{0, 1, 2, 3, 4, 65533, 65535}
	if got := VecMaxUpscaleToU16(in); !slices.Equal(got, want) {
		t.Errorf("large upscale = %v, want %v", got, want)
	}
	in = []I32F32{I32F32Zero, I32F32FromInt(1), I32F32FromInt(32768), I32F32FromInt(32769), I32F32Max}
	want = []uint16{0, 0, 1, 1, 65535}
	if got := VecMaxUpscaleToU16(in); !slices.Equal(got, want) {
		t.Errorf("max upscale = %v, want %v", got, want)
	}
	const m = 65535
	for _, tc := range []struct {
		v     []uint16
		limit uint16
		want  bool
	}{
		{[]uint16{}, 0, true},
		{[]uint16{0, m, m}, m / 2, false},
		{[]uint16{0, m, m}, m/2 + 1, true},
		{[]uint16{0, m, m, m}, m/3 - 1, false},
		{[]uint16{0, m, m, m}, m / 3, true},
	} {
		if got := CheckVecMaxLimited(tc.v, tc.limit); got != tc.want {
			t.Errorf("check_vec_max_limited(%v, %d) = %v, want %v", tc.v, tc.limit, got, tc.want)
		}
	}
}

// expReference is the Taylor loop of substrate-fixed written with the generic checked I32F32
// operations, to pin the fast Exp to it.
func expReference(x I32F32) (I32F32, bool) {
	if x.IsZero() {
		return I32F32One, true
	}
	if x == I32F32One {
		return I32F32FromBits(22802600 << 9), true
	}
	neg := x.IsNegative()
	if neg {
		x = x.SaturatingNeg()
	}
	result, ok := x.CheckedAdd(I32F32One)
	if !ok {
		return I32F32{}, false
	}
	term := x
	for i := int64(2); i < 32; i++ {
		if term, ok = term.CheckedMul(x); !ok {
			return I32F32{}, false
		}
		if term, ok = term.CheckedDiv(I32F32FromInt(i)); !ok {
			return I32F32{}, false
		}
		if result, ok = result.CheckedAdd(term); !ok {
			return I32F32{}, false
		}
	}
	if neg {
		return I32F32One.CheckedDiv(result)
	}
	return result, true
}

func TestExpMatchesReferenceLoop(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(11, 12))
	check := func(x I32F32) {
		got, gok := Exp(x)
		want, wok := expReference(x)
		if gok != wok || (gok && got != want) {
			t.Fatalf("Exp(%v) = %v,%v; reference %v,%v", x, got, gok, want, wok)
		}
	}
	for _, v := range []int64{1, -1, 1 << 31, -(1 << 31), 20 << 32, -(20 << 32), 21 << 32, 22 << 32, 30 << 32, math.MaxInt64, math.MinInt64 + 1} {
		check(I32F32FromBits(v))
	}
	for range 20000 {
		check(I32F32FromBits(int64(r.Uint64()) >> (31 + r.IntN(33)))) // |x| up to 2^32·2^0..2^32
	}
}

// TestWeightedMedianInPlaceMatchesReference pins the epoch's in-place weighted median to the
// literal algorithm of subtensor (WeightedMedian) on random columns with ties, zero scores,
// and minorities below 0 and above the total.
func TestWeightedMedianInPlaceMatchesReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(31, 32))
	for iter := range 30000 {
		k := 1 + r.IntN(40)
		stake := make([]I32F32, k)
		score := make([]I32F32, k)
		levels := 1 + r.IntN(6) // few distinct scores ⇒ many ties
		for i := range k {
			stake[i] = I32F32FromBits(1 + int64(r.Uint64N(1<<32)))
			if r.IntN(3) == 0 {
				score[i] = I32F32FromBits(int64(r.Uint64N(1 << 32)))
			} else {
				score[i] = I32F32FromBits(int64(r.IntN(levels)) << 29)
			}
		}
		InplaceNormalize(stake)
		total := Sum(stake)
		kappa := I32F32FromBits(int64(r.Uint64N(1<<32 + 2)))
		minority := total.SaturatingSub(kappa)
		idx := make([]int, k)
		for i := range idx {
			idx[i] = i
		}
		want := WeightedMedian(stake, score, idx, minority, I32F32Zero, total)
		sc, stk := slices.Clone(score), make([]int64, k)
		for i := range k {
			stk[i] = stake[i].Bits()
		}
		if got := weightedMedianInPlace(sc, stk, minority.Bits(), total.Bits()); got != want.Bits() {
			t.Fatalf("iter %d: in-place %d, reference %v (k=%d, minority %v)", iter, got, want, k, minority)
		}
	}
}

func TestExpPairMatchesExp(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(41, 42))
	edges := []I32F32{I32F32Zero, I32F32One, I32F32Min, I32F32Max, I32F32FromInt(20), I32F32FromInt(-20), I32F32FromInt(30), I32F32FromInt(-30)}
	check := func(a, b I32F32) {
		ea, oka, eb, okb := ExpPair(a, b)
		wa, wka := Exp(a)
		wb, wkb := Exp(b)
		if oka != wka || okb != wkb || (oka && ea != wa) || (okb && eb != wb) {
			t.Fatalf("ExpPair(%v, %v) = (%v,%v, %v,%v); Exp gives (%v,%v, %v,%v)", a, b, ea, oka, eb, okb, wa, wka, wb, wkb)
		}
	}
	for _, a := range edges {
		for _, b := range edges {
			check(a, b)
		}
	}
	for range 100000 {
		a := I32F32FromBits(int64(r.Uint64()) >> (31 + r.IntN(33)))
		b := I32F32FromBits(int64(r.Uint64()) >> (31 + r.IntN(33)))
		check(a, b)
	}
}

// TestSaturatingMulMatchesBigInt checks the inlinable SaturatingMul against the exact floor of
// the product (math/big), clamped to the range, on edge and random operands.
func TestSaturatingMulMatchesBigInt(t *testing.T) {
	r := rand.New(rand.NewPCG(77, 1))
	edges := []int64{0, 1, -1, 2, -2, 1 << 31, -(1 << 31), 1 << 32, -(1 << 32), 1<<32 + 1, 1 << 47,
		math.MaxInt64, math.MaxInt64 - 1, math.MinInt64, math.MinInt64 + 1}
	lo, hi := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	check := func(a, b int64) {
		t.Helper()
		p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
		p.Rsh(p, 32) // arithmetic shift: floor
		if p.Cmp(lo) < 0 {
			p.Set(lo)
		} else if p.Cmp(hi) > 0 {
			p.Set(hi)
		}
		if got := (I32F32{a}).SaturatingMul(I32F32{b}); got.bits != p.Int64() {
			t.Fatalf("%d · %d: SaturatingMul %d, exact %d", a, b, got.bits, p.Int64())
		}
	}
	for _, a := range edges {
		for _, b := range edges {
			check(a, b)
		}
	}
	for range 300_000 {
		a, b := int64(r.Uint64()>>r.UintN(64)), int64(r.Uint64()>>r.UintN(64))
		if r.IntN(3) == 0 {
			a = -a
		}
		if r.IntN(3) == 0 {
			b = -b
		}
		check(a, b)
	}
}

// TestQuoPosMatchesSafeDiv: whenever quoPos answers, it answers SafeDiv's quotient.
func TestQuoPosMatchesSafeDiv(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	edges := []int64{0, 1, -1, 1 << 31, 1 << 32, 1<<32 - 1, 1<<32 + 1, 1 << 62, math.MaxInt64, math.MinInt64}
	check := func(a, b int64) {
		t.Helper()
		if q, ok := quoPos(I32F32{a}, I32F32{b}); ok {
			if want := (I32F32{a}).SafeDiv(I32F32{b}); q != want {
				t.Fatalf("%d / %d: quoPos %d, SafeDiv %d", a, b, q.bits, want.bits)
			}
		} else if a >= 0 && b > 0 && uint64(a)>>32 < uint64(b) && uint64(a) < uint64(b)<<31 && b < 1<<32 {
			t.Fatalf("%d / %d: quoPos declined a quotient that fits", a, b)
		}
	}
	for _, a := range edges {
		for _, b := range edges {
			check(a, b)
		}
	}
	for range 1_000_000 {
		a, b := int64(r.Uint64()>>r.UintN(64)), int64(r.Uint64()>>r.UintN(64))
		if r.IntN(5) == 0 {
			a = -a
		}
		if r.IntN(5) == 0 {
			b = -b
		}
		check(a, b)
		// whole-number divisors (sums of u16 weights or bonds) and u16 dividends
		w := int64(1+r.Uint64N(1<<r.UintN(32))) << 32
		check(a, w)
		check(int64(r.IntN(65536))<<32, w)
	}
}
