package tui

import (
	"context"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/btui/btui/chainclient"
)

// Every page, its help and the dialogs at the minimum size, 80×24, on a real embedded
// devnet (no producer: the frames are the same at every run), compared with golden files
// (go test ./tui -run TestGolden80x24 -update rewrites them). Columns drop by priority,
// dialogs keep their borders and titles, the help scrolls.
func TestGolden80x24(t *testing.T) {
	d, frame := goldenDriver(t, []string{"default", "miner1"}, time.Unix(0, 0), func(ctx context.Context, client *chainclient.Embedded) {
		if _, err := client.Advance(ctx, 3, nil); err != nil {
			t.Fatal(err)
		}
	})
	pages := []struct {
		key, name string
		want      []string
		dialogs   []struct {
			keys []string
			name string
			want []string
		}
	}{
		{key: "1", name: "overview", want: []string{"Portfolio — alice"}},
		{key: "2", name: "wallets", want: []string{"● alice", "miner1"}},
		{key: "3", name: "stake", want: []string{"Stake"}},
		{key: "4", name: "subnets", want: []string{"sn1"}},
		{key: "5", name: "register", want: []string{"Burn cost"}},
		{key: "6", name: "weights", want: []string{"Weights", "subnet 1"}},
		{key: "7", name: "chain", want: []string{"Chain explorer", "#3"}},
		{key: "8", name: "simulation", want: []string{"Simulation"}},
	}
	for _, p := range pages {
		d.keys(p.key)
		frame(p.name, p.want...)
		d.keys("?")
		frame(p.name+"_help", "Keys — ")
		d.keys("esc")
	}
	dialogs := []struct {
		page string
		keys []string
		name string
		want []string
	}{
		{"2", []string{"t"}, "transfer_form", []string{"Transfer from alice"}},
		{"2", []string{"c"}, "create_wallet", []string{"Name the wallet"}},
		{"3", []string{"a"}, "stake_form", []string{"Add stake from alice", "allow partial"}},
		{"7", []string{"F"}, "faucet_form", []string{"Devnet faucet"}},
		{"7", []string{"a"}, "advance_form", []string{"Advance the devnet"}},
		{"6", []string{"v"}, "weights_subnet", []string{"Weights for which subnet?"}},
	}
	for _, dl := range dialogs {
		d.keys(dl.page)
		d.keys(dl.keys...)
		frame(dl.name, dl.want...)
		d.keys("esc")
	}
	// the confirmation and the password prompt, as a transaction shows them
	c := d.app.Common()
	cd := newConfirmDialog(c, "Stake 0.2 TAO on 5HTsEpSXb7PMCcbzqyepfJVPrbLwfoShXyigUn4UZ9NnMNcp in subnet 1", []PreviewLine{
		{Label: "expected", Value: "0.198 α"}, {Label: "slippage", Value: "0.4%"}, {Label: "price", Value: "1.000000 τ/α"},
		{Label: "tolerance", Value: "0.5%: limit 1.005000 τ/α"}, {Label: "balance after", Value: "999.799900000 τ"}, {Label: "fee", Value: "0.000100000 τ"},
	}, "same as: btui stake add --wallet-name alice --hotkey-ss58 5HTsEpSXb7PMCcbzqyepfJVPrbLwfoShXyigUn4UZ9NnMNcp --netuid 1 --amount 0.2")
	t.Run("confirm", func(t *testing.T) {
		golden.RequireEqual(t, OverlayCenter(FitLines("", 80, 21), cd.View(dialogWidth(80)), 80, 21))
	})
	pw := newPasswordPrompt(c, "Unlock coldkey alice", "The coldkey signs: Stake 0.2 TAO on 5HTsEp… in subnet 1.", false)
	t.Run("password", func(t *testing.T) {
		golden.RequireEqual(t, OverlayCenter(FitLines("", 80, 21), pw.View(dialogWidth(80)), 80, 21))
	})
}

// fixedEndpoint is the embedded devnet under a fixed name (its real endpoint names a temporary
// directory, which would differ on every machine).
type fixedEndpoint struct{ *chainclient.Embedded }

func (fixedEndpoint) Endpoint() string { return "embedded:/devnet" }

// goldenDriver is the console at 80×24 on a fresh embedded devnet (no producer, no colour, a
// fixed clock at now) with wallet alice and the given hotkeys, after setup has shaped the
// chain; frame(name, want...) waits for want and compares the screen with the golden file
// name.
func goldenDriver(t *testing.T, hotkeys []string, now time.Time, setup func(ctx context.Context, client *chainclient.Embedded)) (*driver, func(name string, want ...string)) {
	t.Helper()
	client := freshDevnet(t)
	keys := aliceKeys(t, hotkeys...)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	setup(ctx, client)
	d := newDriver(t, Options{Keys: keys, Client: fixedEndpoint{client}, Context: ctx, Network: "devnet (golden)", Wallet: "alice", NoFirstRun: true, NoColor: true,
		Now: func() time.Time { return now }}, 80, 24)
	frame := func(name string, want ...string) {
		t.Helper()
		d.waitFor(want...)
		t.Run(name, func(t *testing.T) { golden.RequireEqual(t, d.app.Render()) })
	}
	return d, frame
}
