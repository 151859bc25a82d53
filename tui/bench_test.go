package tui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/btui/btui/chainclient"
)

// BenchmarkFirstFrame measures start-up: open the embedded devnet, build the console, run
// its start-up commands until the chain summary and the wallet list have arrived, and render
// the first full frame at 120×40. Target: ≤ 150 ms.
func BenchmarkFirstFrame(b *testing.B) {
	dir := b.TempDir()
	seed, err := chainclient.OpenEmbedded(dir)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := seed.Advance(context.Background(), 100, nil); err != nil {
		b.Fatal(err)
	}
	seed.Close()
	keys := newMemKeys()
	keys.CreateWallet("alice", []byte("pw"))
	b.ReportAllocs()
	for b.Loop() {
		client, err := chainclient.OpenEmbedded(dir)
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		app := New(Options{Keys: keys, Client: client, Context: ctx, Wallet: "alice", NoAnimation: true})
		app.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		msgs := make(chan tea.Msg, 64)
		var launch func(tea.Cmd)
		launch = func(c tea.Cmd) {
			if c != nil {
				go func() { msgs <- c() }()
			}
		}
		launch(app.Init())
		for !strings.Contains(ansi.Strip(app.Render()), "btui-devnet") || app.c.ColdkeyAddress() == "" {
			switch m := (<-msgs).(type) {
			case tea.BatchMsg:
				for _, c := range m {
					launch(c)
				}
			case nil:
			default:
				if !isTerminalQuery(m) {
					_, next := app.Update(m)
					launch(next)
				}
			}
		}
		_ = app.View()
		cancel()
		client.Close()
	}
}
