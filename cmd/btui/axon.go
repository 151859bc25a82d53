package main

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
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
			if opts.IP == "" || opts.Port == 0 {
				return usageErrorf("--ip and --port (1..65535) are required")
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
	addTxFlags(cmd, &opts.Password)
	return cmd
}

type axonPreviewJSON struct {
	Netuid   uint16 `json:"netuid"`
	Hotkey   string `json:"hotkey"`
	IP       string `json:"ip"`
	IPType   uint8  `json:"ip_type"`
	Port     uint16 `json:"port"`
	Protocol uint8  `json:"protocol"`
	Version  uint32 `json:"version"`
	Fee      uint64 `json:"fee"`
}

func axonSetRun(o *axonSetOptions) error {
	addr, err := netip.ParseAddr(o.IP)
	if err != nil {
		return usageErrorf("--ip %q is not an IP address: %v", o.IP, err)
	}
	if addr.IsUnspecified() {
		return usageErrorf("--ip %s is the unspecified address: give the address others reach you at (btui axon reset clears the axon)", o.IP)
	}
	call := protocol.ServeAxon{Netuid: o.Netuid, Version: o.Version, Port: o.Port, Protocol: o.Protocol, IPType: 6, IP: addr.As16()}
	if addr.Is4() || addr.Is4In6() {
		call.IPType = 4
		call.IP = [16]byte{}
		a4 := addr.Unmap().As4()
		copy(call.IP[12:], a4[:])
	}
	if o.IPType != 0 && o.IPType != call.IPType {
		return usageErrorf("--ip-type %d does not match --ip %s, an IPv%d address", o.IPType, o.IP, call.IPType)
	}
	return serveAxon(o, call, "axon set", fmt.Sprintf("Serve %s on subnet %d", netip.AddrPortFrom(addr.Unmap(), o.Port), o.Netuid), addr.Unmap().String())
}

// serveAxon checks what the chain would refuse (root subnet, unregistered hotkey, rate limit,
// fee) and submits call through the shared transaction flow. Set and reset both come here.
func serveAxon(o *axonSetOptions, call protocol.ServeAxon, command, title, ip string) error {
	reset := call.IP == [16]byte{}
	hot, err := hotkeyOf(o.f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	si, err := s.subnetInfo(o.Netuid)
	if err != nil {
		return err
	}
	if si.Root {
		return usageErrorf("the root network (netuid 0) has no axons")
	}
	mg, err := s.m.Metagraph(s.ctx, o.Netuid)
	if err != nil {
		return chainErr(err)
	}
	var me *protocol.NeuronInfo
	for i := range mg.Neurons {
		if mg.Neurons[i].Hotkey == hot {
			me = &mg.Neurons[i]
		}
	}
	if me == nil {
		return withCode(ExitNotFound, fmt.Errorf("hotkey %s is not registered on subnet %d: register it before serving", hot, o.Netuid))
	}
	if reset && me.Axon == nil {
		return usageErrorf("hotkey %s serves no axon on subnet %d: nothing to reset (nothing was submitted)", hot, o.Netuid)
	}
	h, err := s.m.Hyperparameters(s.ctx, o.Netuid)
	if err != nil {
		return chainErr(err)
	}
	if me.Axon != nil && mg.Block+1-me.Axon.Block < h.ServingRateLimit {
		return usageErrorf("served too recently: the axon was set at block %d and subnet %d allows one change every %d blocks (next at block %d); nothing was submitted",
			me.Axon.Block, o.Netuid, h.ServingRateLimit, me.Axon.Block+h.ServingRateLimit)
	}
	fee, _, err := s.payFee(hot, "serving (the hotkey pays the fee)")
	if err != nil {
		return err
	}
	pv := axonPreviewJSON{Netuid: o.Netuid, Hotkey: hot.SS58(), IP: ip, IPType: call.IPType, Port: call.Port,
		Protocol: call.Protocol, Version: call.Version, Fee: fee}
	return runTx(s, txRequest{
		Command: command, Title: fmt.Sprintf("%s for %s", title, hot), Signer: hot,
		Call:        call,
		Preview:     []previewLine{{"protocol", fmt.Sprint(call.Protocol)}, {"version", fmt.Sprint(call.Version)}, {"fee", tao(fee)}},
		PreviewJSON: pv,
		Unlock:      hotkeyUnlock(o.f, o.Wallet, o.Hotkey, o.Password),
	})
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
			call := protocol.ServeAxon{Netuid: opts.Netuid, Version: 1, Port: 1, IPType: 4, Protocol: 4}
			return serveAxon(opts, call, "axon reset", fmt.Sprintf("Clear the axon on subnet %d", opts.Netuid), "0.0.0.0")
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	addTxFlags(cmd, &opts.Password)
	return cmd
}
