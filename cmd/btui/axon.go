package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
)

// newCmdAxon is the `btui axon` group.
func newCmdAxon(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "axon <command>",
		Short: "Publish or clear the endpoint (axon) of the wallet's hotkey on a subnet",
		Args:  usageArgs(cobra.NoArgs),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCmdAxonSet(f, nil), newCmdAxonReset(f, nil))
	return cmd
}

type axonSetOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	Netuid         uint16
	IP             string
	IPType         uint8
	Port           uint16
	Protocol       uint8
	Version        uint32
	Password       passwordOptions
	Offline        offlineOptions
}

func newCmdAxonSet(f *Factory, runF func(*axonSetOptions) error) *cobra.Command {
	opts := &axonSetOptions{f: f}
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Publish the hotkey's endpoint on a subnet",
		Long: `Publish --ip and --port (IPv4 or IPv6) as the axon of the wallet's hotkey on subnet --netuid;
the hotkey signs and must be registered there.

JSON (--json): the transaction result (docs/json.md) with preview {"netuid", "hotkey", "ip",
"ip_type", "port", "protocol", "version", "fee"}.`,
		Example: `  btui axon set --netuid 1 --ip 203.0.113.5 --port 8091 --wallet-name miner --yes`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet"); err != nil {
				return err
			}
			switch {
			case opts.IP == "" && !cmd.Flags().Changed("port"):
				return usageErrorf("--ip and --port (1..65535) are required")
			case opts.IP == "":
				return usageErrorf("--ip is required: the address to serve on")
			case !cmd.Flags().Changed("port"):
				return usageErrorf("--port is required: 1..65535")
			case opts.Port == 0:
				return usageErrorf("--port 0 is not a port a miner can serve on: give 1..65535 (btui axon reset stops serving)")
			}
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return axonSetRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	cmd.Flags().StringVar(&opts.IP, "ip", "", "the public IP address (IPv4 or IPv6)")
	cmd.Flags().Uint16Var(&opts.Port, "port", 0, "the port")
	cmd.Flags().Uint8Var(&opts.IPType, "ip-type", 0, "4 or 6 (default: from --ip); when given it must match --ip")
	cmd.Flags().Uint8Var(&opts.Protocol, "protocol", 4, "protocol number (btcli's default 4)")
	cmd.Flags().Uint32Var(&opts.Version, "version", 1, "axon version")
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

func axonSetRun(o *axonSetOptions) error {
	return serveAxon(o, ops.AxonInput{Netuid: o.Netuid, IP: o.IP, IPType: o.IPType, Port: o.Port, Protocol: o.Protocol, Version: o.Version}, "axon set")
}

// serveAxon plans in (ops.PlanServeAxon, for the wallet's hotkey) and submits it through the
// shared transaction flow, signed by the hotkey. Set and reset both come here.
func serveAxon(o *axonSetOptions, in ops.AxonInput, command string) error {
	if o.Offline.Offline {
		return serveAxonOffline(o, in, command)
	}
	hot, err := hotkeyOf(o.f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	in.Hot = hot
	p, err := ops.PlanServeAxon(s.ctx, s.c, in)
	if err != nil {
		return opsErrAs(err, map[string]string{"Hot": ""}) // the message names the hotkey
	}
	return runTx(s, fromOps(p).request(command, hotkeyUnlock(o.f, o.Wallet, o.Hotkey, o.Password), nil))
}

// newCmdAxonReset clears the endpoint the way btcli's reset does: it serves 0.0.0.0 (port 1),
// which the devnet's serve_axon takes as "not serving".
func newCmdAxonReset(f *Factory, runF func(*axonSetOptions) error) *cobra.Command {
	opts := &axonSetOptions{f: f}
	cmd := &cobra.Command{
		Use:   "reset",
		Short: "Clear the hotkey's endpoint on a subnet",
		Long: `Clear the axon of the wallet's hotkey on subnet --netuid, as btcli's axon reset does: the hotkey
signs a serve_axon of 0.0.0.0 (port 1), which the chain records as "not serving". The subnet's
serving rate limit applies.

JSON (--json): the transaction result (docs/json.md) with the same preview as axon set.`,
		Example: `  btui axon reset --netuid 1 --wallet-name miner --yes`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet"); err != nil {
				return err
			}
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return serveAxon(opts, ops.AxonInput{Netuid: opts.Netuid, Reset: true}, "axon reset")
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

// serveAxonOffline is axon set and axon reset with --offline: serve_axon from the flags alone,
// signed by the hotkey. A reset is signed without the online check that the hotkey serves an
// axon (the metagraph's): the chain takes a reset of nothing as a no-op that costs the fee.
func serveAxonOffline(o *axonSetOptions, in ops.AxonInput, command string) error {
	call, _, title, err := ops.AxonCall(in)
	if err != nil {
		return opsErr(err)
	}
	sg, err := hotkeySigner(o.f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	return o.Offline.runOffline(o.ctx, command, o.Password, offlineTx{Title: title + " for " + sg.account.String(), Signer: sg, Call: call})
}
