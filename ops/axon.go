package ops

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// AxonInput is the endpoint a hotkey publishes on a subnet (subtensor.serve_axon), or with
// Reset its clearing: btcli's reset serves 0.0.0.0, port 1, which the chain records as "not
// serving".
type AxonInput struct {
	Hot      wallet.AccountID // the hotkey: it signs and pays the fee
	Netuid   uint16
	IP       string // IPv4 or IPv6 (ignored with Reset)
	IPType   uint8  // 4 or 6; 0 = from IP (when given it must match IP)
	Port     uint16 // 1..65535 (ignored with Reset)
	Protocol uint8  // btcli's default 4
	Version  uint32 // axon version (btcli's default 1)
	Reset    bool
}

// AxonPreview is the JSON preview of axon set and axon reset.
type AxonPreview struct {
	Netuid   uint16 `json:"netuid"`
	Hotkey   string `json:"hotkey"`
	IP       string `json:"ip"`
	IPType   uint8  `json:"ip_type"`
	Port     uint16 `json:"port"`
	Protocol uint8  `json:"protocol"`
	Version  uint32 `json:"version"`
	Fee      uint64 `json:"fee"`
}

// AxonCall is the serve_axon of in, its address as text and a title, with the address checked
// (an IP others can reach, its type); it reads nothing from the chain.
func AxonCall(in AxonInput) (call protocol.ServeAxon, ip, title string, err error) {
	call = protocol.ServeAxon{Netuid: in.Netuid, Version: in.Version, Port: in.Port, Protocol: in.Protocol}
	if in.Reset {
		call.Version, call.Port, call.IPType, call.Protocol = 1, 1, 4, 4
		ip, title = "0.0.0.0", fmt.Sprintf("Clear the axon on subnet %d", in.Netuid)
	} else {
		addr, err := netip.ParseAddr(in.IP)
		if err != nil {
			return call, "", "", inputf("IP", "%q is not an IP address: %v", in.IP, err)
		}
		if addr.IsUnspecified() {
			return call, "", "", inputf("IP", "%s is the unspecified address: give the address others reach you at (an axon reset clears the axon)", in.IP)
		}
		if in.Port == 0 {
			return call, "", "", inputf("Port", "0 is not a port a miner can serve on: give 1..65535 (an axon reset stops serving)")
		}
		addr = addr.Unmap()
		call.IPType, call.IP = 6, addr.As16()
		if addr.Is4() {
			call.IPType, call.IP = 4, [16]byte{}
			a4 := addr.As4()
			copy(call.IP[12:], a4[:])
		}
		if in.IPType != 0 && in.IPType != call.IPType {
			return call, "", "", inputf("IPType", "%d does not match the IP %s, an IPv%d address", in.IPType, in.IP, call.IPType)
		}
		ip, title = addr.String(), fmt.Sprintf("Serve %s on subnet %d", netip.AddrPortFrom(addr, in.Port), in.Netuid)
	}
	return call, ip, title, nil
}

// PlanServeAxon plans subtensor.serve_axon. The address is checked here (an IP others can
// reach, its type); a reset of a hotkey that serves nothing is refused as a no-op (read from
// the subnet's metagraph). Root, the registration of the hotkey, the serving rate limit and
// the fee are the chain's rules, checked by its dry run.
func PlanServeAxon(ctx context.Context, c chainclient.Client, in AxonInput) (Plan, error) {
	call, ip, title, err := AxonCall(in)
	if err != nil {
		return Plan{}, err
	}
	p := Plan{Title: fmt.Sprintf("%s for %s", title, in.Hot), Signer: in.Hot, Call: call}
	if err := simulate(ctx, c, &p, "Netuid"); err != nil {
		if sim, ok := Refused(err); ok && simCode(sim) == protocol.CodeNotRegistered {
			return Plan{}, retarget(err, "Netuid", "Hot")
		}
		return Plan{}, err
	}
	if in.Reset {
		if err := requireServing(ctx, c, in.Hot, in.Netuid); err != nil {
			return Plan{}, err
		}
	}
	fee := p.Sim.Receipt.Fee
	p.JSON = AxonPreview{Netuid: in.Netuid, Hotkey: in.Hot.SS58(), IP: ip, IPType: call.IPType, Port: call.Port,
		Protocol: call.Protocol, Version: call.Version, Fee: fee}
	p.Lines = []Line{{"protocol", fmt.Sprint(call.Protocol)}, {"version", fmt.Sprint(call.Version)}, {"fee", tao(fee)}}
	return p, nil
}

// requireServing refuses (KindInput about "Hot") to reset the axon of a hotkey that serves
// none on netuid: the chain would take it, changing nothing but the fee.
func requireServing(ctx context.Context, c chainclient.Client, hot wallet.AccountID, netuid uint16) error {
	mg, err := c.Metagraph(ctx, netuid)
	if err != nil {
		return chainErr(err)
	}
	for _, n := range mg.Neurons {
		if n.Hotkey == hot && n.Axon != nil {
			return nil
		}
	}
	return inputf("Hot", "hotkey %s serves no axon on subnet %d: nothing to reset (nothing was submitted)", hot, netuid)
}
