package localchain

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

func TestDevnetGenesis(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	keys := devKeys(t)
	want := map[string]uint64{
		"Alice": 1_000_000 * protocol.RaoPerTAO, "Bob": 1_000_000 * protocol.RaoPerTAO, "Charlie": 1_000_000 * protocol.RaoPerTAO,
		"Dave": 2_000 * protocol.RaoPerTAO, "Eve": 2_000 * protocol.RaoPerTAO, "Ferdie": 2_000 * protocol.RaoPerTAO,
	}
	for name, free := range want {
		if got := balance(t, c, keys[name].AccountID()); got.Free != free || got.Nonce != 0 {
			t.Errorf("%s: got %+v, want free %d nonce 0", name, got, free)
		}
	}
	info, err := c.Info()
	if err != nil {
		t.Fatal(err)
	}
	if info.Sudo != keys["Alice"].AccountID() {
		t.Errorf("sudo %s, want Alice", info.Sudo)
	}
	if got := sumFree(t, c); got != 3_006_000*protocol.RaoPerTAO {
		t.Errorf("free balances add up to %d", got)
	}
	if info.Height != 0 || info.GenesisHash != info.Head || info.GenesisHash.IsZero() || info.DBSizeBytes <= 0 {
		t.Errorf("genesis info %+v", info)
	}
	// Two devnets from the same genesis are the same chain.
	c2 := openTest(t)
	if c2.GenesisHash() != c.GenesisHash() {
		t.Error("same genesis gave different genesis hashes")
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestTransferLifecycle(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	alice, bob := k["Alice"].AccountID(), k["Bob"].AccountID()
	ch, cancel := c.Subscribe(4)
	defer cancel()

	raw := signTx(t, c, k["Alice"], 0, 7, 0, protocol.Transfer{To: bob, Amount: 5 * protocol.RaoPerTAO})
	h, err := c.Submit(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsPending(h) {
		t.Fatal("submitted transaction is not pending")
	}
	if n, _ := c.NextNonce(alice); n != 1 {
		t.Fatalf("next nonce %d, want 1", n)
	}
	if _, err := c.Submit(raw); !errors.Is(err, protocol.ErrDuplicate) {
		t.Fatalf("resubmit: %v, want duplicate", err)
	}
	hdr := seal(t, c)
	info, err := c.WaitTx(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Receipt.OK() || info.Height != hdr.Height || info.Index != 0 || info.Receipt.Fee != protocol.DefaultParams().TxFee || info.Receipt.Tip != 7 {
		t.Fatalf("tx info %+v", info)
	}
	if len(info.Events) != 1 || info.Events[0].Name != "Transfer" || info.Events[0].Attr("amount") != "5000000000" {
		t.Fatalf("events %+v", info.Events)
	}
	if got := balance(t, c, alice); got.Free != 1_000_000*protocol.RaoPerTAO-5*protocol.RaoPerTAO-protocol.DefaultParams().TxFee-7 || got.Nonce != 1 {
		t.Fatalf("alice %+v", got)
	}
	if got := balance(t, c, bob); got.Free != 1_000_005*protocol.RaoPerTAO {
		t.Fatalf("bob %+v", got)
	}
	ev := <-ch
	if ev.Header != hdr || len(ev.Events) != 1 {
		t.Fatalf("head event %+v", ev)
	}
	// Replaying the included transaction is refused.
	if _, err := c.Submit(raw); err == nil {
		t.Fatal("replayed transaction accepted")
	}
	// Queries.
	b, err := c.Block(hdr.Height)
	if err != nil || len(b.Txs) != 1 || b.Txs[0].Hash != h {
		t.Fatalf("block %+v %v", b, err)
	}
	if bb, err := c.BlockByHash(hdr.Hash); err != nil || bb.Header != hdr {
		t.Fatalf("block by hash: %v", err)
	}
	for _, who := range []wallet.AccountID{alice, bob} {
		hist, err := c.AccountHistory(who, 0, 10)
		if err != nil || len(hist) != 1 || hist[0].Hash != h {
			t.Fatalf("history of %s: %+v %v", who, hist, err)
		}
	}
	if hist, _ := c.AccountHistory(k["Eve"].AccountID(), 0, 10); len(hist) != 0 {
		t.Fatalf("eve history %+v", hist)
	}
	evs, err := c.Events(0, hdr.Height)
	if err != nil || len(evs) != 1 {
		t.Fatalf("events %+v %v", evs, err)
	}
	hs, err := c.Blocks(0, 10)
	if err != nil || len(hs) != 2 || hs[1] != hdr {
		t.Fatalf("blocks %+v %v", hs, err)
	}
	if _, err := c.Tx(protocol.TxHash{1}); !errors.Is(err, protocol.ErrNotFound) {
		t.Fatalf("unknown tx: %v", err)
	}
	if _, err := c.Block(99); !errors.Is(err, protocol.ErrNotFound) {
		t.Fatalf("unknown block: %v", err)
	}
	js, err := json.Marshal(info)
	if err != nil || !strings.Contains(string(js), `"to":"`+bob.SS58()+`"`) {
		t.Fatalf("json %s %v", js, err)
	}
}

func TestAllowDeathAndDust(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	ferdie, eve := k["Ferdie"], k["Eve"].AccountID()
	fee := protocol.DefaultParams().TxFee
	all := balance(t, c, ferdie.AccountID()).Free - fee
	// Keep-alive refuses to empty the account: failure receipt, fee and nonce only.
	h1, err := c.Submit(signTx(t, c, ferdie, 0, 0, 0, protocol.Transfer{To: eve, Amount: all}))
	if err != nil {
		t.Fatal(err)
	}
	seal(t, c)
	info, err := c.WaitTx(context.Background(), h1)
	if err != nil {
		t.Fatal(err)
	}
	if info.Receipt.Code != protocol.CodeKeepAlive || len(info.Events) != 1 || info.Events[0].Name != "ExtrinsicFailed" {
		t.Fatalf("receipt %+v events %+v", info.Receipt, info.Events)
	}
	// Allow-death leaving 100 rao (below ED 500): the dust is burned and the balance is zero.
	left := balance(t, c, ferdie.AccountID())
	amount := left.Free - fee - 100
	h2, err := c.Submit(signTx(t, c, ferdie, 1, 0, 0, protocol.Transfer{To: eve, Amount: amount, AllowDeath: true}))
	if err != nil {
		t.Fatal(err)
	}
	before := sumFree(t, c)
	seal(t, c)
	info, err = c.WaitTx(context.Background(), h2)
	if err != nil || !info.Receipt.OK() {
		t.Fatalf("%+v %v", info, err)
	}
	if after := sumFree(t, c); after != before-fee-100 {
		t.Fatalf("free balances %d -> %d: fee and dust must be burned", before, after)
	}
	if got := balance(t, c, ferdie.AccountID()); got.Free != 0 || got.Nonce != 2 {
		t.Fatalf("ferdie %+v", got)
	}
	if len(info.Events) != 2 || info.Events[1].Name != "DustLost" {
		t.Fatalf("events %+v", info.Events)
	}
}

func TestFaucetSudoOnly(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	newAcct := wallet.AccountID{9, 9, 9}
	info, err := c.DevFaucet(context.Background(), newAcct, 10*protocol.RaoPerTAO)
	if err != nil || !info.Receipt.OK() {
		t.Fatalf("%+v %v", info, err)
	}
	if got := balance(t, c, newAcct); got.Free != 10*protocol.RaoPerTAO {
		t.Fatalf("minted %+v", got)
	}
	if got := sumFree(t, c); got != 3_006_010*protocol.RaoPerTAO { // the sudo key's faucet pays no fee
		t.Fatalf("free balances %d after a 10 TAO faucet", got)
	}
	// Bob is not sudo: included with CodeNotSudo, no mint.
	ti, err := c.SubmitAndSeal(context.Background(), signTx(t, c, k["Bob"], 0, 0, 0, protocol.Faucet{To: newAcct, Amount: protocol.RaoPerTAO}))
	if err != nil {
		t.Fatal(err)
	}
	if ti.Receipt.Code != protocol.CodeNotSudo {
		t.Fatalf("receipt %+v", ti.Receipt)
	}
	if got := balance(t, c, newAcct); got.Free != 10*protocol.RaoPerTAO {
		t.Fatalf("non-sudo faucet minted: %+v", got)
	}
	mustCheck(t, c)
	// Over the per-call limit.
	ti, err = c.DevFaucet(context.Background(), newAcct, protocol.DefaultParams().MaxFaucet+1)
	if err != nil || ti.Receipt.Code != protocol.CodeFaucetLimit {
		t.Fatalf("%+v %v", ti, err)
	}
}

func TestRestartKeepsHeadAndState(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := Open(dir, WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	k := devKeys(t)
	for i := uint64(0); i < 5; i++ {
		if _, err := c.Submit(signTx(t, c, k["Bob"], i, 0, 0, protocol.Transfer{To: k["Dave"].AccountID(), Amount: protocol.RaoPerTAO})); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Advance(context.Background(), 3, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Pause(); err != nil {
		t.Fatal(err)
	}
	head := c.Head()
	dave := balance(t, c, k["Dave"].AccountID())
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Info(); !errors.Is(err, protocol.ErrClosed) {
		t.Fatalf("closed chain: %v", err)
	}
	c2, err := Open(dir, WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if c2.Head() != head {
		t.Fatalf("head %+v, want %+v", c2.Head(), head)
	}
	if !c2.Paused() {
		t.Fatal("pause flag lost")
	}
	if got := balance(t, c2, k["Dave"].AccountID()); got != dave || got.Free != 2_005*protocol.RaoPerTAO {
		t.Fatalf("dave %+v want %+v", got, dave)
	}
	if err := c2.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestLockedByAnotherOpen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := Open(dir, WithBlockTime(0), WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = Open(dir, WithLockTimeout(50_000_000))
	if !errors.Is(err, protocol.ErrInUse) {
		t.Fatalf("second open: %v", err)
	}
	// the holder is named at once: its pid and command line (it is no node, so no URL)
	want := "devnet is in use by pid " + strconv.Itoa(os.Getpid()) + " ("
	if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "use --node URL") {
		t.Fatalf("message %q, want it to start %q and name --node URL", err, want)
	}
}

func TestSchemaVersionMismatch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := Open(dir, WithBlockTime(0), WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	c.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(metaSchemaVersion, []byte{0, 0, 0, 99}) })
	c.Close()
	_, err = Open(dir)
	if !errors.Is(err, protocol.ErrSchemaVersion) || !strings.Contains(err.Error(), "schema version 99") {
		t.Fatalf("open: %v", err)
	}
}

func TestGenesisExportImport(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	js, err := c.ExportGenesis()
	if err != nil {
		t.Fatal(err)
	}
	g, err := protocol.ParseGenesis(js)
	if err != nil {
		t.Fatal(err)
	}
	c2 := openTest(t, WithGenesis(g))
	if c2.GenesisHash() != c.GenesisHash() {
		t.Fatal("import of an export gave another chain")
	}
	again, _ := g.Canonical()
	if string(again) != string(js) {
		t.Fatal("canonical JSON changed across a round trip")
	}
	// A different genesis is a different chain, and an existing db refuses it.
	g.Accounts[0].Free++
	c3 := openTest(t, WithGenesis(g))
	if c3.GenesisHash() == c.GenesisHash() {
		t.Fatal("different genesis, same hash")
	}
	c.Close()
	if _, err := Open(c.Dir(), WithGenesis(g)); !errors.Is(err, protocol.ErrGenesisMismatch) {
		t.Fatalf("open with a mismatching genesis: %v", err)
	}
	// Strictness.
	for _, bad := range []string{
		`{"chain_name":"x","unknown":1}`,
		strings.Replace(string(js), `"block_time_ms": 250`, `"block_time_ms": 0`, 1),
		strings.Replace(string(js), `"chain_name": "btui-devnet"`, `"chain_name": ""`, 1),
	} {
		if _, err := protocol.ParseGenesis([]byte(bad)); !errors.Is(err, protocol.ErrInvalidGenesis) {
			t.Errorf("accepted bad genesis: %v", err)
		}
	}
}

func TestSnapshotRestoreReset(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	if _, err := c.Advance(context.Background(), 5, nil); err != nil {
		t.Fatal(err)
	}
	snap, err := c.Snapshot("five")
	if err != nil || snap.Height != 5 {
		t.Fatalf("%+v %v", snap, err)
	}
	bob := balance(t, c, k["Bob"].AccountID())
	if _, err := c.SubmitAndSeal(context.Background(), signTx(t, c, k["Bob"], 0, 0, 0, protocol.Transfer{To: k["Eve"].AccountID(), Amount: protocol.RaoPerTAO})); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Advance(context.Background(), 10, nil); err != nil {
		t.Fatal(err)
	}
	list, err := c.Snapshots()
	if err != nil || len(list) != 1 || list[0].Name != "five" || list[0].Height != 5 {
		t.Fatalf("%+v %v", list, err)
	}
	sub, cancel := c.Subscribe(1)
	defer cancel()
	if err := c.Restore("five"); err != nil {
		t.Fatal(err)
	}
	if ev := <-sub; ev.Header.Height != 5 || ev.Header.Hash != snap.Head {
		t.Fatalf("head event after restore: %+v", ev.Header)
	}
	if c.Head().Height != 5 || c.Head().Hash != snap.Head {
		t.Fatalf("restored head %+v", c.Head())
	}
	if got := balance(t, c, k["Bob"].AccountID()); got != bob {
		t.Fatalf("bob %+v want %+v", got, bob)
	}
	if err := c.Restore("nope"); !errors.Is(err, protocol.ErrNotFound) {
		t.Fatalf("restore unknown: %v", err)
	}
	if _, err := c.Snapshot("../x"); !errors.Is(err, protocol.ErrInvalidName) {
		t.Fatalf("bad name: %v", err)
	}
	if err := c.Reset(nil); err != nil {
		t.Fatal(err)
	}
	if c.Head().Height != 0 {
		t.Fatalf("reset head %d", c.Head().Height)
	}
	if err := c.DeleteSnapshot("five"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(c.Dir(), snapshotDirName, "five.db")); !os.IsNotExist(err) {
		t.Fatal("snapshot file still there")
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestReplayDetectsDivergence: replay reproduces an honest chain and refuses a tampered one;
// Check notices the broken parent link too.
func TestReplayDetectsDivergence(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	for i := uint64(0); i < 3; i++ {
		if _, err := c.SubmitAndSeal(context.Background(), signTx(t, c, k["Bob"], i, i, 0, protocol.Transfer{To: k["Eve"].AccountID(), Amount: protocol.RaoPerTAO})); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Replay(context.Background(), t.TempDir()); err != nil {
		t.Fatalf("honest chain: %v", err)
	}
	err := c.db.Update(func(tx *bbolt.Tx) error {
		h, err := loadHeader(tx, 2)
		if err != nil {
			return err
		}
		h.StateDigest[0] ^= 1
		return tx.Bucket(bucketHeaders).Put(u64Key(2), encodeStoredHeader(&h))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Replay(context.Background(), t.TempDir()); !errors.Is(err, protocol.ErrBadBlock) || !strings.Contains(err.Error(), "block 2 differs") {
		t.Fatalf("tampered chain replay: %v", err)
	}
	if err := c.Check(); !errors.Is(err, protocol.ErrInvariant) {
		t.Fatalf("tampered chain check: %v", err)
	}
}

func TestInvariantsDetectTampering(t *testing.T) {
	t.Parallel()
	k := devKeys(t)
	for _, tc := range []struct {
		name string
		put  func(tx *bbolt.Tx) error
		want string
	}{
		{"minted out of thin air", func(tx *bbolt.Tx) error {
			return tx.Bucket(bucketAccounts).Put(func() []byte { id := k["Eve"].AccountID(); return id[:] }(), accountBytes(5_000*protocol.RaoPerTAO, 0))
		}, "issuance"},
		{"dust below the existential deposit", func(tx *bbolt.Tx) error {
			v := accountBytes(10, 0)
			ti := getTotalIssuance(tx) + 10
			if err := tx.Bucket(bucketSystem).Put(sysTotalIssuance, u64Key(ti)); err != nil {
				return err
			}
			id := wallet.AccountID{0xDD}
			return tx.Bucket(bucketAccounts).Put(id[:], v)
		}, "existential deposit"},
		{"empty record", func(tx *bbolt.Tx) error {
			id := wallet.AccountID{0xDE}
			return tx.Bucket(bucketAccounts).Put(id[:], accountBytes(0, 0))
		}, "stored empty"},
	} {
		c := openTest(t)
		if err := c.db.Update(tc.put); err != nil {
			t.Fatal(err)
		}
		err := c.Check()
		if !errors.Is(err, protocol.ErrInvariant) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func accountBytes(free, nonce uint64) []byte {
	v := u64Key(free)
	return append(v, u64Key(nonce)...)
}

func TestQueryBounds(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	if _, err := c.Advance(context.Background(), 3, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Events(5, 2); !errors.Is(err, protocol.ErrBadRange) || !strings.Contains(err.Error(), "from ≤ to") {
		t.Errorf("reversed event range: %v, want ErrBadRange saying from ≤ to", err)
	}
	if _, err := c.Events(0, maxQueryRange); !errors.Is(err, protocol.ErrBadRange) {
		t.Errorf("oversized event range: %v, want ErrBadRange", err)
	}
	if _, err := c.Events(0, maxQueryRange-1); err != nil {
		t.Errorf("longest event range: %v", err)
	}
	if evs, err := c.Events(100, 200); err != nil || len(evs) != 0 {
		t.Errorf("events past the head: %v %v", evs, err)
	}
	if hs, err := c.Blocks(2, 100); err != nil || len(hs) != 2 || hs[0].Height != 2 {
		t.Errorf("blocks from 2: %+v %v", hs, err)
	}
	if hs, err := c.Blocks(0, -1); err != nil || len(hs) != 0 {
		t.Errorf("negative count: %+v %v", hs, err)
	}
	if _, err := c.BlockByHash(protocol.Hash{1}); !errors.Is(err, protocol.ErrNotFound) {
		t.Errorf("unknown hash: %v", err)
	}
	bad := protocol.DevnetGenesis()
	bad.Accounts = append(bad.Accounts, bad.Accounts[0])
	if _, err := Open(t.TempDir(), WithGenesis(bad)); !errors.Is(err, protocol.ErrInvalidGenesis) {
		t.Errorf("duplicate genesis account: %v", err)
	}
}

func TestSubmitBatchOrderAndErrors(t *testing.T) {
	t.Parallel()
	c := openTest(t, WithVerifyWorkers(3))
	k := devKeys(t)
	var raws [][]byte
	for n := uint64(0); n < 10; n++ {
		raws = append(raws, signTx(t, c, k["Bob"], n, 0, 0, protocol.Transfer{To: k["Eve"].AccountID(), Amount: protocol.RaoPerTAO}))
	}
	raws[4] = append([]byte(nil), raws[4]...)
	raws[4][len(raws[4])-5] ^= 1 // bad signature: nonce 4 missing, 5.. wait behind it
	res := c.SubmitBatch(raws)
	for i, r := range res {
		if (i == 4) != (r.Err != nil) {
			t.Fatalf("result %d: %v", i, r.Err)
		}
	}
	if h := seal(t, c); h.TxCount != 4 {
		t.Fatalf("included %d, want nonces 0..3", h.TxCount)
	}
	if n, _ := c.NextNonce(k["Bob"].AccountID()); n != 4 {
		t.Fatalf("next nonce %d", n)
	}
}

// TestWireJSONShape pins the JSON field names the node serves (renaming one breaks clients).
func TestWireJSONShape(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	info, err := c.SubmitAndSeal(context.Background(), signTx(t, c, k["Bob"], 0, 0, 0, protocol.Transfer{To: k["Eve"].AccountID(), Amount: protocol.RaoPerTAO}))
	if err != nil {
		t.Fatal(err)
	}
	ci, _ := c.Info()
	blk, _ := c.Block(1)
	for _, tc := range []struct {
		v    any
		keys []string
	}{
		{info, []string{"hash", "height", "index", "signer", "nonce", "tip", "expiry", "call", "size", "receipt", "events"}},
		{info.Receipt, []string{"code", "code_name", "fee", "tip"}},
		{info.Call, []string{"module", "method", "args"}},
		{info.Events[0], []string{"height", "tx_index", "index", "module", "name", "attrs", "accounts"}},
		{blk.Header, []string{"height", "hash", "parent_hash", "timestamp_ms", "tx_root", "result_root", "state_digest", "tx_count", "event_count"}},
		{ci, []string{"chain_name", "genesis_hash", "height", "head", "paused", "total_issuance", "block_time_ms", "pending_txs"}},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, key := range tc.keys {
			if _, ok := m[key]; !ok {
				t.Errorf("%T JSON lacks %q: %s", tc.v, key, b)
			}
		}
	}
	// Round trip of a whole TxInfo (hashes and SS58 accounts parse back).
	b, _ := json.Marshal(info)
	var back protocol.TxInfo
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Hash != info.Hash || back.Signer != info.Signer || back.Events[0].Accounts[1] != k["Eve"].AccountID() {
		t.Fatalf("round trip %+v", back)
	}
}

func TestAccountHistoryPaging(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	k := devKeys(t)
	var hashes []protocol.TxHash
	for i := uint64(0); i < 4; i++ {
		info, err := c.SubmitAndSeal(context.Background(), signTx(t, c, k["Bob"], i, 0, 0, protocol.Transfer{To: k["Eve"].AccountID(), Amount: protocol.RaoPerTAO}))
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, info.Hash)
	}
	// Charlie's history sits right after or before Bob's keys; it must not leak in.
	if _, err := c.SubmitAndSeal(context.Background(), signTx(t, c, k["Charlie"], 0, 0, 0, protocol.Transfer{To: k["Dave"].AccountID(), Amount: protocol.RaoPerTAO})); err != nil {
		t.Fatal(err)
	}
	all, err := c.AccountHistory(k["Bob"].AccountID(), 0, 10)
	if err != nil || len(all) != 4 || all[0].Hash != hashes[3] || all[3].Hash != hashes[0] {
		t.Fatalf("history %+v %v", all, err)
	}
	page, err := c.AccountHistory(k["Eve"].AccountID(), all[1].Height, 2)
	if err != nil || len(page) != 2 || page[0].Hash != hashes[1] || page[1].Hash != hashes[0] {
		t.Fatalf("page before %d: %+v %v", all[1].Height, page, err)
	}
	if none, _ := c.AccountHistory(k["Bob"].AccountID(), all[3].Height, 10); len(none) != 0 {
		t.Fatalf("before the first: %+v", none)
	}
}

// The chain executes exactly the calls protocol decodes.
func TestEveryProtocolCallHasAHandler(t *testing.T) {
	got, want := Calls(), protocol.Calls()
	if len(got) != len(want) {
		t.Fatalf("chain handles %v, protocol decodes %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("chain handles %v, protocol decodes %v", got, want)
		}
	}
}
