package chainclient

import (
	"context"

	"github.com/btui/btui/protocol"
)

// Snapshot implements Devnet.
func (e *Embedded) Snapshot(ctx context.Context, name string) (protocol.SnapshotInfo, error) {
	if err := e.check(ctx); err != nil {
		return protocol.SnapshotInfo{}, err
	}
	return e.chain.Snapshot(name)
}

// Snapshots implements Devnet.
func (e *Embedded) Snapshots(ctx context.Context) ([]protocol.SnapshotInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Snapshots()
}

// Restore implements Devnet: it returns the snapshot's name with the restored head.
func (e *Embedded) Restore(ctx context.Context, name string) (protocol.SnapshotInfo, error) {
	if err := e.check(ctx); err != nil {
		return protocol.SnapshotInfo{}, err
	}
	if err := e.chain.Restore(name); err != nil {
		return protocol.SnapshotInfo{}, err
	}
	head := e.chain.Head()
	info := protocol.SnapshotInfo{Name: name, Height: head.Height, Head: head.Hash}
	if list, err := e.chain.Snapshots(); err == nil {
		for _, s := range list {
			if s.Name == name {
				info.SizeBytes = s.SizeBytes
			}
		}
	}
	return info, nil
}

// Reset implements Devnet: it returns the new head (the genesis block).
func (e *Embedded) Reset(ctx context.Context, g *protocol.Genesis) (protocol.BlockHeader, error) {
	if err := e.check(ctx); err != nil {
		return protocol.BlockHeader{}, err
	}
	if err := e.chain.Reset(g); err != nil {
		return protocol.BlockHeader{}, err
	}
	return e.chain.Head(), nil
}

// ProducerErr returns the fault that stopped the chain's producer, if any (the node's
// readiness check uses it).
func (e *Embedded) ProducerErr() error { return e.chain.ProducerErr() }
