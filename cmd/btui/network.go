package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
)

// Which chain a command talks to comes from --network (aliases --node, --chain,
// --subtensor.network, --subtensor.chain_endpoint; env BTUI_NODE; `btui config set node`),
// resolved by chainclient.ResolveNetwork, btui's one table of networks (docs/networks.md):
//
//   - unset or "devnet": the embedded devnet;
//   - finney, test, archive, local (ws://127.0.0.1:9944) or a ws:// / wss:// URL: a subtensor
//     node (chainclient.Subtensor);
//   - an http:// / https:// URL or a bare host:port: a `btui node` (chainclient.Remote).
//
// A value that resolves to nothing is a usage error before any connection or DNS lookup.

// resolveNode resolves a network value, with a usage error (exit 2) when it names nothing.
func resolveNode(v string) (chainclient.Network, error) {
	n, err := chainclient.ResolveNetwork(v)
	if err != nil {
		return n, usageErrorf("%v", err)
	}
	return n, nil
}

// nodeSetting is the node value in force and where it came from.
type nodeSetting struct {
	Value  string // as given; "" means the embedded devnet
	Source string // "--network", "BTUI_NODE" or "config.json (PATH)"
}

func (f *Factory) nodeSetting() nodeSetting {
	if f.Opts.Node != "" {
		return nodeSetting{f.Opts.Node, "--network"}
	}
	if u := f.getenv("BTUI_NODE"); u != "" {
		return nodeSetting{u, "BTUI_NODE"}
	}
	if u := f.configValue("node"); u != "" {
		return nodeSetting{u, fmt.Sprintf("config.json (%s; change it with `btui config set node URL` or `btui config set --unset node`)", f.ConfigPath())}
	}
	return nodeSetting{}
}

// nodeEndpoint resolves the node setting. Errors name the setting's source.
func (f *Factory) nodeEndpoint() (chainclient.Network, nodeSetting, error) {
	ns := f.nodeSetting()
	n, err := resolveNode(ns.Value)
	if err != nil {
		return n, ns, withCode(exitCode(err), fmt.Errorf("%s from %s: %w", strings.TrimSpace(ns.Value), ns.Source, err))
	}
	return n, ns, nil
}

// Network is the network in force (the devnet when the setting does not resolve; Client
// reports why).
func (f *Factory) Network() chainclient.Network {
	n, _, err := f.nodeEndpoint()
	if err != nil {
		return chainclient.Network{Name: "devnet", Kind: chainclient.NetworkDevnet}
	}
	return n
}

// subtensorDialTimeout bounds connecting to a subtensor node and reading its metadata.
const subtensorDialTimeout = 30 * time.Second

// dialSubtensor connects to the subtensor node n names.
func dialSubtensor(n chainclient.Network) (*chainclient.Subtensor, error) {
	ctx, cancel := context.WithTimeout(context.Background(), subtensorDialTimeout)
	defer cancel()
	s, err := chainclient.DialSubtensor(ctx, n.URL)
	if err != nil {
		return nil, fmt.Errorf("network %s (%s): %w", n.Name, n.URL, err)
	}
	return s, nil
}

// devnetOnlyCommands are the command groups only btui's own devnet has: clock control, the
// faucet, snapshots, simulations and the devnet's sudo key.
var devnetOnlyCommands = map[string]bool{"devnet": true, "simulate": true, "sudo": true, "node": true}

// checkNetworkForCommand refuses (exit 2) a devnet-only command on a subtensor network,
// before anything connects.
func checkNetworkForCommand(cmd *cobra.Command, f *Factory) error {
	if fl := cmd.Flags().Lookup("offline"); fl != nil && fl.Changed {
		return nil // signs without any network (offline.go)
	}
	n, _, err := f.nodeEndpoint()
	if err != nil || n.Kind != chainclient.NetworkSubtensor {
		return nil
	}
	path := strings.Fields(cmd.CommandPath())
	if len(path) < 2 || !devnetOnlyCommands[path[1]] {
		return nil
	}
	return usageErrorf("btui %s is devnet-only: network %s is a subtensor node, which has no such control; drop --network (or BTUI_NODE) to use the embedded devnet",
		strings.Join(path[1:], " "), n.Name)
}

// devnetOnlyErr gives a devnet-only refusal of a subtensor client exit 2.
func devnetOnlyErr(err error) error {
	if errors.Is(err, chainclient.ErrDevnetOnly) {
		return withCode(ExitUsage, err)
	}
	return err
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
	n, ns, err := f.nodeEndpoint()
	switch {
	case err != nil:
		fmt.Fprintf(w, "chain:   %v\n", err)
	case n.Kind == chainclient.NetworkDevnet:
		fmt.Fprintf(w, "chain:   embedded devnet at %s (%s)\n", f.DataDir(), src(f.Opts.DataDir, "BTUI_DATADIR", "datadir"))
	case n.Kind == chainclient.NetworkSubtensor:
		fmt.Fprintf(w, "chain:   subtensor network %s at %s (from %s)\n", n.Name, n.URL, ns.Source)
	default:
		fmt.Fprintf(w, "chain:   btui node %s (from %s)\n", n.URL, ns.Source)
	}
}
