package ops

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// A proof-of-work registration is planned without its work (the chain's dry run stops at the
// seal only), solved by SolvePow (which dry-runs the solved call) and accepted by the chain;
// the same hotkey again is refused by the plan, and a subnet that does not exist is not found.
func TestPowRegisterPlanSolveSubmit(t *testing.T) {
	client, err := chainclient.OpenEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()
	cold, err := wallet.FromSURI("//PowCold")
	if err != nil {
		t.Fatal(err)
	}
	hot, err := wallet.FromSURI("//PowHot")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Faucet(ctx, cold.AccountID(), protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	in := PowRegisterInput{Cold: cold.AccountID(), Hot: hot.AccountID(), Netuid: 1}
	p, err := PlanPowRegister(ctx, client, in)
	if err != nil {
		t.Fatal(err)
	}
	if p.Sim != nil || p.Signer != in.Cold {
		t.Fatalf("unsolved plan: sim %v, signer %s", p.Sim, p.Signer)
	}
	if c := p.Call.(protocol.PowRegister); c.Work != ([32]byte{}) || c.Hotkey != in.Hot {
		t.Fatalf("unsolved call: %+v", c)
	}
	var reports int
	solved, err := SolvePow(ctx, client, p, func(_, _ uint64, _ time.Duration, done bool) { reports++ })
	if err != nil {
		t.Fatal(err)
	}
	if solved.Sim == nil || !solved.Sim.OK() || reports == 0 {
		t.Fatalf("solved plan: sim %+v, %d progress reports", solved.Sim, reports)
	}
	pv := solved.JSON.(PowPreview)
	if pv.Hashes == 0 || pv.Difficulty == 0 || pv.Block != solved.Call.(protocol.PowRegister).BlockNumber {
		t.Fatalf("preview %+v", pv)
	}
	tx, err := chainclient.Sign(ctx, client, cold, solved.Call, chainclient.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := client.SubmitAndWait(ctx, tx)
	if err != nil || !info.Receipt.OK() {
		t.Fatalf("submit: %v %+v", err, info)
	}

	_, err = PlanPowRegister(ctx, client, in)
	if code, _ := protocol.CodeOf(err); code != protocol.CodeAlreadyRegistered {
		t.Fatalf("registering again: %v", err)
	}
	_, err = PlanPowRegister(ctx, client, PowRegisterInput{Cold: in.Cold, Hot: in.Hot, Netuid: 77})
	var oe *Error
	if !errors.As(err, &oe) || oe.Kind != KindNotFound || oe.Field != "Netuid" {
		t.Fatalf("unknown subnet: %v", err)
	}

	// A context that ends stops the work with what was done.
	p2, err := PlanPowRegister(ctx, client, PowRegisterInput{Cold: in.Cold, Hot: cold.AccountID(), Netuid: 1})
	if err != nil {
		t.Fatal(err)
	}
	stop, cancel := context.WithCancel(ctx)
	cancel()
	var stopped *PowStopped
	if _, err := SolvePow(stop, client, p2, nil); !errors.As(err, &stopped) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled solve: %v", err)
	}
}
