package saving

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// AtomicWriteFile replaces the file at path with what write writes, so that
// path holds either the complete new contents or its old ones, never a
// mixture, even after a crash.
//
// write receives a buffered writer on a new temporary file in path's
// directory (named "."+base+".tmp" and a random number). When write returns
// nil, the file is flushed, synced to disk and closed, then renamed over path
// and the directory is synced. When anything fails, or write returns an
// error or panics, the temporary file is removed and path is untouched. A
// file that already exists at path keeps its permission bits; a new one gets
// 0666 less the umask, as os.Create gives. A symbolic link at path is
// replaced, not followed. Errors start with path.
func AtomicWriteFile(path string, write func(io.Writer) error) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("%s: %w", path, err)
		}
	}()
	dir, base := filepath.Split(path)
	if base == "" {
		return errors.New("no file name")
	}
	if dir == "" {
		dir = "."
	}
	tmp, err := createTemp(dir, "."+base+".tmp")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	done := false
	defer func() {
		if !done { // also reached when write panics
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if old, err := os.Stat(path); err == nil {
		if err := tmp.Chmod(old.Mode().Perm()); err != nil {
			return err
		}
	}
	bw := bufio.NewWriterSize(tmp, 1<<16) // 64 KiB: few system calls for large weights
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmpName, path); err != nil {
		return err
	}
	done = true
	syncDir(dir)
	return nil
}

// createTemp creates a new file named prefix plus a random number in dir.
// Unlike os.CreateTemp it asks for mode 0666, so the umask applies as it
// does to any new file.
func createTemp(dir, prefix string) (*os.File, error) {
	for range 100 { // a clash is a one-in-a-billion event; 100 is ample
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("cannot create a temporary file in %s", dir)
}

// syncDir makes a rename in dir durable where the system supports syncing a
// directory; elsewhere (Windows) it does nothing.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}
