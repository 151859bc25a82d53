package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/chainclient/substrate/substratetest"
)

// tx submit is tested against the recorded node traffic served on loopback
// (substratetest.Node.ServeHook, substrate.ReplayHandlerHook). Why not a replay of a recorded
// submission: the recordings under testdata/subtensor hold no author_submitAndWatchExtrinsic
// exchange (they are read-only SDK traffic; the author_* names in them are only rpc_methods
// listings), and a submission's answers depend on what is submitted. So every call is
// answered from the recorded spec-393 finney traffic (the real System.Events of block
// 7,959,635, with real successes and a real Commitments.AccountNotAllowedCommit failure)
// through substrate.Replay, failing the test on any unrecorded request, and the replay's hook
// (txNode.answer) scripts only what a node sends on its own: the author_extrinsicUpdate
// notifications of the watch ("ready", then {"inBlock": hash}), new heads, the block that
// includes the extrinsic at the position of a recorded outcome, and the head header.

const (
	txEventsBlock  = "0x81617dc8ede17528d8f8aab64c84285a166f73e120ff6d2acd11e3419a95abec" // finney 7,959,635
	txEventsHeight = 7_959_635
)

type txNode struct {
	t      *testing.T
	replay *substrate.Replay
	url    string

	mu        sync.Mutex
	watch     []json.RawMessage // author_extrinsicUpdate notifications for the next submission
	heads     []json.RawMessage // new heads sent after a submission
	submitErr *substrate.RPCError
	submitted []string // hex of every submission received
	// onSubmit, if set, sees each accepted submission before its watch notifications are
	// sent (a test puts the submitted bytes in the block the watch reports).
	onSubmit func(ext string)
}

func newTxNode(t *testing.T) *txNode {
	t.Helper()
	node := substratetest.NewNode(t, subtensorTestdata, "finney-spec393-recordings.json.gz", "test_get_events_proper_decoding", "metadata-v15-spec393")
	node.MustAdd(t, "chain_getHeader", []any{nil}, txHeader(txEventsHeight-1))
	return serveTxNode(t, node)
}

// serveTxNode serves a replay (any recorded seed, substratetest.Node) with the scripted
// submission side of txNode: author_submitAndWatchExtrinsic and chain_subscribeNewHeads
// deliver what the test scripts, every other request is answered by the replay.
func serveTxNode(t *testing.T, node *substratetest.Node) *txNode {
	t.Helper()
	n := &txNode{t: t, replay: node.Replay}
	n.url = node.ServeHook(t, n.answer)
	return n
}

func txHeader(n uint64) map[string]any {
	zero := "0x" + strings.Repeat("00", 32)
	return map[string]any{"parentHash": zero, "number": "0x" + strconv.FormatUint(n, 16), "stateRoot": zero, "extrinsicsRoot": zero, "digest": map[string]any{"logs": []any{}}}
}

// answer is the node's replay hook: the new-heads subscription (whose heads only a
// submission sends) and the submission itself, answered as the test scripted it.
func (n *txNode) answer(c *substrate.ReplayConn, method string, params []any) (any, *substrate.RPCError, bool) {
	switch method {
	case "chain_subscribeNewHeads":
		return "h1", nil, true
	case "author_submitAndWatchExtrinsic":
		ext := fmt.Sprint(params...)
		n.mu.Lock()
		n.submitted = append(n.submitted, ext)
		watch, heads, serr, hook := n.watch, n.heads, n.submitErr, n.onSubmit
		n.mu.Unlock()
		if serr != nil {
			return nil, serr, true
		}
		if hook != nil {
			hook(ext)
		}
		// Queued until the answer ("w1") is sent, then sent in this order.
		for _, note := range watch {
			_ = c.Notify("author_extrinsicUpdate", "w1", note)
		}
		for _, h := range heads {
			_ = c.Notify("chain_newHead", "h1", h)
		}
		return "w1", nil, true
	}
	return nil, nil, false
}

// includeAt makes block 7,959,635 hold ext at index idx (the other positions are filler
// extrinsics) and scripts the watch to report it in that block.
func (n *txNode) includeAt(ext string, idx int) {
	n.t.Helper()
	exts := make([]string, idx+1)
	for i := range exts {
		exts[i] = "0x0c00" + fmt.Sprintf("%02x", i) // compact length 3 + filler, never equal to ext
	}
	exts[idx] = ext
	hdr := txHeader(txEventsHeight)
	if err := n.replay.Add("chain_getBlock", []any{txEventsBlock}, map[string]any{"block": map[string]any{"header": hdr, "extrinsics": exts}}); err != nil {
		n.t.Fatal(err)
	}
	n.mu.Lock()
	n.watch = []json.RawMessage{json.RawMessage(`"ready"`), json.RawMessage(`{"broadcast":["12D3KooW"]}`), json.RawMessage(`{"inBlock":"` + txEventsBlock + `"}`)}
	n.heads, n.submitErr = nil, nil
	n.mu.Unlock()
}

func (n *txNode) submissions() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.submitted)
}

// recordedOutcomes are the positions in block 7,959,635 of a successful and of a failed
// extrinsic, read from its recorded events.
func recordedOutcomes(t *testing.T) (success, failed int, failure string) {
	t.Helper()
	m := txMetadata(t, txMeta393)
	recs, err := substrate.LoadRecordings("../../testdata/subtensor/finney-spec393-recordings.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	var raw string
	for params, resp := range recs["test_get_events_proper_decoding"]["state_getStorageAt"] {
		if strings.Contains(params, txEventsBlock[2:]) {
			var env struct {
				Result string `json:"result"`
			}
			if err := json.Unmarshal(resp, &env); err != nil {
				t.Fatal(err)
			}
			raw = env.Result
		}
	}
	evs, err := substrate.DecodeEvents(m, mustHex(t, raw))
	if err != nil {
		t.Fatal(err)
	}
	success, failed = -1, -1
	paid := map[int]bool{}
	for _, e := range evs {
		if e.Name == "TransactionFeePaid" {
			paid[e.Extrinsic] = true
		}
	}
	for _, e := range evs {
		switch {
		case e.Name == "ExtrinsicSuccess" && paid[e.Extrinsic] && success < 0:
			success = e.Extrinsic
		case e.Name == "ExtrinsicFailed" && failed < 0:
			failed, failure = e.Extrinsic, e.Failure(m)
		}
	}
	if success < 0 || failed < 0 {
		t.Fatalf("block %s: no success or failure among %d events", txEventsBlock, len(evs))
	}
	return success, failed, failure
}

// signForNode signs a transfer offline for finney at spec 393 (immortal unless era is given).
func signForNode(t *testing.T, c *txCLI, nonce int, genesis string, extra ...string) txSignJSON {
	t.Helper()
	args := []string{"tx", "sign", "--offline", "--wallet-name", "//Alice", "--metadata", txMeta393, "--call", "Balances.transfer_keep_alive",
		"--args", `{"dest":"5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y","value":100000}`, "--nonce", strconv.Itoa(nonce),
		"--genesis-hash", genesis, "--spec-version", "393", "--tx-version", "1", "--json"}
	if len(extra) == 0 {
		extra = []string{"--era", "immortal"}
	}
	r := c.ok(append(args, extra...)...)
	var s txSignJSON
	if err := json.Unmarshal([]byte(r.out), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTxSubmitOutcome(t *testing.T) {
	t.Parallel()
	okAt, failAt, failure := recordedOutcomes(t)
	node := newTxNode(t)
	c := newTxCLI(t)

	// Success: the JSON names the block, the position, the fee and the events.
	s := signForNode(t, c, 0, finneyGenesisHex)
	node.includeAt(s.Extrinsic, okAt)
	r := c.ok("tx", "submit", s.Extrinsic, "--network", node.url, "--yes", "--json")
	var out txSubmitJSON
	if err := json.Unmarshal([]byte(r.out), &out); err != nil {
		t.Fatalf("%v\n%s", err, r.out)
	}
	if !out.Included || !out.Success || out.Block != txEventsHeight || out.BlockHash != txEventsBlock || out.Index != okAt || out.Hash != s.Hash ||
		out.GenesisHash != finneyGenesisHex || len(out.Events) == 0 || out.Fee == 0 || out.Chain != "finney" || out.Call.Call != "transfer_keep_alive" || strings.Join(out.Statuses, ",") != "ready,broadcast,inBlock" {
		t.Errorf("success: %+v", out)
	}
	if !strings.Contains(r.errOut, "real TAO") || !strings.Contains(r.errOut, "finney") {
		t.Errorf("the review must name the network and say real TAO on finney:\n%s", r.errOut)
	}

	// ExtrinsicFailed: exit 3 with the module error's name and docs.
	s = signForNode(t, c, 1, finneyGenesisHex)
	node.includeAt(s.Extrinsic, failAt)
	r = c.run("tx", "submit", s.Extrinsic, "--network", node.url, "--yes")
	if r.code != ExitRejected || !strings.Contains(r.errOut, failure) || !strings.Contains(r.out, "FAILED: "+failure) {
		t.Errorf("failure: exit %d (want 3 naming %q)\nstdout: %s\nstderr: %s", r.code, failure, r.out, r.errOut)
	}
	if !strings.Contains(failure, "Commitments.AccountNotAllowedCommit") {
		t.Errorf("recorded failure %q", failure)
	}

	// A pool rejection (1010 invalid): exit 3, nothing else happens.
	s = signForNode(t, c, 2, finneyGenesisHex)
	node.mu.Lock()
	node.submitErr = &substrate.RPCError{Code: 1010, Message: "Invalid Transaction", Data: json.RawMessage(`"Transaction is outdated"`)}
	node.mu.Unlock()
	r = c.run("tx", "submit", s.Extrinsic, "--network", node.url, "--yes")
	if r.code != ExitRejected || !strings.Contains(r.errOut, "Invalid Transaction") {
		t.Errorf("pool rejection: exit %d\n%s", r.code, r.errOut)
	}
	if n := node.submissions(); n != 3 {
		t.Errorf("%d submissions, want 3", n)
	}
}

// TestTxSubmitRefusals: nothing reaches the node without a confirmation naming it, for an
// extrinsic signed for another chain (checked by its signature, and by the genesis of tx sign's
// JSON), for one signed for another runtime, or for altered bytes.
func TestTxSubmitRefusals(t *testing.T) {
	t.Parallel()
	okAt, _, _ := recordedOutcomes(t)
	node := newTxNode(t)
	c := newTxCLI(t)
	s := signForNode(t, c, 0, finneyGenesisHex)
	node.includeAt(s.Extrinsic, okAt)

	// No terminal and no --yes: the confirmation cannot be asked.
	r := c.run("tx", "submit", s.Extrinsic, "--network", node.url)
	if r.code != ExitUsage || !strings.Contains(r.errOut, "--yes") {
		t.Errorf("no terminal: exit %d\n%s", r.code, r.errOut)
	}
	// Declined on a terminal; the question names the network and real TAO.
	r = c.runIO("n\n", true, "tx", "submit", s.Extrinsic, "--network", node.url)
	if r.code == 0 || !strings.Contains(r.errOut, "(real TAO)? [y/N]") || !strings.Contains(r.errOut, node.url) {
		t.Errorf("declined: exit %d\n%s", r.code, r.errOut)
	}
	// --no: the review, then exit 0 without submitting.
	r = c.run("tx", "submit", s.Extrinsic, "--network", node.url, "--no")
	if r.code != 0 || !strings.Contains(r.errOut, "not submitted") {
		t.Errorf("--no: exit %d\n%s", r.code, r.errOut)
	}

	// Signed for the test network's genesis: the signature does not verify on this node.
	other := signForNode(t, c, 0, testnetGenesisHex)
	r = c.run("tx", "submit", other.Extrinsic, "--network", node.url, "--yes")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "does not accept this signature") || !strings.Contains(r.errOut, "another chain") {
		t.Errorf("other genesis (hex): exit %d\n%s", r.code, r.errOut)
	}
	// The same as tx sign's JSON: the genesis is compared directly and named.
	js := c.file("other.json", string(mustJSON(t, other)))
	r = c.run("tx", "submit", "--file", js, "--network", node.url, "--yes")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "signed for genesis "+testnetGenesisHex+" (test)") || !strings.Contains(r.errOut, finneyGenesisHex) {
		t.Errorf("other genesis (JSON): exit %d\n%s", r.code, r.errOut)
	}
	// Signed with runtime 343's metadata: it does not even decode the same way, or its
	// signature names runtime 343: refused either way.
	old := c.ok("tx", "sign", "--offline", "--wallet-name", "//Alice", "--metadata", txMeta343, "--call", "Balances.transfer_keep_alive",
		"--args", `{"dest":"5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y","value":100000}`, "--nonce", "0", "--era", "immortal",
		"--genesis-hash", finneyGenesisHex, "--spec-version", "343", "--tx-version", "1")
	r = c.run("tx", "submit", strings.TrimSpace(old.out), "--network", node.url, "--yes")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "not submitted") {
		t.Errorf("runtime 343: exit %d\n%s", r.code, r.errOut)
	}
	// Altered bytes (the amount changed after signing).
	b := mustHex(t, s.Extrinsic)
	b[len(b)-1] ^= 1
	r = c.run("tx", "submit", fmt.Sprintf("0x%x", b), "--network", node.url, "--yes")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "does not accept this signature") {
		t.Errorf("altered: exit %d\n%s", r.code, r.errOut)
	}
	// Not hex, not signed, no network.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tx", "submit", "0xzz", "--network", node.url, "--yes"}, "not 0x hex"},
		{[]string{"tx", "submit", s.Call.Hex, "--network", node.url, "--yes"}, "does not decode"},
		{[]string{"tx", "submit", s.Extrinsic, "--yes"}, "needs a subtensor node"},
		{[]string{"tx", "submit", s.Extrinsic, "--network", "devnet0", "--yes"}, "is not one"},
	} {
		if r := c.run(tc.args...); r.code != ExitUsage || !strings.Contains(r.errOut, tc.want) {
			t.Errorf("%v: exit %d\n%s", tc.args, r.code, r.errOut)
		}
	}
	if n := node.submissions(); n != 0 {
		t.Fatalf("%d submissions reached the node, want none", n)
	}
	// Confirmed on a terminal: submitted once.
	r = c.runIO("y\n", true, "tx", "submit", s.Extrinsic, "--network", node.url)
	if r.code != 0 || node.submissions() != 1 {
		t.Errorf("confirmed: exit %d, %d submissions\n%s", r.code, node.submissions(), r.errOut)
	}
}

// TestTxSubmitEraEnds: a mortal extrinsic that no block includes before its era ends is
// reported as such (exit 1) and is never resubmitted; one whose era has already ended is
// refused before sending.
func TestTxSubmitEraEnds(t *testing.T) {
	t.Parallel()
	node := newTxNode(t)
	c := newTxCLI(t)
	const birth = txEventsHeight - 10 // a multiple-of-64 phase is not needed: any block can be a birth
	birthHash := "0x" + strings.Repeat("ab", 32)
	if err := node.replay.Add("chain_getBlockHash", []any{birth}, birthHash); err != nil {
		t.Fatal(err)
	}
	s := signForNode(t, c, 0, finneyGenesisHex, "--era", "64", "--block-number", strconv.Itoa(birth), "--block-hash", birthHash)
	if s.Era.Birth == nil || *s.Era.Birth != birth || *s.Era.Death != birth+64 {
		t.Fatalf("era %+v", s.Era)
	}
	node.mu.Lock()
	node.watch = []json.RawMessage{json.RawMessage(`"ready"`)}
	for _, n := range []uint64{birth + 62, birth + 63, birth + 64, birth + 65} {
		node.heads = append(node.heads, mustJSON(t, txHeader(n)))
	}
	node.mu.Unlock()
	r := c.run("tx", "submit", s.Extrinsic, "--network", node.url, "--yes", "--json")
	if r.code != ExitFailed || !strings.Contains(r.errOut, "era ended without inclusion") || !strings.Contains(r.errOut, fmt.Sprintf("valid until block %d", birth+63)) ||
		!strings.Contains(r.errOut, "not resubmitted") || r.out != "" {
		t.Errorf("era ended: exit %d\nstdout: %s\nstderr: %s", r.code, r.out, r.errOut)
	}
	if n := node.submissions(); n != 1 {
		t.Errorf("%d submissions, want exactly 1", n)
	}

	// Later, the head is past the era: refused before sending, named as an ended era.
	later := birth + 64 + 5
	if err := node.replay.Add("chain_getHeader", []any{nil}, txHeader(uint64(later))); err != nil {
		t.Fatal(err)
	}
	if err := node.replay.Add("chain_getBlockHash", []any{birth + 64}, "0x"+strings.Repeat("cd", 32)); err != nil {
		t.Fatal(err)
	}
	r = c.run("tx", "submit", s.Extrinsic, "--network", node.url, "--yes")
	if r.code == 0 || !strings.Contains(r.errOut, fmt.Sprintf("signed for the era starting at block %d", birth)) || !strings.Contains(r.errOut, "never be included") {
		t.Errorf("expired before sending: exit %d\n%s", r.code, r.errOut)
	}
	if n := node.submissions(); n != 1 {
		t.Errorf("%d submissions, want still 1", n)
	}
}

// TestTxDecodeOnNode: with --network the metadata comes from the node and the signature is
// checked against its chain values.
func TestTxDecodeOnNode(t *testing.T) {
	t.Parallel()
	node := newTxNode(t)
	c := newTxCLI(t)
	s := signForNode(t, c, 3, finneyGenesisHex)
	r := c.ok("tx", "decode", s.Extrinsic, "--network", node.url)
	if !strings.Contains(r.out, "signature  ok: valid for genesis "+finneyGenesisHex+", runtime 393") || !strings.Contains(r.out, "Balances.transfer_keep_alive") {
		t.Errorf("decode on node:\n%s", r.out)
	}
	other := signForNode(t, c, 3, testnetGenesisHex)
	path := filepath.Join(c.dir, "other.hex")
	if err := os.WriteFile(path, []byte(other.Extrinsic+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = c.ok("tx", "decode", "--file", path, "--network", node.url, "--json")
	if !strings.Contains(r.out, `"valid": false`) {
		t.Errorf("decode of another chain's extrinsic:\n%s", r.out)
	}
	if node.submissions() != 0 {
		t.Fatal("decode submitted")
	}
}

// TestTxSignOnline: without --offline the node gives the nonce (account_nextIndex), the
// era's block (the finalized head, 128 blocks by default), the genesis and the versions; the
// result is the same extrinsic as an offline signature with those values, and it is not
// submitted.
func TestTxSignOnline(t *testing.T) {
	t.Parallel()
	node := newTxNode(t)
	c := newTxCLI(t)
	const fin = txEventsHeight - 3
	finHash := "0x" + strings.Repeat("5a", 32)
	alice := "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X" // ECDSA //Alice
	for _, a := range []struct {
		method string
		params []any
		result any
	}{
		{"account_nextIndex", []any{alice}, 42},
		{"chain_getFinalizedHead", []any{}, finHash},
		{"chain_getHeader", []any{finHash}, txHeader(fin)},
	} {
		if err := node.replay.Add(a.method, a.params, a.result); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"tx", "sign", "--wallet-name", "//Alice", "--call", "Balances.transfer_keep_alive",
		"--args", `{"dest":"5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y","value":100000}`, "--json"}
	r := c.ok(append(args, "--network", node.url)...)
	var online txSignJSON
	if err := json.Unmarshal([]byte(r.out), &online); err != nil {
		t.Fatal(err)
	}
	if online.Nonce != 42 || online.Era.Period != 128 || online.Era.Birth == nil || *online.Era.Birth != fin || online.Era.BirthHash != finHash ||
		online.GenesisHash != finneyGenesisHex || online.SpecVersion != 393 || online.Offline || online.Network != "finney" {
		t.Errorf("online: %+v", online)
	}
	offline := c.ok(append(args, "--offline", "--metadata", txMeta393, "--nonce", "42", "--era", "128", "--block-number", strconv.Itoa(fin),
		"--block-hash", finHash, "--genesis-hash", finneyGenesisHex, "--spec-version", "393", "--tx-version", "1")...)
	var off txSignJSON
	if err := json.Unmarshal([]byte(offline.out), &off); err != nil {
		t.Fatal(err)
	}
	if off.Extrinsic != online.Extrinsic {
		t.Errorf("online and offline signatures differ:\n%s\n%s", online.Extrinsic, off.Extrinsic)
	}
	// A --genesis-hash that is not the node's is refused online too.
	r = c.run(append(args, "--network", node.url, "--genesis-hash", testnetGenesisHex)...)
	if r.code != ExitUsage || !strings.Contains(r.errOut, "different chain") {
		t.Errorf("online with another genesis: exit %d\n%s", r.code, r.errOut)
	}
	if node.submissions() != 0 {
		t.Fatal("tx sign submitted")
	}
}

// TestTxJSONShapes pins the keys of the three documents (docs/json.md): fields are added,
// never renamed or removed.
func TestTxJSONShapes(t *testing.T) {
	t.Parallel()
	okAt, _, _ := recordedOutcomes(t)
	node := newTxNode(t)
	c := newTxCLI(t)
	keys := func(doc string) string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		var k []string
		for name := range m {
			k = append(k, name)
		}
		sort.Strings(k)
		return strings.Join(k, ",")
	}
	s := signForNode(t, c, 0, finneyGenesisHex)
	signDoc := string(mustJSON(t, s))
	if got, want := keys(signDoc), "call,era,extrinsic,genesis_hash,hash,length,metadata_hash,network,nonce,offline,signer,spec_version,tip,tx_version"; got != want {
		t.Errorf("tx sign keys %s\nwant %s", got, want)
	}
	var sign map[string]json.RawMessage
	_ = json.Unmarshal([]byte(signDoc), &sign)
	if got, want := keys(string(sign["call"])), "amounts,arg_types,args,call,hex,pallet"; got != want {
		t.Errorf("Call keys %s, want %s", got, want)
	}
	if got, want := keys(string(sign["signer"])), "address,key,scheme,wallet"; got != want {
		t.Errorf("signer keys %s, want %s", got, want)
	}
	dec := c.ok("tx", "decode", s.Extrinsic, "--network", node.url, "--json")
	if got, want := keys(dec.out), "call,era,hash,kind,length,metadata_hash_mode,network,nonce,signature,signature_check,signer,spec_version,tip,version"; got != want {
		t.Errorf("tx decode keys %s\nwant %s", got, want)
	}
	node.includeAt(s.Extrinsic, okAt)
	sub := c.ok("tx", "submit", s.Extrinsic, "--network", node.url, "--yes", "--json")
	if got, want := keys(sub.out), "block,block_hash,call,chain,events,fee,genesis_hash,hash,included,index,network,nonce,signer,statuses,success,tip"; got != want {
		t.Errorf("tx submit keys %s\nwant %s", got, want)
	}
}

// TestTxPrepare: the online machine's tx prepare gives, as flags, exactly what an offline tx sign
// needs; signing offline with them gives the same extrinsic as signing online.
func TestTxPrepare(t *testing.T) {
	t.Parallel()
	node := newTxNode(t)
	c := newTxCLI(t)
	const fin = txEventsHeight - 3
	finHash := "0x" + strings.Repeat("5a", 32)
	alice := "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X"
	for _, a := range []struct {
		method string
		params []any
		result any
	}{
		{"account_nextIndex", []any{alice}, 7},
		{"chain_getFinalizedHead", []any{}, finHash},
		{"chain_getHeader", []any{finHash}, txHeader(fin)},
	} {
		if err := node.replay.Add(a.method, a.params, a.result); err != nil {
			t.Fatal(err)
		}
	}
	metaFile := filepath.Join(c.dir, "finney-metadata.hex")
	r := c.ok("tx", "prepare", "--network", node.url, "--wallet-name", "//Alice", "--metadata-out", metaFile)
	flags := strings.Fields(strings.TrimSpace(r.out))
	want := []string{"--offline", "--metadata", metaFile, "--nonce", "7", "--era", "128", "--block-number", strconv.Itoa(fin), "--block-hash", finHash,
		"--genesis-hash", finneyGenesisHex, "--spec-version", "393", "--tx-version", "1"}
	if strings.Join(flags, " ") != strings.Join(want, " ") {
		t.Fatalf("prepare printed\n%s\nwant\n%s\n%s", r.out, strings.Join(want, " "), r.errOut)
	}
	if !strings.Contains(r.errOut, fmt.Sprintf("until block %d", fin+127)) {
		t.Errorf("prepare review:\n%s", r.errOut)
	}
	call := []string{"tx", "sign", "--wallet-name", "//Alice", "--call", "Balances.transfer_keep_alive",
		"--args", `{"dest":"5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y","value":100000}`}
	offline := c.ok(append(append([]string{}, call...), flags...)...)
	online := c.ok(append(append([]string{}, call...), "--network", node.url)...)
	if offline.out != online.out || !strings.HasPrefix(offline.out, "0x") {
		t.Errorf("offline with prepare's flags:\n%s\nonline:\n%s", offline.out, online.out)
	}
	// JSON, immortal, no metadata file: refused.
	r = c.ok("tx", "prepare", "--network", node.url, "--wallet-name", "//Alice", "--metadata-out", metaFile, "--era", "immortal", "--json")
	var p txPrepareJSON
	if err := json.Unmarshal([]byte(r.out), &p); err != nil || p.Era != "immortal" || p.BlockNumber != nil || p.Nonce != 7 || p.Signer != alice {
		t.Errorf("prepare --json: %v %+v", err, p)
	}
	var doc map[string]json.RawMessage
	_ = json.Unmarshal([]byte(r.out), &doc)
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if got, want := strings.Join(keys, ","), "block_hash,block_number,era,flags,genesis_hash,metadata_file,network,nonce,signer,spec_version,tx_version,valid_until"; got != want {
		t.Errorf("tx prepare keys %s\nwant %s", got, want)
	}
	if r := c.run("tx", "prepare", "--network", node.url, "--wallet-name", "//Alice"); r.code != ExitUsage || !strings.Contains(r.errOut, "--metadata-out") {
		t.Errorf("no --metadata-out: exit %d\n%s", r.code, r.errOut)
	}
}

// tx submit --dry-run runs the same checks, asks the node for its fee estimate of exactly these
// bytes (TransactionPaymentApi_query_info, answered with the recorded finney answer) and sends
// nothing.
func TestTxSubmitDryRun(t *testing.T) {
	t.Parallel()
	recs, err := substrate.LoadRecordings("../../testdata/subtensor/finney-spec393-recordings.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	var answer struct {
		Result string `json:"result"`
	}
	for params, raw := range recs["test_get_payment_info"]["state_call"] {
		if strings.Contains(params, "TransactionPaymentApi_query_info") {
			if err := json.Unmarshal(raw, &answer); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if answer.Result == "" {
		t.Fatal("no recorded query_info answer")
	}
	node := newTxNode(t)
	c := newTxCLI(t)
	s := signForNode(t, c, 3, finneyGenesisHex)
	ext := strings.TrimPrefix(s.Extrinsic, "0x")
	args := ext + fmt.Sprintf("%02x%02x%02x%02x", len(ext)/2&0xff, len(ext)/2>>8&0xff, len(ext)/2>>16&0xff, len(ext)/2>>24)
	if err := node.replay.Add("state_call", []any{"TransactionPaymentApi_query_info", "0x" + args, nil}, answer.Result); err != nil {
		t.Fatal(err)
	}
	r := c.ok("tx", "submit", s.Extrinsic, "--network", node.url, "--dry-run", "--json")
	var out txSubmitJSON
	if err := json.Unmarshal([]byte(r.out), &out); err != nil {
		t.Fatalf("%v\n%s", err, r.out)
	}
	// The recorded answers' partial fees (TestQueryInfoRecording reads the same bytes).
	if !out.DryRun || out.Included || (out.Fee != 161_247 && out.Fee != 161_248 && out.Fee != 161_251) || out.Hash != s.Hash || out.GenesisHash != finneyGenesisHex {
		t.Errorf("dry run: %+v", out)
	}
	node.mu.Lock()
	sent := len(node.submitted)
	node.mu.Unlock()
	if sent != 0 {
		t.Errorf("a dry run submitted %d extrinsics", sent)
	}
	if r := c.ok("tx", "submit", s.Extrinsic, "--network", node.url, "--dry-run"); !strings.Contains(r.out, "nothing was submitted") || !strings.Contains(r.out, strconv.FormatUint(out.Fee, 10)+" rao") {
		t.Errorf("human dry run:\n%s", r.out)
	}
}
