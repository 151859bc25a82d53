package localchain

import (
	"errors"
	"github.com/btui/btui/protocol"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// What a SIGKILL during Snapshot or Restore leaves (snapshots/*.db.tmp, chain.db.restore) is
// removed by the next Open, which reports it; real snapshots and other files stay.
func TestOpenRemovesLeftovers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := Open(dir, WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Snapshot("keep"); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	write := func(rel string, n int) string {
		p := filepath.Join(dir, rel)
		if err := os.WriteFile(p, make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tmp := write("snapshots/half.db.tmp", 4096)
	restore := write("chain.db.restore", 8192)
	other := write("snapshots/notes.txt", 3)
	found, err := FindLeftovers(dir)
	if err != nil || len(found) != 2 {
		t.Fatalf("FindLeftovers = %v, %v", found, err)
	}

	c, err = Open(dir, WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got := c.Leftovers()
	if len(got) != 2 || got[0] != (Leftover{Path: restore, Size: 8192}) || got[1] != (Leftover{Path: tmp, Size: 4096}) {
		t.Fatalf("Leftovers = %+v", got)
	}
	for _, p := range []string{tmp, restore} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s is still there: %v", p, err)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("an unrelated file was removed: %v", err)
	}
	snaps, err := c.Snapshots()
	if err != nil || len(snaps) != 1 || snaps[0].Name != "keep" {
		t.Fatalf("snapshots = %+v, %v", snaps, err)
	}
}

// A second Open while the first holds the database fails at once (no lock timeout) and names
// the holder's pid and command line from the holder file.
func TestInUseNamesTheHolderAtOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := Open(dir, WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatal(err)
	}
	h, ok := ReadHolder(dir)
	if !ok || h.PID != os.Getpid() || h.Cmdline == "" {
		t.Fatalf("holder = %+v, %v", h, ok)
	}
	start := time.Now()
	_, err = Open(dir, WithLockTimeout(5*time.Second))
	var iu *protocol.InUseError
	if !errors.As(err, &iu) || iu.PID != os.Getpid() || iu.Cmdline != h.Cmdline {
		t.Fatalf("second open: %v", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("the second open waited %v for a holder known to be alive", took)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := ReadHolder(dir); ok {
		t.Fatal("Close left the holder file")
	}
	// A holder file naming a live process but no lock (a stale file): Open proceeds.
	holder := filepath.Join(dir, holderFileName)
	if err := os.WriteFile(holder, []byte(`{"pid":1,"cmdline":"init"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = Open(dir, WithNoSync(true), WithBlockTime(0))
	if err != nil {
		t.Fatalf("open with a stale holder file: %v", err)
	}
	c.Close()
}
