package localchain

import "testing"

// TestPaysTable runs every call whose fee differs from the flat tx_fee (subtensor's Pays::No
// calls and the sudo key's calls) next to calls that pay, and checks each receipt's fee and
// the signer's balance. A validator hotkey that never held TAO sets, commits and reveals
// weights and serves an axon: subtensor's CheckNonce lets a Pays::No call through without a
// balance.
func TestPaysTable(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	const net = 2
	h.ok("Bob", RegisterNetwork{Hotkey: h.id("//Bob//owner")})
	h.ok("Bob", StartCall{Netuid: net})
	hot := "//Charlie//v0" // registered by its coldkey, never funded
	h.ok("Charlie", BurnedRegister{Netuid: net, Hotkey: h.id(hot)})
	if a := balance(t, h.c, h.id(hot)); a.Free != 0 {
		t.Fatalf("hotkey holds %d rao", a.Free)
	}
	info, err := h.c.Info()
	if err != nil {
		t.Fatal(err)
	}
	fee := info.TxFee
	run := func(name, signer string, call Call, want uint64, mustSucceed bool) {
		t.Helper()
		before := balance(t, h.c, h.id(signer)).Free
		got := h.do(signer, call)
		if mustSucceed && !got.Receipt.OK() {
			t.Fatalf("%s: %s (%s)", name, got.Receipt.CodeName, got.Receipt.Message)
		}
		after := balance(t, h.c, h.id(signer)).Free
		if got.Receipt.Fee != want {
			t.Fatalf("%s: receipt fee %d, want %d", name, got.Receipt.Fee, want)
		}
		spent := before - after
		if tr, ok := call.(Transfer); ok {
			spent -= tr.Amount
		}
		if _, ok := call.(Faucet); !ok && spent != want {
			t.Fatalf("%s: signer paid %d rao, want %d", name, spent, want)
		}
	}
	run("set_weights", hot, SetWeights{Netuid: net, Uids: []uint16{1}, Values: []uint16{1}}, 0, true) // a self-weight: no permit yet
	ip := [16]byte{12: 127, 15: 1}
	run("serve_axon", hot, ServeAxon{Netuid: net, IP: ip, Port: 8091, IPType: 4}, 0, true)
	run("set_take (decrease_take)", "Charlie", SetTake{Hotkey: h.id(hot), Take: 6000}, 0, true)
	run("sudo_set_global by sudo", "Alice", SudoSetGlobal{Name: "tao_weight", Value: 1 << 62}, 0, true)
	run("sudo_set_global by anyone else", "Bob", SudoSetGlobal{Name: "tao_weight", Value: 1 << 62}, fee, false)
	run("set_hyperparameter by sudo", "Alice", SetHyperparameter{Netuid: net, Name: "commit_reveal", Value: 1}, 0, true)
	run("set_hyperparameter by the owner", "Bob", SetHyperparameter{Netuid: net, Name: "rho", Value: 12}, fee, true)
	run("faucet by sudo", "Alice", Faucet{To: h.id("Dave"), Amount: RaoPerTAO}, 0, true)
	run("transfer", "Dave", Transfer{To: h.id("Eve"), Amount: RaoPerTAO}, fee, true)

	// Commit, then reveal in the commit's reveal epoch, from the same unfunded hotkey.
	uids, vals, salt := []uint16{1}, []uint16{7}, []uint16{1, 2, 3}
	run("commit_weights", hot, CommitWeights{Netuid: net, Hash: WeightsCommitHash(h.id(hot), net, uids, vals, salt, 0)}, 0, true)
	h.untilEpoch(net)
	h.seal()
	run("reveal_weights", hot, RevealWeights{Netuid: net, Uids: uids, Values: vals, Salt: salt}, 0, true)
	if a := balance(t, h.c, h.id(hot)); a.Free != 0 || a.Nonce != 4 {
		t.Fatalf("hotkey after four free calls: %+v", a)
	}

	// A tip is still paid, and with it the existential deposit applies.
	kp := h.key(hot)
	_, err = h.c.Submit(signTx(t, h.c, kp, 4, 1, 0, SetWeights{Netuid: net, Uids: []uint16{0}, Values: []uint16{1}}))
	wantCode(t, err, CodeUnfundedFee)
	for _, c := range []struct {
		name CallName
		want Pays
	}{
		{SetWeights{}.CallName(), PaysNo}, {CommitWeights{}.CallName(), PaysNo}, {RevealWeights{}.CallName(), PaysNo},
		{ServeAxon{}.CallName(), PaysNo}, {SetTake{}.CallName(), PaysNo}, {AddStake{}.CallName(), PaysYes},
		{BurnedRegister{}.CallName(), PaysYes}, {PowRegister{}.CallName(), PaysYes}, {SwapHotkey{}.CallName(), PaysYes},
		{RegisterNetwork{}.CallName(), PaysYes}, {Transfer{}.CallName(), PaysYes}, {SudoSetGlobal{}.CallName(), PaysNoForSudo},
	} {
		if got := CallPays(c.name); got != c.want {
			t.Errorf("%v pays %d, want %d", c.name, got, c.want)
		}
	}
}
