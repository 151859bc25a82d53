package chainclient

import (
	"context"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Unimplemented answers every Client method with ErrUnsupported. Test doubles embed it and
// override what they need, so that methods added to Client later (new module queries) do not
// break them — gRPC's Unimplemented server pattern.
type Unimplemented struct{}

var _ Client = Unimplemented{}

// Info returns ErrUnsupported.
func (Unimplemented) Info(context.Context) (protocol.ChainInfo, error) {
	return protocol.ChainInfo{}, ErrUnsupported
}

// Account returns ErrUnsupported.
func (Unimplemented) Account(context.Context, wallet.AccountID) (protocol.AccountInfo, error) {
	return protocol.AccountInfo{}, ErrUnsupported
}

// NextNonce returns ErrUnsupported.
func (Unimplemented) NextNonce(context.Context, wallet.AccountID) (uint64, error) {
	return 0, ErrUnsupported
}

// Block returns ErrUnsupported.
func (Unimplemented) Block(context.Context, uint64) (*protocol.Block, error) {
	return nil, ErrUnsupported
}

// BlockByHash returns ErrUnsupported.
func (Unimplemented) BlockByHash(context.Context, protocol.Hash) (*protocol.Block, error) {
	return nil, ErrUnsupported
}

// Blocks returns ErrUnsupported.
func (Unimplemented) Blocks(context.Context, uint64, int) ([]protocol.BlockHeader, error) {
	return nil, ErrUnsupported
}

// Tx returns ErrUnsupported.
func (Unimplemented) Tx(context.Context, protocol.TxHash) (*protocol.TxInfo, error) {
	return nil, ErrUnsupported
}

// IsPending returns ErrUnsupported.
func (Unimplemented) IsPending(context.Context, protocol.TxHash) (bool, error) {
	return false, ErrUnsupported
}

// Events returns ErrUnsupported.
func (Unimplemented) Events(context.Context, uint64, uint64) ([]protocol.Event, error) {
	return nil, ErrUnsupported
}

// AccountHistory returns ErrUnsupported.
func (Unimplemented) AccountHistory(context.Context, wallet.AccountID, uint64, int) ([]protocol.HistoryEntry, error) {
	return nil, ErrUnsupported
}

// Genesis returns ErrUnsupported.
func (Unimplemented) Genesis(context.Context) (*protocol.Genesis, error) {
	return nil, ErrUnsupported
}

// Check returns ErrUnsupported.
func (Unimplemented) Check(context.Context) error { return ErrUnsupported }

// Submit returns ErrUnsupported.
func (Unimplemented) Submit(context.Context, []byte) (protocol.TxHash, error) {
	return protocol.TxHash{}, ErrUnsupported
}

// SubmitBatch returns ErrUnsupported.
func (Unimplemented) SubmitBatch(context.Context, [][]byte) ([]protocol.SubmitResult, error) {
	return nil, ErrUnsupported
}

// WaitTx returns ErrUnsupported.
func (Unimplemented) WaitTx(context.Context, protocol.TxHash) (*protocol.TxInfo, error) {
	return nil, ErrUnsupported
}

// SubmitAndWait returns ErrUnsupported.
func (Unimplemented) SubmitAndWait(context.Context, []byte) (*protocol.TxInfo, error) {
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
func (Unimplemented) Advance(context.Context, uint64, func(done, total uint64)) (protocol.BlockHeader, error) {
	return protocol.BlockHeader{}, ErrUnsupported
}

// Faucet returns ErrUnsupported.
func (Unimplemented) Faucet(context.Context, wallet.AccountID, uint64) (*protocol.TxInfo, error) {
	return nil, ErrUnsupported
}

// Snapshot returns ErrUnsupported.
func (Unimplemented) Snapshot(context.Context, string) (protocol.SnapshotInfo, error) {
	return protocol.SnapshotInfo{}, ErrUnsupported
}

// Snapshots returns ErrUnsupported.
func (Unimplemented) Snapshots(context.Context) ([]protocol.SnapshotInfo, error) {
	return nil, ErrUnsupported
}

// Restore returns ErrUnsupported.
func (Unimplemented) Restore(context.Context, string) (protocol.SnapshotInfo, error) {
	return protocol.SnapshotInfo{}, ErrUnsupported
}

// Reset returns ErrUnsupported.
func (Unimplemented) Reset(context.Context, *protocol.Genesis) (protocol.BlockHeader, error) {
	return protocol.BlockHeader{}, ErrUnsupported
}

// Endpoint returns "unimplemented".
func (Unimplemented) Endpoint() string { return "unimplemented" }

// Close does nothing.
func (Unimplemented) Close() error { return nil }

// Subnets returns ErrUnsupported.
func (Unimplemented) Subnets(context.Context) ([]protocol.SubnetInfo, error) {
	return nil, ErrUnsupported
}

// Subnet returns ErrUnsupported.
func (Unimplemented) Subnet(context.Context, uint16) (protocol.SubnetInfo, error) {
	return protocol.SubnetInfo{}, ErrUnsupported
}

// Metagraph returns ErrUnsupported.
func (Unimplemented) Metagraph(context.Context, uint16) (*protocol.Metagraph, error) {
	return nil, ErrUnsupported
}

// Weights returns ErrUnsupported.
func (Unimplemented) Weights(context.Context, uint16) ([]protocol.MatrixRow, error) {
	return nil, ErrUnsupported
}

// Bonds returns ErrUnsupported.
func (Unimplemented) Bonds(context.Context, uint16) ([]protocol.MatrixRow, error) {
	return nil, ErrUnsupported
}

// Hyperparameters returns ErrUnsupported.
func (Unimplemented) Hyperparameters(context.Context, uint16) (protocol.Hyperparams, error) {
	return protocol.Hyperparams{}, ErrUnsupported
}

// GlobalParams returns ErrUnsupported.
func (Unimplemented) GlobalParams(context.Context) (protocol.GlobalParams, error) {
	return nil, ErrUnsupported
}

// NetworkLockCost returns ErrUnsupported.
func (Unimplemented) NetworkLockCost(context.Context) (uint64, error) { return 0, ErrUnsupported }

// StakesByColdkey returns ErrUnsupported.
func (Unimplemented) StakesByColdkey(context.Context, wallet.AccountID) ([]protocol.StakeInfo, error) {
	return nil, ErrUnsupported
}

// StakesByHotkey returns ErrUnsupported.
func (Unimplemented) StakesByHotkey(context.Context, wallet.AccountID) ([]protocol.StakeInfo, error) {
	return nil, ErrUnsupported
}

// Delegates returns ErrUnsupported.
func (Unimplemented) Delegates(context.Context) ([]protocol.DelegateInfo, error) {
	return nil, ErrUnsupported
}

// StakeView returns ErrUnsupported.
func (Unimplemented) StakeView(context.Context, wallet.AccountID, []uint16) (protocol.StakeView, error) {
	return protocol.StakeView{}, ErrUnsupported
}

// Simulate returns ErrUnsupported.
func (Unimplemented) Simulate(context.Context, protocol.Call, wallet.AccountID) (*protocol.Simulation, error) {
	return nil, ErrUnsupported
}

// PriceHistory returns ErrUnsupported.
func (Unimplemented) PriceHistory(context.Context, uint16, uint64, uint64) ([]protocol.PricePoint, error) {
	return nil, ErrUnsupported
}
