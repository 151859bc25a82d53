package localchain

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// DefaultSubtensorGenesis is the devnet's: subnet 1 owned by owner (coldkey and owner hotkey),
// seeded with the devnet lock floor of 100 TAO, started, with the devnet hyperparameters.
// Root (netuid 0) always exists.
func DefaultSubtensorGenesis(owner wallet.AccountID) protocol.SubtensorGenesis {
	return protocol.SubtensorGenesis{Subnets: []protocol.GenesisSubnet{{
		Netuid: 1, Owner: owner, OwnerHotkey: owner, PoolTao: devnetSubParams().MinLock, Started: true,
	}}}
}

func initSubtensorGenesis(s *StateTx, g *protocol.Genesis, raw []byte) error {
	sg := DefaultSubtensorGenesis(g.Sudo)
	if raw != nil {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		sg = protocol.SubtensorGenesis{}
		if err := dec.Decode(&sg); err != nil {
			return fmt.Errorf("subtensor section: %v", err)
		}
	}
	p := devnetSubParams()
	if err := putSubParams(s, p); err != nil {
		return err
	}
	root := &subnet{Netuid: RootNetuid, Owner: g.Sudo, Stable: true, FirstEmission: 1, H: devnetHyperparams()}
	root.H.Tempo = 0 // root runs no epoch on the devnet
	root.H.RegistrationAllowed = false
	root.H.PowRegistrationAllowed = false
	root.QuoteWeight = uint64(mechanism.PerquintillOne / 2)
	if err := putSubnet(s, root); err != nil {
		return err
	}
	seen := map[uint16]bool{RootNetuid: true}
	var lastLock uint64
	for i, gs := range sg.Subnets {
		switch {
		case seen[gs.Netuid]:
			return fmt.Errorf("subnets[%d]: netuid %d is root or appears twice", i, gs.Netuid)
		case gs.Owner == (wallet.AccountID{}) || gs.OwnerHotkey == (wallet.AccountID{}):
			return fmt.Errorf("subnets[%d]: owner and owner_hotkey are required", i)
		case gs.PoolTao < p.MinimumReserve || gs.PoolTao > protocol.MaxSupply/2:
			return fmt.Errorf("subnets[%d]: pool_tao %d must be at least the minimum reserve %d", i, gs.PoolTao, p.MinimumReserve)
		case len(sg.Subnets) > int(p.SubnetLimit):
			return fmt.Errorf("more than %d subnets", p.SubnetLimit)
		}
		seen[gs.Netuid] = true
		n := newSubnet(gs.Netuid, gs.Owner, gs.OwnerHotkey, 0, gs.PoolTao, mechanism.SeedPool(gs.PoolTao, mechanism.U64F64One, p.lockParams()))
		if gs.Hyperparams != nil {
			n.H = *gs.Hyperparams
			if n.H.MaxAllowedUids == 0 || n.H.MaxAllowedValidators > n.H.MaxAllowedUids || n.H.MinBurn >= n.H.MaxBurn {
				return fmt.Errorf("subnets[%d]: hyperparams need max_allowed_uids > 0, validators ≤ uids and min_burn < max_burn", i)
			}
		}
		if gs.Started {
			n.FirstEmission = 1
		}
		if err := mint(s, n.PoolTao); err != nil {
			return err
		}
		if _, err := ensureHotkey(s, gs.OwnerHotkey, gs.Owner, p.DefaultTake); err != nil {
			return err
		}
		if err := appendNeuron(s, n, gs.OwnerHotkey, 0); err != nil {
			return err
		}
		if err := putSubnet(s, n); err != nil {
			return err
		}
		lastLock = max(lastLock, gs.PoolTao)
	}
	return putLockState(s, lastLock, 0)
}

// newSubnet returns a fresh dynamic subnet with the devnet hyperparameters and a seeded pool.
func newSubnet(netuid uint16, owner, ownerHotkey wallet.AccountID, block, lock uint64, pool mechanism.Pool) *subnet {
	n := &subnet{
		Netuid: netuid, Owner: owner, OwnerHotkey: ownerHotkey, RegisteredAt: block, Lock: lock,
		Burn: mechanism.DefaultBurn, H: devnetHyperparams(),
	}
	n.setPool(pool)
	return n
}
