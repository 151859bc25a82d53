package chainclient

import (
	"context"

	"github.com/btui/btui/localchain"
	"github.com/btui/btui/wallet"
)

// Unimplemented answers every Client method with ErrUnsupported. Test doubles embed it and
// override what they need, so that methods added to Client later (new module queries) do not
// break them — gRPC's Unimplemented server pattern.
type Unimplemented struct{}

var _ Client = Unimplemented{}

// Info returns ErrUnsupported.
func (Unimplemented) Info(context.Context) (localchain.ChainInfo, error) {
	return localchain.ChainInfo{}, ErrUnsupported
}

// Account returns ErrUnsupported.
func (Unimplemented) Account(context.Context, wallet.AccountID) (localchain.AccountInfo, error) {
	return localchain.AccountInfo{}, ErrUnsupported
}

// NextNonce returns ErrUnsupported.
func (Unimplemented) NextNonce(context.Context, wallet.AccountID) (uint64, error) {
	return 0, ErrUnsupported
}

// Block returns ErrUnsupported.
func (Unimplemented) Block(context.Context, uint64) (*localchain.Block, error) {
	return nil, ErrUnsupported
}

// BlockByHash returns ErrUnsupported.
func (Unimplemented) BlockByHash(context.Context, localchain.Hash) (*localchain.Block, error) {
	return nil, ErrUnsupported
}

// Blocks returns ErrUnsupported.
func (Unimplemented) Blocks(context.Context, uint64, int) ([]localchain.BlockHeader, error) {
	return nil, ErrUnsupported
}

// Tx returns ErrUnsupported.
func (Unimplemented) Tx(context.Context, localchain.TxHash) (*localchain.TxInfo, error) {
	return nil, ErrUnsupported
}

// IsPending returns ErrUnsupported.
func (Unimplemented) IsPending(context.Context, localchain.TxHash) (bool, error) {
	return false, ErrUnsupported
}

// Events returns ErrUnsupported.
func (Unimplemented) Events(context.Context, uint64, uint64) ([]localchain.Event, error) {
	return nil, ErrUnsupported
}

// AccountHistory returns ErrUnsupported.
func (Unimplemented) AccountHistory(context.Context, wallet.AccountID, uint64, int) ([]localchain.HistoryEntry, error) {
	return nil, ErrUnsupported
}

// Genesis returns ErrUnsupported.
func (Unimplemented) Genesis(context.Context) (*localchain.Genesis, error) {
	return nil, ErrUnsupported
}

// Check returns ErrUnsupported.
func (Unimplemented) Check(context.Context) error { return ErrUnsupported }

// Submit returns ErrUnsupported.
func (Unimplemented) Submit(context.Context, []byte) (localchain.TxHash, error) {
	return localchain.TxHash{}, ErrUnsupported
}

// SubmitBatch returns ErrUnsupported.
func (Unimplemented) SubmitBatch(context.Context, [][]byte) ([]localchain.SubmitResult, error) {
	return nil, ErrUnsupported
}

// WaitTx returns ErrUnsupported.
func (Unimplemented) WaitTx(context.Context, localchain.TxHash) (*localchain.TxInfo, error) {
	return nil, ErrUnsupported
}

// SubmitAndWait returns ErrUnsupported.
func (Unimplemented) SubmitAndWait(context.Context, []byte) (*localchain.TxInfo, error) {
	return nil, ErrUnsupported
}

// Subscribe returns ErrUnsupported.
func (Unimplemented) Subscribe(context.Context, SubscribeOptions) (*Subscription, error) {
	return nil, ErrUnsupported
}

// Pause returns ErrUnsupported.
func (Unimplemented) Pause(context.Context) error { return ErrUnsupported }

// Resume returns ErrUnsupported.
func (Unimplemented) Resume(context.Context) error { return ErrUnsupported }

// Advance returns ErrUnsupported.
func (Unimplemented) Advance(context.Context, uint64, func(done, total uint64)) (localchain.BlockHeader, error) {
	return localchain.BlockHeader{}, ErrUnsupported
}

// Faucet returns ErrUnsupported.
func (Unimplemented) Faucet(context.Context, wallet.AccountID, uint64) (*localchain.TxInfo, error) {
	return nil, ErrUnsupported
}

// Snapshot returns ErrUnsupported.
func (Unimplemented) Snapshot(context.Context, string) (localchain.SnapshotInfo, error) {
	return localchain.SnapshotInfo{}, ErrUnsupported
}

// Snapshots returns ErrUnsupported.
func (Unimplemented) Snapshots(context.Context) ([]localchain.SnapshotInfo, error) {
	return nil, ErrUnsupported
}

// Restore returns ErrUnsupported.
func (Unimplemented) Restore(context.Context, string) (localchain.SnapshotInfo, error) {
	return localchain.SnapshotInfo{}, ErrUnsupported
}

// Reset returns ErrUnsupported.
func (Unimplemented) Reset(context.Context, *localchain.Genesis) (localchain.BlockHeader, error) {
	return localchain.BlockHeader{}, ErrUnsupported
}

// Endpoint returns "unimplemented".
func (Unimplemented) Endpoint() string { return "unimplemented" }

// Close does nothing.
func (Unimplemented) Close() error { return nil }
