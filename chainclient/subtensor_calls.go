package chainclient

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"

	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The calls btui's commands make, as subtensor's runtime calls. Every call is encoded through
// the node's metadata by its pallet, call and argument names (substrate.Metadata.EncodeCall), so
// the indices and wire types are the runtime's own; a runtime that renamed an argument is
// refused by name rather than signed wrongly.

// ErrNoSubtensorCall is returned for a btui call that has no subtensor equivalent.
var ErrNoSubtensorCall = errors.New("no subtensor equivalent")

// SubtensorCall is a protocol.Call mapped to its runtime call.
type SubtensorCall struct {
	Pallet, Name string
	Args         map[string]any
}

// String is "Pallet.call".
func (c SubtensorCall) String() string { return c.Pallet + "." + c.Name }

// CallContext answers what mapping a call needs from the chain: the hotkey's current delegate
// take (SetTake becomes increase_take or decrease_take) and whether the runtime has a call.
type CallContext struct {
	// CurrentTake returns a hotkey's delegate take (1/65535 units).
	CurrentTake func(hotkey wallet.AccountID) (uint16, error)
}

func acct(id wallet.AccountID) string { return "0x" + hex.EncodeToString(id[:]) }

func u16s(v []uint16) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// MapSubtensorCall maps call to the runtime call of metadata m. Calls with no subtensor
// equivalent, or whose btui options subtensor cannot honour, are refused with an error that
// names them (wrapping ErrNoSubtensorCall).
func MapSubtensorCall(m *substrate.Metadata, call protocol.Call, cc CallContext) (SubtensorCall, error) {
	has := func(pallet, name string) bool { _, _, err := m.Call(pallet, name); return err == nil }
	refuse := func(why string) (SubtensorCall, error) {
		return SubtensorCall{}, fmt.Errorf("%s: %w: %s", call.CallName(), ErrNoSubtensorCall, why)
	}
	const sub = "SubtensorModule"
	switch c := call.(type) {
	case protocol.Transfer:
		name := "transfer_keep_alive"
		if c.AllowDeath {
			name = "transfer_allow_death"
		}
		return SubtensorCall{"Balances", name, map[string]any{"dest": map[string]any{"Id": acct(c.To)}, "value": c.Amount}}, nil
	case protocol.AddStake:
		if c.LimitPrice == 0 {
			return SubtensorCall{sub, "add_stake", map[string]any{"hotkey": acct(c.Hotkey), "netuid": c.Netuid, "amount_staked": c.Amount}}, nil
		}
		return SubtensorCall{sub, "add_stake_limit", map[string]any{"hotkey": acct(c.Hotkey), "netuid": c.Netuid, "amount_staked": c.Amount,
			"limit_price": c.LimitPrice, "allow_partial": c.AllowPartial}}, nil
	case protocol.RemoveStake:
		if c.LimitPrice == 0 {
			return SubtensorCall{sub, "remove_stake", map[string]any{"hotkey": acct(c.Hotkey), "netuid": c.Netuid, "amount_unstaked": c.Amount}}, nil
		}
		return SubtensorCall{sub, "remove_stake_limit", map[string]any{"hotkey": acct(c.Hotkey), "netuid": c.Netuid, "amount_unstaked": c.Amount,
			"limit_price": c.LimitPrice, "allow_partial": c.AllowPartial}}, nil
	case protocol.MoveStake:
		return SubtensorCall{sub, "move_stake", map[string]any{"origin_hotkey": acct(c.OriginHotkey), "destination_hotkey": acct(c.DestinationHotkey),
			"origin_netuid": c.OriginNetuid, "destination_netuid": c.DestinationNetuid, "alpha_amount": c.Amount}}, nil
	case protocol.TransferStake:
		return SubtensorCall{sub, "transfer_stake", map[string]any{"destination_coldkey": acct(c.DestinationColdkey), "hotkey": acct(c.Hotkey),
			"origin_netuid": c.OriginNetuid, "destination_netuid": c.DestinationNetuid, "alpha_amount": c.Amount}}, nil
	case protocol.SwapStake:
		if c.LimitPrice == 0 {
			return SubtensorCall{sub, "swap_stake", map[string]any{"hotkey": acct(c.Hotkey), "origin_netuid": c.OriginNetuid,
				"destination_netuid": c.DestinationNetuid, "alpha_amount": c.Amount}}, nil
		}
		return SubtensorCall{sub, "swap_stake_limit", map[string]any{"hotkey": acct(c.Hotkey), "origin_netuid": c.OriginNetuid,
			"destination_netuid": c.DestinationNetuid, "alpha_amount": c.Amount, "limit_price": c.LimitPrice, "allow_partial": c.AllowPartial}}, nil
	case protocol.BurnedRegister:
		if c.LimitPrice != 0 && has(sub, "register_limit") {
			return SubtensorCall{sub, "register_limit", map[string]any{"netuid": c.Netuid, "hotkey": acct(c.Hotkey), "limit_price": c.LimitPrice}}, nil
		}
		// Without register_limit the burn limit is checked against the chain before signing
		// (Subtensor.checkCall).
		return SubtensorCall{sub, "burned_register", map[string]any{"netuid": c.Netuid, "hotkey": acct(c.Hotkey)}}, nil
	case protocol.SetWeights:
		return SubtensorCall{sub, "set_weights", map[string]any{"netuid": c.Netuid, "dests": u16s(c.Uids), "weights": u16s(c.Values), "version_key": c.VersionKey}}, nil
	case protocol.CommitWeights:
		return SubtensorCall{sub, "commit_weights", map[string]any{"netuid": c.Netuid, "commit_hash": "0x" + hex.EncodeToString(c.Hash[:])}}, nil
	case protocol.RevealWeights:
		return SubtensorCall{sub, "reveal_weights", map[string]any{"netuid": c.Netuid, "uids": u16s(c.Uids), "values": u16s(c.Values),
			"salt": u16s(c.Salt), "version_key": c.VersionKey}}, nil
	case protocol.ServeAxon:
		ip := new(big.Int).SetBytes(c.IP[:])
		return SubtensorCall{sub, "serve_axon", map[string]any{"netuid": c.Netuid, "version": c.Version, "ip": ip.String(), "port": c.Port,
			"ip_type": c.IPType, "protocol": c.Protocol, "placeholder1": uint8(0), "placeholder2": uint8(0)}}, nil
	case protocol.SetTake:
		if cc.CurrentTake == nil {
			return refuse("the current take is needed to choose increase_take or decrease_take")
		}
		cur, err := cc.CurrentTake(c.Hotkey)
		if err != nil {
			return SubtensorCall{}, err
		}
		name := "increase_take"
		switch {
		case c.Take < cur:
			name = "decrease_take"
		case c.Take == cur:
			return refuse(fmt.Sprintf("the take of %s is already %d", c.Hotkey, cur))
		}
		return SubtensorCall{sub, name, map[string]any{"hotkey": acct(c.Hotkey), "take": c.Take}}, nil
	case protocol.SetIdentity:
		i := c.Identity
		return SubtensorCall{sub, "set_identity", map[string]any{"name": hexStr(i.Name), "url": hexStr(i.URL), "github_repo": hexStr(i.GithubRepo),
			"image": hexStr(i.Image), "discord": hexStr(i.Discord), "description": hexStr(i.Description), "additional": hexStr(i.Additional)}}, nil
	case protocol.SetSubnetIdentity:
		i := c.SubnetIdentity
		return SubtensorCall{sub, "set_subnet_identity", map[string]any{"netuid": c.Netuid, "subnet_name": hexStr(i.SubnetName), "github_repo": hexStr(i.GithubRepo),
			"subnet_contact": hexStr(i.SubnetContact), "subnet_url": hexStr(i.SubnetURL), "discord": hexStr(i.Discord),
			"description": hexStr(i.Description), "logo_url": hexStr(i.LogoURL), "additional": hexStr(i.Additional)}}, nil
	case protocol.StartCall:
		return SubtensorCall{sub, "start_call", map[string]any{"netuid": c.Netuid}}, nil
	case protocol.SwapHotkey:
		return SubtensorCall{sub, "swap_hotkey", map[string]any{"hotkey": acct(c.Hotkey), "new_hotkey": acct(c.NewHotkey), "netuid": nil}}, nil
	case protocol.ScheduleSwapColdkey:
		return SubtensorCall{sub, "schedule_swap_coldkey", map[string]any{"new_coldkey": acct(c.NewColdkey)}}, nil
	case protocol.RegisterNetwork:
		return refuse("subtensor's register_network takes no lock-cost limit; btui does not create subnets on a real network")
	case protocol.PowRegister:
		return refuse("btui's proof of work is the devnet's, not subtensor's; use burned registration")
	case protocol.Faucet:
		return refuse("the faucet is devnet-only")
	case protocol.SetHyperparameter, protocol.SudoSetGlobal:
		return refuse("subtensor sets hyperparameters through AdminUtils, which btui does not sign for")
	case protocol.DissolveNetwork:
		return refuse("dissolving a subnet is root-only on subtensor")
	}
	return refuse("btui has no mapping for this call")
}

// hexStr is a string's bytes as 0x hex (how EncodeCall takes a Vec<u8>).
func hexStr(s string) string { return "0x" + hex.EncodeToString([]byte(s)) }

// EncodeSubtensorCall maps and encodes call for metadata m (pallet index ‖ call index ‖ args).
func EncodeSubtensorCall(m *substrate.Metadata, call protocol.Call, cc CallContext) (SubtensorCall, []byte, error) {
	sc, err := MapSubtensorCall(m, call, cc)
	if err != nil {
		return sc, nil, err
	}
	b, err := m.EncodeCall(sc.Pallet, sc.Name, sc.Args)
	if err != nil {
		return sc, nil, fmt.Errorf("%s as %s: %w", call.CallName(), sc, err)
	}
	return sc, b, nil
}
