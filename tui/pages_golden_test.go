package tui

import (
	"runtime"
	"strconv"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// Pure render tests of the chain pages: fixed data goes in through the pages' own
// messages (no chain), and the frames are compared with golden files at 80×24 and 120×40
// in dark and light.

func sampleNeurons(n int) []protocol.NeuronInfo {
	out := make([]protocol.NeuronInfo, n)
	for i := range out {
		u := uint16(i)
		out[i] = protocol.NeuronInfo{
			UID: u, Hotkey: pseudoAccount("h" + strconv.Itoa(i)), Coldkey: pseudoAccount("c" + strconv.Itoa(i%17)),
			Stake: uint64((i*7919)%5000+1) * protocol.RaoPerTAO / 3, Rank: uint16((i * 37) % 65535), Trust: uint16((i * 53) % 65535),
			Consensus: uint16((i * 71) % 65535), Incentive: uint16((i * 4099) % 65535), Dividends: uint16((i * 17) % 65535),
			Emission: uint64(i%97) * 1_000_000, ValidatorTrust: uint16((i * 29) % 65535), Permit: i%16 == 0,
			LastUpdate: uint64(1000 - i%100), Active: i%9 != 0,
		}
	}
	return out
}

func goldenSizes(t *testing.T, fn func(t *testing.T, d *driver)) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		for _, dark := range []bool{true, false} {
			name := itoa(sz[0]) + "x" + itoa(sz[1])
			if dark {
				name += "_dark"
			} else {
				name += "_light"
			}
			t.Run(name, func(t *testing.T) {
				d := newDriver(t, Options{Network: "devnet (golden)", Pages: func(c *Common) []Page {
					c.Wallets = []WalletInfo{{Name: "default", Address: addressOf("//Alice"), Encrypted: true,
						Hotkeys: []HotkeyInfo{{Name: "default", Address: addressOf("//Alice//hot")}}}}
					c.Client = goldenClient{}
					return []Page{newOverviewPage(c), newSubnetsPage(c), newChainPage(c)}
				}}, sz[0], sz[1])
				if !dark {
					d.send(lightMsg())
				}
				fn(t, d)
				golden.RequireEqual(t, d.app.Render())
			})
		}
	}
}

// goldenClient only names an endpoint: the golden tests feed data as messages; any query a
// page makes gets chainclient's ErrUnsupported.
type goldenClient struct{ chainclient.Unimplemented }

func (goldenClient) Endpoint() string { return "embedded:/devnet" }

func TestGoldenOverview(t *testing.T) {
	goldenSizes(t, func(t *testing.T, d *driver) {
		d.send(infoMsg{info: protocol.ChainInfo{ChainName: "btui-devnet", Height: 1234, Producing: true, BlockTimeMs: 250,
			PendingTxs: 2, TotalIssuance: 3_006_000 * protocol.RaoPerTAO, TxFee: 100_000}})
		d.send(accountMsg{address: addressOf("//Alice"), account: protocol.AccountInfo{Free: 999_987_500_000_000, Nonce: 3}})
		for h := uint64(1); h <= 40; h++ {
			ev := protocol.HeadEvent{Header: protocol.BlockHeader{Height: 1194 + h, TxCount: uint32(h % 5)}}
			if h%7 == 0 {
				ev.Events = []protocol.Event{{Height: 1194 + h, Module: "balances", Name: "Transfer", Attrs: []protocol.Attr{
					{Key: "from", Value: addressOf("//Bob")}, {Key: "to", Value: addressOf("//Charlie")}, {Key: "amount", Value: strconv.Itoa(int(h) * 1_000_000_000)}}}}
			}
			d.send(headMsg{head: ev})
		}
	})
}

func TestGoldenMetagraph(t *testing.T) {
	goldenSizes(t, func(t *testing.T, d *driver) {
		d.keys("2")
		d.send(metagraphMsg{netuid: 1, neurons: sampleNeurons(256)})
		d.keys("s", "S") // the sort picker, then Stake's letter in capitals: by stake, descending
	})
}

func TestGoldenChainExplorer(t *testing.T) {
	goldenSizes(t, func(t *testing.T, d *driver) {
		d.keys("3")
		var hs []protocol.BlockHeader
		for h := uint64(1); h <= 30; h++ {
			hs = append(hs, protocol.BlockHeader{Height: h, Hash: pseudoHash(h),
				ParentHash:  pseudoHash(h - 1),
				TimestampMs: 1767225600000 + h*250, TxCount: uint32(h % 3), EventCount: uint32(h % 4)})
		}
		d.send(blocksMsg{headers: hs}, infoMsg{info: protocol.ChainInfo{Height: 30, Producing: true}})
	})
}

func TestMetagraphPageRendersAllMetrics(t *testing.T) {
	d := newDriver(t, Options{Pages: func(c *Common) []Page {
		c.Client = goldenClient{}
		return []Page{newSubnetsPage(c)}
	}}, 120, 40)
	d.send(metagraphMsg{netuid: 3, neurons: sampleNeurons(4096)})
	d.mustSee("Subnet 3 — metagraph", "4096 neurons", "UID", "Stake α", "Incent", "stake, top", "incentive by neuron")
	d.keys("/", "text:yes", "enter")
	if p := d.app.Active().(*subnetsPage); p.meta.Len() == 0 || p.meta.Len() == 4096 {
		t.Fatalf("filter on permit/active kept %d rows", p.meta.Len())
	}
	d.keys("esc", "esc")
	d.send(pageActivatedMsg{})
	d.mustSee("Subnets are not available on this chain yet")
}

// BenchmarkMetagraphPage renders the whole console frame with the metagraph page showing
// 4,096 neurons at 120×40 (target ≤ 5 ms per frame), moving the cursor between frames.
func BenchmarkMetagraphPage(b *testing.B) {
	app := New(Options{NoAnimation: true, Pages: func(c *Common) []Page {
		c.Client = goldenClient{}
		return []Page{newSubnetsPage(c)}
	}})
	app.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	app.Update(metagraphMsg{netuid: 1, neurons: sampleNeurons(4096)})
	down := tea.KeyPressMsg{Code: 'j', Text: "j"}
	b.ReportAllocs()
	for b.Loop() {
		app.Update(down)
		_ = app.View()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(app)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MiB")
}
