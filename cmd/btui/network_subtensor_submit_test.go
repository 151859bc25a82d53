package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/chainclient/substrate/substratetest"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Real submissions through ordinary commands (wallet transfer, stake add) against a subtensor
// node: every read is answered by a replay of recorded finney traffic (plus the answers no
// recording holds, each named where it is added), and only what a node sends on its own is
// SCRIPTED, through tx submit's test node (txNode): the watch of the submission ("ready", then
// "inBlock"), the including block (a Timestamp.set inherent and the submitted bytes, under a
// header whose roots are zero) and that block's System.Events, which polkadot.js encoded event
// by event from the metadata (testdata/polkadotjs-extrinsics/submissions.json, make.mjs).
// The submitted bytes are checked against the extrinsic polkadot.js built for the same call,
// nonce and era (sr25519 signatures are randomised: everything but the 64 signature bytes is
// compared byte for byte, and btui's signature must verify over polkadot.js's payload).

// submission is one entry of submissions.json.
type submission struct {
	substratetest.Vector
	Scripted struct {
		TimestampMs uint64         `json:"timestamp_ms"`
		InherentHex string         `json:"inherent_hex"`
		Success     scriptedEvents `json:"success"`
		Failure     scriptedEvents `json:"failure"`
	} `json:"scripted_inclusion"`
}

type scriptedEvents struct {
	Hex    string   `json:"hex"`
	Events []string `json:"events"`
}

func loadSubmissions(t *testing.T) (transfer, stake submission) {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/polkadotjs-extrinsics/submissions.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Transfer, Stake submission }
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc.Transfer, doc.Stake
}

// scriptInclusion makes the node report the next submission in block number (child of
// parent): the block holds the scripted inherent and the submitted bytes, and its events are
// eventsHex. It returns the block's hash (the hash of its header), which the watch reports.
func scriptInclusion(t *testing.T, tn *txNode, node *substratetest.Node, parent string, number uint64, inherent, eventsHex string) string {
	t.Helper()
	zero := "0x" + strings.Repeat("00", 32)
	hdr := map[string]any{"parentHash": parent, "number": fmt.Sprintf("0x%x", number), "stateRoot": zero, "extrinsicsRoot": zero, "digest": map[string]any{"logs": []any{}}}
	h, err := substrate.ParseHeader(mustJSON(t, hdr))
	if err != nil {
		t.Fatal(err)
	}
	hash := h.Hash().Hex()
	key, _, err := node.Metadata.StorageKey("System", "Events")
	if err != nil {
		t.Fatal(err)
	}
	node.MustAdd(t, "state_getStorageAt", []any{"0x" + hex.EncodeToString(key), hash}, eventsHex)
	tn.mu.Lock()
	defer tn.mu.Unlock()
	tn.watch = []json.RawMessage{json.RawMessage(`"ready"`), json.RawMessage(`{"inBlock":"` + hash + `"}`)}
	tn.onSubmit = func(ext string) {
		if err := node.Add("chain_getBlock", []any{hash}, map[string]any{"block": map[string]any{"header": hdr, "extrinsics": []string{inherent, ext}}}); err != nil {
			t.Error(err)
		}
	}
	return hash
}

// samePolkadotJS checks submitted bytes against polkadot.js's extrinsic for the same call,
// nonce and era.
func samePolkadotJS(t *testing.T, m *substrate.Metadata, submitted string, v submission) {
	t.Helper()
	ours, err := m.DecodeExtrinsic(mustHex(t, submitted))
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := m.DecodeExtrinsic(mustHex(t, v.ExtrinsicHex))
	if err != nil {
		t.Fatal(err)
	}
	a, b := mustHex(t, submitted), mustHex(t, v.ExtrinsicHex)
	at := bytes.Index(a, ours.Signature)
	if ours.Scheme != substrate.SchemeSr25519 || ours.Signer != theirs.Signer || ours.Nonce != v.Nonce || len(a) != len(b) || at < 0 ||
		!bytes.Equal(a[:at], b[:at]) || !bytes.Equal(a[at+64:], b[at+64:]) {
		t.Fatalf("submitted\n %s\npolkadot.js (%s.%s nonce %d, era %d@%d)\n %s", submitted, v.Pallet, v.Call, v.Nonce, v.Era.Period, v.Era.Current, v.ExtrinsicHex)
	}
	if err := wallet.VerifyScheme(wallet.Sr25519, substrate.SigningPayload(mustHex(t, v.PayloadHex), nil, nil), ours.Signature, ours.Signer); err != nil {
		t.Errorf("btui's signature does not verify over polkadot.js's signing payload: %v", err)
	}
}

// TestSubtensorTransferSubmit: `wallet transfer --dest BOB --amount 0.0001` by sr25519 //Alice
// on a finney node (test_get_payment_info, spec 393). Without --yes and without a terminal
// nothing is submitted (exit 2); on a terminal the question names finney and real TAO, and
// "n" submits nothing; with --yes the node receives exactly polkadot.js's extrinsic, the
// scripted block reports success (exit 0, the JSON naming the network, the genesis and the
// block); a scripted ExtrinsicFailed with Balances.InsufficientBalance exits 3 naming it with
// its docs from the metadata.
func TestSubtensorTransferSubmit(t *testing.T) {
	t.Parallel()
	bin := sharedBtui(t)
	transfer, _ := loadSubmissions(t)
	wallets := aliceSrWallet(t, bin)
	args := []string{"wallet", "transfer", "--wallet-name", "dev", "--wallet-path", wallets, "--dest", srBob, "--amount", "0.0001"}

	node := transferNode(t)
	tn := serveTxNode(t, node)
	head := recordedHead(t, node)
	scriptInclusion(t, tn, node, head.hash, head.number+1, transfer.Scripted.InherentHex, transfer.Scripted.Success.Hex)

	// No --yes, no terminal: refused before anything is sent.
	_, errOut, code := runBtui(t, bin, append([]string{"--network", tn.url}, args...)...)
	if code != ExitUsage || !strings.Contains(errOut, "--yes") || tn.submissions() != 0 {
		t.Fatalf("without --yes: exit %d, %d submissions\n%s", code, tn.submissions(), errOut)
	}
	// On a terminal (the same command in process): the question names finney and real TAO.
	c := newTxCLI(t)
	c.ok("wallet", "regen-coldkey", "--wallet-name", "dev", "--uri", "//Alice", "--crypto-type", "sr25519", "--no-password")
	r := c.runIO("n\n", true, "--network", tn.url, "wallet", "transfer", "--wallet-name", "dev", "--dest", srBob, "--amount", "0.0001")
	if r.code == 0 || !strings.Contains(r.errOut, "finney") || !strings.Contains(r.errOut, "real TAO") || tn.submissions() != 0 {
		t.Fatalf("declined: exit %d, %d submissions\n%s", r.code, tn.submissions(), r.errOut)
	}

	out, errOut, code := runBtui(t, bin, append([]string{"--network", tn.url}, append(args, "--yes", "--json")...)...)
	if code != 0 || tn.submissions() != 1 {
		t.Fatalf("--yes: exit %d, %d submissions\n%s\n%s", code, tn.submissions(), out, errOut)
	}
	tn.mu.Lock()
	submitted := tn.submitted[0]
	tn.mu.Unlock()
	samePolkadotJS(t, node.Metadata, submitted, transfer)
	checkIncluded(t, out, head.number+1, "Balances", "Transfer", 161_248)

	// ExtrinsicFailed: exit 3 naming the module error from the metadata.
	node = transferNode(t)
	tn = serveTxNode(t, node)
	scriptInclusion(t, tn, node, head.hash, head.number+1, transfer.Scripted.InherentHex, transfer.Scripted.Failure.Hex)
	out, errOut, code = runBtui(t, bin, append([]string{"--network", tn.url}, append(args, "--yes")...)...)
	if code != ExitRejected || !strings.Contains(errOut, "Balances.InsufficientBalance: Balance too low to send value.") || tn.submissions() != 1 {
		t.Errorf("failure: exit %d (want 3 naming Balances.InsufficientBalance with its docs)\n%s\n%s", code, out, errOut)
	}
}

// TestSubtensorStakeSubmit: `stake add --netuid 1 --amount 1 --yes` by sr25519 //Alice on the
// recorded finney metagraph (block 6,852,690, spec 343): the node receives exactly
// polkadot.js's add_stake_limit extrinsic (nonce 4, era at the head, the quote's limit price),
// and the scripted block's SubtensorModule.StakeAdded and ExtrinsicSuccess make it exit 0;
// without --yes nothing is sent.
func TestSubtensorStakeSubmit(t *testing.T) {
	t.Parallel()
	bin := sharedBtui(t)
	_, stake := loadSubmissions(t)
	sn := newStakeNode(t)
	if sn.limitPrice != 9_579_153 {
		t.Fatalf("the quote's limit price is %d; submissions.json was made for 9,579,153 (regenerate it)", sn.limitPrice)
	}
	tn := serveTxNode(t, sn.node)
	scriptInclusion(t, tn, sn.node, sn.blockHash, sn.block+1, stake.Scripted.InherentHex, stake.Scripted.Success.Hex)
	wallets := aliceSrWallet(t, bin)
	args := []string{"--network", tn.url, "stake", "add", "--netuid", "1", "--amount", "1", "--wallet-name", "dev", "--wallet-path", wallets, "--hotkey-ss58", uid0Hotkey}
	if _, errOut, code := runBtui(t, bin, args...); code != ExitUsage || tn.submissions() != 0 {
		t.Fatalf("without --yes: exit %d, %d submissions\n%s", code, tn.submissions(), errOut)
	}
	out, errOut, code := runBtui(t, bin, append(args, "--yes", "--json")...)
	if code != 0 || tn.submissions() != 1 {
		t.Fatalf("--yes: exit %d, %d submissions\n%s\n%s", code, tn.submissions(), out, errOut)
	}
	tn.mu.Lock()
	submitted := tn.submitted[0]
	tn.mu.Unlock()
	samePolkadotJS(t, sn.node.Metadata, submitted, stake)
	checkIncluded(t, out, sn.block+1, "SubtensorModule", "StakeAdded", sn.fee)
}

// checkIncluded checks a transaction command's JSON result: finney by its genesis, the
// transaction in the scripted block at index 1 with an OK receipt carrying the fee of the
// scripted TransactionFeePaid, and the call's own event among its events.
func checkIncluded(t *testing.T, out string, height uint64, module, event string, fee uint64) {
	t.Helper()
	var got struct {
		Network     string        `json:"network"`
		GenesisHash protocol.Hash `json:"genesis_hash"`
		OK          bool          `json:"ok"`
		Tx          struct {
			Block uint64 `json:"block"`
			Index int    `json:"index"`
		} `json:"tx"`
		Receipt protocol.Receipt `json:"receipt"`
		Events  []protocol.Event `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	found := false
	for _, e := range got.Events {
		found = found || (e.Module == module && e.Name == event && e.Height == height)
	}
	if !got.OK || !strings.HasPrefix(got.Network, "finney") || got.GenesisHash.String() != chainclient.FinneyGenesis || got.Tx.Block != height ||
		got.Tx.Index != 1 || got.Receipt.Code != protocol.CodeOK || got.Receipt.Fee != fee || !found {
		t.Errorf("result (want block %d, %s.%s, fee %d):\n%s", height, module, event, fee, out)
	}
}

// recordedHead is a seed's recorded head (chain_getHeader at null).
type headRef struct {
	hash   string
	number uint64
}

func recordedHead(t *testing.T, node *substratetest.Node) headRef {
	t.Helper()
	raw, err := node.Call(context.Background(), "chain_getHeader", nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := substrate.ParseHeader(raw)
	if err != nil {
		t.Fatal(err)
	}
	return headRef{h.Hash().Hex(), h.Number}
}

const srAlice, uid0Hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ"

// stakeNode is the recorded finney metagraph seed (block 6,852,690, spec 343) with what a
// `stake add --netuid 1 --amount 1` by sr25519 //Alice on uid 0's hotkey reads and no
// recording holds: the stake view's answers polkadot.js encoded
// (testdata/polkadotjs-extrinsics/stakeview.json: Swap.FeeRate, her System.Account with nonce
// 4, her position and the dynamic info it is valued at), the finalized head (the recorded
// head), her next nonce (4, as her account says) and the node's fee for exactly the
// add_stake_limit extrinsic the quote makes (stakeview.json's query_info answer).
type stakeNode struct {
	node       *substratetest.Node
	block      uint64
	blockHash  string
	fee        uint64
	limitPrice uint64
	quote      ops.Quote // the quote made from view, as the command makes it (0.5% tolerance)
	view       protocol.StakeView
}

func newStakeNode(t *testing.T) *stakeNode {
	t.Helper()
	node := substratetest.NewNode(t, subtensorTestdata, "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
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
	for _, st := range ans.Storage {
		node.MustAdd(t, "state_getStorageAt", []any{st.Key, ans.BlockHash}, st.Hex)
	}
	for _, c := range ans.Calls {
		node.MustAdd(t, "state_call", []any{c.API + "_" + c.Method, c.Args, ans.BlockHash}, c.Hex)
	}
	node.MustAdd(t, "chain_getFinalizedHead", []any{}, ans.BlockHash)
	node.MustAdd(t, "account_nextIndex", []any{srAlice}, 4)
	sn := &stakeNode{node: node, block: ans.Block, blockHash: ans.BlockHash}
	sn.fee, err = strconv.ParseUint(ans.QueryInfo.Value.PartialFee, 10, 64)
	if err != nil {
		t.Fatal(err)
	}

	// The quote, from the stake view read in-process over the same replay, gives the limit
	// price, hence the extrinsic whose fee the command asks for (a fee estimate carries a zero
	// signature).
	ctx := context.Background()
	c, err := substrate.Connect(ctx, node.Replay, substrate.ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sub := chainclient.NewSubtensor(c, "replay")
	aliceID, _ := wallet.ParseAddress(srAlice)
	hotID, _ := wallet.ParseAddress(uid0Hotkey)
	if sn.view, err = sub.StakeView(ctx, aliceID, []uint16{1}); err != nil {
		t.Fatal(err)
	}
	if len(sn.view.Markets) != 1 || sn.view.Markets[0].FeeRate != 179 || sn.view.MinReserve != 1_000_000 {
		t.Fatalf("stake view %+v", sn.view)
	}
	tol, err := ops.ParseTolerance("0.005")
	if err != nil {
		t.Fatal(err)
	}
	q, err := ops.QuoteTrade(sn.view.Markets[0].Subnet, 179, 1_000_000, 1_000_000_000, true, ops.Trade{TolerancePPM: tol})
	if err != nil {
		t.Fatal(err)
	}
	sn.quote, sn.limitPrice = q, q.LimitPrice
	m := node.Metadata
	_, call, err := chainclient.EncodeSubtensorCall(m, protocol.AddStake{Hotkey: hotID, Netuid: 1, Amount: 1_000_000_000, LimitPrice: q.LimitPrice}, chainclient.CallContext{})
	if err != nil {
		t.Fatal(err)
	}
	v := c.RuntimeVersion()
	era := substrate.MortalEra(chainclient.SubtensorMortality, ans.Block)
	x, err := m.BuildSigned(call, substrate.TxParams{Nonce: 4, Era: era, Genesis: c.Genesis, SpecVersion: v.SpecVersion, TxVersion: v.TransactionVersion},
		feeEstimateSigner{aliceID})
	if err != nil {
		t.Fatal(err)
	}
	args := append(append([]byte(nil), x.Bytes...), byte(len(x.Bytes)), byte(len(x.Bytes)>>8), byte(len(x.Bytes)>>16), byte(len(x.Bytes)>>24))
	node.MustAdd(t, "state_call", []any{"TransactionPaymentApi_query_info", "0x" + hex.EncodeToString(args), nil}, ans.QueryInfo.Hex)
	return sn
}
