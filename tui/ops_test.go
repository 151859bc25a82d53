package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The console's price guard is checked by ops' tolerance parser, the stake commands' own; the
// message names the form field, not a flag.
func TestCheckTrade(t *testing.T) {
	for _, tc := range []struct {
		name, tol string
		ok        bool
		want      string
	}{
		{"default", "0.005", true, ""},
		{"one percent", "0.01", true, ""},
		{"zero", "0", false, "tolerance"},
		{"one", "1", false, "tolerance"},
		{"not a number", "abc", false, "tolerance"},
		{"negative", "-0.1", false, "tolerance"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkTrade(Trade{Tolerance: tc.tol})
			if tc.ok != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("checkTrade(%q) = %v", tc.tol, err)
			}
			if err != nil && strings.Contains(err.Error(), "--") {
				t.Fatalf("the console's message names a flag: %v", err)
			}
		})
	}
	if got := upscale([]uint16{1, 2, 4}); got[2] != 65535 || got[0] != 16383 {
		t.Fatalf("upscale = %v, want the largest at 65535 (floor)", got)
	}
}

// otherKeyKeys is a key store whose wallet "alice" lists alice's address but unlocks to the
// key of wallet "bob": the case the console's signer check exists for (a key file replaced,
// or a listing that no longer matches the files).
type otherKeyKeys struct{ *memKeys }

func (k otherKeyKeys) UnlockColdkey(name string, password []byte) (wallet.Pair, error) {
	if name == "alice" {
		name = "bob"
	}
	return k.memKeys.UnlockColdkey(name, password)
}

// The confirm path checks the unlocked key against the plan's signer: a transfer planned for
// alice's coldkey is refused when the password unlocks another key, with a message naming
// both, and nothing is signed or submitted (the head, both balances and bob's nonce stay).
// Without the check bob's key would sign alice's transfer and the chain would run it from bob.
func TestConsoleRefusesAnotherSigner(t *testing.T) {
	client := freshDevnet(t)
	mem := newMemKeys()
	for _, name := range []string{"alice", "bob"} {
		if _, err := mem.add(name, strings.Join(testMnemonic, " ")+"//"+name, []byte("pw")); err != nil {
			t.Fatal(err)
		}
	}
	bg := context.Background()
	alice, _ := wallet.ParseAddress(mem.wallets["alice"].info.Address)
	bob, _ := wallet.ParseAddress(mem.wallets["bob"].info.Address)
	for _, id := range []wallet.AccountID{alice, bob} {
		if _, err := client.Faucet(bg, id, 100*protocol.RaoPerTAO); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(bg)
	t.Cleanup(cancel)
	d := newDriver(t, Options{Keys: otherKeyKeys{mem}, Client: client, Context: ctx, Network: "devnet (test)", Wallet: "alice"}, 120, 40)
	d.waitFor("Portfolio — alice")
	head := client.Chain().Head().Height
	balances := func() (uint64, uint64, uint64) {
		a, err := client.Account(bg, alice)
		if err != nil {
			t.Fatal(err)
		}
		b, err := client.Account(bg, bob)
		if err != nil {
			t.Fatal(err)
		}
		return a.Free, b.Free, b.Nonce
	}
	a0, b0, n0 := balances()

	d.keys("2")
	d.waitFor("alice", "bob")
	d.keys("t")
	d.waitFor("Transfer from alice")
	d.keys("text://Charlie", "tab", "text:1", "enter")
	d.waitFor("Transfer", "Confirm (y)")
	d.keys("y")
	d.waitFor("Unlock coldkey alice")
	d.keys("text:pw", "enter")
	d.waitFor("the unlocked key is "+bob.SS58(), "must be signed by "+alice.SS58()+": nothing was sent")

	if got := client.Chain().Head().Height; got != head {
		t.Fatalf("a block was made: head %d → %d", head, got)
	}
	if a1, b1, n1 := balances(); a1 != a0 || b1 != b0 || n1 != n0 {
		t.Fatalf("balances or bob's nonce changed: alice %d → %d, bob %d → %d, nonce %d → %d", a0, a1, b0, b1, n0, n1)
	}
	for _, id := range []wallet.AccountID{alice, bob} {
		if n, err := client.Chain().NextNonce(id); err != nil || n != 0 {
			t.Fatalf("%s's next nonce is %d (%v): a transaction waits in the pool", id, n, err)
		}
	}
}

// A ticket that names no signer is never signed.
func TestCheckSignerNeedsASigner(t *testing.T) {
	kp := keyOf("//Alice")
	if err := (Ticket{}).checkSigner(kp); err == nil || !strings.Contains(err.Error(), "names no signer") {
		t.Fatalf("checkSigner without a signer = %v", err)
	}
	if err := (Ticket{Signer: kp.Address()}).checkSigner(kp); err != nil {
		t.Fatalf("checkSigner of the signer's own key = %v", err)
	}
}

// ops' field errors read in the console's words: the form's own label, then the console's
// default label for the field; never a flag.
func TestConsoleFieldErrors(t *testing.T) {
	for _, tc := range []struct {
		err    error
		labels fieldLabels
		want   string
	}{
		{&ops.Error{Kind: ops.KindInput, Field: "Amount", Msg: "5 α is more than the 4 α staked"}, moveLabels, "alpha: 5 α is more than the 4 α staked"},
		{&ops.Error{Kind: ops.KindInput, Field: "DestHot", Msg: "the destination is the very same position"}, moveLabels, "to hotkey: the destination is the very same position"},
		{&ops.Error{Kind: ops.KindInput, Field: "Value", Msg: `"x": tempo is an integer from 0 to 65535`}, hyperparamLabels, `value: "x": tempo is an integer from 0 to 65535`},
		{&ops.Error{Kind: ops.KindInput, Field: "Signer", Msg: "5F… is not the owner"}, hyperparamLabels, "wallet: 5F… is not the owner"},
		{&ops.Error{Kind: ops.KindNotFound, Field: "Netuid", Msg: "subnet 9 does not exist"}, registerLabels, "subnet: subnet 9 does not exist"},
		{&ops.Error{Kind: ops.KindInput, Field: "Amount", Msg: "must be more than zero"}, nil, "amount: must be more than zero"},
		{&ops.Error{Kind: ops.KindInput, Msg: "no field"}, moveLabels, "no field"},
	} {
		got := consoleErr(tc.err, tc.labels)
		if got.Error() != tc.want {
			t.Errorf("consoleErr(%q) = %q, want %q", tc.err, got, tc.want)
		}
		if !errors.Is(got, tc.err) {
			t.Errorf("consoleErr(%q) does not wrap the ops error", tc.err)
		}
	}
}
