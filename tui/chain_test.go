package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// devnetApp runs the whole console over a real embedded devnet (no producer: blocks come
// from Advance, the faucet and transactions, so the test decides when time moves).
func devnetApp(t *testing.T, w, h int) (*driver, *chainclient.Embedded, *memKeys) {
	t.Helper()
	client := freshDevnet(t)
	keys := aliceKeys(t, "default")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d := newDriver(t, Options{Keys: keys, Client: client, Context: ctx, Network: "devnet (test)", Wallet: "alice"}, w, h)
	return d, client, keys
}

func TestConsoleLiveHeightAndEvents(t *testing.T) {
	d, client, _ := devnetApp(t, 120, 40)
	d.waitFor("Network", "Portfolio — alice", "free", "0.000000000 τ")
	d.waitFor("staked", "total") // staking module: 0 staked
	if _, err := client.Advance(context.Background(), 3, nil); err != nil {
		t.Fatal(err)
	}
	d.waitFor("#3")
	if d.app.height != 3 {
		t.Fatalf("header height %d, want 3", d.app.height)
	}
	d.mustSee("transactions per block, last 3 blocks")
}

func TestConsoleFaucetFromChainPage(t *testing.T) {
	d, client, keys := devnetApp(t, 120, 40)
	d.waitFor("Portfolio — alice")
	d.keys("7")
	d.waitFor("Chain explorer")
	d.keys("F")
	d.mustSee("Devnet faucet", keys.wallets["alice"].info.Address)
	d.keys("tab", "backspace", "backspace", "backspace", "backspace", "text:12.5", "enter")
	// the preview before anything is sent
	d.mustSee("Faucet", "12.500000000 τ", "signed by", "Confirm (y)")
	d.keys("y")
	d.waitFor("faucet paid 12.500000000 τ")
	id, _ := wallet.ParseAddress(keys.wallets["alice"].info.Address)
	acc, err := client.Account(context.Background(), id)
	if err != nil || acc.Free != 12_500_000_000 {
		t.Fatalf("account after faucet: %+v %v", acc, err)
	}
	// the block with the faucet transaction, opened from the explorer
	d.waitFor("1/1")
	d.keys("g", "enter")
	d.waitFor("Block #1", "sudo.faucet", "✓")
	d.keys("esc")
	d.mustSee("Chain explorer")
}

func TestConsoleAdvanceAndPause(t *testing.T) {
	d, client, _ := devnetApp(t, 100, 30)
	d.keys("7")
	d.keys("a")
	d.mustSee("Advance the devnet")
	d.keys("backspace", "backspace", "text:0", "enter")
	d.mustSee("type a whole number")
	d.keys("backspace", "text:25", "enter")
	d.waitFor("advanced to block #25")
	if h := client.Chain().Head().Height; h != 25 {
		t.Fatalf("head %d, want 25", h)
	}
	d.waitFor("25", "#25")
	d.keys("p")
	d.waitFor("block production paused")
	if !client.Chain().Paused() {
		t.Fatal("p did not pause the chain")
	}
	d.waitFor("paused")
	d.keys("p")
	d.waitFor("block production resumed")
	if client.Chain().Paused() {
		t.Fatal("p did not resume the chain")
	}
	d.keys("e") // subnet 1 has tempo 10: the next epoch is a few blocks ahead
	d.waitFor("advanced to block")
	if h := client.Chain().Head().Height; h <= 25 || h > 36 {
		t.Fatalf("next epoch advanced to %d, want within one tempo of 25", h)
	}
}

func TestConsoleSubnetPagesOnDevnet(t *testing.T) {
	d, _, _ := devnetApp(t, 140, 40)
	alice := addressOf("//Alice")
	d.keys("4")
	d.waitFor("Subnets", "root", "sn1")
	d.keys("j", "enter") // subnet 1 (genesis: owned by Alice, her hotkey is uid 0)
	d.waitFor("Subnet 1 — metagraph", "neurons")
	p := d.app.Active().(*subnetsPage)
	if len(p.neurons) == 0 {
		t.Fatal("subnet 1 has no neurons on the devnet genesis")
	}
	d.keys("p")
	d.waitFor("hyperparameters", "tempo", "immunity_period")
	d.keys("esc")
	d.waitFor("2 subnets")
	d.keys("5")
	d.waitFor("Register", "Burn cost", "Slots left")
	d.keys("3")
	d.waitFor("0 positions: 0.000000000 τ if sold now", "0.000000000 τ at spot price")
	_ = alice
}

// On a chain without the subtensor modules every module page says so instead of showing
// numbers.
func TestModulePagesSayNotAvailable(t *testing.T) {
	d := newDriver(t, Options{Pages: func(c *Common) []Page {
		c.Client = goldenClient{}
		c.Wallets = []WalletInfo{{Name: "default", Address: addressOf("//Alice")}}
		c.Wallet = "default"
		return []Page{newStakePage(c), newSubnetsPage(c), newRegisterPage(c), newWeightsPage(c)}
	}}, 120, 40)
	for _, tc := range []struct{ key, want string }{
		{"1", "Stake positions are not available on this chain yet"},
		{"2", "Subnets are not available on this chain yet"},
		{"3", "Registration is not available on this chain yet"},
		{"4", "Weights are not available on this chain yet"},
	} {
		d.keys(tc.key)
		d.send(pageActivatedMsg{})
		d.mustSee(tc.want)
	}
}

// stakeDownClient answers every read but the stake positions, which fail as a node's read can.
type stakeDownClient struct{ goldenClient }

func (stakeDownClient) StakesByColdkey(context.Context, wallet.AccountID) ([]protocol.StakeInfo, error) {
	return nil, errors.New("state_call StakeInfoRuntimeApi: connection reset")
}

// A stake read that fails for another reason than a missing module says what failed, once.
func TestStakePageReadError(t *testing.T) {
	d := newDriver(t, Options{Pages: func(c *Common) []Page {
		c.Client = stakeDownClient{}
		c.Wallets = []WalletInfo{{Name: "default", Address: addressOf("//Alice")}}
		c.Wallet = "default"
		return []Page{newStakePage(c)}
	}}, 120, 40)
	d.keys("1")
	d.send(pageActivatedMsg{})
	d.mustSee("Stake positions could not be read: state_call StakeInfoRuntimeApi: connection reset")
	if s := d.screen(); strings.Contains(s, "staking module") || strings.Contains(s, "positions: stake positions") {
		t.Errorf("the stake page blames a missing module or repeats itself:\n%s", s)
	}
}

func TestWalletsVerify(t *testing.T) {
	d, _ := walletsApp(t, 120, 40)
	kp := keyOf("//Bob")
	sig := kp.Sign([]byte("hello"))
	d.keys("v")
	d.mustSee("Verify a signature")
	for range 60 {
		d.keys("backspace")
	}
	d.keys("text:"+kp.Address(), "tab", "text:hello", "tab", "text:"+sig.Hex(), "enter")
	d.mustSee("✓ valid", kp.Address())
	d.keys("enter", "v")
	for range 60 {
		d.keys("backspace")
	}
	d.keys("text:"+kp.Address(), "tab", "text:hullo", "tab", "text:"+sig.Hex(), "enter")
	d.mustSee("✗ not valid")
	// The signer field takes the address book's names: a dev name resolves to its address.
	d.keys("enter", "v")
	for range 60 {
		d.keys("backspace")
	}
	d.keys("text://Bob", "tab", "text:hello", "tab", "text:"+sig.Hex(), "enter")
	d.mustSee("✓ valid", kp.Address())
}

func TestConsoleOverviewFollowsEvents(t *testing.T) {
	d, client, keys := devnetApp(t, 120, 40)
	d.waitFor("Portfolio — alice", "0.000000000 τ")
	id, _ := wallet.ParseAddress(keys.wallets["alice"].info.Address)
	// a transfer made elsewhere: the Overview learns of it from the head's events alone
	if _, err := client.Faucet(context.Background(), id, 3*protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	d.waitFor("3.000000000 τ", "sudo.Faucet", "#1")
}

func TestConsoleWalletBalances(t *testing.T) {
	d, client, keys := devnetApp(t, 120, 40)
	id, _ := wallet.ParseAddress(keys.wallets["alice"].info.Address)
	if _, err := client.Faucet(context.Background(), id, 7*protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	d.keys("2")
	d.waitFor("● alice", "7.0000")
}

func TestConsoleShowsWhenTheChainGoesAway(t *testing.T) {
	d, client, _ := devnetApp(t, 100, 30)
	d.app.opts.ReconnectDelay = time.Second // parked by the driver, so the loop does not spin
	d.waitFor("Network")
	client.Close()
	d.waitFor("lost the connection to devnet (test)", "reconnecting")
	if !strings.Contains(d.screen(), "disconnected") {
		t.Fatalf("overview does not show the disconnect:\n%s", d.screen())
	}
}

func TestConsoleEmissionPerEpochFromEvents(t *testing.T) {
	d, client, _ := devnetApp(t, 140, 44)
	d.keys("4")
	d.waitFor("sn1")
	if _, err := client.Advance(context.Background(), 35, nil); err != nil { // tempo 10: three epochs
		t.Fatal(err)
	}
	d.waitFor("#35")
	d.keys("j")
	d.waitFor("emission per epoch of sn1")
	p := d.app.Active().(*subnetsPage)
	if n := len(p.epochs[1]); n < 3 {
		t.Fatalf("%d epochs of subnet 1 recorded from the head events, want at least 3", n)
	}
	d.keys("enter")
	d.waitFor("Subnet 1 — metagraph", "emission per epoch, last")
}

// The subnet list follows the chain: after epochs run, "next epoch" lies ahead of the head
// again without leaving and re-opening the page.
func TestConsoleSubnetListRefreshesAtEpochs(t *testing.T) {
	d, client, _ := devnetApp(t, 140, 44)
	d.keys("4")
	d.waitFor("sn1")
	p := d.app.Active().(*subnetsPage)
	first := p.subnets[1].NextEpochBlock
	head, err := client.Advance(context.Background(), 35, nil) // tempo 10: three epochs
	if err != nil {
		t.Fatal(err)
	}
	if !d.pump(func() bool { return len(p.subnets) > 1 && p.subnets[1].NextEpochBlock > head.Height }, 10*time.Second) {
		t.Fatalf("next epoch of sn1 is %d (was %d) at head #%d: the list did not refresh", p.subnets[1].NextEpochBlock, first, head.Height)
	}
}

// The Overview's recent events skip the per-block coinbase, so a faucet payment stays visible.
func TestOverviewRecentEventsSkipCoinbase(t *testing.T) {
	d, client, _ := devnetApp(t, 140, 44)
	d.keys("1")
	if _, err := client.Advance(context.Background(), 30, nil); err != nil {
		t.Fatal(err)
	}
	d.waitFor("#30")
	p := d.app.Active().(*overviewPage)
	for _, e := range p.events {
		if routineEvent(e) {
			t.Fatalf("recent events keep the routine %s.%s at #%d", e.Module, e.Name, e.Height)
		}
	}
	d.mustNotSee("subtensor.Coinbase")
}
