package tui

import (
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
)

// The console's persistent state: what the operator would otherwise set again at every
// launch (the last wallet and hotkey, the last page, the tables' sort choices and the subnet
// each page showed) and what must survive a restart to
// finish (weights commits waiting for their reveal, with their salt and whether to reveal
// them automatically). It is one JSON file in the config directory (Options.StatePath;
// cmd/btui uses console-state.json beside config.json), written whole to a temporary file
// and renamed, mode 0600 in a 0700 directory. A missing or unreadable file is an empty
// state; the console never fails to start over it.

// consoleState is the state file's content.
type consoleState struct {
	Wallet  string        `json:"wallet,omitempty"`
	Hotkey  string        `json:"hotkey,omitempty"`
	Page    string        `json:"page,omitempty"`
	Commits []savedCommit `json:"commits,omitempty"`
	// Sorts are the sort choices of the Wallets, Stake, Subnets and metagraph tables
	// (sort.go), by table.
	Sorts map[string]savedSort `json:"sorts,omitempty"`
	// Views are the subnet each page last showed (the Subnets page's drill-down, the
	// Weights page's subnet), by page title (views.go).
	Views map[string]savedView `json:"views,omitempty"`
	// Contacts are the address book's saved names (name → SS58 address). They live in
	// their own file beside the state file (contacts.go), not in this one.
	Contacts map[string]string `json:"-"`
}

// savedCommit is a weights commit waiting for its reveal.
type savedCommit struct {
	Genesis     string   `json:"genesis"` // the chain it was made on
	Wallet      string   `json:"wallet"`
	Hotkey      string   `json:"hotkey"`
	HotkeySS58  string   `json:"hotkey_ss58"`
	Netuid      uint16   `json:"netuid"`
	Uids        []uint16 `json:"uids"`
	Values      []uint16 `json:"values"`
	Salt        []uint16 `json:"salt"`
	Block       uint64   `json:"block"`        // the block that included the commit
	RevealFrom  uint64   `json:"reveal_from"`  // first block of the reveal window
	RevealUntil uint64   `json:"reveal_until"` // last block of the reveal window
	Auto        bool     `json:"auto_reveal"`  // reveal as soon as the window opens
}

// stateMu serialises writes of the state file (saves run as commands); stateWritten is the
// sequence number of the last snapshot written per file, so an older snapshot that runs late
// never overwrites a newer one.
var (
	stateMu      sync.Mutex
	stateWritten = map[string]uint64{}
	stateSeq     atomic.Uint64 // taken when a snapshot is made, in Update order
)

// loadState reads the state file; a missing or unreadable one is an empty state.
func loadState(path string) consoleState {
	var s consoleState
	if path == "" {
		return s
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return s
	}
	if json.Unmarshal(b, &s) != nil {
		return consoleState{}
	}
	return s
}

// writeState writes snapshot seq of the state file atomically, unless a newer one was.
func writeState(path string, s consoleState, seq uint64) error { return writeJSONFile(path, s, seq) }

// writeJSONFile writes snapshot seq of a console file (the state, the contacts) as indented
// JSON, atomically (a temporary file renamed), mode 0600 in a 0700 directory, unless a newer
// snapshot of the file was written already.
func writeJSONFile(path string, s any, seq uint64) error {
	if path == "" {
		return nil
	}
	stateMu.Lock()
	defer stateMu.Unlock()
	if stateWritten[path] > seq {
		return nil
	}
	stateWritten[path] = seq
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".console-state-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// saveStateCmd writes a copy of the state off the Update loop; a failure is a warning.
func (c *Common) saveStateCmd() tea.Cmd {
	if c.StatePath == "" {
		return nil
	}
	s := c.State
	s.Commits = slices.Clone(s.Commits)
	s.Sorts, s.Views, s.Contacts = maps.Clone(s.Sorts), maps.Clone(s.Views), nil // the writer runs off the Update loop
	path := c.StatePath
	seq := stateSeq.Add(1)
	return func() tea.Msg {
		if err := writeState(path, s, seq); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return bannerMsg{banner{kind: bannerWarn, text: "could not save the console's state: " + err.Error(), hint: "check the config directory's permissions"}}
		}
		return nil
	}
}
