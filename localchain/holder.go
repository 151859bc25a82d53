package localchain

import (
	"encoding/json"
	"github.com/btui/btui/protocol"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// holderFileName records who holds chain.db: written by the holder right after it takes the
// lock, removed by Close. A process that finds the lock taken reads it to name the holder.
const holderFileName = "chain.holder"

// Holder describes the process holding a devnet's database.
type Holder struct {
	PID     int       `json:"pid"`
	Cmdline string    `json:"cmdline"`
	Since   time.Time `json:"since"`
}

// maxCmdline bounds the command line recorded for the holder.
const maxCmdline = 300

func writeHolder(dir string) {
	args := make([]string, len(os.Args))
	for i, a := range os.Args {
		if i == 0 {
			a = filepath.Base(a)
		}
		if a == "" || strings.ContainsAny(a, " \t\n'\"") {
			a = strconv.Quote(a)
		}
		args[i] = a
	}
	cmd := strings.Join(args, " ")
	if len(cmd) > maxCmdline {
		cmd = cmd[:maxCmdline] + "..."
	}
	b, _ := json.Marshal(Holder{PID: os.Getpid(), Cmdline: cmd, Since: time.Now().UTC().Truncate(time.Second)})
	tmp := filepath.Join(dir, holderFileName+".tmp")
	if os.WriteFile(tmp, append(b, '\n'), 0o600) == nil {
		_ = os.Rename(tmp, filepath.Join(dir, holderFileName))
	}
}

func removeHolder(dir string) { _ = os.Remove(filepath.Join(dir, holderFileName)) }

// ReadHolder returns the holder recorded in dir, if any.
func ReadHolder(dir string) (Holder, bool) {
	b, err := os.ReadFile(filepath.Join(dir, holderFileName))
	if err != nil {
		return Holder{}, false
	}
	var h Holder
	if json.Unmarshal(b, &h) != nil || h.PID <= 0 {
		return Holder{}, false
	}
	return h, true
}

// inUse builds the error for a lock that is held, naming the recorded holder when its process
// is alive.
func inUse(dir string) *protocol.InUseError {
	if h, ok := ReadHolder(dir); ok && processAlive(h.PID) {
		return &protocol.InUseError{PID: h.PID, Cmdline: h.Cmdline}
	}
	return &protocol.InUseError{PID: readPID(dir)}
}

// heldByLiveHolder reports, without waiting, that dbPath's lock is taken and the recorded
// holder is alive: Open then fails at once instead of waiting out its lock timeout.
func heldByLiveHolder(dir, dbPath string) (*protocol.InUseError, bool) {
	h, ok := ReadHolder(dir)
	if !ok || !processAlive(h.PID) || !lockTaken(dbPath) {
		return nil, false
	}
	return &protocol.InUseError{PID: h.PID, Cmdline: h.Cmdline}, true
}
