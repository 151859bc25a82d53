package mechanism

import "testing"

func TestNetworkToPrune(t *testing.T) {
	t.Parallel()
	price := func(milli int64) I96F32 { return I96F32FromInt(milli).SafeDiv(I96F32FromInt(1000)) }
	net := func(netuid uint16, reg uint64, milli int64) NetworkPruneCandidate {
		return NetworkPruneCandidate{Netuid: netuid, RegisteredAt: reg, MovingPrice: price(milli)}
	}
	tests := []struct {
		name            string
		subnets         []NetworkPruneCandidate
		block, immunity uint64
		want            uint16
		ok              bool
	}{
		{"no subnets", nil, 100, 10, 0, false},
		{"root is never pruned", []NetworkPruneCandidate{net(0, 0, 0)}, 100, 0, 0, false},
		{"lowest moving price", []NetworkPruneCandidate{net(1, 0, 500), net(2, 0, 200), net(3, 0, 300)}, 100, 10, 2, true},
		{"immune subnets are skipped", []NetworkPruneCandidate{net(1, 0, 500), net(2, 95, 1), net(3, 0, 300)}, 100, 10, 3, true},
		{"immunity ends exactly immunity blocks after registration",
			[]NetworkPruneCandidate{net(1, 0, 500), net(2, 90, 1)}, 100, 10, 2, true},
		{"one block earlier it is immune",
			[]NetworkPruneCandidate{net(1, 0, 500), net(2, 91, 1)}, 100, 10, 1, true},
		{"price tie: earliest registered", []NetworkPruneCandidate{net(1, 30, 200), net(2, 10, 200), net(3, 20, 200)}, 100, 10, 2, true},
		{"full tie: lowest netuid", []NetworkPruneCandidate{net(3, 10, 200), net(2, 10, 200), net(4, 10, 200)}, 100, 10, 2, true},
		{"price differs by one bit", []NetworkPruneCandidate{
			{Netuid: 1, MovingPrice: I96F32FromBits(0, 1<<32+1)}, {Netuid: 2, RegisteredAt: 5, MovingPrice: I96F32FromBits(0, 1<<32)}}, 100, 10, 2, true},
		{"everyone immune", []NetworkPruneCandidate{net(1, 95, 1), net(2, 99, 2)}, 100, 10, 0, false},
		{"registered in the future counts as immune", []NetworkPruneCandidate{net(1, 200, 1)}, 100, 10, 0, false},
		{"zero immunity", []NetworkPruneCandidate{net(1, 100, 7), net(2, 100, 3)}, 100, 0, 2, true},
	}
	for _, tt := range tests {
		got, ok := NetworkToPrune(tt.subnets, tt.block, tt.immunity)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: got %d %v, want %d %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNetworkPruneableFrom(t *testing.T) {
	t.Parallel()
	c := func(netuid uint16, reg uint64) NetworkPruneCandidate {
		return NetworkPruneCandidate{Netuid: netuid, RegisteredAt: reg}
	}
	tests := []struct {
		name            string
		subnets         []NetworkPruneCandidate
		block, immunity uint64
		want            uint64
		ok              bool
	}{
		{"only root", []NetworkPruneCandidate{c(0, 0)}, 100, 10, 0, false},
		{"one already prunable", []NetworkPruneCandidate{c(1, 95), c(2, 50)}, 100, 10, 100, true},
		{"the earliest immunity end", []NetworkPruneCandidate{c(1, 97), c(2, 93), c(3, 99)}, 100, 10, 103, true},
		{"immune beyond the last block", []NetworkPruneCandidate{c(1, 50)}, 100, ^uint64(0) - 10, 0, false},
		{"the other one counts", []NetworkPruneCandidate{c(1, 50), c(2, 0)}, 100, ^uint64(0) - 10, ^uint64(0) - 10, true},
	}
	for _, tt := range tests {
		got, ok := NetworkPruneableFrom(tt.subnets, tt.block, tt.immunity)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: got %d %v, want %d %v", tt.name, got, ok, tt.want, tt.ok)
		}
		if ok {
			if _, can := NetworkToPrune(tt.subnets, got, tt.immunity); !can {
				t.Errorf("%s: nothing to prune at block %d", tt.name, got)
			}
			if got > tt.block {
				if _, can := NetworkToPrune(tt.subnets, got-1, tt.immunity); can {
					t.Errorf("%s: a subnet is prunable before block %d", tt.name, got)
				}
			}
		}
	}
}
