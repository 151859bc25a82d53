package chainclient

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

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

// The subtensor networks btcli and the bittensor SDK know by name
// (bittensor/core/settings.py).
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

// ResolveNetwork resolves a --network (or --subtensor.network / --subtensor.chain_endpoint)
// value: "" or "devnet" is the embedded devnet; finney, test, archive and local are the
// subtensor endpoints btcli uses; a ws:// or wss:// URL is any subtensor node; an http:// or
// https:// URL is a `btui node`. Names are case-insensitive. Anything else is an error that
// lists what is accepted.
func ResolveNetwork(s string) (Network, error) {
	v := strings.TrimSpace(s)
	low := strings.ToLower(v)
	if low == "" || low == "devnet" {
		return Network{Name: "devnet", Kind: NetworkDevnet}, nil
	}
	if n, ok := subtensorNetworks[low]; ok {
		return n, nil
	}
	u, err := url.Parse(v)
	if err == nil && u.Host != "" {
		switch strings.ToLower(u.Scheme) {
		case "ws", "wss":
			n := Network{Name: v, Kind: NetworkSubtensor, URL: v}
			for _, known := range subtensorNetworks {
				if strings.EqualFold(known.URL, v) {
					n.Name, n.RealTAO = known.Name, known.RealTAO
				}
			}
			return n, nil
		case "http", "https":
			return Network{Name: v, Kind: NetworkNode, URL: v}, nil
		}
	}
	return Network{}, fmt.Errorf("unknown network %q: use %s, a ws:// or wss:// URL of a subtensor node, or an http:// URL of a btui node",
		s, strings.Join(NetworkNames(), ", "))
}
