package ops

import (
	"context"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// SwapHotkeyInput moves everything of a hotkey (uids, stake, take, axons, commits) to a new
// hotkey, signed by the owning coldkey.
type SwapHotkeyInput struct {
	Cold, Hot wallet.AccountID
	NewHotkey wallet.AccountID
}

// SwapHotkeyPreview is the JSON preview of a hotkey swap.
type SwapHotkeyPreview struct {
	Coldkey    string   `json:"coldkey"`
	Hotkey     string   `json:"hotkey"`
	NewHotkey  string   `json:"new_hotkey"`
	Fee        uint64   `json:"fee"`
	Registered []uint16 `json:"registered"` // the subnets where the hotkey holds a uid
}

// PlanSwapHotkey plans subtensor.swap_hotkey. The hotkey on the chain, its owner, a new
// hotkey already in use and the fee are the chain's rules, checked by its dry run; the
// subnets in the preview are read from the hotkey's delegate row.
func PlanSwapHotkey(ctx context.Context, c chainclient.Client, in SwapHotkeyInput) (Plan, error) {
	if in.NewHotkey == in.Hot {
		return Plan{}, inputf("NewHotkey", "is the hotkey itself (%s): pick another", in.Hot)
	}
	p := Plan{
		Title:  fmt.Sprintf("Swap hotkey %s to %s", in.Hot, in.NewHotkey),
		Signer: in.Cold,
		Call:   protocol.SwapHotkey{Hotkey: in.Hot, NewHotkey: in.NewHotkey},
	}
	if err := simulate(ctx, c, &p, "Hot"); err != nil {
		if sim, ok := Refused(err); ok && simCode(sim) == protocol.CodeNewHotkeyInUse {
			return Plan{}, retarget(err, "Hot", "NewHotkey")
		}
		return Plan{}, err
	}
	dels, err := c.Delegates(ctx)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	pv := SwapHotkeyPreview{Coldkey: in.Cold.SS58(), Hotkey: in.Hot.SS58(), NewHotkey: in.NewHotkey.SS58(), Fee: p.Sim.Receipt.Fee, Registered: []uint16{}}
	for _, d := range dels {
		if d.Hotkey == in.Hot && d.Registered != nil {
			pv.Registered = d.Registered
		}
	}
	p.JSON = pv
	p.Lines = []Line{{"coldkey", in.Cold.SS58()}, {"subnets", fmt.Sprint(pv.Registered)}, {"fee", tao(pv.Fee)}}
	return p, nil
}
