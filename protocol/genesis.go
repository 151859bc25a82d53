package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/btui/btui/wallet"
)

// devnetGenesisTimestampMs is the devnet's logical genesis time, 2026-01-01T00:00:00Z. It is
// a constant so that two devnets made from the same genesis are the same chain.
const devnetGenesisTimestampMs uint64 = 1_767_225_600_000

// Params are the chain-wide parameters of the core modules, stored in state.
type Params struct {
	// ExistentialDeposit is the smallest non-zero balance an account may hold (rao).
	ExistentialDeposit uint64 `json:"existential_deposit"`
	// TxFee is the flat fee every included transaction pays (rao); it is burned, as is the tip.
	TxFee uint64 `json:"tx_fee"`
	// MaxFaucet bounds one sudo faucet call (rao).
	MaxFaucet uint64 `json:"max_faucet"`
}

// DefaultParams returns the devnet parameters: existential deposit 500 rao (subtensor's),
// fee 0.0001 TAO, faucet up to 100,000 TAO per call.
func DefaultParams() Params {
	return Params{ExistentialDeposit: 500, TxFee: 100_000, MaxFaucet: 100_000 * RaoPerTAO}
}

// GenesisAccount is an endowed account.
type GenesisAccount struct {
	Name    string           `json:"name,omitempty"` // a label only ("Alice")
	Address wallet.AccountID `json:"address"`
	Free    uint64           `json:"free"`
}

// Genesis describes a chain's first state. Its canonical JSON (Canonical) is hashed into the
// genesis block, so the same genesis always makes the same chain.
type Genesis struct {
	ChainName   string           `json:"chain_name"`
	TimestampMs uint64           `json:"timestamp_ms"`  // logical time of block 0
	BlockTimeMs uint64           `json:"block_time_ms"` // target block time: the logical clock step
	Sudo        wallet.AccountID `json:"sudo"`
	Params      Params           `json:"params"`
	Accounts    []GenesisAccount `json:"accounts"`
	// Modules holds each module's own genesis section, keyed by module name (e.g. the root
	// subnet and subnet 1 of the subtensor modules). Modules absent here start empty.
	Modules map[string]json.RawMessage `json:"modules,omitempty"`
}

// DevnetBlockTimeMs is the devnet genesis's target block time.
const DevnetBlockTimeMs = 250

// DevnetGenesis returns the devnet genesis of spec/chain.md: Alice, Bob and Charlie hold
// 1,000,000 TAO, Dave, Eve and Ferdie 2,000 TAO, sudo is Alice, 250 ms target blocks. It
// derives the six dev keys (PBKDF2 each): call it where a genesis is needed, not to build a
// command line.
func DevnetGenesis() *Genesis {
	g := &Genesis{
		ChainName:   "btui-devnet",
		TimestampMs: devnetGenesisTimestampMs,
		BlockTimeMs: DevnetBlockTimeMs,
		Params:      DefaultParams(),
	}
	for _, name := range wallet.DevNames() {
		kp, err := wallet.Dev(name)
		if err != nil {
			panic("localchain: dev key " + name + ": " + err.Error())
		}
		free := 2_000 * RaoPerTAO
		switch name {
		case "Alice", "Bob", "Charlie":
			free = 1_000_000 * RaoPerTAO
		}
		if name == "Alice" {
			g.Sudo = kp.AccountID()
		}
		g.Accounts = append(g.Accounts, GenesisAccount{Name: name, Address: kp.AccountID(), Free: free})
		kp.Zero()
	}
	return g
}

// ParseGenesis decodes a genesis JSON document strictly (unknown fields are errors) and
// validates it.
func ParseGenesis(b []byte) (*Genesis, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var g Genesis
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidGenesis, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the JSON document", ErrInvalidGenesis)
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return &g, nil
}

// Validate checks the genesis: a name, a positive block time, no duplicate or zero account,
// balances of at least the existential deposit, issuance within MaxSupply, known modules.
func (g *Genesis) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidGenesis, fmt.Sprintf(format, args...))
	}
	if g.ChainName == "" || len(g.ChainName) > 64 {
		return bad("chain_name must be 1 to 64 characters")
	}
	if g.BlockTimeMs == 0 || g.BlockTimeMs > 3_600_000 {
		return bad("block_time_ms must be 1 to 3600000, got %d", g.BlockTimeMs)
	}
	if g.Sudo == (wallet.AccountID{}) {
		return bad("sudo account is missing")
	}
	if g.Params.ExistentialDeposit == 0 {
		return bad("params.existential_deposit must be positive")
	}
	if g.Params.TxFee > MaxSupply || g.Params.MaxFaucet > MaxSupply {
		return bad("params.tx_fee and params.max_faucet must not exceed the maximum supply")
	}
	seen := map[wallet.AccountID]bool{}
	var total uint64
	for i, a := range g.Accounts {
		if a.Address == (wallet.AccountID{}) {
			return bad("accounts[%d] has no address", i)
		}
		if seen[a.Address] {
			return bad("accounts[%d] %s appears twice", i, a.Address)
		}
		seen[a.Address] = true
		if a.Free < g.Params.ExistentialDeposit {
			return bad("accounts[%d] %s holds %d rao, below the existential deposit %d", i, a.Address, a.Free, g.Params.ExistentialDeposit)
		}
		if a.Free > MaxSupply-total {
			return bad("genesis balances exceed the maximum supply of %d rao", MaxSupply)
		}
		total += a.Free
	}
	for name := range g.Modules {
		if !slices.Contains(GenesisSections, name) {
			return bad("modules.%s: no module of that name takes a genesis section", name)
		}
	}
	return nil
}

// Canonical returns the genesis as canonical JSON (fixed field order, accounts as given,
// module sections compacted and sorted by name). Its hash seeds the genesis state digest.
func (g *Genesis) Canonical() ([]byte, error) {
	c := *g
	if len(g.Modules) > 0 {
		c.Modules = make(map[string]json.RawMessage, len(g.Modules))
		names := make([]string, 0, len(g.Modules))
		for n := range g.Modules {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			var buf bytes.Buffer
			if err := json.Compact(&buf, g.Modules[n]); err != nil {
				return nil, fmt.Errorf("%w: modules.%s: %v", ErrInvalidGenesis, n, err)
			}
			c.Modules[n] = buf.Bytes()
		}
	}
	return json.MarshalIndent(&c, "", "  ")
}

// SubtensorGenesis is the "subtensor" section of Genesis.Modules. Without a section the devnet
// default applies (DefaultSubtensorGenesis with the sudo account as owner).
type SubtensorGenesis struct {
	// Subnets besides root, created at block 0 with their pools seeded by minting PoolTao.
	Subnets []GenesisSubnet `json:"subnets"`
}

// GenesisSubnet is one subnet created at genesis.
type GenesisSubnet struct {
	Netuid      uint16           `json:"netuid"`
	Owner       wallet.AccountID `json:"owner"`
	OwnerHotkey wallet.AccountID `json:"owner_hotkey"`
	// PoolTao seeds the pool (rao, minted); the alpha reserve starts at the same amount (price 1).
	PoolTao uint64 `json:"pool_tao"`
	// Started subnets emit from block 1 (start_call done at genesis).
	Started bool `json:"started"`
	// Hyperparams override the devnet defaults when present.
	Hyperparams *Hyperparams `json:"hyperparams,omitempty"`
}
