package rpcserver

import (
	"context"

	"github.com/btui/btui/chainclient"
)

// moduleMethods are the read-only module queries (chainclient.Querier) of the API. A
// backend without them answers each with kind "unsupported".
func (s *Server) moduleMethods() map[string]method {
	b := s.backend
	type (
		netuid  = chainclient.NetuidParams
		account = chainclient.AccountParams
	)
	return map[string]method{
		chainclient.MethodSubnets: query(chainclient.MethodSubnets, true, func(ctx context.Context, _ noParams) (any, error) {
			return b.Subnets(ctx)
		}),
		chainclient.MethodSubnet: query(chainclient.MethodSubnet, true, func(ctx context.Context, p netuid) (any, error) {
			return b.Subnet(ctx, p.Netuid)
		}),
		chainclient.MethodMetagraph: query(chainclient.MethodMetagraph, true, func(ctx context.Context, p netuid) (any, error) {
			return b.Metagraph(ctx, p.Netuid)
		}),
		chainclient.MethodWeights: query(chainclient.MethodWeights, true, func(ctx context.Context, p netuid) (any, error) {
			return b.Weights(ctx, p.Netuid)
		}),
		chainclient.MethodBonds: query(chainclient.MethodBonds, true, func(ctx context.Context, p netuid) (any, error) {
			return b.Bonds(ctx, p.Netuid)
		}),
		chainclient.MethodHyperparameters: query(chainclient.MethodHyperparameters, true, func(ctx context.Context, p netuid) (any, error) {
			return b.Hyperparameters(ctx, p.Netuid)
		}),
		chainclient.MethodGlobalParams: query(chainclient.MethodGlobalParams, true, func(ctx context.Context, _ noParams) (any, error) {
			return b.GlobalParams(ctx)
		}),
		chainclient.MethodNetworkLockCost: query(chainclient.MethodNetworkLockCost, true, func(ctx context.Context, _ noParams) (any, error) {
			c, err := b.NetworkLockCost(ctx)
			return chainclient.LockCostResult{Cost: c}, err
		}),
		chainclient.MethodStakesByColdkey: query(chainclient.MethodStakesByColdkey, true, func(ctx context.Context, p account) (any, error) {
			return b.StakesByColdkey(ctx, p.Address)
		}),
		chainclient.MethodStakesByHotkey: query(chainclient.MethodStakesByHotkey, true, func(ctx context.Context, p account) (any, error) {
			return b.StakesByHotkey(ctx, p.Address)
		}),
		chainclient.MethodPriceHistory: query(chainclient.MethodPriceHistory, true, func(ctx context.Context, p chainclient.PriceHistoryParams) (any, error) {
			return b.PriceHistory(ctx, p.Netuid, p.From, p.To)
		}),
		chainclient.MethodDelegates: query(chainclient.MethodDelegates, true, func(ctx context.Context, _ noParams) (any, error) {
			return b.Delegates(ctx)
		}),
		chainclient.MethodStakeView: query(chainclient.MethodStakeView, true, func(ctx context.Context, p chainclient.StakeViewParams) (any, error) {
			return b.StakeView(ctx, p.Address, p.Netuids)
		}),
	}
}

// addModuleMethods adds moduleMethods to the API table m.
func (s *Server) addModuleMethods(m map[string]method) {
	for name, meth := range s.moduleMethods() {
		m[name] = meth
	}
	m[chainclient.MethodSimulate] = s.simulateMethod()
}
