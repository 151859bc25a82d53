package mechanism

import (
	"encoding/hex"
	"errors"
	"reflect"
	"testing"

	"golang.org/x/crypto/blake2b"
)

// validator is a permitted validator uid 0 on a 10-uid subnet with the default parameters.
func weightsFixture() (WeightsCaller, WeightsParams) {
	return WeightsCaller{Registered: true, UID: 0, StakeWeight: 1000, LastUpdate: 0, Permit: true},
		WeightsParams{Netuid: 1, N: 10, Block: 500, RateLimit: 100, MinAllowedWeights: 1, MaxWeightsLimit: 65535}
}

func TestCheckSetWeightsErrorsInOrder(t *testing.T) {
	t.Parallel()
	// Each case breaks one rule and, where it matters, a later rule too: the earlier check wins.
	type mod func(*WeightsRequest, *WeightsCaller, *WeightsParams)
	tests := []struct {
		name string
		mod  mod
		err  error
	}{
		{"root network", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { p.Netuid = 0; c.Registered = false }, ErrRootNetworkWeights},
		{"commit-reveal on", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { p.CommitReveal = true }, ErrCommitRevealEnabled},
		{"length mismatch before too many", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) {
			r.UIDs = make([]uint16, 11)
		}, ErrWeightVecNotEqualSize},
		{"too many uids", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) {
			r.UIDs, r.Values = make([]uint16, 11), make([]uint16, 11)
		}, ErrTooManyUids},
		{"not registered", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { c.Registered = false; c.StakeWeight = 0 }, ErrHotkeyNotRegistered},
		{"stake below threshold", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { p.StakeThreshold = 1001; p.VersionKey = 9 }, ErrNotEnoughStakeToSetWeights},
		{"old version key", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { p.VersionKey = 9; r.VersionKey = 8 }, ErrIncorrectWeightVersionKey},
		{"too fast", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { c.LastUpdate = 401; c.Permit = false }, ErrSettingWeightsTooFast},
		{"no permit", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { c.Permit = false; r.UIDs = []uint16{1, 1} }, ErrNoValidatorPermit},
		{"duplicate uid before invalid uid", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { r.UIDs = []uint16{12, 12} }, ErrDuplicateUids},
		{"invalid uid", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { r.UIDs = []uint16{1, 10} }, ErrInvalidUid},
		{"too few weights", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { p.MinAllowedWeights = 3 }, ErrWeightVecLengthIsLow},
		{"max weight exceeded", func(r *WeightsRequest, c *WeightsCaller, p *WeightsParams) { p.MaxWeightsLimit = 32767 }, ErrMaxWeightExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, p := weightsFixture()
			r := WeightsRequest{UIDs: []uint16{1, 2}, Values: []uint16{65535, 100}}
			tt.mod(&r, &c, &p)
			if _, err := CheckSetWeights(r, c, p, false); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestCheckSetWeightsAccepts(t *testing.T) {
	t.Parallel()
	c, p := weightsFixture()
	// Stored values are max-upscaled: [43690, 21845] → [65535, 32768] (§5.1 vector).
	got, err := CheckSetWeights(WeightsRequest{UIDs: []uint16{2, 3}, Values: []uint16{43690, 21845}}, c, p, false)
	if err != nil || !reflect.DeepEqual(got, []uint16{65535, 32768}) {
		t.Fatalf("got %v, %v", got, err)
	}
	// Rate limit exactly reached passes; last update 0 means never set.
	c.LastUpdate = 400
	if _, err := CheckSetWeights(WeightsRequest{UIDs: []uint16{1}, Values: []uint16{1}}, c, p, false); err != nil {
		t.Fatalf("rate limit boundary: %v", err)
	}
	// A pure self-weight needs no permit, ignores MinAllowedWeights and the max weight limit.
	c, p = weightsFixture()
	c.UID, c.Permit = 4, false
	p.MinAllowedWeights, p.MaxWeightsLimit = 5, 100
	if got, err := CheckSetWeights(WeightsRequest{UIDs: []uint16{4}, Values: []uint16{7}}, c, p, false); err != nil || got[0] != 65535 {
		t.Fatalf("self-weight: %v, %v", got, err)
	}
	// The owner needs neither permit nor stake.
	c, p = weightsFixture()
	c.IsOwner, c.Permit, c.StakeWeight = true, false, 0
	p.StakeThreshold = 1e9
	if _, err := CheckSetWeights(WeightsRequest{UIDs: []uint16{1, 2}, Values: []uint16{1, 1}}, c, p, false); err != nil {
		t.Fatalf("owner: %v", err)
	}
	// MinAllowedWeights larger than the subnet is capped at n; a reveal passes commit-reveal.
	c, p = weightsFixture()
	p.N, p.MinAllowedWeights, p.CommitReveal = 2, 1024, true
	if _, err := CheckSetWeights(WeightsRequest{UIDs: []uint16{0, 1}, Values: []uint16{1, 1}}, c, p, true); err != nil {
		t.Fatalf("min capped at n / reveal: %v", err)
	}
	// Explicit zero weights are kept; all-zero stays all-zero.
	c, p = weightsFixture()
	if got, _ := CheckSetWeights(WeightsRequest{UIDs: []uint16{1, 2}, Values: []uint16{0, 0}}, c, p, false); !reflect.DeepEqual(got, []uint16{0, 0}) {
		t.Fatalf("zeros: %v", got)
	}
}

func TestMaxUpscaleVectors(t *testing.T) {
	t.Parallel()
	// Part B §5.1 u16 vectors of the set_weights normalisation.
	tests := []struct{ in, want []uint16 }{
		{[]uint16{}, []uint16{}},
		{[]uint16{16383, 32767, 49149, 65535}, []uint16{16383, 32767, 49149, 65535}},
		{[]uint16{32767, 32767}, []uint16{65535, 65535}},
		{[]uint16{43690, 21845}, []uint16{65535, 32768}},
		{[]uint16{0, 1, 2, 3, 4, 65533, 65535}, []uint16{0, 1, 2, 3, 4, 65533, 65535}},
	}
	for _, tt := range tests {
		if got := VecU16MaxUpscaleToU16(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v → %v, want %v", tt.in, got, tt.want)
		}
	}
	many := make([]uint16, 448)
	for i := range many {
		many[i] = 127
	}
	for _, v := range VecU16MaxUpscaleToU16(many) {
		if v != 65535 {
			t.Fatal("[127 × 448] must become [65535 × 448]")
		}
	}
}

func TestCompactEncoding(t *testing.T) {
	t.Parallel()
	// SCALE compact integers.
	tests := []struct {
		n    uint64
		want string
	}{
		{0, "00"}, {1, "04"}, {63, "fc"}, {64, "0101"}, {16383, "fdff"},
		{16384, "02000100"}, {1<<30 - 1, "feffffff"}, {1 << 30, "0300000040"}, {1 << 32, "070000000001"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(appendCompact(nil, tt.n)); got != tt.want {
			t.Errorf("compact(%d) = %s, want %s", tt.n, got, tt.want)
		}
	}
}

func TestCommitHash(t *testing.T) {
	t.Parallel()
	// BlakeTwo256 over SCALE(hotkey, netuid u16, uids, values, salt, version_key u64), spelled
	// out byte by byte.
	var hk [32]byte
	for i := range hk {
		hk[i] = byte(i + 1)
	}
	enc, _ := hex.DecodeString(
		hex.EncodeToString(hk[:]) +
			"0300" + // netuid 3
			"08" + "0100" + "0200" + // uids [1, 2]
			"08" + "ffff" + "0080" + // values [65535, 32768]
			"0c" + "0900" + "0800" + "0700" + // salt [9, 8, 7]
			"2a00000000000000") // version key 42
	want := blake2b.Sum256(enc)
	got := CommitHash(hk, 3, []uint16{1, 2}, []uint16{65535, 32768}, []uint16{9, 8, 7}, 42)
	if got != want {
		t.Fatalf("CommitHash = %x, want %x", got, want)
	}
	if CommitHash(hk, 3, []uint16{1, 2}, []uint16{65535, 32768}, []uint16{9, 8, 6}, 42) == got {
		t.Fatal("the salt must change the hash")
	}
}

func TestCommitQueue(t *testing.T) {
	t.Parallel()
	// netuid 1, tempo 10: epochs start at blocks 9, 20, 31, 42; reveal period 1 epoch.
	s := RevealSchedule{Netuid: 1, Tempo: 10, RevealPeriod: 1}
	h := func(b byte) [32]byte { return [32]byte{b} }
	q, err := AddCommit(nil, h(1), 12, 0, 5, s) // epoch 1, reveal in epoch 2 (blocks 20..30)
	if err != nil || len(q) != 1 {
		t.Fatalf("first commit: %v %v", q, err)
	}
	if _, err := AddCommit(q, h(2), 14, 12, 5, s); !errors.Is(err, ErrCommittingWeightsTooFast) {
		t.Fatalf("rate limit: %v", err)
	}
	if q, err = AddCommit(q, h(2), 17, 12, 5, s); err != nil || len(q) != 2 { // epoch 1 as well
		t.Fatalf("second commit: %v %v", q, err)
	}
	// After the reveal epoch (blocks 20..30) the commits expire and are dropped.
	if q, err = AddCommit(q, h(3), 31, 17, 5, s); err != nil || len(q) != 1 || q[0].Hash != h(3) {
		t.Fatalf("commit after expiry: %v %v", q, err)
	}
	// At most ten live commits; expired ones make room.
	var full []WeightCommit
	for i := 0; i < MaxUnrevealedCommits; i++ {
		full, err = AddCommit(full, h(byte(i)), 21+uint64(i), 0, 0, s)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := AddCommit(full, h(99), 30, 0, 0, s); !errors.Is(err, ErrTooManyUnrevealedCommits) {
		t.Fatalf("eleventh commit: %v", err)
	}
	if q, err := AddCommit(full, h(99), 42, 0, 0, s); err != nil || len(q) != 1 {
		t.Fatalf("after expiry: %v %v", q, err)
	}
}
