package keystore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

const (
	dirMode  = 0o700
	fileMode = 0o600
	// tmpPrefix starts the name of every temporary file; List skips such names.
	tmpPrefix = ".tmp-"
)

// fileWrite is one file of an atomic batch.
type fileWrite struct {
	path string
	data []byte
	// verify checks the bytes read back from the temporary file (for keyfiles: decode and
	// decrypt them). It runs before anything is renamed into place.
	verify func([]byte) error
}

// writeHooks let tests inject failures between the steps of a write.
type writeHooks struct {
	// afterTempWrite runs after a temporary file has been written, synced and closed.
	afterTempWrite func(tmp string) error
}

// writeFiles writes a batch of files so that each one is either entirely old or entirely
// new: every file goes to a temporary file in its target directory (mode 0600), is synced,
// read back and verified; only when all are ready are they moved into place (rename, or a
// hard link when overwrite is false so an existing file is never replaced), and the
// directories are synced. Directories are created with mode 0700. Without overwrite an existing
// target gives ErrExists before anything is written.
func (s *Store) writeFiles(overwrite bool, files ...fileWrite) (err error) {
	if !overwrite {
		for _, w := range files {
			if _, err := os.Lstat(w.path); err == nil {
				return fmt.Errorf("%s %w: pass --overwrite to replace it", w.path, ErrExists)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	var tmps []string
	defer func() {
		for _, t := range tmps {
			if t != "" {
				_ = os.Remove(t)
			}
		}
	}()
	for _, w := range files {
		tmp, err := s.writeTemp(w)
		if tmp != "" {
			tmps = append(tmps, tmp)
		}
		if err != nil {
			return err
		}
	}
	var placed []string
	dirs := map[string]bool{}
	for i, w := range files {
		if err := place(tmps[i], w.path, overwrite); err != nil {
			if !overwrite {
				for _, p := range placed { // they did not exist before this batch
					_ = os.Remove(p)
				}
			}
			return err
		}
		if overwrite {
			tmps[i] = "" // renamed away
		}
		placed = append(placed, w.path)
		dirs[filepath.Dir(w.path)] = true
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return nil
}

// writeTemp writes, syncs, reads back and verifies one temporary file. It returns the
// temporary file's name (to be removed by the caller on failure) as soon as it exists.
func (s *Store) writeTemp(w fileWrite) (string, error) {
	dir := filepath.Dir(w.path)
	if err := mkdirSync(dir); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, tmpPrefix+filepath.Base(w.path)+"-*")
	if err != nil {
		return "", fmt.Errorf("create temporary file in %s: %w", dir, err)
	}
	tmp := f.Name()
	if err := f.Chmod(fileMode); err != nil {
		f.Close()
		return tmp, err
	}
	if _, err := f.Write(w.data); err != nil {
		f.Close()
		return tmp, fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return tmp, fmt.Errorf("sync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return tmp, err
	}
	if s.hooks.afterTempWrite != nil {
		if err := s.hooks.afterTempWrite(tmp); err != nil {
			return tmp, err
		}
	}
	back, err := os.ReadFile(tmp)
	if err != nil {
		return tmp, fmt.Errorf("read back %s: %w", tmp, err)
	}
	if !bytes.Equal(back, w.data) {
		return tmp, fmt.Errorf("verify %s: the file read back differs from what was written", w.path)
	}
	if w.verify != nil {
		if err := w.verify(back); err != nil {
			return tmp, fmt.Errorf("verify %s: %w", w.path, err)
		}
	}
	return tmp, nil
}

// place moves tmp to dst: a rename (replacing dst) with overwrite, otherwise a hard link that
// fails if dst exists, then removal of tmp.
func place(tmp, dst string, overwrite bool) error {
	if overwrite {
		return os.Rename(tmp, dst)
	}
	err := os.Link(tmp, dst)
	switch {
	case err == nil:
		return os.Remove(tmp)
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s %w: pass --overwrite to replace it", dst, ErrExists)
	}
	// The file system has no hard links: check, then rename (a narrow race, as with any
	// check-then-act, but never a partial file).
	if _, serr := os.Lstat(dst); serr == nil {
		return fmt.Errorf("%s %w: pass --overwrite to replace it", dst, ErrExists)
	}
	return os.Rename(tmp, dst)
}

// mkdirSync creates dir and its missing parents with mode 0700 and syncs each parent after
// adding an entry to it.
func mkdirSync(dir string) error {
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return fmt.Errorf("%s is not a directory", dir)
		}
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := mkdirSync(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, dirMode); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create directory: %w", err)
	}
	return syncDir(parent)
}

// syncDir fsyncs a directory so that a rename or a new entry in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}
