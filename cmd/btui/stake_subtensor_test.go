package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
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
// The replay also answers three facts of the chain the recording did not read: the finalized
// head (the recorded head), //Alice's next nonce (4, her System.Account nonce), and the hash
// of the era's birth block, which only enters the signing payload a fee estimate does not
// sign (any hash gives the same extrinsic).
func TestSubtensorStakeAddDryRun(t *testing.T) {
	t.Parallel()
	bin := sharedBtui(t)
	url, r := replayNode(t, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	raw, err := os.ReadFile("../../testdata/polkadotjs-extrinsics/stakeview.json")
	if err != nil {
		t.Fatal(err)
	}
	var ans struct {
		Block     uint64 `json:"block"`
		BlockHash string `json:"block_hash"`
		Storage   []struct{ Key, Hex string }
		Calls     []struct{ API, Method, Args, Hex string }
		QueryInfo struct {
			Hex   string
			Value struct {
				PartialFee string `json:"partialFee"`
			}
		} `json:"query_info"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		t.Fatal(err)
	}
	add := func(method string, params []any, result any) {
		t.Helper()
		if err := r.Add(method, params, result); err != nil {
			t.Fatal(err)
		}
	}
	for _, st := range ans.Storage {
		add("state_getStorageAt", []any{st.Key, ans.BlockHash}, st.Hex)
	}
	for _, c := range ans.Calls {
		add("state_call", []any{c.API + "_" + c.Method, c.Args, ans.BlockHash}, c.Hex)
	}
	const alice, hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ"
	aliceID, _ := wallet.ParseAddress(alice)
	hotID, _ := wallet.ParseAddress(hotkey)
	add("chain_getFinalizedHead", []any{}, ans.BlockHash)
	add("account_nextIndex", []any{alice}, 4)
	era := substrate.MortalEra(chainclient.SubtensorMortality, ans.Block)
	add("chain_getBlockHash", []any{era.Birth(ans.Block)}, "0x"+strings.Repeat("ab", 32))

	// The expected quote, from the stake view read in-process over the same replay, and the
	// extrinsic whose fee the binary asks for.
	ctx := context.Background()
	sub, err := chainclient.DialSubtensor(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	view, err := sub.StakeView(ctx, aliceID, []uint16{1})
	if err != nil {
		t.Fatal(err)
	}
	if len(view.Markets) != 1 || view.Markets[0].FeeRate != 179 || view.MinReserve != 1_000_000 {
		t.Fatalf("stake view %+v", view)
	}
	tol, err := ops.ParseTolerance("0.005")
	if err != nil {
		t.Fatal(err)
	}
	q, err := ops.QuoteTrade(view.Markets[0].Subnet, 179, 1_000_000, 1_000_000_000, true, ops.Trade{TolerancePPM: tol})
	if err != nil {
		t.Fatal(err)
	}
	m := sub.Substrate().Metadata()
	_, call, err := chainclient.EncodeSubtensorCall(m, protocol.AddStake{Hotkey: hotID, Netuid: 1, Amount: 1_000_000_000, LimitPrice: q.LimitPrice}, chainclient.CallContext{})
	if err != nil {
		t.Fatal(err)
	}
	v := sub.Substrate().RuntimeVersion()
	x, err := m.BuildSigned(call, substrate.TxParams{Nonce: 4, Era: era, Genesis: sub.Substrate().Genesis, SpecVersion: v.SpecVersion, TxVersion: v.TransactionVersion},
		feeEstimateSigner{aliceID})
	if err != nil {
		t.Fatal(err)
	}
	args := append(append([]byte(nil), x.Bytes...), byte(len(x.Bytes)), byte(len(x.Bytes)>>8), byte(len(x.Bytes)>>16), byte(len(x.Bytes)>>24))
	add("state_call", []any{"TransactionPaymentApi_query_info", "0x" + hex.EncodeToString(args), nil}, ans.QueryInfo.Hex)

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
	if ans.QueryInfo.Value.PartialFee != "2470113" || !got.DryRun || !got.OK || got.Signer != aliceID || got.GenesisHash.String() != chainclient.FinneyGenesis ||
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
