package main

import (
	"fmt"
	"strings"

	"github.com/btui/btui/chainclient"
)

// btcli names its networks; btui accepts the same names wherever a node is expected (--node
// and its aliases --network, --subtensor.network, --subtensor.chain_endpoint, --chain; env
// BTUI_NODE; `btui config set node`). A value is resolved in this order:
//
//  1. one of the names below;
//  2. a ws:// or wss:// URL: a subtensor node's websocket endpoint;
//  3. anything else: a btui node's URL (http://host:port; a bare host:port means http).
//
// A name or endpoint btui cannot serve yet is refused here with a clear error, before any
// connection or DNS lookup.

// networkKind says which client serves an endpoint.
type networkKind int

const (
	kindBtuiNode  networkKind = iota // a `btui node` over its HTTP API (chainclient.Remote)
	kindSubtensor                    // a subtensor node over websocket JSON-RPC
)

// networkEntry is one of btcli's network names.
type networkEntry struct {
	Name     string
	Endpoint string // btcli's endpoint for the name
	Kind     networkKind
	Serve    string // what btui connects to for the name; "" when it cannot serve it yet
	Note     string // shown when Serve is empty
}

// networks is btcli's table (bittensor's settings: NETWORKS and their entrypoints). btui serves
// "local" with a `btui node` on btcli's local port; the public networks need the subtensor
// client, which is not wired in yet: point Serve at it (and Kind's switch in resolveNode)
// when it is.
var networks = []networkEntry{
	{Name: "local", Endpoint: "ws://127.0.0.1:9944", Kind: kindBtuiNode, Serve: "http://127.0.0.1:9944",
		Note: "a btui node on btcli's local port (start it with `btui node`)"},
	{Name: "finney", Endpoint: "wss://entrypoint-finney.opentensor.ai:443", Kind: kindSubtensor},
	{Name: "test", Endpoint: "wss://test.finney.opentensor.ai:443", Kind: kindSubtensor},
	{Name: "archive", Endpoint: "wss://archive.chain.opentensor.ai:443", Kind: kindSubtensor},
}

func networkNames() string {
	n := make([]string, len(networks))
	for i, e := range networks {
		n[i] = e.Name
	}
	return strings.Join(n, ", ")
}

// errNoSubtensorClient is the error for an endpoint only a subtensor client could serve.
func errNoSubtensorClient(what, endpoint string) error {
	return usageErrorf("%s (%s) is a subtensor node: btui cannot connect to subtensor yet; use the embedded devnet (leave the node unset) or a `btui node` URL such as http://127.0.0.1:9944", what, endpoint)
}

// resolveNode turns a --node value into the URL of a btui node, or a usage error that says
// why not. It does no I/O.
func resolveNode(v string) (string, error) {
	v = strings.TrimSpace(v)
	for _, e := range networks {
		if strings.EqualFold(v, e.Name) {
			if e.Serve == "" {
				return "", errNoSubtensorClient("network "+e.Name, e.Endpoint)
			}
			return e.Serve, nil
		}
	}
	lower := strings.ToLower(v)
	if strings.HasPrefix(lower, "ws://") || strings.HasPrefix(lower, "wss://") {
		return "", errNoSubtensorClient("the websocket endpoint", v)
	}
	// A lone word that is not a host:port or URL is a misspelt network name, not a host to
	// look up.
	if v != "" && !strings.ContainsAny(v, ".:/") && v != "localhost" {
		return "", usageErrorf("unknown network %q: give one of %s, or a btui node URL such as http://127.0.0.1:9944", v, networkNames())
	}
	u, err := chainclient.NormalizeNodeURL(v)
	if err != nil {
		return "", usageErrorf("%v", err)
	}
	return u, nil
}

// nodeSetting is the node value in force and where it came from.
type nodeSetting struct {
	Value  string // as given; "" means the embedded devnet
	Source string // "--node", "BTUI_NODE" or "config.json (PATH)"
}

func (f *Factory) nodeSetting() nodeSetting {
	if f.Opts.Node != "" {
		return nodeSetting{f.Opts.Node, "--node"}
	}
	if u := f.getenv("BTUI_NODE"); u != "" {
		return nodeSetting{u, "BTUI_NODE"}
	}
	if u := f.configValue("node"); u != "" {
		return nodeSetting{u, fmt.Sprintf("config.json (%s; change it with `btui config set node URL` or `btui config set --unset node`)", f.ConfigPath())}
	}
	return nodeSetting{}
}

// nodeEndpoint resolves the node setting; "" means the embedded devnet. Errors name the
// setting's source.
func (f *Factory) nodeEndpoint() (string, nodeSetting, error) {
	ns := f.nodeSetting()
	if ns.Value == "" {
		return "", ns, nil
	}
	u, err := resolveNode(ns.Value)
	if err != nil {
		return "", ns, withCode(exitCode(err), fmt.Errorf("node %q from %s: %w", ns.Value, ns.Source, err))
	}
	return u, ns, nil
}

// printSources says, on stderr, where the wallets and the chain come from (--verbose).
func printSources(f *Factory) {
	w := f.IO.ErrOut
	src := func(flag, env, key string) string {
		switch {
		case flag != "":
			return "flag"
		case f.getenv(env) != "":
			return env
		case key != "" && f.configValue(key) != "":
			return "config.json"
		}
		return "default"
	}
	fmt.Fprintf(w, "wallets: %s (%s)\n", f.WalletPath(), src(f.Opts.WalletPath, "BTUI_WALLET_PATH", "wallet-path"))
	fmt.Fprintf(w, "wallet:  %s, hotkey %s\n", f.WalletName(), f.HotkeyName())
	u, ns, err := f.nodeEndpoint()
	switch {
	case err != nil:
		fmt.Fprintf(w, "chain:   %v\n", err)
	case u == "":
		fmt.Fprintf(w, "chain:   embedded devnet at %s (%s)\n", f.DataDir(), src(f.Opts.DataDir, "BTUI_DATADIR", "datadir"))
	default:
		fmt.Fprintf(w, "chain:   btui node %s (from %s)\n", u, ns.Source)
	}
}
