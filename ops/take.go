package ops

import (
	"context"
	"fmt"
	"strconv"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// TakeInput is a new delegate take for a hotkey, set by its owning coldkey.
type TakeInput struct {
	Cold, Hot wallet.AccountID
	Take      uint16 // x/65535 (TakeFromFraction)
}

// TakePreview is the JSON preview of a take change (u16 takes, x/65535).
type TakePreview struct {
	Hotkey string `json:"hotkey"`
	Old    uint16 `json:"old"`
	New    uint16 `json:"new"`
	Fee    uint64 `json:"fee"`
}

// TakeFromFraction converts a fraction scaled by 1e9 (0.09 = 90_000_000) into a u16 take,
// floored; more than 1 is a KindInput error about "Take".
func TakeFromFraction(billionths uint64) (uint16, error) {
	if billionths > 1_000_000_000 {
		return 0, inputf("Take", "must be a fraction from 0 to 1 (0.09 = 9%%)")
	}
	return uint16(billionths * 65535 / 1_000_000_000), nil
}

// TakeFraction renders a u16 take as a fraction with 4 decimals ("0.0900").
func TakeFraction(v uint16) string {
	return strconv.FormatFloat(float64(v)/65535, 'f', 4, 64) // display only
}

// PlanSetTake plans subtensor.set_take (increase or decrease). Who owns the hotkey, the
// chain's [min_take, max_take], an unchanged take and the rate limit of increases are the
// chain's rules, checked by its dry run; the old take in the preview is the one the dry run
// replaced (its TakeSet event).
func PlanSetTake(ctx context.Context, c chainclient.Client, in TakeInput) (Plan, error) {
	p := Plan{
		Title:  fmt.Sprintf("Set the take of %s to %s", in.Hot, TakeFraction(in.Take)),
		Signer: in.Cold,
		Call:   protocol.SetTake{Hotkey: in.Hot, Take: in.Take},
	}
	if err := simulate(ctx, c, &p, "Take"); err != nil {
		return Plan{}, takeRefusal(ctx, c, err, in.Take)
	}
	old := in.Take
	for _, e := range p.Sim.Events {
		if e.Name == "TakeSet" {
			if v, err := strconv.ParseUint(e.Attr("old"), 10, 16); err == nil {
				old = uint16(v)
			}
		}
	}
	p.JSON = TakePreview{Hotkey: in.Hot.SS58(), Old: old, New: in.Take, Fee: p.Sim.Receipt.Fee}
	p.Lines = []Line{{"now", TakeFraction(old)}, {"new", TakeFraction(in.Take)}, {"fee", tao(p.Sim.Receipt.Fee)}}
	return p, nil
}

// takeRefusal words the chain's refusal of a take outside its bounds as fractions (the
// chain's message counts in 65535ths); other errors pass unchanged.
func takeRefusal(ctx context.Context, c chainclient.Client, err error, take uint16) error {
	sim, ok := Refused(err)
	if !ok {
		return err
	}
	code := simCode(sim)
	if code != protocol.CodeTakeOutOfBounds {
		return err
	}
	g, gerr := c.GlobalParams(ctx)
	if gerr != nil {
		return err
	}
	oe := *err.(*Error)
	oe.Msg = fmt.Sprintf("take %s is outside the chain's bounds [%s, %s] (code %d %s); nothing was submitted",
		TakeFraction(take), TakeFraction(uint16(g["min_take"])), TakeFraction(uint16(g["max_take"])), uint32(code), code)
	return &oe
}

// simCode is the result code of a refused or failed simulation.
func simCode(sim *protocol.Simulation) protocol.Code {
	c, _ := protocol.CodeOf(sim.Err())
	return c
}
