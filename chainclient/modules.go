package chainclient

import (
	"context"
	"fmt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// ModuleClient is the read side of the subtensor modules (subnets, metagraphs, stake,
// hyperparameters). Embedded and Remote implement it; a Client that does not (an older node
// wrapper, a test double) is adapted by Modules, whose methods then fail with ErrUnsupported.
//
// It is kept apart from Client so that the core interface and its contract suite do not
// change while the modules are young; the methods move into Querier once they settle.
type ModuleClient interface {
	// Subnets returns every subnet (root first) with its pool, emission share and schedule.
	Subnets(ctx context.Context) ([]protocol.SubnetInfo, error)
	// Subnet returns one subnet's row; an unknown netuid is an error wrapping
	// protocol.ErrNotFound.
	Subnet(ctx context.Context, netuid uint16) (protocol.SubnetInfo, error)
	// Metagraph returns every uid of a subnet.
	Metagraph(ctx context.Context, netuid uint16) (*protocol.Metagraph, error)
	// Weights returns a subnet's stored weight rows, one per uid.
	Weights(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error)
	// Bonds returns a subnet's stored bond rows, one per uid.
	Bonds(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error)
	// Hyperparameters returns a subnet's hyperparameters.
	Hyperparameters(ctx context.Context, netuid uint16) (protocol.Hyperparams, error)
	// GlobalParams returns the chain-wide subtensor parameters by name.
	GlobalParams(ctx context.Context) (protocol.GlobalParams, error)
	// NetworkLockCost returns what register_network costs in the next block, in rao.
	NetworkLockCost(ctx context.Context) (uint64, error)
	// StakesByColdkey returns every stake position of a coldkey.
	StakesByColdkey(ctx context.Context, coldkey wallet.AccountID) ([]protocol.StakeInfo, error)
	// StakesByHotkey returns every position staked on a hotkey (its nominators included).
	StakesByHotkey(ctx context.Context, hotkey wallet.AccountID) ([]protocol.StakeInfo, error)
	// Delegates returns every hotkey account with its owner, take and stake.
	Delegates(ctx context.Context) ([]protocol.DelegateInfo, error)
}

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
)

// NetuidParams names a subnet (subnet, metagraph, weights, bonds, hyperparameters).
type NetuidParams struct {
	Netuid uint16 `json:"netuid"`
}

// LockCostResult is network_lock_cost's result.
type LockCostResult struct {
	Cost uint64 `json:"cost"`
}

var (
	_ ModuleClient = (*Embedded)(nil)
	_ ModuleClient = (*Remote)(nil)
)

// Modules returns c's module queries: c itself when it implements ModuleClient, otherwise an
// adapter whose every method fails with ErrUnsupported.
func Modules(c Client) ModuleClient {
	if m, ok := c.(ModuleClient); ok {
		return m
	}
	return unsupportedModules{}
}

type unsupportedModules struct{}

func errModules(what string) error {
	return fmt.Errorf("%s: %w (the chain client has no subtensor module queries)", what, ErrUnsupported)
}

func (unsupportedModules) Subnets(context.Context) ([]protocol.SubnetInfo, error) {
	return nil, errModules(MethodSubnets)
}
func (unsupportedModules) Subnet(context.Context, uint16) (protocol.SubnetInfo, error) {
	return protocol.SubnetInfo{}, errModules(MethodSubnet)
}
func (unsupportedModules) Metagraph(context.Context, uint16) (*protocol.Metagraph, error) {
	return nil, errModules(MethodMetagraph)
}
func (unsupportedModules) Weights(context.Context, uint16) ([]protocol.MatrixRow, error) {
	return nil, errModules(MethodWeights)
}
func (unsupportedModules) Bonds(context.Context, uint16) ([]protocol.MatrixRow, error) {
	return nil, errModules(MethodBonds)
}
func (unsupportedModules) Hyperparameters(context.Context, uint16) (protocol.Hyperparams, error) {
	return protocol.Hyperparams{}, errModules(MethodHyperparameters)
}
func (unsupportedModules) GlobalParams(context.Context) (protocol.GlobalParams, error) {
	return nil, errModules(MethodGlobalParams)
}
func (unsupportedModules) NetworkLockCost(context.Context) (uint64, error) {
	return 0, errModules(MethodNetworkLockCost)
}
func (unsupportedModules) StakesByColdkey(context.Context, wallet.AccountID) ([]protocol.StakeInfo, error) {
	return nil, errModules(MethodStakesByColdkey)
}
func (unsupportedModules) StakesByHotkey(context.Context, wallet.AccountID) ([]protocol.StakeInfo, error) {
	return nil, errModules(MethodStakesByHotkey)
}
func (unsupportedModules) Delegates(context.Context) ([]protocol.DelegateInfo, error) {
	return nil, errModules(MethodDelegates)
}

// ---- Embedded ----

// Subnets implements ModuleClient.
func (e *Embedded) Subnets(ctx context.Context) ([]protocol.SubnetInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Subnets()
}

// Subnet implements ModuleClient.
func (e *Embedded) Subnet(ctx context.Context, netuid uint16) (protocol.SubnetInfo, error) {
	if err := e.check(ctx); err != nil {
		return protocol.SubnetInfo{}, err
	}
	return e.chain.Subnet(netuid)
}

// Metagraph implements ModuleClient.
func (e *Embedded) Metagraph(ctx context.Context, netuid uint16) (*protocol.Metagraph, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Metagraph(netuid)
}

// Weights implements ModuleClient.
func (e *Embedded) Weights(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Weights(netuid)
}

// Bonds implements ModuleClient.
func (e *Embedded) Bonds(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Bonds(netuid)
}

// Hyperparameters implements ModuleClient.
func (e *Embedded) Hyperparameters(ctx context.Context, netuid uint16) (protocol.Hyperparams, error) {
	if err := e.check(ctx); err != nil {
		return protocol.Hyperparams{}, err
	}
	return e.chain.Hyperparameters(netuid)
}

// GlobalParams implements ModuleClient.
func (e *Embedded) GlobalParams(ctx context.Context) (protocol.GlobalParams, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.GlobalParams()
}

// NetworkLockCost implements ModuleClient.
func (e *Embedded) NetworkLockCost(ctx context.Context) (uint64, error) {
	if err := e.check(ctx); err != nil {
		return 0, err
	}
	return e.chain.NetworkLockCost()
}

// StakesByColdkey implements ModuleClient.
func (e *Embedded) StakesByColdkey(ctx context.Context, coldkey wallet.AccountID) ([]protocol.StakeInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.StakesByColdkey(coldkey)
}

// StakesByHotkey implements ModuleClient.
func (e *Embedded) StakesByHotkey(ctx context.Context, hotkey wallet.AccountID) ([]protocol.StakeInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.StakesByHotkey(hotkey)
}

// Delegates implements ModuleClient.
func (e *Embedded) Delegates(ctx context.Context) ([]protocol.DelegateInfo, error) {
	if err := e.check(ctx); err != nil {
		return nil, err
	}
	return e.chain.Delegates()
}

// ---- Remote ----

// Subnets implements ModuleClient.
func (r *Remote) Subnets(ctx context.Context) ([]protocol.SubnetInfo, error) {
	var out []protocol.SubnetInfo
	err := r.call(ctx, MethodSubnets, struct{}{}, &out)
	return out, err
}

// Subnet implements ModuleClient.
func (r *Remote) Subnet(ctx context.Context, netuid uint16) (protocol.SubnetInfo, error) {
	var out protocol.SubnetInfo
	err := r.call(ctx, MethodSubnet, NetuidParams{Netuid: netuid}, &out)
	return out, err
}

// Metagraph implements ModuleClient.
func (r *Remote) Metagraph(ctx context.Context, netuid uint16) (*protocol.Metagraph, error) {
	var out protocol.Metagraph
	if err := r.call(ctx, MethodMetagraph, NetuidParams{Netuid: netuid}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Weights implements ModuleClient.
func (r *Remote) Weights(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error) {
	var out []protocol.MatrixRow
	err := r.call(ctx, MethodWeights, NetuidParams{Netuid: netuid}, &out)
	return out, err
}

// Bonds implements ModuleClient.
func (r *Remote) Bonds(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error) {
	var out []protocol.MatrixRow
	err := r.call(ctx, MethodBonds, NetuidParams{Netuid: netuid}, &out)
	return out, err
}

// Hyperparameters implements ModuleClient.
func (r *Remote) Hyperparameters(ctx context.Context, netuid uint16) (protocol.Hyperparams, error) {
	var out protocol.Hyperparams
	err := r.call(ctx, MethodHyperparameters, NetuidParams{Netuid: netuid}, &out)
	return out, err
}

// GlobalParams implements ModuleClient.
func (r *Remote) GlobalParams(ctx context.Context) (protocol.GlobalParams, error) {
	var out protocol.GlobalParams
	err := r.call(ctx, MethodGlobalParams, struct{}{}, &out)
	return out, err
}

// NetworkLockCost implements ModuleClient.
func (r *Remote) NetworkLockCost(ctx context.Context) (uint64, error) {
	var out LockCostResult
	err := r.call(ctx, MethodNetworkLockCost, struct{}{}, &out)
	return out.Cost, err
}

// StakesByColdkey implements ModuleClient.
func (r *Remote) StakesByColdkey(ctx context.Context, coldkey wallet.AccountID) ([]protocol.StakeInfo, error) {
	var out []protocol.StakeInfo
	err := r.call(ctx, MethodStakesByColdkey, AccountParams{Address: coldkey}, &out)
	return out, err
}

// StakesByHotkey implements ModuleClient.
func (r *Remote) StakesByHotkey(ctx context.Context, hotkey wallet.AccountID) ([]protocol.StakeInfo, error) {
	var out []protocol.StakeInfo
	err := r.call(ctx, MethodStakesByHotkey, AccountParams{Address: hotkey}, &out)
	return out, err
}

// Delegates implements ModuleClient.
func (r *Remote) Delegates(ctx context.Context) ([]protocol.DelegateInfo, error) {
	var out []protocol.DelegateInfo
	err := r.call(ctx, MethodDelegates, struct{}{}, &out)
	return out, err
}
