package localchain

import (
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// TestRandomSubtensor extends the core's randomized test to the subtensor calls on root and
// three subnets: every block carries random calls (valid and invalid: stakes, unstakes, moves,
// transfers, swaps with and without limits, registrations, weights, commits and reveals, takes,
// axons, hotkey swaps, hyperparameters and globals from owners, sudo and strangers, new and
// dissolved subnets). After every block all invariants hold (TAO conservation, alpha per
// subnet, share pools, neuron maps), every failure carries a registered code and a message,
// and at the end a replay into a fresh database reproduces every state digest.
func TestRandomSubtensor(t *testing.T) {
	t.Parallel()
	blocks := 300
	if testing.Short() {
		blocks = 120
	}
	if os.Getenv("BTUI_LONG") == "1" {
		blocks = 2000
	}
	rng := rand.New(rand.NewPCG(5, 42))
	h := newSubHarness(t)
	h.submit("Bob", protocol.RegisterNetwork{Hotkey: h.id("//Bob//owner")})
	h.submit("Charlie", protocol.RegisterNetwork{Hotkey: h.id("//Charlie//owner")})
	h.seal()
	h.submit("Bob", protocol.StartCall{Netuid: 2})
	h.submit("Charlie", protocol.StartCall{Netuid: 3})
	colds := []string{"Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"}
	var hots []string
	for i := 0; i < 14; i++ {
		hots = append(hots, fmt.Sprintf("//%s//h%d", colds[i%len(colds)], i))
	}
	h.fund(20*protocol.RaoPerTAO, hots...)
	// Most hotkeys start registered, the first few staked, so that valid calls are common.
	for i, hk := range hots {
		if i%5 != 4 {
			h.submit(strings.Split(hk, "/")[2], protocol.BurnedRegister{Netuid: uint16(1 + i%3), Hotkey: h.id(hk)})
		}
	}
	h.seal()
	for i, hk := range hots[:6] {
		h.submit(strings.Split(hk, "/")[2], protocol.AddStake{Hotkey: h.id(hk), Netuid: uint16(1 + i%3), Amount: 100 * protocol.RaoPerTAO})
	}
	h.seal()
	names := []string{}
	for n := range protocol.HyperparamNames() {
		names = append(names, n)
	}
	sort.Strings(names) // a fixed order, so the run is reproducible
	globals := GlobalParamNames()
	type commit struct {
		hk         string
		netuid     uint16
		uids, vals []uint16
		salt       []uint16
	}
	var commits []commit
	netuid := func() uint16 {
		if rng.IntN(10) == 0 {
			return uint16(rng.IntN(6)) // sometimes root or a missing subnet
		}
		return uint16(1 + rng.IntN(3))
	}
	amount := func() uint64 {
		switch rng.IntN(6) {
		case 0:
			return uint64(rng.IntN(3_000_000)) // around the minimum stake (0 is a rejection)
		case 1:
			return 1_000_000 * protocol.RaoPerTAO // more than anyone holds
		default:
			return uint64(rng.Int64N(int64(50 * protocol.RaoPerTAO)))
		}
	}
	hot := func() string { return hots[rng.IntN(len(hots))] }
	// position picks one of a coldkey's stake positions (hotkey, netuid, alpha), or false.
	position := func(ck string) (wallet.AccountID, uint16, uint64, bool) {
		st, err := h.c.StakesByColdkey(h.id(ck))
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 || rng.IntN(3) == 0 {
			return wallet.AccountID{}, 0, 0, false
		}
		p := st[rng.IntN(len(st))]
		return p.Hotkey, p.Netuid, p.Alpha, true
	}
	cold := func() string { return colds[rng.IntN(len(colds))] }
	randVec := func(n int, max int) []uint16 {
		v := make([]uint16, n)
		for i := range v {
			v[i] = uint16(rng.IntN(max))
		}
		return v
	}
	var total, failed, rejected int
	codes := map[string]int{}
	okBy := map[string]int{}
	for b := 0; b < blocks; b++ {
		var hashes []protocol.TxHash
		for k := rng.IntN(12); k > 0; k-- {
			var signer string
			var call protocol.Call
			switch rng.IntN(17) {
			case 0, 1, 2:
				signer, call = cold(), protocol.AddStake{Hotkey: h.id(hot()), Netuid: netuid(), Amount: amount(), LimitPrice: uint64(rng.IntN(2)) * uint64(rng.Int64N(int64(3*protocol.RaoPerTAO))), AllowPartial: rng.IntN(2) == 0}
			case 3, 4:
				signer = cold()
				hk, net := hot(), netuid()
				amt := amount() / 3
				if have := h.stake(net, hk, signer); have > 0 && rng.IntN(3) > 0 {
					amt = max(1, have/uint64(1+rng.IntN(3)))
				}
				call = protocol.RemoveStake{Hotkey: h.id(hk), Netuid: net, Amount: amt, LimitPrice: uint64(rng.IntN(2)) * uint64(rng.Int64N(int64(protocol.RaoPerTAO))), AllowPartial: rng.IntN(2) == 0}
			case 5:
				signer = cold()
				mv := protocol.MoveStake{OriginHotkey: h.id(hot()), DestinationHotkey: h.id(hot()), OriginNetuid: netuid(), DestinationNetuid: netuid(), Amount: amount() / 4}
				if hk, net, a, ok := position(signer); ok {
					mv.OriginHotkey, mv.OriginNetuid, mv.Amount = hk, net, max(1, a/uint64(1+rng.IntN(3)))
				}
				call = mv
			case 6:
				signer = cold()
				tr := protocol.TransferStake{DestinationColdkey: h.id(cold()), Hotkey: h.id(hot()), OriginNetuid: netuid(), DestinationNetuid: netuid(), Amount: amount() / 4}
				if hk, net, a, ok := position(signer); ok {
					tr.Hotkey, tr.OriginNetuid, tr.Amount = hk, net, max(1, a/uint64(1+rng.IntN(3)))
				}
				call = tr
			case 7:
				signer = cold()
				sw := protocol.SwapStake{Hotkey: h.id(hot()), OriginNetuid: netuid(), DestinationNetuid: netuid(), Amount: amount() / 4, LimitPrice: uint64(rng.IntN(2)) * uint64(rng.Int64N(int64(protocol.RaoPerTAO)))}
				if hk, net, a, ok := position(signer); ok {
					sw.Hotkey, sw.OriginNetuid, sw.Amount = hk, net, max(1, a/uint64(1+rng.IntN(3)))
				}
				call = sw
			case 8, 9:
				hk := hot()
				signer = strings.Split(hk, "/")[2]
				if rng.IntN(8) == 0 {
					signer = cold()
				}
				call = protocol.BurnedRegister{Netuid: netuid(), Hotkey: h.id(hk), LimitPrice: uint64(rng.IntN(2)) * uint64(rng.Int64N(int64(2*protocol.RaoPerTAO)))}
			case 10, 11:
				n := rng.IntN(6)
				uids := randVec(n, 12)
				if rng.IntN(2) == 0 {
					uids = uids[:0]
					for _, u := range rng.Perm(5)[:n] {
						uids = append(uids, uint16(u))
					}
				}
				signer, call = hot(), protocol.SetWeights{Netuid: netuid(), Uids: uids, Values: randVec(n, 65536), VersionKey: uint64(rng.IntN(3))}
			case 12:
				hk := hot()
				c := commit{hk: hk, netuid: netuid(), uids: randVec(3, 10), vals: randVec(3, 65536), salt: randVec(2, 65536)}
				if rng.IntN(3) == 0 && len(commits) > 0 {
					c = commits[rng.IntN(len(commits))]
					signer, call = c.hk, protocol.RevealWeights{Netuid: c.netuid, Uids: c.uids, Values: c.vals, Salt: c.salt}
				} else {
					commits = append(commits, c)
					signer, call = hk, protocol.CommitWeights{Netuid: c.netuid, Hash: protocol.WeightsCommitHash(h.id(hk), c.netuid, c.uids, c.vals, c.salt, 0)}
				}
			case 13:
				hk := hot()
				signer, call = strings.Split(hk, "/")[2], protocol.SetTake{Hotkey: h.id(hk), Take: uint16(rng.IntN(13_000))}
			case 14:
				signer, call = hot(), protocol.ServeAxon{Netuid: netuid(), Version: 1, IP: [16]byte{15: byte(1 + rng.IntN(200))}, Port: uint16(1 + rng.IntN(60000)), IPType: 4}
			case 15:
				who := []string{"Alice", "Bob", "Charlie", "Dave"}[rng.IntN(4)]
				name := names[rng.IntN(len(names))]
				var v uint64
				switch rng.IntN(3) {
				case 0:
					v = uint64(rng.IntN(2))
				case 1:
					v = uint64(rng.IntN(70_000))
				default:
					v = rng.Uint64()
				}
				if name == "registration_allowed" || name == "max_allowed_uids" || name == "tempo" && v == 0 {
					v = max(v, 1) // keep the subnets alive and emitting (tempo 0 is refused anyway)
				}
				signer, call = who, protocol.SetHyperparameter{Netuid: netuid(), Name: name, Value: v}
				if rng.IntN(5) == 0 {
					g := globals[rng.IntN(len(globals))]
					if g == "min_lock" || g == "minimum_reserve" || g == "min_stake" || g == "stake_threshold" {
						continue // would only make everything else fail
					}
					signer, call = who, protocol.SudoSetGlobal{Name: g, Value: uint64(rng.IntN(20_000))}
				}
			case 16:
				switch rng.IntN(4) {
				case 0:
					signer, call = cold(), protocol.RegisterNetwork{Hotkey: h.id(fmt.Sprintf("//%s//net%d", cold(), b))}
				case 1:
					signer, call = []string{"Alice", "Bob"}[rng.IntN(2)], protocol.DissolveNetwork{Netuid: uint16(4 + rng.IntN(3))}
				case 2:
					signer, call = cold(), protocol.StartCall{Netuid: netuid()}
				default:
					hk := hot()
					nk := fmt.Sprintf("%s//s%d", hk, b)
					signer, call = strings.Split(hk, "/")[2], protocol.SwapHotkey{Hotkey: h.id(hk), NewHotkey: h.id(nk)}
				}
			}
			kp := h.key(signer)
			nonce, err := h.c.NextNonce(kp.AccountID())
			if err != nil {
				t.Fatal(err)
			}
			hash, err := h.c.Submit(signTx(t, h.c, kp, nonce, 0, 0, call))
			total++
			if err != nil {
				if _, ok := protocol.CodeOf(err); !ok {
					t.Fatalf("submit %s: %v", call.CallName(), err)
				}
				rejected++
				continue
			}
			hashes = append(hashes, hash)
		}
		h.seal()
		for _, hash := range hashes {
			info, err := h.c.Tx(hash)
			if err != nil {
				continue // left out of the block (e.g. fee no longer payable): the pool dropped it
			}
			rc := info.Receipt
			codes[rc.CodeName]++
			if rc.OK() {
				okBy[info.Call.Method]++
				continue
			}
			failed++
			if strings.HasPrefix(rc.CodeName, "code_") || rc.Message == "" || rc.Code.IsRejection() {
				t.Fatalf("block %d: %s failed with unregistered or silent code %d %q", info.Height, info.Call.Method, rc.Code, rc.Message)
			}
		}
	}
	if total < blocks*4 || failed == 0 || codes["ok"] < total/10 {
		t.Fatalf("too little variety: %d submitted, %d rejected, %d failed, codes %v", total, rejected, failed, codes)
	}
	t.Logf("%d blocks, %d calls (%d rejected at submission, %d failed receipts); codes %v; successes %v", blocks, total, rejected, failed, codes, okBy)
	for _, m := range []string{"add_stake", "remove_stake", "move_stake", "transfer_stake", "swap_stake", "burned_register",
		"set_weights", "set_take", "serve_axon", "set_hyperparameter", "swap_hotkey"} {
		if okBy[m] == 0 {
			t.Errorf("no successful %s in %d blocks", m, blocks)
		}
	}
	nets, _ := h.c.Subnets()
	if len(nets) < 4 {
		t.Fatalf("only %d subnets left", len(nets))
	}
	if err := h.c.Replay(bg(), t.TempDir()); err != nil {
		t.Fatal(err)
	}
}
