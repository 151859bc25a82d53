package chainclient

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// This file is btui's one table of networks: every place that takes a network (the global
// --network flag and its aliases, BTUI_NODE, `btui config set node`, the console) resolves it
// here. docs/networks.md explains the choices.

// NetworkKind says which client a network needs.
type NetworkKind int

const (
	// NetworkDevnet is the embedded devnet (no --network, or "devnet").
	NetworkDevnet NetworkKind = iota
	// NetworkNode is a `btui node` over http(s) (Remote).
	NetworkNode
	// NetworkSubtensor is a subtensor node over ws(s) (Subtensor).
	NetworkSubtensor
)

func (k NetworkKind) String() string {
	switch k {
	case NetworkDevnet:
		return "devnet"
	case NetworkNode:
		return "btui node"
	case NetworkSubtensor:
		return "subtensor"
	}
	return "unknown"
}

// Network is a resolved --network value.
type Network struct {
	// Name is the well-known name ("finney", "test", "archive", "local", "devnet") or, for
	// a URL, the URL itself.
	Name string
	Kind NetworkKind
	// URL is the endpoint ("" for the devnet).
	URL string
	// RealTAO is true on finney and the archive node, whose tokens have real value: previews
	// and confirmations say so.
	RealTAO bool
}

// FinneyGenesis is the genesis hash of finney, Bittensor's main network: a transaction for a
// chain with this genesis moves real TAO, whatever name or URL reached it.
const FinneyGenesis = "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03"

// The subtensor networks btcli and the bittensor SDK know by name
// (bittensor/core/settings.py). "local" is subtensor's own local node on its default RPC port,
// as in btcli; a `btui node` is reached by its http:// URL.
var subtensorNetworks = map[string]Network{
	"finney":  {Name: "finney", Kind: NetworkSubtensor, URL: "wss://entrypoint-finney.opentensor.ai:443", RealTAO: true},
	"test":    {Name: "test", Kind: NetworkSubtensor, URL: "wss://test.finney.opentensor.ai:443"},
	"archive": {Name: "archive", Kind: NetworkSubtensor, URL: "wss://archive.chain.opentensor.ai:443", RealTAO: true},
	"local":   {Name: "local", Kind: NetworkSubtensor, URL: "ws://127.0.0.1:9944"},
}

// NetworkNames lists the names ResolveNetwork accepts besides URLs.
func NetworkNames() []string {
	names := []string{"devnet"}
	for n := range subtensorNetworks {
		names = append(names, n)
	}
	sort.Strings(names[1:])
	return names
}

// ResolveNetwork resolves a --network (or --subtensor.network / --subtensor.chain_endpoint,
// BTUI_NODE, the config's node) value: "" or "devnet" is the embedded devnet; finney, test,
// archive and local are the subtensor endpoints btcli uses; a ws:// or wss:// URL is any
// subtensor node; an http:// or https:// URL, or a bare host:port, is a `btui node`. Names are
// case-insensitive. Anything else is an error that lists what is accepted. It does no I/O: no
// connection and no DNS lookup (a misspelt name is never taken for a host).
func ResolveNetwork(s string) (Network, error) {
	v := strings.TrimSpace(s)
	low := strings.ToLower(v)
	if low == "" || low == "devnet" {
		return Network{Name: "devnet", Kind: NetworkDevnet}, nil
	}
	if n, ok := subtensorNetworks[low]; ok {
		return n, nil
	}
	accepted := func(why string) error {
		return fmt.Errorf("%w: network %q %s: use %s, a ws:// or wss:// URL of a subtensor node, or an http:// URL of a btui node",
			ErrInvalidURL, s, why, strings.Join(NetworkNames(), ", "))
	}
	if scheme, _, ok := strings.Cut(v, "://"); ok {
		u, err := url.Parse(v)
		if err != nil {
			return Network{}, accepted(fmt.Sprintf("does not parse (%v)", err))
		}
		switch strings.ToLower(scheme) {
		case "ws", "wss":
			if u.Host == "" {
				return Network{}, accepted("has no host")
			}
			n := Network{Name: v, Kind: NetworkSubtensor, URL: v}
			for _, known := range subtensorNetworks {
				if strings.EqualFold(known.URL, v) {
					n.Name, n.RealTAO = known.Name, known.RealTAO
				}
			}
			return n, nil
		case "http", "https":
			nu, err := NormalizeNodeURL(v)
			if err != nil {
				return Network{}, err
			}
			return Network{Name: nu, Kind: NetworkNode, URL: nu}, nil
		}
		return Network{}, accepted(fmt.Sprintf("has the scheme %q (not ws, wss, http or https)", scheme))
	}
	// A lone word that is not a host:port is a misspelt network name, not a host to look up.
	if !strings.ContainsAny(v, ".:/") && low != "localhost" {
		return Network{}, accepted("is unknown")
	}
	nu, err := NormalizeNodeURL(v)
	if err != nil {
		return Network{}, err
	}
	return Network{Name: nu, Kind: NetworkNode, URL: nu}, nil
}

// IsFinney reports whether genesis is finney's: the chain whose TAO is real.
func IsFinney(genesis [32]byte) bool {
	return fmt.Sprintf("0x%x", genesis[:]) == FinneyGenesis
}
