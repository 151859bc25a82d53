package main

import (
	"context"
	"errors"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/wallet"
)

// The field → flag mapping of ops' errors: ops names the input field an error is about, the
// command names its flag.
var fieldFlags = map[string]string{
	"Amount":    "--amount",
	"To":        "--dest",
	"Tolerance": "--tolerance",
	"Netuid":    "--netuid",
	"Uids":      "--uids",
	"Hot":       "--hotkey",
	"Salt":      "--salt",
	"Value":     "--value",
}

// opsErr gives an ops error the command's words and exit code: a wrong input 2 (its flag
// first, unless the chain's dry run refused the call), a missing subnet, hotkey or position 5,
// a chain fault as chainErr.
func opsErr(err error) error {
	if err == nil {
		return nil
	}
	var oe *ops.Error
	if !errors.As(err, &oe) {
		return chainErr(err)
	}
	msg := oe.Error()
	if flag, ok := fieldFlags[oe.Field]; ok && oe.Sim == nil {
		msg = flag + " " + msg
	}
	switch oe.Kind {
	case ops.KindInput:
		return withCode(ExitUsage, errors.New(msg))
	case ops.KindNotFound:
		return withCode(ExitNotFound, errors.New(msg))
	}
	return chainErr(oe.Err)
}

// fromOps is an ops plan as the command's txPlan.
func fromOps(p ops.Plan) txPlan {
	return txPlan{Title: p.Title, Signer: p.Signer, Call: p.Call, Preview: fromOpsLines(p.Lines), PreviewJSON: p.JSON, Sim: p.Sim}
}

func fromOpsLines(lines []ops.Line) []previewLine {
	out := make([]previewLine, len(lines))
	for i, l := range lines {
		out[i] = previewLine{Label: l.Label, Value: l.Value}
	}
	return out
}

// runColdkeyPlan is the flow of a transaction planned by ops and signed by a wallet's coldkey:
// resolve the coldkey, open the chain, plan (plan returns the command's error, already in its
// words), then confirm, unlock, sign and submit as the command named command.
func runColdkeyPlan(ctx context.Context, f *Factory, walletName string, pw passwordOptions, command string,
	plan func(s *chainSession, cold wallet.AccountID) (ops.Plan, error)) error {
	cold, err := coldkeyOf(f, walletName)
	if err != nil {
		return err
	}
	s, err := openChain(ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := plan(s, cold)
	if err != nil {
		return err
	}
	return runTx(s, fromOps(p).request(command, coldkeyUnlock(f, walletName, pw), nil))
}

// opsErrAs is opsErr for a command whose flags name some fields differently from
// fieldFlags: flags maps a field to the command's flag ("" for no prefix, e.g. a positional
// argument the message already names).
func opsErrAs(err error, flags map[string]string) error {
	var oe *ops.Error
	if !errors.As(err, &oe) {
		return opsErr(err)
	}
	flag, ok := flags[oe.Field]
	if !ok {
		return opsErr(err)
	}
	e := *oe
	e.Field = ""
	if flag != "" && e.Sim == nil {
		e.Msg = flag + " " + e.Error()
	}
	return opsErr(&e)
}

// The fields of the stake transfer and swap, take, subnet, axon and swap-hotkey plans.
func init() {
	for field, flag := range map[string]string{
		"Origin":     "--origin-netuid",
		"DestNetuid": "--dest-netuid",
		"DestCold":   "--dest",
		"Take":       "--take",
		"MaxLock":    "--max-lock",
		"IP":         "--ip",
		"IPType":     "--ip-type",
		"Port":       "--port",
		"NewHotkey":  "NEW_HOTKEY",
	} {
		fieldFlags[field] = flag
	}
}
