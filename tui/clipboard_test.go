package tui

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// clipboardWrites are the values the console sent to the terminal's clipboard (bubbletea's
// SetClipboard messages, which its renderer writes as OSC 52).
func (d *driver) clipboardWrites() []string {
	var out []string
	for _, m := range d.terminal {
		if fmt.Sprintf("%T", m) == "tea.setClipboardMsg" {
			out = append(out, reflect.ValueOf(m).String())
		}
	}
	return out
}

func (d *driver) lastCopy() string {
	d.t.Helper()
	w := d.clipboardWrites()
	if len(w) == 0 {
		d.t.Fatalf("nothing was copied:\n%s", d.screen())
	}
	return w[len(w)-1]
}

// y on a devnet: a wallet's and a hotkey's address, a signature just made (in its result
// box), a block's full hash in the explorer and in a block, a neuron's hotkey, a stake
// position's hotkey; the status line says what was copied.
func TestCopyOnDevnet(t *testing.T) {
	client, keys := habitsChain(t)
	ctx := context.Background()
	alice := keys.wallets["alice"].info
	id, _ := wallet.ParseAddress(alice.Address)
	if _, err := client.Faucet(ctx, id, 50*protocol.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	d := habitsApp(t, client, keys, "", 120, 40)
	d.waitFor("Portfolio — alice")
	d.keys("y")
	if got := d.lastCopy(); got != alice.Address {
		t.Fatalf("y on the Overview copied %q, want alice's coldkey %s", got, alice.Address)
	}
	d.mustSee("copied the coldkey address of alice")

	d.keys("2")
	d.waitFor("● alice", "miner1")
	d.keys("y")
	if got := d.lastCopy(); got != alice.Address {
		t.Fatalf("y on alice's row copied %q", got)
	}
	d.keys("j", "j", "y") // alice/miner1
	miner1 := keys.wallets["alice"].info.Hotkeys[1].Address
	if got := d.lastCopy(); got != miner1 {
		t.Fatalf("y on alice/miner1 copied %q, want %s", got, miner1)
	}
	d.mustSee("copied the hotkey address of alice/miner1")

	// a signature in its result box (the page takes keys there, y still copies)
	d.keys("g", "x", "text:hello", "enter", "text:pw", "enter")
	d.waitFor("Signature")
	kp := keyOf(strings.Join(testMnemonic, " "))
	want := kp.Sign([]byte("hello"))
	d.keys("y")
	if got := d.lastCopy(); got != want.Hex() && got != "0x"+strings.TrimPrefix(want.Hex(), "0x") {
		t.Fatalf("y on the signature copied %q, want %s", got, want.Hex())
	}
	d.mustSee("copied the signature")
	d.keys("esc")

	// the explorer: the full hash of the selected block, looked up
	d.keys("7")
	d.waitFor("Chain explorer", "1/1")
	d.keys("y")
	d.waitFor("copied the hash of block #1")
	b, err := client.Block(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.lastCopy(); got != b.Header.Hash.String() {
		t.Fatalf("y on block 1 copied %q, want %s", got, b.Header.Hash)
	}
	d.keys("enter")
	d.waitFor("Block #1")
	n := len(d.clipboardWrites())
	d.keys("y")
	if got := d.lastCopy(); len(d.clipboardWrites()) != n+1 || got != b.Header.Hash.String() {
		t.Fatalf("y in block 1 copied %q", got)
	}

	// a neuron's hotkey in the metagraph (uid 0 of subnet 1 is Alice's dev hotkey)
	d.keys("esc", ":", "text:subnet 1", "enter")
	d.waitFor("Subnet 1 — metagraph")
	p := d.app.Active().(*subnetsPage)
	d.keys("g", "y")
	if got := d.lastCopy(); got != p.neurons[0].Hotkey.SS58() {
		t.Fatalf("y on uid 0 copied %q, want %s", got, p.neurons[0].Hotkey.SS58())
	}
	d.mustSee("copied the hotkey of uid 0")

	// nothing to copy says so, and copies nothing
	n = len(d.clipboardWrites())
	d.keys("5", "y")
	if len(d.clipboardWrites()) != n {
		t.Fatal("y on the Register page copied something")
	}
	d.mustSee("nothing to copy here")
}

// The clipboard write goes out through bubbletea's output as OSC 52: run a program whose
// output is a buffer and look for the sequence.
func TestCopyWritesOSC52(t *testing.T) {
	var out bytes.Buffer
	value := addressOf("//Bob")
	m := oneShot{cmd: copyCmd("address", value)}
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(&out), tea.WithWindowSize(80, 24))
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(value))
	if !strings.Contains(out.String(), want) {
		t.Fatalf("no OSC 52 write of %s in the output: %q", value, out.String())
	}
}

// oneShot runs one command, then quits once its messages are in.
type oneShot struct {
	cmd  tea.Cmd
	seen int
}

func (m oneShot) Init() tea.Cmd { return m.cmd }

func (m oneShot) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(bannerMsg); ok {
		// the notice comes with the clipboard write, in the same batch: leave a moment for
		// the write to be handled
		return m, tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return tea.Quit() })
	}
	return m, nil
}

func (m oneShot) View() tea.View { return tea.NewView("") }
