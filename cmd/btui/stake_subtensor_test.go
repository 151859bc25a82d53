package main

import (
	"encoding/json"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/wallet"
)

// feeEstimateSigner signs as a subtensor fee estimate does (TransactionPaymentApi_query_info
// charges by length, so the estimate carries a zero sr25519 signature).
type feeEstimateSigner struct{ id wallet.AccountID }

func (z feeEstimateSigner) Scheme() substrate.SignatureScheme { return substrate.SchemeSr25519 }
func (z feeEstimateSigner) AccountID() wallet.AccountID       { return z.id }
func (z feeEstimateSigner) Sign([]byte) ([]byte, error)       { return make([]byte, 64), nil }

// TestSubtensorStakeAddDryRun: `stake add --netuid 1 --amount 1 --dry-run --json` by sr25519
// //Alice on uid 0's hotkey of the recorded finney metagraph (block 6,852,690, spec 343)
// previews the quote made from the node's stake view (the recorded mechagraph's pool,
// Swap.FeeRate 179/65535 and the metadata's minimum reserve) and the node's fee for exactly
// the add_stake_limit extrinsic that quote's limit price makes (2,470,113 rao). The answers no
// recording holds were encoded by polkadot.js (testdata/polkadotjs-extrinsics/stakeview.json).
// The replay also answers two facts of the chain the recording did not read: the finalized
// head (the recorded head) and //Alice's next nonce (4, her System.Account nonce): newStakeNode.
func TestSubtensorStakeAddDryRun(t *testing.T) {
	t.Parallel()
	bin := sharedBtui(t)
	sn := newStakeNode(t)
	url := sn.node.Serve(t)
	const alice, hotkey = srAlice, uid0Hotkey
	aliceID, _ := wallet.ParseAddress(alice)
	view, q := sn.view, sn.quote

	wallets := t.TempDir()
	if _, errOut, code := runBtui(t, bin, "wallet", "regen-coldkey", "--name", "dev", "--uri", "//Alice", "--crypto-type", "sr25519",
		"--no-password", "--wallet-path", wallets); code != 0 {
		t.Fatalf("regen //Alice: exit %d: %s", code, errOut)
	}
	out, errOut, code := runBtui(t, bin, "--network", url, "stake", "add", "--netuid", "1", "--amount", "1", "--dry-run", "--json",
		"--wallet-name", "dev", "--wallet-path", wallets, "--hotkey-ss58", hotkey)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		dryRunJSON
		Preview ops.StakePreview `json:"preview"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	sim := got.Simulation
	if sn.fee != 2_470_113 || !got.DryRun || !got.OK || got.Signer != aliceID || got.GenesisHash.String() != chainclient.FinneyGenesis ||
		sim == nil || sim.Receipt.Fee != 2_470_113 || sim.Call.Module != "SubtensorModule" || sim.Call.Method != "add_stake_limit" {
		t.Fatalf("dry run %s", out)
	}
	pv := got.Preview
	if pv.Fee != 2_470_113 || pv.Hotkey != hotkey || pv.Balance != 5_000_000_000 || pv.BalanceAfter != 5_000_000_000-2_470_113-1_000_000_000 {
		t.Errorf("preview %+v", pv)
	}
	if pv.Quote != q || q.LimitPrice == 0 || q.ExpectedOut == 0 || q.Price != view.Markets[0].Subnet.Price {
		t.Errorf("quote %+v, want %+v", pv.Quote, q)
	}
}
