package localchain

import (
	"testing"

	"github.com/btui/btui/protocol"
)

// TestPaysTable runs every call whose fee differs from the flat tx_fee (subtensor's Pays::No
// calls and the sudo key's calls) next to calls that pay, and checks each receipt's fee and
// the signer's balance. A validator hotkey that never held TAO sets, commits and reveals
// weights and serves an axon: subtensor's CheckNonce lets a Pays::No call through without a
// balance.
func TestPaysTable(t *testing.T) {
	t.Parallel()
	h := newSubHarness(t)
	const net = 2
	h.ok("Bob", protocol.RegisterNetwork{Hotkey: h.id("//Bob//owner")})
	h.ok("Bob", protocol.StartCall{Netuid: net})
	hot := "//Charlie//v0" // registered by its coldkey, never funded
	h.ok("Charlie", protocol.BurnedRegister{Netuid: net, Hotkey: h.id(hot)})
	if a := balance(t, h.c, h.id(hot)); a.Free != 0 {
		t.Fatalf("hotkey holds %d rao", a.Free)
	}
	info, err := h.c.Info()
	if err != nil {
		t.Fatal(err)
	}
	fee := info.TxFee
	// Each call is a subtest, so each difference from the flat fee fails on its own.
	run := func(name, signer string, call protocol.Call, want uint64, mustSucceed bool) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			sh := &subHarness{t: t, c: h.c, keys: h.keys}
			before := balance(t, h.c, h.id(signer)).Free
			got := sh.do(signer, call)
			if mustSucceed && !got.Receipt.OK() {
				t.Fatalf("%s (%s)", got.Receipt.CodeName, got.Receipt.Message)
			}
			after := balance(t, h.c, h.id(signer)).Free
			if got.Receipt.Fee != want {
				t.Fatalf("receipt fee %d, want %d", got.Receipt.Fee, want)
			}
			spent := before - after
			if tr, ok := call.(protocol.Transfer); ok {
				spent -= tr.Amount
			}
			if _, ok := call.(protocol.Faucet); !ok && spent != want {
				t.Fatalf("signer paid %d rao, want %d", spent, want)
			}
		})
	}
	run("set_weights", hot, protocol.SetWeights{Netuid: net, Uids: []uint16{1}, Values: []uint16{1}}, 0, true) // a self-weight: no permit yet
	ip := [16]byte{12: 127, 15: 1}
	run("serve_axon", hot, protocol.ServeAxon{Netuid: net, IP: ip, Port: 8091, IPType: 4}, 0, true)
	run("set_take (decrease_take)", "Charlie", protocol.SetTake{Hotkey: h.id(hot), Take: 6000}, 0, true)
	run("sudo_set_global by sudo", "Alice", protocol.SudoSetGlobal{Name: "tao_weight", Value: 1 << 62}, 0, true)
	run("sudo_set_global by anyone else", "Bob", protocol.SudoSetGlobal{Name: "tao_weight", Value: 1 << 62}, fee, false)
	run("set_hyperparameter by sudo", "Alice", protocol.SetHyperparameter{Netuid: net, Name: "commit_reveal", Value: 1}, 0, true)
	run("set_hyperparameter by the owner", "Bob", protocol.SetHyperparameter{Netuid: net, Name: "rho", Value: 12}, fee, true)
	run("faucet by sudo", "Alice", protocol.Faucet{To: h.id("Dave"), Amount: protocol.RaoPerTAO}, 0, true)
	run("transfer", "Dave", protocol.Transfer{To: h.id("Eve"), Amount: protocol.RaoPerTAO}, fee, true)

	// Commit, then reveal in the commit's reveal epoch, from the same unfunded hotkey.
	uids, vals, salt := []uint16{1}, []uint16{7}, []uint16{1, 2, 3}
	run("commit_weights", hot, protocol.CommitWeights{Netuid: net, Hash: protocol.WeightsCommitHash(h.id(hot), net, uids, vals, salt, 0)}, 0, true)
	h.untilEpoch(net)
	h.seal()
	run("reveal_weights", hot, protocol.RevealWeights{Netuid: net, Uids: uids, Values: vals, Salt: salt}, 0, true)
	if a := balance(t, h.c, h.id(hot)); t.Failed() || a.Free != 0 || a.Nonce != 4 {
		t.Fatalf("hotkey after four free calls: %+v", a)
	}

	// A tip is still paid, and with it the existential deposit applies.
	kp := h.key(hot)
	_, err = h.c.Submit(signTx(t, h.c, kp, balance(t, h.c, h.id(hot)).Nonce, 1, 0, protocol.SetWeights{Netuid: net, Uids: []uint16{0}, Values: []uint16{1}}))
	wantCode(t, err, protocol.CodeUnfundedFee)
	for _, c := range []struct {
		name protocol.CallName
		want protocol.Pays
	}{
		{protocol.SetWeights{}.CallName(), protocol.PaysNo}, {protocol.CommitWeights{}.CallName(), protocol.PaysNo}, {protocol.RevealWeights{}.CallName(), protocol.PaysNo},
		{protocol.ServeAxon{}.CallName(), protocol.PaysNo}, {protocol.SetTake{}.CallName(), protocol.PaysNo}, {protocol.AddStake{}.CallName(), protocol.PaysYes},
		{protocol.BurnedRegister{}.CallName(), protocol.PaysYes}, {protocol.PowRegister{}.CallName(), protocol.PaysYes}, {protocol.SwapHotkey{}.CallName(), protocol.PaysYes},
		{protocol.RegisterNetwork{}.CallName(), protocol.PaysYes}, {protocol.Transfer{}.CallName(), protocol.PaysYes}, {protocol.SudoSetGlobal{}.CallName(), protocol.PaysNoForSudo},
	} {
		if got := protocol.CallPays(c.name); got != c.want {
			t.Errorf("%v pays %d, want %d", c.name, got, c.want)
		}
	}
}
