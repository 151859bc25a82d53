package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type walletOverviewOptions struct {
	f   *Factory
	ctx context.Context

	Wallet string
	Netuid int
}

func newCmdWalletOverview(f *Factory, runF func(*walletOverviewOptions) error) *cobra.Command {
	opts := &walletOverviewOptions{f: f, Netuid: -1}
	cmd := &cobra.Command{
		Use:   "overview",
		Short: "Show a wallet's balance, stake and every registration of its hotkeys",
		Long: `Show the selected wallet's coldkey balance, each stake position (hotkey, subnet, alpha and its
TAO value), and for each of its hotkeys every subnet where it holds a uid with the uid's stake,
rank, trust, consensus, incentive, dividends, emission and validator permit.

Stake is shown with what it would fetch if sold now (the pool's quote after its fee, with its
price impact; totals sell all of the wallet's alpha on each subnet in one trade) beside its
value at spot prices, which a thin pool never pays.

JSON (--json): {"wallet", "coldkey", "free", "staked", "total", "staked_realisable",
"total_realisable", "stakes": [StakeInfo + "tao_realisable"],
"hotkeys": [{"name", "address", "neurons": [{"netuid", "uid", "stake", "rank", "trust",
"consensus", "incentive", "dividends", "emission", "validator_trust", "validator_permit",
"active", "immune", "last_update"}]}]}, and "coldkey_swap" {"new_coldkey", "execution_block",
"cost", "reschedule_from", "failed"} while a coldkey swap is scheduled. On a subtensor node
(--network) identity and coldkey swap are not read, and a read the node will not answer leaves
its keys out: all are named in "not_read" (docs/json.md).`,
		Example: `  btui wallet overview --wallet-name alice
  btui wallet overview -p ./wallets --name validator --netuid 2 --json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx, opts.Wallet = cmd.Context(), f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return walletOverviewRun(opts)
		},
	}
	cmd.Flags().IntVar(&opts.Netuid, "netuid", -1, "only this subnet")
	return cmd
}

type overviewNeuronJSON struct {
	Netuid         uint16 `json:"netuid"`
	UID            uint16 `json:"uid"`
	Stake          uint64 `json:"stake"`
	Rank           uint16 `json:"rank"`
	Trust          uint16 `json:"trust"`
	Consensus      uint16 `json:"consensus"`
	Incentive      uint16 `json:"incentive"`
	Dividends      uint16 `json:"dividends"`
	Emission       uint64 `json:"emission"`
	ValidatorTrust uint16 `json:"validator_trust"`
	Permit         bool   `json:"validator_permit"`
	Active         bool   `json:"active"`
	Immune         bool   `json:"immune"`
	LastUpdate     uint64 `json:"last_update"`
}

type overviewHotkeyJSON struct {
	Name    string               `json:"name"`
	Address wallet.AccountID     `json:"address"`
	Neurons []overviewNeuronJSON `json:"neurons"`
}

// overviewStakeJSON is a stake position: the chain's StakeInfo ("tao_value" at the spot price)
// and what it would fetch if sold now.
type overviewStakeJSON struct {
	protocol.StakeInfo
	// TaoRealisable is the pool's quote for selling the position alone now, after its fee
	// (0 on a subnet that has not started).
	TaoRealisable uint64 `json:"tao_realisable"`
}

type walletOverviewJSON struct {
	Wallet  string              `json:"wallet"`
	Coldkey wallet.AccountID    `json:"coldkey"`
	Free    uint64              `json:"free"`
	Staked  uint64              `json:"staked"` // at spot prices
	Total   uint64              `json:"total"`
	Stakes  []overviewStakeJSON `json:"stakes"`
	// StakedRealisable and TotalRealisable: sold now (wallet balance's values).
	StakedRealisable uint64               `json:"staked_realisable"`
	TotalRealisable  uint64               `json:"total_realisable"`
	Hotkeys          []overviewHotkeyJSON `json:"hotkeys"`
	// Identity is the coldkey's on-chain identity (btui wallet set-identity), if set.
	Identity *protocol.Identity `json:"identity,omitempty"`
	// ColdkeySwap is the coldkey's scheduled swap (btui wallet swap-coldkey), if any.
	ColdkeySwap *protocol.ColdkeySwapInfo `json:"coldkey_swap,omitempty"`
}

func walletOverviewRun(o *walletOverviewOptions) error {
	f := o.f
	if o.Netuid > 65535 || o.Netuid < -1 {
		return usageErrorf("--netuid %d is not a subnet id (0..65535)", o.Netuid)
	}
	cold, err := coldkeyOf(f, o.Wallet)
	if err != nil {
		return err
	}
	type hk struct {
		name string
		id   wallet.AccountID
	}
	var hotkeys []hk
	if isDevName(o.Wallet) {
		hotkeys = append(hotkeys, hk{o.Wallet, cold})
	} else {
		ks, err := f.Keystore()
		if err != nil {
			return err
		}
		w, err := ks.Wallet(o.Wallet)
		if err != nil {
			return err
		}
		for _, e := range w.Hotkeys {
			if e.Err == nil {
				hotkeys = append(hotkeys, hk{e.Name, e.Info.AccountID})
			}
		}
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	if o.Netuid >= 0 {
		if _, err := s.subnetInfo(uint16(o.Netuid)); err != nil {
			return err
		}
	}
	// On a subtensor node a read the node refuses (an older runtime without the API, or, in
	// tests, a request the recordings lack) leaves its values out, named in "not_read" with why,
	// instead of failing the whole overview; a transport failure still fails it. Identity and
	// a scheduled coldkey swap are not read from a subtensor node at all.
	_, onSubtensor := s.c.(*chainclient.Subtensor)
	optional := func(err error) bool { return onSubtensor && chainclient.NodeAnswered(err) }
	free, err := s.free(cold)
	if err != nil {
		return err
	}
	out := walletOverviewJSON{Wallet: o.Wallet, Coldkey: cold, Free: free, Stakes: []overviewStakeJSON{}, Hotkeys: []overviewHotkeyJSON{}}
	var stakesErr, regErr error
	stakes, err := s.m.StakesByColdkey(s.ctx, cold)
	switch {
	case err == nil:
		each, realisable, err := s.realisable(stakes)
		if err != nil {
			return err
		}
		for i, st := range stakes {
			out.Staked += st.TaoValue
			if o.Netuid < 0 || int(st.Netuid) == o.Netuid {
				out.Stakes = append(out.Stakes, overviewStakeJSON{StakeInfo: st, TaoRealisable: each[i]})
			}
		}
		out.Total, out.StakedRealisable, out.TotalRealisable = out.Free+out.Staked, realisable, out.Free+realisable
	case optional(err):
		stakesErr = err
	default:
		return chainErr(err)
	}
	if !onSubtensor {
		acct, err := s.c.Account(s.ctx, cold)
		if err != nil {
			return chainErr(err)
		}
		out.Identity, out.ColdkeySwap = acct.Identity, acct.ColdkeySwap
	}
	// Registrations: the delegate list names each hotkey's subnets; the metagraphs give the uids.
	// (A wallet without hotkeys, e.g. a watch-only one, needs neither.)
	reg := map[wallet.AccountID][]uint16{}
	if len(hotkeys) > 0 {
		dels, err := s.m.Delegates(s.ctx)
		switch {
		case err == nil:
		case optional(err):
			regErr = err
		default:
			return chainErr(err)
		}
		for _, d := range dels {
			reg[d.Hotkey] = d.Registered
		}
	}
	graphs := map[uint16]*protocol.Metagraph{}
	for _, h := range hotkeys {
		oh := overviewHotkeyJSON{Name: h.name, Address: h.id, Neurons: []overviewNeuronJSON{}}
		for _, netuid := range reg[h.id] {
			if regErr != nil || (o.Netuid >= 0 && int(netuid) != o.Netuid) {
				continue
			}
			mg, ok := graphs[netuid]
			if !ok {
				if mg, err = s.m.Metagraph(s.ctx, netuid); optional(err) {
					regErr = err
					continue
				} else if err != nil {
					return chainErr(err)
				}
				graphs[netuid] = mg
			}
			for _, n := range mg.Neurons {
				if n.Hotkey == h.id {
					oh.Neurons = append(oh.Neurons, overviewNeuronJSON{Netuid: netuid, UID: n.UID, Stake: n.Stake, Rank: n.Rank,
						Trust: n.Trust, Consensus: n.Consensus, Incentive: n.Incentive, Dividends: n.Dividends, Emission: n.Emission,
						ValidatorTrust: n.ValidatorTrust, Permit: n.Permit, Active: n.Active, Immune: n.Immune, LastUpdate: n.LastUpdate})
				}
			}
		}
		sort.Slice(oh.Neurons, func(i, j int) bool { return oh.Neurons[i].Netuid < oh.Neurons[j].Netuid })
		out.Hotkeys = append(out.Hotkeys, oh)
	}
	if onSubtensor {
		return walletOverviewSubtensor(f, out, stakesErr, regErr)
	}
	return printJSONOr(f, out, func(w io.Writer) {
		fmt.Fprintf(w, "wallet %s  coldkey %s\n", out.Wallet, out.Coldkey)
		printIdentity(w, out.Identity)
		if out.ColdkeySwap != nil {
			if info, err := s.c.Info(s.ctx); err == nil {
				for _, l := range swapStatusLines(out.ColdkeySwap, info) {
					fmt.Fprintf(w, "%s: %s\n", l.Label, l.Value)
				}
			}
		}
		printOverviewStakes(w, out)
		for _, h := range out.Hotkeys {
			fmt.Fprintf(w, "\nhotkey %s  %s\n", h.Name, h.Address)
			if len(h.Neurons) == 0 {
				fmt.Fprintln(w, "  not registered on any subnet")
				continue
			}
			fmt.Fprintf(w, "  %-6s %-5s %20s %8s %8s %8s %8s %8s %16s %s\n", "NETUID", "UID", "STAKE", "RANK", "TRUST", "CONS", "INCENT", "DIVS", "EMISSION", "PERMIT")
			for _, n := range h.Neurons {
				fmt.Fprintf(w, "  %-6d %-5d %20s %8s %8s %8s %8s %8s %16s %v\n", n.Netuid, n.UID, alphaAmount(n.Stake), u16Fraction(n.Rank),
					u16Fraction(n.Trust), u16Fraction(n.Consensus), u16Fraction(n.Incentive), u16Fraction(n.Dividends), alphaAmount(n.Emission), n.Permit)
			}
		}
	})
}

// printOverviewStakes is the balance line and the table of stake positions.
func printOverviewStakes(w io.Writer, out walletOverviewJSON) {
	fmt.Fprintf(w, "free %s  staked %s if sold now (%s at spot prices)  total %s if sold now\n",
		tao(out.Free), tao(out.StakedRealisable), tao(out.Staked), tao(out.TotalRealisable))
	if len(out.Stakes) > 0 {
		fmt.Fprintln(w, "\nstake:")
		fmt.Fprintf(w, "  %-6s %-48s %22s %20s %20s\n", "NETUID", "HOTKEY", "ALPHA", "SELL NOW", "SPOT VALUE")
		for _, st := range out.Stakes {
			fmt.Fprintf(w, "  %-6d %-48s %22s %20s %20s\n", st.Netuid, st.Hotkey, alphaAmount(st.Alpha), tao(st.TaoRealisable), tao(st.TaoValue))
		}
	}
}

// overviewNotReadOnSubtensor: what wallet overview never reads from a subtensor node.
var overviewNotReadOnSubtensor = []string{"identity", "coldkey_swap"}

// overviewStakeKeys: the keys a stake read fills, left out when it is not read.
var overviewStakeKeys = []string{"staked", "total", "staked_realisable", "total_realisable", "stakes"}

// walletOverviewSubtensor prints a subtensor node's overview: the keys of the reads the node
// would not answer (stakesErr, regErr) and those never read are left out of the JSON and named
// in "not_read"; the text says "not read" and why.
func walletOverviewSubtensor(f *Factory, out walletOverviewJSON, stakesErr, regErr error) error {
	notRead := append([]string(nil), overviewNotReadOnSubtensor...)
	if stakesErr != nil {
		notRead = append(notRead, overviewStakeKeys...)
	}
	if regErr != nil {
		notRead = append(notRead, "hotkeys.neurons")
	} else if len(out.Hotkeys) > 0 {
		notRead = append(notRead, "hotkeys.neurons.validator_trust") // a mechagraph has none
	}
	if f.Opts.JSON {
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			return err
		}
		for _, k := range notRead {
			delete(doc, k)
		}
		for _, h := range doc["hotkeys"].([]any) {
			if regErr != nil {
				delete(h.(map[string]any), "neurons")
				continue
			}
			for _, n := range h.(map[string]any)["neurons"].([]any) {
				delete(n.(map[string]any), "validator_trust")
			}
		}
		doc["not_read"] = notRead
		return walletPrintJSON(f.IO.Out, doc)
	}
	w := f.IO.Out
	fmt.Fprintf(w, "wallet %s  coldkey %s\n", out.Wallet, out.Coldkey)
	if stakesErr != nil {
		fmt.Fprintf(w, "free %s  stake not read: %v\n", tao(out.Free), stakesErr)
	} else {
		printOverviewStakes(w, out)
	}
	fmt.Fprintln(w, "identity and coldkey swap: not read from a subtensor node")
	for _, h := range out.Hotkeys {
		fmt.Fprintf(w, "\nhotkey %s  %s\n", h.Name, h.Address)
		switch {
		case regErr != nil:
			fmt.Fprintf(w, "  registrations not read: %v\n", regErr)
		case len(h.Neurons) == 0:
			fmt.Fprintln(w, "  not registered on any subnet")
		default:
			for _, n := range h.Neurons {
				fmt.Fprintf(w, "  subnet %d uid %d  stake %s  incentive %s  dividends %s  emission %s  permit %v\n", n.Netuid, n.UID,
					alphaAmount(n.Stake), u16Fraction(n.Incentive), u16Fraction(n.Dividends), alphaAmount(n.Emission), n.Permit)
			}
		}
	}
	return nil
}
