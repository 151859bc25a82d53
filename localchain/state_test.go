package localchain

import (
	"bytes"
	"testing"

	"go.etcd.io/bbolt"
)

// TestStateJournal: a failed call's writes (puts over existing keys, new keys, deletes) are
// undone exactly, a committed call's stay, and the digest depends on the final values only.
func TestStateJournal(t *testing.T) {
	t.Parallel()
	c := openTest(t)
	digest := func(ops func(s *StateTx) error) Hash {
		var d Hash
		err := c.db.Update(func(tx *bbolt.Tx) error {
			s := newStateTx(tx)
			if err := ops(s); err != nil {
				return err
			}
			var err error
			d, err = stateDigest(s, Hash{}, 1)
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
