package localchain

import (
	"bytes"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
)

// badInputBase builds the state every bad-input case starts from:
//
//	subnet 1  Alice's genesis subnet; Alice (owner hotkey) set weights, rate limit raised to 100
//	subnet 2  Bob's: v1 (Charlie, staked, permit, take 5000 → 6000), m1 (Dave, no stake),
//	          m2 (Eve, staked after the last epoch: no permit); tempo 1000, min weights 3,
//	          version key 5, max weight 40000, serving rate limit 1000 (v1 served)
//	subnet 3  Charlie's, commit-reveal on (reveal period 3), PoW off: c1's commit expired,
//	          c2's too early to reveal, c3 registered without commits, c4 holding 10 commits
//	subnet 4  Alice's, not started, max uids 1: full with only the immortal owner hotkey
//	global    stake threshold 1 rao, network rate limit 1000 blocks
func badInputBase(t *testing.T) (*subHarness, map[string][]uint16) {
	h := newSubHarness(t)
	h.submit("Bob", protocol.RegisterNetwork{Hotkey: h.id("//Bob//owner")})
	h.submit("Charlie", protocol.RegisterNetwork{Hotkey: h.id("//Charlie//owner3")})
	h.submit("Alice", protocol.RegisterNetwork{Hotkey: h.id("//Alice//owner4")})
	h.seal()
	h.ok("Bob", protocol.StartCall{Netuid: 2})
	h.ok("Charlie", protocol.StartCall{Netuid: 3})
	hot := []string{"//Charlie//v1", "//Dave//m1", "//Eve//m2", "//Charlie//c1", "//Charlie//c2", "//Charlie//c3", "//Charlie//c4", "//Eve//x"}
	h.fund(10*protocol.RaoPerTAO, hot...)
	h.fund(protocol.RaoPerTAO/100, "//Eve//poor")
	h.submit("Charlie", protocol.BurnedRegister{Netuid: 2, Hotkey: h.id("//Charlie//v1")})
	h.submit("Dave", protocol.BurnedRegister{Netuid: 2, Hotkey: h.id("//Dave//m1")})
	h.submit("Eve", protocol.BurnedRegister{Netuid: 2, Hotkey: h.id("//Eve//m2")})
	for _, c := range []string{"c1", "c2", "c3", "c4"} {
		h.submit("Charlie", protocol.BurnedRegister{Netuid: 3, Hotkey: h.id("//Charlie//" + c)})
	}
	h.submit("Charlie", protocol.AddStake{Hotkey: h.id("//Charlie//v1"), Netuid: 2, Amount: 100 * protocol.RaoPerTAO})
	h.submit("Charlie", protocol.SetTake{Hotkey: h.id("//Charlie//v1"), Take: 5000})
	h.submit("Alice", protocol.SetWeights{Netuid: 1, Uids: []uint16{0}, Values: []uint16{1}})
	h.seal()
	h.ok("Charlie", protocol.SetTake{Hotkey: h.id("//Charlie//v1"), Take: 6000})
	h.untilEpoch(2)
	h.seal() // v1 earns its permit
	for _, c := range []protocol.SetHyperparameter{
		{Netuid: 2, Name: "tempo", Value: 1000}, {Netuid: 2, Name: "max_weights_limit", Value: 40000}, {Netuid: 1, Name: "weights_set_rate_limit", Value: 100},
		{Netuid: 4, Name: "max_allowed_validators", Value: 1}, {Netuid: 4, Name: "max_allowed_uids", Value: 1},
	} {
		h.submit("Alice", c)
	}
	h.submit("Alice", protocol.SudoSetGlobal{Name: "stake_threshold", Value: 1})
	h.submit("Alice", protocol.SudoSetGlobal{Name: "network_rate_limit", Value: 1000})
	h.submit("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "min_allowed_weights", Value: 3})
	h.submit("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "weights_version_key", Value: 5})
	h.submit("Bob", protocol.SetHyperparameter{Netuid: 2, Name: "serving_rate_limit", Value: 1000})
	h.submit("Charlie", protocol.SetHyperparameter{Netuid: 3, Name: "commit_reveal", Value: 1})
	h.submit("Charlie", protocol.SetHyperparameter{Netuid: 3, Name: "reveal_period_epochs", Value: 3})
	h.submit("Charlie", protocol.SetHyperparameter{Netuid: 3, Name: "pow_registration_allowed", Value: 0})
	h.submit("Eve", protocol.AddStake{Hotkey: h.id("//Eve//m2"), Netuid: 2, Amount: 10 * protocol.RaoPerTAO})
	h.submit("//Charlie//v1", protocol.ServeAxon{Netuid: 2, Version: 1, IP: [16]byte{12: 10, 13: 0, 14: 0, 15: 1}, Port: 8091, IPType: 4})
	h.seal()
	for _, b := range h.receiptsOf(h.c.Head().Height) {
		if !b.OK() {
			t.Fatalf("setup: %s", b.Message)
		}
	}
	data := map[string][]uint16{"uids": {1, 2}, "vals": {10, 20}, "salt1": {7}, "salt2": {8}}
	h.ok("//Charlie//c1", protocol.CommitWeights{Netuid: 3, Hash: protocol.WeightsCommitHash(h.id("//Charlie//c1"), 3, data["uids"], data["vals"], data["salt1"], 0)})
	h.advance(50)
	for i := 0; i < MaxUnrevealedCommits; i++ {
		h.ok("//Charlie//c4", protocol.CommitWeights{Netuid: 3, Hash: protocol.Hash{byte(i + 1)}})
	}
	h.untilEpoch(3)
	h.seal()
	h.ok("//Charlie//c2", protocol.CommitWeights{Netuid: 3, Hash: protocol.WeightsCommitHash(h.id("//Charlie//c2"), 3, data["uids"], data["vals"], data["salt2"], 0)})
	if n := h.subnet(2); n.N != 4 || n.H.Tempo != 1000 {
		t.Fatalf("setup subnet 2: %d neurons, tempo %d", n.N, n.H.Tempo)
	}
	mg, _ := h.c.Metagraph(2)
	if !mg.Neurons[1].Permit || mg.Neurons[3].Permit || mg.Neurons[3].Stake == 0 {
		t.Fatalf("setup permits: %+v", mg.Neurons)
	}
	return h, data
}

func (h *subHarness) receiptsOf(height uint64) []protocol.Receipt {
	h.t.Helper()
	b, err := h.c.Block(height)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []protocol.Receipt
	for _, tx := range b.Txs {
		out = append(out, tx.Receipt)
	}
	return out
}

// tryBlock executes the next block with the given transactions inside a write transaction that
// is rolled back: it returns the block's receipts and a dump of the state it produced (after
// checking the invariants on it).
func (h *subHarness) tryBlock(txs ...*protocol.Tx) ([]protocol.Receipt, map[string]string) {
	h.t.Helper()
	tx, err := h.c.db.Begin(true)
	if err != nil {
		h.t.Fatal(err)
	}
	defer tx.Rollback()
	res, err := execBlock(tx, h.c.genesis, h.c.Head(), txs, fromPool)
	if err != nil {
		h.t.Fatal(err)
	}
	for hash, reason := range res.dropped {
		h.t.Fatalf("tx %s left out of the block: %v", hash, reason)
	}
	if err := CheckInvariants(tx); err != nil {
		h.t.Fatalf("invariants: %v", err)
	}
	return res.receipts, dumpState(h.t, tx)
}

func dumpState(t testing.TB, tx *bbolt.Tx) map[string]string {
	out := map[string]string{}
	for _, b := range registry().buckets {
		if err := tx.Bucket(b).ForEach(func(k, v []byte) error {
			out[string(b)+"/"+string(k)] = string(v)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// signed builds a decoded, signed transaction of the named key at its committed nonce.
func (h *subHarness) signed(signer string, call protocol.Call) *protocol.Tx {
	h.t.Helper()
	kp := h.key(signer)
	a := balance(h.t, h.c, kp.AccountID())
	t, err := protocol.DecodeTx(signTx(h.t, h.c, kp, a.Nonce, 0, 0, call))
	if err != nil {
		h.t.Fatal(err)
	}
	return t
}

// TestBadInput covers every failure mode of the subtensor calls: each bad call is included with
// its stable code and a message, and the block it is in ends with exactly the state of an empty
// block except the signer's fee and nonce (and the fee burned from issuance).
func TestBadInput(t *testing.T) {
	t.Parallel()
	h, data := badInputBase(t)
	s2, _ := h.c.Subnet(2)
	id := h.id
	v1, m1 := id("//Charlie//v1"), id("//Dave//m1")

	cases := []struct {
		name   string
		signer string
		call   protocol.Call
		code   protocol.Code
		msg    string // a word the message must contain
	}{
		// Subnets.
		{"register_network rate limited", "Bob", protocol.RegisterNetwork{Hotkey: id("//Bob//o2")}, protocol.CodeNetworkRateLimited, "rate limited"},
		{"register_network lock above limit", "Dave", protocol.RegisterNetwork{Hotkey: id("//Dave//o"), LimitLock: 1}, protocol.CodeLockPriceLimit, "limit"},
		{"register_network insufficient balance", "//Eve//poor", protocol.RegisterNetwork{Hotkey: id("//Eve//o")}, protocol.CodeInsufficientBalance, "insufficient"},
		{"register_network hotkey of another coldkey", "Dave", protocol.RegisterNetwork{Hotkey: v1}, protocol.CodeHotkeyOwnedByOther, "belongs"},
		{"start_call not owner", "Dave", protocol.StartCall{Netuid: 2}, protocol.CodeNotSubnetOwner, "owner"},
		{"start_call twice", "Bob", protocol.StartCall{Netuid: 2}, protocol.CodeAlreadyStarted, "already"},
		{"start_call root", "Alice", protocol.StartCall{Netuid: 0}, protocol.CodeRootNetwork, "root"},
		{"start_call missing subnet", "Alice", protocol.StartCall{Netuid: 99}, protocol.CodeSubnetNotFound, "does not exist"},
		{"hyperparameter not owner", "Dave", protocol.SetHyperparameter{Netuid: 2, Name: "rho", Value: 5}, protocol.CodeNotSubnetOwner, "owner"},
		{"hyperparameter unknown", "Bob", protocol.SetHyperparameter{Netuid: 2, Name: "nope", Value: 5}, protocol.CodeUnknownHyperparam, "unknown"},
		{"hyperparameter owner bounds", "Bob", protocol.SetHyperparameter{Netuid: 2, Name: "tempo", Value: 50_401}, protocol.CodeHyperparamBounds, "out of bounds"},
		{"tempo 0 by sudo", "Alice", protocol.SetHyperparameter{Netuid: 2, Name: "tempo", Value: 0}, protocol.CodeHyperparamBounds, "out of bounds"},
		{"hyperparameter sudo bounds", "Alice", protocol.SetHyperparameter{Netuid: 2, Name: "bonds_moving_average", Value: 1_000_001}, protocol.CodeHyperparamBounds, "out of bounds"},
		{"hyperparameter sudo only", "Bob", protocol.SetHyperparameter{Netuid: 2, Name: "kappa", Value: 5}, protocol.CodeNotSettable, "sudo"},
		{"hyperparameter cross check", "Bob", protocol.SetHyperparameter{Netuid: 2, Name: "alpha_low", Value: 2000}, protocol.CodeHyperparamBounds, "liquid_alpha"},
		{"max uids below neurons", "Alice", protocol.SetHyperparameter{Netuid: 2, Name: "max_allowed_uids", Value: 2}, protocol.CodeHyperparamBounds, "below"},
		{"sudo_set_global not sudo", "Bob", protocol.SudoSetGlobal{Name: "tao_weight", Value: 0}, protocol.CodeNotSudo, "sudo"},
		{"sudo_set_global bounds", "Alice", protocol.SudoSetGlobal{Name: "subnet_owner_cut", Value: 70_000}, protocol.CodeHyperparamBounds, "out of bounds"},
		{"sudo_set_global unknown", "Alice", protocol.SudoSetGlobal{Name: "nope", Value: 1}, protocol.CodeUnknownHyperparam, "unknown"},
		{"dissolve not sudo", "Bob", protocol.DissolveNetwork{Netuid: 2}, protocol.CodeNotSudo, "sudo"},
		{"dissolve root", "Alice", protocol.DissolveNetwork{Netuid: 0}, protocol.CodeRootNetwork, "root"},
		// Staking.
		{"add_stake below minimum", "Dave", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 1_000_000}, protocol.CodeStakeBelowMinimum, "minimum"},
		{"add_stake insufficient balance", "Dave", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 1_000_000 * protocol.RaoPerTAO}, protocol.CodeInsufficientBalance, "insufficient"},
		{"add_stake unknown hotkey", "Dave", protocol.AddStake{Hotkey: id("//Nobody"), Netuid: 2, Amount: protocol.RaoPerTAO}, protocol.CodeHotkeyNotFound, "does not exist"},
		{"add_stake not started", "Dave", protocol.AddStake{Hotkey: id("//Alice//owner4"), Netuid: 4, Amount: protocol.RaoPerTAO}, protocol.CodeNotStarted, "start_call"},
		{"add_stake missing subnet", "Dave", protocol.AddStake{Hotkey: v1, Netuid: 77, Amount: protocol.RaoPerTAO}, protocol.CodeSubnetNotFound, "does not exist"},
		{"add_stake price limit exceeded", "Dave", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 10 * protocol.RaoPerTAO, LimitPrice: s2.Price / 2}, protocol.CodePriceLimitExceeded, "limit"},
		{"add_stake partial fill refused", "Dave", protocol.AddStake{Hotkey: v1, Netuid: 2, Amount: 100 * protocol.RaoPerTAO, LimitPrice: s2.Price + s2.Price/20}, protocol.CodeSlippageUnfulfilled, "partial"},
		{"remove_stake insufficient stake", "Dave", protocol.RemoveStake{Hotkey: v1, Netuid: 2, Amount: 1}, protocol.CodeInsufficientStake, "insufficient stake"},
		{"remove_stake below minimum", "Charlie", protocol.RemoveStake{Hotkey: v1, Netuid: 2, Amount: 1000}, protocol.CodeStakeBelowMinimum, "minimum"},
		{"remove_stake price limit", "Charlie", protocol.RemoveStake{Hotkey: v1, Netuid: 2, Amount: protocol.RaoPerTAO, LimitPrice: s2.Price * 2}, protocol.CodePriceLimitExceeded, "limit"},
		{"move_stake insufficient stake", "Dave", protocol.MoveStake{OriginHotkey: v1, DestinationHotkey: m1, OriginNetuid: 2, DestinationNetuid: 2, Amount: protocol.RaoPerTAO}, protocol.CodeInsufficientStake, "insufficient stake"},
		{"move_stake unknown destination", "Charlie", protocol.MoveStake{OriginHotkey: v1, DestinationHotkey: id("//Nobody"), OriginNetuid: 2, DestinationNetuid: 2, Amount: protocol.RaoPerTAO}, protocol.CodeHotkeyNotFound, "does not exist"},
		{"transfer_stake below minimum", "Charlie", protocol.TransferStake{DestinationColdkey: id("Dave"), Hotkey: v1, OriginNetuid: 2, DestinationNetuid: 2, Amount: 1000}, protocol.CodeStakeBelowMinimum, "minimum"},
		{"swap_stake to unstarted subnet", "Charlie", protocol.SwapStake{Hotkey: v1, OriginNetuid: 2, DestinationNetuid: 4, Amount: protocol.RaoPerTAO}, protocol.CodeNotStarted, "start_call"},
		{"set_take not owner", "Dave", protocol.SetTake{Hotkey: v1, Take: 100}, protocol.CodeNotHotkeyOwner, "owner"},
		{"set_take above max", "Charlie", protocol.SetTake{Hotkey: v1, Take: 60_000}, protocol.CodeTakeOutOfBounds, "out of bounds"},
		{"set_take unchanged", "Charlie", protocol.SetTake{Hotkey: v1, Take: 6000}, protocol.CodeTakeNotChanged, "already"},
		{"set_take increase rate limited", "Charlie", protocol.SetTake{Hotkey: v1, Take: 7000}, protocol.CodeTakeRateLimited, "rate limited"},
		// Registration.
		{"burned_register already registered", "Charlie", protocol.BurnedRegister{Netuid: 2, Hotkey: v1}, protocol.CodeAlreadyRegistered, "already registered"},
		{"burned_register root", "Dave", protocol.BurnedRegister{Netuid: 0, Hotkey: id("//Dave//n")}, protocol.CodeRootNetwork, "root"},
		{"burned_register missing subnet", "Dave", protocol.BurnedRegister{Netuid: 99, Hotkey: id("//Dave//n")}, protocol.CodeSubnetNotFound, "does not exist"},
		{"burned_register above limit", "Dave", protocol.BurnedRegister{Netuid: 2, Hotkey: id("//Dave//n"), LimitPrice: 1}, protocol.CodeBurnPriceLimit, "limit"},
		{"burned_register hotkey of another coldkey", "Dave", protocol.BurnedRegister{Netuid: 3, Hotkey: v1}, protocol.CodeHotkeyOwnedByOther, "belongs"},
		{"burned_register insufficient balance", "//Eve//poor", protocol.BurnedRegister{Netuid: 2, Hotkey: id("//Eve//x2")}, protocol.CodeInsufficientBalance, "insufficient"},
		{"subnet full, everyone immortal", "Dave", protocol.BurnedRegister{Netuid: 4, Hotkey: id("//Dave//n")}, protocol.CodeSubnetFull, "full"},
		{"pow registration disabled", "Dave", protocol.PowRegister{Netuid: 3, BlockNumber: 1, Hotkey: id("//Dave//n")}, protocol.CodeRegistrationDisabled, "disabled"},
		{"pow work for a future block", "Dave", protocol.PowRegister{Netuid: 2, BlockNumber: h.c.Head().Height + 5, Hotkey: id("//Dave//n")}, protocol.CodeInvalidWorkBlock, "block"},
		{"pow work too old", "Dave", protocol.PowRegister{Netuid: 2, BlockNumber: 1, Hotkey: id("//Dave//n")}, protocol.CodeInvalidWorkBlock, "block"},
		{"pow difficulty not met", "Dave", protocol.PowRegister{Netuid: 2, BlockNumber: h.c.Head().Height, Work: protocol.Hash{0: 0xFF, 31: 0xFF}, Hotkey: id("//Dave//n")}, protocol.CodeInvalidDifficulty, "difficulty"},
		{"pow seal mismatch", "Dave", protocol.PowRegister{Netuid: 2, BlockNumber: h.c.Head().Height, Work: protocol.Hash{}, Hotkey: id("//Dave//n")}, protocol.CodeInvalidSeal, "seal"},
		// Weights (§5.1 in order).
		{"set_weights root", "//Charlie//v1", protocol.SetWeights{Netuid: 0, Uids: []uint16{0}, Values: []uint16{1}}, protocol.CodeRootNetwork, "root"},
		{"set_weights commit-reveal on", "//Charlie//c3", protocol.SetWeights{Netuid: 3, Uids: []uint16{0}, Values: []uint16{1}}, protocol.CodeCommitRevealEnabled, "commit"},
		{"set_weights length mismatch", "//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: []uint16{0, 2}, Values: []uint16{1}, VersionKey: 5}, protocol.CodeWeightsLengthMismatch, "one weight per uid"},
		{"set_weights more uids than neurons", "//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: []uint16{0, 1, 2, 3, 4}, Values: []uint16{1, 1, 1, 1, 1}, VersionKey: 5}, protocol.CodeTooManyUids, "neurons"},
		{"set_weights not registered", "//Eve//x", protocol.SetWeights{Netuid: 2, Uids: []uint16{0}, Values: []uint16{1}, VersionKey: 5}, protocol.CodeNotRegistered, "not registered"},
		{"set_weights stake below threshold", "//Dave//m1", protocol.SetWeights{Netuid: 2, Uids: []uint16{2}, Values: []uint16{1}, VersionKey: 5}, protocol.CodeStakeBelowThreshold, "threshold"},
		{"set_weights version key too low", "//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: []uint16{0, 2, 3}, Values: []uint16{1, 1, 1}, VersionKey: 4}, protocol.CodeVersionKeyTooLow, "version"},
		{"set_weights rate limited", "Alice", protocol.SetWeights{Netuid: 1, Uids: []uint16{0}, Values: []uint16{1}}, protocol.CodeWeightsRateLimited, "too fast"},
		{"set_weights no permit", "//Eve//m2", protocol.SetWeights{Netuid: 2, Uids: []uint16{0, 1, 2}, Values: []uint16{1, 1, 1}, VersionKey: 5}, protocol.CodeNoValidatorPermit, "permit"},
		{"set_weights duplicate uids", "//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: []uint16{0, 2, 2}, Values: []uint16{1, 1, 1}, VersionKey: 5}, protocol.CodeDuplicateUids, "twice"},
		{"set_weights invalid uid", "//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: []uint16{0, 2, 9}, Values: []uint16{1, 1, 1}, VersionKey: 5}, protocol.CodeInvalidUid, "does not exist"},
		{"set_weights too few", "//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: []uint16{2, 3}, Values: []uint16{1, 1}, VersionKey: 5}, protocol.CodeTooFewWeights, "at least"},
		{"set_weights max weight exceeded", "//Charlie//v1", protocol.SetWeights{Netuid: 2, Uids: []uint16{0, 2, 3}, Values: []uint16{65535, 1, 1}, VersionKey: 5}, protocol.CodeMaxWeightExceeded, "max weight"},
		// Commit-reveal.
		{"commit with commit-reveal off", "//Charlie//v1", protocol.CommitWeights{Netuid: 2, Hash: protocol.Hash{1}}, protocol.CodeCommitRevealDisabled, "disabled"},
		{"reveal with commit-reveal off", "//Charlie//v1", protocol.RevealWeights{Netuid: 2, Uids: []uint16{0}, Values: []uint16{1}}, protocol.CodeCommitRevealDisabled, "disabled"},
		{"commit not registered", "//Eve//x", protocol.CommitWeights{Netuid: 3, Hash: protocol.Hash{1}}, protocol.CodeNotRegistered, "not registered"},
		{"commit too many", "//Charlie//c4", protocol.CommitWeights{Netuid: 3, Hash: protocol.Hash{99}}, protocol.CodeTooManyCommits, "unrevealed"},
		{"reveal without commit", "//Charlie//c3", protocol.RevealWeights{Netuid: 3, Uids: data["uids"], Values: data["vals"], Salt: data["salt1"]}, protocol.CodeNoCommit, "no weights commit"},
		{"reveal too early", "//Charlie//c2", protocol.RevealWeights{Netuid: 3, Uids: data["uids"], Values: data["vals"], Salt: data["salt2"]}, protocol.CodeRevealTooEarly, "too early"},
		{"reveal too late", "//Charlie//c1", protocol.RevealWeights{Netuid: 3, Uids: data["uids"], Values: data["vals"], Salt: data["salt1"]}, protocol.CodeRevealExpired, "too late"},
		{"reveal hash mismatch", "//Charlie//c2", protocol.RevealWeights{Netuid: 3, Uids: data["uids"], Values: data["vals"], Salt: data["salt1"]}, protocol.CodeHashMismatch, "matches none"},
		// Serving and keys.
		{"serve_axon not registered", "//Eve//x", protocol.ServeAxon{Netuid: 2, IP: [16]byte{15: 1}, Port: 1, IPType: 4}, protocol.CodeNotRegistered, "not registered"},
		{"serve_axon rate limited", "//Charlie//v1", protocol.ServeAxon{Netuid: 2, IP: [16]byte{15: 2}, Port: 2, IPType: 4}, protocol.CodeServingRateLimited, "rate limited"},
		{"swap_hotkey not owner", "Dave", protocol.SwapHotkey{Hotkey: v1, NewHotkey: id("//Dave//new")}, protocol.CodeNotHotkeyOwner, "owner"},
		{"swap_hotkey new key in use", "Charlie", protocol.SwapHotkey{Hotkey: v1, NewHotkey: m1}, protocol.CodeNewHotkeyInUse, "already exists"},
		{"swap_hotkey unknown hotkey", "Charlie", protocol.SwapHotkey{Hotkey: id("//Nobody"), NewHotkey: id("//Nobody2")}, protocol.CodeHotkeyNotFound, "does not exist"},
	}
	_, empty := h.tryBlock()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tx := h.signed(tc.signer, tc.call)
			fee := protocol.FeeFor(tc.call.CallName(), tx.Signer == h.id("Alice"), protocol.DefaultParams().TxFee) // Alice is sudo
			rcs, got := h.tryBlock(tx)
			rc := rcs[0]
			if rc.Code != tc.code {
				t.Fatalf("code %s (%d) %q, want %s (%d)", rc.CodeName, rc.Code, rc.Message, tc.code, tc.code)
			}
			if rc.CodeName == "" || strings.HasPrefix(rc.CodeName, "code_") || !strings.Contains(rc.Message, tc.msg) {
				t.Fatalf("receipt %s %q: want a named code and a message containing %q", rc.CodeName, rc.Message, tc.msg)
			}
			acctKey := string(bucketAccounts) + "/" + string(tx.Signer[:])
			issKey := string(bucketSystem) + "/" + string(sysTotalIssuance)
			for k, v := range got {
				if k == acctKey || k == issKey {
					continue
				}
				if w, ok := empty[k]; !ok || w != v {
					t.Fatalf("state key %q changed (%x -> %x)", k, w, v)
				}
			}
			for k := range empty {
				if _, ok := got[k]; !ok {
					t.Fatalf("state key %q deleted", k)
				}
			}
			before, after := []byte(empty[acctKey]), []byte(got[acctKey])
			if len(before) != 16 || len(after) != 16 {
				t.Fatal("signer account missing")
			}
			if freeOf(before)-freeOf(after) != fee || nonceOf(after) != nonceOf(before)+1 {
				t.Fatalf("signer paid %d (fee %d), nonce %d -> %d", freeOf(before)-freeOf(after), fee, nonceOf(before), nonceOf(after))
			}
			if u64of(empty[issKey])-u64of(got[issKey]) != fee {
				t.Fatal("issuance did not drop by the fee")
			}
		})
	}

	// Stateless rejections never enter a block.
	rejects := []struct {
		name string
		call protocol.Call
		code protocol.Code
	}{
		{"zero stake", protocol.AddStake{Hotkey: v1, Netuid: 2}, protocol.CodeZeroAmount},
		{"zero unstake", protocol.RemoveStake{Hotkey: v1, Netuid: 2}, protocol.CodeZeroAmount},
		{"swap to same subnet", protocol.SwapStake{Hotkey: v1, OriginNetuid: 2, DestinationNetuid: 2, Amount: 5}, protocol.CodeInvalidArgs},
		{"move to same position", protocol.MoveStake{OriginHotkey: v1, DestinationHotkey: v1, OriginNetuid: 2, DestinationNetuid: 2, Amount: 5}, protocol.CodeInvalidArgs},
		{"axon ip type", protocol.ServeAxon{Netuid: 2, IP: [16]byte{15: 1}, Port: 1, IPType: 5}, protocol.CodeInvalidArgs},
		{"axon port zero", protocol.ServeAxon{Netuid: 2, IP: [16]byte{15: 1}, IPType: 4}, protocol.CodeInvalidArgs},
		{"swap hotkey to itself", protocol.SwapHotkey{Hotkey: v1, NewHotkey: v1}, protocol.CodeInvalidArgs},
		{"empty hyperparameter name", protocol.SetHyperparameter{Netuid: 2}, protocol.CodeInvalidArgs},
	}
	for _, tc := range rejects {
		_, err := h.c.CheckTx(signTx(t, h.c, h.key("Charlie"), 0, 0, 0, tc.call))
		if code, ok := protocol.CodeOf(err); !ok || code != tc.code {
			t.Errorf("%s: %v, want rejection %s", tc.name, err, tc.code)
		}
	}
	// A malformed vector length is a decoding rejection.
	bad := signTx(t, h.c, h.key("Charlie"), 0, 0, 0, protocol.SetWeights{Netuid: 2, Uids: []uint16{1}, Values: []uint16{1}})
	i := bytes.Index(bad, []byte("set_weights")) + len("set_weights") + 2
	bad[i], bad[i+1] = 0xFF, 0xFF
	if _, err := protocol.DecodeTx(bad); err == nil {
		t.Error("a vector length past the payload decoded")
	}
}

func freeOf(v []byte) uint64  { return u64of(string(v[:8])) }
func nonceOf(v []byte) uint64 { return u64of(string(v[8:16])) }
func u64of(s string) uint64 {
	var x uint64
	for i := 0; i < len(s) && i < 8; i++ {
		x = x<<8 | uint64(s[i])
	}
	return x
}
