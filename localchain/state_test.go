package localchain

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"go.etcd.io/bbolt"
	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/protocol"
)

// TestStateJournal: a failed call's writes (puts over existing keys, new keys, deletes) are
// undone exactly, a committed call's stay, and the digest depends on the final values only.
func TestStateJournal(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	digest := func(ops func(s *StateTx) error) protocol.Hash {
		var d protocol.Hash
		err := c.db.Update(func(tx *bbolt.Tx) error {
			s := newStateTx(tx)
			if err := ops(s); err != nil {
				return err
			}
			var err error
			d, err = stateDigest(s, protocol.Hash{}, 1)
			if err != nil {
				return err
			}
			return errRollback // keep the database unchanged between cases
		})
		if err != errRollback {
			t.Fatal(err)
		}
		return d
	}
	b := bucketSystem
	var before []byte
	c.view(func(tx *bbolt.Tx) error {
		before = append([]byte(nil), tx.Bucket(b).Get(sysSudo)...)
		return nil
	})
	failed := digest(func(s *StateTx) error {
		s.beginCall()
		s.Put(b, []byte("new"), []byte{1})
		s.Put(b, sysSudo, []byte{9})
		s.Delete(b, sysParams)
		s.Delete(b, []byte("absent"))
		if err := s.rollbackCall(); err != nil {
			return err
		}
		if got := s.tx.Bucket(b).Get(sysSudo); !bytes.Equal(got, before) {
			t.Errorf("sudo after rollback %x, want %x", got, before)
		}
		if s.tx.Bucket(b).Get([]byte("new")) != nil || s.tx.Bucket(b).Get(sysParams) == nil {
			t.Error("rollback left a put or a delete behind")
		}
		return nil
	})
	// The same keys touched without change give the same digest (failed writes are hashed
	// with their restored values).
	same := digest(func(s *StateTx) error {
		s.Put(b, sysSudo, before)
		s.Put(b, []byte("new"), []byte{1})
		s.Delete(b, []byte("new"))
		p := s.tx.Bucket(b).Get(sysParams)
		return s.Put(b, sysParams, append([]byte(nil), p...))
	})
	if failed != same {
		t.Fatal("digest of a rolled-back call differs from the unchanged state")
	}
	committed := digest(func(s *StateTx) error {
		s.beginCall()
		s.Put(b, sysSudo, []byte{9})
		s.commitCall()
		return nil
	})
	if committed == failed {
		t.Fatal("a committed write did not change the digest")
	}
}

var errRollback = bboltRollback{}

type bboltRollback struct{}

func (bboltRollback) Error() string { return "rollback" }

// TestStateDigestDefinition checks stateDigest against the definition in docs/transactions.md
// computed the slow way (final values read back from bbolt, one serial pass, 256 KiB chunks) on a
// write set of several megabytes over buckets of different name lengths, with overwrites,
// deletes and a rolled-back call.
func TestStateDigestDefinition(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	rng := rand.New(rand.NewPCG(7, 11))
	buckets := [][]byte{bucketAccounts, bucketBonds, bucketSubGlobal, bucketSystem}
	type bk struct{ b, k string }
	err := c.db.Update(func(tx *bbolt.Tx) error {
		s := newStateTx(tx)
		touched := map[bk]bool{}
		var live []bk
		put := func(b []byte, k []byte) {
			v := make([]byte, rng.IntN(3)*rng.IntN(20_000))
			for i := range v {
				v[i] = byte(rng.Uint32())
			}
			if err := s.Put(b, k, v); err != nil {
				t.Fatal(err)
			}
			touched[bk{string(b), string(k)}] = true
			live = append(live, bk{string(b), string(k)})
		}
		for i := 0; i < 1500; i++ {
			b := buckets[rng.IntN(len(buckets))]
			switch r := rng.IntN(10); {
			case r < 7 || len(live) == 0:
				put(b, []byte(fmt.Sprintf("key-%05d", rng.IntN(1000))))
			case r < 8:
				x := live[rng.IntN(len(live))]
				put([]byte(x.b), []byte(x.k)) // overwrite
			case r < 9:
				x := live[rng.IntN(len(live))]
				if err := s.Delete([]byte(x.b), []byte(x.k)); err != nil {
					t.Fatal(err)
				}
			default:
				s.beginCall()
				put(b, []byte(fmt.Sprintf("key-%05d", rng.IntN(1000))))
				x := live[rng.IntN(len(live))]
				if err := s.Delete([]byte(x.b), []byte(x.k)); err != nil {
					t.Fatal(err)
				}
				if err := s.rollbackCall(); err != nil {
					t.Fatal(err)
				}
			}
		}
		// The reference: sorted keys, values read back, one stream cut into chunks.
		keys := make([]bk, 0, len(touched))
		for k := range touched {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a := string([]byte{byte(len(keys[i].b))}) + keys[i].b + keys[i].k
			b := string([]byte{byte(len(keys[j].b))}) + keys[j].b + keys[j].k
			return a < b
		})
		var chunks [][]byte
		var cur []byte
		for _, k := range keys {
			cur = append(cur, byte(len(k.b)))
			cur = append(cur, k.b...)
			cur = binary.BigEndian.AppendUint16(cur, uint16(len(k.k)))
			cur = append(cur, k.k...)
			if v := tx.Bucket([]byte(k.b)).Get([]byte(k.k)); v == nil {
				cur = append(cur, 0)
			} else {
				cur = append(cur, 1)
				cur = binary.BigEndian.AppendUint32(cur, uint32(len(v)))
				cur = append(cur, v...)
			}
			if len(cur) >= 256<<10 {
				chunks, cur = append(chunks, cur), nil
			}
		}
		if len(cur) > 0 {
			chunks = append(chunks, cur)
		}
		if len(chunks) < 4 {
			t.Fatalf("only %d chunks: the test should span several", len(chunks))
		}
		prev := protocol.Hash{1, 2, 3}
		ref, _ := blake2b.New256(nil)
		ref.Write(prev[:])
		ref.Write(binary.BigEndian.AppendUint64(nil, 42))
		for _, ch := range chunks {
			sum := blake2b.Sum256(ch)
			ref.Write(sum[:])
		}
		var want protocol.Hash
		ref.Sum(want[:0])
		got, err := stateDigest(s, prev, 42)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("digest %s, want %s by the definition (%d keys, %d chunks)", got, want, len(keys), len(chunks))
		}
		// The write set is reset: a second digest covers nothing.
		empty, _ := stateDigest(s, prev, 42)
		if wantEmpty := protocol.Hash(blake2b.Sum256(append(append([]byte(nil), prev[:]...), binary.BigEndian.AppendUint64(nil, 42)...))); empty != wantEmpty {
			t.Fatalf("digest after reset %s, want %s", empty, wantEmpty)
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatal(err)
	}
}
