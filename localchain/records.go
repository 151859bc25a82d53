package localchain

import (
	"errors"
	"fmt"
	"log/slog"
)

// Stored records: versioning and faults.
//
// Versioning rule (append only). A record's fields are written in a fixed order; a new field
// is only ever appended at the end of its record, with a default for the records written
// before it existed. Decoders read fields in order and stop at the end of the record: a field
// past the end takes its default (appendable records: the subnet record's hyperparameters, see
// decodeSubnet). Bytes beyond the last field this code knows, a field cut in half, a removed,
// reordered or resized field are not versioning: they are corruption (or a database of a newer
// layout), and need a schemaVersion bump with a migration in initOrCheck.
//
// Faults. A record that does not decode is an infrastructure fault, never a transaction's
// failure: it is a *RecordError naming the bucket and the key, which does not unwrap to the
// decoder's *protocol.TxError (so applyTx cannot mistake it for a call failure). The block is
// rolled back, the fault is logged, and block production stops (every later block, on-demand
// ones included, fails with the same error; ProducerErr reports it) until the database is
// repaired or restored and the chain reopened.

// ErrCorruptRecord matches every *RecordError.
var ErrCorruptRecord = errors.New("corrupt state record")

// RecordError is a stored record that does not decode.
type RecordError struct {
	Bucket string
	Key    []byte
	Msg    string
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%v: bucket %s key %x: %s (restore a snapshot or reset the devnet)", ErrCorruptRecord, e.Bucket, e.Key, e.Msg)
}

// Is matches ErrCorruptRecord.
func (e *RecordError) Is(target error) bool { return target == ErrCorruptRecord }

// recordErr wraps err, the decoding error of the record at bucket/key, or returns nil.
func recordErr(bucket, key []byte, err error) error {
	if err == nil {
		return nil
	}
	var re *RecordError
	if errors.As(err, &re) {
		return err
	}
	return &RecordError{Bucket: string(bucket), Key: append([]byte(nil), key...), Msg: err.Error()}
}

// fault records an infrastructure fault that must stop block production (a corrupt record),
// logs it once, and returns it.
func (c *Chain) fault(err error) error {
	if !errors.Is(err, ErrCorruptRecord) {
		return err
	}
	if c.faultErr.CompareAndSwap(nil, &err) {
		slog.Error("btui devnet: block production stopped on a corrupt state record", "dir", c.dir, "error", err)
	}
	return err
}

// faulted returns the fault that stopped block production, or nil.
func (c *Chain) faulted() error {
	if p := c.faultErr.Load(); p != nil {
		return fmt.Errorf("block production is stopped: %w", *p)
	}
	return nil
}
