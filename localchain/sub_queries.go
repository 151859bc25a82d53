package localchain

import (
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strconv"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Queries of the subtensor modules: read-only views of committed state, copied out.

// ErrNoSubnet is returned by subnet queries for a netuid that does not exist; it wraps
// ErrNotFound.
var ErrNoSubnet = fmt.Errorf("subnet %w", protocol.ErrNotFound)

func raoPerAlpha(p mechanism.U64F64) uint64 {
	return p.SaturatingMul(mechanism.U64F64FromU64(protocol.RaoPerTAO)).SaturatingToU64()
}

// subnetInfos builds the subnet list at the head.
func subnetInfos(tx *bbolt.Tx, head uint64) ([]protocol.SubnetInfo, error) {
	nets, err := listSubnets(tx)
	if err != nil {
		return nil, err
	}
	var emit []*subnet
	for _, n := range nets {
		if !n.Stable && mechanism.SubnetEmitting(n.Netuid, n.started(), n.started(), n.H.RegistrationAllowed) {
			emit = append(emit, n)
		}
	}
	in, _ := shareInputs(emit)
	shares := mechanism.SubnetShares(in)
	taoEm := mechanism.SubnetTaoEmissions(mechanism.TaoBlockEmission(getTotalIssuance(tx)), in)
	byNet := map[uint16]int{}
	for i, n := range emit {
		byNet[n.Netuid] = i
	}
	out := make([]protocol.SubnetInfo, 0, len(nets))
	for _, n := range nets {
		si := protocol.SubnetInfo{
			Netuid: n.Netuid, Owner: n.Owner, OwnerHotkey: n.OwnerHotkey, Root: n.Stable, RegisteredAt: n.RegisteredAt,
			Started: n.started(), FirstEmission: n.FirstEmission, Lock: n.Lock, Price: raoPerAlpha(n.price()),
			MovingPrice: raoPerAlpha(mechanism.SharePrice(n.Netuid, n.Stable, n.movingPrice())),
			TaoIn:       n.PoolTao, AlphaIn: n.PoolAlpha, QuoteWeight: n.QuoteWeight, AlphaOut: n.AlphaOut, ProtocolAlpha: n.ProtocolAlpha,
			Tempo: n.H.Tempo, LastEpoch: n.LastEpoch, BurnCost: n.Burn, Difficulty: n.H.Difficulty,
			Neurons: n.N, MaxNeurons: n.H.MaxAllowedUids, PendingServer: n.PendingServer, PendingValid: n.PendingValidator,
			PendingRoot: n.PendingRoot, PendingOwner: n.PendingOwner, Volume: n.Volume,
		}
		if n.Stable {
			si.AlphaIn, si.MaxNeurons = 0, 0
		} else {
			si.AlphaEmission = mechanism.AlphaBlockEmission(n.alphaIssuance())
		}
		if n.H.Tempo > 0 && !n.Stable {
			si.NextEpochBlock = head + mechanism.BlocksUntilNextEpoch(n.Netuid, n.H.Tempo, head) + 1
		}
		if si.Identity, err = getSubnetIdentity(tx, n.Netuid); err != nil {
			return nil, err
		}
		if i, ok := byNet[n.Netuid]; ok {
			si.EmissionShare = shares[i].SaturatingMul(mechanism.U64F64FromU64(1_000_000_000)).SaturatingToU64()
			si.TaoEmission = taoEm[i].SaturatingToU64()
		}
		out = append(out, si)
	}
	return out, nil
}

// Subnets returns every subnet (root first) with its pool, emission share and schedule.
func (c *Chain) Subnets() ([]protocol.SubnetInfo, error) {
	var out []protocol.SubnetInfo
	err := c.view(func(tx *bbolt.Tx) error {
		head, err := headHeight(tx)
		if err != nil {
			return err
		}
		out, err = subnetInfos(tx, head)
		return err
	})
	return out, err
}

// Subnet returns one subnet's row of Subnets, or ErrNoSubnet.
func (c *Chain) Subnet(netuid uint16) (protocol.SubnetInfo, error) {
	all, err := c.Subnets()
	if err != nil {
		return protocol.SubnetInfo{}, err
	}
	for _, s := range all {
		if s.Netuid == netuid {
			return s, nil
		}
	}
	return protocol.SubnetInfo{}, fmt.Errorf("netuid %d: %w", netuid, ErrNoSubnet)
}

func viewSubnet(tx *bbolt.Tx, netuid uint16) (*subnet, error) {
	n, ok, err := getSubnet(tx, netuid)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("netuid %d: %w", netuid, ErrNoSubnet)
	}
	return n, nil
}

// Metagraph returns every uid of a subnet with all its per-uid fields.
func (c *Chain) Metagraph(netuid uint16) (*protocol.Metagraph, error) {
	var mg *protocol.Metagraph
	err := c.view(func(tx *bbolt.Tx) error {
		n, err := viewSubnet(tx, netuid)
		if err != nil {
			return err
		}
		p, err := getSubParams(tx)
		if err != nil {
			return err
		}
		head, err := loadHead(tx)
		if err != nil {
			return err
		}
		neurons, err := loadNeurons(tx, netuid, n.N)
		if err != nil {
			return err
		}
		mg = &protocol.Metagraph{Netuid: netuid, Block: head.Height, N: n.N, Neurons: make([]protocol.NeuronInfo, len(neurons))}
		tw := p.taoWeight()
		for i, nr := range neurons {
			h, _ := getHotkey(tx, nr.Hotkey)
			alpha, _ := getHotAlpha(tx, netuid, nr.Hotkey)
			root, _ := getHotAlpha(tx, RootNetuid, nr.Hotkey)
			mg.Neurons[i] = protocol.NeuronInfo{
				UID: uint16(i), Hotkey: nr.Hotkey, Coldkey: h.Owner, Stake: alpha, RootStake: root,
				StakeWeight: combineStakeWeight(alpha, root, tw), Rank: nr.Rank, Trust: nr.Trust,
				Consensus: nr.Consensus, Incentive: nr.Incentive, Dividends: nr.Dividends,
				ValidatorTrust: nr.ValidatorTrust, StakeShare: nr.StakeWeight, Emission: nr.Emission,
				Permit: nr.Permit, LastUpdate: nr.LastUpdate, Active: nr.Active, RegisteredAt: nr.RegisteredAt,
				Immune: mechanism.IsImmune(head.Height, nr.RegisteredAt, uint64(n.H.ImmunityPeriod)),
				Take:   h.Take, Axon: axonInfo(nr.Axon),
			}
		}
		return nil
	})
	return mg, err
}

func matrix(c *Chain, bucket []byte, netuid uint16) ([]protocol.MatrixRow, error) {
	var out []protocol.MatrixRow
	err := c.view(func(tx *bbolt.Tx) error {
		n, err := viewSubnet(tx, netuid)
		if err != nil {
			return err
		}
		out = make([]protocol.MatrixRow, 0, n.N)
		for uid := uint16(0); uid < n.N; uid++ {
			row, err := getRow(tx, bucket, netuid, uid)
			if err != nil {
				return err
			}
			entries := make([]protocol.UIDValue, len(row))
			for i, e := range row {
				entries[i] = protocol.UIDValue(e)
			}
			out = append(out, protocol.MatrixRow{UID: uid, Entries: entries})
		}
		return nil
	})
	return out, err
}

// Weights returns the stored weight rows of a subnet, one per uid (max-upscaled u16).
func (c *Chain) Weights(netuid uint16) ([]protocol.MatrixRow, error) {
	return matrix(c, bucketWeights, netuid)
}

// Bonds returns the stored bond rows of a subnet, one per uid.
func (c *Chain) Bonds(netuid uint16) ([]protocol.MatrixRow, error) {
	return matrix(c, bucketBonds, netuid)
}

// Hyperparameters returns a subnet's hyperparameters.
func (c *Chain) Hyperparameters(netuid uint16) (protocol.Hyperparams, error) {
	var h protocol.Hyperparams
	err := c.view(func(tx *bbolt.Tx) error {
		n, err := viewSubnet(tx, netuid)
		if err != nil {
			return err
		}
		h = n.H
		return nil
	})
	return h, err
}

// GlobalParams returns the chain-wide subtensor parameters by name.
func (c *Chain) GlobalParams() (protocol.GlobalParams, error) {
	out := protocol.GlobalParams{}
	err := c.view(func(tx *bbolt.Tx) error {
		p, err := getSubParams(tx)
		if err != nil {
			return err
		}
		for _, f := range subParamFields {
			out[f.name] = f.get(&p)
		}
		return nil
	})
	return out, err
}

// NetworkLockCost returns what register_network costs in the next block.
func (c *Chain) NetworkLockCost() (uint64, error) {
	var cost uint64
	err := c.view(func(tx *bbolt.Tx) error {
		p, err := getSubParams(tx)
		if err != nil {
			return err
		}
		head, err := headHeight(tx)
		if err != nil {
			return err
		}
		cost = networkLockCost(tx, p, head+1)
		return nil
	})
	return cost, err
}

func stakes(c *Chain, match func(p stakePosition) bool) ([]protocol.StakeInfo, error) {
	var out []protocol.StakeInfo
	err := c.view(func(tx *bbolt.Tx) (err error) {
		out, err = stakesIn(tx, match)
		return err
	})
	return out, err
}

// stakesIn lists the positions match selects, as read in tx.
func stakesIn(tx *bbolt.Tx, match func(p stakePosition) bool) ([]protocol.StakeInfo, error) {
	out := []protocol.StakeInfo{}
	nets := map[uint16]*subnet{}
	err := forEachPosition(tx, nil, func(p stakePosition) error {
		if !match(p) {
			return nil
		}
		n, ok := nets[p.Netuid]
		if !ok {
			var err error
			if n, err = viewSubnet(tx, p.Netuid); err != nil {
				return err
			}
			nets[p.Netuid] = n
		}
		v, d := getHotAlpha(tx, p.Netuid, p.Hotkey)
		a := shareValue(v, d, p.Shares)
		out = append(out, protocol.StakeInfo{Netuid: p.Netuid, Hotkey: p.Hotkey, Coldkey: p.Coldkey, Alpha: a, TaoValue: taoValue(n, a)})
		return nil
	})
	return out, err
}

// StakeView reads what a stake trade is planned from in one read transaction: the rows and
// pool fee rates of the subnets netuids names (unknown ones are left out), the minimum pool
// reserve, and ck's free balance and positions (protocol.StakeView).
func (c *Chain) StakeView(ck wallet.AccountID, netuids []uint16) (protocol.StakeView, error) {
	var out protocol.StakeView
	err := c.view(func(tx *bbolt.Tx) error {
		head, err := headHeight(tx)
		if err != nil {
			return err
		}
		p, err := getSubParams(tx)
		if err != nil {
			return err
		}
		all, err := subnetInfos(tx, head)
		if err != nil {
			return err
		}
		cp, err := getParams(tx)
		if err != nil {
			return err
		}
		out = protocol.StakeView{Height: head, Markets: []protocol.SubnetMarket{}, MinReserve: p.MinimumReserve, Free: getAccount(tx, ck).Free,
			TxFee: cp.TxFee, ExistentialDeposit: cp.ExistentialDeposit}
		for _, want := range netuids {
			for _, si := range all {
				if si.Netuid != want {
					continue
				}
				n, err := viewSubnet(tx, want)
				if err != nil {
					return err
				}
				out.Markets = append(out.Markets, protocol.SubnetMarket{Subnet: si, FeeRate: n.H.FeeRate})
			}
		}
		out.Stakes, err = stakesIn(tx, func(p stakePosition) bool { return p.Coldkey == ck })
		return err
	})
	return out, err
}

// StakesByColdkey returns every stake position of a coldkey, by netuid then hotkey.
func (c *Chain) StakesByColdkey(ck wallet.AccountID) ([]protocol.StakeInfo, error) {
	return stakes(c, func(p stakePosition) bool { return p.Coldkey == ck })
}

// StakesByHotkey returns every position staked on a hotkey (its nominators), by netuid.
func (c *Chain) StakesByHotkey(hk wallet.AccountID) ([]protocol.StakeInfo, error) {
	return stakes(c, func(p stakePosition) bool { return p.Hotkey == hk })
}

// Delegates returns every hotkey account with its owner, take, nominators and stake.
func (c *Chain) Delegates() ([]protocol.DelegateInfo, error) {
	var out []protocol.DelegateInfo
	all, err := stakes(c, func(stakePosition) bool { return true })
	if err != nil {
		return nil, err
	}
	err = c.view(func(tx *bbolt.Tx) error {
		idx := map[wallet.AccountID]int{}
		err := tx.Bucket(bucketHotkeys).ForEach(func(k, _ []byte) error {
			var hk wallet.AccountID
			copy(hk[:], k)
			h, _ := getHotkey(tx, hk)
			idx[hk] = len(out)
			out = append(out, protocol.DelegateInfo{Hotkey: hk, Owner: h.Owner, Take: h.Take, Registered: []uint16{}, StakeByNet: map[string]uint64{}})
			return nil
		})
		if err != nil {
			return err
		}
		nets, err := listSubnets(tx)
		if err != nil {
			return err
		}
		for _, n := range nets {
			for hk, i := range idx {
				if _, ok := getUID(tx, n.Netuid, hk); ok {
					out[i].Registered = append(out[i].Registered, n.Netuid)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	pos := map[wallet.AccountID]int{}
	for i, d := range out {
		pos[d.Hotkey] = i
	}
	for _, s := range all {
		i, ok := pos[s.Hotkey]
		if !ok {
			continue
		}
		d := &out[i]
		if s.Coldkey != d.Owner {
			d.Nominators++
		}
		d.TotalTao = min(d.TotalTao+s.TaoValue, math.MaxUint64)
		d.StakeByNet[strconv.Itoa(int(s.Netuid))] += s.Alpha
	}
	for i := range out {
		sort.Slice(out[i].Registered, func(a, b int) bool { return out[i].Registered[a] < out[i].Registered[b] })
	}
	sort.Slice(out, func(a, b int) bool { return out[a].TotalTao > out[b].TotalTao })
	return out, nil
}

// EpochInputAt returns the epoch input the chain would feed mechanism.Epoch for a subnet from
// the committed state, for block and raoEmission (for tests; `btui mechanism epoch --netuid`
// uses EpochAt, which runs the blocks' coinbase first and so also knows the emission).
func (c *Chain) EpochInputAt(netuid uint16, block, raoEmission uint64) (mechanism.EpochInput, error) {
	var in mechanism.EpochInput
	err := c.view(func(tx *bbolt.Tx) error {
		n, err := viewSubnet(tx, netuid)
		if err != nil {
			return err
		}
		if n.Stable {
			return fmt.Errorf("netuid %d is the root network: it has no epoch", netuid)
		}
		p, err := getSubParams(tx)
		if err != nil {
			return err
		}
		in, _, _, err = epochInput(tx, p, n, block, raoEmission)
		return err
	})
	return in, err
}

// WeightCommits returns a hotkey's stored weight commits on a subnet with their reveal windows
// (blocks, inclusive) and whether each has expired at the head.
func (c *Chain) WeightCommits(netuid uint16, hotkey wallet.AccountID) ([]protocol.CommitInfo, error) {
	out := []protocol.CommitInfo{}
	err := c.view(func(tx *bbolt.Tx) error {
		n, err := viewSubnet(tx, netuid)
		if err != nil {
			return err
		}
		v := tx.Bucket(bucketCommits).Get(netHotkeyKey(netuid, hotkey))
		if v == nil {
			return nil
		}
		d := protocol.NewDecoder(v)
		count := int(d.U8())
		head, err := headHeight(tx)
		if err != nil {
			return err
		}
		for i := 0; i < count && d.Err() == nil; i++ {
			var ci protocol.CommitInfo
			copy(ci.Hash[:], d.Fixed(32))
			ci.Block = d.U64()
			ci.RevealFrom, ci.RevealUntil = mechanism.RevealBlocks(netuid, n.H.Tempo, n.H.RevealPeriodEpochs, ci.Block)
			ci.Expired = mechanism.CommitExpired(netuid, n.H.Tempo, n.H.RevealPeriodEpochs, ci.Block, head+1)
			out = append(out, ci)
		}
		return d.Finish()
	})
	return out, err
}

func axonEndpoint(a axon) string {
	return axonIP(a) + ":" + strconv.Itoa(int(a.Port))
}

func axonIP(a axon) string {
	if a.IPType == 4 {
		return netip.AddrFrom4([4]byte(a.IP[12:])).String()
	}
	return netip.AddrFrom16(a.IP).String()
}

// cleared reports whether the neuron is not serving: it never served, or it served the zero
// address (a reset).
func (a axon) cleared() bool { return a.Block == 0 || a.IP == [16]byte{} }

func axonInfo(a axon) *protocol.AxonInfo {
	if a.cleared() {
		return nil
	}
	return &protocol.AxonInfo{Block: a.Block, Version: a.Version, IP: axonIP(a), Port: a.Port, IPType: a.IPType, Protocol: a.Protocol}
}
