package chainclient_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
)

// A devnet held by another open (another process, in real use) fails fast with a message that
// names --node, and the node's URL when a node recorded it.
func TestOpenEmbeddedInUse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := chainclient.OpenEmbedded(dir, localchain.WithNoSync(true))
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	_, err = chainclient.OpenEmbedded(dir, localchain.WithLockTimeout(50*time.Millisecond))
	var iu *chainclient.InUseError
	if !errors.As(err, &iu) || !errors.Is(err, protocol.ErrInUse) || !strings.Contains(err.Error(), "--node URL") {
		t.Fatalf("second open: %v", err)
	}
	if !strings.Contains(err.Error(), "pid ") {
		t.Fatalf("no pid in %q", err)
	}
	if err := os.WriteFile(filepath.Join(dir, chainclient.NodeURLFile), []byte("http://127.0.0.1:9955\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A node.url where no node answers (left by a killed node) is not named: the message names
	// the real holder, its pid and command line.
	_, err = chainclient.OpenEmbedded(dir, localchain.WithLockTimeout(50*time.Millisecond))
	if err == nil || strings.Contains(err.Error(), "127.0.0.1:9955") ||
		!strings.Contains(err.Error(), fmt.Sprintf("pid %d (", os.Getpid())) || !strings.Contains(err.Error(), filepath.Base(os.Args[0])) {
		t.Fatalf("second open with a stale node url: %v", err)
	}
	// A file that is not a URL is ignored.
	if err := os.WriteFile(filepath.Join(dir, chainclient.NodeURLFile), []byte("rm -rf /\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if u := chainclient.ReadNodeURL(dir); u != "" {
		t.Fatalf("ReadNodeURL = %q", u)
	}
}
