package main

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/wallet"
)

// parityCase is one bad input given both to a command and to the ops plan the console's form
// calls with the same inputs.
type parityCase struct {
	name string
	args []string                                        // the command (run with --yes)
	plan func(context.Context, chainclient.Client) error // the ops plan with the same inputs
	want string                                          // a phrase of the expected refusal, so a case cannot pass on another check
}

// console opens the fixture's devnet for one plan (the commands open it themselves between
// the calls).
func (fx *opsFixture) console(t *testing.T, call func(chainclient.Client) (ops.Plan, error)) (ops.Plan, error) {
	t.Helper()
	client, err := chainclient.OpenEmbedded(fx.c.dir, localchain.WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	return call(client)
}

// commandError is the message a failed command printed ("error: <message>").
func commandError(t *testing.T, r opsResult) string {
	t.Helper()
	for _, l := range strings.Split(r.errOut, "\n") {
		if msg, ok := strings.CutPrefix(l, "error: "); ok {
			return msg
		}
	}
	t.Fatalf("no error line in stderr (exit %d):\n%s", r.code, r.errOut)
	return ""
}

// TestTUIParityBadInput: for bad inputs of the transactions the console used to prepare
// through cmd/btui (move, burned and proof-of-work registration, hyperparameters), the
// command and the ops plan the console's form calls refuse alike: the command prints ops' own
// message (after its flag, when the error names an input field and the chain did not speak)
// with the exit code of ops' kind, and neither submits anything: the head, the state digest
// and the wallet files are unchanged. The console words the same error with its form's labels
// (tui's TestConsoleFieldErrors).
func TestTUIParityBadInput(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	n := fx.netuid
	netuid64, _ := strconv.ParseUint(n, 10, 16)
	netuid := uint16(netuid64)
	valCold, valHot := fx.c.coldkey("val"), fx.c.hotkey("val")
	aliceCold, valOther := fx.c.coldkey("alice"), fx.c.coldkey("other")
	otherHot := fx.c.hotkey("other") // never registered, holds nothing

	ctx := context.Background()
	var params map[string]uint64
	var valStake uint64
	fx.console(t, func(c chainclient.Client) (ops.Plan, error) {
		var err error
		if params, err = c.GlobalParams(ctx); err != nil {
			t.Fatal(err)
		}
		valStake, err = ops.StakeOf(ctx, c, valCold, valHot, netuid)
		return ops.Plan{}, err
	})
	minStake := params["min_stake"]
	if minStake < 2 || valStake == 0 {
		t.Fatalf("the fixture needs a minimum stake and a position: min stake %d, stake %d", minStake, valStake)
	}
	amt := func(rao uint64) string { return formatDecimal(rao, 9) }
	unsafeTrade := ops.Trade{TolerancePPM: 500_000}

	// A second registered hotkey on the subnet, to move stake to.
	fx.c.tx("subnets", "register", "--netuid", n, "--wallet-name", "bob")
	bobHot := fx.c.hotkey("bob")
	dissolved64, _ := strconv.ParseUint(fx.dissolved, 10, 16)
	dissolved := uint16(dissolved64)

	stakeMove := func(wal string, dest wallet.AccountID, amount uint64) []string {
		return []string{"stake", "move", "--wallet-name", wal, "--hotkey-ss58", valHot.SS58(), "--origin-netuid", n, "--dest-hotkey", dest.SS58(), "--amount", amt(amount), "--tolerance", "0.5"}
	}
	move := func(cold, dest wallet.AccountID, amount uint64) func(context.Context, chainclient.Client) error {
		return func(ctx context.Context, c chainclient.Client) error {
			_, err := ops.PlanStakeMove(ctx, c, ops.StakeMoveInput{Cold: cold, Hot: valHot, DestHot: dest, Origin: netuid, DestNetuid: netuid, Amount: amount, Trade: unsafeTrade})
			return err
		}
	}
	register := func(cold, hot wallet.AccountID, netuid uint16) func(context.Context, chainclient.Client) error {
		return func(ctx context.Context, c chainclient.Client) error {
			_, err := ops.PlanBurnedRegister(ctx, c, ops.RegisterInput{Cold: cold, Hot: hot, Netuid: netuid})
			return err
		}
	}
	pow := func(cold, hot wallet.AccountID, netuid uint16) func(context.Context, chainclient.Client) error {
		return func(ctx context.Context, c chainclient.Client) error {
			_, err := ops.PlanPowRegister(ctx, c, ops.PowRegisterInput{Cold: cold, Hot: hot, Netuid: netuid})
			return err
		}
	}
	sudo := func(wal string, extra ...string) []string {
		return append([]string{"sudo", "set", "--wallet-name", wal, "--netuid", n}, extra...)
	}
	hyper := func(signer wallet.AccountID, param, value string) func(context.Context, chainclient.Client) error {
		return func(ctx context.Context, c chainclient.Client) error {
			_, err := ops.PlanSetHyperparameter(ctx, c, ops.HyperparamInput{Signer: signer, Netuid: netuid, Param: param, Value: value})
			return err
		}
	}
	cases := []parityCase{
		{"move below the minimum", stakeMove("val", bobHot, 1), move(valCold, bobHot, 1), "below the minimum stake"},
		{"move to an unregistered hotkey", stakeMove("val", otherHot, valStake/2), move(valCold, otherHot, valStake/2), "does not exist"},
		{"move more than the position", stakeMove("val", bobHot, valStake+1), move(valCold, bobHot, valStake+1), "is more than the"},
		{"move to the same position", stakeMove("val", valHot, valStake/2), move(valCold, valHot, valStake/2), "very same position"},
		{"move without a position", stakeMove("alice", bobHot, minStake), move(aliceCold, bobHot, minStake), "has no stake"},
		{"register an already registered hotkey", []string{"subnets", "register", "--wallet-name", "val", "--netuid", n}, register(valCold, valHot, netuid), "already registered"},
		{"register on a dissolved subnet", []string{"subnets", "register", "--wallet-name", "other", "--netuid", fx.dissolved}, register(valOther, otherHot, dissolved), "does not exist"},
		{"register on root", []string{"subnets", "register", "--wallet-name", "other", "--netuid", "0"}, register(valOther, otherHot, 0), "root network"},
		{"pow-register on a dissolved subnet", []string{"subnets", "pow-register", "--wallet-name", "other", "--netuid", fx.dissolved}, pow(valOther, otherHot, dissolved), "does not exist"},
		{"pow-register on root", []string{"subnets", "pow-register", "--wallet-name", "other", "--netuid", "0"}, pow(valOther, otherHot, 0), "root network"},
		{"pow-register an already registered hotkey", []string{"subnets", "pow-register", "--wallet-name", "val", "--netuid", n}, pow(valCold, valHot, netuid), "already registered"},
		{"unknown hyperparameter", sudo("alice", "--param", "nosuch", "--value", "1"), hyper(aliceCold, "nosuch", "1"), `unknown hyperparameter "nosuch"`},
		{"hyperparameter value too wide", sudo("alice", "--param", "tempo", "--value", "70000"), hyper(aliceCold, "tempo", "70000"), "integer from 0 to 65535"},
		{"hyperparameter by not the owner", sudo("val", "--param", "tempo", "--value", "400"), hyper(valCold, "tempo", "400"), "not the owner"},
		{"sudo-only hyperparameter by the owner", sudo("alice", "--param", "kappa", "--value", "100"), hyper(aliceCold, "kappa", "100"), "only be set by the sudo account"},
		{"hyperparameter out of the owner's bounds", sudo("alice", "--param", "tempo", "--value", "0"), hyper(aliceCold, "tempo", "0"), "the owner may set 1 to 50400"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := fx.snapshot(t)
			r := fx.c.run(append(tc.args, "--yes")...)
			if r.code == 0 {
				t.Fatalf("btui %s succeeded:\n%s", strings.Join(tc.args, " "), r.out)
			}
			cmdMsg := commandError(t, r)
			_, err := fx.console(t, func(c chainclient.Client) (ops.Plan, error) { return ops.Plan{}, tc.plan(ctx, c) })
			if err == nil {
				t.Fatalf("the plan accepted what the command refused (%q)", cmdMsg)
			}
			var oe *ops.Error
			if !errors.As(err, &oe) {
				t.Fatalf("the plan's error is not an ops error: %T %v", err, err)
			}
			t.Logf("%s", cmdMsg)
			if !strings.Contains(cmdMsg, tc.want) {
				t.Fatalf("the command refused on another check: %q (want %q)", cmdMsg, tc.want)
			}
			if !strings.HasSuffix(cmdMsg, oe.Error()) {
				t.Errorf("the command does not print ops' message:\ncommand: %s\nops:     %s", cmdMsg, oe.Error())
			}
			if got := exitCode(opsErr(err)); got != r.code {
				t.Errorf("the plan's error has exit code %d, the command exited %d", got, r.code)
			}
			if after := fx.snapshot(t); after != before {
				t.Errorf("something was submitted or written: %s → %s", before, after)
			}
		})
	}

	// A good input: the command's preview is the plan's title and lines (the console's
	// confirmation shows the same plan).
	good := []struct {
		name string
		args []string
		plan func(chainclient.Client) (ops.Plan, error)
	}{
		{"stake move", stakeMove("val", bobHot, valStake/2), func(c chainclient.Client) (ops.Plan, error) {
			return ops.PlanStakeMove(ctx, c, ops.StakeMoveInput{Cold: valCold, Hot: valHot, DestHot: bobHot, Origin: netuid, DestNetuid: netuid, Amount: valStake / 2, Trade: unsafeTrade})
		}},
		{"subnets register", []string{"subnets", "register", "--wallet-name", "other", "--netuid", n}, func(c chainclient.Client) (ops.Plan, error) {
			return ops.PlanBurnedRegister(ctx, c, ops.RegisterInput{Cold: valOther, Hot: otherHot, Netuid: netuid})
		}},
		{"sudo set", sudo("alice", "--param", "tempo", "--value", "400"), func(c chainclient.Client) (ops.Plan, error) {
			return ops.PlanSetHyperparameter(ctx, c, ops.HyperparamInput{Signer: aliceCold, Netuid: netuid, Param: "tempo", Value: "400"})
		}},
	}
	for _, g := range good {
		t.Run("preview of "+g.name, func(t *testing.T) {
			before := fx.snapshot(t)
			// Without --yes and without a terminal the command prints its preview and stops.
			r := fx.c.run(g.args...)
			if r.code == 0 {
				t.Fatalf("btui %s submitted without --yes", strings.Join(g.args, " "))
			}
			p, err := fx.console(t, g.plan)
			if err != nil {
				t.Fatalf("the plan refused what the command previews: %v\n%s", err, r.errOut)
			}
			var want bytes.Buffer
			want.WriteString(p.Title + "\n")
			printLines(&want, fromOpsLines(p.Lines))
			if !strings.HasPrefix(r.errOut, want.String()) {
				t.Errorf("previews differ:\ncommand:\n%s\nplan:\n%s", r.errOut, want.String())
			}
			if after := fx.snapshot(t); after != before {
				t.Errorf("something was submitted or written: %s → %s", before, after)
			}
		})
	}
}
