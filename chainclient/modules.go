package chainclient

import (
	"context"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// API method names of the module queries (POST /v1/<method>, all read-only).
const (
	MethodSubnets         = "subnets"
	MethodSubnet          = "subnet"
	MethodMetagraph       = "metagraph"
	MethodWeights         = "weights"
	MethodBonds           = "bonds"
	MethodHyperparameters = "hyperparameters"
	MethodGlobalParams    = "global_params"
	MethodNetworkLockCost = "network_lock_cost"
	MethodStakesByColdkey = "stakes_by_coldkey"
	MethodStakesByHotkey  = "stakes_by_hotkey"
	MethodDelegates       = "delegates"
	MethodPriceHistory    = "price_history"
	MethodStakeView       = "stake_view"
)

// StakeViewParams are stake_view's parameters.
type StakeViewParams struct {
	Address wallet.AccountID `json:"address"`
	Netuids []uint16         `json:"netuids"`
}

// NetuidParams names a subnet (subnet, metagraph, weights, bonds, hyperparameters).
type NetuidParams struct {
	Netuid uint16 `json:"netuid"`
}

// LockCostResult is network_lock_cost's result.
type LockCostResult struct {
	Cost uint64 `json:"cost"`
}

// Subnets implements Client.
func (e *Embedded) Subnets(ctx context.Context) ([]protocol.SubnetInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Subnets()
}

// Subnet implements Client.
func (e *Embedded) Subnet(ctx context.Context, netuid uint16) (protocol.SubnetInfo, error) {
	if err := e.check(ctx); err != nil {
		return protocol.SubnetInfo{}, err
	}
	return e.chain.Subnet(netuid)
}

// Metagraph implements Client.
func (e *Embedded) Metagraph(ctx context.Context, netuid uint16) (*protocol.Metagraph, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Metagraph(netuid)
}

// Weights implements Client.
func (e *Embedded) Weights(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Weights(netuid)
}

// Bonds implements Client.
func (e *Embedded) Bonds(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Bonds(netuid)
}

// Hyperparameters implements Client.
func (e *Embedded) Hyperparameters(ctx context.Context, netuid uint16) (protocol.Hyperparams, error) {
	if err := e.check(ctx); err != nil {
		return protocol.Hyperparams{}, err
	}
	return e.chain.Hyperparameters(netuid)
}

// GlobalParams implements Client.
func (e *Embedded) GlobalParams(ctx context.Context) (protocol.GlobalParams, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.GlobalParams()
}

// NetworkLockCost implements Client.
func (e *Embedded) NetworkLockCost(ctx context.Context) (uint64, error) {
	if err := e.check(ctx); err != nil {
		return 0, err
	}
	return e.chain.NetworkLockCost()
}

// StakesByColdkey implements Client.
func (e *Embedded) StakesByColdkey(ctx context.Context, coldkey wallet.AccountID) ([]protocol.StakeInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.StakesByColdkey(coldkey)
}

// StakesByHotkey implements Client.
func (e *Embedded) StakesByHotkey(ctx context.Context, hotkey wallet.AccountID) ([]protocol.StakeInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.StakesByHotkey(hotkey)
}

// Delegates implements Client.
func (e *Embedded) Delegates(ctx context.Context) ([]protocol.DelegateInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Delegates()
}

// ---- Remote ----

// Subnets implements Client.
func (r *Remote) Subnets(ctx context.Context) ([]protocol.SubnetInfo, error) {
	var out []protocol.SubnetInfo
	err := r.call(ctx, MethodSubnets, struct{}{}, &out)
	return out, err
}

// Subnet implements Client.
func (r *Remote) Subnet(ctx context.Context, netuid uint16) (protocol.SubnetInfo, error) {
	var out protocol.SubnetInfo
	err := r.call(ctx, MethodSubnet, NetuidParams{Netuid: netuid}, &out)
	return out, err
}

// Metagraph implements Client.
func (r *Remote) Metagraph(ctx context.Context, netuid uint16) (*protocol.Metagraph, error) {
	var out protocol.Metagraph
	if err := r.call(ctx, MethodMetagraph, NetuidParams{Netuid: netuid}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Weights implements Client.
func (r *Remote) Weights(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error) {
	var out []protocol.MatrixRow
	err := r.call(ctx, MethodWeights, NetuidParams{Netuid: netuid}, &out)
	return out, err
}

// Bonds implements Client.
func (r *Remote) Bonds(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error) {
	var out []protocol.MatrixRow
	err := r.call(ctx, MethodBonds, NetuidParams{Netuid: netuid}, &out)
	return out, err
}

// Hyperparameters implements Client.
func (r *Remote) Hyperparameters(ctx context.Context, netuid uint16) (protocol.Hyperparams, error) {
	var out protocol.Hyperparams
	err := r.call(ctx, MethodHyperparameters, NetuidParams{Netuid: netuid}, &out)
	return out, err
}

// GlobalParams implements Client.
func (r *Remote) GlobalParams(ctx context.Context) (protocol.GlobalParams, error) {
	var out protocol.GlobalParams
	err := r.call(ctx, MethodGlobalParams, struct{}{}, &out)
	return out, err
}

// NetworkLockCost implements Client.
func (r *Remote) NetworkLockCost(ctx context.Context) (uint64, error) {
	var out LockCostResult
	err := r.call(ctx, MethodNetworkLockCost, struct{}{}, &out)
	return out.Cost, err
}

// StakesByColdkey implements Client.
func (r *Remote) StakesByColdkey(ctx context.Context, coldkey wallet.AccountID) ([]protocol.StakeInfo, error) {
	var out []protocol.StakeInfo
	err := r.call(ctx, MethodStakesByColdkey, AccountParams{Address: coldkey}, &out)
	return out, err
}

// StakesByHotkey implements Client.
func (r *Remote) StakesByHotkey(ctx context.Context, hotkey wallet.AccountID) ([]protocol.StakeInfo, error) {
	var out []protocol.StakeInfo
	err := r.call(ctx, MethodStakesByHotkey, AccountParams{Address: hotkey}, &out)
	return out, err
}

// Delegates implements Client.
func (r *Remote) Delegates(ctx context.Context) ([]protocol.DelegateInfo, error) {
	var out []protocol.DelegateInfo
	err := r.call(ctx, MethodDelegates, struct{}{}, &out)
	return out, err
}

// PriceHistoryParams are price_history's parameters.
type PriceHistoryParams struct {
	Netuid uint16 `json:"netuid"`
	From   uint64 `json:"from"`
	To     uint64 `json:"to"`
}

// PriceHistory implements Client.
func (e *Embedded) PriceHistory(ctx context.Context, netuid uint16, from, to uint64) ([]protocol.PricePoint, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.PriceHistory(netuid, from, to)
}

// PriceHistory implements Client.
func (r *Remote) PriceHistory(ctx context.Context, netuid uint16, from, to uint64) ([]protocol.PricePoint, error) {
	var out []protocol.PricePoint
	err := r.call(ctx, MethodPriceHistory, PriceHistoryParams{Netuid: netuid, From: from, To: to}, &out)
	return out, err
}

// StakeView implements Client.
func (e *Embedded) StakeView(ctx context.Context, coldkey wallet.AccountID, netuids []uint16) (protocol.StakeView, error) {
	if err := e.check(ctx); err != nil {
		return protocol.StakeView{}, err
	}
	return e.chain.StakeView(coldkey, netuids)
}

// StakeView implements Client.
func (r *Remote) StakeView(ctx context.Context, coldkey wallet.AccountID, netuids []uint16) (protocol.StakeView, error) {
	var out protocol.StakeView
	err := r.call(ctx, MethodStakeView, StakeViewParams{Address: coldkey, Netuids: netuids}, &out)
	return out, err
}
