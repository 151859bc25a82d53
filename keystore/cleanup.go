package keystore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// What a killed btui can leave in a wallet path, and how the next start cleans it:
//
//   - temporary keyfiles (".tmp-coldkey-123", ".tmp-default-456", ...): every write goes to one
//     and renames or links it into place, so a kill between the two leaves one behind. A
//     temporary file older than the current process cannot belong to a write in progress of
//     this process; Cleanup removes it. Newer ones (another btui writing right now) are kept.
//   - a wallet directory made by an interrupted create: CreateWallet and a first WriteColdkey
//     mark the directory they create with a ".btui-creating" file and remove the mark when
//     done. A marked directory that holds no key file is removed; one that holds key files (a
//     kill between two renames) is kept and reported, since it may hold the only copy of a key.
//
// Only files btui names this way are touched: directories btui did not create (no mark) and
// every other file stay as they are.

// creatingMark marks a wallet directory that a create is still filling.
const creatingMark = ".btui-creating"

// CleanupReport says what Cleanup did.
type CleanupReport struct {
	// Removed are the temporary files and interrupted wallet directories removed.
	Removed []string
	// Partial are marked wallet directories that hold some key files: an interrupted create
	// that got as far as writing a key. They are kept; check them and remove the mark (or the
	// wallet) by hand.
	Partial []string
	// Errors are files that could not be removed.
	Errors []error
}

// Empty reports whether there was nothing to clean or report.
func (r CleanupReport) Empty() bool {
	return len(r.Removed) == 0 && len(r.Partial) == 0 && len(r.Errors) == 0
}

// String describes the report in one line per item, for `wallet list` and `chain check`.
func (r CleanupReport) String() string {
	var b strings.Builder
	for _, p := range r.Removed {
		fmt.Fprintf(&b, "removed %s (left by an interrupted btui)\n", p)
	}
	for _, p := range r.Partial {
		fmt.Fprintf(&b, "%s: an interrupted wallet create left some key files; check them, then remove %s\n", p, filepath.Join(p, creatingMark))
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "cleanup: %v\n", e)
	}
	return b.String()
}

// Cleanup removes what an interrupted btui left under the wallet path: temporary keyfiles and
// marked, key-less wallet directories, both only when older than startedAt (the start of the
// calling process). Commands call it once at start; it never touches a key file.
func (s *Store) Cleanup(startedAt time.Time) (CleanupReport, error) {
	var r CleanupReport
	entries, err := os.ReadDir(s.root)
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("read wallet path: %w", err)
	}
	old := func(path string) bool {
		st, err := os.Lstat(path)
		return err == nil && st.Mode().IsRegular() && st.ModTime().Before(startedAt)
	}
	removeTemps := func(dir string) {
		es, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range es {
			p := filepath.Join(dir, e.Name())
			if strings.HasPrefix(e.Name(), tmpPrefix) && old(p) {
				if err := os.Remove(p); err != nil {
					r.Errors = append(r.Errors, err)
				} else {
					r.Removed = append(r.Removed, p)
				}
			}
		}
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(s.root, e.Name())
		hdir := filepath.Join(dir, HotkeysDir)
		removeTemps(dir)
		removeTemps(hdir)
		mark := filepath.Join(dir, creatingMark)
		if !old(mark) {
			continue
		}
		if hasKeyFiles(dir) {
			r.Partial = append(r.Partial, dir)
			continue
		}
		err := os.Remove(mark)
		if err == nil {
			_ = os.Remove(hdir) // only if empty
			err = os.Remove(dir)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			r.Errors = append(r.Errors, fmt.Errorf("interrupted wallet %s: %w", dir, err))
			continue
		}
		r.Removed = append(r.Removed, dir)
	}
	slices.Sort(r.Removed)
	return r, nil
}

// hasKeyFiles reports whether a wallet directory holds anything but the creating mark,
// temporary files and an empty hotkeys directory.
func hasKeyFiles(dir string) bool {
	es, err := os.ReadDir(dir)
	if err != nil {
		return true // unknown: keep it
	}
	for _, e := range es {
		switch {
		case e.Name() == creatingMark || strings.HasPrefix(e.Name(), tmpPrefix):
		case e.Name() == HotkeysDir && e.IsDir():
			hs, err := os.ReadDir(filepath.Join(dir, HotkeysDir))
			if err != nil {
				return true
			}
			for _, h := range hs {
				if !strings.HasPrefix(h.Name(), tmpPrefix) {
					return true
				}
			}
		default:
			return true
		}
	}
	return false
}

// creatingWallet marks the wallet directory as being created when it does not exist yet, and
// returns the function to call when the create ends: on success it removes the mark; on
// failure it also removes the directory if nothing else was left in it.
func (s *Store) creatingWallet(wallet string) (done func(ok bool), err error) {
	dir := s.WalletDir(wallet)
	if _, err := os.Lstat(dir); err == nil {
		return func(bool) {}, nil
	}
	if err := mkdirSync(dir); err != nil {
		return nil, err
	}
	mark := filepath.Join(dir, creatingMark)
	if err := os.WriteFile(mark, nil, fileMode); err != nil {
		return nil, fmt.Errorf("mark new wallet %s: %w", dir, err)
	}
	return func(ok bool) {
		_ = os.Remove(mark)
		if !ok && !hasKeyFiles(dir) {
			_ = os.Remove(filepath.Join(dir, HotkeysDir))
			_ = os.Remove(dir)
		}
		_ = syncDir(dir)
	}, nil
}
