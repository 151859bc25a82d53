package localchain

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/btui/btui/protocol"
)

// Leftover is a temporary file that a killed process left in a devnet directory: a snapshot
// being written (snapshots/<name>.db.tmp) or a restore being copied (chain.db.restore). Only
// the process holding the database lock writes them, so once Open holds the lock they are
// garbage. The type is protocol's (chain check reports it).
type Leftover = protocol.Leftover

// restoreTmpSuffix and snapshotTmpSuffix name the temporary files of Restore and Snapshot.
const (
	restoreTmpSuffix  = ".restore"
	snapshotTmpSuffix = ".db.tmp"
)

// FindLeftovers lists the leftovers in dir without removing them.
func FindLeftovers(dir string) ([]Leftover, error) {
	var out []Leftover
	add := func(path string) {
		fi, err := os.Lstat(path)
		if err != nil || !fi.Mode().IsRegular() {
			return
		}
		out = append(out, Leftover{Path: path, Size: fi.Size()})
	}
	add(filepath.Join(dir, dbFileName+restoreTmpSuffix))
	ents, err := os.ReadDir(filepath.Join(dir, snapshotDirName))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return out, err
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), snapshotTmpSuffix) {
			add(filepath.Join(dir, snapshotDirName, e.Name()))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// cleanLeftovers removes the leftovers in dir (the caller holds the database lock) and
// returns the ones it removed.
func cleanLeftovers(dir string) []Leftover {
	found, _ := FindLeftovers(dir)
	var removed []Leftover
	for _, l := range found {
		if os.Remove(l.Path) == nil {
			removed = append(removed, l)
		}
	}
	return removed
}

// Leftovers returns the files of interrupted runs that Open removed from the devnet
// directory (`btui chain check` and `btui node` report them).
func (c *Chain) Leftovers() []Leftover { return c.leftovers }
