package ops

import (
	"context"
	"errors"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Plan is one checked transaction: who signs, the call, and what it will do. The CLI confirms
// it, unlocks the signer's key, signs and submits it; the console shows it in its
// confirmation dialog and does the same. Sim is the chain's own dry run of the call (the last
// pre-check): its receipt, events and balance and stake changes.
type Plan struct {
	Title  string           // "Stake 10 TAO on 5F... in subnet 1"
	Signer wallet.AccountID // the key that must sign (checked against the unlocked key)
	Call   protocol.Call
	Lines  []Line // the preview for people
	JSON   any    // the preview object of the --json result
	Sim    *protocol.Simulation
}

// Line is one labelled line of a preview.
type Line struct{ Label, Value string }

// Kind classifies a plan error for its caller (the CLI maps it to an exit code).
type Kind int

const (
	// KindInput: an input is wrong for the chain's current state or on its own; nothing was
	// submitted (exit 2).
	KindInput Kind = iota
	// KindNotFound: a subnet, hotkey or position the input names does not exist (exit 5).
	KindNotFound
	// KindChain: the chain could not be asked (transport, closed chain); Err says why.
	KindChain
)

// Error is every error of a plan function: what kind it is, which input field it is about
// ("" when none), and the message in words without flag names (the CLI prefixes the flag, the
// console the form field). Sim is set when the chain's dry run refused the call: its code and
// message are the chain's own.
type Error struct {
	Kind  Kind
	Field string // the input struct's field name: "Amount", "Dest", "Netuid", ...
	Msg   string
	Sim   *protocol.Simulation
	Err   error // the underlying error (KindChain; a *protocol.TxError for a refused dry run)
}

func (e *Error) Error() string {
	if e.Msg == "" && e.Err != nil {
		return e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// inputf is a KindInput error about field.
func inputf(field, format string, a ...any) error {
	return &Error{Kind: KindInput, Field: field, Msg: fmt.Sprintf(format, a...)}
}

// notFoundf is a KindNotFound error about field.
func notFoundf(field, format string, a ...any) error {
	return &Error{Kind: KindNotFound, Field: field, Msg: fmt.Sprintf(format, a...), Err: protocol.ErrNotFound}
}

// chainErr wraps a query or transport error; a not-found one is KindNotFound.
func chainErr(err error) error {
	if err == nil {
		return nil
	}
	var oe *Error
	if errors.As(err, &oe) {
		return err
	}
	if errors.Is(err, protocol.ErrNotFound) {
		return &Error{Kind: KindNotFound, Err: err}
	}
	return &Error{Kind: KindChain, Err: err}
}

// simulate is every plan's last pre-check: the chain's own dry run of the call. A rejection or
// a failing call is a KindInput error carrying the chain's code and message (the rule is the
// chain's, written once); field names the input the failure is most likely about.
func simulate(ctx context.Context, c chainclient.Client, p *Plan, field string) error {
	sim, err := c.Simulate(ctx, p.Call, p.Signer)
	if err != nil {
		return chainErr(err)
	}
	p.Sim = sim
	if sim.OK() {
		return nil
	}
	te := sim.Err()
	code, _ := protocol.CodeOf(te)
	kind := KindInput
	switch code {
	case protocol.CodeSubnetNotFound, protocol.CodeHotkeyNotFound, protocol.CodeNotRegistered:
		kind = KindNotFound
	}
	return &Error{Kind: kind, Field: field, Sim: sim, Err: te,
		Msg: fmt.Sprintf("the chain would refuse it: %s (code %d %s); nothing was submitted", te.Error(), uint32(code), code)}
}

// Refused returns the chain's refusal carried by err (a plan error whose dry run failed).
func Refused(err error) (*protocol.Simulation, bool) {
	var oe *Error
	if errors.As(err, &oe) && oe.Sim != nil {
		return oe.Sim, true
	}
	return nil, false
}

// tao renders rao as TAO ("1.5 TAO").
func tao(rao uint64) string { return protocol.FormatTAO(rao) }

// alpha renders alpha rao ("1.5 α").
func alpha(a uint64) string { return protocol.TAODecimal(a) + " α" }

// PreviewLines renders a simulation's balance and stake changes as preview lines.
func PreviewLines(sim *protocol.Simulation) []Line {
	if sim == nil {
		return nil
	}
	var out []Line
	for _, b := range sim.Balances {
		out = append(out, Line{"balance " + short(b.Account), fmt.Sprintf("%s → %s", tao(b.Before), tao(b.After))})
	}
	for _, s := range sim.Stakes {
		out = append(out, Line{fmt.Sprintf("stake %s/%s #%d", short(s.Coldkey), short(s.Hotkey), s.Netuid), fmt.Sprintf("%s → %s", alpha(s.Before), alpha(s.After))})
	}
	return out
}

func short(a wallet.AccountID) string {
	s := a.SS58()
	if len(s) < 12 {
		return s
	}
	return s[:6] + "…" + s[len(s)-4:]
}
