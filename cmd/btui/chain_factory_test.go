package main

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
)

// Factory.Client: --node or BTUI_NODE give a remote client, otherwise the embedded devnet at
// DataDir, opened once per process; Close releases it so that the database can be reopened.
func TestFactoryClient(t *testing.T) {
	t.Parallel()
	env := map[string]string{}
	newF := func() *Factory {
		io, _, _ := NewTestIO("", false)
		f := NewFactory(io)
		f.Env = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
		f.ChainOptions = []localchain.Option{localchain.WithNoSync(true)}
		return f
	}
	dir := filepath.Join(t.TempDir(), "devnet")
	f := newF()
	f.Opts.DataDir = dir
	c1, err := f.Client()
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := f.Client()
	if c1 != c2 {
		t.Fatal("Client opened the chain twice")
	}
	if _, ok := c1.(*chainclient.Embedded); !ok || c1.Endpoint() != "embedded:"+dir {
		t.Fatalf("client = %T %s", c1, c1.Endpoint())
	}
	// A second process (factory) finds the database held.
	g := newF()
	g.Opts.DataDir = dir
	if _, err := g.Client(); !errors.Is(err, protocol.ErrInUse) {
		t.Fatalf("second open: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if _, err := g.Client(); err != nil {
		t.Fatalf("open after close: %v", err)
	}
	g.Close()

	env["BTUI_NODE"] = "127.0.0.1:9944"
	h := newF()
	c, err := h.Client()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(*chainclient.Remote); !ok || c.Endpoint() != "http://127.0.0.1:9944" {
		t.Fatalf("BTUI_NODE client = %T %s", c, c.Endpoint())
	}
	h.Close()
	h = newF()
	h.Opts.Node = "ftp://nope"
	if _, err := h.Client(); exitCode(err) != ExitUsage {
		t.Fatalf("bad --node: %v (exit %d)", err, exitCode(err))
	}
}
