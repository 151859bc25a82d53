package localchain

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
)

// oldDevnet copies the chain database written by an earlier layout (testdata/chaindb, schema 2,
// head #31: subnets, registrations, stake, weights, emission) into a fresh directory.
func oldDevnet(t *testing.T) string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "chaindb", "schema2-devnet.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out, err := os.OpenFile(filepath.Join(dir, dbFileName), os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// editRecord changes one stored record of a closed devnet.
func editRecord(t *testing.T, dir string, bucket, key []byte, edit func(v []byte) []byte) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, dbFileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucket)
		v := append([]byte(nil), b.Get(key)...)
		return b.Put(key, edit(v))
	}); err != nil {
		t.Fatal(err)
	}
}

// A database written by the layout before protocol/ existed opens, verifies, answers exactly
// as it did then, and keeps producing blocks.
func TestOldDatabaseStillOpens(t *testing.T) {
	t.Parallel()
	dir := oldDevnet(t)
	c, err := Open(dir, WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	var want struct {
		Height      uint64        `json:"height"`
		Head        protocol.Hash `json:"head"`
		StateDigest protocol.Hash `json:"state_digest"`
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "chaindb", "schema2-devnet.info.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	info, err := c.Info()
	if err != nil {
		t.Fatal(err)
	}
	if info.Height != want.Height || info.Head != want.Head || info.StateDigest != want.StateDigest {
		t.Fatalf("head #%d %s digest %s, want #%d %s digest %s", info.Height, info.Head, info.StateDigest, want.Height, want.Head, want.StateDigest)
	}
	var golden struct {
		Subnets json.RawMessage `json:"subnets"`
	}
	b, err = os.ReadFile(filepath.Join("..", "testdata", "chaindb", "schema2-devnet.subnets.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	subnets, err := c.Subnets()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(subnets)
	var g, w bytes.Buffer
	_ = json.Compact(&g, got)
	_ = json.Compact(&w, golden.Subnets)
	if g.String() != w.String() {
		t.Fatalf("subnets differ from what the old layout answered:\n got %s\nwant %s", g.String(), w.String())
	}
	for netuid := uint16(1); netuid < uint16(len(subnets)); netuid++ {
		if _, err := c.Metagraph(netuid); err != nil {
			t.Fatalf("metagraph %d: %v", netuid, err)
		}
	}
	if _, err := c.Advance(bg(), 25, nil); err != nil { // past an epoch of the tempo-10 subnets
		t.Fatal(err)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
}

// A hyperparameter appended after a record was written (here: the record of subnet 1 cut
// back to the hyperparameters before the last one) takes its default instead of breaking the
// database.
func TestAppendedHyperparameterTakesItsDefault(t *testing.T) {
	t.Parallel()
	dir := oldDevnet(t)
	last := protocol.HyperFields[len(protocol.HyperFields)-1]
	editRecord(t, dir, bucketSubnets, netKey(1), func(v []byte) []byte { return v[:len(v)-8] })
	c, err := Open(dir, WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h, err := c.Hyperparameters(1)
	if err != nil {
		t.Fatal(err)
	}
	def := devnetHyperparams()
	if last.Get(&h) != last.Get(&def) {
		t.Fatalf("%s = %d, want its default %d", last.Name, last.Get(&h), last.Get(&def))
	}
	if _, err := c.Advance(bg(), 3, nil); err != nil {
		t.Fatal(err)
	}
	// Written back whole: the record has every field again.
	if err := c.view(func(tx *bbolt.Tx) error {
		if n := len(tx.Bucket(bucketSubnets).Get(netKey(1))); n%8 == 0 && n < 8*len(protocol.HyperFields) {
			t.Errorf("record of %d bytes", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// A record that does not decode is an infrastructure fault: no receipt, the block rolled back,
// the key named, and block production stopped until the database is repaired.
func TestCorruptRecordStopsBlockProduction(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := Open(dir, WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	seal(t, c)
	c.Close()
	// A trailing byte: a field this code does not know (a newer layout, or corruption).
	editRecord(t, dir, bucketSubnets, netKey(1), func(v []byte) []byte { return append(v, 0) })
	c, err = Open(dir, WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	head := c.Head()
	kps := devKeys(t)
	tx := signTx(t, c, kps["Bob"], 0, 0, 0, protocol.AddStake{Hotkey: kps["Alice"].AccountID(), Netuid: 1, Amount: protocol.RaoPerTAO})
	info, err := c.SubmitAndSeal(bg(), tx)
	if err == nil {
		t.Fatalf("a corrupt subnet record gave a receipt: %+v", info)
	}
	var re *RecordError
	if !errors.As(err, &re) || re.Bucket != string(bucketSubnets) || !bytes.Equal(re.Key, netKey(1)) || !errors.Is(err, ErrCorruptRecord) {
		t.Fatalf("error %v does not name the record", err)
	}
	if _, ok := protocol.CodeOf(err); ok {
		t.Fatalf("a corrupt record became a transaction code: %v", err)
	}
	if !strings.Contains(err.Error(), "s.sub.subnets") {
		t.Fatalf("error %q does not name the bucket", err)
	}
	if c.Head() != head {
		t.Fatal("a block was committed")
	}
	if c.ProducerErr() == nil {
		t.Fatal("ProducerErr does not report the fault")
	}
	if _, err := c.SealNow(bg()); !errors.Is(err, ErrCorruptRecord) {
		t.Fatalf("block production continued: %v", err)
	}
}
